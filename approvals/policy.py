"""Who may see an assistance request, and who may do what to it now: the one statement of the rules.

Everything is derived from three tables: the roles' sight of requests (`SIGHTS`), the gates (who decides
where, `approvals.gates`) and the machine (which state allows which trigger, `approvals.machine`). The SQL
visibility clause and the Python check are generated from the same `SIGHTS`; the action checks read the
machine. Views, the API, the templates' action buttons and the emails ask here and nowhere else: for a
request's transitions, its case file (documents, questions, notes), its OSJA assessment and people, and who
may delegate a gate's authority.

The answer to "may this user do this here now" is one of, in this order:
- the user holds no role that ever takes this action: 403 (`Forbidden`), before the request is looked at;
- not visible: 404 (`NotFound`), so a request's existence is not revealed;
- visible, but the user may not take this action on this request: 403 (`Forbidden`);
- allowed for this user, but not in the request's present state: 409 (`WrongState`).
A decider whose decision loses to another's is therefore told the request has moved on (409), never that
they lack the authority they hold.

A force gate's authority can also be held by delegation (`approvals.delegation`): the delegate sees that
force's submitted requests and decides at that gate during the delegation's period, as if they held the role
there, except on cases reserved to the policing body (403, rule `reserved_to_policing_body`).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, and_, cast, false, func, literal, or_, select, true

from approvals import delegation, route
from approvals.commands import Forbidden, NotFound, WrongState
from approvals.gates import GATE_BY_STATE, GATE_STATES, GATES, HOME_OFFICE_GATE
from approvals.human_rights import Refusal
from approvals.machine import ANSWERABLE_STATES, EDITABLE_STATES, VARIABLE_STATES, can_fire, state_phrase
from extensions import db
from models import AssistanceRequest, CaseQuery, ContributingForce, Delegation, DeployedPerson, User, UserRole

LEAD_ROLE = "force_lead"
FOI_ROLE = "foi_officer"
ADMIN_ROLE = "admin"
DECIDER_ROLES = frozenset(gate.role for gate in GATES)


@dataclass(frozen=True)
class Sight:
    """A role's sight of requests: its own force's only (unless national), drafts included or not."""

    role: str
    national: bool
    drafts: bool


# The force's lead sees every request of their force, drafts included; each gate's deciders see submitted
# requests, of their own force unless their gate is national. Nobody else reads requests: FOI officers see
# aggregate figures only, admins manage users.
SIGHTS = (Sight(LEAD_ROLE, national=False, drafts=True), *(Sight(g.role, g.national, drafts=False) for g in GATES))
READER_ROLES = frozenset(sight.role for sight in SIGHTS)

# The actions on a request, as the templates, the views and the API name them.
EDIT, SUBMIT, WITHDRAW, DEPLOY, CLOSE, VARY, DECIDE = "edit", "submit", "withdraw", "deploy", "close", "vary", "decide"
# The Home Office requires individual consent for a request on the general authorisation route (approvals.route).
CALL_IN = "call_in"
# Correct a recorded deployment date or close-out figure (issue 26): the force's lead, or an admin.
CORRECT = "correct"
LEAD_ACTIONS = (EDIT, SUBMIT, WITHDRAW, DEPLOY, CLOSE, VARY)
# A request recorded as travel for UK police work (not needing section 26) may be called in by the force's chief
# officers: "Needs section 26 approval" turns it back into a draft on the normal route.
REQUIRE_APPROVAL = "require_approval"
UK_WORK_CALL_IN_ROLE = GATES[0].role
ACTIONS = (*LEAD_ACTIONS, DECIDE, CALL_IN, CORRECT, REQUIRE_APPROVAL)
# The roles that may ever take each action; anyone else is refused before the request is looked at (403),
# which is also what the views' and the API's role decorators say, read from here.
ACTION_ROLES = {
    **{action: frozenset({LEAD_ROLE}) for action in LEAD_ACTIONS},
    DECIDE: DECIDER_ROLES,
    CALL_IN: frozenset({HOME_OFFICE_GATE.role}),
    CORRECT: frozenset({LEAD_ROLE, ADMIN_ROLE}),
    REQUIRE_APPROVAL: frozenset({UK_WORK_CALL_IN_ROLE}),
}
# The states in which a deployment date or close-out figure has been recorded, and so may be corrected; the
# close-out figures (end date, actual cost, amount recovered) are recorded on closing.
CORRECTABLE_STATES = ("deployed", "closed")
CLOSED_OUT_STATES = ("closed",)
_WORDS = {
    EDIT: "change",
    SUBMIT: "submit",
    WITHDRAW: "withdraw",
    DEPLOY: "record the deployment of",
    CLOSE: "close",
    VARY: "vary",
    DECIDE: "decide",
    CALL_IN: "call in",
    CORRECT: "correct the deployment record of",
    REQUIRE_APPROVAL: "call in",
}


# --- Reading ------------------------------------------------------------------------------------


def _delegated_gates(user):
    """(gate, force id, delegation) for each force gate `user` holds today by delegation."""
    by_role = {gate.role: gate for gate in GATES}
    return [
        (by_role[delegation.GATE_NAMES[row.gate].role], row.force_id, row)
        for row in delegation.grants(user)
        if row.gate in delegation.GATE_NAMES
    ]


def _sights(user):
    """(sight, force id) pairs: the user's own roles (their own force unless national), and a force gate's
    sight of the force it was delegated for."""
    own = [
        (sight, user.force_id) for sight in SIGHTS if user.has_role(sight.role) and (sight.national or user.force_id)
    ]
    lent = [(Sight(gate.role, False, drafts=False), force_id) for gate, force_id, _ in _delegated_gates(user)]
    return own + lent


# A contributing force's lead, chief officers and PCC office read a submitted request their force sends people on
# (issue 23); they change nothing of the lead force's parts.
CONTRIBUTOR_ROLES = frozenset({LEAD_ROLE, *(gate.role for gate in GATES if not gate.national)})


def _contributes(user):
    return user.force_id is not None and user.has_role(*CONTRIBUTOR_ROLES)


def visibility_clause(user):
    """A WHERE clause selecting the requests `user` may read; the same rules as `can_see`."""
    clauses = []
    if _contributes(user):
        clauses.append(
            and_(
                AssistanceRequest.state != "draft",
                AssistanceRequest.id.in_(
                    select(ContributingForce.request_id).where(ContributingForce.force_id == user.force_id)
                ),
            )
        )
    for sight, force_id in _sights(user):
        parts = []
        if not sight.national:
            parts.append(AssistanceRequest.force_id == force_id)
        if not sight.drafts:
            parts.append(AssistanceRequest.state != "draft")
        clauses.append(and_(*parts))
    return or_(*clauses) if clauses else false()


def can_see(user, request):
    """Whether `user` may read `request`; the same rules as `visibility_clause`."""
    if _contributes(user) and request.state != "draft" and route.part_of(request, user.force_id) is not None:
        return True
    return any(
        (sight.national or request.force_id == force_id) and (sight.drafts or request.state != "draft")
        for sight, force_id in _sights(user)
    )


def visible_requests(user):
    return select(AssistanceRequest).where(visibility_clause(user))


def reads_requests(user):
    """Whether `user` holds a role that reads requests at all, or a gate's authority by delegation (the request
    list in the navigation)."""
    return user.has_role(*READER_ROLES) or delegation.has_delegated_authority(user)


NATIONAL_DECIDER_ROLES = frozenset(gate.role for gate in GATES if gate.national)
# A force's own deciders: its chief officers and PCC office (they receive its periodic return).
FORCE_DECIDER_ROLES = DECIDER_ROLES - NATIONAL_DECIDER_ROLES


def reads_national_picture(user):
    """The Home Office and IPAB: the national dashboard, and every force's periodic return."""
    return user.has_role(*NATIONAL_DECIDER_ROLES)


