"""What each email says (issue 26 §4): for each type, who receives it, its subject and the facts it must carry;
and the rule on human-rights text: emails carry the questions and reasons people wrote for the recipient, never
an assessment (risks, mitigations, ratings, the reason for lowering one) nor Code of Ethics notes.

Every email type has its test here except two whose content is tested where they are made: the PCC's periodic return
(`pcc_return`, tests/integration/test_returns.py) and the audit checkpoint (`audit_checkpoint`,
tests/integration/test_audit.py). `test_every_email_type_has_a_content_test` keeps the list honest."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from approvals import accounts, notes, notifications, queries, workflow
from approvals.gates import GATE_BY_STATE
from approvals.human_rights import Assessment
from extensions import db
from models import OutboxMessage
from tests.conftest import make_request

ASSESSMENT_TEXT = ("HR-SUBMITTER-MITIGATION", "HR-CHIEF-MITIGATION", "HR-LOWERED-BECAUSE", "ETHICS-NOTE")
QUESTION = "Has the host government given a death-penalty assurance?"


def decision(outcome, reasons="", mitigations="HR-CHIEF-MITIGATION", **extra):
    return workflow.DecisionInput(
        outcome,
        reasons,
        hr=Assessment(residual="low", mitigations=mitigations),
        ethics_confirmed=True,
        ethics_notes="ETHICS-NOTE",
        **extra,
    )


def mails(request, since=0):
    """The request's messages queued after id `since`, rendered as the sender would."""
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.request_id == request.id, OutboxMessage.id > since)
        .order_by(OutboxMessage.id)
    ).all()
    for row in rows:
        notifications.render(row)
    return rows


def last_id():
    return db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc())) or 0


def by_recipient(rows):
    return {row.recipient: row for row in rows}


def facts(request):
    """What every email about a request carries: its reference and title; the body also the force, the
    destination and the dates, GOV.UK style."""
    return [
        request.reference,
        request.title,
        request.force.name,
        "Cayman Islands (George Town)",
        f"{request.start_date:%-d %B %Y} to {request.end_date:%-d %B %Y}",
    ]


def assert_carries(row, request, *more):
    for text in (*facts(request), *more):
        assert text in row.body_text, (row.template, text, row.body_text)
        assert text.replace("'", "&#39;") in row.body_html, (row.template, text)
    assert request.reference in row.subject and request.title in row.subject, row.subject
    assert row.body_text.count("http://localhost/requests/") >= 1  # the configured server address


@pytest.fixture
def request_(people):
    people["chief"].name, people["pcc"].name, people["lead"].name = "Chief Constable Lisa Winward", "PCC Office", "Lee"
    return make_request(people["lead"], title="Detective training", hr_mitigations="HR-SUBMITTER-MITIGATION")


def test_submission_acknowledges_the_lead_and_asks_the_chief_officer_to_recommend(request_, people):
    workflow.submit(request_.id, people["lead"])
    sent = by_recipient(mails(request_))
    assert set(sent) == {"lead@ny.example", "chief@ny.example"}
    ack, action = sent["lead@ny.example"], sent["chief@ny.example"]
    assert ack.template == "update" and ack.subject.endswith(": received")
    assert_carries(ack, request_, "We have received your request", "waiting for chief officer recommendation")
    assert action.template == "action_needed"
    assert action.subject.startswith("Action needed:") and "Chief officer recommendation due by" in action.subject
    assert_carries(action, request_, "waiting for chief officer recommendation")
    assert "Decide by" in action.body_text and "Make your decision</a> by" in action.body_html
    assert f"http://localhost/requests/{request_.id}/decide" in action.body_text


