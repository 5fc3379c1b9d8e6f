"""Benchmark data: a realistic national mix of requests across the 43 forces, with a fixed seed.

    python bench/generate.py --requests 100000 --audit-events 1000000 --database-url URL

Rows are written with bulk inserts (and COPY for audit events on PostgreSQL). Audit events form
valid hash chains, so `flask audit verify` has real work to do.
"""

import argparse
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from app import create_app  # noqa: E402
from approvals import audit, seed  # noqa: E402
from config import TestingConfig  # noqa: E402
from extensions import db  # noqa: E402
from models import (  # noqa: E402
    AssistanceRequest,
    AuditEvent,
    CaseNote,
    CostLine,
    Document,
    Force,
    FundingSource,
    GateDecision,
    User,
    UserRole,
)
from models.reference_data import COST_CATEGORIES, PURPOSES, SPONSORS  # noqa: E402

SEED = 26
# Share of requests in each state, like a service some years old: most approved and closed.
STATE_MIX = [
    ("draft", 5),
    ("awaiting_chief_officer", 3),
    ("awaiting_pcc", 3),
    ("awaiting_home_secretary", 3),
    ("awaiting_ipab", 3),
    ("approved", 10),
    ("deployed", 8),
    ("closed", 44),
    ("returned", 3),
    ("declined", 6),
    ("withdrawn", 6),
    ("not_required", 6),
]
DESTINATIONS = [
    "KY",
    "BM",
    "AI",
    "MS",
    "VG",
    "TC",
    "FK",
    "GI",
    "JE",
    "GG",
    "IM",
    "AU",
    "CA",
    "CY",
    "FJ",
    "SA",
    "XK",
    "MT",
    "MU",
    "NA",
    "NG",
    "OM",
    "PK",
    "PG",
    "SG",
    "ZA",
    "WS",
    "SB",
    "TO",
    "TN",
    "AE",
    "UA",
    "PL",
    "RO",
    "BA",
    "KE",
    "GH",
    "JM",
    "TT",
    "BB",
    "IQ",
    "JO",
]
UNITS = [
    "International Policing Unit",
    "DVI Team",
    "Counter Terrorism Policing",
    "Economic Crime Unit",
    "Major Crime",
    "Training",
]
PASSWORD = "benchmark-password"


def bench_users(forces, password_hash):
    """A lead, chief officer and PCC office per force, and the national roles."""
    people = [
        (role, f"{role}@{f.slug}.bench", f.id) for f in forces for role in ("force_lead", "chief_officer", "pcc_office")
    ]
    people += [(role, f"{role}@national.bench", None) for role in ("home_office", "ipab", "foi_officer")]
    rows, roles = [], []
    for user_id, (role, email, force_id) in enumerate(people, start=1):
        rows.append(
            {
                "id": user_id,
                "email": email,
                "name": role,
                "password_hash": password_hash,
                "force_id": force_id,
                "active": True,
                "no_email": True,
                "session_token": f"t{user_id}",
                "failed_sign_ins": 0,
                "totp_confirmed": False,
                "created_at": datetime(2020, 1, 1),
            }
        )
        roles.append({"user_id": user_id, "role": role})
    return rows, roles


