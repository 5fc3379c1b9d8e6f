"""The publication list and FOI statistics, from live data, with sensitive requests never confirmed or denied."""

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from approvals import transparency, workflow
from approvals.human_rights import Assessment
from tests.conftest import advance, make_request, make_user, sign_in

TODAY = date.today()


def period_query(start, end):
    parts = [("date_from", start), ("date_to", end)]
    return "&".join(f"{name}={getattr(day, unit)}" for name, day in parts for unit in ("day", "month", "year"))


def ago(days):
    return TODAY - timedelta(days=days)


@pytest.fixture
def deployments(people):
    """A mix covering territories, every duration band, op/non-op, sensitive, out of period, declined and so on."""
    lead = people["lead"]
    made = {}

    def add(key, until, **values):
        made[key] = request = make_request(lead, title=key, **values)
        if until != "draft":
            advance(request, people, until=until if until in ("awaiting_pcc", "approved") else "approved")
        if until in ("deployed", "closed"):
            workflow.deploy(request.id, lead)
        if until == "closed":
            workflow.close(request.id, lead, 1_400_000, 1_000_000)
        return request

    add(
        "cayman",
        "approved",
        destination="KY",
        purpose="training",
        start_date=ago(60),
        end_date=ago(41),
        officers=2,
        staff=1,
        sponsor="fcdo",
        coordinating_unit="International Unit",
    )
    add(
        "jersey",
        "deployed",
        destination="JE",
        purpose="dvi",
        start_date=ago(10),
        end_date=ago(6),
        officers=3,
        staff=0,
        sponsor="un",
        coordinating_unit="DVI Team",
    )
    add(
        "pakistan",
        "closed",
        destination="PK",
        purpose="investigation",
        start_date=ago(200),
        end_date=ago(101),
        officers=1,
        staff=2,
        sponsor="bilateral",
        coordinating_unit="International Unit",
    )
    add(
        "secret", "approved", destination="AE", purpose="advising", start_date=ago(30), end_date=ago(20), sensitive=True
    )
    add("old", "approved", destination="BM", purpose="training", start_date=ago(800), end_date=ago(790))
    add("draft", "draft", destination="MT", start_date=ago(30), end_date=ago(20))
    add("at_gate", "awaiting_pcc", destination="NA", start_date=ago(30), end_date=ago(20))
    declined = make_request(lead, title="declined", destination="FJ", start_date=ago(30), end_date=ago(20))
    workflow.submit(declined.id, lead)
    workflow.decide(
        declined.id,
        people["chief"],
        workflow.DecisionInput("decline", "No", hr=Assessment(residual="low"), ethics_confirmed=True),
    )
    uk = make_request(
        lead,
        title="uk",
        destination="US",
        purpose="investigation",
        start_date=ago(15),
        end_date=ago(14),
        officers=2,
        staff=0,
        uk_investigation=True,
        uk_investigation_justification="Extradition escort",
        coordinating_unit="Major Crime",
    )
    workflow.submit(uk.id, lead)
    other = make_request(
        people["other_lead"], title="met", destination="GI", purpose="mentoring", start_date=ago(40), end_date=ago(30)
    )
    advance(other, people)
    return made


def test_publication_lists_countries_assisted_in_the_last_12_months_names_only(deployments):
    data = transparency.publication(TODAY)
    assert data["period"] == {"from": TODAY.replace(year=TODAY.year - 1).isoformat(), "to": TODAY.isoformat()}
    assert [c["name"] for c in data["countries"]] == ["Cayman Islands", "Gibraltar", "Jersey", "Pakistan"]
    assert {"code": "KY", "name": "Cayman Islands"} in data["countries"]


def test_the_public_page_needs_no_sign_in_and_never_shows_a_sensitive_destination(client, deployments):
    page = client.get("/transparency").get_data(as_text=True)
    assert "Cayman Islands" in page and "Jersey" in page
    for hidden in ("United Arab Emirates", "Bermuda", "Malta", "Namibia", "Fiji", "United States"):
        assert hidden not in page
    assert "Consideration of human rights and our Code of Ethics" in page


def test_foi_totals_and_every_breakdown(deployments):
    report = transparency.foi_statistics(ago(365), TODAY)
    data = report.as_json()
    # cayman, jersey, pakistan, uk (not required), met's gibraltar
    assert data["totals"] == {
        "deployments": 5,
        "officers": 2 + 3 + 1 + 2 + 2,
        "staff": 1 + 0 + 2 + 0 + 1,
        "operational": 3,
        "non_operational": 2,
        "foreign_personnel": 0,
    }
    assert report.excluded_sensitive == 1
    by_country = {row["code"]: row for row in data["by_country"]}
    assert set(by_country) == {"KY", "JE", "PK", "US", "GI"}
    assert by_country["JE"] == {
        "code": "JE",
        "name": "Jersey",
        "deployments": 1,
        "officers": 3,
        "staff": 0,
        "operational": 1,
        "non_operational": 0,
        "foreign_personnel": 0,
    }
    bands = {row["key"]: row["deployments"] for row in data["by_duration_band"]}
    assert bands == {"under_2_weeks": 3, "2_to_12_weeks": 1, "over_12_weeks": 1}  # 5, 2 and 11 days; 20; 100
    units = {row["key"]: row["deployments"] for row in data["by_unit"]}
    assert units == {"International Unit": 2, "DVI Team": 1, "Major Crime": 1, "International Policing Unit": 1}
    sponsors = {row["key"]: row["deployments"] for row in data["by_sponsor"]}
    assert sponsors == {"fcdo": 3, "un": 1, "bilateral": 1}
    purposes = {row["key"]: row["deployments"] for row in data["by_purpose"]}
    assert purposes == {"training": 1, "dvi": 1, "investigation": 2, "mentoring": 1}
    kinds = {row["key"]: row["deployments"] for row in data["assistance_kind"]}
    assert kinds == {"deployment_overseas": 5}


