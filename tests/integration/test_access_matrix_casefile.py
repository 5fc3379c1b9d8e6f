"""The access-control matrix for the case file: documents, questions to the submitter and notes, every role,
own force and another force, every state. Expected codes are written out as tables, as in
test_access_matrix.py, whose people, states and reading tables this reuses.

Codes: 200/201/204 allowed; 404 may not see the request (its existence is not revealed); 403 a role that may
not act here; 409 the request's state does not allow it now; 302 may see it, nothing to do there now.
"""

from io import BytesIO

import pytest
from sqlalchemy import select

from approvals import queries, seed
from extensions import db
from models import Document
from tests.conftest import sign_in
from tests.integration.test_access_matrix import (  # noqa: F401 - everyone is a fixture
    ACT_DECIDE,
    API_READ,
    DECIDE,
    STATES,
    VIEW,
    WHO,
    everyone,
    request_in,
    row,
)
from tests.integration.test_api import token_for

D, CO, PCC, HS, IPAB, APP, RET = STATES

# GET pages of the case file: whoever may read the request.
PAGES = {
    "documents page": ("/requests/{id}/documents", VIEW),
    "notes page": ("/requests/{id}/notes", VIEW),
    # Asking is the decision page's twin: only the decider at the current gate.
    "ask page": ("/requests/{id}/questions/new", DECIDE),
}
API_READS = {
    "api documents": "/api/v1/requests/{id}/documents",
    "api queries": "/api/v1/requests/{id}/queries",
    "api notes": "/api/v1/requests/{id}/notes",
}

# POST /api/v1/requests/<id>/documents: the lead in draft or returned (no question open here); the decider at
# their own gate.
ACT_UPLOAD = {
    ("force_lead", "own"): {D: 201, CO: 409, PCC: 409, HS: 409, IPAB: 409, APP: 409, RET: 201},
    ("force_lead", "other"): row([], 404),
    ("chief_officer", "own"): {D: 404, CO: 201, PCC: 403, HS: 403, IPAB: 403, APP: 409, RET: 409},
    ("chief_officer", "other"): row([], 404),
    ("pcc_office", "own"): {D: 404, CO: 403, PCC: 201, HS: 403, IPAB: 403, APP: 409, RET: 409},
    ("pcc_office", "other"): row([], 404),
    ("home_office", "national"): {D: 404, CO: 403, PCC: 403, HS: 201, IPAB: 403, APP: 409, RET: 409},
    ("ipab", "national"): {D: 404, CO: 403, PCC: 403, HS: 403, IPAB: 201, APP: 409, RET: 409},
    ("foi_officer", "national"): row([], 403),
    ("admin", "national"): row([], 403),
}

# POST /api/v1/requests/<id>/queries: the decider at the current gate only.
# Asking is the decision's twin, so the same table: a decider whose gate the request is not at now gets 409.
ACT_ASK = ACT_DECIDE

# POST /api/v1/requests/<id>/notes (visible to the submitter): deciders and the lead who can see it.
ACT_NOTE = {
    ("force_lead", "own"): row(STATES, 404, 201),
    ("force_lead", "other"): row([], 404),
    ("chief_officer", "own"): row([CO, PCC, HS, IPAB, APP, RET], 404, 201),
    ("chief_officer", "other"): row([], 404),
    ("pcc_office", "own"): row([CO, PCC, HS, IPAB, APP, RET], 404, 201),
    ("pcc_office", "other"): row([], 404),
    ("home_office", "national"): row([CO, PCC, HS, IPAB, APP, RET], 404, 201),
    ("ipab", "national"): row([CO, PCC, HS, IPAB, APP, RET], 404, 201),
    ("foi_officer", "national"): row([], 403),
    ("admin", "national"): row([], 403),
}

# POST /api/v1/requests/<id>/queries/<query_id>/answer on a request waiting at the PCC with an open question.
ACT_ANSWER = {
    ("force_lead", "own"): 200,
    ("force_lead", "other"): 404,
    ("chief_officer", "own"): 403,
    ("chief_officer", "other"): 403,
    ("pcc_office", "own"): 403,
    ("pcc_office", "other"): 403,
    ("home_office", "national"): 403,
    ("ipab", "national"): 403,
    ("foi_officer", "national"): 403,
    ("admin", "national"): 403,
}


def _upload_body():
    return {"kind": "other", "description": "Matrix", "file": (BytesIO(seed.DEMO_LETTER_PDF), "m.pdf")}


@pytest.mark.parametrize("state", STATES)
def test_case_file_reads(app, people, everyone, state):  # noqa: F811
    request = request_in(state, people)
    request_id = request.id
    document_id = db.session.scalar(select(Document.id).where(Document.request_id == request_id))
    mismatches = []
    for who in WHO:
        client = app.test_client()
        sign_in(client, everyone[who])
        for name, (path, table) in PAGES.items():
            got = client.get(path.format(id=request_id)).status_code
            if got != table[who][state]:
                mismatches.append(f"{name} {who} {state}: expected {table[who][state]}, got {got}")
        got = client.get(f"/requests/{request_id}/documents/{document_id}").status_code
        if got != VIEW[who][state]:
            mismatches.append(f"download {who} {state}: expected {VIEW[who][state]}, got {got}")
        headers = token_for(everyone[who])
        for name, path in API_READS.items():
            got = client.get(path.format(id=request_id), headers=headers).status_code
            if got != API_READ[who][state]:
                mismatches.append(f"{name} {who} {state}: expected {API_READ[who][state]}, got {got}")
        got = client.get(f"/api/v1/requests/{request_id}/documents/{document_id}", headers=headers).status_code
        if got != API_READ[who][state]:
            mismatches.append(f"api download {who} {state}: expected {API_READ[who][state]}, got {got}")
    assert mismatches == []


@pytest.mark.parametrize("state", STATES)
def test_case_file_actions(client, people, everyone, state):  # noqa: F811
    tokens = {who: token_for(everyone[who]) for who in WHO}
    mismatches = []
    for who in WHO:
        for name, path, body, table in (
            ("upload", "/api/v1/requests/{id}/documents", None, ACT_UPLOAD),
            ("ask", "/api/v1/requests/{id}/queries", {"question": "Matrix?"}, ACT_ASK),
            ("note", "/api/v1/requests/{id}/notes", {"text": "Matrix", "visible_to_submitter": True}, ACT_NOTE),
        ):
            request = request_in(state, people)
            url = path.format(id=request.id)
            if body is None:
                got = client.post(url, data=_upload_body(), headers=tokens[who]).status_code
            else:
                got = client.post(url, json=body, headers=tokens[who]).status_code
            if got != table[who][state]:
                mismatches.append(f"{name} {who} {state}: expected {table[who][state]}, got {got}")
    assert mismatches == []


def test_who_may_answer_a_question(client, people, everyone):  # noqa: F811
    mismatches = []
    for who in WHO:
        request = request_in("awaiting_pcc", people)
        query = queries.ask(request.id, people["pcc"], "Matrix?")
        got = client.post(
            f"/api/v1/requests/{request.id}/queries/{query.id}/answer",
            json={"answer": "Yes"},
            headers=token_for(everyone[who]),
        ).status_code
        if got != ACT_ANSWER[who]:
            mismatches.append(f"answer {who}: expected {ACT_ANSWER[who]}, got {got}")
    assert mismatches == []
