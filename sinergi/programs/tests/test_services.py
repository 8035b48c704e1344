"""The program's write rules: who may do what, what is refused (clearly, saving nothing), what
each write leaves in the audit trail, and the two-party sign-off."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.core.models import AuditEntry
from sinergi.core.services import SYSTEM
from sinergi.core.testing import _unit, _user
from sinergi.programs import services
from sinergi.programs.models import (
    Activity,
    Attachment,
    IndicatorValue,
    Program,
    ProgressReport,
    ReportingPeriod,
    Task,
)
from sinergi.programs.testing import END, START, outsider

pytestmark = pytest.mark.django_db

D = datetime.date
REPORT = {
    "task_status": "in_progress",
    "percent_done": 40,
    "narrative": "Đã rà soát 12 doanh nghiệp.",
}


def _counts(*models) -> tuple[int, ...]:
    return (*(model.objects.count() for model in models), AuditEntry.objects.count())


def _refused(call, field: str | None, *models):
    """Run `call`, expect a ValidationError (at `field` when given) and nothing written."""
    before = _counts(*models)
    with pytest.raises(ValidationError) as error:
        call()
    if field is not None:
        assert field in error.value.message_dict, error.value
    assert _counts(*models) == before
    return error.value


def _save(program, persona_or_user, task="b", unit=None, period=(2024, 1), world=None, **data):
    actor = persona_or_user
    task = program.tasks[task]
    return services.progress_report_save(
        actor=actor,
        task=task,
        unit=unit or task.lead_unit,
        period=program.period("quarter", *period),
        data={**REPORT, **data},
    )


# --- Programs ---------------------------------------------------------------------------------


def test_a_coordinator_creates_a_program_of_their_body_with_periods_and_an_audit_entry(world):
    program = services.program_create(
        actor=world.users["coordinator"],
        data={
            "code": "p2",
            "title": "Chương trình 2",
            "starts_on": START,
            "ends_on": END,
            "parties": [world.units["ezb"], world.units["bloc"]],
        },
    )
    kinds = {
        k: program.periods.filter(kind=k).count() for k in ("month", "quarter", "half", "year")
    }
    assert kinds == {"month": 32, "quarter": 11, "half": 6, "year": 3}
    first = program.periods.get(kind="quarter", year=2023, number=2)
    assert (first.starts_on, first.ends_on) == (D(2023, 5, 1), D(2023, 6, 30))
    entry = AuditEntry.objects.for_object(program).get()
    assert entry.actor == world.users["coordinator"] and entry.action == "create"
    assert sorted(entry.after["parties"]) == sorted([world.units["ezb"].pk, world.units["bloc"].pk])


@pytest.mark.parametrize("persona", ["editor_a", "viewer"])
def test_only_coordinators_and_administrators_create_programs(world, persona):
    with pytest.raises(PermissionDenied):
        services.program_create(actor=world.users[persona], data={})


def test_a_coordinator_must_be_among_the_parties(world):
    other = _unit("third", "Third body", "body")
    _refused(
        lambda: services.program_create(
            actor=world.users["coordinator"],
            data={
                "code": "p3",
                "title": "x",
                "starts_on": START,
                "ends_on": END,
                "parties": [world.units["bloc"], other],
            },
        ),
        "parties",
        Program,
        ReportingPeriod,
    )


def test_parties_are_at_least_two_bodies_and_the_end_follows_the_start(world):
    error = _refused(
        lambda: services.program_create(
            actor=SYSTEM,
            data={
                "code": "p4",
                "title": "x",
                "starts_on": END,
                "ends_on": START,
                "parties": [world.units["ezb"], world.units["bloc_dept"]],
            },
        ),
        None,
        Program,
        ReportingPeriod,
    )
    assert "ends_on" in error.message_dict and "parties" in error.message_dict


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("coordinator", True), ("editor_a", False), ("viewer", False)],
)
def test_the_coordinators_of_the_parties_manage_the_program(world, program, persona, allowed):
    call = lambda: services.area_create(  # noqa: E731
        actor=world.users[persona], program=program.program, data={"title": "Khác"}
    )
    if allowed:
        assert call().number == 3
    else:
        with pytest.raises(PermissionDenied):
            call()


def test_the_other_bodys_coordinator_manages_it_too_but_an_outsider_does_not(world, program):
    services.area_create(
        actor=program.users["coordinator_b"], program=program.program, data={"title": "Khác"}
    )
    with pytest.raises(PermissionDenied):
        services.area_create(actor=outsider(world), program=program.program, data={"title": "X"})


def test_extending_the_program_adds_periods_and_locked_periods_never_move(world, program):
    services.program_update(actor=SYSTEM, program=program.program, data={"ends_on": D(2026, 6, 30)})
    assert program.program.periods.filter(kind="year", year=2026).get().ends_on == D(2026, 6, 30)
    services.period_lock(actor=SYSTEM, period=program.period("year", 2026, 1))
    _refused(
        lambda: services.program_update(
            actor=SYSTEM, program=program.program, data={"ends_on": D(2026, 3, 31)}
        ),
        "ends_on",
        ReportingPeriod,
    )


def test_new_dates_must_still_hold_the_tasks(world, program):
    _refused(
        lambda: services.program_update(
            actor=SYSTEM, program=program.program, data={"starts_on": D(2023, 7, 1)}
        ),
        "starts_on",
        ReportingPeriod,
    )


# --- Tasks ------------------------------------------------------------------------------------


def _task(program, world, **data):
    base = {
        "area": program.areas["survey"],
        "title": "Nhiệm vụ mới",
        "lead_unit": world.units["bloc_dept"],
        "starts_on": D(2024, 1, 1),
        "due_on": D(2024, 6, 30),
    }
    return services.task_create(actor=SYSTEM, program=program.program, data={**base, **data})


def test_a_task_gets_the_next_number_and_its_units_are_audited(world, program):
    task = _task(program, world, supporting_units=[world.units["ezb_dept"]])
    assert task.code == "2.2"
    entry = AuditEntry.objects.for_object(task).get()
    assert entry.after["supporting_units"] == [world.units["ezb_dept"].pk]


@pytest.mark.parametrize("persona", ["editor_a", "editor_b", "viewer"])
def test_editors_and_viewers_do_not_change_tasks(world, program, persona):
    with pytest.raises(PermissionDenied):
        services.task_update(
            actor=world.users[persona], task=program.tasks["b"], data={"title": "x"}
        )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"due_on": D(2023, 12, 31)}, "due_on"),  # due before start
        ({"supporting_units": "lead"}, "supporting_units"),  # supporting unit equal to the lead
        ({"recurrence": "quarterly", "due_on": D(2024, 2, 15)}, "recurrence"),  # yields no date
        ({"due_on": None}, "due_on"),  # neither due date nor recurrence
        ({"lead_unit": "committee"}, "lead_unit"),  # not a party's unit
        ({"starts_on": D(2026, 1, 5), "due_on": None, "recurrence": "monthly"}, "starts_on"),
        ({"due_on": D(2026, 3, 1)}, "due_on"),  # after the program
    ],
)
def test_bad_tasks_are_refused_at_their_field_and_nothing_is_saved(world, program, data, field):
    data = dict(data)
    if data.get("supporting_units") == "lead":
        data["supporting_units"] = [world.units["bloc_dept"], world.units["ezb_dept"]]
    if data.get("lead_unit") == "committee":
        data["lead_unit"] = world.units["committee"]
    _refused(lambda: _task(program, world, **data), field, Task)


def test_a_task_cannot_move_to_another_programs_area(world, program):
    other = services.program_create(
        actor=SYSTEM,
        data={
            "code": "other",
            "title": "Khác",
            "starts_on": START,
            "ends_on": END,
            "parties": [world.units["ezb"], world.units["bloc"]],
        },
    )
    area = services.area_create(actor=SYSTEM, program=other, data={"title": "Khác"})
    _refused(
        lambda: services.task_update(actor=SYSTEM, task=program.tasks["b"], data={"area": area}),
        "area",
        Task,
    )


def test_a_task_update_that_changes_nothing_writes_no_entry(world, program):
    task = program.tasks["b"]
    before = AuditEntry.objects.count()
    services.task_update(actor=SYSTEM, task=task, data={"title": task.title})
    assert AuditEntry.objects.count() == before


# --- Progress reports: who reports ------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "unit", "allowed"),
    [
        ("editor_b", "bloc_dept", True),  # the lead unit's editor
        ("editor_a", "ezb_dept", True),  # the supporting unit's editor
        ("editor_a", "bloc_dept", False),  # not for another unit
        ("coordinator", "ezb_dept", True),  # for a unit of their body
        ("coordinator", "bloc_dept", False),
        ("admin", "bloc_dept", True),
        ("viewer", "bloc_dept", False),
    ],
)
def test_units_report_on_the_tasks_they_lead_or_support(world, program, persona, unit, allowed):
    call = lambda: _save(program, world.users[persona], unit=world.units[unit])  # noqa: E731
    if allowed:
        assert call().status == "draft"
    else:
        with pytest.raises(PermissionDenied):
            call()


def test_an_editor_does_not_report_on_a_task_their_unit_is_not_part_of(world, program):
    task = _task(program, world)  # led by the Bloc's department alone
    with pytest.raises(PermissionDenied):
        services.progress_report_save(
            actor=world.users["editor_a"],
            task=task,
            unit=world.units["ezb_dept"],
            period=program.period("quarter", 2024, 1),
            data=REPORT,
        )


def test_an_outsider_cannot_report(world, program):
    with pytest.raises(PermissionDenied):
        _save(program, outsider(world))


def test_a_second_report_for_the_same_task_unit_and_period_updates_the_draft(world, program):
    first = _save(program, world.users["editor_b"])
    second = _save(program, world.users["editor_b"], percent_done=55, narrative="Thêm 3 DN.")
    assert first.pk == second.pk and ProgressReport.objects.count() == 1
    second.refresh_from_db()
    assert second.percent_done == 55
    update = AuditEntry.objects.for_object(second).first()
    assert update.action == "update" and (
        update.before["percent_done"],
        update.after["percent_done"],
    ) == (40, 55)


# --- Progress reports: bad input --------------------------------------------------------------


@pytest.mark.parametrize("percent", [-1, 101, 250])
def test_a_share_done_outside_0_to_100_is_refused_and_nothing_is_saved(world, program, percent):
    error = _refused(
        lambda: _save(program, world.users["editor_b"], percent_done=percent),
        "percent_done",
        ProgressReport,
    )
    assert (
        "0" in error.message_dict["percent_done"][0]
        and "100" in error.message_dict["percent_done"][0]
    )


def test_a_report_for_a_period_of_another_program_is_refused(world, program):
    other = services.program_create(
        actor=SYSTEM,
        data={
            "code": "other",
            "title": "Khác",
            "starts_on": D(2026, 1, 1),
            "ends_on": D(2026, 12, 31),
            "parties": [world.units["ezb"], world.units["bloc"]],
        },
    )
    period = other.periods.get(kind="quarter", number=1)
    error = _refused(
        lambda: services.progress_report_save(
            actor=world.users["editor_b"],
            task=program.tasks["b"],
            unit=world.units["bloc_dept"],
            period=period,
            data=REPORT,
        ),
        "period",
        ProgressReport,
    )
    assert "program" in error.message_dict["period"][0]


def test_a_report_for_a_locked_period_is_refused(world, program):
    services.period_lock(actor=world.users["coordinator"], period=program.period("year", 2024, 1))
    error = _refused(lambda: _save(program, world.users["editor_b"]), "period", ProgressReport)
    assert "locked" in error.message_dict["period"][0]


def test_a_report_for_a_period_of_the_wrong_kind_or_outside_the_task_is_refused(world, program):
    month = program.period("month", 2024, 1)
    _refused(
        lambda: services.progress_report_save(
            actor=world.users["editor_b"],
            task=program.tasks["b"],
            unit=world.units["bloc_dept"],
            period=month,
            data=REPORT,
        ),
        "period",
        ProgressReport,
    )
    # Task A recurs until the end of 2024: 2025 is outside it.
    _refused(
        lambda: _save(program, world.users["editor_a"], task="a", period=(2025, 1)),
        "period",
        ProgressReport,
    )


def test_only_the_lead_unit_states_indicator_values(world, program):
    surveyed = program.indicators["surveyed"]
    _refused(
        lambda: services.progress_report_save(
            actor=world.users["editor_a"],
            task=program.tasks["b"],
            unit=world.units["ezb_dept"],
            period=program.period("quarter", 2024, 1),
            data=REPORT,
            values={surveyed: Decimal(3)},
        ),
        None,
        ProgressReport,
    )


@pytest.mark.parametrize("value", [Decimal(-2), "many"])
def test_a_bad_indicator_value_is_refused_at_its_field(world, program, value):
    surveyed = program.indicators["surveyed"]
    _refused(
        lambda: services.progress_report_save(
            actor=world.users["editor_b"],
            task=program.tasks["b"],
            unit=world.units["bloc_dept"],
            period=program.period("quarter", 2024, 1),
            data=REPORT,
            values={surveyed: value},
        ),
        f"indicator_{surveyed.pk}",
        ProgressReport,
    )


def test_an_indicator_not_linked_to_the_task_cannot_be_stated(world, program):
    party = program.indicators["party"]  # computed, and not linked
    _refused(
        lambda: services.progress_report_save(
            actor=world.users["editor_b"],
            task=program.tasks["b"],
            unit=world.units["bloc_dept"],
            period=program.period("quarter", 2024, 1),
            data=REPORT,
            values={party: Decimal(3)},
        ),
        f"indicator_{party.pk}",
        ProgressReport,
    )


# --- The sign-off -----------------------------------------------------------------------------


def _submitted(world, program, **values):
    report = services.progress_report_save(
        actor=world.users["editor_b"],
        task=program.tasks["b"],
        unit=world.units["bloc_dept"],
        period=program.period("quarter", 2024, 1),
        data=REPORT,
        values={program.indicators["surveyed"]: Decimal(12), **values},
    )
    return services.progress_report_submit(actor=world.users["editor_b"], report=report)


def test_the_lead_unit_submits_with_the_supporting_units_contributions(world, program):
    contribution = _save(program, world.users["editor_a"], unit=world.units["ezb_dept"])
    report = _submitted(world, program)
    contribution.refresh_from_db()
    assert report.status == contribution.status == "submitted"
    assert report.submitted_by == world.users["editor_b"]
    assert AuditEntry.objects.for_object(report).first().message == "submitted"


def test_a_supporting_unit_cannot_submit(world, program):
    contribution = _save(program, world.users["editor_a"], unit=world.units["ezb_dept"])
    with pytest.raises(PermissionDenied):
        services.progress_report_submit(actor=world.users["editor_a"], report=contribution)


def test_nothing_changes_once_the_lead_unit_has_submitted(world, program):
    _submitted(world, program)
    _refused(lambda: _save(program, world.users["editor_b"]), None, ProgressReport)
    _refused(
        lambda: _save(program, world.users["editor_a"], unit=world.units["ezb_dept"]),
        None,
        ProgressReport,
    )


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("coordinator", True),  # coordinator of the partner body (EZB)
        ("admin", True),
        ("coordinator_b", False),  # coordinator of the lead unit's own body
        ("editor_a", False),  # an editor of the partner body
        ("editor_b", False),
        ("viewer", False),
    ],
)
def test_only_the_partner_body_acknowledges(world, program, persona, allowed):
    report = _submitted(world, program)
    actor = program.users.get(persona) or world.users[persona]
    if allowed:
        services.progress_report_acknowledge(actor=actor, report=report)
        report.refresh_from_db()
        assert report.status == "acknowledged" and report.reviewed_by == actor
    else:
        with pytest.raises(PermissionDenied):
            services.progress_report_acknowledge(actor=actor, report=report)
        with pytest.raises(PermissionDenied):
            services.progress_report_return(actor=actor, report=report, comment="Thiếu số liệu.")


def test_acknowledging_moves_the_task_and_the_linked_indicator(world, program):
    report = _submitted(world, program)
    services.progress_report_acknowledge(actor=world.users["coordinator"], report=report)
    task = Task.objects.get(pk=program.tasks["b"].pk)
    assert (task.status, task.percent_done) == ("in_progress", 40)
    task_entry = AuditEntry.objects.for_object(task).first()
    assert task_entry.actor == world.users["coordinator"]
    assert task_entry.after["status"] == "in_progress"
    value = IndicatorValue.objects.get(indicator=program.indicators["surveyed"])
    assert value.value == 12 and value.report == report
    assert value.period == program.period("quarter", 2024, 1)
    assert AuditEntry.objects.for_object(value).exists()


def test_an_older_acknowledged_period_does_not_set_back_the_task(world, program):
    newer = _submitted(world, program)
    services.progress_report_acknowledge(actor=world.users["coordinator"], report=newer)
    older = _save(
        program,
        world.users["editor_b"],
        period=(2023, 4),
        task_status="not_started",
        percent_done=5,
    )
    services.progress_report_submit(actor=world.users["editor_b"], report=older)
    services.progress_report_acknowledge(actor=world.users["coordinator"], report=older)
    task = Task.objects.get(pk=program.tasks["b"].pk)
    assert (task.status, task.percent_done) == ("in_progress", 40)


def test_a_returned_report_needs_a_comment_and_can_be_edited_and_resubmitted(world, program):
    report = _submitted(world, program)
    _refused(
        lambda: services.progress_report_return(
            actor=world.users["coordinator"], report=report, comment="  "
        ),
        "review_comment",
        ProgressReport,
    )
    services.progress_report_return(
        actor=world.users["coordinator"], report=report, comment="Cần danh sách doanh nghiệp."
    )
    report.refresh_from_db()
    assert report.status == "returned" and report.review_comment == "Cần danh sách doanh nghiệp."
    _save(program, world.users["editor_b"], percent_done=45)
    services.progress_report_submit(actor=world.users["editor_b"], report=report)
    report.refresh_from_db()
    assert report.status == "submitted" and report.percent_done == 45
    assert not IndicatorValue.objects.exists()  # nothing counts before the acknowledgement


def test_a_draft_cannot_be_acknowledged(world, program):
    report = _save(program, world.users["editor_b"])
    _refused(
        lambda: services.progress_report_acknowledge(
            actor=world.users["coordinator"], report=report
        ),
        None,
        IndicatorValue,
    )


def test_a_report_of_a_locked_period_cannot_be_signed_off(world, program):
    report = _submitted(world, program)
    services.period_lock(actor=SYSTEM, period=program.period("quarter", 2024, 1))
    _refused(
        lambda: services.progress_report_acknowledge(
            actor=world.users["coordinator"], report=report
        ),
        "period",
        IndicatorValue,
    )


# --- Periods ----------------------------------------------------------------------------------


def test_locking_a_year_locks_every_period_inside_it_and_audits_each(world, program):
    locked = services.period_lock(
        actor=world.users["coordinator"], period=program.period("year", 2024, 1)
    )
    assert len(locked) == 1 + 2 + 4 + 12
    assert program.period("month", 2024, 7).locked_by == world.users["coordinator"]
    assert not program.period("quarter", 2025, 1).is_locked
    assert AuditEntry.objects.filter(message="locked").count() == 19


@pytest.mark.parametrize("persona", ["editor_a", "viewer"])
def test_editors_and_viewers_do_not_lock_periods(world, program, persona):
    with pytest.raises(PermissionDenied):
        services.period_lock(actor=world.users[persona], period=program.period("year", 2024, 1))


def test_only_administrators_unlock_and_unlocking_a_quarter_reopens_its_year(world, program):
    services.period_lock(actor=SYSTEM, period=program.period("year", 2024, 1))
    with pytest.raises(PermissionDenied):
        services.period_unlock(
            actor=world.users["coordinator"], period=program.period("quarter", 2024, 2)
        )
    opened = services.period_unlock(
        actor=world.users["admin"], period=program.period("quarter", 2024, 2)
    )
    assert {p.kind for p in opened} == {"year", "half", "quarter", "month"}
    assert program.period("quarter", 2024, 1).is_locked


# --- Indicators -------------------------------------------------------------------------------


def test_an_entered_value_carries_its_source_and_is_audited(world, program):
    value = services.indicator_value_set(
        actor=world.users["coordinator"],
        indicator=program.indicators["surveyed"],
        period=program.period("quarter", 2023, 3),
        value=Decimal(8),
        source="Báo cáo khảo sát quý 3",
    )
    assert value.recorded_by == world.users["coordinator"]
    assert AuditEntry.objects.for_object(value).get().after["source"] == "Báo cáo khảo sát quý 3"


@pytest.mark.parametrize(
    ("indicator", "period", "source", "field"),
    [
        ("surveyed", ("quarter", 2023, 3), "", "source"),
        ("surveyed", ("year", 2023, 1), "x", "period"),  # the indicator is quarterly
        ("party", ("quarter", 2023, 3), "x", "value"),  # computed
    ],
)
def test_bad_entered_values_are_refused(world, program, indicator, period, source, field):
    _refused(
        lambda: services.indicator_value_set(
            actor=SYSTEM,
            indicator=program.indicators[indicator],
            period=program.period(*period),
            value=Decimal(1),
            source=source,
        ),
        field,
        IndicatorValue,
    )


def test_an_editor_does_not_enter_indicator_values(world, program):
    with pytest.raises(PermissionDenied):
        services.indicator_value_set(
            actor=world.users["editor_b"],
            indicator=program.indicators["surveyed"],
            period=program.period("quarter", 2023, 3),
            value=Decimal(1),
            source="x",
        )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"rule": "organisations_founded"}, "organisation_type"),
        ({"rule": "no_such_rule"}, "rule"),
        ({"yearly_targets": {"2030": "5"}}, "yearly_targets"),
        ({"yearly_targets": {"2024": "-5"}}, "yearly_targets"),
    ],
)
def test_bad_indicators_are_refused(world, program, data, field):
    from sinergi.programs.models import Indicator

    _refused(
        lambda: services.indicator_create(
            actor=SYSTEM,
            program=program.program,
            data={"code": "x", "name": "X", "unit_of_measure": "DN", **data},
        ),
        field,
        Indicator,
    )


def test_a_computed_indicator_takes_its_measure_from_its_rule(world, program):
    indicator = services.indicator_create(
        actor=SYSTEM,
        program=program.program,
        data={
            "code": "founded",
            "name": "Tổ chức đảng thành lập mới",
            "unit_of_measure": "tổ chức",
            "rule": "organisations_founded",
            "organisation_type": world.types["party"],
            "measure": "level",
        },
    )
    assert indicator.measure == "flow"


# --- Attachments ------------------------------------------------------------------------------


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_evidence_is_checked_by_content_and_audited(world, program):
    report = _save(program, world.users["editor_b"])
    attachment = services.attachment_add(
        actor=world.users["editor_b"],
        parent=report,
        data={"title": "", "file": SimpleUploadedFile("Biên bản.pdf", PDF), "link": ""},
    )
    assert (attachment.title, attachment.file_kind, attachment.size) == (
        "Biên bản.pdf",
        "pdf",
        len(PDF),
    )
    assert attachment.file.name.startswith("programs/") and "Biên" not in attachment.file.name
    assert AuditEntry.objects.for_object(attachment).get().after["filename"] == "Biên bản.pdf"


def test_a_disguised_file_is_refused_at_its_field_and_nothing_is_stored(world, program, settings):
    report = _save(program, world.users["editor_b"])
    _refused(
        lambda: services.attachment_add(
            actor=world.users["editor_b"],
            parent=report,
            data={"file": SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" * 20)},
        ),
        "file",
        Attachment,
    )
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(media.rglob("*.*"))


def test_a_file_and_a_link_together_are_refused(world, program):
    report = _save(program, world.users["editor_b"])
    _refused(
        lambda: services.attachment_add(
            actor=world.users["editor_b"],
            parent=report,
            data={"file": SimpleUploadedFile("a.pdf", PDF), "link": "https://example.org/a"},
        ),
        "file",
        Attachment,
    )


def test_evidence_cannot_change_after_submission_and_others_cannot_add_it(world, program):
    report = _submitted(world, program)
    _refused(
        lambda: services.attachment_add(
            actor=world.users["editor_b"], parent=report, data={"link": "https://example.org/x"}
        ),
        None,
        Attachment,
    )
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=world.users["viewer"], parent=report, data={"link": "https://example.org/x"}
        )


def test_removing_an_attachment_deletes_its_file_after_the_commit(world, program, settings):
    report = _save(program, world.users["editor_b"])
    attachment = services.attachment_add(
        actor=world.users["editor_b"],
        parent=report,
        data={"file": SimpleUploadedFile("a.pdf", PDF)},
    )
    path = attachment.file.path
    with pytest.raises(PermissionDenied):
        services.attachment_delete(actor=world.users["editor_a"], attachment=attachment)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.attachment_delete(actor=world.users["editor_b"], attachment=attachment)
    assert not Attachment.objects.exists()
    assert not __import__("os").path.exists(path)
    assert AuditEntry.objects.filter(action="delete").get().before["title"] == "a.pdf"


# --- Activities -------------------------------------------------------------------------------


def _activity(world, program, persona="editor_a", **data):
    base = {
        "kind": "dissemination",
        "title": "Hội nghị tuyên truyền Nghị quyết",
        "held_on": D(2023, 9, 12),
        "organisers": [world.units["ezb_dept"]],
        "tasks": [program.tasks["a"]],
        "enterprises": [world.enterprises["a"]],
        "workers": 60,
        "business_owners": 5,
    }
    return services.activity_create(
        actor=world.users[persona], program=program.program, data={**base, **data}
    )


def test_an_editor_records_an_activity_of_their_unit(world, program):
    activity = _activity(world, program)
    assert activity.participants == 65 and activity.created_by == world.users["editor_a"]
    assert AuditEntry.objects.for_object(activity).get().after["tasks"] == [program.tasks["a"].pk]


def test_the_enterprise_page_lists_the_activities_that_reached_it(world, program):
    """The programs app hands the registry its query at start-up (registry/activities.py)."""
    from django.urls import reverse

    _activity(world, program, title="Tọa đàm phát triển đảng viên trong doanh nghiệp")
    page = world.client("viewer").get(
        reverse("registry:enterprise_detail", args=[world.enterprises["a"].pk])
    )
    assert "Tọa đàm phát triển đảng viên trong doanh nghiệp" in page.content.decode()
    other = world.client("viewer").get(
        reverse("registry:enterprise_detail", args=[world.enterprises["b"].pk])
    )
    assert "Tọa đàm phát triển đảng viên trong doanh nghiệp" not in other.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"organisers": "other"}, "organisers"),  # not their own unit
        ({"organisers": []}, "organisers"),
        ({"held_on": D(2023, 1, 10)}, "held_on"),  # before the program
        ({"tasks": "foreign"}, "tasks"),
        ({"workers": -3}, "workers"),
    ],
)
def test_bad_activities_are_refused_at_their_field(world, program, data, field):
    data = dict(data)
    if data.get("organisers") == "other":
        data["organisers"] = [world.units["bloc_dept"]]
    if data.get("tasks") == "foreign":
        other = services.program_create(
            actor=SYSTEM,
            data={
                "code": "other",
                "title": "Khác",
                "starts_on": START,
                "ends_on": END,
                "parties": [world.units["ezb"], world.units["bloc"]],
            },
        )
        area = services.area_create(actor=SYSTEM, program=other, data={"title": "Khác"})
        data["tasks"] = [
            services.task_create(
                actor=SYSTEM,
                program=other,
                data={
                    "area": area,
                    "title": "Khác",
                    "lead_unit": world.units["ezb_dept"],
                    "starts_on": START,
                    "due_on": END,
                },
            )
        ]
    _refused(lambda: _activity(world, program, **data), field, Activity)


def test_an_activity_in_a_locked_period_is_refused(world, program):
    services.period_lock(actor=SYSTEM, period=program.period("year", 2023, 1))
    _refused(lambda: _activity(world, program), "held_on", Activity)


def test_only_the_organisers_change_an_activity_and_viewers_record_none(world, program):
    activity = _activity(world, program)
    with pytest.raises(PermissionDenied):
        services.activity_update(
            actor=world.users["editor_b"], activity=activity, data={"title": "x"}
        )
    with pytest.raises(PermissionDenied):
        _activity(world, program, persona="viewer")
    services.activity_update(
        actor=world.users["coordinator"], activity=activity, data={"place": "KCN"}
    )


def test_an_editor_of_a_non_party_body_records_nothing(world, program):
    third = _unit("third-dept", "Third", "body")
    editor = _user("third_editor", "editor", third)
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=editor, program=program.program, data={})


def test_a_task_marked_done_is_done_in_full(world, program):
    task = services.task_update(actor=SYSTEM, task=program.tasks["a"], data={"status": "done"})
    assert task.percent_done == 100


def test_a_text_file_is_evidence_of_kind_text_and_a_csv_of_kind_csv(world, program):
    report = _save(program, world.users["editor_b"])
    kinds = [
        services.attachment_add(
            actor=world.users["editor_b"],
            parent=report,
            data={"file": SimpleUploadedFile(name, b"ma_so_thue;ten\n5300100003;A\n")},
        ).file_kind
        for name in ("bien-ban.txt", "danh-sach.CSV")
    ]
    assert kinds == ["text", "csv"]
