"""A material change after a return restarts approval at the chief officer, so a request cannot be quietly
altered between gates; every decider is shown what changed since they last saw it. Each case is the change an
insider made (through the lead's own commands) to slip a different request past the gates."""

from datetime import timedelta

import pytest

from approvals import drafts, workflow
from extensions import db
from tests.conftest import advance, make_request, positive, sign_in


def _answer(**values):
    """The lead changes answers through their own edit command."""
    return lambda r: drafts.update_fields(r.id, r.created_by, values)


def _shift(name, days):
    return lambda r: drafts.update_fields(r.id, r.created_by, {name: getattr(r, name) + timedelta(days=days)})


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
    change(request)  # through the lead's own edit commands
    db.session.refresh(request)
    workflow.submit(request.id, people["lead"])
    db.session.refresh(request)
    return request.state


MATERIAL = {
    "requesting body": _answer(requesting_body="Another ministry"),
    "sponsor": _answer(sponsor="un"),
    "destination": _answer(destination="SA"),
    "dates beyond": _shift("end_date", 30),
    "earlier start": _shift("start_date", -1),
    "more officers": _answer(officers=3),  # the demo request has 2
    "sensitive flag": _answer(sensitive=True),
    "higher cost": lambda r: drafts.add_cost_line(r.id, r.created_by, "travel", 50_000),
}
NOT_MATERIAL = {
    "shorter deployment": _shift("end_date", -1),
    "fewer officers": _answer(officers=1),
    "more funding": lambda r: drafts.add_funding(r.id, r.created_by, "fcdo", 1000, True),
    "mission reference": _answer(mission_reference="Op New Name"),
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
