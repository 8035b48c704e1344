"""Forms of the program pages: they shape the input; the services judge it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Unit, User
from sinergi.core.forms import DateInput, LinesField
from sinergi.programs.choices import PARTICIPANT_FIELDS, TaskStatus
from sinergi.programs.indicator_rules import rule_choices
from sinergi.programs.models import Activity, Area, Indicator, Program, Task
from sinergi.registry.choices import Country
from sinergi.registry.models import Enterprise, Zone
from sinergi.registry.taxid import normalise_tax_id


class EnterprisesField(LinesField):
    """Enterprises named by tax id, one per line: a list scales to any registry size."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Tax ids, one per line."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            ids = [v.pk if isinstance(v, Enterprise) else v for v in value]
            if ids and all(isinstance(i, int) for i in ids):
                found = dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "tax_id"))
                return "\n".join(found[i] for i in ids if i in found)
        return super().prepare_value(value)

    def clean(self, value):
        lines = super().clean(value)
        found, unknown = [], []
        for line in lines:
            enterprise = Enterprise.objects.filter(tax_id__in=_tax_id_forms(line)).first()
            if enterprise is None:
                unknown.append(line)
            else:
                found.append(enterprise)
        if unknown:
            raise ValidationError(
                _("No enterprise has the tax id %(ids)s.") % {"ids": ", ".join(unknown)}
            )
        return list(dict.fromkeys(found))


def _tax_id_forms(line: str) -> set[str]:
    """What a typed line may stand for: itself, or its first word (a name may follow), each
    as typed and normalised under every country's rule."""
    forms = set()
    for text in {line.strip(), line.split()[0]}:
        forms.add(text)
        for country in Country.values:
            try:
                forms.add(normalise_tax_id(text, country))
            except ValidationError:
                continue
    return forms


def party_units(program: Program):
    """The units of the program's parties: the bodies and their departments."""
    return Unit.objects.filter(body_id__in=program.party_ids, is_active=True).order_by(
        "body_id", "parent_id", "name"
    )


def top_units():
    return Unit.objects.filter(parent__isnull=True, is_active=True).order_by("name")


def zone_choices():
    return Zone.objects.exclude(kind="province").order_by("name")


class ServiceModelForm(forms.ModelForm):
    """A model form that only shapes input: the service validates the model (with its
    many-to-many choices, which a form cannot check before saving) and saves it."""

    def _post_clean(self):
        pass


