"""Travel connected with UK police work skips section 26; the force's chief officers are told and can call it in
("Needs section 26 approval"), which turns it back into a draft on the normal route (issue 26 §3)."""

import re

import pytest
from sqlalchemy import select

from approvals import workflow
from extensions import db
from models import AssistanceRequest, OutboxMessage
from tests.conftest import make_request, sign_in
from tests.integration.test_api import token_for


@pytest.fixture
def uk_work(people):
    request = make_request(people["lead"], uk_investigation=True, uk_investigation_justification="Witness interview")
    workflow.submit(request.id, people["lead"])
    assert request.state == "not_required"
    return request


def test_the_chief_officer_is_emailed_each_one_and_told_they_can_call_it_in(uk_work, people):
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.request_id == uk_work.id)).all()
    to_chief = [row for row in rows if row.recipient == people["chief"].email]
    assert len(to_chief) == 1 and to_chief[0].context["call_in"] is True
    assert all(row.context.get("call_in") is not True for row in rows if row.recipient == people["lead"].email)


def test_calling_it_in_makes_a_draft_that_goes_to_the_chief_officer(uk_work, people):
    workflow.require_approval(uk_work.id, people["chief"], "The Kenyan police benefit from the interviews")
    db.session.refresh(uk_work)
    assert (uk_work.state, uk_work.uk_investigation) == ("draft", False)
    workflow.submit(uk_work.id, people["lead"])
    assert uk_work.state == "awaiting_chief_officer"


def test_only_the_forces_chief_officer_may_call_it_in_and_only_with_reasons(uk_work, people):
    for who, status in (("lead", 403), ("other_chief", 404), ("pcc", 403)):
        with pytest.raises(workflow.WorkflowError) as error:
            workflow.require_approval(uk_work.id, people[who], "Reasons")
        assert error.value.status == status, who
    with pytest.raises(workflow.Refused):
        workflow.require_approval(uk_work.id, people["chief"], "  ")
    waiting = make_request(people["lead"])
    workflow.submit(waiting.id, people["lead"])
    with pytest.raises(workflow.WrongState):
        workflow.require_approval(waiting.id, people["chief"], "Reasons")


def test_the_page_and_the_api_twin(app, uk_work, people):
    client = app.test_client()
    sign_in(client, people["chief"])
    page = client.get(f"/requests/{uk_work.id}").get_data(as_text=True)
    assert "Needs section 26 approval" in page and "Witness interview" in page
    form = client.get(f"/requests/{uk_work.id}/require-approval").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    refused = client.post(f"/requests/{uk_work.id}/require-approval", data={"reasons": "", "version": version})
    assert refused.status_code == 200 and "Enter why the request needs section 26 approval" in refused.get_data(
        as_text=True
    )

    api = app.test_client()
    headers = token_for(people["chief"])
    bad = api.post(f"/api/v1/requests/{uk_work.id}/require-approval", json={}, headers=headers)
    assert bad.status_code == 422 and "reasons" in bad.get_json()["errors"]
    lead = api.post(
        f"/api/v1/requests/{uk_work.id}/require-approval", json={"reasons": "x"}, headers=token_for(people["lead"])
    )
    assert lead.status_code == 403
    done = api.post(f"/api/v1/requests/{uk_work.id}/require-approval", json={"reasons": "Benefit"}, headers=headers)
    assert done.status_code == 200 and done.get_json()["state"] == "draft"
    assert db.session.get(AssistanceRequest, uk_work.id).state == "draft"
    mail = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.request_id == uk_work.id, OutboxMessage.recipient == people["lead"].email
        )
    ).all()
    assert any(m.context.get("event") == "require_approval" and m.context.get("questions") == "Benefit" for m in mail)
