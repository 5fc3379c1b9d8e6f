"""The tamper-evident audit trail."""

from sqlalchemy import select, update

from approvals import audit
from extensions import db
from models import AuditEvent
from tests.conftest import advance, make_request, sign_in


def test_each_event_carries_the_hash_of_the_one_before(people):
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.request_id == request.id).order_by(AuditEvent.seq)
    ).all()
    assert events[0].prev_hash is None
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(events, events[1:], strict=False))
    assert events[-1].actor_id == people["chief"].id and (events[-1].from_state, events[-1].to_state) == (
        "awaiting_chief_officer",
        "awaiting_pcc",
    )


def test_verify_passes_on_an_untouched_trail(runner, people):
    advance(make_request(people["lead"]), people)
    result = runner.invoke(args=["audit", "verify"])
    # created, document_uploaded, submit and the four gates
    assert result.exit_code == 0 and "OK: 7 events verified" in result.output


def test_tampering_with_a_row_is_caught_at_that_row(runner, people):
    request = advance(make_request(people["lead"]), people)
    victim = db.session.scalars(
        select(AuditEvent).where(AuditEvent.request_id == request.id, AuditEvent.seq == 3)
    ).one()
    db.session.execute(update(AuditEvent).where(AuditEvent.id == victim.id).values(to_state="declined"))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"BROKEN at audit event {victim.id}" in result.output and "seq 3" in result.output


def test_deleting_a_row_breaks_the_chain(people):
    request = advance(make_request(people["lead"]), people)
    db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.request_id == request.id, AuditEvent.seq == 2))
    db.session.commit()
    checked, broken = audit.verify()
    assert broken is not None and broken.seq == 3


def test_the_snapshot_hash_changes_with_the_request(people):
    request = make_request(people["lead"])
    before = audit.snapshot_hash(request)
    request.officers += 1
    assert audit.snapshot_hash(request) != before


def test_the_timeline_on_the_request_page_comes_from_the_audit_trail(client, people):
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    sign_in(client, people["lead"])
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert page.index("Recommended by the chief officer") < page.index("Submitted") < page.index("Request started")
