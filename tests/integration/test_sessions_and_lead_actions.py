"""Session lifetimes, production headers, escaping in email, and the lead's actions after submission."""

import re

from sqlalchemy import select

from app import create_app
from approvals import notifications, workflow
from config import ProductionConfig
from extensions import db
from models import AssistanceRequest, OutboxMessage
from tests.conftest import advance, make_request, positive, sign_in


def test_signing_in_starts_a_fresh_session(client, people):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, people["lead"])
    with client.session_transaction() as session:
        assert "planted" not in session


def test_production_sends_hsts_and_secure_cookies(monkeypatch, database_url):
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("S26_SINGLE_PROCESS", "true")
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=database_url)
    response = app.test_client().get("/sign-in")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_a_script_title_is_escaped_in_html_email(people):
    request = make_request(people["lead"], title="<script>alert(1)</script>")
    workflow.submit(request.id, people["lead"])
    workflow.decide(request.id, people["chief"], positive())
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "lead@ny.example")).first()
    notifications.render(message)  # what the sender does before delivering
    html = message.body_html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_lead_withdraws_deploys_closes_and_varies_through_the_pages(client, people):
    sign_in(client, people["lead"])
    waiting = advance(make_request(people["lead"], title="To withdraw"), people, until="awaiting_pcc")
    page = client.post(f"/requests/{waiting.id}/withdraw", data={"reason": ""}).get_data(as_text=True)
    assert "Enter why the request is withdrawn" in page
    assert client.post(f"/requests/{waiting.id}/withdraw", data={"reason": "Host postponed"}).status_code == 302
    assert db.session.get(AssistanceRequest, waiting.id).state == "withdrawn"

    approved = advance(make_request(people["lead"], title="To deploy"), people)
    start, end = approved.start_date, approved.end_date
    day = [str(start.day), str(start.month), str(start.year)]
    response = client.post(f"/requests/{approved.id}/deploy", data={"deployed_on": day})
    assert response.headers["Location"].endswith(f"/requests/{approved.id}/deploy/check")
    check = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check the deployment start" in check and start.strftime("%-d %B %Y") in check
    assert db.session.get(AssistanceRequest, approved.id).state == "approved"  # nothing recorded before the check
    assert client.post(f"/requests/{approved.id}/deploy/check", data={}).status_code == 302
    assert db.session.get(AssistanceRequest, approved.id).state == "deployed"
    page = client.post(f"/requests/{approved.id}/close", data={"actual_cost": "lots", "recovered": "1"}).get_data(
        as_text=True
    )
    assert "Amount must be a number in pounds" in page
    ended = [str(end.day), str(end.month), str(end.year)]
    page = client.post(
        f"/requests/{approved.id}/close", data={"ended_on": ended, "actual_cost": "16000", "recovered": "15000"}
    ).get_data(as_text=True)
    assert "more than the approved full cost" in page and 'value="16000"' in page  # a reason is needed; answers kept
    response = client.post(
        f"/requests/{approved.id}/close",
        data={"ended_on": ended, "actual_cost": "16000", "recovered": "15000", "close_out_reason": "Extra flights"},
    )
    assert response.headers["Location"].endswith("/close/check")
    check = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "£16,000.00" in check and "£1,000.00" in check and "Extra flights" in check
    assert client.post(f"/requests/{approved.id}/close/check", data={}).status_code == 302
    shown = client.get(f"/requests/{approved.id}").get_data(as_text=True)
    assert "Variance against estimate" in shown and "£1,000.00" in shown and "Extra flights" in shown
    assert end.strftime("%-d %B %Y") in shown

    another = advance(make_request(people["lead"], title="To vary"), people)
    response = client.post(f"/requests/{another.id}/vary")
    variation_id = int(re.search(r"/requests/(\d+)/tasks", response.headers["Location"]).group(1))
    assert db.session.get(AssistanceRequest, variation_id).variation_of_id == another.id
    assert "variation" in client.get(f"/requests/{variation_id}/tasks").get_data(as_text=True)


def test_another_forces_lead_cannot_withdraw(client, people):
    waiting = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    sign_in(client, people["other_lead"])
    assert client.post(f"/requests/{waiting.id}/withdraw", data={"reason": "Mischief"}).status_code == 404
    assert db.session.get(AssistanceRequest, waiting.id).state == "awaiting_pcc"
