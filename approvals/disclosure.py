"""Disclosure (issue 25): FOI cases answered item by item, response letters, PCC decision records and the
per-force transparency page.

Every figure comes from approvals.transparency, which leaves sensitive requests out of every count; nothing
here reports that anything was left out, so an answer reads the same whether or not a sensitive request
exists. Every change is one transaction with its DisclosureEvent (append-only).
"""

import csv
import io
import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select

from approvals import marking, policy, transparency
from approvals.cost_recovery import format_pence
from approvals.gates import PCC_GATE as PCC
from approvals.language import N_
from approvals.machine import AUTHORISED_STATES
from approvals.workflow import add_working_days
from config.settings import FOI_TEXT_MAX, SHORT_TEXT_MAX
from extensions import db
from models import (
    AssistanceRequest,
    ContributingForce,
    DecisionRecord,
    DisclosureEvent,
    FoiCase,
    FoiItem,
    FoiQuestion,
    GateDecision,
)
from models.reference_data import country_name
from models.types import utcnow

FOI_WORKING_DAYS = 20  # FOIA s10(1)

# --- Exemptions: the standard wording each one carries in a response letter -----------------------------------


@dataclass(frozen=True)
class Exemption:
    code: str  # as cited: "24(1)", "27(1)(a)"
    section: str  # grouping in the letter: "24(1)"
    title: str
    qualified: bool  # qualified exemptions need the public-interest test
    wording: str


WITHHOLD = (
    Exemption(
        "12",
        "12",
        "Cost of compliance exceeds the appropriate limit",
        False,
        "Section 12 of the Act allows a public authority to refuse a request where the cost of finding and "
        "extracting the information would exceed the appropriate limit (£450, or 18 hours of work). Under section 16 "
        "we can advise how the request might be narrowed to bring it within the limit.",
    ),
    Exemption(
        "23(1)",
        "23(1)",
        "Information supplied by, or concerning, certain security bodies",
        False,
        "Section 23(1) is an absolute exemption: information supplied by, or relating to, the bodies dealing with "
        "security matters listed in section 23(3) is exempt, and no public-interest test applies.",
    ),
    Exemption(
        "24(1)",
        "24(1)",
        "National security",
        True,
        "Section 24(1) exempts information where that is required for the purpose of safeguarding national "
        "security. Disclosure under the Act is a disclosure to the world: releasing these details would give those "
        "intent on causing harm an insight into how the police operate overseas.",
    ),
    Exemption(
        "27(1)(a)",
        "27(1)",
        "International relations",
        True,
        "Section 27(1) exempts information whose disclosure would, or would be likely to, prejudice relations "
        "between the United Kingdom and any other state (a) or international organisation (b), or the interests of "
        "the United Kingdom abroad (c), or its promotion or protection of those interests (d). The effective conduct "
        "of international relations depends on trust and confidence between states.",
    ),
    Exemption("27(1)(c)", "27(1)", "International relations", True, ""),
    Exemption(
        "31(1)(a)",
        "31(1)",
        "Law enforcement",
        True,
        "Section 31(1) exempts information whose disclosure would, or would be likely to, prejudice the prevention "
        "or detection of crime (a) or the apprehension or prosecution of offenders (b). Releasing it would reveal "
        "operational tactics and capabilities to those who would exploit them.",
    ),
    Exemption("31(1)(b)", "31(1)", "Law enforcement", True, ""),
    Exemption(
        "38(1)(b)",
        "38(1)",
        "Health and safety",
        True,
        "Section 38(1) exempts information whose disclosure would, or would be likely to, endanger the physical or "
        "mental health (a) or the safety (b) of any individual, including officers and staff deployed overseas.",
    ),
    Exemption(
        "40(2)",
        "40(2)",
        "Personal information",
        False,
        "Section 40(2) exempts personal data of people other than the requester where disclosure would breach the "
        "data protection principles. It identifies or could identify individual officers and staff.",
    ),
)
NCND = (
    Exemption(
        "23(5)",
        "23(5)",
        "Information supplied by, or concerning, certain security bodies",
        False,
        "Section 23(5) removes the duty to confirm or deny where doing so would reveal information supplied by, or "
        "relating to, the bodies dealing with security matters. It is absolute: no public-interest test applies.",
    ),
    Exemption(
        "24(2)",
        "24(2)",
        "National security",
        True,
        "Section 24(2) removes the duty to confirm or deny where that is required for the purpose of safeguarding "
        "national security.",
    ),
    Exemption(
        "27(4)",
        "27(4)",
        "International relations",
        True,
        "Section 27(4) removes the duty to confirm or deny where confirming or denying would, or would be likely "
        "to, prejudice the United Kingdom's international relations or interests abroad.",
    ),
    Exemption(
        "31(3)",
        "31(3)",
        "Law enforcement",
        True,
        "Section 31(3) removes the duty to confirm or deny where confirming or denying would, or would be likely "
        "to, prejudice law enforcement.",
    ),
)
EXEMPTION_BY_CODE = {e.code: e for e in (*WITHHOLD, *NCND)}
WITHHOLD_CODES = tuple(e.code for e in WITHHOLD)
NCND_CODES = tuple(e.code for e in NCND)
DECISIONS = (
    ("disclose", "Disclose"),
    ("withhold", "Withhold under one or more exemptions"),
    ("ncnd", "Neither confirm nor deny that it is held"),
)

