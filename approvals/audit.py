"""The tamper-evident audit trail: one SHA-256 hash chain per request."""

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from extensions import db
from models import AssistanceRequest, AuditEvent
from models.request import ANSWER_FIELDS
from models.types import utcnow

SNAPSHOT_FIELDS = (
    "reference",
    "force_id",
    "state",
    *ANSWER_FIELDS,
    "withdrawn_reason",
    "actual_cost_pence",
    "recovered_pence",
    "deployed_on",
)


def _canonical(data):
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()


def _money_lines(request):
    return {
        "cost_lines": sorted((line.category, line.amount_pence, line.description) for line in request.cost_lines),
        "funding": sorted((f.source, f.amount_pence, bool(f.committed), f.description) for f in request.funding),
    }


def snapshot_hash(request):
    data = {name: getattr(request, name) for name in SNAPSHOT_FIELDS}
    # No autoflush: loading the money lines would otherwise write the request's changes so far, and the audit head
    # set just after would need a second UPDATE of the row. Lines added through the relationships are in the lists.
    with db.session.no_autoflush:
        data.update(_money_lines(request))
    return hashlib.sha256(_canonical(data)).hexdigest()


def event_hash(request_id, seq, actor_id, at, event, from_state, to_state, reasons, snap, prev_hash):
    data = [
        request_id,
        seq,
        actor_id,
        at.isoformat(),
        event,
        from_state,
        to_state,
        reasons or "",
        snap,
        prev_hash or "",
    ]
    return hashlib.sha256(_canonical(data)).hexdigest()


def append(request, actor, event, from_state=None, to_state=None, reasons=None):
    """Add the next event to `request`'s chain and move the request's audit head to it, in the caller's
    transaction. The caller holds the request's lock.

    The chain continues from the head the request row carries, not from whatever events are left in the
    table: an insider who deletes the last events cannot have the next legitimate event paper over the
    gap. Writing the head also makes every event a versioned update of the request row, so two writers
    can never both extend the same chain."""
    if request.id is None:
        db.session.flush()  # a new request needs its id
    last_seq, prev = request.audit_seq or 0, request.audit_hash
    seq = last_seq + 1
    at = utcnow().replace(microsecond=0)
    actor_id = actor.id if actor is not None else None
    snap = snapshot_hash(request)
    row = AuditEvent(
        request_id=request.id,
        seq=seq,
        actor_id=actor_id,
        at=at,
        event=event,
        from_state=from_state,
        to_state=to_state,
        reasons=reasons,
        snapshot_hash=snap,
        prev_hash=prev,
        hash=event_hash(request.id, seq, actor_id, at, event, from_state, to_state, reasons, snap, prev),
    )
    db.session.add(row)
    request.audit_seq, request.audit_hash = seq, row.hash
    return row


@dataclass(frozen=True)
class Break:
    """Where verification failed: the event (when there is one), its request and seq, and why."""

    request_id: int
    seq: int | None
    reason: str
    id: int | None = None

    def describe(self, checked):
        where = (
            f"audit event {self.id} (request {self.request_id}, seq {self.seq})"
            if self.id
            else (f"request {self.request_id}")
        )
        return f"BROKEN at {where} after {checked} good events: {self.reason}"


def _head_break(request_id, last_seq, last_hash, head_seq, head_hash):
    if (last_seq, last_hash) == (head_seq or 0, head_hash):
        return None
    return Break(
        request_id,
        last_seq,
        f"the chain ends at seq {last_seq} but the request's audit head is seq {head_seq or 0}"
        " (events deleted, or the head rewritten)",
    )


