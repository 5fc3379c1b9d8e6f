"""The access-control matrix: every role, own force and another force, every request page and API read,
every state. The expected answer is written out below as a table, not computed by the code under test.

Codes: 200 allowed; 404 may not see it (its existence is not revealed); 403 the role never may;
409 may do it to this request, but not in its present state (a decider whose gate it is not at now, a lead
editing a submitted request). tests/integration/test_policy_table.py states every action's rule.
"""

import pytest

from approvals import workflow
from approvals.human_rights import Assessment
from extensions import db
from tests.conftest import advance, make_request, make_user, sign_in
from tests.integration.test_api import token_for

STATES = [
    "draft",
    "awaiting_chief_officer",
    "awaiting_pcc",
    "awaiting_home_secretary",
    "awaiting_ipab",
    "approved",
    "returned",
]
D, CO, PCC, HS, IPAB, APP, RET = STATES

# Who: the role and whether the request belongs to their force. National roles have no force.
WHO = [
    ("force_lead", "own"),
    ("force_lead", "other"),
    ("chief_officer", "own"),
    ("chief_officer", "other"),
    ("pcc_office", "own"),
    ("pcc_office", "other"),
    ("home_office", "national"),
    ("ipab", "national"),
    ("foi_officer", "national"),
    ("admin", "national"),
]

SUBMITTED = [CO, PCC, HS, IPAB, APP, RET]


def row(allowed_states, otherwise, allowed=200):
    return {state: (allowed if state in allowed_states else otherwise) for state in STATES}


# GET /requests/<id>: the request page.
VIEW = {
    ("force_lead", "own"): row(STATES, 404),
    ("force_lead", "other"): row([], 404),
    ("chief_officer", "own"): row(SUBMITTED, 404),
    ("chief_officer", "other"): row([], 404),
    ("pcc_office", "own"): row(SUBMITTED, 404),
    ("pcc_office", "other"): row([], 404),
    ("home_office", "national"): row(SUBMITTED, 404),
    ("ipab", "national"): row(SUBMITTED, 404),
    ("foi_officer", "national"): row([], 403),
    ("admin", "national"): row([], 403),
}

# GET /requests/<id>/decide: the decision page, only for the gate's decider.
DECIDE = {
    ("force_lead", "own"): row([], 403),
    ("force_lead", "other"): row([], 403),
    ("chief_officer", "own"): {D: 404, CO: 200, PCC: 409, HS: 409, IPAB: 409, APP: 409, RET: 409},
    ("chief_officer", "other"): row([], 404),
    ("pcc_office", "own"): {D: 404, CO: 409, PCC: 200, HS: 409, IPAB: 409, APP: 409, RET: 409},
    ("pcc_office", "other"): row([], 404),
    ("home_office", "national"): {D: 404, CO: 409, PCC: 409, HS: 200, IPAB: 409, APP: 409, RET: 409},
    ("ipab", "national"): {D: 404, CO: 409, PCC: 409, HS: 409, IPAB: 200, APP: 409, RET: 409},
    ("foi_officer", "national"): row([], 403),
    ("admin", "national"): row([], 403),
}

# GET /requests/<id>/tasks: editing, only for the force's lead while draft or returned.
EDIT = {
    ("force_lead", "own"): {D: 200, CO: 409, PCC: 409, HS: 409, IPAB: 409, APP: 409, RET: 200},
    ("force_lead", "other"): row([], 404),
    **{who: row([], 403) for who in WHO if who[0] != "force_lead"},
}

# GET /api/v1/requests/<id> with the person's own token.
API_READ = {who: {state: code if code != 403 else 404 for state, code in VIEW[who].items()} for who in WHO}

ENDPOINTS = {
    "view": ("/requests/{id}", VIEW),
    "decide": ("/requests/{id}/decide", DECIDE),
    "edit": ("/requests/{id}/tasks", EDIT),
}


def request_in(state, people):
    request = make_request(people["lead"])
    if state == "draft":
        return request
    if state == "returned":
        advance(request, people, until="awaiting_pcc")
        workflow.decide(
            request.id,
            people["pcc"],
            workflow.DecisionInput("return", "Why?", hr=Assessment(residual="low"), ethics_confirmed=True),
        )
        db.session.refresh(request)
        return request
    return advance(request, people, until=state)


@pytest.fixture
def everyone(people):
    """One signed-in user per row of the table."""
    people["other_home_office"] = people["home_office"]
    users = {
        ("force_lead", "own"): people["lead"],
        ("force_lead", "other"): people["other_lead"],
        ("chief_officer", "own"): people["chief"],
        ("chief_officer", "other"): people["other_chief"],
        ("pcc_office", "own"): people["pcc"],
        ("pcc_office", "other"): people["other_pcc"],
        ("home_office", "national"): make_user("ho2@gov.example", "home_office"),
        ("ipab", "national"): make_user("ipab2@gov.example", "ipab"),
        ("foi_officer", "national"): people["foi"],
        ("admin", "national"): people["admin"],
    }
    return users


