"""Questions to the submitter: asked at a gate without returning the request, they pause the gate's clock and
block a positive decision until answered."""

from datetime import date, datetime
from io import BytesIO

import pytest
from sqlalchemy import select

from approvals import notifications, queries, workflow
from extensions import db
from models import AuditEvent, CaseQuery, Document, OutboxMessage
from tests import sample_files as files
from tests.conftest import Assessment, advance, make_request, positive, sign_in
from tests.integration.test_api import decision, token_for
from tests.integration.test_outbox import smtp  # noqa: F401 - the real aiosmtpd server, as a fixture


@pytest.fixture
def tokens(people):
    return {name: token_for(user) for name, user in people.items()}


@pytest.fixture
def at_chief(people):
    return advance(make_request(people["lead"]), people, until="awaiting_chief_officer")


def test_the_paused_clock_moves_the_due_date_on_across_a_weekend_and_a_bank_holiday(people, at_chief):
    at_chief.gate_entered_at, at_chief.gate_due_on = datetime(2027, 5, 20, 9), date(2027, 6, 4)
    db.session.commit()
    # Asked on Thursday 27 May 2027; answered on Wednesday 2 June. Paused: Thursday, Friday and Tuesday;
    # not the weekend, nor Monday 31 May, the spring bank holiday.
    query = queries.ask(at_chief.id, people["chief"], "Is the letter signed by the Commissioner?", date(2027, 5, 27))
    db.session.refresh(at_chief)
    assert at_chief.gate_due_on == date(2027, 6, 4) and queries.clock_paused(at_chief)
    assert queries.current_due_on(at_chief, date(2027, 6, 2)) == date(2027, 6, 9)
    queries.answer(at_chief.id, people["lead"], query.id, "Yes, signed on 20 May.", today=date(2027, 6, 2))
    db.session.refresh(at_chief)
    db.session.refresh(query)
    assert query.paused_working_days == 3
    assert at_chief.gate_due_on == date(2027, 6, 9)  # Friday 4 June + Monday 7, Tuesday 8, Wednesday 9
    assert not queries.clock_paused(at_chief)


def test_overlapping_questions_make_one_pause_that_ends_with_the_last_answer(people, at_chief):
    at_chief.gate_entered_at, at_chief.gate_due_on = datetime(2027, 3, 1, 9), date(2027, 3, 15)
    db.session.commit()
    first = queries.ask(at_chief.id, people["chief"], "Who signs the letter?", date(2027, 3, 8))  # Monday
    second = queries.ask(at_chief.id, people["chief"], "Which unit coordinates?", date(2027, 3, 9))
    queries.answer(at_chief.id, people["lead"], first.id, "The Commissioner", today=date(2027, 3, 10))
    db.session.refresh(at_chief)
    assert at_chief.gate_due_on == date(2027, 3, 15)  # still paused: the second question is open
    queries.answer(at_chief.id, people["lead"], second.id, "International Policing Unit", today=date(2027, 3, 11))
    db.session.refresh(at_chief)
    assert at_chief.gate_due_on == date(2027, 3, 18)  # Monday to Wednesday paused: three working days


def test_a_positive_decision_is_refused_while_a_question_is_open_but_decline_and_return_are_not(people, at_chief):
    query = queries.ask(at_chief.id, people["chief"], "Is the letter signed?")
    with pytest.raises(workflow.Refused) as refused:
        workflow.decide(at_chief.id, people["chief"], positive())
    assert "open_query" in [r.rule for r in refused.value.refusals]
    returning = workflow.DecisionInput("return", "Send it", hr=Assessment(residual="low"), ethics_confirmed=True)
    workflow.decide(at_chief.id, people["chief"], returning)
    db.session.refresh(at_chief)
    assert at_chief.state == "returned"
    # The question stays open while the request is returned: the submitter can still answer it.
    queries.answer(at_chief.id, people["lead"], query.id, "Attached, signed.")
    db.session.refresh(query)
    assert not query.is_open


def test_once_answered_the_positive_decision_goes_through(people, at_chief):
    query = queries.ask(at_chief.id, people["chief"], "Is the letter signed?")
    queries.answer(at_chief.id, people["lead"], query.id, "Yes")
    workflow.decide(at_chief.id, people["chief"], positive())
    db.session.refresh(at_chief)
    assert at_chief.state == "awaiting_pcc"