def verify(batch_size=5000, expected=None):
    """Walk every chain in order, streaming plain rows (no ORM objects, so memory stays flat over
    millions of events), and check each against the head its request row carries.

    `expected` ({request_id: (seq, hash)}, from a checkpoint) adds: each of those requests still has
    an event at that seq with that hash. With every chain verified up to its head, that proves nothing
    recorded up to the checkpoint was changed, truncated or deleted.

    Returns (events checked, the first Break or None)."""
    columns = (
        AuditEvent.id,
        AuditEvent.request_id,
        AuditEvent.seq,
        AuditEvent.actor_id,
        AuditEvent.at,
        AuditEvent.event,
        AuditEvent.from_state,
        AuditEvent.to_state,
        AuditEvent.reasons,
        AuditEvent.snapshot_hash,
        AuditEvent.prev_hash,
        AuditEvent.hash,
        AssistanceRequest.audit_seq.label("head_seq"),
        AssistanceRequest.audit_hash.label("head_hash"),
    )
    stmt = (
        select(*columns)
        .join(AssistanceRequest, AssistanceRequest.id == AuditEvent.request_id)
        .order_by(AuditEvent.request_id, AuditEvent.seq)
        .execution_options(yield_per=batch_size)
    )
    expected = dict(expected or {})
    checked = 0
    current, prev_hash, expected_seq, head = None, None, 1, None
    for row in db.session.execute(stmt):
        if row.request_id != current:
            if current is not None and (broken := _head_break(current, expected_seq - 1, prev_hash, *head)):
                return checked, broken
            current, prev_hash, expected_seq, head = row.request_id, None, 1, (row.head_seq, row.head_hash)
        recomputed = event_hash(
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
        if row.seq != expected_seq or row.prev_hash != prev_hash or row.hash != recomputed:
            reason = (
                "an event is missing before this one"
                if row.seq != expected_seq
                else (
                    "it does not follow from the event before"
                    if row.prev_hash != prev_hash
                    else "its hash does not match"
                )
            )
            return checked, Break(row.request_id, row.seq, reason, row.id)
        if row.request_id in expected and expected[row.request_id][0] == row.seq:
            if expected.pop(row.request_id)[1] != row.hash:
                return checked, Break(
                    row.request_id, row.seq, "it differs from the checkpoint: the chain was rewritten", row.id
                )
        prev_hash, expected_seq = row.hash, expected_seq + 1
        checked += 1
    if current is not None and (broken := _head_break(current, expected_seq - 1, prev_hash, *head)):
        return checked, broken
    # A request whose head names events, yet has none left: its whole chain was deleted.
    emptied = db.session.execute(
        select(AssistanceRequest.id, AssistanceRequest.audit_seq, AssistanceRequest.audit_hash)
        .where(AssistanceRequest.audit_seq > 0)
        .where(~select(AuditEvent.id).where(AuditEvent.request_id == AssistanceRequest.id).exists())
        .order_by(AssistanceRequest.id)
        .limit(1)
    ).first()
    if emptied is not None:
        return checked, _head_break(emptied.id, 0, None, emptied.audit_seq, emptied.audit_hash)
    if expected:
        request_id, (seq, _hash) = min(expected.items())
        return checked, Break(
            request_id,
            seq,
            f"the checkpoint recorded this request's chain up to seq {seq}; that event or the request is gone",
        )
    return checked, None


# Checkpoints: a digest of every chain head, keyed with a secret the database never sees, so that an
# insider who can rewrite rows (and recompute unkeyed SHA-256 chains and heads) cannot make the
# trail agree with a checkpoint taken before the rewrite.
CHECKPOINT_KEY_ENV = "S26_AUDIT_CHECKPOINT_KEY"
CHECKPOINT_VERSION = 1


class CheckpointError(Exception):
    """The checkpoint cannot be made or read: no key, a forged or damaged file."""


def checkpoint_key():
    key = os.environ.get(CHECKPOINT_KEY_ENV, "")
    if len(key) < 32:
        raise CheckpointError(f"Set {CHECKPOINT_KEY_ENV} to a random secret of at least 32 characters")
    return key.encode()


def chain_heads():
    """[request id, seq, hash] of every chain, in one consistent read."""
    return [
        [row.id, row.audit_seq, row.audit_hash]
        for row in db.session.execute(
            select(AssistanceRequest.id, AssistanceRequest.audit_seq, AssistanceRequest.audit_hash)
            .where(AssistanceRequest.audit_seq > 0)
            .order_by(AssistanceRequest.id)
        )
    ]


def _mac(key, record):
    body = {name: record[name] for name in ("v", "at", "count", "digest", "heads")}
    return hmac.new(key, _canonical(body), hashlib.sha256).hexdigest()


def make_checkpoint(key, heads, at=None):
    """A checkpoint record: the heads, their SHA-256 digest and an HMAC over all of it."""
    record = {
        "v": CHECKPOINT_VERSION,
        "at": (at or utcnow()).replace(microsecond=0).isoformat(),
        "count": len(heads),
        "digest": hashlib.sha256(_canonical(heads)).hexdigest(),
        "heads": heads,
    }
    record["mac"] = _mac(key, record)
    return record


def append_checkpoint(path, record):
    """Append one line to the checkpoint file (opened append-only; on a real server also `chattr +a`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, separators=(",", ":")) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_checkpoint(path, key):
    """The last checkpoint in the file, after checking the key's MAC on every line (a forged, edited or
    partly deleted line fails here)."""
    try:
        lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    except OSError as error:
        raise CheckpointError(f"cannot read {path}: {error.strerror}") from error
    if not lines:
        raise CheckpointError(f"{path} holds no checkpoint")
    record = None
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
            authentic = record.get("v") == CHECKPOINT_VERSION and hmac.compare_digest(
                _mac(key, record), str(record.get("mac", ""))
            )
            consistent = (
                record["count"] == len(record["heads"])
                and record["digest"] == hashlib.sha256(_canonical(record["heads"])).hexdigest()
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise CheckpointError(f"line {number} of {path} is not a checkpoint") from error
        if not (authentic and consistent):
            raise CheckpointError(f"line {number} of {path} does not carry a valid MAC for this key: it was altered")
    return record


def verify_against(record, batch_size=5000):
    """verify(), holding every chain to the heads a (MAC-checked) checkpoint recorded."""
    return verify(batch_size, expected={request_id: (seq, hash_) for request_id, seq, hash_ in record["heads"]})


def count_events():
    return db.session.scalar(select(func.count()).select_from(AuditEvent))