def may_read_return(user, force_id):
    """A force's periodic return: its own chief officers and PCC office, and the national deciders."""
    if reads_national_picture(user):
        return True
    return user.has_role(*FORCE_DECIDER_ROLES) and user.force_id == force_id


# The PCC office keeps the PCC's decision records (approvals.disclosure): the role that decides at the PCC gate.
DECISION_RECORD_ROLE = next(gate.role for gate in GATES if gate.trigger == "approve")


def keeps_decision_records(user):
    """A force's PCC office: its decision records, and what of them is published."""
    return user.has_role(DECISION_RECORD_ROLE) and user.force_id is not None


def keeps_records_of(user, force_id):
    """Whether `user` is the PCC office of force `force_id`, which keeps that force's decision records."""
    return user.acts_for_force(DECISION_RECORD_ROLE, force_id)


def decides(user):
    """Whether `user` holds a gate's role (what they decided, in the navigation)."""
    return user.has_role(*DECIDER_ROLES)


def decides_now(user):
    """Whether `user` holds a gate's role or, today, a gate's authority by delegation (the decision pages, the
    request pages a delegate needs)."""
    return decides(user) or delegation.has_delegated_authority(user)


def inbox_clause(user):
    """Requests waiting for `user`: at a gate they decide, or (for a lead) with their force to complete."""
    clauses = []
    for gate in GATES:
        if not user.has_role(gate.role):
            continue
        if gate.national:
            clauses.append(AssistanceRequest.state == gate.state)
        elif user.force_id:
            clauses.append(and_(AssistanceRequest.state == gate.state, AssistanceRequest.force_id == user.force_id))
    if user.has_role(LEAD_ROLE) and user.force_id:
        # Everything waiting for the lead: drafts and returned requests to complete, approved requests whose
        # deployment is to be recorded, and deployments past their end date to close.
        clauses.append(
            and_(
                AssistanceRequest.force_id == user.force_id,
                or_(
                    AssistanceRequest.state.in_(EDITABLE_STATES),
                    and_(AssistanceRequest.state == "approved", AssistanceRequest.variation_of_id.is_(None)),
                    and_(AssistanceRequest.state == "deployed", AssistanceRequest.end_date < date.today()),
                ),
            )
        )
    for gate, force_id, _ in _delegated_gates(user):
        clauses.append(and_(AssistanceRequest.state == gate.state, AssistanceRequest.force_id == force_id))
    for gate in GATES:  # a contributing force's part waiting at this user's gate
        if not gate.national and user.has_role(gate.role) and user.force_id:
            parts = select(ContributingForce.request_id).where(
                ContributingForce.force_id == user.force_id, ContributingForce.state == gate.state
            )
            clauses.append(
                and_(AssistanceRequest.state.in_(route.PARTS_DECIDED_WHILE), AssistanceRequest.id.in_(parts))
            )
    return or_(*clauses) if clauses else false()


