"""Access decorators, sign-in session rules and security headers.

Every view carries exactly one access marker (`public`, `signed_in` or `role_required`); a test walks
app.url_map and fails for a view without one.
"""

import logging
import secrets
from datetime import timedelta
from functools import wraps

from flask import abort, current_app, g, request, session
from flask_login import current_user, logout_user

from models.types import utcnow

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


def role_required(*roles):
    """A signed-in user holding at least one of `roles`; anyone else gets 403 (logged)."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.has_role(*roles):
                log.warning(
                    "permission refused user=%s ip=%s path=%s", current_user.id, request.remote_addr, request.path
                )
                abort(403)
            return view(*args, **kwargs)

        wrapper.roles = roles
        return _mark(wrapper, "role")

    return decorator


def is_safe_next(target):
    """Only local paths are followed after sign-in (no open redirect)."""
    return bool(target) and target.startswith("/") and not target.startswith("//") and "\\" not in target


def start_session(user):
    """Called after a successful sign-in: a fresh session (rotation) with its clocks started."""
    session.clear()
    now = utcnow().timestamp()
    session["signed_in_at"] = now
    session["last_seen"] = now
    session.permanent = True


def enforce_session_timeouts():
    """Idle and absolute timeouts, checked on every request."""
    if not current_user.is_authenticated or "signed_in_at" not in session:
        return
    now = utcnow().timestamp()
    config = current_app.config
    idle = timedelta(minutes=config["S26_IDLE_TIMEOUT_MINUTES"]).total_seconds()
    absolute = timedelta(hours=config["S26_ABSOLUTE_TIMEOUT_HOURS"]).total_seconds()
    if now - session.get("last_seen", 0) > idle or now - session["signed_in_at"] > absolute:
        logout_user()
        session.clear()
        return
    session["last_seen"] = now


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
