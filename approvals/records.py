"""What is recorded after approval, and its corrections (issue 26, section 1): the deployment's start and end and
the close-out figures, each checked against what was approved, and conditions reported at close-out.

The rules here are pure and shared: `approvals.workflow.deploy` and `.close` apply them, and so does `correct`,
the command by which the force's lead or an admin corrects a recorded date or figure with a reason. A correction
writes the corrected value onto the request (so every statistic reads it), a `record_correction` row and an audit
event carrying the old and new values, shown in the timeline.
"""

from dataclasses import dataclass
from datetime import date

from approvals import audit, cost_recovery, policy
from approvals.commands import Refused, atomic, lock
from approvals.cost_recovery import format_pence
from approvals.human_rights import Refusal
from approvals.validation import clean_text, money_error, text_error
from config.settings import LONG_TEXT_MAX
from extensions import db
from models import RecordCorrection
from models.types import utcnow


def show_date(day):
    return day.strftime("%-d %B %Y") if day else "Not recorded"


def approved_full_cost(request):
    """The full cost as approved: the money lines cannot change after approval except by a variation, which
    is approved in its turn, so the lines as they stand are the approved ones."""
    return cost_recovery.position(request.cost_lines, request.funding).full_cost_pence


def clean_reason(value):
    return (clean_text(value) or "") if isinstance(value, str) else ""


def reason_problem(reason):
    if text_error(reason):
        return Refusal("reason", text_error(reason))
    if len(reason) > LONG_TEXT_MAX:
        return Refusal("reason", f"Reason must be {LONG_TEXT_MAX} characters or fewer")
    return None


def outside_approved_dates(request, day):
    """Why `day` is outside the approved dates, or None."""
    if request.start_date and day < request.start_date:
        return f"before the approved start date ({show_date(request.start_date)})"
    if request.end_date and day > request.end_date:
        return f"after the approved end date ({show_date(request.end_date)})"
    return None


def start_refusals(request, started_on, reason):
    """The rules a deployment's start date must meet."""
    found = []
    if (problem := reason_problem(reason)) is not None:
        found.append(problem)
    outside = outside_approved_dates(request, started_on)
    if outside and not reason:
        found.append(
            Refusal("deployment_dates_reason", f"The start date is {outside}: give the reason it started then")
        )
    return found


def end_refusals(request, started_on, ended_on, reason):
    """The rules a deployment's end date must meet."""
    if started_on and ended_on < started_on:
        return [Refusal("ended_on", f"End date must be on or after the start date ({show_date(started_on)})")]
    outside = outside_approved_dates(request, ended_on)
    if outside and not reason:
        return [Refusal("close_out_reason", f"The end date is {outside}: give the reason it ended then")]
    return []


def money_refusals(request, actual_cost_pence, recovered_pence, reason):
    """The rules the close-out figures must meet: valid amounts, recovered no more than spent, and an actual cost
    above the approved full cost explained."""
    found = [
        Refusal(name, f"{label}: {message}")
        for name, label, value in (
            ("actual_cost", "Actual cost", actual_cost_pence),
            ("recovered", "Amount recovered", recovered_pence),
        )
        if (message := money_error(value))
    ]
    if found:
        return found
    if recovered_pence > actual_cost_pence:
        found.append(Refusal("recovered", "Amount recovered cannot be more than the actual cost"))
    approved = approved_full_cost(request)
    if actual_cost_pence > approved and not reason:
        found.append(
            Refusal(
                "close_out_reason",
                f"The actual cost is more than the approved full cost ({format_pence(approved)}): give the reason",
            )
        )
    return found


@dataclass
class ConditionReport:
    id: int
    met: bool | None
    note: str = ""


def condition_refusals(standing, reports):
    """Every standing condition must be reported met or not met, with a note where it was not met."""
    by_id = {report.id: report for report in reports}
    found = []
    unknown = set(by_id) - {c.id for c in standing}
    if unknown:
        found.append(Refusal("conditions", "Report only the conditions attached to this request"))
    for position, condition in enumerate(standing, start=1):
        report = by_id.get(condition.id)
        if report is None or report.met is None:
            found.append(Refusal(f"condition_{condition.id}", f"Say whether condition {position} was met"))
        elif report.met is False and not report.note:
            found.append(Refusal(f"condition_{condition.id}_note", f"Say why condition {position} was not met"))
        elif report is not None and report.note and len(report.note) > LONG_TEXT_MAX:
            found.append(Refusal(f"condition_{condition.id}_note", f"Note must be {LONG_TEXT_MAX} characters or fewer"))
    return found


# --- Corrections ------------------------------------------------------------------------------------------

