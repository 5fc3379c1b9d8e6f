"""Disclosure (issue 25): FOI cases answered item by item as the seed forces answered, response letters, PCC
decision records and the per-force transparency page, with sensitive requests never counted or revealed."""

import io
import json
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from approvals import disclosure, workflow
from approvals.human_rights import Assessment
from extensions import db
from models import ApiToken, DecisionRecord, DisclosureEvent, FoiCase
from tests.conftest import advance, make_request, make_user, sign_in

TODAY = date.today()


def ago(days):
    return TODAY - timedelta(days=days)


@pytest.fixture
def foi(people):
    """A national FOI officer, and one each for the Met and North Yorkshire."""
    return {
        "national": people["foi"],
        "met": make_user("foi@met.example", "foi_officer", force_slug="metropolitan"),
        "ny": make_user("foi@ny.example", "foi_officer", force_slug="north-yorkshire"),
    }


@pytest.fixture
def deployments(people):
    """The Met: two deployments (5 officers) in the last year; North Yorkshire: one; one Met deployment is sensitive
    only where a test adds it."""
    lead, met_lead = people["lead"], people["other_lead"]
    made = {
        "ny": make_request(lead, title="ny", destination="KY", start_date=ago(60), end_date=ago(41), officers=2),
        "met_pk": make_request(
            met_lead, title="met pk", destination="PK", start_date=ago(90), end_date=ago(80), officers=3, staff=1
        ),
        "met_gi": make_request(
            met_lead, title="met gi", destination="GI", start_date=ago(40), end_date=ago(30), officers=2, staff=0
        ),
    }
    for request in made.values():
        advance(request, people)
    return made


def add_sensitive(people):
    secret = make_request(
        people["other_lead"],
        title="secret",
        destination="AE",
        start_date=ago(30),
        end_date=ago(20),
        officers=7,
        sensitive=True,
    )
    advance(secret, people)
    return secret


# --- The seeds' FOI requests, word for word (the public pages the project began from, ../shared/seeds, copied into
# tests/fixtures/seeds so a clone alone runs them; the last tests of this module check every text below against
# them, so a paraphrase cannot pass for a seed's question) ----------------------------------------------------------

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
SHARED_SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
MET_DEPLOYMENTS_SEED = "foi-met-01.FOI.23.034376-deployments.txt"
MET_PERIOD_LINE = (
    "Please answer the following questions for the time period between 1 January 2023 and 31 October 2023:"
)
MET_QUESTIONS = [
    "1) Please can you provide me with the names of all the countries that officers from your force were deployed "
    "to, to either assist or train local law enforcement or as a response to requests from foreign "
    "governments/police forces after a major incident such as a terror attack (please specify), along with the "
    "number of officers that were deployed to each country? Please can you tell me the total cost of each deployment "
    "(with the breakdown of the costs incurred).",
]
MET_TRAINING_SEED = "foi-met-01.FOI.23.032832-training-exchange.txt"
MET_TRAINING_QUESTIONS = [
    "i) Has the Met Police run training or exchange programmes with Israel's police or military from 2020 to present?",
    "ii) If yes, I request the itinerary and timetable of the training or exchange programme.",
    "iii) Has the Met Police Senior Management Team held any event with Israel's police or military from 2020 to "
    "present?",
    "iv) If yes, I request the itinerary and timetable of the event",
]
MET_DELEGATION = "On Wednesday 18 May 2022, the Met's Central East Command Unit hosted an Israeli police delegation."
NY_SEED = "foi-north-yorkshire-international-deployments.txt"
NY_QUESTIONS = [
    "Q1. Please can I request the total number of international deployments undertaken by your force in the last 24 "
    "months, split by (where possible):\n(a) police officers and (b) police staff; and operational vs non operational "
    "(as defined below).",
    "If within the S12 cost limit, can I please also request a breakdown of the deployments by:\n"
    "* Destination country/territory;\n"
    "* Primary purpose/theme, e.g., executive policing/public order/investigation/DVI (operational) or "
    "training/mentoring/monitoring/advising/programme management (non operational);\n"
    "* Sponsoring/commissioning body (e.g., Home Office, FCDO, UN, EU, OSCE, bilateral partner);\n"
    "* Duration (e.g., <2 weeks; 2-12 weeks; >12 weeks).\n"
    "* Where you hold it, please provide the unit or department within your force that coordinated the "
    "deployment/operation/mission name or reference.",
]
# What each seed's answer cites, in the seed's own words: the test of each answer cites the same sections.
SEED_CITATIONS = {
    MET_DEPLOYMENTS_SEED: (
        "Section 24(1) – National Security",
        "Section 27(1)(a)(c) – International Relations",
        "Section 31(1)(a)(b) – Law Enforcement",
        "Section 23(5) - Information supplied by, or concerning, certain security bodies",
        "Section 24(2) - National Security",
        "49 officers were deployed",
    ),
    MET_TRAINING_SEED: (
        "Section 24(1) National Security",
        "Section 27(1) - International Relations",
        "Section 31(1)(a)(b) - Law Enforcement",
        "Section 23(5) - Information supplied by, or concerning, certain Security Bodies",
        "Section 24(2) – National Security",
        "Section 31(3) – Law Enforcement",
        "In a partial answer to your first and third answer, " + MET_DELEGATION,
    ),
    NY_SEED: ("S23(5) Information", "S24(2) National Security", "S27(4) International Relations", "S31(3) Law"),
}
PIT = {
    "pit_for": "Transparency in how public money is spent and how the police operate overseas.",
    "pit_against": "Disclosure would give those intent on harm intelligence on police deployments overseas.",
    "pit_conclusion": "The balance favours non-disclosure.",
}


