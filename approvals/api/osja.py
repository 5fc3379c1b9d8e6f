"""The OSJA assessment on the API (issue 24): `GET/PUT /requests/{id}/osja`, its versions, and reviews, through
approvals.osja as the web pages are. A PUT sends the whole assessment with the `version` its writer read: a stale
version answers 409 and writes nothing. The rules across answers are approvals.osja.errors, the web form's too."""

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from flask import g, jsonify
from pydantic import Field, WithJsonSchema

from approvals import escalation, human_rights, osja, policy
from approvals.api.contract import Body, Choice, Day, Invalid, LongText, Out, Reason, ShortText, api, visible
from config.settings import LONG_TEXT_MAX


def _iso(moment):
    return moment.isoformat() + "Z" if moment else None


def _unanswered(pairs):
    return Choice([code for code, _ in pairs] + [""]) | None


class Consultee(Body):
    organisation: Annotated[ShortText, Field(min_length=1)]
    role: Annotated[ShortText, Field(min_length=1)]
    consulted_on: Day = Field(description="Today or earlier")
    advice: Annotated[LongText, Field(min_length=1)]


class Answers(Body):
    owner: _unanswered(osja.OWNERS) = None
    owner_body: ShortText = ""
    owner_reference: ShortText = ""
    country_stability: LongText = ""
    country_record: LongText = ""
    country_sources: LongText = ""
    recipient_unit: ShortText = ""
    transferred: LongText = ""
    misuse: LongText = ""
    risks: list[Choice(human_rights.RISKS)] = Field([], max_length=len(human_rights.RISKS))
    likelihood: _unanswered(human_rights.LIKELIHOODS) = None
    mitigations: LongText = ""
    residual: _unanswered(human_rights.RESIDUALS) = None
    contributes: _unanswered(osja.YES_NO) = Field(
        None,
        description="Is there a serious risk that the assistance might directly or significantly contribute to a "
        "violation of human rights and/or international humanitarian law?",
    )
    contributes_reasoning: LongText = ""
    consultees: list[Consultee] = Field([], max_length=osja.MAX_CONSULTEES)


Ignored = Annotated[Any, WithJsonSchema({"description": "Read-only: what a GET returned is accepted and ignored"})]


class AssessmentPut(Answers):
    """The whole assessment (what a GET returned, changed); parts left out are unanswered."""

    version: int = Field(ge=0, description="The version you read (0 before the first); a stale one is a 409")
    request_id: Ignored = None
    updated_at: Ignored = None
    updated_by: Ignored = None
    changed: Ignored = None
    reviews: Ignored = None
    next_review_due: Ignored = None
    review_overdue: Ignored = None
    review_escalated: Ignored = None
    WORDS: ClassVar[dict] = {"version": "Send the version you read (a whole number, 0 before the first)"}


class OsjaReview(Body):
    outcome: Choice(osja.REVIEW_OUTCOMES)
    reasons: Annotated[Reason, Field(max_length=LONG_TEXT_MAX)]
    WORDS: ClassVar[dict] = {
        "outcome": "Select whether the work should continue or stop",
        "reasons": "Give your reasons",
    }


class ReviewOut(Out):
    due_on: date
    outcome: Choice(osja.REVIEW_OUTCOMES)
    reasons: str
    decided_by: str
    decided_at: datetime


class OsjaAssessment(Answers):
    model_config = {"extra": "allow", "strict": False}
    request_id: int
    version: int = Field(ge=0, description="0 before the first version is saved")
    updated_at: datetime | None
    updated_by: str | None
    changed: list[str]
    next_review_due: str | None
    review_overdue: bool
    review_escalated: bool = Field(description="The overdue review has been escalated, as an overdue gate is")
    reviews: list[ReviewOut]


class OsjaVersion(Out):
    version: int
    created_at: datetime
    author: str | None
    changed: list[str]
    content: dict


class Versions(Out):
    request_id: int
    items: list[OsjaVersion]


def osja_json(item):
    row = osja.current(item)
    content = osja.content_of(item, prefill=row is None)
    due = osja.next_review_due(item)
    overdue = due is not None and due < date.today()
    return {
        "request_id": item.id,
        "version": row.number if row else 0,
        "updated_at": _iso(row.created_at) if row else None,
        "updated_by": row.author.email if row and row.author else None,
        "changed": list(row.changed or []) if row else [],
        **content,
        "next_review_due": due.isoformat() if due else None,
        "review_overdue": overdue,
        "review_escalated": overdue and bool(escalation.escalated_reviews([(due, item)])),
        "reviews": [
            {
                "due_on": review.due_on.isoformat(),
                "outcome": review.outcome,
                "reasons": review.reasons,
                "decided_by": review.decided_by.email,
                "decided_at": _iso(review.decided_at),
            }
            for review in osja.reviews(item)
        ],
    }


@api("GET", "/requests/<int:request_id>/osja", ok={200: OsjaAssessment}, roles=tuple(sorted(policy.READER_ROLES)))
def get_osja(request_id):
    """The request's OSJA assessment as it stands, with its version."""
    return jsonify(osja_json(visible(request_id)))


@api(
    "PUT",
    "/requests/<int:request_id>/osja",
    body=AssessmentPut,
    ok={200: OsjaAssessment},
    roles=(policy.LEAD_ROLE,),
    errors=(409,),
    example={"version": 0, "owner": "force", "recipient_unit": "National police training unit"},
)
def put_osja(request_id, body):
    """Save the whole assessment as a new version (the force's lead), when `version` is the current one (else 409)."""
    item = visible(request_id)
    policy.raise_if(policy.osja_refusal(g.api_user, item))
    content = body.model_dump(mode="json", include=set(osja.LABELS))
    if errors := osja.errors(content):
        raise Invalid(errors)
    osja.save(item.id, g.api_user, {**osja.empty(), **content}, expected_number=body.version)
    return jsonify(osja_json(visible(request_id)))


@api("GET", "/requests/<int:request_id>/osja/versions", ok={200: Versions}, roles=tuple(sorted(policy.READER_ROLES)))
def osja_versions(request_id):
    """Every version of the assessment, newest first, each with what changed from the one before."""
    item = visible(request_id)
    return jsonify(
        {
            "request_id": item.id,
            "items": [
                {
                    "version": row.number,
                    "created_at": _iso(row.created_at),
                    "author": row.author.email if row.author else None,
                    "changed": list(row.changed or []),
                    "content": osja.normalised(row.content),
                }
                for row in osja.versions(item)
            ],
        }
    )


@api(
    "POST",
    "/requests/<int:request_id>/osja/reviews",
    body=OsjaReview,
    ok={201: OsjaAssessment},
    roles=(policy.OSJA_REVIEW_ROLE,),
    errors=(409,),
    example={"outcome": "continue", "reasons": "Still needed"},
)
def review_osja(request_id, body):
    """The PCC office's review of long-running work: continue or stop (a stop ends it early), with reasons."""
    item = visible(request_id)
    policy.raise_if(policy.osja_review_refusal(g.api_user, item))
    osja.record_review(item.id, g.api_user, body.outcome, body.reasons)
    return jsonify(osja_json(visible(request_id))), 201
