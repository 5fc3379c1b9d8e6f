"""The people a request deploys (issue 24): who may see them (and every view recorded), the count rule at submit,
a decider named among them cannot decide, and their names reach no FOI output, publication, export or email."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from approvals import disclosure, notifications, policy, workflow
from approvals import people as deployed
from approvals.commands import Forbidden, NotFound, Refused, WrongState
from extensions import db
from models import AuditEvent, DeployedPerson, OutboxMessage, PersonalDataView
from tests.conftest import advance, make_request, make_user, positive, sign_in
from tests.integration.test_api import token_for
from tests.integration.test_outbox import smtp  # noqa: F401 - the real SMTP server fixture

NAME, EMAIL = "Zebedee Quartermaine", "zebedee.quartermaine@ny.example"


def person(**overrides):
    values = {
        "name": NAME,
        "email": EMAIL,
        "kind": "officer",
        "rank": "Detective Sergeant",
        "home_unit": "Major Crime",
        "role": "Trainer",
        "vetting": "sc",
        "service": "visit",
        "travel_risk_assessed_on": date.today().isoformat(),
        "travel_risk_assessed_by": "Force travel security officer",
        "fcdo_advice": "none",
        "insurance_holder": "force",
        "liabilities_holder": "force",
        "welfare_contact": "Welfare desk, 01234 567890",
    }
    values.update(overrides)
    return values


def views():
    return db.session.scalars(select(PersonalDataView).order_by(PersonalDataView.id)).all()


def test_the_lead_names_changes_and_removes_people_and_the_audit_chain_never_names_them(people):
    request = make_request(people["lead"])
    row = people_add(request, people["lead"])
    deployed.update(request.id, row.id, people["lead"], {"role": "Lead trainer"})
    deployed.remove(request.id, row.id, people["lead"])
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.request_id == request.id).order_by(AuditEvent.seq)
    ).all()
    assert [e.event for e in events][-3:] == ["person_added", "person_changed", "person_removed"]
    assert all(NAME not in (e.reasons or "") and EMAIL not in (e.reasons or "") for e in events)


def people_add(request, lead, **overrides):
    return deployed.add(request.id, lead, person(**overrides))


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"name": ""}, "name"),
        ({"email": "not an email"}, "email"),
        ({"kind": "contractor"}, "kind"),
        ({"service": "temporary_service"}, "service_start"),
        (
            {"service": "temporary_service", "service_start": "2027-03-01", "reversion_date": "2027-02-01"},
            "reversion_date",
        ),
        ({"liabilities_holder": "other"}, "liabilities_holder_other"),
        ({"insurance_holder": "other"}, "insurance_holder_other"),
        ({"travel_risk_assessed_on": "31/02/2027"}, "travel_risk_assessed_on"),
        ({"concerns_observed": True}, "concerns_note"),
    ],
)
def test_bad_details_are_refused_naming_the_field(people, overrides, field):
    request = make_request(people["lead"])
    with pytest.raises(Refused) as refused:
        deployed.add(request.id, people["lead"], person(**overrides))
    assert field in {r.rule for r in refused.value.refusals}


def test_only_the_forces_lead_changes_the_people(people):
    request = make_request(people["lead"])
    with pytest.raises(Forbidden):
        deployed.add(request.id, people["chief"], person())
    with pytest.raises(NotFound):
        deployed.add(request.id, people["other_lead"], person())
    advance(request, people, until="awaiting_chief_officer")
    with pytest.raises(WrongState):  # while a gate decides, the request is theirs
        deployed.add(request.id, people["lead"], person())


# --- Reading: the policy, and a record of every view -------------------------------------------------------------


def test_every_view_of_the_people_is_recorded(people, client):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    db.session.add(DeployedPerson(request_id=request.id, **deployed.parse(person())[0]))
    db.session.commit()
    sign_in(client, people["chief"])
    page = client.get(f"/requests/{request.id}/people").get_data(as_text=True)
    assert NAME in page
    client.get(f"/requests/{request.id}/decide")
    seen = views()
    assert [(v.user_id, v.purpose, v.request_id) for v in seen] == [
        (people["chief"].id, "people_page", request.id),
        (people["chief"].id, "decision_page", request.id),
    ]
    assert (
        client.get(f"/api/v1/requests/{request.id}/people", headers=token_for(people["home_office"])).json["items"][0][
            "name"
        ]
        == NAME
    )
    assert views()[-1].purpose == "api" and views()[-1].user_id == people["home_office"].id


@pytest.mark.parametrize("who, status", [("foi", 403), ("admin", 403), ("other_chief", 404), ("other_lead", 404)])
def test_people_are_not_shown_beyond_the_force_and_the_deciders(app, people, who, status):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    client = app.test_client()
    sign_in(client, people[who])
    assert client.get(f"/requests/{request.id}/people").status_code == status
    assert client.get(f"/api/v1/requests/{request.id}/people", headers=token_for(people[who])).status_code == status
    assert views() == []


def test_a_draft_s_people_are_not_the_deciders_to_see(people):
    request = make_request(people["lead"])
    with pytest.raises(NotFound):
        deployed.read(people["chief"], request, "test")


# --- The rules ----------------------------------------------------------------------------------------------------


def test_named_people_must_match_the_counts_at_submission(people):
    request = make_request(people["lead"], officers=2, staff=1)
    people_add(request, people["lead"])
    with pytest.raises(Refused) as refused:
        workflow.submit(request.id, people["lead"])
    assert [r.rule for r in refused.value.refusals] == ["personnel_count_mismatch"]
    db.session.refresh(request)
    assert (request.officers, request.staff, request.state) == (2, 1, "draft")  # never silently fixed
    people_add(request, people["lead"], name="Second Officer", email="second@ny.example")
    people_add(request, people["lead"], name="An Analyst", email="analyst@ny.example", kind="staff")
    workflow.submit(request.id, people["lead"])
    assert request.state == "awaiting_chief_officer"


def test_without_named_people_the_typed_counts_stand(people):
    request = make_request(people["lead"], officers=7, staff=0)
    workflow.submit(request.id, people["lead"])
    assert request.state == "awaiting_chief_officer"


def test_a_decider_named_among_the_people_cannot_decide(people, client):
    request = make_request(people["lead"], officers=1, staff=0)
    people_add(request, people["lead"], email="CHIEF@ny.example")  # matched by work email, whatever its case
    advance(request, people, until="awaiting_chief_officer")
    error = policy.refusal(people["chief"], policy.DECIDE, request)
    assert isinstance(error, Forbidden) and error.refusals[0].rule == "own_deployment"
    assert policy.DECIDE not in policy.allowed_actions(people["chief"], request)
    with pytest.raises(Forbidden):
        workflow.decide(request.id, people["chief"], positive())
    sign_in(client, people["chief"])
    assert client.get(f"/requests/{request.id}/decide").status_code == 403
    response = client.post(
        f"/api/v1/requests/{request.id}/decisions",
        json={"outcome": "positive", "hr_agreement": "agree", "ethics_confirmed": True},
        headers=token_for(people["chief"]),
    )
    assert response.status_code == 403
    # Another chief officer of the force decides.
    deputy = make_user("deputy@ny.example", "chief_officer", force_slug="north-yorkshire")
    workflow.decide(request.id, deputy, positive())
    assert request.state == "awaiting_pcc"


# --- Personal data reaches no FOI output, publication, export or email --------------------------------------------


def test_names_never_appear_in_foi_publication_exports_or_emails(app, people, smtp):  # noqa: F811
    request = make_request(people["lead"], officers=1, staff=0)
    people_add(request, people["lead"], concerns_observed=True, concerns_note="Saw nothing of note")
    request = advance(request, people)
    # Started yesterday, before the approved dates, and closed at more than the approved cost: each with its reason.
    workflow.deploy(request.id, people["lead"], date.today() - timedelta(days=1), reason="Started early")
    workflow.close(request.id, people["lead"], 1_000_000, 1_000_000, reason="Costs rose")
    notifications.send_due()
    assert smtp.messages
    outputs = [m.as_string() for _, m in smtp.messages]
    outputs += [f"{m.subject} {m.context}" for m in db.session.scalars(select(OutboxMessage))]

    foi = app.test_client()
    sign_in(foi, people["foi"])
    year = f"from={date.today().year - 1}-01-01&to={date.today().year + 1}-12-31"
    for url in (f"/reports/foi?{year}", f"/reports/foi?{year}&format=csv"):
        outputs.append(foi.get(url).get_data(as_text=True))
    outputs.append(xlsx_text(foi.get(f"/reports/foi?{year}&format=xlsx").data))
    case = disclosure.open_case(people["foi"], "How many officers went where?", date.today(), ["How many officers?"])
    disclosure.save_item(
        case.questions[0], people["foi"], {"label": "Officers", "source": "total_officers", "decision": "disclose"}
    )
    for fmt in ("html", "txt"):
        outputs.append(foi.get(f"/foi-cases/{case.id}/response?format={fmt}").get_data(as_text=True))
    foi_api = token_for(people["foi"])
    outputs.append(foi.get(f"/api/v1/reports/foi?{year}", headers=foi_api).get_data(as_text=True))

    public = app.test_client()
    for url in (
        "/transparency",
        "/transparency/north-yorkshire",
        "/decisions/north-yorkshire",
        "/decisions/north-yorkshire?format=csv",
        "/decisions/north-yorkshire?format=json",
        "/api/v1/reports/publication",
    ):
        outputs.append(public.get(url).get_data(as_text=True))

    pcc = app.test_client()
    sign_in(pcc, people["pcc"])
    period = f"from={date.today().replace(day=1).isoformat()}&to={date.today().isoformat()}"
    outputs.append(pcc.get(f"/reports/returns?force=north-yorkshire&{period}").get_data(as_text=True))
    outputs.append(xlsx_text(pcc.get(f"/reports/returns?force=north-yorkshire&{period}&format=xlsx").data))
    ho = app.test_client()
    sign_in(ho, people["home_office"])
    outputs.append(ho.get("/reports/national").get_data(as_text=True))

    assert len(outputs) > 15
    # The request itself is in them (so the check below is not vacuous): its country, its reference or its figures.
    assert sum("Cayman Islands" in text or request.reference in text for text in outputs) >= 8
    for text in outputs:
        for secret in (NAME, EMAIL, "Quartermaine", "Saw nothing of note", "Welfare desk"):
            assert secret not in text


def xlsx_text(data):
    if not data.startswith(b"PK"):
        return data.decode(errors="replace")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return " ".join(archive.read(name).decode(errors="replace") for name in archive.namelist())


# --- API ----------------------------------------------------------------------------------------------------------


def test_the_api_creates_reads_changes_and_deletes_a_person(people, client):
    request = make_request(people["lead"])
    lead = token_for(people["lead"])
    created = client.post(f"/api/v1/requests/{request.id}/people", json=person(), headers=lead)
    assert created.status_code == 201, created.json
    pid = created.json["id"]
    assert created.headers["Location"] == f"/api/v1/requests/{request.id}/people/{pid}"
    listed = client.get(f"/api/v1/requests/{request.id}/people", headers=lead).json
    assert listed["officers_named"] == 1 and listed["items"][0]["email"] == EMAIL
    patched = client.patch(
        f"/api/v1/requests/{request.id}/people/{pid}",
        json={"service": "temporary_service", "service_start": "2027-03-01", "reversion_date": "2027-09-01"},
        headers=lead,
    )
    assert patched.status_code == 200 and patched.json["reversion_date"] == "2027-09-01"
    bad = client.patch(f"/api/v1/requests/{request.id}/people/{pid}", json={"kind": "x", "shoe": 9}, headers=lead)
    assert bad.status_code == 422 and {"kind", "shoe"} <= set(bad.json["errors"])
    incomplete = client.patch(f"/api/v1/requests/{request.id}/people/{pid}", json={"service_start": None}, headers=lead)
    assert incomplete.status_code == 422 and "service_start" in incomplete.json["errors"]
    chief = token_for(people["chief"])
    assert client.delete(f"/api/v1/requests/{request.id}/people/{pid}", headers=chief).status_code == 403
    assert client.delete(f"/api/v1/requests/{request.id}/people/{pid}", headers=lead).status_code == 204
    assert client.get(f"/api/v1/requests/{request.id}/people/{pid}", headers=lead).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(DeployedPerson)) == 0


# --- Web ----------------------------------------------------------------------------------------------------------


def test_the_lead_adds_a_person_on_the_web_and_fixes_a_mistake(people, client):
    request = make_request(people["lead"], officers=1, staff=0)
    sign_in(client, people["lead"])
    form = {
        "name": NAME,
        "email": EMAIL,
        "kind": "officer",
        "service": "temporary_service",
        "version": str(request.version),
    }
    page = client.post(f"/requests/{request.id}/people/add", data=form)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Enter when temporary service starts" in text and NAME in text
    data = MultiDict(form)
    for name, month in (("service_start", "3"), ("reversion_date", "9")):
        for part in ("1", month, "2027"):  # GOV.UK's date input: day, month and year boxes of one name
            data.add(name, part)
    assert client.post(f"/requests/{request.id}/people/add", data=data).status_code == 302
    row = db.session.scalars(select(DeployedPerson)).one()
    assert (row.service_start, row.reversion_date) == (date(2027, 3, 1), date(2027, 9, 1))
    tasks = client.get(f"/requests/{request.id}/tasks").get_data(as_text=True)
    assert "People deployed" in tasks
    request = db.session.get(type(request), request.id)
    removed = client.post(f"/requests/{request.id}/people/{row.id}/remove", data={"version": str(request.version)})
    assert removed.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(DeployedPerson)) == 0


def test_a_variation_carries_the_people_and_the_assessment_and_brings_them_back_when_approved(people):
    from approvals import osja

    request = make_request(people["lead"], officers=1, staff=0)
    people_add(request, people["lead"])
    request = advance(request, people)
    variation = workflow.start_variation(request.id, people["lead"])
    assert [p.name for p in deployed.read(people["lead"], variation, "test")] == [NAME]
    assert osja.content_of(variation, prefill=False)["residual"] == "low"
    row = deployed.read(people["lead"], variation, "test")[0]
    deployed.update(variation.id, row.id, people["lead"], {"role": "Course director"})
    advance(variation, people)
    assert [p.role for p in deployed.read(people["lead"], request, "test")] == ["Course director"]


def test_a_contributing_force_decides_its_part_without_reading_the_lead_forces_people(people, client):
    request = make_request(
        people["lead"], officers=1, staff=0, contributing_forces=[{"force": "metropolitan", "officers": 1, "staff": 0}]
    )
    people_add(request, people["lead"])
    workflow.submit(request.id, people["lead"])
    assert not policy.may_read_people(people["other_chief"], request)
    sign_in(client, people["other_chief"])
    assert client.get(f"/requests/{request.id}/people").status_code == 403
    page = client.get(f"/requests/{request.id}/decide").get_data(as_text=True)
    assert NAME not in page and "shown to the lead force and the national deciders" in page
    assert views() == []
    response = client.post(
        f"/requests/{request.id}/decide",
        data={"outcome": "positive", "hr_agreement": "agree", "ethics_confirmed": "y", "version": str(request.version)},
    )
    assert response.status_code == 302


def test_a_contributing_forces_decider_named_among_the_people_cannot_decide_its_part(people):
    request = make_request(
        people["lead"], officers=1, staff=0, contributing_forces=[{"force": "metropolitan", "officers": 1, "staff": 0}]
    )
    people_add(request, people["lead"], email=people["other_chief"].email)
    workflow.submit(request.id, people["lead"])
    error = policy.refusal(people["other_chief"], policy.DECIDE, request)
    assert isinstance(error, Forbidden) and error.refusals[0].rule == "own_deployment"


def test_the_authority_letter_names_the_people_and_the_terms_that_protect_them_and_the_view_is_recorded(people):
    from approvals import letters
    from tests.integration.test_outputs_records import pdf_text

    request = make_request(people["lead"], officers=1, staff=0)
    start = request.start_date
    people_add(
        request,
        people["lead"],
        service="temporary_service",
        service_start=start.isoformat(),
        reversion_date=(start + timedelta(days=30)).isoformat(),
        liabilities_holder="fcdo",
    )
    request = advance(request, people)
    text, _ = pdf_text(letters.current(request).content)
    flat = " ".join(text.split())
    assert NAME in flat and "Detective Sergeant, Trainer" in flat
    assert "Temporary service under section 26" in flat and "pay and pension are protected" in flat
    # The insurance (the force's, by name) and the liabilities (the FCDO's) are each named as they are held.
    assert (
        "insurance held by North Yorkshire Police; third-party, injury and death-in-service liabilities held by FCDO"
        in flat
    )
    seen = [v for v in views() if v.purpose == "authority_letter"]
    assert len(seen) == 1 and seen[0].user_id == people["ipab"].id


def test_the_letter_names_another_body_that_holds_the_insurance_and_liabilities(people):
    from approvals import letters
    from tests.integration.test_outputs_records import pdf_text

    request = make_request(people["lead"], officers=1, staff=0)
    people_add(
        request,
        people["lead"],
        insurance_holder="other",
        insurance_holder_other="Lloyd's Overseas Cover",
        liabilities_holder="other",
        liabilities_holder_other="Lloyd's Overseas Cover",
    )
    request = advance(request, people)
    flat = " ".join(pdf_text(letters.current(request).content)[0].split())
    assert "insurance and liabilities held by Lloyd's Overseas Cover" in flat


def test_the_letter_is_the_people_s_readers_to_download_and_each_download_is_recorded(app, people):
    """The letter names the people: a contributing force's deciders see the request but not the letter (its own
    route, the case file's and the API's), and every download by those who may is recorded as a view."""
    from approvals import letters

    request = make_request(
        people["lead"], officers=1, staff=0, contributing_forces=[{"force": "metropolitan", "officers": 1, "staff": 0}]
    )
    people_add(request, people["lead"])
    workflow.submit(request.id, people["lead"])
    workflow.decide(request.id, people["other_chief"], positive())
    workflow.decide(request.id, people["other_pcc"], positive())
    request = advance(request, people)
    letter = letters.current(request)
    urls = (
        f"/requests/{request.id}/authority-letter",
        f"/requests/{request.id}/documents/{letter.id}",
        f"/api/v1/requests/{request.id}/authority-letter",
        f"/api/v1/requests/{request.id}/documents/{letter.id}",
    )
    before = len(views())
    outsider = app.test_client()
    sign_in(outsider, people["other_chief"])
    assert outsider.get(f"/requests/{request.id}").status_code == 200  # they see the request
    assert "Download the letter of authority" not in outsider.get(f"/requests/{request.id}").get_data(as_text=True)
    for url in urls:
        headers = token_for(people["other_chief"]) if url.startswith("/api/") else {}
        assert outsider.get(url, headers=headers).status_code == 403, url
    assert len(views()) == before
    lead = app.test_client()
    sign_in(lead, people["lead"])
    for url in urls:
        headers = token_for(people["lead"]) if url.startswith("/api/") else {}
        response = lead.get(url, headers=headers)
        assert response.status_code == 200 and response.data.startswith(b"%PDF"), url
    downloads = [v for v in views() if v.purpose == "authority_letter_download"]
    assert len(downloads) == 4 and {v.user_id for v in downloads} == {people["lead"].id}


def test_the_people_page_shows_who_has_seen_their_details(people, client):
    request = advance(make_request(people["lead"], officers=1, staff=0), people, until="awaiting_chief_officer")
    db.session.add(DeployedPerson(request_id=request.id, **deployed.parse(person())[0]))
    db.session.commit()
    people["chief"].name = "Charles Chief"
    db.session.commit()
    sign_in(client, people["chief"])
    client.get(f"/requests/{request.id}/decide")
    page = client.get(f"/requests/{request.id}/people").get_data(as_text=True)
    record = page[page.index("Who has seen these details") :]
    assert "Charles Chief" in record and "The decision page" in record and "The people page" in record
