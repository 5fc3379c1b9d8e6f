"""The base form: strips surrounding whitespace from every text answer."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, (StringField, TextAreaField)):
                options = dict(options, filters=[_strip, *unbound_field.kwargs.get("filters", [])])
            return unbound_field.bind(form=form, **options)


class VersionedForm(BaseForm):
    """A form that changes a request carries the version the user saw, so a command can refuse a stale save."""

    version = HiddenField()

    def expected_version(self):
        value = (self.version.data or "").strip() if isinstance(self.version.data, str) else self.version.data
        try:
            return int(value) if value else None
        except ValueError:
            return None
