"""What an approval produces and what is recorded after it (issue 18: conditions and the authority letter; issue 26
section 1: the deployment record checked against the approval, and its corrections)."""

import hashlib
import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from approvals import letters, records, returns, workflow
from approvals.human_rights import Assessment
from extensions import db
from models import AuditEvent, CostLine, Document, FundingSource, GateDecision, OutboxMessage, PersonalDataView
from tests.conftest import advance, make_request, positive, sign_in
from tests.integration.test_api import token_for

NO_INTERVIEWS = "No participation in interviews of detained persons"
EMBASSY = "Officers to report any concern to the UK embassy within 24 hours"


def pdf_text(content):
    """Every word the PDF shows, whitespace collapsed (table cells wrap lines)."""
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split()), reader


def _approve_with_conditions(people, **overrides):
    request = make_request(people["lead"], **overrides)
    workflow.submit(request.id, people["lead"])
    workflow.decide(request.id, people["chief"], positive(conditions=[NO_INTERVIEWS]))
    workflow.decide(request.id, people["pcc"], positive(conditions=[EMBASSY]))
    advance(request, people)
    return request


def _standing(request):
    db.session.refresh(request)
    return workflow.standing_conditions(request)


# --- Conditions -----------------------------------------------------------------------------------------------


def test_conditions_are_kept_with_the_gate_and_person_and_carried_through_deploy_and_close(people):
    request = _approve_with_conditions(people)
    conditions = _standing(request)
    assert [(c.text, c.gate, c.set_by.email) for c in conditions] == [
        (NO_INTERVIEWS, "awaiting_chief_officer", "chief@ny.example"),
        (EMBASSY, "awaiting_pcc", "pcc@ny.example"),
    ]
    with pytest.raises(workflow.Refused, match="briefed"):
        workflow.deploy(request.id, people["lead"])
    workflow.deploy(request.id, people["lead"], conditions_briefed=True)
    assert request.state == "deployed" and request.conditions_briefed_at is not None
    first, second = conditions
    with pytest.raises(workflow.Refused, match="Say whether condition 1 was met"):
        workflow.close(request.id, people["lead"], 1_000_000, 1_000_000)
    with pytest.raises(workflow.Refused, match="Say why condition 2 was not met"):
        workflow.close(
            request.id,
            people["lead"],
            1_000_000,
            1_000_000,
            conditions=[records.ConditionReport(first.id, True), records.ConditionReport(second.id, False)],
        )
    workflow.close(
        request.id,
        people["lead"],
        1_000_000,
        1_000_000,
        conditions=[
            records.ConditionReport(first.id, True),
            records.ConditionReport(second.id, False, "The embassy was closed for two days"),
        ],
    )
    conditions = _standing(request)
    assert [(c.met, c.note) for c in conditions] == [(True, None), (False, "The embassy was closed for two days")]
    assert request.state == "closed"


def test_conditions_belong_to_a_positive_decision_only(people):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    decline = workflow.DecisionInput(
        "decline", "No", hr=Assessment(residual="low"), ethics_confirmed=True, conditions=["Something"]
    )
    with pytest.raises(workflow.Refused, match="only be attached to a positive decision"):
        workflow.decide(request.id, people["chief"], decline)
    with pytest.raises(workflow.Refused, match="at most 20"):
        workflow.decide(request.id, people["chief"], positive(conditions=[f"Condition {n}" for n in range(21)]))


def test_a_material_restart_supersedes_the_conditions_with_the_decisions(people):
    from approvals import drafts

    request = make_request(people["lead"])
    workflow.submit(request.id, people["lead"])
    workflow.decide(request.id, people["chief"], positive(conditions=[NO_INTERVIEWS]))
    workflow.decide(
        request.id,
        people["pcc"],
        workflow.DecisionInput("return", "Which unit?", hr=Assessment(residual="low"), ethics_confirmed=True),
    )
    drafts.update_fields(request.id, people["lead"], {"destination": "NA"})  # material: restarts at the chief
    workflow.submit(request.id, people["lead"])
    db.session.refresh(request)
    assert request.state == "awaiting_chief_officer"
    assert _standing(request) == [] and request.conditions[0].superseded


