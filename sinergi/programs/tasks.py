"""Background jobs of the program: the daily reminder e-mails."""

from __future__ import annotations

from django_tasks import task

from sinergi.programs.reminders import send_reminders


@task()
def send_reminders_task(base_url: str = "") -> int:
    """Send today's reminder digests (a second run the same day sends nothing new)."""
    return send_reminders(base_url=base_url)
