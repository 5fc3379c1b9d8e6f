"""The named people a request deploys (issue 24): who they are, their service, travel risk and liabilities.

Personal data. It is read only through `read` / `read_one`, which ask the policy (the force's lead, chief officers
and PCC office and the national deciders, whoever may read the request) and record the view
(models.people.PersonalDataView). FOI, publication, exports and emails never import this module
(tests/unit/test_layers.py proves it). Changes are commands (lock, policy, audit, one commit); the audit chain
records that a person was added, changed or removed, never who.

Rules: once anyone is named, the request's officer and staff counts must match the people named
(`personnel_count_mismatch`, checked when the request is submitted, refused rather than silently fixed); a decider
named among the people cannot decide on the request (`own_deployment`, in approvals.policy).
"""

from datetime import date

from sqlalchemy import delete, func, select

from approvals import audit, policy, validation
from approvals.commands import Forbidden, NotFound, Refused, atomic, lock
from approvals.human_rights import Refusal
from approvals.machine import EDITABLE_STATES
from config.settings import EMAIL_MAX, LONG_TEXT_MAX, SHORT_TEXT_MAX
from extensions import db
from models import DeployedPerson, PersonalDataView, User
from models.types import utcnow

KINDS = [("officer", "Police officer"), ("staff", "Police staff")]
SERVICES = [("visit", "Short visit"), ("temporary_service", "Temporary service under section 26")]
VETTING = [
    ("nppv2", "Non-police personnel vetting level 2"),
    ("nppv3", "Non-police personnel vetting level 3"),
    ("ctc", "Counter-terrorist check (CTC)"),
    ("sc", "Security check (SC)"),
    ("dv", "Developed vetting (DV)"),
]
FCDO_ADVICE = [
    ("none", "No advice against travel"),
    ("all_but_essential_part", "Against all but essential travel to parts"),
    ("all_but_essential", "Against all but essential travel"),
    ("all_part", "Against all travel to parts"),
    ("all", "Against all travel"),
]
HOLDERS = [("force", "This force"), ("fcdo", "FCDO"), ("requesting_body", "The requesting body"), ("other", "Other")]

TEXT_FIELDS = ("name", "rank", "home_unit", "role", "travel_risk_assessed_by", "welfare_contact")
CHOICE_FIELDS = {
    "kind": KINDS,
    "service": SERVICES,
    "vetting": VETTING,
    "fcdo_advice": FCDO_ADVICE,
    "insurance_holder": HOLDERS,
    "liabilities_holder": HOLDERS,
}
DATE_FIELDS = ("service_start", "reversion_date", "travel_risk_assessed_on", "debrief_on")
FIELDS = (
    "name",
    "email",
    "kind",
    "rank",
    "home_unit",
    "role",
    "vetting",
    "service",
    "service_start",
    "reversion_date",
    "travel_risk_assessed_on",
    "travel_risk_assessed_by",
    "fcdo_advice",
    "insurance_holder",
    "insurance_holder_other",
    "liabilities_holder",
    "liabilities_holder_other",
    "welfare_contact",
    "days",
    "overtime_days",
    "debrief_on",
    "concerns_observed",
    "concerns_note",
)
REQUIRED = {
    "name": "Enter the person's name",
    "email": "Enter their work email address",
    "kind": "Select officer or staff",
}
MAX_DAYS = 3660  # ten years


# --- Reading (personal data: through here only) -------------------------------------------------------------------


def _may_read(user, request):
    if not policy.can_see(user, request):
        raise NotFound()
    if not policy.may_read_people(user, request):
        raise Forbidden("You may not see the people this request deploys")


def _record_view(user, request, purpose, rows, commit=True):
    db.session.add(
        PersonalDataView(
            request_id=request.id, user_id=user.id, at=utcnow(), purpose=purpose, person_ids=[p.id for p in rows]
        )
    )
    if commit:
        db.session.commit()


def read(user, request, purpose, commit=True):
    """The people `request` deploys, for `user`, and the record that they were shown (where: `purpose`). A command
    that reads them inside its own transaction (the approval's authority letter) passes `commit=False`: the record
    of the view then commits with the command, or not at all."""
    _may_read(user, request)
    rows = db.session.scalars(
        select(DeployedPerson).where(DeployedPerson.request_id == request.id).order_by(DeployedPerson.id)
    ).all()
    _record_view(user, request, purpose, rows, commit)
    return rows


