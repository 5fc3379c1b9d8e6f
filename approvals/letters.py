"""The authority letter: issued when a request is approved, as a PDF on its case file (issue 18).

`issue` is called by the workflow inside the approval's own transaction (see `workflow.record_transition`):
the letter is built once from the request and its standing decisions, stored as a case-file document of kind
`authority_letter` (approvals.documents' storage), and its SHA-256 goes into the request's audit chain. When an
approved variation is applied, the request it varies gets a new letter that supersedes the old one; both stay on
the case file. The content is structured (`content`), then drawn by `approvals.pdf`, so the tests read back every
field from the PDF itself.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from approvals import cost_recovery, policy
from approvals.audit import append as audit_append
from approvals.commands import NotFound, WrongState
from approvals.cost_recovery import format_pence
from approvals.gates import GATE_BY_STATE, GATE_STATES, WAIVING_GATE
from approvals.human_rights import LIKELIHOODS, RESIDUALS, RISKS
from approvals.machine import AUTHORISED_STATES
from approvals.marking import marking_of
from approvals.pdf import MarkedPdf
from extensions import db
from models import Document
from models.reference_data import PURPOSES, REQUESTING_BODY_KINDS, SPONSORS, country_name, label
from models.types import utcnow

KIND = "authority_letter"
CONTENT_TYPE = "application/pdf"
# The states in which an approval is (or was) in force: a letter can be read.
LETTER_STATES = AUTHORISED_STATES
# How each gate's positive decision reads in the letter.
GRANTED = {
    "awaiting_chief_officer": "Recommended",
    "awaiting_pcc": "Approved",
    "awaiting_home_secretary": "Consented",
    "awaiting_ipab": "Confirmed alignment",
}
# How a sentence names each gate's decision: "set at the PCC's approval".
AT_GATE = {
    "awaiting_chief_officer": "the chief officer's recommendation",
    "awaiting_pcc": "the PCC's approval",
    "awaiting_home_secretary": "the Home Secretary's consent",
    "awaiting_ipab": "IPAB's alignment",
}
OBLIGATIONS = (
    "Brief these conditions to every officer and member of staff deploying, and confirm that they were briefed when "
    "recording the deployment's start on the service.",
    "Record the date the deployment starts, and seek a variation before any change to the destination, the dates, "
    "the people deploying or the costs.",
    "When the deployment ends, close it out on the service with the date it ended, the actual full cost and the "
    "amount recovered, explaining any difference from the approved dates and costs.",
    "At close-out, report whether each condition was met, with a note for any that was not.",
)


def _person(user):
    if user is None:
        return "Not recorded"
    name = getattr(user, "name", None)
    email = getattr(user, "email", None)
    return f"{name} ({email})" if name and email and name != email else (name or email or str(user))


def on_behalf_of(decision):
    """Whom a decision was made on behalf of, when it was made under a delegation (issue 17 adds `on_behalf_of`
    to decisions: a person, or text); None otherwise."""
    value = getattr(decision, "on_behalf_of", None)
    if value in (None, ""):
        return None
    return _person(value) if hasattr(value, "email") else str(value)


def _day(value):
    return value.strftime("%-d %B %Y") if value else "Not given"


@dataclass
class Section:
    heading: str
    rows: list = field(default_factory=list)  # (label, value)
    paragraphs: list = field(default_factory=list)
    items: list = field(default_factory=list)
    numbered: bool = False


@dataclass
class Letter:
    marking: str
    title: str
    reference: str
    issued_on: date
    addressee: list
    opening: str
    sections: list
    supersedes: str | None = None

    def text(self):
        """Every line of the letter as plain text (for the tests and for searching)."""
        lines = [self.marking, self.title, *self.addressee, self.opening]
        if self.supersedes:
            lines.append(self.supersedes)
        for section in self.sections:
            lines.append(section.heading)
            lines += [f"{k}: {v}" for k, v in section.rows] + section.paragraphs + section.items
        return "\n".join(lines)


def standing_positive_decisions(request):
    decisions = [d for d in request.decisions if not d.superseded and d.outcome == "positive"]
    return sorted(decisions, key=lambda d: (GATE_STATES.index(d.gate), d.decided_at))


def _holder(holders, code, other, force_name):
    """Who holds a person's insurance or liabilities, as the letter names them: the force and another body by name."""
    if not code:
        return "not recorded"
    if code == "force" and force_name:
        return force_name
    return other if code == "other" and other else label(holders, code)


