"""Questions to the submitter: the decider at the current gate asks without returning the request.

While any question is open the gate's working-day clock is paused: when the last open one is answered,
`gate_due_on` moves on by the working days the pause lasted (weekends and England and Wales bank holidays
skipped, as for every deadline). A positive decision is refused while a question is open (workflow rule
`open_query`). Each change is one transaction with its audit event and emails, as in approvals.workflow.
"""

from datetime import date, timedelta

from sqlalchemy import func, select

from approvals import audit, documents, notifications, policy, workflow
from approvals.gates import GATE_BY_STATE, GATE_STATES
from approvals.human_rights import Refusal
from config.settings import LONG_TEXT_MAX as LONG_TEXT
from extensions import db
from models import AssistanceRequest, CaseQuery, User
from models.types import utcnow


def working_days_between(start, end):
    """Working days from `start` (counted) up to `end` (not counted): a question asked and answered the same
    day paused nothing; one asked on a Friday and answered on Monday paused the Friday."""
    days, current = 0, start
    while current < end:
        if workflow.is_working_day(current):
            days += 1
        current += timedelta(days=1)
    return days


def for_request(request):
    """Every question on the request, oldest first."""
    return db.session.scalars(select(CaseQuery).where(CaseQuery.request_id == request.id).order_by(CaseQuery.id)).all()


def open_queries(request):
    return db.session.scalars(
        select(CaseQuery)
        .where(CaseQuery.request_id == request.id, CaseQuery.answered_at.is_(None))
        .order_by(CaseQuery.id)
    ).all()


def open_count_expression():
    """`open_count` as a correlated subquery of the request row, for a lock that reads it with the row."""
    return (
        select(func.count())
        .select_from(CaseQuery)
        .where(CaseQuery.request_id == AssistanceRequest.id, CaseQuery.answered_at.is_(None))
        .scalar_subquery()
    )


def open_count(request):
    with db.session.no_autoflush:
        return db.session.scalar(
            select(func.count())
            .select_from(CaseQuery)
            .where(CaseQuery.request_id == request.id, CaseQuery.answered_at.is_(None))
        )


def _pause_start(request, paused_on):
    # A question left open across a return pauses only the gate visit it is answered in.
    entered = request.gate_entered_at.date() if request.gate_entered_at else paused_on
    return max(paused_on, entered)


def clock_state(request, today=None):
    """(open questions, whether the clock is paused, the due date as it stands today) in one or two queries:
    the API shows all three for every request it lists."""
    count = open_count(request)
    paused = bool(count) and request.state in GATE_STATES and request.gate_due_on is not None
    return count, paused, current_due_on(request, today) if paused else request.gate_due_on


def clock_paused(request):
    return request.state in GATE_STATES and request.gate_due_on is not None and open_count(request) > 0


def current_due_on(request, today=None):
    """The gate's due date as it stands today: while the clock is paused, it moves on day by day."""
    if not clock_paused(request):
        return request.gate_due_on
    paused_on = min(q.paused_on for q in open_queries(request))
    paused = working_days_between(_pause_start(request, paused_on), today or date.today())
    return workflow.add_working_days(request.gate_due_on, paused)


def _submitters(request):
    """The submitter, told of a question; their force's other leads are not emailed about every case."""
    return notifications._rows(
        notifications._active(select(*notifications.RECIPIENT).where(User.id == request.created_by_id))
    )


def _text(value, rule, empty_message, label):
    value = (value or "").strip()
    if not value:
        raise workflow.Refused([Refusal(rule, empty_message)])
    if len(value) > LONG_TEXT:
        raise workflow.Refused([Refusal(rule, f"{label} must be {LONG_TEXT} characters or fewer")])
    return value


def ask(request_id, actor, question, today=None):
    """The decider at the request's current gate asks the submitter a question; the gate clock pauses."""
    today = today or date.today()
    with workflow.atomic():
        request = workflow.lock(request_id, None, policy.check(actor, policy.DECIDE))
        question = _text(question, "question", "Enter your question", "Your question")
        already = open_queries(request)
        query = CaseQuery(
            request_id=request.id,
            gate=request.state,
            question=question,
            asked_by_id=actor.id,
            asked_at=utcnow(),
            paused_on=min([q.paused_on for q in already] + [today]),
        )
        db.session.add(query)
        db.session.flush()
        row = audit.append(request, actor, "query_asked", request.state, request.state, f"question {query.id}")
        for user in _submitters(request):
            notifications._queue(
                request,
                user,
                "query_asked",
                f"r{request.id}:{row.seq}:query:{user.id}",
                {"gate": GATE_BY_STATE[request.state].title, "question": question, "due_on_paused": True},
            )
    return query


def answer(request_id, actor, query_id, text, attachments=(), today=None):
    """The submitter answers; with the last open question answered, the gate clock starts again."""
    today = today or date.today()
    with workflow.atomic():
        request = workflow.lock(request_id, None)
        query = db.session.scalars(
            select(CaseQuery).where(CaseQuery.id == query_id, CaseQuery.request_id == request.id)
        ).first()
        if query is None or not policy.can_see(actor, request):
            raise workflow.NotFound("There is no such question on this request that you may see")
        policy.raise_if(policy.answer_refusal(actor, request, query))
        text = _text(text, "answer", "Enter your answer", "Your answer")
        for upload in attachments:
            documents._store(request, actor, upload, query=query)
        query.answer, query.answered_by_id, query.answered_at = text, actor.id, utcnow()
        others_open = db.session.scalar(
            select(func.count())
            .select_from(CaseQuery)
            .where(CaseQuery.request_id == request.id, CaseQuery.answered_at.is_(None), CaseQuery.id != query.id)
        )
        if not others_open and request.state in GATE_STATES and request.gate_due_on is not None:
            paused = working_days_between(_pause_start(request, query.paused_on), today)
            query.paused_working_days = paused
            if paused:
                request.gate_due_on = workflow.add_working_days(request.gate_due_on, paused)
        row = audit.append(request, actor, "query_answered", request.state, request.state, f"question {query.id}")
        asker = db.session.get(User, query.asked_by_id)
        if asker.active and not asker.no_email:
            notifications._queue(
                request,
                asker,
                "query_answered",
                f"r{request.id}:{row.seq}:answered:{asker.id}",
                {"question": query.question, "answer": text},
            )
    return query


def waiting_for_submitter_clause():
    """Requests with a question the submitter has not answered (for the inbox filter)."""
    return (
        select(CaseQuery.id)
        .where(CaseQuery.request_id == AssistanceRequest.id, CaseQuery.answered_at.is_(None))
        .exists()
    )
