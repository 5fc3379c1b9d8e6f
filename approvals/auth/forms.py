from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from approvals.forms_base import BaseForm
from config.settings import EMAIL_MAX, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH


class SignInForm(BaseForm):
    """A public page, in Welsh and English: its words come from the catalogues (lazily, per request)."""

    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[InputRequired(_l("Enter your email address")), Length(max=EMAIL_MAX)],
    )
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter your password")), Length(max=PASSWORD_MAX_LENGTH)],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class TwoFactorForm(BaseForm):
    """The second step of signing in: in Welsh and English, as the sign-in page is."""

    code = StringField(
        _l("Security code"),
        widget=GovTextInput(),
        description=_l("The 6-digit code from your authenticator app, or a recovery code"),
        validators=[InputRequired(_l("Enter the security code")), Length(max=20)],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class SignOutForm(BaseForm):
    submit = SubmitField("Sign out", widget=GovSubmitInput())


class TokenForm(BaseForm):
    name = StringField(
        "What is the token for?",
        widget=GovTextInput(),
        validators=[InputRequired("Enter what the token is for"), Length(max=80)],
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())


class RevokeForm(BaseForm):
    submit = SubmitField("Revoke", widget=GovSubmitInput())


NEW_PASSWORD_RULES = [
    InputRequired("Enter a new password"),
    Length(
        min=PASSWORD_MIN_LENGTH,
        max=PASSWORD_MAX_LENGTH,
        message=f"Password must be between {PASSWORD_MIN_LENGTH} and {PASSWORD_MAX_LENGTH} characters",
    ),
]


class ChoosePasswordForm(BaseForm):
    new = PasswordField(
        "Choose a password",
        widget=GovPasswordInput(),
        description=f"At least {PASSWORD_MIN_LENGTH} characters",
        validators=NEW_PASSWORD_RULES,
    )
    confirm = PasswordField(
        "Confirm your password", widget=GovPasswordInput(), validators=[EqualTo("new", message="Passwords must match")]
    )
    submit = SubmitField("Save password", widget=GovSubmitInput())


class RecoveryCodesForm(BaseForm):
    code = StringField(
        "Security code",
        widget=GovTextInput(),
        description="The 6-digit code from your authenticator app",
        validators=[InputRequired("Enter the security code"), Length(max=20)],
    )
    submit = SubmitField("Get new recovery codes", widget=GovSubmitInput())


class ChangePasswordForm(BaseForm):
    current = PasswordField(
        "Current password", widget=GovPasswordInput(), validators=[InputRequired("Enter your current password")]
    )
    new = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description=f"At least {PASSWORD_MIN_LENGTH} characters",
        validators=NEW_PASSWORD_RULES,
    )
    confirm = PasswordField(
        "Confirm new password", widget=GovPasswordInput(), validators=[EqualTo("new", message="Passwords must match")]
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())
