"""Who may act for a gate today: the gate's role holders, plus the people its active delegations name.

A chief officer or PCC office user (for their own force), or an admin, lends a force gate's authority to a
named person for a period; a role holder's "away" period names a deputy and is the same thing under the
hood (`kind="away"`). The delegate need not hold the role: the delegation grants it for that force and gate,
from `starts_on` to `ends_on` inclusive, until revoked. `approvals.policy` asks `grant_for` when a person does
not hold a gate's role themselves, so "may this person decide here now" still has one answer.

Reserved cases (issue 23 section 2): full-cost cases above `S26_RESERVED_COST_PENCE` and sensitive cases are
kept back by the policing body itself; a delegation of the PCC gate does not reach them (`reserved`).

Creating and revoking are commands: one transaction each, the delegation row locked where it is changed,
with an account event on both people's security logs.
"""

from datetime import date

from flask import current_app, g
from sqlalchemy import and_, select

# approvals.policy reads this module's grants, and this module's commands ask the policy who may delegate: each
# uses the other only when called, never while the modules load.
from approvals import accounts, cost_recovery, policy, validation
from approvals.commands import Forbidden, NotFound, Refused, WrongState, atomic
from approvals.gates import GATES
from approvals.human_rights import Refusal
from config.settings import LONG_TEXT_MAX
from extensions import db
from models import Delegation, Force, User
from models.types import utcnow

# The force gates whose authority may be lent, by their API names.
GATE_NAMES = {"chief_officer": GATES[0], "pcc": GATES[1]}
NAME_OF_ROLE = {gate.role: name for name, gate in GATE_NAMES.items()}
GATE_LABELS = {name: gate.title for name, gate in GATE_NAMES.items()}
OFFICE_TITLES = {"chief_officer": "Chief Constable", "pcc": "PCC"}
KINDS = ("delegation", "away")

_CACHE = "_s26_grants"


def forget():
    """Drop this web request's (or app context's) cached grants: after a delegation is created or revoked, and
    when the clock is moved in a test."""
    g.pop(_CACHE, None)


def active_clause(day):
    return and_(Delegation.revoked_at.is_(None), Delegation.starts_on <= day, Delegation.ends_on >= day)


def grants(user, day=None):
    """The delegations naming `user` as delegate that are active on `day` (today unless given).

    Read once per web request or API call (cached in `g` by person and day; `forget` clears it): the policy asks
    for each request on a page."""
    day = day or date.today()
    if user is None or getattr(user, "id", None) is None:
        return []
    key = (user.id, day)
    cache = g.setdefault(_CACHE, {})
    if key not in cache:
        cache[key] = list(
            db.session.scalars(
                select(Delegation).where(Delegation.delegate_id == user.id, active_clause(day)).order_by(Delegation.id)
            )
        )
    return cache[key]


def grant_for(user, role, force_id, day=None):
    """The active delegation that lets `user` act as `role` for force `force_id` on `day`, or None."""
    name = NAME_OF_ROLE.get(role)
    if name is None:
        return None
    for row in grants(user, day):
        if row.gate == name and row.force_id == force_id:
            return row
    return None


def has_delegated_authority(user, day=None):
    """Whether `user` holds any gate's authority by delegation today (they may open the decision pages)."""
    return bool(grants(user, day))


def delegates_clause(gate, force_id, day=None):
    """A WHERE clause on user_account selecting the delegates active today for `gate` of force `force_id`:
    the gate's emails go to them as well as to the role holders."""
    name = NAME_OF_ROLE.get(gate.role)
    if name is None:
        return None
    day = day or date.today()
    delegates = select(Delegation.delegate_id).where(
        Delegation.gate == name, Delegation.force_id == force_id, active_clause(day)
    )
    return User.id.in_(delegates)


