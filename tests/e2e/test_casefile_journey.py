"""The case file in a real browser: a decider uploads a document from the decision page and asks the submitter
a question; the submitter answers with a document attached and writes a note; the decider then decides.
Every page is scanned with axe and must fit 320 px."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from approvals import seed
from extensions import db
from models import AssistanceRequest, CaseQuery, Document
from tests.conftest import advance, make_request
from tests.e2e.conftest import ARTIFACTS, no_horizontal_scroll, visit
from tests.e2e.test_journeys import enrolled, record_decision, sign_in  # noqa: F401 - enrolled is a fixture

CAYMAN_LETTER = {"name": "cabinet-office-letter.pdf", "mimeType": "application/pdf", "buffer": seed.DEMO_LETTER_PDF}
COSTINGS = {
    "name": "costings.txt",
    "mimeType": "text/plain",
    "buffer": b"Flights 4,200 GBP\nHotel 3,100 GBP\nSubsistence 1,400 GBP\n",
}
HTML_AS_PDF = {"name": "invitation.pdf", "mimeType": "application/pdf", "buffer": b"<html><script>x()</script></html>"}


def test_8_upload_ask_answer_and_note_on_the_case_file(browser, live_url, page, people, enrolled):  # noqa: F811
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    sign_in(page, people["pcc"], enrolled["pcc"])

    page.goto(f"/requests/{request.id}/decide")
    expect(page.locator("h2").first).to_have_text("The request")
    visit(page, "decision-with-documents")
    page.click("text=Add a document")
    page.get_by_label("Correspondence").check()
    page.fill("#document-description", "Letter from the Cayman Islands Cabinet Office")
    page.set_input_files("#document-file", files=HTML_AS_PDF)
    page.click("button:has-text('Upload document')")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The selected file must be a PDF")
    expect(page.locator("#document-description")).to_have_value("Letter from the Cayman Islands Cabinet Office")
    visit(page, "upload-refused")
    page.set_input_files("#document-file", files=CAYMAN_LETTER)
    page.click("button:has-text('Upload document')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("cabinet-office-letter.pdf has been uploaded")
    expect(page).to_have_url(re.compile(f"/requests/{request.id}/decide#documents$"))

    page.click("text=Ask the submitter a question")
    page.click("button:has-text('Send question')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your question")
    visit(page, "ask-question-error")
    page.fill("#question", "Is the Commissioner's letter signed? Please attach the signed copy and the costings.")
    page.click("button:has-text('Send question')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("deadline is paused")

    lead_context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_url)
    lead_context.set_default_timeout(10_000)
    lead = lead_context.new_page()
    sign_in(lead, people["lead"])
    expect(lead.locator("#questions-for-you")).to_contain_text(request.reference)
    visit(lead, "inbox-waiting-for-submitter")
    lead.goto(f"/requests/{request.id}")
    lead.click("text=Answer this question")
    visit(lead, "answer-question")
    lead.fill("#answer", "Yes: signed on 20 May. The costings are attached.")
    lead.set_input_files("#file", files=COSTINGS)
    lead.fill("#description", "Costings agreed with the Cabinet Office")
    lead.click("button:has-text('Send answer')")
    expect(lead.locator(".govuk-notification-banner")).to_contain_text("Your answer has been sent")
    visit(lead, "request-case-file")
    # README's picture of the case file (docs/screenshots/case-file.png is copied from here by hand).
    lead.locator("#case-file").screenshot(path=str(ARTIFACTS / "case-file.png"))
    lead.click("text=Case notes")
    lead.fill("#text", "@pcc@ny.example the signed letter is in the case file.")
    lead.click("button:has-text('Add note')")
    expect(lead.locator(".govuk-notification-banner")).to_contain_text("Your note has been added")
    visit(lead, "case-notes")
    lead.goto(f"/requests/{request.id}")
    with lead.expect_download() as download:
        lead.click("text=cabinet-office-letter.pdf")
    assert download.value.suggested_filename == "cabinet-office-letter.pdf"
    lead_context.close()

    page.goto(f"/requests/{request.id}/decide")
    expect(page.locator("#documents")).to_contain_text("costings.txt")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("I agree with the residual rating").check()
    page.get_by_label("This decision has considered the College of Policing Code of Ethics").check()
    record_decision(page)
    db.session.expire_all()
    assert db.session.get(AssistanceRequest, request.id).state == "awaiting_home_secretary"
    query = db.session.scalars(select(CaseQuery)).one()
    assert query.answer.startswith("Yes: signed") and query.paused_working_days is not None
    assert [d.filename for d in db.session.scalars(select(Document).order_by(Document.id))] == [
        "invitation-letter.pdf",
        "cabinet-office-letter.pdf",
        "costings.txt",
    ]


@pytest.mark.parametrize("width", [320])
def test_case_file_pages_fit_320_px(browser, live_url, people, width):
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    context = browser.new_context(viewport={"width": width, "height": 800}, base_url=live_url)
    page = context.new_page()
    sign_in(page, people["lead"])
    for url in (f"/requests/{request.id}", f"/requests/{request.id}/documents", f"/requests/{request.id}/notes"):
        page.goto(url)
        assert no_horizontal_scroll(page), f"{url} scrolls sideways at {width}px"
    draft = make_request(people["lead"], title="A draft with a very-long-file-name")
    page.goto(f"/requests/{draft.id}/documents")
    assert no_horizontal_scroll(page), "the upload page scrolls sideways"
    context.close()
