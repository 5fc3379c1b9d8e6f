"""Forms for the OSJA assessment, its reviews and the named people, in GOV.UK voice. The rules live in the services
(approvals.osja.errors, approvals.people.parse), shared with the API: these forms only ask the questions."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from approvals import osja, people
from approvals.cost_recovery import parse_pounds
from approvals.forms_base import BaseForm, DateField, GovDateInput, VersionedForm, long_text, short_text
from approvals.human_rights import LIKELIHOODS, RESIDUALS, RISKS


def _radios(label, choices, description=""):
    return RadioField(label, choices=choices, widget=GovRadioInput(), validators=[Optional()], description=description)


def _date(label, description="For example, 27 3 2027"):
    return DateField(label, format="%d %m %Y", widget=GovDateInput(), validators=[Optional()], description=description)


class AssessmentVersionForm(BaseForm):
    """Carries the assessment's version the writer read: a save over a newer version is refused."""

    osja_version = HiddenField()

    def expected_number(self):
        value = self.osja_version.data
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None


class OsjaForm(AssessmentVersionForm):
    owner = _radios("Who owns the assessment?", osja.OWNERS)
    owner_body = short_text(
        "The body that owns it", "", required=False, description="For example, the FCDO's CSSF programme"
    )
    owner_reference = short_text("Its reference for the assessment", "", required=False)
    country_stability = long_text(
        "Stability and conflict, now and within the next 5 years",
        description="Concerns about the stability of the host country now or in the next 5 years, or ongoing conflict",
    )
    country_record = long_text("Record on human rights and international humanitarian law")
    country_sources = long_text(
        "Sources consulted, with dates", description="For example, 'FCDO human rights report, read 3 March 2027'"
    )
    recipient_unit = short_text(
        "Recipient unit", "", required=False, description="The unit that receives the assistance"
    )
    transferred = long_text("Skills, equipment or information transferred")
    misuse = long_text("How could they be misused?")
    risks = SelectMultipleField(
        "Could the assistance contribute to any of these violations?",
        choices=RISKS,
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        description="Select all that apply. Leave blank if none.",
    )
    likelihood = _radios("How likely is the risk?", LIKELIHOODS)
    mitigations = long_text(
        "Mitigations", description="Required before a positive decision when the residual risk is high"
    )
    residual = _radios("Residual risk after mitigation", RESIDUALS)
    contributes = _radios(
        "Is there a serious risk that the assistance might directly or significantly contribute to a violation of "
        "human rights or international humanitarian law?",
        osja.YES_NO,
        description="A serious risk goes to ministers.",
    )
    contributes_reasoning = long_text("Your reasoning")
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def load(self, content):
        for name in osja.LABELS:
            if name != "consultees":
                getattr(self, name).data = content.get(name)

    def content(self, consultees):
        values = {name: getattr(self, name).data for name in osja.LABELS if name != "consultees"}
        values["risks"] = list(values["risks"] or [])
        return {**values, "consultees": consultees}


class ConsulteeForm(AssessmentVersionForm):
    organisation = short_text(
        "Organisation", "", required=False, description="For example, the British Embassy, the FCDO desk"
    )
    role = short_text("Their role", "", required=False, description="For example, legal adviser")
    consulted_on = _date("Date consulted")
    advice = long_text("What did they advise?")
    submit = SubmitField("Add consultee", widget=GovSubmitInput())

    def consultee(self):
        return {
            "organisation": self.organisation.data or "",
            "role": self.role.data or "",
            "consulted_on": self.consulted_on.data.isoformat() if self.consulted_on.data else None,
            "advice": self.advice.data or "",
        }


class RemoveForm(AssessmentVersionForm, VersionedForm):
    submit = SubmitField("Remove", widget=GovSubmitInput())


class ReviewForm(VersionedForm):
    outcome = RadioField(
        "Should the work continue?",
        choices=[("continue", "Continue"), ("stop", "Stop: end the work early")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether the work should continue or stop")],
    )
    reasons = long_text("Your reasons", "Give your reasons")
    submit = SubmitField("Record review", widget=GovSubmitInput())


NO_CHOICE = [("", "Not recorded")]


class PersonForm(VersionedForm):
    name = short_text("Full name", "", required=False)
    email = short_text(
        "Work email address",
        "",
        required=False,
        description="It links the person to their account, where they have one",
    )
    kind = _radios("Officer or staff?", people.KINDS)
    rank = short_text("Rank or grade", "", required=False)
    home_unit = short_text("Home unit", "", required=False)
    role = short_text("Role on the deployment", "", required=False)
    vetting = SelectField(
        "Vetting level", choices=NO_CHOICE + people.VETTING, widget=GovSelect(), validators=[Optional()]
    )
    service = _radios(
        "Kind of service",
        people.SERVICES,
        description="Temporary service under section 26 changes the officer's status (Police Act 1996 s97)",
    )
    service_start = _date("Temporary service starts")
    reversion_date = _date("Reversion date", "The date they revert to their force")
    travel_risk_assessed_on = _date("Travel risk assessed on")
    travel_risk_assessed_by = short_text("Travel risk assessed by", "", required=False)
    fcdo_advice = SelectField(
        "FCDO travel advice at that date",
        choices=NO_CHOICE + people.FCDO_ADVICE,
        widget=GovSelect(),
        validators=[Optional()],
    )
    insurance_holder = _radios("Who holds the insurance?", people.HOLDERS)
    insurance_holder_other = short_text("Name who holds the insurance", "", required=False, description="If other")
    liabilities_holder = _radios("Who holds the third-party, injury and death-in-service liabilities?", people.HOLDERS)
    liabilities_holder_other = short_text("Name who holds them", "", required=False, description="If other")
    welfare_contact = short_text("Welfare contact", "", required=False)
    days = IntegerField(
        "Days on the deployment",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(0, people.MAX_DAYS, f"Enter a number of days from 0 to {people.MAX_DAYS}")],
        description="Their salary cost is worked out from these days and the rate card",
    )
    overtime_days = IntegerField(
        "Overtime days",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(0, people.MAX_DAYS, f"Enter a number of days from 0 to {people.MAX_DAYS}")],
    )
    debrief_on = _date("Return debrief done on", "At close-out")
    concerns_observed = _radios("Were human-rights concerns or incidents observed?", [("yes", "Yes"), ("no", "No")])
    concerns_note = long_text("What was observed")
    submit = SubmitField("Save person", widget=GovSubmitInput())

    def load(self, row):
        for key in people.FIELDS:
            value = getattr(row, key)
            if key == "concerns_observed":
                value = None if value is None else ("yes" if value else "no")
            getattr(self, key).data = value

    def values(self):
        values = {key: getattr(self, key).data for key in people.FIELDS}
        values["concerns_observed"] = {"yes": True, "no": False}.get(values["concerns_observed"])
        for key in ("vetting", "fcdo_advice", "kind", "service", "insurance_holder", "liabilities_holder"):
            values[key] = values[key] or None
        values["service"] = values["service"] or "visit"
        return values


class OverrideForm(VersionedForm):
    amount = StringField(
        "Amount instead, in pounds",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the amount")],
        description="For example, 1250.50",
    )
    reason = long_text("Why the rate card does not apply", "Give the reason for overriding the rate card")
    submit = SubmitField("Override", widget=GovSubmitInput())

    def validate_amount(self, field):
        try:
            self.pence = parse_pounds(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from error


class ComputeForm(VersionedForm):
    submit = SubmitField("Work out salary costs from the rate card", widget=GovSubmitInput())