def people_section(named, force_name=None):
    """The people the authority covers and the terms that protect them (issue 24): section 26 protects a named
    person's pay and pension, and temporary service under it changes an officer's status (Police Act 1996 s97)."""
    from approvals.people import HOLDERS, KINDS, SERVICES

    section = Section("The people deployed")
    if not named:
        section.paragraphs.append("No one was named on the request when it was approved.")
        return section
    section.paragraphs.append(
        "This authority covers the people named below. Their pay and pension are protected while they serve under "
        "it; those on temporary service under section 26 return to their force on the reversion date."
    )
    for person in named:
        service = label(SERVICES, person.service)
        if person.service == "temporary_service":
            service += f" from {_day(person.service_start)}, reverting on {_day(person.reversion_date)}"
        insurance = _holder(HOLDERS, person.insurance_holder, person.insurance_holder_other, force_name)
        liabilities = _holder(HOLDERS, person.liabilities_holder, person.liabilities_holder_other, force_name)
        held = (
            f"insurance and liabilities held by {insurance}"
            if insurance == liabilities
            else f"insurance held by {insurance}; third-party, injury and death-in-service liabilities held by "
            f"{liabilities}"
        )
        section.items.append(
            f"{person.name}, {person.rank or label(KINDS, person.kind)}"
            + (f", {person.role}" if person.role else "")
            + f": {service}; {held}"
        )
    return section


