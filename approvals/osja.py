"""The OSJA assessment (Overseas Security and Justice Assistance guidance): one living document per request.

Every change appends a new version (models.osja.OsjaVersion); the highest number is the assessment. Its risk
answers are mirrored onto the request's `hr_*` columns, so the gates, the returns and the material-change rules
read one rating. At each gate the decider agrees with the rating standing or gives their own with reasons
(`deciders_rating`, the one place that turns a decider's answer into the assessment their decision records).
Long-running work is reviewed every `S26_OSJA_REVIEW_MONTHS`: the PCC office records continue or stop, and a stop
ends the work early.

Each command locks the request row, asks the policy, appends its audit event and commits once (as
approvals.workflow). Field rules live here once, for the web form and the API alike.
"""

import dataclasses
from datetime import date, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import func, select

from approvals import audit, human_rights, notifications, policy, validation
from approvals.commands import Conflict, Refused, WrongState, atomic, lock
from approvals.human_rights import LIKELIHOODS, RESIDUALS, RISK_CODES, RISKS, Refusal
from config.settings import LONG_TEXT_MAX, SHORT_TEXT_MAX
from extensions import db
from models import AssistanceRequest, CountryNote, OsjaReview, OsjaSeen, OsjaVersion
from models.types import utcnow

OWNERS = [("force", "This force"), ("other", "Another body (its own OSJA)")]
YES_NO = [("yes", "Yes"), ("no", "No")]
REVIEW_OUTCOMES = [("continue", "Continue"), ("stop", "Stop")]
AGREEMENTS = [("agree", "I agree with the residual rating"), ("own", "I give my own rating")]

# Every part of the assessment, in the order it is asked and shown, with how a change to it is labelled.
FIELDS = (
    ("owner", "Who owns the assessment"),
    ("owner_body", "The body that owns it"),
    ("owner_reference", "Its reference"),
    ("country_stability", "Stability and conflict, now and within 5 years"),
    ("country_record", "Record on human rights and international humanitarian law"),
    ("country_sources", "Sources consulted, with dates"),
    ("recipient_unit", "Recipient unit"),
    ("transferred", "Skills, equipment or information transferred"),
    ("misuse", "How it could be misused"),
    ("risks", "Risks"),
    ("likelihood", "Likelihood"),
    ("mitigations", "Mitigations"),
    ("residual", "Residual risk"),
    ("contributes", "Serious risk of directly or significantly contributing to a violation"),
    ("contributes_reasoning", "Reasoning for that answer"),
    ("consultees", "Consultees"),
)
LABELS = dict(FIELDS)
SHORT_FIELDS = ("owner_body", "owner_reference", "recipient_unit")
LONG_FIELDS = (
    "country_stability",
    "country_record",
    "country_sources",
    "transferred",
    "misuse",
    "mitigations",
    "contributes_reasoning",
)
CONSULTEE_KEYS = ("organisation", "role", "consulted_on", "advice")
MAX_CONSULTEES = 50
# What a complete assessment has (issue 24): every part the guidance asks, answered. Submitting needs each one; the
# task list and the submit refusal name those still missing. (Risks may be none; their likelihood is asked only when
# some are selected, and the owner's body and reference only when another body owns it.)
REQUIRED = (
    "owner",
    "country_stability",
    "country_record",
    "country_sources",
    "recipient_unit",
    "transferred",
    "misuse",
    "mitigations",
    "residual",
    "contributes",
    "contributes_reasoning",
    "consultees",
)
# The request's columns the assessment's risk answers are mirrored onto.
MIRRORED = {
    "risks": "hr_risks",
    "likelihood": "hr_likelihood",
    "mitigations": "hr_mitigations",
    "residual": "hr_residual",
}


def empty():
    content = {name: "" for name, _ in FIELDS}
    content.update(risks=[], likelihood=None, residual=None, owner=None, contributes=None, consultees=[])
    return content


def normalised(content):
    """`content` with every part present (missing parts empty), and nothing that is not a part."""
    result = empty()
    result.update({name: value for name, value in (content or {}).items() if name in LABELS})
    return result


# --- Reading ----------------------------------------------------------------------------------------------------


def current(request):
    """The request's current version (None before anything is written)."""
    return db.session.scalars(
        select(OsjaVersion).where(OsjaVersion.request_id == request.id).order_by(OsjaVersion.number.desc()).limit(1)
    ).first()