# --- Acting -------------------------------------------------------------------------------------


def is_lead(user, request):
    """Whether `user` is the international lead of `request`'s force."""
    return user.acts_for_force(LEAD_ROLE, request.force_id)


def deciders_clause(gate, force_id):
    """A WHERE clause (on user_account outer-joined to user_role) selecting who decides at `gate` for force
    `force_id`: the SQL form of `decider_gates`, for the emails to whoever must act next. The gate's active
    delegates are included: while a delegation is active the gate's emails also go to them."""
    if gate.national:
        return UserRole.role == gate.role
    holders = and_(UserRole.role == gate.role, User.force_id == force_id)
    delegates = delegation.delegates_clause(gate, force_id)
    return holders if delegates is None else or_(holders, delegates)


def holders_clause(gate, force_id):
    """The gate's own role holders only (no delegates)."""
    if gate.national:
        return UserRole.role == gate.role
    return and_(UserRole.role == gate.role, User.force_id == force_id)


def authority(user, gate, force_id):
    """How `user` may act at `gate` for force `force_id` today: ("own", None) holding the role, ("delegated",
    the delegation) by delegation, or (None, None)."""
    if user.acts_for_force(gate.role, force_id):
        return "own", None
    if not gate.national:
        row = delegation.grant_for(user, gate.role, force_id)
        if row is not None:
            return "delegated", row
    return None, None