# What an item's answer is built from: the statistics approvals.transparency computes, or the officer's own text.
SOURCES = (
    ("text", "My own answer (a count or list I enter)"),
    ("total_deployments", "Total number of deployments"),
    ("total_officers", "Total number of police officers deployed"),
    ("total_staff", "Total number of police staff deployed"),
    ("total_operational", "Number of operational deployments"),
    ("total_non_operational", "Number of non-operational deployments"),
    ("by_country", "Deployments by destination country or territory"),
    ("by_purpose", "Deployments by primary purpose"),
    ("by_sponsor", "Deployments by sponsoring or commissioning body"),
    ("by_duration_band", "Deployments by duration"),
    ("by_unit", "Deployments by coordinating unit"),
    ("full_cost", "Total cost of the deployments"),
)
SOURCE_CODES = tuple(code for code, _ in SOURCES)

INTERNAL_REVIEW = (
    "If you are dissatisfied with this response you may ask for an internal review. Write to us within 40 working "
    "days of the date of this letter, quoting the reference above, and say why you are dissatisfied. The review "
    "will be carried out by someone who was not involved in this response."
)
COMPLAINT = (
    "If you remain dissatisfied after the internal review, you have the right under section 50 of the Act to "
    "complain to the Information Commissioner: Information Commissioner's Office, Wycliffe House, Water Lane, "
    "Wilmslow, Cheshire SK9 5AF; ico.org.uk/make-a-complaint."
)
NCND_NO_INFERENCE = "No inference should be drawn that the information does or does not exist."


class Invalid(Exception):
    """What the officer must correct, by field."""

    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def record(subject, subject_id, actor, event, detail=None):
    """Append one disclosure event, in the caller's transaction."""
    if isinstance(detail, (dict, list)):
        detail = json.dumps(detail, sort_keys=True, default=str)
    db.session.add(
        DisclosureEvent(
            subject=subject,
            subject_id=subject_id,
            actor_id=actor.id if actor is not None else None,
            at=utcnow(),
            event=event,
            detail=detail,
        )
    )


def events(subject, subject_id):
    return db.session.scalars(
        select(DisclosureEvent)
        .where(DisclosureEvent.subject == subject, DisclosureEvent.subject_id == subject_id)
        .order_by(DisclosureEvent.id)
    ).all()


# --- FOI cases ----------------------------------------------------------------------------------------------


def foi_cases_clause(user):
    """The FOI cases `user` may see: an FOI officer with a force sees that force's; a national one sees all."""
    if not user.has_role(policy.FOI_ROLE):
        return FoiCase.id.is_(None)
    if user.force_id is not None:
        return FoiCase.force_id == user.force_id
    return FoiCase.id.is_not(None)


def visible_foi_cases(user):
    return select(FoiCase).where(foi_cases_clause(user)).order_by(FoiCase.status, FoiCase.due_on, FoiCase.id)


def get_foi_case(user, case_id):
    """The case if `user` may see it, else None (callers answer 404, so its existence is not revealed)."""
    case = db.session.get(FoiCase, case_id)
    if case is None or not db.session.scalar(select(FoiCase.id).where(FoiCase.id == case_id, foi_cases_clause(user))):
        return None
    return case


def overdue_foi_cases(user, today=None):
    today = today or date.today()
    return db.session.scalars(
        select(FoiCase)
        .where(foi_cases_clause(user), FoiCase.status == "open", FoiCase.due_on < today)
        .order_by(FoiCase.due_on, FoiCase.id)
    ).all()


