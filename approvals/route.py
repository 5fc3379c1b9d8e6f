"""The route the law sets for a request (issue 23): the Home Secretary's general authorisations and the
Home Office's call-in.

Section 26(3) of the Police Act 1996: the power is exercised "with the consent of the Secretary of State or in
accordance with a general authorisation given by him". A request that names a general authorisation, and that it
still covers when the PCC approves (not revoked, in force, every dimension of its scope met), goes on to IPAB
without an individual Home Secretary consent. That is a condition on the machine's transition
(`approvals.machine`), which reads `covering_authorisation` here under the request's row lock; views never decide
the route. The Home Office may call a covered request in before it is approved: it then needs individual consent.

The commands that record and revoke an authorisation live here too (they change no request). The state change of
a call-in is `approvals.workflow.call_in`.
"""

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text

from approvals import cost_recovery, validation
from approvals.commands import Forbidden, NotFound, Refused, WrongState, atomic
from approvals.gates import GATES, HOME_OFFICE_GATE
from approvals.human_rights import Refusal
from config.settings import LONG_TEXT_MAX, MAX_MONEY_PENCE, MAX_PEOPLE, SHORT_TEXT_MAX
from extensions import db
from models import AssistanceRequest, AuthorisationEvent, GeneralAuthorisation
from models.reference_data import ASSISTANCE_KINDS, PURPOSES, country_name, label, normalise_destination
from models.types import utcnow

INDIVIDUAL_CONSENT = "individual_consent"
GENERAL_AUTHORISATION = "general_authorisation"
CONSENT_BASES = (INDIVIDUAL_CONSENT, GENERAL_AUTHORISATION)

OUT_OF_SCOPE = "general_authorisation_out_of_scope"
REFERENCE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,39}$")
REFERENCE_MAX = 40
# The states in which the Home Office may still call a covered request in: submitted, not yet approved, and not at
# the Home Office already.
CALL_IN_STATES = tuple(gate.state for gate in GATES if gate is not HOME_OFFICE_GATE)
MAX_DAYS = 3660


# --- Scope -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """One dimension of an authorisation's scope that a request does not fit."""

    dimension: str  # validity | dates | countries | purposes | assistance_kinds | personnel | days | cost
    message: str


def _day(value):
    return value.strftime("%-d %B %Y")


def scope_gaps(authorisation, request, today=None):
    """Every dimension in which `authorisation` does not cover `request` today; empty when it covers it."""
    today = today or date.today()
    gaps = []
    if authorisation.revoked_at is not None:
        gaps.append(Gap("validity", f"it was revoked on {_day(authorisation.revoked_at)}"))
    elif not authorisation.in_force_on(today):
        gaps.append(
            Gap(
                "validity",
                f"it is in force from {_day(authorisation.valid_from)} to {_day(authorisation.valid_to)}, not today",
            )
        )
    start, end = request.start_date, request.end_date
    if start and end and (start < authorisation.valid_from or end > authorisation.valid_to):
        gaps.append(
            Gap(
                "dates",
                f"the assistance runs {_day(start)} to {_day(end)}, outside "
                f"{_day(authorisation.valid_from)} to {_day(authorisation.valid_to)}",
            )
        )
    if authorisation.countries and request.destination not in authorisation.countries:
        where = country_name(request.destination) or "the country"
        gaps.append(Gap("countries", f"{where} is not among its countries"))
    if authorisation.purposes and request.purpose not in authorisation.purposes:
        gaps.append(Gap("purposes", f"the purpose ({label(PURPOSES, request.purpose)}) is not among its purposes"))
    kind = request.assistance_kind
    if authorisation.assistance_kinds and kind not in authorisation.assistance_kinds:
        gaps.append(Gap("assistance_kinds", f"the kind of assistance ({label(ASSISTANCE_KINDS, kind)}) is not covered"))
    people = personnel(request)
    if authorisation.max_personnel is not None and people > authorisation.max_personnel:
        gaps.append(Gap("personnel", f"{people} officers and staff, more than its {authorisation.max_personnel}"))
    days = request.duration_days
    if authorisation.max_days is not None and days is not None and days > authorisation.max_days:
        gaps.append(Gap("days", f"{days} days, more than its {authorisation.max_days}"))
    cost = cost_recovery.full_cost(request.cost_lines)
    if authorisation.max_cost_pence is not None and cost > authorisation.max_cost_pence:
        gaps.append(
            Gap(
                "cost",
                f"a full cost of {cost_recovery.format_pence(cost)}, more than its "
                f"{cost_recovery.format_pence(authorisation.max_cost_pence)}",
            )
        )
    return gaps


