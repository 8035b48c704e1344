from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write the database and the uploaded files to one archive (.tar.gz) with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The archive to write, e.g. sinergi.tar.gz")

    def handle(self, *args, file: Path, **options):
        try:
            manifest = create_backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Backed up {manifest['vendor']} ({len(manifest['tables'])} tables, {rows} rows) and "
            f"{len(manifest['files'])} files to {file}"
        )
