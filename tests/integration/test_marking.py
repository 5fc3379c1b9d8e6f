"""Protective marking (issue 25 section 4): every request and document carries its Government Security
Classification; SECRET and above are refused on the web and the API; case pages, exports and generated PDFs show
it; and no email carries the detail of an OFFICIAL-SENSITIVE request, only a link to it."""

import csv
import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from approvals import disclosure, marking, notifications, queries, returns, workflow
from approvals.human_rights import Assessment
from extensions import db
from models import AssistanceRequest, CaseQuery, Document, OutboxMessage
from tests import sample_files as files
from tests.conftest import advance, make_request, make_user, sign_in
from tests.integration.test_api import token_for
from tests.integration.test_transparency import period_query

TODAY = date.today()


def documents_stored():
    return db.session.scalar(select(func.count()).select_from(Document))


# --- marking_of and the defaults ------------------------------------------------------------------------------


def test_a_request_is_official_unless_sensitive_and_a_sensitive_one_is_never_below_official_sensitive(people):
    plain = make_request(people["lead"], title="Plain")
    secret = make_request(people["lead"], title="Counter-terrorism", sensitive=True)
    assert (plain.marking, marking.marking_of(plain)) == ("OFFICIAL", "OFFICIAL")
    assert (secret.marking, marking.marking_of(secret)) == ("OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE")
    chosen = make_request(people["lead"], title="Chosen", marking="OFFICIAL-SENSITIVE")
    assert marking.marking_of(chosen) == "OFFICIAL-SENSITIVE"
    # Stored as OFFICIAL before it was flagged (an old row, a bulk update): still shown OFFICIAL-SENSITIVE.
    plain.sensitive = True
    assert marking.marking_of(plain) == "OFFICIAL-SENSITIVE"


def test_secret_and_above_are_never_a_marking_here():
    for value in ("SECRET", "secret", "TOP SECRET", "Top-Secret"):
        assert marking.error(value) == marking.NOT_ACCREDITED_MESSAGE
    assert marking.error("OFFICIAL") is None and marking.error("OFFICIAL-SENSITIVE") is None
    assert marking.error("OFFICIAL", sensitive=True) == marking.SENSITIVE_FLOOR_MESSAGE
    assert marking.error("PROTECT") == marking.CHOOSE_MESSAGE


# --- The request: web and API -----------------------------------------------------------------------------------


