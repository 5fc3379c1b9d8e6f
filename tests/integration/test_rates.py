"""The rate card (issue 24 section 3): salary lines worked out from the people named, their days and the rate in force,
overridden only with a reason; every cost figure uses them; names never reach a cost line."""

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from approvals import cost_recovery, drafts, rates
from approvals import people as deployed
from approvals.commands import Forbidden, Refused
from extensions import db
from models import AuditEvent, ChargeRate
from tests.conftest import make_request, sign_in
from tests.integration.test_api import token_for


def test_a_salary_is_days_at_the_rate_overtime_at_its_multiple_then_overhead():
    rate = SimpleNamespace(daily_rate_pence=30_000, overtime_percent=150, overhead_percent=20)
    # (10 x £300 + 2 x £450) x 1.2 = £4,680
    assert rates.salary_pence(rate, 10, 2) == 468_000
    odd = SimpleNamespace(daily_rate_pence=333, overtime_percent=150, overhead_percent=15)
    assert rates.salary_pence(odd, 1, 0) == 383  # 382.95 rounds half up to whole pence


def add_rate(admin, force_id, rank="Detective Sergeant", pence=30_000, on=date(2020, 1, 1), **extra):
    return rates.add_rate(
        admin,
        {
            "force_id": force_id,
            "rank": rank,
            "daily_rate_pence": pence,
            "overtime_percent": 150,
            "overhead_percent": 20,
            "effective_from": on,
            **extra,
        },
    )


def named(request, lead, name="Zebedee Quartermaine", rank="Detective Sergeant", days=10, **extra):
    return deployed.add(
        request.id,
        lead,
        {"name": name, "email": f"{name.split()[0].lower()}@ny.example", "kind": "officer", "rank": rank, "days": days}
        | extra,
    )


def test_the_rate_in_force_on_the_start_date_is_used(people):
    request = make_request(people["lead"], officers=1, staff=0)
    add_rate(people["admin"], request.force_id, pence=30_000, on=date(2020, 1, 1))
    add_rate(people["admin"], request.force_id, pence=40_000, on=request.start_date)
    add_rate(people["admin"], request.force_id, pence=99_000, on=date(2099, 1, 1))
    named(request, people["lead"])
    rates.compute_salary_lines(request.id, people["lead"])
    line = next(line for line in request.cost_lines if line.computed)
    assert line.amount_pence == line.computed_pence == 10 * 40_000 * 120 // 100
    assert "Zebedee" not in line.description and "Detective Sergeant, 10 days" in line.description


def test_salary_lines_replace_each_other_keep_typed_lines_and_count_in_every_figure(people):
    request = make_request(people["lead"], officers=2, staff=0)
    typed = [(line.category, line.amount_pence) for line in request.cost_lines]
    add_rate(people["admin"], request.force_id)
    add_rate(people["admin"], request.force_id, rank="Constable", pence=20_000, example=True)
    named(request, people["lead"])
    named(request, people["lead"], name="Connie Constable", rank="constable", days=5)
    rates.compute_salary_lines(request.id, people["lead"])
    rates.compute_salary_lines(request.id, people["lead"])  # again: the same lines, not twice as many
    computed = [line for line in request.cost_lines if line.computed]
    assert sorted(line.amount_pence for line in computed) == [120_000, 360_000]
    assert any("(example rate)" in line.description for line in computed)
    assert [(line.category, line.amount_pence) for line in request.cost_lines if not line.computed] == typed
    position = cost_recovery.position(request.cost_lines, request.funding)
    assert position.full_cost_pence == sum(amount for _, amount in typed) + 480_000
    events = db.session.scalars(select(AuditEvent.event).where(AuditEvent.request_id == request.id)).all()
    assert events.count("edited:costs") == 1


def test_people_without_days_or_a_rate_get_no_line_and_are_counted(people):
    request = make_request(people["lead"], officers=2, staff=0)
    add_rate(people["admin"], request.force_id)
    named(request, people["lead"], days=None)
    named(request, people["lead"], name="Una Ranked", rank="Commander")
    missing = rates.compute_salary_lines(request.id, people["lead"])
    assert len(missing) == 2 and not [line for line in request.cost_lines if line.computed]


