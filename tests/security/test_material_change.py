"""A material change after a return restarts approval at the chief officer, so a request cannot be quietly
altered between gates; every decider is shown what changed since they last saw it. Each case is the change an
insider made (through the lead's own commands) to slip a different request past the gates."""

from datetime import timedelta

import pytest

from approvals import drafts, workflow
from extensions import db
from models import CostLine, FundingSource
from tests.conftest import advance, make_request, positive, sign_in


def _returned_by_home_office(people):
    request = advance(make_request(people["lead"]), people, until="awaiting_home_secretary")
    workflow.decide(
        request.id,
        people["home_office"],
        workflow.DecisionInput("return", "Clarify the plan", ethics_confirmed=True, hr=positive().hr),
    )
    db.session.refresh(request)
    return request


def _resubmit(people, request, change):
    change(request)
    db.session.commit()
    workflow.submit(request.id, people["lead"])
    db.session.refresh(request)
    return request.state


MATERIAL = {
    "requesting body": lambda r: drafts.update_fields(r, r.created_by, {"requesting_body": "Another ministry"}),
    "sponsor": lambda r: drafts.update_fields(r, r.created_by, {"sponsor": "un"}),
    "destination": lambda r: drafts.update_fields(r, r.created_by, {"destination": "SA"}),
    "dates beyond": lambda r: drafts.update_fields(r, r.created_by, {"end_date": r.end_date + timedelta(days=30)}),
    "earlier start": lambda r: drafts.update_fields(r, r.created_by, {"start_date": r.start_date - timedelta(days=1)}),
    "more officers": lambda r: drafts.update_fields(r, r.created_by, {"officers": (r.officers or 0) + 1}),
    "sensitive flag": lambda r: drafts.update_fields(r, r.created_by, {"sensitive": not r.sensitive}),
    "higher cost": lambda r: r.cost_lines.append(CostLine(category="travel", amount_pence=50_000, description="")),
}
NOT_MATERIAL = {
    "shorter deployment": lambda r: drafts.update_fields(r, r.created_by, {"end_date": r.end_date - timedelta(days=1)}),
    "fewer officers": lambda r: drafts.update_fields(r, r.created_by, {"officers": r.officers - 1}),  # demo has 2
    "more funding": lambda r: r.funding.append(FundingSource(source="fcdo", amount_pence=1000, committed=True)),
    "mission reference": lambda r: drafts.update_fields(r, r.created_by, {"mission_reference": "Op New Name"}),
}


@pytest.mark.parametrize("name", list(MATERIAL))
def test_a_material_change_restarts_at_the_chief_officer(people, name):
    request = _returned_by_home_office(people)
    assert _resubmit(people, request, MATERIAL[name]) == "awaiting_chief_officer"
    assert all(d.superseded for d in request.decisions)


@pytest.mark.parametrize("name", list(NOT_MATERIAL))
def test_a_change_that_is_not_material_goes_back_to_the_returning_gate(people, name):
    request = _returned_by_home_office(people)
    assert _resubmit(people, request, NOT_MATERIAL[name]) == "awaiting_home_secretary"


def test_every_decider_is_shown_what_changed_since_they_last_saw_it(client, people):
    request = _returned_by_home_office(people)
    _resubmit(people, request, MATERIAL["destination"])
    sign_in(client, people["chief"])
    page = client.get(f"/requests/{request.id}/decide").get_data(as_text=True)
    assert "What has changed since you last decided" in page
    assert "Saudi Arabia" in page and "Material" in page
