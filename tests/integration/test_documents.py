"""Documents on the case file: what may be stored (decided from the bytes), how it is served back, who may
add one when, and the invitation letter a request needs before it is submitted."""

import hashlib
from io import BytesIO

import pytest
from sqlalchemy import func, select

from approvals import documents, workflow
from extensions import db
from models import AuditEvent, Document
from tests import sample_files as files
from tests.conftest import Assessment, advance, make_request, sign_in
from tests.integration.test_api import token_for


@pytest.fixture
def tokens(people):
    return {name: token_for(user) for name, user in people.items()}


def post_document(client, request_id, headers, content, filename="file.pdf", kind="business_case", **extra):
    data = {"kind": kind, "description": "Supporting evidence", "file": (BytesIO(content), filename), **extra}
    return client.post(f"/api/v1/requests/{request_id}/documents", data=data, headers=headers)


def stored_count():
    return db.session.scalar(select(func.count()).select_from(Document))


@pytest.mark.parametrize("extension", list(files.ALLOWED))
def test_each_allowed_type_is_stored_and_downloaded_as_an_attachment_of_its_type(client, people, tokens, extension):
    make, content_type = files.ALLOWED[extension]
    content = make()
    request = make_request(people["lead"], letter=False)
    response = post_document(client, request.id, tokens["lead"], content, f"evidence.{extension}")
    assert response.status_code == 201, response.json
    body = response.json
    assert body["content_type"] == content_type and body["size_bytes"] == len(content)
    assert body["sha256"] == hashlib.sha256(content).hexdigest() and body["uploaded_by"] == "lead@ny.example"
    assert set(body) >= {"id", "kind", "filename", "description", "uploaded_at"}

    download = client.get(f"/api/v1/requests/{request.id}/documents/{body['id']}", headers=tokens["chief"])
    assert download.status_code == 404  # a draft: the chief officer cannot see the request at all
    download = client.get(f"/api/v1/requests/{request.id}/documents/{body['id']}", headers=tokens["lead"])
    assert download.status_code == 200 and download.data == content
    assert download.mimetype == content_type
    assert download.headers["Content-Disposition"] == f"attachment; filename=evidence.{extension}"
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_an_html_file_named_pdf_is_refused_with_415_and_nothing_is_stored(client, people, tokens):
    """The attack: a page with script, named .pdf and sent as application/pdf, to be served back from our origin."""
    request = make_request(people["lead"], letter=False)
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    response = client.post(
        f"/api/v1/requests/{request.id}/documents",
        data={
            "kind": "invitation_letter",
            "description": "Letter",
            "file": (BytesIO(files.HTML_AS_PDF), "invitation.pdf", "application/pdf"),
        },
        headers=tokens["lead"],
    )
    assert response.status_code == 415 and response.mimetype == "application/problem+json"
    assert "PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG or plain text" in response.json["detail"]
    assert stored_count() == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_the_web_form_refuses_an_html_file_named_pdf_with_415_and_a_govuk_error(client, people):
    request = make_request(people["lead"], letter=False)
    sign_in(client, people["lead"])
    response = client.post(
        f"/requests/{request.id}/documents",
        data={
            "document-kind": "invitation_letter",
            "document-description": "Letter from the Commissioner",
            "document-file": (BytesIO(files.HTML_AS_PDF), "invitation.pdf", "application/pdf"),
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 415
    assert "<title>Error: " in page and "govuk-error-summary" in page
    assert 'href="#document-file"' in page and "The selected file must be a PDF" in page
    assert 'value="Letter from the Commissioner"' in page  # the answers are kept
    assert stored_count() == 0


@pytest.mark.parametrize(
    "content, filename",
    [
        (files.WINDOWS_EXE, "invitation.pdf"),
        (files.ELF_EXE, "costings.xlsx"),
        (files.SVG_AS_PNG, "photo.png"),
        (files.PLAIN_ZIP, "business-case.docx"),
        (b"\x00\x01\x02\x03binary\xff\xfe", "notes.txt"),
    ],
)
def test_renamed_executables_and_other_disguised_files_are_refused(client, people, tokens, content, filename):
    request = make_request(people["lead"], letter=False)
    assert post_document(client, request.id, tokens["lead"], content, filename).status_code == 415
    assert stored_count() == 0


def test_a_21_mb_file_is_refused_with_413_and_nothing_is_stored(client, app, people, tokens):
    assert app.config["S26_MAX_DOCUMENT_BYTES"] == 20 * 1024 * 1024
    request = make_request(people["lead"], letter=False)
    big = files.pdf() + b"\x00" * (21 * 1024 * 1024)
    response = post_document(client, request.id, tokens["lead"], big)
    assert response.status_code == 413 and "smaller than 20 MB" in response.json["detail"]
    assert stored_count() == 0


def test_an_empty_file_is_refused_with_422(client, people, tokens):
    request = make_request(people["lead"], letter=False)
    response = post_document(client, request.id, tokens["lead"], b"", "empty.pdf")
    assert response.status_code == 422 and response.json["errors"] == {"file": "The selected file is empty"}
    assert stored_count() == 0


def test_the_web_form_answers_413_and_422_on_the_form(client, people):
    request = make_request(people["lead"], letter=False)
    sign_in(client, people["lead"])

    def upload(content):
        return client.post(
            f"/requests/{request.id}/documents",
            data={
                "document-kind": "other",
                "document-description": "x",
                "document-file": (BytesIO(content), "f.pdf"),
            },
        )

    too_big = upload(files.pdf() + b"\x00" * (21 * 1024 * 1024))
    assert too_big.status_code == 413 and "smaller than 20 MB" in too_big.get_data(as_text=True)
    empty = upload(b"")
    assert empty.status_code == 422 and "The selected file is empty" in empty.get_data(as_text=True)
    missing = client.post(f"/requests/{request.id}/documents", data={"document-kind": "other"})
    page = missing.get_data(as_text=True)
    assert "Select a file" in page and "Enter a description of the document" in page
    assert stored_count() == 0


def test_the_client_content_type_and_file_name_are_ignored(client, people, tokens):
    request = make_request(people["lead"], letter=False)
    response = client.post(
        f"/api/v1/requests/{request.id}/documents",
        data={
            "kind": "other",
            "description": "A PDF sent as HTML under a hostile name",
            "file": (BytesIO(files.pdf()), "../../etc/evil report.html", "text/html"),
        },
        headers=tokens["lead"],
    )
    assert response.status_code == 201
    assert response.json["content_type"] == "application/pdf" and response.json["filename"] == "etc_evil_report.pdf"
    download = client.get(response.headers["Location"], headers=tokens["lead"])
    assert download.headers["Content-Disposition"] == "attachment; filename=etc_evil_report.pdf"
    assert download.mimetype == "application/pdf"


def test_the_letter_of_authority_is_reserved_for_the_service(client, people, tokens):
    request = make_request(people["lead"], letter=False)
    response = post_document(client, request.id, tokens["lead"], files.pdf(), kind="authority_letter")
    assert response.status_code == 422 and "kind" in response.json["errors"]
    assert post_document(client, request.id, tokens["lead"], files.pdf(), kind="nonsense").status_code == 422


def test_submit_is_refused_without_an_invitation_letter_and_names_it(people):
    request = make_request(people["lead"], letter=False)
    with pytest.raises(workflow.Refused) as refused:
        workflow.submit(request.id, people["lead"])
    assert [(r.rule, r.message) for r in refused.value.refusals] == [
        ("missing_document", "Upload the document: invitation letter from the requesting body")
    ]
    db.session.refresh(request)
    assert request.state == "draft"


def test_the_api_submit_names_the_missing_document(client, people, tokens):
    request = make_request(people["lead"], letter=False)
    response = client.post(f"/api/v1/requests/{request.id}/submit", headers=tokens["lead"])
    assert response.status_code == 422 and "missing_document" in response.json["errors"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"retrospective": True, "retrospective_reason": "Deployed at a day's notice after an earthquake"},
        {"uk_investigation": True, "uk_investigation_justification": "Interviewing a witness for a UK case"},
    ],
)
def test_retrospective_and_uk_investigation_requests_need_no_invitation_letter(people, overrides):
    request = make_request(people["lead"], letter=False, **overrides)
    workflow.submit(request.id, people["lead"])
    db.session.refresh(request)
    assert request.state in ("awaiting_chief_officer", "not_required")