def reserved(request):
    """Why `request` is reserved to the policing body itself (a delegation of the PCC gate does not reach it),
    or None. Sensitive cases, and full-cost cases above S26_RESERVED_COST_PENCE."""
    if request.sensitive:
        return "it is a sensitive case"
    limit = current_app.config["S26_RESERVED_COST_PENCE"]
    full_cost = cost_recovery.position(request.cost_lines, request.funding).full_cost_pence
    if full_cost > limit:
        return f"its full cost is more than £{limit / 100:,.0f}"
    return None


def on_behalf_phrase(actor, on_behalf_of, gate_state):
    """ "Name, on behalf of Chief Constable Name" (or "PCC Name"); the actor's name alone without a delegation."""
    who = actor.name or actor.email
    if on_behalf_of is None:
        return who
    name = NAME_OF_ROLE.get(next((gt.role for gt in GATES if gt.state == gate_state), None), "")
    office = OFFICE_TITLES.get(name, "")
    return f"{who}, on behalf of {office} {on_behalf_of.name or on_behalf_of.email}".replace("  ", " ")


# --- Reading ------------------------------------------------------------------------------------------------------
# Who may delegate, and who sees which delegations, is approvals.policy's answer.


def visible(user, active_only=False, day=None):
    stmt = select(Delegation).where(policy.delegations_clause(user))
    if active_only:
        stmt = stmt.where(active_clause(day or date.today()))
    return list(db.session.scalars(stmt.order_by(Delegation.starts_on.desc(), Delegation.id.desc())))


def active_now(day=None):
    """Every delegation active today (the admin page)."""
    stmt = select(Delegation).where(active_clause(day or date.today()))
    return list(db.session.scalars(stmt.order_by(Delegation.force_id, Delegation.gate, Delegation.ends_on)))


# --- Commands -------------------------------------------------------------------------------------


def input_refusals(actor, delegate_email, force_slug, gate_name, starts_on, ends_on, reason):
    """Field-named refusals of a delegation's input (the web form and the API share them); also returns the
    delegate and the force found."""
    found = []
    delegate = force = None
    email = (delegate_email or "").strip().lower()
    if not email:
        found.append(Refusal("delegate_email", "Enter the email address of the person you are delegating to"))
    else:
        delegate = db.session.scalars(select(User).where(User.email == email)).first()
        if delegate is None or not delegate.active:
            found.append(Refusal("delegate_email", "There is no active user with that email address"))
        elif delegate.id == actor.id:
            found.append(Refusal("delegate_email", "You cannot delegate to yourself"))
        elif current_app.config["S26_REQUIRE_2FA"] and not delegate.totp_confirmed:
            # Deciders sign in with a second factor; a delegate decides, so they must too.
            found.append(
                Refusal(
                    "delegate_email",
                    "This person must set up two-factor sign-in before they can be given a gate's authority",
                )
            )
    if gate_name not in GATE_NAMES:
        found.append(Refusal("gate", "Select the gate: chief_officer or pcc"))
    if not force_slug:
        found.append(Refusal("force", "Select the force"))
    else:
        force = db.session.scalars(select(Force).where(Force.slug == force_slug)).first()
        if force is None:
            found.append(Refusal("force", "There is no force with that name"))
    if not isinstance(starts_on, date):
        found.append(Refusal("from", "Enter the first day of the delegation as a real date"))
    if not isinstance(ends_on, date):
        found.append(Refusal("to", "Enter the last day of the delegation as a real date"))
    if isinstance(starts_on, date) and isinstance(ends_on, date):
        if ends_on < starts_on:
            found.append(Refusal("to", "The last day must be the same as or after the first day"))
        elif ends_on < date.today():
            found.append(Refusal("to", "The last day must be today or in the future"))
    text = validation.clean_text(reason or "")
    if not text:
        found.append(Refusal("reason", "Enter the reason for the delegation"))
    elif len(text) > LONG_TEXT_MAX or validation.text_error(text):
        found.append(Refusal("reason", validation.text_error(text) or f"Must be {LONG_TEXT_MAX} characters or fewer"))
    if delegate is not None and delegate.id == actor.id:
        delegate = None
    return found, delegate, force


