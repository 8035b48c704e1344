"""Writes to review conferences: permission, validation, one transaction, one audit entry.

Who may do what: whoever manages the program (administrators and the coordinators of its
parties) manages its reviews — attendees, contributions, conclusions and report versions.
Whoever reads the program reads its reviews and downloads their reports.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core import audit
from sinergi.core.actors import Actor, user_of
from sinergi.core.models import AuditAction
from sinergi.core.services import assign, require, save_audited
from sinergi.core.text import nfc
from sinergi.core.uploads import PDF, validate_upload
from sinergi.programs import services as program_services
from sinergi.programs.models import Program
from sinergi.reviews import documents, drafting, statistics, writers
from sinergi.reviews.choices import LANGUAGES, PROSE_FIELDS, FileFormat
from sinergi.reviews.models import (
    Attendee,
    Conclusion,
    Contribution,
    DocumentSetup,
    ReportFile,
    ReportFileKind,
    ReportVersion,
    Review,
)
from sinergi.reviews.permissions import can_manage_review, can_manage_reviews_of

# Re-exported for the callers that know the rule as a service (the rules live in permissions.py).
from sinergi.reviews.permissions import can_read_review as can_read_review

REVIEW_FIELDS = (
    "kind",
    "title",
    "number",
    "period_start",
    "period_end",
    "held_on",
    "place",
    "venue",
    "chair",
    "secretary",
    "agenda",
)
ATTENDEE_FIELDS = ("name", "unit", "position", "present", "order")
CONTRIBUTION_FIELDS = ("speaker", "unit", "kind", "text", "area", "task")
CONCLUSION_FIELDS = ("text", "owner_unit", "due_on", "area", "task")
TIMESTAMPS = ("created_at", "updated_at")
MAX_CLIENT_KEY = 64
# Texts whose lines and paragraphs matter (the agenda, what was said, the report's prose).
MULTILINE = frozenset({"agenda", "text", *PROSE_FIELDS})


def multiline_text(value: str | None) -> str:
    """NFC text with each line's spaces collapsed, keeping line breaks and at most one blank
    line between paragraphs."""
    lines = [nfc(line) for line in (value or "").replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def _assign(obj, data: dict[str, Any], allowed) -> Any:
    """`assign`, except that multi-line texts keep their line breaks."""
    assign(obj, {k: v for k, v in data.items() if k not in MULTILINE}, allowed)
    for key in data.keys() & MULTILINE:
        if key not in allowed:
            raise ValidationError(f"Unknown fields: {key}")
        setattr(obj, key, multiline_text(data[key]))
    return obj


_user = user_of  # the actor as a user row to store, or None for the system


# --- Reviews ----------------------------------------------------------------------------------


def review_create(*, actor: Actor, program: Program, data: dict[str, Any]) -> Review:
    """Record a review conference of the program."""
    require(can_manage_reviews_of(actor, program))
    with transaction.atomic():
        review = _assign(Review(program=program, created_by=_user(actor)), data, REVIEW_FIELDS)
        return save_audited(review, actor=actor, before=None, exclude_from_audit=TIMESTAMPS)


def review_update(*, actor: Actor, review: Review, data: dict[str, Any]) -> Review:
    """Change the conference's details; the period of a review with a final report is fixed."""
    require(can_manage_review(actor, review))
    with transaction.atomic():
        before = audit.snapshot(review, TIMESTAMPS)
        old_period = (review.period_start, review.period_end)
        _assign(review, data, REVIEW_FIELDS)
        if (review.period_start, review.period_end) != old_period and review.final_version():
            raise ValidationError(
                {"period_end": _("The report is final: the period it covers cannot change.")}
            )
        return save_audited(review, actor=actor, before=before, exclude_from_audit=TIMESTAMPS)


# --- Attendees --------------------------------------------------------------------------------


def attendee_add(*, actor: Actor, review: Review, data: dict[str, Any]) -> Attendee:
    """Add a delegate; without an order they come after the others."""
    require(can_manage_review(actor, review))
    with transaction.atomic():
        attendee = _assign(Attendee(review=review), data, ATTENDEE_FIELDS)
        if not attendee.order:
            attendee.order = (review.attendees.aggregate(top=Max("order"))["top"] or 0) + 1
        return save_audited(attendee, actor=actor, before=None)


