"""Periodic returns to the PCC (issue 18): the figures over a mixed data set, Excel, sending once, and who may read."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from approvals import notifications, returns, workflow
from approvals.human_rights import Assessment
from extensions import db
from models import AuditEvent, Force, OutboxMessage
from tests.conftest import advance, make_request, make_user, sign_in
from tests.integration.test_api import token_for

TODAY = date.today()
WEEK_AGO = TODAY - timedelta(days=7)


def _decide(request, who, outcome, reasons="Why"):
    workflow.decide(
        request.id, who, workflow.DecisionInput(outcome, reasons, hr=Assessment(residual="low"), ethics_confirmed=True)
    )


@pytest.fixture
def mixed(people):
    """North Yorkshire: approved, closed, a sensitive deployment, one at the PCC, declined, withdrawn, returned and a
    draft; and the Metropolitan Police's own approved and deployed request, which its return alone counts."""
    lead, made = people["lead"], {}
    made["approved"] = advance(make_request(lead, title="Approved"), people)
    made["closed"] = advance(make_request(lead, title="Closed", officers=2, staff=1), people)
    workflow.deploy(made["closed"].id, lead, TODAY, reason="Started early")
    workflow.close(made["closed"].id, lead, 1_400_000, 1_000_000)
    made["secret"] = advance(make_request(lead, title="Secret", sensitive=True, officers=3, staff=0), people)
    workflow.deploy(made["secret"].id, lead, TODAY, reason="Started early")
    made["at_pcc"] = advance(
        make_request(lead, title="At the PCC", urgent=True, urgent_reason="Soon"), people, until="awaiting_pcc"
    )
    made["declined"] = make_request(lead, title="Declined")
    workflow.submit(made["declined"].id, lead)
    _decide(made["declined"], people["chief"], "decline")
    made["withdrawn"] = make_request(lead, title="Withdrawn")
    workflow.submit(made["withdrawn"].id, lead)
    workflow.withdraw(made["withdrawn"].id, lead, "No longer needed")
    made["returned"] = make_request(lead, title="Returned")
    workflow.submit(made["returned"].id, lead)
    _decide(made["returned"], people["chief"], "return", "What are the dates?")
    made["draft"] = make_request(lead, title="Draft")
    made["met"] = advance(make_request(people["other_lead"], title="Met", officers=9, staff=9), people)
    workflow.deploy(made["met"].id, people["other_lead"], TODAY, reason="Started early")
    db.session.expire_all()
    return made


def ny():
    return returns.force_by_slug("north-yorkshire")


def test_the_return_counts_one_forces_work_in_the_period_sensitive_included(mixed):
    data = returns.period_return(ny(), WEEK_AGO, TODAY).as_json()
    assert data["force"] == "north-yorkshire"
    assert data["period"] == {"from": WEEK_AGO.isoformat(), "to": TODAY.isoformat()}
    assert data["received"] == 7 and data["sensitive_received"] == 1
    assert data["decisions"] == {
        "awaiting_chief_officer": {"positive": 4, "decline": 1, "return": 1},
        "awaiting_pcc": {"positive": 3, "decline": 0, "return": 0},
        "awaiting_home_secretary": {"positive": 3, "decline": 0, "return": 0},
        "awaiting_ipab": {"positive": 3, "decline": 0, "return": 0},
    }
    assert (data["approved"], data["deployed"], data["closed"], data["withdrawn"], data["declined"]) == (3, 2, 1, 1, 1)
    assert (data["officers"], data["staff"]) == (5, 1)  # the closed deployment and the sensitive one, not the Met's
    assert (data["full_cost_pence"], data["recovered_pence"], data["recovery_percent"]) == (1_400_000, 1_000_000, 71.4)
    assert {(item["title"], item["state"]) for item in data["open"]} == {
        ("At the PCC", "awaiting_pcc"),
        ("Returned", "returned"),
    }
    assert data["overdue"] == 0
    assert data["conditions_not_met"] == 0 and data["unmet_conditions"] == []  # no condition was attached


