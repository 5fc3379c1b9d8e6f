from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

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
    # Not checked against the choices: a force FOI officer is always scoped to their own force (see the view).
    force = SelectField("Force", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Show statistics", widget=GovSubmitInput())

    def validate_date_to(self, field):
        if self.date_from.data and field.data and field.data < self.date_from.data:
            raise ValidationError("The end of the period must be the same as or after the start")


class PrinciplesForm(BaseForm):
    body = TextAreaField(
        "Statement of principles",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the statement of principles"), Length(max=10000)],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
