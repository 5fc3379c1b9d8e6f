"""The whole journey as people take it, in a real browser."""

import re
import time
from datetime import date, timedelta

import pyotp
import pytest
from aiosmtpd.controller import Controller
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import select

from approvals import notifications, seed, workflow
from extensions import db
from models import AssistanceRequest, FundingSource
from tests.conftest import PASSWORD, advance, make_request, positive
from tests.e2e.conftest import ARTIFACTS, axe_check, no_horizontal_scroll, visit
from tests.integration.test_outbox import Recorder, free_port, point_mail_at

START = date.today() + timedelta(days=40)
DESTINATIONS = {"KY": "Cayman Islands", "BM": "Bermuda", "KE": "Kenya"}


@pytest.fixture
def enrolled(people):
    """Deciders who have already set up two-factor sign-in, with their secrets."""
    secrets = {}
    for name in ("pcc", "home_office", "ipab", "other_chief"):
        secret = pyotp.random_base32()
        people[name].totp_secret, people[name].totp_confirmed = secret, True
        secrets[name] = secret
    db.session.commit()
    return secrets


@pytest.fixture
def smtp(app, live_url):
    """A real SMTP server; emails queued in this test link to the live server."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    point_mail_at(app, controller.port)
    app.config["S26_BASE_URL"] = live_url
    yield recorder
    app.config["S26_BASE_URL"] = "http://localhost"
    controller.stop()
    point_mail_at(app, 0)


USED_STEPS = {}


def fresh_code(secret):
    """A code the app has not seen yet: it refuses a time step already used (or an earlier one)."""
    totp = pyotp.TOTP(secret)
    while True:
        now = time.time()
        for ahead in (0, 30):  # the app accepts the next step too, for clock drift
            step = int((now + ahead) // 30)
            if step > USED_STEPS.get(secret, -1):
                USED_STEPS[secret] = step
                return totp.at(now + ahead)
        time.sleep(30 - now % 30 + 0.1)


def sign_in(page, user, secret=None):
    page.goto("/sign-in")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    if secret:
        page.fill("#code", fresh_code(secret))
        page.click("button:has-text('Continue')")
    expect(page.locator(".s26-user-bar")).to_contain_text("Signed in as")


def record_decision(page):
    page.click("button:has-text('Record decision')")
    expect(page.locator(".govuk-panel")).to_contain_text("Your decision on")


def choose_country(page, name):
    """The destination is GOV.UK's accessible autocomplete: type, then pick from the list."""
    page.fill("#destination", name)
    page.locator(".autocomplete__option", has_text=name).first.click()


def sign_out(page):
    page.click("button:has-text('Sign out')")
    expect(page).to_have_url(re.compile("/sign-in$"))


def fill_date(page, name, day):
    page.fill(f"#{name}-day", str(day.day))
    page.fill(f"#{name}-month", str(day.month))
    page.fill(f"#{name}-year", str(day.year))


def open_section(page, title):
    """Open a task-list section and check it as a person would see it."""
    page.click(f"text={title}")
    expect(page.locator("h1")).to_have_text(title)
    axe_check(page, f"section: {title}")


def complete_request(page, destination="KY", sensitive=False):
    """From the task list, fill every section as a lead would, meeting and fixing one error."""
    open_section(page, "Requesting body")
    page.fill("#requesting_body", "Royal Cayman Islands Police Service")
    page.get_by_label("Foreign policing agency").check()
    page.click("button:has-text('Save and continue')")

    open_section(page, "Destination, purpose and sponsor")
    choose_country(page, DESTINATIONS[destination])
    page.fill("#destination_place", "George Town")
    page.get_by_label("Training", exact=True).check()
    page.fill("#purpose_details", "Investigative interviewing training for detectives")
    page.get_by_label("Foreign, Commonwealth and Development Office (FCDO)").check()
    page.click("button:has-text('Save and continue')")

    open_section(page, "Dates and urgency")
    fill_date(page, "start_date", START)
    fill_date(page, "end_date", START - timedelta(days=1))  # a mistake, as people make
    page.get_by_role("group", name="Is this a retrospective request?").get_by_label("No").check()
    page.get_by_role("group", name="Is the request urgent?").get_by_label("No").check()
    page.click("button:has-text('Save and continue')")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("End date must be the same as or after the start date")
    fill_date(page, "end_date", START + timedelta(days=20))
    page.click("button:has-text('Save and continue')")

    open_section(page, "People and coordinating unit")
    page.fill("#officers", "2")
    page.fill("#staff", "1")
    page.fill("#personnel_roles", "1 detective sergeant, 1 constable, 1 analyst")
    page.fill("#coordinating_unit", "International Policing Unit")
    page.click("button:has-text('Save and continue')")

    open_section(page, "Costs and funding")
    page.select_option("#cost-category", "salaries")
    page.fill("#cost-amount", "12000")
    page.click("button:has-text('Add cost')")
    page.select_option("#funding-source", "fcdo")
    page.fill("#funding-amount", "12000")
    page.locator("#funding-committed").check()
    page.click("button:has-text('Add funding')")
    page.click("button:has-text('Save and continue')")

    open_section(page, "UK police work and sensitivity")
    page.get_by_role("group", name="Is the travel connected with UK police work?").get_by_label("No").check()
    page.get_by_role("group", name="Is the request sensitive?").get_by_label("Yes" if sensitive else "No").check()
    page.click("button:has-text('Save and continue')")

    write_osja(page)


