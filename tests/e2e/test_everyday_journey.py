"""Issue 26, "Done when": one realistic request (two detectives to Nairobi, people smuggling, funded by the Home
Office) through every role in Chromium, with a return and a resubmission, all four gates, the deployment and the
close-out, asserting what each person sees at each step; at 1280 px and at 320 px. Every page is checked with
axe-core, at 320 px for sideways scrolling, and kept for the Nu HTML Checker (tests/e2e/conftest.py)."""

import re
from datetime import date, timedelta

import pyotp
import pytest
from playwright.sync_api import expect

from approvals import seed
from extensions import db
from models import AssistanceRequest
from tests.conftest import PASSWORD
from tests.e2e.conftest import new_page, visit
from tests.e2e.test_journeys import choose_country, fill_date, fresh_code

START = date.today() + timedelta(days=45)
QUESTION = "Has the Kenyan government given an assurance that the death penalty will not be sought?"


@pytest.fixture
def deciders(people):
    """The four gates' deciders, with two-factor sign-in already set up."""
    secrets = {}
    for name in ("chief", "pcc", "home_office", "ipab"):
        secret = pyotp.random_base32()
        people[name].totp_secret, people[name].totp_confirmed = secret, True
        secrets[name] = secret
    people["lead"].name, people["chief"].name = "Sam Lead", "Chief Constable Lisa Winward"
    db.session.commit()
    return secrets


def signed_in(browser, live_url, width, user, secret=None):
    """A browser of this person's own, signed in at their inbox."""
    page = new_page(browser, live_url, width)
    page.goto("/sign-in")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    if secret:
        page.fill("#code", fresh_code(secret))
        page.click("button:has-text('Continue')")
    expect(page.locator("h1")).to_have_text("Your inbox")
    return page


def inbox_says(page, text):
    page.goto("/")
    expect(page.locator("#inbox-counts")).to_contain_text(text)


def decide(page, request_id, choice, name, reasons=None):
    """A decider opens the request from the inbox, decides, and reads the confirmation page."""
    page.goto("/")
    page.click(f"a[href='/requests/{request_id}']")
    visit(page, f"{name}: the request")
    page.click("text=Make your decision")
    expect(page.get_by_role("radio", name="Positive decision")).to_have_count(0)
    visit(page, f"{name}: decision form")
    page.get_by_label(choice, exact=True).check()
    if reasons:
        page.fill("#reasons", reasons)
    page.get_by_label("This decision has considered the College of Policing Code of Ethics").check()
    page.click("button:has-text('Record decision')")
    expect(page.locator(".govuk-panel")).to_be_visible()
    visit(page, f"{name}: decision recorded")
    return page.locator(".govuk-panel__title").inner_text().strip()


