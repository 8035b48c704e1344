"""Demo data of the review: the first-year review conference of 16 May 2024 (lao_cai_review.py)
with its attendees, contributions, conclusions (two of them follow-ups, linked to the program's
tasks that carry them out) and the draft report presented. Written through the services, as
the Bloc's program secretary; added once."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation

from sinergi.accounts.models import Unit, User
from sinergi.presets import lao_cai_review as preset
from sinergi.programs.models import Program, Task
from sinergi.reviews import services
from sinergi.reviews.models import Review


def build_demo_review() -> dict[str, int]:
    """Create the demo review once; a second run adds nothing."""
    program = Program.objects.filter(code=preset.PROGRAM_CODE).first()
    secretary = User.objects.filter(username="demo.coordinator").first()
    if program is None or secretary is None or not program.areas.exists():
        return {"reviews": 0}
    if Review.objects.filter(program=program, held_on=preset.REVIEW["held_on"]).exists():
        return {"reviews": 0}
    units = {u.code: u for u in Unit.objects.all()}
    areas = {a.number: a for a in program.areas.all()}
    with transaction.atomic():
        review = services.review_create(actor=secretary, program=program, data=preset.REVIEW)
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
                    "text": text,
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
                    "text": text,
                    "owner_unit": units.get(owner) if owner else None,
                    "due_on": due,
                    "area": areas.get(area) if area else None,
                    "task": tasks.get(task) if task else None,
                },
            )
        # The draft's prefilled prose is written in the secretary's language: Vietnamese here,
        # like the rest of the demo province's text.
        with translation.override("vi"):
            services.version_create(
                actor=secretary, review=review, at=timezone.make_aware(preset.DRAFT_MADE_AT)
            )
    return {"reviews": 1}