def due_date(received_on):
    """20 working days after receipt, weekends and England and Wales bank holidays skipped."""
    return add_working_days(received_on, FOI_WORKING_DAYS)


def _text(errors, name, value, message, limit=FOI_TEXT_MAX):
    if not isinstance(value, str) or not value.strip():
        errors[name] = message
        return ""
    if len(value) > limit:
        errors[name] = f"Must be {limit} characters or fewer"
    return value.strip()


# The Freedom of Information Act 2000 came into force on 1 January 2005: no request was received before it.
EARLIEST_RECEIVED = date(2005, 1, 1)
# Statistics cover no period before the records this service could hold.
EARLIEST_PERIOD = date(2000, 1, 1)


def open_case(actor, request_text, received_on, questions, period_from=None, period_to=None, force=None):
    """Open an FOI case. A force FOI officer's case is always their force's; a national one may name a force."""
    errors = {}
    request_text = _text(errors, "request_text", request_text, "Enter the text of the request")
    if not isinstance(received_on, date):
        errors["received_on"] = "Enter the date the request was received"
    elif received_on > date.today():
        errors["received_on"] = "The date received must be today or in the past"
    elif received_on < EARLIEST_RECEIVED:
        errors["received_on"] = f"The date received must be on or after {EARLIEST_RECEIVED:%-d %B %Y}"
    questions = [q.strip() for q in (questions or []) if isinstance(q, str) and q.strip()]
    if not questions:
        errors["questions"] = "Enter at least one question the request asks"
    for name, value in (("period_from", period_from), ("period_to", period_to)):
        if value is not None and not (isinstance(value, date) and value >= EARLIEST_PERIOD):
            errors[name] = f"The period must start on or after {EARLIEST_PERIOD:%-d %B %Y}"
    if isinstance(received_on, date) and not errors:
        period_to = period_to or received_on
        period_from = period_from or transparency.one_year_before(period_to)
        if period_from > period_to:
            errors["period_from"] = "The start of the period must be the same as or before its end"
    if errors:
        raise Invalid(errors)
    force_id = actor.force_id if actor.force_id is not None else (force.id if force is not None else None)
    case = FoiCase(
        force_id=force_id,
        request_text=request_text,
        received_on=received_on,
        due_on=due_date(received_on),
        period_from=period_from,
        period_to=period_to,
        created_by_id=actor.id,
        questions=[FoiQuestion(position=i, text=text) for i, text in enumerate(questions, start=1)],
    )
    db.session.add(case)
    db.session.flush()
    record("foi_case", case.id, actor, "opened", {"received_on": received_on, "questions": len(questions)})
    db.session.commit()
    return case


def update_case(case, actor, **changes):
    """Change the request text, dates or period, or mark the case responded (or reopen it)."""
    errors = {}
    if "request_text" in changes:
        case.request_text = _text(errors, "request_text", changes["request_text"], "Enter the text of the request")
    if "received_on" in changes:
        received = changes["received_on"]
        if not isinstance(received, date) or not EARLIEST_RECEIVED <= received <= date.today():
            errors["received_on"] = "Enter the date the request was received, today or in the past"
        else:
            case.received_on = changes["received_on"]
            case.due_on = due_date(case.received_on)
    for name in ("period_from", "period_to"):
        if name in changes:
            if not isinstance(changes[name], date) or changes[name] < EARLIEST_PERIOD:
                errors[name] = f"Enter a date on or after {EARLIEST_PERIOD:%-d %B %Y}"
            else:
                setattr(case, name, changes[name])
    if case.period_from > case.period_to:
        errors["period_from"] = "The start of the period must be the same as or before its end"
    if "status" in changes:
        if changes["status"] not in ("open", "responded"):
            errors["status"] = "Must be open or responded"
        elif changes["status"] == "responded" and (problems := incomplete(case)):
            errors["status"] = problems[0]
        else:
            case.status = changes["status"]
            case.responded_on = date.today() if case.status == "responded" else None
    if errors:
        db.session.rollback()
        raise Invalid(errors)
    record("foi_case", case.id, actor, "updated", {k: v for k, v in changes.items() if k != "request_text"})
    db.session.commit()
    return case


def incomplete(case):
    """Why the response cannot be sent yet: each question needs at least one decided item."""
    return [f"Decide at least one item for question {q.position}" for q in case.questions if not q.items]


