"""Form pieces shared by the apps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LinesField(forms.CharField):
    """A list of short texts edited as one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("One per line."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: at its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    """A date typed in the interface language's form (31/12/2025): the browser's own date
    picker would show the browser's locale instead. The field accepts the language's
    DATE_INPUT_FORMATS (sinergi/formats), ISO dates among them."""

    input_type = "text"

    def __init__(self, attrs=None, **kwargs):
        attrs = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": _("dd/mm/yyyy"),
            "size": 10,
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, **kwargs)


DASHES = "---------"


def label_empty_choices(form: forms.BaseForm) -> forms.BaseForm:
    """Give a select's empty choice words instead of Django's "---------": "Choose…" when a
    value is required, "—" (none) when it may stay empty."""
    for field in form.fields.values():
        label = _("Choose…") if field.required else "—"
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DASHES:
                field.empty_label = label
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][1] == DASHES:
                field.choices = [(choices[0][0], label), *choices[1:]]
    return form