def describe_gaps(reference, gaps):
    return f"General authorisation {reference} does not cover this request: " + "; ".join(
        f"{gap.dimension.replace('_', ' ')}: {gap.message}" for gap in gaps
    )


def find(reference, lock=False):
    """The authorisation with `reference`, read afresh. `lock`: held against a revocation until the caller's
    transaction ends (PostgreSQL: FOR SHARE; SQLite: the caller already holds the database's write lock)."""
    if not reference:
        return None
    stmt = (
        select(GeneralAuthorisation)
        .where(GeneralAuthorisation.reference == reference)
        .execution_options(populate_existing=True)
    )
    if lock and db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(read=True)
    return db.session.scalars(stmt).first()


def submit_refusals(request):
    """At submission: the named authorisation must cover the request in every dimension (422, each named)."""
    if not request.general_authorisation:
        return []
    authorisation = find(request.general_authorisation)
    gaps = scope_gaps(authorisation, request) if authorisation else [Gap("reference", "it does not exist")]
    return [Refusal(OUT_OF_SCOPE, describe_gaps(request.general_authorisation, gaps))] if gaps else []


def covering_authorisation(request, lock=False):
    """The general authorisation that covers `request` now, or None: it names one, the Home Office has not called
    it in, and the authorisation is not revoked, in force and in scope. Read under the request's row lock when the
    machine asks (the condition of the PCC's approval that skips the Home Office gate)."""
    if not request.general_authorisation or request.called_in_at is not None:
        return None
    authorisation = find(request.general_authorisation, lock=lock)
    if authorisation is None or scope_gaps(authorisation, request):
        return None
    return authorisation


def why_not_covered(request):
    """Why a request that names an authorisation still needs individual consent (for the lead)."""
    if request.called_in_at is not None:
        return f"the Home Office called it in: {request.call_in_reasons}"
    authorisation = find(request.general_authorisation)
    if authorisation is None:
        return "the authorisation does not exist"
    return describe_gaps(request.general_authorisation, scope_gaps(authorisation, request))


def consent_basis(request):
    """How the request's consent is given: settled when the PCC approves; until then, the route it is on."""
    if request.consent_basis:
        return request.consent_basis
    if request.general_authorisation and request.called_in_at is None:
        return GENERAL_AUTHORISATION
    return INDIVIDUAL_CONSENT


def covered_text(request):
    authorisation = find(request.general_authorisation)
    text_ = f"Covered by general authorisation {request.general_authorisation}"
    if authorisation is not None and authorisation.conditions:
        text_ += f". Conditions: {authorisation.conditions}"
    return text_


# What each route event adds to the timeline, the audit trail and the emails. Read by approvals.workflow.
def settle_consent_basis(request, trigger, source, dest):
    """After a transition: the consent basis is settled when the PCC approves, and a call-in makes it individual;
    a restarted round unsettles it."""
    if source == "awaiting_pcc" and dest == "awaiting_ipab" and trigger == "approve":
        request.consent_basis = GENERAL_AUTHORISATION
    elif source == "awaiting_pcc" and dest == "awaiting_home_secretary":
        request.consent_basis = INDIVIDUAL_CONSENT
    elif trigger == "call_in":
        request.consent_basis = INDIVIDUAL_CONSENT
    elif dest == "awaiting_chief_officer":
        request.consent_basis = None


def transition_note(request, trigger, source, dest):
    """The sentence a route transition adds, or None."""
    if trigger == "approve" and dest == "awaiting_ipab":
        return covered_text(request) + ". No individual Home Secretary consent is needed."
    if trigger == "approve" and dest == "awaiting_home_secretary" and request.general_authorisation:
        return (
            f"Not covered by general authorisation {request.general_authorisation} ({why_not_covered(request)}): "
            "it goes to the Home Office for individual Home Secretary consent."
        )
    if trigger == "call_in":
        return f"The Home Office requires individual consent: {request.call_in_reasons}"
    if trigger == "align" and dest == "approved" and request.consent_basis == GENERAL_AUTHORISATION:
        return covered_text(request)
    return None


def may_call_in(request):
    """Whether the Home Office may call `request` in now: it is on the general authorisation route and not yet
    approved."""
    if not request.general_authorisation or request.called_in_at is not None:
        return False
    if request.state == "awaiting_ipab":
        return request.consent_basis == GENERAL_AUTHORISATION
    return request.state in CALL_IN_STATES


def covered_requests():
    """Requests on the general authorisation route that are not yet approved: what the Home Office may call in."""
    return (
        select(AssistanceRequest)
        .where(
            AssistanceRequest.general_authorisation.is_not(None),
            AssistanceRequest.called_in_at.is_(None),
            AssistanceRequest.state.in_(CALL_IN_STATES),
        )
        .order_by(AssistanceRequest.submitted_at.desc(), AssistanceRequest.id.desc())
    )


