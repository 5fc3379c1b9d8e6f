"""Periodic returns to the PCC: what one force's section 26 work came to in a period (issue 18).

A return is for the force's own oversight, not publication: sensitive requests are counted and marked,
never left out. Figures are read from the record as it stood, not as it stands today:

- received: requests (not variations) first submitted in the period;
- decisions: every gate decision recorded in the period, by gate and outcome (variations' too, and decisions
  later superseded by a material change: they were still decided);
- approved, withdrawn, declined: requests (not variations) whose audit trail reached that state in the period;
- deployed, officers, staff: requests whose deployment started (the lead's `deployed_on`) in the period;
- full cost and recovered: the actual cost and recovery the lead reconciled at close-out, for requests closed in
  the period;
- open: requests waiting at a gate, or returned to the force, at the end of the period, rebuilt from the audit
  trail; overdue when more working days passed at the gate than it allows, less any days its clock was paused
  for a question to the submitter (and never while a question was open).
- conditions not met: conditions on approvals reported not met at close-outs in the period.

Every force's return for a period is read at once (`period_returns`): each figure is one statement grouped by
force, driven by the period's own rows.
"""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app
from openpyxl import Workbook
from sqlalchemy import func, select, union

from approvals import marking, policy
from approvals.gates import GATE_BY_STATE, GATE_STATES, GATES
from approvals.machine import OPEN_STATES
from approvals.transparency import safe_cell
from approvals.workflow import is_working_day
from extensions import db
from models import (
    AssistanceRequest,
    AuditEvent,
    CaseQuery,
    Condition,
    Force,
    GateDecision,
    OutboxMessage,
    User,
    UserRole,
)
from models.reference_data import country_name

OUTCOMES = ("positive", "decline", "return")
EVENT_FIGURES = ("approved", "withdrawn", "declined")
READERS = tuple(sorted(policy.DECIDER_ROLES))
RECIPIENT_ROLES = tuple(sorted(policy.FORCE_DECIDER_ROLES))
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def start_of(day):
    return datetime.combine(day, time.min)


def end_of(day):
    """The first moment after `day` (audit times are UTC, to the second)."""
    return datetime.combine(day + timedelta(days=1), time.min)


def working_days(start, end):
    """Working days after `start` up to and including `end`: entered on a Monday, still there on Tuesday is 1."""
    days, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            days += 1
    return days


@dataclass
class Return:
    force: Force
    date_from: date
    date_to: date
    received: int = 0
    sensitive_received: int = 0
    decisions: dict = field(default_factory=lambda: {g.state: dict.fromkeys(OUTCOMES, 0) for g in GATES})
    approved: int = 0
    deployed: int = 0
    closed: int = 0
    withdrawn: int = 0
    declined: int = 0
    open: list = field(default_factory=list)
    officers: int = 0
    staff: int = 0
    full_cost_pence: int = 0
    recovered_pence: int = 0
    # Conditions reported not met at close-outs in the period: reference, condition, gate, note, sensitive.
    unmet: list = field(default_factory=list)

    @property
    def conditions_not_met(self):
        return len(self.unmet)

    @property
    def overdue(self):
        return sum(1 for item in self.open if item["overdue"])

    @property
    def recovery_percent(self):
        return None if not self.full_cost_pence else round(100 * self.recovered_pence / self.full_cost_pence, 1)

    def as_json(self):
        return {
            "force": self.force.slug,
            "force_name": self.force.name,
            "marking": marking.of_return(self),
            "period": {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()},
            "received": self.received,
            "sensitive_received": self.sensitive_received,
            "decisions": {gate: dict(outcomes) for gate, outcomes in self.decisions.items()},
            "approved": self.approved,
            "deployed": self.deployed,
            "closed": self.closed,
            "withdrawn": self.withdrawn,
            "declined": self.declined,
            "open": [dict(item, entered_on=item["entered_on"].isoformat()) for item in self.open],
            "overdue": self.overdue,
            "officers": self.officers,
            "staff": self.staff,
            "full_cost_pence": self.full_cost_pence,
            "recovered_pence": self.recovered_pence,
            "recovery_percent": self.recovery_percent,
            "conditions_not_met": self.conditions_not_met,
            "unmet_conditions": list(self.unmet),
        }


