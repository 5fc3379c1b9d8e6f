"""The kinds of assistance (issue 23 section 3): officers deployed overseas, foreign personnel trained in the UK, a
hosted delegation, advice given remotely. Each asks only what fits it and appears in the FOI statistics."""

from datetime import date, timedelta

from approvals import drafts, transparency, workflow
from approvals.commands import Refused
from extensions import db
from models import AssistanceRequest, CostLine
from tests.conftest import advance, make_request, sign_in
from tests.integration.test_api import full_body, token_for

TODAY = date.today()


def test_a_uk_training_course_asks_how_many_are_trained_and_where(client, people):
    request = make_request(people["lead"], assistance_kind="training_in_uk")
    personnel = drafts.SECTION_BY_KEY["personnel"]
    assert drafts.section_status(request, personnel) == drafts.IN_PROGRESS
    sign_in(client, people["lead"])
    page = client.get(f"/requests/{request.id}/sections/personnel").get_data(as_text=True)
    assert "How many foreign personnel will be trained or hosted?" in page and "Where in the UK?" in page
    with_errors = client.post(
        f"/requests/{request.id}/sections/personnel",
        data={
            "officers": "2",
            "staff": "0",
            "personnel_roles": "2 trainers",
            "coordinating_unit": "Training",
            "version": str(request.version),
        },
    ).get_data(as_text=True)
    assert "Enter how many foreign personnel will be trained or hosted" in with_errors
    saved = client.post(
        f"/requests/{request.id}/sections/personnel",
        data={
            "officers": "2",
            "staff": "0",
            "personnel_roles": "2 trainers",
            "coordinating_unit": "Training",
            "foreign_personnel": "30",
            "location": "College of Policing, Ryton",
        },
    )
    assert saved.status_code == 302
    request = db.session.get(AssistanceRequest, request.id)
    assert (request.foreign_personnel, request.location) == (30, "College of Policing, Ryton")
    assert drafts.section_status(request, personnel) == drafts.COMPLETED


def test_a_deployment_overseas_is_not_asked_about_foreign_personnel(client, people):
    request = make_request(people["lead"])
    sign_in(client, people["lead"])
    page = client.get(f"/requests/{request.id}/sections/personnel").get_data(as_text=True)
    assert "foreign personnel" not in page and "Where in the UK?" not in page
    page = client.get(f"/requests/{request.id}/sections/kind").get_data(as_text=True)
    assert "Foreign personnel trained in the UK" in page and "Advice given remotely" in page


def test_remote_advice_has_no_travel_costs(client, people):
    request = make_request(people["lead"], assistance_kind="remote_advice", cost_lines=[])
    try:
        drafts.add_cost_line(request.id, people["lead"], "travel", 50_000)
    except Refused as error:
        assert [r.rule for r in error.refusals] == ["category"]
    else:
        raise AssertionError("a travel cost was accepted for remote advice")
    drafts.add_cost_line(request.id, people["lead"], "salaries", 50_000)
    lead = token_for(people["lead"])
    body = full_body(assistance_kind="remote_advice")
    body["cost_lines"] = [{"category": "accommodation", "amount_pence": 1000}]
    refused = client.post("/api/v1/requests", json=body, headers=lead)
    assert refused.status_code == 422 and "cost_lines" in refused.json["errors"]


def test_the_api_takes_and_shows_the_kind(client, people):
    lead = token_for(people["lead"])
    created = client.post(
        "/api/v1/requests",
        json=full_body(assistance_kind="hosted_delegation", foreign_personnel=12, location="Northallerton"),
        headers=lead,
    )
    assert created.status_code == 201, created.json
    assert (created.json["assistance_kind"], created.json["foreign_personnel"], created.json["location"]) == (
        "hosted_delegation",
        12,
        "Northallerton",
    )
    bad = client.post("/api/v1/requests", json=full_body(assistance_kind="tourism"), headers=lead)
    assert bad.status_code == 422 and "assistance_kind" in bad.json["errors"]
    bad = client.post("/api/v1/requests", json=full_body(foreign_personnel=0), headers=lead)
    assert bad.status_code == 422 and "foreign_personnel" in bad.json["errors"]


def test_foi_statistics_break_down_by_kind_and_count_the_foreign_personnel_trained(people):
    past = {"start_date": TODAY - timedelta(days=30), "end_date": TODAY - timedelta(days=20)}
    advance(make_request(people["lead"], **past), people)
    advance(
        make_request(
            people["lead"],
            assistance_kind="training_in_uk",
            foreign_personnel=270,
            location="College of Policing, Ryton",
            destination="SA",
            **past,
        ),
        people,
    )
    remote = make_request(people["lead"], assistance_kind="remote_advice", **past)
    remote.cost_lines = [CostLine(category="salaries", amount_pence=100_000)]
    db.session.commit()
    advance(remote, people)
    data = transparency.foi_statistics(TODAY - timedelta(days=365), TODAY).as_json()
    kinds = {row["key"]: (row["label"], row["deployments"]) for row in data["assistance_kind"]}
    assert kinds == {
        "deployment_overseas": ("Officers or staff deployed overseas", 1),
        "training_in_uk": ("Foreign personnel trained in the UK", 1),
        "remote_advice": ("Advice given remotely, with no travel", 1),
    }
    assert data["totals"]["foreign_personnel"] == 270
    csv_text = transparency.to_csv(transparency.foi_statistics(TODAY - timedelta(days=365), TODAY))
    assert "Kind of assistance,Foreign personnel trained in the UK,1" in csv_text


def test_the_deployment_step_reads_for_the_kind(client, people):
    course = make_request(people["lead"], assistance_kind="training_in_uk", foreign_personnel=5, location="Ryton")
    request = advance(course, people)
    sign_in(client, people["lead"])
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "Record the start of the training" in page
    workflow.deploy(request.id, people["lead"])
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "Training started" in page
