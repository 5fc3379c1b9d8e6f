"""Field rules shared by the web forms and the API, so both refuse the same things with the same words."""

import unicodedata

from approvals import human_rights
from config.settings import MAX_JSON_DEPTH, MAX_MONEY_PENCE, MAX_PEOPLE
from models.reference_data import (
    ASSISTANCE_KINDS,
    COST_CATEGORIES,
    FUNDING_SOURCES,
    PURPOSES,
    REQUESTING_BODY_KINDS,
    SPONSORS,
    TRAVEL_COST_CATEGORIES,
    is_destination,
)

UNSTORABLE_TEXT = "Remove the hidden control characters from this answer"


def _invisible(ch):
    # Whitespace, and format characters such as zero-width spaces and joiners: text made only of these is empty.
    return ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs", "Zl", "Zp", "Cc")


def clean_text(value):
    """Surrounding whitespace removed, and "" for text with nothing visible in it (three zero-width spaces are
    not a reason). Anything that is not text comes back as it was."""
    if not isinstance(value, str):
        return value
    stripped = value.strip()
    return stripped if not all(_invisible(ch) for ch in stripped) else ""


def text_error(value):
    """Why `value` cannot be stored as text, or None: NUL and other control characters (PostgreSQL refuses NUL;
    the rest are never meant), and unpaired surrogates (not encodable as UTF-8)."""
    if not isinstance(value, str):
        return None
    for ch in value:
        code = ord(ch)
        if (code < 0x20 and ch not in "\t\n\r") or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            return UNSTORABLE_TEXT
    return None


def clean_payload(data, path="", depth=0):
    """A parsed JSON body with every string cleaned (see clean_text), and {field path: message} for strings that
    cannot be stored and for nesting past MAX_JSON_DEPTH."""
    errors = {}
    if depth > MAX_JSON_DEPTH:
        return None, {path or "body": f"Must not be nested more than {MAX_JSON_DEPTH} levels deep"}
    if isinstance(data, str):
        message = text_error(data)
        return (None, {path or "body": message}) if message else (clean_text(data), {})
    if isinstance(data, dict):
        cleaned = {}
        for key, value in data.items():
            if text_error(key):
                errors[path or "body"] = "Field names must be plain text"
                continue
            cleaned[key], found = clean_payload(value, f"{path}.{key}" if path else key, depth + 1)
            errors.update(found)
        return cleaned, errors
    if isinstance(data, list):
        cleaned = []
        for index, value in enumerate(data):
            item, found = clean_payload(value, f"{path}.{index}" if path else str(index), depth + 1)
            cleaned.append(item)
            errors.update(found)
        return cleaned, errors
    return data, errors


def is_choice(value, pairs):
    """Whether `value` is one of the codes in `pairs`; False for anything that is not a string (a JSON object
    where a choice is expected must be a field error, not a TypeError)."""
    return isinstance(value, str) and value in dict(pairs)


MAX_YEARS_AHEAD = 5


def latest_date(today):
    """The furthest date a request may name: 5 years from today (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:
        return today.replace(year=today.year + MAX_YEARS_AHEAD, day=28)


def date_errors(start, end, retrospective, retrospective_reason, today):
    errors = {}
    # A date years away is a typing slip (a year of 2062, or 9999 to mean "open-ended"): deployments
    # are planned months ahead, and such a date would make every duration and FOI figure nonsense.
    latest = latest_date(today)
    for name, label, value in (("start_date", "Start date", start), ("end_date", "End date", end)):
        if value and value > latest:
            errors[name] = (
                f"{label} must be no more than {MAX_YEARS_AHEAD} years from today (on or before {latest:%-d %B %Y})"
            )
    if start and end and end < start and "end_date" not in errors:
        errors["end_date"] = "End date must be the same as or after the start date"
    if start and start < today and not retrospective:
        errors["start_date"] = "Start date must be today or in the future, unless the request is retrospective"
    if retrospective and not (retrospective_reason or "").strip():
        errors["retrospective_reason"] = "Explain why the request is retrospective"
    return errors


def personnel_errors(officers, staff):
    errors = {}
    for name, value in (("officers", officers), ("staff", staff)):
        if value is not None and not 0 <= value <= MAX_PEOPLE:
            errors[name] = f"Number must be between 0 and {MAX_PEOPLE}"
    if not errors and officers is not None and staff is not None and officers + staff == 0:
        errors["officers"] = "Enter at least 1 police officer or member of police staff"
    return errors


def kind_errors(values, cost_categories=()):
    """What does not fit the kind of assistance: how many foreign personnel (for the UK-delivered kinds), and no
    travel costs for advice given remotely."""
    errors = {}
    kind = values.get("assistance_kind")
    if kind is not None and not is_choice(kind, ASSISTANCE_KINDS):
        errors["assistance_kind"] = "Select the kind of assistance"
    foreign = values.get("foreign_personnel")
    if foreign is not None and not 1 <= foreign <= MAX_PEOPLE:
        errors["foreign_personnel"] = f"Number must be between 1 and {MAX_PEOPLE}"
    travel = sorted(set(cost_categories) & TRAVEL_COST_CATEGORIES)
    if kind == "remote_advice" and travel:
        errors["cost_lines"] = f"Advice given remotely has no travel costs: remove {', '.join(travel)}"
    return errors


def flag_errors(values):
    errors = {}
    if values.get("urgent") and not (values.get("urgent_reason") or "").strip():
        errors["urgent_reason"] = "Explain why the request is urgent"
    if values.get("uk_investigation") and not (values.get("uk_investigation_justification") or "").strip():
        errors["uk_investigation_justification"] = "Explain how the travel is connected with UK police work"
    if values.get("sponsor") == "other" and not (values.get("sponsor_other") or "").strip():
        errors["sponsor_other"] = "Enter the name of the sponsor"
    return errors


CHOICES = {
    "requesting_body_kind": (REQUESTING_BODY_KINDS, "Select the kind of requesting body"),
    "purpose": (PURPOSES, "Select a purpose"),
    "sponsor": (SPONSORS, "Select a sponsor"),
    "hr_likelihood": (human_rights.LIKELIHOODS, "Select how likely the risk is"),
    "hr_residual": (human_rights.RESIDUALS, "Select the residual risk"),
}


def money_error(pence):
    if not isinstance(pence, int) or isinstance(pence, bool):
        return "Amount must be a whole number of pence"
    if pence < 0:
        return "Amount must be 0 or more"
    if pence > MAX_MONEY_PENCE:
        return "Amount must be £100 million or less"
    return None


def cost_line_errors(category, pence):
    errors = {}
    if not is_choice(category, COST_CATEGORIES):
        errors["category"] = "Select a cost category"
    if (message := money_error(pence)) is not None:
        errors["amount"] = message
    return errors


def funding_errors(source, pence):
    errors = {}
    if not is_choice(source, FUNDING_SOURCES):
        errors["source"] = "Select a funding source"
    if (message := money_error(pence)) is not None:
        errors["amount"] = message
    return errors


def destination_error(code):
    return None if code is None or is_destination(code) else "Select a country or territory from the list"