def test_the_api_asks_answers_and_shows_the_paused_clock(client, people, tokens, at_chief):
    url = f"/api/v1/requests/{at_chief.id}"
    asked = client.post(f"{url}/queries", json={"question": "Is the letter signed?"}, headers=tokens["chief"])
    assert asked.status_code == 201
    body = asked.json
    assert (body["gate"], body["question"], body["asked_by"], body["answer"], body["answered_at"]) == (
        "awaiting_chief_officer",
        "Is the letter signed?",
        "chief@ny.example",
        None,
        None,
    )
    shown = client.get(url, headers=tokens["chief"]).json
    assert shown["open_queries"] == 1 and shown["gate_clock_paused"] is True and shown["gate_due_on"]
    refused = client.post(f"{url}/decisions", json=decision(), headers=tokens["chief"])
    assert refused.status_code == 422 and "open_query" in refused.json["errors"]

    answer_url = f"{url}/queries/{body['id']}/answer"
    assert client.post(answer_url, json={"answer": "Yes"}, headers=tokens["other_lead"]).status_code == 404
    assert client.post(answer_url, json={"answer": "Yes"}, headers=tokens["chief"]).status_code == 403
    assert client.post(answer_url, json={"answer": " "}, headers=tokens["lead"]).status_code == 422
    assert client.post(f"{url}/queries/99999/answer", json={"answer": "Yes"}, headers=tokens["lead"]).status_code == 404
    answered = client.post(answer_url, json={"answer": "Yes, signed."}, headers=tokens["lead"])
    assert answered.status_code == 200 and answered.json["answer"] == "Yes, signed." and answered.json["answered_at"]
    assert client.post(answer_url, json={"answer": "Again"}, headers=tokens["lead"]).status_code == 409
    shown = client.get(url, headers=tokens["lead"]).json
    assert shown["open_queries"] == 0 and shown["gate_clock_paused"] is False
    listing = client.get(f"{url}/queries", headers=tokens["home_office"]).json["items"]
    assert [q["answer"] for q in listing] == ["Yes, signed."]
    events = db.session.scalars(select(AuditEvent.event).where(AuditEvent.request_id == at_chief.id)).all()
    assert {"query_asked", "query_answered"} <= set(events)


def test_only_the_decider_at_the_current_gate_may_ask(client, people, tokens, at_chief):
    url = f"/api/v1/requests/{at_chief.id}/queries"
    body = {"question": "Why?"}
    # The PCC office decides this request, just not yet: 409 (the policy's rule for deciding, which asking twins).
    assert client.post(url, json=body, headers=tokens["pcc"]).status_code == 409
    assert client.post(url, json=body, headers=tokens["lead"]).status_code == 403
    assert client.post(url, json=body, headers=tokens["other_chief"]).status_code == 404
    assert client.post(url, json={"question": ""}, headers=tokens["chief"]).status_code == 422
    approved = advance(make_request(people["lead"]), people)
    assert client.post(f"/api/v1/requests/{approved.id}/queries", json=body, headers=tokens["ipab"]).status_code == 409
    assert db.session.scalars(select(CaseQuery)).all() == []


def test_the_lead_may_add_documents_while_a_question_is_open_and_not_after(client, people, tokens, at_chief):
    url = f"/api/v1/requests/{at_chief.id}/documents"

    def upload():
        data = {"kind": "correspondence", "description": "Signed letter", "file": (BytesIO(files.pdf()), "s.pdf")}
        return client.post(url, data=data, headers=tokens["lead"])

    assert upload().status_code == 409
    query = queries.ask(at_chief.id, people["chief"], "Send the signed letter")
    assert upload().status_code == 201
    queries.answer(at_chief.id, people["lead"], query.id, "Uploaded")
    assert upload().status_code == 409


def test_the_submitter_is_emailed_when_asked_and_the_asker_when_answered(app, people, at_chief, smtp):  # noqa: F811
    query = queries.ask(at_chief.id, people["chief"], "Is the letter signed by the Commissioner?")
    queries.answer(at_chief.id, people["lead"], query.id, "Yes, on 20 May.")
    templates = db.session.scalars(
        select(OutboxMessage.template).where(OutboxMessage.template.in_(("query_asked", "query_answered")))
    ).all()
    assert sorted(templates) == ["query_answered", "query_asked"]
    notifications.send_due()

    def delivered(recipient, subject):
        found = [m for rcpt, m in smtp.messages if rcpt == [recipient] and subject in m["Subject"]]
        assert len(found) == 1, [m["Subject"] for _, m in smtp.messages]
        return found[0].get_body(("plain",)).get_content()

    assert "Is the letter signed by the Commissioner?" in delivered("lead@ny.example", "Question about")
    assert "Yes, on 20 May." in delivered("chief@ny.example", "has been answered")