def test_the_request_page_and_the_api_show_the_conditions_and_which_were_not_met(client, people):
    request = _approve_with_conditions(people)
    workflow.deploy(request.id, people["lead"], conditions_briefed=True)
    first, second = _standing(request)
    workflow.close(
        request.id,
        people["lead"],
        1_000_000,
        900_000,
        conditions=[records.ConditionReport(first.id, True), records.ConditionReport(second.id, False, "No signal")],
    )
    sign_in(client, people["pcc"])
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert NO_INTERVIEWS in page and "1 condition was not met" in page and "No signal" in page
    body = client.get(f"/api/v1/requests/{request.id}", headers=token_for(people["home_office"])).json
    assert [(c["text"], c["gate"], c["set_by"], c["met"], c["note"]) for c in body["conditions"]] == [
        (NO_INTERVIEWS, "awaiting_chief_officer", "chief@ny.example", True, None),
        (EMBASSY, "awaiting_pcc", "pcc@ny.example", False, "No signal"),
    ]


def test_the_api_takes_conditions_on_decide_briefing_on_deploy_and_reports_on_close(client, people):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    decision = {
        "outcome": "positive",
        "human_rights": {"risks": [], "residual": "low"},
        "ethics_confirmed": True,
        "conditions": [NO_INTERVIEWS, ""],
    }
    bad = client.post(
        f"/api/v1/requests/{request.id}/decisions",
        json={**decision, "conditions": "one"},
        headers=token_for(people["chief"]),
    )
    assert bad.status_code == 422 and "conditions" in bad.json["errors"]
    made = client.post(f"/api/v1/requests/{request.id}/decisions", json=decision, headers=token_for(people["chief"]))
    assert made.status_code == 201 and [c["text"] for c in made.json["conditions"]] == [NO_INTERVIEWS]
    advance(request, people)
    lead = token_for(people["lead"])
    refused = client.post(f"/api/v1/requests/{request.id}/deploy", json={}, headers=lead)
    assert refused.status_code == 422 and "briefed" in refused.get_data(as_text=True)
    deployed = client.post(f"/api/v1/requests/{request.id}/deploy", json={"conditions_briefed": True}, headers=lead)
    assert deployed.status_code == 200 and deployed.json["conditions_briefed"] is True
    condition_id = deployed.json["conditions"][0]["id"]
    body = {"actual_cost_pence": 1_000_000, "recovered_pence": 1_000_000}
    assert client.post(f"/api/v1/requests/{request.id}/close", json=body, headers=lead).status_code == 422
    closed = client.post(
        f"/api/v1/requests/{request.id}/close",
        json={**body, "conditions": [{"id": condition_id, "met": False, "note": "A detainee was interviewed"}]},
        headers=lead,
    )
    assert closed.status_code == 200 and closed.json["state"] == "closed"
    assert closed.json["conditions"][0]["met"] is False
    assert closed.json["deployment_ended_on"] == request.end_date.isoformat()


