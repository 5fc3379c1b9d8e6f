from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from approvals.forms_base import BaseForm, DateField, GovDateInput, long_text
from config.settings import EMAIL_MAX, SHORT_TEXT_MAX
from models.reference_data import FORCE_SCOPED_ROLES, ROLES, destination_choices


class UserForm(BaseForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter an email address"),
            Email("Enter an email address in the correct format"),
            Length(max=EMAIL_MAX),
        ],
    )
    name = StringField(
        "Full name", widget=GovTextInput(), validators=[InputRequired("Enter the person's name"), Length(max=120)]
    )
    roles = SelectMultipleField(
        "Roles",
        choices=list(ROLES.items()),
        widget=GovCheckboxesInput(),
        validators=[InputRequired("Select at least one role")],
    )
    # No Optional() here: it would stop the chain before validate_force, and a force-scoped role with no force
    # would be saved (that user's pages then failed).
    force = SelectField(
        "Force",
        widget=GovSelect(),
        description="Required for international leads, chief officers and PCC offices",
    )
    no_email = BooleanField("Do not send this person email except their invitation", widget=GovCheckboxInput())
    submit = SubmitField("Send invitation", widget=GovSubmitInput())

    def validate_force(self, field):
        if FORCE_SCOPED_ROLES.intersection(self.roles.data or []) and not field.data:
            raise ValidationError("Select the force for these roles")


class UserStatusForm(BaseForm):
    active = BooleanField("Account is active", widget=GovCheckboxInput())
    no_email = BooleanField("Do not send this person email", widget=GovCheckboxInput())
    unlock = BooleanField("Unlock after failed sign-ins", widget=GovCheckboxInput())
    submit = SubmitField("Save", widget=GovSubmitInput())


class CountryNoteForm(BaseForm):
    country_code = SelectField(
        "Country or territory", widget=GovSelect(), validators=[InputRequired("Select a country or territory")]
    )
    note = long_text("Human-rights context", "Enter the note")
    source = StringField("Source", widget=GovTextInput(), validators=[Optional(), Length(max=300)])
    submit = SubmitField("Add note", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_code.choices = [("", "Select a country or territory")] + destination_choices()


class ActionForm(BaseForm):
    submit = SubmitField("Go", widget=GovSubmitInput())


class PrinciplesForm(BaseForm):
    body = TextAreaField(
        "Statement of principles",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the statement of principles"), Length(max=10000)],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class RateForm(BaseForm):
    force = SelectField("Force", widget=GovSelect(), validators=[InputRequired("Select the force")])
    rank = StringField(
        "Rank or grade",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=SHORT_TEXT_MAX, message=f"Must be {SHORT_TEXT_MAX} characters or fewer")],
        description="As the people's rank or grade is written, for example 'Detective Sergeant'",
    )
    daily_rate = StringField("Daily rate, in pounds", widget=GovTextInput(), validators=[Optional()])
    overtime_percent = IntegerField(
        "Overtime day, as a percentage of the daily rate",
        widget=GovTextInput(),
        default=150,
        validators=[InputRequired("Enter the overtime percentage")],
    )
    overhead_percent = IntegerField(
        "Overhead, as a percentage added",
        widget=GovTextInput(),
        default=0,
        validators=[InputRequired("Enter the overhead")],
    )
    effective_from = DateField(
        "Effective from",
        format="%d %m %Y",
        widget=GovDateInput(),
        validators=[InputRequired("Enter the date the rate takes effect")],
        description="For example, 1 4 2027",
    )
    submit = SubmitField("Add rate", widget=GovSubmitInput())