def number_expression():
    """`current_number` as a correlated subquery of the request row, for a lock that reads it with the row."""
    return (
        select(func.coalesce(func.max(OsjaVersion.number), 0))
        .where(OsjaVersion.request_id == AssistanceRequest.id)
        .scalar_subquery()
    )


def current_number(request):
    version = current(request)
    return version.number if version else 0


def versions(request):
    """Every version, newest first."""
    return db.session.scalars(
        select(OsjaVersion).where(OsjaVersion.request_id == request.id).order_by(OsjaVersion.number.desc())
    ).all()


def version(request, number):
    return db.session.scalars(
        select(OsjaVersion).where(OsjaVersion.request_id == request.id, OsjaVersion.number == number)
    ).first()


def country_prefill(request):
    """The admin's country notes for the destination, as the country part's starting answers."""
    if not request.destination:
        return {}
    notes = db.session.scalars(
        select(CountryNote).where(CountryNote.country_code == request.destination).order_by(CountryNote.id)
    ).all()
    if not notes:
        return {}
    return {
        "country_record": "\n\n".join(note.note for note in notes)[:LONG_TEXT_MAX],
        "country_sources": "\n".join(
            f"{note.source} (country note of {note.updated_at:%d %B %Y})" for note in notes if note.source
        )[:LONG_TEXT_MAX],
    }


def content_of(request, prefill=True):
    """The assessment as it stands: the current version's answers, or (before the first) the request's human-rights
    answers and, with `prefill`, the admin's country notes for the destination in the parts not yet answered."""
    version_row = current(request)
    if version_row is not None:
        content = normalised(version_row.content)
    else:
        content = empty()
        for part, column in MIRRORED.items():
            value = getattr(request, column)
            if value not in (None, ""):
                content[part] = list(value) if part == "risks" else value
    if prefill:
        for name, value in country_prefill(request).items():
            if not content.get(name):
                content[name] = value
    return content


def _required_parts(content):
    parts = list(REQUIRED)
    if content.get("owner") == "other":
        parts[1:1] = ["owner_body", "owner_reference"]
    if content.get("risks"):
        parts.insert(parts.index("mitigations"), "likelihood")
    return parts


def missing_parts(request):
    """The parts of the assessment still unanswered, in the order the form asks them (empty: it is complete)."""
    content = content_of(request, prefill=False)
    return [name for name in _required_parts(content) if content.get(name) in (None, "", [])]


def is_complete(request):
    return not missing_parts(request)


MISSING_MESSAGES = {"consultees": "Add at least one consultee to the OSJA assessment"}


def submit_refusals(request):
    """Why the assessment stops a submission: one refusal per missing part, its rule `osja.<part>` (the API's 422
    names each field), its message the part as the form asks it."""
    return [
        Refusal(f"osja.{name}", MISSING_MESSAGES.get(name, f"Complete the OSJA assessment: {LABELS[name].lower()}"))
        for name in missing_parts(request)
    ]


def status(request):
    """The task list's status of the assessment."""
    content = content_of(request, prefill=False)
    answered = [content.get(name) not in (None, "", []) for name in _required_parts(content)]
    if all(answered):
        return "Completed"
    return "In progress" if any(answered) or current(request) is not None else "Not started"


class Change(NamedTuple):
    label: str
    before: str
    after: str


def shown(name, value):
    """An answer as a page shows it: choices by their labels, lists joined, \"Not answered\" for nothing."""
    if name == "risks":
        names = dict(RISKS)
        return "; ".join(names.get(code, code) for code in value or []) or "None"
    if name == "consultees":
        return (
            "; ".join(
                f"{c.get('organisation', '')} ({c.get('role', '')}), {c.get('consulted_on', '')}: {c.get('advice', '')}"
                for c in value or []
            )
            or "None"
        )
    choices = {"owner": OWNERS, "contributes": YES_NO, "likelihood": LIKELIHOODS, "residual": RESIDUALS}
    if name in choices:
        return dict(choices[name]).get(value, "Not answered") if value else "Not answered"
    return value or "Not answered"


def changes(before, after):
    """What differs between two versions' answers, part by part, as the decision page shows it."""
    before, after = normalised(before), normalised(after)
    return [
        Change(label, shown(name, before.get(name)), shown(name, after.get(name)))
        for name, label in FIELDS
        if before.get(name) != after.get(name)
    ]