class ProgramForm(ServiceModelForm):
    class Meta:
        model = Program
        fields = [
            "code",
            "title",
            "basis_number",
            "basis_date",
            "starts_on",
            "ends_on",
            "status",
            "report_every",
            "parties",
            "overseers",
            "zones",
            "description",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "basis_date": DateInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "parties": forms.CheckboxSelectMultiple,
            "overseers": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = top_units().filter(kind="body")
        self.fields["overseers"].queryset = top_units().exclude(kind="body")
        self.fields["zones"].queryset = Zone.objects.order_by("name")


class AreaForm(ServiceModelForm):
    number = forms.IntegerField(
        label=_("Number"), required=False, min_value=1, help_text=_("Empty: the next number.")
    )

    class Meta:
        model = Area
        fields = ["number", "title", "description"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class TaskForm(ServiceModelForm):
    number = forms.IntegerField(
        label=_("Number"), required=False, min_value=1, help_text=_("Empty: the next number.")
    )
    enterprises = EnterprisesField(label=_("Enterprises"))

    class Meta:
        model = Task
        fields = [
            "area",
            "number",
            "title",
            "description",
            "lead_unit",
            "supporting_units",
            "responsible",
            "starts_on",
            "due_on",
            "recurrence",
            "status",
            "priority",
            "zones",
            "enterprises",
            "indicators",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "supporting_units": forms.CheckboxSelectMultiple,
            "starts_on": DateInput(),
            "due_on": DateInput(),
            "indicators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        units = party_units(program)
        self.fields["area"].queryset = program.areas.all()
        self.fields["lead_unit"].queryset = units
        self.fields["supporting_units"].queryset = units
        self.fields["responsible"].queryset = User.objects.filter(
            is_active=True, unit__body_id__in=program.party_ids
        ).order_by("first_name", "username")
        self.fields["zones"].queryset = zone_choices()
        self.fields["indicators"].queryset = program.indicators.all()
        self.fields["recurrence"].help_text = _(
            "A recurring task falls due at the end of each period; leave empty for a one-off task."
        )


class IndicatorForm(ServiceModelForm):
    rule = forms.ChoiceField(label=_("Computed by"), required=False)

    class Meta:
        model = Indicator
        fields = [
            "area",
            "code",
            "name",
            "unit_of_measure",
            "direction",
            "rule",
            "organisation_type",
            "measure",
            "period_kind",
            "baseline",
            "baseline_year",
            "target",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["area"].queryset = program.areas.all()
        self.fields["rule"].choices = [("", _("— entered, with a source —")), *rule_choices()]
        self.fields["rule"].help_text = Indicator._meta.get_field("rule").help_text
        self.fields["measure"].help_text = _("For a computed indicator the rule decides.")
        targets = (self.instance.yearly_targets if self.instance.pk else {}) or {}
        for year in program.years:
            self.fields[f"target_{year}"] = forms.DecimalField(
                label=_("Target %(year)d") % {"year": year},
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=targets.get(str(year)),
            )
        self.order_fields([*self.Meta.fields[:-2], *[f"target_{y}" for y in program.years]])

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("target_")}
        data["yearly_targets"] = {
            str(year): str(value)
            for year in self.program.years
            if (value := self.cleaned_data.get(f"target_{year}")) is not None
        }
        return data


class IndicatorValueForm(forms.Form):
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Where the value comes from, e.g. the survey report of the quarter."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProgressReportForm(forms.Form):
    task_status = forms.ChoiceField(
        label=_("Status of the task"),
        choices=[c for c in TaskStatus.choices if c[0] != TaskStatus.CANCELLED],
    )
    # No bounds here: the service's message says what is allowed.
    percent_done = forms.IntegerField(
        label=_("% done"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    narrative = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Results, limitations and difficulties of the period, in a few sentences."),
    )

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name} ({indicator.unit_of_measure})",
                required=False,
                max_digits=14,
                decimal_places=2,
                help_text=_("Becomes the indicator's value for the period once acknowledged."),
            )
        # Evidence can be attached while writing, instead of on the saved draft afterwards.
        self.fields["evidence_title"] = forms.CharField(
            label=_("Evidence: title"),
            max_length=300,
            required=False,
            help_text=_("Empty: the file's name."),
        )
        self.fields["evidence_file"] = forms.FileField(label=_("Evidence: file"), required=False)
        self.fields["evidence_link"] = forms.URLField(
            label=_("Evidence: or a link"), required=False, max_length=500, assume_scheme="https"
        )

    def report_data(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("task_status", "percent_done", "narrative")}

    def evidence(self) -> dict | None:
        """The evidence attached while writing, for `attachment_add`; None when none."""
        data = self.cleaned_data
        if not data.get("evidence_file") and not data.get("evidence_link"):
            return None
        return {
            "title": data.get("evidence_title", ""),
            "file": data.get("evidence_file"),
            "link": data.get("evidence_link", ""),
        }

    def clean(self):
        data = super().clean()
        if data.get("evidence_file") and data.get("evidence_link"):
            raise ValidationError(_("Attach a file or give a link, not both."))
        return data

    def values(self) -> dict:
        return {i: self.cleaned_data.get(f"indicator_{i.pk}") for i in self.indicators}


class ReturnForm(forms.Form):
    review_comment = forms.CharField(
        label=_("What should change"), widget=forms.Textarea(attrs={"rows": 4})
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=300, required=False, help_text=_("Empty: the file's name.")
    )
    file = forms.FileField(label=_("File"), required=False)
    link = forms.URLField(
        label=_("or a link"), required=False, max_length=500, assume_scheme="https"
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("link")) and not self.errors:
            raise ValidationError(_("Attach a file or give a link, not both."))
        return data


class ActivityForm(ServiceModelForm):
    enterprises = EnterprisesField(label=_("Enterprises reached"))

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "held_on",
            "place",
            "topic",
            "organisers",
            "tasks",
            "zones",
            "enterprises",
            *PARTICIPANT_FIELDS,
            "notes",
        ]
        widgets = {
            "held_on": DateInput(),
            "topic": forms.Textarea(attrs={"rows": 3}),
            "organisers": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisers"].queryset = party_units(program)
        self.fields["tasks"].queryset = Task.objects.filter(area__program=program).select_related(
            "area"
        )
        self.fields["tasks"].label_from_instance = lambda task: f"{task.code} {task.title}"
        self.fields["zones"].queryset = zone_choices()
        for field in PARTICIPANT_FIELDS:
            self.fields[field].widget.attrs.update({"inputmode": "numeric", "min": 0})


class UnitChoiceForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=None
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
