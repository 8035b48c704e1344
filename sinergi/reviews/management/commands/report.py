from pathlib import Path

from django.core.management.base import CommandError

from sinergi.core.commands import DataCommand
from sinergi.reviews import documents, drafting, writers
from sinergi.reviews.choices import LANGUAGES, Document, FileFormat
from sinergi.reviews.models import Review


class Command(DataCommand):
    help = (
        "Write a review's report (or its minutes) as DOCX or PDF. The report is that of the "
        "final version, else of the latest draft; with no draft yet, a preview with fresh "
        "figures (nothing is saved)."
    )

    def add_arguments(self, parser):
        parser.add_argument("review", type=int, help="The review's id.")
        parser.add_argument("--format", dest="fmt", choices=FileFormat.values, default="docx")
        parser.add_argument("--lang", choices=LANGUAGES, default="id")
        parser.add_argument("--out", required=True, help="The file to write.")
        parser.add_argument("--document", choices=Document.values, default=Document.REPORT)
        parser.add_argument("--minutes", action="store_true", help="Same as --document minutes.")
        parser.add_argument("--draft", dest="number", type=int, help="A version's number.")

    def handle(self, *args, review, fmt, lang, out, document, minutes, number, **options):
        found = Review.objects.select_related("program").filter(pk=review).first()
        if found is None:
            raise CommandError(f"No review has the id {review}.")
        if minutes or document == Document.MINUTES:
            built = documents.minutes(found, lang)
            what = "minutes"
        else:
            versions = found.versions.order_by("-is_final", "-number")
            if number is not None:
                versions = versions.filter(number=number)
                if not versions.exists():
                    raise CommandError(f"The review has no version {number}.")
            version = versions.first() or drafting.preview(found, language=lang)
            built = documents.report(version, lang)
            what = f"report ({version.label})"
        Path(out).write_bytes(writers.render(built, fmt))
        self.stdout.write(f"Wrote the {what} of review {found.pk} to {out}.")
