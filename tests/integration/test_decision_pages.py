
"""Decisions through the pages: cost recovery and human-rights rules enforced at each gate, each refusal named."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from approvals import workflow
from extensions import db
from models import AssistanceRequest, FundingSource, GateDecision
from tests.conftest import advance, make_request, make_user, positive, sign_in


def decide(client, request, **fields):
    data = {"outcome": "positive", "hr_residual": "low", "ethics_confirmed": "y", "version": str(request.version)}
    data.update(fields)
    return client.post(f"/requests/{request.id}/decide", data=data)


@pytest.fixture
def waiting(people):
    return advance(make_request(people["lead"]), people, until="awaiting_chief_officer")


def test_the_chief_officer_recommends_through_the_page(client, people, waiting):
    sign_in(client, people["chief"])
    page = client.get(f"/requests/{waiting.id}/decide").get_data(as_text=True)
    assert "Chief officer recommendation" in page and "Code of Ethics" in page and "Shortfall" in page
    response = decide(client, waiting)
    assert response.status_code == 302
    assert db.session.get(AssistanceRequest, waiting.id).state == "awaiting_pcc"


def test_no_code_of_ethics_attestation_no_decision(client, people, waiting):
    sign_in(client, people["chief"])
    page = decide(client, waiting, ethics_confirmed="").get_data(as_text=True)
    assert "Confirm the decision has considered the Code of Ethics" in page and "Error: " in page
    assert db.session.get(AssistanceRequest, waiting.id).state == "awaiting_chief_officer"


def test_a_shortfall_refuses_a_positive_decision_until_a_waiver_reason_is_given(client, people):
    request = make_request(
        people["lead"],
        funding=[
            FundingSource(source="fcdo", amount_pence=500_000, committed=True),
            FundingSource(source="requesting_country", amount_pence=1_000_000, committed=False),
        ],
    )
    advance(request, people, until="awaiting_chief_officer")
    sign_in(client, people["chief"])
    page = decide(client, request).get_data(as_text=True)
    assert "Costs are not fully recovered: the shortfall is £10,000.00" in page
    assert "recommending that the PCC waive cost recovery" in page
    assert db.session.get(AssistanceRequest, request.id).state == "awaiting_chief_officer"
    response = decide(client, request, cost_waiver_reason="Home Office-funded strategic priority")
    assert response.status_code == 302
    decision = db.session.scalars(select(GateDecision)).one()
    # The chief officer only recommends the waiver: nothing is waived until the PCC records it.
    assert (decision.shortfall_pence, decision.waiver_pence, decision.cost_waiver_reason) == (
        1_000_000,
        0,
        "Home Office-funded strategic priority",
    )
    # The recommendation, its author and the shortfall are shown to the next gate.
    client.post("/sign-out")
    sign_in(client, people["pcc"])
    page = client.get(f"/requests/{request.id}/decide").get_data(as_text=True)
    assert "Shortfall £10,000.00, recommended by chief" in page
    assert "Home Office-funded strategic priority" in page


def test_a_serious_residual_risk_blocks_a_positive_decision_but_allows_a_decline(client, people, waiting):
    sign_in(client, people["chief"])
    page = decide(
        client,
        waiting,
        hr_residual="serious",
        hr_risks="torture",
        hr_likelihood="likely",
        hr_mitigations="None possible",
    ).get_data(as_text=True)
    assert "The residual human-rights risk is serious" in page
    response = decide(
        client,
        waiting,
        outcome="decline",
        reasons="Risk of complicity in torture",
        hr_residual="serious",
        hr_risks="torture",
        hr_likelihood="likely",
    )
    assert response.status_code == 302
    assert db.session.get(AssistanceRequest, waiting.id).state == "declined"


def test_high_risk_needs_mitigations_and_the_home_office_a_ministerial_decision(client, people, waiting):
    # A request submitted before submission needed the assessment complete (issue 24) may have no mitigations: then
    # a decider who raises the rating to high must write some.
    waiting.hr_mitigations = None
    db.session.commit()
    sign_in(client, people["chief"])
    page = decide(
        client, waiting, hr_residual="high", hr_risks="arbitrary_detention", hr_likelihood="possible"
    ).get_data(as_text=True)
    assert "The residual risk is high: describe the mitigations" in page
    assert (
        decide(
            client,
            waiting,
            hr_residual="high",
            hr_risks="arbitrary_detention",
            hr_likelihood="possible",
            hr_mitigations="Training limited to lawful detention standards",
        ).status_code
        == 302
    )
    db.session.refresh(waiting)
    high = {
        "hr_residual": "high",
        "hr_risks": "arbitrary_detention",
        "hr_likelihood": "possible",
        "hr_mitigations": "Same",
    }
    workflow.decide(
        waiting.id,
        people["pcc"],
        positive("high", hr=None)
        if False
        else workflow.DecisionInput(
            "positive",
            hr=workflow.human_rights.Assessment(["arbitrary_detention"], "possible", "Same", "high"),
            ethics_confirmed=True,
        ),
    )
    db.session.refresh(waiting)
    client.post("/sign-out")
    sign_in(client, people["home_office"])
    page = client.get(f"/requests/{waiting.id}/decide").get_data(as_text=True)
    assert "consented only with the ministers' decision" in page
    page = decide(client, waiting, **high).get_data(as_text=True)
    assert "record the ministerial decision (minister, date and rationale)" in page
    # The old acknowledgement tick is accepted and ignored (issue 17): it no longer stands for ministers.
    page = decide(client, waiting, ministerial_attention_acknowledged="y", **high).get_data(as_text=True)
    assert "record the ministerial decision" in page
    # Asked to record the ministers' decision, every part of it is needed, each named.
    page = decide(client, waiting, record_ministerial_decision="y", **high).get_data(as_text=True)
    assert "Enter the minister who decided" in page and "Enter the minister&#39;s rationale" in page
    yesterday = date.today() - timedelta(days=1)
    response = client.post(
        f"/requests/{waiting.id}/decide",
        data=MultiDict(
            [
                ("outcome", "positive"),
                ("ethics_confirmed", "y"),
                ("version", str(waiting.version)),
                *high.items(),
                ("record_ministerial_decision", "y"),
                ("minister", "Minister of State for Security"),
                ("ministerial_decided_on", str(yesterday.day)),
                ("ministerial_decided_on", str(yesterday.month)),
                ("ministerial_decided_on", str(yesterday.year)),
                ("ministerial_rationale", "Proceed with the mitigations described"),
            ]
        ),
    )
    assert response.status_code == 302
    consent = db.session.get(AssistanceRequest, waiting.id).decisions[-1]
    assert consent.ministerial_decision == {
        "minister": "Minister of State for Security",
        "decided_on": yesterday.isoformat(),
        "rationale": "Proceed with the mitigations described",
    }
    assert consent.ministerial_attention_acknowledged is False
    assert db.session.get(AssistanceRequest, waiting.id).state == "awaiting_ipab"


def test_lowering_the_rating_needs_a_reason(client, people, waiting):
    workflow.decide(
        waiting.id,
        people["chief"],
        workflow.DecisionInput(
            "positive",
            hr=workflow.human_rights.Assessment(["discrimination"], "possible", "Briefing", "medium"),
            ethics_confirmed=True,
        ),
    )
    db.session.refresh(waiting)
    sign_in(client, people["pcc"])
    page = decide(client, waiting, hr_residual="low").get_data(as_text=True)
    assert "You lowered the residual risk from medium to low" in page
    assert (
        decide(
            client, waiting, hr_residual="low", hr_lowering_reason="Host agreed to independent monitoring"
        ).status_code
        == 302
    )


def test_the_page_prefills_the_previous_gates_assessment_and_shows_them_side_by_side(client, people, waiting):
    workflow.decide(
        waiting.id,
        people["chief"],
        workflow.DecisionInput(
            "positive",
            hr=workflow.human_rights.Assessment(["unfair_trial"], "remote", "Observers", "medium"),
            ethics_confirmed=True,
            ethics_notes="Discussed with the ethics committee",
        ),
    )
    db.session.refresh(waiting)
    sign_in(client, people["pcc"])
    page = client.get(f"/requests/{waiting.id}/decide").get_data(as_text=True)
    # The PCC office is not asked to retype the assessment: it agrees with the rating standing, or gives its own.
    assert "I agree with the residual rating: Medium" in page and 'value="medium" checked' not in page
    assert "Discussed with the ethics committee" in page and "Chief officer recommendation" in page


def test_returning_needs_questions_which_the_lead_then_sees(client, people, waiting):
    sign_in(client, people["chief"])
    assert "List the questions for the submitter" in decide(client, waiting, outcome="return").get_data(as_text=True)
    assert decide(client, waiting, outcome="return", reasons="Who pays for insurance?").status_code == 302
    client.post("/sign-out")
    sign_in(client, people["lead"])
    assert "Who pays for insurance?" in client.get(f"/requests/{waiting.id}").get_data(as_text=True)


def test_a_stale_page_is_told_the_request_changed_and_nothing_is_lost(client, people, waiting):
    sign_in(client, people["chief"])
    stale_version = waiting.version
    workflow.withdraw(waiting.id, people["lead"], "Host cancelled")
    response = decide(client, waiting, version=str(stale_version), reasons="My careful reasoning")
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "This request is not waiting for a decision: it is withdrawn" in page
    assert "My careful reasoning" in page
    assert db.session.scalars(select(GateDecision)).all() == []


def test_a_stale_version_at_the_same_gate_re_renders_with_the_answers_kept(client, people, waiting):
    sign_in(client, people["chief"])
    response = decide(client, waiting, version=str(waiting.version - 1), reasons="My careful reasoning")
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "This request has changed since you opened it" in page
    assert "My careful reasoning" in page
    assert db.session.get(AssistanceRequest, waiting.id).state == "awaiting_chief_officer"


def test_a_pcc_of_another_force_cannot_open_the_decision_page(client, people):
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    sign_in(client, people["other_pcc"])
    assert client.get(f"/requests/{request.id}/decide").status_code == 404
    assert decide(client, request).status_code == 404


def test_a_chief_officer_deciding_at_the_pcc_gate_is_told_the_request_moved_on(client, people):
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    sign_in(client, people["chief"])
    response = decide(client, request)
    assert response.status_code == 409
    assert "This request has moved on: it is now awaiting PCC approval" in response.get_data(as_text=True)
    assert db.session.get(AssistanceRequest, request.id).state == "awaiting_pcc"


def test_inbox_lists_what_waits_for_me_most_overdue_first(client, people):
    first = advance(make_request(people["lead"], title="First"), people, until="awaiting_chief_officer")
    second = advance(
        make_request(people["lead"], title="Second", urgent=True, urgent_reason="Earthquake"),
        people,
        until="awaiting_chief_officer",
    )
    advance(make_request(people["other_lead"], title="Elsewhere"), people, until="awaiting_chief_officer")
    sign_in(client, people["chief"])
    page = client.get("/").get_data(as_text=True)
    assert "Elsewhere" not in page
    assert page.index(second.reference) < page.index(first.reference)  # urgent: due sooner
    assert "<li>2 awaiting chief officer recommendation</li>" in page


def test_national_inbox_sees_every_forces_requests_at_its_gate(client, people):
    ours = advance(make_request(people["lead"]), people, until="awaiting_home_secretary")
    theirs = advance(make_request(people["other_lead"]), people, until="awaiting_home_secretary")
    sign_in(client, people["home_office"])
    page = client.get("/").get_data(as_text=True)
    assert ours.reference in page and theirs.reference in page


def test_decided_by_me(client, people, waiting):
    workflow.decide(waiting.id, people["chief"], positive())
    sign_in(client, people["chief"])
    assert waiting.reference in client.get("/decided").get_data(as_text=True)


def test_the_lead_sees_approved_and_the_whole_timeline(client, people):
    request = advance(make_request(people["lead"]), people)
    sign_in(client, people["lead"])
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    for title in (
        "Request started",
        "Submitted",
        "Recommended by the chief officer",
        "Approved by the PCC",
        "Home Secretary consented",
        "IPAB confirmed alignment with UK international objectives",
    ):
        assert title in page
    assert "Approved" in page


def test_superseded_decisions_are_shown_as_such(client, people):
    from approvals import drafts

    request = advance(make_request(people["lead"]), people, until="awaiting_home_secretary")
    workflow.decide(
        request.id,
        people["home_office"],
        workflow.DecisionInput(
            "return", "Destination?", hr=workflow.human_rights.Assessment(residual="low"), ethics_confirmed=True
        ),
    )
    db.session.refresh(request)
    drafts.update_fields(request.id, people["lead"], {"destination": "MS"})
    workflow.submit(request.id, people["lead"])
    sign_in(client, people["chief"])
    page = client.get(f"/requests/{request.id}/decide").get_data(as_text=True)
    # A material restart supersedes every standing decision, the Home Office's return included (issue 22).
    assert page.count("Superseded") == 3


def test_a_decision_that_loses_to_another_is_told_the_request_moved_on_with_its_answers_kept(client, people, waiting):
    second_chief = make_user("chief2@ny.example", "chief_officer", force_slug="north-yorkshire")
    sign_in(client, second_chief)
    seen_version = waiting.version
    workflow.decide(waiting.id, people["chief"], positive())  # the first chief officer got there first
    response = decide(client, waiting, version=str(seen_version), reasons="My careful reasoning")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This request has moved on: it is now awaiting PCC approval" in page
    assert "My careful reasoning" in page and "Only the" not in page
    assert len(db.session.get(AssistanceRequest, waiting.id).decisions) == 1