def test_who_may_add_documents_when(client, people, tokens):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    # At a gate with no open question, the lead waits (409); the chief officer decides here (201).
    assert post_document(client, request.id, tokens["lead"], files.pdf()).status_code == 409
    assert post_document(client, request.id, tokens["chief"], files.pdf(), kind="risk_assessment").status_code == 201
    # The PCC office's gate is later: a role that may not act here (403); another force cannot see it (404).
    assert post_document(client, request.id, tokens["pcc"], files.pdf()).status_code == 403
    assert post_document(client, request.id, tokens["other_chief"], files.pdf()).status_code == 404
    assert post_document(client, request.id, tokens["foi"], files.pdf()).status_code == 403
    listing = client.get(f"/api/v1/requests/{request.id}/documents", headers=tokens["home_office"]).json
    assert [d["kind"] for d in listing["items"]] == ["invitation_letter", "risk_assessment"]


def test_uploads_and_deletions_are_audit_events_carrying_the_sha256(client, people, tokens):
    request = make_request(people["lead"], letter=False)
    content = files.text()
    digest = hashlib.sha256(content).hexdigest()
    document_id = post_document(client, request.id, tokens["lead"], content, "notes.txt").json["id"]
    deleted = client.delete(f"/api/v1/requests/{request.id}/documents/{document_id}", headers=tokens["lead"])
    assert deleted.status_code == 204
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.request_id == request.id).order_by(AuditEvent.seq)
    ).all()
    assert [e.event for e in events] == ["created", "document_uploaded", "document_deleted"]
    assert all(f"sha256={digest}" in e.reasons for e in events[1:])
    assert stored_count() == 0


