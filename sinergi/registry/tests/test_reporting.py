"""Recording figures proposes the next reporting date, not today."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.registry.reporting import next_reporting_date


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2025, 1, 2), datetime.date(2025, 6, 30)),
        (datetime.date(2025, 6, 30), datetime.date(2025, 6, 30)),
        (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31)),
        (datetime.date(2025, 12, 31), datetime.date(2025, 12, 31)),
    ],
)
def test_the_next_reporting_date_is_the_first_on_or_after_today(today, expected):
    assert next_reporting_date(today) == expected


def test_a_deployment_can_report_quarterly():
    quarterly = ["03-31", "06-30", "09-30", "12-31"]
    assert next_reporting_date(datetime.date(2025, 8, 5), quarterly) == datetime.date(2025, 9, 30)


@pytest.mark.django_db
def test_the_figure_form_proposes_the_next_reporting_date(world):
    enterprise = world.enterprises["a"]
    response = world.client("editor_a").get(reverse("registry:figure_record", args=[enterprise.pk]))
    assert response.context["form"].initial["as_of"] == next_reporting_date(timezone.localdate())