def validate_item(values):
    """Clean an item's values; raise Invalid naming each problem."""
    errors = {}
    label = _text(errors, "label", values.get("label"), "Enter what this item of information is", SHORT_TEXT_MAX)
    source = values.get("source") or "text"
    if source not in SOURCE_CODES:
        errors["source"] = "Select what the answer is built from"
    text = values.get("text")
    text = text.strip() if isinstance(text, str) else ""
    decision = values.get("decision")
    if decision not in dict(DECISIONS):
        errors["decision"] = "Select disclose, withhold or neither confirm nor deny"
    codes = values.get("exemptions") or []
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        errors["exemptions"] = "Must be a list of exemption codes"
        codes = []
    allowed = WITHHOLD_CODES if decision == "withhold" else NCND_CODES if decision == "ncnd" else ()
    codes = [c for c in dict.fromkeys(codes)]
    if decision == "disclose" and codes:
        errors["exemptions"] = "An item you disclose is not withheld under any exemption"
    elif decision in ("withhold", "ncnd"):
        wrong = [c for c in codes if c not in allowed]
        if wrong:
            errors["exemptions"] = f"Not an exemption for this decision: {', '.join(wrong)}"
        elif not codes:
            errors["exemptions"] = "Select the exemptions that apply"
    if decision == "disclose" and source == "text" and not text:
        errors["text"] = "Enter the answer to disclose"
    pit = {name: (values.get(name) or "").strip() for name in ("pit_for", "pit_against", "pit_conclusion")}
    if any(EXEMPTION_BY_CODE[c].qualified for c in codes if c in EXEMPTION_BY_CODE):
        messages = {
            "pit_for": "Enter the factors favouring disclosure",
            "pit_against": "Enter the factors favouring non-disclosure",
            "pit_conclusion": "Enter the balance of the public-interest test",
        }
        errors.update({name: message for name, message in messages.items() if not pit[name]})
    if errors:
        raise Invalid(errors)
    return {"label": label, "source": source, "text": text or None, "decision": decision, "exemptions": codes} | {
        name: value or None for name, value in pit.items()
    }


def save_item(question, actor, values, item=None):
    """Add an item to a question, or change one."""
    cleaned = validate_item(values)
    if item is None:
        item = FoiItem(position=len(question.items) + 1, **cleaned)
        question.items.append(item)
        event = "item_added"
    else:
        for name, value in cleaned.items():
            setattr(item, name, value)
        event = "item_changed"
    question.case.updated_at = utcnow()
    record(
        "foi_case",
        question.case_id,
        actor,
        event,
        {
            "question": question.position,
            "label": cleaned["label"],
            "decision": cleaned["decision"],
            "exemptions": cleaned["exemptions"],
        },
    )
    db.session.commit()
    return item


def replace_items(question, actor, items):
    """The API's PATCH: the question's items become exactly `items` (each validated first)."""
    cleaned = []
    for index, values in enumerate(items):
        try:
            cleaned.append(validate_item(values if isinstance(values, dict) else {}))
        except Invalid as error:
            errors = {f"questions[{question.position}].items[{index}].{k}": v for k, v in error.errors.items()}
            raise Invalid(errors) from error
    question.items = [FoiItem(position=i, **values) for i, values in enumerate(cleaned, start=1)]
    question.case.updated_at = utcnow()
    record(
        "foi_case", question.case_id, actor, "items_replaced", {"question": question.position, "items": len(cleaned)}
    )


def delete_item(item, actor):
    question = item.question
    question.items.remove(item)
    for position, other in enumerate(question.items, start=1):
        other.position = position
    record("foi_case", question.case_id, actor, "item_removed", {"question": question.position, "label": item.label})
    db.session.commit()


def statistics(case):
    """The live figures over the case's period and scope (sensitive requests never counted)."""
    return transparency.foi_statistics(case.period_from, case.period_to, case.force.slug if case.force else None)


def _breakdown_lines(data, name):
    lines = []
    for row in data[name]:
        label = row.get("name") or row.get("label")
        lines.append(f"{label}: {row['deployments']} deployments, {row['officers']} officers, {row['staff']} staff")
    return lines or ["None in this period."]


