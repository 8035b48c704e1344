from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import DateInput
from sinergi.imports.models import ImportTemplate


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "XLSX, XLS, ODS or CSV. Title rows, a numbering row, subtotal rows and a "
            "signature footer are recognised and skipped."
        ),
    )
    report_date = forms.DateField(
        label=_("Reporting date"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The date the figures describe. Leave empty when the title says it "
            "(e.g. “tính đến ngày 31/12/2023”, “per 31 Desember 2023”)."
        ),
    )
    template = forms.ModelChoiceField(
        label=_("Column template"),
        queryset=ImportTemplate.objects.all(),
        required=False,
        empty_label=_("Recognise the columns from their headers"),
    )


class MappingForm(forms.Form):
    """One select per column of the file, plus the reporting date."""

    report_date = forms.DateField(label=_("Reporting date"), required=False, widget=DateInput())

    def __init__(self, *args, headers: list[str], mapping: dict[str, str], choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        for index, header in enumerate(headers):
            if not header and str(index) not in mapping:
                continue
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or _("(column %(n)d)") % {"n": index + 1},
                choices=[("", _("— ignore —")), *choices],
                required=False,
                initial=mapping.get(str(index), ""),
            )

    def columns(self) -> dict[int, str]:
        return {
            int(name.removeprefix("col_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("col_") and value
        }


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Template name"), max_length=120)
