"""The case file on the API: documents, questions to the submitter and case notes (issue 16).

Registered on the API blueprint (approvals.api.routes.bp), through the same services as the web pages:
approvals.documents, approvals.queries, approvals.notes.
"""


from flask import Response, g, jsonify, request

from approvals import documents, marking, notes, queries
from approvals.api.routes import _visible as visible
from approvals.api.routes import bp, json_body, problem, token_required
from approvals.api.schemas import Invalid
from approvals.responses import download_response

UPLOADERS = ("force_lead", "chief_officer", "pcc_office", "home_office", "ipab")
DECIDERS = ("chief_officer", "pcc_office", "home_office", "ipab")


@bp.errorhandler(documents.TooLarge)
def _too_large(error):
    return problem(413, "Payload too large", error.message)


@bp.errorhandler(documents.UnsupportedType)
def _unsupported(error):
    return problem(415, "Unsupported media type", error.message)


def _iso(moment):
    return moment.isoformat() + "Z" if moment else None


def document_json(document):
    return {
        "id": document.id,
        "kind": document.kind,
        "filename": document.filename,
        "description": document.description,
        "size_bytes": document.size_bytes,
        "sha256": document.sha256,
        "content_type": document.content_type,
        "marking": marking.document_marking(document),
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


@bp.route("/requests/<int:request_id>/documents", methods=["POST"])
@token_required(*UPLOADERS)
def upload_document(request_id):
    """Add a document (multipart: file, kind, description; optional replaces)."""
    item = visible(request_id)
    if not request.mimetype == "multipart/form-data":
        return problem(415, "Unsupported media type", "Send the document as multipart/form-data")
    storage = request.files.get("file")
    errors = {}
    if storage is None:
        errors["file"] = "Select a file"
    replaces = request.form.get("replaces")
    # Ids are 32-bit database integers: a larger number names no document (and must not reach the database).
    if replaces is not None and not (replaces.isascii() and replaces.isdigit() and int(replaces) < 2**31):
        errors["replaces"] = "Must be a document id"
    if errors:
        raise Invalid(errors)
    data = documents.Upload(
        kind=request.form.get("kind", ""),
        description=request.form.get("description", ""),
        filename=storage.filename or "",
        content=read_upload(storage),
        replaces_id=int(replaces) if replaces else None,
        marking=request.form.get("marking") or None,
    )
    document = documents.upload(item.id, g.api_user, data)
    return (
        jsonify(document_json(document)),
        201,
        {"Location": f"/api/v1/requests/{item.id}/documents/{document.id}"},
    )


@bp.route("/requests/<int:request_id>/documents", methods=["GET"])
@token_required()
def list_documents(request_id):
    """The request's documents, without their bytes."""
    item = visible(request_id)
    return jsonify({"request_id": item.id, "items": [document_json(d) for d in documents.listing(item)]})


@bp.route("/requests/<int:request_id>/documents/<int:document_id>", methods=["GET"])
@token_required()
def download_document(request_id, document_id):
    """One document's bytes, as an attachment."""
    item = visible(request_id)
    document = documents.get(item, document_id) if item is not None else None
    if document is None:
        return problem(404, "Not found", "There is no such document that you may see")
    return download_response(document)


@bp.route("/requests/<int:request_id>/documents/<int:document_id>", methods=["DELETE"])
@token_required(*UPLOADERS)
def delete_document(request_id, document_id):
    """Delete a document you uploaded, if no decision was made with it."""
    item = visible(request_id)
    if item is None or documents.get(item, document_id) is None:
        return problem(404, "Not found", "There is no such document that you may see")
    documents.delete(item.id, g.api_user, document_id)
    return "", 204


def _object_body():
    """(body, None), or (None, the problem response to answer with)."""
    data = json_body()
    if isinstance(data, Response):
        return None, data
    if not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object"})
    return data, None


def _text_field(data, name):
    value = data.get(name)
    if not isinstance(value, str):
        raise Invalid({name: "Must be text"})
    return value


@bp.route("/requests/<int:request_id>/queries", methods=["POST"])
@token_required(*DECIDERS)
def ask_query(request_id):
    """Ask the submitter a question (the decider at the current gate); the gate clock pauses."""
    item = visible(request_id)
    data, error = _object_body()
    if error is not None:
        return error
    query = queries.ask(item.id, g.api_user, _text_field(data, "question"))
    return jsonify(query_json(query)), 201, {"Location": f"/api/v1/requests/{item.id}/queries/{query.id}"}


@bp.route("/requests/<int:request_id>/queries", methods=["GET"])
@token_required()
def list_queries(request_id):
    """The request's questions to the submitter, oldest first."""
    item = visible(request_id)
    return jsonify({"request_id": item.id, "items": [query_json(q) for q in queries.for_request(item)]})


@bp.route("/requests/<int:request_id>/queries/<int:query_id>/answer", methods=["POST"])
@token_required("force_lead")
def answer_query(request_id, query_id):
    """Answer a question (the force's lead); the gate clock starts again when none is left open."""
    item = visible(request_id)
    if not any(query.id == query_id for query in queries.for_request(item)):
        return problem(404, "Not found", "There is no such question on this request")
    data, error = _object_body()
    if error is not None:
        return error
    query = queries.answer(item.id, g.api_user, query_id, _text_field(data, "answer"))
    return jsonify(query_json(query))


@bp.route("/requests/<int:request_id>/notes", methods=["POST"])
@token_required(*UPLOADERS)
def add_note(request_id):
    """Add a case note: internal (deciders only) or visible to the submitter."""
    item = visible(request_id)
    data, error = _object_body()
    if error is not None:
        return error
    text = _text_field(data, "text")
    visible_to_submitter = data.get("visible_to_submitter", False)
    if not isinstance(visible_to_submitter, bool):
        raise Invalid({"visible_to_submitter": "Must be true or false"})
    note = notes.add(item.id, g.api_user, text, visible_to_submitter)
    return jsonify(note_json(note)), 201


@bp.route("/requests/<int:request_id>/notes", methods=["GET"])
@token_required()
def list_notes(request_id):
    """The notes you may read: the submitter sees only those visible to them."""
    item = visible(request_id)
    return jsonify({"request_id": item.id, "items": [note_json(n) for n in notes.listing(item, g.api_user)]})

