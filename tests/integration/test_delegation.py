"""Issue 17: who decides. Delegated authority and deputies, on whose behalf, reserved cases (issue 23 s2),
the ministerial route and escalation; through the commands, the API and the pages, on both databases."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from sqlalchemy import func, select, update

from approvals import delegation, notifications, policy, queries, workflow
from approvals.commands import Refused
from approvals.human_rights import Assessment
from extensions import db
from models import AccountEvent, AssistanceRequest, AuditEvent, CostLine, Delegation, FundingSource, OutboxMessage
from tests import sample_files as files
from tests.conftest import advance, make_request, make_user, positive, sign_in
from tests.integration.test_api import token_for

TODAY = date.today()
DAY = timedelta(days=1)


def small(**extra):
    """A request's answers under the reserved-cost threshold (£4,000), fully funded: a PCC delegate may decide it."""
    return {
        "cost_lines": [CostLine(category="travel", amount_pence=300_000)],
        "funding": [FundingSource(source="fcdo", amount_pence=300_000, committed=True)],
        **extra,
    }


@pytest.fixture
def deputy():
    """A member of the PCC's staff (the chief executive) who holds no gate role of their own."""
    return make_user("chief.exec@ny.example", "force_lead", force_slug="north-yorkshire", name="Casey Exec")


def delegate(actor, to, gate="pcc", force="north-yorkshire", starts=TODAY, ends=TODAY + 7 * DAY, reason="Leave"):
    return delegation.create(actor, to.email, force, gate, starts, ends, reason)


def body(**extra):
    data = {"outcome": "positive", "human_rights": {"risks": [], "residual": "low"}, "ethics_confirmed": True}
    data.update(extra)
    return data


# --- Delegating ----------------------------------------------------------------------------------


def test_a_delegate_decides_on_behalf_of_the_pcc_and_everything_says_so(client, people, deputy):
    people["pcc"].name = "Pat Commissioner"
    db.session.commit()
    request = advance(make_request(people["lead"], **small()), people, until="awaiting_pcc")
    delegate(people["pcc"], deputy)
    assert policy.can(deputy, policy.DECIDE, request)
    response = client.post(f"/api/v1/requests/{request.id}/decisions", json=body(), headers=token_for(deputy))
    assert response.status_code == 201, response.get_json()
    decision = response.get_json()["decisions"][-1]
    assert decision["decided_by"] == deputy.email and decision["on_behalf_of"] == people["pcc"].email
    row = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "delegation_used")).one()
    assert row.reasons == "Casey Exec, on behalf of PCC Pat Commissioner" and row.actor_id == deputy.id
    assert db.session.scalar(
        select(func.count()).select_from(AccountEvent).where(AccountEvent.event == "delegation_used")
    )
    update_mail = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.template == "update", OutboxMessage.request_id == request.id)
        .order_by(OutboxMessage.id.desc())
    ).first()
    notifications.render(update_mail)
    assert "(Casey Exec, on behalf of PCC Pat Commissioner)" in update_mail.body_text
    db.session.rollback()  # the rendered text is not kept: the sender does that
    # The request page says it too.
    sign_in(client, people["lead"])
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "Casey Exec, on behalf of PCC Pat Commissioner" in page


def test_the_gates_emails_go_to_an_active_delegate(people, deputy):
    delegate(people["pcc"], deputy)
    request = advance(make_request(people["lead"], **small()), people, until="awaiting_pcc")
    recipients = db.session.scalars(
        select(OutboxMessage.recipient).where(
            OutboxMessage.request_id == request.id, OutboxMessage.template == "action_needed"
        )
    ).all()
    assert {"pcc@ny.example", deputy.email} <= set(recipients)


