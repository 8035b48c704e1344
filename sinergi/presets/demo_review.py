"""Demo data of the review: the first-year review conference of 16 May 2024 (lao_cai_review.py)
with its attendees, contributions, conclusions (two of them follow-ups, linked to the program's
tasks that carry them out) and the draft report presented. Written through the services, as
the Bloc's program secretary; added once. Its dates and the years in its texts follow the demo's
calendar (demo_calendar.py)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation

from sinergi.accounts.models import Unit, User
from sinergi.presets import lao_cai_review as preset
from sinergi.presets.demo_calendar import DemoCalendar, demo_calendar
from sinergi.programs.models import Program, Task
from sinergi.reviews import services
from sinergi.reviews.models import Review


def build_demo_review(calendar: DemoCalendar | None = None) -> dict[str, int]:
    """Create the demo review once; a second run adds nothing."""
    program = Program.objects.filter(code=preset.PROGRAM_CODE).first()
    secretary = User.objects.filter(username="demo.coordinator").first()
    if program is None or secretary is None or not program.areas.exists():
        return {"reviews": 0}
    calendar = calendar or demo_calendar()
    data = calendar.shifted(preset.REVIEW)
    if Review.objects.filter(program=program, held_on=data["held_on"]).exists():
        return {"reviews": 0}
    units = {u.code: u for u in Unit.objects.all()}
    areas = {a.number: a for a in program.areas.all()}
    with transaction.atomic():
        review = services.review_create(actor=secretary, program=program, data=data)
        speakers = {}
        for key, name, unit, position, present in preset.ATTENDEES:
            speakers[key] = services.attendee_add(
                actor=secretary,
                review=review,
                data={
                    "name": name,
                    "unit": units.get(unit),
                    "position": position,
                    "present": present,
                },
            )
        for key, kind, area, text in preset.CONTRIBUTIONS:
            services.contribution_save(
                actor=secretary,
                review=review,
                data={
                    "speaker": speakers[key],
                    "kind": kind,
                    "area": areas.get(area),
                    "text": calendar.text(text),
                },
            )
        tasks = {
            t.code: t for t in Task.objects.filter(area__program=program).select_related("area")
        }
        for text, owner, due, area, task in preset.CONCLUSIONS:
            services.conclusion_add(
                actor=secretary,
                review=review,
                data={
                    "text": calendar.text(text),
                    "owner_unit": units.get(owner) if owner else None,
                    "due_on": calendar.date(due) if due else None,
                    "area": areas.get(area) if area else None,
                    "task": tasks.get(task) if task else None,
                },
            )
        # The draft's prefilled prose is written in the secretary's language: Vietnamese here,
        # like the rest of the demo province's text.
        with translation.override("vi"):
            services.version_create(
                actor=secretary,
                review=review,
                at=timezone.make_aware(calendar.date(preset.DRAFT_MADE_AT)),
            )
    return {"reviews": 1}
