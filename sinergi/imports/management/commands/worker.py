"""The background worker as Sinergi runs it: django-tasks' database worker, logging at the
deployment's level (SINERGI_LOG_LEVEL, WARNING by default) instead of one line per job, which
first marks failed the jobs a stopped worker of this host left "running" (core.jobs), then
recovers the import batches a stopped process left behind (imports.recovery). Its id names its
host and process, which is how a later worker tells that it stopped.

Several workers may run at once, on one host or several: each claims a job with
`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (an exclusive transaction on SQLite), so a job
runs on one worker only."""

from __future__ import annotations

import logging

from django_tasks_db.compat import TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from sinergi.core import jobs


class Command(DatabaseWorkerCommand):
    help = "Run the background jobs (imports, reports); failures are logged, routine work is not."

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity == 1:  # the default: follow the deployment's log level
            level = logging.getLogger().getEffectiveLevel()
            logging.getLogger(TASKS_LOGGER).setLevel(level)
            logging.getLogger("django_tasks_db").setLevel(level)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None)

    def handle(self, *args, **options):
        from sinergi.imports.recovery import batches_recover

        options["worker_id"] = options.get("worker_id") or jobs.worker_id()
        abandoned = jobs.abandoned_jobs_fail()
        if abandoned:
            self.stdout.write(
                f"Jobs left running by a stopped worker of this host: {abandoned}, marked failed."
            )
        counts = batches_recover()
        if counts["requeued"] or counts["failed"]:
            self.stdout.write(
                f"Interrupted import batches: {counts['requeued']} queued for a new check, "
                f"{counts['failed']} marked failed (nothing of them was written)."
            )
        return super().handle(*args, **options)