# What may be corrected, its label, its kind, and the states in which it has been recorded.
CORRECTABLE = {
    "deployed_on": ("Deployment start date", "date", policy.CORRECTABLE_STATES),
    "deployment_ended_on": ("Deployment end date", "date", policy.CLOSED_OUT_STATES),
    "actual_cost_pence": ("Actual full cost", "money", policy.CLOSED_OUT_STATES),
    "recovered_pence": ("Amount recovered", "money", policy.CLOSED_OUT_STATES),
}


def show_value(field, value):
    if value is None:
        return "Not recorded"
    return show_date(value) if CORRECTABLE[field][1] == "date" else format_pence(value)


def _stored(field, value):
    """The value as the correction row and the audit event carry it."""
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def correctable_fields(request):
    return [name for name, (_, _, states) in CORRECTABLE.items() if request.state in states]


def correction_refusals(request, field, value, reason):
    found = []
    if field not in correctable_fields(request):
        return [Refusal("field", "Select a recorded date or figure to correct")]
    if not reason:
        found.append(Refusal("reason", "Enter the reason for the correction"))
    elif (problem := reason_problem(reason)) is not None:
        found.append(problem)
    kind = CORRECTABLE[field][1]
    if kind == "date" and not isinstance(value, date):
        return [*found, Refusal("value", "Enter the corrected date")]
    if kind == "money" and (message := money_error(value)):
        return [*found, Refusal("value", f"{CORRECTABLE[field][0]}: {message}")]
    if getattr(request, field) == value:
        found.append(Refusal("value", f"The {CORRECTABLE[field][0].lower()} is already {show_value(field, value)}"))
    # The corrected record must still hang together: started before it ended, recovered no more than spent.
    started = value if field == "deployed_on" else request.deployed_on
    ended = value if field == "deployment_ended_on" else request.deployment_ended_on
    if started and ended and ended < started:
        found.append(Refusal("value", "The deployment cannot end before it started"))
    actual = value if field == "actual_cost_pence" else request.actual_cost_pence
    recovered = value if field == "recovered_pence" else request.recovered_pence
    if actual is not None and recovered is not None and recovered > actual:
        found.append(Refusal("value", "Amount recovered cannot be more than the actual cost"))
    return found


def correct(request_id, actor, field, value, reason, expected_version=None):
    """Correct a recorded deployment date or close-out figure, with a reason; the old and new values are audited."""
    reason = clean_reason(reason)
    with atomic():
        request = lock(request_id, expected_version, policy.check(actor, policy.CORRECT))
        refusals = correction_refusals(request, field, value, reason)
        if refusals:
            raise Refused(refusals)
        old = getattr(request, field)
        setattr(request, field, value)
        row = RecordCorrection(
            request_id=request.id,
            field=field,
            old_value=_stored(field, old),
            new_value=_stored(field, value),
            reason=reason,
            corrected_by_id=actor.id,
            corrected_at=utcnow(),
        )
        db.session.add(row)
        request.updated_at = utcnow()
        audit.append(
            request,
            actor,
            f"corrected:{field}",
            request.state,
            request.state,
            f"{CORRECTABLE[field][0]}: {show_value(field, old)} -> {show_value(field, value)}. Reason: {reason}",
        )
    return row


def corrections(request):
    return db.session.query(RecordCorrection).filter_by(request_id=request.id).order_by(RecordCorrection.id).all()


def request_for_correction(user, request_id):
    """The request whose deployment record `user` would correct: the policy's refusal (404 unseen, 403, 409)
    otherwise. An admin sees no request but may correct any force's record."""
    from approvals.commands import NotFound
    from models import AssistanceRequest

    request = db.session.get(AssistanceRequest, request_id)
    if request is None:
        raise NotFound()
    policy.require(user, policy.CORRECT, request)
    return request


@dataclass
class RecordView:
    """What the request page shows of the approval's outputs and the deployment record."""

    letter: object
    old_letters: list
    conditions: list
    unmet: list
    corrections: list
    may_correct: bool


def view(request, user):
    from approvals import letters  # here: letters builds on the workflow, which builds on this module

    holder = request.variation_of if request.is_variation and request.state == "approved" else request
    issued = letters.letters(holder) if holder.state in letters.LETTER_STATES else []
    conditions = [c for c in request.conditions if not c.superseded]
    return RecordView(
        letter=issued[0] if issued and issued[0].superseded_by_id is None else None,
        old_letters=issued[1:],
        conditions=conditions,
        unmet=[c for c in conditions if c.met is False],
        corrections=corrections(request),
        may_correct=policy.can(user, policy.CORRECT, request),
    )
