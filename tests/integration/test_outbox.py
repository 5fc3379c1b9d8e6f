"""Email through a real SMTP server (aiosmtpd on loopback): every stage, outages, slowness, two senders."""

import socket
import threading
import time
from datetime import date, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update

from approvals import notifications, workflow
from extensions import db, mail
from models import AssistanceRequest, OutboxMessage
from models.types import utcnow
from tests.conftest import advance, make_request, positive, sign_in


class Recorder:
    def __init__(self, delay=0.0):
        self.messages, self.delay, self.lock = [], delay, threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def point_mail_at(app, port):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SUPPRESS_SEND=False)
    mail.init_app(app)  # Flask-Mail reads its settings when initialised


@pytest.fixture
def smtp(app):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    recorder.port = controller.port
    point_mail_at(app, controller.port)
    yield recorder
    controller.stop()
    point_mail_at(app, 0)


def sent_to(recorder, address):
    return [m for rcpts, m in recorder.messages if address in rcpts]


def test_each_stage_emails_whoever_acts_next_and_the_submitter(smtp, people):
    request = make_request(people["lead"])
    workflow.submit(request.id, people["lead"])
    assert notifications.send_due() == (2, 0, 0)  # the chief officer is asked to act; the lead is acknowledged
    chief_mail = sent_to(smtp, "chief@ny.example")[0]
    assert " ".join(chief_mail["Subject"].split()).startswith(
        f"Action needed: {request.reference} Investigative interviewing training – Chief officer recommendation due by"
    )
    assert f"http://localhost/requests/{request.id}/decide" in chief_mail.get_body(("plain",)).get_content()
    workflow.decide(request.id, people["chief"], positive())
    notifications.send_due()
    pcc_mail = sent_to(smtp, "pcc@ny.example")[-1]
    assert "Action needed" in pcc_mail["Subject"]
    update_mail = sent_to(smtp, "lead@ny.example")[-1]
    assert (
        " ".join(update_mail["Subject"].split())
        == f"{request.reference} Investigative interviewing training: recommended by the chief officer"
    )
    assert not sent_to(smtp, "pcc@met.example")


def test_a_return_lists_the_questions_and_no_body_carries_costs_or_human_rights_text(smtp, people):
    request = advance(
        make_request(people["lead"], hr_mitigations="SECRET-MITIGATION"), people, until="awaiting_chief_officer"
    )
    workflow.decide(
        request.id,
        people["chief"],
        workflow.DecisionInput(
            "return",
            "Who insures the officers?",
            hr=workflow.human_rights.Assessment(residual="low"),
            ethics_confirmed=True,
        ),
    )
    notifications.send_due()
    # The return's email (the submission's acknowledgement went to the lead too; delivery order is not fixed).
    (returned,) = [m for m in sent_to(smtp, "lead@ny.example") if "returned" in m["Subject"]]
    body = returned.get_body(("plain",)).get_content()
    assert "Who insures the officers?" in body
    for _, message in smtp.messages:
        text = message.get_body(("plain",)).get_content()
        assert "SECRET-MITIGATION" not in text and "£" not in text


def test_a_newline_in_a_title_cannot_inject_headers(smtp, people):
    request = make_request(people["lead"], title="Training\r\nBcc: attacker@evil.example")
    workflow.submit(request.id, people["lead"])
    workflow.decide(request.id, people["chief"], positive())
    notifications.send_due()
    subjects = db.session.scalars(select(OutboxMessage.subject)).all()
    assert all("\n" not in s and "\r" not in s for s in subjects)
    assert all("attacker@evil.example" not in rcpts for rcpts, _ in smtp.messages)
    assert all(m["Bcc"] is None for _, m in smtp.messages)


def test_smtp_down_loses_nothing_and_each_message_arrives_exactly_once_when_it_is_back(app, people):
    point_mail_at(app, free_port())  # nothing listens there
    try:
        requests = [make_request(people["lead"], title=f"Request {i}") for i in range(20)]
        for request in requests:
            advance(request, people, until="awaiting_pcc")
        queued = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        assert queued >= 60 and all(r.state == "awaiting_pcc" for r in requests)
        sent, retried, failed = notifications.send_due(batch_size=1000)
        assert (sent, retried, failed) == (0, queued, 0)
        assert (
            db.session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.last_error.is_not(None))
            )
            == queued
        )
    finally:
        point_mail_at(app, 0)
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    point_mail_at(app, controller.port)
    try:
        assert notifications.send_due(batch_size=1000) == (0, 0, 0)  # back-off: not due yet
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        assert notifications.send_due(batch_size=1000)[0] == queued
        assert notifications.send_due(batch_size=1000) == (0, 0, 0)
    finally:
        controller.stop()
        point_mail_at(app, 0)
    assert len(recorder.messages) == queued
    keys = [(tuple(r), m["Subject"]) for r, m in recorder.messages]
    assert len(set(keys)) == queued