def test_a_sensitive_open_request_is_marked(people, mixed):
    workflow.submit(make_request(people["lead"], title="Secret wait", sensitive=True).id, people["lead"])
    items = {i["title"]: i for i in returns.period_return(ny(), WEEK_AGO, TODAY).as_json()["open"]}
    assert items["Secret wait"]["sensitive"] is True and items["At the PCC"]["sensitive"] is False


def test_nothing_before_the_period_is_counted_and_open_is_as_at_its_end(mixed):
    before = returns.period_return(ny(), TODAY - timedelta(days=60), TODAY - timedelta(days=30)).as_json()
    assert before["received"] == 0 and before["approved"] == 0 and before["open"] == []
    assert all(v == 0 for outcomes in before["decisions"].values() for v in outcomes.values())


def _move_history_back(request, days):
    """The request's transitions and last change as if made `days` ago (the return reads them by time)."""
    shift = timedelta(days=days)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.request_id == request.id)).all()
    for event in events:
        event.at -= shift
    request.updated_at -= shift
    for moment in ("submitted_at", "gate_entered_at"):
        if getattr(request, moment):
            setattr(request, moment, getattr(request, moment) - shift)
    db.session.commit()


def test_open_at_a_past_periods_end_reads_the_history_of_what_has_changed_since(people):
    """The return reads the history only of requests open now or changed since the period's end (issue 20); the
    others are where they were then. Each kind is checked against what the history says."""
    lead = people["lead"]
    since_decided = make_request(lead, title="Waiting then, declined since")
    workflow.submit(since_decided.id, lead)
    _move_history_back(since_decided, 40)
    _decide(since_decided, people["chief"], "decline")  # today: changed since the period's end
    still_waiting = make_request(lead, title="Waiting then and now")
    workflow.submit(still_waiting.id, lead)
    _move_history_back(still_waiting, 40)
    long_declined = make_request(lead, title="Declined before the period ended")
    workflow.submit(long_declined.id, lead)
    _decide(long_declined, people["chief"], "decline")
    _move_history_back(long_declined, 40)
    db.session.expire_all()
    data = returns.period_return(ny(), TODAY - timedelta(days=45), TODAY - timedelta(days=30)).as_json()
    assert sorted(item["title"] for item in data["open"]) == ["Waiting then and now", "Waiting then, declined since"]
    assert {item["state"] for item in data["open"]} == {"awaiting_chief_officer"}
    # Read from its row (unchanged since) or from its history (changed since): at the gate since it was submitted.
    forty_days_ago = (TODAY - timedelta(days=40)).isoformat()
    assert [item["entered_on"] for item in data["open"]] == [forty_days_ago, forty_days_ago]


def test_every_forces_returns_at_once_are_each_forces_own(people, mixed):
    """`period_returns` reads each figure once for all forces (issue 20: every force's year of returns): what it
    gives each force is that force's own return, a force with no work included, whatever the period."""
    withdrawn_long_ago = make_request(people["lead"], title="Withdrawn long ago")
    workflow.submit(withdrawn_long_ago.id, people["lead"])
    workflow.withdraw(withdrawn_long_ago.id, people["lead"], "Not needed")
    _move_history_back(withdrawn_long_ago, 40)
    db.session.expire_all()
    forces = db.session.scalars(select(Force).order_by(Force.name)).all()
    for date_from, date_to in ((WEEK_AGO, TODAY), (TODAY - timedelta(days=45), TODAY - timedelta(days=30))):
        together = returns.period_returns(forces, date_from, date_to)
        assert [r.force.slug for r in together] == [f.slug for f in forces]
        for force, result in zip(forces, together, strict=True):
            assert result.as_json() == returns.period_return(force, date_from, date_to).as_json(), force.slug
    this_week = {r.force.slug: r for r in returns.period_returns(forces, WEEK_AGO, TODAY)}
    assert this_week["north-yorkshire"].received == 7 and this_week["metropolitan"].deployed == 1
    assert this_week["north-yorkshire"].withdrawn == 1  # this week's, not the one moved back
    earlier = {r.force.slug: r for r in returns.period_returns(forces, TODAY - timedelta(days=45), TODAY)}
    assert earlier["north-yorkshire"].withdrawn == 2
    assert any(r.received == 0 and r.open == [] for r in this_week.values())  # forces with no work: zeros


