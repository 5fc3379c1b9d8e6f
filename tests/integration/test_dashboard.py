"""The national picture (issue 18): the pipeline, time at each gate, deployments by month, region and country."""

from datetime import date, datetime

import pytest
from sqlalchemy import update

from approvals import dashboard, queries, workflow
from extensions import db
from models import AssistanceRequest
from tests.conftest import advance, make_request, positive, sign_in
from tests.integration.test_api import token_for
from tests.integration.test_returns import _decide

TODAY = date(2026, 11, 26)  # a Thursday; the working days below hold no bank holiday


@pytest.fixture
def clock(monkeypatch):
    """The audit trail's clock, set by the test: each event is recorded at the time it names."""
    now = [datetime(2026, 11, 2, 9)]
    monkeypatch.setattr("approvals.audit.utcnow", lambda: now[0])

    def at(day, month=11, year=2026):
        now[0] = datetime(year, month, day, 9)

    return at


@pytest.fixture
def national(people, clock):
    lead = people["lead"]
    a = make_request(lead, title="A", destination="KY")
    b = make_request(lead, title="B", destination="KY")
    clock(2)
    workflow.submit(a.id, lead)
    workflow.submit(b.id, lead)
    clock(4)
    workflow.decide(a.id, people["chief"], positive())  # 2 working days at the chief officer
    clock(6)
    workflow.decide(b.id, people["chief"], positive())  # 4
    clock(9)
    workflow.decide(a.id, people["pcc"], positive())  # 3 (Thursday, Friday, Monday)
    workflow.decide(b.id, people["pcc"], positive())  # 1
    clock(10)
    workflow.decide(a.id, people["home_office"], positive())  # 1
    workflow.decide(a.id, people["ipab"], positive())  # 0
    workflow.deploy(a.id, lead, date(2026, 11, 12), reason="Recorded late")
    clock(1, 6, 2025)  # the rest passed their gates more than 12 months ago: no part of the medians
    met = advance(make_request(people["other_lead"], title="Met", destination="GI", sensitive=True), people)
    workflow.deploy(met.id, people["other_lead"], date(2026, 6, 15), reason="Recorded late")
    old = advance(make_request(lead, title="Old", destination="PK"), people)
    workflow.deploy(old.id, lead, date(2025, 10, 1), reason="Recorded late")  # more than 12 months before: not counted
    paused = make_request(lead, title="Paused")
    workflow.submit(paused.id, lead)
    queries.ask(paused.id, people["chief"], "Who leads?")
    returned = make_request(lead, title="Returned")
    workflow.submit(returned.id, lead)
    _decide(returned, people["chief"], "return")
    # B is past its decide-by date at the Home Office; the paused request is too, but its clock is paused.
    db.session.execute(
        update(AssistanceRequest)
        .where(AssistanceRequest.id.in_([b.id, paused.id]))
        .values(gate_due_on=date(2026, 11, 1))
    )
    db.session.commit()


def test_the_pipeline_counts_who_waits_at_each_gate_and_who_is_overdue(national):
    data = dashboard.national(TODAY)
    assert {row["gate"]: (row["waiting"], row["overdue"]) for row in data["pipeline"]} == {
        "awaiting_chief_officer": (1, 0),
        "awaiting_pcc": (0, 0),
        "awaiting_home_secretary": (1, 1),
        "awaiting_ipab": (0, 0),
    }
    assert data["returned_to_forces"] == 1 and data["sensitive_included"] is True


def test_the_median_working_days_at_each_gate_come_from_the_audit_trail(national):
    gates = {row["gate"]: row for row in dashboard.national(TODAY)["time_at_gates"]["gates"]}
    assert gates["awaiting_chief_officer"]["median_working_days"] == 3  # 2 and 4, then the others' 0s
    assert gates["awaiting_pcc"]["median_working_days"] == 2  # 3 and 1
    assert gates["awaiting_home_secretary"]["median_working_days"] == 1
    assert gates["awaiting_ipab"]["median_working_days"] == 0


def test_the_median_counts_every_visit_that_ended_in_the_last_12_months():
    assert dashboard.national(TODAY)["time_at_gates"]["gates"][0] == {
        "gate": "awaiting_chief_officer",
        "title": "Chief officer recommendation",
        "median_working_days": None,
        "visits": 0,
    }


def test_deployments_by_month_region_and_country_cover_the_last_12_months_sensitive_included(national):
    data = dashboard.national(TODAY)
    months = data["deployments_by_month"]
    assert [m["month"] for m in months][0] == "2025-12" and months[-1]["month"] == "2026-11" and len(months) == 12
    assert {m["month"]: m["deployments"] for m in months if m["deployments"]} == {"2026-06": 1, "2026-11": 1}
    assert data["deployments_by_region"] == [
        {"region": "Europe", "deployments": 1},
        {"region": "Americas and the Caribbean", "deployments": 1},
    ]
    assert [(c["name"], c["deployments"]) for c in data["deployments_by_country"]] == [
        ("Cayman Islands", 1),
        ("Gibraltar", 1),
    ]


EVERYONE = ["lead", "chief", "pcc", "other_lead", "other_chief", "other_pcc", "home_office", "ipab", "foi", "admin"]


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_home_office_and_ipab_see_the_national_picture(client, people, who):
    allowed = who in ("home_office", "ipab")
    assert client.get("/api/v1/reports/national", headers=token_for(people[who])).status_code == (
        200 if allowed else 403
    )
    sign_in(client, people[who])
    assert client.get("/reports/national").status_code == (200 if allowed else 403)
    home = client.get("/").get_data(as_text=True)
    assert ('href="/reports/national"' in home) is allowed
    assert ('href="/reports/returns"' in home) is (
        who in ("chief", "pcc", "other_chief", "other_pcc", "home_office", "ipab")
    )


def test_the_page_draws_each_chart_as_svg_with_its_table(client, people, national):
    sign_in(client, people["ipab"])
    page = client.get("/reports/national").get_data(as_text=True).split("<main")[1].split("</main>")[0]
    for chart in ("chart-pipeline", "chart-time", "chart-months", "chart-regions", "chart-countries"):
        assert f'<figure class="s26-chart" id="{chart}">' in page
        assert f'aria-labelledby="{chart}-title"' in page
    assert page.count("<svg") == 5 and page.count('<table class="govuk-table') == 5
    assert "<script" not in page
    assert "Home Secretary consent: 1 (1 overdue)" in page  # the chart's text alternative


def test_the_api_gives_the_same_figures(client, people, national):
    data = client.get("/api/v1/reports/national", headers=token_for(people["home_office"])).get_json()
    assert {row["gate"]: row["waiting"] for row in data["pipeline"]}["awaiting_home_secretary"] == 1
    assert len(data["deployments_by_month"]) == 12
