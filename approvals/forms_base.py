"""The base form: every text answer is trimmed (and empty if nothing in it is visible), and text that cannot be
stored (NUL and other control characters) is an error at its field. Also a date field and widget that survive
any number of date boxes coming back empty or missing."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput as _GovDateInput
from wtforms import DateField as _DateField
from wtforms import StringField, TextAreaField

from approvals.validation import clean_text, text_error


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