def test_a_request_too_long_at_its_gate_is_overdue_at_the_end_of_a_later_period(mixed):
    later = TODAY + timedelta(days=30)  # 20 or so working days on: past both the urgent and the normal allowance
    data = returns.period_return(ny(), TODAY, later).as_json()
    overdue = {i["title"] for i in data["open"] if i["overdue"]}
    assert overdue == {"At the PCC"}  # a returned request waits for the force, not at a gate
    assert data["overdue"] == 1
    item = next(i for i in data["open"] if i["title"] == "At the PCC")
    assert item["gate"] == "PCC approval" and item["age_days"] == 30 and item["working_days_at_gate"] >= 18


def test_an_open_question_pauses_the_clock_so_the_request_is_not_overdue(people, mixed):
    from approvals import queries

    queries.ask(mixed["at_pcc"].id, people["pcc"], "Who leads the team?")
    data = returns.period_return(ny(), TODAY, TODAY + timedelta(days=30)).as_json()
    assert data["overdue"] == 0


def test_the_xlsx_holds_the_figures_and_neutralises_formulas(people, mixed):
    make_request(people["lead"], title='=HYPERLINK("http://evil.example")')
    workflow.submit(
        db.session.scalars(select(returns.AssistanceRequest).where(returns.AssistanceRequest.title.like("=%")))
        .one()
        .id,
        people["lead"],
    )
    workbook = load_workbook(BytesIO(returns.to_xlsx(returns.period_return(ny(), WEEK_AGO, TODAY))))
    assert workbook.sheetnames == ["Summary", "Decisions", "Open requests", "Conditions not met", "Notes"]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert summary["Force"] == "North Yorkshire Police"
    assert summary["Requests received"] == 8 and summary["of which sensitive"] == 1
    assert summary["Approved (all four gates)"] == 3 and summary["Closed out"] == 1
    assert summary["Full cost (pence)"] == 1_400_000 and summary["Recovery rate (%)"] == 71.4
    decisions = list(workbook["Decisions"].iter_rows(values_only=True))
    assert decisions[1] == ("Chief officer recommendation", 4, 1, 1)
    titles = [row[1] for row in workbook["Open requests"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil.example")' in titles
    notes = dict(workbook["Notes"].iter_rows(min_row=2, values_only=True))
    assert "reported not met at a close-out" in notes["Conditions"] and summary["Conditions not met"] == 0


def test_returns_send_twice_queues_each_forces_return_once_to_its_pcc_office_and_chief_officers(
    app, runner, people, mixed
):
    make_user("pcc2@ny.example", "pcc_office", "force_lead", force_slug="north-yorkshire")
    first, last = returns.month_period(TODAY.year, TODAY.month)
    month = f"{TODAY.year}-{TODAY.month:02d}"
    result = runner.invoke(args=["returns", "send", "--period", "month", "--for", month])
    assert result.exit_code == 0, result.output
    assert "5 emails queued for 2 forces" in result.output
    again = runner.invoke(args=["returns", "send", "--period", "month", "--for", month])
    assert again.exit_code == 0 and "0 emails queued for 0 forces" in again.output
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "pcc_return")).all()
    assert sorted(m.recipient for m in messages) == [
        "chief@met.example",
        "chief@ny.example",
        "pcc2@ny.example",
        "pcc@met.example",
        "pcc@ny.example",
    ]
    mine = next(m for m in messages if m.recipient == "pcc@ny.example")
    notifications.render(mine)
    assert mine.subject == f"Section 26 return for North Yorkshire Police: {first.strftime('%B %Y')}"
    assert f"force=north-yorkshire&from={first.isoformat()}&to={last.isoformat()}" in mine.body_text
    # North Yorkshire's return counts a sensitive request, so it is OFFICIAL-SENSITIVE: its email carries none of its
    # figures, only the link (issue 25). The Met's counts nothing sensitive: its email carries its figures.
    assert returns.period_return(people["lead"].force, first, last).as_json()["marking"] == "OFFICIAL-SENSITIVE"
    withheld = "This return is OFFICIAL-SENSITIVE: its figures are not shown in email. Sign in to read it"
    assert withheld in mine.body_text and withheld in mine.body_html
    for heading in ("Requests received", "of which sensitive", "Police officers deployed", "Recovered", "Positive"):
        assert heading not in mine.body_text and heading not in mine.body_html, heading
    met = next(m for m in messages if m.recipient == "pcc@met.example")
    notifications.render(met)
    assert "Requests received: 1" in met.body_text and "of which sensitive: 0" in met.body_text
    assert "Police officers deployed" in met.body_html and "not shown in email" not in met.body_text
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.recipient == "lead@ny.example", OutboxMessage.template == "pcc_return")
        )
        == 0
    )


