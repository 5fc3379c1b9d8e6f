"""Issue 18 in a real browser: a PCC office opens its force's return and downloads it; the Home Office opens the
national picture. Both at 1280 and 320 px, scanned with axe."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from approvals import workflow
from tests.conftest import advance, make_request
from tests.e2e.conftest import no_horizontal_scroll, visit
from tests.e2e.test_journeys import enrolled, fill_date, sign_in  # noqa: F401 - enrolled is a fixture


@pytest.fixture
def work(people):
    """A month's work: North Yorkshire's deployment, a sensitive one and one waiting at the PCC; the Met's own."""
    lead = people["lead"]
    deployed = advance(make_request(lead, title="Investigative interviewing training", destination="KY"), people)
    workflow.deploy(deployed.id, lead, date.today(), reason="Started early")
    secret = advance(make_request(lead, title="Advice to a security body", destination="AE", sensitive=True), people)
    workflow.deploy(secret.id, lead, date.today(), reason="Started early")
    advance(
        make_request(lead, title="Public order advice for a regional summit", destination="NA"),
        people,
        until="awaiting_pcc",
    )
    met = advance(make_request(people["other_lead"], title="Disaster victim identification", destination="GI"), people)
    workflow.deploy(met.id, people["other_lead"], date.today(), reason="Started early")


def test_9_a_pcc_office_reads_and_downloads_its_return(page, people, enrolled, work):  # noqa: F811
    sign_in(page, people["pcc"], enrolled["pcc"])
    page.get_by_role("link", name="Returns").first.click()
    expect(page.locator("h1")).to_contain_text("Section 26 return")
    today = date.today()
    fill_date(page, "date_from", today.replace(day=1))
    fill_date(page, "date_to", today)
    page.click("button:has-text('Show the return')")
    expect(page.locator("#figure-received")).to_have_text("3")
    expect(page.locator("#figure-deployed")).to_have_text("2")
    expect(page.locator("main")).to_contain_text("Public order advice for a regional summit")
    expect(page.locator("main")).not_to_contain_text("Disaster victim identification")
    visit(page, "pcc-return")
    with page.expect_download() as info:
        page.click("text=Download Excel (.xlsx)")
    workbook = load_workbook(BytesIO(open(info.value.path(), "rb").read()))
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert summary["Requests received"] == 3 and summary["of which sensitive"] == 1
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert no_horizontal_scroll(page), "the return scrolls sideways at 320 px"
    visit(page, "pcc-return-320")


def test_10_the_home_office_reads_the_national_picture(page, people, enrolled, work):  # noqa: F811
    sign_in(page, people["home_office"], enrolled["home_office"])
    page.get_by_role("link", name="National picture").first.click()
    expect(page.locator("h1")).to_contain_text("The national picture")
    expect(page.locator("svg.s26-chart__svg")).to_have_count(5)
    expect(page.locator("#chart-countries table")).to_contain_text("Gibraltar")
    expect(page.locator("#chart-regions table")).to_contain_text("Middle East and North Africa")
    visit(page, "national-picture")
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert no_horizontal_scroll(page), "the national picture scrolls sideways at 320 px"
    visit(page, "national-picture-320")
