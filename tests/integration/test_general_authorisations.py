"""General authorisations (issue 23 section 1): section 26(3) lets the power be exercised "in accordance with a
general authorisation" instead of an individual Home Secretary consent. A covered request skips the Home Office
gate; a revoked authorisation or a call-in sends it there."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from approvals import route, workflow
from approvals.commands import Forbidden, Refused, WrongState
from extensions import db
from models import AssistanceRequest, AuditEvent, AuthorisationEvent, OutboxMessage
from tests.conftest import make_request, positive, sign_in
from tests.integration.test_api import token_for

TODAY = date.today()


def authorise(people, reference="GA-2026-01", **overrides):
    values = dict(
        reference=reference,
        title="Training in the Caribbean Overseas Territories",
        countries=[],
        purposes=[],
        assistance_kinds=[],
        max_personnel=10,
        max_days=60,
        max_cost_pence=10_000_000,
        valid_from=TODAY - timedelta(days=30),
        valid_to=TODAY + timedelta(days=400),
        conditions="Report to the Home Office within 30 days of return",
    )
    values.update(overrides)
    return route.record(people["home_office"], route.AuthorisationInput(**values))


def named(people, reference="GA-2026-01", **overrides):
    request = make_request(people["lead"], general_authorisation=reference, **overrides)
    workflow.submit(request.id, people["lead"])
    return request


def through_pcc(people, request):
    workflow.decide(request.id, people["chief"], positive())
    workflow.decide(request.id, people["pcc"], positive())
    db.session.refresh(request)
    return request


def events(request):
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.request_id == request.id).order_by(AuditEvent.seq)
    ).all()


def test_a_covered_request_skips_the_home_office_gate(people):
    authorise(people)
    request = through_pcc(people, named(people))
    assert request.state == "awaiting_ipab" and request.consent_basis == "general_authorisation"
    approve = events(request)[-1]
    assert approve.event == "approve" and approve.to_state == "awaiting_ipab"
    assert "Covered by general authorisation GA-2026-01" in approve.reasons
    assert "Report to the Home Office within 30 days" in approve.reasons
    told = [m for m in db.session.scalars(select(OutboxMessage)) if m.context.get("what") == "approved by the PCC"]
    assert told and all("Covered by general authorisation GA-2026-01" in m.context["note"] for m in told)
    workflow.decide(request.id, people["ipab"], positive())
    db.session.refresh(request)
    assert request.state == "approved" and all(d.gate != "awaiting_home_secretary" for d in request.decisions)


def test_the_same_request_after_its_authorisation_is_revoked_goes_to_the_home_office(people):
    authorise(people)
    request = named(people)
    workflow.decide(request.id, people["chief"], positive())
    route.revoke("GA-2026-01", people["home_office"], "Superseded by a new authorisation")
    workflow.decide(request.id, people["pcc"], positive())
    db.session.refresh(request)
    assert request.state == "awaiting_home_secretary" and request.consent_basis == "individual_consent"
    # The lead is told why.
    note = next(
        m
        for m in db.session.scalars(select(OutboxMessage))
        if m.recipient == people["lead"].email and m.context.get("what") == "approved by the PCC"
    )
    assert "Not covered by general authorisation GA-2026-01" in note.context["note"]
    assert "revoked" in note.context["note"]


def test_a_called_in_request_waits_at_the_home_office_gate(people):
    authorise(people)
    request = through_pcc(people, named(people))
    workflow.call_in(request.id, people["home_office"], "Novel destination for this force")
    db.session.refresh(request)
    assert request.state == "awaiting_home_secretary" and request.consent_basis == "individual_consent"
    assert events(request)[-1].event == "call_in" and events(request)[-1].reasons == "Novel destination for this force"
    with pytest.raises(WrongState):
        workflow.call_in(request.id, people["home_office"], "Again")
    workflow.decide(request.id, people["home_office"], positive())
    db.session.refresh(request)
    assert request.state == "awaiting_ipab"


def test_a_request_called_in_before_the_pcc_approves_goes_to_the_home_office(people):
    authorise(people)
    request = named(people)
    workflow.call_in(request.id, people["home_office"], "Ministers asked to see it")
    db.session.refresh(request)
    assert request.state == "awaiting_chief_officer"
    assert through_pcc(people, request).state == "awaiting_home_secretary"


def test_only_the_home_office_calls_in_and_only_requests_on_the_route(people):
    authorise(people)
    plain = make_request(people["lead"])
    workflow.submit(plain.id, people["lead"])
    with pytest.raises(Forbidden):
        workflow.call_in(plain.id, people["ipab"], "Not mine")
    with pytest.raises(WrongState):
        workflow.call_in(plain.id, people["home_office"], "No authorisation named")
    covered = named(people)
    with pytest.raises(Refused):
        workflow.call_in(covered.id, people["home_office"], "  ")


def test_submitting_outside_the_scope_is_refused_naming_each_dimension(people):
    authorise(people, countries=["MS"], purposes=["public_order"], max_personnel=1, max_days=2)
    request = make_request(people["lead"], general_authorisation="GA-2026-01")
    with pytest.raises(Refused) as error:
        workflow.submit(request.id, people["lead"])
    [refusal] = error.value.refusals
    assert refusal.rule == "general_authorisation_out_of_scope"
    for dimension in ("countries", "purposes", "personnel", "days"):
        assert f"{dimension}:" in refusal.message
    assert "cost:" not in refusal.message
    assert db.session.get(AssistanceRequest, request.id).state == "draft"


def test_recording_and_revoking_are_the_home_offices_and_audited(people):
    with pytest.raises(Forbidden):
        authorise(people | {"home_office": people["pcc"]})
    authorisation = authorise(people)
    with pytest.raises(Refused) as error:
        authorise(people)
    assert {r.rule for r in error.value.refusals} == {"reference"}
    with pytest.raises(Refused):
        route.revoke("GA-2026-01", people["home_office"], "")
    route.revoke("GA-2026-01", people["home_office"], "Withdrawn by the Home Secretary")
    with pytest.raises(WrongState):
        route.revoke("GA-2026-01", people["home_office"], "Again")
    logged = db.session.scalars(
        select(AuthorisationEvent).where(AuthorisationEvent.authorisation_id == authorisation.id)
    )
    assert [(e.event, e.actor_id) for e in logged] == [
        ("recorded", people["home_office"].id),
        ("revoked", people["home_office"].id),
    ]


# --- The API ---------------------------------------------------------------------------------------------------


BODY = {
    "reference": "GA-2026-07",
    "title": "Non-operational training, any country",
    "countries": [],
    "purposes": ["training", "mentoring"],
    "assistance_kinds": ["deployment_overseas", "training_in_uk"],
    "max_personnel": 12,
    "max_days": 90,
    "max_cost_pence": 5_000_000,
    "valid_from": (TODAY - timedelta(days=1)).isoformat(),
    "valid_to": (TODAY + timedelta(days=365)).isoformat(),
    "conditions": "No operational activity",
}


def test_the_api_records_lists_and_revokes_general_authorisations(client, people):
    home_office = token_for(people["home_office"])
    created = client.post("/api/v1/general-authorisations", json=BODY, headers=home_office)
    assert created.status_code == 201 and created.json["in_force"] is True
    assert created.json["purposes"] == ["mentoring", "training"]
    lead = token_for(people["lead"])
    assert client.post("/api/v1/general-authorisations", json=BODY, headers=lead).status_code == 403
    listed = client.get("/api/v1/general-authorisations", headers=lead).json["items"]
    assert [a["reference"] for a in listed] == ["GA-2026-07"]
    # The contract enumerates the countries, so an unknown code is refused with the body's shape, before the rule
    # across fields (the dates in order) is asked: each is its own 422 naming its field.
    bad = client.post(
        "/api/v1/general-authorisations",
        json={**BODY, "reference": "GA-2026-08", "countries": ["ZZ"]},
        headers=home_office,
    )
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"countries.0"}
    bad = client.post(
        "/api/v1/general-authorisations",
        json={**BODY, "reference": "GA-2026-08", "valid_to": "2000-01-01"},
        headers=home_office,
    )
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"valid_to"}
    revoked = client.post(
        "/api/v1/general-authorisations/ga-2026-07/revoke", json={"reason": "Replaced"}, headers=home_office
    )
    assert revoked.status_code == 200 and revoked.json["revoked_reason"] == "Replaced"
    assert revoked.json["in_force"] is False
    missing = client.post("/api/v1/general-authorisations/GA-NONE/revoke", json={"reason": "x"}, headers=home_office)
    assert missing.status_code == 404


def test_a_request_names_one_through_the_api_and_shows_its_consent_basis(client, people):
    from tests.integration.test_api import full_body, upload_letter

    home_office, lead = token_for(people["home_office"]), token_for(people["lead"])
    client.post("/api/v1/general-authorisations", json={**BODY, "max_personnel": 1}, headers=home_office)
    unknown = client.post("/api/v1/requests", json={**full_body(), "general_authorisation": "GA-X"}, headers=lead)
    assert unknown.status_code == 422 and "general_authorisation" in unknown.json["errors"]
    created = client.post("/api/v1/requests", json={**full_body(), "general_authorisation": "GA-2026-07"}, headers=lead)
    rid = created.json["id"]
    assert created.json["consent_basis"] == "general_authorisation"
    upload_letter(client, rid, lead)
    refused = client.post(f"/api/v1/requests/{rid}/submit", headers=lead)
    assert refused.status_code == 422
    assert "personnel:" in refused.json["errors"]["general_authorisation_out_of_scope"]


def test_the_home_office_calls_a_request_in_through_the_api(client, people):
    authorise(people)
    request = through_pcc(people, named(people))
    home_office = token_for(people["home_office"])
    covered = client.get("/api/v1/general-authorisations/covered", headers=home_office).json["items"]
    assert [r["id"] for r in covered] == [request.id] and covered[0]["consent_basis"] == "general_authorisation"
    assert client.post(f"/api/v1/requests/{request.id}/call-in", json={}, headers=home_office).status_code == 422
    called = client.post(
        f"/api/v1/requests/{request.id}/call-in", json={"reasons": "Sensitive partner"}, headers=home_office
    )
    assert called.status_code == 200 and called.json["state"] == "awaiting_home_secretary"
    assert called.json["consent_basis"] == "individual_consent"
    assert called.json["called_in"]["reasons"] == "Sensitive partner"
    again = client.post(f"/api/v1/requests/{request.id}/call-in", json={"reasons": "x"}, headers=home_office)
    assert again.status_code == 409
    assert client.get("/api/v1/general-authorisations/covered", headers=home_office).json["items"] == []


# --- The pages ---------------------------------------------------------------------------------------------------


def test_the_home_office_records_one_through_the_pages(client, people):
    sign_in(client, people["home_office"])
    page = client.get("/general-authorisations/new").get_data(as_text=True)
    assert "Record a general authorisation" in page
    data = {
        "reference": "GA-2026-09",
        "title": "Hosted delegations",
        "countries": "",
        "assistance_kinds": ["hosted_delegation"],
        "max_personnel": "20",
        "max_days": "",
        "max_cost": "",
        "valid_from": [TODAY.day, TODAY.month, TODAY.year],
        "valid_to": ["", "", ""],
        "conditions": "",
    }
    page = client.post("/general-authorisations/new", data=data).get_data(as_text=True)
    assert "Error: " in page and "Enter the date it is in force until" in page and "GA-2026-09" in page
    data["valid_to"] = [1, 1, TODAY.year + 1]
    response = client.post("/general-authorisations/new", data=data)
    assert response.status_code == 302
    page = client.get("/general-authorisations/GA-2026-09").get_data(as_text=True)
    assert "Hosted delegations" in page and "An overseas delegation hosted in the UK" in page
    response = client.post("/general-authorisations/GA-2026-09/revoke", data={"reason": "Replaced"})
    assert response.status_code == 302
    assert route.find("GA-2026-09").revoked_reason == "Replaced"


def test_the_home_office_calls_in_through_the_pages_and_the_lead_cannot(client, people):
    authorise(people)
    request = named(people)
    sign_in(client, people["lead"])
    assert client.get("/general-authorisations/covered").status_code == 403
    assert client.get(f"/requests/{request.id}/call-in").status_code == 403
    client.post("/sign-out")
    sign_in(client, people["home_office"])
    page = client.get("/general-authorisations/covered").get_data(as_text=True)
    assert request.reference in page and "Require individual consent" in page
    page = client.post(f"/requests/{request.id}/call-in", data={"reasons": ""}).get_data(as_text=True)
    assert "Error: " in page and "Enter why individual consent is required" in page
    response = client.post(f"/requests/{request.id}/call-in", data={"reasons": "Ministers asked"})
    assert response.status_code == 302
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "Called in by the Home Office" in page and "Ministers asked" in page
