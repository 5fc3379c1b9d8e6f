"""The case file on the API: documents, questions to the submitter and case notes (issue 16), through the same
services as the web pages: approvals.documents, approvals.queries, approvals.notes."""

from datetime import datetime
from typing import Annotated, Any, ClassVar

from flask import g, jsonify
from pydantic import Field, WithJsonSchema

from approvals import documents, letters, notes, policy, queries
from approvals import marking as markings
from approvals.api.contract import Body, Choice, Form, Id, Out, Reason, api, bp, visible
from approvals.api.request_bodies import Marking
from approvals.commands import NotFound
from approvals.gates import GATE_STATES
from approvals.responses import download_response, problem

# Who works on a case file: the force's lead and each gate's deciders, and a gate's delegates (`decides_now`); what
# each may do to which request, and when, the policy says (as on the web pages).
WORKERS = {"roles": tuple(sorted(policy.READER_ROLES)), "allow": policy.decides_now}
DECIDERS = {"roles": policy.roles_for(policy.DECIDE), "allow": policy.decides_now}


@bp.errorhandler(documents.TooLarge)
def _too_large(error):
    return problem(413, "Payload too large", error.message)


@bp.errorhandler(documents.UnsupportedType)
def _unsupported(error):
    return problem(415, "Unsupported media type", error.message)


def _iso(moment):
    return moment.isoformat() + "Z" if moment else None


class Upload(Form):
    file: Annotated[Any, WithJsonSchema({"type": "string", "format": "binary"})]
    kind: Choice(documents.UPLOADABLE_KINDS)
    description: Annotated[str, Field(min_length=1, max_length=documents.DESCRIPTION_MAX)]
    marking: Marking | None = Field(None, description="As marked on the document (default: the request's marking)")
    replaces: Id | None = Field(None, description="A current document of the same kind this one supersedes")
    WORDS: ClassVar[dict] = {"file": "Select a file", "description": "Enter a description of the document"}


class DocumentOut(Out):
    id: int
    kind: Choice(documents.KINDS)
    filename: str
    description: str
    size_bytes: int = Field(ge=1)
    sha256: str = Field(pattern="^[0-9a-f]{64}$")
    content_type: Choice(tuple(documents.ALLOWED_TYPES))
    marking: Choice(markings.MARKINGS)
    uploaded_by: str
    uploaded_at: datetime
    query_id: int | None
    superseded_by: int | None


class Question(Body):
    question: Reason
    WORDS: ClassVar[dict] = {"question": "Enter your question"}


class Answer(Body):
    answer: Reason
    WORDS: ClassVar[dict] = {"answer": "Enter your answer"}


class QueryOut(Out):
    id: int
    gate: Choice(GATE_STATES)
    question: str
    asked_by: str
    asked_at: datetime
    answer: str | None
    answered_at: datetime | None
    paused_working_days: int | None


class Note(Body):
    text: Reason = Field(description="@email mentions email the people who may read it")
    visible_to_submitter: bool = Field(False, description="false (the default) is internal: deciders only")
    WORDS: ClassVar[dict] = {"text": "Enter your note"}


class NoteOut(Out):
    id: int
    text: str
    visible_to_submitter: bool
    author: str
    created_at: datetime


class Documents(Out):
    request_id: int
    items: list[DocumentOut]


class Queries(Documents):
    items: list[QueryOut]


class Notes(Documents):
    items: list[NoteOut]


def document_json(document):
    return {
        "id": document.id,
        "kind": document.kind,
        "filename": document.filename,
        "description": document.description,
        "size_bytes": document.size_bytes,
        "sha256": document.sha256,
        "content_type": document.content_type,
        "marking": markings.document_marking(document),
        "uploaded_by": document.uploaded_by.email,
        "uploaded_at": _iso(document.uploaded_at),
        "query_id": document.query_id,
        "superseded_by": document.superseded_by_id,
    }


def query_json(query):
    return {
        "id": query.id,
        "gate": query.gate,
        "question": query.question,
        "asked_by": query.asked_by.email,
        "asked_at": _iso(query.asked_at),
        "answer": query.answer,
        "answered_at": _iso(query.answered_at),
        "paused_working_days": query.paused_working_days,
    }


def note_json(note):
    return {
        "id": note.id,
        "text": note.text,
        "visible_to_submitter": note.visible_to_submitter,
        "author": note.author.email,
        "created_at": _iso(note.created_at),
    }


def read_upload(storage):
    """The uploaded file's bytes, reading no more than one byte past the limit."""
    return storage.stream.read(documents.max_bytes() + 1)