EARLIEST = date(2000, 1, 1)


def period_error(date_from, date_to, today=None):
    """Why a period cannot be reported on, or None: in order, from 2000 up to the end of next year."""
    latest = date((today or date.today()).year + 1, 12, 31)
    if date_to < date_from:
        return "The end of the period must be the same as or after the start"
    if date_from < EARLIEST or date_to > latest:
        return f"The period must fall between 1 January 2000 and {latest.strftime('%-d %B %Y')}"
    return None


def force_by_slug(slug):
    force = db.session.scalars(select(Force).where(Force.slug == slug)).first()
    if force is None:
        raise LookupError(slug)
    return force


def period_return(force, date_from, date_to):
    """The return for `force` over `date_from`..`date_to` inclusive."""
    return period_returns([force], date_from, date_to)[0]


def period_returns(forces, date_from, date_to):
    """The returns of `forces` over `date_from`..`date_to` inclusive, in their order.

    Each figure is one statement for all of them, grouped by force, driven by the period's own rows (an index on
    each date): every force's return for a month reads that month, not each force's ten years in turn.
    """
    start, end = start_of(date_from), end_of(date_to)
    results = {force.id: Return(force, date_from, date_to) for force in forces}
    force = AssistanceRequest.force_id
    ours = force.in_(list(results))
    not_variation = AssistanceRequest.variation_of_id.is_(None)

    received = (
        select(force, func.count(), func.count().filter(AssistanceRequest.sensitive.is_(True)))
        .where(ours, not_variation, AssistanceRequest.submitted_at >= start, AssistanceRequest.submitted_at < end)
        .group_by(force)
    )
    for force_id, count, sensitive in db.session.execute(received):
        results[force_id].received, results[force_id].sensitive_received = count, sensitive

    decisions = (
        select(force, GateDecision.gate, GateDecision.outcome, func.count())
        .join(AssistanceRequest, AssistanceRequest.id == GateDecision.request_id)
        .where(ours, GateDecision.decided_at >= start, GateDecision.decided_at < end)
        .group_by(force, GateDecision.gate, GateDecision.outcome)
    )
    for force_id, gate, outcome, count in db.session.execute(decisions):
        if gate in results[force_id].decisions and outcome in OUTCOMES:
            results[force_id].decisions[gate][outcome] = count

    reached = (
        select(force, AuditEvent.to_state, func.count(func.distinct(AuditEvent.request_id)))
        .join(AssistanceRequest, AssistanceRequest.id == AuditEvent.request_id)
        .where(
            ours,
            not_variation,
            # A request that moved in the period was changed then, and `updated_at` only moves forward: only the
            # requests changed since the period began are read (by their force and last change), not ten years.
            AssistanceRequest.updated_at >= start,
            AuditEvent.to_state.in_(EVENT_FIGURES),
            AuditEvent.from_state != AuditEvent.to_state,
            AuditEvent.at >= start,
            AuditEvent.at < end,
        )
        .group_by(force, AuditEvent.to_state)
    )
    for force_id, state, count in db.session.execute(reached):
        setattr(results[force_id], state, count)

    def count_and_sum(first, second, *period):
        """Per force: how many requests match `period`, and the sums of two of their columns."""
        total = lambda column: func.coalesce(func.sum(column), 0)  # noqa: E731
        stmt = select(force, func.count(), total(first), total(second)).where(ours, not_variation, *period)
        return (
            (results[force_id], (int(n) for n in figures))
            for force_id, *figures in db.session.execute(stmt.group_by(force))
        )

    deployed_in_period = (AssistanceRequest.deployed_on >= date_from, AssistanceRequest.deployed_on <= date_to)
    for result, figures in count_and_sum(AssistanceRequest.officers, AssistanceRequest.staff, *deployed_in_period):
        result.deployed, result.officers, result.staff = figures
    closed_in_period = (AssistanceRequest.closed_at >= start, AssistanceRequest.closed_at < end)
    costs = (AssistanceRequest.actual_cost_pence, AssistanceRequest.recovered_pence)
    for result, figures in count_and_sum(*costs, *closed_in_period):
        result.closed, result.full_cost_pence, result.recovered_pence = figures

    for force_id, items in open_at_each(list(results), date_to).items():
        results[force_id].open = items
    for item in unmet_conditions(start, end, force_ids=list(results)):
        results[item.pop("force_id")].unmet.append(item)
    return list(results.values())