def test_the_web_decision_takes_conditions_one_per_line(client, people):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    sign_in(client, people["chief"])
    page = client.get(f"/requests/{request.id}/decide")
    version = re.search(r'name="version"[^>]*value="(\d+)"', page.get_data(as_text=True)).group(1)
    response = client.post(
        f"/requests/{request.id}/decide",
        data={
            "version": version,
            "outcome": "positive",
            "hr_residual": "low",
            "ethics_confirmed": "y",
            "conditions": f"{NO_INTERVIEWS}\r\n\r\n  {EMBASSY}  \r\n",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert [c.text for c in _standing(request)] == [NO_INTERVIEWS, EMBASSY]


# --- The authority letter --------------------------------------------------------------------------------------


@pytest.fixture
def on_behalf_of(monkeypatch):
    """Decisions under a delegation (issue 17 adds `on_behalf_of` to decisions): the chief officer's is made on
    behalf of the chief constable."""
    # Read where the letter reads it: GateDecision.on_behalf_of is a mapped relationship now, and replacing it on
    # the class breaks every query that joins the decisions' people (the decision's lock does, issue 28).
    monkeypatch.setattr(
        letters,
        "on_behalf_of",
        lambda d: "Chief Constable Lisa Winward" if d.gate == "awaiting_chief_officer" else None,
    )


def test_approval_issues_the_letter_once_with_every_field_and_its_hash_in_the_audit_chain(people, on_behalf_of):
    request = make_request(
        people["lead"],
        cost_lines=[
            CostLine(category="salaries", amount_pence=1_200_000),
            CostLine(category="travel", amount_pence=300_000),
        ],
        funding=[FundingSource(source="fcdo", amount_pence=1_000_000, committed=True)],
        hr_mitigations="Officers will not attend custody suites",
    )
    workflow.submit(request.id, people["lead"])
    waiver = "The force meets the rest from its training budget"
    for who, extra in (("chief", [NO_INTERVIEWS]), ("pcc", [EMBASSY]), ("home_office", []), ("ipab", [])):
        hr = Assessment(residual="low", mitigations="Pre-deployment human-rights briefing" if who == "pcc" else "")
        workflow.decide(
            request.id,
            people[who],
            workflow.DecisionInput(
                "positive",
                hr=hr,
                ethics_confirmed=True,
                cost_waiver_reason=waiver if who in ("chief", "pcc") else "",
                conditions=extra,
            ),
        )
    db.session.refresh(request)
    assert request.state == "approved"
    [document] = db.session.scalars(
        select(Document).where(Document.request_id == request.id, Document.kind == "authority_letter")
    ).all()
    assert (
        document.content_type == "application/pdf" and document.sha256 == hashlib.sha256(document.content).hexdigest()
    )
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.request_id == request.id, AuditEvent.event == "authority_letter_issued")
    ).one()
    assert document.sha256 in event.reasons
    text, reader = pdf_text(document.content)
    assert len(reader.pages) >= 1
    decided = {d.gate: d for d in request.decisions}
    for expected in [
        request.reference,
        "North Yorkshire Police",
        "Royal Cayman Islands Police Service",
        "Foreign policing agency",
        "Cayman Islands",
        "Training",
        f"{request.start_date:%-d %B %Y} to {request.end_date:%-d %B %Y}",
        "Police officers 2",
        "Police staff 1",
        "1 detective sergeant, 1 constable, 1 analyst",
        "Recommended by chief (chief@ny.example), on behalf of Chief Constable Lisa Winward",
        f"on {decided['awaiting_chief_officer'].decided_at:%-d %B %Y}",
        "Approved by pcc (pcc@ny.example)",
        "Consented by ho (ho@gov.example)",
        "Confirmed alignment by ipab (ipab@gov.example)",
        NO_INTERVIEWS,
        EMBASSY,
        "Full cost £15,000.00",
        "Committed funding £10,000.00",
        "£5,000.00 waived, recorded by pcc (pcc@ny.example) at the PCC's approval",
        waiver,
        "Officers will not attend custody suites",
        "Pre-deployment human-rights briefing",
        "Obligations after deployment",
        "actual full cost",
        "whether each condition was met",
        "OFFICIAL",
    ]:
        assert expected in text, expected
    assert "OFFICIAL-SENSITIVE" not in text
    assert text.count("OFFICIAL") >= 2 * len(reader.pages)  # header and footer of every page
    assert "on behalf of" not in text.split("Approved by pcc")[1].split("Consented")[0]


def test_the_approval_and_its_letter_commit_together_or_not_at_all(people, monkeypatch):
    # Reading the named people for the letter records the view; that record must not commit the approval before
    # the letter is built (it did: a failed letter left an approved request without one).
    request = advance(make_request(people["lead"]), people, until="awaiting_ipab")

    def broken(_letter):
        raise RuntimeError("the PDF could not be drawn")

    monkeypatch.setattr(letters, "render", broken)
    with pytest.raises(RuntimeError):
        workflow.decide(request.id, people["ipab"], positive())
    db.session.refresh(request)
    assert request.state == "awaiting_ipab"
    assert db.session.scalars(select(GateDecision.gate).where(GateDecision.request_id == request.id)).all().count(
        "awaiting_ipab"
    ) == 0
    views = select(PersonalDataView).where(PersonalDataView.request_id == request.id)
    assert db.session.scalars(views.where(PersonalDataView.purpose == "authority_letter")).all() == []
    monkeypatch.undo()
    workflow.decide(request.id, people["ipab"], positive())
    db.session.refresh(request)
    assert request.state == "approved" and letters.current(request) is not None
    assert len(db.session.scalars(views.where(PersonalDataView.purpose == "authority_letter")).all()) == 1


def test_a_sensitive_requests_letter_is_marked_official_sensitive(people):
    request = advance(make_request(people["lead"], sensitive=True), people)
    text, reader = pdf_text(letters.current(request).content)
    assert text.count("OFFICIAL-SENSITIVE") >= 2 * len(reader.pages)


