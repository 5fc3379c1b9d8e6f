"""The OSJA assessment (issue 24): one per request, every change a new version, a stale version refused (409),
a decider's agreement or own rating, reviews of long-running work (continue, stop, overdue)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from approvals import osja, workflow
from approvals.commands import Conflict, Forbidden, NotFound, Refused, WrongState
from approvals.human_rights import Assessment
from extensions import db
from models import AuditEvent, CountryNote, GateDecision, OsjaVersion
from tests.conftest import advance, make_request
from tests.integration.test_api import token_for

TODAY = date.today()


def answers(**overrides):
    content = {
        "owner": "force",
        "country_stability": "Stable; no conflict expected within 5 years",
        "country_record": "Generally good; concerns about pre-trial detention",
        "country_sources": "FCDO human rights report 2025 (read 1 November 2026)",
        "recipient_unit": "Criminal Investigation Department",
        "transferred": "Investigative interviewing skills (PEACE model)",
        "misuse": "Coercive interviewing if taught badly",
        "risks": ["arbitrary_detention"],
        "likelihood": "possible",
        "mitigations": "Course covers lawful detention; observers present",
        "residual": "medium",
        "contributes": "no",
        "contributes_reasoning": "Training only; no equipment; the unit has independent oversight",
        "consultees": [
            {
                "organisation": "British Embassy",
                "role": "Police liaison officer",
                "consulted_on": (TODAY - timedelta(days=3)).isoformat(),
                "advice": "No objection",
            }
        ],
    }
    content.update(overrides)
    return content


def test_every_change_is_a_new_version_and_the_risk_answers_are_the_requests(people):
    request = make_request(people["lead"])
    first = osja.current(request)
    assert first.number == 1  # the request's human-rights answers, as it was started
    saved = osja.save(request.id, people["lead"], answers(), expected_number=1)
    assert saved.number == 2
    assert "Residual risk" in saved.changed and "Consultees" in saved.changed
    db.session.refresh(request)
    assert (request.hr_residual, request.hr_risks, request.hr_likelihood) == (
        "medium",
        ["arbitrary_detention"],
        "possible",
    )
    # Saving the same answers again writes nothing.
    assert osja.save(request.id, people["lead"], answers(), expected_number=2).number == 2
    events = db.session.scalars(select(AuditEvent.event).where(AuditEvent.request_id == request.id)).all()
    assert events.count("osja_updated") == 1


def test_a_stale_version_is_refused_and_nothing_is_written(people):
    request = make_request(people["lead"])
    osja.save(request.id, people["lead"], answers(), expected_number=1)
    with pytest.raises(Conflict):
        osja.save(request.id, people["lead"], answers(residual="high"), expected_number=1)
    assert osja.current_number(request) == 2
    assert osja.content_of(request)["residual"] == "medium"


def test_a_section_edit_of_the_rating_is_a_new_version_of_the_assessment(people):
    from approvals import drafts

    request = make_request(people["lead"])
    drafts.update_fields(request.id, people["lead"], {"hr_residual": "high"}, "human_rights")
    assert osja.current_number(request) == 2
    assert osja.content_of(request)["residual"] == "high"


def test_the_country_part_is_prefilled_from_the_admins_country_notes(people):
    db.session.add(CountryNote(country_code="KY", note="Stable territory; independent courts", source="FCDO 2026"))
    db.session.commit()
    request = make_request(people["lead"], osja=None)  # its country part not yet written
    content = osja.content_of(request)
    assert content["country_record"] == "Stable territory; independent courts"
    assert content["country_sources"].startswith("FCDO 2026")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"owner": "other", "owner_body": ""}, "owner_body"),
        ({"contributes": "yes", "residual": "medium"}, "residual"),
        ({"contributes_reasoning": ""}, "contributes_reasoning"),
        ({"risks": ["made_up"]}, "risks"),
        ({"consultees": [{"organisation": "FCDO", "role": "Desk", "consulted_on": "2999-01-01", "advice": "x"}]}, None),
    ],
)
def test_bad_answers_are_refused_naming_the_field(people, overrides, field):
    request = make_request(people["lead"])
    with pytest.raises(Refused) as refused:
        osja.save(request.id, people["lead"], answers(**overrides))
    rules = {r.rule for r in refused.value.refusals}
    assert (field in rules) if field else any(rule.startswith("consultees.0.consulted_on") for rule in rules)


def test_only_the_forces_lead_keeps_the_assessment_and_not_while_a_gate_decides(people):
    request = make_request(people["lead"])
    with pytest.raises(Forbidden):
        osja.save(request.id, people["chief"], answers())
    advance(request, people, until="awaiting_chief_officer")
    with pytest.raises(WrongState):
        osja.save(request.id, people["lead"], answers())


def decide(request, user, **kwargs):
    return workflow.decide(
        request.id, user, workflow.DecisionInput(outcome="positive", ethics_confirmed=True, **kwargs)
    )


def test_a_decider_agrees_with_the_rating_without_retyping_it(people):
    request = make_request(people["lead"])
    osja.save(request.id, people["lead"], answers(), expected_number=1)
    advance(request, people, until="awaiting_chief_officer")
    decision = decide(request, people["chief"], hr_agreement="agree")
    assert decision.hr_agreed is True and decision.hr_residual == "medium"
    assert decision.hr_risks == ["arbitrary_detention"] and decision.osja_version == 2


def test_an_own_rating_needs_reasons_and_lowering_still_needs_a_reason(people):
    request = make_request(people["lead"])
    osja.save(request.id, people["lead"], answers(), expected_number=1)
    advance(request, people, until="awaiting_chief_officer")
    with pytest.raises(Refused) as refused:
        decide(request, people["chief"], hr_agreement="own", hr=Assessment(residual="high"))
    assert "hr_rating_reasons" in {r.rule for r in refused.value.refusals}
    with pytest.raises(Refused) as refused:
        decide(request, people["chief"], hr_agreement="own", hr=Assessment(residual="low"))
    assert {"hr_rating_reasons", "hr_lowered_without_reason"} <= {r.rule for r in refused.value.refusals}
    decision = decide(
        request, people["chief"], hr_agreement="own", hr=Assessment(residual="low"), hr_lowering_reason="Monitoring"
    )
    assert decision.hr_agreed is False and decision.hr_residual == "low" and decision.hr_rating_reasons == "Monitoring"


def test_a_serious_residual_still_refuses_a_positive_decision_after_agreement(people):
    request = make_request(people["lead"])
    osja.save(request.id, people["lead"], answers(contributes="yes", residual="serious"), expected_number=1)
    advance(request, people, until="awaiting_chief_officer")
    with pytest.raises(Refused) as refused:
        decide(request, people["chief"], hr_agreement="agree")
    assert "hr_serious" in {r.rule for r in refused.value.refusals}


def test_an_agreed_serious_residual_goes_the_ministerial_route(people, client):
    """The issue's rule: a serious residual goes to ministers. A decider who agrees with a serious rating refers the
    request (with why) instead of approving it plainly, and the Home Office consents only with the ministers'
    decision."""
    request = make_request(people["lead"])
    osja.save(request.id, people["lead"], answers(contributes="yes", residual="serious"), expected_number=1)
    advance(request, people, until="awaiting_chief_officer")
    with pytest.raises(Refused) as refused:
        decide(request, people["chief"], hr_agreement="agree", refer_to_ministers=True)
    assert {r.rule for r in refused.value.refusals} == {"referral_reason"}
    decision = decide(
        request, people["chief"], hr_agreement="agree", refer_to_ministers=True, referral_reason="Serious OSJA risk"
    )
    assert (decision.hr_agreed, decision.hr_residual, decision.refer_to_ministers) == (True, "serious", True)
    decide(request, people["pcc"], hr_agreement="agree")  # already going to ministers
    with pytest.raises(Refused) as refused:
        decide(request, people["home_office"], hr_agreement="agree")
    assert "ministerial_decision_required" in {r.rule for r in refused.value.refusals}
    out = client.get(f"/api/v1/requests/{request.id}", headers=token_for(people["lead"])).get_json()
    assert out["referred_to_ministers"] is True and out["state"] == "awaiting_home_secretary"


def test_a_decider_sees_what_changed_since_they_last_looked(people, client):
    from tests.conftest import sign_in

    request = make_request(people["lead"])
    advance(request, people, until="awaiting_chief_officer")
    sign_in(client, people["chief"])
    assert client.get(f"/requests/{request.id}/decide").status_code == 200
    assert osja.last_seen_number(request, people["chief"]) == 1
    workflow.decide(
        request.id,
        people["chief"],
        workflow.DecisionInput(
            outcome="return", reasons="Complete the OSJA", ethics_confirmed=True, hr_agreement="agree"
        ),
    )
    osja.save(request.id, people["lead"], answers())
    workflow.submit(request.id, people["lead"])
    page = client.get(f"/requests/{request.id}/decide").get_data(as_text=True)
    assert "What has changed in the OSJA assessment since you last looked" in page
    assert "Training only; no equipment" in page
    again = client.get(f"/requests/{request.id}/decide").get_data(as_text=True)
    assert "What has changed in the OSJA assessment" not in again and "Unchanged since you last looked" in again


# --- Reviews ------------------------------------------------------------------------------------------------------


def long_running(people, start=TODAY - timedelta(days=400), **overrides):
    request = make_request(
        people["lead"],
        start_date=start,
        end_date=start + timedelta(days=800),
        retrospective=True,
        retrospective_reason="Long programme carried over",
        **overrides,
    )
    return request


def approved_long_running(people):
    request = long_running(people)
    # Deciding on a request that started in the past needs no special rule: the gates decide as usual.
    advance(request, people, until="approved")
    return request


def test_long_running_work_has_a_review_date_and_an_overdue_review_shows_in_the_pcc_inbox(people, client, app):
    from tests.conftest import sign_in

    request = approved_long_running(people)
    due = osja.next_review_due(request)
    assert due == osja._add_months(request.start_date, app.config["S26_OSJA_REVIEW_MONTHS"])
    assert osja.is_review_overdue(request)
    assert [r.id for _, r in osja.overdue_reviews(people["pcc"])] == [request.id]
    assert osja.overdue_reviews(people["other_pcc"]) == []
    sign_in(client, people["pcc"])
    page = client.get("/").get_data(as_text=True)
    assert "OSJA reviews overdue" in page and request.reference in page


def test_the_overdue_list_agrees_with_each_requests_own_review_date_in_two_statements(people, app):
    """The PCC office's inbox asks for overdue reviews on every visit: the list must be exactly the requests whose
    own next review date has passed, read in two statements however much work the force has (issue 20)."""
    from sqlalchemy import event

    overdue = approved_long_running(people)
    reviewed = approved_long_running(people)
    osja.record_review(reviewed.id, people["pcc"], "continue", "Mitigations are working")
    stopped = approved_long_running(people)
    osja.record_review(stopped.id, people["pcc"], "stop", "Unit implicated in abuses")
    recent_start = TODAY - timedelta(days=200)  # long-running, but its first review is not due yet
    recent = make_request(people["lead"], start_date=recent_start, end_date=recent_start + timedelta(days=800))
    advance(recent, people, until="approved")
    short = make_request(people["lead"])
    advance(short, people, until="approved")
    still_draft = long_running(people)
    candidates = [overdue, reviewed, stopped, recent, short, still_draft]
    for request in candidates:
        db.session.refresh(request)
    expected = [r.id for r in candidates if osja.is_review_overdue(r)]
    assert expected == [overdue.id]  # the fixture is what it claims to be
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        found = osja.overdue_reviews(people["pcc"])
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert [(due, r.id) for due, r in found] == [(osja.next_review_due(overdue), overdue.id)]
    assert len(statements) == 2


def test_short_work_has_no_review(people):
    request = make_request(people["lead"])
    advance(request, people, until="approved")
    assert osja.next_review_due(request) is None


def test_continue_moves_the_review_on_a_cycle(people):
    request = approved_long_running(people)
    first = osja.next_review_due(request)
    osja.record_review(request.id, people["pcc"], "continue", "Mitigations are working")
    assert osja.next_review_due(request) == osja._add_months(first, 12)
    assert not osja.is_review_overdue(request)


def test_a_stop_ends_the_work_early(people):
    request = approved_long_running(people)
    workflow.deploy(request.id, people["lead"])
    osja.record_review(request.id, people["pcc"], "stop", "Unit implicated in abuses")
    db.session.refresh(request)
    assert request.end_date == TODAY
    assert osja.next_review_due(request) is None
    events = db.session.scalars(select(AuditEvent.event).where(AuditEvent.request_id == request.id)).all()
    assert "osja_review_stop" in events


def test_only_the_forces_pcc_office_reviews(people):
    request = approved_long_running(people)
    for who in ("chief", "lead"):
        with pytest.raises(Forbidden):
            osja.record_review(request.id, people[who], "continue", "Fine")
    with pytest.raises(NotFound):  # another force's PCC office does not see the request
        osja.record_review(request.id, people["other_pcc"], "continue", "Fine")
    with pytest.raises(Refused):
        osja.record_review(request.id, people["pcc"], "continue", "")


# --- API ----------------------------------------------------------------------------------------------------------


def test_the_api_put_of_what_a_get_returned_is_accepted_and_a_stale_one_is_409(people, client):
    lead = token_for(people["lead"])
    request = make_request(people["lead"])
    got = client.get(f"/api/v1/requests/{request.id}/osja", headers=lead).json
    assert got["version"] == 1
    body = {**got, **answers()}
    put = client.put(f"/api/v1/requests/{request.id}/osja", json=body, headers=lead)
    assert put.status_code == 200, put.json
    assert put.json["version"] == 2 and put.json["recipient_unit"] == "Criminal Investigation Department"
    stale = client.put(f"/api/v1/requests/{request.id}/osja", json={**body, "residual": "high"}, headers=lead)
    assert stale.status_code == 409 and stale.mimetype == "application/problem+json"
    versions = client.get(f"/api/v1/requests/{request.id}/osja/versions", headers=lead).json["items"]
    assert [v["version"] for v in versions] == [2, 1]
    assert db.session.scalar(select(db.func.count()).select_from(OsjaVersion)) == 2


def test_the_api_names_bad_fields_and_refuses_other_roles(people, client):
    request = make_request(people["lead"])
    lead = token_for(people["lead"])
    bad = client.put(f"/api/v1/requests/{request.id}/osja", json={"version": 1, "residual": "awful"}, headers=lead)
    assert bad.status_code == 422 and "residual" in bad.json["errors"]
    missing = client.put(f"/api/v1/requests/{request.id}/osja", json={"residual": "low"}, headers=lead)
    assert missing.status_code == 422 and "version" in missing.json["errors"]
    other = token_for(people["other_lead"])
    assert client.get(f"/api/v1/requests/{request.id}/osja", headers=other).status_code == 404
    assert client.get(f"/api/v1/requests/{request.id}/osja", headers=token_for(people["foi"])).status_code == 403


def test_the_api_decision_agrees_with_the_rating(people, client):
    request = make_request(people["lead"])
    advance(request, people, until="awaiting_chief_officer")
    response = client.post(
        f"/api/v1/requests/{request.id}/decisions",
        json={"outcome": "positive", "hr_agreement": "agree", "ethics_confirmed": True},
        headers=token_for(people["chief"]),
    )
    assert response.status_code == 201, response.json
    decision = db.session.scalars(select(GateDecision)).one()
    assert decision.hr_agreed and decision.hr_residual == "low"


def test_an_overdue_review_is_escalated_once_a_day_to_the_pcc_office(people, runner):
    from approvals import notifications
    from models import OutboxMessage

    request = approved_long_running(people)
    result = runner.invoke(args=["outbox", "remind"])
    assert "queued 1 reminders for 1 overdue OSJA reviews" in result.output, result.output
    runner.invoke(args=["outbox", "remind"])  # the same day again: nothing more
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "review_reminder")).all()
    assert [row.recipient for row in rows] == [people["pcc"].email]
    notifications.render(rows[0])
    assert request.reference in rows[0].subject and "/osja/review" in rows[0].body_text
    osja.record_review(request.id, people["pcc"], "continue", "Working well")
    assert "queued 0 reminders for 0 overdue OSJA reviews" in runner.invoke(args=["outbox", "remind"]).output


def test_an_overdue_review_left_as_long_as_an_overdue_gate_is_escalated_once(people, runner, client, app):
    """Escalated like overdue gates (issue 24): S26_ESCALATE_AFTER_DAYS working days past its due date, once per
    review due, to the PCC office and its delegates and to the Home Office; the audit trail records it, the PCC
    office's inbox and the API show it; a review recorded since stops it; one not yet that late waits."""
    from approvals import escalation
    from models import OutboxMessage

    request = approved_long_running(people)
    due = osja.next_review_due(request)
    assert escalation.review_escalation_day(due) <= TODAY  # due over a month ago
    # Work whose review fell due yesterday: overdue (a reminder), not yet escalated.
    recent = advance(long_running(people, start=osja._add_months(TODAY, -12) - timedelta(days=1)), people)
    assert osja.is_review_overdue(recent) and escalation.review_escalation_day(osja.next_review_due(recent)) > TODAY
    output = runner.invoke(args=["outbox", "remind"]).output
    assert "queued 2 reminders for 2 overdue OSJA reviews" in output and "escalated 1 overdue OSJA reviews" in output
    assert "escalated 0 overdue OSJA reviews" in runner.invoke(args=["outbox", "remind"]).output  # once
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "review_escalation").order_by(OutboxMessage.recipient)
    ).all()
    assert [(m.recipient, m.request_id) for m in mail] == [
        (people["home_office"].email, request.id),
        (people["pcc"].email, request.id),
    ]
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.request_id == request.id)).all()
    escalated = [e for e in events if e.event == "osja_review_escalated"]
    assert len(escalated) == 1 and escalated[0].reasons.startswith(f"review due {due.isoformat()}")
    assert not [
        e
        for e in db.session.scalars(select(AuditEvent.event).where(AuditEvent.request_id == recent.id))
        if e == "osja_review_escalated"
    ]
    from tests.conftest import sign_in

    sign_in(client, people["pcc"])
    inbox = client.get("/").get_data(as_text=True)
    reviews = inbox[inbox.index("OSJA reviews overdue") :]
    assert reviews.count("Escalated") == 1
    assert reviews.index("Escalated") > reviews.index(request.reference)
    pcc = token_for(people["pcc"])
    assert client.get(f"/api/v1/requests/{request.id}/osja", headers=pcc).json["review_escalated"] is True
    assert client.get(f"/api/v1/requests/{recent.id}/osja", headers=pcc).json["review_escalated"] is False
    # Recorded: the next review is a cycle on, not overdue, and nothing more is escalated.
    osja.record_review(request.id, people["pcc"], "continue", "Mitigations are working")
    assert "escalated 0 overdue OSJA reviews" in runner.invoke(args=["outbox", "remind"]).output
    assert client.get(f"/api/v1/requests/{request.id}/osja", headers=pcc).json["review_escalated"] is False


