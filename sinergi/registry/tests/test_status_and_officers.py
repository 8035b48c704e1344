"""Dated enterprise status (an export or report as of a past day shows that day's status),
organisation officers, the next step, and the enterprise page's development history."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from sinergi.core.models import AuditEntry
from sinergi.core.services import SYSTEM
from sinergi.registry import exporting
from sinergi.registry import services as registry_services
from sinergi.registry.models import Enterprise, OrganisationType

pytestmark = pytest.mark.django_db


def _status_in_export(day, enterprise):
    types = list(OrganisationType.objects.all())
    with translation.override("en"):
        header = exporting.enterprise_header(types)
        rows = [r for r in exporting.rows_as_of(day, types) if r[0] == enterprise.tax_id]
    return rows[0][header.index("Status")]


def test_an_export_as_of_a_past_date_shows_the_status_of_that_date(world):
    enterprise = world.enterprises["a"]
    registry_services.enterprise_status_change(
        actor=world.users["editor_a"],
        enterprise=enterprise,
        data={"status": "suspended", "since": datetime.date(2024, 3, 1)},
    )
    registry_services.enterprise_status_change(
        actor=world.users["editor_a"],
        enterprise=enterprise,
        data={"status": "dissolved", "since": datetime.date(2024, 9, 1)},
    )
    enterprise.refresh_from_db()
    assert enterprise.status == "dissolved"
    assert _status_in_export(datetime.date(2023, 12, 31), enterprise) == "Operating"
    assert _status_in_export(datetime.date(2024, 6, 30), enterprise) == "Suspended"
    assert _status_in_export(datetime.date(2024, 12, 31), enterprise) == "Dissolved"
    operating = Enterprise.objects.operating_on(datetime.date(2023, 12, 31))
    assert operating.filter(pk=enterprise.pk).exists()
    assert (
        not Enterprise.objects.operating_on(datetime.date(2024, 6, 30))
        .filter(pk=enterprise.pk)
        .exists()
    )


def test_an_enterprise_without_history_keeps_its_present_status_on_every_day(world):
    enterprise = world.enterprises["b"]
    assert _status_in_export(datetime.date(2020, 1, 1), enterprise) == "Operating"


def test_changing_the_status_on_the_form_records_it_with_its_date(world):
    enterprise = world.enterprises["a"]
    registry_services.enterprise_update(
        actor=world.users["editor_a"],
        enterprise=enterprise,
        data={"status": "suspended"},
        status_since=datetime.date(2024, 5, 1),
    )
    changes = list(enterprise.status_changes.values_list("status", "since"))
    assert changes == [("operating", None), ("suspended", datetime.date(2024, 5, 1))]
    assert _status_in_export(datetime.date(2024, 4, 30), enterprise) == "Operating"
    assert AuditEntry.objects.filter(after__status="suspended", after__since="2024-05-01").exists()


def test_a_status_in_the_future_is_refused_and_editors_stay_in_their_zones(world):
    with pytest.raises(ValidationError):
        registry_services.enterprise_status_change(
            actor=SYSTEM,
            enterprise=world.enterprises["a"],
            data={"status": "dissolved", "since": datetime.date(2999, 1, 1)},
        )
    with pytest.raises(PermissionDenied):
        registry_services.enterprise_status_change(
            actor=world.users["editor_b"],
            enterprise=world.enterprises["a"],
            data={"status": "dissolved", "since": datetime.date(2024, 1, 1)},
        )


def test_officers_are_recorded_with_contacts_and_shown_with_the_next_step(world):
    enterprise = world.enterprises["a"]
    cell = registry_services.organisation_create(
        actor=SYSTEM,
        enterprise=enterprise,
        data={"type": world.types["party"], "name": "Chi bộ Phố Mới"},
    )
    officer = registry_services.officer_create(
        actor=world.users["editor_a"],
        organisation=cell,
        data={"role": "secretary", "name": "Phạm Văn Long", "phone": "0912 000 111"},
    )
    with pytest.raises(PermissionDenied):
        registry_services.officer_update(
            actor=world.users["editor_b"], officer=officer, data={"phone": "1"}
        )
    with pytest.raises(ValidationError):
        registry_services.officer_update(
            actor=SYSTEM,
            officer=officer,
            data={"since": datetime.date(2024, 1, 2), "until": datetime.date(2024, 1, 1)},
        )
    registry_services.enterprise_update(
        actor=world.users["editor_a"],
        enterprise=enterprise,
        data={
            "next_step": "Gặp giám đốc bàn thành lập chi bộ",
            "next_step_on": datetime.date(2025, 2, 15),
        },
    )
    registry_services.figure_record(
        actor=SYSTEM,
        enterprise=enterprise,
        as_of=datetime.date(2024, 12, 31),
        values={"workers": 50, "official_party_members": 2, "probationary_party_members": 1},
    )
    with translation.override("en"):
        page = world.client("viewer").get(
            reverse("registry:enterprise_detail", args=[enterprise.pk])
        )
    html = page.content.decode()
    assert "Phạm Văn Long" in html and "0912 000 111" in html
    assert "Gặp giám đốc bàn thành lập chi bộ" in html
    assert "Anggota partai resmi" in html  # the page in the deployment's language
    assert 'id="activities"' in html
    chart = world.client("viewer").get(reverse("registry:enterprise_chart", args=[enterprise.pk]))
    assert chart["Content-Type"] == "image/svg+xml"


def test_the_figure_form_records_the_split_the_pipeline_and_the_owner(world):
    enterprise = world.enterprises["a"]
    response = world.client("editor_a").post(
        reverse("registry:figure_record", args=[enterprise.pk]),
        {
            "as_of": "31/12/2024",
            "workers": "60",
            "official_party_members": "3",
            "probationary_party_members": "1",
            "admission_candidates": "2",
            "owner_party_member": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    figure = Enterprise.objects.get(pk=enterprise.pk).latest_figure
    assert (figure.party_members, figure.official_party_members) == (4, 3)
    assert figure.owner_party_member is True and figure.admission_candidates == 2
    bad = world.client("editor_a").post(
        reverse("registry:figure_record", args=[enterprise.pk]),
        {
            "as_of": "31/12/2024",
            "party_members": "5",
            "official_party_members": "3",
            "probationary_party_members": "1",
        },
    )
    assert bad.status_code == 200 and "party_members" in bad.context["form"].errors