@pytest.mark.parametrize(
    "until,who,subject,says,next_role",
    [
        ("awaiting_chief_officer", "chief", "recommended by the chief officer", "waiting for PCC approval", "pcc"),
        ("awaiting_pcc", "pcc", "approved by the PCC", "waiting for Home Secretary consent", "home_office"),
        (
            "awaiting_home_secretary",
            "home_office",
            "given Home Secretary consent",
            "waiting for IPAB alignment",
            "ipab",
        ),
    ],
)
def test_each_positive_decision_tells_the_lead_and_asks_the_next_gate_never_the_decider(
    request_, people, until, who, subject, says, next_role
):
    from tests.conftest import advance

    advance(request_, people, until=until)
    since = last_id()
    workflow.decide(request_.id, people[who], decision("positive"))
    sent = by_recipient(mails(request_, since))
    assert people[who].email not in sent  # nobody is emailed about their own decision
    told = sent["lead@ny.example"]
    assert told.subject.endswith(subject) and says in told.body_text
    assert_carries(told, request_)
    action = sent[people[next_role].email]
    assert action.template == "action_needed" and "Capital" not in action.subject
    for lower in ("the pcc approval", "the home secretary consent", "the ipab alignment"):
        assert lower not in action.body_text.lower().replace("waiting for pcc approval", "")


def test_approval_tells_the_lead_to_record_the_deployment_next(request_, people):
    from tests.conftest import advance

    advance(request_, people, until="awaiting_ipab")
    since = last_id()
    workflow.decide(request_.id, people["ipab"], decision("positive"))
    sent = by_recipient(mails(request_, since))
    assert "ipab@gov.example" not in sent and {"lead@ny.example", "chief@ny.example"} <= set(sent)
    told = sent["lead@ny.example"]
    assert told.subject.endswith("approved: IPAB confirmed alignment")
    assert_carries(told, request_, "record the deployment when it starts")


def test_a_return_goes_to_the_lead_with_the_questions_and_never_to_the_decider_who_returned_it(request_, people):
    workflow.submit(request_.id, people["lead"])
    since = last_id()
    workflow.decide(request_.id, people["chief"], decision("return", QUESTION))
    sent = by_recipient(mails(request_, since))
    assert "chief@ny.example" not in sent and set(sent) == {"lead@ny.example"}
    told = sent["lead@ny.example"]
    assert told.subject.endswith("returned for more information")
    assert_carries(told, request_, QUESTION, "at Chief officer recommendation by Chief Constable Lisa Winward")


def test_a_decline_says_who_declined_where_and_why(request_, people):
    from tests.conftest import advance

    advance(request_, people, until="awaiting_pcc")
    since = last_id()
    workflow.decide(request_.id, people["pcc"], decision("decline", "The costs are not recovered"))
    sent = by_recipient(mails(request_, since))
    assert "pcc@ny.example" not in sent and {"lead@ny.example", "chief@ny.example"} == set(sent)
    for row in sent.values():
        assert row.subject.endswith("declined")
        assert_carries(row, request_, "declined at PCC approval by PCC Office", "The costs are not recovered")


def test_withdraw_deploy_and_close_tell_the_chief_officers_not_the_lead_who_did_it(request_, people):
    from tests.conftest import advance

    advance(request_, people)
    for act, subject in (
        (lambda: workflow.deploy(request_.id, people["lead"], date.today(), reason="Early"), "deployment started"),
        (lambda: workflow.close(request_.id, people["lead"], 1_500_000, 1_500_000, reason="As recorded"), "closed"),
    ):
        since = last_id()
        act()
        sent = by_recipient(mails(request_, since))
        assert set(sent) == {"chief@ny.example"}
        assert sent["chief@ny.example"].subject.endswith(subject)
        assert_carries(sent["chief@ny.example"], request_)


def test_uk_police_work_tells_the_chief_officer_how_to_call_it_in_and_the_call_in_tells_the_lead(people):
    request = make_request(people["lead"], uk_investigation=True, uk_investigation_justification="Witness")
    workflow.submit(request.id, people["lead"])
    sent = by_recipient(mails(request))
    assert set(sent) == {"lead@ny.example", "chief@ny.example"}
    assert f"/requests/{request.id}/require-approval" in sent["chief@ny.example"].body_text
    assert "require-approval" not in sent["lead@ny.example"].body_text
    since = last_id()
    workflow.require_approval(request.id, people["chief"], "The Kenyan police benefit")
    sent = by_recipient(mails(request, since))
    assert set(sent) == {"lead@ny.example"}
    assert sent["lead@ny.example"].subject.endswith("needs section 26 approval")
    assert_carries(sent["lead@ny.example"], request, "The Kenyan police benefit")


