"""The ministerial route (OSJA guidance): which requests go to ministers, and what each gate may do with them.

The OSJA guidance sends a serious risk that assistance might contribute to human-rights violations to
ministers, rather than letting officials refuse it or wave it through. So:
- a gate that rates the residual risk `serious` may decline, return, or give a positive decision that
  refers the request to ministers (`refer_to_ministers` with `referral_reason`); a plain positive decision
  is refused (`hr_serious`);
- a request is also referred when marked `contentious` (by the lead or any gate), or when its full cost
  is above `S26_MINISTERIAL_COST_THRESHOLD_PENCE`;
- at the Home Office gate a referred, contentious, high-risk or serious-risk request can only be consented
  with a recorded ministerial decision (`ministerial_decision`: minister, decided on, rationale); without
  one a positive decision is refused (`ministerial_decision_required`).

`route_refusals` is the one place the serious-risk rule lives; `approvals.workflow.decision_refusals` asks it.
Pure functions over the request and the decision being made.
"""

from dataclasses import dataclass
from datetime import date

from flask import current_app

from approvals import cost_recovery, validation
from approvals.gates import GATES, HOME_OFFICE_GATE
from approvals.human_rights import Refusal
from config.settings import LONG_TEXT_MAX, SHORT_TEXT_MAX

SERIOUS = "serious"
# Residual ratings that need a minister's decision at the Home Office gate.
MINISTERIAL_RATINGS = ("high", "serious")
# The gates before the Home Office: a serious risk there is referred; after it, ministers have decided.
_BEFORE_HOME_OFFICE = tuple(gate.state for gate in GATES[: GATES.index(HOME_OFFICE_GATE)])


@dataclass(frozen=True)
class MinisterialDecision:
    minister: str = ""
    decided_on: date | None = None
    rationale: str = ""

    def as_json(self):
        return {"minister": self.minister, "decided_on": self.decided_on.isoformat(), "rationale": self.rationale}


def parse_decision(value, today=None):
    """A ministerial decision from {minister, decided_on, rationale}: (MinisterialDecision or None, field errors).
    None when nothing was given."""
    if value is None or value == {}:
        return None, {}
    if not isinstance(value, dict):
        return None, {"ministerial_decision": "Must be an object with minister, decided_on and rationale"}
    errors = {}
    minister = validation.clean_text(value.get("minister") or "")
    rationale = validation.clean_text(value.get("rationale") or "")
    if not isinstance(minister, str) or not minister:
        errors["ministerial_decision.minister"] = "Enter the minister who decided"
    elif len(minister) > SHORT_TEXT_MAX:
        errors["ministerial_decision.minister"] = f"Must be {SHORT_TEXT_MAX} characters or fewer"
    if not isinstance(rationale, str) or not rationale:
        errors["ministerial_decision.rationale"] = "Enter the minister's rationale"
    elif len(rationale) > LONG_TEXT_MAX:
        errors["ministerial_decision.rationale"] = f"Must be {LONG_TEXT_MAX} characters or fewer"
    decided_on = value.get("decided_on")
    if isinstance(decided_on, date):
        day = decided_on
    else:
        try:
            day = date.fromisoformat(decided_on) if isinstance(decided_on, str) else None
        except ValueError:
            day = None
    if day is None:
        errors["ministerial_decision.decided_on"] = "Enter the date of the minister's decision, like 2027-03-27"
    elif day > (today or date.today()):
        errors["ministerial_decision.decided_on"] = "The date of the minister's decision must be today or in the past"
    if errors:
        return None, errors
    return MinisterialDecision(minister, day, rationale), {}


def may_refer(gate):
    """Whether `gate` refers requests to ministers (the force gates, before the Home Office)."""
    return gate.state in _BEFORE_HOME_OFFICE


def _standing(request):
    return [d for d in request.decisions if not d.superseded]


def over_cost_threshold(request):
    limit = current_app.config["S26_MINISTERIAL_COST_THRESHOLD_PENCE"]
    return cost_recovery.position(request.cost_lines, request.funding).full_cost_pence > limit


