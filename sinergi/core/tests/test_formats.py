"""Dates, times and numbers in each interface language (sinergi/formats): day first, a 24-hour
clock, the language's own separators — on pages, in forms and through Django's formatting."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.test import override_settings
from django.urls import reverse
from django.utils import formats, translation

from sinergi.core.forms import DateInput
from sinergi.core.services import SYSTEM
from sinergi.registry import services as registry_services

DAY = datetime.date(2025, 12, 31)
MOMENT = datetime.datetime(2025, 12, 31, 21, 56)

EXPECTED = {
    # language: (short date, short date and time, 10602, 3.5, 1234567.25)
    "en": ("31/12/2025", "31/12/2025 21:56", "10,602", "3.5", "1,234,567.25"),
    "vi": ("31/12/2025", "31/12/2025 21:56", "10.602", "3,5", "1.234.567,25"),
    "id": ("31/12/2025", "31/12/2025 21.56", "10.602", "3,5", "1.234.567,25"),
}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_dates_times_and_numbers_follow_the_interface_language(language):
    short_date, short_datetime, thousands, decimal, large = EXPECTED[language]
    with translation.override(language):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short_date
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == short_datetime
        assert formats.number_format(10602, force_grouping=True) == thousands
        assert formats.number_format(Decimal("3.5"), decimal_pos=1) == decimal
        assert formats.number_format(Decimal("1234567.25"), 2, force_grouping=True) == large
        assert "m." not in formats.time_format(MOMENT.time(), "TIME_FORMAT")


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_date_fields_show_and_accept_the_interface_format(language):
    class Form(forms.Form):
        day = forms.DateField(widget=DateInput())

    with translation.override(language):
        rendered = str(Form(initial={"day": DAY})["day"])
        assert 'value="31/12/2025"' in rendered
        assert 'type="text"' in rendered
        for typed in ("31/12/2025", "2025-12-31"):
            form = Form(data={"day": typed})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["day"] == DAY
        # Month first is not this region's way: 12/31/2025 is refused, not misread.
        assert not Form(data={"day": "12/31/2025"}).is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_enterprise_page_writes_figures_and_dates_in_the_users_language(world, language):
    short_date, _datetime, thousands, _decimal, _large = EXPECTED[language]
    enterprise = world.enterprises["a"]
    registry_services.figure_record(
        actor=SYSTEM, enterprise=enterprise, as_of=DAY, values={"workers": 10602}
    )
    viewer = world.users["viewer"]
    viewer.language = language
    viewer.save(update_fields=["language"])
    content = (
        world.client("viewer")
        .get(reverse("registry:enterprise_detail", args=[enterprise.pk]))
        .content.decode()
    )
    assert thousands in content
    assert short_date in content
    assert "p.m." not in content and "a.m." not in content


@pytest.mark.parametrize("language", ["id", "vi", "en"])
def test_the_deployment_language_is_the_default_interface_language(client, db, language):
    with override_settings(LANGUAGE_CODE=language):
        response = client.get(reverse("accounts:login"))
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_shown_writes_numbers_and_dates_as_django_formats_them(language, settings):
    """core.formatting.Shown (formats looked up once per page) gives what number_format and
    the `date` filter give, value for value, in each language and time zone."""
    from django.template.defaultfilters import date as date_filter
    from django.utils import timezone

    from sinergi.core.formatting import Shown

    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    aware = timezone.make_aware(MOMENT, datetime.UTC)  # 04:56 the next day there
    numbers = [0, 7, 999, 1000, 10602, -48213, 1234567, -1000, Decimal("1234567.25"), 3.5, True]
    with translation.override(language):
        shown = Shown()
        for separated in (True, False):  # USE_THOUSAND_SEPARATOR (Sinergi's is True)
            settings.USE_THOUSAND_SEPARATOR = separated
            for value in numbers:
                for grouping in (False, True):
                    assert shown.number(value, grouping) == formats.number_format(
                        value, force_grouping=grouping
                    ), (value, grouping, separated)
        settings.USE_THOUSAND_SEPARATOR = True
        for value in (DAY, MOMENT, aware, DAY, aware):  # the second of each from its memo
            names = ["SHORT_DATE_FORMAT", "DATE_FORMAT"]
            if isinstance(value, datetime.datetime):
                names.append("SHORT_DATETIME_FORMAT")
            for name in names:
                assert shown.date(value, name) == date_filter(
                    timezone.template_localtime(value), name
                ), (value, name)
        assert shown.date(None) == ""
        assert shown.date(aware, "SHORT_DATETIME_FORMAT").startswith("01/01/2026 04")
    with translation.override("en"):
        assert Shown().number_html(10602, True) == "10,602"
