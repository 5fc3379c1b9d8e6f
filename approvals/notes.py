"""Case notes: deciders and the force's lead write notes on a request.

A note is internal (deciders only) or visible to the submitter. `@email` mentions email the person a link,
but only someone who may read the note: mentioning anyone else is refused, and they are told nothing.
One transaction per note, with its audit event and emails, as in approvals.workflow.
"""

import re

from sqlalchemy import func, select

from approvals import audit, notifications, policy, workflow
from approvals.human_rights import Refusal
from config.settings import LONG_TEXT_MAX as LONG_TEXT
from extensions import db
from models import CaseNote, User
from models.types import utcnow

MENTION = re.compile(r"(?<![\w.+-])@([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


def listing(request, user):
    """The notes `user` may read, oldest first: a submitter sees only those visible to them."""
    stmt = select(CaseNote).where(CaseNote.request_id == request.id).order_by(CaseNote.id)
    if not policy.reads_internal_notes(user, request):
        stmt = stmt.where(CaseNote.visible_to_submitter.is_(True))
    return db.session.scalars(stmt).all()


def count_for(request, user):
    stmt = select(func.count()).select_from(CaseNote).where(CaseNote.request_id == request.id)
    if not policy.reads_internal_notes(user, request):
        stmt = stmt.where(CaseNote.visible_to_submitter.is_(True))
    return db.session.scalar(stmt)


def mentioned_emails(text):
    seen = []
    for email in MENTION.findall(text or ""):
        email = email.rstrip(".").lower()
        if email not in seen:
            seen.append(email)
    return seen


def _mentioned_users(request, text, visible_to_submitter, author):
    users, refused = [], []
    for email in mentioned_emails(text):
        user = db.session.scalars(select(User).where(func.lower(User.email) == email)).first()
        if user is None or not user.active or not policy.may_read_note(user, request, visible_to_submitter):
            # The same words whether the person is unknown or may not see the request: nothing is revealed.
            refused.append(email)
        elif user.id != author.id:
            users.append(user)
    if refused:
        raise workflow.Refused(
            [
                Refusal(
                    "mentions",
                    f"You cannot mention {email}: only people who can see this "
                    + ("request" if visible_to_submitter else "internal note")
                    + " can be mentioned",
                )
                for email in refused
            ]
        )
    return users


def add(request_id, actor, text, visible_to_submitter):
    """Add a note to the case, emailing each person it mentions."""
    with workflow.atomic():
        request = workflow.lock(request_id, None)
        policy.raise_if(policy.note_refusal(actor, request))
        if not policy.reads_internal_notes(actor, request) and not visible_to_submitter:
            raise workflow.Refused(
                [Refusal("visible_to_submitter", "Internal notes are for deciders: your notes are visible to them")]
            )
        text = (text or "").strip()
        if not text:
            raise workflow.Refused([Refusal("text", "Enter your note")])
        if len(text) > LONG_TEXT:
            raise workflow.Refused([Refusal("text", f"Your note must be {LONG_TEXT} characters or fewer")])
        mentioned = _mentioned_users(request, text, visible_to_submitter, actor)
        note = CaseNote(
            request_id=request.id,
            author_id=actor.id,
            text=text,
            visible_to_submitter=bool(visible_to_submitter),
            mentions=[user.id for user in mentioned],
            created_at=utcnow(),
        )
        db.session.add(note)
        db.session.flush()
        row = audit.append(
            request,
            actor,
            "note_added",
            request.state,
            request.state,
            f"note {note.id} ({'visible to the submitter' if visible_to_submitter else 'internal'})",
        )
        for user in (user for user in mentioned if not user.no_email):
            notifications._queue(
                request,
                user,
                "mentioned",
                f"r{request.id}:{row.seq}:mention:{user.id}",
                {"author": actor.name or actor.email, "internal": not visible_to_submitter},
            )
    return note
