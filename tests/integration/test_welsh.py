"""Welsh and English (issue 25 section 5): the public pages in both languages, a language switch on every page
that is remembered and sets <html lang>, and emails to people of the four Welsh forces in Welsh and English."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from approvals import notifications, workflow
from extensions import db
from models import OutboxMessage
from tests.conftest import PASSWORD, advance, make_request, make_user, sign_in

TODAY = date.today()


def html_lang(page):
    return re.search(r'<html lang="([a-z]+)"', page).group(1)


def main_lang(page):
    match = re.search(r'<main[^>]*\blang="([a-z]+)"', page)
    return match.group(1) if match else None


PUBLIC_PAGES = {
    "/transparency": ("International assistance: ethics, transparency and disclosure", "Cymorth rhyngwladol: moeseg"),
    "/transparency/south-wales": ("International assistance: South Wales Police", "Cymorth rhyngwladol: South Wales"),
    "/decisions/gwent": ("Decisions of significant public interest", "Penderfyniadau o ddiddordeb cyhoeddus"),
    "/sign-in": ("Sign in", "Mewngofnodi"),
    "/no-such-page": ("Page not found", "Heb ddod o hyd i’r dudalen"),
}


@pytest.mark.parametrize("path", list(PUBLIC_PAGES))
def test_the_public_pages_are_in_welsh_and_english(client, path):
    english, welsh = PUBLIC_PAGES[path]
    page = client.get(f"{path}?lang=en").get_data(as_text=True)
    assert html_lang(page) == "en" and english in page and main_lang(page) is None
    page = client.get(f"{path}?lang=cy").get_data(as_text=True)
    assert html_lang(page) == "cy" and welsh in page and english not in page
    assert main_lang(page) is None  # the content is Welsh: nothing is marked English
    assert "Neidio i’r prif gynnwys" in page and "Hawlfraint y Goron" in page


def test_the_choice_is_remembered_until_changed(client):
    response = client.get("/transparency?lang=cy")
    assert "lang=cy" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    assert "Cookie" in response.headers["Vary"]  # no shared cache serves one language for the other
    assert html_lang(client.get("/sign-in").get_data(as_text=True)) == "cy"
    client.get("/sign-in?lang=en")
    assert html_lang(client.get("/transparency").get_data(as_text=True)) == "en"
    assert html_lang(client.get("/transparency?lang=fr").get_data(as_text=True)) == "en"  # not a language we have


def test_every_page_has_the_switch_and_keeps_its_query(client, people):
    sign_in(client, people["lead"])
    page = client.get("/requests?state=draft").get_data(as_text=True)
    assert 'href="/requests?state=draft&amp;lang=cy" hreflang="cy" lang="cy"' in page
    assert '<span aria-current="true">English</span>' in page
    welsh = client.get("/requests?state=draft&lang=cy").get_data(as_text=True)
    # A page not yet translated: Welsh around it, its content marked as English for screen readers.
    assert html_lang(welsh) == "cy" and main_lang(welsh) == "en"
    assert "Allgofnodi" in welsh and "Mewnflwch" in welsh
    assert 'href="/requests?state=draft&amp;lang=en" hreflang="en" lang="en"' in welsh


def disclosure_pages(people):
    """Every page issue 25 added, with who reads it: an FOI case with an item, a published decision record."""
    from approvals import disclosure

    officer = make_user("foi@ny.example", "foi_officer", force_slug="north-yorkshire")
    request = advance(make_request(people["lead"]), people, until="awaiting_home_secretary")
    disclosure.ensure_decision_records(request.force_id)
    [row] = disclosure.decision_records(request.force_id)
    disclosure.save_decision_record(row, people["pcc"], {"reasons": "R", "significant_public_interest": True})
    disclosure.publish_decision_record(row, people["pcc"])
    case = disclosure.open_case(officer, "Request", TODAY, ["Q"])
    item = disclosure.save_item(case.questions[0], officer, {"label": "L", "decision": "disclose", "text": "T"})
    return {
        officer: [
            "/foi-cases",
            "/foi-cases/new",
            f"/foi-cases/{case.id}",
            f"/foi-cases/{case.id}/questions/{case.questions[0].id}/items/new",
            f"/foi-cases/{case.id}/items/{item.id}",
            f"/foi-cases/{case.id}/response",
        ],
        people["pcc"]: ["/decision-records", f"/decision-records/{row.id}", f"/decision-records/{row.id}/withdraw"],
        None: ["/transparency/north-yorkshire", "/decisions/north-yorkshire"],
    }


def test_every_disclosure_page_switches_language_says_which_and_remembers_it(client, people):
    """Issue 25 section 5 on each new page: ?lang=cy and ?lang=en, <html lang>, the switch to the other language (the
    page's own address), the choice kept for the next page; a page not translated yet marks its content and its back
    link English."""
    for user, paths in disclosure_pages(people).items():
        client.post("/sign-out")
        if user is not None:
            sign_in(client, user)
        for path in paths:
            for lang, other in (("cy", "en"), ("en", "cy")):
                page = client.get(f"{path}?lang={lang}").get_data(as_text=True)
                assert html_lang(page) == lang, (path, lang)
                assert f'href="{path}?lang={other}" hreflang="{other}" lang="{other}"' in page, (path, lang)
                assert html_lang(client.get(path).get_data(as_text=True)) == lang, (path, "remembered")
                if lang == "cy" and user is not None:
                    assert main_lang(page) == "en", path
                    if "govuk-back-link" in page:
                        assert re.search(r'<div lang="en">\s*<a [^>]*class="govuk-back-link', page), path
                else:
                    assert main_lang(page) is None and '<div lang="en">' not in page, (path, lang)


def test_sign_in_errors_are_in_welsh(client, people):
    page = client.post("/sign-in?lang=cy", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "Rhowch eich cyfeiriad e-bost" in page and "Rhowch eich cyfrinair" in page
    assert "<title>Gwall: Mewngofnodi" in page and "Mae problem wedi codi" in page
    wrong = client.post("/sign-in?lang=cy", data={"email": people["lead"].email, "password": "wrong-password-x"})
    assert "Mae eich cyfeiriad e-bost neu’ch cyfrinair yn anghywir" in wrong.get_data(as_text=True)


def test_country_names_are_welsh_on_the_welsh_force_page(client, people):
    lead = make_user("lead@south-wales.example", "force_lead", force_slug="south-wales")
    make_user("chief@south-wales.example", "chief_officer", force_slug="south-wales")
    request = make_request(
        lead, destination="KY", start_date=TODAY - timedelta(days=40), end_date=TODAY - timedelta(days=30)
    )
    assert request.force.slug == "south-wales"
    request.state = "closed"  # the page lists authorised work; its workflow is tested elsewhere
    db.session.commit()
    assert "Cayman Islands" in client.get("/transparency/south-wales?lang=en").get_data(as_text=True)
    assert "Ynysoedd Cayman" in client.get("/transparency/south-wales?lang=cy").get_data(as_text=True)


def rendered(recipient):
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)).all()
    for message in messages:
        notifications.render(message)
    return messages


def test_emails_to_people_of_a_welsh_force_are_in_welsh_then_english(app, people):
    lead = make_user("lead@gwent.example", "force_lead", force_slug="gwent")
    make_user("chief@gwent.example", "chief_officer", force_slug="gwent")
    request = make_request(lead, title="Hyfforddiant")
    workflow.submit(request.id, lead)
    [message] = rendered("chief@gwent.example")  # as the outbox worker renders: an app context, no request
    welsh, english = message.body_text.split("-" * 40)
    assert "Annwyl chief," in welsh and "Mae cais" in welsh and "argymhelliad y prif swyddog" in welsh
    assert "Dear chief," in english and "is waiting for chief officer recommendation" in english
    assert message.subject.startswith("Camau gweithredu angenrheidiol:") and " / Action needed:" in message.subject
    assert '<div lang="cy">' in message.body_html and '<div lang="en">' in message.body_html
    assert message.body_html.index('lang="cy"') < message.body_html.index('lang="en"')
    # The month of the due date is Welsh in the Welsh part.
    months = "Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr"
    assert re.search(rf"erbyn \d+ ({months}) \d{{4}}", welsh)


def test_emails_to_people_of_an_english_force_are_in_english_only(app, people):
    request = make_request(people["lead"])
    advance(request, people, until="awaiting_chief_officer")
    with app.test_request_context():
        [message] = rendered(people["chief"].email)
    assert "Dear chief," in message.body_text and "Annwyl" not in message.body_text
    assert "-" * 40 not in message.body_text and message.subject.startswith("Action needed:")


def test_what_stands_for_an_official_sensitive_detail_is_in_welsh_too(app, people):
    lead = make_user("lead@dyfed.example", "force_lead", force_slug="dyfed-powys")
    make_user("chief@dyfed.example", "chief_officer", force_slug="dyfed-powys")
    request = make_request(lead, title="Gwrthderfysgaeth", destination="AE", sensitive=True)
    workflow.submit(request.id, lead)
    [message] = rendered("chief@dyfed.example")
    assert "SWYDDOGOL-SENSITIF" in message.subject and "OFFICIAL-SENSITIVE" in message.subject
    assert "ni ddangosir y gyrchfan" in message.body_text and "destination not shown" in message.body_text
    assert "United Arab Emirates" not in message.body_text + message.subject


def test_setting_up_two_factor_sign_in_and_its_code_page_are_in_welsh(app, client, people):
    """Issue 25: sign-in is in Welsh and English, both of its two-factor steps included."""
    import pyotp

    app.config["S26_REQUIRE_2FA"] = True
    try:
        client.get("/sign-in?lang=cy")
        assert client.post("/sign-in", data={"email": people["chief"].email, "password": PASSWORD}).headers[
            "Location"
        ].endswith("/sign-in/set-up-two-factor")
        page = client.get("/sign-in/set-up-two-factor").get_data(as_text=True)
        assert html_lang(page) == "cy" and main_lang(page) is None
        assert "<title>Sefydlu mewngofnodi dau gam" in page and "Agorwch ap dilysu ar eich ffôn." in page
        assert 'alt="Cod QR ar gyfer eich ap dilysu.' in page and "Cod diogelwch" in page
        assert "Set up two-factor sign-in" not in page and "authenticator app" not in page
        secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
        wrong = client.post("/sign-in/set-up-two-factor", data={"code": "000000"}).get_data(as_text=True)
        assert "<title>Gwall: Sefydlu mewngofnodi dau gam" in wrong and "Mae problem wedi codi" in wrong
        assert "Nid yw’r cod diogelwch yn gywir: gwiriwch yr amser ar eich ffôn" in wrong
        done = client.post("/sign-in/set-up-two-factor", data={"code": pyotp.TOTP(secret).now()})
        codes_page = done.get_data(as_text=True)
        assert "Mae mewngofnodi dau gam wedi’i sefydlu" in codes_page and "Cadwch y codau adfer hyn" in codes_page
        assert html_lang(codes_page) == "cy" and main_lang(codes_page) is None and ">Parhau</a>" in codes_page
        # And the code page of the next sign-in.
        client.post("/sign-out", data={})
        client.post("/sign-in", data={"email": people["chief"].email, "password": PASSWORD})
        code_page = client.get("/sign-in/two-factor").get_data(as_text=True)
        assert html_lang(code_page) == "cy" and main_lang(code_page) is None
        assert "Rhowch eich cod diogelwch" in code_page
        english = client.get("/sign-in/two-factor?lang=en").get_data(as_text=True)
        assert "Enter your security code" in english and html_lang(english) == "en"
    finally:
        app.config["S26_REQUIRE_2FA"] = False
