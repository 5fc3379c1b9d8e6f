"""Every page, as Notify's page fixture checks them: it answers 200 for the person it is for, has one <h1>,
and its <title> starts with that <h1> (then the request's reference, the service, GOV.UK); a form sent with
errors puts "Error: " in the title and the error summary at the top. A new page must be added here."""

import html
import re
from datetime import date, timedelta

import pytest

from approvals import disclosure, queries, rates, route, workflow
from approvals import people as people_service
from tests.conftest import advance, make_request, sign_in

# Endpoints that are not pages of their own: sign-in steps (their own work), assets, the health check.
# A document download is a file, and an invitation's page needs a token only its email carries (both have tests
# of their own: tests/integration/test_documents.py, tests/security/test_two_factor_and_invitations.py).
NOT_PAGES = {
    "auth.sign_in",
    "auth.two_factor",
    "auth.set_up_two_factor",
    "auth.invitation",
    "casefile.download",
    "requests.authority_letter",
    "govuk_assets",
    "main.health",
    "static",
}

# endpoint: (who, path), with {draft}, {waiting}, {approved}, {deployed}, {submitted}, {user} filled in.
PAGES = {
    "main.home": ("lead", "/"),
    "main.workflow_help": ("lead", "/help/workflow"),
    "auth.account": ("lead", "/account"),
    "requests.list_requests": ("lead", "/requests"),
    "requests.new": ("lead", "/requests/new"),
    "requests.task_list": ("lead", "/requests/{draft}/tasks"),
    "requests.edit_section": ("lead", "/requests/{draft}/sections/about"),
    "requests.costs": ("lead", "/requests/{draft}/costs"),
    "requests.remove_cost": ("lead", "/requests/{draft}/costs/{cost_line}/remove"),
    "requests.remove_funding": ("lead", "/requests/{draft}/funding/{funding}/remove"),
    "requests.check": ("lead", "/requests/{draft}/check"),
    "requests.submitted": ("lead", "/requests/{submitted}/submitted"),
    "requests.show": ("lead", "/requests/{waiting}"),
    "requests.withdraw": ("lead", "/requests/{waiting}/withdraw"),
    "requests.deploy": ("lead", "/requests/{approved}/deploy"),
    "requests.close": ("lead", "/requests/{deployed}/close"),
    "requests.deploy_check": ("lead", "/requests/{approved}/deploy/check"),
    "requests.close_check": ("lead", "/requests/{deployed}/close/check"),
    "requests.correct": ("lead", "/requests/{deployed}/correct"),
    "requests.find_for_correction": ("admin", "/requests/corrections"),
    "requests.require_approval": ("chief", "/requests/{not_required}/require-approval"),
    "decisions.decide": ("chief", "/requests/{waiting}/decide"),
    "decisions.decided": ("chief", "/decided"),
    "decisions.recorded": ("chief", "/requests/{pcc_waiting}/decision-recorded"),
    "reports.foi": ("foi", "/reports/foi"),
    "reports.transparency": (None, "/transparency"),
    "admin.users": ("admin", "/admin/users"),
    "admin.user": ("admin", "/admin/users/{user}"),
    "admin.outbox": ("admin", "/admin/outbox"),
    "admin.country_notes": ("admin", "/admin/country-notes"),
    "admin.principles": ("admin", "/admin/principles"),
    "delegations.delegations": ("chief", "/delegations"),
    "delegations.away": ("pcc", "/account/away"),
    "delegations.active": ("admin", "/admin/delegations"),
    "casefile.documents_page": ("lead", "/requests/{draft}/documents"),
    "casefile.notes_page": ("chief", "/requests/{waiting}/notes"),
    "casefile.ask": ("chief", "/requests/{waiting}/questions/new"),
    "casefile.answer": ("lead", "/requests/{asked}/questions/{query}/answer"),
    "casefile.waiting": ("chief", "/waiting-for-submitter"),
    "outputs.period_return": ("pcc", "/reports/returns"),
    "outputs.national": ("home_office", "/reports/national"),
    "assessment.osja_edit": ("lead", "/requests/{draft}/osja"),
    "assessment.consultees": ("lead", "/requests/{draft}/osja/consultees"),
    "assessment.osja_versions": ("chief", "/requests/{waiting}/osja/versions"),
    "assessment.review": ("pcc", "/requests/{long_running}/osja/review"),
    "assessment.people_list": ("chief", "/requests/{waiting}/people"),
    "assessment.add_person": ("lead", "/requests/{draft}/people/add"),
    "assessment.edit_person": ("lead", "/requests/{draft}/people/{person}"),
    "assessment.override_salary": ("lead", "/requests/{draft}/costs/{salary_line}/override"),
    "admin.rate_card": ("admin", "/admin/rates"),
    "disclosure.foi_cases": ("foi", "/foi-cases"),
    "disclosure.new_foi_case": ("foi", "/foi-cases/new"),
    "disclosure.foi_case": ("foi", "/foi-cases/{foi_case}"),
    "disclosure.new_foi_item": ("foi", "/foi-cases/{foi_case}/questions/{foi_question}/items/new"),
    "disclosure.foi_item": ("foi", "/foi-cases/{foi_case}/items/{foi_item}"),
    "disclosure.foi_response": ("foi", "/foi-cases/{foi_case}/response"),
    "disclosure.decision_records": ("pcc", "/decision-records"),
    "disclosure.decision_record": ("pcc", "/decision-records/{record}"),
    "disclosure.withdraw_decision_record": ("pcc", "/decision-records/{record}/withdraw"),
    "disclosure.published_decisions": (None, "/decisions/north-yorkshire"),
    "disclosure.force_transparency": (None, "/transparency/north-yorkshire"),
    "requests.contributing_forces": ("lead", "/requests/{draft}/contributing-forces"),
    "authorisations.authorisations": ("home_office", "/general-authorisations"),
    "authorisations.new_authorisation": ("home_office", "/general-authorisations/new"),
    "authorisations.authorisation": ("lead", "/general-authorisations/{ga}"),
    "authorisations.revoke": ("home_office", "/general-authorisations/{ga}/revoke"),
    "authorisations.covered": ("home_office", "/general-authorisations/covered"),
    "authorisations.call_in": ("home_office", "/requests/{covered}/call-in"),
}

