"""One form per question group of the request, in GOV.UK voice. Rules shared with the API live in
approvals.validation; these forms add only what is particular to HTML (strings to numbers, yes/no)."""

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from approvals import human_rights, marking, route, validation
from approvals.cost_recovery import parse_pounds
from approvals.forms_base import (
    YES_NO,
    BaseForm,
    DateField,
    GovDateInput,
    HumanRightsFields,
    VersionedForm,
    WholeNumberField,
    from_bool,
    long_text,
    short_text,
    to_bool,
    yes_no,
)
from config.settings import MAX_MONEY_LINES, MAX_PEOPLE
from models.reference_data import (
    ASSISTANCE_KINDS,
    COST_CATEGORIES,
    FUNDING_SOURCES,
    OPERATIONAL_PURPOSE_CODES,
    PURPOSES,
    REQUESTING_BODY_KINDS,
    SPONSORS,
    UK_DELIVERED_KINDS,
    destination_choices,
)


class SectionForm(VersionedForm):
    """A section's form knows how to load from and save to a request."""

    bool_fields = ()
    fields = ()

    def load(self, request):
        for name in self.fields:
            value = getattr(request, name)
            getattr(self, name).data = from_bool(value) if name in self.bool_fields else value

    def values(self):
        return {
            name: to_bool(getattr(self, name).data) if name in self.bool_fields else getattr(self, name).data
            for name in self.fields
        }

    def add_errors(self, errors):
        for name, message in errors.items():
            getattr(self, name).errors.append(message)
        return not errors

    def fit(self, request):
        """Ask only what fits this request (its kind of assistance); most sections ask the same of every request."""
        return self


