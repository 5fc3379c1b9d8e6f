"""Account security: server-side sessions, the sign-in failure counter, invitations, two-factor resets, and the
account event log. Every function that changes an account is one transaction and leaves an AccountEvent.

A signed-in browser is a `UserSession` row. Its random key travels in the signed session cookie (as
Flask-Login's user id) and only its SHA-256 is stored, so someone who reads the database cannot sign in with
it. Deleting the row ends the session: a copied cookie is worth nothing after sign-out, password change,
disabling, locking or an admin's "sign out everywhere".
"""

import hashlib
import logging
import secrets
from datetime import timedelta
from functools import lru_cache

from flask import current_app, request
from sqlalchemy import case, delete, select, update
from sqlalchemy.orm import contains_eager, joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from approvals import notifications
from extensions import db
from models import AccountEvent, ApiToken, Invitation, User, UserSession
from models.types import utcnow

log = logging.getLogger("s26.accounts")

MAX_FAILED_SIGN_INS = 10
LOCKOUT = timedelta(minutes=30)
# last_seen_at is written at most this often: a write per page would cost more than the idle timeout's precision.
LAST_SEEN_RESOLUTION = timedelta(seconds=60)
INVITATION_LIFETIME = timedelta(hours=72)


def _digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


def log_event(user, actor, event, detail=None):
    db.session.add(AccountEvent(user_id=user.id, actor_id=actor.id if actor else None, event=event, detail=detail))


# --- Sessions ------------------------------------------------------------------------------------


def start_session(user):
    """A new server-side session for `user`; returns the key that goes in the cookie. Commits."""
    key = secrets.token_urlsafe(32)
    agent = (request.headers.get("User-Agent") or "")[:200] if request else ""
    db.session.add(
        UserSession(user_id=user.id, key_hash=_digest(key), user_agent=agent, ip=(request.remote_addr or "")[:45])
    )
    db.session.commit()
    return key


def _write_apart(stmt):
    """Run a small write on a connection of its own, so the page's session is not committed (and its loaded
    objects not expired) for a bookkeeping update."""
    with db.engine.begin() as connection:
        connection.execute(stmt)


def load_session_user(key):
    """The user whose live session `key` is, with their roles and this session row, in one query; None when the
    session was ended, timed out, or its user may no longer sign in. A timed-out row is deleted."""
    if not key or len(key) > 100:
        return None
    row = (
        db.session.execute(
            select(UserSession)
            .join(UserSession.user)
            .outerjoin(User.role_rows)
            .options(contains_eager(UserSession.user).contains_eager(User.role_rows))
            .where(UserSession.key_hash == _digest(key))
        )
        .unique()
        .scalar_one_or_none()
    )
    if row is None:
        return None
    user, now, config = row.user, utcnow(), current_app.config
    idle = timedelta(minutes=config["S26_IDLE_TIMEOUT_MINUTES"])
    absolute = timedelta(hours=config["S26_ABSOLUTE_TIMEOUT_HOURS"])
    if now - row.last_seen_at > idle or now - row.created_at > absolute or not user.can_authenticate(now):
        _write_apart(delete(UserSession).where(UserSession.id == row.id))
        return None
    if now - row.last_seen_at > LAST_SEEN_RESOLUTION:
        _write_apart(update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now))
    user.session_key = key
    user.session_row_id = row.id
    return user


def end_session(key):
    if key:
        db.session.execute(delete(UserSession).where(UserSession.key_hash == _digest(key)))


def end_sessions(user, keep_key=None):
    """Delete every session of `user` (but the one whose key is `keep_key`). Returns how many ended."""
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_key:
        stmt = stmt.where(UserSession.key_hash != _digest(keep_key))
    return db.session.execute(stmt).rowcount


def revoke_tokens(user):
    db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
    )


def active_sessions(user):
    return db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.last_seen_at.desc())
    ).all()


def end_everything(user, actor, event):
    """Every session and API token of `user` ends (disabling, an admin's "sign out everywhere"). Caller commits."""
    end_sessions(user)
    revoke_tokens(user)
    user.rotate_credentials()
    log_event(user, actor, event)


# --- Passwords and the failure counter -------------------------------------------------------------


@lru_cache(maxsize=1)
def _dummy_hash():
    return generate_password_hash(secrets.token_urlsafe(16))


