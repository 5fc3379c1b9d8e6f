"""Two-factor sign-in for deciders, the per-IP rate limit, and what the logs say (and never say)."""

import logging
import re
import time

import pyotp
import pytest

from app import create_app
from config import TestingConfig
from extensions import db
from tests.conftest import PASSWORD, sign_in


@pytest.fixture
def require_2fa(app):
    app.config["S26_REQUIRE_2FA"] = True
    yield
    app.config["S26_REQUIRE_2FA"] = False


def password_step(client, user):
    return client.post("/sign-in", data={"email": user.email, "password": PASSWORD})


def enrol(client, user):
    response = password_step(client, user)
    assert response.headers["Location"].endswith("/sign-in/set-up-two-factor")
    page = client.get("/sign-in/set-up-two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    done = client.post("/sign-in/set-up-two-factor", data={"code": pyotp.TOTP(secret).now()}).get_data(as_text=True)
    codes = re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", done)
    return secret, codes


@pytest.mark.parametrize("role_user", ["chief", "pcc", "home_office", "ipab", "admin"])
def test_deciders_and_admins_must_enrol_before_they_are_signed_in(client, people, require_2fa, role_user):
    user = people[role_user]
    password_step(client, user)
    assert client.get("/").status_code == 302  # the password alone does not sign in
    secret, codes = enrol(client, user)
    assert len(codes) == 8
    assert client.get("/").status_code == 200
    db.session.refresh(user)
    assert user.totp_confirmed and user.totp_secret == secret and codes[0] not in user.recovery_codes


def test_a_force_lead_may_sign_in_without_two_factor(client, people, require_2fa):
    assert sign_in(client, people["lead"]).headers["Location"] == "/"


def test_after_enrolment_each_sign_in_needs_a_code_and_a_wrong_one_is_refused(app, people, require_2fa):
    first = app.test_client()
    secret, codes = enrol(first, people["chief"])
    client = app.test_client()
    assert password_step(client, people["chief"]).headers["Location"].endswith("/sign-in/two-factor")
    page = client.post("/sign-in/two-factor", data={"code": "000000"}).get_data(as_text=True)
    assert "The security code is not correct" in page
    assert client.get("/").status_code == 302
    # Enrolment used this time step's code; the app's next code (one step ahead, allowed for drift) works.
    assert client.post("/sign-in/two-factor", data={"code": next_code(secret)}).status_code == 302
    assert client.get("/").status_code == 200


def next_code(secret):
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_a_code_cannot_be_used_twice_nor_an_earlier_one_after_it(app, people, require_2fa):
    secret, _ = enrol(app.test_client(), people["chief"])
    used = next_code(secret)
    first = app.test_client()
    password_step(first, people["chief"])
    assert first.post("/sign-in/two-factor", data={"code": used}).status_code == 302
    # Someone who saw the code typed tries it within its 90-second window, or tries the code before it.
    for replay in (used, pyotp.TOTP(secret).now()):
        second = app.test_client()
        password_step(second, people["chief"])
        page = second.post("/sign-in/two-factor", data={"code": replay}).get_data(as_text=True)
        assert "That security code has already been used" in page
        assert second.get("/").status_code == 302
    db.session.refresh(people["chief"])
    assert people["chief"].failed_sign_ins == 2


def test_a_time_step_is_claimed_once_by_a_conditional_update(app, people):
    """The claim is one UPDATE ... WHERE last step < this step, so of two requests with one code only one
    can change the row; here the same claim is made twice in a row."""
    from approvals import two_factor

    user = people["ipab"]
    user.totp_secret = pyotp.random_base32()
    db.session.commit()
    step = two_factor.matching_step(user.totp_secret, pyotp.TOTP(user.totp_secret).now())
    assert step is not None
    assert two_factor.claim_step(user, step) is True
    assert two_factor.claim_step(user, step) is False
    assert two_factor.claim_step(user, step - 1) is False
    assert two_factor.claim_step(user, step + 1) is True


def test_a_recovery_code_works_once(app, people, require_2fa):
    _, codes = enrol(app.test_client(), people["pcc"])
    client = app.test_client()
    password_step(client, people["pcc"])
    assert client.post("/sign-in/two-factor", data={"code": codes[0]}).status_code == 302
    again = app.test_client()
    password_step(again, people["pcc"])
    assert "not correct" in again.post("/sign-in/two-factor", data={"code": codes[0]}).get_data(as_text=True)


def test_the_second_step_cannot_be_reached_without_the_password(client, people):
    assert client.get("/sign-in/two-factor").headers["Location"].endswith("/sign-in")


def test_sign_in_is_rate_limited_per_ip(database_url, people):
    limited = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        RATELIMIT_ENABLED=True,
        S26_SIGN_IN_RATE_LIMIT="3 per minute",
    )
    client = limited.test_client()
    statuses = [
        client.post("/sign-in", data={"email": "x@y.example", "password": "nope"}).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert "Too many attempts" in client.post("/sign-in", data={"email": "x@y.example", "password": "nope"}).get_data(
        as_text=True
    )


def test_sign_ins_are_logged_with_user_and_ip_and_never_the_password(client, people, caplog):
    caplog.set_level(logging.INFO)
    client.post("/sign-in", data={"email": "lead@ny.example", "password": "wrong-password-123"})
    sign_in(client, people["lead"])
    text = caplog.text
    assert f"failed sign-in user={people['lead'].id} ip=127.0.0.1" in text
    assert f"sign-in user={people['lead'].id} ip=127.0.0.1" in text
    assert "wrong-password-123" not in text and PASSWORD not in text


def test_permission_refusals_are_logged(client, people, caplog):
    caplog.set_level(logging.WARNING)
    sign_in(client, people["lead"])
    assert client.get("/admin/users").status_code == 403
    assert f"permission refused user={people['lead'].id} ip=127.0.0.1 path=/admin/users" in caplog.text


def test_api_tokens_are_never_logged(client, people, caplog):
    from tests.integration.test_api import token_for

    caplog.set_level(logging.DEBUG)
    headers = token_for(people["lead"])
    client.get("/api/v1/requests", headers=headers)
    client.get("/admin/users", headers=headers)
    assert headers["Authorization"].split()[1] not in caplog.text
