"""Issue 24 in a real browser: the lead names the people who go (GOV.UK's add-another pattern) and keeps the OSJA
assessment; the chief officer sees both on the decision page with what changed; the PCC office stops long-running
work at its review; the admin's rate card. Scanned with axe, at 1280 and 320 px."""

from datetime import date, timedelta

import pyotp
from playwright.sync_api import expect

from approvals import osja, workflow
from extensions import db
from tests.conftest import advance, make_request
from tests.e2e.conftest import no_horizontal_scroll, visit
from tests.e2e.test_journeys import enrolled, fill_date, sign_in  # noqa: F401 - enrolled is a fixture


def enrol(user):
    """A decider or admin who has set up two-factor sign-in already; their secret."""
    user.totp_secret, user.totp_confirmed = pyotp.random_base32(), True
    db.session.commit()
    return user.totp_secret


def test_11_a_lead_names_the_people_and_the_chief_sees_them_with_the_assessment(page, people, enrolled):  # noqa: F811
    request = make_request(people["lead"], officers=1, staff=0)
    sign_in(page, people["lead"])
    page.goto(f"/requests/{request.id}/tasks")
    page.click("text=People deployed")
    expect(page.locator("h1")).to_have_text("People deployed")
    page.click("text=Add a person")
    visit(page, "add-a-person")
    page.fill("#name", "Zebedee Quartermaine")
    page.fill("#email", "zebedee@ny.example")
    page.get_by_label("Police officer").check()
    page.fill("#rank", "Detective Sergeant")
    page.fill("#role", "Lead trainer")
    page.get_by_label("Temporary service under section 26").check()
    page.click("button:has-text('Save person')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter when temporary service starts")
    fill_date(page, "service_start", request.start_date)
    fill_date(page, "reversion_date", request.end_date)
    page.fill("#days", "20")
    page.get_by_role("group", name="Who holds the insurance?").get_by_label("This force").check()
    page.click("button:has-text('Save person')")
    expect(page.locator(".govuk-summary-card__title")).to_have_text("Zebedee Quartermaine")
    expect(page.get_by_role("link", name="Add another person")).to_be_visible()
    visit(page, "people-deployed")
    page.set_viewport_size({"width": 320, "height": 800})
    assert no_horizontal_scroll(page), "the people page scrolls sideways at 320 px"
    page.goto(f"/requests/{request.id}/osja")
    assert no_horizontal_scroll(page), "the OSJA page scrolls sideways at 320 px"
    visit(page, "osja-320")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/requests/{request.id}/tasks")
    expect(page.locator(".govuk-task-list")).to_contain_text("People deployed")

    workflow.submit(request.id, people["lead"])
    page.click("button:has-text('Sign out')")
    sign_in(page, people["chief"], enrol(people["chief"]))
    page.goto(f"/requests/{request.id}/decide")
    expect(page.locator("#people + .s26-table-wrap")).to_contain_text("Zebedee Quartermaine")
    expect(page.locator("main")).to_contain_text("OSJA assessment (version 1)")
    visit(page, "decision-with-osja-and-people")
    page.goto(f"/requests/{request.id}/osja/versions")
    visit(page, "osja-versions")


def test_12_the_pcc_office_stops_long_running_work_at_its_review(page, people, enrolled):  # noqa: F811
    start = date.today() - timedelta(days=400)
    request = advance(
        make_request(people["lead"], start_date=start, end_date=start + timedelta(days=800), retrospective=True), people
    )
    workflow.deploy(request.id, people["lead"], start)
    assert osja.is_review_overdue(request)
    sign_in(page, people["pcc"], enrolled["pcc"])
    expect(page.locator("#overdue-osja-reviews")).to_contain_text(request.reference)
    page.locator("#overdue-osja-reviews").get_by_role("link", name=request.reference).click()
    expect(page.locator("h1")).to_have_text("Review of long-running work")
    page.get_by_label("Stop: end the work early").check()
    page.click("button:has-text('Record review')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give your reasons")
    page.fill("#reasons", "The recipient unit has been implicated in abuses")
    page.click("button:has-text('Record review')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("the work is stopped")
    visit(page, "osja-review-stopped")
    page.goto("/")
    expect(page.locator("#overdue-osja-reviews")).to_have_count(0)


def test_13_the_admin_keeps_the_rate_card(page, people):
    sign_in(page, people["admin"], enrol(people["admin"]))
    page.goto("/admin/rates")
    page.select_option("#force", str(people["lead"].force_id))
    page.fill("#rank", "Detective Sergeant")
    page.fill("#daily_rate", "330")
    fill_date(page, "effective_from", date(2027, 4, 1))
    page.click("button:has-text('Add rate')")
    expect(page.locator("table")).to_contain_text("Detective Sergeant")
    visit(page, "rate-card")
