"""Administration: users, the email outbox, country notes, the rate card and the published statement of principles."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from approvals import accounts, notifications, policy, rates
from approvals.admin.forms import ActionForm, CountryNoteForm, PrinciplesForm, RateForm, UserForm, UserStatusForm
from approvals.commands import WorkflowError
from approvals.cost_recovery import parse_pounds
from approvals.security import role_required
from extensions import db
from models import AccountEvent, CountryNote, Force, OutboxMessage, PageContent, User

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users", methods=["GET", "POST"])
@role_required(policy.ADMIN_ROLE)
def users():
    """Users, and a form to add one."""
    form = UserForm()
    form.force.choices = [("", "No force (national role)")] + [
        (str(f.id), f.name) for f in db.session.scalars(select(Force).order_by(Force.name))
    ]
    if form.validate_on_submit():
        email = form.email.data.lower()
        if db.session.scalars(select(User).where(User.email == email)).first():
            form.email.errors.append("A user with this email address already exists")
        else:
            accounts.invite(
                email,
                form.name.data,
                form.roles.data,
                int(form.force.data) if form.force.data else None,
                current_user,
                no_email=form.no_email.data,
            )
            flash(f"Invitation sent to {email}. The link works once, for 72 hours.")
            return redirect(url_for("admin.users"))
    rows = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template("admin/users.html", form=form, rows=rows)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(policy.ADMIN_ROLE)
def user(user_id):
    """Disable, unlock or stop email for one user."""
    person = db.session.get(User, user_id) or abort(404)
    form = UserStatusForm()
    if form.validate_on_submit():
        if person.active and not form.active.data:
            accounts.end_everything(person, current_user, "disabled")
        elif form.active.data and not person.active:
            accounts.log_event(person, current_user, "enabled")
        person.active, person.no_email = form.active.data, form.no_email.data
        if form.unlock.data:
            person.failed_sign_ins, person.locked_until = 0, None
            accounts.log_event(person, current_user, "unlocked")
        db.session.commit()
        flash("Saved.")
        return redirect(url_for("admin.users"))
    form.active.data, form.no_email.data = person.active, person.no_email
    events = db.session.scalars(
        select(AccountEvent)
        .where(AccountEvent.user_id == person.id)
        .order_by(AccountEvent.id.desc())
        .limit(current_app.config["S26_PAGE_SIZE"])
    ).all()
    return render_template(
        "admin/user.html",
        form=form,
        person=person,
        action_form=ActionForm(),
        events=events,
        sessions=accounts.active_sessions(person),
    )


@bp.route("/users/<int:user_id>/sign-out-everywhere", methods=["POST"])
@role_required(policy.ADMIN_ROLE)
def sign_out_everywhere(user_id):
    """End every session and revoke every API token of one user."""
    person = db.session.get(User, user_id) or abort(404)
    if ActionForm().validate_on_submit():
        accounts.end_everything(person, current_user, "signed_out_everywhere")
        db.session.commit()
        flash(f"{person.email} has been signed out everywhere and their API tokens revoked.")
    return redirect(url_for("admin.user", user_id=person.id))


@bp.route("/users/<int:user_id>/reset-two-factor", methods=["POST"])
@role_required(policy.ADMIN_ROLE)
def reset_two_factor(user_id):
    """Remove a user's authenticator (a lost phone): they set up a new one at their next sign-in."""
    person = db.session.get(User, user_id) or abort(404)
    if ActionForm().validate_on_submit():
        accounts.reset_two_factor(person, current_user)
        flash(f"Two-factor sign-in reset for {person.email}. They have been emailed and will set it up again.")
    return redirect(url_for("admin.user", user_id=person.id))


