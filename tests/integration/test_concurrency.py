"""Many people acting on one request at once: exactly one decision wins; every other decider is told, with a
409, that the request has moved on (never a 403 that says they lack the authority they hold)."""

import threading

import pytest
from sqlalchemy import func, select

from approvals import workflow
from extensions import db
from models import AuditEvent, GateDecision, User
from tests.conftest import advance, make_request, make_user, positive


def _decide_together(app, request_id, decider_ids, version):
    barrier = threading.Barrier(len(decider_ids))
    outcomes = []
    lock = threading.Lock()

    def act(user_id):
        with app.app_context():
            user = db.session.get(User, user_id)
            db.session.commit()  # give the connection back to the pool before everyone starts at once
            barrier.wait()
            try:
                workflow.decide(request_id, user, positive(), expected_version=version)
                result = "won"
            except workflow.Conflict:
                result = "conflict"
            except workflow.WrongState as error:
                moved_on = error.status == 409 and "This request has moved on: it is now awaiting PCC approval"
                result = "moved on" if moved_on in error.message else error.message
            except workflow.WorkflowError as error:
                result = type(error).__name__
            finally:
                db.session.remove()
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=act, args=(user_id,)) for user_id in decider_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@pytest.mark.parametrize("with_version", [True, False], ids=["page-with-version", "api-without-version"])
def test_fifty_simultaneous_decisions_record_exactly_one(app, people, with_version):
    threads = 50 if db.engine.dialect.name == "postgresql" else 8  # SQLite serialises writers; fewer keep it quick
    chiefs = [people["chief"]] + [
        make_user(f"chief{i}@ny.example", "chief_officer", force_slug="north-yorkshire") for i in range(threads - 1)
    ]
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    request_id, version, chief_ids = request.id, request.version, [chief.id for chief in chiefs]
    db.session.remove()

    outcomes = _decide_together(app, request_id, chief_ids, version if with_version else None)

    assert len(outcomes) == threads
    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count("moved on") == threads - 1, outcomes
    assert (
        db.session.scalar(select(func.count()).select_from(GateDecision).where(GateDecision.request_id == request_id))
        == 1
    )
    events = db.session.scalars(
        select(AuditEvent.event).where(AuditEvent.request_id == request_id).order_by(AuditEvent.seq)
    ).all()
    assert events == ["created", "document_uploaded", "submit", "recommend"]