def write_osja(page):
    """The OSJA assessment from the task list: its parts, then one consultee (GOV.UK's add-another pattern)."""
    page.click("text=OSJA assessment (human rights)")
    expect(page.locator("h1")).to_have_text("OSJA assessment")
    axe_check(page, "section: OSJA assessment")
    page.get_by_label("This force").check()
    # Every part the guidance asks: submitting needs the assessment complete (issue 24).
    page.fill("#country_stability", "Stable; no conflict now or expected within the next 5 years")
    page.fill("#country_record", "Independent courts; concerns about pre-trial detention")
    page.fill("#country_sources", "FCDO human rights and democracy report, read 3 March 2026")
    page.fill("#recipient_unit", "Criminal Investigation Department")
    page.fill("#transferred", "Investigative interviewing skills")
    page.fill("#misuse", "Interview skills could be turned to coercive questioning")
    page.fill("#mitigations", "The course teaches non-coercive methods only; the embassy follows how it is used")
    page.get_by_label("Low").check()
    page.get_by_role("group", name=re.compile("directly or significantly contribute")).get_by_label("No").check()
    page.fill("#contributes_reasoning", "Training only, under independent oversight")
    page.click("button:has-text('Save and continue')")
    expect(page.locator("h1")).to_have_text("Who was consulted")
    axe_check(page, "section: OSJA consultees")
    page.fill("#organisation", "British Embassy")
    page.fill("#role", "Police liaison officer")
    fill_date(page, "consulted_on", date.today() - timedelta(days=2))
    page.fill("#advice", "No objection")
    page.click("button:has-text('Add consultee')")
    expect(page.locator(".govuk-summary-list")).to_contain_text("British Embassy")
    expect(page.locator("h2", has_text="Add another consultee")).to_be_visible()
    page.get_by_role("link", name="Continue").click()


def upload_letter(page):
    """On the documents page: the GOV.UK file-upload component, as a lead uses it."""
    page.get_by_label("Invitation letter from the requesting body").check()
    page.fill("#document-description", "Letter from the Commissioner of Police")
    letter = {"name": "invitation.pdf", "mimeType": "application/pdf", "buffer": seed.DEMO_LETTER_PDF}
    page.set_input_files("#document-file", files=letter)
    page.click("button:has-text('Upload document')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been uploaded")


def test_1_a_lead_completes_and_submits_a_request(page, people):
    sign_in(page, people["lead"])
    visit(page, "inbox-lead")
    page.click("text=Start a new request")
    visit(page, "new-request")
    page.fill("#title", "Investigative interviewing training")
    page.click("button:has-text('Start request')")
    complete_request(page)
    page.click("text=Supporting documents")
    visit(page, "supporting-documents")
    upload_letter(page)
    visit(page, "task-list")
    # Eight sections (the kind of assistance starts answered: an overseas deployment) and the documents; the people
    # named and other forces sending people are optional.
    assert page.locator(".govuk-task-list__status").filter(has_text="Completed").count() == 9
    page.click("text=Check your answers")
    visit(page, "check-answers")
    page.click("button:has-text('Submit request')")
    visit(page, "confirmation")
    reference = db.session.scalars(select(AssistanceRequest.reference)).one()
    expect(page.locator(".govuk-panel")).to_contain_text(reference)