def answer_lines(item, report):
    """What a disclosed item says, built from live data (or the officer's text)."""
    data = report.as_json()
    if item.source.startswith("total_"):
        lines = [f"{item.label}: {data['totals'][item.source.removeprefix('total_')]}"]
    elif item.source.startswith("by_"):
        lines = [f"{item.label}:", *(f"  {line}" for line in _breakdown_lines(data, item.source))]
    elif item.source == "full_cost":
        lines = [f"{item.label}: {format_pence(report.full_cost_pence)}"]
    else:
        lines = []
    if item.text:
        lines.append(item.text)
    return lines


def cited(codes):
    """ "24(1)", "27(1)(a)", "27(1)(c)" -> ["24(1)", "27(1)(a)(c)"]: limbs of one subsection cited together."""
    grouped = {}
    for code in codes:
        exemption = EXEMPTION_BY_CODE[code]
        limbs = code.removeprefix(exemption.section)
        grouped.setdefault(exemption.section, []).append(limbs)
    return [section + "".join(limbs) for section, limbs in grouped.items()]


@dataclass
class Letter:
    title: str
    reference: str
    authority: str
    paragraphs: list  # (kind, text): kind is heading | para | line
    # A response to the public is OFFICIAL: it holds only what is disclosed and the exemptions' wording.
    marking: str = marking.OFFICIAL


def response_letter(case, today=None):
    """The response letter as headings and paragraphs, rendered to .docx, text or HTML by the callers."""
    today = today or date.today()
    report = statistics(case)
    authority = case.force.name if case.force else "Section 26 international assistance (national)"
    reference = f"FOI-{case.received_on.year}-{case.id:05d}"
    out = [
        ("line", f"Our reference: {reference}"),
        ("line", f"Date: {today.strftime('%-d %B %Y')}"),
        ("line", f"Your request, received {case.received_on.strftime('%-d %B %Y')}"),
        ("heading", "Your request"),
        *[("para", paragraph) for paragraph in case.request_text.split("\n") if paragraph.strip()],
        (
            "para",
            "The figures below cover "
            f"{case.period_from.strftime('%-d %B %Y')} to {case.period_to.strftime('%-d %B %Y')}.",
        ),
    ]
    withheld, ncnd, qualified = [], [], []
    for question in case.questions:
        out.append(("heading", f"Question {question.position}"))
        out.append(("para", question.text))
        for item in question.items:
            if item.decision == "disclose":
                out += [("line", line) for line in answer_lines(item, report)]
            elif item.decision == "withhold":
                citations = ", ".join(f"section {c}" for c in cited(item.exemptions))
                out.append(
                    ("para", f"{item.label}: this information is held but withheld under {citations} of the Act.")
                )
                withheld += [c for c in item.exemptions if c not in withheld]
            else:
                citations = ", ".join(f"section {c}" for c in cited(item.exemptions))
                out.append(
                    (
                        "para",
                        f"{item.label}: we can neither confirm nor deny that we hold this information, by virtue "
                        f"of {citations} of the Act.",
                    )
                )
                ncnd += [c for c in item.exemptions if c not in ncnd]
            if item.decision != "disclose" and any(EXEMPTION_BY_CODE[c].qualified for c in item.exemptions):
                qualified.append(item)
    if withheld or ncnd:
        out.append(("heading", "Exemptions"))
        if withheld:
            out.append(
                (
                    "para",
                    "This response serves as a refusal notice under section 17 of the Freedom of Information Act "
                    "2000 for the information withheld, by virtue of the following exemptions:",
                )
            )
            out += _exemption_paragraphs(withheld)
        if ncnd:
            out.append(
                (
                    "para",
                    "The duty in section 1(1)(a) of the Act to confirm or deny whether information is held does "
                    "not apply, by virtue of the following exemptions:",
                )
            )
            out += _exemption_paragraphs(ncnd)
            out.append(("para", NCND_NO_INFERENCE))
    if qualified:
        out.append(("heading", "Public interest test"))
        for item in qualified:
            out.append(("para", f"{item.label} ({', '.join('section ' + c for c in cited(item.exemptions))})"))
            out.append(("para", f"Factors favouring disclosure: {item.pit_for}"))
            out.append(("para", f"Factors favouring non-disclosure: {item.pit_against}"))
            out.append(("para", f"Balance test: {item.pit_conclusion}"))
    out += [
        ("heading", "Your right to an internal review"),
        ("para", INTERNAL_REVIEW),
        ("heading", "Your right to complain to the Information Commissioner"),
        ("para", COMPLAINT),
    ]
    return Letter(f"Freedom of Information request {reference}", reference, authority, out)