def referral_reasons(request, data=None):
    """Why `request` goes to ministers, each as a sentence (empty: it does not). `data`: the decision being
    made now, whose referral counts too."""
    reasons = []
    for decision in _standing(request):
        if decision.refer_to_ministers:
            reasons.append(f"Referred at the {_gate_title(decision.gate)}: {decision.referral_reason}")
    if data is not None and data.outcome == "positive" and data.refer_to_ministers:
        reasons.append(f"Referred at this gate: {(data.referral_reason or '').strip()}")
    if request.contentious or (data is not None and getattr(data, "contentious", False)):
        why = request.contentious_reason or (getattr(data, "contentious_reason", "") if data is not None else "")
        reasons.append(f"Contentious: {why}" if why else "Contentious")
    if over_cost_threshold(request):
        limit = current_app.config["S26_MINISTERIAL_COST_THRESHOLD_PENCE"]
        reasons.append(f"The full cost is more than £{limit / 100:,.0f}")
    return reasons


def _gate_title(state):
    return next((gate.title for gate in GATES if gate.state == state), state).lower()


def residuals(request, data=None):
    ratings = [request.hr_residual] + [d.hr_residual for d in _standing(request)]
    if data is not None:
        ratings.append(data.hr.residual)
    return [r for r in ratings if r]


def needs_ministerial_decision(request, data=None):
    """A referred, contentious, over-threshold, high-risk or serious-risk request: the Home Office consents
    to it only with a recorded ministerial decision."""
    return bool(referral_reasons(request, data)) or any(r in MINISTERIAL_RATINGS for r in residuals(request, data))


def standing_ministerial_decision(request):
    """The ministerial decision recorded at the Home Office gate in this approval round, or None."""
    for decision in reversed(_standing(request)):
        if decision.ministerial_decision:
            return decision.ministerial_decision
    return None


def route_refusals(request, gate, data):
    """Why the ministerial route refuses this decision (empty when it allows it). The one place the serious
    residual risk is judged: a positive decision on a serious risk must refer the request to ministers
    before the Home Office, and be backed by a minister's decision at or after it."""
    if data.outcome != "positive":
        return []
    found = []
    if data.refer_to_ministers and not (data.referral_reason or "").strip():
        found.append(Refusal("referral_reason", "Give the reason for referring the request to ministers"))
    if data.refer_to_ministers and not may_refer(gate):
        found.append(
            Refusal(
                "refer_to_ministers",
                "Only the chief officer and PCC gates refer a request to ministers: the Home Office records the "
                "ministerial decision",
            )
        )
    if data.ministerial_decision is not None and gate is not HOME_OFFICE_GATE:
        found.append(Refusal("ministerial_decision", "Only the Home Office records a ministerial decision"))
    already_referred = any(d.refer_to_ministers for d in _standing(request))
    if data.hr.residual == SERIOUS:
        if gate.state in _BEFORE_HOME_OFFICE and not (data.refer_to_ministers or already_referred):
            found.append(
                Refusal(
                    "hr_serious",
                    "The residual human-rights risk is serious: decline, return, or refer the request to ministers",
                )
            )
        elif gate.state not in _BEFORE_HOME_OFFICE and gate is not HOME_OFFICE_GATE:
            if standing_ministerial_decision(request) is None:
                found.append(
                    Refusal(
                        "hr_serious",
                        "The residual human-rights risk is serious and no minister has decided: decline or return "
                        "the request",
                    )
                )
    if gate is HOME_OFFICE_GATE and needs_ministerial_decision(request, data) and data.ministerial_decision is None:
        found.append(
            Refusal(
                "ministerial_decision_required",
                "This request goes to ministers: record the ministerial decision (minister, date and rationale) "
                "before giving consent",
            )
        )
    return found


def ministers_decided_when_required(event):
    """The machine's condition on consent: a request on the ministerial route passes the Home Office gate only
    with a ministerial decision recorded at it."""
    request = event.model
    return not needs_ministerial_decision(request) or standing_ministerial_decision(request) is not None


def not_for_ministers(event):
    """The machine's condition on the general-authorisation route: a request on the ministerial route is not covered
    by a general authorisation; it waits at the Home Office gate for the ministers' decision."""
    return not needs_ministerial_decision(event.model)
