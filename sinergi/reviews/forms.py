"""Forms of the review pages: they shape the input; the services judge it."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Unit
from sinergi.core.forms import DateInput, label_empty_choices
from sinergi.programs.forms import ServiceModelForm, party_units
from sinergi.programs.models import Area, Program, Task
from sinergi.reviews.choices import LANGUAGES, PROSE_FIELDS, FileFormat
from sinergi.reviews.models import (
    Attendee,
    Conclusion,
    Contribution,
    DocumentSetup,
    ReportVersion,
    Review,
)


class ReviewForm(ServiceModelForm):
    class Meta:
        model = Review
        fields = [
            "kind",
            "title",
            "number",
            "period_start",
            "period_end",
            "held_on",
            "place",
            "venue",
            "chair",
            "secretary",
            "agenda",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "period_start": DateInput(),
            "period_end": DateInput(),
            "held_on": DateInput(),
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }


class ReviewCreateForm(ReviewForm):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())

    class Meta(ReviewForm.Meta):
        fields = ["program", *ReviewForm.Meta.fields]

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = (
            programs if programs is not None else Program.objects.none()
        )


def review_units(review: Review):
    """The parties' units and the committees the program reports to."""
    program = review.program
    overseers = list(program.overseers.values_list("pk", flat=True))
    return Unit.objects.filter(
        Q(body_id__in=program.party_ids, is_active=True) | Q(pk__in=overseers)
    ).order_by("body_id", "parent_id", "name")


class AttendeeForm(ServiceModelForm):
    class Meta:
        model = Attendee
        fields = ["name", "unit", "position", "present", "order"]

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = review_units(review)
        self.fields["order"].required = False


class ContributionForm(ServiceModelForm):
    class Meta:
        model = Contribution
        fields = ["speaker", "kind", "area", "task", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = review.attendees.select_related("unit")
        self.fields["speaker"].label_from_instance = lambda a: (
            f"{a.name} — {a.unit}" if a.unit_id else a.name
        )
        self.fields["area"].queryset = Area.objects.filter(program_id=review.program_id)
        self.fields["task"].queryset = Task.objects.filter(
            area__program_id=review.program_id
        ).select_related("area")
        label_empty_choices(self)


class ConclusionForm(ServiceModelForm):
    class Meta:
        model = Conclusion
        fields = ["text", "owner_unit", "due_on", "area", "task"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "due_on": DateInput()}
        help_texts = {
            "owner_unit": _("With a due date: a follow-up action, added to the program as a task."),
            "task": _("Or an existing task of the program that already covers it."),
        }

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = party_units(review.program)
        self.fields["area"].queryset = Area.objects.filter(program_id=review.program_id)
        self.fields["task"].queryset = Task.objects.filter(
            area__program_id=review.program_id, review_conclusion__isnull=True
        ).select_related("area")


class VersionForm(ServiceModelForm):
    class Meta:
        model = ReportVersion
        fields = list(PROSE_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in PROSE_FIELDS}


class DownloadForm(forms.Form):
    lang = forms.ChoiceField(
        label=_("Language"),
        choices=[("id", "Bahasa Indonesia"), ("vi", "Tiếng Việt"), ("en", "English")],
        required=False,
    )
    fmt = forms.ChoiceField(label=_("Format"), choices=FileFormat.choices, required=False)

    def language(self, default: str) -> str:
        value = self.cleaned_data.get("lang") if self.is_valid() else ""
        return value if value in LANGUAGES else default


class IssueForm(forms.Form):
    """Issue the final report: the number and date it was signed under, and the scan."""

    issued_number = forms.CharField(
        label=_("Number and symbol"),
        max_length=100,
        help_text=_("As on the signed paper, e.g. 25-BC/ĐUK-BQL."),
    )
    issued_on = forms.DateField(label=_("Date of signature"), widget=DateInput())
    language = forms.ChoiceField(
        label=_("Language of the signed report"),
        choices=[("vi", "Tiếng Việt"), ("id", "Bahasa Indonesia"), ("en", "English")],
    )
    scan = forms.FileField(
        label=_("Scan of the signed report (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class DocumentSetupForm(ServiceModelForm):
    """The heading, signatories and recipients of a program's documents, edited as data."""

    class Meta:
        model = DocumentSetup
        fields = ["place", "bodies", "recipients"]
        widgets = {
            "bodies": forms.Textarea(attrs={"rows": 18, "class": "code"}),
            "recipients": forms.Textarea(attrs={"rows": 5, "class": "code"}),
        }
        help_texts = {
            "bodies": _(
                "A list, the leading body first. Each body: unit (its code), symbol (in the "
                "number, e.g. ĐUK), party (true for a Party committee), and texts per language "
                '({"vi": …, "id": …, "en": …}): superior, name, capacity (e.g. T/M BAN '
                "THƯỜNG VỤ), title (e.g. BÍ THƯ); signer: the name of who signs."
            ),
            "recipients": _(
                'A list of texts per language ({"vi": …, "id": …, "en": …}); empty: the '
                "committees the program reports to."
            ),
        }
