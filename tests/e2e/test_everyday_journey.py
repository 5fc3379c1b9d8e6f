"""Issue 26's walk-through as a browser test: one request (two detectives to Nairobi, a people-smuggling
investigation, funded by the Home Office) through every role, at 1280 px and at 320 px. The lead drafts and submits
it (the OSJA assessment complete), the chief constable returns it for more information, the lead resubmits, all four
gates decide in their own words, the lead records the deployment and closes it out through the check pages, then
corrects a figure. At each step the test asserts what that person sees (inbox entries, status tags, panels, the
timeline) and scans every page with axe (axe_check also fails any page that scrolls sideways at 320 px)."""

from datetime import date, timedelta

import pyotp
import pytest
from playwright.sync_api import expect

from extensions import db
from models import AssistanceRequest
from tests.e2e.conftest import axe_check, new_page
from tests.e2e.test_journeys import (
    choose_country,
    fill_date,
    record_decision,
    sign_in,
    sign_out,
    upload_letter,
    write_osja,
)

TITLE = "People smuggling investigation: two detectives to Nairobi"
START = date.today() + timedelta(days=30)
END = START + timedelta(days=13)
ETHICS = "This decision has considered the College of Policing Code of Ethics"


@pytest.fixture
def deciders(people):
    """The four gates' deciders, each with two-factor sign-in set up."""
    secrets = {}
    for name in ("chief", "pcc", "home_office", "ipab"):
        secrets[name] = pyotp.random_base32()
        people[name].totp_secret, people[name].totp_confirmed = secrets[name], True
    db.session.commit()
    return secrets


def check(page, name, width):
    axe_check(page, f"everyday-{name}-{width}")


def inbox_row(page, reference):
    """The lead's or a decider's inbox entry for the request."""
    page.goto("/")
    return page.locator("table.govuk-table tr", has=page.get_by_role("link", name=reference))


def open_section(page, title, width):
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.locator("h1")).to_have_text(title)
    check(page, f"section-{title.split()[0].lower()}", width)


def draft_and_submit(page, width):
    """The lead starts the request and answers every section, as the issue's caseworker did."""
    page.get_by_role("link", name="Start a new request").click()
    page.fill("#title", TITLE)
    page.click("button:has-text('Start request')")
    check(page, "task-list-new", width)

    open_section(page, "Requesting body", width)
    page.fill("#requesting_body", "Kenya National Police Service, Directorate of Criminal Investigations")
    page.get_by_label("Foreign policing agency").check()
    page.click("button:has-text('Save and continue')")

    open_section(page, "Destination, purpose and sponsor", width)
    choose_country(page, "Kenya")
    page.fill("#destination_place", "Nairobi")
    page.get_by_label("Investigation", exact=True).check()
    page.fill("#purpose_details", "A joint investigation into a network smuggling people to the UK")
    page.get_by_label("Home Office", exact=True).check()
    page.click("button:has-text('Save and continue')")

    open_section(page, "Dates and urgency", width)
    fill_date(page, "start_date", START)
    fill_date(page, "end_date", END)
    page.get_by_role("group", name="Is this a retrospective request?").get_by_label("No").check()
    page.get_by_role("group", name="Is the request urgent?").get_by_label("No").check()
    page.click("button:has-text('Save and continue')")

    open_section(page, "People and coordinating unit", width)
    page.fill("#officers", "2")
    page.fill("#staff", "0")
    page.fill("#personnel_roles", "2 detective constables")
    page.fill("#coordinating_unit", "Organised Immigration Crime Unit")
    page.click("button:has-text('Save and continue')")

    open_section(page, "Costs and funding", width)
    page.select_option("#cost-category", "salaries")
    page.fill("#cost-amount", "8,000")
    page.click("button:has-text('Add cost')")
    page.select_option("#funding-source", "home_office")
    page.fill("#funding-amount", "8000")
    page.locator("#funding-committed").check()
    page.click("button:has-text('Add funding')")
    page.click("button:has-text('Save and continue')")

    open_section(page, "UK police work and sensitivity", width)
    page.get_by_role("group", name="Is the travel connected with UK police work?").get_by_label("No").check()
    page.get_by_role("group", name="Is the request sensitive?").get_by_label("No").check()
    page.click("button:has-text('Save and continue')")

    # Before the assessment is written, submitting cannot start yet (issue 24).
    expect(page.locator("#submit-task-1-status")).to_have_text("Cannot start yet")
    write_osja(page)
    page.get_by_role("link", name="Supporting documents").click()
    upload_letter(page)  # and back to the task list
    check(page, "task-list-complete", width)
    expect(page.locator(".govuk-task-list__status").filter(has_text="Completed")).to_have_count(9)
    page.click("text=Check your answers")
    expect(page.locator("h1")).to_have_text("Check your answers before submitting")
    check(page, "check-answers", width)
    page.click("button:has-text('Submit request')")
    expect(page.locator(".govuk-panel")).to_contain_text("Request submitted")
    check(page, "submitted", width)
    return db.session.scalars(db.select(AssistanceRequest).where(AssistanceRequest.title == TITLE)).one()


def decide(page, reference, width, choice, name, agree=True, reasons=None):
    """A decider finds the request in their inbox and decides at their gate."""
    row = inbox_row(page, reference)
    expect(row).to_contain_text(TITLE)
    check(page, f"inbox-{name}", width)
    row.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Make your decision").click()
    check(page, f"decide-{name}", width)
    page.get_by_label(choice, exact=True).check()
    if agree:
        page.get_by_label("I agree with the residual rating").check()
    if reasons:
        page.fill("#reasons", reasons)
    page.get_by_label(ETHICS).check()
    record_decision(page)
    check(page, f"decided-{name}", width)


