"""The tamper-evident audit trail."""

import json

import pytest
from sqlalchemy import select, update

from approvals import audit, notifications
from extensions import db
from models import AssistanceRequest, AuditEvent, OutboxMessage
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
    # created, document_uploaded, submit, the four gates and the letter of authority issued at approval
    assert result.exit_code == 0 and "OK: 8 events verified" in result.output


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


# The request row carries its audit head, and checkpoints keyed with a secret outside the database.

CHECKPOINT_KEY = "k" * 40


def _events(request_id):
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.request_id == request_id).order_by(AuditEvent.seq)
    ).all()


def _delete_tail(request_id, from_seq):
    db.session.execute(
        AuditEvent.__table__.delete().where(AuditEvent.request_id == request_id, AuditEvent.seq >= from_seq)
    )
    db.session.commit()


def _forge_chain(request_id, seq, **changes):
    """What an insider with database access and the code can do: change an event, then recompute every
    later (unkeyed) hash and the request's head, so the chain is consistent again."""
    prev = None
    for row in _events(request_id):
        if row.seq == seq:
            for name, value in changes.items():
                setattr(row, name, value)
        if row.seq >= seq:
            row.prev_hash = prev
            row.hash = audit.event_hash(
                row.request_id,
                row.seq,
                row.actor_id,
                row.at,
                row.event,
                row.from_state,
                row.to_state,
                row.reasons,
                row.snapshot_hash,
                row.prev_hash,
            )
        prev = row.hash
    db.session.execute(
        update(AssistanceRequest)
        .where(AssistanceRequest.id == request_id)
        .values(audit_seq=row.seq, audit_hash=row.hash)
    )
    db.session.commit()


@pytest.fixture
def checkpoint_file(tmp_path, monkeypatch):
    monkeypatch.setenv("S26_AUDIT_CHECKPOINT_KEY", CHECKPOINT_KEY)
    return tmp_path / "checkpoints.jsonl"


def _checkpoint(runner, path, *extra):
    result = runner.invoke(args=["audit", "checkpoint", "--file", str(path), *extra])
    assert result.exit_code == 0, result.output
    return result


def _verify_against(runner, path):
    return runner.invoke(args=["audit", "verify", "--against", str(path)])


def test_the_request_row_carries_its_audit_head_written_with_each_event(people):
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    last = _events(request.id)[-1]
    db.session.refresh(request)
    assert (request.audit_seq, request.audit_hash) == (last.seq, last.hash)
    assert last.seq == len(_events(request.id))


def test_deleting_a_requests_last_events_is_caught_by_verify(runner, people):
    request = advance(make_request(people["lead"]), people)
    # created, invitation letter, submit, recommend, approve, consent, align, letter issued: the last three vanish
    _delete_tail(request.id, 6)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at request {request.id}" in result.output and "ends at seq 5" in result.output
    assert "audit head is seq 8" in result.output


def test_deleting_every_event_of_a_request_is_caught_by_verify(people):
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    _delete_tail(request.id, 1)
    _checked, broken = audit.verify()
    assert broken is not None and broken.request_id == request.id


def test_a_new_event_after_a_deleted_tail_does_not_hide_the_gap(people):
    request = advance(make_request(people["lead"]), people, until="awaiting_home_secretary")
    _delete_tail(request.id, 5)  # the PCC's approval vanishes
    advance(request, people, until="awaiting_ipab")  # the next decision continues from the head, seq 6
    _checked, broken = audit.verify()
    assert broken is not None and broken.seq == 6 and "missing" in broken.reason


def test_a_forged_chain_passes_plain_verify_which_is_why_checkpoints_exist(people):
    request = advance(make_request(people["lead"]), people)
    _forge_chain(request.id, 3, to_state="declined")
    assert audit.verify()[1] is None


