"""Every move of the section 26 state machine, through approvals.workflow on a real database."""

import pytest
from sqlalchemy import func, select

from approvals import workflow
from approvals.human_rights import Assessment
from extensions import db
from models import AuditEvent, GateDecision, OutboxMessage
from tests.conftest import advance, make_request, positive


def test_a_complete_request_goes_through_all_four_gates_to_approved(people):
    request = make_request(people["lead"])
    workflow.submit(request.id, people["lead"])
    assert request.state == "awaiting_chief_officer" and request.gate_due_on is not None
    for who, expected in [
        ("chief", "awaiting_pcc"),
        ("pcc", "awaiting_home_secretary"),
        ("home_office", "awaiting_ipab"),
        ("ipab", "approved"),
    ]:
        workflow.decide(request.id, people[who], positive())
        db.session.refresh(request)
        assert request.state == expected
    assert [d.gate for d in request.decisions] == [
        "awaiting_chief_officer",
        "awaiting_pcc",
        "awaiting_home_secretary",
        "awaiting_ipab",
    ]
    assert request.gate_due_on is None


def test_uk_police_work_is_recorded_as_not_required_instead_of_entering_the_gates(people):
    request = make_request(
        people["lead"], uk_investigation=True, uk_investigation_justification="Interviewing a witness to a UK murder"
    )
    workflow.submit(request.id, people["lead"])
    assert request.state == "not_required"
    assert request.decisions == []


def test_an_incomplete_draft_cannot_be_submitted_and_names_the_missing_section(people):
    from approvals import drafts

    request = drafts.create_draft(people["lead"], "Half done")
    db.session.commit()
    with pytest.raises(workflow.Refused) as refused:
        workflow.submit(request.id, people["lead"])
    assert "Complete the section: Requesting body" in refused.value.message
    db.session.refresh(request)
    assert request.state == "draft"


@pytest.mark.parametrize("gate_index", [0, 1, 2, 3])
def test_any_gate_may_decline_with_reasons(people, gate_index):
    request = advance(
        make_request(people["lead"]),
        people,
        until=["awaiting_chief_officer", "awaiting_pcc", "awaiting_home_secretary", "awaiting_ipab"][gate_index],
    )
    decider = people[["chief", "pcc", "home_office", "ipab"][gate_index]]
    with pytest.raises(workflow.Refused, match="Give reasons"):
        workflow.decide(
            request.id, decider, workflow.DecisionInput("decline", hr=Assessment(residual="low"), ethics_confirmed=True)
        )
    workflow.decide(
        request.id,
        decider,
        workflow.DecisionInput(
            "decline", "Not consistent with force priorities", hr=Assessment(residual="low"), ethics_confirmed=True
        ),
    )
    db.session.refresh(request)
    assert request.state == "declined"


def test_unchanged_resubmission_returns_to_the_gate_that_returned_it(people):
    request = advance(make_request(people["lead"]), people, until="awaiting_home_secretary")
    workflow.decide(
        request.id,
        people["home_office"],
        workflow.DecisionInput(
            "return", "Which unit will host the training?", hr=Assessment(residual="low"), ethics_confirmed=True
        ),
    )
    db.session.refresh(request)
    assert (request.state, request.returned_from) == ("returned", "awaiting_home_secretary")
    workflow.submit(request.id, people["lead"])
    db.session.refresh(request)
    assert request.state == "awaiting_home_secretary"
    assert not any(d.superseded for d in request.decisions)


@pytest.mark.parametrize(
    "change",
    [
        {"destination": "BM"},
        {"officers": 5},
        {"purpose": "mentoring"},
    ],
)
def test_material_change_voids_earlier_approvals_and_restarts_at_the_chief_officer(people, change):
    from approvals import drafts

    request = advance(make_request(people["lead"]), people, until="awaiting_home_secretary")
    workflow.decide(
        request.id,
        people["home_office"],
        workflow.DecisionInput(
            "return", "Please confirm the destination", hr=Assessment(residual="low"), ethics_confirmed=True
        ),
    )
    db.session.refresh(request)
    drafts.update_fields(request.id, people["lead"], change)
    workflow.submit(request.id, people["lead"])
    db.session.refresh(request)
    assert request.state == "awaiting_chief_officer"
    superseded = [d.gate for d in request.decisions if d.superseded]
    assert superseded == ["awaiting_chief_officer", "awaiting_pcc", "awaiting_home_secretary"]


def test_a_change_in_costs_is_material(people):
    from approvals import drafts

    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    workflow.decide(
        request.id,
        people["pcc"],
        workflow.DecisionInput("return", "Cost of flights?", hr=Assessment(residual="low"), ethics_confirmed=True),
    )
    db.session.refresh(request)
    drafts.add_cost_line(request.id, people["lead"], "travel", 50_000)
    workflow.submit(request.id, people["lead"])
    assert request.state == "awaiting_chief_officer"


def test_withdrawal_needs_a_reason_and_is_refused_after_approval(people):
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    with pytest.raises(workflow.Refused):
        workflow.withdraw(request.id, people["lead"], "")
    workflow.withdraw(request.id, people["lead"], "The host cancelled the course")
    assert request.state == "withdrawn"
    approved = advance(make_request(people["lead"]), people)
    with pytest.raises(workflow.WrongState):
        workflow.withdraw(approved.id, people["lead"], "Too late")