def generate(n_requests, n_audit_events, batch=5000):
    """Fill the (migrated, empty) database of the current app. Returns the number of rows written."""
    from werkzeug.security import generate_password_hash

    rng = random.Random(SEED)
    seed.reference_data()
    db.session.commit()
    forces = db.session.scalars(select(Force).order_by(Force.id)).all()
    users, roles = bench_users(forces, generate_password_hash(PASSWORD))
    db.session.execute(insert(User), users)
    db.session.execute(insert(UserRole), roles)
    leads = {u["force_id"]: u["id"] for u in users if u["email"].startswith("force_lead@")}
    # Bigger forces ask more often: weight by a rough size.
    weights = [
        5 if f.slug in ("metropolitan", "greater-manchester", "west-midlands", "west-yorkshire") else 1 for f in forces
    ]
    states = [s for s, _ in STATE_MIX]
    state_weights = [w for _, w in STATE_MIX]
    today = date.today()
    events_per_request = max(1, n_audit_events // max(1, n_requests))
    written = 0
    for start in range(0, n_requests, batch):
        requests, costs, funding = [], [], []
        count = min(batch, n_requests - start)
        for i in range(count):
            rid = start + i + 1
            force = rng.choices(forces, weights)[0]
            state = rng.choices(states, state_weights)[0]
            begin = today - timedelta(days=rng.randint(-120, 3650))
            length = rng.choice([5, 10, 20, 45, 80, 120, 200])
            at_gate = state.startswith("awaiting_")
            created = datetime.combine(begin - timedelta(days=rng.randint(20, 90)), datetime.min.time())
            requests.append(
                {
                    "id": rid,
                    "reference": f"S26-B-{rid:07d}",
                    "force_id": force.id,
                    "created_by_id": leads[force.id],
                    "state": state,
                    "version": 1,
                    "title": f"Assistance {rid}",
                    "requesting_body": "Ministry of the Interior",
                    "requesting_body_kind": "foreign_government",
                    "destination": rng.choice(DESTINATIONS),
                    "purpose": rng.choice(PURPOSES)[0],
                    "sponsor": rng.choice(SPONSORS)[0],
                    "start_date": begin,
                    "end_date": begin + timedelta(days=length),
                    "retrospective": False,
                    "officers": rng.randint(0, 8),
                    "staff": rng.randint(1, 4),
                    "personnel_roles": "Officers and staff",
                    "coordinating_unit": rng.choice(UNITS),
                    "uk_investigation": state == "not_required",
                    "sensitive": rng.random() < 0.05,
                    "urgent": rng.random() < 0.1,
                    "hr_risks": [],
                    "hr_residual": "low",
                    "created_at": created,
                    "updated_at": created + timedelta(days=rng.randint(0, 30), seconds=rng.randint(0, 86400)),
                    "gate_entered_at": created if at_gate else None,
                    "gate_due_on": today + timedelta(days=rng.randint(-10, 10)) if at_gate else None,
                    # The dates the returns count by: submitted (all but drafts), deployed, closed.
                    "submitted_at": created + timedelta(days=rng.randint(1, 10)) if state != "draft" else None,
                    "deployed_on": begin if state in ("deployed", "closed") else None,
                    "closed_at": (
                        datetime.combine(begin + timedelta(days=length + rng.randint(1, 30)), datetime.min.time())
                        if state == "closed"
                        else None
                    ),
                    "recovered_pence": rng.randint(0, 2_000_000) if state == "closed" else None,
                    "actual_cost_pence": rng.randint(0, 2_000_000) if state == "closed" else None,
                }
            )
            costs.append(
                {
                    "request_id": rid,
                    "category": rng.choice(COST_CATEGORIES)[0],
                    "description": "",
                    "amount_pence": rng.randint(10_000, 2_000_000),
                }
            )
            costs.append(
                {
                    "request_id": rid,
                    "category": "travel",
                    "description": "",
                    "amount_pence": rng.randint(10_000, 500_000),
                }
            )
            funding.append(
                {
                    "request_id": rid,
                    "source": "fcdo",
                    "description": "",
                    "amount_pence": rng.randint(10_000, 2_500_000),
                    "committed": rng.random() < 0.8,
                }
            )
        db.session.execute(insert(AssistanceRequest), requests)
        db.session.execute(insert(CostLine), costs)
        db.session.execute(insert(FundingSource), funding)
        db.session.commit()
        written += count
    case_file_request(n_requests + 1, forces, users)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            db.text(
                "SELECT setval(pg_get_serial_sequence('assistance_request', 'id'), (SELECT max(id) FROM assistance_request))"
            )
        )
        db.session.commit()
    write_audit_events(n_requests, events_per_request, n_audit_events)
    set_audit_heads()
    return written


CASE_FILE_REFERENCE = "S26-B-CASEFILE"


