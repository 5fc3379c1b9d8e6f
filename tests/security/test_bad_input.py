"""Bad input gets a 4xx with a clear message and writes nothing; never a 500. Each test sends the input an
attacker (or a clumsy script) sent."""

import pytest
from sqlalchemy import func, select

from approvals import workflow
from extensions import db
from models import AssistanceRequest, CostLine
from tests.conftest import advance, make_request, sign_in
from tests.integration.test_api import full_body, token_for


@pytest.fixture
def lead_token(people):
    return token_for(people["lead"])


def _count():
    return db.session.scalar(select(func.count()).select_from(AssistanceRequest))


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": "Public\x00order"}, "title"),
        ({"requesting_body": "Police \ud800 service"}, "requesting_body"),
        ({"purpose": {"a": 1}}, "purpose"),
        ({"sponsor": ["fcdo"]}, "sponsor"),
        ({"requesting_body_kind": {"x": "y"}}, "requesting_body_kind"),
        ({"title": "\u200b\u200b\u200b"}, "title"),
        ({"destination": "ZZ"}, "destination"),
        ({"cost_lines": [{"category": {"a": 1}, "amount_pence": 100}]}, "cost_lines.0.category"),
        ({"human_rights": {"risks": [], "residual": {"a": 1}}}, "human_rights.residual"),
    ],
)
def test_api_refuses_unstorable_or_wrongly_typed_input_with_422(client, lead_token, overrides, field):
    before = _count()
    response = client.post("/api/v1/requests", json=full_body(**overrides), headers=lead_token)
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert any(key.startswith(field) for key in response.json["errors"]), response.json
    assert _count() == before


def test_api_refuses_json_nested_100000_deep(client, lead_token):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/requests", data=body, headers={**lead_token, "Content-Type": "application/json"})
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


def test_api_upper_cases_country_codes_and_accepts_kosovo(client, lead_token):
    lower = client.post("/api/v1/requests", json=full_body(destination="sa"), headers=lead_token)
    assert lower.status_code == 201 and lower.json["destination"] == "SA"
    kosovo = client.post("/api/v1/requests", json=full_body(destination="XK"), headers=lead_token)
    assert kosovo.status_code == 201 and kosovo.json["destination"] == "XK"


@pytest.mark.parametrize("big", [2**31, 2**63, 2**64 + 7, 10**30])
def test_ids_past_32_and_64_bits_are_404_on_the_api_and_the_web(client, people, lead_token, big):
    assert client.get(f"/api/v1/requests/{big}", headers=lead_token).status_code == 404
    sign_in(client, people["lead"])
    assert client.get(f"/requests/{big}").status_code == 404


def test_a_withdraw_reason_of_zero_width_spaces_is_refused(client, people, lead_token):
    request = make_request(people["lead"])
    workflow.submit(request.id, people["lead"])
    response = client.post(
        f"/api/v1/requests/{request.id}/withdraw", json={"reason": "\u200b\u200b\u200b"}, headers=lead_token
    )
    assert response.status_code == 422
    db.session.refresh(request)
    assert request.state == "awaiting_chief_officer"


def test_a_return_whose_reasons_are_invisible_is_refused_on_the_web(client, people):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    sign_in(client, people["chief"])
    page = client.post(
        f"/requests/{request.id}/decide",
        data={"outcome": "return", "reasons": "\u200b \u200b\u2060", "ethics_confirmed": "y", "hr_residual": "low"},
    )
    assert page.status_code == 200
    db.session.refresh(request)
    assert request.state == "awaiting_chief_officer"


