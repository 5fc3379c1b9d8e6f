"""The national picture for the Home Office and IPAB (issue 18): the pipeline by gate, time spent at each gate,
and deployments by month, region and country.

Every force and every request is counted, sensitive ones included: these figures are for the national bodies'
oversight, never for publication (approvals.transparency keeps to what may be published). Variations are
copies of a request under review: they wait at gates like any request but are never a deployment of their own.
"""

from collections import Counter, defaultdict
from datetime import date
from statistics import median

from sqlalchemy import func, or_, select

from approvals import marking
from approvals.gates import GATE_STATES, GATES
from approvals.queries import waiting_for_submitter_clause
from approvals.regions import REGION_ORDER, region_of
from approvals.returns import end_of, start_of, unmet_conditions, working_days
from approvals.transparency import one_year_before
from extensions import db
from models import AssistanceRequest, AuditEvent
from models.reference_data import country_name

MONTHS = 12


def pipeline(today):
    """How many requests wait at each gate now, and how many of them are overdue (a paused clock is not)."""
    waiting = dict(
        db.session.execute(
            select(AssistanceRequest.state, func.count())
            .where(AssistanceRequest.state.in_(GATE_STATES))
            .group_by(AssistanceRequest.state)
        ).all()
    )
    overdue = dict(
        db.session.execute(
            select(AssistanceRequest.state, func.count())
            .where(
                AssistanceRequest.state.in_(GATE_STATES),
                AssistanceRequest.gate_due_on < today,
                ~waiting_for_submitter_clause(),
            )
            .group_by(AssistanceRequest.state)
        ).all()
    )
    return [
        {"gate": g.state, "title": g.title, "waiting": waiting.get(g.state, 0), "overdue": overdue.get(g.state, 0)}
        for g in GATES
    ]


def time_at_gates(date_from, today):
    """Median working days a request spent at each gate, over the visits that ended from `date_from` to `today`:
    from the audit event that brought it to the gate to the one that took it on (decision, return, withdrawal)."""
    events = db.session.execute(
        select(AuditEvent.request_id, AuditEvent.at, AuditEvent.from_state, AuditEvent.to_state)
        .where(
            or_(AuditEvent.to_state.in_(GATE_STATES), AuditEvent.from_state.in_(GATE_STATES)),
            AuditEvent.from_state.is_distinct_from(AuditEvent.to_state),
            # A visit that ended in the window began at most a few years before it (gates take days, not years).
            AuditEvent.at >= start_of(one_year_before(one_year_before(date_from))),
        )
        .order_by(AuditEvent.request_id, AuditEvent.seq)
    ).all()
    spells = defaultdict(list)
    entered = {}
    for request_id, at, source, dest in events:
        if source in GATE_STATES and (request_id, source) in entered:
            began = entered.pop((request_id, source))
            if date_from <= at.date() <= today:
                spells[source].append(working_days(began.date(), at.date()))
        if dest in GATE_STATES:
            entered[(request_id, dest)] = at
    return [
        {
            "gate": g.state,
            "title": g.title,
            "median_working_days": median(spells[g.state]) if spells[g.state] else None,
            "visits": len(spells[g.state]),
        }
        for g in GATES
    ]


def month_starts(today, months=MONTHS):
    """The first day of each of the last `months` months, oldest first, this month last."""
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


def deployments(date_from, today):
    """Deployments (not variations) whose start, as the lead recorded it, falls from `date_from` to `today`."""
    return db.session.execute(
        select(
            AssistanceRequest.deployed_on,
            AssistanceRequest.destination,
            AssistanceRequest.officers,
            AssistanceRequest.staff,
        ).where(
            AssistanceRequest.variation_of_id.is_(None),
            AssistanceRequest.deployed_on >= date_from,
            AssistanceRequest.deployed_on <= today,
        )
    ).all()


def picture_marking():
    """The national picture counts every request, sensitive ones included: once any sensitive request is held it is
    OFFICIAL-SENSITIVE (issue 25), on its page and in its JSON, as a force's return is when it counts one."""
    sensitive = db.session.scalar(select(AssistanceRequest.id).where(AssistanceRequest.sensitive.is_(True)).limit(1))
    return marking.OFFICIAL_SENSITIVE if sensitive is not None else marking.OFFICIAL


def national(today=None):
    """Every figure of the national picture, as JSON-ready data."""
    today = today or date.today()
    starts = month_starts(today)
    year_ago = one_year_before(today)
    rows = deployments(starts[0], today)
    by_month = {start: {"deployments": 0, "officers": 0, "staff": 0} for start in starts}
    for row in rows:
        bucket = by_month[row.deployed_on.replace(day=1)]
        bucket["deployments"] += 1
        bucket["officers"] += row.officers or 0
        bucket["staff"] += row.staff or 0
    last_year = [row for row in rows if row.deployed_on >= year_ago]
    countries = Counter(row.destination for row in last_year)
    regions = Counter(region_of(row.destination) for row in last_year)
    unmet = unmet_conditions(start_of(year_ago), end_of(today))
    return {
        "as_at": today.isoformat(),
        "sensitive_included": True,
        "marking": picture_marking(),
        # Conditions reported not met at close-outs in the last 12 months, every force, sensitive included.
        "conditions_not_met": {
            "period": {"from": year_ago.isoformat(), "to": today.isoformat()},
            "total": len(unmet),
            "items": unmet,
        },
        "pipeline": pipeline(today),
        "returned_to_forces": db.session.scalar(
            select(func.count()).select_from(AssistanceRequest).where(AssistanceRequest.state == "returned")
        ),
        "time_at_gates": {
            "period": {"from": year_ago.isoformat(), "to": today.isoformat()},
            "gates": time_at_gates(year_ago, today),
        },
        "deployments_by_month": [
            {"month": start.strftime("%Y-%m"), "label": start.strftime("%B %Y"), **by_month[start]} for start in starts
        ],
        "deployments_period": {"from": year_ago.isoformat(), "to": today.isoformat()},
        "deployments_by_region": [
            {"region": region, "deployments": regions[region]} for region in REGION_ORDER if regions[region]
        ],
        "deployments_by_country": sorted(
            (
                {"code": code, "name": country_name(code), "region": region_of(code), "deployments": count}
                for code, count in countries.items()
            ),
            key=lambda item: (-item["deployments"], item["name"]),
        ),
    }


def chart_rows(data):
    """The rows each chart of the national page draws, from `national()`'s figures."""
    return {
        "pipeline": [{"label": g["title"], "value": g["waiting"], "highlight": g["overdue"]} for g in data["pipeline"]],
        "time_at_gates": [
            {"label": g["title"], "value": g["median_working_days"] or 0} for g in data["time_at_gates"]["gates"]
        ],
        "by_month": [{"label": m["label"], "value": m["deployments"]} for m in data["deployments_by_month"]],
        "by_region": [{"label": r["region"], "value": r["deployments"]} for r in data["deployments_by_region"]],
        "by_country": [{"label": c["name"], "value": c["deployments"]} for c in data["deployments_by_country"]],
    }
