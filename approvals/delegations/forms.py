from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length

from approvals import delegation
from approvals.forms_base import BaseForm, DateField, GovDateInput, long_text
from config.settings import EMAIL_MAX

GATE_CHOICES = list(delegation.GATE_LABELS.items())


def _email(label):
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the email address of the person you are delegating to"),
            Email("Enter an email address in the correct format, like name@example.com"),
            Length(max=EMAIL_MAX, message=f"The email address must be {EMAIL_MAX} characters or fewer"),
        ],
    )


def _date(label, message, hint):
    return DateField(
        label, format="%d %m %Y", widget=GovDateInput(), description=hint, validators=[InputRequired(message)]
    )


class DelegationForm(BaseForm):
    delegate_email = _email("Email address of the person you are delegating to")
    force = SelectField("Force", widget=GovSelect(), validators=[InputRequired("Select the force")])
    gate = RadioField(
        "Which gate's authority",
        choices=GATE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired("Select the gate")],
    )
    starts_on = _date("First day", "Enter the first day of the delegation", "For example, 27 3 2027")
    ends_on = _date("Last day", "Enter the last day of the delegation", "For example, 10 4 2027")
    reason = long_text("Reason", "Enter the reason for the delegation")
    submit = SubmitField("Delegate authority", widget=GovSubmitInput())


class AwayForm(BaseForm):
    deputy_email = _email("Email address of your deputy")
    away_from = _date("First day away", "Enter the first day you are away", "For example, 27 3 2027")
    away_to = _date("Last day away", "Enter the last day you are away", "For example, 10 4 2027")
    reason = long_text("Reason (optional)")
    submit = SubmitField("Name your deputy", widget=GovSubmitInput())


class RevokeForm(BaseForm):
    submit = SubmitField("Revoke", widget=GovSubmitInput())


# Which form field shows each refusal of the delegation commands (named as the API names them).
FIELDS = {"delegate_email": "delegate_email", "force": "force", "gate": "gate", "from": "starts_on", "to": "ends_on"}
AWAY_FIELDS = {"delegate_email": "deputy_email", "from": "away_from", "to": "away_to"}
