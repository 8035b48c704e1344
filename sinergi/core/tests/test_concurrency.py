"""Lost edits (issue 17, defect 5): two people open the same edit form; the second save is
refused with what the first changed, keeps its input, and applies it when saved again."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from sinergi.core.concurrency import VERSION_FIELD
from sinergi.programs.models import ProgressReport, Task
from sinergi.programs.testing import build_program
from sinergi.registry.models import Enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def client_of(world, persona: str):
    """The persona's client, reading the pages in English (messages are compared)."""
    client = world.client(persona)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_data(response) -> dict:
    """What the browser would send back for the form as shown."""
    form = response.context["form"]
    # The enterprise form leaves its country empty unless chosen (the tax-id rule's default).
    data = {"tax_country": "VN"} if "tax_country" in form.fields else {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[form.add_prefix(name)] = "on"
            continue
        if value is None:
            if name in data:
                continue
            value = ""
        if isinstance(value, datetime.date):  # as the date input shows it
            value = form[name].field.widget.format_value(value)
        data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def _stale_round(first, second, url, first_change, second_change):
    mine = form_data(first.get(url))
    theirs = form_data(second.get(url))
    assert mine[VERSION_FIELD] and theirs[VERSION_FIELD]  # each page carries its version
    assert first.post(url, {**mine, **first_change}).status_code == 302
    refused = second.post(url, {**theirs, **second_change})
    assert refused.status_code == 200
    return refused


def test_a_stale_enterprise_save_is_refused_with_what_changed_and_can_be_reapplied(world):
    enterprise = Enterprise.objects.get(tax_id="5300100003")
    url = reverse("registry:enterprise_update", args=[enterprise.pk])
    editor, colleague = client_of(world, "editor_a"), client_of(world, "editor_a")
    refused = _stale_round(
        editor, colleague, url, {"name": "Công ty Phố Mới (đổi tên)"}, {"address": "Số 2"}
    )
    errors = " ".join(refused.context["form"].non_field_errors())
    assert "Someone else saved this" in errors
    assert "Công ty Phố Mới (đổi tên)" in errors  # what the other person changed
    enterprise.refresh_from_db()
    assert enterprise.name == "Công ty Phố Mới (đổi tên)" and enterprise.address != "Số 2"
    # The person's input is still there; saving again applies it over the new version.
    again = form_data(refused)
    assert again["address"] == "Số 2"
    assert colleague.post(url, again).status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.address == "Số 2"
    # The name shown on the refused page was the colleague's own (stale) one: re-applying it
    # over the other person's change is the informed choice the message offered.
    assert enterprise.name == again["name"]


def test_a_stale_task_save_is_refused(world):
    built = build_program(world)
    task = built.tasks["a"]
    url = reverse("programs:task_update", args=[task.pk])
    first, second = client_of(world, "coordinator"), client_of(world, "coordinator")
    first_page = first.get(url)
    if first_page.status_code != 200:
        first, second = client_of(world, "admin"), client_of(world, "admin")
    refused = _stale_round(
        first, second, url, {"title": "Tuyên truyền (sửa)"}, {"title": "Tuyên truyền (khác)"}
    )
    assert "Tuyên truyền (sửa)" in " ".join(refused.context["form"].non_field_errors())
    assert Task.objects.get(pk=task.pk).title == "Tuyên truyền (sửa)"


def test_saves_one_after_the_other_are_not_refused(world):
    enterprise = Enterprise.objects.get(tax_id="5300100003")
    url = reverse("registry:enterprise_update", args=[enterprise.pk])
    editor = world.client("editor_a")
    assert editor.post(url, {**form_data(editor.get(url)), "address": "Số 3"}).status_code == 302
    assert editor.post(url, {**form_data(editor.get(url)), "address": "Số 4"}).status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.address == "Số 4"


def test_a_progress_report_written_by_two_people_of_the_unit_keeps_the_first(world):
    """Both open the unit's report for the period before either saved it: the second save is
    refused with what the first wrote (the report did not exist when the form opened)."""
    built = build_program(world)
    url = reverse(
        "programs:progressreport_edit",
        args=[built.tasks["b"].pk, built.period("quarter", 2024, 1).pk],
    )
    first, second = client_of(world, "editor_b"), client_of(world, "editor_b")
    refused = _stale_round(
        first,
        second,
        url,
        {"task_status": "in_progress", "percent_done": "35", "narrative": "Rà soát 9 DN."},
        {"task_status": "in_progress", "percent_done": "20", "narrative": "Khác."},
    )
    errors = " ".join(refused.context["form"].non_field_errors())
    assert "Someone else saved this" in errors and "Rà soát 9 DN." in errors
    report = ProgressReport.objects.get()
    assert (report.percent_done, report.narrative) == (35, "Rà soát 9 DN.")
    # Then an edit of the saved draft by both: the same refusal, and saving again applies it.
    mine, theirs = form_data(first.get(url)), form_data(second.get(url))
    assert first.post(url, {**mine, "percent_done": "50"}).status_code == 302
    refused = second.post(url, {**theirs, "narrative": "Rà soát 12 DN."})
    assert "35 → 50" in " ".join(refused.context["form"].non_field_errors()).replace(
        "“", ""
    ).replace("”", "")
    assert ProgressReport.objects.get().narrative == "Rà soát 9 DN."
    assert second.post(url, form_data(refused)).status_code == 302
    report.refresh_from_db()
    assert report.narrative == "Rà soát 12 DN."


def test_figures_recorded_by_someone_else_meanwhile_are_shown_before_being_overwritten(world):
    enterprise = world.enterprises["a"]
    url = reverse("registry:figure_record", args=[enterprise.pk])
    first, second = client_of(world, "editor_a"), client_of(world, "editor_a")
    refused = _stale_round(first, second, url, {"workers": "321"}, {"workers": "300"})
    errors = " ".join(refused.context["form"].non_field_errors())
    assert "Someone else saved this" in errors and "321" in errors
    enterprise.refresh_from_db()
    assert enterprise.latest_figure.workers == 321
    assert second.post(url, form_data(refused)).status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.latest_figure.workers == 300


def test_figures_recorded_one_after_the_other_are_not_refused(world):
    enterprise = world.enterprises["a"]
    url = reverse("registry:figure_record", args=[enterprise.pk])
    editor = client_of(world, "editor_a")
    for workers in ("310", "320"):
        assert (
            editor.post(url, {**form_data(editor.get(url)), "workers": workers}).status_code == 302
        )
    enterprise.refresh_from_db()
    assert enterprise.latest_figure.workers == 320
