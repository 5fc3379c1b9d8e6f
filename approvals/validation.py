"""Field rules shared by the web forms and the API, so both refuse the same things with the same words."""

from approvals import human_rights
from config.settings import MAX_MONEY_PENCE, MAX_PEOPLE
from models.reference_data import (
    COST_CATEGORIES,
    FUNDING_SOURCES,
    PURPOSES,
    REQUESTING_BODY_KINDS,
    SPONSORS,
    is_destination,
)


def date_errors(start, end, retrospective, retrospective_reason, today):
    errors = {}
    if start and end and end < start:
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
    if category not in dict(COST_CATEGORIES):
        errors["category"] = "Select a cost category"
    if (message := money_error(pence)) is not None:
        errors["amount"] = message
    return errors


def funding_errors(source, pence):
    errors = {}
    if source not in dict(FUNDING_SOURCES):
        errors["source"] = "Select a funding source"
    if (message := money_error(pence)) is not None:
        errors["amount"] = message
    return errors


def destination_error(code):
    return None if code is None or is_destination(code) else "Select a country or territory from the list"
