"""`sinergi worker`: the background worker (django-tasks-db's `db_worker`, same options), which
first recovers import batches a stopped process left behind (services.batches_recover).

Several workers may run at once, on one host or several: each claims a job with
`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (an exclusive transaction on SQLite), so a job
runs on one worker only."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from sinergi.imports.services import batches_recover


class Command(DatabaseWorkerCommand):
    help = (
        "Run background jobs (imports, reports). Recovers interrupted import batches first. "
        "Several workers may run at once."
    )

    def handle(self, *args, **options):
        counts = batches_recover()
        if counts["requeued"] or counts["failed"]:
            self.stdout.write(
                f"Interrupted import batches: {counts['requeued']} queued for a new check, "
                f"{counts['failed']} marked failed (nothing of them was written)."
            )
        return super().handle(*args, **options)
