"""Reading API input and writing API output. Input rules come from approvals.validation, so the API
refuses exactly what the web forms refuse, with the same words."""

from datetime import date

from approvals import cost_recovery, human_rights, marking, ministerial, queries, route, validation
from approvals.machine import outcome_label
from config.settings import LONG_TEXT_MAX, MAX_MONEY_LINES, SHORT_TEXT_MAX
from models.reference_data import ASSISTANCE_KINDS, REQUESTING_BODY_KINDS, SPONSORS, normalise_destination

MAX_CONTRIBUTING_FORCES = 42  # every other territorial force of England and Wales
SHORT_TEXT_FIELDS = (
    "title",
    "requesting_body",
    "coordinating_unit",
    "mission_reference",
    "sponsor_other",
    "destination_place",
    "location",
)
LONG_TEXT_FIELDS = (
    "purpose_details",
    "personnel_roles",
    "urgent_reason",
    "retrospective_reason",
    "uk_investigation_justification",
    "contentious_reason",
)
BOOL_FIELDS = ("uk_investigation", "sensitive", "urgent", "retrospective", "contentious")
INT_FIELDS = ("officers", "staff", "foreign_personnel")
DATE_FIELDS = ("start_date", "end_date")
ENUM_FIELDS = {
    "requesting_body_kind": REQUESTING_BODY_KINDS,
    "purpose": validation.CHOICES["purpose"][0],
    "sponsor": SPONSORS,
    "assistance_kind": ASSISTANCE_KINDS,
}
WRITABLE = (
    *SHORT_TEXT_FIELDS,
    *LONG_TEXT_FIELDS,
    *BOOL_FIELDS,
    *INT_FIELDS,
    *DATE_FIELDS,
    *ENUM_FIELDS,
    "destination",
    "marking",
    "cost_lines",
    "funding",
    "human_rights",
    "general_authorisation",
    "contributing_forces",
)


class Invalid(Exception):
    def __init__(self, errors):
        super().__init__("invalid input")
        self.errors = errors


def _text(errors, name, value, limit):
    if value is None:
        return None
    if not isinstance(value, str):
        errors[name] = "Must be text"
        return None
    value = validation.clean_text(value)
    if len(value) > limit:
        errors[name] = f"Must be {limit} characters or fewer"
    return value or None


def _money_lines(errors, name, items, kind):
    if items is None:
        return []
    if not isinstance(items, list) or len(items) > MAX_MONEY_LINES:
        errors[name] = f"Must be a list of at most {MAX_MONEY_LINES} items"
        return []
    rows = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"{name}.{index}"] = "Must be an object"
            continue
        code_field = "category" if kind == "cost" else "source"
        code, pence = item.get(code_field), item.get("amount_pence")
        problems = (validation.cost_line_errors if kind == "cost" else validation.funding_errors)(code, pence)
        for key, message in problems.items():
            errors[f"{name}.{index}.{key if key != 'amount' else 'amount_pence'}"] = message
        description = _text(errors, f"{name}.{index}.description", item.get("description"), SHORT_TEXT_MAX) or ""
        row = {code_field: code, "amount_pence": pence, "description": description}
        if kind == "funding":
            committed = item.get("committed", False)
            if not isinstance(committed, bool):
                errors[f"{name}.{index}.committed"] = "Must be true or false"
            row["committed"] = committed is True
        rows.append(row)
    return rows


def _contributing_forces(errors, items):
    """`contributing_forces`: [{"force": slug, "officers": n, "staff": n}], each force once (issue 23)."""
    if items is None:
        return []
    if not isinstance(items, list) or len(items) > MAX_CONTRIBUTING_FORCES:
        errors["contributing_forces"] = f"Must be a list of at most {MAX_CONTRIBUTING_FORCES} forces"
        return []
    rows, seen = [], set()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"contributing_forces.{index}"] = "Must be an object"
            continue
        slug = item.get("force")
        if not isinstance(slug, str) or slug in seen:
            errors[f"contributing_forces.{index}.force"] = "Must be a force's slug, each force once"
            continue
        seen.add(slug)
        counts = {}
        for name in ("officers", "staff"):
            value = item.get(name, 0)
            if not isinstance(value, int) or isinstance(value, bool):
                errors[f"contributing_forces.{index}.{name}"] = "Must be a whole number"
                value = 0
            counts[name] = value
        for name, message in validation.personnel_errors(counts["officers"], counts["staff"]).items():
            errors[f"contributing_forces.{index}.{name}"] = message
        rows.append({"force": slug, **counts})
    return rows


def parse_assessment(errors, data, prefix="human_rights"):
    if data is None:
        return None
    if not isinstance(data, dict):
        errors[prefix] = "Must be an object"
        return None
    risks = data.get("risks", [])
    if not isinstance(risks, list) or not all(isinstance(r, str) for r in risks):
        errors[f"{prefix}.risks"] = "Must be a list of risk codes"
        risks = []
    mitigations = _text(errors, f"{prefix}.mitigations", data.get("mitigations"), LONG_TEXT_MAX) or ""
    likelihood, residual = data.get("likelihood"), data.get("residual")
    assessment = human_rights.Assessment(
        risks=risks,
        likelihood=likelihood if isinstance(likelihood, str) else None,
        mitigations=mitigations,
        residual=residual if isinstance(residual, str) else None,
    )
    for key, message in human_rights.validate(assessment).items():
        errors[f"{prefix}.{key.removeprefix('hr_')}"] = message
    return assessment