def test_deploy_and_close_out_record_actual_costs(people):
    request = advance(make_request(people["lead"]), people)
    workflow.deploy(request.id, people["lead"])
    assert request.state == "deployed"
    with pytest.raises(workflow.Refused):
        workflow.close(request.id, people["lead"], -1, 0)
    with pytest.raises(workflow.Refused, match="more than the approved full cost"):
        workflow.close(request.id, people["lead"], 1_600_000, 1_500_000)
    workflow.close(request.id, people["lead"], 1_600_000, 1_500_000, reason="Flights rose after approval")
    assert (request.state, request.actual_cost_pence, request.recovered_pence) == ("closed", 1_600_000, 1_500_000)
    assert request.close_out_reason == "Flights rose after approval"


def test_a_variation_goes_through_every_gate_and_the_approved_version_stays_in_force_until_then(people):
    from approvals import drafts

    original = advance(make_request(people["lead"]), people)
    variation = workflow.start_variation(original.id, people["lead"])
    assert variation.reference == f"{original.reference}-V1" and variation.state == "draft"
    with pytest.raises(workflow.WrongState):
        workflow.start_variation(original.id, people["lead"])
    drafts.update_fields(variation.id, people["lead"], {"officers": 4})
    advance(variation, people, until="awaiting_ipab")
    db.session.refresh(original)
    assert original.officers == 2 and original.state == "approved"
    workflow.decide(variation.id, people["ipab"], positive())
    db.session.refresh(original)
    assert original.officers == 4 and variation.state == "approved"
    with pytest.raises(workflow.WrongState):
        workflow.deploy(variation.id, people["lead"])


def test_wrong_role_or_force_is_refused_and_changes_nothing(people):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    for lead in ("lead", "other_lead"):  # a lead decides at no gate: refused before the request is looked at
        with pytest.raises(workflow.Forbidden):
            workflow.decide(request.id, people[lead], positive())
    for later_gate in ("pcc", "home_office"):  # decides at a later gate: not now (409), not "not yours" (403)
        with pytest.raises(workflow.WrongState, match="not at your gate yet"):
            workflow.decide(request.id, people[later_gate], positive())
    with pytest.raises(workflow.NotFound):  # another force's request is unseen: 404
        workflow.decide(request.id, people["other_chief"], positive())
    with pytest.raises(workflow.NotFound):
        workflow.withdraw(request.id, people["other_lead"], "not mine")
    db.session.refresh(request)
    assert request.state == "awaiting_chief_officer" and request.decisions == []


def test_a_decision_on_a_request_not_at_a_gate_is_a_state_error(people):
    request = make_request(people["lead"])
    with pytest.raises(workflow.NotFound):  # a draft is seen by its force's leads only
        workflow.decide(request.id, people["chief"], positive())
    advance(request, people)
    with pytest.raises(workflow.WrongState, match="not waiting for a decision: it is approved"):
        workflow.decide(request.id, people["chief"], positive())


def test_separation_of_duties_stops_one_person_deciding_at_two_gates_in_a_row(app, people):
    from tests.conftest import make_user

    both = make_user("both@ny.example", "chief_officer", "pcc_office", force_slug="north-yorkshire")
    request = make_request(people["lead"])
    workflow.submit(request.id, people["lead"])
    workflow.decide(request.id, both, positive())
    with pytest.raises(workflow.Refused) as refused:
        workflow.decide(request.id, both, positive())
    assert [r.rule for r in refused.value.refusals] == ["separation_of_duties"]
    app.config["S26_ALLOW_SAME_DECIDER"] = True
    try:
        workflow.decide(request.id, both, positive())
    finally:
        app.config["S26_ALLOW_SAME_DECIDER"] = False
    assert request.state == "awaiting_home_secretary"


def test_a_stale_version_is_a_conflict_and_nothing_is_written(people):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    stale = request.version - 1
    with pytest.raises(workflow.Conflict):
        workflow.decide(request.id, people["chief"], positive(), expected_version=stale)
    assert db.session.scalar(select(func.count()).select_from(GateDecision)) == 0


def test_a_refused_decision_writes_no_decision_audit_or_email(people):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    before = (
        db.session.scalar(select(func.count()).select_from(AuditEvent)),
        db.session.scalar(select(func.count()).select_from(OutboxMessage)),
    )
    with pytest.raises(workflow.Refused):
        workflow.decide(
            request.id,
            people["chief"],
            workflow.DecisionInput("positive", hr=Assessment(residual="serious"), ethics_confirmed=True),
        )
    after = (
        db.session.scalar(select(func.count()).select_from(AuditEvent)),
        db.session.scalar(select(func.count()).select_from(OutboxMessage)),
    )
    assert before == after
    assert db.session.scalar(select(func.count()).select_from(GateDecision)) == 0


def test_every_transition_writes_its_audit_event_and_emails_in_the_same_commit(people):
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    events = db.session.scalars(
        select(AuditEvent.event).where(AuditEvent.request_id == request.id).order_by(AuditEvent.seq)
    ).all()
    assert events == ["created", "document_uploaded", "submit", "recommend"]
    recipients = set(db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.request_id == request.id)))
    assert {"chief@ny.example", "pcc@ny.example", "lead@ny.example"} <= recipients
    assert "pcc@met.example" not in recipients