def test_a_stop_tells_the_lead_and_the_chief_officers_when_the_work_now_ends_but_not_why(people):
    """A stop changes the work's end date: the submitter and the force's chief officers are emailed the request and
    its new end date, by whom, with a link; the reasons (the assessment's words) stay behind sign-in."""
    from models import OutboxMessage

    request = approved_long_running(people)
    workflow.deploy(request.id, people["lead"])
    since = db.session.scalar(select(db.func.max(OutboxMessage.id))) or 0
    osja.record_review(request.id, people["pcc"], "stop", "Unit implicated in abuses")
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id > since).order_by(OutboxMessage.id)
    ).all()
    assert sorted(row.recipient for row in rows) == ["chief@ny.example", "lead@ny.example"]
    for row in rows:
        assert row.template == "review_stopped"
        from approvals import notifications

        notifications.render(row)
        assert row.subject.startswith(f"Work to stop: the OSJA review of {request.reference}")
        assert people["pcc"].name in row.body_text and "decided it should stop" in row.body_text
        assert f"{TODAY:%-d %B %Y}" in row.body_text and f"/requests/{request.id}" in row.body_text
        assert "Unit implicated in abuses" not in row.body_text + row.body_html
    osja_continue = approved_long_running(people)
    since = db.session.scalar(select(db.func.max(OutboxMessage.id)))
    osja.record_review(osja_continue.id, people["pcc"], "continue", "Mitigations are working")
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.id > since)).all() == []
