"""Two saves of the same draft at the same moment (two tabs, a double click): one wins, the other is a clear
409, never a 500; the edit is audited once, as a transition is."""

import re
import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from approvals import drafts, workflow
from extensions import db
from models import AssistanceRequest, AuditEvent, User
from tests.conftest import make_request, sign_in
from tests.integration.test_api import token_for


def _together(app, calls):
    """Run each call in its own thread and app context, all released at once; returns their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = []
    lock = threading.Lock()

    def run(call):
        with app.app_context():
            db.session.commit()  # no connection held while waiting at the barrier
            barrier.wait()
            try:
                result = call()
            except Exception as error:  # noqa: BLE001 - the test reports whatever happened
                result = error
            finally:
                db.session.remove()
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def _events(request_id):
    return db.session.scalars(
        select(AuditEvent.event).where(AuditEvent.request_id == request_id).order_by(AuditEvent.seq)
    ).all()


@pytest.fixture
def draft(people):
    """A complete draft, as the id and version a page or an API client would hold."""
    request = make_request(people["lead"])
    return SimpleNamespace(id=request.id, version=request.version)


def test_two_simultaneous_saves_of_a_draft_give_one_success_and_one_conflict(app, people, draft):
    lead_id, request_id, version = people["lead"].id, draft.id, draft.version

    def save(title):
        def call():
            lead = db.session.get(User, lead_id)
            return drafts.update_fields(request_id, lead, {"title": title}, "about", expected_version=version)

        return call

    outcomes = _together(app, [save("First tab"), save("Second tab")])

    conflicts = [o for o in outcomes if isinstance(o, workflow.Conflict)]
    assert len(conflicts) == 1 and conflicts[0].status == 409, outcomes
    assert [o for o in outcomes if not isinstance(o, Exception)] == [["title"]], outcomes
    db.session.expire_all()
    assert db.session.get(AssistanceRequest, request_id).title in ("First tab", "Second tab")
    assert _events(request_id) == ["created", "document_uploaded", "edited:about"]


def test_two_simultaneous_money_changes_give_one_success_and_one_conflict(app, people, draft):
    lead_id, request_id, version = people["lead"].id, draft.id, draft.version

    def add(amount):
        def call():
            lead = db.session.get(User, lead_id)
            return drafts.add_cost_line(request_id, lead, "travel", amount, expected_version=version)

        return call

    outcomes = _together(app, [add(10_000), add(20_000)])

    assert sum(isinstance(o, workflow.Conflict) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, AssistanceRequest) for o in outcomes) == 1, outcomes
    assert _events(request_id) == ["created", "document_uploaded", "edited:costs"]


def test_two_tabs_saving_one_section_the_second_is_told_and_keeps_its_answers(app, people, draft):
    first, second = app.test_client(), app.test_client()
    sign_in(first, people["lead"])
    sign_in(second, people["lead"])
    path = f"/requests/{draft.id}/sections/about"
    body = {"requesting_body": "Ministry of the Interior", "requesting_body_kind": "foreign_government"}

    outcomes = _together(
        app,
        [
            lambda: first.post(path, data={**body, "title": "From the first tab", "version": str(draft.version)}),
            lambda: second.post(path, data={**body, "title": "From the second tab", "version": str(draft.version)}),
        ],
    )

    statuses = sorted(response.status_code for response in outcomes)
    assert statuses == [302, 409], statuses
    refused = next(response for response in outcomes if response.status_code == 409)
    page = refused.get_data(as_text=True)
    assert "This request has changed since you opened it" in page
    kept = "From the second tab" if "From the second tab" in page else "From the first tab"
    assert f'value="{kept}"' in page  # the refused tab's answer is still in its form
    assert _events(draft.id) == ["created", "document_uploaded", "edited:about"]
    # Having read the message, saving again saves: the refused form now carries the current version.
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page) or re.search(
        r'name="version" value="(\d+)"', page
    )
    client = first if "From the first tab" in page else second
    again = client.post(path, data={**body, "title": kept, "version": version.group(1)})
    assert again.status_code == 302
    assert _events(draft.id) == ["created", "document_uploaded", "edited:about", "edited:about"]


def test_two_simultaneous_api_patches_give_one_success_and_one_409_problem(app, people, draft):
    client, headers = app.test_client(), token_for(people["lead"])
    path = f"/api/v1/requests/{draft.id}"

    outcomes = _together(
        app,
        [
            lambda: client.patch(path, json={"officers": 3, "version": draft.version}, headers=headers),
            lambda: client.patch(path, json={"officers": 4, "version": draft.version}, headers=headers),
        ],
    )

    assert sorted(response.status_code for response in outcomes) == [200, 409]
    refused = next(response for response in outcomes if response.status_code == 409)
    assert refused.mimetype == "application/problem+json" and refused.json["status"] == 409
    assert _events(draft.id) == ["created", "document_uploaded", "edited:api"]


def test_an_edit_after_submission_is_refused_with_409_and_changes_nothing(people, draft):
    workflow.submit(draft.id, people["lead"])
    with pytest.raises(workflow.WrongState):
        drafts.update_fields(draft.id, people["lead"], {"title": "Too late"})
    with pytest.raises(workflow.WrongState):
        drafts.add_funding(draft.id, people["lead"], "fcdo", 100, True)
    db.session.expire_all()
    assert db.session.get(AssistanceRequest, draft.id).title != "Too late"
    assert _events(draft.id) == ["created", "document_uploaded", "submit"]


def test_an_api_create_audits_its_money_lines_in_the_created_event(client, people):
    from tests.integration.test_api import full_body

    created = client.post("/api/v1/requests", json=full_body(), headers=token_for(people["lead"])).json
    request = db.session.get(AssistanceRequest, created["id"])
    assert request.cost_lines and _events(request.id) == ["created"]
    from approvals import audit

    event = db.session.scalars(select(AuditEvent).where(AuditEvent.request_id == request.id)).one()
    assert event.snapshot_hash == audit.snapshot_hash(request)  # the snapshot covers the money lines
