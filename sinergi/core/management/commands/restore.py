from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.core.backup import BackupError, check_manifest, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files by those of a backup archive. "
        "Stop the app servers and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="An archive written by `sinergi backup`")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, file: Path, interactive: bool, **options):
        try:
            manifest = read_manifest(file)
            check_manifest(manifest)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backup of {manifest['created_at']} (Sinergi {manifest['sinergi_version']}, "
            f"{manifest['vendor']}, {len(manifest['files'])} files)."
        )
        if interactive:
            answer = input("This replaces ALL current data. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore_backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            "Restored; every table matches the backup. Run `sinergi migrate` if this Sinergi is "
            "newer than the backup."
        )