OFFICERS_DEPLOYED = (
    "Officers deployed to countries to either assist or train local law enforcement or as a response to requests from "
    "foreign governments/police forces"
)


def answer_as_the_met(case, actor):
    """Seed 01.FOI.23.034376: the total officers disclosed; the countries, the number of officers per country, the cost
    of each deployment and the reasons withheld under s24(1), s27(1)(a)(c), s31(1)(a)(b); anything else neither
    confirmed nor denied under s23(5), s24(2)."""
    question = case.questions[0]
    disclosure.save_item(
        question, actor, {"label": OFFICERS_DEPLOYED, "source": "total_officers", "decision": "disclose"}
    )
    disclosure.save_item(
        question,
        actor,
        {
            "label": "Countries, officers per country, the cost of each deployment and its reasons",
            "source": "by_country",
            "decision": "withhold",
            "exemptions": ["24(1)", "27(1)(a)", "27(1)(c)", "31(1)(a)", "31(1)(b)"],
            **PIT,
        },
    )
    disclosure.save_item(
        question,
        actor,
        {"label": "Any other information", "decision": "ncnd", "exemptions": ["23(5)", "24(2)"], **PIT},
    )


def open_met_case(foi):
    """The Met's question over the last year (the deployments fixture's period)."""
    return disclosure.open_case(foi["met"], MET_QUESTIONS[0], ago(3), MET_QUESTIONS, ago(365), TODAY)


def test_the_due_date_is_20_working_days_skipping_england_and_wales_bank_holidays(foi):
    case = disclosure.open_case(foi["ny"], "Request", date(2026, 1, 2), ["Q1"], date(2025, 1, 1), date(2025, 12, 31))
    assert case.due_on == date(2026, 1, 30)
    christmas = disclosure.open_case(foi["ny"], "Request", date(2025, 12, 19), ["Q1"])
    # 25, 26 December and 1 January are bank holidays; weekends are skipped.
    assert christmas.due_on == date(2026, 1, 21)


@pytest.fixture
def met_2023(people):
    """The seed's period, 1 January to 31 October 2023: the Met deployed 3 officers to Pakistan
    and 2 to Gibraltar; 4 more to Jamaica after the period; North Yorkshire's 6 in the period are another force's."""
    lead, met = people["lead"], people["other_lead"]
    for who, code, start, end, officers in (
        (met, "PK", date(2023, 3, 6), date(2023, 3, 17), 3),
        (met, "GI", date(2023, 10, 23), date(2023, 11, 3), 2),
        (met, "JM", date(2023, 11, 13), date(2023, 11, 24), 4),
        (lead, "KY", date(2023, 5, 1), date(2023, 5, 12), 6),
    ):
        request = make_request(who, title=code, destination=code, start_date=start, end_date=end, officers=officers)
        assert advance(request, people).state == "approved"


def test_the_mets_deployment_question_is_answered_as_the_met_answered_it(foi, met_2023, people):
    """Seed 01.FOI.23.034376, its question word for word over its period: the total disclosed (the Met gave 49; our
    data make 5), the countries, officers per country and costs withheld under the sections the Met cited, anything
    else neither confirmed nor denied; a sensitive deployment in the period changes no word of it."""
    request_text = f"{MET_PERIOD_LINE}\n{MET_QUESTIONS[0]}"
    case = disclosure.open_case(
        foi["met"], request_text, date(2023, 11, 6), MET_QUESTIONS, date(2023, 1, 1), date(2023, 10, 31)
    )
    answer_as_the_met(case, foi["met"])
    disclosure.update_case(case, foi["met"], status="responded")
    letter = disclosure.letter_text(disclosure.response_letter(case, today=date(2023, 12, 4)))
    assert "Metropolitan Police" in letter and MET_QUESTIONS[0] in letter
    assert "The figures below cover 1 January 2023 to 31 October 2023." in letter
    assert f"{OFFICERS_DEPLOYED}: 5" in letter  # 3 + 2: Jamaica is after the period, Cayman another force's
    assert (
        "Countries, officers per country, the cost of each deployment and its reasons: this information is held but "
        "withheld under section 24(1), section 27(1)(a)(c), section 31(1)(a)(b) of the Act." in letter
    )
    for name in ("Pakistan", "Gibraltar", "Jamaica", "Cayman", "£"):
        assert name not in letter, name
    assert (
        "neither confirm nor deny that we hold this information, by virtue of section 23(5), section 24(2) of" in letter
    )
    assert "section 17 of the Freedom of Information Act 2000" in letter and disclosure.NCND_NO_INFERENCE in letter
    for section in ("24(1)", "27(1)", "31(1)", "23(5)", "24(2)"):
        assert disclosure.section_wording(section) in letter
    for section in ("27(4)", "31(3)", "38(1)", "40(2)", "12"):
        assert disclosure.section_wording(section) not in letter, section
    assert "Balance test: The balance favours non-disclosure." in letter
    assert disclosure.INTERNAL_REVIEW in letter and disclosure.COMPLAINT in letter

    secret = make_request(
        people["other_lead"],
        title="ct",
        destination="AE",
        start_date=date(2023, 6, 5),
        end_date=date(2023, 6, 9),
        officers=7,
        sensitive=True,
    )
    assert advance(secret, people).state == "approved"
    db.session.expire_all()
    assert disclosure.letter_text(disclosure.response_letter(case, today=date(2023, 12, 4))) == letter