def case_file_request(rid, forces, users):
    """One request with a full case file, waiting at IPAB: 10 documents, 20 notes and 8 decisions (two rounds
    of the four gates, the first ended by a return), the request and decision pages the bench times at scale."""
    force = next(f for f in forces if f.slug == "metropolitan")
    by_email = {u["email"]: u["id"] for u in users}
    lead = by_email["force_lead@metropolitan.bench"]
    deciders = [
        ("awaiting_chief_officer", by_email["chief_officer@metropolitan.bench"]),
        ("awaiting_pcc", by_email["pcc_office@metropolitan.bench"]),
        ("awaiting_home_secretary", by_email["home_office@national.bench"]),
        ("awaiting_ipab", by_email["ipab@national.bench"]),
    ]
    values = seed.demo_request_values()
    money = {"cost_lines": values.pop("cost_lines"), "funding": values.pop("funding")}
    values.pop("osja")  # the assessment is its own table; this request's stands on its risk answers
    now = datetime.combine(date.today(), datetime.min.time())
    db.session.execute(
        insert(AssistanceRequest),
        [
            {
                "id": rid,
                "reference": CASE_FILE_REFERENCE,
                "force_id": force.id,
                "created_by_id": lead,
                "state": "awaiting_ipab",
                "version": 9,
                "title": "Case file at scale",
                "retrospective": False,
                "created_at": now - timedelta(days=60),
                "updated_at": now,
                "gate_entered_at": now - timedelta(days=1),
                "gate_due_on": date.today() + timedelta(days=5),
                **values,
            }
        ],
    )
    db.session.execute(
        insert(CostLine),
        [{"request_id": rid, "category": c.category, "amount_pence": c.amount_pence, "description": ""}
         for c in money["cost_lines"]],
    )
    db.session.execute(
        insert(FundingSource),
        [{"request_id": rid, "source": f.source, "amount_pence": f.amount_pence, "committed": f.committed,
          "description": ""} for f in money["funding"]],
    )
    db.session.execute(
        insert(Document),
        [
            {
                "request_id": rid,
                "kind": ("invitation_letter", "risk_assessment", "correspondence", "other")[i % 4],
                "description": f"Document {i + 1}",
                "filename": f"document-{i + 1}.pdf",
                "content_type": "application/pdf",
                "size_bytes": len(seed.DEMO_LETTER_PDF),
                "sha256": "0" * 64,
                "content": seed.DEMO_LETTER_PDF,
                "uploaded_by_id": lead,
                "uploaded_at": now - timedelta(days=50 - i),
            }
            for i in range(10)
        ],
    )
    db.session.execute(
        insert(CaseNote),
        [
            {
                "request_id": rid,
                "author_id": deciders[i % 4][1],
                "text": f"Note {i + 1}: checked with the FCDO desk and the embassy.",
                "visible_to_submitter": i % 2 == 0,
                "created_at": now - timedelta(days=40 - i),
            }
            for i in range(20)
        ],
    )
    # Eight decisions, IPAB to decide next: a first round ended by IPAB's return, its resubmission returned again
    # by IPAB, then a material change that restarted the approval and has passed three gates.
    gates = dict(deciders)
    history = [
        ("awaiting_chief_officer", "positive", True),
        ("awaiting_pcc", "positive", True),
        ("awaiting_home_secretary", "positive", True),
        ("awaiting_ipab", "return", True),
        ("awaiting_ipab", "return", True),
        ("awaiting_chief_officer", "positive", False),
        ("awaiting_pcc", "positive", False),
        ("awaiting_home_secretary", "positive", False),
    ]
    db.session.execute(
        insert(GateDecision),
        [
            {
                "request_id": rid,
                "gate": gate,
                "actor_id": gates[gate],
                "decided_at": now - timedelta(days=30 - 3 * number),
                "outcome": outcome,
                "reasons": "More detail on the recipient unit" if outcome == "return" else None,
                "hr_residual": "low",
                "ethics_confirmed": True,
                "superseded": superseded,
            }
            for number, (gate, outcome, superseded) in enumerate(history)
        ],
    )
    db.session.commit()


def set_audit_heads():
    """Each request row carries its chain's head (audit.append writes it event by event; here, in bulk)."""
    db.session.execute(
        db.text(
            "UPDATE assistance_request SET audit_seq = COALESCE("
            "(SELECT MAX(e.seq) FROM audit_event e WHERE e.request_id = assistance_request.id), 0)"
        )
    )
    db.session.execute(
        db.text(
            "UPDATE assistance_request SET audit_hash = (SELECT e.hash FROM audit_event e "
            "WHERE e.request_id = assistance_request.id AND e.seq = assistance_request.audit_seq)"
        )
    )
    db.session.commit()


def _chain(request_id, events):
    prev = None
    snap = "0" * 64
    at = datetime(2024, 1, 1)
    for seq in range(1, events + 1):
        stamp = at + timedelta(hours=seq)
        digest = audit.event_hash(request_id, seq, None, stamp, "edited:bench", "draft", "draft", None, snap, prev)
        yield (request_id, seq, None, stamp, "edited:bench", "draft", "draft", None, snap, prev, digest)
        prev = digest


COLUMNS = (
    "request_id",
    "seq",
    "actor_id",
    "at",
    "event",
    "from_state",
    "to_state",
    "reasons",
    "snapshot_hash",
    "prev_hash",
    "hash",
)


def write_audit_events(n_requests, per_request, total, batch=20000):
    """`total` events, `per_request` on each request from the first, each chain valid."""
    rows, written = [], 0
    raw = db.engine.raw_connection() if db.engine.dialect.name == "postgresql" else None
    try:
        for request_id in range(1, n_requests + 1):
            if written >= total:
                break
            for row in _chain(request_id, min(per_request, total - written)):
                rows.append(row)
                written += 1
            if len(rows) >= batch:
                _flush(rows, raw)
                rows = []
        if rows:
            _flush(rows, raw)
    finally:
        if raw is not None:
            raw.close()


def _flush(rows, raw):
    if raw is None:
        db.session.execute(insert(AuditEvent), [dict(zip(COLUMNS, row, strict=True)) for row in rows])
        db.session.commit()
        return
    with raw.cursor() as cursor, cursor.copy(f"COPY audit_event ({', '.join(COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    raw.commit()


def fresh_app(url):
    """An app on `url` with the schema migrated (bench/run.py builds its databases with this too)."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, S26_REQUIRE_2FA=False)
    with app.app_context():
        upgrade()
    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--audit-events", type=int, default=1_000_000)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    app = fresh_app(args.database_url)
    with app.app_context():
        print(f"wrote {generate(args.requests, args.audit_events)} requests")


if __name__ == "__main__":
    main()
