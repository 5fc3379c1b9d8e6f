from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSubmitInput
from wtforms import BooleanField, RadioField, SubmitField
from wtforms.validators import InputRequired

from approvals.forms_base import HumanRightsFields, VersionedForm, long_text
from approvals.human_rights import ETHICS_PRINCIPLES


class DecisionForm(HumanRightsFields, VersionedForm):
    # The choices are the gate's own words (approvals.machine.outcome_choices), set by the view.
    outcome = RadioField(
        "Your decision", choices=[], widget=GovRadioInput(), validators=[InputRequired("Select a decision")]
    )
    reasons = long_text(
        "Reasons, or questions for the submitter", description="Required to decline or return the request"
    )
    cost_waiver_reason = long_text(
        "Reason for waiving full cost recovery",
        description="Required for a positive decision while committed funding does not cover the full cost",
    )
    hr_lowering_reason = long_text(
        "Reason for lowering the residual risk",
        description="Required if you rate the risk lower than the previous gate",
    )
    ministerial_attention_acknowledged = BooleanField(
        "I acknowledge the high human-rights risk flagged for ministerial attention", widget=GovCheckboxInput()
    )
    ethics_confirmed = BooleanField(
        "This decision has considered the College of Policing Code of Ethics",
        widget=GovCheckboxInput(),
        description=ETHICS_PRINCIPLES,
    )
    ethics_notes = long_text("Code of Ethics notes (optional)")
    submit = SubmitField("Record decision", widget=GovSubmitInput())


# Which field shows a refusal from the workflow's rules.
RULE_FIELDS = {
    "reasons_required": "reasons",
    "ethics_attestation": "ethics_confirmed",
    "cost_shortfall": "cost_waiver_reason",
    "cost_waiver_recommendation": "cost_waiver_reason",
    "hr_serious": "hr_residual",
    "hr_high_needs_mitigations": "hr_mitigations",
    "hr_lowered_without_reason": "hr_lowering_reason",
    "ministerial_attention": "ministerial_attention_acknowledged",
    "hr_residual": "hr_residual",
    "hr_likelihood": "hr_likelihood",
    "hr_risks": "hr_risks",
    "outcome": "outcome",
}