def read_one(user, request, person_id, purpose):
    _may_read(user, request)
    row = db.session.get(DeployedPerson, person_id)
    if row is None or row.request_id != request.id:
        raise NotFound("There is no such person on this request")
    _record_view(user, request, purpose, [row])
    return row


# Where a view of the people was recorded, as the record of views shows it.
PURPOSES = {
    "people_page": "The people page",
    "person_page": "A person's page",
    "decision_page": "The decision page",
    "api": "The API",
    "authority_letter": "The authority letter, issued",
    "authority_letter_download": "The authority letter, downloaded",
}
RECENT_VIEWS = 50


def recent_views(request, limit=RECENT_VIEWS):
    """The record of views of `request`'s people, newest first: (when, who, where). Shown beside the people to those
    who may read them, so every view is not only recorded but seen."""
    rows = db.session.execute(
        select(PersonalDataView.at, User.name, User.email, PersonalDataView.purpose)
        .join(User, User.id == PersonalDataView.user_id)
        .where(PersonalDataView.request_id == request.id)
        .order_by(PersonalDataView.id.desc())
        .limit(limit)
    ).all()
    return [(at, name or email, PURPOSES.get(purpose, purpose)) for at, name, email, purpose in rows]


def counts(request):
    """(officers named, staff named): counts only, no personal data."""
    rows = db.session.execute(
        select(DeployedPerson.kind, func.count())
        .where(DeployedPerson.request_id == request.id)
        .group_by(DeployedPerson.kind)
    ).all()
    found = dict(rows)
    return found.get("officer", 0), found.get("staff", 0)


def count_refusals(request):
    """Once anyone is named, the typed counts must match the people named; a mismatch is refused, never fixed."""
    officers, staff = counts(request)
    if not officers and not staff:
        return []
    if (request.officers or 0, request.staff or 0) == (officers, staff):
        return []
    return [
        Refusal(
            "personnel_count_mismatch",
            f"The request says {request.officers or 0} officers and {request.staff or 0} staff, but names "
            f"{officers} officers and {staff} staff: correct the numbers or the people named",
        )
    ]


# --- Field rules (the web form and the API) -----------------------------------------------------------------------


def _date(value):
    if value is None or isinstance(value, date):
        return value, None
    if isinstance(value, str):
        if not value:
            return None, None
        try:
            return date.fromisoformat(value), None
        except ValueError:
            pass
    return None, "Enter a real date, as YYYY-MM-DD"


def parse(values, partial=False):
    """(the values to store, {field: message}). With `partial` (a PATCH), only the fields given are checked."""
    cleaned, found = {}, {}
    for key in values:
        if key not in FIELDS:
            found[key] = "This field is not part of a person"
    for key in FIELDS:
        if partial and key not in values:
            continue
        value = values.get(key)
        if isinstance(value, str):
            value = value.strip()
        if key in REQUIRED and value in (None, ""):
            found[key] = REQUIRED[key]
            continue
        if key in DATE_FIELDS:
            value, message = _date(value)
        elif key in ("days", "overtime_days"):
            ok = value is None or (isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_DAYS)
            message = None if ok else f"Enter a whole number of days from 0 to {MAX_DAYS}"
        elif key == "concerns_observed":
            message = None if value is None or isinstance(value, bool) else "Answer true or false"
        elif key in CHOICE_FIELDS:
            value = value or ("visit" if key == "service" else None)  # a short visit unless said otherwise
            message = (
                None if value is None or validation.is_choice(value, CHOICE_FIELDS[key]) else "Select from the list"
            )
        elif value is not None and not isinstance(value, str):
            message = "Enter text"
        else:
            limit = {"email": EMAIL_MAX, "concerns_note": LONG_TEXT_MAX}.get(key, SHORT_TEXT_MAX)
            message = f"Must be {limit} characters or fewer" if value and len(value) > limit else None
            message = message or validation.text_error(value)
            if key == "email" and value and not message and ("@" not in value or " " in value):
                message = "Enter an email address in the correct format, like name@example.police.uk"
            if key == "email" and value:
                value = value.lower()
            if key not in ("email",) and value is None:
                value = "" if key in ("rank", "home_unit", "role") else None
        if message:
            found[key] = message
        else:
            cleaned[key] = value
    return cleaned, found


