"""Welsh and English (issue 25 section 5): which language a page or an email is in.

A visitor chooses with `?lang=cy` or `?lang=en` (a link on every page); the choice is remembered in a cookie.
The public pages (transparency, each force's page, published decisions, sign-in, errors) and the layout are
translated; a page not yet translated keeps its main content in English and says so with `lang="en"`.
Emails to people of the four Welsh forces are in Welsh and English (the Welsh Language Standards), Welsh first.
Text comes from the catalogues in translations/ (Flask-Babel), so another language is a translation only.
"""

from functools import lru_cache
from urllib.parse import urlencode

from flask import request
from flask_babel import force_locale, get_locale, gettext

LANGUAGES = ("en", "cy")
DEFAULT = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
# The four forces of Wales, whose people are written to in Welsh and English.
WELSH_FORCES = frozenset({"dyfed-powys", "gwent", "north-wales", "south-wales"})
# Each language's name in itself, for the switch.
NAMES = {"en": "English", "cy": "Cymraeg"}
SWITCH_HINT = {"en": "Change the language to English", "cy": "Newid yr iaith i’r Gymraeg"}


def N_(text):
    """Marks text for the catalogues (pybabel extract -k N_) where it is translated later, by gettext(text)."""
    return text


def translate(text):
    """A text held as data (a gate's title, a role), in the current language when the catalogue has it."""
    return gettext(text) if text else text


def format_date(value):
    """'26 November 2026' in English, '26 Tachwedd 2026' in Welsh."""
    language = current()
    if language == "en":
        return value.strftime("%-d %B %Y")
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, "d MMMM y", locale=language)


def requested():
    """The language asked for by this request's ?lang=, if it is one we have."""
    value = request.args.get("lang")
    return value if value in LANGUAGES else None


def select_locale():
    """Flask-Babel's locale selector: ?lang=, else the remembered choice, else English."""
    if not request:
        return DEFAULT
    chosen = requested() or request.cookies.get(COOKIE)
    return chosen if chosen in LANGUAGES else DEFAULT


def current():
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT


def remember(response):
    """after_request: keep a ?lang= choice for the next pages (a cookie: no account or session needed)."""
    if response.mimetype == "text/html":
        response.vary.add("Cookie")  # a page's language depends on the cookie: no shared cache may mix them
    chosen = requested()
    if chosen is not None and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(
            COOKIE,
            chosen,
            max_age=COOKIE_MAX_AGE,
            secure=request.is_secure,
            httponly=True,
            samesite="Lax",
        )
    return response


def switch_url(language):
    """This page's address in `language` (its other query arguments kept)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] + [("lang", language)]
    return f"{request.path}?{urlencode(args)}"


@lru_cache(maxsize=4)
def _country_catalogue(language):
    import gettext

    import pycountry

    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_in_language(name, code):
    """A country's name in the page's language (ISO 3166 names from pycountry's catalogues), else as given."""
    language = current()
    if language == "en" or not code:
        return name
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return name
    catalogue = _country_catalogue(language)
    for english in (getattr(country, "common_name", None), country.name):
        if english and catalogue.gettext(english) != english:
            return catalogue.gettext(english)
    return name


def for_recipient_force(force_slug):
    """The languages an email to someone of this force is written in, in order."""
    return ("cy", "en") if force_slug in WELSH_FORCES else ("en",)


# Between the Welsh and the English versions of one email.
EMAIL_SEPARATOR_TEXT = "\n\n" + "-" * 40 + "\n\n"
EMAIL_SEPARATOR_HTML = '\n<hr>\n'


def render_email(languages, render):
    """(subject, text, html) in each of `languages`, Welsh first: `render()` gives one language's three parts.
    The subject joins the versions with " / ", as bilingual correspondence does."""
    parts = []
    for language in languages:
        with force_locale(language):
            subject, text, html = render()
        parts.append((language, subject, text, html))
    if len(parts) == 1:
        return parts[0][1:]
    subject = " / ".join(dict.fromkeys(p[1] for p in parts))
    text = EMAIL_SEPARATOR_TEXT.join(p[2].rstrip("\n") for p in parts) + "\n"
    html = EMAIL_SEPARATOR_HTML.join(f'<div lang="{p[0]}">{p[3]}</div>' for p in parts)
    return subject, text, html


__all__ = ["force_locale", "select_locale", "remember", "switch_url", "for_recipient_force", "current"]
