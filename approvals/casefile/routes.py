"""The case file on the web: documents, questions to the submitter, case notes, and the inbox of requests
waiting for the submitter. Thin views over approvals.documents, approvals.queries and approvals.notes."""

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from approvals import access, documents, letters, notes, policy, queries, workflow
from approvals.casefile.forms import AnswerForm, DeleteForm, DocumentForm, LeadNoteForm, NoteForm, QueryForm, file_hint
from approvals.gates import GATE_BY_STATE, GATE_STATES
from approvals.human_rights import Refusal
from approvals.machine import ANSWERABLE_STATES
from approvals.marking import marking_of
from approvals.responses import download_response
from approvals.security import role_required
from extensions import db
from models import AssistanceRequest, CaseQuery

bp = Blueprint("casefile", __name__)
# The upload form shares the decision page with the decision form: a prefix keeps their field ids apart.
DOCUMENT_PREFIX = "document"
# Who works on a case file: the force's lead and each gate's deciders (a gate's delegates too: `allow=`); what each
# may do to which request, and when, the policy says.
READERS = tuple(sorted(policy.READER_ROLES))
DECIDERS = policy.roles_for(policy.DECIDE)
# Which form field shows a service refusal, by the refusal's rule.
RULE_FIELDS = {
    "file": "file",
    "kind": "kind",
    "description": "description",
    "marking": "marking",
    "replaces": "kind",
    "question": "question",
    "answer": "answer",
    "text": "text",
    "mentions": "text",
    "visible_to_submitter": "visible_to_submitter",
}


def _show_refusals(form, error):
    for refusal in error.refusals or [Refusal("file", error.message)]:
        field = getattr(form, RULE_FIELDS.get(refusal.rule, ""), None)
        (field.errors if field is not None else form.form_errors).append(refusal.message)


def _max_mb():
    return current_app.config["S26_MAX_DOCUMENT_MB"]


def summary(item):
    """What the request page and the decision page show of the case file (read once per page)."""
    cache = g.setdefault("casefile_summaries", {})
    if item.id not in cache:
        cache[item.id] = _summary(item)
    return cache[item.id]


def _summary(item):
    open_count, paused, due_on = queries.clock_state(item)
    return {
        "documents": documents.listing(item),
        "queries": queries.for_request(item),
        "open_queries": open_count,
        "due_on": due_on,
        "clock_paused": paused,
        "can_upload": policy.upload_refusal(current_user, item) is None,
        "can_ask": policy.can(current_user, policy.DECIDE, item),
        "can_answer": policy.may_answer(current_user, item),
        "can_note": policy.note_refusal(current_user, item) is None,
        "notes": notes.count_for(item, current_user),
        "kinds": documents.KIND_LABELS,
    }


def documents_task_status(item):
    """The task list's "Supporting documents" row: complete when nothing required is missing."""
    if documents.missing_for_submit(item):
        return "Not started" if not documents.listing(item) else "In progress"
    return "Completed"


TYPE_NAMES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel spreadsheet",
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "text/plain": "Plain text",
}


@bp.app_template_filter("file_type")
def _file_type(content_type):
    return TYPE_NAMES.get(content_type, content_type)


@bp.app_template_filter("file_size")
def _file_size(size):
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


@bp.app_template_global("casefile")
def _casefile_global(item):
    return summary(item)


@bp.app_template_global("document_upload_form")
def _document_upload_form_global():
    return DocumentForm(prefix=DOCUMENT_PREFIX), file_hint(_max_mb())


@bp.app_template_global("waiting_for_submitter_ids")
def _waiting_ids_global(rows):
    """Of these inbox rows, the ids of requests paused for an answer from the submitter."""
    ids = [row.id for row in rows]
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(CaseQuery.request_id).where(CaseQuery.request_id.in_(ids), CaseQuery.answered_at.is_(None))
        )
    )


@bp.app_template_global("questions_for_you")
def _questions_for_you_global():
    """For a force lead's inbox: their force's requests paused for an answer from them."""
    if not policy.leads_a_force(current_user):
        return []
    return db.session.scalars(
        select(AssistanceRequest)
        .where(
            AssistanceRequest.force_id == current_user.force_id,
            AssistanceRequest.state.in_(ANSWERABLE_STATES),
            queries.waiting_for_submitter_clause(),
        )
        .order_by(AssistanceRequest.gate_due_on.asc().nulls_last(), AssistanceRequest.id)
        .limit(current_app.config["S26_PAGE_SIZE"])
    ).all()