def test_the_response_letter_is_a_pdf_with_the_exemptions_and_the_rights(foi, deployments):
    case = open_met_case(foi)
    answer_as_the_met(case, foi["met"])
    pdf = disclosure.letter_pdf(disclosure.response_letter(case), compress=False)
    assert pdf.startswith(b"%PDF-")
    text = pdf.decode("latin-1")
    for words in ("Section 24\\(1\\) - National security", "Information Commissioner", "internal review"):
        assert words in text, words
    assert disclosure.letter_pdf(disclosure.response_letter(case)).startswith(b"%PDF-")


NY_PIT = {
    "pit_for": "Confirming whether any information regarding policing assistance to international states is held would "
    "increase public confidence and allow for better informed public debate.",
    "pit_against": "Confirming or denying that information is held would reveal whether specific overseas states have "
    "sought or received policing assistance.",
    "pit_conclusion": "The public interest lies firmly in neither confirming nor denying whether information is held.",
}


def test_north_yorkshire_neither_confirms_nor_denies_as_it_did(foi, deployments):
    """North Yorkshire's seed: both of the request's questions word for word (the totals, then the breakdowns), and
    neither confirmed nor denied under s23(5), s24(2), s27(4) and s31(3), with the public-interest test for the three
    qualified ones; no figure, country or breakdown is given although the force has a deployment in the period."""
    period = (TODAY.replace(year=TODAY.year - 2), TODAY)
    case = disclosure.open_case(foi["ny"], "\n".join(NY_QUESTIONS), ago(1), NY_QUESTIONS, *period)
    ncnd = {"decision": "ncnd", "exemptions": ["23(5)", "24(2)", "27(4)", "31(3)"], **NY_PIT}
    totals, breakdowns = case.questions
    for source in ("total_deployments", "total_officers", "total_staff", "total_operational", "total_non_operational"):
        disclosure.save_item(
            totals, foi["ny"], {"label": source.replace("_", " ").capitalize(), "source": source, **ncnd}
        )
    for source in ("by_country", "by_purpose", "by_sponsor", "by_duration_band", "by_unit"):
        disclosure.save_item(
            breakdowns, foi["ny"], {"label": source.replace("_", " ").capitalize(), "source": source, **ncnd}
        )
    disclosure.update_case(case, foi["ny"], status="responded")
    letter = disclosure.letter_text(disclosure.response_letter(case))
    assert "North Yorkshire" in letter and all(question in letter for question in NY_QUESTIONS)
    assert letter.count("by virtue of section 23(5), section 24(2), section 27(4), section 31(3) of the Act") == 10
    assert disclosure.NCND_NO_INFERENCE in letter and "withheld under" not in letter
    for section in ("23(5)", "24(2)", "27(4)", "31(3)"):
        assert disclosure.section_wording(section) in letter
    assert NY_PIT["pit_conclusion"] in letter
    # The force has one deployment (2 officers, Cayman Islands) in the period: an NCND item never gives its figure.
    report = disclosure.statistics(case)
    assert report.as_json()["totals"]["deployments"] == 1
    for question in case.questions:
        for item in question.items:
            figures = [line.strip() for line in disclosure.answer_lines(item, report) if not line.endswith(":")]
            assert figures and not any(line in letter for line in figures), figures
    assert "Cayman" not in letter


