"""The tamper-evident audit trail: one SHA-256 hash chain per request."""

import hashlib
import json

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from extensions import db
from models import AuditEvent
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


@event.listens_for(Session, "after_transaction_end")
def _forget_tails(session, transaction):
    # A flush runs in a sub-transaction; only the end of the outermost one (commit or rollback) forgets.
    if transaction.parent is None:
        session.info.pop("audit_tails", None)


def _tail(request_id):
    """(seq, hash) of the request's last event: from this transaction's own appends, else the database.
    Kept per transaction so that appending does not flush the whole session to read it back."""
    tails = db.session.info.setdefault("audit_tails", {})
    if request_id not in tails:
        with db.session.no_autoflush:
            last = db.session.execute(
                select(AuditEvent.seq, AuditEvent.hash)
                .where(AuditEvent.request_id == request_id)
                .order_by(AuditEvent.seq.desc())
                .limit(1)
            ).first()
        tails[request_id] = (last.seq, last.hash) if last else (0, None)
    return tails[request_id]


def append(request, actor, event, from_state=None, to_state=None, reasons=None):
    """Add the next event to `request`'s chain. The caller holds the request's lock."""
    if request.id is None:
        db.session.flush()  # a new request needs its id
    last_seq, prev = _tail(request.id)
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
    db.session.info.setdefault("audit_tails", {})[request.id] = (seq, row.hash)
    return row


def verify(batch_size=5000):
    """Walk every chain in order, streaming plain rows (no ORM objects, so memory stays flat over
    millions of events); returns (events checked, first broken event's row or None)."""
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
    )
    stmt = select(*columns).order_by(AuditEvent.request_id, AuditEvent.seq).execution_options(yield_per=batch_size)
    checked = 0
    current_request, prev_hash, expected_seq = None, None, 1
    for row in db.session.execute(stmt):
        if row.request_id != current_request:
            current_request, prev_hash, expected_seq = row.request_id, None, 1
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
            return checked, row
        prev_hash, expected_seq = row.hash, expected_seq + 1
        checked += 1
    return checked, None


def count_events():
    return db.session.scalar(select(func.count()).select_from(AuditEvent))