def test_an_override_needs_a_reason_and_survives_a_recompute_while_nothing_changed(people):
    request = make_request(people["lead"], officers=1, staff=0)
    add_rate(people["admin"], request.force_id)
    person = named(request, people["lead"])
    rates.compute_salary_lines(request.id, people["lead"])
    line = next(line for line in request.cost_lines if line.computed)
    with pytest.raises(Refused) as refused:
        rates.override(request.id, people["lead"], line.id, 100_000, "  ")
    assert [r.rule for r in refused.value.refusals] == ["reason"]
    rates.override(request.id, people["lead"], line.id, 100_000, "Part-funded by the College")
    rates.compute_salary_lines(request.id, people["lead"])
    line = next(line for line in request.cost_lines if line.computed)
    assert (line.amount_pence, line.computed_pence, line.override_reason) == (
        100_000,
        360_000,
        "Part-funded by the College",
    )
    deployed.update(request.id, person.id, people["lead"], {"days": 20})
    rates.compute_salary_lines(request.id, people["lead"])  # the work changed: the rate card's figure again
    line = next(line for line in request.cost_lines if line.computed)
    assert (line.amount_pence, line.override_reason) == (720_000, None)


def test_a_worked_out_line_is_not_removed_by_hand_but_goes_with_its_person(people):
    request = make_request(people["lead"], officers=1, staff=0)
    add_rate(people["admin"], request.force_id)
    person = named(request, people["lead"])
    rates.compute_salary_lines(request.id, people["lead"])
    line = next(line for line in request.cost_lines if line.computed)
    with pytest.raises(Refused) as refused:
        drafts.remove_cost_line(request.id, people["lead"], line.id)
    assert refused.value.refusals[0].rule == "computed_line"
    deployed.remove(request.id, person.id, people["lead"])
    assert not [line for line in request.cost_lines if line.computed]


def test_only_admins_keep_the_rate_card(people, client):
    with pytest.raises(Forbidden):
        add_rate(people["lead"], people["lead"].force_id)
    with pytest.raises(Refused) as refused:
        add_rate(people["admin"], people["lead"].force_id, rank="", pence=-1, overhead_percent=-5)
    assert {r.rule for r in refused.value.refusals} == {"rank", "daily_rate", "overhead_percent"}
    sign_in(client, people["admin"])
    form = {
        "force": str(people["lead"].force_id),
        "rank": "Inspector",
        "daily_rate": "385.50",
        "overtime_percent": "150",
        "overhead_percent": "15",
        "effective_from": ["1", "4", "2027"],
    }
    assert client.post("/admin/rates", data=form).status_code == 302
    rate = db.session.scalars(select(ChargeRate)).one()
    assert (rate.rank, rate.daily_rate_pence, rate.effective_from, rate.example) == (
        "Inspector",
        38_550,
        date(2027, 4, 1),
        False,
    )
    assert "Inspector" in client.get("/admin/rates").get_data(as_text=True)


def test_the_lead_works_out_and_overrides_salaries_on_the_web_and_the_api(people, client):
    request = make_request(people["lead"], officers=1, staff=0)
    add_rate(people["admin"], request.force_id)
    named(request, people["lead"])
    sign_in(client, people["lead"])
    db.session.refresh(request)
    assert (
        client.post(f"/requests/{request.id}/costs/salaries", data={"version": str(request.version)}).status_code == 302
    )
    line = next(line for line in request.cost_lines if line.computed)
    page = client.post(f"/requests/{request.id}/costs/{line.id}/override", data={"amount": "1000", "reason": ""})
    assert page.status_code == 200 and "Give the reason for overriding the rate card" in page.get_data(as_text=True)
    done = client.post(
        f"/requests/{request.id}/costs/{line.id}/override", data={"amount": "1000", "reason": "Agreed discount"}
    )
    assert done.status_code == 302
    costs = client.get(f"/requests/{request.id}/costs").get_data(as_text=True)
    assert "overridden because Agreed discount" in costs and "Zebedee" not in costs
    lead = token_for(people["lead"])
    api = client.post(f"/api/v1/requests/{request.id}/salary-lines", headers=lead)
    assert api.status_code == 200 and api.json["salary_lines"][0]["amount_pence"] == 100_000
    refused = client.post(
        f"/api/v1/requests/{request.id}/salary-lines/{line.id}/override", json={"amount_pence": 5}, headers=lead
    )
    assert refused.status_code == 422 and "reason" in refused.json["errors"]