def last_seen_number(request, user):
    row = db.session.get(OsjaSeen, (request.id, user.id))
    return row.number if row else None


def since_last_seen(request, user):
    """(the version this person last looked at, or None; what has changed since, part by part)."""
    seen = last_seen_number(request, user)
    now = current(request)
    if seen is None or now is None or seen >= now.number:
        return seen, []
    then = version(request, seen)
    return seen, changes(then.content if then else {}, now.content)


def mark_seen(request, user):
    """Remember the version `user` has now been shown (the decision page), in its own short transaction."""
    number = current_number(request)
    if not number:
        return
    row = db.session.get(OsjaSeen, (request.id, user.id))
    if row is None:
        db.session.add(OsjaSeen(request_id=request.id, user_id=user.id, number=number, seen_at=utcnow()))
    elif row.number != number:
        row.number, row.seen_at = number, utcnow()
    else:
        return
    db.session.commit()


# --- Field rules (the web form and the API) -----------------------------------------------------------------------


def _parse_date(value):
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def consultee_errors(consultee, prefix="", today=None):
    """{field: message} for one consultee: who (organisation and role), when, and what they advised."""
    today = today or date.today()
    errors = {}
    if not isinstance(consultee, dict):
        return {prefix.rstrip(".") or "consultee": "Give the consultee as an object"}
    for key, label in (("organisation", "organisation"), ("role", "role"), ("advice", "advice")):
        value = consultee.get(key)
        limit = LONG_TEXT_MAX if key == "advice" else SHORT_TEXT_MAX
        if not isinstance(value, str) or not value.strip():
            errors[prefix + key] = f"Enter the consultee's {label}" if key != "advice" else "Enter what they advised"
        elif len(value) > limit:
            errors[prefix + key] = f"The {label} must be {limit} characters or fewer"
    consulted_on = _parse_date(consultee.get("consulted_on"))
    if consulted_on is None:
        errors[prefix + "consulted_on"] = "Enter the date they were consulted, as YYYY-MM-DD"
    elif consulted_on > today:
        errors[prefix + "consulted_on"] = "The date they were consulted must be today or in the past"
    return errors


def errors(content):
    """{field: message} for an assessment's answers; empty when they may be saved (parts may be left unanswered
    while it is written: completeness is the task list's, not a save's)."""
    found = {}
    for name in SHORT_FIELDS + LONG_FIELDS:
        value = content.get(name)
        limit = SHORT_TEXT_MAX if name in SHORT_FIELDS else LONG_TEXT_MAX
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            found[name] = "Enter text"
        elif len(value) > limit:
            found[name] = f"{LABELS[name]} must be {limit} characters or fewer"
        elif validation.text_error(value):
            found[name] = validation.UNSTORABLE_TEXT
    for name, choices in (("owner", OWNERS), ("contributes", YES_NO), ("likelihood", LIKELIHOODS)):
        value = content.get(name)
        if value not in (None, "") and not validation.is_choice(value, choices):
            # A GOV.UK message, not SQL: bandit reads the leading "Select" as a query.
            found[name] = f"Select {LABELS[name].lower()} from the list"  # nosec B608
    residual = content.get("residual")
    if residual not in (None, "") and not validation.is_choice(residual, RESIDUALS):
        found["residual"] = "Select the residual risk"
    risks = content.get("risks") or []
    if not isinstance(risks, list) or any(not isinstance(r, str) or r not in RISK_CODES for r in risks):
        found["risks"] = "Select risks from the list"
    elif risks and content.get("likelihood") in (None, ""):
        found["likelihood"] = "Select how likely the risk is"
    if content.get("owner") == "other" and not content.get("owner_body"):
        found["owner_body"] = "Enter the body that owns the assessment"
    if content.get("contributes") == "yes" and content.get("residual") in ("low", "medium"):
        found["residual"] = (
            "A serious risk of directly or significantly contributing to a violation cannot be rated low or medium"
        )
    if content.get("contributes") in ("yes", "no") and not content.get("contributes_reasoning"):
        found["contributes_reasoning"] = "Give the reasoning for your answer to the test"
    consultees = content.get("consultees") or []
    if not isinstance(consultees, list):
        found["consultees"] = "Give the consultees as a list"
    elif len(consultees) > MAX_CONSULTEES:
        found["consultees"] = f"List {MAX_CONSULTEES} consultees or fewer"
    else:
        for index, consultee in enumerate(consultees):
            found.update(consultee_errors(consultee, f"consultees.{index}."))
    return found