def test_the_web_journey_ask_see_answer_with_a_document(app, people, at_chief):
    chief = app.test_client()
    sign_in(chief, people["chief"])
    assert chief.post(f"/requests/{at_chief.id}/questions/new", data={"question": ""}).status_code == 200
    response = chief.post(f"/requests/{at_chief.id}/questions/new", data={"question": "Is the letter signed?"})
    assert response.status_code == 302
    decide_page = chief.get(f"/requests/{at_chief.id}/decide").get_data(as_text=True)
    assert "A question to the submitter is open" in decide_page
    refused = chief.post(
        f"/requests/{at_chief.id}/decide",
        data={"outcome": "positive", "hr_residual": "low", "ethics_confirmed": "y", "version": at_chief.version},
    ).get_data(as_text=True)
    assert "A question to the submitter is still open" in refused
    assert at_chief.reference in chief.get("/waiting-for-submitter").get_data(as_text=True)
    assert "Waiting for the submitter (1)" in chief.get("/").get_data(as_text=True)

    lead = app.test_client()
    sign_in(lead, people["lead"])
    page = lead.get(f"/requests/{at_chief.id}").get_data(as_text=True)
    assert "Is the letter signed?" in page and "Answer this question" in page
    query = db.session.scalars(select(CaseQuery)).one()
    response = lead.post(
        f"/requests/{at_chief.id}/questions/{query.id}/answer",
        data={"answer": "Yes, see the attached.", "file": (BytesIO(files.pdf()), "signed.pdf"), "description": ""},
    )
    assert response.status_code == 302
    # The answer page, as the API: 403 for who sees the request but does not answer, 409 once it is answered.
    answer_path = f"/requests/{at_chief.id}/questions/{query.id}/answer"
    again = lead.get(answer_path)
    assert again.status_code == 409 and "This question has already been answered" in again.get_data(as_text=True)
    assert lead.post(answer_path, data={"answer": "Again"}).status_code == 409
    assert chief.get(answer_path).status_code == 403
    attached = db.session.scalars(select(Document).where(Document.query_id == query.id)).one()
    assert attached.filename == "signed.pdf" and attached.kind == "correspondence"
    assert "Yes, see the attached." in chief.get(f"/requests/{at_chief.id}").get_data(as_text=True)
    assert chief.get("/waiting-for-submitter").get_data(as_text=True).count(at_chief.reference) == 0


def test_an_answer_with_a_disguised_attachment_is_refused_whole(app, people, at_chief):
    query = queries.ask(at_chief.id, people["chief"], "Send the letter")
    lead = app.test_client()
    sign_in(lead, people["lead"])
    response = lead.post(
        f"/requests/{at_chief.id}/questions/{query.id}/answer",
        data={"answer": "Here it is", "file": (BytesIO(files.HTML_AS_PDF), "letter.pdf"), "description": ""},
    )
    assert response.status_code == 415 and "The selected file must be a PDF" in response.get_data(as_text=True)
    db.session.refresh(query)
    assert query.is_open and db.session.scalars(select(Document).where(Document.query_id == query.id)).all() == []


def test_a_request_waiting_for_the_submitter_gets_no_overdue_reminder(runner, people, at_chief):
    at_chief.gate_due_on = date(2020, 1, 6)
    db.session.commit()
    queries.ask(at_chief.id, people["chief"], "Is the letter signed?")
    assert "queued 0 reminders" in runner.invoke(args=["outbox", "remind"]).output


def test_after_a_decision_the_confirmation_names_the_request_and_what_happens_next(app, people, at_chief):
    chief = app.test_client()
    sign_in(chief, people["chief"])
    page = chief.post(
        f"/requests/{at_chief.id}/decide",
        data={"outcome": "positive", "hr_residual": "low", "ethics_confirmed": "y", "version": at_chief.version},
        follow_redirects=True,
    ).get_data(as_text=True)
    # The confirmation page (issue 26): the panel names the request; what happens next, and who was told.
    assert f"<strong>{at_chief.reference}</strong><br>{at_chief.title} is recorded" in page
    assert "The request now waits for PCC approval, due by" in page and "Its deciders have been emailed." in page
    assert "The submitter and the force&#39;s other chief officers have been told." in page