# --- Recording and revoking authorisations -----------------------------------------------------------------------


@dataclass
class AuthorisationInput:
    reference: str = ""
    title: str = ""
    countries: list = None
    purposes: list = None
    assistance_kinds: list = None
    max_personnel: int | None = None
    max_days: int | None = None
    max_cost_pence: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    conditions: str = ""


def _codes(errors, name, values, is_valid, message):
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        errors[name] = "Must be a list of codes"
        return []
    bad = [v for v in values if not is_valid(v)]
    if bad:
        errors[name] = f"{message}: {', '.join(bad[:5])}"
    return sorted(set(values))


def _limit(errors, name, value, highest, words):
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= highest:
        errors[name] = f"{words} must be a whole number between 1 and {highest:,}"
        return None
    return value


def authorisation_errors(data):
    """{field: message} for a general authorisation's answers (the web form and the API ask the same), and the
    cleaned values. `data` is an AuthorisationInput."""
    errors = {}
    reference = validation.clean_text(data.reference or "").upper()
    if not reference:
        errors["reference"] = "Enter the reference"
    elif not REFERENCE_PATTERN.match(reference):
        errors["reference"] = (
            f"Reference must be {REFERENCE_MAX} characters or fewer: capital letters, numbers and hyphens"
        )
    title = validation.clean_text(data.title or "")
    if not title:
        errors["title"] = "Enter a title"
    elif len(title) > SHORT_TEXT_MAX:
        errors["title"] = f"Title must be {SHORT_TEXT_MAX} characters or fewer"
    countries = _codes(
        errors,
        "countries",
        [(c or "").upper() if isinstance(c, str) else c for c in data.countries] if data.countries else [],
        lambda c: normalise_destination(c) == c,
        "Not a country or territory outside the UK",
    )
    purposes = _codes(errors, "purposes", data.purposes, lambda c: c in dict(PURPOSES), "Not a purpose")
    kinds = _codes(
        errors, "assistance_kinds", data.assistance_kinds, lambda c: c in dict(ASSISTANCE_KINDS), "Not a kind"
    )
    max_personnel = _limit(errors, "max_personnel", data.max_personnel, MAX_PEOPLE, "Most personnel")
    max_days = _limit(errors, "max_days", data.max_days, MAX_DAYS, "Most days")
    max_cost = _limit(errors, "max_cost_pence", data.max_cost_pence, MAX_MONEY_PENCE, "Most cost (in pence)")
    if not isinstance(data.valid_from, date):
        errors["valid_from"] = "Enter the date it is in force from"
    if not isinstance(data.valid_to, date):
        errors["valid_to"] = "Enter the date it is in force until"
    elif isinstance(data.valid_from, date) and data.valid_to < data.valid_from:
        errors["valid_to"] = "The date it is in force until must be the same as or after the date it starts"
    conditions = validation.clean_text(data.conditions or "")
    if len(conditions) > LONG_TEXT_MAX:
        errors["conditions"] = f"Conditions must be {LONG_TEXT_MAX} characters or fewer"
    for name, value in (("reference", reference), ("title", title), ("conditions", conditions)):
        if name not in errors and (message := validation.text_error(value)):
            errors[name] = message
    values = dict(
        reference=reference,
        title=title,
        countries=countries,
        purposes=purposes,
        assistance_kinds=kinds,
        max_personnel=max_personnel,
        max_days=max_days,
        max_cost_pence=max_cost,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        conditions=conditions or None,
    )
    return errors, values


def _event(authorisation, actor, event, detail):
    db.session.add(AuthorisationEvent(authorisation_id=authorisation.id, actor_id=actor.id, event=event, detail=detail))


def _refused(errors):
    return Refused([Refusal(name, message) for name, message in errors.items()])


def record(actor, data):
    """Record a general authorisation given by the Home Secretary (the Home Office)."""
    from approvals import policy  # here, not at the top: the policy reads this module's call-in rule

    if not policy.manages_general_authorisations(actor):
        raise Forbidden("Only the Home Office records general authorisations")
    errors, values = authorisation_errors(data)
    if errors:
        raise _refused(errors)
    with atomic():
        if find(values["reference"]) is not None:
            raise _refused({"reference": "A general authorisation with this reference already exists"})
        authorisation = GeneralAuthorisation(created_by_id=actor.id, **values)
        db.session.add(authorisation)
        db.session.flush()
        _event(authorisation, actor, "recorded", authorisation.title)
    return authorisation


