"""A person who knows a decider's password and nothing else cannot sign in as that decider: set-up is only for
an account with no authenticator, a lost phone is an admin's reset, and new people are invited by a single-use
link. Each test is the attack, performed."""

import re
from datetime import timedelta

import pyotp
from sqlalchemy import select, update

from extensions import db
from models import AccountEvent, Invitation, OutboxMessage, User
from models.types import utcnow
from tests.conftest import PASSWORD, make_user, sign_in
from tests.integration.test_sign_in_security import enrol, next_code, password_step, require_2fa  # noqa: F401


def test_knowing_the_password_of_an_enrolled_decider_does_not_reach_set_up(app, people, require_2fa):  # noqa: F811
    victim = people["chief"]
    secret, _ = enrol(app.test_client(), victim)

    attacker = app.test_client()
    assert password_step(attacker, victim).headers["Location"].endswith("/sign-in/two-factor")
    offered = attacker.get("/sign-in/set-up-two-factor")
    assert offered.status_code == 302 and offered.headers["Location"].endswith("/sign-in/two-factor")
    # Posting a code for a secret of the attacker's own choosing changes nothing either.
    own = pyotp.random_base32()
    with attacker.session_transaction() as session:
        session["enrol_secret"] = own
    attacker.post("/sign-in/set-up-two-factor", data={"code": pyotp.TOTP(own).now()})

    assert attacker.get("/").status_code == 302  # not signed in
    db.session.refresh(victim)
    assert victim.totp_secret == secret  # the victim's authenticator is untouched


def test_a_signed_in_user_with_two_factor_cannot_replace_it_from_set_up(app, people, require_2fa):  # noqa: F811
    client = app.test_client()
    secret, _ = enrol(client, people["pcc"])
    response = client.get("/sign-in/set-up-two-factor")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account")
    db.session.refresh(people["pcc"])
    assert people["pcc"].totp_secret == secret


def test_enrolment_is_a_conditional_update_that_cannot_overwrite(app, people):
    from approvals import two_factor

    user = people["ipab"]
    assert two_factor.enrol(user, pyotp.random_base32(), "x") is True
    db.session.commit()
    assert two_factor.enrol(user, pyotp.random_base32(), "y") is False


def test_an_admin_reset_is_audited_emailed_and_leads_to_enrolment_at_next_sign_in(app, people, require_2fa):  # noqa: F811
    victim = people["home_office"]
    victim_browser = app.test_client()
    enrol(victim_browser, victim)
    assert victim_browser.get("/").status_code == 200

    admin = people["admin"]
    app.config["S26_REQUIRE_2FA"] = False  # the admin's own two-factor is not what this test is about
    admin_client = app.test_client()
    sign_in(admin_client, admin)
    app.config["S26_REQUIRE_2FA"] = True
    page = admin_client.get(f"/admin/users/{victim.id}").get_data(as_text=True)
    assert "Reset two-factor" in page
    assert admin_client.post(f"/admin/users/{victim.id}/reset-two-factor").status_code == 302

    db.session.refresh(victim)
    assert not victim.totp_confirmed and victim.totp_secret is None and victim.recovery_codes is None
    assert victim_browser.get("/").status_code == 302  # the reset ended their sessions
    events = db.session.scalars(select(AccountEvent).where(AccountEvent.user_id == victim.id)).all()
    assert [(e.event, e.actor_id) for e in events] == [("two_factor_reset", admin.id)]
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == victim.email)).one()
    assert mail.template == "two_factor_reset"
    again = app.test_client()
    assert password_step(again, victim).headers["Location"].endswith("/sign-in/set-up-two-factor")


def test_only_an_admin_can_reset_two_factor(app, client, people):
    sign_in(client, people["home_office"])
    assert client.post(f"/admin/users/{people['chief'].id}/reset-two-factor").status_code == 403


