"""Who may waive cost recovery (issue 23 section 2): the power to charge, and so to waive, is the policing body's.
The chief officer recommends a waiver, the PCC records it, the Home Office and IPAB rely on the PCC's."""

import pytest

from approvals import workflow
from approvals.commands import Refused
from approvals.human_rights import ETHICS_CODE_URL
from extensions import db
from models import AssistanceRequest, FundingSource
from tests.conftest import make_request, positive, sign_in
from tests.integration.test_api import token_for


def rules(error):
    return {refusal.rule for refusal in error.value.refusals}


@pytest.fixture
def short(people):
    request = make_request(people["lead"], funding=[FundingSource(source="fcdo", amount_pence=500_000, committed=True)])
    workflow.submit(request.id, people["lead"])
    return request


def test_the_chief_officer_must_recommend_a_waiver_and_it_waives_nothing(people, short):
    with pytest.raises(Refused) as error:
        workflow.decide(short.id, people["chief"], positive())
    assert rules(error) == {"cost_waiver_recommendation"}
    decision = workflow.decide(short.id, people["chief"], positive(cost_waiver_reason="Force training priority"))
    assert decision.waiver_is_recommendation and decision.waiver_pence == 0 and decision.shortfall_pence > 0


def test_the_pcc_records_the_waiver_itself(people, short):
    workflow.decide(short.id, people["chief"], positive(cost_waiver_reason="Force training priority"))
    with pytest.raises(Refused) as error:
        workflow.decide(short.id, people["pcc"], positive())
    assert rules(error) == {"cost_shortfall"}
    decision = workflow.decide(short.id, people["pcc"], positive(cost_waiver_reason="Strategic priority"))
    assert decision.waiver_pence == decision.shortfall_pence > 0


def test_a_home_office_waiver_is_refused(people, short):
    workflow.decide(short.id, people["chief"], positive(cost_waiver_reason="Force training priority"))
    workflow.decide(short.id, people["pcc"], positive(cost_waiver_reason="Strategic priority"))
    with pytest.raises(Refused) as error:
        workflow.decide(short.id, people["home_office"], positive(cost_waiver_reason="We waive it"))
    assert rules(error) == {"cost_waiver_not_yours"}
    # The PCC's waiver stands for this round: the Home Office consents relying on it, and so does IPAB.
    workflow.decide(short.id, people["home_office"], positive())
    workflow.decide(short.id, people["ipab"], positive())
    assert db.session.get(AssistanceRequest, short.id).state == "approved"


def test_without_a_pcc_waiver_standing_this_round_the_national_gates_refuse(people, short):
    """The PCC's waiver is voided by a material change that restarts the round; a fully funded request then needs
    none, but a shortfall found later at the Home Office gate cannot be waived there."""
    workflow.decide(short.id, people["chief"], positive(cost_waiver_reason="Force training priority"))
    workflow.decide(short.id, people["pcc"], positive(cost_waiver_reason="Strategic priority"))
    request = db.session.get(AssistanceRequest, short.id)
    for decision in request.decisions:
        decision.superseded = True  # as a restarted round leaves them
    db.session.commit()
    with pytest.raises(Refused) as error:
        workflow.decide(short.id, people["home_office"], positive())
    assert rules(error) == {"cost_waiver_not_yours"}


def test_a_home_office_waiver_through_the_api_is_refused_by_name_and_it_sees_the_pccs(client, people, short):
    workflow.decide(short.id, people["chief"], positive(cost_waiver_reason="Force training priority"))
    workflow.decide(short.id, people["pcc"], positive(cost_waiver_reason="Strategic priority"))
    headers = token_for(people["home_office"])
    body = {"outcome": "positive", "ethics_confirmed": True, "human_rights": {"residual": "low"}}
    response = client.post(
        f"/api/v1/requests/{short.id}/decisions", json={**body, "cost_waiver_reason": "We waive it"}, headers=headers
    )
    assert response.status_code == 422 and set(response.json["errors"]) == {"cost_waiver_not_yours"}
    shown = client.get(f"/api/v1/requests/{short.id}", headers=headers).json["decisions"]
    assert [(d["cost_waiver"], d["cost_waiver_reason"]) for d in shown] == [
        ("recommended", "Force training priority"),
        ("waived", "Strategic priority"),
    ]
    assert client.post(f"/api/v1/requests/{short.id}/decisions", json=body, headers=headers).status_code == 201


def test_the_decision_pages_word_the_waiver_by_gate(client, people, short):
    sign_in(client, people["chief"])
    page = client.get(f"/requests/{short.id}/decide").get_data(as_text=True)
    assert "Reasons for recommending that the PCC waive cost recovery" in page
    workflow.decide(short.id, people["chief"], positive(cost_waiver_reason="Force training priority"))
    workflow.decide(short.id, people["pcc"], positive(cost_waiver_reason="Strategic priority"))
    client.post("/sign-out")
    sign_in(client, people["home_office"])
    page = client.get(f"/requests/{short.id}/decide").get_data(as_text=True)
    assert "Cost recovery waived by the PCC" in page and "Strategic priority" in page
    assert 'name="cost_waiver_reason"' not in page


def test_the_code_of_ethics_is_the_2024_code(client, people, short):
    sign_in(client, people["chief"])
    page = client.get(f"/requests/{short.id}/decide").get_data(as_text=True)
    assert "courage, respect and empathy, and public service" in page and ETHICS_CODE_URL in page
    for old in ("selflessness", "objectivity", "openness", "leadership"):
        assert old not in page.lower()
