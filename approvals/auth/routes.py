import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from approvals import accounts
from approvals import two_factor as two_factor_rules
from approvals.auth.forms import (
    ChangePasswordForm,
    ChoosePasswordForm,
    RecoveryCodesForm,
    RevokeForm,
    SignInForm,
    SignOutForm,
    TokenForm,
    TwoFactorForm,
)
from approvals.language import N_
from approvals.security import public, safe_next, set_security_headers, signed_in
from extensions import db, limiter, login_manager
from models import ApiToken, User
from models.types import utcnow

bp = Blueprint("auth", __name__)
log = logging.getLogger("s26.auth")

BAD_CREDENTIALS = N_("Your email address or password is incorrect")  # shown through gettext (Welsh and English)

login_manager.login_view = "auth.sign_in"
login_manager.login_message = N_("Sign in to continue")
login_manager.login_message_category = "info"  # not a success: a neutral banner
login_manager.localize_callback = gettext  # the message is flashed in the visitor's language
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_key):
    """The cookie holds the key of a server-side session row: a deleted or timed-out row signs the browser out."""
    return accounts.load_session_user(session_key)


@bp.after_app_request
def _headers(response):
    return set_security_headers(response)


@bp.app_context_processor
def _sign_out_form():
    signed_in_now = has_request_context() and current_user.is_authenticated
    # formdata=None: rendering the button must never read the request body (a 413 page would fail reading it).
    return {"sign_out_form": SignOutForm(formdata=None) if signed_in_now else None}


def _record_failure(user):
    if user is not None:
        accounts.record_failed_sign_in(user)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["S26_SIGN_IN_RATE_LIMIT"], methods=["POST"])
@public
def sign_in():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        user = db.session.scalars(select(User).where(User.email == form.email.data.lower())).first()
        usable = user is not None and user.can_authenticate()
        # The same hash work for an unknown, locked or disabled account as for a real one (see accounts).
        if accounts.check_password(user if usable else None, form.password.data):
            target = safe_next(request.args.get("next"))
            if user.totp_confirmed or (current_app.config["S26_REQUIRE_2FA"] and user.needs_two_factor):
                _start_pending(user, target)
                return redirect(url_for("auth.two_factor" if user.totp_confirmed else "auth.set_up_two_factor"))
            return _finish_sign_in(user, target)
        _record_failure(user if usable else None)
        log.warning("failed sign-in user=%s ip=%s", user.id if user else "unknown", request.remote_addr)
        # The same message whether the account exists, is locked or the password is wrong.
        form.email.errors.append(gettext(BAD_CREDENTIALS))
    return render_template("auth/sign_in.html", form=form)


def _start_pending(user, target):
    """The password was right; the session is not signed in until the second factor is."""
    session.clear()
    session.update(
        pending_user=user.id, pending_token=user.session_token, pending_at=utcnow().timestamp(), pending_next=target
    )


def _finish_sign_in(user, target=None):
    user.failed_sign_ins, user.locked_until, user.last_sign_in_at = 0, None, utcnow()
    db.session.commit()
    session.clear()  # a fresh session: nothing from before sign-in carries over
    user.session_key = accounts.start_session(user)
    session.permanent = True  # the cookie lives as long as the absolute timeout, no longer
    login_user(user)
    log.info("sign-in user=%s ip=%s", user.id, request.remote_addr)
    return redirect(safe_next(target) or url_for("main.home"))


PENDING_SECONDS = 600


