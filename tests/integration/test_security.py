"""Access markers on every route, CSRF on every form, security headers, escaping."""

import re

import pytest

from extensions import db
from models import AssistanceRequest
from tests.conftest import make_request, sign_in


def test_every_route_has_an_access_marker_and_typed_parameters(app):
    missing, untyped = [], []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint.startswith("api."):
            if getattr(view, "access", None) not in ("public", "token"):
                missing.append(rule.rule)
        elif getattr(view, "access", None) not in ("public", "signed_in", "role"):
            missing.append(rule.rule)
        for argument, converter in rule._converters.items():
            if type(converter).__name__ == "UnicodeConverter" and argument not in ("filename",):
                untyped.append(f"{rule.rule} <{argument}>")
    assert missing == [], f"routes without an access decorator: {missing}"
    assert untyped == [], f"untyped URL parameters: {untyped}"


def test_every_view_has_a_one_line_docstring(app):
    undocumented = [e for e, v in app.view_functions.items() if e != "static" and not (v.__doc__ or "").strip()]
    assert undocumented == []


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(client, people, csrf_on):
    request = make_request(people["lead"])
    response = client.post("/sign-in", data={"email": "lead@ny.example", "password": "correct-horse-battery"})
    assert response.status_code == 400
    # Sign in properly, with the token from the page.
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert (
        client.post(
            "/sign-in", data={"email": "lead@ny.example", "password": "correct-horse-battery", "csrf_token": token}
        ).status_code
        == 302
    )
    response = client.post(
        f"/requests/{request.id}/sections/about",
        data={"title": "Changed without a token", "requesting_body": "X", "requesting_body_kind": "foreign_government"},
    )
    assert response.status_code == 400
    assert db.session.get(AssistanceRequest, request.id).title != "Changed without a token"
    refused = client.post("/sign-out")
    assert refused.status_code == 400 and "form you submitted has expired" in refused.get_data(as_text=True)
    assert client.get("/").status_code == 200  # sign-out without a token did nothing


def test_security_headers_on_every_response(client):
    response = client.get("/sign-in")
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp and "script-src 'self' 'nonce-" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)
    assert "Strict-Transport-Security" not in headers  # testing runs over plain HTTP; production sets it
    assert client.get("/no-such-page").headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly_and_samesite_lax(client, people):
    response = client.post("/sign-in", data={"email": "lead@ny.example", "password": "correct-horse-battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_script_title_shows_as_text(client, people):
    request = make_request(people["lead"], title="<script>alert(1)</script>")
    sign_in(client, people["lead"])
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