def attendee_update(*, actor: Actor, attendee: Attendee, data: dict[str, Any]) -> Attendee:
    """Change a delegate's name, unit, position, presence or order."""
    require(can_manage_review(actor, attendee.review))
    with transaction.atomic():
        before = audit.snapshot(attendee)
        _assign(attendee, data, ATTENDEE_FIELDS)
        return save_audited(attendee, actor=actor, before=before)


# --- Contributions ----------------------------------------------------------------------------


def contribution_save(
    *,
    actor: Actor,
    review: Review,
    data: dict[str, Any],
    contribution: Contribution | None = None,
    client_key: str = "",
) -> Contribution:
    """Create or change a contribution. The capture page autosaves the same text again and
    again under one `client_key`: the first save creates the row, later ones update it."""
    require(can_manage_review(actor, review))
    client_key = (client_key or "").strip()
    if len(client_key) > MAX_CLIENT_KEY:
        raise ValidationError({"client_key": _("The contribution key is too long.")})
    with transaction.atomic():
        if contribution is None and client_key:
            contribution = (
                Contribution.objects.select_for_update()
                .filter(review=review, client_key=client_key)
                .first()
            )
        if contribution is not None and contribution.review_id != review.pk:
            raise ValidationError(_("This contribution belongs to another review."))
        before = audit.snapshot(contribution, TIMESTAMPS) if contribution else None
        if contribution is None:
            contribution = Contribution(
                review=review, client_key=client_key, created_by=_user(actor)
            )
        _assign(contribution, data, CONTRIBUTION_FIELDS)
        if contribution.speaker is not None and not contribution.unit_id:
            contribution.unit_id = contribution.speaker.unit_id
        if contribution.task is not None and not contribution.area_id:
            contribution.area_id = contribution.task.area_id
        return save_audited(contribution, actor=actor, before=before, exclude_from_audit=TIMESTAMPS)


def contribution_delete(*, actor: Actor, contribution: Contribution) -> None:
    """Remove a contribution (typed by mistake); the audit entry keeps its text."""
    require(can_manage_review(actor, contribution.review))
    with transaction.atomic():
        before = audit.snapshot(contribution, TIMESTAMPS)
        audit.record(
            actor=actor, action=AuditAction.DELETE, obj=contribution, before=before, after=None
        )
        contribution.delete()


# --- Conclusions ------------------------------------------------------------------------------


def conclusion_add(*, actor: Actor, review: Review, data: dict[str, Any]) -> Conclusion:
    """Record a conclusion. With an owner unit and a due date it is a follow-up action and
    becomes a task of the program, under the chosen area, linked back to the conclusion — or,
    when it names an existing task of the program that already covers it, is linked to that
    task (whose lead unit is then the owner unless another is given)."""
    require(can_manage_review(actor, review))
    with transaction.atomic():
        conclusion = _assign(Conclusion(review=review), data, CONCLUSION_FIELDS)
        conclusion.number = (review.conclusions.aggregate(top=Max("number"))["top"] or 0) + 1
        errors: dict[str, str] = {}
        if not (conclusion.text or "").strip():
            errors["text"] = _("Write the conclusion.")
        existing = conclusion.task if conclusion.task_id else None
        if existing is not None:
            if existing.area.program_id != review.program_id:
                errors["task"] = _("This task belongs to another program.")
            elif Conclusion.objects.filter(task=existing).exists():
                errors["task"] = _("This task already follows up another conclusion.")
            else:
                conclusion.owner_unit_id = conclusion.owner_unit_id or existing.lead_unit_id
                conclusion.due_on = conclusion.due_on or existing.due_on
                conclusion.area_id = existing.area_id
        follow_up = existing is not None or conclusion.owner_unit_id or conclusion.due_on
        if follow_up:
            if not conclusion.owner_unit_id:
                errors["owner_unit"] = _("A follow-up action needs an owner unit.")
            if not conclusion.due_on:
                errors["due_on"] = _("A follow-up action needs a due date.")
            if not conclusion.area_id:
                errors["area"] = _("Choose the area the follow-up task is filed under.")
            elif conclusion.area.program_id != review.program_id:
                errors["area"] = _("This area belongs to another program.")
        if errors:
            raise ValidationError(errors)
        if conclusion.is_follow_up and existing is None:
            program = review.program
            start = min(max(review.held_on, program.starts_on), conclusion.due_on)
            conclusion.task = program_services.task_create(
                actor=actor,
                program=program,
                data={
                    "area": conclusion.area,
                    "title": conclusion.text[:400],
                    "description": _("Follow-up of %(review)s, conclusion %(number)d.")
                    % {"review": review.title, "number": conclusion.number},
                    "lead_unit": conclusion.owner_unit,
                    "starts_on": start,
                    "due_on": conclusion.due_on,
                    "priority": "high",
                },
            )
        return save_audited(conclusion, actor=actor, before=None)


