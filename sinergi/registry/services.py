"""Writes to the registry: permission, validation, one transaction, one audit entry each."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core import audit
from sinergi.core.actors import Actor
from sinergi.core.models import AuditAction
from sinergi.core.services import assign, normalise_text, require, save_audited
from sinergi.registry.bulk import enterprise_search_text, former_names_after, newest_figure
from sinergi.registry.choices import ENTERPRISE_FIELDS, FIGURE_FIELDS, FIGURE_FLAGS
from sinergi.registry.models import (
    Enterprise,
    EnterpriseStatusChange,
    Figure,
    Organisation,
    OrganisationOfficer,
    OrganisationType,
    Zone,
    complete_party_split,
)

# Re-exported for the callers that know the rules as services (the rules live in permissions.py).
from sinergi.registry.permissions import (
    can_edit_enterprise as can_edit_enterprise,
)
from sinergi.registry.permissions import (
    can_edit_enterprises_in as can_edit_enterprises_in,
)
from sinergi.registry.permissions import (
    can_edit_officers as can_edit_officers,
)
from sinergi.registry.permissions import (
    can_manage_zones as can_manage_zones,
)
from sinergi.registry.signals import founding_rule_changed
from sinergi.registry.taxid import normalise_tax_id

ZONE_FIELDS = (
    "parent",
    "kind",
    "code",
    "name",
    "short_name",
    "aliases",
    "area_ha",
    "status",
    "managing_unit",
    "latitude",
    "longitude",
    "boundary",
)
ORGANISATION_FIELDS = ("type", "name", "level", "founded_on", "dissolved_on", "note")
ORGANISATION_TYPE_FIELDS = (
    "code",
    "names",
    "founding_rule",
    "rule_citation",
    "member_field",
    "sort_order",
)
OFFICER_FIELDS = ("role", "name", "phone", "email", "since", "until")
STATUS_CHANGE_FIELDS = ("status", "since", "note")


# Who and when are the audit entry's own actor and time; the version's id says nothing to a reader.
FIGURE_AUDIT_EXCLUDE = ("id", "recorded_by", "recorded_at", "superseded_at", "import_batch")


# --- Permission rules -------------------------------------------------------------------------


# --- Zones and organisation types ------------------------------------------------------------


def zone_create(*, actor: Actor, data: dict[str, Any]) -> Zone:
    require(can_manage_zones(actor))
    with transaction.atomic():
        return save_audited(assign(Zone(), data, ZONE_FIELDS), actor=actor, before=None)


def zone_update(*, actor: Actor, zone: Zone, data: dict[str, Any]) -> Zone:
    require(can_manage_zones(actor))
    with transaction.atomic():
        before = audit.snapshot(zone)
        return save_audited(assign(zone, data, ZONE_FIELDS), actor=actor, before=before)


def organisation_type_save(
    *, actor: Actor, data: dict[str, Any], org_type: OrganisationType | None = None
) -> OrganisationType:
    """Create or change an organisation type and its founding rule (administrators). The gap
    list follows the rule: it is recomputed when the rule, or the figure it ranks by, changed."""
    require(can_manage_zones(actor))
    with transaction.atomic():
        target = org_type or OrganisationType()
        before = audit.snapshot(target) if org_type else None
        saved = save_audited(
            assign(target, data, ORGANISATION_TYPE_FIELDS), actor=actor, before=before
        )
    after = audit.snapshot(saved)
    # A new type's gaps come with the next refresh (the registry version moved with this write).
    refreshed = before is not None and any(
        before.get(k) != after.get(k) for k in ("founding_rule", "member_field")
    )
    saved.gaps_refreshed = refreshed  # type: ignore[attr-defined]
    if refreshed:
        # Insight recomputes its gap list (it listens: registry does not import insight).
        founding_rule_changed.send(sender=OrganisationType, org_type=saved)
    return saved


# --- Enterprises ------------------------------------------------------------------------------


def _prepare_enterprise(enterprise: Enterprise) -> None:
    """Canonical tax id, duplicate check with a readable message, and the search key."""
    if enterprise.tax_id:
        try:
            enterprise.tax_id = normalise_tax_id(enterprise.tax_id, enterprise.tax_country)
        except ValidationError as exc:
            raise ValidationError({"tax_id": exc.messages}) from exc
        clash = (
            Enterprise.objects.filter(tax_id=enterprise.tax_id).exclude(pk=enterprise.pk).first()
        )
        if clash:
            raise ValidationError(
                {
                    "tax_id": _("Tax id %(tax_id)s is already registered to “%(name)s”.")
                    % {"tax_id": enterprise.tax_id, "name": clash.name}
                }
            )
    enterprise.search_text = enterprise_search_text(
        enterprise.name, enterprise.former_names or [], enterprise.tax_id
    )


def enterprise_create(*, actor: Actor, data: dict[str, Any], message: str = "") -> Enterprise:
    """Register an enterprise in a zone the actor may edit."""
    enterprise = assign(Enterprise(), data, ENTERPRISE_FIELDS)
    require(can_edit_enterprises_in(actor, enterprise.zone))
    with transaction.atomic():
        _prepare_enterprise(enterprise)
        return save_audited(
            enterprise,
            actor=actor,
            before=None,
            message=message,
            exclude_from_audit=["search_text", "updated_at", "created_at"],
        )


def enterprise_update(
    *,
    actor: Actor,
    enterprise: Enterprise,
    data: dict[str, Any],
    message: str = "",
    status_since: datetime.date | None = None,
) -> Enterprise:
    """Change an enterprise; a new name keeps the old one among its former names, a new status
    is added to the dated status history (since `status_since`, else today)."""
    require(can_edit_enterprise(actor, enterprise))
    with transaction.atomic():
        exclude = ["search_text", "updated_at", "created_at"]
        before = audit.snapshot(enterprise, exclude)
        old_name, old_status = enterprise.name, enterprise.status
        assign(enterprise, data, ENTERPRISE_FIELDS)
        # Moving an enterprise into a zone needs rights there too.
        require(can_edit_enterprise(actor, enterprise))
        enterprise.former_names = former_names_after(
            enterprise.former_names, old_name, enterprise.name
        )
        _prepare_enterprise(enterprise)
        new_status = enterprise.status
        if new_status != old_status:
            # The status history decides the present status; it writes the field itself.
            enterprise.status = old_status
            save_audited(
                enterprise, actor=actor, before=before, message=message, exclude_from_audit=exclude
            )
            enterprise_status_change(
                actor=actor,
                enterprise=enterprise,
                data={"status": new_status, "since": status_since or timezone.localdate()},
            )
            return enterprise
        return save_audited(
            enterprise, actor=actor, before=before, message=message, exclude_from_audit=exclude
        )


def enterprise_status_change(
    *, actor: Actor, enterprise: Enterprise, data: dict[str, Any]
) -> EnterpriseStatusChange:
    """Record that the enterprise has had a status since a date. The first change also keeps
    the status it had before (since an unknown date), so a past day still reads it; the
    enterprise's present status follows the history."""
    require(can_edit_enterprise(actor, enterprise))
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
        if not enterprise.status_changes.exists():
            save_audited(
                EnterpriseStatusChange(enterprise=enterprise, status=enterprise.status, since=None),
                actor=actor,
                before=None,
            )
        change = assign(EnterpriseStatusChange(enterprise=enterprise), data, STATUS_CHANGE_FIELDS)
        clash = enterprise.status_changes.filter(since=change.since).first()
        if change.since is not None and clash is not None:
            before = audit.snapshot(clash)
            change = save_audited(
                assign(clash, data, STATUS_CHANGE_FIELDS), actor=actor, before=before
            )
        else:
            change = save_audited(change, actor=actor, before=None)
        today = timezone.localdate()
        present = (
            Enterprise.objects.with_status_on(today)
            .values_list("status_on", flat=True)
            .get(pk=enterprise.pk)
        )
        if present != enterprise.status:
            before = audit.snapshot(enterprise, ["search_text", "updated_at", "created_at"])
            enterprise.status = present
            save_audited(
                enterprise,
                actor=actor,
                before=before,
                exclude_from_audit=["search_text", "updated_at", "created_at"],
            )
        return change


