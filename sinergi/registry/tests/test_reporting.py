"""Recording figures proposes the reporting date whose figures are being collected, not today
(and never a date in the future, which the figures' rule refuses)."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.registry.reporting import reporting_date_due


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2025, 1, 2), datetime.date(2024, 12, 31)),
        (datetime.date(2025, 6, 29), datetime.date(2024, 12, 31)),
        (datetime.date(2025, 6, 30), datetime.date(2025, 6, 30)),
        (datetime.date(2025, 7, 1), datetime.date(2025, 6, 30)),
        (datetime.date(2025, 12, 31), datetime.date(2025, 12, 31)),
    ],
)
def test_the_date_due_is_the_last_reporting_date_on_or_before_today(today, expected):
    assert reporting_date_due(today) == expected


def test_a_deployment_can_report_quarterly():
    quarterly = ["03-31", "06-30", "09-30", "12-31"]
    assert reporting_date_due(datetime.date(2025, 8, 5), quarterly) == datetime.date(2025, 6, 30)


@pytest.mark.django_db
def test_the_figure_form_proposes_the_reporting_date_due(world):
    enterprise = world.enterprises["a"]
    response = world.client("editor_a").get(reverse("registry:figure_record", args=[enterprise.pk]))
    assert response.context["form"].initial["as_of"] == reporting_date_due(timezone.localdate())


@pytest.mark.django_db
def test_the_proposed_date_is_accepted_whatever_the_day_of_the_year(world):
    """Saved as proposed, on any day (not only on a reporting date), the figures are recorded."""
    enterprise = world.enterprises["a"]
    url = reverse("registry:figure_record", args=[enterprise.pk])
    client = world.client("editor_a")
    for today in (datetime.date(2026, 12, 5), datetime.date(2027, 1, 2), datetime.date(2027, 7, 1)):
        with mock.patch("django.utils.timezone.localdate", return_value=today):
            form = client.get(url).context["form"]
            as_of = form["as_of"].field.widget.format_value(form.initial["as_of"])
            response = client.post(url, {"as_of": as_of, "workers": str(today.day)})
        assert response.status_code == 302, response.context["form"].errors
        enterprise.refresh_from_db()
        assert enterprise.latest_figure.as_of == reporting_date_due(today)
