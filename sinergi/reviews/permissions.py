"""Who may read and change a review: a review belongs to its program, so each rule is the
program's rule (programs/permissions.py) read through the review. Each as a predicate (the
services, the pages and the API check these) and, for lists, as a queryset (the reviews a person
reads, and their attendees, contributions, conclusions, report versions and files)."""

from __future__ import annotations

from django.db.models import QuerySet

from sinergi.core.actors import Actor
from sinergi.programs import permissions as program_permissions
from sinergi.programs.models import Program
from sinergi.reviews.models import (
    Attendee,
    Conclusion,
    Contribution,
    ReportFile,
    ReportVersion,
    Review,
)

# --- Predicates -------------------------------------------------------------------------------


def can_read_review(actor: Actor, review: Review) -> bool:
    return program_permissions.can_read_program(actor, review.program)


def can_manage_reviews_of(actor: Actor, program: Program) -> bool:
    """Recording the program's reviews and setting up the form of their documents: whoever
    manages the program."""
    return program_permissions.can_manage_program(actor, program)


def can_manage_review(actor: Actor, review: Review) -> bool:
    """A review's content (attendees, contributions, conclusions, drafts, issuing)."""
    return can_manage_reviews_of(actor, review.program)


def may_record_reviews(actor: Actor) -> bool:
    """Whether the actor may record the reviews of some program at all (the API's create
    checks; the program's own rule decides the rest)."""
    return program_permissions.can_create_program(actor)


def programs_reviewable_by(actor: Actor) -> list[Program]:
    """`can_manage_reviews_of` over the programs the actor reads."""
    visible = Program.objects.visible_to(actor)
    return [program for program in visible if can_manage_reviews_of(actor, program)]


# --- Querysets --------------------------------------------------------------------------------


def reviews_visible_to(actor: Actor) -> QuerySet[Review]:
    """A review is read by whoever reads its program."""
    return Review.objects.filter(program__in=Program.objects.visible_to(actor))


def attendees_visible_to(actor: Actor) -> QuerySet[Attendee]:
    return Attendee.objects.filter(review__in=reviews_visible_to(actor))


def contributions_visible_to(actor: Actor) -> QuerySet[Contribution]:
    return Contribution.objects.filter(review__in=reviews_visible_to(actor))


def conclusions_visible_to(actor: Actor) -> QuerySet[Conclusion]:
    return Conclusion.objects.filter(review__in=reviews_visible_to(actor))


def versions_visible_to(actor: Actor) -> QuerySet[ReportVersion]:
    return ReportVersion.objects.filter(review__in=reviews_visible_to(actor))


def report_files_visible_to(actor: Actor) -> QuerySet[ReportFile]:
    return ReportFile.objects.filter(version__review__in=reviews_visible_to(actor))
