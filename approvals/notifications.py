"""Email: written into the outbox in the caller's transaction, delivered later by the sender.

Nothing here talks to an SMTP server inside a web request. `send_due()` is the only code that
sends, and it runs from `flask outbox send` (once, or as a worker loop).
"""

import logging
import os
import socket
import uuid
from datetime import date, timedelta

from flask import current_app, render_template
from flask_mail import Message
from sqlalchemy import insert, literal, or_, select, union_all, update

from approvals import language, marking, policy
from approvals.gates import GATE_BY_STATE, GATES, HOME_OFFICE_GATE, PCC_GATE
from approvals.machine import EDITABLE_STATES, EVENT_WORDING, GATE_WORDING
from extensions import db, mail
from models import AssistanceRequest, Force, OutboxMessage, User, UserRole
from models.reference_data import country_name
from models.types import utcnow

log = logging.getLogger(__name__)


def clean_header(text):
    """Strip CR/LF and other control characters so user text cannot inject email headers."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in (text or "")).split())


def request_link(request):
    return f"{current_app.config['S26_BASE_URL'].rstrip('/')}/requests/{request.id}"


RECIPIENT = (User.id, User.email, User.name)


def _active(stmt):
    return stmt.where(User.active.is_(True), User.no_email.is_(False)).distinct()


def _gate_holders_stmt(gate, force_id):
    return _active(
        select(*RECIPIENT)
        .outerjoin(UserRole, UserRole.user_id == User.id)
        .where(policy.deciders_clause(gate, force_id))
    )


def _submitter_and_chief_officers_stmt(request, chief_officers=True):
    who = User.id == request.created_by_id
    if chief_officers:
        who = or_(who, policy.deciders_clause(GATES[0], request.force_id))
    return _active(select(*RECIPIENT).outerjoin(UserRole, UserRole.user_id == User.id).where(who))


def _rows(stmt):
    """(id, email, name) rows: an email needs no more, and loading whole users (with their roles) per
    transition was the costliest part of a decision. No autoflush: the transition flushes once, at commit."""
    with db.session.no_autoflush:
        return list(db.session.execute(stmt))


def gate_holders(gate, force_id):
    return _rows(_gate_holders_stmt(gate, force_id))


def transition_recipients(request, gate, tell_submitter, chief_officers=True):
    """(who must act next, who is told of the change): one query for both when a transition needs both."""
    parts = []
    if gate is not None:
        parts.append(_gate_holders_stmt(gate, request.force_id).add_columns(literal("act").label("why")))
    if tell_submitter:
        parts.append(
            _submitter_and_chief_officers_stmt(request, chief_officers).add_columns(literal("told").label("why"))
        )
    if not parts:
        return [], []
    rows = _rows(union_all(*parts) if len(parts) > 1 else parts[0])
    return [r for r in rows if r.why == "act"], [r for r in rows if r.why == "told"]


def _message(request, user, kind, key, context):
    """One outbox message's row: the template to use and the values it needs, as they are now.

    Nothing is rendered here. The sender renders on the first delivery attempt (see `render`), so a
    transition pays for a small insert per recipient, not three template renders."""
    email, name = user.email, user.name
    withheld = marking.marking_of(request) == marking.OFFICIAL_SENSITIVE
    return dict(
        idempotency_key=key,
        request_id=request.id,
        recipient=email,
        template=kind,
        # An OFFICIAL-SENSITIVE request's email carries none of its detail, only the link (approvals.marking).
        context=marking.email_context(
            request,
            dict(
                context,
                greeting=name or email,
                reference=request.reference,
                title=request.title,
                force=request.force.name,
                country=country_name(request.destination),
                # An OFFICIAL-SENSITIVE request's email names no place or dates either.
                place=None if withheld else request.destination_place or None,
                start_date=None if withheld or not request.start_date else request.start_date.isoformat(),
                end_date=None if withheld or not request.end_date else request.end_date.isoformat(),
                due_on=request.gate_due_on.isoformat() if request.gate_due_on else None,
                urgent=bool(request.urgent),
                link=request_link(request),
            ),
        ),
    )


def write_messages(rows):
    """Write outbox rows in the caller's transaction, all in one statement (an executemany): a message needs no
    id back, and the ORM would insert them one by one on SQLite to read each id. No autoflush: the transition's
    own changes flush once, at commit. A repeated idempotency key fails here, as it would at the flush."""
    if rows:
        with db.session.no_autoflush:
            db.session.execute(insert(OutboxMessage), rows)


def _queue(request, user, kind, key, context):
    """Write one message to the outbox (see `_message`)."""
    write_messages([_message(request, user, kind, key, context)])


def queue_account_message(user, kind, key, context, force=False):
    """An email about the person's own account (an invitation, a two-factor reset). `force` sends it even to a
    user who asked for no email, for messages that are the account itself."""
    if user.no_email and not force:
        return
    db.session.add(
        OutboxMessage(
            idempotency_key=key,
            recipient=user.email,
            template=kind,
            context=dict(context, greeting=user.name or user.email, service=current_app.config["SERVICE_NAME"]),
        )
    )


PLACEHOLDERS = frozenset(marking.EMAIL_PLACEHOLDERS.values())


def _placeholder(value):
    return isinstance(value, str) and value in PLACEHOLDERS


def render(message):
    """Fill in the subject and bodies of a message queued by `_queue`, once; a retry sends the same text."""
    if message.body_text is not None:
        return
    context = dict(message.context)
    for name in ("due_on", "review_due_on", "start_date", "end_date"):
        context[name] = date.fromisoformat(context[name]) if context.get(name) else None

    def one_language():
        # What stands for an OFFICIAL-SENSITIVE detail is the service's own text: in the email's language too.
        # (Only text can be a placeholder: a return's figures are lists, which no set can hold.)
        values = {k: language.translate(v) if _placeholder(v) else v for k, v in context.items()}
        return (
            render_template(f"email/{message.template}.subject.txt", **values),
            render_template(f"email/{message.template}.txt", **values),
            render_template(f"email/{message.template}.html", **values),
        )

    # The recipient's force decides the language: Welsh and English for the four Welsh forces (approvals.language).
    languages = email_languages(message.recipient)
    subject, message.body_text, message.body_html = language.render_email(languages, one_language)
    message.subject = clean_header(subject)[:250]


def email_languages(address):
    """The languages of an email to `address`: by the force of the person it belongs to (English if none)."""
    slug = db.session.scalar(
        select(Force.slug).join(User, User.force_id == Force.id).where(User.email == address).limit(1)
    )
    return language.for_recipient_force(slug)


# The rule for what an email may carry (README, "Email"): the facts of the request (reference, title, force,
# destination, dates, who decided at which gate) and the words a person wrote to be read by the recipient: the
# questions of a return, the reasons for a decline or a call-in. Never the human-rights assessment (risks,
# likelihood, mitigations, residual rating) nor Code of Ethics notes: those stay in the service, behind sign-in.
CARRIES_WORDS = ("return_for_information", "decline", "require_approval")


def queue_transition(request, trigger, source, dest, reasons, seq, note=None, decided_by=None, actor=None):
    """Queue the emails a transition causes. Runs inside the transition's transaction. `note`: what the route
    adds (approvals.route.transition_note), e.g. "Covered by general authorisation REF" and its conditions.
    `decided_by`: under a delegation, "Name, on behalf of Chief Constable Name" (issue 17).

    Whoever must act next gets "action needed"; the submitter (and, except for a submission, which the chief
    officers receive as an action) the force's chief officers are told what happened, in its own words; nobody is
    emailed about their own decision."""
    gate = GATE_BY_STATE.get(dest)
    event = "not_required" if dest == "not_required" else trigger
    wording = EVENT_WORDING.get(event)
    tell = wording is not None and wording.subject is not None
    act, told = transition_recipients(request, gate, tell, chief_officers=event not in ("submit", "resubmit"))
    actor_id = getattr(actor, "id", None)
    acting = {user.id for user in act}
    messages = [
        _message(
            request,
            user,
            "action_needed",
            f"r{request.id}:{seq}:action:{user.id}",
            {"gate": gate.title, "waiting": GATE_WORDING[gate.state].waiting},
        )
        for user in act
    ]
    letter_link = None
    if dest == "approved":
        # The letter of authority (approvals.letters), linked for the lead and the PCC office (issue 18); a
        # variation's letter is on the request it varies.
        holder = request.variation_of if request.is_variation else request
        letter_link = f"{request_link(holder)}/authority-letter"
        told_ids = {user.id for user in told}
        told = list(told) + [user for user in gate_holders(GATES[1], request.force_id) if user.id not in told_ids]
    submission = event in ("submit", "resubmit") or (event == "not_required" and source in EDITABLE_STATES)
    # A submission is acknowledged to its submitter; nobody else is emailed about their own act.
    told = [user for user in told if (submission or user.id != actor_id) and user.id not in acting]
    if not told:
        write_messages(messages)
        return
    source_gate = GATE_BY_STATE.get(source)
    context = {
        "what": wording.subject,
        "event": event,
        "questions": reasons if event in CARRIES_WORDS else None,
        "note": note,
        "decided_at": source_gate.title if source_gate else None,
        "decided_by": (decided_by or getattr(actor, "name", None) or getattr(actor, "email", None))
        if source_gate
        else None,
        "letter_link": letter_link,
        "next_gate": GATE_WORDING[gate.state].waiting if gate else None,
    }
    for user in told:
        extra = {"call_in": user.id != request.created_by_id} if event == "not_required" else {}
        messages.append(
            _message(request, user, "update", f"r{request.id}:{seq}:update:{user.id}", dict(context, **extra))
        )
    write_messages(messages)


def queue_part_action(request, part, seq):
    """A contributing force's part waits at its own chief officer or PCC gate (issue 23): tell that force's deciders
    there, as any gate's are told."""
    gate = GATE_BY_STATE.get(part.state)
    if gate is None:
        return
    what = {"gate": f"{gate.title} of {part.force.name}'s part"}
    key = f"r{request.id}:{seq}:part{part.force_id}:{part.state}"
    write_messages(
        [
            _message(request, user, "action_needed", f"{key}:{user.id}", what)
            for user in gate_holders(gate, part.force_id)
        ]
    )


