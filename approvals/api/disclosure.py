"""FOI cases on the API (issue 25), through approvals.disclosure as the pages are. An item's rules (the exemptions
a decision needs, the public-interest test) are approvals.disclosure.validate_item, the web form's too."""

from datetime import date
from typing import Annotated, ClassVar

from flask import g, jsonify
from pydantic import Field

from approvals import disclosure, policy
from approvals.api.contract import Body, Choice, Day, Id, Invalid, Out, Query, ShortText, Text, api, bp
from approvals.api.request_bodies import ForceSlug
from approvals.commands import Forbidden, NotFound
from approvals.responses import problem, response_download
from config.settings import FOI_TEXT_MAX
from extensions import db
from models import Force

RequestText = Text(FOI_TEXT_MAX, 1)
Status = Choice(("open", "responded"))
Exemption = Choice((*disclosure.WITHHOLD_CODES, *disclosure.NCND_CODES))
Decision = Choice(disclosure.DECISIONS)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"pdf": "application/pdf", "docx": DOCX, "txt": "text/plain"}


@bp.errorhandler(disclosure.Invalid)
def _disclosure_invalid(error):
    db.session.rollback()
    return problem(422, "Your request has errors", "Correct the fields listed in errors", error.errors)


class NewCase(Body):
    received_on: Day = Field(description="On or after 1 January 2005, and not in the future")
    request_text: RequestText
    questions: list[Annotated[str, Field(max_length=FOI_TEXT_MAX)]] = Field(min_length=1, max_length=50)
    period_from: Day | None = None
    period_to: Day | None = None
    force: ForceSlug | None = Field(None, description="A national FOI officer's choice; a force's is their own")
    WORDS: ClassVar[dict] = {"request_text": "Enter the text of the request"}


class Item(Body):
    label: Annotated[ShortText, Field(min_length=1)]
    source: Choice(disclosure.SOURCE_CODES) = "text"
    text: str | None = None
    decision: Decision
    exemptions: list[Exemption] = Field(
        [],
        description="Withhold: sections 12, 23(1), 24(1), 27(1)(a), 27(1)(c), 31(1)(a), 31(1)(b), 38(1)(b), 40(2). "
        "Neither confirm nor deny: 23(5), 24(2), 27(4), 31(3)",
    )
    pit_for: str | None = Field(None, description="Needed for qualified exemptions")
    pit_against: str | None = None
    pit_conclusion: str | None = None


class QuestionItems(Body):
    id: Id
    items: list[Item]


class CaseChanges(Body):
    request_text: RequestText = None
    received_on: Day = None
    period_from: Day = None
    period_to: Day = None
    status: Status = None
    questions: list[QuestionItems] = []


class ItemOut(Item):
    model_config = {"strict": False, "extra": "allow"}
    id: int


class QuestionOut(Out):
    id: int
    position: int
    text: str
    items: list[ItemOut]


class CaseOut(Out):
    id: int
    force: ForceSlug | None
    request_text: str
    received_on: date
    due_on: date = Field(description="20 working days after received_on (England and Wales bank holidays)")
    overdue: bool
    period_from: date
    period_to: date
    status: Status
    responded_on: date | None
    questions: list[QuestionOut]


class Cases(Out):
    items: list[CaseOut]


class LetterQuery(Query):
    format: Choice(tuple(FORMATS)) = "pdf"


def _case(case_id):
    case = disclosure.get_foi_case(g.api_user, case_id)
    if case is None:
        raise NotFound("There is no FOI case with that id that you may see")
    return case


@api("GET", "/foi-cases", ok={200: Cases}, roles=(policy.FOI_ROLE,))
def list_foi_cases():
    """FOI cases you answer: your force's, or every case for a national FOI officer."""
    cases = db.session.scalars(disclosure.visible_foi_cases(g.api_user)).all()
    return jsonify({"items": [disclosure.case_json(c) for c in cases]})


@api(
    "POST",
    "/foi-cases",
    body=NewCase,
    ok={201: CaseOut},
    roles=(policy.FOI_ROLE,),
    example={
        "received_on": "2027-02-01",
        "request_text": "How many officers did you deploy overseas in 2026?",
        "questions": ["How many officers were deployed overseas in 2026?"],
    },
)
def create_foi_case(body):
    """Open an FOI case; the response is due 20 working days after it was received."""
    force = None
    if body.force is not None:
        force = db.session.query(Force).filter_by(slug=body.force).one()
        if g.api_user.force_id is not None and force.id != g.api_user.force_id:
            raise Forbidden("You answer FOI requests for your own force only")
    case = disclosure.open_case(
        g.api_user, body.request_text, body.received_on, body.questions, body.period_from, body.period_to, force
    )
    return jsonify(disclosure.case_json(case)), 201, {"Location": f"/api/v1/foi-cases/{case.id}"}


@api("GET", "/foi-cases/<int:case_id>", ok={200: CaseOut}, roles=(policy.FOI_ROLE,))
def get_foi_case(case_id):
    """One FOI case, with its questions, items and decisions."""
    return jsonify(disclosure.case_json(_case(case_id)))


@api(
    "PATCH",
    "/foi-cases/<int:case_id>",
    body=CaseChanges,
    ok={200: CaseOut},
    roles=(policy.FOI_ROLE,),
    example={"status": "responded"},
)
def patch_foi_case(case_id, body):
    """Change the case, set each question's items and decisions, or record the response as sent."""
    case = _case(case_id)
    by_id = {q.id: q for q in case.questions}
    errors = {
        f"questions[{index}]": "Give the id of one of this case's questions and its items (a list)"
        for index, entry in enumerate(body.questions)
        if entry.id not in by_id
    }
    if errors:
        raise Invalid(errors)
    changes = body.model_dump(include={"request_text", "received_on", "period_from", "period_to"}, exclude_unset=True)
    for entry in body.questions:
        disclosure.replace_items(by_id[entry.id], g.api_user, [item.model_dump() for item in entry.items])
    if changes:
        disclosure.update_case(case, g.api_user, **changes)
    else:
        db.session.commit()
    if body.status is not None:
        disclosure.update_case(case, g.api_user, status=body.status)
    return jsonify(disclosure.case_json(case))


@api(
    "GET",
    "/foi-cases/<int:case_id>/response",
    query=LetterQuery,
    roles=(policy.FOI_ROLE,),
    ok={200: {media: {"type": "string", "format": "binary"} for media in FORMATS.values()}},
)
def foi_case_response(case_id, query):
    """The response letter: answers, exemption wording, internal review and ICO complaint rights.
    As PDF, .docx (for editing) or plain text."""
    return response_download(_case(case_id), query.format)
