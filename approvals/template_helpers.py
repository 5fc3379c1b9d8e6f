"""Filters and globals the templates share."""

from datetime import UTC, date
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from flask import current_app
from flask_login import current_user
from markupsafe import Markup

from approvals import delegation, marking, ministerial, osja, policy
from approvals.cost_recovery import format_pence
from approvals.gates import GATE_BY_STATE
from approvals.human_rights import LIKELIHOODS, RESIDUALS, RISKS
from approvals.machine import STATE_TEXT, outcome_label, state_label
from approvals.route import PART_STATE_TEXT
from approvals.security import csp_nonce
from config.settings import LONG_TEXT_MAX, SHORT_TEXT_MAX
from models import reference_data as ref

# The data's limits the templates need (maxlength attributes), read from the settings.
LIMITS = SimpleNamespace(LONG_TEXT_MAX=LONG_TEXT_MAX, SHORT_TEXT_MAX=SHORT_TEXT_MAX)


def state_tag(state):
    text = STATE_TEXT.get(state)
    return {"text": text.label, "classes": text.tag} if text else {"text": state, "classes": ""}


def state_tag_html(state):
    """The same markup govukTag renders, written directly: list pages show one per row, and a Jinja macro
    call per row was a large part of their rendering time."""
    text = STATE_TEXT.get(state)
    label, classes = (text.label, text.tag) if text else (state, "")
    return Markup('<strong class="govuk-tag {}">{}</strong>').format(classes, label)  # format() escapes both


UK_TIME = ZoneInfo("Europe/London")


def date_format(value):
    """GOV.UK style, "26 November 2026" (Welsh too, approvals.language): the one way every page writes a date; an
    ISO string (as in the reports' JSON) is accepted too."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    from approvals.language import format_date

    return format_date(value)


def datetime_format(value):
    """GOV.UK style in UK time, "26 November 2026 at 2:05pm" (times are stored in UTC)."""
    if not value:
        return ""
    local = value.replace(tzinfo=UTC).astimezone(UK_TIME) if value.tzinfo is None else value.astimezone(UK_TIME)
    hour = local.hour % 12 or 12
    time = (
        "midday"
        if (local.hour, local.minute) == (12, 0)
        else f"{hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"
    )
    return f"{date_format(local.date())} at {time}"


def error_items(forms):
    """GOV.UK error summary items for every error on the page's forms, each linking to its field."""
    items = []
    for form in forms:
        for message in form.form_errors:
            items.append({"text": message, "href": "#main-content"})
        for field in form:
            if not field.errors:
                continue
            target = f"{field.id}-day" if field.type == "DateField" else field.id
            items.extend({"text": message, "href": f"#{target}"} for message in field.errors[:1])
    return items


def case_marking(*candidates):
    """The protective marking of the first request among `candidates` (the page's case), else None."""
    from models import AssistanceRequest

    for candidate in candidates:
        if isinstance(candidate, AssistanceRequest):
            return marking.marking_of(candidate)
    return None


def init_app(app):
    filters = {
        "money": format_pence,
        "date": date_format,
        "datetime": datetime_format,
        "state_label": state_label,
        "state_tag": state_tag,
        "tag": state_tag_html,
        "country": ref.country_label,
        "purpose": lambda code: ref.label(ref.PURPOSES, code),
        "sponsor": lambda code: ref.label(ref.SPONSORS, code),
        "body_kind": lambda code: ref.label(ref.REQUESTING_BODY_KINDS, code),
        "cost_category": lambda code: ref.label(ref.COST_CATEGORIES, code),
        "funding_source": lambda code: ref.label(ref.FUNDING_SOURCES, code),
        "duration_band": lambda code: ref.label(ref.DURATION_BANDS, code),
        "role": lambda code: ref.ROLES.get(code, code),
        "risk": lambda code: ref.label(RISKS, code),
        "likelihood": lambda code: ref.label(LIKELIHOODS, code),
        "residual": lambda code: ref.label(RESIDUALS, code),
        "gate_title": lambda state: GATE_BY_STATE[state].title if state in GATE_BY_STATE else state,
        "outcome": lambda decision: outcome_label(decision.gate, decision.outcome),
        "assistance_kind": lambda code: ref.label(ref.ASSISTANCE_KINDS, code),
        "delivery_button": lambda code: ref.DELIVERY_WORDING.get(code, ref.DELIVERY_WORDING["deployment_overseas"])[0],
        "consent_basis": lambda code: {
            "general_authorisation": "General authorisation",
            "individual_consent": "Individual Home Secretary consent",
        }.get(code, code),
        "yes_no": lambda value: "" if value is None else ("Yes" if value else "No"),
        # "Name, on behalf of Chief Constable Name" for a decision made under a delegation (issue 17).
        "delegation_gate": lambda name: delegation.GATE_LABELS.get(name, name),
        "decided_by": lambda d: delegation.on_behalf_phrase(d.actor, d.on_behalf_of, d.gate),
        "osja_answer": lambda value, name: osja.shown(name, value),
    }
    app.jinja_env.filters.update(filters)
    # Globals, not context values: macros imported without context (the documents table) use them too.
    app.jinja_env.globals.update(
        case_marking=case_marking, marking_of=marking.marking_of, document_marking=marking.document_marking
    )

    @app.context_processor
    def globals_():
        return {
            "serviceName": current_app.config["SERVICE_NAME"],
            "serviceUrl": "/",
            "cspNonce": csp_nonce(),
            "assetPath": "/assets",
            "current_user": current_user,
            "error_items": error_items,
            "policy": policy,
            "ministerial": ministerial,
            # Issue 17: the account page's away period and delegations.
            "account_delegations": lambda user: [
                row
                for row in delegation.visible(user)
                if (row.delegate_id == user.id or row.delegator_id == user.id)
                and row.revoked_at is None
                and row.ends_on >= date.today()
            ],
            "may_name_deputy": lambda user: bool(policy.deputy_gates(user)),
            "may_delegate_any": policy.manages_delegations,
            "today_date": date.today,
            "limits": LIMITS,
            "osja_parts": osja.FIELDS,
            "part_state": lambda state: PART_STATE_TEXT.get(state, state),
        }