def test_an_approved_variation_issues_a_new_letter_that_supersedes_the_old_and_both_stay(people):
    from approvals import drafts

    original = _approve_with_conditions(people)
    first = letters.current(original)
    variation = workflow.start_variation(original.id, people["lead"])
    drafts.update_fields(variation.id, people["lead"], {"officers": 4})
    workflow.submit(variation.id, people["lead"])
    workflow.decide(variation.id, people["chief"], positive(conditions=["Only unarmed duties"]))
    advance(variation, people)
    db.session.refresh(original)
    db.session.refresh(first)
    second = letters.current(original)
    assert second.id != first.id and first.superseded_by_id == second.id
    assert [d.id for d in letters.letters(original)] == [second.id, first.id]
    text, _ = pdf_text(second.content)
    assert "Police officers 4" in text and variation.reference in text and "supersedes" in text
    assert "Only unarmed duties" in text and NO_INTERVIEWS not in text  # the variation's terms replace the old
    assert [c.text for c in _standing(original)] == ["Only unarmed duties"]
    assert "Police officers 2" in pdf_text(first.content)[0]


def test_the_letter_is_downloadable_by_the_force_pcc_home_office_and_ipab_only_and_not_before_approval(
    app, client, people
):
    waiting = advance(make_request(people["lead"]), people, until="awaiting_ipab")
    assert (
        client.get(f"/api/v1/requests/{waiting.id}/authority-letter", headers=token_for(people["lead"])).status_code
        == 409
    )
    workflow.decide(waiting.id, people["ipab"], positive())
    for who in ("lead", "chief", "pcc", "home_office", "ipab"):
        response = client.get(f"/api/v1/requests/{waiting.id}/authority-letter", headers=token_for(people[who]))
        assert response.status_code == 200 and response.mimetype == "application/pdf", who
        assert response.data.startswith(b"%PDF")
    for who in ("foi", "other_lead", "other_pcc", "admin"):
        response = client.get(f"/api/v1/requests/{waiting.id}/authority-letter", headers=token_for(people[who]))
        assert response.status_code == 404, who
    web = app.test_client()
    sign_in(web, people["pcc"])
    assert web.get(f"/requests/{waiting.id}/authority-letter").mimetype == "application/pdf"
    assert "Download the letter of authority" in web.get(f"/requests/{waiting.id}").get_data(as_text=True)
    foi = app.test_client()
    sign_in(foi, people["foi"])
    assert foi.get(f"/requests/{waiting.id}/authority-letter").status_code in (403, 404)


def test_the_approval_email_links_the_letter_for_the_lead_and_the_pcc_office(people):
    from approvals import notifications

    request = advance(make_request(people["lead"]), people)
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.request_id == request.id)).all()
    with_letter = set()
    for message in messages:
        notifications.render(message)
        if f"/requests/{request.id}/authority-letter" in message.body_text:
            with_letter.add(message.recipient)
    assert {"lead@ny.example", "pcc@ny.example"} <= with_letter


# --- The deployment record (issue 26) -------------------------------------------------------------------------


def test_a_deployment_start_outside_the_approved_dates_needs_a_reason(people):
    request = advance(make_request(people["lead"]), people)
    with pytest.raises(workflow.Refused, match="before the approved start date"):
        workflow.deploy(request.id, people["lead"], date(2020, 1, 1))
    workflow.deploy(request.id, people["lead"], request.start_date - timedelta(days=2), reason="Advance party")
    assert request.deployment_dates_reason == "Advance party"


def test_close_out_is_checked_against_the_approval(people):
    request = advance(make_request(people["lead"]), people)
    workflow.deploy(request.id, people["lead"])
    with pytest.raises(workflow.Refused, match="cannot be more than the actual cost"):
        workflow.close(request.id, people["lead"], 1_500_000, 2_000_000)
    with pytest.raises(workflow.Refused, match="on or after the start date"):
        workflow.close(request.id, people["lead"], 1_000, 0, ended_on=request.start_date - timedelta(days=1))
    with pytest.raises(workflow.Refused, match="after the approved end date"):
        workflow.close(request.id, people["lead"], 1_000, 0, ended_on=request.end_date + timedelta(days=3))
    workflow.close(
        request.id, people["lead"], 1_000, 0, ended_on=request.end_date + timedelta(days=3), reason="Flights cancelled"
    )
    assert request.deployment_ended_on == request.end_date + timedelta(days=3)
    assert request.close_out_reason == "Flights cancelled"


