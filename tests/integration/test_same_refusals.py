"""The web form and the API refuse the same things (issue 27): each row's bad value is sent to the request's section
page and to PATCH /api/v1/requests/{id}; both must refuse it, naming the same field, and neither may save it."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from approvals.validation import MAX_YEARS_AHEAD
from extensions import db
from models import AssistanceRequest, CaseNote
from tests.conftest import future, make_request, sign_in
from tests.integration.test_api import token_for

START, END = future(30), future(49)
FAR = future(366 * MAX_YEARS_AHEAD + 2)


def _day(value):
    return [value.day, value.month, value.year]


# Each section's answers as the form sends them, all valid: a row changes one or two of them.
VALID = {
    "about": {
        "title": "Interview training",
        "requesting_body": "Royal Cayman Islands Police Service",
        "requesting_body_kind": "foreign_policing_agency",
    },
    "purpose": {
        "destination": "KY",
        "destination_place": "George Town",
        "purpose": "training",
        "purpose_details": "Interviewing training",
        "sponsor": "fcdo",
        "sponsor_other": "",
    },
    "dates": {"start_date": _day(START), "end_date": _day(END), "retrospective": "no", "urgent": "no"},
    "personnel": {
        "officers": "2",
        "staff": "1",
        "personnel_roles": "Trainers",
        "coordinating_unit": "IPU",
        "mission_reference": "Op Demo",
    },
    "flags": {"uk_investigation": "no", "sensitive": "no", "marking": "OFFICIAL", "contentious": "no"},
}

# (section, the form's answers, the same answers as API JSON, the field both must name)
ROWS = [
    ("about", {"title": ""}, {"title": ""}, "title"),
    ("about", {"title": "x" * 201}, {"title": "x" * 201}, "title"),
    ("about", {"title": "\u200b\u200b"}, {"title": "\u200b\u200b"}, "title"),
    ("about", {"requesting_body_kind": "alien"}, {"requesting_body_kind": "alien"}, "requesting_body_kind"),
    ("purpose", {"destination": "ZZ"}, {"destination": "ZZ"}, "destination"),
    ("purpose", {"destination": "GB"}, {"destination": "GB"}, "destination"),
    ("purpose", {"purpose": "sightseeing"}, {"purpose": "sightseeing"}, "purpose"),
    ("purpose", {"sponsor": "nobody"}, {"sponsor": "nobody"}, "sponsor"),
    ("purpose", {"sponsor": "other"}, {"sponsor": "other", "sponsor_other": ""}, "sponsor_other"),
    ("purpose", {"destination_place": "x" * 201}, {"destination_place": "x" * 201}, "destination_place"),
    ("dates", {"end_date": _day(START - timedelta(days=1))}, {"end_date": str(START - timedelta(days=1))}, "end_date"),
    (
        "dates",
        {"start_date": _day(FAR), "end_date": _day(FAR)},
        {"start_date": str(FAR), "end_date": str(FAR)},
        "start_date",
    ),
    ("dates", {"start_date": _day(future(-3))}, {"start_date": str(future(-3))}, "start_date"),
    ("dates", {"urgent": "yes"}, {"urgent": True}, "urgent_reason"),
    ("personnel", {"officers": "0", "staff": "0"}, {"officers": 0, "staff": 0}, "officers"),
    ("personnel", {"officers": "1001"}, {"officers": 1001}, "officers"),
    ("personnel", {"officers": "-1"}, {"officers": -1}, "officers"),
    ("personnel", {"officers": "2.5"}, {"officers": 2.5}, "officers"),
    ("flags", {"marking": "SECRET"}, {"marking": "SECRET"}, "marking"),
    ("flags", {"sensitive": "yes", "marking": "OFFICIAL"}, {"sensitive": True, "marking": "OFFICIAL"}, "marking"),
    ("flags", {"contentious": "yes"}, {"contentious": True}, "contentious_reason"),
    ("flags", {"uk_investigation": "yes"}, {"uk_investigation": True}, "uk_investigation_justification"),
]


def _form(section, changes, version):
    data = MultiDict({"version": str(version)})
    for name, value in {**VALID[section], **changes}.items():
        for part in value if isinstance(value, list) else [value]:
            data.add(name, str(part))
    return data


@pytest.mark.parametrize("section,web,api,field", ROWS, ids=[f"{row[0]}-{row[3]}-{i}" for i, row in enumerate(ROWS)])
def test_the_web_form_and_the_api_refuse_the_same_bad_values(client, people, section, web, api, field):
    item = make_request(people["lead"], title="Interview training")
    before = item.version
    sign_in(client, people["lead"])
    page = client.post(f"/requests/{item.id}/sections/{section}", data=_form(section, web, before))
    html = page.get_data(as_text=True)
    assert page.status_code in (200, 400, 422), "the form saved what the API refuses"
    assert f'href="#{field}' in html, f"the form's error summary does not name {field}"
    answer = client.patch(f"/api/v1/requests/{item.id}", json=api, headers=token_for(people["lead"]))
    assert answer.status_code == 422 and field in answer.json["errors"], answer.json
    db.session.expire_all()
    assert db.session.get(AssistanceRequest, item.id).version == before  # neither saved anything


# The other forms that share rules with the API: money bounds and choices (the costs page in pounds, the API's
# cost_lines and funding in pence), reasons that must say something (withdrawing) and notes. Each row: the web form's
# path, its answers, the id its error summary links to; then the API's method, path and JSON, and the field it names.
MONEY = {"cost-category": "travel", "cost-amount": "1250", "cost-submit": "Add cost"}
FUNDING = {
    "funding-source": "home_office",
    "funding-amount": "100",
    "funding-committed": "yes",
    "funding-submit": "Add",
}


def _cost(**line):
    return {"cost_lines": [{"category": "travel", "amount_pence": 125000, **line}]}


def _funding(**line):
    return {"funding": [{"source": "home_office", "amount_pence": 10000, "committed": True, **line}]}


ACTION_ROWS = [
    ("costs", {**MONEY, "cost-amount": "100000000.01"}, "cost-amount", "PATCH", "", _cost(amount_pence=10**10 + 1),
     "cost_lines.0.amount_pence"),
    ("costs", {**MONEY, "cost-amount": "-5"}, "cost-amount", "PATCH", "", _cost(amount_pence=-500),
     "cost_lines.0.amount_pence"),
    ("costs", {**MONEY, "cost-amount": "12.345"}, "cost-amount", "PATCH", "", _cost(amount_pence=1234.5),
     "cost_lines.0.amount_pence"),
    ("costs", {**MONEY, "cost-category": "bribes"}, "cost-category", "PATCH", "", _cost(category="bribes"),
     "cost_lines.0.category"),
    ("costs", {**MONEY, "cost-description": "x" * 201}, "cost-description", "PATCH", "", _cost(description="x" * 201),
     "cost_lines.0.description"),
    ("costs", {**FUNDING, "funding-source": "lottery"}, "funding-source", "PATCH", "", _funding(source="lottery"),
     "funding.0.source"),
    ("costs", {**FUNDING, "funding-amount": "100000000.01"}, "funding-amount", "PATCH", "",
     _funding(amount_pence=10**10 + 1), "funding.0.amount_pence"),
    ("withdraw", {"reason": ""}, "reason", "POST", "/withdraw", {"reason": ""}, "reason"),
    ("withdraw", {"reason": " \u200b "}, "reason", "POST", "/withdraw", {"reason": " \u200b "}, "reason"),
    ("withdraw", {"reason": "x" * 2001}, "reason", "POST", "/withdraw", {"reason": "x" * 2001}, "reason"),
    ("notes", {"text": ""}, "text", "POST", "/notes", {"text": ""}, "text"),
    ("notes", {"text": "x" * 2001}, "text", "POST", "/notes", {"text": "x" * 2001}, "text"),
]  # fmt: skip


@pytest.mark.parametrize(
    "page,web,web_field,method,path,api,field",
    ACTION_ROWS,
    ids=[f"{row[0]}-{row[6]}-{i}" for i, row in enumerate(ACTION_ROWS)],  # fmt: skip
)
def test_the_other_forms_and_the_api_refuse_the_same_bad_values(
    client, people, page, web, web_field, method, path, api, field
):
    item = make_request(people["lead"], title="Interview training")
    before = _saved(item.id)
    sign_in(client, people["lead"])
    version = {"cost-version" if page == "costs" else "version": str(before[0])}
    answer = client.post(f"/requests/{item.id}/{page}", data={**version, **web})
    assert answer.status_code in (200, 400, 422), "the form saved what the API refuses"
    assert f'href="#{web_field}' in answer.get_data(as_text=True), f"the form's error summary does not name {web_field}"
    headers = token_for(people["lead"])
    refused = client.open(f"/api/v1/requests/{item.id}{path}", method=method, json=api, headers=headers)
    assert refused.status_code == 422 and field in refused.json["errors"], refused.json
    assert _saved(item.id) == before  # neither saved anything


def _saved(request_id):
    db.session.expire_all()
    item = db.session.get(AssistanceRequest, request_id)
    notes = db.session.scalar(select(func.count()).select_from(CaseNote).where(CaseNote.request_id == request_id))
    return item.version, len(item.cost_lines), len(item.funding), notes