def test_returns_send_without_for_takes_the_last_complete_period(runner, people):
    result = runner.invoke(args=["returns", "send", "--period", "half-year"])
    date_from, date_to = returns.last_complete("half_year")
    assert result.exit_code == 0 and f"{date_from.isoformat()} to {date_to.isoformat()}" in result.output
    assert date_to < TODAY and date_from.month in (1, 7) and (date_to - date_from).days >= 180
    assert runner.invoke(args=["returns", "send", "--period", "month", "--for", "2026-13"]).exit_code == 2


@pytest.mark.parametrize(
    "today, kind, expected",
    [
        (date(2026, 3, 15), "month", (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2026, 1, 1), "month", (date(2025, 12, 1), date(2025, 12, 31))),
        (date(2026, 3, 15), "half_year", (date(2025, 7, 1), date(2025, 12, 31))),
        (date(2026, 7, 1), "half_year", (date(2026, 1, 1), date(2026, 6, 30))),
    ],
)
def test_the_last_complete_period(today, kind, expected):
    assert returns.last_complete(kind, today) == expected


# --- Who may read a return ------------------------------------------------------------------------

READERS_OF_NY = {"chief", "pcc", "home_office", "ipab"}
EVERYONE = ["lead", "chief", "pcc", "other_lead", "other_chief", "other_pcc", "home_office", "ipab", "foi", "admin"]


@pytest.mark.parametrize("who", EVERYONE)
def test_the_return_page_is_for_the_forces_chief_officers_and_pcc_office_and_national_roles(client, people, who):
    sign_in(client, people[who])
    query = f"force=north-yorkshire&from={WEEK_AGO.isoformat()}&to={TODAY.isoformat()}"
    response = client.get(f"/reports/returns?{query}")
    assert response.status_code == (200 if who in READERS_OF_NY else 403)
    excel = client.get(f"/reports/returns?{query}&format=xlsx")
    assert excel.status_code == (200 if who in READERS_OF_NY else 403)
    if who in READERS_OF_NY:
        assert excel.mimetype == returns.XLSX_MIMETYPE


@pytest.mark.parametrize("who", EVERYONE)
def test_the_return_api_is_for_the_same_people(client, people, who):
    headers = token_for(people[who])
    query = f"force=north-yorkshire&from={WEEK_AGO.isoformat()}&to={TODAY.isoformat()}"
    response = client.get(f"/api/v1/reports/returns?{query}", headers=headers)
    assert response.status_code == (200 if who in READERS_OF_NY else 403)
    if who in READERS_OF_NY:
        assert response.get_json()["force"] == "north-yorkshire"