def _stored(content):
    """The answers as they are kept: texts trimmed, empty answers None, dates as ISO text."""
    content = normalised(content)
    for name in SHORT_FIELDS + LONG_FIELDS:
        content[name] = (content.get(name) or "").strip()
    for name in ("owner", "likelihood", "residual", "contributes"):
        content[name] = content.get(name) or None
    if content["owner"] != "other":
        content["owner_body"] = content["owner_reference"] = ""
    content["risks"] = sorted(set(content.get("risks") or []), key=[code for code, _ in RISKS].index)
    content["consultees"] = [
        {
            "organisation": c["organisation"].strip(),
            "role": c["role"].strip(),
            "consulted_on": _parse_date(c["consulted_on"]).isoformat(),
            "advice": c["advice"].strip(),
        }
        for c in content.get("consultees") or []
    ]
    return content


# --- Commands -----------------------------------------------------------------------------------------------------


def _append(request, actor, content, audited=True):
    """Append the next version (the caller holds the lock), mirror its risk answers onto the request and (unless
    the caller writes its own) append the audit event. Returns the new version, or None when nothing changed."""
    previous = current(request)
    before = normalised(previous.content) if previous else None
    if before == content:
        return None
    number = (previous.number if previous else 0) + 1
    changed = [change.label for change in changes(before, content)] if before is not None else []
    row = OsjaVersion(
        request_id=request.id, number=number, content=content, changed=changed, author_id=actor.id, created_at=utcnow()
    )
    db.session.add(row)
    if audited:
        # Written here, the assessment's risk answers become the request's. (Unaudited callers took them from the
        # request, or copy them with the rest of its answers: they leave the request as it is.)
        for part, column in MIRRORED.items():
            value = content.get(part)
            if getattr(request, column) != ((list(value) or None) if part == "risks" else (value or None)):
                setattr(request, column, (list(value) or None) if part == "risks" else (value or None))
        request.updated_at = utcnow()
        audit.append(request, actor, "osja_updated", request.state, request.state, f"assessment version {number}")
    return row


def save(request_id, actor, content, expected_number=None, expected_version=None):
    """Write the assessment as a new version. `expected_number` is the assessment's version the writer started from:
    when another version has been saved since, the save is refused (Conflict, 409) and nothing is written."""
    with atomic():
        request = lock(request_id, expected_version, lambda r: policy.raise_if(policy.osja_refusal(actor, r)))
        if expected_number is not None and expected_number != current_number(request):
            raise Conflict("The assessment has changed since you opened it. Check the latest version and try again.")
        problems = errors(normalised(content))
        if problems:
            raise Refused([Refusal(name, message) for name, message in problems.items()])
        row = _append(request, actor, _stored(content))
    return row or current(request)


def add_consultee(request_id, actor, consultee, expected_number=None):
    """Add one consultee (the "add another" page): a new version."""
    request = db.session.get(AssistanceRequest, request_id)
    content = content_of(request, prefill=False) if request else empty()
    return save(request_id, actor, {**content, "consultees": [*content["consultees"], consultee]}, expected_number)


def remove_consultee(request_id, actor, index, expected_number=None):
    request = db.session.get(AssistanceRequest, request_id)
    content = content_of(request, prefill=False) if request else empty()
    kept = [c for i, c in enumerate(content["consultees"]) if i != index]
    return save(request_id, actor, {**content, "consultees": kept}, expected_number)


def mirror_request_answers(request, actor, parts=None):
    """The request's human-rights answers were changed by a section edit or the request's API PATCH (the caller
    holds the lock and writes the edit's audit event): the assessment takes them as a new version, so the two never
    disagree. `parts`: the assessment's other answers, when a new draft comes with them (seeds and tests)."""
    content = content_of(request, prefill=False)
    content.update({name: value for name, value in (parts or {}).items() if name in LABELS})
    for part, column in MIRRORED.items():
        value = getattr(request, column)
        content[part] = list(value or []) if part == "risks" else value
    return _append(request, actor, _stored(content), audited=False)


def copy_assessment(source, target, actor):
    """A variation starts from the assessment of the request it varies; an approved variation's assessment becomes a
    new version of the request's. The caller holds the locks and writes the audit event."""
    return _append(target, actor, _stored(content_of(source, prefill=False)), audited=False)


