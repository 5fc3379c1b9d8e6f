"""Issue 17 in a real browser: a PCC office user names a deputy for a period on the delegations page, the
deputy signs in and decides at the PCC gate on the PCC's behalf, and the request says so. Every page is
scanned with axe and the delegations page must fit 320 px."""

import re
from datetime import date, timedelta

import pyotp
from playwright.sync_api import expect

from extensions import db
from models import AssistanceRequest, CostLine, FundingSource
from tests.conftest import advance, make_request, make_user
from tests.e2e.conftest import no_horizontal_scroll, visit
from tests.e2e.test_journeys import enrolled, fill_date, record_decision, sign_in, sign_out  # noqa: F401


def test_9_delegate_then_decide_as_the_delegate(browser, live_url, page, people, enrolled):  # noqa: F811
    deputy = make_user("chief.exec@ny.example", "force_lead", force_slug="north-yorkshire", name="Casey Exec")
    deputy_secret = pyotp.random_base32()
    deputy.totp_secret, deputy.totp_confirmed = deputy_secret, True
    people["pcc"].name = "Pat Commissioner"
    db.session.commit()
    # Under the reserved-cost limit: a delegation of the PCC gate reaches it.
    request = advance(
        make_request(
            people["lead"],
            cost_lines=[CostLine(category="travel", amount_pence=300_000)],
            funding=[FundingSource(source="fcdo", amount_pence=300_000, committed=True)],
        ),
        people,
        until="awaiting_pcc",
    )

    sign_in(page, people["pcc"], enrolled["pcc"])
    page.goto("/account")
    page.click("text=Delegate your authority or see delegations")
    expect(page.locator("h1")).to_have_text("Delegations")
    visit(page, "delegations")
    page.click("button:has-text('Delegate authority')")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the email address")
    visit(page, "delegations-error")
    page.fill("#delegate_email", deputy.email)
    page.get_by_label("PCC approval").check()
    fill_date(page, "starts_on", date.today())
    fill_date(page, "ends_on", date.today() + timedelta(days=7))
    page.fill("#reason", "Commissioner on leave")
    page.click("button:has-text('Delegate authority')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Casey Exec can decide at PCC approval")
    expect(page.locator("#delegations")).to_contain_text("Active")
    visit(page, "delegations-created")
    page.set_viewport_size({"width": 320, "height": 800})
    assert no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_out(page)

    sign_in(page, deputy, deputy_secret)
    expect(page.locator("main")).to_contain_text(request.reference)
    page.click(f"text={request.reference}")
    page.click("text=Make your decision")
    expect(page.locator("#on-behalf-of")).to_contain_text("on behalf of Pat Commissioner")
    visit(page, "decision-as-delegate")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("I agree with the residual rating").check()
    page.get_by_label("This decision has considered the College of Policing Code of Ethics").check()
    record_decision(page)
    db.session.expire_all()
    assert db.session.get(AssistanceRequest, request.id).state == "awaiting_home_secretary"
    page.goto(f"/requests/{request.id}")
    expect(page.locator("#assessments")).to_contain_text("Casey Exec, on behalf of PCC Pat Commissioner")
    visit(page, "request-decided-by-delegate")
