from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import DateInput, LinesField
from sinergi.registry.choices import ENTERPRISE_FIELDS, FIGURE_FIELDS
from sinergi.registry.models import Enterprise, Figure, Organisation, Zone


class ZoneForm(forms.ModelForm):
    aliases = LinesField(label=_("Aliases"))

    class Meta:
        model = Zone
        fields = [
            "parent",
            "kind",
            "code",
            "name",
            "short_name",
            "aliases",
            "area_ha",
            "status",
            "managing_unit",
            "latitude",
            "longitude",
            "boundary",
        ]


class EnterpriseForm(forms.ModelForm):
    former_names = LinesField(label=_("Former names"))

    class Meta:
        model = Enterprise
        fields = list(ENTERPRISE_FIELDS)
        widgets = {"founded_on": DateInput()}

    def __init__(self, *args, zones=None, **kwargs):
        super().__init__(*args, **kwargs)
        if zones is not None:
            self.fields["zone"].queryset = zones


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["type", "name", "level", "founded_on", "dissolved_on", "note"]
        widgets = {
            "founded_on": DateInput(),
            "dissolved_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class FigureForm(forms.Form):
    """The figures of one enterprise on one reporting date; blank means not known."""

    as_of = forms.DateField(label=_("Reporting date"), widget=DateInput())
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Where the figures come from, e.g. the enterprise's report of 31/12."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in FIGURE_FIELDS:
            model_field = Figure._meta.get_field(field)
            self.fields[field] = forms.IntegerField(
                label=capfirst(model_field.verbose_name),
                required=False,
                min_value=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self.order_fields(["as_of", *FIGURE_FIELDS, "source"])

    def clean(self):
        """Check the cross-field rules with the model's own clean(), so every error shows at once
        (the service checks them again for callers that skip this form)."""
        data = super().clean()
        values = {k: v for k, v in data.items() if k in FIGURE_FIELDS or k == "as_of"}
        try:
            Figure(**values).clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field not in self.errors:
                    for message in messages:
                        self.add_error(field, message)
        return data
