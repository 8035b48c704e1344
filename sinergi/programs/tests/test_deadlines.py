"""What is due: met, overdue and due-soon dates of tasks, and the daily reminder e-mails."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.accounts import services as account_services
from sinergi.core.models import AuditEntry
from sinergi.core.services import SYSTEM
from sinergi.programs import services
from sinergi.programs.deadlines import DONE, DUE_SOON, ON_TRACK, OVERDUE, deadlines_for
from sinergi.programs.models import Reminder, Task
from sinergi.programs.reminders import send_reminders

pytestmark = pytest.mark.django_db

D = datetime.date
REPORT = {"task_status": "in_progress", "percent_done": 30, "narrative": "Tiến độ."}


def _report(world, program, period, submit=True, task="b"):
    task = program.tasks[task]
    report = services.progress_report_save(
        actor=SYSTEM,
        task=task,
        unit=task.lead_unit,
        period=program.period("quarter", *period),
        data=REPORT,
    )
    return services.progress_report_submit(actor=SYSTEM, report=report) if submit else report


def _deadline(program, today, task="b"):
    task = Task.objects.select_related("area__program").get(pk=program.tasks[task].pk)
    return deadlines_for([task], today)[task.pk]


def test_a_quarter_is_met_by_the_lead_units_submitted_report_only(world, program):
    for period in ((2023, 2), (2023, 3), (2023, 4)):
        _report(world, program, period)
    _report(world, program, (2024, 1), submit=False)  # a draft does not count
    deadline = _deadline(program, D(2024, 4, 15))
    assert deadline.state == OVERDUE and deadline.overdue == [D(2024, 3, 31)]
    assert deadline.next_due == D(2024, 6, 30)
    assert deadline.report_period == program.period("quarter", 2024, 1)


def test_due_soon_within_the_window_and_on_track_before_it(world, program):
    for period in ((2023, 2), (2023, 3), (2023, 4), (2024, 1)):
        _report(world, program, period)
    assert _deadline(program, D(2024, 6, 20)).state == DUE_SOON
    on_track = _deadline(program, D(2024, 5, 1))
    assert on_track.state == ON_TRACK and on_track.report_period == program.period(
        "quarter", 2024, 2
    )


def test_a_one_off_task_is_met_when_done_and_cancelled_tasks_owe_nothing(world, program):
    task = services.task_create(
        actor=SYSTEM,
        program=program.program,
        data={
            "area": program.areas["survey"],
            "title": "Báo cáo sơ kết",
            "lead_unit": world.units["ezb_dept"],
            "starts_on": D(2024, 1, 1),
            "due_on": D(2024, 5, 16),
        },
    )
    task = Task.objects.select_related("area__program").get(pk=task.pk)
    deadlines = deadlines_for([task], D(2024, 5, 20))
    assert deadlines[task.pk].overdue == [D(2024, 5, 16)]
    services.task_update(actor=SYSTEM, task=task, data={"status": "done"})
    assert deadlines_for([task], D(2024, 5, 20))[task.pk].state == DONE
    services.task_update(actor=SYSTEM, task=task, data={"status": "cancelled"})
    assert deadlines_for([task], D(2024, 5, 20))[task.pk].state == DONE


def test_deadlines_take_two_queries_whatever_the_number_of_tasks(world, program):
    for index in range(15):
        services.task_create(
            actor=SYSTEM,
            program=program.program,
            data={
                "area": program.areas["survey"],
                "title": f"Nhiệm vụ {index}",
                "lead_unit": world.units["ezb_dept"],
                "starts_on": D(2023, 6, 1),
                "recurrence": "monthly",
            },
        )
    tasks = list(Task.objects.select_related("area__program"))
    with CaptureQueriesContext(connection) as queries:
        deadlines_for(tasks, D(2024, 4, 15))
    assert len(queries) == 2


def _emails(world, program):
    for persona in ("editor_a", "editor_b", "coordinator", "viewer"):
        account_services.user_update(
            actor=SYSTEM, user=world.users[persona], data={"email": f"{persona}@example.org"}
        )
    account_services.user_update(
        actor=SYSTEM,
        user=program.users["coordinator_b"],
        data={"email": "coordinator_b@example.org"},
    )


def test_reminders_reach_the_responsible_the_lead_units_editors_and_the_partner(world, program):
    _emails(world, program)
    _report(world, program, (2023, 2))  # task B: Q2 2023 submitted, waiting for the EZB
    sent = send_reminders(today=D(2023, 10, 5), base_url="https://sinergi.example.go.id")
    by_person = {message.to[0].split("@")[0]: message for message in mail.outbox}
    assert sent == len(mail.outbox) == 4
    assert set(by_person) == {"editor_a", "editor_b", "coordinator", "coordinator_b"}
    # Task B's responsible person (editor_b) and the Bloc's coordinator: it is overdue (Q3).
    assert program.tasks["b"].title in by_person["editor_b"].body
    assert program.tasks["b"].title in by_person["coordinator_b"].body
    # Task A has no responsible person: its lead unit's editor hears of it.
    assert program.tasks["a"].title in by_person["editor_a"].body
    # The EZB coordinator signs off task B's report and oversees task A, which is overdue.
    body = by_person["coordinator"].body
    assert "https://sinergi.example.go.id/programs/reports/" in body
    assert program.tasks["a"].title in body
    assert "viewer" not in by_person


def test_a_second_run_the_same_day_sends_nothing_and_each_mail_is_recorded(world, program):
    _emails(world, program)
    first = send_reminders(today=D(2023, 10, 5))
    assert first > 0 and send_reminders(today=D(2023, 10, 5)) == 0
    assert Reminder.objects.count() == first
    assert AuditEntry.objects.filter(content_type__model="reminder").count() == first


def test_closed_programs_remind_no_one(world, program):
    _emails(world, program)
    services.program_update(actor=SYSTEM, program=program.program, data={"status": "closed"})
    assert send_reminders(today=D(2023, 10, 5)) == 0


def test_the_command_sends_for_a_given_day_and_can_hand_the_work_to_the_worker(
    world, program, settings, capsys
):
    _emails(world, program)
    call_command("send_reminders", "--date", "2023-10-05")
    assert "Reminder e-mails sent: 4." in capsys.readouterr().out
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    Reminder.objects.all().delete()
    mail.outbox.clear()
    call_command("send_reminders", "--background")
    assert "queued" in capsys.readouterr().out
    assert mail.outbox  # the immediate backend ran it (as of today, all is overdue)