def queue_checkpoint(recipient, record):
    """Queue the audit checkpoint's digest and MAC to the address that keeps an off-server copy."""
    db.session.add(
        OutboxMessage(
            idempotency_key=f"audit-checkpoint:{record['at']}:{record['digest'][:32]}",
            recipient=clean_header(recipient),
            template="audit_checkpoint",
            context={name: record[name] for name in ("at", "count", "digest", "mac")},
        )
    )


def queue_reminders(requests, today):
    """One reminder per overdue request per day to the holders of its gate. Returns how many were queued."""
    queued = 0
    for request in requests:
        gate = GATE_BY_STATE[request.state]
        for user in gate_holders(gate, request.force_id):
            _queue(
                request,
                user,
                "reminder",
                f"r{request.id}:remind:{today.isoformat()}:{user.id}",
                {"gate": gate.title, "waiting": GATE_WORDING[gate.state].waiting},
            )
            queued += 1
    # A bulk UPDATE does not bump the version, so a reminder never makes an open decision page stale.
    ids = [request.id for request in requests]
    if ids:
        db.session.execute(
            update(AssistanceRequest).where(AssistanceRequest.id.in_(ids)).values(last_reminded_on=today)
        )
    return queued


def _escalated_to(gate, force_id, national):
    """Who an escalation goes to: the gate's holders and their active delegates, and (`national`) the Home Office's
    deciders, who see every force's requests; each once."""
    recipients = {row.id: row for row in gate_holders(gate, force_id)}
    if national:
        recipients.update({row.id: row for row in gate_holders(HOME_OFFICE_GATE, force_id)})
    return list(recipients.values())


