"""The international lead's journey through the pages: start, sections, validation, costs, check, submit."""

import html
import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from approvals import seed
from extensions import db
from models import AssistanceRequest
from tests.conftest import make_request, sign_in


def d(day):
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


def date_fields(name, day):
    return [(name, day.day), (name, day.month), (name, day.year)]


@pytest.fixture
def lead_client(client, people):
    sign_in(client, people["lead"])
    return client


def start(client, title="Cyber-crime training"):
    response = client.post("/requests/new", data={"title": title})
    assert response.status_code == 302
    return int(re.search(r"/requests/(\d+)/tasks", response.headers["Location"]).group(1))


def post_dates(client, rid, start_day, end_day, **extra):
    from werkzeug.datastructures import MultiDict

    data = MultiDict(date_fields("start_date", start_day) + date_fields("end_date", end_day))
    for key, value in {"retrospective": "no", "urgent": "no", **extra}.items():
        data[key] = value
    return client.post(f"/requests/{rid}/sections/dates", data=data)


def test_reference_is_sequential_per_year_and_assigned_at_creation(lead_client):
    first, second = start(lead_client), start(lead_client)
    refs = [db.session.get(AssistanceRequest, i).reference for i in (first, second)]
    year = date.today().year
    assert refs == [f"S26-{year}-0001", f"S26-{year}-0002"]


def test_full_journey_create_save_resume_complete_check_and_submit(lead_client, people):
    rid = start(lead_client)
    tasks = lead_client.get(f"/requests/{rid}/tasks").get_data(as_text=True)
    assert tasks.count("Not started") == 7 and tasks.count("In progress") == 1  # the title is given; documents too

    assert (
        lead_client.post(
            f"/requests/{rid}/sections/about",
            data={
                "title": "Cyber-crime training",
                "requesting_body": "Royal Cayman Islands Police Service",
                "requesting_body_kind": "foreign_policing_agency",
            },
        ).status_code
        == 302
    )
    assert (
        lead_client.post(
            f"/requests/{rid}/sections/purpose",
                data={"destination": "KY", "purpose": "training", "sponsor": "fcdo", "purpose_details": "Training"},
        ).status_code
        == 302
    )
    assert (
        post_dates(lead_client, rid, date.today() + timedelta(days=30), date.today() + timedelta(days=40)).status_code
        == 302
    )
    # Save and come back: the task list shows what is done so far.
    tasks = lead_client.get(f"/requests/{rid}/tasks").get_data(as_text=True)
    # The kind of assistance starts as a deployment overseas (issue 23), so that section is complete too.
    assert tasks.count("Completed") == 4 and "Check your answers" not in tasks
    assert (
        lead_client.post(
            f"/requests/{rid}/sections/personnel",
            data={
                "officers": "2",
                "staff": "0",
                "personnel_roles": "2 detective constables",
                "coordinating_unit": "Economic Crime Unit",
            },
        ).status_code
        == 302
    )
    assert (
        lead_client.post(
            f"/requests/{rid}/costs", data={"cost-category": "travel", "cost-amount": "£1,250.50", "cost-submit": "1"}
        ).status_code
        == 302
    )
    assert (
        lead_client.post(
            f"/requests/{rid}/costs",
            data={
                "funding-source": "fcdo",
                "funding-amount": "1250.50",
                "funding-committed": "yes",
                "funding-submit": "1",
            },
        ).status_code
        == 302
    )
    assert (
        lead_client.post(
            f"/requests/{rid}/sections/flags", data={"uk_investigation": "no", "sensitive": "no"}
        ).status_code
        == 302
    )
    osja_page = lead_client.post(
        f"/requests/{rid}/osja",
        data={
            "owner": "force",
            "country_record": "Independent courts; no concerns recorded",
            "recipient_unit": "Financial Crime Unit",
            "transferred": "Cyber-crime investigation skills",
            "residual": "low",
            "contributes": "no",
            "contributes_reasoning": "Training only",
            "osja_version": "0",
        },
    )
    assert osja_page.status_code == 302, osja_page.get_data(as_text=True)[:3000]

    # Only part of the assessment (issue 24): the task list says what is still to answer, and submitting cannot
    # start yet; the check page and a refused submission name each missing part, linked to where it is answered.
    tasks = lead_client.get(f"/requests/{rid}/tasks").get_data(as_text=True)
    assert tasks.count("Completed") == 7 and "Check your answers" not in tasks
    assert "In progress" in tasks and "Cannot start yet" in tasks
    assert "Still to answer: Stability and conflict, now and within 5 years; Sources consulted, with dates" in tasks
    refused = lead_client.post(f"/requests/{rid}/check", data={}).get_data(as_text=True)
    assert "There is a problem" in refused and "Error:" in refused
    for part in ("country_stability", "country_sources", "misuse", "mitigations"):
        assert f'href="/requests/{rid}/osja#{part}"' in refused
    assert "Complete the OSJA assessment: how it could be misused" in refused
    assert "Add at least one consultee to the OSJA assessment" in refused
    assert f'href="/requests/{rid}/osja/consultees"' in refused
    assert db.session.get(AssistanceRequest, rid).state == "draft"
    completed = lead_client.post(
        f"/requests/{rid}/osja",
        data={
            "owner": "force",
            "country_stability": "Stable; no conflict expected",
            "country_record": "Independent courts; no concerns recorded",
            "country_sources": "FCDO human rights report, read 3 March 2026",
            "recipient_unit": "Financial Crime Unit",
            "transferred": "Cyber-crime investigation skills",
            "misuse": "Could be used to surveil journalists; the course covers lawful authority only",
            "mitigations": "Human rights module in the course",
            "residual": "low",
            "contributes": "no",
            "contributes_reasoning": "Training only",
            "osja_version": "1",
        },
    )
    assert completed.status_code == 302, completed.get_data(as_text=True)[:3000]
    consulted = date.today() - timedelta(days=2)
    consultee = MultiDict(date_fields("consulted_on", consulted))
    consultee.update(
        {"organisation": "British Embassy", "role": "Police liaison officer", "advice": "None", "osja_version": "2"}
    )
    added = lead_client.post(f"/requests/{rid}/osja/consultees", data=consultee)
    assert added.status_code == 302, added.get_data(as_text=True)[:3000]

    tasks = lead_client.get(f"/requests/{rid}/tasks").get_data(as_text=True)
    assert tasks.count("Completed") == 8 and "Check your answers" in tasks and "Cannot start yet" not in tasks
    check = lead_client.get(f"/requests/{rid}/check").get_data(as_text=True)
    assert (
        "Cayman Islands (British Overseas Territory)" in check
        and "Training (non-operational)" in check
        and "£1,250.50" in check
    )
    assert f"/requests/{rid}/sections/purpose?then=check" in check  # change links

    refused = lead_client.post(f"/requests/{rid}/check", data={}, follow_redirects=True).get_data(as_text=True)
    assert "Upload the document: invitation letter from the requesting body" in refused
    uploaded = lead_client.post(
        f"/requests/{rid}/documents?then=tasks",
        data={
            "document-kind": "invitation_letter",
            "document-description": "Letter from the Commissioner",
            "document-file": (BytesIO(seed.DEMO_LETTER_PDF), "letter.pdf"),
        },
    )
    assert uploaded.headers["Location"].endswith(f"/requests/{rid}/tasks")
    assert lead_client.get(f"/requests/{rid}/tasks").get_data(as_text=True).count("Completed") == 9
    response = lead_client.post(f"/requests/{rid}/check", data={})
    assert response.headers["Location"].endswith(f"/requests/{rid}/submitted")
    confirmation = lead_client.get(f"/requests/{rid}/submitted").get_data(as_text=True)
    item = db.session.get(AssistanceRequest, rid)
    assert "Request submitted" in confirmation and item.reference in confirmation
    assert item.state == "awaiting_chief_officer" and item.cost_lines[0].amount_pence == 125050


