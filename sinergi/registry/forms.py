from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import DateInput, LinesField
from sinergi.registry.choices import (
    ENTERPRISE_FIELDS,
    FIGURE_FIELDS,
    FIGURE_FLAGS,
    EnterpriseStatus,
)
from sinergi.registry.models import (
    Enterprise,
    EnterpriseStatusChange,
    Figure,
    Organisation,
    OrganisationOfficer,
    OrganisationType,
    Zone,
    complete_party_split,
)


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
        widgets = {"founded_on": DateInput(), "next_step_on": DateInput()}

    status_since = forms.DateField(
        label=_("Status since"),
        required=False,
        widget=DateInput(),
        help_text=_("When the status changes: the day it took effect (today if empty)."),
    )

    def __init__(self, *args, zones=None, **kwargs):
        super().__init__(*args, **kwargs)
        if zones is not None:
            self.fields["zone"].queryset = zones
        if not self.instance.pk:
            del self.fields["status_since"]
        else:
            self.order_fields([*self.Meta.fields[:9], "status_since"])


class EnterpriseStatusChangeForm(forms.ModelForm):
    class Meta:
        model = EnterpriseStatusChange
        fields = ["status", "since", "note"]
        widgets = {"since": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["since"].required = True
        self.fields["status"].choices = EnterpriseStatus.choices


class OfficerForm(forms.ModelForm):
    class Meta:
        model = OrganisationOfficer
        fields = ["role", "name", "phone", "email", "since", "until"]
        widgets = {"since": DateInput(), "until": DateInput()}


def _figure_choices():
    return [("", "—")] + [
        (f, capfirst(Figure._meta.get_field(f).verbose_name)) for f in FIGURE_FIELDS
    ]


class OrganisationTypeForm(forms.ModelForm):
    """An organisation type and its founding rule: up to two conditions of which any makes an
    enterprise eligible, and up to two that mark it as able to found one soon."""

    RULE_SLOTS = 2
    name_id = forms.CharField(label=_("Name (Indonesian)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=200)

    class Meta:
        model = OrganisationType
        fields = ["code", "rule_citation", "member_field", "sort_order"]
        widgets = {"rule_citation": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = self.instance.names or {}
        for language in ("id", "en", "vi"):
            self.fields[f"name_{language}"].initial = names.get(language, "")
        self.fields["member_field"] = forms.ChoiceField(
            label=_("Member figure"), choices=_figure_choices(), required=False
        )
        rule = self.instance.founding_rule or {}
        order = ["code", "name_id", "name_en", "name_vi"]
        for key, label in (
            ("any", _("Eligible when at least")),
            ("potential", _("Could found one soon when at least")),
        ):
            conditions = rule.get(key, [])
            for slot in range(self.RULE_SLOTS):
                condition = conditions[slot] if slot < len(conditions) else {}
                self.fields[f"{key}_{slot}_min"] = forms.IntegerField(
                    label=f"{label} ({slot + 1})",
                    min_value=0,
                    required=False,
                    initial=condition.get("min"),
                )
                self.fields[f"{key}_{slot}_field"] = forms.ChoiceField(
                    label=_("of the figure"),
                    choices=_figure_choices(),
                    required=False,
                    initial=condition.get("field", ""),
                )
                order += [f"{key}_{slot}_min", f"{key}_{slot}_field"]
        self.order_fields([*order, "rule_citation", "member_field", "sort_order"])

    def clean(self):
        data = super().clean()
        rule: dict[str, list[dict]] = {}
        for key in ("any", "potential"):
            for slot in range(self.RULE_SLOTS):
                minimum, field = data.get(f"{key}_{slot}_min"), data.get(f"{key}_{slot}_field")
                if minimum is None and not field:
                    continue
                if minimum is None or not field:
                    self.add_error(f"{key}_{slot}_min", _("Give both the minimum and the figure."))
                    continue
                rule.setdefault(key, []).append({"field": field, "min": minimum})
        if rule.get("potential") and not rule.get("any"):
            self.add_error("any_0_min", _("A rule needs an eligibility condition first."))
        data["founding_rule"] = rule
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "names": {language: data[f"name_{language}"] for language in ("id", "en", "vi")},
            "founding_rule": data["founding_rule"],
            "rule_citation": data["rule_citation"],
            "member_field": data.get("member_field") or "",
            "sort_order": data["sort_order"],
        }


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
        for field in FIGURE_FLAGS:
            self.fields[field] = forms.NullBooleanField(
                label=capfirst(Figure._meta.get_field(field).verbose_name),
                required=False,
                widget=forms.NullBooleanSelect(),
            )
        self.order_fields(["as_of", *FIGURE_FIELDS, *FIGURE_FLAGS, "source"])

    def clean(self):
        """Check the cross-field rules with the model's own clean(), so every error shows at once
        (the service checks them again for callers that skip this form)."""
        data = super().clean()
        values = {k: v for k, v in data.items() if k in FIGURE_FIELDS or k == "as_of"}
        values = complete_party_split(values)
        try:
            Figure(**values).clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field not in self.errors:
                    for message in messages:
                        self.add_error(field, message)
        return data