# --- Report versions --------------------------------------------------------------------------


def version_create(
    *, actor: Actor, review: Review, at: datetime.datetime | None = None
) -> ReportVersion:
    """A new draft: the statistics read now (as of the period's end), the prose of the last
    draft, or prefilled from the contributions for the first one."""
    require(can_manage_review(actor, review))
    with transaction.atomic():
        Review.objects.select_for_update().filter(pk=review.pk).first()
        if review.final_version() is not None:
            raise ValidationError(_("The report is final: no new draft can be made."))
        last = review.versions.order_by("-number").first()
        moment = at or timezone.now()
        prose = (
            {field: getattr(last, field) for field in PROSE_FIELDS}
            if last
            else drafting.prefill(review, drafting.official_language())
        )
        version = ReportVersion(
            review=review,
            number=(last.number + 1) if last else 1,
            data_timestamp=moment,
            statistics=statistics.compute(review, moment),
            created_by=_user(actor),
            **prose,
        )
        return save_audited(version, actor=actor, before=None)


def version_update(*, actor: Actor, version: ReportVersion, data: dict[str, Any]) -> ReportVersion:
    """Edit the prose of a draft; a final report is not edited."""
    require(can_manage_review(actor, version.review))
    if version.is_final:
        raise ValidationError(_("The report is final and can no longer be edited."))
    with transaction.atomic():
        before = audit.snapshot(version)
        _assign(version, data, PROSE_FIELDS)
        return save_audited(version, actor=actor, before=before)


def version_finalise(
    *, actor: Actor, version: ReportVersion, at: datetime.datetime | None = None
) -> ReportVersion:
    """Make a draft the final report and lock the reporting periods the review covers, so
    their progress reports, values and activities no longer change."""
    review = version.review
    require(can_manage_review(actor, review))
    if version.is_final:
        raise ValidationError(_("This version is already final."))
    moment = at or timezone.now()
    with transaction.atomic():
        if review.final_version() is not None:
            raise ValidationError(_("The review already has a final report."))
        before = audit.snapshot(version)
        version.is_final, version.finalised_at = True, moment
        version.finalised_by = _user(actor)
        save_audited(version, actor=actor, before=before, message=_("made final"))
        _lock_periods(actor, review, moment)
    return version


def _lock_periods(actor: Actor, review: Review, moment: datetime.datetime) -> None:
    """Lock the widest open periods lying inside the review's period (locking a period locks
    the ones inside it too)."""
    inside = review.program.periods.filter(
        starts_on__gte=review.period_start, ends_on__lte=review.period_end, locked_at__isnull=True
    )
    for period in sorted(inside, key=lambda p: (p.starts_on - p.ends_on, p.starts_on)):
        period.refresh_from_db(fields=["locked_at"])
        if not period.is_locked:
            program_services.period_lock(actor=actor, period=period, at=moment)


# --- Issuing ----------------------------------------------------------------------------------

ISSUE_FIELDS = ("issued_number", "issued_on", "language")
SETUP_FIELDS = ("place", "bodies", "recipients")