def test_the_lead_marks_a_request_on_the_web_and_secret_is_refused_with_the_reason(client, people):
    request = make_request(people["lead"], title="Plain")
    sign_in(client, people["lead"])
    url = f"/requests/{request.id}/sections/flags"
    page = client.get(url).get_data(as_text=True)
    assert "Protective marking" in page and 'value="OFFICIAL-SENSITIVE"' in page
    refused = client.post(url, data={"uk_investigation": "no", "sensitive": "no", "marking": "SECRET"})
    text = refused.get_data(as_text=True)
    assert (
        refused.status_code == 200
        and "not accredited for SECRET or TOP SECRET" in text
        and "govuk-error-summary" in text
    )
    floor = client.post(url, data={"uk_investigation": "no", "sensitive": "yes", "marking": "OFFICIAL"})
    assert marking.SENSITIVE_FLOOR_MESSAGE in floor.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AssistanceRequest, request.id).marking == "OFFICIAL"
    saved = client.post(url, data={"uk_investigation": "no", "sensitive": "no", "marking": "OFFICIAL-SENSITIVE"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(AssistanceRequest, request.id).marking == "OFFICIAL-SENSITIVE"
    # Flagging a request sensitive without choosing raises its marking.
    other = make_request(people["lead"], title="Other")
    assert (
        client.post(
            f"/requests/{other.id}/sections/flags", data={"uk_investigation": "no", "sensitive": "yes"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(AssistanceRequest, other.id).marking == "OFFICIAL-SENSITIVE"


def test_the_api_shows_the_marking_defaults_it_and_refuses_secret(client, people):
    headers = token_for(people["lead"])
    created = client.post(
        "/api/v1/requests", json={"title": "Counter-terrorism advice", "sensitive": True}, headers=headers
    )
    assert created.status_code == 201, created.json
    assert created.json["marking"] == "OFFICIAL-SENSITIVE"
    rid = created.json["id"]
    secret = client.patch(f"/api/v1/requests/{rid}", json={"marking": "SECRET"}, headers=headers)
    assert secret.status_code == 422 and "not accredited" in secret.json["errors"]["marking"]
    lowered = client.patch(f"/api/v1/requests/{rid}", json={"marking": "OFFICIAL"}, headers=headers)
    assert lowered.status_code == 422 and lowered.json["errors"]["marking"] == marking.SENSITIVE_FLOOR_MESSAGE
    plain = client.post("/api/v1/requests", json={"title": "Training"}, headers=headers)
    assert plain.json["marking"] == "OFFICIAL"
    raised = client.patch(
        f"/api/v1/requests/{plain.json['id']}", json={"marking": "OFFICIAL-SENSITIVE"}, headers=headers
    )
    assert raised.status_code == 200 and raised.json["marking"] == "OFFICIAL-SENSITIVE"


# --- Documents --------------------------------------------------------------------------------------------------


def test_a_document_marked_secret_is_refused_on_the_web_and_nothing_is_stored(client, people):
    request = make_request(people["lead"], letter=False)
    sign_in(client, people["lead"])
    form = {
        "document-kind": "business_case",
        "document-description": "Business case",
        "document-marking": "SECRET",
        "document-file": (io.BytesIO(files.pdf()), "case.pdf", "application/pdf"),
    }
    response = client.post(f"/requests/{request.id}/documents", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "not accredited for SECRET or TOP SECRET" in page
    assert 'href="#document-marking"' in page
    assert documents_stored() == 0
    form["document-marking"] = "OFFICIAL-SENSITIVE"
    form["document-file"] = (io.BytesIO(files.pdf()), "case.pdf", "application/pdf")
    assert client.post(f"/requests/{request.id}/documents", data=form).status_code == 302
    assert db.session.scalars(select(Document)).one().marking == "OFFICIAL-SENSITIVE"
    listing = client.get(f"/requests/{request.id}/documents").get_data(as_text=True)
    assert "OFFICIAL-SENSITIVE" in listing


def test_a_document_marked_secret_is_refused_on_the_api_and_a_sensitive_requests_are_official_sensitive(client, people):
    plain = make_request(people["lead"], letter=False)
    secret = make_request(people["lead"], title="CT", letter=False, sensitive=True)
    headers = token_for(people["lead"])

    def post(request, **extra):
        data = {"kind": "business_case", "description": "Case", "file": (io.BytesIO(files.pdf()), "c.pdf"), **extra}
        return client.post(f"/api/v1/requests/{request.id}/documents", data=data, headers=headers)

    refused = post(plain, marking="TOP SECRET")
    assert refused.status_code == 422 and "not accredited" in refused.json["errors"]["marking"]
    assert documents_stored() == 0
    assert post(plain).json["marking"] == "OFFICIAL"
    # A document on a sensitive request is never below OFFICIAL-SENSITIVE, whatever was declared.
    assert post(secret, marking="OFFICIAL").json["marking"] == "OFFICIAL-SENSITIVE"
    listed = client.get(f"/api/v1/requests/{secret.id}/documents", headers=headers).json
    assert {d["marking"] for d in listed["items"]} == {"OFFICIAL-SENSITIVE"}


# --- Page banners -----------------------------------------------------------------------------------------------


def test_case_pages_carry_the_marking_above_and_below_and_public_pages_do_not(client, people):
    secret = make_request(people["lead"], title="CT", sensitive=True)
    plain = make_request(people["lead"], title="Plain")
    sign_in(client, people["lead"])
    for path in (f"/requests/{secret.id}", f"/requests/{secret.id}/tasks", f"/requests/{secret.id}/documents"):
        page = client.get(path).get_data(as_text=True)
        assert page.count('data-marking="OFFICIAL-SENSITIVE"') == 2, path
    assert client.get(f"/requests/{plain.id}").get_data(as_text=True).count('data-marking="OFFICIAL"') == 2
    advance(secret, people, until="awaiting_chief_officer")
    client.post("/sign-out")
    sign_in(client, people["chief"])
    assert 'data-marking="OFFICIAL-SENSITIVE"' in client.get(f"/requests/{secret.id}/decide").get_data(as_text=True)
    assert "data-marking" not in client.get("/transparency").get_data(as_text=True)


# --- Exports and generated documents ----------------------------------------------------------------------------


def test_the_foi_statistics_exports_carry_the_marking(client, people):
    sign_in(client, people["foi"])
    year_ago = TODAY - timedelta(days=365)
    query = period_query(year_ago, TODAY) + "&force="
    rows = list(csv.reader(io.StringIO(client.get(f"/reports/foi?{query}&format=csv").get_data(as_text=True))))
    assert rows[0] == rows[-1] == ["Protective marking: OFFICIAL"]
    workbook = load_workbook(io.BytesIO(client.get(f"/reports/foi?{query}&format=xlsx").data))
    assert all(s.oddHeader.center.text == "OFFICIAL" == s.oddFooter.center.text for s in workbook.worksheets)
    assert workbook.properties.category == "OFFICIAL"
    api = client.get(
        f"/api/v1/reports/foi?from={year_ago.isoformat()}&to={TODAY.isoformat()}", headers=token_for(people["foi"])
    )
    assert api.json["marking"] == "OFFICIAL"


def test_a_return_listing_a_sensitive_request_is_official_sensitive(people):
    ny = people["lead"].force
    week_ago = TODAY - timedelta(days=7)
    plain = make_request(people["lead"], title="Plain")
    workflow.submit(plain.id, people["lead"])
    result = returns.period_return(ny, week_ago, TODAY)
    assert result.as_json()["marking"] == "OFFICIAL"
    secret = make_request(people["lead"], title="CT", sensitive=True)
    workflow.submit(secret.id, people["lead"])
    result = returns.period_return(ny, week_ago, TODAY)
    assert result.as_json()["marking"] == "OFFICIAL-SENSITIVE"
    workbook = load_workbook(io.BytesIO(returns.to_xlsx(result)))
    assert {s.oddHeader.center.text for s in workbook.worksheets} == {"OFFICIAL-SENSITIVE"}
    assert {s.oddFooter.center.text for s in workbook.worksheets} == {"OFFICIAL-SENSITIVE"}


def test_the_national_picture_and_a_return_are_marked_on_the_page_and_in_their_json(app, client, people):
    """Both count sensitive requests: OFFICIAL while none is held (or counted, for a return), OFFICIAL-SENSITIVE once
    one is, in the page banner (top and bottom) and the JSON."""
    first, last = returns.month_period(TODAY.year, TODAY.month)
    return_page = f"/reports/returns?force=north-yorkshire&from={first.isoformat()}&to={last.isoformat()}"
    api_return = f"/api/v1/reports/returns?force=north-yorkshire&from={first.isoformat()}&to={last.isoformat()}"
    headers = token_for(people["home_office"])
    sign_in(client, people["home_office"])

    def marks():
        national = client.get("/reports/national").get_data(as_text=True)
        the_return = client.get(return_page).get_data(as_text=True)
        return (
            re.findall(r'data-marking="([A-Z-]+)"', national),
            client.get("/api/v1/reports/national", headers=headers).json["marking"],
            re.findall(r'data-marking="([A-Z-]+)"', the_return),
            client.get(api_return, headers=headers).json["marking"],
        )

    workflow.submit(make_request(people["lead"], title="Plain").id, people["lead"])
    assert marks() == (["OFFICIAL"] * 2, "OFFICIAL", ["OFFICIAL"] * 2, "OFFICIAL")
    workflow.submit(make_request(people["lead"], title="CT", sensitive=True).id, people["lead"])
    sensitive = marking.OFFICIAL_SENSITIVE
    assert marks() == ([sensitive] * 2, sensitive, [sensitive] * 2, sensitive)


def test_the_public_exports_are_marked_official(client, people):
    data = client.get("/transparency/north-yorkshire?format=json").json
    assert data["marking"] == "OFFICIAL"
    rows = list(csv.reader(io.StringIO(client.get("/transparency/north-yorkshire?format=csv").get_data(as_text=True))))
    assert rows[0] == rows[-1] == ["Protective marking: OFFICIAL"]
    assert client.get("/decisions/north-yorkshire?format=json").json["marking"] == "OFFICIAL"
    text = client.get("/decisions/north-yorkshire?format=csv").get_data(as_text=True)
    assert text.splitlines()[0] == text.splitlines()[-1] == "Protective marking: OFFICIAL"


def test_the_foi_response_letter_carries_its_marking_in_the_header_and_footer_of_every_page(people):
    officer = make_user("foi@met.example", "foi_officer", force_slug="metropolitan")
    # Enough questions for several pages, so every page's header and footer is checked.
    case = disclosure.open_case(officer, "Deployments\n" * 5, TODAY, [f"Question {i} " * 30 for i in range(40)])
    letter = disclosure.response_letter(case)
    pdf = disclosure.letter_pdf(letter, compress=False)
    page_count = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert page_count >= 2
    assert pdf.count(b"(OFFICIAL)") == 2 * page_count
    docx = zipfile.ZipFile(io.BytesIO(disclosure.letter_docx(letter)))
    headers = [n for n in docx.namelist() if n.startswith(("word/header", "word/footer"))]
    assert headers and all("OFFICIAL" in docx.read(n).decode() for n in headers)
    text = disclosure.letter_text(letter).splitlines()
    assert text[0] == text[-1] == "OFFICIAL"


# --- Emails -----------------------------------------------------------------------------------------------------


def rendered(request):
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.request_id == request.id)).all()
    for message in messages:
        notifications.render(message)
    return [f"{m.subject}\n{m.body_text}\n{m.body_html}" for m in messages]


@pytest.mark.parametrize("sensitive", [False, True])
def test_emails_about_an_official_sensitive_request_carry_no_detail_only_the_link(app, people, sensitive):
    request = make_request(
        people["lead"], title="Operation Nightjar", destination="AE", sensitive=sensitive, letter=True
    )
    advance(request, people, until="awaiting_pcc")
    queries.ask(request.id, people["pcc"], "Which unit in Abu Dhabi hosts the team?")
    queries.answer(
        request.id,
        people["lead"],
        db.session.scalars(select(CaseQuery)).one().id,
        "The Dubai Police Academy hosts them.",
    )
    workflow.decide(
        request.id,
        people["pcc"],
        workflow.DecisionInput(
            "return", "Confirm the Emirati sponsor", hr=Assessment(residual="low"), ethics_confirmed=True
        ),
    )
    with app.test_request_context():
        emails = rendered(request)
    assert len(emails) >= 4
    details = ("Operation Nightjar", "United Arab Emirates", "Abu Dhabi", "Dubai Police Academy", "Emirati sponsor")
    everything = "\n".join(emails)
    if sensitive:
        for detail in details:
            assert detail not in everything, detail
        assert all(f"/requests/{request.id}" in email for email in emails)
        assert marking.WITHHELD_IN_EMAIL in everything and "destination not shown" in everything
        assert f"Request: {request.reference} – OFFICIAL-SENSITIVE" in everything  # the facts line (issue 26)
    else:  # the same emails of an OFFICIAL request do carry the detail: the check above can fail
        assert all(detail in everything for detail in details)