def _date_boxes(day):
    return [str(day.day), str(day.month), str(day.year)]


def _approved_dates(request_id):
    from extensions import db
    from models import AssistanceRequest

    request = db.session.get(AssistanceRequest, request_id)
    return request.start_date, request.end_date


FILLED_FIRST = {
    "requests.deploy_check": (
        "/requests/{approved}/deploy",
        lambda ids: {"deployed_on": _date_boxes(_approved_dates(ids["approved"])[0])},
    ),
    "requests.close_check": (
        "/requests/{deployed}/close",
        lambda ids: {
            "ended_on": _date_boxes(_approved_dates(ids["deployed"])[1]),
            "actual_cost": "14000",
            "recovered": "14000",
        },
    ),
}

# A form sent empty (or wrong) on each page that has one.
FORMS_WITH_ERRORS = [
    ("lead", "/requests/new", {}),
    ("lead", "/requests/{draft}/sections/about", {"title": ""}),
    ("lead", "/requests/{draft}/costs", {"cost-submit": "y"}),
    ("lead", "/requests/{draft}/costs/{cost_line}/remove", {}),
    ("lead", "/requests/{waiting}/withdraw", {"reason": ""}),
    ("lead", "/requests/{approved}/deploy", {}),
    ("lead", "/requests/{deployed}/close", {"actual_cost": "x"}),
    ("lead", "/requests/{deployed}/correct", {"field": "deployed_on"}),
    ("home_office", "/general-authorisations/new", {}),
    ("lead", "/requests/{draft}/contributing-forces", {"force": ""}),
    ("home_office", "/general-authorisations/{ga}/revoke", {"reason": ""}),
    ("home_office", "/requests/{covered}/call-in", {"reasons": ""}),
    ("chief", "/requests/{waiting}/decide", {"hr_residual": "low"}),
    ("chief", "/delegations", {"delegate_email": "", "reason": ""}),
    ("pcc", "/account/away", {"deputy_email": ""}),
    ("lead", "/requests/{draft}/osja", {"contributes": "yes", "residual": "low"}),
    ("lead", "/requests/{draft}/osja/consultees", {"organisation": ""}),
    ("lead", "/requests/{draft}/people/add", {"name": ""}),
    ("pcc", "/requests/{long_running}/osja/review", {}),
    ("lead", "/requests/{draft}/costs/{salary_line}/override", {"amount": "100"}),
    ("admin", "/admin/rates", {"rank": ""}),
    ("lead", "/requests/{draft}/funding/{funding}/remove", {}),
    ("chief", "/requests/{not_required}/require-approval", {"reasons": ""}),
    ("lead", "/requests/{draft}/people/{person}", {"name": ""}),
    ("lead", "/requests/{draft}/documents", {"document-kind": "other"}),
    ("chief", "/requests/{waiting}/notes", {"text": ""}),
    ("chief", "/requests/{waiting}/questions/new", {"question": ""}),
    ("lead", "/requests/{asked}/questions/{query}/answer", {"answer": ""}),
    ("lead", "/account", {"password-submit": "y", "password-current": ""}),
    ("admin", "/admin/users", {"email": ""}),
    ("admin", "/admin/country-notes", {"country_code": ""}),
    ("admin", "/admin/principles", {"body": ""}),
    ("foi", "/foi-cases/new", {}),
    ("foi", "/foi-cases/{foi_case}/questions/{foi_question}/items/new", {"label": ""}),
    ("foi", "/foi-cases/{foi_case}/items/{foi_item}", {"label": ""}),
    ("pcc", "/decision-records/{record}", {"title": ""}),
    ("pcc", "/decision-records/{record}/withdraw", {"reason": ""}),
]