def test_a_sensitive_deployment_changes_no_figure_and_no_wording_of_any_answer(foi, deployments, people):
    case = open_met_case(foi)
    answer_as_the_met(case, foi["met"])
    question = case.questions[0]
    for source in ("total_deployments", "total_staff", "total_operational", "total_non_operational", "full_cost"):
        disclosure.save_item(question, foi["met"], {"label": source, "source": source, "decision": "disclose"})
    for source in ("by_country", "by_purpose", "by_sponsor", "by_duration_band", "by_unit"):
        disclosure.save_item(question, foi["met"], {"label": source, "source": source, "decision": "disclose"})
    national = disclosure.open_case(foi["national"], "All forces", ago(3), ["All"], ago(365), TODAY)
    disclosure.save_item(
        national.questions[0], foi["national"], {"label": "All", "source": "by_country", "decision": "disclose"}
    )
    before = [disclosure.letter_text(disclosure.response_letter(c)) for c in (case, national)]
    before_json = disclosure.case_json(case)

    add_sensitive(people)
    db.session.expire_all()

    after = [disclosure.letter_text(disclosure.response_letter(c)) for c in (case, national)]
    assert after == before
    assert disclosure.case_json(case) == before_json
    assert "United Arab Emirates" not in after[0] + after[1]
    assert "sensitive" not in (after[0] + after[1]).lower()

    # The same deployment not marked sensitive does change the answers: the comparison above can fail.
    plain = make_request(
        people["other_lead"], title="plain", destination="AE", start_date=ago(30), end_date=ago(20), officers=7
    )
    advance(plain, people)
    db.session.expire_all()
    changed = [disclosure.letter_text(disclosure.response_letter(c)) for c in (case, national)]
    assert changed[0] != before[0] and f"{OFFICERS_DEPLOYED}: 12" in changed[0]
    assert "United Arab Emirates" in changed[0] and "United Arab Emirates" in changed[1]


def test_items_need_the_exemptions_and_public_interest_test_their_decision_requires(foi):
    case = disclosure.open_case(foi["met"], "R", ago(1), ["Q"])
    question = case.questions[0]
    with pytest.raises(disclosure.Invalid) as error:
        disclosure.save_item(question, foi["met"], {"label": "Countries", "decision": "withhold", "exemptions": []})
    assert "exemptions" in error.value.errors
    with pytest.raises(disclosure.Invalid) as error:
        disclosure.save_item(
            question, foi["met"], {"label": "Countries", "decision": "withhold", "exemptions": ["27(1)(a)"]}
        )
    assert set(error.value.errors) == {"pit_for", "pit_against", "pit_conclusion"}
    with pytest.raises(disclosure.Invalid) as error:
        disclosure.save_item(question, foi["met"], {"label": "Other", "decision": "ncnd", "exemptions": ["24(1)"]})
    assert "exemptions" in error.value.errors
    # Absolute exemptions need no public-interest test.
    disclosure.save_item(question, foi["met"], {"label": "Names", "decision": "withhold", "exemptions": ["40(2)"]})
    disclosure.save_item(question, foi["met"], {"label": "Security", "decision": "ncnd", "exemptions": ["23(5)"]})


def test_every_change_to_an_foi_case_is_an_event(foi, deployments):
    case = open_met_case(foi)
    answer_as_the_met(case, foi["met"])
    disclosure.update_case(case, foi["met"], status="responded")
    events = db.session.scalars(
        select(DisclosureEvent).where(DisclosureEvent.subject == "foi_case", DisclosureEvent.subject_id == case.id)
    ).all()
    assert [e.event for e in events] == ["opened", "item_added", "item_added", "item_added", "updated"]
    assert all(e.actor_id == foi["met"].id for e in events)
    assert json.loads(events[-1].detail) == {"status": "responded"}
    assert case.responded_on == TODAY


def test_a_case_cannot_be_marked_responded_with_an_unanswered_question(foi):
    case = disclosure.open_case(foi["met"], "R", ago(1), ["Q1", "Q2"])
    with pytest.raises(disclosure.Invalid):
        disclosure.update_case(case, foi["met"], status="responded")
    assert db.session.get(FoiCase, case.id).status == "open"


# --- Pages and access -------------------------------------------------------------------------------------------


def test_another_forces_foi_officer_is_refused_and_a_national_one_sees_all(client, foi, deployments):
    case = open_met_case(foi)
    ny_case = disclosure.open_case(foi["ny"], "NY", ago(1), ["Q"])
    sign_in(client, foi["ny"])
    assert client.get(f"/foi-cases/{case.id}").status_code == 404
    assert client.get(f"/foi-cases/{case.id}/response?format=docx").status_code == 404
    listing = client.get("/foi-cases").get_data(as_text=True)
    assert f"FOI case {ny_case.id}" in listing and f"FOI case {case.id}<" not in listing
    client.post("/sign-out")
    sign_in(client, foi["national"])
    listing = client.get("/foi-cases").get_data(as_text=True)
    assert f"FOI case {ny_case.id}" in listing and f"FOI case {case.id}" in listing
    assert client.get(f"/foi-cases/{case.id}").status_code == 200


def test_only_foi_officers_open_foi_cases(client, people):
    sign_in(client, people["pcc"])
    assert client.get("/foi-cases").status_code == 403
    assert client.get("/foi-cases/new").status_code == 403