def queue_escalation(request, gate, seq, national):
    """The escalation emails of one gate visit: its holders and active delegates, and (`national`, for a force
    gate) the Home Office's deciders, who see every force's requests. Returns how many were queued."""
    recipients = _escalated_to(gate, request.force_id, national)
    for user in recipients:
        _queue(
            request,
            user,
            "escalation",
            f"r{request.id}:{seq}:escalation:{user.id}",
            {"gate": gate.title, "days": current_app.config["S26_ESCALATE_AFTER_DAYS"]},
        )
    return len(recipients)


def queue_review_reminders(overdue, today):
    """One reminder a day to the force's PCC office for each piece of long-running work whose OSJA review is overdue
    (`overdue`: (review due date, request) pairs, from approvals.osja), as overdue gates are escalated. Returns how
    many were queued."""
    gate = PCC_GATE  # the PCC office reviews long-running work
    queued = 0
    for due, request in overdue:
        for user in gate_holders(gate, request.force_id):
            key = f"r{request.id}:review:{today.isoformat()}:{user.id}"
            if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)) is None:
                _queue(request, user, "review_reminder", key, {"review_due_on": due.isoformat()})
                queued += 1
    return queued


def queue_review_escalation(request, due, seq):
    """The escalation of an OSJA review left `S26_ESCALATE_AFTER_DAYS` working days past its due date, as an overdue
    gate's: the force's PCC office (who review) and their active delegates, and the Home Office's deciders. Returns
    how many were queued."""
    recipients = _escalated_to(GATE_BY_STATE["awaiting_pcc"], request.force_id, national=True)
    for user in recipients:
        _queue(
            request,
            user,
            "review_escalation",
            f"r{request.id}:{seq}:review_escalation:{user.id}",
            {"review_due_on": due.isoformat(), "days": current_app.config["S26_ESCALATE_AFTER_DAYS"]},
        )
    return len(recipients)