@pytest.mark.parametrize("width", [1280, 320])
def test_one_request_through_every_role_return_resubmit_deploy_close_and_correct(
    browser, live_url, people, deciders, width
):
    page = new_page(browser, live_url, width)
    lead, chief = people["lead"], people["chief"]

    # The lead drafts and submits: their inbox and the request page show it with the chief officer.
    sign_in(page, lead)
    check(page, "inbox-lead-empty", width)
    request = draft_and_submit(page, width)
    reference = request.reference
    expect(page.locator(".govuk-panel")).to_contain_text(reference)
    page.goto(f"/requests/{request.id}")
    expect(page.locator(".govuk-tag").filter(has_text="Awaiting chief officer").first).to_be_visible()
    sign_out(page)

    # The chief constable returns it with a question.
    sign_in(page, chief, deciders["chief"])
    decide(
        page,
        reference,
        width,
        "Return for more information",
        "chief-return",
        agree=False,
        reasons="Which unit in Nairobi will the detectives work with?",
    )
    expect(page.locator(".govuk-panel")).to_contain_text("Returned for more information")
    sign_out(page)

    # The lead sees it waiting for them, reads the question, answers it and resubmits.
    sign_in(page, lead)
    row = inbox_row(page, reference)
    expect(row).to_contain_text("Returned for information")
    expect(row).to_contain_text("Answer the questions and resubmit")
    check(page, "inbox-lead-returned", width)
    row.get_by_role("link", name=reference).click()
    expect(page.locator(".govuk-inset-text").filter(has_text="Questions asked")).to_contain_text(
        "Which unit in Nairobi"
    )
    check(page, "returned", width)
    page.get_by_role("link", name="Change and resubmit").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("returned for more information")
    open_section(page, "Destination, purpose and sponsor", width)
    page.fill(
        "#purpose_details",
        "A joint investigation into a network smuggling people to the UK, with the DCI's Transnational Crime Unit",
    )
    page.click("button:has-text('Save and continue')")
    page.click("text=Check your answers")
    page.click("button:has-text('Submit request')")
    expect(page.locator(".govuk-panel")).to_contain_text(reference)
    check(page, "resubmitted", width)
    sign_out(page)

    # All four gates decide, each in its own words, each agreeing with the assessment's rating (Low).
    for who, choice, tag in (
        ("chief", "Recommend", "Awaiting PCC"),
        ("pcc", "Approve", "Awaiting Home Secretary"),
        ("home_office", "Consent", "Awaiting IPAB"),
        ("ipab", "Confirm alignment", "Approved"),
    ):
        sign_in(page, people[who], deciders[who])
        decide(page, reference, width, choice, who)
        page.goto(f"/requests/{request.id}")
        expect(page.locator(".govuk-tag").filter(has_text=tag).first).to_be_visible()
        sign_out(page)

    # The lead's inbox says to record the deployment; they record its start through the check page.
    sign_in(page, lead)
    row = inbox_row(page, reference)
    expect(row).to_contain_text("Approved")
    expect(row).to_contain_text("Record the deployment")
    check(page, "inbox-lead-approved", width)
    row.get_by_role("link", name=reference).click()
    timeline = page.locator("#timeline ~ ol")
    for step in (
        "Submitted",
        "Returned for more information",
        "Resubmitted",
        "Recommended by the chief officer",
        "Approved by the PCC",
        "Home Secretary consented",
        "IPAB confirmed alignment with UK international objectives",
    ):
        expect(timeline.get_by_text(step).first).to_be_visible()
    check(page, "approved", width)
    page.get_by_role("link", name="Record deployment start").click()
    expect(page.locator("h1")).to_have_text("Record the deployment start")
    check(page, "deploy", width)
    fill_date(page, "deployed_on", START)
    page.click("button:has-text('Continue')")
    expect(page.locator("h1")).to_have_text("Check the deployment start")
    check(page, "deploy-check", width)
    page.click("button:has-text('Record the deployment start')")
    expect(page.locator(".govuk-tag").filter(has_text="Deployed").first).to_be_visible()
    check(page, "deployed", width)

    # ... and closes it out, within the approved dates and cost.
    page.get_by_role("link", name="Close out").click()
    check(page, "close", width)
    fill_date(page, "ended_on", END)
    page.fill("#actual_cost", "8,000")
    page.fill("#recovered", "8,000")
    page.click("button:has-text('Continue')")
    expect(page.locator("h1")).to_have_text("Check the close-out")
    check(page, "close-check", width)
    page.click("button:has-text('Close out the deployment')")
    expect(page.locator(".govuk-tag").filter(has_text="Closed").first).to_be_visible()
    check(page, "closed", width)

    # A correction: a refund was missed. The old and new figures are in the timeline.
    page.get_by_role("link", name="Correct the deployment record").click()
    expect(page.locator("h1")).to_have_text("Correct the deployment record")
    page.get_by_label("Amount recovered").check()
    page.fill("#new_amount", "7,500")
    page.fill("#reason", "A refund to the Home Office was missed")
    check(page, "correct", width)
    page.click("button:has-text('Correct the record')")
    expect(page.locator("main")).to_contain_text("Corrected: amount recovered")
    expect(page.locator("main")).to_contain_text("£8,000.00 -> £7,500.00")
    check(page, "corrected", width)
    db.session.expire_all()
    closed = db.session.get(AssistanceRequest, request.id)
    assert closed.state == "closed" and closed.recovered_pence == 750_000
    page.context.close()