# --- Organisations ----------------------------------------------------------------------------


def organisation_create(
    *, actor: Actor, enterprise: Enterprise, data: dict[str, Any]
) -> Organisation:
    require(can_edit_enterprise(actor, enterprise))
    with transaction.atomic():
        organisation = assign(Organisation(enterprise=enterprise), data, ORGANISATION_FIELDS)
        return save_audited(organisation, actor=actor, before=None)


def organisation_update(
    *, actor: Actor, organisation: Organisation, data: dict[str, Any]
) -> Organisation:
    require(can_edit_enterprise(actor, organisation.enterprise))
    with transaction.atomic():
        before = audit.snapshot(organisation)
        assign(organisation, data, ORGANISATION_FIELDS)
        return save_audited(organisation, actor=actor, before=before)


def officer_create(
    *, actor: Actor, organisation: Organisation, data: dict[str, Any]
) -> OrganisationOfficer:
    """Record an officer of an organisation (secretary, chair …) with their contact details."""
    require(can_edit_officers(actor, organisation))
    with transaction.atomic():
        officer = assign(OrganisationOfficer(organisation=organisation), data, OFFICER_FIELDS)
        return save_audited(officer, actor=actor, before=None)


def officer_update(
    *, actor: Actor, officer: OrganisationOfficer, data: dict[str, Any]
) -> OrganisationOfficer:
    require(can_edit_officers(actor, officer.organisation))
    with transaction.atomic():
        before = audit.snapshot(officer)
        return save_audited(assign(officer, data, OFFICER_FIELDS), actor=actor, before=before)