def test_every_cost_figure_uses_the_worked_out_lines(people, client):
    """Decision pages, the letter, the API and the close-out's approved full cost (which the return's reconciled
    figures answer to) all count the salary line worked out from the rate card."""
    from approvals import letters, records, workflow
    from tests.conftest import advance
    from tests.integration.test_outputs_records import pdf_text

    request = make_request(people["lead"], officers=1, staff=0)  # typed lines £15,000.00, funded £15,000.00
    add_rate(people["admin"], request.force_id)
    named(request, people["lead"])  # 10 days at £300 a day, 20% overhead: £3,600.00
    rates.compute_salary_lines(request.id, people["lead"])
    drafts.add_funding(request.id, people["lead"], "fcdo", 360_000, True)
    full = "£18,600.00"
    workflow.submit(request.id, people["lead"])
    sign_in(client, people["chief"])
    page = client.get(f"/requests/{request.id}/decide").get_data(as_text=True)
    assert full in page and "Salary: Detective Sergeant, 10 days" in page
    api = client.get(f"/api/v1/requests/{request.id}", headers=token_for(people["chief"])).json
    assert api["full_cost_pence"] == 1_860_000
    request = advance(request, people)
    assert f"Full cost {full}" in pdf_text(letters.current(request).content)[0]
    assert records.approved_full_cost(request) == 1_860_000
    assert records.money_refusals(request, 1_860_000, 0, "") == []
    assert [r.rule for r in records.money_refusals(request, 1_860_001, 0, "")] == ["close_out_reason"]


def test_a_patch_of_the_requests_lines_keeps_the_worked_out_lines_and_cannot_change_them(people, client):
    request = make_request(people["lead"], officers=1, staff=0)
    add_rate(people["admin"], request.force_id)
    named(request, people["lead"])
    rates.compute_salary_lines(request.id, people["lead"])
    lead = token_for(people["lead"])
    got = client.get(f"/api/v1/requests/{request.id}", headers=lead).json
    worked = next(line for line in got["cost_lines"] if line["description"].startswith("Salary:"))
    # What a GET returned, a typed line added: accepted, and the worked-out line is still the rate card's.
    lines = [*got["cost_lines"], {"category": "travel", "amount_pence": 5_000, "description": "Taxis"}]
    ok = client.patch(
        f"/api/v1/requests/{request.id}", json={"cost_lines": lines, "version": got["version"]}, headers=lead
    )
    assert ok.status_code == 200, ok.json
    db.session.refresh(request)
    computed = [line for line in request.cost_lines if line.computed]
    assert [(line.amount_pence, line.computed_pence) for line in computed] == [(360_000, 360_000)]
    assert computed[0].person_id is not None and len(request.cost_lines) == len(lines)
    # Changing its amount, or leaving it out, is refused: it is overridden with a reason, or its person changed.
    for changed in (
        [dict(line, amount_pence=1) if line == worked else line for line in lines],
        [line for line in lines if line != worked],
    ):
        refused = client.patch(
            f"/api/v1/requests/{request.id}", json={"cost_lines": changed, "version": ok.json["version"]}, headers=lead
        )
        assert refused.status_code == 422 and "computed_line" in refused.json["errors"], refused.json
    db.session.refresh(request)
    assert [(line.amount_pence, line.computed_pence) for line in request.cost_lines if line.computed] == [
        (360_000, 360_000)
    ]


def test_salary_lines_that_no_longer_match_the_people_or_the_rate_card_stop_a_submission(people):
    from approvals import workflow

    request = make_request(people["lead"], officers=1, staff=0)
    add_rate(people["admin"], request.force_id)
    person = named(request, people["lead"])
    rates.compute_salary_lines(request.id, people["lead"])
    assert rates.stale_refusals(request) == []
    deployed.update(request.id, person.id, people["lead"], {"days": 12})
    with pytest.raises(Refused) as refused:
        workflow.submit(request.id, people["lead"])
    assert [r.rule for r in refused.value.refusals] == ["salary_lines_out_of_date"]
    rates.compute_salary_lines(request.id, people["lead"])
    # A new rate in force on the start date makes them out of date too.
    add_rate(people["admin"], request.force_id, pence=31_000, on=request.start_date)
    assert [r.rule for r in rates.stale_refusals(request)] == ["salary_lines_out_of_date"]
    rates.compute_salary_lines(request.id, people["lead"])
    workflow.submit(request.id, people["lead"])
    assert request.state == "awaiting_chief_officer"