# --- The decider's rating ------------------------------------------------------------------------------------------


def standing_residual(request):
    """The residual rating standing before this gate: the latest positive decision's, else the assessment's. A request
    that came back after a return stands on the submitter's current answers, never on the returning decider's own
    rating (issue 26)."""
    standing = [d for d in request.decisions if not d.superseded and d.hr_residual]
    if not standing or standing[-1].outcome == "return":
        return request.hr_residual
    positive = [d for d in standing if d.outcome == "positive"]
    return positive[-1].hr_residual if positive else request.hr_residual


def deciders_rating(request, data):
    """The assessment a decider's decision records, from their answer: agreement with the rating standing, or their
    own rating with reasons; never a retyped assessment. Returns (the decision input with `hr`, `hr_lowering_reason`
    and `hr_agreed` settled, refusals of the answer itself).

    The risks, likelihood and mitigations are the OSJA assessment's (a decider may add mitigations they rely on).
    Lowering the standing rating still needs a reason (human_rights.refusals, as before); an explicit own rating
    always needs reasons. A body that still sends a whole assessment (no `hr_agreement`) is taken as the decider's
    own rating, its risks kept. What a serious residual then requires (the ministerial route: a positive decision
    refers the request to ministers) is ministerial.route_refusals', fed by what this returns."""
    standing = standing_residual(request)
    agreement = getattr(data, "hr_agreement", None) or None
    reasons = (data.hr_lowering_reason or "").strip()
    found = []
    own = data.hr.residual
    if agreement == "agree":
        residual = standing
        if residual is None:
            found.append(Refusal("hr_agreement", "There is no rating to agree with: give your own rating"))
        agreed = True
    elif agreement == "own" or (agreement is None and own):
        residual = own
        agreed = residual == standing
        if agreement == "own" and not reasons and residual is not None and residual != standing:
            found.append(Refusal("hr_rating_reasons", "Give your reasons for your own rating"))
    elif agreement is None:
        # No answer: the rating stands. Only a positive decision must say whether it agrees (a return or a decline
        # changes nothing the rating governs).
        residual, agreed = standing, None
        if data.outcome == "positive":
            found.append(Refusal("hr_agreement", "Select whether you agree with the residual rating"))
    else:
        found.append(Refusal("hr_agreement", "Select whether you agree with the residual rating"))
        residual, agreed = own, False
    # The assessment's mitigations, those earlier gates said they rely on, and this decider's: each paragraph once.
    paragraphs = []
    sources = [request.hr_mitigations, *(d.hr_mitigations for d in request.decisions if not d.superseded)]
    for text in [*sources, data.hr.mitigations]:
        for paragraph in (text or "").split("\n\n"):
            if paragraph.strip() and paragraph.strip() not in paragraphs:
                paragraphs.append(paragraph.strip())
    mitigations = "\n\n".join(paragraphs)
    assessment = human_rights.Assessment(
        risks=list(data.hr.risks) if agreement is None and data.hr.risks else list(request.hr_risks or []),
        likelihood=(data.hr.likelihood if agreement is None and data.hr.risks else request.hr_likelihood),
        mitigations=mitigations,
        residual=residual,
    )
    settled = dataclasses.replace(data, hr=assessment, hr_lowering_reason=reasons)
    return settled, agreed, found


# --- Reviews of long-running work ----------------------------------------------------------------------------------


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def reviews(request):
    return db.session.scalars(
        select(OsjaReview).where(OsjaReview.request_id == request.id).order_by(OsjaReview.id)
    ).all()


def is_long_running(request):
    return _long_running(request.start_date, request.end_date)


def _long_running(start_date, end_date):
    if not (start_date and end_date):
        return False
    return end_date > _add_months(start_date, current_app.config["S26_OSJA_REVIEW_AFTER_MONTHS"])


def next_review_due(request, done=None):
    """When the work's next review is due (None: no review is due before it ends, or it is not long-running or not
    approved). The cycle runs from the start date: each review moves it on one cycle."""
    if request.state not in policy.VARIABLE_STATES or not is_long_running(request):
        return None
    done = reviews(request) if done is None else done
    return _due(request.start_date, request.end_date, len(done), any(review.outcome == "stop" for review in done))