def _document(item, document_id):
    document = documents.get(item, document_id)
    if document is None:
        raise NotFound("There is no such document that you may see")
    return document


@api("POST", "/requests/<int:request_id>/documents", body=Upload, ok={201: DocumentOut}, **WORKERS, errors=(409,))
def upload_document(request_id, body):
    """Add a document (force lead: draft, returned or a question open; a decider: at their gate).
    The type is decided from the file's bytes: PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG or plain text. Every upload is
    an audit event carrying the file's SHA-256."""
    item = visible(request_id)
    storage = body.file
    if not hasattr(storage, "stream"):
        return problem(422, "Your request has errors", "Correct the fields listed in errors", {"file": "Select a file"})
    data = documents.Upload(
        kind=body.kind,
        description=body.description,
        filename=storage.filename or "",
        content=read_upload(storage),
        replaces_id=body.replaces,
        marking=body.marking,
    )
    document = documents.upload(item.id, g.api_user, data)
    return jsonify(document_json(document)), 201, {"Location": f"/api/v1/requests/{item.id}/documents/{document.id}"}


@api("GET", "/requests/<int:request_id>/documents", ok={200: Documents})
def list_documents(request_id):
    """The request's documents, without their bytes, oldest first."""
    item = visible(request_id)
    return jsonify({"request_id": item.id, "items": [document_json(d) for d in documents.listing(item)]})


@api(
    "GET",
    "/requests/<int:request_id>/documents/<int:document_id>",
    ok={200: {media: {"type": "string", "format": "binary"} for media in documents.ALLOWED_TYPES}},
)
def download_document(request_id, document_id):
    """One document's bytes, as an attachment of its stored type (never rendered inline, never sniffed)."""
    item = visible(request_id)
    document = _document(item, document_id)
    if document.kind == letters.KIND:
        letters.record_reading(g.api_user, item)  # it names the people: theirs to read, and the reading recorded
    return download_response(document)


@api("DELETE", "/requests/<int:request_id>/documents/<int:document_id>", ok={204: None}, **WORKERS, errors=(409,))
def delete_document(request_id, document_id):
    """Delete a document you uploaded; one a decision was made with can only be superseded."""
    item = visible(request_id)
    documents.delete(item.id, g.api_user, _document(item, document_id).id)
    return "", 204


@api(
    "POST",
    "/requests/<int:request_id>/queries",
    body=Question,
    ok={201: QueryOut},
    **DECIDERS,
    errors=(409,),
    example={"question": "Which unit will coordinate the deployment?"},
)
def ask_query(request_id, body):
    """Ask the submitter a question (the decider at the current gate); the gate clock pauses."""
    item = visible(request_id)
    query = queries.ask(item.id, g.api_user, body.question)
    return jsonify(query_json(query)), 201, {"Location": f"/api/v1/requests/{item.id}/queries/{query.id}"}


@api("GET", "/requests/<int:request_id>/queries", ok={200: Queries})
def list_queries(request_id):
    """The request's questions to the submitter, oldest first."""
    item = visible(request_id)
    return jsonify({"request_id": item.id, "items": [query_json(q) for q in queries.for_request(item)]})


@api(
    "POST",
    "/requests/<int:request_id>/queries/<int:query_id>/answer",
    body=Answer,
    ok={200: QueryOut},
    roles=(policy.LEAD_ROLE,),
    errors=(409,),
    example={"answer": "The force's international unit"},
)
def answer_query(request_id, query_id, body):
    """Answer a question (the force's lead); the gate's due date moves on by the days paused."""
    item = visible(request_id)
    if not any(query.id == query_id for query in queries.for_request(item)):
        raise NotFound("There is no such question on this request")
    return jsonify(query_json(queries.answer(item.id, g.api_user, query_id, body.answer)))


@api(
    "POST",
    "/requests/<int:request_id>/notes",
    body=Note,
    ok={201: NoteOut},
    **WORKERS,
    errors=(409,),
    example={"text": "Spoke to the FCDO desk", "visible_to_submitter": False},
)
def add_note(request_id, body):
    """Add a case note: internal (deciders only) or visible to the submitter."""
    item = visible(request_id)
    return jsonify(note_json(notes.add(item.id, g.api_user, body.text, body.visible_to_submitter))), 201


@api("GET", "/requests/<int:request_id>/notes", ok={200: Notes})
def list_notes(request_id):
    """The notes you may read: the submitter sees only those visible to them."""
    item = visible(request_id)
    return jsonify({"request_id": item.id, "items": [note_json(n) for n in notes.listing(item, g.api_user)]})
