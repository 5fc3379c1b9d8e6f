"""Disclosure pages in a real browser (issue 25): an FOI officer opens a case, decides an item and reads the
letter; a PCC office publishes a decision record; the public decision and per-force transparency pages. Every
page is scanned with axe at 1280 px and must fit 320 px."""

import re

import pytest
from playwright.sync_api import expect

from approvals import disclosure
from tests.conftest import advance, make_request, make_user
from tests.e2e.conftest import new_page, no_horizontal_scroll, visit
from tests.e2e.test_journeys import enrolled, sign_in  # noqa: F401 - enrolled is a fixture


def test_9_foi_case_decision_record_and_public_pages(browser, live_url, page, people, enrolled):  # noqa: F811
    officer = make_user("foi@ny.example", "foi_officer", force_slug="north-yorkshire")
    request = advance(make_request(people["lead"], title="Interview training"), people, until="awaiting_home_secretary")

    sign_in(page, officer)
    page.goto("/foi-cases")
    visit(page, "foi-cases")
    page.click("text=Open an FOI case")
    page.click("button:has-text('Open the FOI case')")
    expect(page).to_have_title(re.compile("^Error: "))
    visit(page, "foi-case-new-error")
    page.fill("#request_text", "How many officers did you deploy overseas, and where?")
    page.fill("#received_on-day", "2")
    page.fill("#received_on-month", "1")
    page.fill("#received_on-year", "2026")
    page.fill("#questions", "How many officers?\nWhich countries?")
    for name, (day, month, year) in (("period_from", (1, 1, 2025)), ("period_to", (31, 12, 2025))):
        page.fill(f"#{name}-day", str(day))
        page.fill(f"#{name}-month", str(month))
        page.fill(f"#{name}-year", str(year))
    page.click("button:has-text('Open the FOI case')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("due by 30 January 2026")
    visit(page, "foi-case")
    page.click("text=Add an item to question 2")
    page.fill("#label", "Countries and officers per country")
    page.select_option("#source", "by_country")
    page.get_by_label("Withhold under one or more exemptions").check()
    page.get_by_label("Section 27(1)(a) – International relations").check()
    page.click("button:has-text('Save item')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the factors favouring disclosure")
    visit(page, "foi-item-error")
    page.fill("#pit_for", "Transparency about public money.")
    page.fill("#pit_against", "Trust between states.")
    page.fill("#pit_conclusion", "The balance favours withholding.")
    page.click("button:has-text('Save item')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Item saved")
    page.click("text=Read and print the response letter")
    expect(page.locator("main")).to_contain_text("section 27(1)(a) of the Act")
    visit(page, "foi-response-letter")
    page.goto("/")
    expect(page.locator("#overdue-foi-cases")).to_contain_text("Overdue")
    visit(page, "inbox-with-overdue-foi-case")

    pcc = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_url).new_page()
    sign_in(pcc, people["pcc"], enrolled["pcc"])
    pcc.goto("/decision-records")
    visit(pcc, "decision-records")
    pcc.click(f"text=Section 26 international assistance: {request.reference}")
    pcc.fill("#reasons", "Builds investigative capability; full cost recovered.")
    pcc.get_by_label("This decision is of significant public interest").check()
    pcc.click("button:has-text('Save')")
    expect(pcc.locator(".govuk-notification-banner")).to_contain_text("Decision record saved")
    visit(pcc, "decision-record")
    pcc.click("button:has-text('Publish the public part')")
    expect(pcc.locator(".govuk-notification-banner")).to_contain_text("published")

    page.goto("/decisions/north-yorkshire")
    expect(page.locator("main")).to_contain_text("Builds investigative capability")
    expect(page.locator("main")).not_to_contain_text("Reasons recorded at the gate")
    visit(page, "public-decisions")
    page.goto("/transparency/north-yorkshire")
    expect(page.locator("main")).to_contain_text("British citizens deployed overseas")
    visit(page, "force-transparency")


@pytest.mark.parametrize("width", [320])
def test_disclosure_pages_fit_320_px(browser, live_url, people, width):
    officer = make_user("foi@ny.example", "foi_officer", force_slug="north-yorkshire")
    case = disclosure.open_case(officer, "A request " * 40, disclosure.date(2026, 1, 2), ["A question " * 20])
    disclosure.save_item(
        case.questions[0], officer, {"label": "Officers deployed", "source": "total_officers", "decision": "disclose"}
    )
    context = browser.new_context(viewport={"width": width, "height": 800}, base_url=live_url)
    page = context.new_page()
    sign_in(page, officer)
    for url in (
        "/foi-cases",
        "/foi-cases/new",
        f"/foi-cases/{case.id}",
        f"/foi-cases/{case.id}/questions/{case.questions[0].id}/items/new",
        f"/foi-cases/{case.id}/response",
        "/decisions/north-yorkshire",
        "/transparency/north-yorkshire",
    ):
        page.goto(url)
        assert no_horizontal_scroll(page), f"{url} scrolls sideways at {width}px"
        visit(page, f"{url.strip('/').replace('/', '-')}-{width}")
    context.close()