def content(request, decisions_from, issued_on, supersedes=None, named=()):
    """The letter's content: `request` is the request in force; `decisions_from` the request whose gates granted
    it (a variation's own, when a variation was approved); `named` the people it deploys (read through
    approvals.people, which records the view)."""
    decisions = standing_positive_decisions(decisions_from)
    position = cost_recovery.position(request.cost_lines, request.funding)
    conditions = [c for c in request.conditions if not c.superseded]
    force = request.force
    purpose = label(PURPOSES, request.purpose)
    kind = "operational" if request.operational else "non-operational"
    days = request.duration_days
    about = Section(
        "The assistance authorised",
        rows=[
            ("Reference", request.reference),
            ("Force", force.name),
            ("Local policing body", force.policing_body),
            ("Requesting body", request.requesting_body),
            ("Kind of requesting body", label(REQUESTING_BODY_KINDS, request.requesting_body_kind)),
            ("Destination", country_name(request.destination)),
            ("Purpose", f"{purpose} ({kind})"),
            *([("What the assistance is", request.purpose_details)] if request.purpose_details else []),
            (
                "Dates",
                f"{_day(request.start_date)} to {_day(request.end_date)}" + (f" ({days} days)" if days else ""),
            ),
            ("Police officers", str(request.officers or 0)),
            ("Police staff", str(request.staff or 0)),
            ("Roles", request.personnel_roles),
            (
                "Sponsor",
                request.sponsor_other
                if request.sponsor == "other" and request.sponsor_other
                else label(SPONSORS, request.sponsor),
            ),
            ("Coordinating unit", request.coordinating_unit),
            ("Mission name or reference", request.mission_reference),
        ],
    )
    decided = Section("Decisions")
    for decision in decisions:
        gate = GATE_BY_STATE[decision.gate]
        line = f"{GRANTED[decision.gate]} by {_person(decision.actor)}"
        if (principal := on_behalf_of(decision)) is not None:
            line += f", on behalf of {principal}"
        decided.rows.append((gate.title, f"{line}, on {_day(decision.decided_at)}"))
    terms = Section(
        "Conditions",
        items=[f"{c.text} (set at {AT_GATE.get(c.gate, c.gate)} by {_person(c.set_by)})" for c in conditions],
        numbered=True,
    )
    if not conditions:
        terms.paragraphs.append("No conditions were attached to this approval.")
    else:
        terms.paragraphs.append("The approval is given on these conditions:")
    money = Section(
        "Cost recovery",
        rows=[
            ("Full cost", format_pence(position.full_cost_pence)),
            ("Committed funding", format_pence(position.committed_pence)),
            ("Funding expected, not committed", format_pence(position.expected_pence)),
            ("Shortfall", format_pence(position.shortfall_pence)),
        ],
    )
    waivers = [d for d in decisions if d.cost_waiver_reason]
    for decision in waivers:
        # Only the policing body waives (issue 23); the chief officer's reason recommends the waiver to it.
        waived = "waived" if decision.gate == WAIVING_GATE.state else "waiver recommended"
        money.rows.append(
            (
                "Waiver" if decision.gate == WAIVING_GATE.state else "Waiver recommended",
                f"{format_pence(decision.shortfall_pence)} {waived}, recorded by {_person(decision.actor)} at "
                f"{AT_GATE.get(decision.gate, decision.gate)} on {_day(decision.decided_at)}: "
                f"{decision.cost_waiver_reason}",
            )
        )
    if not waivers:
        money.paragraphs.append("No waiver was recorded: the full cost is to be recovered.")
    rights = Section("Human-rights mitigations required")
    residual = next((d.hr_residual for d in reversed(decisions) if d.hr_residual), request.hr_residual)
    rights.rows.append(("Residual risk", label(RESIDUALS, residual) if residual else "Not given"))
    risks = sorted({r for d in decisions for r in (d.hr_risks or [])} | set(request.hr_risks or []))
    if risks:
        rights.rows.append(("Risks identified", "; ".join(label(RISKS, r) for r in risks)))
    if request.hr_likelihood:
        rights.rows.append(("Likelihood (submitter)", label(LIKELIHOODS, request.hr_likelihood)))
    if request.hr_mitigations:
        rights.items.append(f"From the request: {request.hr_mitigations}")
    for decision in decisions:
        if decision.hr_mitigations:
            rights.items.append(f"Required at {AT_GATE.get(decision.gate, decision.gate)}: {decision.hr_mitigations}")
    if not rights.items:
        rights.paragraphs.append("No mitigations were recorded.")
    after = Section("Obligations after deployment", items=list(OBLIGATIONS))
    variation = decisions_from if decisions_from is not request else None
    opening = (
        f"Authority is given under section 26 of the Police Act 1996 for {force.name} to provide the assistance "
        f"described below to {request.requesting_body or 'the requesting body'}, on the terms set out in this letter."
    )
    if variation is not None:
        opening += f" This letter follows the approval of variation {variation.reference}."
    return Letter(
        marking=marking_of(request),
        title="Letter of authority: section 26, Police Act 1996",
        reference=request.reference,
        issued_on=issued_on,
        addressee=[f"To: the Chief Constable, {force.name}", f"and {force.policing_body}"],
        opening=opening,
        sections=[about, people_section(named, request.force.name), decided, terms, money, rights, after],
        supersedes=supersedes,
    )


def render(letter):
    """The letter as an A4 PDF."""
    pdf = MarkedPdf(
        letter.marking,
        f"Letter of authority {letter.reference}, issued {_day(letter.issued_on)}",
        f"Letter of authority {letter.reference}",
        "Section 26 approvals",
    )
    pdf.title_block(letter.title)
    pdf.key_values([("Reference", letter.reference), ("Issued", _day(letter.issued_on))])
    for line in letter.addressee:
        pdf.para(line)
    if letter.supersedes:
        pdf.para(letter.supersedes, bold=True)
    pdf.para(letter.opening)
    for section in letter.sections:
        pdf.heading(section.heading)
        if section.rows:
            pdf.key_values(section.rows)
        for text in section.paragraphs:
            pdf.para(text)
        if section.items:
            pdf.items(section.items, numbered=section.numbered)
    return pdf.bytes()


