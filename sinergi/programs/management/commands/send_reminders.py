import datetime

from django.core.management.base import BaseCommand, CommandError

from sinergi.programs.reminders import send_reminders
from sinergi.programs.tasks import send_reminders_task


class Command(BaseCommand):
    help = (
        "E-mail each person what is overdue, due soon, waiting for their sign-off or returned "
        "to them. Run it daily (cron or a systemd timer); a second run the same day sends "
        "nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="",
            help="The address people open Sinergi at, for the links in the e-mails "
            "(default: SINERGI_BASE_URL, else http://localhost:8000).",
        )
        parser.add_argument("--date", help="Remind as of this day (YYYY-MM-DD) instead of today.")
        parser.add_argument(
            "--background",
            action="store_true",
            help="Hand the work to the background worker instead of doing it now.",
        )

    def handle(self, *args, base_url, date, background, **options):
        if background:
            if date:
                raise CommandError("--date cannot be combined with --background.")
            result = send_reminders_task.enqueue(base_url)
            self.stdout.write(f"Reminders queued for the background worker (job {result.id}).")
            return
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"Not a date: {date}") from exc
        sent = send_reminders(today=today, base_url=base_url)
        self.stdout.write(f"Reminder e-mails sent: {sent}.")
