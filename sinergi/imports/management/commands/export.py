"""`sinergi export enterprises OUT.xlsx|OUT.csv [--date D]`: the registry as of a date."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core.commands import DataCommand
from sinergi.core.spreadsheets import csv_chunks, write_xlsx
from sinergi.registry import exporting
from sinergi.registry.models import OrganisationType


class Command(DataCommand):
    help = "Write the enterprise registry as it stood on a date (default today) to XLSX or CSV."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["enterprises"])
        parser.add_argument("out", help="OUT.xlsx or OUT.csv")
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, what, out, date, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from exc
        path = Path(out)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("The output file must end in .xlsx or .csv")
        types = list(OrganisationType.objects.all())
        header = exporting.enterprise_header(types)
        rows = exporting.rows_as_of(day, types)
        count = 0

        def counted():
            nonlocal count
            for row in rows:
                count += 1
                yield row

        if path.suffix.lower() == ".xlsx":
            with path.open("wb") as stream:
                write_xlsx(
                    stream, header, counted(), title=f"Sinergi — {_('as of')} {day.isoformat()}"
                )
        else:
            with path.open("w", encoding="utf-8", newline="") as stream:
                stream.writelines(csv_chunks(header, counted()))
        self.stdout.write(f"{count} enterprises as of {day.isoformat()} written to {path}")