# --- Figures ----------------------------------------------------------------------------------


def _refresh_latest_figure(enterprise: Enterprise) -> None:
    latest = newest_figure(enterprise).first()
    workers = latest.workers if latest is not None else None
    Enterprise.objects.filter(pk=enterprise.pk).update(latest_figure=latest, latest_workers=workers)
    enterprise.latest_figure, enterprise.latest_workers = latest, workers


def figure_record(
    *,
    actor: Actor,
    enterprise: Enterprise,
    as_of: datetime.date,
    values: dict[str, int | None],
    source: str = "",
    message: str = "",
    recorded_at: datetime.datetime | None = None,
) -> Figure:
    """Record the enterprise's figures for a reporting date. A second recording for the same
    date supersedes the first (kept, with its time), so earlier pictures can still be rebuilt."""
    require(can_edit_enterprise(actor, enterprise))
    unknown = set(values) - set(FIGURE_FIELDS) - set(FIGURE_FLAGS)
    if unknown:
        raise ValidationError(f"Unknown figures: {', '.join(sorted(unknown))}")
    values = complete_party_split(values)
    now = recorded_at or timezone.now()
    with transaction.atomic():
        previous = (
            Figure.objects.select_for_update()
            .filter(enterprise=enterprise, as_of=as_of, superseded_at__isnull=True)
            .first()
        )
        figure = Figure(
            enterprise=enterprise,
            as_of=as_of,
            source=normalise_text({"s": source})["s"],
            recorded_by_id=actor.pk,
            recorded_at=now,
            **values,
        )
        # clean() states each cross-field rule at its field; the database constraints back it up.
        figure.full_clean(validate_constraints=False)
        if previous is not None:
            if previous.values() == figure.values():
                return previous
            previous.superseded_at = now
            previous.save(update_fields=["superseded_at"])
        figure.save()
        _refresh_latest_figure(enterprise)
        audit.record(
            actor=actor,
            action=AuditAction.RECORD,
            obj=figure,
            before=audit.snapshot(previous, FIGURE_AUDIT_EXCLUDE) if previous else None,
            after=audit.snapshot(figure, FIGURE_AUDIT_EXCLUDE),
            message=message,
        )
    return figure