def test_the_page_shows_the_figures_marks_sensitive_and_the_conditions_not_met(client, people, mixed):
    workflow.submit(make_request(people["lead"], title="Secret wait", sensitive=True).id, people["lead"])
    sign_in(client, people["pcc"])
    page = client.get(f"/reports/returns?force=north-yorkshire&from={WEEK_AGO.isoformat()}&to={TODAY.isoformat()}")
    text = page.get_data(as_text=True)
    assert 'id="figure-received">8<' in text and "Sensitive</strong>" in text and "Secret wait" in text
    assert "Met" not in text.split("<main")[1].split("Section 26 return")[0]
    assert "£14,000.00" in text and "71.4%" in text
    assert "Conditions not met (0)" in text and "No condition was reported not met" in text


def test_a_force_role_sees_its_own_force_by_default_and_a_national_role_chooses(client, people):
    sign_in(client, people["chief"])
    page = client.get("/reports/returns").get_data(as_text=True)
    assert '<option value="north-yorkshire" selected>' in page and "Metropolitan" not in page.split("<main")[1]
    response = client.get(f"/reports/returns?force=metropolitan&from={WEEK_AGO}&to={TODAY}")
    assert response.status_code == 403


def test_the_api_defaults_a_force_role_to_its_force_and_validates(client, people):
    chief, home_office = token_for(people["chief"]), token_for(people["home_office"])
    assert client.get(f"/api/v1/reports/returns?from={WEEK_AGO}&to={TODAY}", headers=chief).get_json()["force"] == (
        "north-yorkshire"
    )
    assert (
        client.get(f"/api/v1/reports/returns?force=metropolitan&from={WEEK_AGO}&to={TODAY}", headers=chief).status_code
        == 403
    )
    missing = client.get(f"/api/v1/reports/returns?from={WEEK_AGO}&to={TODAY}", headers=home_office)
    assert missing.status_code == 422 and "force" in missing.get_json()["errors"]
    unknown = client.get(f"/api/v1/reports/returns?force=nowhere&from={WEEK_AGO}&to={TODAY}", headers=home_office)
    assert unknown.status_code == 422
    bad = client.get(
        f"/api/v1/reports/returns?force=metropolitan&from={TODAY}&to={WEEK_AGO}&format=docx", headers=home_office
    )
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"format"}
    excel = client.get(
        f"/api/v1/reports/returns?force=metropolitan&from={WEEK_AGO}&to={TODAY}&format=xlsx", headers=home_office
    )
    assert excel.status_code == 200 and load_workbook(BytesIO(excel.data)).sheetnames[0] == "Summary"
    assert client.get(f"/api/v1/reports/returns?from={WEEK_AGO}&to={TODAY}").status_code == 401


def test_a_request_has_been_at_its_gate_since_it_arrived_not_since_the_last_question(people, monkeypatch):
    from datetime import datetime

    from approvals import queries

    now = [datetime(2026, 11, 2, 9)]
    # The history and the request row both at that time (the return reads the row's times too).
    monkeypatch.setattr("approvals.audit.utcnow", lambda: now[0])
    monkeypatch.setattr("approvals.workflow.utcnow", lambda: now[0])
    request = make_request(people["lead"], title="Asked later")
    workflow.submit(request.id, people["lead"])  # Monday 2 November
    now[0] = datetime(2026, 11, 5, 9)
    queries.ask(request.id, people["chief"], "Who leads?", today=date(2026, 11, 5))
    now[0] = datetime(2026, 11, 6, 9)
    queries.answer(
        request.id, people["lead"], queries.open_queries(request)[0].id, "A sergeant", today=date(2026, 11, 6)
    )
    item = returns.period_return(ny(), date(2026, 11, 1), date(2026, 11, 10)).as_json()["open"][0]
    assert item["entered_on"] == "2026-11-02" and item["working_days_at_gate"] == 6
