"""Creating and editing requests before and between gates: the task list, and the edit commands.
No state changes here: see workflow.py."""

from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from approvals import audit, marking, osja, policy, rates, validation
from approvals.commands import Forbidden, Refused, atomic, lock
from approvals.human_rights import Refusal
from extensions import db
from models import AssistanceRequest, ContributingForce, CostLine, Force, FundingSource, ReferenceCounter
from models.reference_data import UK_DELIVERED_KINDS
from models.types import utcnow


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    required: tuple  # fields that must be answered for the section to be complete


SECTIONS = (
    Section("about", "Requesting body", ("title", "requesting_body", "requesting_body_kind")),
    Section("kind", "Kind of assistance and authorisation", ("assistance_kind",)),
    Section("purpose", "Destination, purpose and sponsor", ("destination", "purpose", "purpose_details", "sponsor")),
    Section("dates", "Dates and urgency", ("start_date", "end_date", "urgent")),
    Section("personnel", "People and coordinating unit", ("officers", "staff", "personnel_roles", "coordinating_unit")),
    Section("costs", "Costs and funding", ()),
    Section("flags", "UK police work and sensitivity", ("uk_investigation", "sensitive")),
    Section("human_rights", "Human rights assessment", ("hr_residual",)),
)
SECTION_BY_KEY = {section.key: section for section in SECTIONS}
# What each kind of assistance asks besides the common questions (issue 23): the UK-delivered kinds say how many
# foreign personnel are trained or hosted, and where. The others ask nothing more.
KIND_QUESTIONS = {kind: ("foreign_personnel", "location") for kind in UK_DELIVERED_KINDS}


def required_fields(request, section):
    """The answers `section` needs for this request's kind of assistance."""
    if section.key == "personnel":
        return section.required + KIND_QUESTIONS.get(request.assistance_kind, ())
    return section.required


COST_LINE_KEYS = ("category", "amount_pence", "description")
FUNDING_KEYS = ("source", "amount_pence", "committed", "description")

NOT_STARTED, IN_PROGRESS, COMPLETED = "Not started", "In progress", "Completed"


def _answered(value):
    return value is not None and value != ""


def section_status(request, section):
    if section.key == "costs":
        if request.cost_lines:
            return COMPLETED
        return IN_PROGRESS if request.funding else NOT_STARTED
    answered = [_answered(getattr(request, name)) for name in required_fields(request, section)]
    if section.key == "human_rights" and request.hr_risks:
        answered.append(True)
    if all(answered):
        return COMPLETED
    return IN_PROGRESS if any(answered) else NOT_STARTED


def task_list(request):
    return [(section, section_status(request, section)) for section in SECTIONS]


def incomplete_sections(request):
    return [section for section, status in task_list(request) if status != COMPLETED]


def submit_refusals(request):
    """What a submission still needs from the request's own answers: each incomplete section, and each missing part
    of the OSJA assessment, which stands for the human-rights section (issue 24: submitting needs it complete), and
    salary lines that still match the people and the rate card."""
    found = [
        Refusal("incomplete", f"Complete the section: {section.title}")
        for section in incomplete_sections(request)
        if section.key != "human_rights"
    ]
    return found + osja.submit_refusals(request) + rates.stale_refusals(request)


def next_reference(year):
    """S26-YYYY-NNNN, sequential per year. The UPDATE ... RETURNING is atomic on both databases."""
    for _ in range(3):
        number = db.session.execute(
            update(ReferenceCounter)
            .where(ReferenceCounter.year == year)
            .values(last_number=ReferenceCounter.last_number + 1)
            .returning(ReferenceCounter.last_number)
        ).scalar()
        if number is not None:
            return f"S26-{year}-{number:04d}"
        try:
            with db.session.begin_nested():
                db.session.execute(insert(ReferenceCounter).values(year=year, last_number=0))
        except IntegrityError:
            pass  # another request created the year's counter first; take the next number from it
    raise RuntimeError("Could not allocate a request reference")


def create_draft(actor, title, cost_lines=(), funding=(), **values):
    """A new draft for the actor's own force, its money lines included before its "created" event, so that
    event's snapshot covers them. The caller commits (seeds and tests build with this; `start` is the command)."""
    request = AssistanceRequest(
        reference=next_reference(utcnow().year),
        force_id=actor.force_id,
        created_by_id=actor.id,
        title=title,
        state="draft",
    )
    parts = values.pop("contributing_forces", None)
    assessment = values.pop("osja", None)  # the OSJA assessment's other parts, when the caller has them
    for name, value in marking.with_default(values).items():
        setattr(request, name, value)
    if parts:
        _set_parts(request, parts)
    request.cost_lines = [line if isinstance(line, CostLine) else CostLine(**line) for line in cost_lines]
    request.funding = [source if isinstance(source, FundingSource) else FundingSource(**source) for source in funding]
    db.session.add(request)
    audit.append(request, actor, "created", None, "draft")
    if assessment or any(values.get(column) for column in osja.MIRRORED.values()):
        osja.mirror_request_answers(request, actor, assessment)  # its answers are the assessment's version 1
    return request


# --- The edit commands: each locks the row, checks the version, asks the policy, audits, commits once ---------


def start(actor, title, values=None, cost_lines=(), funding=()):
    """Start a draft for the actor's force, with whatever answers and money lines came with it."""
    if not policy.may_create(actor):
        raise Forbidden("Only a force's international lead can start a request")
    with atomic():
        request = create_draft(actor, title, cost_lines, funding, **(values or {}))
    return request


def _editable(request_id, actor, expected_version):
    return lock(request_id, expected_version, policy.check(actor, policy.EDIT))


