"""The pieces every blueprint's forms share: the base form (every text answer is trimmed, and empty if nothing in
it is visible; text that cannot be stored, such as NUL, is an error at its field), the versioned form, a date
field and widget that survive date boxes coming back empty or missing, the GOV.UK field makers and the
human-rights questions."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovCheckboxesInput, GovRadioInput, GovTextInput
from govuk_frontend_wtf.wtforms_widgets import GovDateInput as _GovDateInput
from wtforms import DateField as _DateField
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from approvals import human_rights
from approvals.human_rights import LIKELIHOODS, RESIDUALS, RISKS
from approvals.validation import clean_text, text_error
from config.settings import LONG_TEXT_MAX, SHORT_TEXT_MAX


class BaseForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, (StringField, TextAreaField)):
                options = dict(options, filters=[clean_text, *unbound_field.kwargs.get("filters", [])])
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field, (StringField, TextAreaField)) and (message := text_error(field.data)):
                field.errors = [*field.errors, message]
                valid = False
        return valid


class DateField(_DateField):
    """Day, month and year boxes. A date that is not real is "Enter a real date", in GOV.UK's words."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(f"{self.label.text} must be a real date") from error


class GovDateInput(_GovDateInput):
    """GOV.UK's date widget expects exactly three boxes back; a request with fewer (or more) must re-render the
    form with its error, not fail with a ValueError."""

    def map_gov_params(self, field, **kwargs):
        raw = field.raw_data
        if raw is not None and len(raw) != 3:
            field.raw_data = ([*raw, "", "", ""])[:3]
        try:
            return super().map_gov_params(field, **kwargs)
        finally:
            field.raw_data = raw


class VersionedForm(BaseForm):
    """A form that changes a request carries the version the user saw, so a command can refuse a stale save."""

    version = HiddenField()

    def expected_version(self):
        value = (self.version.data or "").strip() if isinstance(self.version.data, str) else self.version.data
        try:
            return int(value) if value else None
        except ValueError:
            return None


YES_NO = [("yes", "Yes"), ("no", "No")]


def short_text(label, message, required=True, description=""):
    validators = [DataRequired(message)] if required else [Optional()]
    validators.append(Length(max=SHORT_TEXT_MAX, message=f"{label} must be {SHORT_TEXT_MAX} characters or fewer"))
    return StringField(label, widget=GovTextInput(), validators=validators, description=description)


def long_text(label, message=None, description=""):
    validators = [DataRequired(message)] if message else [Optional()]
    validators.append(Length(max=LONG_TEXT_MAX, message=f"{label} must be {LONG_TEXT_MAX} characters or fewer"))
    return TextAreaField(label, widget=GovCharacterCount(), validators=validators, description=description)


def yes_no(label, message, description=""):
    return RadioField(
        label, choices=YES_NO, widget=GovRadioInput(), validators=[InputRequired(message)], description=description
    )


def to_bool(answer):
    return {"yes": True, "no": False}.get(answer)


def from_bool(value):
    return None if value is None else ("yes" if value else "no")


class HumanRightsFields:
    """The assessment questions, shared by the submitter's section and every gate's decision."""

    hr_risks = SelectMultipleField(
        "Could the assistance contribute to any of these serious human-rights violations?",
        choices=RISKS,
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        description="Select all that apply. Leave blank if none.",
    )
    hr_likelihood = RadioField(
        "How likely is the risk?", choices=LIKELIHOODS, widget=GovRadioInput(), validators=[Optional()]
    )
    hr_mitigations = long_text("Mitigations", description="Required when the residual risk is high")
    hr_residual = RadioField(
        "Residual risk after mitigation",
        choices=RESIDUALS,
        widget=GovRadioInput(),
        validators=[InputRequired("Select the residual risk")],
    )

    def assessment(self):
        return human_rights.Assessment(
            risks=list(self.hr_risks.data or []),
            likelihood=self.hr_likelihood.data or None,
            mitigations=self.hr_mitigations.data or "",
            residual=self.hr_residual.data,
        )
