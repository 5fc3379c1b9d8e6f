from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import BooleanField, RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from approvals import human_rights
from approvals.forms_base import DateField, GovDateInput, VersionedForm, long_text, short_text
from approvals.human_rights import ETHICS_PRINCIPLES, RESIDUALS
from approvals.osja import AGREEMENTS
from config.settings import CONDITION_MAX, MAX_CONDITIONS

CONDITIONS_TEXT_MAX = MAX_CONDITIONS * (CONDITION_MAX + 1)


class DecisionForm(VersionedForm):
    # The choices are the gate's own words (approvals.machine.outcome_choices), set by the view.
    outcome = RadioField(
        "Your decision", choices=[], widget=GovRadioInput(), validators=[InputRequired("Select a decision")]
    )
    reasons = long_text(
        "Reasons, or questions for the submitter", description="Required to decline or return the request"
    )
    conditions = TextAreaField(
        "Conditions of your approval (optional)",
        widget=GovTextArea(),
        description=f"One condition per line, for example: No participation in interviews of detained persons. "
        f"Only for a positive decision; at most {MAX_CONDITIONS} conditions of {CONDITION_MAX} characters each.",
        validators=[Optional(), Length(max=CONDITIONS_TEXT_MAX, message="Conditions are too long")],
    )
    cost_waiver_reason = long_text(
        "Reason for waiving full cost recovery",
        description="Required for a positive decision while committed funding does not cover the full cost",
    )
    # The decider does not retype the OSJA assessment: they agree with its rating, or give their own with reasons
    # (approvals.osja.deciders_rating). The agreement's label names the rating standing (set by the view).
    hr_agreement = RadioField(
        "Do you agree with the residual risk rating?",
        choices=AGREEMENTS,
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    hr_residual = RadioField(
        "Your rating of the residual risk",
        choices=RESIDUALS,
        widget=GovRadioInput(),
        validators=[Optional()],
        description="Only if you give your own rating",
    )
    hr_lowering_reason = long_text(
        "Reasons for your rating",
        description="Required for your own rating; rating the risk lower than it stands always needs a reason",
    )
    hr_mitigations = long_text(
        "Further mitigations you rely on (optional)",
        description="Added to the assessment's mitigations in your decision's record",
    )
    # The ministerial route (issue 17). Each reason or decision is revealed by its checkbox (GOV.UK conditional reveal).
    refer_to_ministers = BooleanField(
        "Refer this request to ministers",
        widget=GovCheckboxInput(),
        description="Required for a positive decision when the residual human-rights risk is serious",
    )
    referral_reason = long_text("Why the request goes to ministers")
    contentious = BooleanField(
        "Mark the request as contentious (political or reputational sensitivity)", widget=GovCheckboxInput()
    )
    contentious_reason = long_text("Why the request is contentious")
    record_ministerial_decision = BooleanField("Record the ministers' decision", widget=GovCheckboxInput())
    minister = short_text("Minister who decided", "Enter the minister who decided", required=False)
    ministerial_decided_on = DateField(
        "Date of the ministers' decision",
        format="%d %m %Y",
        widget=GovDateInput(),
        description="For example, 27 3 2027",
        validators=[Optional()],
    )
    ministerial_rationale = long_text("The ministers' rationale")
    ethics_confirmed = BooleanField(
        "This decision has considered the College of Policing Code of Ethics",
        widget=GovCheckboxInput(),
        description=ETHICS_PRINCIPLES,
    )
    ethics_notes = long_text("Code of Ethics notes (optional)")
    submit = SubmitField("Record decision", widget=GovSubmitInput())

    def assessment(self):
        """The decider's own rating and mitigations; the rest of the assessment is the OSJA's."""
        return human_rights.Assessment(
            residual=self.hr_residual.data or None, mitigations=self.hr_mitigations.data or ""
        )


# Which field shows a refusal from the workflow's rules.
RULE_FIELDS = {
    "reasons_required": "reasons",
    "ethics_attestation": "ethics_confirmed",
    "cost_shortfall": "cost_waiver_reason",
    "cost_waiver_recommendation": "cost_waiver_reason",
    "hr_serious": "hr_residual",
    "hr_high_needs_mitigations": "hr_mitigations",
    "hr_lowered_without_reason": "hr_lowering_reason",
    "refer_to_ministers": "refer_to_ministers",
    "referral_reason": "referral_reason",
    "contentious_reason": "contentious_reason",
    "ministerial_decision_required": "record_ministerial_decision",
    "ministerial_decision": "record_ministerial_decision",
    "ministerial_decision.minister": "minister",
    "ministerial_decision.decided_on": "ministerial_decided_on",
    "ministerial_decision.rationale": "ministerial_rationale",
    "hr_residual": "hr_residual",
    "hr_agreement": "hr_agreement",
    "hr_rating_reasons": "hr_lowering_reason",
    "outcome": "outcome",
    "conditions": "conditions",
}