def decider_gates(user, request):
    """The gates of `request` at which `user` decides (whatever the request's present state), held or delegated."""
    return [gate for gate in GATES if authority(user, gate, request.force_id)[0] is not None]


def delegation_used(user, request):
    """The delegation under which `user` would decide `request` at its present gate, or None (own authority)."""
    gate = GATE_BY_STATE.get(request.state)
    if gate is None:
        return None
    return authority(user, gate, request.force_id)[1]


def reserved_refusal(user, request):
    """Cases reserved to the policing body (issue 23 section 2): a delegate of the PCC gate may not decide a
    sensitive case or a full-cost case above S26_RESERVED_COST_PENCE; the PCC office's own deciders must."""
    row = delegation_used(user, request)
    if row is None or row.gate != "pcc":
        return None
    why = delegation.reserved(request)
    if why is None:
        return None
    message = f"This case is reserved to the policing body ({why}): the PCC office's own deciders must decide it"
    return Forbidden(message, [Refusal("reserved_to_policing_body", message)])


def _state_allows(action, request):
    if action == EDIT:
        return request.state in EDITABLE_STATES
    if action == SUBMIT:
        return can_fire(request, "submit") or can_fire(request, "resubmit")
    if action == VARY:
        return request.state in VARIABLE_STATES and not request.is_variation
    if action == CORRECT:
        return request.state in CORRECTABLE_STATES
    return can_fire(request, action)


def refusal(user, action, request):
    """Why `user` may not take `action` on `request` now, as the error to raise; None when they may."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if not may_ever(user, action):
        return Forbidden("Your role does not allow this")
    if action == CORRECT and user.has_role(ADMIN_ROLE):
        # An admin reads no request, but corrects a deployment record of any force.
        if request.state not in CORRECTABLE_STATES:
            return WrongState(f"This request is {state_phrase(request.state)}: it has no deployment record to correct")
        return None
    if not can_see(user, request):
        return NotFound()
    if action == DECIDE:
        gates = decider_gates(user, request)
        if not gates and (part := route.part_of(request, user.force_id)) is not None:
            return _part_refusal(user, request, part) or own_deployment(user, request)
        if not gates:
            return Forbidden("Only the deciders of this request's gates can decide on it")
        if request.state in {gate.state for gate in gates}:
            return reserved_refusal(user, request) or own_deployment(user, request)
        phrase = state_phrase(request.state)
        if request.state not in GATE_STATES:
            return WrongState(f"This request is not waiting for a decision: it is {phrase}")
        if GATE_STATES.index(request.state) > min(GATE_STATES.index(gate.state) for gate in gates):
            return WrongState(f"This request has moved on: it is now {phrase}")
        return WrongState(f"This request is not at your gate yet: it is {phrase}")
    if action == REQUIRE_APPROVAL:
        if not user.acts_for_force(UK_WORK_CALL_IN_ROLE, request.force_id):
            return Forbidden("Only the force's chief officers can decide a request needs section 26 approval")
        if not can_fire(request, REQUIRE_APPROVAL):
            return WrongState(f"This request is {state_phrase(request.state)}: you cannot {_WORDS[action]} it now")
        return None
    if action == CALL_IN:
        if route.may_call_in(request):
            return None
        if not request.general_authorisation:
            return WrongState("This request does not rely on a general authorisation: it needs individual consent")
        return WrongState(f"This request is {state_phrase(request.state)}: it cannot be called in now")
    if not is_lead(user, request):
        return Forbidden("Only the force's international lead can do this")
    if not _state_allows(action, request):
        return WrongState(f"This request is {state_phrase(request.state)}: you cannot {_WORDS[action]} it now")
    return None


def part_gate(user, request):
    """The gate at which `user` decides a contributing force's part of `request` now, or None: they hold that gate's
    role for the part's force, the part waits there, and the lead request is at its own chief officer or PCC gate."""
    part = route.part_of(request, user.force_id) if user.force_id else None
    if part is None or part.state not in route.PART_OPEN_STATES or request.state not in route.PARTS_DECIDED_WHILE:
        return None
    gate = next(g for g in GATES if g.state == part.state)
    return gate if user.acts_for_force(gate.role, part.force_id) else None


