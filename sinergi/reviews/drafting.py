"""The first draft of a report's prose, assembled from what was said at the conference.

Each prose section gathers the contributions of its kinds, one paragraph each, with the area it
concerns; the secretary then edits the text. Plain functions: no request, easy to test.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.reviews.choices import ContributionKind

# The prose section each kind of contribution lands in.
SECTION_OF_KIND = {
    ContributionKind.RESULT: "results",
    ContributionKind.LIMITATION: "limitations",
    ContributionKind.DIFFICULTY: "limitations",
    ContributionKind.CAUSE: "limitations",
    ContributionKind.LESSON: "lessons",
    ContributionKind.PROPOSAL: "proposals",
}


def _paragraph(contribution) -> str:
    text = " ".join(contribution.text.split())
    if contribution.task_id:
        return f"[{contribution.task.code}] {text}"
    if contribution.area_id:
        return f"[{contribution.area.number}] {text}"
    return text


def prefill(review) -> dict[str, str]:
    """Prose sections prefilled from the contributions (by kind) and the conclusions."""
    sections: dict[str, list[str]] = {
        "background": [],
        "results": [],
        "limitations": [],
        "lessons": [],
        "directions": [],
        "proposals": [],
    }
    program = review.program
    basis = program.title
    if program.basis_number:
        basis = f"{program.basis_number} — {basis}"
    sections["background"].append(
        _(
            "The review covers %(start)s to %(end)s of %(program)s. The conference was held on "
            "%(day)s."
        )
        % {
            "start": review.period_start.strftime("%d/%m/%Y"),
            "end": review.period_end.strftime("%d/%m/%Y"),
            "program": basis,
            "day": review.held_on.strftime("%d/%m/%Y"),
        }
    )
    if program.description:
        sections["background"].append(program.description)
    contributions = review.contributions.select_related("area", "task__area").order_by(
        "created_at", "id"
    )
    for contribution in contributions:
        sections[SECTION_OF_KIND[contribution.kind]].append(_paragraph(contribution))
    for conclusion in review.conclusions.select_related("owner_unit"):
        line = " ".join(conclusion.text.split())
        if conclusion.is_follow_up:
            line += " " + _("(%(unit)s, by %(day)s)") % {
                "unit": conclusion.owner_unit,
                "day": conclusion.due_on.strftime("%d/%m/%Y"),
            }
        sections["directions"].append(line)
    return {key: "\n\n".join(paragraphs) for key, paragraphs in sections.items()}


def preview(review, at: datetime.datetime | None = None):
    """An unsaved version with fresh figures and the latest prose (or the prefilled one), for a
    report asked before any draft was made."""
    from sinergi.reviews import statistics
    from sinergi.reviews.choices import PROSE_FIELDS
    from sinergi.reviews.models import ReportVersion

    moment = at or timezone.now()
    last = review.versions.order_by("-number").first()
    prose = {f: getattr(last, f) for f in PROSE_FIELDS} if last else prefill(review)
    return ReportVersion(
        review=review,
        number=0,
        data_timestamp=moment,
        statistics=statistics.compute(review, moment),
        **prose,
    )