def check_password(user, password):
    """Whether `password` is right for `user`, with the same hash work whether or not the account exists, is
    usable or has a password at all: the response time must not tell an outsider who has an account."""
    stored = user.password_hash if user is not None and user.has_usable_password else None
    if stored is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(stored, password)


def record_failed_sign_in(user):
    """Count a failure in the database itself (concurrent failures cannot lose an increment) and lock the account
    in the same statement once the count reaches the limit. A lock ends the account's sessions."""
    now = utcnow()
    count, locked_until = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            failed_sign_ins=User.failed_sign_ins + 1,
            locked_until=case(
                (User.failed_sign_ins + 1 >= MAX_FAILED_SIGN_INS, now + LOCKOUT), else_=User.locked_until
            ),
        )
        .returning(User.failed_sign_ins, User.locked_until)
    ).one()
    if count == MAX_FAILED_SIGN_INS:
        end_sessions(user)
        log_event(user, None, "locked", f"{count} failed sign-ins")
        log.warning("account locked user=%s ip=%s", user.id, request.remote_addr)
    db.session.commit()
    return count, locked_until


def change_password(user, new_password, keep_key=None):
    """A new password ends every other session and every API token. Caller commits."""
    user.set_password(new_password)
    end_sessions(user, keep_key=keep_key)
    revoke_tokens(user)
    log_event(user, user, "password_changed")


# --- Two-factor resets -----------------------------------------------------------------------------


def reset_two_factor(user, actor):
    """An admin's answer to a lost phone: the authenticator and recovery codes are removed, every session ends,
    and the person enrols again at their next sign-in. Audited and emailed to them."""
    user.totp_secret, user.totp_confirmed, user.recovery_codes, user.totp_last_step = None, False, None, None
    end_sessions(user)
    user.rotate_credentials()
    log_event(user, actor, "two_factor_reset")
    notifications.queue_account_message(
        user, "two_factor_reset", f"u{user.id}:2fa-reset:{secrets.token_hex(8)}", {"by": actor.name or actor.email}
    )
    db.session.commit()


# --- Invitations -----------------------------------------------------------------------------------


def invite(email, name, roles, force_id, actor, no_email=False):
    """Create an account with no usable password and email it a single-use link to choose one. Commits.
    Returns the new user. The link is not returned: it exists only in the email."""
    user = User(email=email.strip().lower(), name=name or "", force_id=force_id, no_email=no_email)
    user.password_hash = User.UNUSABLE_PASSWORD
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    _send_invitation(user, actor)
    db.session.commit()
    return user


def resend_invitation(user, actor):
    """A new link for a person who has not chosen a password yet; earlier links stop working. Commits."""
    db.session.execute(
        update(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None)).values(used_at=utcnow())
    )
    _send_invitation(user, actor)
    db.session.commit()


def _send_invitation(user, actor):
    token = secrets.token_urlsafe(32)
    db.session.add(
        Invitation(
            user_id=user.id,
            token_hash=_digest(token),
            created_by_id=actor.id if actor else None,
            expires_at=utcnow() + INVITATION_LIFETIME,
        )
    )
    link = f"{current_app.config['S26_BASE_URL'].rstrip('/')}/invitation/{token}"
    log_event(user, actor, "invited")
    notifications.queue_account_message(
        user,
        "invitation",
        f"u{user.id}:invite:{_digest(token)[:16]}",
        {"link": link, "hours": int(INVITATION_LIFETIME.total_seconds() // 3600), "roles": sorted(user.roles)},
        force=True,  # an invitation is the account itself: it goes even to a user who has asked for no email
    )


def open_invitation(token):
    """The unused, unexpired invitation for `token`, with its user; otherwise None."""
    if not token or len(token) > 100:
        return None
    return db.session.scalars(
        select(Invitation)
        .options(joinedload(Invitation.user))
        .where(Invitation.token_hash == _digest(token), Invitation.used_at.is_(None), Invitation.expires_at > utcnow())
    ).first()


def accept_invitation(token, password):
    """Use the invitation once: set the password. Returns the user, or None when the link is no longer good.
    The claim is a conditional UPDATE, so two submissions of one link cannot both succeed."""
    invitation = open_invitation(token)
    if invitation is None:
        return None
    claimed = db.session.execute(
        update(Invitation).where(Invitation.id == invitation.id, Invitation.used_at.is_(None)).values(used_at=utcnow())
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return None
    user = invitation.user
    user.set_password(password)
    log_event(user, user, "invitation_accepted")
    db.session.commit()
    return user