def _part_refusal(user, request, part):
    if not any(user.acts_for_force(g.role, part.force_id) for g in GATES if not g.national):
        return Forbidden("Only the contributing force's chief officer and PCC office decide its part")
    if part_gate(user, request) is not None:
        return None
    if part.state in ("approved", "declined"):
        return WrongState(f"Your force's part has been decided: {route.PART_STATE_TEXT[part.state].lower()}")
    if request.state not in route.PARTS_DECIDED_WHILE:
        return WrongState(f"This request is {state_phrase(request.state)}: your force's part cannot be decided now")
    return WrongState(f"Your force's part is not at your gate: it is {route.PART_STATE_TEXT[part.state].lower()}")


def can(user, action, request):
    return refusal(user, action, request) is None


def may_ever(user, action):
    """Whether `user` holds a role that may ever take `action`, or (to decide) a gate's authority by delegation."""
    if user.has_role(*ACTION_ROLES[action]):
        return True
    return action == DECIDE and delegation.has_delegated_authority(user)


def roles_for(action):
    """The roles that may ever take `action`, sorted (for the views' and the API's role decorators)."""
    return tuple(sorted(ACTION_ROLES[action]))


def require(user, action, request):
    """Raise the refusal (NotFound 404, Forbidden 403, WrongState 409) unless `user` may take `action` now."""
    error = refusal(user, action, request)
    if error is not None:
        raise error


def check(user, action):
    """`require` for `action` by `user`, as the question a command asks of the row it has just locked."""

    def ask(request):
        require(user, action, request)

    return ask


def allowed_actions(user, request):
    """The actions `user` may take on `request` now (the request page shows a button for each)."""
    # Every action asks `refusal`, which checks sight itself (an admin corrects a record they cannot read).
    return frozenset(action for action in ACTIONS if refusal(user, action, request) is None)


def leads_a_force(user):
    """Whether `user` is a force's international lead (their force's inbox, its questions to answer)."""
    return user.has_role(LEAD_ROLE) and user.force_id is not None


def may_create(user):
    """Whether `user` may start a request: a lead with a force."""
    return leads_a_force(user)


# --- General authorisations (approvals.route) ---------------------------------------------------------------


def manages_general_authorisations(user):
    """The Home Office records and revokes the Home Secretary's general authorisations, and calls requests in."""
    return user.has_role(HOME_OFFICE_GATE.role)


def reads_general_authorisations(user):
    """Who reads the general authorisations: every decider, and the leads who may name one on a request."""
    return user.has_role(LEAD_ROLE, *DECIDER_ROLES)


# --- The OSJA assessment and the named people (issue 24) -------------------------------------------

OSJA_KEPT_STATES = (*EDITABLE_STATES, *VARIABLE_STATES)
# The PCC office reviews long-running work (continue or stop): the role that decides at the PCC gate.
OSJA_REVIEW_ROLE = DECISION_RECORD_ROLE


def named_check_expression(user):
    """For a lock that reads it with the row (`AssistanceRequest.named_check`): "email:count", how many of the
    people the request names have `user`'s work email. The answer carries the email it was asked for, so it is
    never taken for another user's. (A literal, not a bound parameter: the ORM reuses a row's loader options when
    it refreshes the row, without the parameters.)"""
    email = (user.email or "").lower()
    named = (
        select(func.count())
        .where(DeployedPerson.request_id == AssistanceRequest.id, func.lower(DeployedPerson.email) == email)
        .scalar_subquery()
    )
    return literal(f"{email}:") + cast(named, String)