@pytest.mark.parametrize("state", STATES)
def test_access_matrix(app, people, everyone, state):
    request = request_in(state, people)
    assert request.state == state
    mismatches = []
    for who in WHO:
        client = app.test_client()
        sign_in(client, everyone[who])
        for name, (path, table) in ENDPOINTS.items():
            got = client.get(path.format(id=request.id)).status_code
            if got != table[who][state]:
                mismatches.append(f"{name} {who} {state}: expected {table[who][state]}, got {got}")
        got = client.get(f"/api/v1/requests/{request.id}", headers=token_for(everyone[who])).status_code
        if got != API_READ[who][state]:
            mismatches.append(f"api {who} {state}: expected {API_READ[who][state]}, got {got}")
    assert mismatches == []


@pytest.mark.parametrize("who", [("chief_officer", "other"), ("pcc_office", "other"), ("force_lead", "other")])
def test_no_one_acts_on_another_forces_request(app, people, everyone, who):
    request = advance(
        make_request(people["lead"]),
        people,
        until="awaiting_pcc" if who[0] == "pcc_office" else "awaiting_chief_officer",
    )
    client = app.test_client()
    sign_in(client, everyone[who])
    data = {"outcome": "positive", "hr_residual": "low", "ethics_confirmed": "y"}
    assert client.post(f"/requests/{request.id}/decide", data=data).status_code in (403, 404)
    assert client.post(f"/requests/{request.id}/withdraw", data={"reason": "x"}).status_code in (403, 404)
    db.session.refresh(request)
    assert request.decisions == [] or all(d.actor_id != everyone[who].id for d in request.decisions)


# POST /api/v1/requests/<id>/decisions (a positive decision) by each person, on a fresh request in each state.
# 201 decided; 403 no decider role; 404 may not see it; 409 not at this person's gate now (a decider whose
# decision lost a race is told the request moved on, never that they lack authority).
ACT_DECIDE = {
    ("force_lead", "own"): row([], 403),
    ("force_lead", "other"): row([], 403),
    ("chief_officer", "own"): {D: 404, CO: 201, PCC: 409, HS: 409, IPAB: 409, APP: 409, RET: 409},
    ("chief_officer", "other"): row([], 404),
    ("pcc_office", "own"): {D: 404, CO: 409, PCC: 201, HS: 409, IPAB: 409, APP: 409, RET: 409},
    ("pcc_office", "other"): row([], 404),
    ("home_office", "national"): {D: 404, CO: 409, PCC: 409, HS: 201, IPAB: 409, APP: 409, RET: 409},
    ("ipab", "national"): {D: 404, CO: 409, PCC: 409, HS: 409, IPAB: 201, APP: 409, RET: 409},
    ("foi_officer", "national"): row([], 403),
    ("admin", "national"): row([], 403),
}

# POST /api/v1/requests/<id>/withdraw: only the force's lead, only before approval.
ACT_WITHDRAW = {
    ("force_lead", "own"): {D: 200, CO: 200, PCC: 200, HS: 200, IPAB: 200, APP: 409, RET: 200},
    ("force_lead", "other"): row([], 404),
    **{who: row([], 403) for who in WHO if who[0] != "force_lead"},
}

DECISION_BODY = {"outcome": "positive", "human_rights": {"risks": [], "residual": "low"}, "ethics_confirmed": True}


@pytest.mark.parametrize("state", STATES)
def test_action_matrix(client, people, everyone, state):
    tokens = {who: token_for(everyone[who]) for who in WHO}
    mismatches = []
    for who in WHO:
        for name, path, body, table in (
            ("decide", "/api/v1/requests/{id}/decisions", DECISION_BODY, ACT_DECIDE),
            ("withdraw", "/api/v1/requests/{id}/withdraw", {"reason": "Matrix"}, ACT_WITHDRAW),
        ):
            request = request_in(state, people)  # fresh each time: a successful action changes the state
            before = request.state
            got = client.post(path.format(id=request.id), json=body, headers=tokens[who]).status_code
            db.session.refresh(request)
            expected = table[who][state]
            if got != expected:
                mismatches.append(f"{name} {who} {state}: expected {expected}, got {got}")
            if got >= 400 and request.state != before:
                mismatches.append(f"{name} {who} {state}: refused but the state changed to {request.state}")
    assert mismatches == []