def test_a_delegate_is_refused_the_day_after_the_period_ends_and_after_revocation(client, people, deputy):
    request = advance(make_request(people["lead"], **small()), people, until="awaiting_pcc")
    row = delegate(people["pcc"], deputy)
    headers = token_for(deputy)
    # The period ended yesterday (as if a day had passed): the delegate is no longer a decider; their role as
    # a lead does not let them see a submitted request at another gate's decision.
    db.session.execute(update(Delegation).where(Delegation.id == row.id).values(ends_on=TODAY - DAY))
    db.session.commit()
    response = client.post(f"/api/v1/requests/{request.id}/decisions", json=body(), headers=headers)
    assert response.status_code == 403
    # Back in date, then revoked early.
    db.session.execute(update(Delegation).where(Delegation.id == row.id).values(ends_on=TODAY + DAY))
    db.session.commit()
    delegation.forget()
    assert policy.can(deputy, policy.DECIDE, request)
    assert client.delete(f"/api/v1/delegations/{row.id}", headers=token_for(people["pcc"])).status_code == 204
    response = client.post(f"/api/v1/requests/{request.id}/decisions", json=body(), headers=headers)
    assert response.status_code == 403
    assert db.session.get(AssistanceRequest, request.id).state == "awaiting_pcc"
    # History is kept: the revoked delegation is still listed, stamped.
    listed = client.get("/api/v1/delegations", headers=token_for(people["pcc"])).get_json()["items"]
    assert [d["id"] for d in listed] == [row.id] and listed[0]["revoked_at"] is not None
    assert client.delete(f"/api/v1/delegations/{row.id}", headers=token_for(people["pcc"])).status_code == 409


def test_a_delegation_does_not_reach_outside_its_force_or_gate(people, deputy):
    met = advance(make_request(people["other_lead"], **small()), people, until="awaiting_pcc")
    at_chief = advance(make_request(people["lead"], **small()), people, until="awaiting_chief_officer")
    delegate(people["pcc"], deputy)
    assert not policy.can_see(deputy, met) and policy.refusal(deputy, policy.DECIDE, met).status == 404
    # The NY PCC gate only: not the chief officer's, even of the same force (the request is not at their gate).
    assert policy.refusal(deputy, policy.DECIDE, at_chief).status == 409
    assert policy.decider_gates(deputy, at_chief) == [policy.GATE_BY_STATE["awaiting_pcc"]]


def test_a_delegate_who_holds_no_role_works_on_the_case_file_at_their_gate_on_the_web_and_the_api(client, people):
    """The delegation, not a role, lets them act: the case file asks the policy, as the decision does (issue 15).
    At their gate they ask the submitter, add a note and add a document; at a gate they do not hold they are
    refused as anyone who may see the request but not act on it there."""
    staff = make_user("staff.officer@ny.example", force_slug="north-yorkshire", name="Sam Staff")
    request = advance(make_request(people["lead"], **small()), people, until="awaiting_pcc")
    at_chief = advance(make_request(people["lead"], **small()), people, until="awaiting_chief_officer")
    delegate(people["pcc"], staff)
    headers = token_for(staff)

    def upload(request_id, name):
        data = {"kind": "correspondence", "description": "Call notes", "file": (BytesIO(files.pdf()), name)}
        return client.post(f"/api/v1/requests/{request_id}/documents", data=data, headers=headers)

    asked = client.post(f"/api/v1/requests/{request.id}/queries", json={"question": "Who signed?"}, headers=headers)
    assert asked.status_code == 201, asked.get_json()
    noted = client.post(f"/api/v1/requests/{request.id}/notes", json={"text": "Spoke to the FCDO"}, headers=headers)
    assert noted.status_code == 201, noted.get_json()
    assert upload(request.id, "notes.pdf").status_code == 201
    assert upload(at_chief.id, "early.pdf").status_code == 403
    sign_in(client, staff)
    page = client.post(
        f"/requests/{request.id}/documents",
        data={
            "document-kind": "correspondence",
            "document-description": "More call notes",
            "document-file": (BytesIO(files.pdf()), "more.pdf"),
        },
    )
    assert page.status_code == 302, page.get_data(as_text=True)
    events = db.session.scalars(
        select(AuditEvent.event).where(AuditEvent.request_id == request.id, AuditEvent.actor_id == staff.id)
    ).all()
    assert events == ["query_asked", "note_added", "document_uploaded", "document_uploaded"]


def test_separation_of_duties_counts_the_real_person(people):
    """The NY chief officer, given the PCC's authority, still cannot decide a second gate of one request."""
    request = advance(make_request(people["lead"], **small()), people, until="awaiting_pcc")
    delegate(people["pcc"], people["chief"])
    with pytest.raises(Refused) as refused:
        workflow.decide(request.id, people["chief"], positive())
    assert "separation_of_duties" in {r.rule for r in refused.value.refusals}