def _exemption_paragraphs(codes):
    out, seen = [], set()
    for code in codes:
        exemption = EXEMPTION_BY_CODE[code]
        if exemption.section in seen:
            continue
        seen.add(exemption.section)
        group = [c for c in codes if EXEMPTION_BY_CODE[c].section == exemption.section]
        out.append(("line", f"Section {cited(group)[0]} – {exemption.title}"))
        out.append(("para", section_wording(exemption.section)))
    return out


def section_wording(section):
    """The standard wording of a subsection (its limbs share one paragraph)."""
    return next(e.wording for e in (*WITHHOLD, *NCND) if e.section == section and e.wording)


def letter_text(letter):
    lines = [letter.marking, "", letter.authority, letter.title, ""]
    for kind, text in letter.paragraphs:
        if kind == "heading":
            lines += ["", text, "-" * len(text)]
        else:
            lines.append(text)
    lines += ["", letter.marking]
    return "\n".join(lines) + "\n"


def letter_docx(letter):
    from docx import Document

    document = Document()
    document.core_properties.title = letter.title
    document.core_properties.category = letter.marking
    for section in document.sections:  # the marking heads and foots every page
        for part in (section.header, section.footer):
            paragraph = part.paragraphs[0]
            paragraph.text = letter.marking
            paragraph.alignment = 1  # centred
    document.add_paragraph(letter.authority)
    document.add_heading(letter.title, level=1)
    for kind, text in letter.paragraphs:
        if kind == "heading":
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# The PDF uses the PDF core fonts (no font file to ship or find), which cover Latin-1 only: typographic
# punctuation becomes its plain equivalent and any other character outside Latin-1 a "?". The .docx keeps every
# character, and is the version to edit.
_PLAIN = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "-"})