def test_uk_police_work_is_confirmed_as_not_needing_section_26(lead_client, people):
    request = make_request(
        people["lead"], uk_investigation=True, uk_investigation_justification="Arresting a suspect in a UK fraud"
    )
    lead_client.post(f"/requests/{request.id}/check", data={})
    page = lead_client.get(f"/requests/{request.id}/submitted").get_data(as_text=True)
    assert "section 26 authorisation not needed" in page
    assert db.session.get(AssistanceRequest, request.id).state == "not_required"


def test_submit_with_missing_sections_is_refused_with_their_names(lead_client):
    rid = start(lead_client)
    response = lead_client.post(f"/requests/{rid}/check", data={}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Complete the section: Requesting body" in page and "There is a problem" in page
    assert db.session.get(AssistanceRequest, rid).state == "draft"


@pytest.mark.parametrize(
    "start_offset,end_offset,extra,message",
    [
        (30, 20, {}, "End date must be the same as or after the start date"),
        (-10, 5, {}, "Start date must be today or in the future, unless the request is retrospective"),
        (-10, 5, {"retrospective": "yes"}, "Explain why the request is retrospective"),
        (5, 10, {"urgent": "yes"}, "Explain why the request is urgent"),
    ],
)
def test_date_rules_show_errors_and_keep_the_answers(lead_client, start_offset, end_offset, extra, message):
    rid = start(lead_client)
    start_day = date.today() + timedelta(days=start_offset)
    response = post_dates(lead_client, rid, start_day, date.today() + timedelta(days=end_offset), **extra)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: " in page and "govuk-error-summary" in page and message in page
    assert f'value="{start_day.year}"' in page  # the user's answers are kept
    assert db.session.get(AssistanceRequest, rid).start_date is None  # nothing half-written


def test_a_retrospective_request_may_have_past_dates_with_a_reason(lead_client):
    rid = start(lead_client)
    response = post_dates(
        lead_client,
        rid,
        date.today() - timedelta(days=10),
        date.today() + timedelta(days=5),
        retrospective="yes",
        retrospective_reason="Disaster response began before approval could be sought",
    )
    assert response.status_code == 302
    assert db.session.get(AssistanceRequest, rid).retrospective is True


@pytest.mark.parametrize(
    "data,message",
    [
        ({"officers": "0", "staff": "0"}, "Enter at least 1 police officer or member of police staff"),
        ({"officers": "two", "staff": "0"}, "Number of police officers must be a whole number, like 2"),
        ({"officers": "1.5", "staff": "0"}, "Number of police officers must be a whole number, like 2"),
        ({"officers": "-1", "staff": "3"}, "Number of police officers must be 0 or more"),
        ({"officers": "1", "staff": "1001"}, "Number of police staff must be 1000 or fewer"),
        ({"officers": "", "staff": "1"}, "Enter the number of police officers, or 0"),
        ({"officers": "1", "staff": "0", "coordinating_unit": "x" * 201}, "must be 200 characters or fewer"),
    ],
)
def test_personnel_rules(lead_client, data, message):
    rid = start(lead_client)
    payload = {"personnel_roles": "Constable", "coordinating_unit": "International Unit", **data}
    page = lead_client.post(f"/requests/{rid}/sections/personnel", data=payload).get_data(as_text=True)
    assert message in page and "govuk-error-summary" in page


@pytest.mark.parametrize(
    "amount,message",
    [
        ("-5", "Amount must be 0 or more"),
        ("lots", "Amount must be a number in pounds"),
        ("100000001", "£100 million or less"),
        ("", "Enter an amount"),
    ],
)
def test_money_rules(lead_client, amount, message):
    rid = start(lead_client)
    page = lead_client.post(
        f"/requests/{rid}/costs", data={"cost-category": "travel", "cost-amount": amount, "cost-submit": "1"}
    ).get_data(as_text=True)
    assert message in page and "Error: " in page
    assert f'value="{amount}"' in page
    assert db.session.get(AssistanceRequest, rid).cost_lines == []


def test_unknown_country_code_is_refused(lead_client):
    rid = start(lead_client)
    page = lead_client.post(
        f"/requests/{rid}/sections/purpose", data={"destination": "XX", "purpose": "training", "sponsor": "un"}
    ).get_data(as_text=True)
    assert "Not a valid choice" in page or "Select" in page
    assert db.session.get(AssistanceRequest, rid).destination is None


def test_other_sponsor_must_be_named(lead_client):
    rid = start(lead_client)
    page = lead_client.post(
        f"/requests/{rid}/sections/purpose", data={"destination": "JE", "purpose": "dvi", "sponsor": "other"}
    ).get_data(as_text=True)
    assert "Enter the name of the sponsor" in page


def test_crown_dependencies_and_overseas_territories_are_selectable_and_marked(lead_client):
    rid = start(lead_client)
    page = lead_client.get(f"/requests/{rid}/sections/purpose").get_data(as_text=True)
    assert "Jersey (Crown Dependency)" in page and "Gibraltar (British Overseas Territory)" in page
    assert ">United Kingdom<" not in page


def test_required_fields_missing(lead_client):
    rid = start(lead_client)
    page = lead_client.post(f"/requests/{rid}/sections/about", data={"title": "  "}).get_data(as_text=True)
    assert (
        "Enter a title" in page
        and "Enter the name of the requesting body" in page
        and "Select the kind of requesting body" in page
    )


def test_the_list_shows_only_my_forces_requests_and_filters_by_state(lead_client, people):
    mine = make_request(people["lead"], title="Mine")
    make_request(people["other_lead"], title="Theirs")
    page = lead_client.get("/requests").get_data(as_text=True)
    assert mine.reference in page and "Theirs" not in page
    assert mine.reference not in lead_client.get("/requests?state=approved").get_data(as_text=True)
    assert mine.reference in lead_client.get("/requests?state=draft").get_data(as_text=True)


def test_submitted_request_is_read_only(lead_client, people):
    from approvals import workflow

    request = make_request(people["lead"])
    workflow.submit(request.id, people["lead"])
    assert lead_client.get(f"/requests/{request.id}").status_code == 200
    # The lead may edit their force's requests, but not in this state: 409, as every action the state refuses.
    assert lead_client.post(f"/requests/{request.id}/sections/about", data={"title": "Changed"}).status_code == 409
    assert db.session.get(AssistanceRequest, request.id).title != "Changed"


def test_other_forces_lead_cannot_see_or_edit_a_draft(client, people):
    request = make_request(people["lead"])
    sign_in(client, people["other_lead"])
    assert client.get(f"/requests/{request.id}").status_code == 404
    assert client.get(f"/requests/{request.id}/tasks").status_code == 404
    assert client.post(f"/requests/{request.id}/sections/about", data={"title": "Hijacked"}).status_code == 404


@pytest.mark.parametrize("who", ["chief", "pcc", "home_office", "ipab"])
def test_drafts_are_invisible_to_every_other_role(client, people, who):
    request = make_request(people["lead"])
    sign_in(client, people[who])
    assert client.get(f"/requests/{request.id}").status_code == 404
    assert request.reference not in client.get("/requests").get_data(as_text=True)


def test_creation_is_recorded_against_the_leads_own_force(lead_client, people):
    rid = start(lead_client)
    assert (
        db.session.scalars(select(AssistanceRequest.force_id).where(AssistanceRequest.id == rid)).one()
        == people["lead"].force_id
    )


@pytest.mark.parametrize(
    "day,month,year,message",
    [
        ("", "", "", "Enter the start date"),
        ("12", "", "2027", "Start date must include a month"),
        ("", "", "2027", "Start date must include a day and month"),
        ("31", "2", "2027", "Start date must be a real date"),
        ("1", "May", "2027", "Start date must be a real date"),
        ("1", "5", "27", "Start date year must include 4 numbers"),
    ],
)
def test_date_messages_name_the_field_and_say_how_to_fix_it(lead_client, day, month, year, message):
    rid = start(lead_client)
    payload = {
        "start_date": [day, month, year],
        "end_date": ["1", "6", "2027"],
        "retrospective": "no",
        "urgent": "no",
    }
    page = lead_client.post(f"/requests/{rid}/sections/dates", data=payload).get_data(as_text=True)
    summary = page[page.index("govuk-error-summary") : page.index("<h1")]
    assert html.escape(message, quote=False) in summary
    assert 'value="12"' in page or day != "12"  # what was typed is kept


def test_a_date_input_carries_no_required_attribute_on_its_div(lead_client):
    rid = start(lead_client)
    page = lead_client.get(f"/requests/{rid}/sections/dates").get_data(as_text=True)
    assert re.search(r'<div class="govuk-date-input"[^>]*required', page) is None


def test_reasons_are_revealed_beneath_their_yes(lead_client):
    rid = start(lead_client)
    page = lead_client.get(f"/requests/{rid}/sections/dates").get_data(as_text=True)
    assert 'data-aria-controls="conditional-urgent' in page and 'id="conditional-urgent' in page
    reveal = page[page.index('id="conditional-urgent') :]
    assert reveal.index('name="urgent_reason"') < reveal.index("</div>\n") + 2000


def test_costs_save_a_typed_line_on_continue_and_remove_asks_first(lead_client):
    rid = start(lead_client)
    response = lead_client.post(
        f"/requests/{rid}/costs",
        data={"cost-category": "travel", "cost-amount": "1,250.50", "cost-description": "Flights", "continue": "1"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/requests/{rid}/tasks")
    request = db.session.get(AssistanceRequest, rid)
    db.session.refresh(request)
    assert [(c.category, c.amount_pence) for c in request.cost_lines] == [("travel", 125050)]
    line = request.cost_lines[0]

    # A half-typed line is not thrown away: it comes back with its error, and nothing else is lost.
    page = lead_client.post(
        f"/requests/{rid}/costs", data={"funding-amount": "500", "continue": "1"}
    ).get_data(as_text=True)
    assert "Select a funding source" in page and 'value="500"' in page

    # Remove asks on a page of its own; "No" keeps the line.
    ask = lead_client.get(f"/requests/{rid}/costs/{line.id}/remove").get_data(as_text=True)
    assert "Are you sure you want to remove Travel" in ask
    version = re.search(r'name="version" type="hidden" value="(\d+)"', ask).group(1)
    kept = lead_client.post(f"/requests/{rid}/costs/{line.id}/remove", data={"confirm": "no", "version": version})
    assert kept.headers["Location"].endswith(f"/requests/{rid}/costs#costs")
    removed = lead_client.post(
        f"/requests/{rid}/costs/{line.id}/remove", data={"confirm": "yes", "version": version}, follow_redirects=True
    ).get_data(as_text=True)
    assert "govuk-notification-banner--success" in removed and "Cost removed: Travel £1,250.50" in removed
    db.session.refresh(request)
    assert request.cost_lines == []