def test_after_the_last_attempt_a_message_fails_and_an_admin_can_requeue_it(app, client, people):
    app.config["S26_OUTBOX_MAX_ATTEMPTS"] = 1
    point_mail_at(app, free_port())
    try:
        make_request(people["lead"])
        workflow.submit(db.session.scalars(select(AssistanceRequest.id)).first(), people["lead"])
        assert notifications.send_due()[2] >= 1
    finally:
        app.config["S26_OUTBOX_MAX_ATTEMPTS"] = 6
        point_mail_at(app, 0)
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")).first()
    assert "ConnectionRefusedError" in message.last_error
    sign_in(client, people["admin"])
    assert "ConnectionRefusedError" in client.get("/admin/outbox").get_data(as_text=True)
    client.post(f"/admin/outbox/{message.id}/retry")
    db.session.refresh(message)
    assert (message.status, message.attempts) == ("pending", 0)


def test_two_senders_at_once_deliver_each_message_once(app, smtp, people):
    for i in range(10):
        advance(make_request(people["lead"], title=f"R{i}"), people, until="awaiting_pcc")
    total = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    db.session.remove()

    def worker(name):
        with app.app_context():
            while notifications.send_due(worker_id=name, batch_size=3)[0]:
                pass
            db.session.remove()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(smtp.messages) == total
    statuses = db.session.scalars(select(OutboxMessage.status)).all()
    assert set(statuses) == {"sent"}


def test_a_slow_smtp_server_is_never_waited_on_by_a_web_request(app, client, people):
    recorder = Recorder(delay=2.0)
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    point_mail_at(app, controller.port)
    try:
        request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
        sign_in(client, people["chief"])
        response = client.post(
            f"/requests/{request.id}/decide",
            data={"outcome": "positive", "hr_residual": "low", "ethics_confirmed": "y"},
        )
        assert response.status_code == 302
        assert recorder.messages == []  # nothing was sent inside the request
        assert (
            db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending"))
            >= 3
        )
    finally:
        controller.stop()
        point_mail_at(app, 0)


def test_users_marked_no_email_get_none_but_still_see_the_work(client, people):
    people["chief"].no_email = True
    db.session.commit()
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    assert "chief@ny.example" not in db.session.scalars(select(OutboxMessage.recipient)).all()
    sign_in(client, people["chief"])
    assert request.reference in client.get("/").get_data(as_text=True)


def test_daily_reminders_go_once_per_day_per_overdue_request(runner, people):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    db.session.execute(
        update(AssistanceRequest)
        .where(AssistanceRequest.id == request.id)
        .values(gate_due_on=date.today() - timedelta(days=1))
    )
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert "queued 1 reminders for 1 overdue" in runner.invoke(args=["outbox", "remind"]).output
    assert "queued 0 reminders for 0 overdue" in runner.invoke(args=["outbox", "remind"]).output
    reminder = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == before + 1
    assert reminder.template == "reminder" and reminder.recipient == "chief@ny.example"
    notifications.render(reminder)
    assert reminder.subject.startswith(f"Overdue: {request.reference}")


def test_a_message_is_written_as_things_stood_and_rendered_once_by_the_sender(app, smtp, people):
    request = make_request(people["lead"], title="Forensic training")
    workflow.submit(request.id, people["lead"])
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "action_needed")).one()
    assert message.body_text is None  # nothing rendered in the transition
    # Later edits do not rewrite what the email says happened.
    db.session.execute(update(AssistanceRequest).where(AssistanceRequest.id == request.id).values(title="Renamed"))
    db.session.commit()
    point_mail_at(app, free_port())  # first attempt fails: the rendered text is kept for the retry
    assert notifications.send_due() == (0, 2, 0)  # the chief officer's action and the lead's acknowledgement
    first_text = db.session.get(OutboxMessage, message.id).body_text
    assert request.reference in first_text and "North Yorkshire Police" in first_text
    point_mail_at(app, smtp.port)
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    db.session.commit()
    assert notifications.send_due() == (2, 0, 0)
    delivered = sent_to(smtp, "chief@ny.example")[0].get_body(("plain",)).get_content()
    assert delivered.split() == first_text.split()  # same words; SMTP only changes line endings


def test_a_template_that_fails_at_send_time_never_undoes_the_decision(app, smtp, people):
    request = make_request(people["lead"])
    workflow.submit(request.id, people["lead"])
    db.session.execute(update(OutboxMessage).values(template="no_such_template"))
    db.session.commit()
    assert db.session.get(AssistanceRequest, request.id).state == "awaiting_chief_officer"
    assert notifications.send_due() == (0, 2, 0)
    for message in db.session.scalars(select(OutboxMessage)):
        assert message.status == "pending" and "TemplateNotFound" in message.last_error
    assert not smtp.messages


def test_the_admin_outbox_names_a_message_not_yet_written(client, people):
    request = make_request(people["lead"])
    workflow.submit(request.id, people["lead"])
    sign_in(client, people["admin"])
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert f"Action needed: {request.reference}" in page and "(written when sent)" in page


def test_flask_outbox_send_command_delivers(runner, smtp, people):
    make_request(people["lead"])
    workflow.submit(db.session.scalars(select(AssistanceRequest.id)).first(), people["lead"])
    assert "sent 2, to retry 0, failed 0" in runner.invoke(args=["outbox", "send"]).output
    assert len(smtp.messages) == 2  # the chief officer's action, the lead's acknowledgement
