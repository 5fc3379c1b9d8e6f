from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from approvals.forms_base import BaseForm, DateField, GovDateInput
from approvals.returns import period_error


class ReturnForm(BaseForm):
    class Meta:
        csrf = False  # a GET report form; it changes nothing

    force = SelectField("Force", widget=GovSelect(), validators=[InputRequired("Select a force")])
    date_from = DateField(
        "From", format="%d %m %Y", widget=GovDateInput(), validators=[InputRequired("Enter the start of the period")]
    )
    date_to = DateField(
        "To", format="%d %m %Y", widget=GovDateInput(), validators=[InputRequired("Enter the end of the period")]
    )
    submit = SubmitField("Show the return", widget=GovSubmitInput())

    def validate_date_to(self, field):
        if self.date_from.data and field.data and (message := period_error(self.date_from.data, field.data)):
            raise ValidationError(message)
