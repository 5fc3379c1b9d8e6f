from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from approvals.forms_base import BaseForm, DateField, GovDateInput


class FoiForm(BaseForm):
    class Meta:
        csrf = False  # a GET report form; it changes nothing

    date_from = DateField(
        "From", format="%d %m %Y", widget=GovDateInput(), validators=[InputRequired("Enter the start of the period")]
    )
    date_to = DateField(
        "To", format="%d %m %Y", widget=GovDateInput(), validators=[InputRequired("Enter the end of the period")]
    )
    # Not checked against the choices: approvals.policy.foi_scope decides (another force is refused, 403).
    force = SelectField("Force", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Show statistics", widget=GovSubmitInput())

    def validate_date_to(self, field):
        if self.date_from.data and field.data and field.data < self.date_from.data:
            raise ValidationError("The end of the period must be the same as or after the start")