def unmet_conditions(start, end, force_ids=None):
    """Conditions reported not met at close-outs between `start` and `end` (datetimes), oldest first: of the forces
    `force_ids` when given, each item naming its force."""
    stmt = (
        select(
            Condition,
            AssistanceRequest.reference,
            AssistanceRequest.id,
            AssistanceRequest.sensitive,
            AssistanceRequest.force_id,
        )
        .join(AssistanceRequest, AssistanceRequest.id == Condition.request_id)
        .where(
            Condition.met.is_(False),
            Condition.superseded_at.is_(None),
            Condition.reported_at >= start,
            Condition.reported_at < end,
        )
        .order_by(Condition.reported_at, Condition.id)
    )
    if force_ids is not None:
        stmt = stmt.where(AssistanceRequest.force_id.in_(force_ids))
    return [
        {
            "force_id": force_id,
            "request_id": request_id,
            "reference": reference,
            "condition": condition.text,
            "gate": GATE_BY_STATE[condition.gate].title if condition.gate in GATE_BY_STATE else condition.gate,
            "note": condition.note,
            "reported_on": condition.reported_at.date().isoformat(),
            "sensitive": bool(sensitive),
        }
        for condition, reference, request_id, sensitive, force_id in db.session.execute(stmt)
    ]


def open_at(force, day):
    """Requests of `force` waiting at a gate or returned to the force at the end of `day`, oldest first."""
    return open_at_each([force.id], day)[force.id]