def cross_errors(person):
    """Rules between fields of one person (after a PATCH, of the whole person)."""
    found = {}
    if person.get("service") == "temporary_service":
        if not person.get("service_start"):
            found["service_start"] = "Enter when temporary service starts"
        if not person.get("reversion_date"):
            found["reversion_date"] = "Enter the date they revert to their force"
    start, end = person.get("service_start"), person.get("reversion_date")
    if start and end and end < start:
        found["reversion_date"] = "The reversion date must be on or after the start of service"
    if person.get("insurance_holder") == "other" and not person.get("insurance_holder_other"):
        found["insurance_holder_other"] = "Name who holds the insurance"
    if person.get("liabilities_holder") == "other" and not person.get("liabilities_holder_other"):
        found["liabilities_holder_other"] = "Name who holds the liabilities"
    if person.get("concerns_observed") and not person.get("concerns_note"):
        found["concerns_note"] = "Describe the human-rights concerns or incidents observed"
    return found


def _as_dict(row):
    return {key: getattr(row, key) for key in FIELDS}


def _refuse(found):
    if found:
        raise Refused([Refusal(name, message) for name, message in found.items()])


# --- Commands -------------------------------------------------------------------------------------------------------


def _locked(request_id, actor, expected_version):
    return lock(request_id, expected_version, lambda r: policy.raise_if(policy.people_refusal(actor, r)))


def add(request_id, actor, values, expected_version=None):
    """Name a person on the request."""
    with atomic():
        request = _locked(request_id, actor, expected_version)
        cleaned, found = parse(values)
        found.update(cross_errors(cleaned) if not found else {})
        _refuse(found)
        row = DeployedPerson(request_id=request.id, **cleaned)
        db.session.add(row)
        db.session.flush()
        request.updated_at = utcnow()
        audit.append(request, actor, "person_added", request.state, request.state, f"person {row.id}")
    return row


def update(request_id, person_id, actor, values, expected_version=None):
    """Change some of a named person's details."""
    with atomic():
        request = _locked(request_id, actor, expected_version)
        row = db.session.get(DeployedPerson, person_id)
        if row is None or row.request_id != request.id:
            raise NotFound("There is no such person on this request")
        cleaned, found = parse(values, partial=True)
        _refuse(found)
        merged = {**_as_dict(row), **cleaned}
        _refuse(cross_errors(merged))
        changed = [key for key, value in cleaned.items() if getattr(row, key) != value]
        for key in changed:
            setattr(row, key, cleaned[key])
        if changed:
            request.updated_at = utcnow()
            audit.append(request, actor, "person_changed", request.state, request.state, f"person {row.id}")
    return row


def remove(request_id, person_id, actor, expected_version=None):
    with atomic():
        request = _locked(request_id, actor, expected_version)
        row = db.session.get(DeployedPerson, person_id)
        if row is None or row.request_id != request.id:
            raise NotFound("There is no such person on this request")
        if request.state in EDITABLE_STATES:
            # Their salary line, worked out from the rate card, goes with them (an approved cost stays as approved).
            request.cost_lines = [line for line in request.cost_lines if line.person_id != row.id]
        db.session.delete(row)
        request.updated_at = utcnow()
        audit.append(request, actor, "person_removed", request.state, request.state, f"person {person_id}")
    return request


def copy_people(source, target):
    """A variation carries the people of the request it varies; an approved variation's people become the request's.
    The caller holds both locks (approvals.workflow)."""
    db.session.execute(delete(DeployedPerson).where(DeployedPerson.request_id == target.id))
    rows = db.session.scalars(
        select(DeployedPerson).where(DeployedPerson.request_id == source.id).order_by(DeployedPerson.id)
    ).all()
    for row in rows:
        db.session.add(DeployedPerson(request_id=target.id, **{key: getattr(row, key) for key in FIELDS}))