def test_the_web_deploy_page_refuses_a_date_outside_the_approval_without_a_reason_and_keeps_the_answers(client, people):
    request = advance(make_request(people["lead"]), people)
    sign_in(client, people["lead"])
    page = client.post(f"/requests/{request.id}/deploy", data={"deployed_on": ["1", "1", "2020"]})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "before the approved start date" in text and 'value="2020"' in text
    response = client.post(
        f"/requests/{request.id}/deploy",
        data={"deployed_on": ["1", "1", "2020"], "deployment_dates_reason": "Recorded late"},
    )
    assert response.status_code == 302
    check = client.get(f"/requests/{request.id}/deploy/check").get_data(as_text=True)
    assert "1 January 2020" in check and "Recorded late" in check
    change = client.get(f"/requests/{request.id}/deploy").get_data(as_text=True)  # "Change" keeps the answers
    assert "Recorded late" in change and 'value="2020"' in change


def test_the_lead_or_an_admin_corrects_the_record_with_a_reason_audited_and_used_by_the_statistics(client, people):
    request = advance(make_request(people["lead"]), people)
    workflow.deploy(request.id, people["lead"])
    workflow.close(request.id, people["lead"], 1_400_000, 1_000_000)
    with pytest.raises(workflow.Refused, match="Enter the reason"):
        records.correct(request.id, people["lead"], "recovered_pence", 1_200_000, "")
    with pytest.raises(workflow.Refused, match="cannot be more than the actual cost"):
        records.correct(request.id, people["lead"], "recovered_pence", 1_500_000, "Typo")
    with pytest.raises(workflow.NotFound):
        records.correct(request.id, people["other_lead"], "recovered_pence", 1_200_000, "Not mine")
    with pytest.raises(workflow.Forbidden):
        records.correct(request.id, people["chief"], "recovered_pence", 1_200_000, "Not a lead")
    records.correct(request.id, people["lead"], "recovered_pence", 1_200_000, "The FCDO paid the balance")
    records.correct(request.id, people["admin"], "actual_cost_pence", 1_300_000, "Invoice corrected")
    db.session.refresh(request)
    assert (request.actual_cost_pence, request.recovered_pence) == (1_300_000, 1_200_000)
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.request_id == request.id, AuditEvent.event.like("corrected:%"))
        .order_by(AuditEvent.seq)
    ).all()
    assert [e.reasons for e in events] == [
        "Amount recovered: £10,000.00 -> £12,000.00. Reason: The FCDO paid the balance",
        "Actual full cost: £14,000.00 -> £13,000.00. Reason: Invoice corrected",
    ]
    today = date.today()
    result = returns.period_return(returns.force_by_slug("north-yorkshire"), today.replace(day=1), today)
    assert (result.full_cost_pence, result.recovered_pence) == (1_300_000, 1_200_000)
    sign_in(client, people["lead"])
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "Corrected: amount recovered" in page and "The FCDO paid the balance" in page and "£12,000.00" in page


def test_corrections_through_the_pages_and_the_api(app, client, people):
    request = advance(make_request(people["lead"]), people)
    workflow.deploy(request.id, people["lead"])
    sign_in(client, people["lead"])
    page = client.post(f"/requests/{request.id}/correct", data={"field": "deployed_on", "reason": ""})
    assert "Enter the reason for the correction" in page.get_data(as_text=True)
    new = request.start_date + timedelta(days=1)
    response = client.post(
        f"/requests/{request.id}/correct",
        data={"field": "deployed_on", "new_date": [str(new.day), str(new.month), str(new.year)], "reason": "Typo"},
    )
    assert response.status_code == 302
    db.session.refresh(request)
    assert request.deployed_on == new
    admin = token_for(people["admin"])
    bad = client.post(
        f"/api/v1/requests/{request.id}/corrections", json={"field": "deployed_on", "value": "soon"}, headers=admin
    )
    assert bad.status_code == 422 and {"value", "reason"} <= set(bad.json["errors"])
    made = client.post(
        f"/api/v1/requests/{request.id}/corrections",
        json={"field": "deployed_on", "value": request.start_date.isoformat(), "reason": "Back to the first date"},
        headers=admin,
    )
    assert made.status_code == 201 and made.json["old_value"] == new.isoformat()
    listed = client.get(f"/api/v1/requests/{request.id}/corrections", headers=admin).json["items"]
    assert [row["reason"] for row in listed] == ["Typo", "Back to the first date"]
    assert (
        client.post(
            f"/api/v1/requests/{request.id}/corrections",
            json={"field": "deployed_on", "value": "2027-01-01", "reason": "x"},
            headers=token_for(people["foi"]),
        ).status_code
        == 403
    )
    approved = advance(make_request(people["lead"]), people)
    assert (
        client.post(
            f"/api/v1/requests/{approved.id}/corrections",
            json={"field": "deployed_on", "value": "2027-01-01", "reason": "x"},
            headers=admin,
        ).status_code
        == 409
    )


