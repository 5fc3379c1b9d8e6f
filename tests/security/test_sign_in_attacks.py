"""Sign-in attacked: open redirects through `next`, concurrent password guessing, and timing that would tell an
outsider who has an account."""

import threading

import pytest
from sqlalchemy import select

from extensions import db
from models import User
from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    "next_value",
    [
        "/%09/evil.example",
        "/%0D/evil.example",
        "/%0A/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "%09//evil.example",
        "/%09%0A/evil.example/path",
        "javascript:alert(1)",
        " //evil.example",
    ],
)
def test_next_never_leaves_the_service_and_never_errors(client, people, next_value):
    response = client.post(f"/sign-in?next={next_value}", data={"email": people["lead"].email, "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/", location


def test_a_local_next_is_followed(client, people):
    data = {"email": people["lead"].email, "password": PASSWORD}
    response = client.post("/sign-in?next=/requests?state=draft", data=data)
    assert response.headers["Location"] == "/requests?state=draft"


def test_thirty_wrong_passwords_at_once_lock_the_account(app, people):
    user = people["lead"]
    email = user.email
    db.session.remove()
    barrier = threading.Barrier(10)
    statuses = []

    def guess(times):
        with app.app_context():
            client = app.test_client()
            barrier.wait()
            for _ in range(times):
                statuses.append(client.post("/sign-in", data={"email": email, "password": "wrong-guess"}).status_code)
            db.session.remove()

    threads = [threading.Thread(target=guess, args=(3,)) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses.count(200) == 30  # every guess refused with the same page, none a 500
    db.session.expire_all()
    stored = db.session.scalars(select(User).where(User.id == user.id)).one()
    assert stored.failed_sign_ins >= 10
    assert stored.is_locked()
    # Locked: even the right password is refused now, with the same message.
    page = app.test_client().post("/sign-in", data={"email": email, "password": PASSWORD})
    assert page.status_code == 200 and "Your email address or password is incorrect" in page.get_data(as_text=True)


def test_every_failure_is_counted_by_the_database(app, people):
    from approvals import accounts

    user = people["lead"]
    with app.test_request_context():
        counts = [accounts.record_failed_sign_in(user)[0] for _ in range(3)]
    assert counts == [1, 2, 3]


def _hash_calls(monkeypatch):
    import werkzeug.security

    calls = []
    real = werkzeug.security._hash_internal

    def counting(method, salt, password):
        calls.append(method.split(":")[0])
        return real(method, salt, password)

    monkeypatch.setattr(werkzeug.security, "_hash_internal", counting)
    return calls


@pytest.mark.parametrize("who", ["unknown", "locked", "disabled", "invited"])
def test_the_same_password_hash_work_runs_for_accounts_that_cannot_sign_in(app, client, people, monkeypatch, who):
    from datetime import timedelta

    from approvals import accounts
    from models.types import utcnow

    real = people["lead"]
    email = "nobody@nowhere.example"
    if who == "locked":
        people["chief"].locked_until = utcnow() + timedelta(minutes=10)
        email = people["chief"].email
    elif who == "disabled":
        people["pcc"].active = False
        email = people["pcc"].email
    elif who == "invited":
        email = accounts.invite("invited@ny.example", "", ["force_lead"], real.force_id, None).email
    db.session.commit()

    calls = _hash_calls(monkeypatch)
    client.post("/sign-in", data={"email": real.email, "password": "wrong-password"})
    known = list(calls)
    calls.clear()
    client.post("/sign-in", data={"email": email, "password": "wrong-password"})
    assert known == ["scrypt"]
    assert calls == known
