"""Case notes: internal notes for deciders, notes the submitter sees, and @mentions that email only people
who may read the note."""

import pytest
from sqlalchemy import func, select

from approvals import notes, notifications, workflow
from extensions import db
from models import AuditEvent, CaseNote, OutboxMessage
from tests.conftest import advance, make_request, make_user, sign_in
from tests.integration.test_api import token_for
from tests.integration.test_outbox import smtp  # noqa: F401 - the real aiosmtpd server, as a fixture


@pytest.fixture
def tokens(people):
    return {name: token_for(user) for name, user in people.items()}


@pytest.fixture
def at_pcc(people):
    return advance(make_request(people["lead"]), people, until="awaiting_pcc")


def add(client, request, headers, text, visible=False):
    return client.post(
        f"/api/v1/requests/{request.id}/notes", json={"text": text, "visible_to_submitter": visible}, headers=headers
    )


def test_the_submitter_sees_only_the_notes_visible_to_them(client, tokens, at_pcc):
    assert add(client, at_pcc, tokens["pcc"], "Check the FCDO view before deciding").status_code == 201
    created = add(client, at_pcc, tokens["chief"], "Thank you for the quick answers", visible=True)
    assert created.status_code == 201
    assert set(created.json) == {"id", "text", "visible_to_submitter", "author", "created_at"}
    lead_view = client.get(f"/api/v1/requests/{at_pcc.id}/notes", headers=tokens["lead"]).json["items"]
    assert [n["text"] for n in lead_view] == ["Thank you for the quick answers"]
    decider_view = client.get(f"/api/v1/requests/{at_pcc.id}/notes", headers=tokens["home_office"]).json["items"]
    assert [n["visible_to_submitter"] for n in decider_view] == [False, True]


def test_the_lead_writes_notes_the_deciders_see_and_cannot_write_internal_ones(client, tokens, at_pcc):
    assert add(client, at_pcc, tokens["lead"], "Internal?", visible=False).status_code == 422
    assert add(client, at_pcc, tokens["lead"], "The host confirmed the dates", visible=True).status_code == 201
    items = client.get(f"/api/v1/requests/{at_pcc.id}/notes", headers=tokens["ipab"]).json["items"]
    assert [(n["author"], n["visible_to_submitter"]) for n in items] == [("lead@ny.example", True)]


def test_who_may_add_and_read_notes(client, tokens, at_pcc):
    assert add(client, at_pcc, tokens["other_chief"], "x").status_code == 404
    assert add(client, at_pcc, tokens["other_lead"], "x", visible=True).status_code == 404
    assert add(client, at_pcc, tokens["foi"], "x").status_code == 403
    assert add(client, at_pcc, tokens["admin"], "x").status_code == 403
    assert add(client, at_pcc, tokens["chief"], "  ").status_code == 422
    assert client.get(f"/api/v1/requests/{at_pcc.id}/notes", headers=tokens["other_pcc"]).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(CaseNote)) == 0


def test_a_mention_emails_the_person_a_link_through_the_real_smtp_server(app, people, tokens, at_pcc, smtp):  # noqa: F811
    note = notes.add(at_pcc.id, people["pcc"], "@ho@gov.example please look at the costings first", False)
    assert note.mentions == [people["home_office"].id]
    assert db.session.scalars(select(AuditEvent.event).where(AuditEvent.request_id == at_pcc.id)).all()[-1] == (
        "note_added"
    )
    notifications.send_due()
    mentions = [(rcpt, m) for rcpt, m in smtp.messages if "mentioned you" in m["Subject"]]
    assert [rcpt for rcpt, _ in mentions] == [["ho@gov.example"]]
    body = mentions[0][1].get_body(("plain",)).get_content()
    assert f"http://localhost/requests/{at_pcc.id}/notes" in body and "an internal note" in body
    assert "costings" not in body  # the note itself stays in the service


@pytest.mark.parametrize(
    "mentioned",
    [
        "chief@met.example",  # another force's chief officer: may not see this request
        "foi@gov.example",  # an FOI officer reads no request
        "nobody@nowhere.example",  # no such user: the same words, so nothing is revealed
    ],
)
def test_mentioning_someone_who_may_not_see_the_request_is_refused_and_tells_them_nothing(people, at_pcc, mentioned):
    with pytest.raises(workflow.Refused) as refused:
        notes.add(at_pcc.id, people["pcc"], f"Ask @{mentioned} about this", True)
    assert [r.message for r in refused.value.refusals] == [
        f"You cannot mention {mentioned}: only people who can see this request can be mentioned"
    ]
    assert db.session.scalar(select(func.count()).select_from(CaseNote)) == 0
    assert (
        db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.template == "mentioned"))
        == 0
    )


def test_an_internal_note_cannot_mention_the_submitter(people, at_pcc):
    with pytest.raises(workflow.Refused) as refused:
        notes.add(at_pcc.id, people["pcc"], "@lead@ny.example will not see this", False)
    assert "only people who can see this internal note" in refused.value.refusals[0].message
    note = notes.add(at_pcc.id, people["pcc"], "@lead@ny.example please confirm the dates", True)
    assert note.mentions == [people["lead"].id]


def test_a_draft_is_private_to_its_force_leads_even_by_mention(people):
    draft = make_request(people["lead"])
    colleague = make_user("lead2@ny.example", "force_lead", force_slug="north-yorkshire")
    note = notes.add(draft.id, people["lead"], "@lead2@ny.example can you check the costs?", True)
    assert note.mentions == [colleague.id]
    with pytest.raises(workflow.Refused):
        notes.add(draft.id, people["lead"], "@chief@ny.example have a look", True)


def test_the_notes_page(app, people, at_pcc):
    pcc = app.test_client()
    sign_in(pcc, people["pcc"])
    empty = pcc.post(f"/requests/{at_pcc.id}/notes", data={"text": "", "visible_to_submitter": "no"})
    assert "Enter your note" in empty.get_data(as_text=True)
    refused = pcc.post(
        f"/requests/{at_pcc.id}/notes", data={"text": "Ask @chief@met.example", "visible_to_submitter": "no"}
    ).get_data(as_text=True)
    assert "<title>Error: " in refused and "You cannot mention chief@met.example" in refused
    assert "Ask @chief@met.example" in refused  # the answer is kept
    done = pcc.post(f"/requests/{at_pcc.id}/notes", data={"text": "Internal view", "visible_to_submitter": "no"})
    assert done.status_code == 302
    lead = app.test_client()
    sign_in(lead, people["lead"])
    assert "Internal view" not in lead.get(f"/requests/{at_pcc.id}/notes").get_data(as_text=True)
    assert lead.post(f"/requests/{at_pcc.id}/notes", data={"text": "Dates confirmed"}).status_code == 302
    assert "Dates confirmed" in pcc.get(f"/requests/{at_pcc.id}/notes").get_data(as_text=True)
    foi = app.test_client()
    sign_in(foi, people["foi"])
    assert foi.get(f"/requests/{at_pcc.id}/notes").status_code == 403


def test_the_submitters_timeline_does_not_show_that_an_internal_note_was_added(app, people, at_pcc):
    notes.add(at_pcc.id, people["pcc"], "Internal view", False)
    notes.add(at_pcc.id, people["pcc"], "For the submitter", True)
    lead = app.test_client()
    sign_in(lead, people["lead"])
    assert lead.get(f"/requests/{at_pcc.id}").get_data(as_text=True).count("Case note added") == 1
    pcc = app.test_client()
    sign_in(pcc, people["pcc"])
    assert pcc.get(f"/requests/{at_pcc.id}").get_data(as_text=True).count("Case note added") == 2