def _pending_user():
    """The user who gave the right password in the last 10 minutes and still owes a second factor."""
    user_id, started = session.get("pending_user"), session.get("pending_at", 0)
    if not user_id or utcnow().timestamp() - started > PENDING_SECONDS:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.can_authenticate() or user.session_token != session.get("pending_token"):
        return None
    return user


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["S26_SIGN_IN_RATE_LIMIT"], methods=["POST"])
@public
def two_factor():
    """The second step of sign-in: a code from the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        return redirect(url_for("auth.sign_in"))
    if not user.totp_confirmed:
        return redirect(url_for("auth.set_up_two_factor"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        code = form.code.data
        step = two_factor_rules.matching_step(user.totp_secret, code)
        if step is not None and two_factor_rules.claim_step(user, step):
            return _finish_sign_in(user, session.get("pending_next"))
        remaining = two_factor_rules.use_recovery_code(user.recovery_codes, code)
        if remaining is not None:
            user.recovery_codes = remaining
            log.warning("recovery code used user=%s ip=%s", user.id, request.remote_addr)
            return _finish_sign_in(user, session.get("pending_next"))
        _record_failure(user)
        if step is not None:  # a real code, but seen before: someone may have watched it being typed
            log.warning("reused two-factor code user=%s ip=%s", user.id, request.remote_addr)
            form.code.errors.append(
                gettext("That security code has already been used: wait for your app to show a new one")
            )
        else:
            log.warning("failed two-factor user=%s ip=%s", user.id, request.remote_addr)
            form.code.errors.append(gettext("The security code is not correct"))
    return render_template("auth/two_factor.html", form=form)


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
@public
def set_up_two_factor():
    """Enrol an authenticator app: scan the QR code, confirm a code, keep the recovery codes.

    Only for an account that has no second factor yet. An enrolled account part-way through sign-in is sent to
    the code page: knowing the password must never be enough to replace someone's authenticator (an admin
    resets a lost one)."""
    pending = _pending_user()
    if pending is not None:
        if pending.totp_confirmed:
            return redirect(url_for("auth.two_factor"))
        user = pending
    elif current_user.is_authenticated:
        if current_user.totp_confirmed:
            flash(
                "Two-factor sign-in is already set up. If you have lost your phone, ask an administrator to reset it",
                "info",
            )
            return redirect(url_for("auth.account"))
        user = current_user._get_current_object()
    else:
        return redirect(url_for("auth.sign_in"))
    secret = session.get("enrol_secret") or two_factor_rules.new_secret()
    session["enrol_secret"] = secret
    form = TwoFactorForm()
    if form.validate_on_submit():
        if two_factor_rules.verify_and_claim(user, secret, form.code.data):
            codes, hashes = two_factor_rules.new_recovery_codes()
            # Only an account still without a second factor takes one: two tabs cannot enrol twice.
            if not two_factor_rules.enrol(user, secret, hashes):
                db.session.rollback()
                return redirect(url_for("auth.sign_in"))
            session.pop("enrol_secret", None)
            target = session.get("pending_next")
            _finish_sign_in(user, target)
            log.info("two-factor enrolled user=%s", user.id)
            return render_template("auth/recovery_codes.html", codes=codes, target=target or url_for("main.home"))
        form.code.errors.append(
            gettext("The security code is not correct: check the time on your phone and try again")
        )
    return render_template(
        "auth/set_up_two_factor.html", form=form, secret=secret, qr=two_factor_rules.qr_svg_data_uri(secret, user.email)
    )


@bp.route("/sign-out", methods=["POST"])
@public
def sign_out():
    """Sign out (a POST with a CSRF token, so another site cannot sign you out). The server-side session ends."""
    form = SignOutForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        log.info("sign-out user=%s", current_user.id)
        accounts.end_session(current_user.session_key)
        db.session.commit()
        logout_user()
    session.clear()
    return redirect(url_for("auth.sign_in"))


@bp.route("/invitation/<secret:token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["S26_SIGN_IN_RATE_LIMIT"], methods=["POST"])
@public
def invitation(token):
    """Accept an invitation: choose a password, then set up two-factor where the role needs it."""
    if accounts.open_invitation(token) is None:
        return render_template("auth/invitation_expired.html"), 404
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        user = accounts.accept_invitation(token, form.new.data)
        if user is None:
            return render_template("auth/invitation_expired.html"), 404
        if current_app.config["S26_REQUIRE_2FA"] and user.needs_two_factor:
            _start_pending(user, None)
            return redirect(url_for("auth.set_up_two_factor"))
        return _finish_sign_in(user)
    return render_template("auth/invitation.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    """Your roles, sessions, API tokens, recovery codes and password."""
    token_form, password_form = TokenForm(prefix="token"), ChangePasswordForm(prefix="password")
    codes_form, others_form = RecoveryCodesForm(prefix="codes"), RevokeForm(prefix="others")
    user = current_user._get_current_object()
    new_token = new_codes = None
    if token_form.submit.data and token_form.validate_on_submit():
        row, new_token = ApiToken.issue(user, token_form.name.data)
        db.session.add(row)
        db.session.commit()
    elif password_form.submit.data and password_form.validate_on_submit():
        if not user.check_password(password_form.current.data):
            password_form.current.errors.append("Your current password is incorrect")
        else:
            accounts.change_password(user, password_form.new.data, keep_key=user.session_key)
            db.session.commit()
            flash("Password changed. You have been signed out everywhere else and your API tokens revoked.")
            return redirect(url_for("auth.account"))
    elif codes_form.submit.data and codes_form.validate_on_submit():
        # New recovery codes need the second factor itself, not just a signed-in browser.
        if user.totp_confirmed and two_factor_rules.verify_and_claim(user, user.totp_secret, codes_form.code.data):
            new_codes, user.recovery_codes = two_factor_rules.new_recovery_codes()
            accounts.log_event(user, user, "recovery_codes_replaced")
            db.session.commit()
        else:
            codes_form.code.errors.append("The security code is not correct")
    elif others_form.submit.data and others_form.validate_on_submit():
        ended = accounts.end_sessions(user, keep_key=user.session_key)
        accounts.log_event(user, user, "other_sessions_ended", f"{ended} sessions")
        db.session.commit()
        flash(f"You have been signed out of {ended} other session{'s' if ended != 1 else ''}.")
        return redirect(url_for("auth.account"))
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)).all()
    return render_template(
        "auth/account.html",
        token_form=token_form,
        password_form=password_form,
        codes_form=codes_form,
        others_form=others_form,
        new_codes=new_codes,
        sessions=accounts.active_sessions(user),
        this_session=user.session_row_id,
        tokens=tokens,
        new_token=new_token,
        revoke_form=RevokeForm(),
        forms=[token_form, password_form, codes_form],
    )


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@signed_in
def revoke_token(token_id):
    """Revoke one of your API tokens."""
    form = RevokeForm()
    token = db.session.get(ApiToken, token_id)
    if (
        form.validate_on_submit()
        and token is not None
        and token.user_id == current_user.id
        and token.revoked_at is None
    ):
        token.revoked_at = utcnow()
        db.session.commit()
        flash("Token revoked.")
    return redirect(url_for("auth.account"))