def parse_request(data, existing=None, today=None):
    """Validate a create/patch body. Returns (field values, cost lines or None, funding or None)."""
    if not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object"})
    errors, values = {}, {}
    unknown = sorted(set(data) - set(WRITABLE) - {"version"})
    for name in unknown:
        errors[name] = "Unknown field"
    for name in SHORT_TEXT_FIELDS:
        if name in data:
            values[name] = _text(errors, name, data[name], SHORT_TEXT_MAX)
    for name in LONG_TEXT_FIELDS:
        if name in data:
            values[name] = _text(errors, name, data[name], LONG_TEXT_MAX)
    for name in BOOL_FIELDS:
        if name in data:
            if data[name] is not None and not isinstance(data[name], bool):
                errors[name] = "Must be true or false"
            else:
                values[name] = data[name]
    for name in INT_FIELDS:
        if name in data:
            value = data[name]
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                errors[name] = "Must be a whole number"
            else:
                values[name] = value
    for name in DATE_FIELDS:
        if name in data:
            value = data[name]
            try:
                values[name] = None if value is None else date.fromisoformat(value)
            except (TypeError, ValueError):
                errors[name] = "Must be a date like 2027-03-27"
    for name, pairs in ENUM_FIELDS.items():
        if name in data:
            if data[name] is not None and not validation.is_choice(data[name], pairs):
                errors[name] = f"Must be one of: {', '.join(code for code, _ in pairs)}"
            else:
                values[name] = data[name]
    if "destination" in data:
        code = data["destination"]
        normalised = normalise_destination(code)
        if code is not None and normalised is None:
            errors["destination"] = "Must be an ISO 3166-1 alpha-2 code of a country or territory outside the UK"
        else:
            values["destination"] = normalised
    if "general_authorisation" in data:
        reference = data["general_authorisation"]
        if reference is None:
            values["general_authorisation"] = None
        elif not isinstance(reference, str) or route.find(reference.strip().upper()) is None:
            errors["general_authorisation"] = "There is no general authorisation with this reference"
        else:
            values["general_authorisation"] = reference.strip().upper()
    if "contributing_forces" in data:
        values["contributing_forces"] = _contributing_forces(errors, data["contributing_forces"])
    if "assistance_kind" in data and data["assistance_kind"] is None:
        errors["assistance_kind"] = f"Must be one of: {', '.join(code for code, _ in ASSISTANCE_KINDS)}"
    if "marking" in data:
        problem = marking.error(data["marking"])
        if problem:
            errors["marking"] = problem
        else:
            values["marking"] = marking.normalise(data["marking"])
    if "title" in data and not values.get("title") and "title" not in errors:
        errors["title"] = "Enter a title"
    if "human_rights" in data:
        assessment = parse_assessment(errors, data["human_rights"])
        if assessment is not None:
            values.update(
                hr_risks=assessment.risks,
                hr_likelihood=assessment.likelihood,
                hr_mitigations=assessment.mitigations or None,
                hr_residual=assessment.residual,
            )
    cost_lines = _money_lines(errors, "cost_lines", data["cost_lines"], "cost") if "cost_lines" in data else None
    funding = _money_lines(errors, "funding", data["funding"], "funding") if "funding" in data else None

    merged = {name: getattr(existing, name, None) for name in WRITABLE if hasattr(existing, name)} if existing else {}
    merged.update(values)
    today = today or date.today()
    if not errors:
        errors.update(
            validation.date_errors(
                merged.get("start_date"),
                merged.get("end_date"),
                merged.get("retrospective"),
                merged.get("retrospective_reason"),
                today,
            )
        )
        errors.update(validation.personnel_errors(merged.get("officers"), merged.get("staff")))
        categories = [line["category"] for line in cost_lines] if cost_lines is not None else None
        if categories is None and existing is not None:
            categories = [line.category for line in existing.cost_lines]
        errors.update(validation.kind_errors(merged, categories or ()))
        errors.update(validation.flag_errors(merged))
        if merged.get("sensitive") and merged.get("marking") == marking.OFFICIAL and "marking" in values:
            errors["marking"] = marking.SENSITIVE_FLOOR_MESSAGE
    if errors:
        raise Invalid(errors)
    return values, cost_lines, funding


def _record_json(request):
    from approvals.api.records import record_json  # here: records registers routes on the blueprint

    return record_json(request)