def _latin1(text):
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def letter_pdf(letter, compress=True):
    """The response letter as an A4 PDF (fpdf2, pure Python)."""
    pdf = marking.pdf_class()(format="A4")
    pdf.marking = letter.marking
    pdf.set_compression(compress)
    pdf.set_title(_latin1(letter.title))
    pdf.set_author(_latin1(letter.authority))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, _latin1(letter.authority), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, _latin1(letter.title), new_x="LMARGIN", new_y="NEXT")
    for kind, text in letter.paragraphs:
        if kind == "heading":
            pdf.ln(4)
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 7, _latin1(text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        else:
            pdf.set_font("Helvetica", size=11)
            pdf.multi_cell(0, 5.5, _latin1(text), new_x="LMARGIN", new_y="NEXT")
            if kind == "para":
                pdf.ln(2)
    return bytes(pdf.output())


def case_json(case):
    return {
        "id": case.id,
        "force": case.force.slug if case.force else None,
        "request_text": case.request_text,
        "received_on": case.received_on.isoformat(),
        "due_on": case.due_on.isoformat(),
        "overdue": case.status == "open" and case.due_on < date.today(),
        "period_from": case.period_from.isoformat(),
        "period_to": case.period_to.isoformat(),
        "status": case.status,
        "responded_on": case.responded_on.isoformat() if case.responded_on else None,
        "questions": [
            {
                "id": q.id,
                "position": q.position,
                "text": q.text,
                "items": [
                    {
                        "id": i.id,
                        "label": i.label,
                        "source": i.source,
                        "text": i.text,
                        "decision": i.decision,
                        "exemptions": list(i.exemptions),
                        "pit_for": i.pit_for,
                        "pit_against": i.pit_against,
                        "pit_conclusion": i.pit_conclusion,
                    }
                    for i in q.items
                ],
            }
            for q in case.questions
        ],
    }


# --- PCC decision records -----------------------------------------------------------------------------------

PCC_GATE = PCC.state


def ensure_decision_records(force_id):
    """Every decision of the force's PCC to approve or decline has its record: on the force's own requests, and on
    its people's part of another force's request (issue 23), which is this force's record, not the lead's. Made
    here, when the PCC office first lists them, so the workflow needs no change. Prefilled conservatively: the
    destination, reasons and figures start in the confidential part; the PCC office moves into the public part what
    may be published."""
    missing = db.session.scalars(
        select(GateDecision)
        .join(AssistanceRequest, AssistanceRequest.id == GateDecision.request_id)
        .outerjoin(DecisionRecord, DecisionRecord.gate_decision_id == GateDecision.id)
        .where(
            GateDecision.gate == PCC_GATE,
            GateDecision.outcome.in_(("positive", "decline")),
            or_(
                and_(GateDecision.part_force_id.is_(None), AssistanceRequest.force_id == force_id),
                GateDecision.part_force_id == force_id,
            ),
            DecisionRecord.id.is_(None),
        )
        .order_by(GateDecision.id)
    ).all()
    for decision in missing:
        request = decision.request
        approved = decision.outcome == "positive"
        verb = "approve" if approved else "decline"
        part = decision.part_force_id is not None
        row = DecisionRecord(
            gate_decision_id=decision.id,
            request_id=request.id,
            force_id=decision.part_force_id if part else request.force_id,
            decided_on=decision.decided_at.date(),
            title=f"Section 26 international assistance: {request.reference}",
            summary="A request under section 26 of the Police Act 1996 for the force to provide assistance to an "
            "overseas body."
            if not part
            else f"A request under section 26 of the Police Act 1996 from {request.force.name} to provide assistance "
            "to an overseas body, with officers or staff of this force.",
            decision=f"The Commissioner decided to {verb} "
            + ("this force's part of the request (its own officers and staff)" if part else "the request")
            + (", subject to the consent of the Home Secretary." if approved else "."),
            reasons="",
            options_considered="To approve the request, or to decline it.",
            advice_taken="The chief officer's recommendation.",
            financial_implications="The full cost is to be recovered under the force's charging policy."
            if approved
            else "None.",
            confidential_part="\n".join(
                [
                    f"Request: {request.reference} – {request.title}",
                    f"Destination: {country_name(request.destination) if request.destination else 'not recorded'}",
                    f"Full cost: {format_pence(decision.full_cost_pence)}; "
                    f"shortfall: {format_pence(decision.shortfall_pence)}",
                    f"Reasons recorded at the gate: {decision.reasons or 'none'}",
                ]
            ),
        )
        db.session.add(row)
        db.session.flush()
        record("decision_record", row.id, None, "created", {"gate_decision": decision.id})
    if missing:
        db.session.commit()


def decision_records(force_id):
    return db.session.scalars(
        select(DecisionRecord)
        .where(DecisionRecord.force_id == force_id)
        .order_by(DecisionRecord.decided_on.desc(), DecisionRecord.id.desc())
    ).all()


def get_decision_record(user, record_id):
    """The record if `user` is its force's PCC office, else None."""
    row = db.session.get(DecisionRecord, record_id)
    if row is None or not policy.keeps_records_of(user, row.force_id):
        return None
    return row


RECORD_FIELDS = (
    "title",
    "summary",
    "decision",
    "reasons",
    "options_considered",
    "advice_taken",
    "financial_implications",
    "confidential_part",
)
PUBLIC_FIELDS = RECORD_FIELDS[:-1]


def save_decision_record(row, actor, values):
    errors = {}
    for name in RECORD_FIELDS:
        if name in values:
            value = values[name]
            if not isinstance(value, str):
                errors[name] = "Must be text"
            elif len(value) > (SHORT_TEXT_MAX if name == "title" else FOI_TEXT_MAX):
                errors[name] = "Too long"
            elif name == "title" and not value.strip():
                errors[name] = "Enter a title"
            else:
                setattr(row, name, value.strip())
    if "significant_public_interest" in values:
        row.significant_public_interest = bool(values["significant_public_interest"])
    if errors:
        db.session.rollback()
        raise Invalid(errors)
    changed = sorted(k for k in values if k in (*RECORD_FIELDS, "significant_public_interest"))
    record("decision_record", row.id, actor, "edited", {"fields": changed})
    db.session.commit()
    return row


def publish_decision_record(row, actor):
    """Publish the public part. Only a record of significant public interest, never one for a sensitive request."""
    if row.request.sensitive:
        raise Invalid({"publish": "A record of a sensitive request is never published"})
    if not row.significant_public_interest:
        raise Invalid({"publish": "Mark the decision as of significant public interest to publish it"})
    if not (row.reasons or "").strip():
        raise Invalid({"reasons": "Enter the reasons for the decision before publishing it"})
    row.published_at, row.withdrawn_at, row.withdrawn_reason = utcnow(), None, None
    record("decision_record", row.id, actor, "published")
    db.session.commit()


def withdraw_decision_record(row, actor, reason):
    if not row.is_published:
        raise Invalid({"reason": "Only a published record can be withdrawn"})
    if not isinstance(reason, str) or not reason.strip():
        raise Invalid({"reason": "Enter why the record is withdrawn"})
    row.withdrawn_at, row.withdrawn_reason = utcnow(), reason.strip()[:2000]
    record("decision_record", row.id, actor, "withdrawn", row.withdrawn_reason)
    db.session.commit()


def published_decisions(force_id):
    """What the public sees: published, not withdrawn, of significant public interest, never a sensitive request."""
    return db.session.scalars(
        select(DecisionRecord)
        .join(AssistanceRequest, AssistanceRequest.id == DecisionRecord.request_id)
        .where(
            DecisionRecord.force_id == force_id,
            DecisionRecord.published_at.is_not(None),
            DecisionRecord.withdrawn_at.is_(None),
            DecisionRecord.significant_public_interest.is_(True),
            or_(AssistanceRequest.sensitive.is_(False), AssistanceRequest.sensitive.is_(None)),
        )
        .order_by(DecisionRecord.decided_on.desc(), DecisionRecord.id.desc())
    ).all()


def public_record_json(row):
    return {
        "id": row.id,
        "marking": marking.OFFICIAL,
        "decided_on": row.decided_on.isoformat(),
        "published_at": row.published_at.isoformat() + "Z",
    } | {name: getattr(row, name) for name in PUBLIC_FIELDS}


def records_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(marking.csv_rows(marking.OFFICIAL))
    writer.writerow(["Decided on", *[name.replace("_", " ").capitalize() for name in PUBLIC_FIELDS]])
    for row in rows:
        writer.writerow([row.decided_on.isoformat(), *[transparency.safe_cell(getattr(row, n)) for n in PUBLIC_FIELDS]])
    writer.writerow(marking.csv_rows(marking.OFFICIAL))
    return out.getvalue()


# --- The transparency page per force -----------------------------------------------------------------------

# The College of Policing's wording ("Ethics, transparency and disclosure") on what is not published, and why.
WITHHELD_REASONS = (
    N_(
        "to do so could expose vulnerabilities in the capability of overseas police forces that could be exploited "
        "by criminals"
    ),
    N_("British citizens deployed overseas could be put at risk by such disclosure"),
    N_("our work may have links to counterterrorism or protecting citizens both in the UK and abroad"),
)
BALANCE = N_(
    "We must also balance the need for transparency with the duty of confidentiality to the organisations we work "
    "with. We operate in an environment where similar services may be offered by other organisations and we have a "
    "duty to protect public funds by remaining competitive. Publishing exact figures paid by individual countries "
    "could significantly undermine our ability to carry out that duty."
)


def force_publication(force, today=None):
    """The force's countries assisted in the 12 months up to today (names only), with what is withheld and why: its own
    requests and those it sends its own people on as a contributing force (issue 23), as its FOI figures count."""
    today = today or date.today()
    date_from = transparency.one_year_before(today)
    contributes = select(ContributingForce.request_id).where(ContributingForce.force_id == force.id)
    stmt = transparency._overlapping(select(AssistanceRequest.destination).distinct(), date_from, today).where(
        AssistanceRequest.state.in_(AUTHORISED_STATES),
        AssistanceRequest.sensitive.is_(False),
        or_(AssistanceRequest.force_id == force.id, AssistanceRequest.id.in_(contributes)),
    )
    codes = [code for code in db.session.scalars(stmt) if code]
    countries = sorted(({"code": code, "name": country_name(code)} for code in codes), key=lambda c: c["name"])
    return {
        "marking": marking.OFFICIAL,
        "force": {"slug": force.slug, "name": force.name, "policing_body": force.policing_body},
        "period": {"from": date_from.isoformat(), "to": today.isoformat()},
        "countries": countries,
        "withheld": {"balance": BALANCE, "reasons": list(WITHHELD_REASONS)},
    }


def publication_csv(data):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(marking.csv_rows(data["marking"]))
    writer.writerow(["Force", "Period from", "Period to", "Country or territory", "ISO code"])
    for country in data["countries"]:
        writer.writerow(
            [data["force"]["name"], data["period"]["from"], data["period"]["to"], country["name"], country["code"]]
        )
    writer.writerow(marking.csv_rows(data["marking"]))
    return out.getvalue()
