from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from approvals import disclosure
from approvals.forms_base import BaseForm, DateField, GovDateInput
from config.settings import FOI_TEXT_MAX, SHORT_TEXT_MAX


def _date(label, message):
    return DateField(label, format="%d %m %Y", widget=GovDateInput(), validators=[InputRequired(message)])


def _long(label, description=None, required=None):
    validators = [InputRequired(required)] if required else [Optional()]
    return TextAreaField(
        label, widget=GovTextArea(), description=description, validators=[*validators, Length(max=FOI_TEXT_MAX)]
    )


class FoiCaseForm(BaseForm):
    request_text = _long("The request, as received", required="Enter the text of the request")
    received_on = _date("Date received", "Enter the date the request was received")
    questions = _long(
        "The questions it asks",
        description="One question on each line. You decide each item of the answer afterwards.",
        required="Enter at least one question the request asks",
    )
    period_from = _date("The period it asks about: from", "Enter the start of the period")
    period_to = _date("To", "Enter the end of the period")
    # Only a national FOI officer chooses; a force FOI officer's case is always their force's (see the view).
    force = SelectField("Force", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Open the FOI case", widget=GovSubmitInput())


class FoiItemForm(BaseForm):
    label = StringField(
        "Item of information",
        widget=GovTextInput(),
        description="For example: total number of officers deployed; countries and officers per country",
        validators=[InputRequired("Enter what this item of information is"), Length(max=SHORT_TEXT_MAX)],
    )
    source = SelectField("Build the answer from", choices=disclosure.SOURCES, widget=GovSelect())
    text = _long("Answer text or note", description="Your own answer, or a note shown beside the figure")
    decision = RadioField(
        "Decision",
        choices=disclosure.DECISIONS,
        widget=GovRadioInput(),
        validators=[InputRequired("Select disclose, withhold or neither confirm nor deny")],
    )
    exemptions = SelectMultipleField(
        "Withheld under",
        choices=[(e.code, f"Section {e.code} – {e.title}") for e in disclosure.WITHHOLD],
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    ncnd = SelectMultipleField(
        "Neither confirm nor deny under",
        choices=[(e.code, f"Section {e.code} – {e.title}") for e in disclosure.NCND],
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    pit_for = _long("Public interest: factors favouring disclosure", "Needed for a qualified exemption")
    pit_against = _long("Public interest: factors favouring non-disclosure", "Needed for a qualified exemption")
    pit_conclusion = _long("Public interest: balance test", "Needed for a qualified exemption")
    submit = SubmitField("Save item", widget=GovSubmitInput())


class ActionForm(BaseForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class DecisionRecordForm(BaseForm):
    title = StringField(
        "Title", widget=GovTextInput(), validators=[InputRequired("Enter a title"), Length(max=SHORT_TEXT_MAX)]
    )
    summary = _long("Summary")
    decision = _long("Decision")
    reasons = _long("Reasons")
    options_considered = _long("Options considered")
    advice_taken = _long("Advice taken")
    financial_implications = _long("Financial implications")
    confidential_part = _long("Confidential part (never published)")
    significant_public_interest = BooleanField(
        "This decision is of significant public interest", widget=GovCheckboxInput()
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class WithdrawRecordForm(BaseForm):
    reason = _long("Why is the record withdrawn?", required="Enter why the record is withdrawn")
    submit = SubmitField("Withdraw the record", widget=GovSubmitInput())
