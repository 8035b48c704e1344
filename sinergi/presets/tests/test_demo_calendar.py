"""The demo's calendar: the story moves by whole years so that it ends shortly before the day
the demo is loaded, and the program then looks alive rather than over."""

import datetime

import pytest
from django.core.management import call_command

from sinergi.core.models import AuditEntry
from sinergi.insight import quality
from sinergi.insight.models import QualityRule
from sinergi.presets.demo import build_demo
from sinergi.presets.demo_calendar import DemoCalendar, years_for
from sinergi.presets.national import build_national
from sinergi.programs.choices import REPORTED_STATUSES
from sinergi.programs.deadlines import DONE, OVERDUE, deadlines_for
from sinergi.programs.models import Activity, Program, ProgressReport, Task
from sinergi.registry.models import Figure
from sinergi.reviews.models import Review

CODE = "ctph-2023-2025"


@pytest.mark.parametrize(
    "today, years",
    [
        (datetime.date(2026, 12, 5), 2),
        (datetime.date(2026, 5, 16), 1),  # the shifted review must be before today
        (datetime.date(2026, 5, 17), 2),
        (datetime.date(2025, 3, 1), 0),  # within the story as written
        (datetime.date(2024, 5, 17), 0),
        (datetime.date(2024, 3, 1), -1),
    ],
)
def test_the_shift_puts_the_first_year_review_shortly_before_today(today, years):
    assert years_for(today) == years
    review = DemoCalendar(years=years, today=today).first_year_end
    assert review < today <= review.replace(year=review.year + 1)


def test_the_calendar_moves_dates_and_years_in_texts_only():
    calendar = DemoCalendar(years=2, today=datetime.date(2026, 12, 5))
    assert calendar.date(datetime.date(2024, 2, 29)) == datetime.date(2026, 2, 28)
    assert calendar.text("giai đoạn 2023 - 2025, quý I/2024") == "giai đoạn 2025 - 2027, quý I/2026"
    text = "Đề án 24-ĐA/TU, Điều 21, Hướng dẫn 36-HD/VPTW, 120 doanh nghiệp"
    assert calendar.text(text) == text
    shifted = calendar.shifted({"code": CODE, "title": "2023 - 2025", "held_on": None})
    assert shifted == {"code": CODE, "title": "2025 - 2027", "held_on": None}


@pytest.mark.django_db
def test_the_province_preset_is_never_shifted(settings):
    settings.SINERGI_DEMO_TODAY = "2026-12-05"
    call_command("init", "--preset", "lao-cai")
    program = Program.objects.get(code=CODE)
    assert (program.starts_on, program.ends_on) == (
        datetime.date(2023, 5, 1),
        datetime.date(2025, 12, 31),
    )
    assert "2023 - 2025" in program.title


