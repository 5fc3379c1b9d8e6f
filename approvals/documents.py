"""Documents on a request's case file: upload, list, download, delete, supersede.

Each change is one transaction, as in approvals.workflow: lock the request, check who may act, write the
row and its audit event (carrying the file's SHA-256), commit. The file's type is decided from its bytes
by `filetype` (magic numbers), never from its name or the content type the client claims; plain text,
which has no magic number, is accepted only as UTF-8 without control characters or markup.
"""

import hashlib
import re
from dataclasses import dataclass

import filetype
from flask import current_app
from sqlalchemy import select
from werkzeug.utils import secure_filename

from approvals import audit, marking, policy, workflow
from approvals.human_rights import Refusal
from extensions import db
from models import Document, GateDecision
from models.types import utcnow

KINDS = [
    ("invitation_letter", "Invitation letter from the requesting body"),
    ("business_case", "Business case"),
    ("human_rights_assessment", "Human rights assessment form"),
    ("risk_assessment", "Risk assessment"),
    ("costings", "Costings"),
    ("correspondence", "Correspondence"),
    ("authority_letter", "Letter of authority"),
    ("other", "Other"),
]
KIND_LABELS = dict(KINDS)
# The letter of authority is written by the service when a request is approved, never uploaded.
RESERVED_KINDS = {"authority_letter"}
UPLOADABLE_KINDS = [(code, label) for code, label in KINDS if code not in RESERVED_KINDS]

PLAIN_TEXT = "text/plain"
# What may be stored, as detected from the bytes, and the extension a download is given.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "image/png": "png",
    "image/jpeg": "jpg",
    PLAIN_TEXT: "txt",
}
ALLOWED_NAMES = "PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG or plain text"
DESCRIPTION_MAX = 500
# Markup a browser would render or run if the file were ever opened inline: such a file is not plain text.
MARKUP = re.compile(
    rb"<\s*(!doctype|html|head|body|script|iframe|frame|svg|math|object|embed|meta|link|style|img|form|a\s)|<\?xml",
    re.IGNORECASE,
)
TEXT_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class UnsupportedType(workflow.WorkflowError):
    status = 415


class TooLarge(workflow.WorkflowError):
    status = 413


def max_bytes():
    return current_app.config["S26_MAX_DOCUMENT_BYTES"]


def _is_plain_text(content):
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not TEXT_CONTROL.search(content) and not MARKUP.search(content)


def detect_type(content):
    """The allowed content type of `content`, from its bytes; None when it is not one we store."""
    guess = filetype.guess(content)
    if guess is not None:
        return guess.mime if guess.mime in ALLOWED_TYPES else None
    return PLAIN_TEXT if _is_plain_text(content) else None


def safe_filename(filename, content_type):
    """An ASCII file name ending in the extension of the type detected, whatever the uploader called it."""
    stem = secure_filename(filename or "").rsplit(".", 1)[0][:150] or "document"
    return f"{stem}.{ALLOWED_TYPES[content_type]}"


def check_file(content):
    """Refuse an empty, too large or disallowed file; returns its content type. Nothing is stored before this."""
    if not content:
        raise workflow.Refused([Refusal("file", "The selected file is empty")])
    limit = max_bytes()
    if len(content) > limit:
        raise TooLarge(f"The selected file must be smaller than {limit // (1024 * 1024)} MB")
    content_type = detect_type(content)
    if content_type is None:
        raise UnsupportedType(f"The selected file must be a {ALLOWED_NAMES}")
    return content_type


def listing(request, include_superseded=True):
    """The request's documents, oldest first, without their bytes."""
    stmt = select(Document).where(Document.request_id == request.id).order_by(Document.id)
    if not include_superseded:
        stmt = stmt.where(Document.superseded_by_id.is_(None))
    return db.session.scalars(stmt).all()


def get(request, document_id):
    """One of the request's documents, or None."""
    return db.session.scalars(
        select(Document).where(Document.id == document_id, Document.request_id == request.id)
    ).first()


def needs_invitation_letter(request):
    """A request is submitted with the requesting body's invitation letter, unless it is retrospective or travel for
    UK police work."""
    return not (request.retrospective or request.uk_investigation)