def revoke(reference, actor, reason):
    """Revoke a general authorisation, with reasons: requests naming it go to the Home Office gate from now on."""
    from approvals import policy

    if not policy.manages_general_authorisations(actor):
        raise Forbidden("Only the Home Office revokes general authorisations")
    reason = validation.clean_text(reason or "")
    if not reason:
        raise _refused({"reason": "Enter why the general authorisation is revoked"})
    if len(reason) > LONG_TEXT_MAX or validation.text_error(reason):
        message = validation.text_error(reason) or f"Reason must be {LONG_TEXT_MAX} characters or fewer"
        raise _refused({"reason": message})
    with atomic():
        if db.engine.dialect.name == "sqlite":  # the database's write lock first, as commands.lock does
            db.session.execute(
                text("UPDATE general_authorisation SET id = id WHERE reference = :reference"), {"reference": reference}
            )
        stmt = select(GeneralAuthorisation).where(GeneralAuthorisation.reference == reference)
        if db.engine.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        authorisation = db.session.scalars(stmt.execution_options(populate_existing=True)).first()
        if authorisation is None:
            raise NotFound("There is no general authorisation with that reference")
        if authorisation.revoked_at is not None:
            raise WrongState("This general authorisation has already been revoked")
        authorisation.revoked_at, authorisation.revoked_by_id, authorisation.revoked_reason = utcnow(), actor.id, reason
        _event(authorisation, actor, "revoked", reason)
    return authorisation


def in_force(today=None):
    """Authorisations a lead may name today, by reference."""
    today = today or date.today()
    return db.session.scalars(
        select(GeneralAuthorisation)
        .where(
            GeneralAuthorisation.revoked_at.is_(None),
            GeneralAuthorisation.valid_from <= today,
            GeneralAuthorisation.valid_to >= today,
        )
        .order_by(GeneralAuthorisation.reference)
    ).all()


def all_authorisations():
    return db.session.scalars(
        select(GeneralAuthorisation).order_by(GeneralAuthorisation.valid_to.desc(), GeneralAuthorisation.reference)
    ).all()


# --- Contributing forces (section 4) ----------------------------------------------------------------------------
# Each policing body's power covers its own people: a contributing force's chief officer recommends and its PCC
# office approves its part, in parallel with the lead force's chief officer and PCC gates. The machine's PCC
# transitions carry the condition `contributing_parts_approved` (approvals.machine): the request goes on to the Home
# Office (or IPAB) only when every part is approved. Who may decide a part is approvals.policy's answer.

# A part waits at its own force's gates: its chief officer's, then its PCC's.
FORCE_GATE_STATES = tuple(gate.state for gate in GATES if not gate.national)
PART_OPEN_STATES = FORCE_GATE_STATES
PART_NEXT = {"awaiting_chief_officer": "awaiting_pcc", "awaiting_pcc": "approved"}
PART_STATE_TEXT = {
    None: "Not yet submitted",
    "awaiting_chief_officer": "Awaiting its chief officer",
    "awaiting_pcc": "Awaiting its PCC",
    "approved": "Approved",
    "declined": "Declined",
}
# The lead request's states in which a contributing part may be decided: its own chief officer and PCC gates.
PARTS_DECIDED_WHILE = FORCE_GATE_STATES


def parts_approved(request):
    return all(part.state == "approved" for part in request.contributing_forces)


def declined_parts(request):
    return [part for part in request.contributing_forces if part.state == "declined"]


def part_of(request, force_id):
    return next((part for part in request.contributing_forces if part.force_id == force_id), None)


def open_parts(request):
    """Restart every part's own approval: at submission, and when a material change restarts the round."""
    for part in request.contributing_forces:
        part.state, part.decided_at = "awaiting_chief_officer", None


def personnel(request):
    """Every force's own people on the request, each counted once: the lead's and each contributing force's."""
    return (
        (request.officers or 0)
        + (request.staff or 0)
        + sum(part.officers + part.staff for part in request.contributing_forces)
    )


def held_pcc_approval(request):
    """The lead PCC's positive decision at this visit to its gate, held while contributing parts are pending."""
    if request.state != "awaiting_pcc" or request.gate_entered_at is None:
        return None
    for decision in reversed(request.decisions):
        if (
            decision.part_force_id is None
            and decision.gate == "awaiting_pcc"
            and not decision.superseded
            and decision.decided_at >= request.gate_entered_at
        ):
            return decision if decision.outcome == "positive" else None
    return None


def part_refusals(request):
    """At submission: a declined part must be removed (or the lead may not resubmit with it)."""
    return [
        Refusal(
            "contributing_force_declined",
            f"{part.force.name} declined its part: remove it from the contributing forces before you submit again",
        )
        for part in declined_parts(request)
    ]