def test_an_away_period_names_a_deputy_as_a_delegation(client, people, deputy):
    sign_in(client, people["pcc"])
    response = client.post(
        "/account/away",
        data={
            "deputy_email": deputy.email,
            "away_from": [str(TODAY.day), str(TODAY.month), str(TODAY.year)],
            "away_to": [str((TODAY + DAY).day), str((TODAY + DAY).month), str((TODAY + DAY).year)],
            "reason": "Annual leave",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    row = db.session.scalars(select(Delegation)).one()
    assert (row.kind, row.gate, row.delegate_id, row.delegator_id) == ("away", "pcc", deputy.id, people["pcc"].id)
    assert "Casey Exec" in client.get("/account").get_data(as_text=True)


# --- The access matrix of delegating ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "force", "gate", "status"),
    [
        ("chief", "north-yorkshire", "chief_officer", 201),
        ("chief", "metropolitan", "chief_officer", 403),  # a North Yorkshire chief cannot lend Met authority
        ("chief", "north-yorkshire", "pcc", 403),  # nor the PCC's
        ("pcc", "north-yorkshire", "pcc", 201),
        ("pcc", "metropolitan", "pcc", 403),
        ("other_chief", "metropolitan", "chief_officer", 201),
        ("admin", "metropolitan", "pcc", 201),
        ("lead", "north-yorkshire", "chief_officer", 403),
        ("home_office", "north-yorkshire", "pcc", 403),
        ("ipab", "north-yorkshire", "chief_officer", 403),
        ("foi", "north-yorkshire", "chief_officer", 403),
    ],
)
def test_who_may_delegate_what(client, people, deputy, who, force, gate, status):
    data = {
        "delegate_email": deputy.email,
        "force": force,
        "gate": gate,
        "from": TODAY.isoformat(),
        "to": (TODAY + DAY).isoformat(),
        "reason": "Leave",
    }
    response = client.post("/api/v1/delegations", json=data, headers=token_for(people[who]))
    assert response.status_code == status, response.get_json()
    count = db.session.scalar(select(func.count()).select_from(Delegation))
    assert count == (1 if status == 201 else 0)
    if status == 201:
        out = response.get_json()
        assert out["delegate"] == deputy.email and out["force"] == force and out["gate"] == gate
        assert out["revoked_at"] is None and out["from"] == TODAY.isoformat()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"delegate_email": "chief@ny.example"}, "delegate_email"),  # to oneself
        ({"to": (TODAY - DAY).isoformat()}, "to"),  # to before from
        ({"delegate_email": "nobody@ny.example"}, "delegate_email"),
        ({"gate": "home_office"}, "gate"),  # the national gates are not lent
        ({"from": "31/12/2026"}, "from"),
        ({"reason": ""}, "reason"),
        ({"force": "atlantis"}, "force"),
    ],
)
def test_bad_delegations_are_422_naming_the_field(client, people, deputy, change, field):
    data = {
        "delegate_email": deputy.email,
        "force": "north-yorkshire",
        "gate": "chief_officer",
        "from": TODAY.isoformat(),
        "to": (TODAY + DAY).isoformat(),
        "reason": "Leave",
    }
    data.update(change)
    response = client.post("/api/v1/delegations", json=data, headers=token_for(people["chief"]))
    assert response.status_code == 422 and field in response.get_json()["errors"], response.get_json()
    assert db.session.scalar(select(func.count()).select_from(Delegation)) == 0