# --- Unmet conditions in the return and the national picture; the return as PDF --------------------------------


@pytest.fixture
def unmet(people):
    request = _approve_with_conditions(people, sensitive=True)
    workflow.deploy(request.id, people["lead"], conditions_briefed=True)
    first, second = _standing(request)
    workflow.close(
        request.id,
        people["lead"],
        1_000_000,
        800_000,
        conditions=[records.ConditionReport(first.id, True), records.ConditionReport(second.id, False, "No signal")],
    )
    return request


def test_the_return_counts_unmet_conditions_and_comes_as_a_pdf(app, client, people, unmet):
    today = date.today()
    result = returns.period_return(returns.force_by_slug("north-yorkshire"), today.replace(day=1), today)
    assert result.conditions_not_met == 1
    assert [(i["reference"], i["condition"], i["note"], i["sensitive"]) for i in result.unmet] == [
        (unmet.reference, EMBASSY, "No signal", True)
    ]
    query = f"force=north-yorkshire&from={today.replace(day=1).isoformat()}&to={today.isoformat()}"
    response = client.get(f"/api/v1/reports/returns?{query}&format=pdf", headers=token_for(people["pcc"]))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text, reader = pdf_text(response.data)
    for expected in [
        "Section 26 return: North Yorkshire Police",
        "Conditions not met 1",
        EMBASSY,
        "No signal",
        unmet.reference,
        "Actual full cost £10,000.00",
        "Recovered £8,000.00",
        "Recovery rate 80.0%",
        "Chief officer recommendation",
    ]:
        assert expected in text, expected
    assert text.count("OFFICIAL-SENSITIVE") >= 2 * len(reader.pages)  # it counts a sensitive request
    json_body = client.get(f"/api/v1/reports/returns?{query}", headers=token_for(people["pcc"])).json
    assert json_body["conditions_not_met"] == 1
    sign_in(client, people["pcc"])
    page = client.get(f"/reports/returns?{query}").get_data(as_text=True)
    assert "Conditions not met (1)" in page and "No signal" in page and "format=pdf" in page
    assert client.get(f"/reports/returns?{query}&format=pdf").mimetype == "application/pdf"


def test_the_national_picture_lists_unmet_conditions(client, people, unmet):
    body = client.get("/api/v1/reports/national", headers=token_for(people["ipab"])).json
    assert body["conditions_not_met"]["total"] == 1
    assert body["conditions_not_met"]["items"][0]["condition"] == EMBASSY
    sign_in(client, people["home_office"])
    page = client.get("/reports/national").get_data(as_text=True)
    assert "1 condition reported not met" in page and EMBASSY in page


def test_an_admin_finds_a_request_by_reference_and_corrects_it(app, people):
    request = advance(make_request(people["lead"]), people)
    workflow.deploy(request.id, people["lead"])
    admin = app.test_client()
    sign_in(admin, people["admin"])
    assert "Correct a deployment record" in admin.get("/admin/users").get_data(as_text=True)
    missing = admin.get("/requests/corrections?reference=S26-1999-0001").get_data(as_text=True)
    assert "No deployed or closed request has that reference" in missing
    found = admin.get(f"/requests/corrections?reference={request.reference.lower()}")
    assert found.headers["Location"].endswith(f"/requests/{request.id}/correct")
    page = admin.get(f"/requests/{request.id}/correct").get_data(as_text=True)
    assert "Deployment start date" in page and request.start_date.strftime("%-d %B %Y") in page
    new = request.start_date + timedelta(days=2)
    response = admin.post(
        f"/requests/{request.id}/correct",
        data={"field": "deployed_on", "new_date": [str(new.day), str(new.month), str(new.year)], "reason": "Typo"},
    )
    assert response.status_code == 302
    db.session.refresh(request)
    assert request.deployed_on == new
    lead = app.test_client()
    sign_in(lead, people["lead"])
    assert lead.get("/requests/corrections").status_code == 403