def open_at_each(force_ids, day):
    """`open_at` of each of the forces `force_ids` (one statement for them all): {force id: items}."""
    end = end_of(day)
    each = {force_id: [] for force_id in force_ids}
    ours = AssistanceRequest.force_id.in_(force_ids)
    # Only these requests' histories are read: a request neither open now nor changed since the day began is where
    # it was at the day's end (not open), and one first submitted after the day was never open on it. The rest of
    # a force's ten years are not read. Two indexed reads (by state, by last change), not one read with an OR.
    maybe_open = union(
        select(AssistanceRequest.id).where(ours, AssistanceRequest.state.in_(OPEN_STATES)),
        select(AssistanceRequest.id).where(
            ours, AssistanceRequest.updated_at >= start_of(day), AssistanceRequest.submitted_at < end
        ),
    )
    # Each of those requests' last transition before the day ended, numbered from the last: no self-join, so the
    # planner reads the candidates' events by request and never scans the whole trail for one state.
    last = (
        select(
            AuditEvent.request_id,
            AuditEvent.to_state,
            AuditEvent.at,
            func.row_number().over(partition_by=AuditEvent.request_id, order_by=AuditEvent.seq.desc()).label("nth"),
        )
        .where(
            AuditEvent.request_id.in_(maybe_open),
            AuditEvent.at < end,
            # Transitions only: a question, a note or an upload is recorded with the state it left unchanged.
            AuditEvent.to_state.is_not(None),
            AuditEvent.from_state.is_distinct_from(AuditEvent.to_state),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(AssistanceRequest, last.c.to_state, last.c.at)
        .join(last, last.c.request_id == AssistanceRequest.id)
        .where(last.c.nth == 1, last.c.to_state.in_(OPEN_STATES))
        .order_by(last.c.at, AssistanceRequest.id)
    ).all()
    if not rows:
        return each
    # Questions bear on overdue: one open at the end of the day pauses the clock; answered ones moved it on.
    questions = defaultdict(list)
    for query in db.session.scalars(
        select(CaseQuery).where(CaseQuery.request_id.in_([r[0].id for r in rows]), CaseQuery.asked_at < end)
    ):
        questions[query.request_id].append(query)
    config = current_app.config
    for request, state, entered in rows:
        submitted = (request.submitted_at or entered).date()
        at_gate = working_days(entered.date(), day)
        item = {
            "id": request.id,
            "reference": request.reference,
            "title": request.title,
            "destination": request.destination,
            "country": country_name(request.destination),
            "state": state,
            "gate": GATE_BY_STATE[state].title if state in GATE_BY_STATE else "Returned to the force",
            "entered_on": entered.date(),
            "age_days": (day - submitted).days,
            "working_days_at_gate": at_gate,
            "sensitive": bool(request.sensitive),
            "marking": marking.marking_of(request),
            "variation": request.is_variation,
            "urgent": bool(request.urgent),
            "overdue": False,
        }
        if state in GATE_STATES:
            visit = [q for q in questions[request.id] if q.gate == state and q.asked_at >= entered]
            if not any(q.answered_at is None or q.answered_at >= end for q in visit):
                allowed = config["S26_URGENT_GATE_DAYS"] if request.urgent else config["S26_NORMAL_GATE_DAYS"]
                allowed += sum(q.paused_working_days or 0 for q in visit)
                item["overdue"] = at_gate > allowed
        each[request.force_id].append(item)
    return each


# --- Periods ------------------------------------------------------------------------------------


def month_period(year, month):
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def half_year_period(year, month):
    """The half year (January to June, or July to December) holding `month`."""
    return (date(year, 1, 1), date(year, 6, 30)) if month <= 6 else (date(year, 7, 1), date(year, 12, 31))


def last_complete(kind, today=None):
    """The last complete month or half year before `today`."""
    today = today or date.today()
    if kind == "month":
        previous = today.replace(day=1) - timedelta(days=1)
        return month_period(previous.year, previous.month)
    if today.month <= 6:
        return half_year_period(today.year - 1, 12)
    return half_year_period(today.year, 1)


def period_for(kind, year_month):
    """The month, or half year holding it, named by `YYYY-MM`."""
    year, month = (int(part) for part in year_month.split("-"))
    if not 1 <= month <= 12:
        raise ValueError(year_month)
    return month_period(year, month) if kind == "month" else half_year_period(year, month)


def period_label(date_from, date_to):
    if date_from.day == 1 and date_to == month_period(date_from.year, date_from.month)[1]:
        return date_from.strftime("%B %Y")
    return f"{date_from.strftime('%-d %B %Y')} to {date_to.strftime('%-d %B %Y')}"


# --- Who may read a return ----------------------------------------------------------------------


def may_read(user, force):
    """The force's chief officers and PCC office; the Home Office and IPAB for every force."""
    return policy.may_read_return(user, force.id)


# --- Excel ----------------------------------------------------------------------------------------

FIGURES = [
    ("received", "Requests received"),
    ("sensitive_received", "of which sensitive"),
    ("approved", "Approved (all four gates)"),
    ("deployed", "Deployments started"),
    ("closed", "Closed out"),
    ("withdrawn", "Withdrawn"),
    ("declined", "Declined"),
    ("open_count", "Open at the end of the period"),
    ("overdue", "of which overdue at their gate"),
    ("officers", "Police officers deployed"),
    ("staff", "Police staff deployed"),
    ("conditions_not_met", "Conditions not met"),
]
OUTCOME_LABELS = {"positive": "Positive", "decline": "Declined", "return": "Returned for information"}
NOTES = [
    ("Sensitive requests", "Included in every figure (this return is for oversight, not publication) and marked."),
    ("Received", "Requests first submitted in the period; variations of approved requests are not counted."),
    ("Decisions", "Every gate decision recorded in the period, including decisions on variations."),
    ("Deployed", "Deployments whose start date, as the lead recorded it, falls in the period."),
    ("Costs", "Actual full cost and amount recovered reconciled at close-out, for requests closed in the period."),
    ("Open", "Waiting at a gate or returned to the force at the end of the period, from the audit trail."),
    ("Conditions", "Conditions attached to approvals that the lead reported not met at a close-out in the period."),
]


def figure(result, name):
    return len(result.open) if name == "open_count" else getattr(result, name)


def to_xlsx(result):
    """The return as a workbook: summary, decisions, open requests, notes. Text is formula-injection safe."""
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet("Summary")
    summary.append(["Force", safe_cell(result.force.name)])
    summary.append(["Period", f"{result.date_from.isoformat()} to {result.date_to.isoformat()}"])
    summary.append(["Measure", "Number"])
    for name, heading in FIGURES:
        summary.append([heading, figure(result, name)])
    summary.append(["Full cost (pence)", result.full_cost_pence])
    summary.append(["Recovered (pence)", result.recovered_pence])
    summary.append(["Recovery rate (%)", result.recovery_percent])
    decisions = workbook.create_sheet("Decisions")
    decisions.append(["Gate", *OUTCOME_LABELS.values()])
    for gate in GATES:
        decisions.append([gate.title, *(result.decisions[gate.state][o] for o in OUTCOMES)])
    open_sheet = workbook.create_sheet("Open requests")
    open_sheet.append(
        [
            "Reference",
            "Title",
            "Destination",
            "Waiting at",
            "Since",
            "Age (days)",
            "Working days at gate",
            "Overdue",
            "Sensitive",
            "Variation",
        ]
    )
    for item in result.open:
        open_sheet.append(
            [
                safe_cell(item["reference"]),
                safe_cell(item["title"]),
                safe_cell(item["country"]),
                item["gate"],
                item["entered_on"],
                item["age_days"],
                item["working_days_at_gate"],
                "Yes" if item["overdue"] else "No",
                "Yes" if item["sensitive"] else "No",
                "Yes" if item["variation"] else "No",
            ]
        )
    unmet = workbook.create_sheet("Conditions not met")
    unmet.append(["Reference", "Condition", "Set at", "Note", "Reported on", "Sensitive"])
    for item in result.unmet:
        unmet.append(
            [
                safe_cell(item["reference"]),
                safe_cell(item["condition"]),
                item["gate"],
                safe_cell(item["note"] or ""),
                item["reported_on"],
                "Yes" if item["sensitive"] else "No",
            ]
        )
    notes = workbook.create_sheet("Notes")
    notes.append(["Term", "Definition"])
    for term, definition in NOTES:
        notes.append([term, definition])
    out = io.BytesIO()
    workbook.save(out)
    return marking.mark_xlsx(out.getvalue(), marking.of_return(result))


PDF_MIMETYPE = "application/pdf"


def to_pdf(result):
    """The return as an A4 PDF (approvals.pdf): figures, decisions, costs, open requests, unmet conditions, notes.
    Marked OFFICIAL-SENSITIVE when it counts a sensitive request, else OFFICIAL."""
    from approvals.cost_recovery import format_pence
    from approvals.marking import OFFICIAL, OFFICIAL_SENSITIVE
    from approvals.pdf import MarkedPdf

    sensitive = result.sensitive_received or any(i["sensitive"] for i in result.open + result.unmet)
    period = period_label(result.date_from, result.date_to)
    pdf = MarkedPdf(
        OFFICIAL_SENSITIVE if sensitive else OFFICIAL,
        f"Section 26 return, {result.force.name}, {period}",
        f"Section 26 return: {result.force.name}, {period}",
        "Section 26 approvals",
    )
    pdf.title_block(f"Section 26 return: {result.force.name}")
    pdf.para(f"Period: {period}. Sensitive requests are included in every figure and marked.")
    pdf.heading("Figures")
    pdf.key_values([(heading, str(figure(result, name))) for name, heading in FIGURES])
    pdf.heading("Cost recovery (requests closed out in the period)")
    rate = "Not applicable" if result.recovery_percent is None else f"{result.recovery_percent}%"
    pdf.key_values(
        [
            ("Actual full cost", format_pence(result.full_cost_pence)),
            ("Recovered", format_pence(result.recovered_pence)),
            ("Recovery rate", rate),
        ]
    )
    pdf.heading("Decisions at each gate")
    pdf.grid(
        ["Gate", *OUTCOME_LABELS.values()],
        [[gate.title, *(str(result.decisions[gate.state][o]) for o in OUTCOMES)] for gate in GATES],
        col_widths=(40, 20, 20, 20),
    )
    pdf.heading("Open at the end of the period")
    if result.open:
        pdf.grid(
            ["Reference", "Title", "Waiting at", "Since", "Age (days)", "Overdue"],
            [
                [
                    item["reference"] + (" (sensitive)" if item["sensitive"] else ""),
                    item["title"],
                    item["gate"],
                    item["entered_on"].strftime("%-d %B %Y"),
                    str(item["age_days"]),
                    "Yes" if item["overdue"] else "No",
                ]
                for item in result.open
            ],
            col_widths=(24, 30, 20, 16, 10, 10),
        )
    else:
        pdf.para("None.")
    pdf.heading("Conditions not met")
    if result.unmet:
        pdf.grid(
            ["Reference", "Condition", "Set at", "Note"],
            [
                [
                    item["reference"] + (" (sensitive)" if item["sensitive"] else ""),
                    item["condition"],
                    item["gate"],
                    item["note"] or "",
                ]
                for item in result.unmet
            ],
            col_widths=(22, 35, 18, 35),
        )
    else:
        pdf.para("None reported in the period.")
    pdf.heading("Notes")
    pdf.key_values(NOTES)
    return pdf.bytes()


def filename(result, extension):
    period = f"{result.date_from.isoformat()}-to-{result.date_to.isoformat()}"
    return f"section-26-return-{result.force.slug}-{period}.{extension}"


# --- Sending --------------------------------------------------------------------------------------


def recipients(force):
    """Active PCC office users and chief officers of `force` who take email."""
    return db.session.execute(
        select(User.id, User.email, User.name)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.role.in_(RECIPIENT_ROLES),
            User.force_id == force.id,
            User.active.is_(True),
            User.no_email.is_(False),
        )
        .distinct()
        .order_by(User.id)
    ).all()