def create(actor, delegate_email, force_slug, gate_name, starts_on, ends_on, reason, kind="delegation", delegator=None):
    """Lend `gate_name`'s authority for `force_slug` to the user with `delegate_email` for a period.

    Refused (422) for bad input, naming each field; 403 if `actor` may not delegate this force's gate. The
    delegator is the actor, unless an admin delegates on an office holder's behalf (`delegator`)."""
    with atomic():
        found, delegate, force = input_refusals(
            actor, delegate_email, force_slug, gate_name, starts_on, ends_on, reason
        )
        if force is not None and gate_name in GATE_NAMES and not policy.may_delegate(actor, force.id, gate_name):
            raise Forbidden(
                "You can delegate only your own force's authority at a gate you hold",
                [Refusal("force", "You can delegate only your own force's authority at a gate you hold")],
            )
        if found:
            raise Refused(found)
        if kind not in KINDS:
            raise ValueError(kind)
        row = Delegation(
            delegator=delegator or actor,
            delegate=delegate,
            force_id=force.id,
            gate=gate_name,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=validation.clean_text(reason),
            kind=kind,
            created_by_id=actor.id,
        )
        db.session.add(row)
        db.session.flush()
        detail = f"delegation {row.id}: {gate_name} of {force.slug}, {starts_on.isoformat()} to {ends_on.isoformat()}"
        accounts.log_event(row.delegator, actor, "delegation_created", detail[:200])
        accounts.log_event(delegate, actor, "delegation_received", detail[:200])
        forget()
    return row


def _locked(delegation_id):
    stmt = select(Delegation).where(Delegation.id == delegation_id).execution_options(populate_existing=True)
    if db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Delegation)
    return db.session.scalars(stmt).first()


def revoke(actor, delegation_id):
    """End a delegation now; its row (and the decisions made under it) stay. 404 unseen, 403 not yours."""
    with atomic():
        row = _locked(delegation_id)
        if row is None or not db.session.scalar(
            select(Delegation.id).where(Delegation.id == delegation_id, policy.delegations_clause(actor))
        ):
            raise NotFound("There is no delegation with that id that you may see")
        if not (policy.may_delegate(actor, row.force_id, row.gate) or row.delegator_id == actor.id):
            raise Forbidden("Only the delegator, the gate's office holders or an admin can revoke this delegation")
        if row.revoked_at is not None:
            raise WrongState("This delegation has already been revoked")
        row.revoked_at, row.revoked_by_id = utcnow(), actor.id
        detail = f"delegation {row.id}: {row.gate} of {row.force.slug}"
        accounts.log_event(row.delegator, actor, "delegation_revoked", detail)
        accounts.log_event(row.delegate, actor, "delegation_revoked", detail)
        forget()
    return row


def set_away(actor, deputy_email, starts_on, ends_on, reason):
    """A role holder's away period: a delegation of each force gate they hold to their deputy ("away")."""
    names = policy.deputy_gates(actor)
    if not names or actor.force is None:
        raise Forbidden("Only a chief officer or PCC office user can name a deputy")
    return [
        create(actor, deputy_email, actor.force.slug, name, starts_on, ends_on, reason or "Away", kind="away")
        for name in names
    ]


def delegation_json(row):
    return {
        "id": row.id,
        "delegator": row.delegator.email,
        "delegate": row.delegate.email,
        "force": row.force.slug,
        "gate": row.gate,
        "from": row.starts_on.isoformat(),
        "to": row.ends_on.isoformat(),
        "reason": row.reason,
        "kind": row.kind,
        "revoked_at": row.revoked_at.isoformat() + "Z" if row.revoked_at else None,
    }


def record_use(request, actor, row):
    """A decision made under `row`: an account event on the delegator's log (the request's own audit chain
    records the decision and on whose behalf)."""
    accounts.log_event(row.delegator, actor, "delegation_used", f"delegation {row.id}: {request.reference}")
