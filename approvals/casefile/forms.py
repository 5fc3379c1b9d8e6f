"""Forms for the case file, in GOV.UK voice. The rules themselves live in the services (approvals.documents,
approvals.queries, approvals.notes); these forms only ask the questions."""

from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from approvals import marking
from approvals.documents import ALLOWED_NAMES, DESCRIPTION_MAX, UPLOADABLE_KINDS
from approvals.forms_base import BaseForm, long_text

YES_NO = [("yes", "Yes"), ("no", "No")]


def file_hint(max_mb):
    return f"The file must be a {ALLOWED_NAMES}, smaller than {max_mb} MB."


class DocumentForm(BaseForm):
    kind = RadioField(
        "What kind of document is it?",
        choices=UPLOADABLE_KINDS,
        widget=GovRadioInput(),
        validators=[InputRequired("Select what kind of document this is")],
    )
    description = StringField(
        "Describe the document",
        widget=GovTextInput(),
        description="For example, 'Letter from the Commissioner of Police, 3 March'",
        validators=[
            DataRequired("Enter a description of the document"),
            Length(max=DESCRIPTION_MAX, message=f"Description must be {DESCRIPTION_MAX} characters or fewer"),
        ],
    )
    # Checked by approvals.documents, so a SECRET marking gets its own message on the web and the API alike.
    marking = RadioField(
        "Protective marking",
        choices=marking.CHOICES,
        widget=GovRadioInput(),
        validate_choice=False,
        description="As marked on the document. Do not upload anything marked SECRET or TOP SECRET: this service "
        "is not accredited for it.",
    )
    file = FileField("Upload a file", widget=GovFileInput(), validators=[FileRequired("Select a file")])
    submit = SubmitField("Upload document", widget=GovSubmitInput())


class QueryForm(BaseForm):
    question = long_text(
        "Your question for the submitter",
        "Enter your question",
        description="The request stays at your gate and its deadline is paused until the submitter answers.",
    )
    submit = SubmitField("Send question", widget=GovSubmitInput())


class AnswerForm(BaseForm):
    answer = long_text("Your answer", "Enter your answer")
    file = FileField("Attach a document (optional)", widget=GovFileInput(), validators=[Optional()])
    description = StringField(
        "Describe the attached document (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=DESCRIPTION_MAX, message=f"Description must be {DESCRIPTION_MAX} characters or fewer"),
        ],
    )
    submit = SubmitField("Send answer", widget=GovSubmitInput())


class NoteForm(BaseForm):
    text = long_text(
        "Add a note",
        "Enter your note",
        description="To tell someone who can see this request, mention their email address, like @name@force.example.",
    )
    visible_to_submitter = RadioField(
        "Who can read this note?",
        choices=[("no", "Deciders only (internal)"), ("yes", "Deciders and the submitter")],
        widget=GovRadioInput(),
        validators=[InputRequired("Select who can read this note")],
    )
    submit = SubmitField("Add note", widget=GovSubmitInput())


class LeadNoteForm(NoteForm):
    """A submitter's notes are always visible to the deciders and to them: no choice to make."""

    visible_to_submitter = None


class DeleteForm(BaseForm):
    submit = SubmitField("Delete", widget=GovSubmitInput())
