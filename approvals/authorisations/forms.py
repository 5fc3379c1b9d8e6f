"""The Home Office's forms for general authorisations and call-in. The rules are approvals.route's, shared with
the API; these forms only turn boxes into values."""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput, GovTextInput
from wtforms import IntegerField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import NumberRange, Optional

from approvals.cost_recovery import parse_pounds
from approvals.forms_base import BaseForm, DateField, GovDateInput, VersionedForm, long_text, short_text
from config.settings import MAX_PEOPLE
from models.reference_data import ASSISTANCE_KINDS, PURPOSES


def _most(label, highest, description):
    return IntegerField(
        label,
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1, max=highest, message=f"{label} must be between 1 and {highest:,}")],
        description=description,
    )


class AuthorisationForm(BaseForm):
    reference = short_text(
        "Reference", "Enter the reference", description="Capital letters, numbers and hyphens, like GA-2026-01"
    )
    title = short_text("Title", "Enter a title")
    countries = StringField(
        "Countries and territories",
        widget=GovTextInput(),
        validators=[Optional()],
        description="Two-letter ISO codes separated by commas, like KE, MS. Leave blank for any country.",
    )
    purposes = SelectMultipleField(
        "Purposes",
        choices=PURPOSES,
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        description="Leave all unticked for any purpose.",
    )
    assistance_kinds = SelectMultipleField(
        "Kinds of assistance",
        choices=ASSISTANCE_KINDS,
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        description="Leave all unticked for any kind.",
    )
    max_personnel = _most("Most officers and staff", MAX_PEOPLE, "Leave blank for no limit")
    max_days = _most("Most days", 3660, "Leave blank for no limit")
    max_cost = StringField(
        "Most full cost, in pounds",
        widget=GovTextInput(),
        validators=[Optional()],
        description="Leave blank for no limit",
    )
    valid_from = DateField("In force from", format="%d %m %Y", widget=GovDateInput(), validators=[Optional()])
    valid_to = DateField("In force until", format="%d %m %Y", widget=GovDateInput(), validators=[Optional()])
    conditions = long_text("Conditions (optional)", description="Every request it covers carries them")
    submit = SubmitField("Record general authorisation", widget=GovSubmitInput())

    def max_cost_pence(self):
        """The most cost in pence, or None; a bad amount is an error at its field."""
        if not (self.max_cost.data or "").strip():
            return None
        try:
            return parse_pounds(self.max_cost.data)
        except ValueError as error:
            self.max_cost.errors = [*self.max_cost.errors, str(error)]
            return None

    def country_codes(self):
        return [code.strip().upper() for code in (self.countries.data or "").split(",") if code.strip()]


class RevokeForm(BaseForm):
    reason = long_text("Why is it revoked?", "Enter why the general authorisation is revoked")
    submit = SubmitField(
        "Revoke general authorisation",
        widget=GovSubmitInput(),
        render_kw={"params": {"classes": "govuk-button--warning"}},
    )


class CallInForm(VersionedForm):
    reasons = long_text("Why is individual consent required?", "Enter why individual consent is required")
    submit = SubmitField("Require individual consent", widget=GovSubmitInput())