def missing_for_submit(request):
    """Refusals naming each document a request needs before it is submitted."""
    if not needs_invitation_letter(request):
        return []
    # A variation is a copy of an approved request: the letter on the approved request still stands.
    holders = [request.id] + ([request.variation_of_id] if request.variation_of_id else [])
    letter = db.session.scalar(
        select(Document.id).where(
            Document.request_id.in_(holders),
            Document.kind == "invitation_letter",
            Document.superseded_by_id.is_(None),
        )
    )
    if letter is None:
        return [Refusal("missing_document", "Upload the document: invitation letter from the requesting body")]
    return []


@dataclass
class Upload:
    kind: str
    description: str
    filename: str
    content: bytes
    replaces_id: int | None = None
    # The Government Security Classification the uploader declares; None: the request's own marking.
    marking: str | None = None


def _check_fields(data, request=None):
    problems = []
    marking_problem = marking.error(data.marking, required=False)
    if marking_problem:
        problems.append(Refusal("marking", marking_problem))
    if data.kind not in KIND_LABELS:
        problems.append(Refusal("kind", "Select what kind of document this is"))
    elif data.kind in RESERVED_KINDS:
        problems.append(Refusal("kind", "The letter of authority is written by the service: it cannot be uploaded"))
    description = (data.description or "").strip()
    if not description:
        problems.append(Refusal("description", "Enter a description of the document"))
    elif len(description) > DESCRIPTION_MAX:
        problems.append(Refusal("description", f"Description must be {DESCRIPTION_MAX} characters or fewer"))
    if problems:
        raise workflow.Refused(problems)
    return description


def _store(request, actor, data, query=None):
    description = _check_fields(data, request)
    # Never below the request's own marking (a sensitive request's documents are OFFICIAL-SENSITIVE).
    declared = marking.normalise(data.marking) if data.marking else marking.OFFICIAL
    document_marking = marking.higher(declared, marking.marking_of(request))
    content_type = check_file(data.content)
    replaced = None
    if data.replaces_id is not None:
        replaced = get(request, data.replaces_id)
        if replaced is None or replaced.kind != data.kind or replaced.superseded:
            raise workflow.Refused([Refusal("replaces", "Choose a current document of the same kind to replace")])
    digest = hashlib.sha256(data.content).hexdigest()
    document = Document(
        request_id=request.id,
        kind=data.kind,
        description=description,
        filename=safe_filename(data.filename, content_type),
        content_type=content_type,
        marking=document_marking,
        size_bytes=len(data.content),
        sha256=digest,
        content=data.content,
        uploaded_by_id=actor.id,
        uploaded_at=utcnow(),
        uploaded_in_state=request.state,
        query_id=query.id if query is not None else None,
    )
    db.session.add(document)
    db.session.flush()
    note = f"{data.kind} {document.filename} {document_marking} sha256={digest}"
    if replaced is not None:
        replaced.superseded_by_id = document.id
        note += f" replaces document {replaced.id} sha256={replaced.sha256}"
    audit.append(request, actor, "document_uploaded", request.state, request.state, note)
    return document


def upload(request_id, actor, data, expected_version=None):
    """Add a document to the request's case file."""
    with workflow.atomic():
        request = workflow.lock(request_id, expected_version)
        policy.raise_if(policy.upload_refusal(actor, request))
        document = _store(request, actor, data)
    return document


def referenced_by_decision(document):
    """A document that was on the case when a decision was recorded is part of that decision's record."""
    return (
        db.session.scalar(
            select(GateDecision.id)
            .where(GateDecision.request_id == document.request_id, GateDecision.decided_at >= document.uploaded_at)
            .limit(1)
        )
        is not None
    )


def delete(request_id, actor, document_id):
    """Remove a document uploaded by mistake; one a decision was made with can only be superseded."""
    with workflow.atomic():
        request = workflow.lock(request_id, None)
        document = get(request, document_id) if policy.can_see(actor, request) else None
        if document is None:
            raise workflow.NotFound("There is no such document on this request that you may see")
        if document.uploaded_by_id != actor.id:
            raise workflow.Forbidden("Only the person who uploaded a document can delete it")
        policy.raise_if(policy.upload_refusal(actor, request))
        if referenced_by_decision(document):
            raise workflow.WrongState(
                "A decision was made with this document, so it cannot be deleted: upload a newer version instead"
            )
        audit.append(
            request,
            actor,
            "document_deleted",
            request.state,
            request.state,
            f"{document.kind} {document.filename} sha256={document.sha256}",
        )
        for older in db.session.scalars(select(Document).where(Document.superseded_by_id == document.id)):
            older.superseded_by_id = None  # the version it replaced is current again
        db.session.delete(document)
    return request
