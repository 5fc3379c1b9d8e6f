"""Several forces on one request (issue 23 section 4): each contributing force's own chief officer recommends and
its PCC office approves its people's part, in parallel with the lead force's gates; the request leaves the lead
PCC's gate only when every part is approved; a contributing force's decline returns it to the lead."""

import pytest
from sqlalchemy import select

from approvals import drafts, policy, workflow
from approvals.commands import Forbidden, Refused, WrongState
from extensions import db
from models import AssistanceRequest, AuditEvent, ContributingForce
from tests.conftest import make_request, positive, sign_in
from tests.integration.test_api import full_body, token_for, upload_letter, write_osja

MET = [{"force": "metropolitan", "officers": 2, "staff": 1}]


def decline(reasons):
    from approvals.human_rights import Assessment

    return workflow.DecisionInput(
        outcome="decline", reasons=reasons, hr=Assessment(residual="low"), ethics_confirmed=True
    )


@pytest.fixture
def two_force(people):
    request = make_request(people["lead"], contributing_forces=MET)
    workflow.submit(request.id, people["lead"])
    db.session.refresh(request)
    return request


def part(request):
    return db.session.scalars(select(ContributingForce).where(ContributingForce.request_id == request.id)).one()


def test_parts_are_decided_in_parallel_and_the_request_waits_for_every_one(people, two_force):
    assert part(two_force).state == "awaiting_chief_officer"
    # The contributing force's chief officer decides its part while the lead's chief officer has not yet.
    workflow.decide(two_force.id, people["other_chief"], positive())
    assert part(two_force).state == "awaiting_pcc"
    workflow.decide(two_force.id, people["chief"], positive())
    workflow.decide(two_force.id, people["pcc"], positive())
    request = db.session.get(AssistanceRequest, two_force.id)
    assert request.state == "awaiting_pcc"  # the lead PCC approved; the contributing PCC has not
    with pytest.raises(WrongState):
        workflow.decide(two_force.id, people["pcc"], positive())
    workflow.decide(two_force.id, people["other_pcc"], positive())
    request = db.session.get(AssistanceRequest, two_force.id)
    assert request.state == "awaiting_home_secretary" and part(request).state == "approved"
    last = db.session.scalars(
        select(AuditEvent).where(AuditEvent.request_id == request.id).order_by(AuditEvent.seq.desc())
    ).first()
    assert last.event == "approve" and "Every contributing force has approved its part" in last.reasons


def test_a_contributing_forces_decline_returns_the_request_with_that_part_declined(people, two_force):
    workflow.decide(two_force.id, people["chief"], positive())
    workflow.decide(two_force.id, people["other_chief"], decline("Officers needed for a major event"))
    request = db.session.get(AssistanceRequest, two_force.id)
    assert request.state == "returned" and part(request).state == "declined"
    with pytest.raises(Refused) as error:
        workflow.submit(request.id, people["lead"])
    assert [r.rule for r in error.value.refusals] == ["contributing_force_declined"]
    # The lead resubmits without it: a material change, so the round restarts at the chief officer.
    drafts.edit(request.id, people["lead"], {"contributing_forces": []})
    workflow.submit(request.id, people["lead"])
    request = db.session.get(AssistanceRequest, two_force.id)
    assert request.state == "awaiting_chief_officer" and request.contributing_forces == []


def test_who_decides_a_part_is_its_own_forces_deciders(people, two_force):
    from tests.conftest import make_user

    stranger = make_user("chief@wy.example", "chief_officer", force_slug="west-yorkshire")
    with pytest.raises(Exception) as error:
        workflow.decide(two_force.id, stranger, positive())
    assert error.value.status == 404
    with pytest.raises(WrongState):
        workflow.decide(two_force.id, people["other_pcc"], positive())  # its part waits for its chief officer
    # The contributing force sees the request, and may not change it.
    assert policy.can_see(people["other_lead"], two_force) and policy.can_see(people["other_chief"], two_force)
    with pytest.raises(Forbidden):
        drafts.update_fields(two_force.id, people["other_lead"], {"title": "Mine now"})


def test_the_api_takes_contributing_forces_and_their_deciders_use_the_decisions_endpoint(client, people):
    lead = token_for(people["lead"])
    body = full_body(contributing_forces=[{"force": "metropolitan", "officers": 3, "staff": 0}])
    itself = full_body(contributing_forces=[{"force": "north-yorkshire", "officers": 1}])
    own = client.post("/api/v1/requests", json=itself, headers=lead)
    assert own.status_code == 422 and "contributing_forces.0.force" in own.json["errors"]
    created = client.post("/api/v1/requests", json=body, headers=lead)
    assert created.status_code == 201, created.json
    rid = created.json["id"]
    assert created.json["contributing_forces"] == [
        {"force": "metropolitan", "force_name": "Metropolitan Police Service", "officers": 3, "staff": 0, "state": None}
    ]
    upload_letter(client, rid, lead)
    write_osja(client, rid, lead)
    assert client.post(f"/api/v1/requests/{rid}/submit", headers=lead).status_code == 200
    met_chief = token_for(people["other_chief"])
    shown = client.get(f"/api/v1/requests/{rid}", headers=met_chief)
    assert shown.status_code == 200 and shown.json["contributing_forces"][0]["state"] == "awaiting_chief_officer"
    decided = client.post(
        f"/api/v1/requests/{rid}/decisions",
        json={"outcome": "positive", "ethics_confirmed": True, "human_rights": {"residual": "low"}},
        headers=met_chief,
    )
    assert decided.status_code == 201, decided.json
    assert client.get(f"/api/v1/requests/{rid}", headers=met_chief).json["contributing_forces"][0]["state"] == (
        "awaiting_pcc"
    )


