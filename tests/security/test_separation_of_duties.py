"""Separation of duties, attacked through the API by a person who holds two deciding roles: they may decide
at most one gate of a request's current approval round, whatever returns or other gates came between."""

from sqlalchemy import select

from extensions import db
from models import GateDecision
from tests.conftest import make_request, make_user
from tests.integration.test_api import decision, token_for


def _submit(client, lead_token, request):
    assert client.post(f"/api/v1/requests/{request.id}/submit", headers=lead_token).status_code == 200


def test_a_chief_officer_who_also_holds_pcc_cannot_approve_after_a_return_and_resubmission(client, people):
    both = make_user("both@ny.example", "chief_officer", "pcc_office", force_slug="north-yorkshire")
    lead, dual, pcc = token_for(people["lead"]), token_for(both), token_for(people["pcc"])
    request = make_request(people["lead"])
    _submit(client, lead, request)
    assert client.post(f"/api/v1/requests/{request.id}/decisions", json=decision(), headers=dual).status_code == 201
    returned = decision("return", reasons="Confirm the dates with the host")
    assert client.post(f"/api/v1/requests/{request.id}/decisions", json=returned, headers=pcc).status_code == 201
    _submit(client, lead, request)  # nothing changed: back to the PCC gate

    attempt = client.post(f"/api/v1/requests/{request.id}/decisions", json=decision(), headers=dual)

    assert attempt.status_code == 422
    assert "separation_of_duties" in attempt.get_json()["errors"]
    assert db.session.scalars(select(GateDecision.gate).where(GateDecision.actor_id == both.id)).all() == [
        "awaiting_chief_officer"
    ]


def test_a_chief_officer_who_also_holds_home_office_cannot_consent_two_gates_later(client, people):
    both = make_user("both@gov.example", "chief_officer", "home_office", force_slug="north-yorkshire")
    lead, dual, pcc = token_for(people["lead"]), token_for(both), token_for(people["pcc"])
    request = make_request(people["lead"])
    _submit(client, lead, request)
    assert client.post(f"/api/v1/requests/{request.id}/decisions", json=decision(), headers=dual).status_code == 201
    assert client.post(f"/api/v1/requests/{request.id}/decisions", json=decision(), headers=pcc).status_code == 201

    attempt = client.post(f"/api/v1/requests/{request.id}/decisions", json=decision(), headers=dual)

    assert attempt.status_code == 422
    assert "separation_of_duties" in attempt.get_json()["errors"]


def test_returning_counts_as_deciding_at_that_gate(client, people):
    both = make_user("both@ny.example", "chief_officer", "pcc_office", force_slug="north-yorkshire")
    lead, dual, chief = token_for(people["lead"]), token_for(both), token_for(people["chief"])
    request = make_request(people["lead"])
    _submit(client, lead, request)
    returned = decision("return", reasons="Who invited you?")
    assert client.post(f"/api/v1/requests/{request.id}/decisions", json=returned, headers=dual).status_code == 201
    _submit(client, lead, request)
    assert client.post(f"/api/v1/requests/{request.id}/decisions", json=decision(), headers=chief).status_code == 201

    attempt = client.post(f"/api/v1/requests/{request.id}/decisions", json=decision(), headers=dual)

    assert attempt.status_code == 422


def test_the_same_person_may_decide_again_at_their_own_gate_after_a_return(client, people):
    lead, chief = token_for(people["lead"]), token_for(people["chief"])
    request = make_request(people["lead"])
    _submit(client, lead, request)
    returned = decision("return", reasons="Who invited you?")
    assert client.post(f"/api/v1/requests/{request.id}/decisions", json=returned, headers=chief).status_code == 201
    _submit(client, lead, request)
    assert client.post(f"/api/v1/requests/{request.id}/decisions", json=decision(), headers=chief).status_code == 201