def test_checkpoint_appends_a_keyed_digest_and_emails_it(runner, people, checkpoint_file):
    first = advance(make_request(people["lead"]), people)
    second = advance(make_request(people["lead"], title="Second"), people, until="awaiting_pcc")
    result = _checkpoint(runner, checkpoint_file, "--email", "audit-keeper@example.gov.uk")
    assert "2 chains, 12 events" in result.output  # 8 to approval (the letter's included), 4 to the PCC gate
    _checkpoint(runner, checkpoint_file)
    lines = checkpoint_file.read_text().splitlines()
    assert len(lines) == 2  # appended, never rewritten
    record = json.loads(lines[0])
    assert [head[:2] for head in record["heads"]] == [[first.id, 8], [second.id, 4]]
    assert CHECKPOINT_KEY not in checkpoint_file.read_text()
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "audit_checkpoint")).one()
    assert message.recipient == "audit-keeper@example.gov.uk"
    assert message.context["digest"] == record["digest"] and message.context["mac"] == record["mac"]
    notifications.render(message)
    assert record["mac"] in message.body_text and "2 chains" in message.subject


def test_checkpoint_refuses_without_a_key_from_the_environment(runner, people, tmp_path, monkeypatch):
    monkeypatch.delenv("S26_AUDIT_CHECKPOINT_KEY", raising=False)
    result = runner.invoke(args=["audit", "checkpoint", "--file", str(tmp_path / "c.jsonl")])
    assert result.exit_code == 2 and "S26_AUDIT_CHECKPOINT_KEY" in result.output
    assert not (tmp_path / "c.jsonl").exists()


def test_checkpoint_refuses_to_sign_a_broken_trail(runner, people, checkpoint_file):
    request = advance(make_request(people["lead"]), people)
    _delete_tail(request.id, 6)
    assert runner.invoke(args=["audit", "checkpoint", "--file", str(checkpoint_file)]).exit_code == 1
    assert not checkpoint_file.exists()


def test_verify_against_a_checkpoint_passes_on_an_untouched_trail_that_kept_growing(runner, people, checkpoint_file):
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    _checkpoint(runner, checkpoint_file)
    advance(request, people)  # later events are not the checkpoint's business
    advance(make_request(people["lead"], title="New since"), people)
    result = _verify_against(runner, checkpoint_file)
    assert result.exit_code == 0 and "OK: 16 events verified; the 1 chains of the checkpoint" in result.output


@pytest.mark.parametrize(
    "attack",
    ["edit", "delete_tail", "delete_tail_and_head", "delete_whole_request", "forged_chain", "forged_checkpoint"],
)
def test_verify_against_a_checkpoint_catches_every_attack(runner, people, checkpoint_file, attack):
    request_id = advance(make_request(people["lead"]), people).id
    advance(make_request(people["lead"], title="Bystander"), people, until="awaiting_pcc")
    _checkpoint(runner, checkpoint_file)
    assert _verify_against(runner, checkpoint_file).exit_code == 0
    if attack == "edit":
        db.session.execute(
            update(AuditEvent)
            .where(AuditEvent.request_id == request_id, AuditEvent.seq == 3)
            .values(reasons="nothing to see")
        )
        db.session.commit()
    elif attack == "delete_tail":
        _delete_tail(request_id, 5)
    elif attack == "delete_tail_and_head":  # the insider also moves the head back: only the checkpoint knows
        _delete_tail(request_id, 5)
        last = _events(request_id)[-1]
        db.session.execute(
            update(AssistanceRequest)
            .where(AssistanceRequest.id == request_id)
            .values(audit_seq=last.seq, audit_hash=last.hash)
        )
        db.session.commit()
        assert audit.verify()[1] is None
    elif attack == "delete_whole_request":
        db.session.execute(AssistanceRequest.__table__.delete().where(AssistanceRequest.id == request_id))
        db.session.commit()
        assert audit.verify()[1] is None
    elif attack == "forged_chain":
        _forge_chain(request_id, 4, to_state="declined")
        assert audit.verify()[1] is None
    elif attack == "forged_checkpoint":  # rewrite the trail and a checkpoint to match, without the key
        _forge_chain(request_id, 4, to_state="declined")
        record = audit.make_checkpoint(b"not-the-key" * 4, audit.chain_heads())
        checkpoint_file.write_text(json.dumps(record) + "\n")
    result = _verify_against(runner, checkpoint_file)
    assert result.exit_code == 1 and "BROKEN" in result.output, result.output
    if attack in ("delete_whole_request", "delete_tail_and_head", "forged_chain"):
        assert f"request {request_id}" in result.output
