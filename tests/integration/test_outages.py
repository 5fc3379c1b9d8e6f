"""What a scaled-out service meets: a sender dying holding messages, the database going away mid-request."""

from datetime import timedelta
from unittest import mock

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app import create_app
from approvals import notifications
from config import TestingConfig
from extensions import db, login_manager
from models import OutboxMessage
from models.types import utcnow
from tests.conftest import advance, make_request, sign_in
from tests.integration.test_outbox import Recorder, free_port, point_mail_at


@pytest.fixture
def smtp(app):
    """A real aiosmtpd on loopback, as in test_outbox."""
    from aiosmtpd.controller import Controller

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    point_mail_at(app, controller.port)
    yield recorder
    controller.stop()
    point_mail_at(app, 0)


def _statuses():
    return dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())


def test_a_sender_killed_holding_claims_leaves_them_to_another_sender_which_delivers_each_once(
    app,
    smtp,
    people,
):
    for i in range(5):
        advance(make_request(people["lead"], title=f"R{i}"), people, until="awaiting_pcc")
    total = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    # The dying sender claimed a batch, started on one message (the SMTP conversation may or may not
    # have finished) and was killed: nothing after the claim was committed.
    held = notifications.claim_due("dead-worker", batch_size=total)
    assert len(held) == total
    in_flight = held[0]
    in_flight.status = "sending"
    db.session.commit()

    assert notifications.send_due(worker_id="survivor") == (0, 0, 0)  # the lease still holds
    later = utcnow() + timedelta(seconds=app.config["S26_OUTBOX_LEASE_SECONDS"] + 1)
    assert notifications.release_stale_claims(now=later) == (total - 1, 1)
    assert notifications.send_due(worker_id="survivor", batch_size=total) == (total - 1, 0, 0)

    ids = [m["Message-ID"] for _rcpts, m in smtp.messages]
    assert len(ids) == len(set(ids)) == total - 1  # each claimed-only message delivered exactly once
    assert _statuses() == {"sent": total - 1, "failed": 1}
    db.session.refresh(in_flight)
    assert in_flight.status == "failed" and "check before re-queueing" in in_flight.last_error


def test_a_sender_whose_lease_ran_out_does_not_send_what_another_took_over(app, smtp, people):
    advance(make_request(people["lead"]), people, until="awaiting_pcc")
    total = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    notifications.claim_due("stalled", batch_size=total)
    later = utcnow() + timedelta(seconds=app.config["S26_OUTBOX_LEASE_SECONDS"] + 1)
    notifications.release_stale_claims(now=later)
    notifications.claim_due("taker", batch_size=total)
    # The stalled worker wakes up with its old batch: the conditional UPDATE finds none of them its own.
    stale = db.session.scalars(select(OutboxMessage)).all()
    with mock.patch.object(notifications, "claim_due", return_value=stale):
        assert notifications.send_due(worker_id="stalled") == (0, 0, 0)
    assert not smtp.messages


def test_each_message_carries_one_message_id_on_every_attempt(app, smtp, people):
    advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    notifications.send_due()
    message = db.session.scalars(select(OutboxMessage)).first()
    ids = {m["Message-ID"] for _r, m in smtp.messages}
    assert f"<s26-outbox-{message.id}@example.gov.uk>" in ids


def test_the_sender_loop_outlives_a_database_outage(app, runner, monkeypatch):
    calls = {"release": 0, "sleep": 0}

    def flaky_release():
        calls["release"] += 1
        if calls["release"] == 1:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
        return (0, 0)

    class Stop(Exception):
        pass

    def sleep(_seconds):
        calls["sleep"] += 1
        if calls["sleep"] == 2:
            raise Stop

    monkeypatch.setattr(notifications, "release_stale_claims", flaky_release)
    monkeypatch.setattr("approvals.cli.time.sleep", sleep)
    result = runner.invoke(args=["outbox", "send", "--loop", "--interval", "0"])
    assert isinstance(result.exception, Stop)  # still looping after the outage: stopped by the test
    assert calls["release"] == 2 and "database unavailable" in result.output


@pytest.fixture
def app_with_a_failing_database(database_url):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)

    def lost():
        raise OperationalError("SELECT 1", {}, Exception("terminating connection due to administrator command"))

    app.add_url_rule("/lost", "lost", lost)
    app.add_url_rule("/api/v1/lost", "api_lost", lost)
    return app


def test_a_request_that_loses_the_database_gets_a_clean_503_and_retry_after(app_with_a_failing_database):
    client = app_with_a_failing_database.test_client()
    page = client.get("/lost")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "Sorry, there is a problem with the service" in page.get_data(as_text=True)
    api = client.get("/api/v1/lost")
    assert api.status_code == 503 and api.mimetype == "application/problem+json"
    assert api.json["title"] == "Service unavailable"


def test_the_503_page_needs_no_database_even_for_a_signed_in_user(app_with_a_failing_database, people, monkeypatch):
    client = app_with_a_failing_database.test_client()
    sign_in(client, people["chief"])

    def database_gone(_session_id):
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    monkeypatch.setattr(login_manager, "_user_callback", database_gone)
    for path in ("/", "/lost"):
        page = client.get(path)
        assert page.status_code == 503, path
        assert "Sorry, there is a problem with the service" in page.get_data(as_text=True)


def test_a_connection_that_dies_after_the_response_is_built_does_not_turn_it_into_a_500(app, client, monkeypatch):
    """PostgreSQL restarting between a page's last query and the session's closing ROLLBACK."""
    from sqlalchemy.orm import Session

    close = Session.close
    calls = {"n": 0}

    def close_on_a_dead_connection(self):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("ROLLBACK", {}, Exception("terminating connection due to administrator command"))
        return close(self)

    monkeypatch.setattr(Session, "close", close_on_a_dead_connection)
    assert client.get("/transparency").status_code == 200
    assert calls["n"] >= 1
    monkeypatch.undo()
    assert client.get("/transparency").status_code == 200  # the next request gets a working session


def test_once_marked_sending_a_message_needs_no_database_to_be_sent(app, smtp, people):
    """The database going away between the mark and the SMTP conversation must not strand the message."""
    from sqlalchemy.orm import Session

    advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    message = notifications.claim_due("worker", batch_size=1)[0]
    assert notifications._start_sending(message, "worker")
    gone = OperationalError("SELECT", {}, Exception("terminating connection due to administrator command"))
    with mock.patch.object(Session, "execute", side_effect=gone):
        notifications.render(message)
        notifications._deliver(message)
    assert [m["Message-ID"] for _r, m in smtp.messages] == [f"<s26-outbox-{message.id}@example.gov.uk>"]