# Pages with a form whose error state is checked elsewhere, or that cannot be sent wrong.
FORMS_CHECKED_ELSEWHERE = {
    "requests.check": "a refused submission's summary and title: tests/integration/test_request_journey.py",
    "requests.deploy_check": "it confirms answers given on the deploy page, whose errors are that page's",
    "requests.close_check": "it confirms answers given on the close page, whose errors are that page's",
    "admin.user": "three tick boxes and a button: nothing in it can be wrong",
}


class _AnyId(dict):
    def __missing__(self, key):
        return "GA-2026-01" if key == "ga" else "1"


def test_every_page_with_a_form_is_sent_with_errors_here(app):
    adapter = app.url_map.bind("localhost")
    sent = {adapter.match(path.format_map(_AnyId()), method="POST")[0] for _, path, _ in FORMS_WITH_ERRORS}
    with_forms = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if {"GET", "POST"} <= rule.methods and not rule.endpoint.startswith("api.")
    }
    assert with_forms - NOT_PAGES - set(FORMS_CHECKED_ELSEWHERE) == sent


def _text(fragment):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def _title_and_h1s(page):
    title = _text(re.search(r"<title>(.*?)</title>", page, re.S).group(1))
    return title, [_text(h1) for h1 in re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S)]


@pytest.fixture
def ids(people):
    draft = make_request(people["lead"])
    waiting = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    submitted = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    approved = advance(make_request(people["lead"]), people)
    deployed = advance(make_request(people["lead"]), people)
    workflow.deploy(deployed.id, people["lead"])
    asked = advance(make_request(people["lead"]), people, until="awaiting_chief_officer")
    not_required = make_request(people["lead"], uk_investigation=True, uk_investigation_justification="Witness")
    workflow.submit(not_required.id, people["lead"])
    query = queries.ask(asked.id, people["chief"], "Who signed the invitation?")
    case = disclosure.open_case(people["foi"], "Deployments", date.today(), ["How many officers?"])
    item = disclosure.save_item(
        case.questions[0], people["foi"], {"label": "Officers", "source": "total_officers", "decision": "disclose"}
    )
    pcc_waiting = advance(make_request(people["lead"]), people, until="awaiting_pcc")  # the chief recommended it
    advance(make_request(people["lead"]), people, until="awaiting_home_secretary")  # the PCC approved it
    disclosure.ensure_decision_records(people["pcc"].force_id)
    record = disclosure.decision_records(people["pcc"].force_id)[0]
    start = date.today() - timedelta(days=400)
    long_running = advance(
        make_request(people["lead"], start_date=start, end_date=start + timedelta(days=800), retrospective=True),
        people,
    )
    person = people_service.add(
        draft.id,
        people["lead"],
        {"name": "Alex Example", "email": "alex@ny.example", "kind": "officer", "rank": "Sergeant", "days": 10},
    )
    rates.add_rate(
        people["admin"],
        {
            "force_id": draft.force_id,
            "rank": "Sergeant",
            "daily_rate_pence": 30_000,
            "overtime_percent": 150,
            "overhead_percent": 10,
            "effective_from": date(2020, 1, 1),
        },
    )
    rates.compute_salary_lines(draft.id, people["lead"])
    salary_line = next(line for line in draft.cost_lines if line.computed)
    ga = route.record(
        people["home_office"],
        route.AuthorisationInput(
            reference="GA-2026-01",
            title="Training anywhere",
            valid_from=date.today(),
            valid_to=date.today().replace(year=date.today().year + 1),
        ),
    )
    covered = make_request(people["lead"], general_authorisation=ga.reference)
    covered = advance(covered, people, until="awaiting_chief_officer")
    return {
        "long_running": long_running.id,
        "person": person.id,
        "salary_line": salary_line.id,
        "ga": ga.reference,
        "covered": covered.id,
        "foi_case": case.id,
        "foi_question": case.questions[0].id,
        "foi_item": item.id,
        "record": record.id,
        "asked": asked.id,
        "pcc_waiting": pcc_waiting.id,
        "not_required": not_required.id,
        "query": query.id,
        "draft": draft.id,
        "cost_line": draft.cost_lines[0].id,
        "funding": draft.funding[0].id,
        "waiting": waiting.id,
        "submitted": submitted.id,
        "approved": approved.id,
        "deployed": deployed.id,
        "user": people["pcc"].id,
    }