@bp.app_template_global("shown_in_timeline")
def _shown_in_timeline_global(event, item):
    """An internal note is for deciders: the submitter's timeline does not show that one was added."""
    internal_note = event.event == "note_added" and (event.reasons or "").endswith("(internal)")
    return not internal_note or policy.reads_internal_notes(current_user, item)


@bp.app_template_global("documents_task_status")
def _documents_task_status_global(item):
    return documents_task_status(item)


@bp.app_template_global("waiting_for_submitter_count")
def _waiting_count_global():
    return db.session.scalar(select(func.count()).select_from(AssistanceRequest).where(*_waiting_where(current_user)))


@bp.route("/requests/<int:request_id>/documents", methods=["GET", "POST"])
@role_required(*READERS, allow=policy.decides_now)
def documents_page(request_id):
    """The request's documents, and the upload form for those who may add one."""
    item = access.get_visible_or_404(current_user, request_id)
    form = DocumentForm(prefix=DOCUMENT_PREFIX)
    if request.method == "GET":
        form.marking.data = marking_of(item)
    status = 200
    if request.method == "POST":
        refusal = policy.upload_refusal(current_user, item)
        if isinstance(refusal, workflow.Forbidden):
            abort(403)
        if refusal is not None:
            form.form_errors.append(refusal.message)
            status = 409
        elif form.validate_on_submit():
            data = documents.Upload(
                kind=form.kind.data,
                description=form.description.data,
                filename=form.file.data.filename or "",
                content=form.file.data.stream.read(documents.max_bytes() + 1),
                marking=form.marking.data or None,
            )
            try:
                document = documents.upload(item.id, current_user, data)
            except workflow.Forbidden:
                abort(403)
            except workflow.WorkflowError as error:
                _show_refusals(form, error)
                status = error.status
            else:
                flash(f"{document.filename} has been uploaded.")
                target = request.args.get("then")
                if target == "decide" and policy.can(current_user, policy.DECIDE, item):
                    return redirect(url_for("decisions.decide", request_id=item.id) + "#documents")
                if target == "tasks" and policy.can(current_user, policy.EDIT, item):
                    return redirect(url_for("requests.task_list", request_id=item.id))
                return redirect(url_for("casefile.documents_page", request_id=item.id))
        else:
            status = 422 if form.file.errors and form.file.data is not None else 200
    return render_template(
        "casefile/documents.html",
        item=item,
        form=form,
        case=summary(item),
        # Preparing the request: the lead is told what to add before submitting.
        asks_for_letter=policy.can(current_user, policy.EDIT, item) and documents.needs_invitation_letter(item),
        delete_form=DeleteForm(),
        hint=file_hint(_max_mb()),
        then=request.args.get("then", ""),
    ), status


@bp.route("/requests/<int:request_id>/documents/<int:document_id>")
@role_required(*READERS, allow=policy.decides_now)
def download(request_id, document_id):
    """Download one document: always an attachment, of the type found in its bytes."""
    item = access.get_visible_or_404(current_user, request_id)
    document = documents.get(item, document_id)
    if document is None:
        abort(404)
    if document.kind == letters.KIND:
        letters.record_reading(current_user, item)  # it names the people: theirs to read, and the reading recorded
    return download_response(document)


@bp.route("/requests/<int:request_id>/documents/<int:document_id>/delete", methods=["POST"])
@role_required(*READERS, allow=policy.decides_now)
def delete(request_id, document_id):
    """Delete a document you uploaded by mistake."""
    item = access.get_visible_or_404(current_user, request_id)
    if documents.get(item, document_id) is None:
        abort(404)
    if not DeleteForm().validate_on_submit():
        abort(400)
    try:
        documents.delete(item.id, current_user, document_id)
    except workflow.Forbidden:
        abort(403)
    except workflow.WorkflowError as error:
        flash(error.message, "error")
    else:
        flash("The document has been deleted.")
    return redirect(url_for("casefile.documents_page", request_id=item.id))