def test_a_nul_byte_in_a_web_form_is_an_error_at_the_field_and_keeps_the_other_answers(client, people):
    request = make_request(people["lead"])
    sign_in(client, people["lead"])
    page = client.post(
        f"/requests/{request.id}/sections/about",
        data={
            "title": "Training\x00",
            "requesting_body": "Kenya Police Service",
            "requesting_body_kind": "foreign_policing_agency",
        },
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "govuk-error-summary" in text and "Kenya Police Service" in text
    db.session.refresh(request)
    assert "\x00" not in request.title


def test_empty_date_boxes_are_a_field_error_and_keep_the_radio_answers(client, people):
    request = make_request(people["lead"])
    sign_in(client, people["lead"])
    page = client.post(
        f"/requests/{request.id}/sections/dates",
        data={
            "start_date": ["", "", ""],
            "end_date": ["", "", ""],
            "retrospective": "no",
            "urgent": "yes",
            "urgent_reason": "The summit starts next week",
        },
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Enter the start date" in text and "The summit starts next week" in text


@pytest.mark.parametrize(
    "query",
    [
        "date_from=31&date_to=1+1+2026",
        "date_from-day=1&date_from-month=&date_from-year=2026",
        "date_from=banana&date_to=apple&format=csv",
        "date_from=1+13+2026&date_to=40+1+2026",
        "date_from=1+1+99999&date_to=1+1+2026",
        "unknown=1",
    ],
)
def test_the_foi_report_answers_bad_dates_with_a_form_error(client, people, query):
    sign_in(client, people["foi"])
    response = client.get(f"/reports/foi?{query}")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.get_data(as_text=True) or "unknown" in query


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(app, client, lead_token):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/api/v1/requests",
        data=b"{" + b" " * (limit + 10) + b"}",
        headers={**lead_token, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_the_web_cost_form_stops_at_the_same_cap_as_the_api(client, people):
    from config.settings import MAX_MONEY_LINES

    request = make_request(people["lead"])
    existing = len(request.cost_lines)
    for _ in range(MAX_MONEY_LINES - existing):
        db.session.add(CostLine(request_id=request.id, category="travel", amount_pence=100, description=""))
    db.session.commit()
    sign_in(client, people["lead"])
    page = client.post(
        f"/requests/{request.id}/costs",
        data={"cost-category": "travel", "cost-amount": "10", "cost-submit": "y"},
    )
    assert page.status_code == 200
    assert f"at most {MAX_MONEY_LINES}" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CostLine).where(CostLine.request_id == request.id)) == (
        MAX_MONEY_LINES
    )


def test_recovered_more_than_the_actual_cost_is_refused_at_close(people):
    request = advance(make_request(people["lead"]), people, until="approved")
    workflow.deploy(request.id, people["lead"])
    with pytest.raises(workflow.Refused) as refused:
        workflow.close(request.id, people["lead"], 1_500_000, 2_000_000)
    assert "recovered" in [r.rule for r in refused.value.refusals]
    db.session.refresh(request)
    assert request.state == "deployed"


@pytest.mark.parametrize(
    "path, method", [("/api/v1/requests", "DELETE"), ("/sign-out", "GET"), ("/requests/new", "PUT")]
)
def test_405_answers_carry_the_allow_header(client, people, path, method):
    sign_in(client, people["lead"])
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.headers.get("Allow")


def test_an_error_page_renders_even_when_the_database_session_is_broken(database_url, people):
    """A view that fails mid-transaction: the error page rolls back first and needs no database to render."""
    from flask import Blueprint

    from app import create_app
    from approvals.security import public
    from config import TestingConfig

    broken = Blueprint("broken_for_test", __name__)

    @broken.route("/broken-for-test")
    @public
    def broken_view():
        db.session.add(CostLine(request_id=None, category="travel", amount_pence=1))
        db.session.flush()  # IntegrityError: request_id is required; the session now needs a rollback
        return "unreachable"

    fresh = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, PROPAGATE_EXCEPTIONS=False)
    fresh.register_blueprint(broken)
    client = fresh.test_client()
    sign_in(client, people["lead"])
    response = client.get("/broken-for-test")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "args",
    [
        ["users", "invite", "nul\x00@ny.example", "--role", "ipab"],
        ["users", "invite", "x@ny.example", "--role", "ipab", "--name", "\u200b\u200b"],
        ["users", "invite", "x@ny.example", "--role", "ipab", "--name", "Bad\x07Bell"],
        ["users", "invite", "x@ny.example", "--role", "ipab", "--name", "n" * 121],
    ],
)
def test_the_command_line_applies_the_same_text_rule(runner, args):
    from models import User

    result = runner.invoke(args=args)
    assert result.exit_code != 0 or "\u200b" in args[-1]
    if "\u200b" in args[-1]:  # invisible text is no name: the account has none
        assert db.session.scalars(select(User.name).where(User.email == "x@ny.example")).one() == ""
    else:
        assert db.session.scalars(select(User).where(User.email.like("%ny.example"))).first() is None