def idempotency_key(force, date_from, date_to, user_id):
    return f"return:{force.slug}:{date_from.isoformat()}:{date_to.isoformat()}:{user_id}"


def queue_returns(date_from, date_to):
    """Queue each force's return for the period to its PCC office and chief officers, once per force, period and
    person however often it runs (the outbox's idempotency key). Returns (forces, messages queued)."""
    base = current_app.config["S26_BASE_URL"].rstrip("/")
    prefix = f"return:%:{date_from.isoformat()}:{date_to.isoformat()}:%"
    already = set(
        db.session.scalars(select(OutboxMessage.idempotency_key).where(OutboxMessage.idempotency_key.like(prefix)))
    )
    waiting = []  # (force, the people still to be sent its return)
    for force in db.session.scalars(select(Force).order_by(Force.name)):
        people = [p for p in recipients(force) if idempotency_key(force, date_from, date_to, p.id) not in already]
        if people:
            waiting.append((force, people))
    made = period_returns([force for force, _people in waiting], date_from, date_to) if waiting else []
    queued = 0
    for (force, people), result in zip(waiting, made, strict=True):
        link = f"{base}/reports/returns?force={force.slug}&from={date_from.isoformat()}&to={date_to.isoformat()}"
        context = {"force": force.name, "period": period_label(date_from, date_to), "link": link}
        # A return that counts or lists anything OFFICIAL-SENSITIVE is itself OFFICIAL-SENSITIVE: its email carries
        # none of its figures (they would tell, beside the FOI figures, how many sensitive requests there were), only
        # the link (issue 25, approvals.marking).
        if marking.of_return(result) == marking.OFFICIAL_SENSITIVE:
            context["marking"] = marking.OFFICIAL_SENSITIVE
        else:
            context |= {
                "figures": [[heading, figure(result, name)] for name, heading in FIGURES],
                "decisions": [[gate.title, *(result.decisions[gate.state][o] for o in OUTCOMES)] for gate in GATES],
                "full_cost_pence": result.full_cost_pence,
                "recovered_pence": result.recovered_pence,
                "recovery_percent": result.recovery_percent,
                "conditions_not_met": result.conditions_not_met,
            }
        for person in people:
            db.session.add(
                OutboxMessage(
                    idempotency_key=idempotency_key(force, date_from, date_to, person.id),
                    recipient=person.email,
                    template="pcc_return",
                    context=dict(context, greeting=person.name or person.email),
                )
            )
            queued += 1
    db.session.commit()
    return len(waiting), queued