def document_setup_save(*, actor: Actor, program: Program, data: dict[str, Any]) -> DocumentSetup:
    """Set how the program's report and minutes are headed, signed and sent (the issuing
    bodies in order, the leading one first, their signatories, the recipients)."""
    require(can_manage_reviews_of(actor, program))
    unknown = set(data) - set(SETUP_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        setup = DocumentSetup.objects.select_for_update().filter(program=program).first()
        before = audit.snapshot(setup, ("updated_at",)) if setup else None
        setup = setup or DocumentSetup(program=program)
        if "place" in data:
            setup.place = nfc(data["place"] or "")
        for key in ("bodies", "recipients"):
            if key in data:
                setattr(setup, key, _nfc_deep(data[key]))
        return save_audited(setup, actor=actor, before=before, exclude_from_audit=("updated_at",))


def _nfc_deep(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_nfc_deep(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc_deep(v) for k, v in value.items()}
    return value


def version_issue(
    *,
    actor: Actor,
    version: ReportVersion,
    data: dict[str, Any],
    scan,
    at: datetime.datetime | None = None,
) -> ReportVersion:
    """Issue the final report: its number and date and the form of the program (bodies,
    signatories, recipients) are fixed on the version; the report is generated once more in
    the issuing language as DOCX and PDF and kept with the scan of the signed paper (a PDF).
    Nothing about the version changes afterwards."""
    review = version.review
    require(can_manage_review(actor, review))
    unknown = set(data) - set(ISSUE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}")
    errors: dict[str, Any] = {}
    number = nfc(data.get("issued_number") or "")
    issued_on = data.get("issued_on")
    language = data.get("language") or "vi"
    if not number:
        errors["issued_number"] = _("Give the number and symbol the signed report carries.")
    if not isinstance(issued_on, datetime.date):
        errors["issued_on"] = _("Give the date the report was signed.")
    elif issued_on < review.held_on:
        errors["issued_on"] = _("The report cannot be signed before the conference.")
    if language not in LANGUAGES:
        errors["language"] = _("Choose the language of the signed report.")
    if scan is None:
        errors["scan"] = _("Upload the scan of the signed report (PDF).")
    else:
        try:
            validate_upload(scan, [PDF])
        except ValidationError as error:
            errors["scan"] = error.messages
    if errors:
        raise ValidationError(errors)
    moment = at or timezone.now()
    stored: list[ReportFile] = []
    try:
        with transaction.atomic():
            version = ReportVersion.objects.select_for_update().get(pk=version.pk)
            if not version.is_final:
                raise ValidationError(_("Only the final report can be issued."))
            if version.is_issued:
                raise ValidationError(_("This report has already been issued."))
            before = audit.snapshot(version)
            version.issued_number, version.issued_on = number, issued_on
            form = documents.form_of(review.program)
            form["place"] = review.place or form["place"]
            version.issued_form = {"form": form, "title": review.title, "language": language}
            version.issued_at, version.issued_by = moment, _user(actor)
            save_audited(version, actor=actor, before=before, message=_("issued"))
            stem = f"{review.pk}-v{version.number}-{language}"
            built = documents.report(version, language)
            for fmt in FileFormat.values:
                content = writers.render(built, fmt)
                stored.append(
                    _report_file(
                        actor,
                        version,
                        ReportFileKind.GENERATED,
                        language,
                        fmt,
                        ContentFile(content, name=f"report-{stem}.{fmt}"),
                        f"report-{stem}.{fmt}",
                    )
                )
            stored.append(
                _report_file(
                    actor,
                    version,
                    ReportFileKind.SIGNED_SCAN,
                    language,
                    "pdf",
                    scan,
                    nfc(os.path.basename(scan.name))[:255] or "signed.pdf",
                )
            )
    except BaseException:
        for item in stored:
            item.file.delete(save=False)
        raise
    return version


def _report_file(actor: Actor, version, kind, language, fmt, content, filename) -> ReportFile:
    content.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: content.read(1 << 16), b""):
        digest.update(chunk)
    content.seek(0)
    item = ReportFile(
        version=version,
        kind=kind,
        language=language,
        file_format=fmt,
        filename=filename,
        size=content.size,
        sha256=digest.hexdigest(),
        added_by=_user(actor),
    )
    item.file.save(filename, content, save=False)
    return save_audited(item, actor=actor, before=None, exclude_from_audit=("file",))
