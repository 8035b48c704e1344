"""Reminder e-mails: one digest a day per person, listing what they owe the program.

- a task overdue or due soon: its responsible person (else the lead unit's editors); when
  overdue, also the coordinators of the lead unit's body;
- a report waiting for sign-off: the coordinators of the partner bodies;
- a report returned: the editors of the unit that wrote it.

Only active programs remind. Run daily by `sinergi send_reminders` (cron, a systemd timer) or as
the background task `send_reminders_task`; a second run the same day sends nothing new.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from sinergi.accounts.models import User
from sinergi.core import audit
from sinergi.core.models import AuditAction
from sinergi.core.services import SYSTEM
from sinergi.programs.choices import ProgramStatus, ReportStatus
from sinergi.programs.deadlines import DUE_SOON, OVERDUE, deadlines_for
from sinergi.programs.models import ProgressReport, Reminder, Task


@dataclass(frozen=True)
class Item:
    kind: str  # "overdue", "due_soon", "awaiting", "returned"
    title: str
    day: datetime.date | None
    path: str


def _people(role: str) -> dict[int, list[User]]:
    """Active users of a role who have an e-mail address, by unit id (editors) or body id."""
    users = User.objects.filter(is_active=True, role=role).exclude(email="").select_related("unit")
    grouped: dict[int, list[User]] = defaultdict(list)
    for user in users:
        if user.unit_id:
            grouped[user.unit_id if role == "editor" else user.unit.body_id].append(user)
    return grouped


def collect(today: datetime.date) -> dict[User, list[Item]]:
    """Who should be reminded of what today."""
    editors, coordinators = _people("editor"), _people("coordinator")
    items: dict[User, list[Item]] = defaultdict(list)
    tasks = (
        Task.objects.filter(area__program__status=ProgramStatus.ACTIVE)
        .open()
        .select_related("area__program", "lead_unit", "responsible")
    )
    for deadline in deadlines_for(tasks, today).values():
        if deadline.state not in (OVERDUE, DUE_SOON):
            continue
        task = deadline.task
        day = deadline.first_overdue or deadline.next_due
        item = Item(deadline.state, str(task), day, task.get_absolute_url())
        responsible = task.responsible
        if responsible and responsible.is_active and responsible.email:
            recipients = [responsible]
        else:
            recipients = list(editors.get(task.lead_unit_id, []))
        if deadline.state == OVERDUE:
            recipients += coordinators.get(task.lead_unit.body_id, [])
        for user in dict.fromkeys(recipients):
            items[user].append(item)
    reports = (
        ProgressReport.objects.filter(
            task__area__program__status=ProgramStatus.ACTIVE,
            status__in=(ReportStatus.SUBMITTED, ReportStatus.RETURNED),
        )
        .leads()
        .select_related("task__area__program", "task__lead_unit", "unit", "period")
    )
    for report in reports:
        path = report.get_absolute_url()
        if report.status == ReportStatus.SUBMITTED:
            program = report.task.area.program
            partners = program.party_ids - {report.task.lead_unit.body_id}
            item = Item("awaiting", str(report), report.submitted_at.date(), path)
            for body in partners:
                for user in coordinators.get(body, []):
                    items[user].append(item)
        else:
            item = Item("returned", str(report), report.reviewed_at.date(), path)
            for user in editors.get(report.unit_id, []):
                items[user].append(item)
    return items


def send_reminders(*, today: datetime.date | None = None, base_url: str = "") -> int:
    """Send today's digests; returns how many e-mails went out."""
    today = today or timezone.localdate()
    base_url = (base_url or getattr(settings, "SINERGI_BASE_URL", "http://localhost:8000")).rstrip(
        "/"
    )
    already = set(Reminder.objects.filter(sent_on=today).values_list("user_id", flat=True))
    sent = 0
    for user, items in collect(today).items():
        if user.pk in already:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = ngettext(
                "Sinergi: %(count)d item of the coordination program",
                "Sinergi: %(count)d items of the coordination program",
                len(items),
            ) % {"count": len(items)}
            body = render_to_string(
                "programs/email/reminder.txt",
                {"user": user, "items": items, "base_url": base_url, "today": today},
            )
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(user=user, sent_on=today, items=len(items))
                audit.record(
                    actor=SYSTEM,
                    action=AuditAction.CREATE,
                    obj=reminder,
                    after=audit.snapshot(reminder, ("sent_at",)),
                    message=f"reminder e-mail to {user.email}",
                )
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except IntegrityError:
            continue  # another run reminded this person today
        sent += 1
    return sent