@pytest.mark.parametrize("width", [1280, 320])
def test_a_request_through_every_role_with_a_return(browser, live_url, people, deciders, width):
    w = f"{width}px"
    lead = signed_in(browser, live_url, width, people["lead"])
    visit(lead, f"{w} lead inbox")
    lead.click("text=Start a new request")
    lead.fill("#title", "People smuggling investigation support")
    lead.click("button:has-text('Start request')")
    visit(lead, f"{w} task list")
    request_id = int(re.search(r"/requests/(\d+)/tasks", lead.url).group(1))

    lead.click("text=Requesting body")
    lead.fill("#requesting_body", "Directorate of Criminal Investigations, Kenya")
    lead.get_by_label("Foreign policing agency").check()
    lead.click("button:has-text('Save and continue')")

    lead.click("text=Destination, purpose and sponsor")
    choose_country(lead, "Kenya")
    lead.fill("#destination_place", "Nairobi")
    lead.get_by_label("Investigation", exact=True).check()
    lead.get_by_label("Home Office", exact=True).check()
    lead.click("button:has-text('Save and continue')")
    expect(lead.locator(".govuk-error-summary")).to_contain_text("Describe the assistance")  # now required
    visit(lead, f"{w} purpose with an error")
    lead.fill("#purpose_details", "Two detectives advise on a people-smuggling investigation")
    lead.click("button:has-text('Save and continue')")

    lead.click("text=Dates and urgency")
    lead.fill("#start_date-day", str(START.day))
    lead.fill("#start_date-year", str(START.year))  # the month forgotten, as people do
    fill_date(lead, "end_date", START + timedelta(days=13))
    lead.get_by_role("group", name="Is this a retrospective request?").get_by_label("No").check()
    lead.get_by_role("group", name="Is the request urgent?").get_by_label("Yes").check()
    expect(lead.locator("#urgent_reason")).to_be_visible()  # revealed beneath its "Yes"
    lead.fill("#urgent_reason", "The suspects are due in court in six weeks")
    lead.click("button:has-text('Save and continue')")
    expect(lead.locator(".govuk-error-summary")).to_contain_text("Start date must include a month")
    expect(lead.locator("#urgent_reason")).to_have_value("The suspects are due in court in six weeks")  # kept
    visit(lead, f"{w} dates with an error")
    fill_date(lead, "start_date", START)
    lead.click("button:has-text('Save and continue')")

    lead.click("text=People and coordinating unit")
    lead.fill("#officers", "two")
    lead.fill("#staff", "0")
    lead.fill("#personnel_roles", "2 detective constables")
    lead.fill("#coordinating_unit", "Serious Organised Crime Unit")
    lead.click("button:has-text('Save and continue')")
    expect(lead.locator(".govuk-error-summary")).to_contain_text(
        "Number of police officers must be a whole number, like 2"
    )
    lead.fill("#officers", "2")
    lead.click("button:has-text('Save and continue')")

    lead.click("text=Costs and funding")
    lead.select_option("#cost-category", "travel")
    lead.fill("#cost-amount", "3,200")
    lead.click("button:has-text('Add cost')")
    expect(lead.locator(".govuk-notification-banner--success")).to_contain_text("Cost added: Travel £3,200.00")
    lead.select_option("#cost-category", "salaries")
    lead.fill("#cost-amount", "9000")
    lead.click("button:has-text('Add cost')")
    lead.click("a:has-text('Remove') >> nth=0")
    visit(lead, f"{w} remove a cost")
    lead.get_by_label("Yes").check()
    lead.click("button:has-text('Continue')")
    expect(lead.locator(".govuk-notification-banner--success")).to_contain_text("Cost removed: Travel £3,200.00")
    lead.select_option("#funding-source", "home_office")
    lead.fill("#funding-amount", "9000")
    lead.locator("#funding-committed").check()
    lead.click("button:has-text('Save and continue')")  # the typed funding line is saved, not thrown away
    expect(lead.locator("h1")).to_have_text("People smuggling investigation support")

    lead.click("text=UK police work and sensitivity")
    visit(lead, f"{w} UK police work explained")
    expect(lead.locator("main")).to_contain_text("interviewing a witness or victim abroad")
    lead.get_by_role("group", name="Is the travel connected with UK police work?").get_by_label("No").check()
    lead.get_by_role("group", name="Is the request sensitive?").get_by_label("No").check()
    lead.click("button:has-text('Save and continue')")
    lead.click("text=Human rights assessment")
    lead.get_by_label("Low").check()
    lead.click("button:has-text('Save and continue')")
    lead.click("text=Supporting documents")
    lead.get_by_label("Invitation letter from the requesting body").check()
    lead.fill("#document-description", "Letter from the Director of Criminal Investigations")
    letter = {"name": "invitation.pdf", "mimeType": "application/pdf", "buffer": seed.DEMO_LETTER_PDF}
    lead.set_input_files("#document-file", files=letter)
    lead.click("button:has-text('Upload document')")
    lead.goto(f"/requests/{request_id}/tasks")
    lead.click("text=Check your answers")
    visit(lead, f"{w} check answers")
    expect(lead.locator("main")).to_contain_text("Nairobi")
    lead.click("button:has-text('Submit request')")
    expect(lead.locator(".govuk-panel")).to_contain_text("Request submitted")
    reference = db.session.get(AssistanceRequest, request_id).reference

    # The chief officer returns it with a question.
    chief = signed_in(browser, live_url, width, people["chief"], deciders["chief"])
    inbox_says(chief, "1 awaiting chief officer recommendation")
    visit(chief, f"{w} chief officer inbox")
    assert decide(chief, request_id, "Return for more information", f"{w} chief returns", QUESTION) == (
        "Returned for more information"
    )
    expect(chief.locator("main")).to_contain_text("goes back to the submitter with your questions")

    # The lead sees the question in the inbox and on the request, answers by changing the request, resubmits.
    inbox_says(lead, "1 returned for more information")
    lead.click(f"text={reference}")
    expect(lead.locator(".govuk-inset-text").first).to_contain_text(QUESTION)
    expect(lead.locator("#timeline ~ ol")).to_contain_text("Returned for more information at Chief officer")
    visit(lead, f"{w} returned request")
    lead.click("text=Change and resubmit")
    lead.click("text=People and coordinating unit")
    lead.fill("#personnel_roles", "2 detective constables; written death-penalty assurance received 1 March")
    lead.click("button:has-text('Save and continue')")
    lead.click("text=Check your answers")
    lead.click("button:has-text('Submit request')")
    expect(lead.locator(".govuk-panel")).to_contain_text("Request submitted")

    # Back to the chief officer (no material change), then every gate in its own words.
    assert decide(chief, request_id, "Recommend", f"{w} chief recommends") == "Recommended"
    pcc = signed_in(browser, live_url, width, people["pcc"], deciders["pcc"])
    inbox_says(pcc, "1 awaiting PCC approval")
    assert decide(pcc, request_id, "Approve", f"{w} PCC approves") == "Approved"
    home_office = signed_in(browser, live_url, width, people["home_office"], deciders["home_office"])
    inbox_says(home_office, "1 awaiting Home Secretary consent")
    home_office.goto(f"/requests/{request_id}/decide")
    expect(home_office.locator("main")).not_to_contain_text("I acknowledge the high human-rights risk")  # no flag
    expect(home_office.get_by_role("heading", name="Assessments so far")).to_be_visible()
    assert decide(home_office, request_id, "Consent", f"{w} Home Office consents") == "Consented"
    ipab = signed_in(browser, live_url, width, people["ipab"], deciders["ipab"])
    assert decide(ipab, request_id, "Confirm alignment", f"{w} IPAB aligns") == "Alignment confirmed"
    expect(ipab.locator("main")).to_contain_text("record the deployment")

    # The lead records the deployment and closes it.
    inbox_says(lead, "1 approved: record the deployment")
    lead.click(f"text={reference}")
    expect(lead.locator(".govuk-tag").filter(has_text="Approved").first).to_be_visible()
    timeline = lead.locator("#timeline ~ ol")
    for step in (
        "Recommended by the chief officer",
        "Approved by the PCC",
        "Home Secretary consented",
        "IPAB confirmed alignment",
        "Resubmitted",
        "changes while drafting",
    ):
        expect(timeline).to_contain_text(step)
    visit(lead, f"{w} approved request")
    lead.click("text=Record deployment start")
    fill_date(lead, "deployed_on", START)
    visit(lead, f"{w} record deployment")
    lead.click("button:has-text('Record deployment')")
    expect(lead.locator(".govuk-tag").filter(has_text="Deployed").first).to_be_visible()
    lead.click("text=Close out")
    lead.fill("#actual_cost", "8,750")
    lead.fill("#recovered", "8,750")
    visit(lead, f"{w} close out")
    lead.click("button:has-text('Close deployment')")
    expect(lead.locator(".govuk-tag").filter(has_text="Closed").first).to_be_visible()
    visit(lead, f"{w} closed request")
    db.session.expire_all()
    assert db.session.get(AssistanceRequest, request_id).state == "closed"
    for page in (lead, chief, pcc, home_office, ipab):
        page.context.close()
