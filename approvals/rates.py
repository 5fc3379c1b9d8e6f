"""The rate card and the salary cost lines worked out from it (issue 24 section 3).

The policing body approves its charge rates; admins keep them here (rank or grade, daily rate, overtime, overhead,
effective from). A request's salary lines are worked out from the people named, their days and the rate in force on
the request's start date: one line per person, described by rank and days (never by name: cost lines reach returns
and exports). A worked-out line can be overridden only with a reason, and keeps the amount it came to. They are
ordinary cost lines, so every cost figure (decision pages, returns, the letter) uses them.

Pure arithmetic in `salary_pence`; everything else is a command (lock, policy, audit, one commit).
"""

from datetime import date
from typing import NamedTuple

from sqlalchemy import func, select

from approvals import audit, policy, validation
from approvals.commands import Forbidden, NotFound, Refused, atomic, lock
from approvals.cost_recovery import format_pence
from approvals.human_rights import Refusal
from config.settings import LONG_TEXT_MAX, MAX_MONEY_PENCE, SHORT_TEXT_MAX
from extensions import db
from models import ChargeRate, CostLine, DeployedPerson, Force
from models.types import utcnow

SALARY_CATEGORY = "salaries"
MAX_PERCENT = 1000
MAX_DAYS = 3660


def _round_div(numerator, denominator):
    """Integer division rounding halves up (money stays in whole pence end to end)."""
    return (2 * numerator + denominator) // (2 * denominator)


def salary_pence(rate, days, overtime_days=0):
    """What a person costs at `rate`: days at the daily rate, overtime days at the overtime multiple, then overhead."""
    base = (
        rate.daily_rate_pence * (days or 0) * 100 + rate.daily_rate_pence * (overtime_days or 0) * rate.overtime_percent
    )
    return _round_div(base * (100 + rate.overhead_percent), 100 * 100)


# --- The rate card (admin) --------------------------------------------------------------------------------------------


def rate_errors(values):
    errors = {}
    rank = values.get("rank")
    if not isinstance(rank, str) or not rank.strip():
        errors["rank"] = "Enter the rank or grade"
    elif len(rank) > SHORT_TEXT_MAX:
        errors["rank"] = f"The rank or grade must be {SHORT_TEXT_MAX} characters or fewer"
    if (message := validation.money_error(values.get("daily_rate_pence"))) is not None:
        errors["daily_rate"] = message
    for name, label in (("overtime_percent", "The overtime multiple"), ("overhead_percent", "The overhead")):
        value = values.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_PERCENT:
            errors[name] = f"{label} must be a whole percentage from 0 to {MAX_PERCENT}"
    if not isinstance(values.get("effective_from"), date):
        errors["effective_from"] = "Enter the date the rate takes effect"
    if values.get("force_id") is None or db.session.get(Force, values.get("force_id")) is None:
        errors["force"] = "Select the force whose policing body approved the rate"
    return errors


def add_rate(actor, values):
    """Add a rate to a force's card (admins). A later effective date supersedes an earlier rate for the same rank."""
    if not actor.has_role(policy.ADMIN_ROLE):
        raise Forbidden("Only admins keep the rate card")
    with atomic():
        errors = rate_errors(values)
        if errors:
            raise Refused([Refusal(name, message) for name, message in errors.items()])
        row = ChargeRate(
            force_id=values["force_id"],
            rank=values["rank"].strip(),
            daily_rate_pence=values["daily_rate_pence"],
            overtime_percent=values["overtime_percent"],
            overhead_percent=values["overhead_percent"],
            effective_from=values["effective_from"],
            example=bool(values.get("example")),
            created_by_id=actor.id,
            created_at=utcnow(),
        )
        db.session.add(row)
    return row


def card(force_id=None):
    stmt = select(ChargeRate).order_by(ChargeRate.force_id, func.lower(ChargeRate.rank), ChargeRate.effective_from)
    if force_id is not None:
        stmt = stmt.where(ChargeRate.force_id == force_id)
    return db.session.scalars(stmt).all()


def rate_for(force_id, rank, on):
    """The rate in force on `on` for `rank` (matched whatever its case and spacing), or None."""
    return db.session.scalars(
        select(ChargeRate)
        .where(
            ChargeRate.force_id == force_id,
            func.lower(ChargeRate.rank) == " ".join((rank or "").split()).lower(),
            ChargeRate.effective_from <= on,
        )
        .order_by(ChargeRate.effective_from.desc(), ChargeRate.id.desc())
        .limit(1)
    ).first()


# --- The salary lines of a request ---------------------------------------------------------------------------------


class Worked(NamedTuple):
    person: DeployedPerson
    rate: ChargeRate | None
    amount_pence: int | None
    description: str


