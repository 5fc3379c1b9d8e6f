"""Access decorators, sign-in session rules and security headers.

Every view carries exactly one access marker (`public`, `signed_in` or `role_required`); a test walks
app.url_map and fails for a view without one.
"""

import logging
import secrets
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, g, request
from flask_login import current_user
from werkzeug.routing import BaseConverter, IntegerConverter

log = logging.getLogger("s26.security")


def _mark(view, access):
    view.access = access
    return view


def public(view):
    """Open to anyone, signed in or not."""
    return _mark(view, "public")


def signed_in(view):
    """Any signed-in user."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        return view(*args, **kwargs)

    return _mark(wrapper, "signed_in")


def role_required(*roles, allow=None):
    """A signed-in user holding at least one of `roles` (or for whom `allow(user)` says yes: a delegate decides
    without holding the gate's role); anyone else gets 403 (logged)."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.has_role(*roles) and not (allow is not None and allow(current_user)):
                log.warning(
                    "permission refused user=%s ip=%s path=%s", current_user.id, request.remote_addr, request.path
                )
                abort(403)
            return view(*args, **kwargs)

        wrapper.roles = roles
        return _mark(wrapper, "role")

    return decorator


# What a browser removes from a URL before following it (WHATWG URL parsing): ASCII tab and newline anywhere,
# and C0 controls and spaces at either end. `/\t/evil.example` is `//evil.example` to a browser.
_BROWSER_REMOVES = str.maketrans("", "", "\t\n\r")


def safe_next(target):
    """`target` if, read as a browser reads it, it is a path on this service (no scheme, no host); otherwise None.
    The value returned is the cleaned one, so what we send is what the browser will follow."""
    if not target or len(target) > 2000:
        return None
    cleaned = target.translate(_BROWSER_REMOVES).strip("".join(map(chr, range(0x21))))
    if not cleaned.startswith("/") or cleaned.startswith("//") or "\\" in cleaned:
        return None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in cleaned):
        return None
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return None
    return cleaned


def _up_to(limit):
    """A pattern for the whole numbers from 0 to `limit` (its decimal digits), leading zeros allowed."""
    shorter = rf"\d{{1,{len(limit) - 1}}}"
    same_length = [
        limit[:i] + (f"[0-{int(digit) - 1}]" if digit != "1" else "0") + rf"\d{{{len(limit) - i - 1}}}"
        for i, digit in enumerate(limit)
        if digit != "0"
    ]
    return "0*(?:" + "|".join([shorter, *same_length, limit]) + ")"


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` everywhere: ids are 32-bit database integers, so a larger number names nothing (404) instead of
    reaching the database as an out-of-range value (500)."""

    # The bound is in the pattern, not only in to_python: werkzeug's matcher, when to_python refuses a value, still
    # counts the methods of the rule it nearly matched and answers 405 with a wrong Allow instead of 404.
    regex = _up_to(str(2**31 - 1))

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class SecretTokenConverter(BaseConverter):
    """A URL-safe random token in a path (an invitation link): anything else is a 404 before the view runs."""

    regex = r"[A-Za-z0-9_-]{16,100}"


class AuthorisationReferenceConverter(BaseConverter):
    """A general authorisation's reference in a path (approvals.route.REFERENCE_PATTERN, either case)."""

    regex = r"[A-Za-z0-9][A-Za-z0-9-]{0,39}"

    def to_python(self, value):
        return value.upper()


def csp_nonce():
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def set_security_headers(response):
    nonce = g.get("csp_nonce")
    script_src = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config["S26_HSTS"]:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response