def _lead_reported(task, period) -> bool:
    return ProgressReport.objects.filter(
        task=task, period=period, unit=task.lead_unit, status__in=REPORTED_STATUSES
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today, years",
    [(datetime.date(2026, 12, 5), 2), (datetime.date(2025, 3, 1), 0)],
)
def test_the_demo_loaded_today_is_a_program_under_way(settings, today, years):
    settings.SINERGI_DEMO_TODAY = today.isoformat()
    # An office that set up the province first and tried the demo afterwards.
    call_command("init", "--preset", "lao-cai")
    build_demo(count=60)
    program = Program.objects.get(code=CODE)
    start, end = 2023 + years, 2025 + years
    assert (program.starts_on, program.ends_on) == (
        datetime.date(start, 5, 1),
        datetime.date(end, 12, 31),
    )
    assert f"giai đoạn {start} - {end}" in program.title
    assert program.indicators.get(code="dang-vien-moi").yearly_targets == {
        str(start): "6",
        str(start + 1): "12",
        str(end): "12",
    }

    # The first-year review, a few months ago, with its documents' dates.
    review = Review.objects.get(program=program)
    assert review.held_on == datetime.date(start + 1, 5, 16) < today
    assert (today - review.held_on).days < 366
    assert f"giai đoạn {start} - {end}" in review.title
    assert review.versions.get().data_timestamp.date() == datetime.date(start + 1, 5, 9)
    assert {c.due_on for c in review.conclusions.all()} == {
        None,
        datetime.date(start + 1, 9, 30),
        datetime.date(start + 1, 12, 31),
    }

    # Nothing happened after today.
    assert not Activity.objects.filter(held_on__gte=today).exists()
    assert Activity.objects.filter(held_on__gt=review.held_on).exists()
    moments = ProgressReport.objects.values_list("submitted_at", "reviewed_at")
    assert all(m.date() < today for pair in moments for m in pair if m)
    assert not Figure.objects.filter(as_of__gt=today).exists()
    assert Figure.objects.order_by("as_of").first().as_of == datetime.date(start - 1, 12, 31)

    # Tasks: a mix of done, under way and due soon; only a few late.
    tasks = list(Task.objects.filter(area__program=program).select_related("area__program"))
    states = deadlines_for(tasks, today)
    done = [t for t in tasks if states[t.pk].state == DONE]
    under_way = [t for t in tasks if t.status == "in_progress"]
    soon = [
        t
        for t in tasks
        if states[t.pk].next_due and states[t.pk].next_due <= today + datetime.timedelta(days=60)
    ]
    late = [t for t in tasks if states[t.pk].state == OVERDUE]
    assert len(done) >= 2 and len(under_way) >= 5 and len(soon) >= 3
    assert 1 <= len(late) <= len(tasks) // 4
    # One-off tasks set after the review fall due in the coming weeks.
    assert any(
        not t.recurrence and t.due_on and today < t.due_on <= today + datetime.timedelta(60)
        for t in tasks
    )

    # The latest ended quarter has reports missing; the quarters before it are complete.
    quarterly = [t for t in tasks if t.recurrence == "quarterly"]
    ended = list(program.periods.filter(kind="quarter", ends_on__lt=today).order_by("ends_on"))
    latest, earlier = ended[-1], ended[:-1]
    assert latest.ends_on > review.held_on
    missing = [t for t in quarterly if not _lead_reported(t, latest)]
    assert 1 <= len(missing) < len(quarterly)
    assert all(_lead_reported(t, p) for t in quarterly for p in earlier if t.runs_in(p))
    # The first year's returned report was corrected and signed off; one waits in the latest.
    leads = ProgressReport.objects.leads()
    assert not leads.filter(status="returned").exists()
    assert leads.filter(status="submitted", period=latest).count() == 1

    # The data-quality page has a few things to show.
    violations = list(quality.evaluate_all(QualityRule.objects.filter(active=True), today))
    rules = {v.rule.left for v in violations}
    assert 2 <= len(violations) <= 10
    assert {"closed_active_organisations", "figures_age_months"} <= rules

    # Loading it again, even later, adds nothing and moves nothing.
    before = (ProgressReport.objects.count(), AuditEntry.objects.count())
    settings.SINERGI_DEMO_TODAY = (today + datetime.timedelta(days=400)).isoformat()
    build_demo(count=60)
    assert (ProgressReport.objects.count(), AuditEntry.objects.count()) == before
    program.refresh_from_db()
    assert program.starts_on == datetime.date(start, 5, 1)


@pytest.mark.django_db
def test_the_demo_command_takes_a_day_to_date_the_story_by():
    call_command("demo", "--count", "20", "--today", "2025-08-01", verbosity=0)
    review = Review.objects.get()
    assert review.held_on == datetime.date(2025, 5, 16)


@pytest.mark.django_db
@pytest.mark.parametrize("province_demo_first", [True, False])
def test_the_national_demo_keeps_the_demos_calendar(settings, province_demo_first):
    settings.SINERGI_DEMO_TODAY = "2026-12-05"
    if province_demo_first:
        build_demo(count=20)
    # Loaded after the province demo, the national one must not move the program back to the
    # preset's dates (its tasks run later: that was refused), and alone it is dated the same.
    counts = build_national(count=60, provinces=1)
    assert counts["enterprises"] == 60
    program = Program.objects.get(code=CODE)
    assert (program.starts_on, program.ends_on) == (
        datetime.date(2025, 5, 1),
        datetime.date(2027, 12, 31),
    )