def test_foi_by_force_and_period(deployments):
    data = transparency.foi_statistics(ago(365), TODAY, "metropolitan").as_json()
    assert data["force"] == "metropolitan" and data["totals"]["deployments"] == 1
    recent = transparency.foi_statistics(ago(20), TODAY).as_json()
    assert {row["code"] for row in recent["by_country"]} == {"JE", "US"}


def test_cost_statement(deployments):
    report = transparency.foi_statistics(ago(365), TODAY, "north-yorkshire")
    assert report.full_cost_pence == 4 * 1_500_000  # cayman, jersey, pakistan, uk: demo costs of £15,000 each
    assert report.recovered_pence == 1_000_000


def test_the_foi_page_warns_of_exclusions_but_exports_never_mention_them(client, people, deployments):
    sign_in(client, people["foi"])
    query = period_query(ago(365), TODAY) + "&force="
    page = client.get(f"/reports/foi?{query}").get_data(as_text=True)
    assert "1 sensitive deployment excluded" in page
    csv_text = client.get(f"/reports/foi?{query}&format=csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0] == ["Protective marking: OFFICIAL"] and rows[-1] == rows[0]
    assert rows[2] == [
        "Breakdown",
        "Category",
        "Deployments",
        "Police officers",
        "Police staff",
        "Operational",
        "Non-operational",
        "Foreign personnel trained or hosted",
    ]
    assert ["Totals", "All deployments", "5", "10", "4", "3", "2", "0"] in rows
    assert "sensitive" not in csv_text.lower() and "United Arab Emirates" not in csv_text


def test_the_excel_export_has_a_sheet_per_breakdown_with_numbers_not_text(client, people, deployments):
    sign_in(client, people["foi"])
    query = period_query(ago(365), TODAY) + ""
    response = client.get(f"/reports/foi?{query}&format=xlsx")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == [
        "Totals",
        "By country or territory",
        "By purpose",
        "By sponsor",
        "By duration",
        "By coordinating unit",
        "By kind of assistance",
        "Notes",
    ]
    totals = {row[0]: row[1] for row in workbook["Totals"].iter_rows(min_row=2, values_only=True)}
    assert totals["Deployments"] == 5 and isinstance(totals["Police officers"], int)
    countries = [row for row in workbook["By country or territory"].iter_rows(min_row=2, values_only=True)]
    assert ("Jersey", 1, 3, 0, 1, 0, 0) in countries
    notes = dict(workbook["Notes"].iter_rows(min_row=2, values_only=True))
    assert "Crown Dependencies" in notes["International deployment"]


def test_formula_injection_is_neutralised_in_csv_and_excel(people):
    request = make_request(
        people["lead"],
        coordinating_unit='=HYPERLINK("http://evil.example","click")',
        start_date=ago(30),
        end_date=ago(20),
    )
    advance(request, people)
    report = transparency.foi_statistics(ago(365), TODAY)
    assert "'=HYPERLINK" in transparency.to_csv(report)
    workbook = load_workbook(io.BytesIO(transparency.to_xlsx(report)))
    cell = workbook["By coordinating unit"]["A2"]
    assert cell.value.startswith("'=") and cell.data_type == "s"


def test_a_force_foi_officer_sees_only_their_force(client, people, deployments):
    local = make_user("foi@met.example", "foi_officer", force_slug="metropolitan")
    sign_in(client, local)
    query = period_query(ago(365), TODAY)
    # Asking for another force is refused, as the API refuses it (one rule: approvals.policy.foi_scope).
    assert client.get(f"/reports/foi?{query}&force=north-yorkshire&format=csv").status_code == 403
    rows = list(csv.reader(io.StringIO(client.get(f"/reports/foi?{query}&format=csv").get_data(as_text=True))))
    assert ["Totals", "All deployments", "1", "2", "1", "0", "1", "0"] in rows


def test_only_foi_officers_reach_the_statistics(client, people):
    sign_in(client, people["lead"])
    assert client.get("/reports/foi").status_code == 403


def test_an_admin_edits_the_statement_of_principles(client, people):
    sign_in(client, people["admin"])
    client.post("/admin/principles", data={"body": "We uphold human rights.\n\nSecond paragraph."})
    page = client.get("/transparency").get_data(as_text=True)
    assert "We uphold human rights." in page and "Second paragraph." in page