def own_deployment(user, request):
    """A decider named among the people the request deploys (matched by work email) cannot decide on it."""
    email = (user.email or "").lower()
    if request.id is None or not email:
        return None
    loaded = request.named_check
    if loaded is not None and loaded.rpartition(":")[0] == email:  # read with the locked row, for this user
        named = int(loaded.rpartition(":")[2])
    else:
        mine = func.lower(DeployedPerson.email) == email
        named = db.session.scalar(select(func.count()).where(DeployedPerson.request_id == request.id, mine))
    if named:
        message = "You are named among the people this request deploys: another person must decide on it"
        return Forbidden(message, [Refusal("own_deployment", message)])
    return None


def osja_refusal(user, request):
    """Why `user` may not change `request`'s OSJA assessment now (None: they may). The force's lead keeps it
    before submission, after a return, and while the work is approved or under way (it is kept current)."""
    if not user.has_role(LEAD_ROLE):
        return Forbidden("Only the force's international lead can change the assessment")
    if not can_see(user, request):
        return NotFound()
    if not is_lead(user, request):
        return Forbidden("Only the force's international lead can change the assessment")
    if request.state not in OSJA_KEPT_STATES:
        return WrongState(f"This request is {state_phrase(request.state)}: you cannot change its assessment now")
    return None


def people_refusal(user, request):
    """Why `user` may not change `request`'s named people now: the force's lead, in the states they keep the
    request (a named person may be replaced while the work is approved or under way, and debriefed after)."""
    if not user.has_role(LEAD_ROLE):
        return Forbidden("Only the force's international lead can change the people")
    if not can_see(user, request):
        return NotFound()
    if not is_lead(user, request):
        return Forbidden("Only the force's international lead can change the people")
    if request.state not in (*OSJA_KEPT_STATES, "closed"):
        return WrongState(f"This request is {state_phrase(request.state)}: you cannot change its people now")
    return None


def may_read_people(user, request):
    """Named people are seen in the case only: by the force's own lead, chief officers and PCC office and by the
    national deciders, when they may read the request (FOI officers and admins never read requests; a contributing
    force's people read the request, not the lead force's named people)."""
    if not can_see(user, request):
        return False
    if user.has_role(*NATIONAL_DECIDER_ROLES):
        return True
    return user.force_id == request.force_id and user.has_role(LEAD_ROLE, *FORCE_DECIDER_ROLES)


def reviews_long_running_work(user):
    """A force's PCC office: its inbox lists the force's long-running work whose review is overdue."""
    return user.has_role(OSJA_REVIEW_ROLE) and user.force_id is not None


def osja_review_refusal(user, request):
    """Why `user` may not record a review of `request`'s long-running work (None: they may): its force's PCC office."""
    if not user.has_role(OSJA_REVIEW_ROLE):
        return Forbidden("Only the PCC office reviews long-running work")
    if not can_see(user, request):
        return NotFound()
    if not user.acts_for_force(OSJA_REVIEW_ROLE, request.force_id):
        return Forbidden("Only the force's PCC office reviews its long-running work")
    if request.state not in VARIABLE_STATES:
        return WrongState(f"This request is {state_phrase(request.state)}: there is no work under way to review")
    return None


def raise_if(error):
    if error is not None:
        raise error


# --- The case file (issue 16): documents, questions to the submitter, case notes -------------------------------


def _has_open_question(request):
    return (
        db.session.scalar(
            select(CaseQuery.id).where(CaseQuery.request_id == request.id, CaseQuery.answered_at.is_(None)).limit(1)
        )
        is not None
    )