def _due(start_date, end_date, reviewed, stopped):
    if stopped:
        return None
    due = _add_months(start_date, current_app.config["S26_OSJA_REVIEW_MONTHS"] * (reviewed + 1))
    return due if due <= end_date else None


def is_review_overdue(request, today=None):
    due = next_review_due(request)
    return due is not None and due < (today or date.today())


def overdue_reviews(user, today=None):
    """Long-running work of the PCC office's force whose review is overdue (their inbox), oldest first."""
    if not policy.reviews_long_running_work(user):
        return []
    return overdue_everywhere(today, user.force_id)


def overdue_everywhere(today=None, force_id=None):
    """(review due date, request) for every piece of long-running work whose review is overdue (of one force, or of
    all: the daily reminders), oldest first.

    Two statements whatever the data (the PCC office's inbox runs this): the candidates with their review count
    and whether one said stop, as plain rows, then the overdue requests themselves. A first review falls due a
    cycle after the start, so work that started less than a cycle ago is not read at all (issue 20)."""
    today = today or date.today()
    # (a few days' margin for month ends: each candidate's due date is worked out exactly below)
    first_due_before = _add_months(today, -current_app.config["S26_OSJA_REVIEW_MONTHS"]) + timedelta(days=4)
    counted = (
        select(
            OsjaReview.request_id,
            func.count().label("reviewed"),
            func.count().filter(OsjaReview.outcome == "stop").label("stops"),
        )
        .group_by(OsjaReview.request_id)
        .subquery()
    )
    stmt = (
        select(
            AssistanceRequest.id,
            AssistanceRequest.start_date,
            AssistanceRequest.end_date,
            func.coalesce(counted.c.reviewed, 0),
            func.coalesce(counted.c.stops, 0),
        )
        .outerjoin(counted, counted.c.request_id == AssistanceRequest.id)
        .where(
            AssistanceRequest.state.in_(policy.VARIABLE_STATES),
            AssistanceRequest.start_date < first_due_before,
            AssistanceRequest.end_date.is_not(None),
        )
    )
    if force_id is not None:
        stmt = stmt.where(AssistanceRequest.force_id == force_id)
    due_on = {}
    for request_id, start, end, reviewed, stops in db.session.execute(stmt):
        if not _long_running(start, end):
            continue
        due = _due(start, end, reviewed, stops > 0)
        if due is not None and due < today:
            due_on[request_id] = due
    if not due_on:
        return []
    found = db.session.scalars(select(AssistanceRequest).where(AssistanceRequest.id.in_(due_on)))
    return sorted(((due_on[r.id], r) for r in found), key=lambda pair: (pair[0], pair[1].id))


def review_errors(outcome, reasons):
    found = {}
    if not validation.is_choice(outcome, REVIEW_OUTCOMES):
        found["outcome"] = "Select whether the work should continue or stop"
    if not isinstance(reasons, str) or not reasons.strip():
        found["reasons"] = "Give your reasons"
    elif len(reasons) > LONG_TEXT_MAX:
        found["reasons"] = f"Your reasons must be {LONG_TEXT_MAX} characters or fewer"
    return found


def record_review(request_id, actor, outcome, reasons, expected_version=None, today=None):
    """The PCC office's review of long-running work: continue, or stop. A stop ends the work early: its end date
    becomes today (or stays, if that is earlier) and no later review falls due."""
    today = today or date.today()
    with atomic():
        request = lock(request_id, expected_version, lambda r: policy.raise_if(policy.osja_review_refusal(actor, r)))
        problems = review_errors(outcome, reasons)
        if problems:
            raise Refused([Refusal(name, message) for name, message in problems.items()])
        due = next_review_due(request)
        if due is None:
            raise WrongState("This work has no review due: it is not long-running, or it has been stopped")
        db.session.add(
            OsjaReview(
                request_id=request.id,
                due_on=due,
                outcome=outcome,
                reasons=reasons.strip(),
                osja_number=current_number(request) or None,
                decided_by_id=actor.id,
                decided_at=utcnow(),
            )
        )
        if outcome == "stop" and request.end_date and request.end_date > today:
            request.end_date = max(today, request.start_date or today)
        request.updated_at = utcnow()
        # The reasons stay on the review row: the chain records that a review was made and what it decided.
        row = audit.append(request, actor, f"osja_review_{outcome}", request.state, request.state, None)
        if outcome == "stop":
            notifications.queue_review_stopped(request, row.seq, actor)
    return request
