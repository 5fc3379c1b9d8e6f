"""Creating and editing requests before and between gates. No state changes here: see workflow.py."""

from dataclasses import dataclass

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from approvals import audit
from extensions import db
from models import AssistanceRequest, CostLine, FundingSource, ReferenceCounter
from models.types import utcnow


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    required: tuple  # fields that must be answered for the section to be complete


SECTIONS = (
    Section("about", "Requesting body", ("title", "requesting_body", "requesting_body_kind")),
    Section("purpose", "Destination, purpose and sponsor", ("destination", "purpose", "sponsor")),
    Section("dates", "Dates and urgency", ("start_date", "end_date", "urgent")),
    Section("personnel", "People and coordinating unit", ("officers", "staff", "personnel_roles", "coordinating_unit")),
    Section("costs", "Costs and funding", ()),
    Section("flags", "UK police work and sensitivity", ("uk_investigation", "sensitive")),
    Section("human_rights", "Human rights assessment", ("hr_residual",)),
)
SECTION_BY_KEY = {section.key: section for section in SECTIONS}

NOT_STARTED, IN_PROGRESS, COMPLETED = "Not started", "In progress", "Completed"


def _answered(value):
    return value is not None and value != ""


def section_status(request, section):
    if section.key == "costs":
        if request.cost_lines:
            return COMPLETED
        return IN_PROGRESS if request.funding else NOT_STARTED
    answered = [_answered(getattr(request, name)) for name in section.required]
    if section.key == "human_rights" and request.hr_risks:
        answered.append(True)
    if all(answered):
        return COMPLETED
    return IN_PROGRESS if any(answered) else NOT_STARTED


def task_list(request):
    return [(section, section_status(request, section)) for section in SECTIONS]


def incomplete_sections(request):
    return [section for section, status in task_list(request) if status != COMPLETED]


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


def create_draft(actor, title, **values):
    """A new draft for the actor's own force. The caller commits."""
    request = AssistanceRequest(
        reference=next_reference(utcnow().year),
        force_id=actor.force_id,
        created_by_id=actor.id,
        title=title,
        state="draft",
    )
    for name, value in values.items():
        setattr(request, name, value)
    db.session.add(request)
    audit.append(request, actor, "created", None, "draft")
    return request


def update_fields(request, actor, values, section="details"):
    """Apply answers to a draft or returned request and record the edit. The caller commits."""
    changed = [name for name, value in values.items() if getattr(request, name) != value]
    for name in changed:
        setattr(request, name, values[name])
    if changed:
        audit.append(request, actor, f"edited:{section}", request.state, request.state)
    return changed


def add_cost_line(request, actor, category, amount_pence, description=""):
    request.cost_lines.append(CostLine(category=category, amount_pence=amount_pence, description=description))
    request.updated_at = utcnow()
    audit.append(request, actor, "edited:costs", request.state, request.state)


def remove_cost_line(request, actor, line_id):
    request.cost_lines = [line for line in request.cost_lines if line.id != line_id]
    request.updated_at = utcnow()
    audit.append(request, actor, "edited:costs", request.state, request.state)


def add_funding(request, actor, source, amount_pence, committed, description=""):
    request.funding.append(
        FundingSource(source=source, amount_pence=amount_pence, committed=committed, description=description)
    )
    request.updated_at = utcnow()
    audit.append(request, actor, "edited:funding", request.state, request.state)


def remove_funding(request, actor, funding_id):
    request.funding = [source for source in request.funding if source.id != funding_id]
    request.updated_at = utcnow()
    audit.append(request, actor, "edited:funding", request.state, request.state)


def replace_money(request, cost_lines, funding):
    """Replace every cost line and funding source (the API's PATCH semantics)."""
    request.cost_lines = [CostLine(**line) for line in cost_lines]
    request.funding = [FundingSource(**source) for source in funding]
    request.updated_at = utcnow()