def _description(person, rate, amount):
    parts = [f"Salary: {person.rank}, {person.days} days at {format_pence(rate.daily_rate_pence)} a day"]
    if person.overtime_days:
        parts.append(f"{person.overtime_days} overtime days at {rate.overtime_percent}%")
    if rate.overhead_percent:
        parts.append(f"{rate.overhead_percent}% overhead")
    text = ", ".join(parts) + (" (example rate)" if rate.example else "")
    return text[:SHORT_TEXT_MAX]


def work_out(request):
    """Each named person's salary at the rate in force on the request's start date (today, if it has none)."""
    on = request.start_date or date.today()
    rows = db.session.scalars(
        select(DeployedPerson).where(DeployedPerson.request_id == request.id).order_by(DeployedPerson.id)
    ).all()
    worked = []
    for person in rows:
        rate = rate_for(request.force_id, person.rank, on) if person.days else None
        if rate is None:
            why = "no days given" if not person.days else f"no rate for {person.rank or 'their rank'} on {on:%d %B %Y}"
            worked.append(Worked(person, None, None, why))
            continue
        amount = salary_pence(rate, person.days, person.overtime_days)
        worked.append(Worked(person, rate, amount, _description(person, rate, amount)))
    return worked


def stale_refusals(request):
    """Worked-out salary lines are the people's and the rate card's: once any are worked out, a submission needs them
    as the people named, their days and the rate in force now give them (a person added, their days or rank changed,
    or a new rate in force, since). Refused, never silently recomputed: the lead works them out again."""
    lines = {(line.person_id, line.computed_pence) for line in request.cost_lines if line.computed}
    if not lines:
        return []
    fresh = {(worked.person.id, worked.amount_pence) for worked in work_out(request) if worked.amount_pence is not None}
    if lines == fresh:
        return []
    return [
        Refusal(
            "salary_lines_out_of_date",
            "The salary lines no longer match the people named, their days or the rate card: work them out again",
        )
    ]


def compute_salary_lines(request_id, actor, expected_version=None):
    """Replace the request's worked-out salary lines with fresh ones (lines typed by the lead stay). A line that was
    overridden keeps its amount and reason while its person and worked-out amount are unchanged. Returns the people
    no line could be worked out for, with why."""
    with atomic():
        request = lock(request_id, expected_version, policy.check(actor, policy.EDIT))
        kept = [line for line in request.cost_lines if not line.computed]
        overridden = {
            (line.person_id, line.computed_pence): line
            for line in request.cost_lines
            if line.computed and line.override_reason
        }
        lines, missing = [], []
        for worked in work_out(request):
            if worked.amount_pence is None:
                missing.append(worked)
                continue
            if worked.amount_pence > MAX_MONEY_PENCE:
                raise Refused([Refusal("amount", "A worked-out salary is more than the largest amount a line may be")])
            previous = overridden.get((worked.person.id, worked.amount_pence))
            lines.append(
                CostLine(
                    category=SALARY_CATEGORY,
                    description=worked.description,
                    amount_pence=previous.amount_pence if previous else worked.amount_pence,
                    computed_pence=worked.amount_pence,
                    person_id=worked.person.id,
                    override_reason=previous.override_reason if previous else None,
                )
            )
        before = sorted((line.description, line.amount_pence) for line in request.cost_lines if line.computed)
        if before != sorted((line.description, line.amount_pence) for line in lines):
            request.cost_lines = kept + lines
            request.updated_at = utcnow()
            audit.append(
                request, actor, "edited:costs", request.state, request.state, "salary lines from the rate card"
            )
    return missing


def override(request_id, actor, line_id, amount_pence, reason, expected_version=None):
    """Override a worked-out salary line's amount: only with a reason, recorded on the line and in the audit trail."""
    with atomic():
        request = lock(request_id, expected_version, policy.check(actor, policy.EDIT))
        line = next((line for line in request.cost_lines if line.id == line_id), None)
        if line is None:
            raise NotFound("There is no such cost line on this request")
        errors = {}
        if not line.computed:
            errors["line"] = "Only a line worked out from the rate card is overridden: change or remove this one"
        if (message := validation.money_error(amount_pence)) is not None:
            errors["amount"] = message
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if not reason:
            errors["reason"] = "Give the reason for overriding the rate card"
        elif len(reason) > LONG_TEXT_MAX:
            errors["reason"] = f"The reason must be {LONG_TEXT_MAX} characters or fewer"
        if errors:
            raise Refused([Refusal(name, message) for name, message in errors.items()])
        line.amount_pence, line.override_reason = amount_pence, reason
        request.updated_at = utcnow()
        audit.append(request, actor, "edited:costs", request.state, request.state, "salary line overridden")
    return line