@bp.route("/users/<int:user_id>/resend-invitation", methods=["POST"])
@role_required(policy.ADMIN_ROLE)
def resend_invitation(user_id):
    """Send a new invitation link to a person who has not yet chosen a password."""
    person = db.session.get(User, user_id) or abort(404)
    if ActionForm().validate_on_submit() and not person.has_usable_password:
        accounts.resend_invitation(person, current_user)
        flash(f"A new invitation has been sent to {person.email}.")
    return redirect(url_for("admin.user", user_id=person.id))


@bp.route("/outbox")
@role_required(policy.ADMIN_ROLE)
def outbox():
    """Email waiting, sent and failed; failed messages can be re-queued."""
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    latest = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(current_app.config["S26_RECENT_LIMIT"])
    rows = db.session.scalars(latest).all()
    return render_template("admin/outbox.html", rows=rows, counts=counts, form=ActionForm())


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@role_required(policy.ADMIN_ROLE)
def retry(message_id):
    """Re-queue a failed message."""
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    if ActionForm().validate_on_submit() and message.status == "failed":
        notifications.requeue(message)
        db.session.commit()
        flash("Message re-queued.")
    return redirect(url_for("admin.outbox"))


@bp.route("/country-notes", methods=["GET", "POST"])
@role_required(policy.ADMIN_ROLE)
def country_notes():
    """Human-rights context notes shown beside each assessment."""
    form = CountryNoteForm()
    if form.validate_on_submit():
        db.session.add(
            CountryNote(country_code=form.country_code.data, note=form.note.data, source=form.source.data or "")
        )
        db.session.commit()
        flash("Note added.")
        return redirect(url_for("admin.country_notes"))
    rows = db.session.scalars(select(CountryNote).order_by(CountryNote.country_code)).all()
    return render_template("admin/country_notes.html", form=form, rows=rows, delete_form=ActionForm())


@bp.route("/country-notes/<int:note_id>/delete", methods=["POST"])
@role_required(policy.ADMIN_ROLE)
def delete_country_note(note_id):
    """Remove a country note."""
    note = db.session.get(CountryNote, note_id) or abort(404)
    if ActionForm().validate_on_submit():
        db.session.delete(note)
        db.session.commit()
    return redirect(url_for("admin.country_notes"))


@bp.route("/principles", methods=["GET", "POST"])
@role_required(policy.ADMIN_ROLE)
def principles():
    """Edit the statement of principles on the public transparency page."""
    content = db.session.get(PageContent, "principles") or PageContent(key="principles", body="")
    form = PrinciplesForm()
    if form.validate_on_submit():
        content.body = form.body.data
        db.session.add(content)
        db.session.commit()
        flash("Statement of principles saved.")
        return redirect(url_for("reports.transparency"))
    if not form.is_submitted():
        form.body.data = content.body
    return render_template("admin/principles.html", form=form)


@bp.route("/rates", methods=["GET", "POST"])
@role_required(policy.ADMIN_ROLE)
def rate_card():
    """The charge rates each policing body has approved, and a form to add one."""
    form = RateForm()
    forces = db.session.scalars(select(Force).order_by(Force.name)).all()
    form.force.choices = [("", "Select a force")] + [(str(f.id), f.name) for f in forces]
    status = 200
    if form.validate_on_submit():
        try:
            pence = parse_pounds(form.daily_rate.data)
        except ValueError as error:
            pence = None
            form.daily_rate.errors.append(str(error))
        if pence is not None:
            values = {
                "force_id": int(form.force.data) if form.force.data.isdigit() else None,
                "rank": form.rank.data or "",
                "daily_rate_pence": pence,
                "overtime_percent": form.overtime_percent.data,
                "overhead_percent": form.overhead_percent.data,
                "effective_from": form.effective_from.data,
            }
            try:
                rates.add_rate(current_user, values)
            except WorkflowError as error:
                for refusal in error.refusals:
                    field = getattr(form, refusal.rule, None)
                    (field.errors if field is not None else form.form_errors).append(refusal.message)
            else:
                flash("Rate added.")
                return redirect(url_for("admin.rate_card"))
    return render_template("admin/rates.html", form=form, rows=rates.card()), status