def test_reminders_questions_answers_and_mentions_carry_the_request_and_capitalised_roles(request_, people):
    workflow.submit(request_.id, people["lead"])
    since = last_id()
    query = queries.ask(request_.id, people["chief"], QUESTION)
    (asked,) = mails(request_, since)
    assert asked.template == "query_asked"
    assert asked.recipient == "lead@ny.example" and asked.subject.endswith("at Chief officer recommendation")
    assert_carries(asked, request_, QUESTION)
    since = last_id()
    queries.answer(request_.id, people["lead"], query.id, "Yes, in writing")
    (answered,) = mails(request_, since)
    assert answered.template == "query_answered"
    assert answered.recipient == "chief@ny.example" and "answered" in answered.subject
    assert "Yes, in writing" in answered.body_text and QUESTION in answered.body_text
    since = last_id()
    notifications.queue_reminders([request_], date.today())
    db.session.commit()
    (reminder,) = mails(request_, since)
    assert reminder.template == "reminder"
    assert reminder.recipient == "chief@ny.example" and reminder.subject.startswith("Overdue:")
    assert_carries(reminder, request_, "waiting for chief officer recommendation")
    since = last_id()
    notes.add(request_.id, people["lead"], "@chief@ny.example please look", True)
    (mention,) = mails(request_, since)
    assert mention.template == "mentioned" and mention.recipient == "chief@ny.example"
    assert "mentioned you" in mention.subject and request_.reference in mention.subject
    # The note itself stays behind sign-in (it may be internal); the email says which request, and links to it.
    assert "please look" not in mention.body_text
    for text in facts(request_):
        assert text in mention.body_text and text.replace("'", "&#39;") in mention.body_html, text
    assert f"http://localhost/requests/{request_.id}/notes" in mention.body_text


def test_no_email_carries_assessment_text_but_the_questions_do_go(request_, people):
    """The rule (README, Email): questions and reasons yes; human-rights assessment and ethics notes never."""
    workflow.submit(request_.id, people["lead"])
    workflow.decide(request_.id, people["chief"], decision("positive"))
    workflow.decide(request_.id, people["pcc"], decision("return", QUESTION, mitigations="HR-CHIEF-MITIGATION"))
    workflow.submit(request_.id, people["lead"])
    workflow.decide(
        request_.id,
        people["pcc"],
        workflow.DecisionInput(
            "decline",
            "Not aligned with the force's priorities",
            hr=Assessment(residual="low", mitigations="HR-CHIEF-MITIGATION"),
            ethics_confirmed=True,
            ethics_notes="ETHICS-NOTE",
            hr_lowering_reason="HR-LOWERED-BECAUSE",
        ),
    )
    rows = mails(request_)
    assert any(QUESTION in row.body_text for row in rows)
    for row in rows:
        for text in ASSESSMENT_TEXT:
            assert text not in row.body_text and text not in row.body_html and text not in row.subject
        assert "Residual" not in row.body_text and "Mitigations" not in row.body_text


def test_an_escalation_names_the_request_and_its_gate_in_capitals_to_its_deciders_and_the_home_office(
    request_, people
):
    workflow.submit(request_.id, people["lead"])
    since = last_id()
    notifications.queue_escalation(request_, GATE_BY_STATE["awaiting_chief_officer"], 1, national=True)
    db.session.commit()
    sent = by_recipient(mails(request_, since))
    assert set(sent) == {"chief@ny.example", "ho@gov.example"}
    for row in sent.values():
        assert row.template == "escalation" and row.subject.startswith(
            f"Escalated: {request_.reference} {request_.title} – Chief officer recommendation"
        )
        assert_carries(row, request_, "at Chief officer recommendation", f"({request_.gate_due_on:%-d %B %Y})")
        assert "The Home Office has been told too." in row.body_text
        assert "chief officer recommendation" not in row.body_text  # the gate as people write it, not lower case


