"""Lists and pages (issue 26 §5): the lead's inbox, the request page's order and grouped timeline, GOV.UK dates,
readable counts and the state diagram as a picture."""

from datetime import date, datetime, timedelta

from approvals import drafts, workflow
from approvals.template_helpers import date_format, datetime_format
from extensions import db
from tests.conftest import advance, make_request, sign_in


def test_the_leads_inbox_shows_everything_waiting_for_the_lead_with_what_to_do_and_when(app, people):
    draft = make_request(people["lead"], title="A draft")
    returned = advance(make_request(people["lead"], title="A returned one"), people, until="awaiting_chief_officer")
    workflow.decide(
        returned.id,
        people["chief"],
        workflow.DecisionInput(
            "return", "Which unit?", hr=workflow.human_rights.Assessment(residual="low"), ethics_confirmed=True
        ),
    )
    approved = advance(make_request(people["lead"], title="An approved one"), people)
    ended = advance(make_request(people["lead"], title="An ended deployment"), people)
    workflow.deploy(ended.id, people["lead"], date.today(), reason="Started early")
    ended.end_date = date.today() - timedelta(days=1)
    running = advance(make_request(people["lead"], title="A running deployment"), people)
    workflow.deploy(running.id, people["lead"], date.today(), reason="Started early")
    waiting = advance(
        make_request(people["lead"], title="At the chief officer"), people, until="awaiting_chief_officer"
    )
    db.session.commit()
    client = app.test_client()
    sign_in(client, people["lead"])
    page = client.get("/").get_data(as_text=True)
    for item in (draft, returned, approved, ended):
        assert item.reference in page, item.title
    assert running.reference not in page and waiting.reference not in page
    for count in (
        "1 draft to complete",
        "1 returned for more information",
        "1 approved: record the deployment",
        "1 deployment past its end date: close it",
    ):
        assert f"<li>{count}</li>" in page
    assert f"Record the deployment: starts {date_format(approved.start_date)}" in page
    assert f"Close it: ended {date_format(ended.end_date)}" in page


def test_a_deciders_counts_read_as_sentences(app, people):
    advance(make_request(people["lead"]), people, until="awaiting_pcc")
    client = app.test_client()
    sign_in(client, people["pcc"])
    assert "<li>1 awaiting PCC approval</li>" in client.get("/").get_data(as_text=True)


def test_the_request_page_shows_the_request_first_and_groups_drafting_changes(app, people):
    request = make_request(people["lead"])
    for n in range(3):
        drafts.update_fields(request.id, people["lead"], {"mission_reference": f"Op {n}"}, "personnel")
    drafts.update_fields(request.id, people["lead"], {"sensitive": True}, "flags")
    drafts.update_fields(request.id, people["lead"], {"sensitive": False}, "flags")
    workflow.submit(request.id, people["lead"])
    client = app.test_client()
    sign_in(client, people["lead"])
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert page.index("Requesting body</h2>") < page.index('id="timeline"')
    assert "5 changes while drafting" in page
    assert "Sections changed: People and coordinating unit, UK police work and sensitivity" in page
    assert "Answers changed: flags" not in page and "flags" not in page.split('id="timeline"')[1]


def test_dates_are_govuk_style_everywhere(app, people):
    assert date_format(date(2026, 11, 6)) == "6 November 2026" and date_format("2026-11-26") == "26 November 2026"
    assert datetime_format(datetime(2026, 11, 26, 14, 5)) == "26 November 2026 at 2:05pm"
    assert datetime_format(datetime(2026, 7, 1, 11, 0)) == "1 July 2026 at midday"  # 12:00 BST
    page = app.test_client().get("/transparency").get_data(as_text=True)
    assert f"{date_format(date.today())}</p>" in page and f"{date.today().isoformat()}" not in page


def test_the_workflow_help_shows_the_machines_picture_and_every_step_as_text(app, people):
    client = app.test_client()
    sign_in(client, people["lead"])
    page = client.get("/help/workflow").get_data(as_text=True)
    assert '<img class="s26-state-diagram" src="/static/workflow.svg" alt="' in page
    assert "stateDiagram" not in page
    assert "Require approval" in page and "it was returned at PCC approval" in page
    svg = client.get("/static/workflow.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