def test_every_page_is_in_the_list(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    pages = {endpoint for endpoint in endpoints if not endpoint.startswith("api.")} - NOT_PAGES
    assert pages == set(PAGES)


@pytest.mark.parametrize("endpoint", sorted(PAGES))
def test_each_page_answers_with_one_h1_that_starts_its_title(app, people, ids, endpoint):
    who, path = PAGES[endpoint]
    client = app.test_client()
    if who:
        sign_in(client, people[who])
    if endpoint in FILLED_FIRST:  # a check-your-answers page shows what its form was sent
        form_path, data = FILLED_FIRST[endpoint]
        assert client.post(form_path.format(**ids), data=data(ids)).status_code == 302
    response = client.get(path.format(**ids))
    assert response.status_code == 200
    title, h1s = _title_and_h1s(response.get_data(as_text=True))
    assert len(h1s) == 1, h1s
    assert title.startswith(f"{h1s[0]} – "), (title, h1s[0])
    assert not title.startswith("Error: ")


@pytest.mark.parametrize("who,path,data", FORMS_WITH_ERRORS, ids=[path for _, path, _ in FORMS_WITH_ERRORS])
def test_a_form_with_errors_says_so_in_the_title_and_the_summary(app, people, ids, who, path, data):
    client = app.test_client()
    sign_in(client, people[who])
    response = client.post(path.format(**ids), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    title, h1s = _title_and_h1s(page)
    assert title.startswith(f"Error: {h1s[0]} – "), title
    assert page.index("govuk-error-summary") < page.index("<h1")