def request_json(request):
    position = cost_recovery.position(request.cost_lines, request.funding)
    open_queries, paused, due_on = queries.clock_state(request)
    referral_reasons = ministerial.referral_reasons(request)
    return {
        "id": request.id,
        "reference": request.reference,
        "force": request.force.slug,
        "state": request.state,
        "version": request.version,
        "variation_of": request.variation_of_id,
        "title": request.title,
        "requesting_body": request.requesting_body,
        "requesting_body_kind": request.requesting_body_kind,
        "destination": request.destination,
        "destination_place": request.destination_place,
        "purpose": request.purpose,
        "purpose_details": request.purpose_details,
        "operational": request.operational,
        "sponsor": request.sponsor,
        "sponsor_other": request.sponsor_other,
        "start_date": request.start_date.isoformat() if request.start_date else None,
        "end_date": request.end_date.isoformat() if request.end_date else None,
        "duration_band": request.duration_band,
        "officers": request.officers,
        "staff": request.staff,
        "personnel_roles": request.personnel_roles,
        "coordinating_unit": request.coordinating_unit,
        "mission_reference": request.mission_reference,
        "uk_investigation": request.uk_investigation,
        "uk_investigation_justification": request.uk_investigation_justification,
        "sensitive": request.sensitive,
        "marking": marking.marking_of(request),
        "urgent": request.urgent,
        "urgent_reason": request.urgent_reason,
        "contentious": request.contentious,
        "contentious_reason": request.contentious_reason,
        # The ministerial route (issue 17): whether and why the request goes to ministers, and their decision.
        "referred_to_ministers": bool(referral_reasons),
        "referral_reasons": referral_reasons,
        "ministerial_decision": ministerial.standing_ministerial_decision(request),
        "escalated": request.escalated_on is not None,
        "retrospective": request.retrospective,
        "retrospective_reason": request.retrospective_reason,
        "cost_lines": [
            {"category": c.category, "amount_pence": c.amount_pence, "description": c.description}
            for c in request.cost_lines
        ],
        "funding": [
            {"source": f.source, "amount_pence": f.amount_pence, "committed": f.committed, "description": f.description}
            for f in request.funding
        ],
        "full_cost_pence": position.full_cost_pence,
        "committed_funding_pence": position.committed_pence,
        "expected_funding_pence": position.expected_pence,
        "shortfall_pence": position.shortfall_pence,
        "human_rights": {
            "risks": list(request.hr_risks or []),
            "likelihood": request.hr_likelihood,
            "mitigations": request.hr_mitigations,
            "residual": request.hr_residual,
        },
        "assistance_kind": request.assistance_kind,
        "foreign_personnel": request.foreign_personnel,
        "location": request.location,
        "general_authorisation": request.general_authorisation,
        "consent_basis": route.consent_basis(request),
        "contributing_forces": [
            {
                "force": part.force.slug,
                "force_name": part.force.name,
                "officers": part.officers,
                "staff": part.staff,
                "state": part.state,
            }
            for part in request.contributing_forces
        ],
        "called_in": (
            {"at": request.called_in_at.isoformat() + "Z", "reasons": request.call_in_reasons}
            if request.called_in_at
            else None
        ),
        "decisions": [decision_json(d) for d in request.decisions],
        # While a question to the submitter is open the clock is paused and the due date moves on day by day.
        "gate_due_on": due_on.isoformat() if due_on else None,
        "open_queries": open_queries,
        "gate_clock_paused": paused,
        "actual_cost_pence": request.actual_cost_pence,
        "recovered_pence": request.recovered_pence,
        **_record_json(request),
        "created_at": request.created_at.isoformat() + "Z",
        "updated_at": request.updated_at.isoformat() + "Z",
    }


def decision_json(decision):
    return {
        "id": decision.id,
        "gate": decision.gate,
        "outcome": decision.outcome,
        # The gate's own words (approvals.machine.GATE_WORDING): "Recommended", "Approved", "Consented", ...
        "outcome_label": outcome_label(decision.gate, decision.outcome),
        "decided_at": decision.decided_at.isoformat() + "Z",
        "decided_by": decision.actor.email,
        "on_behalf_of": decision.on_behalf_of.email if decision.on_behalf_of_id else None,
        "reasons": decision.reasons,
        "shortfall_pence": decision.shortfall_pence,
        "cost_waiver_reason": decision.cost_waiver_reason,
        # At the chief officer's gate the reason is a recommendation: the waiver itself is the PCC's.
        "cost_waiver": (
            None
            if not decision.cost_waiver_reason
            else "recommended"
            if decision.waiver_is_recommendation
            else "waived"
        ),
        "waiver_pence": decision.waiver_pence,
        "human_rights": {
            "risks": list(decision.hr_risks or []),
            "likelihood": decision.hr_likelihood,
            "mitigations": decision.hr_mitigations,
            "residual": decision.hr_residual,
        },
        "ministerial_attention": decision.ministerial_attention,
        # Deprecated (issue 17): always false from this release; the ministerial decision replaces it.
        "ministerial_attention_acknowledged": decision.ministerial_attention_acknowledged,
        "refer_to_ministers": decision.refer_to_ministers,
        "referral_reason": decision.referral_reason,
        "ministerial_decision": decision.ministerial_decision,
        "ethics_confirmed": decision.ethics_confirmed,
        "superseded": decision.superseded,
    }