def test_new_recovery_codes_need_the_current_second_factor(app, people, require_2fa):  # noqa: F811
    client = app.test_client()
    secret, old_codes = enrol(client, people["chief"])
    refused = client.post("/account", data={"codes-code": "000000", "codes-submit": "y"}).get_data(as_text=True)
    assert "The security code is not correct" in refused
    db.session.refresh(people["chief"])
    stored = people["chief"].recovery_codes
    page = client.post("/account", data={"codes-code": next_code(secret), "codes-submit": "y"}).get_data(as_text=True)
    new_codes = re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", page)
    assert len(new_codes) == 8 and not set(new_codes) & set(old_codes)
    db.session.refresh(people["chief"])
    assert people["chief"].recovery_codes != stored


def _invitation_link(email):
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == email, OutboxMessage.template == "invitation")
    ).one()
    return message.context["link"].replace("http://localhost", "")


def test_an_invited_decider_chooses_a_password_then_must_enrol(app, client, people, require_2fa):  # noqa: F811
    app.config["S26_REQUIRE_2FA"] = False  # the admin's own two-factor is not what this test is about
    sign_in(client, people["admin"])
    app.config["S26_REQUIRE_2FA"] = True
    force_id = people["chief"].force_id
    response = client.post(
        "/admin/users",
        data={"email": "New.Chief@ny.example", "name": "New Chief", "roles": ["chief_officer"], "force": str(force_id)},
    )
    assert response.status_code == 302
    invited = db.session.scalars(select(User).where(User.email == "new.chief@ny.example")).one()
    assert not invited.has_usable_password
    # No password works before the person chooses one, not even an empty one.
    assert (
        client.application.test_client().post("/sign-in", data={"email": invited.email, "password": "!"}).status_code
        == 200
    )

    link = _invitation_link(invited.email)
    token = link.rsplit("/", 1)[1]
    assert token not in {row.token_hash for row in db.session.scalars(select(Invitation))}  # stored hashed
    browser = app.test_client()
    short = browser.post(link, data={"new": "short", "confirm": "short"})
    assert "Password must be between 12 and 200 characters" in short.get_data(as_text=True)
    chosen = browser.post(link, data={"new": "a-long-new-password", "confirm": "a-long-new-password"})
    assert chosen.headers["Location"].endswith("/sign-in/set-up-two-factor")
    assert browser.get("/").status_code == 302  # not signed in until enrolled
    # The link works once.
    assert app.test_client().get(link).status_code == 404
    again = {"new": "another-password-1", "confirm": "another-password-1"}
    assert app.test_client().post(link, data=again).status_code == 404


def test_an_invitation_expires_after_72_hours(app, client, people):
    from approvals import accounts

    invited = accounts.invite("late@ny.example", "Late", ["force_lead"], people["lead"].force_id, people["admin"])
    link = _invitation_link(invited.email)
    db.session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get(link).status_code == 404
    assert client.post(link, data={"new": "a-long-new-password", "confirm": "a-long-new-password"}).status_code == 404


def test_users_invite_command_creates_the_account_and_queues_the_link(app, runner, people):
    result = runner.invoke(args=["users", "invite", "IPAB.Two@gov.example", "--role", "ipab", "--name", "Second"])
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User).where(User.email == "ipab.two@gov.example")).one()
    assert user.roles == {"ipab"} and not user.has_usable_password
    assert "/invitation/" in _invitation_link(user.email)
    assert "invitation/" not in result.output  # the link is a credential: it goes only to the person


def test_users_invite_refuses_a_force_role_without_a_force(app, runner):
    result = runner.invoke(args=["users", "invite", "x@ny.example", "--role", "force_lead"])
    assert result.exit_code != 0 and "need --force" in result.output


def test_an_admin_cannot_create_a_force_scoped_role_without_a_force(app, client, people):
    sign_in(client, people["admin"])
    page = client.post(
        "/admin/users", data={"email": "noforce@ny.example", "name": "No Force", "roles": ["pcc_office"], "force": ""}
    ).get_data(as_text=True)
    assert "Select the force for these roles" in page
    assert db.session.scalars(select(User).where(User.email == "noforce@ny.example")).first() is None


def test_a_password_only_account_from_the_cli_still_enrols_at_first_sign_in(app, people, require_2fa):  # noqa: F811
    user = make_user("scripted@gov.example", "home_office")
    assert password_step(app.test_client(), user).headers["Location"].endswith("/sign-in/set-up-two-factor")
    assert PASSWORD