def test_who_sees_and_revokes_a_delegation(client, people, deputy):
    row = delegate(people["chief"], deputy, gate="chief_officer")
    seen = {
        who: [d["id"] for d in client.get("/api/v1/delegations", headers=token_for(people[who])).get_json()["items"]]
        for who in ("chief", "other_chief", "pcc", "admin", "home_office")
    }
    assert seen == {"chief": [row.id], "other_chief": [], "pcc": [], "admin": [row.id], "home_office": []}
    assert client.get("/api/v1/delegations", headers=token_for(deputy)).get_json()["items"][0]["id"] == row.id
    assert client.delete(f"/api/v1/delegations/{row.id}", headers=token_for(people["other_chief"])).status_code == 404
    # The delegate sees it but may not revoke it.
    assert client.delete(f"/api/v1/delegations/{row.id}", headers=token_for(deputy)).status_code == 403
    assert client.delete(f"/api/v1/delegations/{row.id}", headers=token_for(people["admin"])).status_code == 204
    events = db.session.scalars(select(AccountEvent.event).where(AccountEvent.event.like("delegation_%"))).all()
    assert sorted(events) == ["delegation_created", "delegation_received", "delegation_revoked", "delegation_revoked"]


# --- Reserved to the policing body (issue 23 section 2) -------------------------------------------


@pytest.mark.parametrize("why", ["sensitive", "full_cost"])
def test_a_pcc_delegate_is_refused_a_reserved_case_and_the_pcc_office_decides_it(client, people, deputy, why):
    # A sensitive request under the cost threshold, or the demo request, which costs £15,000 in full.
    values = small(sensitive=True) if why == "sensitive" else {}
    request = advance(make_request(people["lead"], **values), people, until="awaiting_pcc")
    delegate(people["pcc"], deputy)
    response = client.post(f"/api/v1/requests/{request.id}/decisions", json=body(), headers=token_for(deputy))
    assert response.status_code == 403
    assert "reserved_to_policing_body" in response.get_json()["errors"]
    assert db.session.get(AssistanceRequest, request.id).state == "awaiting_pcc"
    response = client.post(f"/api/v1/requests/{request.id}/decisions", json=body(), headers=token_for(people["pcc"]))
    assert response.status_code == 201 and response.get_json()["decisions"][-1]["on_behalf_of"] is None


def test_a_chief_officer_delegate_may_decide_a_costly_case(people, deputy):
    """The reservation is the policing body's: the chief officer's recommendation may still be delegated."""
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    delegate(people["chief"], deputy, gate="chief_officer")
    decision = workflow.decide(request.id, deputy, positive())
    assert decision.on_behalf_of_id == people["chief"].id and decision.delegation_id is not None


# --- The ministerial route -------------------------------------------------------------------------


def serious(**extra):
    return workflow.DecisionInput(
        "positive",
        hr=Assessment(["torture"], "possible", "Vetting of the unit", "serious"),
        ethics_confirmed=True,
        **extra,
    )


MINISTERS = {"minister": "Security Minister", "decided_on": (TODAY - DAY).isoformat(), "rationale": "Go ahead"}


def test_a_serious_risk_cannot_be_plainly_approved_but_can_be_referred(client, people):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    with pytest.raises(Refused) as refused:
        workflow.decide(request.id, people["chief"], serious())
    assert {r.rule for r in refused.value.refusals} == {"hr_serious"}
    with pytest.raises(Refused) as refused:
        workflow.decide(request.id, people["chief"], serious(refer_to_ministers=True))
    assert {r.rule for r in refused.value.refusals} == {"referral_reason"}
    # A decline of a serious risk is still fine; here the chief officer refers it.
    decision = workflow.decide(
        request.id, people["chief"], serious(refer_to_ministers=True, referral_reason="Torture risk in the unit")
    )
    assert decision.refer_to_ministers and decision.referral_reason == "Torture risk in the unit"
    # The PCC may go on without referring again: it is already going to ministers.
    workflow.decide(request.id, people["pcc"], serious())
    out = client.get(f"/api/v1/requests/{request.id}", headers=token_for(people["lead"])).get_json()
    assert out["referred_to_ministers"] is True and out["ministerial_decision"] is None
    assert out["referral_reasons"] == ["Referred at the chief officer recommendation: Torture risk in the unit"]
    assert out["decisions"][0]["refer_to_ministers"] is True


