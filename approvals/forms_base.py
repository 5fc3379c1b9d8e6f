"""The pieces every blueprint's forms share: the base form (every text answer is trimmed, and empty if nothing in
it is visible; text that cannot be stored, such as NUL, is an error at its field), the versioned form, a date
field and widget that survive date boxes coming back empty or missing, the GOV.UK field makers and the
human-rights questions."""

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovCheckboxesInput, GovRadioInput, GovTextInput
from govuk_frontend_wtf.wtforms_widgets import GovDateInput as _GovDateInput
from wtforms import DateField as _DateField
from wtforms import HiddenField, IntegerField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation

from approvals import human_rights
from approvals.human_rights import LIKELIHOODS, RESIDUALS, RISKS
from approvals.validation import clean_text, text_error
from config.settings import LONG_TEXT_MAX, SHORT_TEXT_MAX


class BaseForm(FlaskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A page may hold several forms (every page has the sign-out form): the CSRF token is rendered without an
        # id, so no two elements share one (the Nu HTML Checker's duplicate-id error).
        if "csrf_token" in self._fields:
            self.csrf_token.render_kw = {"id": False}

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


DATE_PARTS = ("day", "month", "year")


class DateField(_DateField):
    """Day, month and year boxes, with GOV.UK's messages that name the field and say how to fix it: "Start date
    must include a month", "Start date must be a real date". `required` is the message for no date at all
    (None: the date is optional). The date-input `<div>` never carries `required` (not valid HTML there)."""

    def __init__(self, label=None, validators=None, required=None, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        kept = []
        for validator in validators or []:
            # InputRequired and Optional look only at the day box: the field judges all three boxes itself.
            if isinstance(validator, (InputRequired, DataRequired)):
                required = required or validator.message
            elif not isinstance(validator, Optional):
                kept.append(validator)
        super().__init__(label, kept, **kwargs)
        self.required_message = required

    def process_formdata(self, valuelist):
        parts = [(part or "").strip() for part in ([*valuelist, "", "", ""][:3] if valuelist else [])]
        self.data = None
        if not any(parts):
            return
        label = self.label.text
        missing = [name for name, part in zip(DATE_PARTS, parts, strict=True) if not part]
        if missing:
            raise ValueError(f"{label} must include a {' and '.join(missing)}")
        if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
            if not all(part.isdigit() for part in parts):
                raise ValueError(f"{label} must be a real date")
            raise ValueError(f"{label} year must include 4 numbers")
        try:
            self.data = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError as error:
            raise ValueError(f"{label} must be a real date") from error

    def pre_validate(self, form):
        if self.data is None and not self.process_errors and self.required_message:
            raise StopValidation(self.required_message)


class WholeNumberField(IntegerField):
    """A count typed as text: "Number of officers must be a whole number, like 2" names the field and shows how."""

    def __init__(self, label=None, validators=None, required=None, example=2, maximum=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required_message, self.example, self.maximum = required, example, maximum

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().replace(",", "")
        if not text:
            return
        if text.startswith("-") and text[1:].isdigit():
            raise ValueError(f"{self.label.text} must be 0 or more")
        if not text.isdigit():
            raise ValueError(f"{self.label.text} must be a whole number, like {self.example}")
        self.data = int(text)

    def pre_validate(self, form):
        if self.process_errors:
            return
        if self.data is None and self.required_message:
            raise StopValidation(self.required_message)
        if self.data is not None and self.maximum is not None and self.data > self.maximum:
            raise StopValidation(f"{self.label.text} must be {self.maximum} or fewer")


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
