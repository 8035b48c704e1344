"""The demo's calendar: the demo's story, written for the program of 2023-2025 and its
first-year review of 16 May 2024, moved by whole years so that it ends shortly before the day
the demo is loaded.

The story is shifted by the largest number of years that puts the first-year review before
today: loaded on 5 December 2026, the program runs from May 2025 to December 2027, the review
was held on 16 May 2026 and the reports of the periods ended since then follow it. A whole-year
shift keeps the quarters exactly and the weekdays roughly. The shift is 0 while today falls in
the year after the original review (17 May 2024 to 16 May 2025), negative before it.

Every date of the demo's story goes through a `DemoCalendar`; years written in its titles and
texts ("giai đoạn 2023 - 2025") move with it. The real province preset (`sinergi init --preset
lao-cai`) is never shifted: only the demo is. The setting SINERGI_DEMO_TODAY (a date or an ISO
"YYYY-MM-DD" string) stands in for today, so tests can pin the calendar.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.utils import timezone

# The story as written: the program's first day and its first-year review conference.
STORY_START = datetime.date(2023, 5, 1)
FIRST_YEAR_END = datetime.date(2024, 5, 16)
PROGRAM_CODE = "ctph-2023-2025"

# A year in a text: four digits from 2000 on, not part of a longer number.
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")

D = TypeVar("D", datetime.date, datetime.datetime)


def _add_years(day: D, years: int) -> D:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def years_for(today: datetime.date) -> int:
    """The shift: the largest number of years that puts the first-year review before today."""
    years = today.year - FIRST_YEAR_END.year
    if _add_years(FIRST_YEAR_END, years) >= today:
        years -= 1
    return years


def demo_today() -> datetime.date:
    """Today for the demo: the SINERGI_DEMO_TODAY setting when given, else the local date."""
    pinned = getattr(settings, "SINERGI_DEMO_TODAY", None)
    if isinstance(pinned, str) and pinned:
        return datetime.date.fromisoformat(pinned)
    if isinstance(pinned, datetime.date):
        return pinned
    return timezone.localdate()


@dataclass(frozen=True)
class DemoCalendar:
    """`years`: how far the story moves; `today`: the day the demo is loaded on."""

    years: int
    today: datetime.date

    def date(self, day: D) -> D:
        """A date (or date and time) of the story, on this calendar."""
        return _add_years(day, self.years)

    def moment(self, day: datetime.date, hour: int = 9) -> datetime.datetime:
        """An aware moment at `hour` on a day already on this calendar."""
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    def year(self, year: int) -> int:
        return year + self.years

    def text(self, text: str) -> str:
        """A text of the story with the years it names moved."""
        if not self.years:
            return text
        return _YEAR.sub(lambda match: str(int(match.group(1)) + self.years), text)

    def shifted(self, data: dict[str, Any], keep: tuple[str, ...] = ("code",)) -> dict[str, Any]:
        """A preset's record (the program, the review) with its dates and texts moved; the
        fields in `keep` (identifiers) stay as written."""
        moved: dict[str, Any] = {}
        for key, value in data.items():
            if key in keep:
                moved[key] = value
            elif isinstance(value, datetime.date):  # dates and datetimes
                moved[key] = self.date(value)
            elif isinstance(value, str):
                moved[key] = self.text(value)
            else:
                moved[key] = value
        return moved

    @property
    def first_year_end(self) -> datetime.date:
        """The first-year review conference, on this calendar."""
        return self.date(FIRST_YEAR_END)


def demo_calendar(today: datetime.date | None = None) -> DemoCalendar:
    """The calendar to load the demo on. A demo already loaded keeps the calendar it was
    loaded with (read from its program's start), so loading it again changes nothing."""
    from sinergi.programs.models import Program, Task

    today = today or demo_today()
    program = Program.objects.filter(code=PROGRAM_CODE).first()
    if program is not None and Task.objects.filter(area__program=program).exists():
        return DemoCalendar(years=program.starts_on.year - STORY_START.year, today=today)
    return DemoCalendar(years=years_for(today), today=today)
