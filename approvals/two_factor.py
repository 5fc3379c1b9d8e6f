"""TOTP two-factor sign-in: secrets, QR codes for enrolment, and one-use recovery codes."""

import hashlib
import hmac
import secrets
import time
from datetime import datetime, timezone

import pyotp
import segno
from sqlalchemy import or_, update

from extensions import db
from models import User

ISSUER = "Section 26 approvals"
RECOVERY_CODES = 8


def new_secret():
    return pyotp.random_base32()


def qr_svg_data_uri(secret, email):
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=5)


def matching_step(secret, code, for_time=None):
    """The time step `code` belongs to, if it is valid now (one step either side allows for clock drift);
    otherwise None. The caller refuses a step no later than the last one accepted (see claim_step)."""
    code = (code or "").replace(" ", "")
    if not (secret and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = for_time if for_time is not None else time.time()
    for offset in (-1, 0, 1):
        if hmac.compare_digest(totp.at(now, counter_offset=offset), code):
            return totp.timecode(datetime.fromtimestamp(now, tz=timezone.utc)) + offset
    return None


def claim_step(user, step):
    """Record `step` as used for `user`, atomically: True only if no code of this step or a later one was
    accepted before. Two requests racing with one code: exactly one wins."""
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
    ).rowcount
    if claimed:
        db.session.refresh(user, ["totp_last_step"])
    return claimed == 1


def enrol(user, secret, recovery_hashes):
    """Give `user` this authenticator, only if they have none: a conditional UPDATE, so an enrolled account's
    authenticator can never be replaced this way (an admin resets it). True if enrolled."""
    enrolled = db.session.execute(
        update(User)
        .where(User.id == user.id, User.totp_confirmed.is_(False))
        .values(totp_secret=secret, totp_confirmed=True, recovery_codes=recovery_hashes)
    ).rowcount
    if enrolled:
        db.session.refresh(user, ["totp_secret", "totp_confirmed", "recovery_codes"])
    return enrolled == 1


def verify_and_claim(user, secret, code):
    """A valid code for `secret` that has not been used before (by step) for `user`."""
    step = matching_step(secret, code)
    return step is not None and claim_step(user, step)


def _hash(code):
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def new_recovery_codes():
    """(codes to show once, newline-joined hashes to store)."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    return codes, "\n".join(_hash(code) for code in codes)


def use_recovery_code(stored, code):
    """If `code` is one of the stored codes, return the stored hashes without it; otherwise None."""
    hashes = (stored or "").split()
    wanted = _hash(code or "")
    for index, candidate in enumerate(hashes):
        if hmac.compare_digest(candidate, wanted):
            return "\n".join(hashes[:index] + hashes[index + 1 :])
    return None