def upload_refusal(user, request):
    """Why `user` may not add a document to (or delete their own from) `request` now (None: they may): the decider
    at its present gate, held or delegated; the force's lead while they keep the request, or to answer an open
    question."""
    if not can_see(user, request):
        return NotFound()
    if can(user, DECIDE, request):
        return None
    if is_lead(user, request):
        if request.state in EDITABLE_STATES or (request.state in GATE_STATES and _has_open_question(request)):
            return None
        return WrongState(
            "You can add documents while the request is a draft or returned, or to answer an open question"
        )
    if request.state not in GATE_STATES:
        return WrongState("This request is not waiting at a gate: documents cannot be added now")
    return Forbidden("Only the force's international lead or the decider at this gate can add documents")


def reads_internal_notes(user, request):
    """A decider (by role, or by delegation today) who may read the request: they read its internal notes, and
    the timeline shows that one was added."""
    return decides_now(user) and can_see(user, request)


def may_read_note(user, request, visible_to_submitter):
    return can_see(user, request) and (visible_to_submitter or reads_internal_notes(user, request))


def note_refusal(user, request):
    """Why `user` may not add a note to `request` (None: they may): its deciders and its force's lead."""
    if not can_see(user, request):
        return NotFound()
    if not (reads_internal_notes(user, request) or is_lead(user, request)):
        return Forbidden("Only deciders and the force's international lead can add notes")
    return None


def answer_refusal(user, request, query):
    """Why `user` may not answer `query` on `request` now (None: they may): the force's lead, while the question
    is open and the request at a gate or returned."""
    if not can_see(user, request):
        return NotFound()
    if not is_lead(user, request):
        return Forbidden("Only the force's international lead can answer a question")
    if not query.is_open:
        return WrongState("This question has already been answered")
    if request.state not in ANSWERABLE_STATES:
        return WrongState(f"This request is {state_phrase(request.state)}: its questions can no longer be answered")
    return None


def may_answer(user, request):
    """Whether `user` answers `request`'s questions now (the case file panel's answer links)."""
    return can_see(user, request) and is_lead(user, request) and request.state in ANSWERABLE_STATES


# --- Delegations (issue 17): who lends a force gate's authority, and who sees the delegations ----------------------


def may_delegate(user, force_id, gate_name):
    """An admin for any force; a gate's own role holder for their own force."""
    if user.has_role(ADMIN_ROLE):
        return True
    gate = delegation.GATE_NAMES.get(gate_name)
    return gate is not None and user.acts_for_force(gate.role, force_id)


def delegating_roles():
    return tuple(sorted({ADMIN_ROLE, *(gate.role for gate in delegation.GATE_NAMES.values())}))


def manages_delegations(user):
    """Whether `user` may delegate anything at all (the delegations page)."""
    return user.has_role(*delegating_roles())


def deputy_gates(user):
    """The names of the force gates `user` holds for their own force: an away period lends each to their deputy."""
    return [name for name, gate in delegation.GATE_NAMES.items() if user.acts_for_force(gate.role, user.force_id)]


def delegations_clause(user):
    """The delegations `user` may see: all for an admin; their own force's gates they hold; those naming them."""
    if user.has_role(ADMIN_ROLE):
        return true()
    parts = [Delegation.delegate_id == user.id, Delegation.delegator_id == user.id]
    for name, gate in delegation.GATE_NAMES.items():
        if user.has_role(gate.role) and user.force_id:
            parts.append(and_(Delegation.gate == name, Delegation.force_id == user.force_id))
    return or_(*parts)


# --- Reports ------------------------------------------------------------------------------------


def foi_scope(user, requested_slug):
    """The force an FOI officer's figures cover (None: all forces). An FOI officer with a force answers for
    that force only: asking for another is refused (403); a national one may ask for any or all."""
    if user.force_id is not None:
        if requested_slug and requested_slug != user.force.slug:
            raise Forbidden("You answer FOI requests for your own force only")
        return user.force.slug
    return requested_slug or None
