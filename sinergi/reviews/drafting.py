"""The first draft of a report's prose, assembled from what was said at the conference.

Each prose section gathers the contributions of its kinds, one paragraph each, with the area it
concerns; the secretary then edits the text. Plain functions: no request, easy to test.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import pgettext

from sinergi.reviews.choices import ContributionKind

# The language a country's official documents are written in: a draft's generated sentences
# are written in it whatever language the secretary's pages are in, since the prose is then
# data the secretary edits and the bodies sign.
OFFICIAL_LANGUAGE = {"VN": "vi", "ID": "id"}


def official_language() -> str:
    return OFFICIAL_LANGUAGE.get(settings.SINERGI_COUNTRY, translation.get_language() or "en")


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
    """A contribution as a paragraph; a result is tagged with its area ("[3] ...") so the
    report prints it under that area. The tag is a filing mark: documents never print it."""
    text = " ".join(contribution.text.split())
    if contribution.kind != ContributionKind.RESULT:
        return text
    if contribution.task_id:
        return f"[{contribution.task.code}] {text}"
    if contribution.area_id:
        return f"[{contribution.area.number}] {text}"
    return text


def prefill(review, language: str | None = None) -> dict[str, str]:
    """Prose sections prefilled from the contributions (by kind) and the conclusions, the
    generated sentences in `language` (else the active one)."""
    with translation.override(language or translation.get_language()):
        return _prefill(review, language or translation.get_language())


def _prefill(review, language: str) -> dict[str, str]:
    from sinergi.reviews.documents import long_date

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
        basis = pgettext("document", "%(title)s (No. %(number)s)") % {
            "title": basis,
            "number": program.basis_number,
        }
    sections["background"].append(
        pgettext(
            "document",
            "Under %(program)s, the parties carried out the coordination they had agreed from "
            "%(start)s to %(end)s. The conference reviewing the results was held on %(day)s.",
        )
        % {
            "start": long_date(review.period_start, language),
            "end": long_date(review.period_end, language),
            "program": basis,
            "day": long_date(review.held_on, language),
        }
    )
    contributions = review.contributions.select_related("area", "task__area").order_by(
        "created_at", "id"
    )
    for contribution in contributions:
        sections[SECTION_OF_KIND[contribution.kind]].append(_paragraph(contribution))
    for conclusion in review.conclusions.select_related("owner_unit"):
        line = " ".join(conclusion.text.split())
        if conclusion.is_follow_up:
            line = (
                line.rstrip(".")
                + " "
                + pgettext("document", "(%(unit)s to carry out by %(day)s).")
                % {
                    "unit": conclusion.owner_unit,
                    "day": long_date(conclusion.due_on, language),
                }
            )
        sections["directions"].append(line)
    return {key: "\n\n".join(paragraphs) for key, paragraphs in sections.items()}


def preview(review, at: datetime.datetime | None = None, language: str | None = None):
    """An unsaved version with fresh figures and the latest prose (or the prefilled one), for a
    report asked before any draft was made."""
    from sinergi.reviews import statistics
    from sinergi.reviews.choices import PROSE_FIELDS
    from sinergi.reviews.models import ReportVersion

    moment = at or timezone.now()
    last = review.versions.order_by("-number").first()
    prose = {f: getattr(last, f) for f in PROSE_FIELDS} if last else prefill(review, language)
    return ReportVersion(
        review=review,
        number=0,
        data_timestamp=moment,
        statistics=statistics.compute(review, moment),
        **prose,
    )