class AboutForm(SectionForm):
    fields = ("title", "requesting_body", "requesting_body_kind")
    title = short_text(
        "Short title for the request", "Enter a title", description="For example, ‘Investigative interviewing training’"
    )
    requesting_body = short_text("Name of the requesting body", "Enter the name of the requesting body")
    requesting_body_kind = RadioField(
        "What kind of body is asking for assistance?",
        choices=REQUESTING_BODY_KINDS,
        widget=GovRadioInput(),
        validators=[InputRequired("Select the kind of requesting body")],
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class PurposeForm(SectionForm):
    fields = ("destination", "destination_place", "purpose", "purpose_details", "sponsor", "sponsor_other")
    reveals = {"sponsor": ("other", "sponsor_other")}
    destination = SelectField(
        "Destination country or territory",
        widget=GovSelect(),
        validators=[InputRequired("Select the destination")],
        description="Start typing, then choose from the list. British Overseas Territories and Crown Dependencies "
        "are marked",
        # static/autocomplete.mjs turns this select into GOV.UK's accessible autocomplete; without JavaScript it
        # stays a select.
        render_kw={"data-s26-autocomplete": "destination"},
    )
    purpose = RadioField(
        "What is the main purpose?",
        choices=PURPOSES,
        widget=GovRadioInput(),
        validators=[InputRequired("Select a purpose")],
        description="Executive policing, public order, investigation, disaster victim identification and command "
        "are operational: "
        "officers exercise police powers. The others are non-operational.",
    )
    destination_place = short_text(
        "Town or city (optional)",
        "",
        required=False,
        description="Where the assistance will take place, for example Nairobi",
    )
    purpose_details = long_text(
        "Describe the assistance",
        "Describe the assistance",
        description="What the officers and staff will do, and for whom",
    )
    sponsor = RadioField(
        "Who sponsors or commissions the assistance?",
        choices=SPONSORS,
        widget=GovRadioInput(),
        validators=[InputRequired("Select a sponsor")],
    )
    sponsor_other = short_text("Name of the other sponsor", "", required=False)
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.destination.choices = [("", "Select a country or territory")] + destination_choices()

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        errors = {k: v for k, v in validation.flag_errors(self.values()).items() if k in self.fields}
        return self.add_errors(errors) and valid

    @property
    def operational(self):
        return self.purpose.data in OPERATIONAL_PURPOSE_CODES


class DatesForm(SectionForm):
    fields = ("start_date", "end_date", "retrospective", "retrospective_reason", "urgent", "urgent_reason")
    bool_fields = ("retrospective", "urgent")
    reveals = {"retrospective": ("yes", "retrospective_reason"), "urgent": ("yes", "urgent_reason")}
    start_date = DateField(
        "Start date", widget=GovDateInput(), description="For example, 27 3 2027", required="Enter the start date"
    )
    end_date = DateField(
        "End date", widget=GovDateInput(), description="For example, 14 4 2027", required="Enter the end date"
    )
    retrospective = yes_no(
        "Is this a retrospective request?",
        "Select yes if the request is retrospective",
        description="A retrospective request records a deployment already under way or in the past",
    )
    retrospective_reason = long_text("Why is the request retrospective?")
    urgent = yes_no(
        "Is the request urgent?",
        "Select yes if the request is urgent",
        description="Urgent requests have shorter decision deadlines",
    )
    urgent_reason = long_text("Why is the request urgent?")
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        errors = validation.date_errors(
            self.start_date.data,
            self.end_date.data,
            to_bool(self.retrospective.data),
            self.retrospective_reason.data,
            date.today(),
        )
        errors.update({k: v for k, v in validation.flag_errors(self.values()).items() if k in self.fields})
        return self.add_errors({k: v for k, v in errors.items() if not getattr(self, k).errors}) and valid


class KindForm(SectionForm):
    fields = ("assistance_kind", "general_authorisation")
    assistance_kind = RadioField(
        "What kind of assistance is it?",
        choices=ASSISTANCE_KINDS,
        widget=GovRadioInput(),
        validators=[InputRequired("Select the kind of assistance")],
    )
    general_authorisation = SelectField(
        "Does a general authorisation from the Home Secretary cover it?",
        widget=GovSelect(),
        validators=[Optional()],
        description="If one covers it when the PCC approves, it goes to IPAB without an individual Home Secretary "
        "consent. Submitting checks its scope.",
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def fit(self, request):
        choices = [("", "No: it needs individual Home Secretary consent")]
        choices += [(a.reference, f"{a.reference}: {a.title}") for a in route.in_force()]
        if request.general_authorisation and request.general_authorisation not in dict(choices):
            choices.append((request.general_authorisation, f"{request.general_authorisation} (no longer in force)"))
        self.general_authorisation.choices = choices
        return self

    def values(self):
        values = super().values()
        values["general_authorisation"] = values["general_authorisation"] or None
        return values


class PersonnelForm(SectionForm):
    fields = (
        "officers",
        "staff",
        "personnel_roles",
        "coordinating_unit",
        "mission_reference",
        "foreign_personnel",
        "location",
    )
    foreign_personnel = IntegerField(
        "How many foreign personnel will be trained or hosted?",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter how many foreign personnel will be trained or hosted"),
            NumberRange(1, MAX_PEOPLE, f"Number must be between 1 and {MAX_PEOPLE}"),
        ],
    )
    location = short_text(
        "Where in the UK?", "Enter where in the UK", description="For example, College of Policing, Ryton"
    )
    officers = WholeNumberField(
        "Number of police officers",
        widget=GovTextInput(),
        required="Enter the number of police officers, or 0",
        maximum=MAX_PEOPLE,
    )
    staff = WholeNumberField(
        "Number of police staff",
        widget=GovTextInput(),
        required="Enter the number of police staff, or 0",
        example=1,
        maximum=MAX_PEOPLE,
    )
    personnel_roles = long_text(
        "Roles and ranks",
        "Enter the roles and ranks",
        description="For example, 1 detective inspector, 2 constables, 1 analyst",
    )
    coordinating_unit = short_text("Coordinating unit or department", "Enter the coordinating unit or department")
    mission_reference = short_text("Mission name or reference (optional)", "", required=False)
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def fit(self, request):
        if request.assistance_kind not in UK_DELIVERED_KINDS:  # deployed overseas or advising remotely: not asked
            del self.foreign_personnel
            del self.location
            self.fields = tuple(name for name in self.fields if name not in ("foreign_personnel", "location"))
        return self

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid:
            return self.add_errors(validation.personnel_errors(self.officers.data, self.staff.data))
        return valid


class MoneyField(StringField):
    """Pounds and pence typed as text, held as integer pence."""

    def process_formdata(self, valuelist):
        self.raw_text = valuelist[0] if valuelist else ""
        self.data = None
        if valuelist:
            try:
                self.data = parse_pounds(valuelist[0])
            except ValueError as error:
                self.process_errors.append(str(error))

    def _value(self):
        if getattr(self, "raw_text", None) is not None:
            return self.raw_text
        return "" if self.data is None else f"{self.data / 100:.2f}"


class MoneyLinesCap:
    """The same cap on cost lines and funding sources as the API (MAX_MONEY_LINES). The view sets
    `existing` to how many the request already has."""

    existing = 0
    noun = "cost lines"

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.existing >= MAX_MONEY_LINES:
            self.form_errors.append(f"A request can have at most {MAX_MONEY_LINES} {self.noun}")
            return False
        return valid


class CostLineForm(MoneyLinesCap, VersionedForm):
    category = SelectField(
        "Cost category",
        choices=[("", "Select a category")] + COST_CATEGORIES,
        widget=GovSelect(),
        validators=[InputRequired("Select a cost category")],
    )
    description = short_text("Description (optional)", "", required=False)
    amount = MoneyField(
        "Amount in pounds",
        widget=GovTextInput(),
        validators=[InputRequired("Enter an amount")],
        description="For example, 1250 or 1250.50. No more than £100 million",
    )
    submit = SubmitField(
        "Add cost", widget=GovSubmitInput(), render_kw={"params": {"classes": "govuk-button--secondary"}}
    )


class FundingForm(MoneyLinesCap, VersionedForm):
    noun = "funding sources"

    source = SelectField(
        "Funding source",
        choices=[("", "Select a source")] + FUNDING_SOURCES,
        widget=GovSelect(),
        validators=[InputRequired("Select a funding source")],
    )
    description = short_text("Description (optional)", "", required=False)
    amount = MoneyField("Amount in pounds", widget=GovTextInput(), validators=[InputRequired("Enter an amount")])
    committed = yes_no(
        "Is this funding committed?",
        "Select yes if the funding is committed",
        description="Only committed funding counts towards cost recovery",
    )
    submit = SubmitField(
        "Add funding", widget=GovSubmitInput(), render_kw={"params": {"classes": "govuk-button--secondary"}}
    )


class FlagsForm(SectionForm):
    fields = (
        "uk_investigation",
        "uk_investigation_justification",
        "sensitive",
        "marking",
        "contentious",
        "contentious_reason",
    )
    bool_fields = ("uk_investigation", "sensitive", "contentious")
    reveals = {
        "uk_investigation": ("yes", "uk_investigation_justification"),
        "contentious": ("yes", "contentious_reason"),
    }
    uk_investigation = yes_no(
        "Is the travel connected with UK police work?",
        "Select yes if the travel is connected with UK police work",
        description="For example, investigating an offence committed in the UK. "
        "Such travel needs no section 26 authorisation.",
    )
    uk_investigation_justification = long_text("How is it connected with UK police work?")
    sensitive = yes_no(
        "Is the request sensitive?",
        "Select yes if the request is sensitive",
        description="For example, it involves security bodies or counter-terrorism. "
        "Sensitive requests are never shown in "
        "published lists or FOI statistics.",
    )
    # Checked in validate() (not as a choice): a SECRET marking gets its own message, not "Not a valid choice".
    marking = RadioField(
        "Protective marking",
        choices=marking.CHOICES,
        widget=GovRadioInput(),
        validate_choice=False,
        description="The Government Security Classification of the request. A sensitive request is "
        "OFFICIAL-SENSITIVE. This service is not accredited for SECRET or TOP SECRET material.",
    )
    # Issue 17: political or reputational sensitivity sends the request to ministers (optional to answer).
    contentious = RadioField(
        "Is the request contentious? (optional)",
        choices=YES_NO,
        widget=GovRadioInput(),
        validators=[Optional()],
        description="Politically or reputationally sensitive: a contentious request goes to ministers",
    )
    contentious_reason = long_text("Why is it contentious?")
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        values = self.values()
        problem = marking.error(values.get("marking"), sensitive=bool(values.get("sensitive")), required=False)
        if problem:
            self.marking.errors = [*self.marking.errors, problem]
            valid = False
        errors = {k: v for k, v in validation.flag_errors(values).items() if k in self.fields}
        return self.add_errors(errors) and valid


class HumanRightsForm(HumanRightsFields, SectionForm):
    fields = ("hr_risks", "hr_likelihood", "hr_mitigations", "hr_residual")
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        assessment = self.assessment()
        errors = human_rights.validate(assessment)
        errors.update(
            {
                RULE_FIELD[r.rule]: r.message
                for r in human_rights.refusals(assessment, None, "", positive=True)
                if r.rule in RULE_FIELD
            }
        )
        return self.add_errors({k: v for k, v in errors.items() if not getattr(self, k).errors}) and valid


# The submitter's assessment must already meet the rules a positive decision needs, except a serious
# rating, which they may record honestly (the gates will then decline or return it).
RULE_FIELD = {"hr_high_needs_mitigations": "hr_mitigations"}


class ContributingForceForm(VersionedForm):
    """Add another force sending its own people (issue 23): it decides its own part."""

    force = SelectField(
        "Which force is sending people?", widget=GovSelect(), validators=[InputRequired("Select a force")]
    )
    officers = IntegerField(
        "Its police officers",
        widget=GovTextInput(),
        validators=[InputRequired("Enter its number of police officers"), NumberRange(0, MAX_PEOPLE)],
    )
    staff = IntegerField(
        "Its police staff",
        widget=GovTextInput(),
        validators=[InputRequired("Enter its number of police staff"), NumberRange(0, MAX_PEOPLE)],
    )
    submit = SubmitField("Add force", widget=GovSubmitInput())

    def fit(self, request, forces):
        taken = {part.force_id for part in request.contributing_forces} | {request.force_id}
        self.force.choices = [("", "Select a force")] + [(f.slug, f.name) for f in forces if f.id not in taken]
        return self

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid:
            for name, message in validation.personnel_errors(self.officers.data, self.staff.data).items():
                getattr(self, name).errors.append(message)
                valid = False
        return valid


class SubmitForm(VersionedForm):
    submit = SubmitField("Submit request", widget=GovSubmitInput())


class RemoveForm(VersionedForm):
    confirm = yes_no("Are you sure you want to remove it?", "Select yes if you want to remove it")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class RequireApprovalForm(VersionedForm):
    reasons = long_text(
        "Why does it need section 26 approval?",
        "Enter why the request needs section 26 approval",
        description="The lead sees your reasons. For example, the overseas police will benefit from the work",
    )
    submit = SubmitField("Needs section 26 approval", widget=GovSubmitInput())


class NewRequestForm(BaseForm):
    title = short_text("Short title for the request", "Enter a title", description="You can change it later")
    submit = SubmitField("Start request", widget=GovSubmitInput())


class WithdrawForm(BaseForm):
    reason = long_text("Why are you withdrawing the request?", "Enter why the request is withdrawn")
    submit = SubmitField(
        "Withdraw request", widget=GovSubmitInput(), render_kw={"params": {"classes": "govuk-button--warning"}}
    )


class DeployForm(BaseForm):
    deployed_on = DateField(
        "Date the deployment started", widget=GovDateInput(), required="Enter the date the deployment started"
    )
    deployment_dates_reason = long_text(
        "Reason the deployment started outside the approved dates",
        description="Needed only if it started before the approved start date or after the approved end date",
    )
    conditions_briefed = BooleanField(
        "The conditions of the approval have been briefed to every officer and member of staff deploying",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class CloseForm(BaseForm):
    ended_on = DateField(
        "Date the deployment ended",
        format="%d %m %Y",
        widget=GovDateInput(),
        validators=[InputRequired("Enter the date the deployment ended")],
    )
    actual_cost = MoneyField(
        "Actual full cost in pounds", widget=GovTextInput(), validators=[InputRequired("Enter the actual cost")]
    )
    recovered = MoneyField(
        "Amount recovered in pounds", widget=GovTextInput(), validators=[InputRequired("Enter the amount recovered")]
    )
    close_out_reason = long_text(
        "Reason for a difference from the approval",
        description="Needed if the deployment ended after the approved end date or cost more than the approved "
        "full cost",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    # The standing conditions, each as a "met?" question and a note (added by `close_form_for`).
    condition_fields = ()


def close_form_for(conditions):
    """The close-out form for a request with these standing conditions: one "was it met?" question and note each."""
    if not conditions:
        return CloseForm

    class ConditionsCloseForm(CloseForm):
        pass

    names = []
    for position, condition in enumerate(conditions, start=1):
        met, note = f"condition_{condition.id}", f"condition_{condition.id}_note"
        setattr(
            ConditionsCloseForm,
            met,
            RadioField(
                f"Was condition {position} met?",
                choices=YES_NO,
                widget=GovRadioInput(),
                validators=[InputRequired(f"Say whether condition {position} was met")],
                description=condition.text,
            ),
        )
        note_field = long_text(f"Note on condition {position}", description="Needed if it was not met")
        setattr(ConditionsCloseForm, note, note_field)
        names.append((condition, met, note))
    ConditionsCloseForm.condition_fields = tuple(names)
    return ConditionsCloseForm


class FindForCorrectionForm(BaseForm):
    class Meta:
        csrf = False

    reference = short_text(
        "Reference of the request", "Enter the request's reference", description="For example, S26-2026-0042"
    )
    submit = SubmitField("Find the request", widget=GovSubmitInput())


CORRECTION_FIELDS = [
    ("deployed_on", "Deployment start date"),
    ("deployment_ended_on", "Deployment end date"),
    ("actual_cost_pence", "Actual full cost"),
    ("recovered_pence", "Amount recovered"),
]


class CorrectionForm(VersionedForm):
    field = RadioField(
        "What do you want to correct?",
        choices=CORRECTION_FIELDS,
        widget=GovRadioInput(),
        validators=[InputRequired("Select what to correct")],
    )
    new_date = DateField(
        "Corrected date",
        format="%d %m %Y",
        widget=GovDateInput(),
        validators=[Optional()],
        description="For a date, for example 27 3 2027",
    )
    new_amount = MoneyField(
        "Corrected amount in pounds", widget=GovTextInput(), validators=[Optional()], description="For an amount"
    )
    reason = long_text("Reason for the correction", "Enter the reason for the correction")
    submit = SubmitField("Correct the record", widget=GovSubmitInput())


class VaryForm(BaseForm):
    submit = SubmitField(
        "Start a variation", widget=GovSubmitInput(), render_kw={"params": {"classes": "govuk-button--secondary"}}
    )


class FilterForm(BaseForm):
    class Meta:
        csrf = False

    state = SelectField("State", widget=GovSelect(), validators=[Optional()])
    submit = SubmitField(
        "Filter", widget=GovSubmitInput(), render_kw={"params": {"classes": "govuk-button--secondary"}}
    )


SECTION_FORMS = {
    "about": AboutForm,
    "kind": KindForm,
    "purpose": PurposeForm,
    "dates": DatesForm,
    "personnel": PersonnelForm,
    "flags": FlagsForm,
    "human_rights": HumanRightsForm,
}