def current(holder):
    """The letter in force on `holder` (the request that was approved), or None."""
    return db.session.scalars(
        select(Document)
        .where(Document.request_id == holder.id, Document.kind == KIND, Document.superseded_by_id.is_(None))
        .order_by(Document.id.desc())
    ).first()


def issue(request, actor, variation=None):
    """Build and store the letter for `request`, just approved (or whose variation `variation` was), in the
    caller's transaction; it supersedes the letter in force. Returns the document."""
    source = variation if variation is not None and variation is not request else request
    if source is not request:
        db.session.flush()  # a variation's people were just copied onto the request: read them as written
    # Nothing else this transaction wrote is read here: no autoflush, so the request row is updated once, at commit.
    with db.session.no_autoflush:
        issued = db.session.scalar(
            select(db.func.count(Document.id)).where(Document.request_id == request.id, Document.kind == KIND)
        )
        previous = current(request) if issued else None
        issued_on = date.today()
        supersedes = None
        if previous is not None:
            supersedes = (
                f"This letter supersedes the letter of authority issued on {_day(previous.uploaded_at)} "
                f"(SHA-256 {previous.sha256[:16]}...)."
            )
        from approvals import people  # the one reader of personal data; here, not at the top (it builds on the policy)

        named = people.read(actor, request, "authority_letter", commit=False)  # recorded in the approval's transaction
        letter = content(request, source, issued_on, supersedes, named)
    pdf = render(letter)
    digest = hashlib.sha256(pdf).hexdigest()
    number = issued + 1
    document = Document(
        request_id=request.id,
        kind=KIND,
        description=f"Letter of authority {number}"
        + (f" (variation {source.reference})" if source is not request else ""),
        filename=f"{request.reference}-authority-letter-{number}.pdf",
        content_type=CONTENT_TYPE,
        size_bytes=len(pdf),
        sha256=digest,
        content=pdf,
        uploaded_by_id=actor.id,
        uploaded_at=utcnow(),
        uploaded_in_state="approved",
    )
    db.session.add(document)
    note = f"{KIND} {document.filename} sha256={digest}"
    if previous is not None:
        db.session.flush()  # the letter superseded names the new one's id
        previous.superseded_by_id = document.id
        note += f" supersedes document {previous.id} sha256={previous.sha256}"
    audit_append(request, actor, "authority_letter_issued", request.state, request.state, note)
    return document


def for_reader(user, request):
    """The letter in force for `request`, if `user` may read it: the force (its lead and chief officers), its PCC
    office, the Home Office and IPAB, i.e. whoever may read the people it names. 404 for who may not see the
    request (FOI officers included), 403 for who sees it but not its people; 409 before approval. A variation's
    letter is the one on the request it varied. The reading is recorded (`record_reading`)."""
    if not policy.can_see(user, request):
        raise NotFound()
    holder = request
    if request.is_variation:
        if request.state != "approved":
            raise WrongState("This variation has not been approved: it has no letter of authority")
        holder = request.variation_of
    if holder.state not in LETTER_STATES:
        raise WrongState("This request has not been approved: it has no letter of authority yet")
    document = current(holder)
    if document is None:
        raise WrongState("No letter of authority was issued for this request (it was approved before letters)")
    record_reading(user, holder)
    return document


def record_reading(user, holder):
    """The letter names the people it covers: only those who may read the people download it (403 for the others,
    a contributing force's deciders among them), and each download is recorded as a view of their details, as any
    other (approvals.people)."""
    from approvals import people  # the one reader of personal data (it builds on the policy, as this module does)

    people.read(user, holder, "authority_letter_download")


def letters(holder):
    """Every letter issued for `holder`, newest first (the one in force, then those it superseded)."""
    return db.session.scalars(
        select(Document).where(Document.request_id == holder.id, Document.kind == KIND).order_by(Document.id.desc())
    ).all()