def test_an_foi_officer_opens_a_case_and_decides_an_item_through_the_pages(client, foi, deployments):
    sign_in(client, foi["met"])
    received = ago(2)
    response = client.post(
        "/foi-cases/new",
        data={
            "request_text": "How many officers did you deploy overseas?",
            "received_on": [received.day, received.month, received.year],
            "questions": "How many officers?\nWhich countries?",
            "period_from": [ago(365).day, ago(365).month, ago(365).year],
            "period_to": [TODAY.day, TODAY.month, TODAY.year],
            "force": "north-yorkshire",  # ignored: a force FOI officer's case is their force's
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    case = db.session.scalars(select(FoiCase)).one()
    assert case.force.slug == "metropolitan" and len(case.questions) == 2
    assert case.due_on == disclosure.due_date(received)
    url = f"/foi-cases/{case.id}/questions/{case.questions[1].id}/items/new"
    refused = client.post(
        url, data={"label": "Countries", "source": "by_country", "decision": "withhold", "exemptions": ["27(1)(a)"]}
    )
    assert refused.status_code == 200 and "Enter the factors favouring disclosure" in refused.get_data(as_text=True)
    saved = client.post(
        url,
        data={"label": "Countries", "source": "by_country", "decision": "withhold", "exemptions": ["27(1)(a)"], **PIT},
    )
    assert saved.status_code == 302
    page = client.get(f"/foi-cases/{case.id}").get_data(as_text=True)
    assert "section 27(1)(a)" in page
    letter = client.get(f"/foi-cases/{case.id}/response").get_data(as_text=True)
    assert "Information Commissioner" in letter
    docx = client.get(f"/foi-cases/{case.id}/response?format=docx")
    assert docx.status_code == 200 and zipfile.is_zipfile(io.BytesIO(docx.data))
    document = zipfile.ZipFile(io.BytesIO(docx.data)).read("word/document.xml").decode()
    assert "International relations" in document and "internal review" in document


def test_overdue_foi_cases_show_in_the_officers_inbox_only_for_their_force(client, foi):
    late = disclosure.open_case(foi["met"], "Late", ago(60), ["Q"])
    disclosure.open_case(foi["met"], "Fresh", TODAY, ["Q"])
    sign_in(client, foi["met"])
    inbox = client.get("/").get_data(as_text=True)
    assert "FOI responses overdue" in inbox and f"FOI case {late.id}</a>" in inbox
    client.post("/sign-out")
    sign_in(client, foi["ny"])
    assert "FOI responses overdue" not in client.get("/").get_data(as_text=True)


# --- API --------------------------------------------------------------------------------------------------------


def token(user):
    row, value = ApiToken.issue(user, "test")
    db.session.add(row)
    db.session.commit()
    return {"Authorization": f"Bearer {value}"}


def test_the_api_opens_patches_and_answers_an_foi_case(client, foi, deployments):
    headers = token(foi["met"])
    created = client.post(
        "/api/v1/foi-cases",
        json={"received_on": "2026-01-02", "request_text": "Deployments", "questions": ["How many?", "Where?"]},
        headers=headers,
    )
    assert created.status_code == 201, created.json
    body = created.json
    assert body["due_on"] == "2026-01-30" and body["force"] == "metropolitan"
    q1, q2 = (q["id"] for q in body["questions"])
    patched = client.patch(
        f"/api/v1/foi-cases/{body['id']}",
        json={
            "period_from": ago(365).isoformat(),
            "period_to": TODAY.isoformat(),
            "questions": [
                {
                    "id": q1,
                    "items": [{"label": "Officers deployed", "source": "total_officers", "decision": "disclose"}],
                },
                {"id": q2, "items": [{"label": "Countries", "decision": "withhold", "exemptions": ["24(1)"], **PIT}]},
            ],
            "status": "responded",
        },
        headers=headers,
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["status"] == "responded"
    assert patched.json["questions"][1]["items"][0]["exemptions"] == ["24(1)"]
    text = client.get(f"/api/v1/foi-cases/{body['id']}/response?format=txt", headers=headers)
    assert "Officers deployed: 5" in text.get_data(as_text=True)
    docx = client.get(f"/api/v1/foi-cases/{body['id']}/response?format=docx", headers=headers)
    assert zipfile.is_zipfile(io.BytesIO(docx.data))
    pdf = client.get(f"/api/v1/foi-cases/{body['id']}/response", headers=headers)
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    invalid = client.patch(
        f"/api/v1/foi-cases/{body['id']}",
        json={"questions": [{"id": q1, "items": [{"label": "X", "decision": "withhold", "exemptions": []}]}]},
        headers=headers,
    )
    assert invalid.status_code == 422 and "questions[1].items[0].exemptions" in invalid.json["errors"]


def test_the_api_refuses_another_forces_foi_officer(client, foi):
    case = disclosure.open_case(foi["met"], "Met", ago(1), ["Q"])
    headers = token(foi["ny"])
    assert client.get(f"/api/v1/foi-cases/{case.id}", headers=headers).status_code == 404
    assert client.patch(f"/api/v1/foi-cases/{case.id}", json={"status": "open"}, headers=headers).status_code == 404
    assert client.get("/api/v1/foi-cases", headers=headers).json["items"] == []
    refused = client.post(
        "/api/v1/foi-cases",
        json={"received_on": "2026-01-02", "request_text": "X", "questions": ["Q"], "force": "metropolitan"},
        headers=headers,
    )
    assert refused.status_code == 403
    assert client.get("/api/v1/foi-cases", headers=token(foi["national"])).json["items"][0]["id"] == case.id


# --- PCC decision records ---------------------------------------------------------------------------------------


@pytest.fixture
def pcc_decided(people):
    """North Yorkshire: one request the PCC approved, one sensitive one it approved, one it declined."""
    lead = people["lead"]
    approved = advance(make_request(lead, title="Approved training"), people, until="awaiting_home_secretary")
    sensitive = advance(make_request(lead, title="Secret", sensitive=True), people, until="awaiting_home_secretary")
    declined = advance(make_request(lead, title="Declined"), people, until="awaiting_pcc")
    workflow.decide(
        declined.id,
        people["pcc"],
        workflow.DecisionInput("decline", "Not value for money", hr=Assessment(residual="low"), ethics_confirmed=True),
    )
    return {"approved": approved, "sensitive": sensitive, "declined": declined}


def record_for(request):
    return db.session.scalars(select(DecisionRecord).where(DecisionRecord.request_id == request.id)).one()


def test_every_pcc_approval_or_decline_has_a_decision_record(client, people, pcc_decided):
    sign_in(client, people["pcc"])
    page = client.get("/decision-records").get_data(as_text=True)
    assert page.count("Section 26 international assistance") == 3
    assert record_for(pcc_decided["declined"]).decision == "The Commissioner decided to decline the request."
    assert "Not value for money" in record_for(pcc_decided["declined"]).confidential_part
    client.get("/decision-records")
    assert len(db.session.scalars(select(DecisionRecord)).all()) == 3  # made once


def test_publishing_shows_only_the_public_part_is_audited_and_can_be_withdrawn(client, people, pcc_decided):
    sign_in(client, people["pcc"])
    client.get("/decision-records")
    row = record_for(pcc_decided["approved"])
    form = {
        "title": "Training for the Royal Cayman Islands Police Service",
        "summary": "Two officers to train investigators.",
        "decision": "Approved.",
        "reasons": "Builds capability in a British Overseas Territory.",
        "options_considered": "Approve or decline.",
        "advice_taken": "Chief constable.",
        "financial_implications": "Full cost recovered from the FCDO.",
        "confidential_part": "CONFIDENTIAL PART 2 DETAIL",
    }
    assert client.post(f"/decision-records/{row.id}/publish").status_code == 302
    assert db.session.get(DecisionRecord, row.id).published_at is None  # not yet of significant public interest
    assert (
        client.post(f"/decision-records/{row.id}", data={**form, "significant_public_interest": "y"}).status_code == 302
    )
    assert client.post(f"/decision-records/{row.id}/publish").status_code == 302
    client.post("/sign-out")

    public = client.get("/decisions/north-yorkshire").get_data(as_text=True)
    assert "Training for the Royal Cayman Islands Police Service" in public
    assert "Full cost recovered from the FCDO." in public
    assert "CONFIDENTIAL PART 2" not in public
    as_json = client.get("/decisions/north-yorkshire?format=json").json
    assert [d["title"] for d in as_json["decisions"]] == [form["title"]]
    assert "confidential_part" not in as_json["decisions"][0]
    csv_text = client.get("/decisions/north-yorkshire?format=csv").get_data(as_text=True)
    assert form["title"] in csv_text and "CONFIDENTIAL" not in csv_text
    assert client.get("/decisions/metropolitan?format=json").json["decisions"] == []
    assert client.get("/decisions/nowhere").status_code == 404

    sign_in(client, people["pcc"])
    assert client.post(f"/decision-records/{row.id}/withdraw", data={"reason": ""}).status_code == 200
    assert client.post(f"/decision-records/{row.id}/withdraw", data={"reason": "Published in error"}).status_code == 302
    assert client.get("/decisions/north-yorkshire?format=json").json["decisions"] == []
    events = [e.event for e in disclosure.events("decision_record", row.id)]
    assert events == ["created", "edited", "published", "withdrawn"]
    assert disclosure.events("decision_record", row.id)[-1].detail == "Published in error"


def test_a_sensitive_requests_record_is_never_published(client, people, pcc_decided):
    sign_in(client, people["pcc"])
    client.get("/decision-records")
    row = record_for(pcc_decided["sensitive"])
    client.post(
        f"/decision-records/{row.id}", data={"title": "Secret work", "significant_public_interest": "y", "reasons": "R"}
    )
    client.post(f"/decision-records/{row.id}/publish")
    assert db.session.get(DecisionRecord, row.id).published_at is None
    # Even a record published directly in the database stays off the public page.
    row = db.session.get(DecisionRecord, row.id)
    row.published_at = row.created_at
    db.session.commit()
    assert "Secret work" not in client.get("/decisions/north-yorkshire").get_data(as_text=True)


def test_another_forces_pcc_office_cannot_open_a_record(client, people, pcc_decided):
    disclosure.ensure_decision_records(pcc_decided["approved"].force_id)
    row = record_for(pcc_decided["approved"])
    sign_in(client, people["other_pcc"])
    assert client.get(f"/decision-records/{row.id}").status_code == 404
    assert client.post(f"/decision-records/{row.id}/publish").status_code == 404
    assert "Section 26 international assistance" not in client.get("/decision-records").get_data(as_text=True)
    client.post("/sign-out")
    sign_in(client, people["chief"])
    assert client.get("/decision-records").status_code == 403


def test_a_contributing_forces_pcc_decision_is_that_forces_record_not_the_leads(people):
    """Issue 23's parts: the Met's PCC approves its officers' part of North Yorkshire's request. That decision is the
    Met's record (its PCC office edits and publishes it), never a second record in North Yorkshire's list."""
    request = make_request(people["lead"], contributing_forces=[{"force": "metropolitan", "officers": 2, "staff": 1}])
    workflow.submit(request.id, people["lead"])
    for who in ("other_chief", "chief", "pcc", "other_pcc"):
        workflow.decide(
            request.id,
            people[who],
            workflow.DecisionInput("positive", hr=Assessment(residual="low"), ethics_confirmed=True),
        )
    ny, met = people["lead"].force, people["other_lead"].force
    disclosure.ensure_decision_records(ny.id)
    disclosure.ensure_decision_records(met.id)
    [ours] = disclosure.decision_records(ny.id)
    [theirs] = disclosure.decision_records(met.id)
    assert ours.gate_decision.actor_id == people["pcc"].id and ours.gate_decision.part_force_id is None
    assert theirs.gate_decision.actor_id == people["other_pcc"].id and theirs.gate_decision.part_force_id == met.id
    assert theirs.request_id == request.id and "this force's part of the request" in theirs.decision
    assert disclosure.get_decision_record(people["other_pcc"], theirs.id) is theirs
    assert disclosure.get_decision_record(people["pcc"], theirs.id) is None


# --- The transparency page per force ----------------------------------------------------------------------------


def test_the_force_page_lists_only_that_forces_countries_never_a_sensitive_one(client, people, deployments):
    add_sensitive(people)
    met = client.get("/transparency/metropolitan").get_data(as_text=True)
    assert "Gibraltar" in met and "Pakistan" in met
    assert "Cayman Islands" not in met and "United Arab Emirates" not in met
    assert "British citizens deployed overseas could be put at risk by such disclosure" in met
    data = client.get("/transparency/metropolitan?format=json").json
    assert [c["code"] for c in data["countries"]] == ["GI", "PK"]
    assert data["withheld"]["reasons"] == list(disclosure.WITHHELD_REASONS)
    csv_text = client.get("/transparency/metropolitan?format=csv").get_data(as_text=True)
    assert "Gibraltar" in csv_text and "United Arab Emirates" not in csv_text
    ny = client.get("/transparency/north-yorkshire?format=json").json
    assert [c["code"] for c in ny["countries"]] == ["KY"]
    assert client.get("/transparency/nowhere").status_code == 404
    assert client.get("/transparency/metropolitan?format=xml").status_code == 404


def test_the_force_page_lists_the_countries_it_sent_its_people_to_as_a_contributing_force(client, people):
    """Issue 23's parts: the Met sends officers on North Yorkshire's request to the Cayman Islands; both forces'
    pages list it, as both forces' FOI figures count it."""
    request = make_request(
        people["lead"],
        destination="KY",
        start_date=ago(40),
        end_date=ago(30),
        contributing_forces=[{"force": "metropolitan", "officers": 2, "staff": 0}],
    )
    workflow.submit(request.id, people["lead"])
    for who in ("other_chief", "chief", "pcc", "other_pcc", "home_office", "ipab"):
        workflow.decide(
            request.id,
            people[who],
            workflow.DecisionInput("positive", hr=Assessment(residual="low"), ethics_confirmed=True),
        )
    assert db.session.get(type(request), request.id).state == "approved"
    for force in ("north-yorkshire", "metropolitan"):
        assert [c["code"] for c in client.get(f"/transparency/{force}?format=json").json["countries"]] == ["KY"]
    assert client.get("/transparency/west-yorkshire?format=json").json["countries"] == []


def test_the_national_page_links_to_every_forces_page(client):
    page = client.get("/transparency").get_data(as_text=True)
    assert 'href="/transparency/north-yorkshire"' in page and 'href="/decisions/metropolitan"' in page


@pytest.mark.parametrize("received_on", [date(1, 1, 1), date(2004, 12, 31)])
def test_a_case_received_before_the_act_is_a_field_error_not_a_crash(client, foi, received_on):
    headers = token(foi["ny"])
    body = {"received_on": received_on.isoformat(), "request_text": "Deployments", "questions": ["How many?"]}
    response = client.post("/api/v1/foi-cases", json=body, headers=headers)
    assert response.status_code == 422 and "received_on" in response.get_json()["errors"]


def test_the_mets_training_exchange_question_is_answered_as_the_met_answered_it(foi, deployments):
    """Seed 01.FOI.23.032832, its four questions word for word: a partial answer to the first and third disclosed in
    the Met's words (a delegation hosted); the itineraries and timetables withheld under s24(1), s27(1) and
    s31(1)(a)(b); anything else neither confirmed nor denied under s23(5), s24(2) and s31(3)."""
    request_text = "\n".join(
        [
            "Thank you for your response to my FOI request. As advised, I will reshape the request.",
            *MET_TRAINING_QUESTIONS,
        ]
    )
    case = disclosure.open_case(
        foi["met"], request_text, date(2023, 10, 2), MET_TRAINING_QUESTIONS, date(2020, 1, 1), date(2023, 10, 2)
    )
    programmes, programme_itinerary, events, event_itinerary = case.questions
    withhold = {"decision": "withhold", "exemptions": ["24(1)", "27(1)(a)", "31(1)(a)", "31(1)(b)"], **PIT}
    for question in (programmes, events):
        disclosure.save_item(
            question, foi["met"], {"label": "Partial answer", "decision": "disclose", "text": MET_DELEGATION}
        )
    disclosure.save_item(programme_itinerary, foi["met"], {"label": "Itinerary and timetable", **withhold})
    disclosure.save_item(event_itinerary, foi["met"], {"label": "Itinerary and timetable", **withhold})
    disclosure.save_item(
        event_itinerary,
        foi["met"],
        {"label": "Any other information", "decision": "ncnd", "exemptions": ["23(5)", "24(2)", "31(3)"], **PIT},
    )
    disclosure.update_case(case, foi["met"], status="responded")
    letter = disclosure.letter_text(disclosure.response_letter(case))
    assert all(question in letter for question in MET_TRAINING_QUESTIONS)
    assert letter.count(MET_DELEGATION) == 2  # the first and the third question
    assert (
        letter.count(
            "Itinerary and timetable: this information is held but withheld under section 24(1), section 27(1)(a), "
            "section 31(1)(a)(b) of the Act."
        )
        == 2
    )
    assert "by virtue of section 23(5), section 24(2), section 31(3) of the Act" in letter
    assert "section 17 of the Freedom of Information Act 2000" in letter and disclosure.NCND_NO_INFERENCE in letter
    for section in ("24(1)", "27(1)", "31(1)", "23(5)", "24(2)", "31(3)"):
        assert disclosure.section_wording(section) in letter


def test_a_sensitive_deployment_changes_nothing_on_the_case_page_or_the_api(client, foi, deployments, people):
    case = open_met_case(foi)
    answer_as_the_met(case, foi["met"])
    for source in ("total_deployments", "by_country", "by_purpose", "full_cost"):
        disclosure.save_item(case.questions[0], foi["met"], {"label": source, "source": source, "decision": "disclose"})
    headers = token(foi["met"])
    sign_in(client, foi["met"])

    def seen():
        page = client.get(f"/foi-cases/{case.id}").get_data(as_text=True)
        # Only what differs per response by design: the form token and the script nonce.
        page = re.sub(r'(name="csrf_token" type="hidden" value|nonce)="[^"]*"', "", page)
        api = client.get(f"/api/v1/foi-cases/{case.id}", headers=headers).json
        letter = client.get(f"/foi-cases/{case.id}/response?format=txt").get_data(as_text=True)
        return page, api, letter

    before = seen()
    add_sensitive(people)
    db.session.expire_all()
    assert seen() == before
    # A deployment not marked sensitive shows on the page and in the letter (the API's JSON holds the decisions, not
    # the figures): the comparison above can fail.
    advance(make_request(people["other_lead"], destination="AE", start_date=ago(30), end_date=ago(20)), people)
    db.session.expire_all()
    page, _api, letter = seen()
    assert page != before[0] and letter != before[2] and "United Arab Emirates" in page + letter


def test_the_questions_and_citations_above_are_the_seeds_word_for_word():
    """The seeds (tests/fixtures/seeds): every question these tests answer, and the sections each force cited, are
    in the seed's text as written."""
    texts = {
        MET_DEPLOYMENTS_SEED: [MET_PERIOD_LINE, *MET_QUESTIONS],
        MET_TRAINING_SEED: MET_TRAINING_QUESTIONS,
        NY_SEED: NY_QUESTIONS,
    }
    for name, wanted in texts.items():
        seed = (SEEDS / name).read_text(encoding="utf-8")
        for text in [*wanted, *SEED_CITATIONS[name]]:
            assert text in seed, f"{name} lacks {text[:80]!r}"


def test_the_force_pages_wording_on_what_is_withheld_is_the_college_of_policings():
    """Section 3: the College of Policing's own words ("Ethics, transparency and disclosure", a seed) on what is not
    published and why, sentence by sentence."""
    college = " ".join((SEEDS / "college-of-policing-ethics-transparency-disclosure.txt").read_text().split())
    for sentence in re.split(r"(?<=\.) ", disclosure.BALANCE):
        assert sentence in college, sentence
    for reason in disclosure.WITHHELD_REASONS:
        assert reason in college, reason


def test_the_copied_seeds_are_the_shared_seeds():
    """The copies in tests/fixtures/seeds are the shared seeds byte for byte, where the shared seeds are beside the
    repository (a clone elsewhere has only the copies, which the tests above read)."""
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"no shared seeds at {SHARED_SEEDS}")
    for copy in sorted(SEEDS.iterdir()):
        assert copy.read_bytes() == (SHARED_SEEDS / copy.name).read_bytes(), copy.name