@bp.route("/requests/<int:request_id>/questions/new", methods=["GET", "POST"])
@role_required(*DECIDERS, allow=policy.decides_now)
def ask(request_id):
    """Ask the submitter a question without returning the request."""
    item = access.get_visible_or_404(current_user, request_id)
    # Asking is the decision's twin: the same policy answers (403 not your gate, 409 not at a gate now).
    policy.require(current_user, policy.DECIDE, item)
    gate = GATE_BY_STATE[item.state]
    form = QueryForm()
    if form.validate_on_submit():
        try:
            queries.ask(item.id, current_user, form.question.data)
        except workflow.Forbidden:
            abort(403)
        except workflow.WorkflowError as error:
            _show_refusals(form, error)
        else:
            flash("Your question has been sent to the submitter. The gate's deadline is paused until they answer.")
            return redirect(url_for("requests.show", request_id=item.id) + "#case-file")
    return render_template("casefile/ask.html", item=item, gate=gate, form=form)


@bp.route("/requests/<int:request_id>/questions/<int:query_id>/answer", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def answer(request_id, query_id):
    """Answer a question from a decider, attaching a document if it helps."""
    item = access.get_visible_or_404(current_user, request_id)
    query = db.session.scalars(
        select(CaseQuery).where(CaseQuery.id == query_id, CaseQuery.request_id == item.id)
    ).first()
    if query is None:
        abort(404)
    # 403 not the force's lead, 409 answered already or the request has moved on (the message says which)
    policy.raise_if(policy.answer_refusal(current_user, item, query))
    form = AnswerForm()
    status = 200
    if form.validate_on_submit():
        attachments = []
        if form.file.data and form.file.data.filename:
            attachments.append(
                documents.Upload(
                    kind="correspondence",
                    description=form.description.data or f"Attached to the answer to: {query.question[:100]}",
                    filename=form.file.data.filename,
                    content=form.file.data.stream.read(documents.max_bytes() + 1),
                )
            )
        try:
            queries.answer(item.id, current_user, query.id, form.answer.data, attachments)
        except workflow.Forbidden:
            abort(403)
        except workflow.WorkflowError as error:
            _show_refusals(form, error)
            status = error.status if error.status in (413, 415) else 200
        else:
            flash("Your answer has been sent.")
            return redirect(url_for("requests.show", request_id=item.id) + "#case-file")
    return render_template("casefile/answer.html", item=item, query=query, form=form, hint=file_hint(_max_mb())), status


@bp.route("/requests/<int:request_id>/notes", methods=["GET", "POST"])
@role_required(*READERS, allow=policy.decides_now)
def notes_page(request_id):
    """Case notes you may read, and a form to add one."""
    item = access.get_visible_or_404(current_user, request_id)
    decider = policy.reads_internal_notes(current_user, item)
    form = (NoteForm if decider else LeadNoteForm)()
    if request.method == "POST":
        policy.raise_if(policy.note_refusal(current_user, item))
        if form.validate_on_submit():
            visible = form.visible_to_submitter.data == "yes" if decider else True
            try:
                notes.add(item.id, current_user, form.text.data, visible)
            except workflow.Forbidden:
                abort(403)
            except workflow.WorkflowError as error:
                _show_refusals(form, error)
            else:
                flash("Your note has been added.")
                return redirect(url_for("casefile.notes_page", request_id=item.id))
    return render_template(
        "casefile/notes.html",
        item=item,
        form=form,
        notes=notes.listing(item, current_user),
        can_add=policy.note_refusal(current_user, item) is None,
        decider=decider,
    )


def _waiting_where(user):
    """Requests with an open question: for deciders, those waiting at their gates; for leads, their force's."""
    clause = policy.inbox_clause(user)
    if policy.leads_a_force(user):
        clause = clause | (AssistanceRequest.force_id == user.force_id)
    return clause, AssistanceRequest.state.in_(GATE_STATES), queries.waiting_for_submitter_clause()


def _waiting_stmt(user):
    return (
        select(AssistanceRequest)
        .where(*_waiting_where(user))
        .order_by(AssistanceRequest.gate_due_on.asc().nulls_last(), AssistanceRequest.id)
        .limit(current_app.config["S26_RECENT_LIMIT"])
    )


@bp.route("/waiting-for-submitter")
@role_required(*READERS, allow=policy.decides_now)
def waiting():
    """Requests paused at a gate until the submitter answers a question."""
    items = db.session.scalars(_waiting_stmt(current_user)).all()
    return render_template(
        "casefile/waiting.html", items=items, open_queries={i.id: queries.open_queries(i) for i in items}
    )
