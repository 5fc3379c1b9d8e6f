"""Issues 18 and 26 in a real browser: the lead downloads the letter of authority, records the deployment start
(conditions briefed) and closes out (each condition met or not) through check-your-answers pages, then corrects a
figure; each page scanned with axe, and at 320 px without sideways scrolling. The letter's first page is rendered
to a PNG (pdftoppm) for the README."""

import shutil
import subprocess
from datetime import timedelta

from playwright.sync_api import expect

from approvals import workflow
from extensions import db
from tests.conftest import advance, make_request, positive
from tests.e2e.conftest import ARTIFACTS, no_horizontal_scroll, visit
from tests.e2e.test_journeys import enrolled, fill_date, sign_in  # noqa: F401 - enrolled is a fixture

CONDITIONS = [
    "No participation in interviews of detained persons",
    "Officers to report any concern to the UK embassy within 24 hours",
]


def test_11_the_lead_downloads_the_letter_deploys_closes_and_corrects(page, people, enrolled):  # noqa: F811
    request = make_request(
        people["lead"],
        title="Investigative interviewing training",
        hr_mitigations="Officers will not attend custody suites",
    )
    workflow.submit(request.id, people["lead"])
    workflow.decide(request.id, people["chief"], positive(conditions=[CONDITIONS[0]]))
    workflow.decide(request.id, people["pcc"], positive(conditions=[CONDITIONS[1]]))
    advance(request, people)
    db.session.refresh(request)
    sign_in(page, people["lead"])
    page.goto(f"/requests/{request.id}")
    expect(page.locator("main")).to_contain_text(CONDITIONS[0])
    with page.expect_download() as info:
        page.click("text=Download the letter of authority")
    letter = info.value.path()
    ARTIFACTS.mkdir(exist_ok=True)
    if shutil.which("pdftoppm"):
        subprocess.run(  # noqa: S603 - a fixed program on a file this test downloaded
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(letter),
                str(ARTIFACTS / "authority-letter"),
            ],
            check=True,
        )

    page.click("text=Record deployment start")
    expect(page.locator("h1")).to_have_text("Record the deployment start")
    fill_date(page, "deployed_on", request.start_date - timedelta(days=3))
    page.click("button:has-text('Continue')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("before the approved start date")
    expect(page.locator(".govuk-error-summary")).to_contain_text("briefed")
    visit(page, "deploy-errors")
    page.fill("#deployment_dates_reason", "An advance party went ahead to set up the course")
    page.check("#conditions_briefed")
    page.click("button:has-text('Continue')")
    expect(page.locator("h1")).to_have_text("Check the deployment start")
    visit(page, "deploy-check")
    page.click("button:has-text('Record the deployment start')")
    expect(page.locator("main")).to_contain_text("An advance party went ahead")

    page.click("text=Close out")
    fill_date(page, "ended_on", request.end_date)
    page.fill("#actual_cost", "14,000")
    page.fill("#recovered", "20,000")
    page.get_by_role("group", name="Was condition 1 met?").get_by_label("Yes").check()
    page.get_by_role("group", name="Was condition 2 met?").get_by_label("No").check()
    page.click("button:has-text('Continue')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot be more than the actual cost")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why condition 2 was not met")
    visit(page, "close-errors")
    page.fill("#recovered", "14,000")
    page.fill(f"#condition_{request.conditions[1].id}_note", "The embassy was closed for a public holiday")
    page.click("button:has-text('Continue')")
    expect(page.locator("h1")).to_have_text("Check the close-out")
    visit(page, "close-check")
    page.set_viewport_size({"width": 320, "height": 800})
    assert no_horizontal_scroll(page), "the close-out check scrolls sideways at 320 px"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("button:has-text('Close out the deployment')")
    expect(page.locator("main")).to_contain_text("1 condition was not met")

    page.click("text=Correct the deployment record")
    expect(page.locator("h1")).to_have_text("Correct the deployment record")
    page.get_by_label("Amount recovered").check()
    page.fill("#new_amount", "13,500")
    page.fill("#reason", "A refund to the FCDO was missed")
    visit(page, "correct")
    page.set_viewport_size({"width": 320, "height": 800})
    assert no_horizontal_scroll(page), "the correction page scrolls sideways at 320 px"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("button:has-text('Correct the record')")
    expect(page.locator("main")).to_contain_text("Corrected: amount recovered")
    expect(page.locator("main")).to_contain_text("£14,000.00 -> £13,500.00")
    visit(page, "request-after-correction")