def _edited(request, actor, section, changed=()):
    request.updated_at = utcnow()  # also bumps the version, money-only changes included
    if set(changed) & set(osja.MIRRORED.values()):
        osja.mirror_request_answers(request, actor)  # the assessment is one document: a new version of it
    audit.append(request, actor, f"edited:{section}", request.state, request.state)


def _part_rows(request):
    return [{"force": p.force.slug, "officers": p.officers, "staff": p.staff} for p in request.contributing_forces]


def _set_parts(request, rows):
    """Replace the contributing forces (issue 23) with `rows` ({"force": slug, "officers", "staff"}): known forces
    other than the lead's own, each once. Refused (422) at the field otherwise."""
    forces = {force.slug: force for force in db.session.scalars(select(Force))}
    problems = {}
    for index, row in enumerate(rows):
        force = forces.get(row["force"])
        if force is None:
            problems[f"contributing_forces.{index}.force"] = "There is no force with that name"
        elif force.id == request.force_id:
            problems[f"contributing_forces.{index}.force"] = "The lead force cannot also be a contributing force"
    if problems:
        raise Refused([Refusal(name, message) for name, message in problems.items()])
    kept = {part.force.slug: part for part in request.contributing_forces}
    parts = []
    for row in rows:
        part = kept.get(row["force"]) or ContributingForce(force=forces[row["force"]])
        part.officers, part.staff = row["officers"], row["staff"]
        parts.append(part)
    request.contributing_forces = parts


def _apply(request, values):
    values = dict(values)
    parts = values.pop("contributing_forces", None)
    changed = []
    if parts is not None and parts != _part_rows(request):
        _set_parts(request, parts)
        changed.append("contributing_forces")
    fields = [name for name, value in values.items() if getattr(request, name) != value]
    for name in fields:
        setattr(request, name, values[name])
    return changed + fields


def update_fields(request_id, actor, values, section="details", expected_version=None):
    """Apply answers to a draft or returned request and record the edit. Returns the names that changed."""
    with atomic():
        request = _editable(request_id, actor, expected_version)
        changed = _apply(request, marking.with_default(values, request))
        if changed:
            _edited(request, actor, section, changed)
    return changed


def _money_refused(errors):
    if errors:
        raise Refused([Refusal(name, message) for name, message in errors.items()])


def add_cost_line(request_id, actor, category, amount_pence, description="", expected_version=None):
    with atomic():
        request = _editable(request_id, actor, expected_version)
        _money_refused(validation.cost_line_errors(category, amount_pence))
        unfit = validation.kind_errors({"assistance_kind": request.assistance_kind}, [category])
        _money_refused({"category": unfit["cost_lines"]} if "cost_lines" in unfit else {})
        request.cost_lines.append(CostLine(category=category, amount_pence=amount_pence, description=description))
        _edited(request, actor, "costs")
    return request


def remove_cost_line(request_id, actor, line_id, expected_version=None):
    with atomic():
        request = _editable(request_id, actor, expected_version)
        if any(line.id == line_id and line.computed_pence is not None for line in request.cost_lines):
            message = "This line is worked out from the rate card: override it with a reason, or remove the person"
            raise Refused([Refusal("computed_line", message)])
        kept = [line for line in request.cost_lines if line.id != line_id]
        if len(kept) != len(request.cost_lines):
            request.cost_lines = kept
            _edited(request, actor, "costs")
    return request


def add_funding(request_id, actor, source, amount_pence, committed, description="", expected_version=None):
    with atomic():
        request = _editable(request_id, actor, expected_version)
        _money_refused(validation.funding_errors(source, amount_pence))
        request.funding.append(
            FundingSource(source=source, amount_pence=amount_pence, committed=committed, description=description)
        )
        _edited(request, actor, "funding")
    return request


def remove_funding(request_id, actor, funding_id, expected_version=None):
    with atomic():
        request = _editable(request_id, actor, expected_version)
        kept = [source for source in request.funding if source.id != funding_id]
        if len(kept) != len(request.funding):
            request.funding = kept
            _edited(request, actor, "funding")
    return request


def _lines(rows, keys):
    return [{key: getattr(row, key) for key in keys} for row in rows]


def _replaced_lines(request, given):
    """The cost lines a PATCH's `given` lines stand for: the typed lines are replaced, while each salary line worked out
    from the rate card (approvals.rates) must come back as it is and stays the worked-out line it was. It changes only
    by overriding it with a reason or by changing the people: a body that drops or alters it is refused."""
    typed = list(given)
    computed = [line for line in request.cost_lines if line.computed]
    for line in computed:
        sent = {key: getattr(line, key) for key in COST_LINE_KEYS}
        if sent not in typed:
            message = (
                f'The line "{line.description}" is worked out from the rate card: send it unchanged, and override it '
                "with a reason or change the people instead"
            )
            raise Refused([Refusal("computed_line", message)])
        typed.remove(sent)
    return computed + [CostLine(**line) for line in typed]


def edit(request_id, actor, values, cost_lines=None, funding=None, section="api", expected_version=None):
    """Change answers and, when given, replace every cost line or funding source (the API's PATCH): one
    command, one audit event."""
    with atomic():
        request = _editable(request_id, actor, expected_version)
        changed = _apply(request, marking.with_default(values, request))
        if cost_lines is not None and cost_lines != _lines(request.cost_lines, COST_LINE_KEYS):
            request.cost_lines = _replaced_lines(request, cost_lines)
            changed.append("cost_lines")
        if funding is not None and funding != _lines(request.funding, FUNDING_KEYS):
            request.funding = [FundingSource(**source) for source in funding]
            changed.append("funding")
        if changed:
            _edited(request, actor, section, changed)
    return request
