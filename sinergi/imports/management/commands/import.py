"""`sinergi import FILE`: the same pipeline as the import page, from the command line."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import CommandError

from sinergi.accounts.models import User
from sinergi.core.commands import DataCommand
from sinergi.core.services import SYSTEM
from sinergi.core.uploads import SPREADSHEETS, validate_upload
from sinergi.imports import services
from sinergi.imports.plan import Planner
from sinergi.imports.reading import read_table
from sinergi.imports.sheet import Sheet
from sinergi.registry import services as registry_services


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from exc


class Command(DataCommand):
    help = (
        "Import enterprises from an XLSX, XLS, ODS or CSV file. All-or-nothing unless "
        "--only-valid; exits with status 1 when errors kept anything from being written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--date", type=_date, help="Reporting date of the figures.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument(
            "--only-valid",
            action="store_true",
            help="Write the valid rows even when others have errors.",
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
        parser.add_argument("--user", help="Import as this user (default: the system).")

    def handle(self, *args, file, date, dry_run, only_valid, user, **options):
        as_json = options["json"]
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = SYSTEM
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {user!r}")
        upload = ContentFile(path.read_bytes(), name=path.name)
        try:
            if dry_run:
                kind = validate_upload(upload, SPREADSHEETS)
                plan = Planner(
                    Sheet.of(read_table(upload, kind)),
                    can_edit_zone=lambda zone: registry_services.can_edit_enterprises_in(
                        actor, zone
                    ),
                    report_date=date,
                ).plan()
                written = False
            else:
                batch = services.batch_upload(
                    actor=actor, upload=upload, report_date=date, only_valid=only_valid
                )
                plan = services.batch_commit(batch, actor=actor, only_valid=only_valid)
                batch.refresh_from_db()
                written = batch.status == "committed"
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        summary = plan.summary()
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self._print(summary, dry_run, written)
        if plan.file_errors or (plan.errors and not only_valid):
            raise SystemExit(1)

    def _print(self, summary, dry_run, written):
        self.stdout.write(
            f"{summary['created']} new, {summary['updated']} updated, "
            f"{summary['unchanged']} unchanged, {summary['skipped']} skipped rows; "
            f"{len(summary['errors'])} errors, {len(summary['warnings'])} warnings."
        )
        for error in summary["errors"]:
            self.stdout.write(
                f"  row {error['row']}, {error['column']}: {error['message']} [{error['value']}]"
            )
        for warning in summary["warnings"]:
            self.stdout.write(f"  warning, row {warning['row']}: {warning['message']}")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif written:
            self.stdout.write(self.style.SUCCESS("Imported."))
        else:
            self.stdout.write(self.style.ERROR("Nothing was written because of the errors."))
