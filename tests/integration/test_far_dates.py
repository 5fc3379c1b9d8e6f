"""A date more than 5 years ahead is a slip (9999 for "open-ended"): refused at the field, on the web and the API."""

from datetime import date, timedelta

import pytest

from approvals import validation
from extensions import db
from models import AssistanceRequest
from tests.conftest import sign_in
from tests.integration.test_api import full_body, token_for
from tests.integration.test_request_journey import post_dates, start

FAR = date(9999, 12, 31)


def test_dates_up_to_five_years_ahead_are_accepted_and_beyond_are_refused_at_the_field():
    today = date(2026, 11, 26)
    latest = validation.latest_date(today)
    assert latest == date(2031, 11, 26)
    assert validation.date_errors(today, latest, False, None, today) == {}
    errors = validation.date_errors(today, latest + timedelta(days=1), False, None, today)
    assert errors == {"end_date": "End date must be no more than 5 years from today (on or before 26 November 2031)"}
    both = validation.date_errors(FAR, FAR, False, None, today)
    assert set(both) == {"start_date", "end_date"} and both["start_date"].startswith("Start date must be no more")


def test_five_years_from_29_february_is_28_february():
    assert validation.latest_date(date(2028, 2, 29)) == date(2033, 2, 28)


def test_the_web_form_refuses_an_end_date_in_9999_and_writes_nothing(client, people):
    sign_in(client, people["lead"])
    rid = start(client)
    response = post_dates(client, rid, date.today() + timedelta(days=30), FAR)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Error: " in page
    assert "End date must be no more than 5 years from today" in page
    assert 'href="#end_date' in page  # the error summary links to the field
    assert db.session.get(AssistanceRequest, rid).end_date is None


@pytest.mark.parametrize("field", ["start_date", "end_date"])
def test_the_api_refuses_a_date_in_9999_on_create_and_on_change(client, people, field):
    headers = token_for(people["lead"])
    body = full_body(**{field: FAR.isoformat()})
    if field == "start_date":
        body["end_date"] = FAR.isoformat()
    refused = client.post("/api/v1/requests", json=body, headers=headers)
    assert refused.status_code == 422 and "5 years from today" in refused.json["errors"][field]
    rid = client.post("/api/v1/requests", json=full_body(), headers=headers).json["id"]
    changed = client.patch(f"/api/v1/requests/{rid}", json={"end_date": FAR.isoformat()}, headers=headers)
    assert changed.status_code == 422 and "5 years from today" in changed.json["errors"]["end_date"]
    assert db.session.get(AssistanceRequest, rid).end_date != FAR