def test_the_home_office_cannot_consent_to_a_referred_request_without_a_ministerial_decision(client, people):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    workflow.decide(request.id, people["chief"], serious(refer_to_ministers=True, referral_reason="Torture risk"))
    workflow.decide(request.id, people["pcc"], serious())
    headers = token_for(people["home_office"])
    hr = {"risks": ["torture"], "likelihood": "possible", "mitigations": "Vetting", "residual": "serious"}
    # The deprecated acknowledgement is accepted and ignored.
    response = client.post(
        f"/api/v1/requests/{request.id}/decisions",
        json=body(human_rights=hr, ministerial_attention_acknowledged=True),
        headers=headers,
    )
    assert response.status_code == 422 and "ministerial_decision_required" in response.get_json()["errors"]
    bad = client.post(
        f"/api/v1/requests/{request.id}/decisions",
        json=body(human_rights=hr, ministerial_decision={"minister": "", "decided_on": "soon"}),
        headers=headers,
    )
    assert bad.status_code == 422
    assert {
        "ministerial_decision.minister",
        "ministerial_decision.decided_on",
        "ministerial_decision.rationale",
    } <= set(bad.get_json()["errors"])
    response = client.post(
        f"/api/v1/requests/{request.id}/decisions",
        json=body(human_rights=hr, ministerial_decision=MINISTERS),
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    out = response.get_json()
    assert out["state"] == "awaiting_ipab" and out["ministerial_decision"] == MINISTERS
    assert out["decisions"][-1]["ministerial_attention_acknowledged"] is False
    # IPAB may align a serious risk ministers have decided on.
    response = client.post(
        f"/api/v1/requests/{request.id}/decisions", json=body(human_rights=hr), headers=token_for(people["ipab"])
    )
    assert response.status_code == 201 and response.get_json()["state"] == "approved"


def test_the_home_office_cannot_refer_and_only_it_records_ministers(people):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    with pytest.raises(Refused) as refused:
        workflow.decide(
            request.id,
            people["chief"],
            positive(ministerial_decision=workflow.ministerial.parse_decision(MINISTERS)[0]),
        )
    assert "ministerial_decision" in {r.rule for r in refused.value.refusals}


def test_a_contentious_request_goes_to_ministers(client, people):
    lead = token_for(people["lead"])
    request = make_request(people["lead"])
    response = client.patch(f"/api/v1/requests/{request.id}", json={"contentious": True}, headers=lead)
    assert response.status_code == 422 and "contentious_reason" in response.get_json()["errors"]
    response = client.patch(
        f"/api/v1/requests/{request.id}",
        json={"contentious": True, "contentious_reason": "Election in the country next month"},
        headers=lead,
    )
    assert response.status_code == 200, response.get_json()
    advance(request, people, until="awaiting_home_secretary")
    out = client.get(f"/api/v1/requests/{request.id}", headers=lead).get_json()
    assert out["contentious"] is True and out["referred_to_ministers"] is True
    assert out["referral_reasons"] == ["Contentious: Election in the country next month"]
    with pytest.raises(Refused) as refused:
        workflow.decide(request.id, people["home_office"], positive())
    assert {r.rule for r in refused.value.refusals} == {"ministerial_decision_required"}


def test_a_gate_can_mark_a_request_contentious(people):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    with pytest.raises(Refused):
        workflow.decide(request.id, people["chief"], positive(contentious=True))
    workflow.decide(request.id, people["chief"], positive(contentious=True, contentious_reason="Press interest"))
    db.session.refresh(request)
    assert request.contentious and request.contentious_reason == "Press interest"
    assert "marked_contentious" in db.session.scalars(select(AuditEvent.event)).all()


def test_a_full_cost_above_the_ministerial_threshold_is_referred(app, people):
    request = advance(make_request(people["lead"]), people, until="awaiting_home_secretary")  # £15,000 in full
    assert workflow.decide(request.id, people["home_office"], positive()).outcome == "positive"  # low risk, cheap
    costly = advance(make_request(people["lead"]), people, until="awaiting_home_secretary")
    app.config["S26_MINISTERIAL_COST_THRESHOLD_PENCE"] = 1_000_000
    try:
        with pytest.raises(Refused) as refused:
            workflow.decide(costly.id, people["home_office"], positive())
        assert {r.rule for r in refused.value.refusals} == {"ministerial_decision_required"}
    finally:
        app.config["S26_MINISTERIAL_COST_THRESHOLD_PENCE"] = 25_000_000


# --- Escalation --------------------------------------------------------------------------------------


def overdue(request, working_days):
    """Put the gate's due date `working_days` working days (and a few calendar days) in the past."""
    day = TODAY
    while working_days:
        day -= DAY
        if workflow.is_working_day(day):
            working_days -= 1
    db.session.execute(update(AssistanceRequest).where(AssistanceRequest.id == request.id).values(gate_due_on=day))
    db.session.commit()


def test_escalation_fires_once_across_two_reminder_runs(runner, people, deputy):
    request = advance(make_request(people["lead"], **small()), people, until="awaiting_pcc")
    delegate(people["pcc"], deputy)
    not_yet = advance(make_request(people["lead"], **small()), people, until="awaiting_pcc")
    overdue(request, 5)
    overdue(not_yet, 4)
    assert "escalated 1 requests" in runner.invoke(args=["outbox", "remind"]).output
    assert "escalated 0 requests" in runner.invoke(args=["outbox", "remind"]).output
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "escalation").order_by(OutboxMessage.recipient)
    ).all()
    # The gate's holder, its active delegate, and the Home Office (a force gate).
    assert {m.recipient for m in mail} == {"pcc@ny.example", deputy.email, "ho@gov.example"}
    assert all(m.request_id == request.id for m in mail)
    notifications.render(mail[0])
    assert mail[0].subject.startswith(f"Escalated: {request.reference}")
    assert (
        db.session.scalars(select(AuditEvent.event).where(AuditEvent.request_id == request.id)).all().count("escalated")
        == 1
    )
    db.session.refresh(request)
    assert request.escalated_on == TODAY


