"""Welsh and English, and protective marking, in a real browser (issue 25): every public page in both languages,
switched with the link on the page, remembered, axe-clean (no violation of any impact) and fitting 320 px; a
sensitive request's case page carries its OFFICIAL-SENSITIVE banner, axe-clean too."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_request
from tests.e2e.conftest import AXE_COUNTS, no_horizontal_scroll, visit
from tests.e2e.test_journeys import sign_in

PUBLIC = ("/transparency", "/transparency/north-yorkshire", "/decisions/north-yorkshire", "/sign-in", "/nowhere")


def clean(page, name):
    visit(page, name)  # fails on a serious or critical violation
    assert AXE_COUNTS[name] == {}, f"{name}: axe found {AXE_COUNTS[name]}"


@pytest.mark.parametrize("width", [1280, 320])
def test_public_pages_in_welsh_and_english_are_axe_clean(browser, live_url, people, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=live_url)
    page = context.new_page()
    for path in PUBLIC:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        clean(page, f"en{path.replace('/', '-')}-{width}")
        page.get_by_role("link", name="Newid yr iaith i’r Gymraeg").click()
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        expect(page.locator("nav.s26-language-select [aria-current]")).to_have_text("Cymraeg")
        clean(page, f"cy{path.replace('/', '-')}-{width}")
        assert no_horizontal_scroll(page), f"{path} scrolls sideways at {width}px in Welsh"
        page.get_by_role("link", name="Change the language to English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    # The choice is remembered from page to page.
    page.goto("/transparency?lang=cy")
    page.goto("/sign-in")
    expect(page.locator("h1")).to_have_text("Mewngofnodi")
    page.click("button:has-text('Mewngofnodi')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Rhowch eich cyfeiriad e-bost")
    clean(page, f"cy-sign-in-error-{width}")
    context.close()


def test_a_sensitive_case_page_carries_its_marking_and_is_axe_clean(browser, live_url, people):
    request = make_request(people["lead"], title="Counter-terrorism advice", sensitive=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_url)
    page = context.new_page()
    sign_in(page, people["lead"])
    for path in (f"/requests/{request.id}", f"/requests/{request.id}/documents"):
        page.goto(path)
        banners = page.locator("[data-marking='OFFICIAL-SENSITIVE']")
        expect(banners).to_have_count(2)
        expect(banners.first).to_have_text("OFFICIAL-SENSITIVE")
        clean(page, f"marking{path.replace('/', '-')}")
    page.goto(f"/requests/{request.id}?lang=cy")
    expect(page.locator("main")).to_have_attribute("lang", "en")  # the case page is not translated yet
    clean(page, "marking-request-cy")
    context.close()


def test_two_factor_set_up_and_sign_in_in_welsh_are_axe_clean(browser, live_url, people):
    """Issue 25: sign-in is in Welsh, its two-factor steps too: set up (with a mistake), the recovery codes, and the
    code page of the next sign-in; each axe-clean and fitting 320 px."""
    from tests.e2e.test_journeys import fresh_code

    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_url)
    page = context.new_page()
    page.goto("/sign-in?lang=cy")
    page.fill("#email", people["chief"].email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Mewngofnodi')")
    expect(page.locator("h1")).to_have_text("Sefydlu mewngofnodi dau gam")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("main")).not_to_have_attribute("lang", "en")  # translated: nothing marked English
    clean(page, "cy-set-up-two-factor")
    page.fill("#code", "000000")
    page.click("button:has-text('Parhau')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Nid yw’r cod diogelwch yn gywir")
    clean(page, "cy-set-up-two-factor-error")
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#code", fresh_code(secret))
    page.click("button:has-text('Parhau')")
    expect(page.locator("h1")).to_have_text("Mae mewngofnodi dau gam wedi’i sefydlu")
    clean(page, "cy-recovery-codes")
    page.get_by_role("link", name="Parhau").click()
    page.click("button:has-text('Allgofnodi')")
    page.fill("#email", people["chief"].email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Mewngofnodi')")
    expect(page.locator("h1")).to_have_text("Rhowch eich cod diogelwch")
    clean(page, "cy-two-factor")
    page.fill("#code", fresh_code(secret))
    page.click("button:has-text('Parhau')")
    expect(page.locator(".s26-user-bar")).to_contain_text("Wedi mewngofnodi fel")
    context.close()
