"""Deciders see the decision in their own words (issue 26 §2): each gate's verb on its form, in lists, on the
timeline and the API; the ministerial acknowledgement only when a flag applies; a confirmation page after a
decision; a form that, after a return, starts from the submitter's current answers."""

import re

import pytest

from approvals import drafts, workflow
from approvals.human_rights import Assessment
from tests.conftest import advance, make_request, positive, sign_in
from tests.integration.test_api import token_for
from tests.integration.test_decision_pages import decide

VERBS = [
    ("awaiting_chief_officer", "chief", "Recommend", "Recommended"),
    ("awaiting_pcc", "pcc", "Approve", "Approved"),
    ("awaiting_home_secretary", "home_office", "Consent", "Consented"),
    ("awaiting_ipab", "ipab", "Confirm alignment", "Alignment confirmed"),
]


@pytest.mark.parametrize("state,who,verb,done", VERBS)
def test_each_gate_decides_in_its_own_words_and_sees_a_confirmation_page(app, people, state, who, verb, done):
    request = advance(make_request(people["lead"]), people, until=state)
    client = app.test_client()
    sign_in(client, people[who])
    form = client.get(f"/requests/{request.id}/decide").get_data(as_text=True)
    assert re.search(r'value="positive".{0,300}?>\s*' + verb + r"\s*</label>", form, re.S)
    assert "Positive decision" not in form
    assert "I acknowledge the high human-rights risk" not in form  # no flag applies
    response = decide(client, request)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/requests/{request.id}/decision-recorded"
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "govuk-panel--confirmation" in page and request.reference in page and f"<title>{done} –" in page
    assert "What happens next" in page and "govuk-notification-banner--success" not in page
    decided = client.get("/decided").get_data(as_text=True)
    assert done in decided and "Positive" not in decided
    api = app.test_client().get(f"/api/v1/requests/{request.id}", headers=token_for(people[who]))
    assert done in [d["outcome_label"] for d in api.get_json()["decisions"]]


def test_the_home_office_records_the_ministers_decision_and_is_never_asked_the_old_acknowledgement(app, people):
    # Issue 17 replaced the acknowledgement tick with a recorded ministerial decision at the Home Office gate.
    request = make_request(people["lead"], hr_residual="high", hr_mitigations="Escort")
    workflow.submit(request.id, people["lead"])
    high = workflow.DecisionInput(
        "positive", hr=Assessment(residual="high", mitigations="Escort"), ethics_confirmed=True
    )
    for who in ("chief", "pcc"):
        workflow.decide(request.id, people[who], high)
    client = app.test_client()
    sign_in(client, people["home_office"])
    page = client.get(f"/requests/{request.id}/decide").get_data(as_text=True)
    assert "I acknowledge the high human-rights risk" not in page
    assert "Record the ministers" in page


def test_after_a_return_the_form_starts_from_the_submitters_current_answers(app, people):
    request = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    workflow.decide(
        request.id,
        people["chief"],
        workflow.DecisionInput("return", "Which unit?", hr=Assessment(residual="medium"), ethics_confirmed=True),
    )
    drafts.update_fields(request.id, people["lead"], {"hr_residual": "low", "coordinating_unit": "ICU"})
    workflow.submit(request.id, people["lead"])
    client = app.test_client()
    sign_in(client, people["chief"])
    page = client.get(f"/requests/{request.id}/decide").get_data(as_text=True)
    # The decider does not retype the assessment (issue 24): the rating they may agree with is the submitter's
    # current one, not the returning decider's own.
    assert "I agree with the residual rating: Low" in page
    assert "I agree with the residual rating: Medium" not in page


def test_sign_in_to_continue_is_not_a_success(app):
    client = app.test_client()
    page = client.get("/requests", follow_redirects=True).get_data(as_text=True)
    assert "Sign in to continue" in page and "govuk-notification-banner--success" not in page


def test_the_timeline_says_where_a_request_was_declined(app, people):
    request = advance(make_request(people["lead"]), people, until="awaiting_pcc")
    workflow.decide(
        request.id,
        people["pcc"],
        workflow.DecisionInput("decline", "No funding", hr=Assessment(residual="low"), ethics_confirmed=True),
    )
    client = app.test_client()
    sign_in(client, people["lead"])
    assert "Declined at PCC approval" in client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert positive  # the shared helper stays imported for readers of this module


def test_the_confirmation_panel_escapes_the_title_but_not_its_own_markup(app, people):
    request = advance(make_request(people["lead"], title="Training <b>now</b>"), people, until="awaiting_chief_officer")
    client = app.test_client()
    sign_in(client, people["chief"])
    page = client.get(decide(client, request).headers["Location"]).get_data(as_text=True)
    assert f"Your decision on<br><strong>{request.reference}</strong><br>Training &lt;b&gt;now&lt;/b&gt;" in page
