"""The base form: strips surrounding whitespace from every text answer."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, (StringField, TextAreaField)):
                options = dict(options, filters=[_strip, *unbound_field.kwargs.get("filters", [])])
            return unbound_field.bind(form=form, **options)