def test_2_and_3_every_gate_decides_from_email_to_approved(page, people, enrolled, smtp):
    request = make_request(people["lead"])
    workflow.submit(request.id, people["lead"])
    notifications.send_due()
    body = [m for rcpts, m in smtp.messages if "chief@ny.example" in rcpts][0].get_body(("plain",)).get_content()
    link = re.search(r"(http://127\.0\.0\.1:\d+/requests/\d+/decide)", body).group(1)

    # The chief officer follows the email's link, signs in and sets up two-factor sign-in on the way.
    page.goto(link)
    page.fill("#email", people["chief"].email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    expect(page).to_have_url(re.compile("/sign-in/set-up-two-factor$"))
    visit(page, "set-up-two-factor")
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#code", fresh_code(secret))
    page.click("button:has-text('Continue')")
    expect(page.locator("#recovery-codes")).to_be_visible()
    visit(page, "recovery-codes")
    page.click("text=Continue")
    expect(page).to_have_url(link)
    visit(page, "decision-chief-officer")
    page.get_by_label("Recommend", exact=True).check()
    page.get_by_label("I give my own rating").check()
    page.get_by_label("High").check()
    page.fill("#hr_lowering_reason", "The unit has a record of detention without charge")
    page.fill("#hr_mitigations", "Training limited to lawful detention standards; observers present")
    page.get_by_label("This decision has considered the College of Policing Code of Ethics").check()
    record_decision(page)
    sign_out(page)

    sign_in(page, people["pcc"], enrolled["pcc"])
    page.click(f"text={request.reference}")
    page.click("text=Make your decision")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("I agree with the residual rating").check()
    page.get_by_label("This decision has considered the College of Policing Code of Ethics").check()
    record_decision(page)
    sign_out(page)

    sign_in(page, people["home_office"], enrolled["home_office"])
    page.goto(f"/requests/{request.id}/decide")
    assert page.get_by_text("consented only with the ministers' decision").first.is_visible()
    visit(page, "decision-with-assessments")
    page.get_by_label("Consent", exact=True).check()
    page.get_by_label("I agree with the residual rating").check()
    page.get_by_label("This decision has considered the College of Policing Code of Ethics").check()
    page.click("button:has-text('Record decision')")
    expect(page).to_have_title(re.compile("^Error: "))  # a high risk goes to ministers (issue 17)
    # The ministers' decision is revealed by its checkbox (GOV.UK conditional reveal).
    expect(page.locator("#minister")).to_be_hidden()
    page.get_by_label("Record the ministers' decision").check()
    expect(page.locator("#minister")).to_be_visible()
    page.fill("#minister", "Minister of State for Security")
    fill_date(page, "ministerial_decided_on", date.today() - timedelta(days=1))
    page.fill("#ministerial_rationale", "Proceed: the mitigations address the detention risk")
    visit(page, "decision-ministerial-decision")
    page.get_by_label("This decision has considered the College of Policing Code of Ethics").check()
    record_decision(page)
    sign_out(page)

    sign_in(page, people["ipab"], enrolled["ipab"])
    page.goto(f"/requests/{request.id}/decide")
    page.get_by_label("Confirm alignment", exact=True).check()
    page.get_by_label("I agree with the residual rating").check()
    page.get_by_label("This decision has considered the College of Policing Code of Ethics").check()
    record_decision(page)
    sign_out(page)

    sign_in(page, people["lead"])
    page.goto(f"/requests/{request.id}")
    expect(page.locator(".govuk-tag").filter(has_text="Approved").first).to_be_visible()
    for step in (
        "Recommended by the chief officer",
        "Approved by the PCC",
        "Home Secretary consented",
        "IPAB confirmed alignment with UK international objectives",
    ):
        assert page.locator("#timeline ~ ol").get_by_text(step).is_visible()
    page.locator("#timeline").scroll_into_view_if_needed()
    visit(page, "timeline")


def test_4_a_material_change_after_a_return_restarts_at_the_chief_officer(page, people, enrolled):
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    sign_in(page, people["pcc"], enrolled["pcc"])
    page.goto(f"/requests/{request.id}/decide")
    page.get_by_label("Return for more information").check()
    page.fill("#reasons", "Is the destination right? The host says Bermuda.")
    page.get_by_label("This decision has considered the College of Policing Code of Ethics").check()
    record_decision(page)
    sign_out(page)

    sign_in(page, people["lead"])
    page.goto(f"/requests/{request.id}")
    assert "The host says Bermuda" in page.locator(".govuk-inset-text").inner_text()
    page.click("text=Change and resubmit")
    open_section(page, "Destination, purpose and sponsor")
    choose_country(page, "Bermuda")
    page.click("button:has-text('Save and continue')")
    page.click("text=Check your answers")
    page.click("button:has-text('Submit request')")
    expect(page.locator(".govuk-panel")).to_contain_text("Request submitted")
    db.session.expire_all()
    assert db.session.get(AssistanceRequest, request.id).state == "awaiting_chief_officer"
    page.goto(f"/requests/{request.id}")
    # A material restart supersedes every standing decision, the PCC's return included (issue 22).
    assert page.locator("#assessments").get_by_text("Superseded").count() == 2
    visit(page, "superseded")


def test_5_a_shortfall_needs_a_waiver_reason(page, people, enrolled):
    request = make_request(people["lead"], funding=[FundingSource(source="fcdo", amount_pence=500_000, committed=True)])
    workflow.submit(request.id, people["lead"])
    workflow.decide(request.id, people["chief"], positive(cost_waiver_reason="Force training priority"))
    sign_in(page, people["pcc"], enrolled["pcc"])
    page.goto(f"/requests/{request.id}/decide")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("I agree with the residual rating").check()
    page.get_by_label("This decision has considered the College of Policing Code of Ethics").check()
    page.click("button:has-text('Record decision')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("the shortfall is £10,000.00")
    visit(page, "shortfall-refused")
    page.fill("#cost_waiver_reason", "Home Office-funded strategic priority")
    page.get_by_label("This decision has considered the College of Policing Code of Ethics").check()
    record_decision(page)
    db.session.expire_all()
    assert db.session.get(AssistanceRequest, request.id).state == "awaiting_home_secretary"


def test_6_foi_excel_export_and_the_public_page(page, people):
    past = {"start_date": date.today() - timedelta(days=30), "end_date": date.today() - timedelta(days=20)}
    advance(make_request(people["lead"], destination="MS", **past), people)
    advance(make_request(people["lead"], title="Counter-terrorism", destination="AE", sensitive=True, **past), people)
    page.goto("/transparency")
    visit(page, "transparency")
    countries = page.locator("#countries").inner_text()
    assert "Montserrat" in countries and "United Arab Emirates" not in countries

    sign_in(page, people["foi"])
    page.goto("/reports/foi")
    page.click("button:has-text('Show statistics')")
    expect(page.get_by_text("1 sensitive deployment excluded")).to_be_visible()
    visit(page, "foi-statistics")
    with page.expect_download() as download:
        page.click("text=Download Excel (.xlsx)")
    path = ARTIFACTS / "foi.xlsx"
    download.value.save_as(path)
    workbook = load_workbook(path)
    assert workbook["Totals"]["B2"].value == 1


def test_7_keyboard_only_section_and_error_summary_focus(page, people):
    request = make_request(people["lead"], requesting_body=None, requesting_body_kind=None)
    sign_in(page, people["lead"])
    page.goto(f"/requests/{request.id}/sections/about")
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.className").startswith("govuk-skip-link")
    page.locator("#title").focus()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submit with nothing: the error summary takes focus
    expect(page).to_have_title(re.compile("^Error: "))
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('govuk-error-summary')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    visit(page, "error-summary")
    page.locator("#title").focus()
    page.keyboard.type("Forensics mentoring")
    page.keyboard.press("Tab")
    page.keyboard.type("National Police of Ruritania")
    page.keyboard.press("Tab")  # into the radios
    page.keyboard.press("Space")  # choose the first option
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Save and continue"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Forensics mentoring")).to_be_visible()  # back on the task list
    db.session.expire_all()
    saved = db.session.get(AssistanceRequest, request.id)
    assert (saved.title, saved.requesting_body, saved.requesting_body_kind) == (
        "Forensics mentoring",
        "National Police of Ruritania",
        "foreign_government",
    )


@pytest.mark.parametrize("width", [320, 640])
def test_pages_fit_320_px_and_200_percent_zoom_without_horizontal_scroll(browser, live_url, people, width):
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    context = browser.new_context(viewport={"width": width, "height": 800}, base_url=live_url)
    page = context.new_page()
    sign_in(page, people["lead"])
    for url in ("/", f"/requests/{request.id}", "/requests", "/transparency", "/requests/new"):
        page.goto(url)
        assert no_horizontal_scroll(page), f"{url} scrolls sideways at {width}px"
    context.close()


def test_the_workflow_diagram_page(page, people):
    sign_in(page, people["lead"])
    page.goto("/help/workflow")
    expect(page.locator("img.s26-state-diagram")).to_be_visible()
    assert page.evaluate("document.querySelector('img.s26-state-diagram').naturalWidth") > 0  # the SVG loads
    assert "IPAB alignment" in page.locator("#transitions").inner_text()
    visit(page, "workflow-help")
