"""The review services for each persona, with bad input, and what they write."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergi.core.models import AuditEntry
from sinergi.core.services import SYSTEM
from sinergi.programs.models import ReportingPeriod, Task
from sinergi.reviews import services
from sinergi.reviews.models import Contribution, Review
from sinergi.reviews.testing import PERIOD_END, PERIOD_START, at

pytestmark = pytest.mark.django_db


def _contribute(reviewed, actor, **data):
    return services.contribution_save(
        actor=actor,
        review=reviewed.review,
        data={"speaker": reviewed.delegate, "kind": "result", "text": "Đã rà soát.", **data},
    )


@pytest.mark.parametrize("persona", ["editor_a", "editor_b", "viewer"])
def test_only_the_programs_managers_write_reviews(world, reviewed, persona):
    actor = world.users[persona]
    with pytest.raises(PermissionDenied):
        services.review_create(
            actor=actor,
            program=reviewed.program.program,
            data={
                "kind": "interim",
                "title": "x",
                "period_start": PERIOD_START,
                "period_end": PERIOD_END,
                "held_on": PERIOD_END,
            },
        )
    with pytest.raises(PermissionDenied):
        _contribute(reviewed, actor)
    with pytest.raises(PermissionDenied):
        services.version_create(actor=actor, review=reviewed.review)
    assert services.can_read_review(actor, reviewed.review)


def test_a_coordinator_of_a_party_captures_and_the_write_is_audited(world, reviewed):
    contribution = _contribute(reviewed, world.users["coordinator"], text="Kết quả  tốt")
    assert contribution.unit == world.units["ezb_dept"]  # the speaker's unit by default
    entry = AuditEntry.objects.get(
        content_type__model="contribution", object_id=str(contribution.pk), action="create"
    )
    assert entry.actor == world.users["coordinator"]
    assert entry.after["text"] == "Kết quả tốt"


def test_repeated_autosaves_under_one_key_update_one_contribution(world, reviewed):
    coordinator = world.users["coordinator"]
    for text in ("Đã", "Đã rà soát", "Đã rà soát 120 doanh nghiệp"):
        services.contribution_save(
            actor=coordinator,
            review=reviewed.review,
            data={"kind": "result", "text": text},
            client_key="abc123",
        )
    only = Contribution.objects.get(review=reviewed.review)
    assert only.text == "Đã rà soát 120 doanh nghiệp"
    assert (
        AuditEntry.objects.filter(
            content_type__model="contribution", object_id=str(only.pk)
        ).count()
        == 3
    )


def test_bad_contributions_are_refused_with_field_messages(world, reviewed):
    with pytest.raises(ValidationError) as error:
        _contribute(reviewed, SYSTEM, text="   ", kind="gossip")
    assert {"text", "kind"} <= set(error.value.message_dict)
    other = services.review_create(
        actor=SYSTEM,
        program=reviewed.program.program,
        data={
            "kind": "final",
            "title": "Other",
            "period_start": PERIOD_START,
            "period_end": PERIOD_END,
            "held_on": PERIOD_END,
        },
    )
    with pytest.raises(ValidationError) as error:
        services.contribution_save(
            actor=SYSTEM,
            review=other,
            data={"speaker": reviewed.delegate, "kind": "result", "text": "x"},
        )
    assert "speaker" in error.value.message_dict
    with pytest.raises(ValidationError):
        _contribute(reviewed, SYSTEM, mood="happy")


def test_a_review_period_must_lie_in_the_program(world, reviewed):
    assert reviewed.review.agenda_items == ["Báo cáo kết quả 1 năm", "Thảo luận", "Kết luận"]
    with pytest.raises(ValidationError) as error:
        services.review_update(
            actor=SYSTEM,
            review=reviewed.review,
            data={"period_start": datetime.date(2020, 1, 1)},
        )
    assert "period_start" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.review_update(
            actor=SYSTEM, review=reviewed.review, data={"period_end": datetime.date(2023, 1, 1)}
        )


def test_a_follow_up_becomes_a_task_and_the_next_review_lists_it(world, reviewed):
    coordinator = world.users["coordinator"]
    area = reviewed.program.areas["survey"]
    plain = services.conclusion_add(
        actor=coordinator, review=reviewed.review, data={"text": "Tiếp tục phối hợp tốt."}
    )
    assert plain.task is None and plain.number == 1
    follow_up = services.conclusion_add(
        actor=coordinator,
        review=reviewed.review,
        data={
            "text": "Cập nhật danh sách doanh nghiệp đủ điều kiện",
            "owner_unit": world.units["ezb_dept"],
            "due_on": datetime.date(2024, 9, 30),
            "area": area,
        },
    )
    task = Task.objects.get(pk=follow_up.task_id)
    assert task.lead_unit == world.units["ezb_dept"] and task.area == area
    assert task.due_on == datetime.date(2024, 9, 30) and task.review_conclusion == follow_up
    assert task.starts_on == reviewed.review.held_on

    later = services.review_create(
        actor=coordinator,
        program=reviewed.program.program,
        data={
            "kind": "annual",
            "title": "Sơ kết năm 2024",
            "period_start": datetime.date(2024, 1, 1),
            "period_end": datetime.date(2024, 12, 31),
            "held_on": datetime.date(2025, 1, 15),
        },
    )
    assert later.previous() == reviewed.review
    version = services.version_create(actor=coordinator, review=later)
    listed = version.statistics["previous_follow_ups"]
    assert [f["task"] for f in listed] == [task.code]
    assert listed[0]["status"] == "not_started"


def test_a_follow_up_needs_owner_due_date_and_area(world, reviewed):
    with pytest.raises(ValidationError) as error:
        services.conclusion_add(
            actor=SYSTEM,
            review=reviewed.review,
            data={"text": "Làm ngay", "owner_unit": world.units["ezb_dept"]},
        )
    assert {"due_on", "area"} <= set(error.value.message_dict)
    assert not reviewed.review.conclusions.exists()


def test_drafts_are_numbered_and_keep_the_prose_prefilled_from_contributions(world, reviewed):
    _contribute(
        reviewed, SYSTEM, text="Đã rà soát 120 doanh nghiệp", area=reviewed.program.areas["survey"]
    )
    _contribute(reviewed, SYSTEM, kind="difficulty", text="Chủ doanh nghiệp chưa quan tâm")
    _contribute(reviewed, SYSTEM, kind="lesson", text="Phối hợp chặt chẽ")
    first = services.version_create(actor=SYSTEM, review=reviewed.review)
    assert first.number == 1
    assert first.results.startswith("[2] Đã rà soát 120 doanh nghiệp")
    assert "Chủ doanh nghiệp chưa quan tâm" in first.limitations
    assert first.lessons == "Phối hợp chặt chẽ"
    services.version_update(
        actor=SYSTEM, version=first, data={"lessons": "Bài học  đã sửa\r\n\r\n\r\nĐoạn hai"}
    )
    second = services.version_create(actor=SYSTEM, review=reviewed.review)
    assert second.number == 2 and second.lessons == "Bài học đã sửa\n\nĐoạn hai"


def test_making_a_version_final_locks_the_covered_periods_and_the_report(world, reviewed):
    coordinator = world.users["coordinator"]
    version = services.version_create(actor=coordinator, review=reviewed.review)
    services.version_finalise(actor=coordinator, version=version, at=at(datetime.date(2024, 5, 20)))
    program = reviewed.program.program
    inside = ReportingPeriod.objects.filter(
        program=program, starts_on__gte=PERIOD_START, ends_on__lte=PERIOD_END
    )
    assert inside.exists() and not inside.filter(locked_at__isnull=True).exists()
    assert (
        ReportingPeriod.objects.filter(program=program, starts_on__gt=PERIOD_END)
        .filter(locked_at__isnull=False)
        .count()
        == 0
    )
    with pytest.raises(ValidationError):
        services.version_update(actor=coordinator, version=version, data={"lessons": "x"})
    with pytest.raises(ValidationError):
        services.version_create(actor=coordinator, review=reviewed.review)
    with pytest.raises(ValidationError):
        services.review_update(
            actor=coordinator,
            review=reviewed.review,
            data={"period_end": datetime.date(2024, 4, 30)},
        )
    assert Review.objects.get(pk=reviewed.review.pk).final_version() == version


def test_deleting_a_contribution_is_audited(world, reviewed):
    contribution = _contribute(reviewed, SYSTEM)
    pk = contribution.pk
    services.contribution_delete(actor=world.users["coordinator"], contribution=contribution)
    assert not Contribution.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(
        content_type__model="contribution", object_id=str(pk), action="delete"
    ).exists()


def test_statistics_equal_the_registry_as_of_the_period_end(world, reviewed):
    stats = services.version_create(actor=SYSTEM, review=reviewed.review).statistics
    # 2023-12-31 figures of A (120 workers) and B (300 workers); A's 2022 figures are older.
    assert stats["totals"]["workers"] == 420
    assert stats["totals"]["party_members"] == 5
    assert stats["new_members"]["total"]["new_party_members"] == 3
    assert stats["enterprises_by_ownership"]["total"]["total"] == 2
    party = [t["code"] for t in stats["organisation_types"]].index("party")
    assert stats["organisations"]["total"]["types"][party]["organisations"] == 1
    assert stats["new_members"]["total"]["founded"][party] == 1
    indicator = {i["code"]: i for i in stats["indicators"]}["party-enterprises"]
    assert indicator["actual"] == "1"


def test_a_follow_up_may_name_an_existing_task_instead_of_adding_one(world, reviewed):
    task = reviewed.program.tasks["b"]
    before = Task.objects.count()
    conclusion = services.conclusion_add(
        actor=world.users["coordinator"],
        review=reviewed.review,
        data={
            "text": "Tiếp tục rà soát hằng quý",
            "task": task,
            "due_on": datetime.date(2024, 12, 31),
        },
    )
    assert conclusion.task == task and conclusion.owner_unit == task.lead_unit
    assert conclusion.area == task.area and Task.objects.count() == before
    with pytest.raises(ValidationError) as error:
        services.conclusion_add(
            actor=SYSTEM,
            review=reviewed.review,
            data={"text": "Lần nữa", "task": task, "due_on": datetime.date(2024, 12, 31)},
        )
    assert "task" in error.value.message_dict