def test_a_document_a_decision_was_made_with_can_only_be_superseded(client, people, tokens):
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    letter = db.session.scalars(select(Document).where(Document.request_id == request.id)).one()
    workflow.decide(
        request.id,
        people["pcc"],
        workflow.DecisionInput(
            "return", "Send the signed letter", hr=Assessment(residual="low"), ethics_confirmed=True
        ),
    )
    with pytest.raises(workflow.WrongState):
        documents.delete(request.id, people["lead"], letter.id)
    refused = client.delete(f"/api/v1/requests/{request.id}/documents/{letter.id}", headers=tokens["lead"])
    assert refused.status_code == 409
    newer = post_document(
        client, request.id, tokens["lead"], files.pdf(), "signed.pdf", kind="invitation_letter", replaces=str(letter.id)
    )
    assert newer.status_code == 201
    db.session.expire_all()
    assert db.session.get(Document, letter.id).superseded_by_id == newer.json["id"]
    kinds = client.get(f"/api/v1/requests/{request.id}/documents", headers=tokens["lead"]).json["items"]
    assert [(d["id"], d["superseded_by"]) for d in kinds] == [(letter.id, newer.json["id"]), (newer.json["id"], None)]


def test_the_request_page_lists_documents_and_the_task_list_has_supporting_documents(client, people):
    request = make_request(people["lead"])
    sign_in(client, people["lead"])
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "Case file" in page and "invitation-letter.pdf" in page
    tasks = client.get(f"/requests/{request.id}/tasks").get_data(as_text=True)
    # Every section, the fixture's complete OSJA assessment and the documents.
    assert "Supporting documents" in tasks and tasks.count("Completed") == 9


def test_a_decider_uploads_from_the_decision_page(client, people):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    sign_in(client, people["chief"])
    page = client.get(f"/requests/{request.id}/decide").get_data(as_text=True)
    assert 'type="file"' in page and "The request" in page and "Royal Cayman Islands Police Service" in page
    response = client.post(
        f"/requests/{request.id}/documents?then=decide",
        data={
            "document-kind": "correspondence",
            "document-description": "Email from the FCDO desk",
            "document-file": (BytesIO(files.text()), "fcdo.txt"),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/requests/{request.id}/decide#documents")
    download = client.get(f"/requests/{request.id}/documents/{_last_id()}")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Content-Type"] == "text/plain; charset=utf-8"


def _last_id():
    return db.session.scalar(select(func.max(Document.id)))


def test_the_header_is_the_service_navigation_without_the_gov_uk_crown(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert "govuk-header__logo" not in page and "govuk-service-navigation" in page
    assert "<title>Sign in – Section 26 approvals</title>" in page.replace("\n", "")


@pytest.mark.parametrize("replaces", [str(2**31), str(2**64), "١٢"])
def test_a_replaces_id_past_32_bits_or_not_ascii_digits_is_a_field_error(client, people, tokens, replaces):
    request = make_request(people["lead"], letter=False)
    response = post_document(client, request.id, tokens["lead"], files.pdf(), replaces=replaces)
    assert response.status_code == 422 and "replaces" in response.json["errors"]
    assert stored_count() == 0