def test_the_contributing_chief_officer_decides_through_the_page(client, people, two_force):
    sign_in(client, people["other_chief"])
    page = client.get(f"/requests/{two_force.id}/decide").get_data(as_text=True)
    assert "You are deciding Metropolitan Police Service" in page
    response = client.post(
        f"/requests/{two_force.id}/decide",
        data={"outcome": "positive", "hr_residual": "low", "ethics_confirmed": "y", "version": str(two_force.version)},
    )
    assert response.status_code == 302
    assert part(two_force).state == "awaiting_pcc"
    page = client.get(f"/requests/{two_force.id}").get_data(as_text=True)
    assert "Chief officer recommendation (Metropolitan Police Service's part)" in page


def test_the_lead_adds_and_removes_a_contributing_force_through_the_page(client, people):
    request = make_request(people["lead"])
    sign_in(client, people["lead"])
    page = client.get(f"/requests/{request.id}/contributing-forces").get_data(as_text=True)
    assert "Metropolitan Police Service" in page and ">North Yorkshire Police<" not in page
    added = client.post(
        f"/requests/{request.id}/contributing-forces",
        data={"force": "metropolitan", "officers": "2", "staff": "0", "version": str(request.version)},
    )
    assert added.status_code == 302
    assert [(p.force.slug, p.officers) for p in db.session.get(AssistanceRequest, request.id).contributing_forces] == [
        ("metropolitan", 2)
    ]
    tasks = client.get(f"/requests/{request.id}/tasks").get_data(as_text=True)
    assert "1 added" in tasks
    removed = client.post(f"/requests/{request.id}/contributing-forces", data={"remove": "metropolitan"})
    assert removed.status_code == 302
    assert db.session.get(AssistanceRequest, request.id).contributing_forces == []


def test_the_statistics_count_each_forces_own_people_once(people):
    from datetime import date, timedelta

    from approvals import transparency
    from tests.conftest import advance

    past = {"start_date": date.today() - timedelta(days=30), "end_date": date.today() - timedelta(days=20)}
    three = [{"force": "metropolitan", "officers": 3, "staff": 0}]
    request = make_request(people["lead"], contributing_forces=three, officers=2, staff=1, **past)
    workflow.submit(request.id, people["lead"])
    for who in ("chief", "other_chief", "other_pcc", "pcc"):
        workflow.decide(request.id, people[who], positive())
    request = advance(db.session.get(AssistanceRequest, request.id), people)
    assert request.state == "approved"
    period = (date.today() - timedelta(days=365), date.today())
    every = transparency.foi_statistics(*period).as_json()["totals"]
    assert (every["deployments"], every["officers"], every["staff"]) == (1, 2 + 3, 1 + 0)
    lead = transparency.foi_statistics(*period, "north-yorkshire").as_json()["totals"]
    assert (lead["deployments"], lead["officers"], lead["staff"]) == (1, 2, 1)
    met = transparency.foi_statistics(*period, "metropolitan").as_json()["totals"]
    assert (met["deployments"], met["officers"], met["staff"]) == (1, 3, 0)


def test_each_forces_deciders_are_told_when_its_part_waits_for_them(people, two_force):
    from models import OutboxMessage

    def told(user):
        return [
            m.context["gate"]
            for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email))
            if m.template == "action_needed"
        ]

    assert told(people["other_chief"]) == ["Chief officer recommendation of Metropolitan Police Service's part"]
    assert told(people["other_pcc"]) == []
    workflow.decide(two_force.id, people["other_chief"], positive())
    assert told(people["other_pcc"]) == ["PCC approval of Metropolitan Police Service's part"]


def test_a_variation_carries_the_contributing_forces_and_they_decide_again(people, two_force):
    for who in ("chief", "other_chief", "other_pcc", "pcc", "home_office", "ipab"):
        workflow.decide(two_force.id, people[who], positive())
    variation = workflow.start_variation(two_force.id, people["lead"])
    assert [(p.force.slug, p.officers, p.state) for p in variation.contributing_forces] == [("metropolitan", 2, None)]
    workflow.submit(variation.id, people["lead"])
    assert [p.state for p in db.session.get(AssistanceRequest, variation.id).contributing_forces] == [
        "awaiting_chief_officer"
    ]
