"""TOTP two-factor sign-in: secrets, QR codes for enrolment, and one-use recovery codes."""

import hashlib
import hmac
import secrets

import pyotp
import segno

ISSUER = "Section 26 approvals"
RECOVERY_CODES = 8


def new_secret():
    return pyotp.random_base32()


def qr_svg_data_uri(secret, email):
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=5)


def verify_totp(secret, code):
    code = (code or "").replace(" ", "")
    return bool(secret) and code.isdigit() and len(code) == 6 and pyotp.TOTP(secret).verify(code, valid_window=1)


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
