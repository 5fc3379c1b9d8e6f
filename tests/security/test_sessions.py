"""Sessions end on the server. Each test copies a signed-in browser's cookie, as a thief would, and replays it
from another client after the event that must end it."""

from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from extensions import db
from models import ApiToken, User, UserSession
from models.types import utcnow
from tests.conftest import PASSWORD, sign_in


def _steal(client):
    return client.get_cookie("session").value


def _replay(app, cookie, path="/account"):
    thief = app.test_client()
    thief.set_cookie("session", cookie, domain="localhost")
    return thief.get(path)


def test_a_copied_cookie_works_while_the_session_lives(app, client, people):
    sign_in(client, people["lead"])
    assert _replay(app, _steal(client)).status_code == 200


def test_a_copied_cookie_is_refused_after_sign_out(app, client, people):
    sign_in(client, people["lead"])
    cookie = _steal(client)
    client.post("/sign-out")
    response = _replay(app, cookie)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert db.session.scalars(select(UserSession).where(UserSession.user_id == people["lead"].id)).all() == []


def test_a_copied_cookie_is_refused_after_sign_out_of_other_sessions(app, client, people):
    victim_elsewhere = app.test_client()
    sign_in(victim_elsewhere, people["lead"])
    cookie = _steal(victim_elsewhere)
    sign_in(client, people["lead"])
    client.post("/account", data={"others-submit": "y"})
    assert _replay(app, cookie).status_code == 302
    assert client.get("/account").status_code == 200  # the session that asked carries on


def test_a_copied_cookie_is_refused_after_a_password_change(app, client, people):
    other = app.test_client()
    sign_in(other, people["lead"])
    cookie = _steal(other)
    sign_in(client, people["lead"])
    response = client.post(
        "/account",
        data={
            "password-current": PASSWORD,
            "password-new": "a-brand-new-password",
            "password-confirm": "a-brand-new-password",
            "password-submit": "y",
        },
    )
    assert response.status_code == 302
    assert _replay(app, cookie).status_code == 302
    assert client.get("/account").status_code == 200


def test_a_copied_cookie_is_refused_after_the_account_is_disabled(app, client, people):
    sign_in(client, people["lead"])
    cookie = _steal(client)
    admin = app.test_client()
    sign_in(admin, people["admin"])
    admin.post(f"/admin/users/{people['lead'].id}", data={"no_email": ""})  # active unticked
    assert db.session.get(User, people["lead"].id).active is False
    assert _replay(app, cookie).status_code == 302


def test_a_copied_cookie_is_refused_after_an_admin_signs_the_person_out_everywhere(app, client, people):
    sign_in(client, people["lead"])
    cookie = _steal(client)
    admin = app.test_client()
    sign_in(admin, people["admin"])
    admin.post(f"/admin/users/{people['lead'].id}/sign-out-everywhere")
    assert _replay(app, cookie).status_code == 302


@pytest.mark.parametrize(
    "column, age, ends",
    [
        ("last_seen_at", timedelta(minutes=31), True),  # idle
        ("last_seen_at", timedelta(minutes=29), False),
        ("created_at", timedelta(hours=12, seconds=1), True),  # absolute, however active
    ],
)
def test_timeouts_are_judged_from_the_server_row_not_the_cookie(app, client, people, column, age, ends):
    sign_in(client, people["lead"])
    cookie = _steal(client)
    db.session.execute(
        update(UserSession).where(UserSession.user_id == people["lead"].id).values({column: utcnow() - age})
    )
    db.session.commit()
    assert _replay(app, cookie).status_code == (302 if ends else 200)
    # The client cannot extend its session by editing the cookie: nothing in it but the row's key is trusted.
    with client.session_transaction() as session:
        session["last_seen"] = session["signed_in_at"] = utcnow().timestamp()
    assert client.get("/account").status_code == (302 if ends else 200)


def test_the_cookie_expires_with_the_absolute_timeout_not_in_31_days(app, client, people):
    response = sign_in(client, people["lead"])
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    expires = client.get_cookie("session").expires
    assert "Expires=" in cookie
    hours = app.config["S26_ABSOLUTE_TIMEOUT_HOURS"]
    lifetime = expires.replace(tzinfo=None) - utcnow()
    assert timedelta(hours=hours) - timedelta(minutes=1) < lifetime <= timedelta(hours=hours)


def test_the_signed_in_user_and_roles_and_session_cost_one_query(app, client, people):
    sign_in(client, people["lead"])
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get("/account").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    loading = [s for s in seen if "user_session" in s and "user_role" in s and "user_account" in s]
    assert len(loading) == 1
    assert not [s for s in seen if "FROM user_role" in s and "user_session" not in s]  # no second roles query


def test_api_tokens_end_with_a_password_change_lock_or_disable(app, client, people):
    lead = people["lead"]
    row, token = ApiToken.issue(lead, "script")
    db.session.add(row)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/requests", headers=headers).status_code == 200

    db.session.execute(update(User).where(User.id == lead.id).values(locked_until=utcnow() + timedelta(minutes=5)))
    db.session.commit()
    assert client.get("/api/v1/requests", headers=headers).status_code == 401  # locked
    db.session.execute(update(User).where(User.id == lead.id).values(locked_until=None))
    db.session.commit()
    assert client.get("/api/v1/requests", headers=headers).status_code == 200

    sign_in(client, lead)
    client.post(
        "/account",
        data={
            "password-current": PASSWORD,
            "password-new": "a-brand-new-password",
            "password-confirm": "a-brand-new-password",
            "password-submit": "y",
        },
    )
    assert client.get("/api/v1/requests", headers=headers).status_code == 401  # revoked by the new password


def test_an_api_token_stops_when_its_owner_is_disabled(app, client, people):
    row, token = ApiToken.issue(people["lead"], "script")
    db.session.add(row)
    db.session.commit()
    admin = app.test_client()
    sign_in(admin, people["admin"])
    admin.post(f"/admin/users/{people['lead'].id}", data={})
    assert client.get("/api/v1/requests", headers={"Authorization": f"Bearer {token}"}).status_code == 401