def test_every_disclosure_page_in_english_and_welsh_is_axe_clean(browser, live_url, people, enrolled):  # noqa: F811
    """Issue 25: every new page in English and in Welsh, with no axe violation of any impact. The language is chosen
    once with ?lang= and remembered from page to page (<html lang> says which, the switch offers the other). The FOI
    and decision-record pages (the staff's, not translated yet) keep their content marked English; the public pages
    (the national page, the force's page with a country on it, the published decisions with a record) are Welsh. The
    forms' error states too."""
    from datetime import date, timedelta

    from tests.e2e.test_welsh_and_marking import clean

    officer = make_user("foi@ny.example", "foi_officer", force_slug="north-yorkshire")
    today = date.today()
    request = make_request(
        people["lead"],
        title="Interview training",
        destination="KY",
        start_date=today - timedelta(days=40),
        end_date=today - timedelta(days=30),
    )
    assert advance(request, people).state == "approved"
    disclosure.ensure_decision_records(request.force_id)
    [row] = disclosure.decision_records(request.force_id)
    disclosure.save_decision_record(
        row, people["pcc"], {"reasons": "Builds investigative capability.", "significant_public_interest": True}
    )
    disclosure.publish_decision_record(row, people["pcc"])
    case = disclosure.open_case(
        officer, "How many officers, and where?", today - timedelta(days=60), ["How many?", "Where?"]
    )
    pit = {"pit_for": "Public money.", "pit_against": "Trust between states.", "pit_conclusion": "Withhold."}
    first, second = case.questions
    item = disclosure.save_item(
        first, officer, {"label": "Officers deployed", "source": "total_officers", "decision": "disclose"}
    )
    disclosure.save_item(
        second, officer, {"label": "Countries", "decision": "withhold", "exemptions": ["27(1)(a)"], **pit}
    )
    disclosure.save_item(second, officer, {"label": "Any other", "decision": "ncnd", "exemptions": ["24(2)"], **pit})
    new_item = f"/foi-cases/{case.id}/questions/{first.id}/items/new"
    withdraw = f"/decision-records/{row.id}/withdraw"
    pages = {
        "foi": (
            officer,
            None,
            [
                "/",
                "/foi-cases",
                "/foi-cases/new",
                f"/foi-cases/{case.id}",
                new_item,
                f"/foi-cases/{case.id}/items/{item.id}",
            ]
            + [f"/foi-cases/{case.id}/response"],
            ["/foi-cases/new", new_item],
        ),
        "pcc": (
            people["pcc"],
            enrolled["pcc"],
            ["/decision-records", f"/decision-records/{row.id}", withdraw],
            [withdraw],
        ),
        "public": (None, None, ["/transparency", "/transparency/north-yorkshire", "/decisions/north-yorkshire"], []),
    }
    other = {"en": "cy", "cy": "en"}
    for who, (user, secret, paths, forms) in pages.items():
        page = new_page(browser, live_url)
        if user is not None:
            sign_in(page, user, secret)
        for lang in ("en", "cy"):
            page.goto(f"/transparency?lang={lang}")  # chosen once, then remembered
            for path in paths:
                page.goto(path)
                name = f"{lang}-{who}-{path.strip('/').replace('/', '-') or 'inbox'}"
                expect(page.locator("html")).to_have_attribute("lang", lang)
                switch = page.locator(f"nav.s26-language-select a[hreflang='{other[lang]}']")
                expect(switch).to_have_attribute("href", re.compile(rf"[?&]lang={other[lang]}$"))
                if lang == "cy" and who != "public":
                    expect(page.locator("main")).to_have_attribute("lang", "en")  # not translated yet: marked
                else:
                    expect(page.locator("main")).not_to_have_attribute("lang", re.compile("."))
                clean(page, name)
                if path in forms:
                    page.locator("main form").first.locator("[type=submit]").first.click()
                    expect(page.locator(".govuk-error-summary")).to_be_visible()
                    clean(page, f"{name}-error")
            if who == "public":
                expect(page.locator("main")).to_contain_text("Builds investigative capability")
                page.goto("/transparency/north-yorkshire")
                expect(page.locator("#countries")).to_contain_text(
                    "Ynysoedd Cayman" if lang == "cy" else "Cayman Islands"
                )
        page.context.close()
