"""The JSON API: contract, every error code, and a request from creation to closed through the API alone."""

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from sqlalchemy import select

from approvals import osja, seed
from extensions import db
from models import ApiToken, AssistanceRequest
from tests.conftest import make_request, make_user

FUTURE = date.today() + timedelta(days=30)


def token_for(user):
    row, token = ApiToken.issue(user, "test")
    db.session.add(row)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(people):
    return {name: token_for(user) for name, user in people.items()}


def upload_letter(client, rid, headers):
    """The invitation letter a request needs before it can be submitted, added through the API."""
    response = client.post(
        f"/api/v1/requests/{rid}/documents",
        data={
            "kind": "invitation_letter",
            "description": "Letter from the requesting body",
            "file": (BytesIO(seed.DEMO_LETTER_PDF), "letter.pdf"),
        },
        headers=headers,
    )
    assert response.status_code == 201, response.json
    return response.json


def write_osja(client, rid, headers):
    """The rest of the OSJA assessment (the request's body carried its rating), put through the API: submitting needs
    it complete (issue 24)."""
    current = client.get(f"/api/v1/requests/{rid}/osja", headers=headers).json
    kept = {name: current[name] for name in ("risks", "likelihood", "residual", "version")}
    body = {**seed.demo_assessment(), "mitigations": "The embassy follows the work", **kept}
    response = client.put(f"/api/v1/requests/{rid}/osja", json=body, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def full_body(**overrides):
    body = {
        "title": "Public order advice",
        "requesting_body": "Royal Cayman Islands Police Service",
        "requesting_body_kind": "foreign_policing_agency",
        "destination": "KY",
        "purpose": "public_order",
        "purpose_details": "Advice on policing the regatta crowds",
        "destination_place": "George Town",
        "sponsor": "fcdo",
        "start_date": FUTURE.isoformat(),
        "end_date": (FUTURE + timedelta(days=20)).isoformat(),
        "officers": 3,
        "staff": 1,
        "personnel_roles": "1 inspector, 2 sergeants, 1 planner",
        "coordinating_unit": "International Policing Unit",
        "mission_reference": "Op Harbour",
        "uk_investigation": False,
        "sensitive": False,
        "urgent": False,
        "retrospective": False,
        "cost_lines": [{"category": "salaries", "amount_pence": 2_000_000, "description": "Four people, three weeks"}],
        "funding": [{"source": "fcdo", "amount_pence": 2_000_000, "committed": True}],
        "human_rights": {"risks": [], "residual": "low"},
    }
    body.update(overrides)
    return body


def decision(outcome="positive", **extra):
    return {"outcome": outcome, "human_rights": {"risks": [], "residual": "low"}, "ethics_confirmed": True, **extra}


def test_a_script_can_take_a_request_from_creation_to_closed_through_the_api_alone(client, tokens):
    created = client.post("/api/v1/requests", json=full_body(), headers=tokens["lead"])
    assert created.status_code == 201
    body = created.json
    assert body["state"] == "draft" and body["reference"].startswith("S26-") and body["operational"] is True
    assert (
        body["duration_band"],
        body["full_cost_pence"],
        body["committed_funding_pence"],
        body["shortfall_pence"],
    ) == ("2_to_12_weeks", 2_000_000, 2_000_000, 0)
    rid = body["id"]
    upload_letter(client, rid, tokens["lead"])
    write_osja(client, rid, tokens["lead"])
    assert (
        client.post(f"/api/v1/requests/{rid}/submit", headers=tokens["lead"]).json["state"] == "awaiting_chief_officer"
    )
    for who, state in [
        ("chief", "awaiting_pcc"),
        ("pcc", "awaiting_home_secretary"),
        ("home_office", "awaiting_ipab"),
        ("ipab", "approved"),
    ]:
        response = client.post(f"/api/v1/requests/{rid}/decisions", json=decision(), headers=tokens[who])
        assert response.status_code == 201 and response.json["state"] == state, response.json
    assert client.post(f"/api/v1/requests/{rid}/deploy", json={}, headers=tokens["lead"]).json["state"] == "deployed"
    closed = client.post(
        f"/api/v1/requests/{rid}/close",
        json={"actual_cost_pence": 2_100_000, "recovered_pence": 2_000_000, "reason": "Two extra nights"},
        headers=tokens["lead"],
    )
    assert closed.json["state"] == "closed" and closed.json["actual_cost_pence"] == 2_100_000
    audit = client.get(f"/api/v1/requests/{rid}/audit", headers=tokens["lead"]).json["events"]
    assert [e["event"] for e in audit] == [
        "created",
        "document_uploaded",
        "osja_updated",
        "submit",
        "recommend",
        "approve",
        "consent",
        "align",
        "authority_letter_issued",
        "deploy",
        "close",
    ]
    assert all(later["prev_hash"] == earlier["hash"] for earlier, later in zip(audit, audit[1:], strict=False))


def test_no_token_or_a_bad_or_revoked_token_is_401(client, people, tokens):
    assert client.get("/api/v1/requests").status_code == 401
    response = client.get("/api/v1/requests", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401 and response.mimetype == "application/problem+json"
    assert response.json["title"] == "Unauthorised" and response.json["status"] == 401
    row = db.session.scalars(select(ApiToken).where(ApiToken.user_id == people["lead"].id)).one()
    from models.types import utcnow

    row.revoked_at = utcnow()
    db.session.commit()
    assert client.get("/api/v1/requests", headers=tokens["lead"]).status_code == 401


def test_tokens_are_stored_hashed(people, tokens):
    token = tokens["lead"]["Authorization"].split()[1]
    stored = db.session.scalars(select(ApiToken.token_hash).where(ApiToken.user_id == people["lead"].id)).one()
    assert token not in stored and len(stored) == 64


def test_flask_tokens_create_prints_a_working_token_once(client, runner, people):
    output = runner.invoke(args=["tokens", "create", "lead@ny.example", "--name", "case system"]).output.strip()
    assert output.startswith("s26_")
    assert client.get("/api/v1/requests", headers={"Authorization": f"Bearer {output}"}).status_code == 200


def test_a_token_created_on_the_account_page_works(client, people):
    from tests.conftest import sign_in

    sign_in(client, people["lead"])
    page = client.post("/account", data={"token-name": "spreadsheet", "token-submit": "1"}).get_data(as_text=True)
    import re

    token = re.search(r"(s26_[A-Za-z0-9_-]+)", page).group(1)
    assert client.get("/api/v1/requests", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_request_of_another_force_is_404_not_403(client, people, tokens):
    theirs = make_request(people["other_lead"])
    for who in ("lead", "pcc", "chief"):
        response = client.get(f"/api/v1/requests/{theirs.id}", headers=tokens[who])
        assert response.status_code == 404 and response.json["status"] == 404
    assert client.get("/api/v1/requests/999999", headers=tokens["lead"]).status_code == 404


def test_the_list_holds_only_what_the_caller_may_see(client, people, tokens):
    mine, theirs = make_request(people["lead"], title="mine"), make_request(people["other_lead"], title="theirs")
    listing = client.get("/api/v1/requests", headers=tokens["lead"]).json
    assert [item["id"] for item in listing["items"]] == [mine.id] and listing["total"] == 1
    assert client.get("/api/v1/requests", headers=tokens["home_office"]).json["total"] == 0  # drafts are invisible
    assert client.get("/api/v1/requests?state=nonsense", headers=tokens["lead"]).status_code == 422
    assert theirs.id not in [
        i["id"] for i in client.get("/api/v1/requests?force=metropolitan", headers=tokens["lead"]).json["items"]
    ]


def test_role_refusals_are_403(client, tokens):
    assert client.post("/api/v1/requests", json={"title": "x"}, headers=tokens["chief"]).status_code == 403
    assert client.get("/api/v1/reports/foi?from=2026-01-01&to=2026-12-31", headers=tokens["lead"]).status_code == 403


def test_no_gate_role_is_403_and_wrong_state_or_gate_is_409(client, people, tokens):
    rid = client.post("/api/v1/requests", json=full_body(), headers=tokens["lead"]).json["id"]
    assert (
        client.post(f"/api/v1/requests/{rid}/decisions", json=decision(), headers=tokens["chief"]).status_code == 404
    )  # a draft
    upload_letter(client, rid, tokens["lead"])
    write_osja(client, rid, tokens["lead"])
    client.post(f"/api/v1/requests/{rid}/submit", headers=tokens["lead"])
    response = client.post(f"/api/v1/requests/{rid}/decisions", json=decision(), headers=tokens["lead"])
    assert response.status_code == 403  # decides at no gate
    response = client.post(f"/api/v1/requests/{rid}/decisions", json=decision(), headers=tokens["pcc"])
    assert response.status_code == 409  # decides at a later gate: not now
    assert client.post(f"/api/v1/requests/{rid}/deploy", json={}, headers=tokens["lead"]).status_code == 409
    assert db.session.get(AssistanceRequest, rid).state == "awaiting_chief_officer"
    client.post(f"/api/v1/requests/{rid}/withdraw", json={"reason": "Cancelled"}, headers=tokens["lead"])
    response = client.post(f"/api/v1/requests/{rid}/decisions", json=decision(), headers=tokens["chief"])
    assert response.status_code == 409 and "not waiting for a decision" in response.json["detail"]


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"destination": "XX"}, "destination"),
        ({"destination": "GB"}, "destination"),
        ({"purpose": "sightseeing"}, "purpose"),
        ({"end_date": (FUTURE - timedelta(days=1)).isoformat()}, "end_date"),
        ({"start_date": "2020-01-01"}, "start_date"),
        ({"retrospective": True, "start_date": "2020-01-01"}, "retrospective_reason"),
        ({"officers": 0, "staff": 0}, "officers"),
        ({"officers": "3"}, "officers"),
        ({"cost_lines": [{"category": "travel", "amount_pence": -1}]}, "cost_lines.0.amount_pence"),
        ({"cost_lines": [{"category": "travel", "amount_pence": 10_000_000_001}]}, "cost_lines.0.amount_pence"),
        ({"funding": [{"source": "lottery", "amount_pence": 5}]}, "funding.0.source"),
        ({"title": "x" * 201}, "title"),
        ({"urgent": True}, "urgent_reason"),
        ({"human_rights": {"residual": "apocalyptic"}}, "human_rights.residual"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_validation_errors_are_422_per_field_and_nothing_is_written(client, tokens, overrides, field):
    response = client.post("/api/v1/requests", json=full_body(**overrides), headers=tokens["lead"])
    assert response.status_code == 422 and field in response.json["errors"], response.json
    assert db.session.scalars(select(AssistanceRequest)).all() == []


def test_non_json_body_is_415(client, tokens):
    response = client.post("/api/v1/requests", data="title=x", headers=tokens["lead"])
    assert response.status_code == 415


def test_patch_changes_drafts_only_and_checks_the_version(client, people, tokens):
    body = client.post("/api/v1/requests", json=full_body(), headers=tokens["lead"]).json
    rid = body["id"]
    patched = client.patch(
        f"/api/v1/requests/{rid}", json={"officers": 5, "version": body["version"]}, headers=tokens["lead"]
    )
    assert patched.status_code == 200 and patched.json["officers"] == 5
    stale = client.patch(
        f"/api/v1/requests/{rid}", json={"officers": 6, "version": body["version"]}, headers=tokens["lead"]
    )
    assert stale.status_code == 409
    assert (
        client.patch(f"/api/v1/requests/{rid}", json={"officers": 6}, headers=tokens["other_lead"]).status_code == 404
    )
    upload_letter(client, rid, tokens["lead"])
    write_osja(client, rid, tokens["lead"])
    client.post(f"/api/v1/requests/{rid}/submit", headers=tokens["lead"])
    assert client.patch(f"/api/v1/requests/{rid}", json={"officers": 7}, headers=tokens["lead"]).status_code == 409


def test_refusals_name_the_rule(client, tokens):
    body = full_body(funding=[])
    rid = client.post("/api/v1/requests", json=body, headers=tokens["lead"]).json["id"]
    upload_letter(client, rid, tokens["lead"])
    write_osja(client, rid, tokens["lead"])
    client.post(f"/api/v1/requests/{rid}/submit", headers=tokens["lead"])
    response = client.post(
        f"/api/v1/requests/{rid}/decisions", json=decision(ethics_confirmed=False), headers=tokens["chief"]
    )
    assert response.status_code == 422 and {"cost_waiver_recommendation", "ethics_attestation"} <= set(
        response.json["errors"]
    )
    waived = decision(cost_waiver_reason="Home Office strategic priority")
    assert client.post(f"/api/v1/requests/{rid}/decisions", json=waived, headers=tokens["chief"]).status_code == 201


def test_submitting_with_the_osja_assessment_incomplete_is_422_naming_each_missing_part(client, tokens):
    rid = client.post("/api/v1/requests", json=full_body(), headers=tokens["lead"]).json["id"]
    upload_letter(client, rid, tokens["lead"])
    refused = client.post(f"/api/v1/requests/{rid}/submit", headers=tokens["lead"])
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    # The body carried only the rating: every other part the guidance asks is named, and nothing else.
    assert sorted(name for name in refused.json["errors"] if name.startswith("osja.")) == sorted(
        f"osja.{part}" for part in osja.REQUIRED if part != "residual"
    )
    assert refused.json["errors"]["osja.consultees"] == "Add at least one consultee to the OSJA assessment"
    assert client.get(f"/api/v1/requests/{rid}", headers=tokens["lead"]).json["state"] == "draft"
    write_osja(client, rid, tokens["lead"])
    submitted = client.post(f"/api/v1/requests/{rid}/submit", headers=tokens["lead"])
    assert submitted.status_code == 200 and submitted.json["state"] == "awaiting_chief_officer"


def test_return_then_resubmit_through_the_api(client, tokens):
    rid = client.post("/api/v1/requests", json=full_body(), headers=tokens["lead"]).json["id"]
    upload_letter(client, rid, tokens["lead"])
    write_osja(client, rid, tokens["lead"])
    client.post(f"/api/v1/requests/{rid}/submit", headers=tokens["lead"])
    client.post(f"/api/v1/requests/{rid}/decisions", json=decision(), headers=tokens["chief"])
    returned = client.post(
        f"/api/v1/requests/{rid}/decisions", json=decision("return", reasons="Dates?"), headers=tokens["pcc"]
    )
    assert returned.json["state"] == "returned"
    client.patch(f"/api/v1/requests/{rid}", json={"destination": "BM"}, headers=tokens["lead"])
    resubmitted = client.post(f"/api/v1/requests/{rid}/submit", headers=tokens["lead"]).json
    assert resubmitted["state"] == "awaiting_chief_officer"
    # A material restart supersedes every standing decision, the PCC's return included (issue 22).
    assert [d["superseded"] for d in resubmitted["decisions"]] == [True, True]


def test_withdraw_needs_a_reason(client, tokens):
    rid = client.post("/api/v1/requests", json=full_body(), headers=tokens["lead"]).json["id"]
    assert client.post(f"/api/v1/requests/{rid}/withdraw", json={}, headers=tokens["lead"]).status_code == 422
    assert (
        client.post(f"/api/v1/requests/{rid}/withdraw", json={"reason": "Cancelled"}, headers=tokens["lead"]).json[
            "state"
        ]
        == "withdrawn"
    )


def test_publication_is_public_and_foi_needs_an_foi_token(client, people):
    assert client.get("/api/v1/reports/publication").json.keys() == {"period", "countries"}
    foi = token_for(make_user("foi2@gov.example", "foi_officer"))
    data = client.get("/api/v1/reports/foi?from=2026-01-01&to=2026-12-31", headers=foi).json
    assert data["totals"]["deployments"] == 0 and data["force"] is None
    assert client.get("/api/v1/reports/foi?from=bad&to=2026-12-31", headers=foi).status_code == 422
    xlsx = client.get("/api/v1/reports/foi?from=2026-01-01&to=2026-12-31&format=xlsx", headers=foi)
    assert xlsx.data[:2] == b"PK"


def test_unknown_api_paths_answer_in_problem_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_openapi_description_is_3_1_and_covers_every_api_route(client, app):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    # The document names path parameters as the routes do (request_id, not id): both come from one declaration.
    routed = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routed - documented == set(), "routes under /api/v1 missing from the OpenAPI document"
    assert documented - routed == set(), "operations documented that no route answers"


def _keys(node):
    if isinstance(node, dict):
        yield from node
        for value in node.values():
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


def test_the_document_speaks_json_schema_not_pydantic(client):
    # A pydantic constraint placed after a validator once came out as "ge"/"le", which no JSON Schema tool reads.
    spec = client.get("/api/v1/openapi.json").json
    assert set(_keys(spec)) & {"ge", "le", "gt", "lt", "min_length", "max_length"} == set()
    pence = spec["components"]["schemas"]["CostLineIn"]["properties"]["amount_pence"]
    assert (pence["type"], pence["minimum"], pence["maximum"]) == ("integer", 0, 10_000_000_000)


def test_nul_characters_are_refused_as_bad_input_not_a_server_error(client, tokens):
    # Found by the property run: PostgreSQL text cannot hold NUL, so it once reached the database as a 500.
    created = client.post("/api/v1/requests", json={"title": "\u0000"}, headers=tokens["lead"])
    assert created.status_code == 422 and created.mimetype == "application/problem+json"
    listed = client.get("/api/v1/requests?force=%00", headers=tokens["lead"])
    assert listed.status_code == 422


def test_null_for_an_answer_the_database_holds_is_422_not_a_server_error(client, tokens):
    # Found by the property run: "retrospective": null reached the NOT NULL column as a 500.
    rid = client.post("/api/v1/requests", json=full_body(), headers=tokens["lead"]).json["id"]
    response = client.patch(f"/api/v1/requests/{rid}", json={"retrospective": None}, headers=tokens["lead"])
    assert response.status_code == 422 and set(response.json["errors"]) == {"retrospective"}


@pytest.mark.parametrize("method", ["PATCH", "DELETE", "POST"])
def test_an_id_past_32_bits_is_404_for_every_method_not_a_405_with_a_wrong_allow(client, tokens, method):
    response = client.open(f"/api/v1/requests/{2**31}", method=method, json={}, headers=tokens["lead"])
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_a_405_names_the_allowed_methods(client, tokens):
    response = client.put("/api/v1/requests", json={}, headers=tokens["lead"])
    assert response.status_code == 405 and response.mimetype == "application/problem+json"
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_a_whole_number_sent_as_a_json_float_is_whole_pence(client, tokens):
    body = full_body(cost_lines=[{"category": "travel", "amount_pence": 9999999.0}])
    created = client.post("/api/v1/requests", json=body, headers=tokens["lead"])
    assert created.status_code == 201 and created.json["cost_lines"][0]["amount_pence"] == 9999999
    half = client.post(
        "/api/v1/requests",
        json=full_body(cost_lines=[{"category": "travel", "amount_pence": 1.5}]),
        headers=tokens["lead"],
    )
    assert half.status_code == 422 and "cost_lines.0.amount_pence" in half.json["errors"]


def test_the_documentation_page_is_served_from_this_service_under_the_csp(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    assert "/static/swagger-ui/swagger-ui-bundle.js" in html and "/static/api-docs.js" in html
    assert "<script>" not in html and "http" not in html.split("<body>")[1]  # no inline script, no CDN
    assert "/api/v1/docs" in client.get("/sign-in").get_data(as_text=True)  # linked from the footer