def queue_review_stopped(request, seq, actor):
    """A review that stops long-running work: the submitter and the force's chief officers are told the work now
    ends early and on which date, by whom, with a link; the reasons stay in the service (they are the OSJA
    assessment's words). Returns how many were queued."""
    recipients = [row for row in _rows(_submitter_and_chief_officers_stmt(request)) if row.id != actor.id]
    for user in recipients:
        _queue(
            request,
            user,
            "review_stopped",
            f"r{request.id}:{seq}:review_stopped:{user.id}",
            {"decided_by": actor.name or actor.email},
        )
    return len(recipients)


def _backoff(attempts):
    base = current_app.config.get("S26_OUTBOX_RETRY_SECONDS", 30)
    return timedelta(seconds=min(3600, base * 2 ** (attempts - 1)))


def worker_name():
    """Who holds a claim: host and process id (an operator can tell which worker died holding what), plus a
    random part so that two runs of the same pid never share a name."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def claim_due(worker_id, batch_size=50, now=None):
    """Claim up to `batch_size` due messages for this worker; each message can be claimed by one worker only."""
    now = now or utcnow()
    lease = now + timedelta(seconds=current_app.config["S26_OUTBOX_LEASE_SECONDS"])
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(batch_size)
    )
    if db.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(due))
    if not ids:
        db.session.commit()
        return []
    # The status condition makes the claim safe on SQLite too: a second worker's UPDATE finds no pending row.
    # "claimed" is not yet "sending": a worker that dies now has sent none of these, so after the lease
    # another worker may deliver them (see release_stale_claims).
    claimed = (
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == "pending")
            .values(status="claimed", claimed_by=worker_id, claimed_until=lease)
            .returning(OutboxMessage.id)
        )
        .scalars()
        .all()
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id.in_(claimed), OutboxMessage.claimed_by == worker_id)
        )
    )


def _deliver(message):
    msg = Message(
        subject=message.subject, recipients=[message.recipient], body=message.body_text, html=message.body_html
    )
    # The same Message-ID on every attempt, so a receiving system (or a count at the SMTP server) can tell
    # a resend of one message from two messages.
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    domain = (sender[1] if isinstance(sender, tuple) else sender or "").rpartition("@")[2] or "s26.invalid"
    msg.msgId = f"<s26-outbox-{message.id}@{domain}>"
    previous = socket.getdefaulttimeout()
    # Flask-Mail sets no SMTP timeout; without one a dead server hangs the worker for minutes.
    socket.setdefaulttimeout(current_app.config["S26_SMTP_TIMEOUT_SECONDS"])
    try:
        mail.send(msg)
    finally:
        socket.setdefaulttimeout(previous)


def _start_sending(message, worker_id):
    """Mark one claimed message "sending", committed before its SMTP conversation starts: from then on a
    worker that dies leaves it "sending", which nobody can tell was delivered or not (release_stale_claims).

    The message is read inside the same transaction and kept through the commit, so that nothing between
    the commit and the SMTP server needs the database: if the database goes away after the mark, the
    message is still sent and only recording it waits; if it goes before, the mark is undone with the
    transaction and the message stays "claimed", for another worker after the lease."""
    started = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.status == "claimed",
            OutboxMessage.claimed_by == worker_id,
        )
        .values(status="sending", attempts=OutboxMessage.attempts + 1)
    ).rowcount
    if started:
        db.session.refresh(message)
    session = db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep
    return started


def send_due(worker_id=None, batch_size=50):
    """Deliver due messages once. Returns (sent, retried, failed)."""
    worker_id = worker_id or worker_name()
    max_attempts = current_app.config["S26_OUTBOX_MAX_ATTEMPTS"]
    sent = retried = failed = 0
    for message in claim_due(worker_id, batch_size):
        if not _start_sending(message, worker_id):  # our lease ran out and another worker took it over
            continue
        try:
            render(message)
            _deliver(message)
        except Exception as error:  # noqa: BLE001 - any transport failure is recorded and retried
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
            if message.attempts >= max_attempts:
                message.status = "failed"
                failed += 1
            else:
                message.status = "pending"
                message.next_attempt_at = utcnow() + _backoff(message.attempts)
                retried += 1
            log.warning(
                "outbox message %s not delivered (attempt %s): %s", message.id, message.attempts, type(error).__name__
            )
        else:
            message.status = "sent"
            message.sent_at = utcnow()
            message.last_error = None
            sent += 1
        message.claimed_until = None
        db.session.commit()
    return sent, retried, failed


def release_stale_claims(now=None):
    """Leases that ran out mean a sender died (or stalled) holding messages. Those it had only claimed were
    never handed to SMTP: they go back to pending and another worker delivers them, once. The one it was
    sending we cannot know went or not: to deliver at most once it is marked failed for an admin to
    check and re-queue, never resent silently. Returns (released, failed)."""
    now = now or utcnow()
    released = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "claimed", OutboxMessage.claimed_until < now)
        .values(status="pending", claimed_by=None, claimed_until=None)
    ).rowcount
    failed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now)
        .values(status="failed", last_error="Sender stopped while delivering: check before re-queueing")
    ).rowcount
    db.session.commit()
    if released or failed:
        log.warning("outbox: %s stale claims released to other workers, %s left failed (in flight)", released, failed)
    return released, failed


def requeue(message):
    message.status = "pending"
    message.next_attempt_at = utcnow()
    message.attempts = 0
    message.claimed_by = None
    message.claimed_until = None
