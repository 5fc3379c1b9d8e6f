"""What every command on an assistance request shares: its refusals, its transaction and its row lock.

A command (a state change in `approvals.workflow`, an edit in `approvals.drafts`, and every later kind) is
one function that runs `with atomic(): request = lock(id, version)`, checks the actor through
`approvals.policy`, changes the request, appends its audit event and outbox rows, and commits once. Any
refusal or error rolls everything back. Views and the API parse input, call a command, and render the
result or the refusal; each refusal carries the HTTP status they answer with.
"""

import sqlite3
from contextlib import contextmanager

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from extensions import db
from models import AssistanceRequest

CONFLICT_MESSAGE = "This request has changed since you opened it. Check the latest version and try again."
# Unique constraints whose violation means another writer got there first, not bad data.
CONFLICT_CONSTRAINTS = frozenset({"uq_audit_event_request_seq"})
# SQLite's result codes for "another connection holds the database" (SQLITE_BUSY, SQLITE_LOCKED and their
# extended codes are these in the low byte).
_SQLITE_BUSY_CODES = frozenset({5, 6})
# PostgreSQL SQLSTATEs for a lost race: serialization failure, deadlock, lock not available.
_POSTGRES_CONFLICT_STATES = frozenset({"40001", "40P01", "55P03"})


class WorkflowError(Exception):
    """A command refused. `status` is the HTTP answer: 404 unseen, 403 not yours, 409 not now, 422 a rule."""

    status = 409

    def __init__(self, message, refusals=()):
        super().__init__(message)
        self.message = message
        self.refusals = list(refusals)


class NotFound(WorkflowError):
    status = 404

    def __init__(self, message="There is no request with that id that you may see"):
        super().__init__(message)


class Forbidden(WorkflowError):
    status = 403


class WrongState(WorkflowError):
    status = 409


class Conflict(WorkflowError):
    status = 409

    def __init__(self, message=CONFLICT_MESSAGE):
        super().__init__(message)


class Refused(WorkflowError):
    """A rule refused the command; `refusals` name each rule."""

    status = 422

    def __init__(self, refusals):
        super().__init__("; ".join(r.message for r in refusals), refusals)


def is_conflict(error):
    """Whether a database error means another writer won a race: judged by the driver's error type, code and
    constraint name, never by the words of its message."""
    orig = getattr(error, "orig", None)
    if isinstance(error, StaleDataError):
        return True
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        return isinstance(error, OperationalError) and code is not None and code & 0xFF in _SQLITE_BUSY_CODES
    diag = getattr(orig, "diag", None)  # psycopg
    if isinstance(error, IntegrityError):
        return getattr(diag, "constraint_name", None) in CONFLICT_CONSTRAINTS
    if isinstance(error, OperationalError):
        return getattr(orig, "sqlstate", None) in _POSTGRES_CONFLICT_STATES
    return False


@contextmanager
def atomic():
    """One command's transaction: commit once at the end, or roll everything back."""
    try:
        yield
        db.session.commit()
    except Conflict:
        db.session.rollback()
        raise
    except (StaleDataError, IntegrityError, OperationalError) as error:
        db.session.rollback()
        if is_conflict(error):
            raise Conflict() from error
        raise
    except BaseException:
        db.session.rollback()
        raise


def lock(request_id, expected_version=None, check=None, options=()):
    """The request row, locked for this transaction and read afresh. `check(request)` (the policy's question
    for this command) is asked first, so a request that has moved on says where it is now; then Conflict if
    it is not the version the user saw. PostgreSQL: SELECT ... FOR UPDATE. SQLite has no row locks, so a
    no-op write takes the database's write lock first (as BEGIN IMMEDIATE would): the read that follows is
    then current. `options`: loader options for what the command's rules read, fetched in the same statement
    (a joined collection, `with_expression` facts)."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("UPDATE assistance_request SET version = version WHERE id = :id"), {"id": request_id})
    stmt = (
        select(AssistanceRequest)
        .where(AssistanceRequest.id == request_id)
        .options(*options)
        .execution_options(populate_existing=True)
    )
    if db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=AssistanceRequest)
    # unique(): a joined collection repeats the row; one_or_none() reads every row of it (first() would not).
    request = db.session.scalars(stmt).unique().one_or_none()
    if request is None:
        raise NotFound()
    if check is not None:
        check(request)
    if expected_version is not None and request.version != expected_version:
        raise Conflict()
    return request