def test_an_overdue_osja_review_tells_the_pcc_office_which_request_and_where_to_record_it(request_, people):
    due = date.today() - timedelta(days=3)
    since = last_id()
    assert notifications.queue_review_reminders([(due, request_)], date.today()) == 1
    db.session.commit()
    (row,) = mails(request_, since)
    assert row.recipient == "pcc@ny.example" and row.template == "review_reminder"
    assert row.subject.startswith(f"OSJA review overdue: {request_.reference} {request_.title}")
    assert_carries(row, request_, f"was due by {due:%-d %B %Y}", f"/requests/{request_.id}/osja/review")


def test_an_escalated_osja_review_tells_the_pcc_office_and_the_home_office_which_request_and_where(request_, people):
    due = date.today() - timedelta(days=30)
    since = last_id()
    assert notifications.queue_review_escalation(request_, due, 7) == 2
    db.session.commit()
    sent = by_recipient(mails(request_, since))
    assert set(sent) == {"pcc@ny.example", "ho@gov.example"}
    for row in sent.values():
        assert row.template == "review_escalation"
        assert row.subject.startswith(f"Escalated: OSJA review of {request_.reference} {request_.title} is 5 working")
        assert_carries(
            row, request_, f"was due by {due:%-d %B %Y}", "5 working days later", f"/requests/{request_.id}/osja/review"
        )


def test_a_stopped_review_tells_the_lead_and_the_chief_officers_who_stopped_it_but_not_why(request_, people):
    since = last_id()
    assert notifications.queue_review_stopped(request_, 8, people["pcc"]) == 2
    db.session.commit()
    sent = by_recipient(mails(request_, since))
    assert set(sent) == {"lead@ny.example", "chief@ny.example"}
    for row in sent.values():
        assert row.template == "review_stopped"
        assert row.subject.startswith(f"Work to stop: the OSJA review of {request_.reference} {request_.title}")
        assert_carries(row, request_, f"{people['pcc'].name} of the PCC office", "decided it should stop")


def test_an_invitation_names_the_service_the_roles_and_the_single_use_link(people):
    user = accounts.invite("new.chief@ny.example", "Nia New", ["chief_officer"], people["chief"].force_id,
                           people["admin"])
    row = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email)).one()
    notifications.render(row)
    assert row.template == "invitation" and row.subject == "You have been invited to Section 26 approvals"
    for text in ("Dear Nia New,", "(Chief officer)", "the link works once, for"):
        assert text in row.body_text, row.body_text
    assert re.search(r"http://localhost/invitation/[\w-]{20,}", row.body_text)


def test_a_two_factor_reset_tells_the_person_who_reset_it_and_what_to_do(people):
    people["admin"].name = "Ada Admin"
    accounts.reset_two_factor(people["chief"], people["admin"])
    row = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "chief@ny.example")).one()
    notifications.render(row)
    assert row.template == "two_factor_reset" and row.subject == "Your two-factor sign-in was reset"
    assert "Ada Admin has reset the two-factor sign-in" in row.body_text
    assert "set up your authenticator app again" in row.body_text and "tell your service administrator" in row.body_text


TESTED_ELSEWHERE = {"pcc_return", "audit_checkpoint"}


def test_every_email_type_has_a_content_test():
    """Each template in templates/email (a subject, a text and an HTML part) is an email type; each has a test above
    that renders it and reads what it says, or is one of the two tested where they are made."""
    folder = Path(__file__).resolve().parents[2] / "templates" / "email"
    types = {path.name.removesuffix(".subject.txt") for path in folder.glob("*.subject.txt")}
    source = Path(__file__).read_text()
    untested = {kind for kind in types - TESTED_ELSEWHERE if f'template == "{kind}"' not in source}
    assert types and untested == set(), untested
