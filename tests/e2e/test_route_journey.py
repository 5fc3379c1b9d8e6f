"""Issue 23 in a real browser: the Home Office records a general authorisation and calls a request in; a lead adds
a contributing force; every new page is scanned with axe at 1280 px and must fit 320 px."""

import re
from datetime import date

from playwright.sync_api import expect

from approvals import route
from tests.conftest import advance, make_request
from tests.e2e.conftest import no_horizontal_scroll, visit
from tests.e2e.test_journeys import enrolled, sign_in  # noqa: F401 - enrolled is a fixture


def test_10_general_authorisation_call_in_and_contributing_forces(browser, live_url, page, people, enrolled):  # noqa: F811
    sign_in(page, people["home_office"], enrolled["home_office"])
    page.goto("/general-authorisations")
    visit(page, "general-authorisations")
    page.click("text=Record a general authorisation")
    page.click("button:has-text('Record general authorisation')")
    expect(page).to_have_title(re.compile("^Error: "))
    visit(page, "general-authorisation-new-error")
    page.fill("#reference", "GA-2026-01")
    page.fill("#title", "Non-operational training")
    page.get_by_label("Training", exact=True).check()
    page.fill("#max_personnel", "10")
    today = date.today()
    for name, day in (("valid_from", today), ("valid_to", today.replace(year=today.year + 1))):
        page.fill(f"#{name}-day", str(day.day))
        page.fill(f"#{name}-month", str(day.month))
        page.fill(f"#{name}-year", str(day.year))
    page.fill("#conditions", "Report within 30 days")
    page.click("button:has-text('Record general authorisation')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("GA-2026-01 recorded")
    visit(page, "general-authorisation")

    request = advance(make_request(people["lead"], general_authorisation="GA-2026-01"), people, "awaiting_pcc")
    page.goto("/general-authorisations/covered")
    visit(page, "general-authorisation-covered")
    page.click(f"text=Require individual consent for {request.reference}")
    page.click("button:has-text('Require individual consent')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why individual consent is required")
    visit(page, "call-in-error")
    page.fill("#reasons", "Ministers asked to see it")
    page.click("button:has-text('Require individual consent')")
    expect(page.locator("#consent-route")).to_contain_text("Called in by the Home Office")
    visit(page, "called-in-request")

    lead = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_url).new_page()
    draft = make_request(people["lead"], title="Joint deployment")
    sign_in(lead, people["lead"])
    lead.goto(f"/requests/{draft.id}/contributing-forces")
    visit(lead, "contributing-forces")
    lead.select_option("#force", "metropolitan")
    lead.fill("#officers", "2")
    lead.fill("#staff", "0")
    lead.click("button:has-text('Add force')")
    expect(lead.locator("table")).to_contain_text("Metropolitan Police Service")
    visit(lead, "contributing-forces-added")
    lead.goto(f"/requests/{draft.id}/sections/kind")
    visit(lead, "kind-of-assistance")

    home_office_pages = [
        "/general-authorisations",
        "/general-authorisations/GA-2026-01",
        "/general-authorisations/new",
        "/general-authorisations/covered",
    ]
    lead_pages = [f"/requests/{draft.id}/contributing-forces", f"/requests/{draft.id}/sections/kind"]
    for width_page, urls in ((page, home_office_pages), (lead, lead_pages)):
        width_page.set_viewport_size({"width": 320, "height": 800})
        for url in urls:
            width_page.goto(url)
            wide = width_page.evaluate(
                "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth)"
                ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
            )
            assert no_horizontal_scroll(width_page), (url, wide)
    assert route.find("GA-2026-01").conditions == "Report within 30 days"