def test_escalated_requests_are_tagged_in_the_inbox(client, runner, people):
    request = advance(make_request(people["lead"], **small()), people, until="awaiting_pcc")
    overdue(request, 6)
    runner.invoke(args=["outbox", "remind"])
    sign_in(client, people["pcc"])
    assert "Escalated" in client.get("/").get_data(as_text=True)
    assert client.get(f"/api/v1/requests/{request.id}", headers=token_for(people["pcc"])).get_json()["escalated"]


def test_a_paused_clock_is_not_escalated(runner, people):
    request = advance(make_request(people["lead"], **small()), people, until="awaiting_chief_officer")
    overdue(request, 8)
    queries.ask(request.id, people["chief"], "Is the invitation letter signed?")
    assert "escalated 0 requests" in runner.invoke(args=["outbox", "remind"]).output
    assert (
        db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.template == "escalation"))
        == 0
    )


def test_a_new_gate_visit_can_escalate_again(runner, people):
    request = advance(make_request(people["lead"], **small()), people, until="awaiting_chief_officer")
    overdue(request, 5)
    runner.invoke(args=["outbox", "remind"])
    workflow.decide(request.id, people["chief"], positive())
    db.session.refresh(request)
    assert request.escalated_on is None
    overdue(request, 5)
    assert "escalated 1 requests" in runner.invoke(args=["outbox", "remind"]).output


def test_the_lead_marks_a_request_contentious_on_its_flags_page(client, people):
    request = make_request(people["lead"])
    sign_in(client, people["lead"])
    url = f"/requests/{request.id}/sections/flags"
    flags = {"uk_investigation": "no", "sensitive": "no", "contentious": "yes", "version": str(request.version)}
    page = client.post(url, data=flags).get_data(as_text=True)
    assert "Give the reason the request is contentious" in page
    response = client.post(url, data=dict(flags, contentious_reason="A national election is due"))
    assert response.status_code == 302
    db.session.refresh(request)
    assert request.contentious and request.contentious_reason == "A national election is due"
    assert "Contentious: A national election is due" in client.get(f"/requests/{request.id}").get_data(as_text=True)


def test_a_request_on_the_ministerial_route_is_not_covered_by_a_general_authorisation(people):
    from tests.integration.test_general_authorisations import authorise, named

    authorise(people)
    request = named(people, contentious=True, contentious_reason="The country's elections are next month")
    workflow.decide(request.id, people["chief"], positive())
    workflow.decide(request.id, people["pcc"], positive())
    db.session.refresh(request)
    assert request.state == "awaiting_home_secretary"
