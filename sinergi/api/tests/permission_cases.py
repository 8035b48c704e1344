"""Rows for `core/tests/test_url_permissions.py`: every API URL and the token pages.

The API never sends anyone to the login page: without credentials it answers 401. Out of scope
is 404 (the object is not in the user's `visible_to` rows), as on the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from sinergi.core.services import SYSTEM
from sinergi.core.testing import (
    ANON,
    EVERYONE,
    FORBIDDEN,
    MISSING,
    OK,
    REDIRECT,
    JsonBody,
    _unit,
    signed_in,
)

UNAUTHORIZED = 401
CREATED = 201

# Objects of the Bloc-only program: its parties are the Bloc and a third body.
BLOC_ONLY = {
    "admin": OK,
    "coordinator": MISSING,
    "editor_a": MISSING,
    "editor_b": OK,
    "viewer": MISSING,
}
# An import batch uploaded by editor_a: the uploader, their body's coordinator, administrators.
EDITOR_A_BATCH = {
    "admin": OK,
    "coordinator": OK,
    "editor_a": OK,
    "editor_b": MISSING,
    "viewer": MISSING,
}
# A change made by editor_b: administrators, and the users of editor_b's own unit.
EDITOR_B_ENTRY = {
    "admin": OK,
    "coordinator": MISSING,
    "editor_a": MISSING,
    "editor_b": OK,
    "viewer": MISSING,
}


def api(expected: dict) -> dict:
    """The API's expectation: 401 without credentials."""
    return {"anonymous": UNAUTHORIZED, **expected}


def scenario(world):
    """The objects every API route is tried on (built once per world)."""
    from django.core.files.base import ContentFile

    from sinergi.imports import services as import_services
    from sinergi.programs import services as program_services
    from sinergi.programs.models import Program
    from sinergi.programs.testing import END, START, build_program
    from sinergi.registry import services as registry_services

    existing = Program.objects.filter(code="ctph-test").first()
    if existing is None:
        built = build_program(world)
        program, task = built.program, built.tasks["b"]
        surveyed = built.indicators["surveyed"]
    else:
        program = existing
        task = program.areas.get(number=2).tasks.get(number=1)
        surveyed = program.indicators.get(code="surveyed")
    period = program.periods.get(kind="quarter", year=2024, number=2)
    editor_b = world.users["editor_b"]
    report = program_services.progress_report_save(
        actor=editor_b,
        task=task,
        unit=world.units["bloc_dept"],
        period=period,
        data={"task_status": "in_progress", "percent_done": 20, "narrative": "Bản nháp."},
    )
    value = program_services.indicator_value_set(
        actor=SYSTEM, indicator=surveyed, period=period, value=Decimal(4), source="Sổ theo dõi"
    )
    activity = program_services.activity_create(
        actor=world.users["editor_a"],
        program=program,
        data={
            "kind": "training",
            "title": "Tập huấn API",
            "held_on": datetime.date(2024, 5, 10),
            "organisers": [world.units["ezb_dept"]],
            "workers": 12,
        },
    )
    third = _unit("api-third", "Third body (API)", "body")
    other = program_services.program_create(
        actor=SYSTEM,
        data={
            "code": "api-bloc-only",
            "title": "A program of the Bloc and a third body",
            "starts_on": START,
            "ends_on": END,
            "status": "active",
            "parties": [world.units["bloc"], third],
        },
    )
    other_area = program_services.area_create(actor=SYSTEM, program=other, data={"title": "Khác"})
    other_task = program_services.task_create(
        actor=SYSTEM,
        program=other,
        data={
            "area": other_area,
            "title": "Việc riêng của Khối",
            "lead_unit": world.units["bloc_dept"],
            "starts_on": START,
            "recurrence": "quarterly",
        },
    )
    other_draft = program_services.progress_report_save(
        actor=editor_b,
        task=other_task,
        unit=world.units["bloc_dept"],
        period=other.periods.get(kind="quarter", year=2024, number=2),
        data={"task_status": "in_progress", "percent_done": 5, "narrative": "Nháp riêng."},
    )
    organisation = registry_services.organisation_create(
        actor=SYSTEM,
        enterprise=world.enterprises["a"],
        data={
            "type": world.types["party"],
            "name": "Chi bộ API",
            "founded_on": datetime.date(2021, 1, 1),
        },
    )
    officer = registry_services.officer_create(
        actor=SYSTEM,
        organisation=organisation,
        data={"role": "secretary", "name": "Lê Thị Hoa", "email": "hoa@example.vn"},
    )
    figure = registry_services.figure_record(
        actor=SYSTEM,
        enterprise=world.enterprises["a"],
        as_of=datetime.date(2024, 6, 30),
        values={"workers": 120, "party_members": 4},
    )
    batch = import_services.batch_upload(
        actor=world.users["editor_a"],
        upload=ContentFile("Mã số thuế,Tên doanh nghiệp\n5300100003,X\n".encode(), "api.csv"),
    )
    from sinergi.core.models import AuditEntry
    from sinergi.reviews import services as review_services

    def review_of(target, title):
        return review_services.review_create(
            actor=SYSTEM,
            program=target,
            data={
                "kind": "annual",
                "title": title,
                "period_start": START,
                "period_end": datetime.date(2024, 3, 31),
                "held_on": datetime.date(2024, 5, 16),
            },
        )

    review = review_of(program, "Sơ kết (API)")
    attendee = review_services.attendee_add(
        actor=SYSTEM, review=review, data={"name": "Trần Thị Bình", "unit": world.units["ezb"]}
    )
    contribution = review_services.contribution_save(
        actor=SYSTEM,
        review=review,
        data={"speaker": attendee, "kind": "difficulty", "text": "Thiếu kinh phí."},
    )
    conclusion = review_services.conclusion_add(
        actor=SYSTEM, review=review, data={"text": "Tiếp tục rà soát doanh nghiệp."}
    )
    other_review = review_of(other, "Sơ kết riêng của Khối")
    from django.core.files.base import ContentFile

    from sinergi.reviews.models import ReportFile

    version = review_services.version_create(actor=SYSTEM, review=review)
    other_version = review_services.version_create(actor=SYSTEM, review=other_review)
    # A file as an issued report keeps them (issuing is tested in reviews/test_issuing.py).
    kept = ReportFile(
        version=version, kind="generated", language="vi", file_format="pdf", size=9, sha256="0"
    )
    kept.file.save("report.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    kept.filename = "report.pdf"
    kept.save()
    entry = AuditEntry.objects.filter(actor=editor_b).latest("id")
    return {
        "program": program,
        "task": task,
        "period": period,
        "indicator": surveyed,
        "report": report,
        "value": value,
        "activity": activity,
        "other": other,
        "other_area": other_area,
        "other_task": other_task,
        "other_draft": other_draft,
        "organisation": organisation,
        "officer": officer,
        "figure": figure,
        "batch": batch,
        "entry": entry,
        "review": review,
        "attendee": attendee,
        "contribution": contribution,
        "conclusion": conclusion,
        "other_review": other_review,
        "version": version,
        "other_version": other_version,
        "report_file": kept,
    }


def cases(world) -> list[tuple[str, str, dict]]:
    from sinergi.api import services as token_services
    from sinergi.programs import services as program_services

    objects = scenario(world)
    # A report the lead unit has submitted: the partner body acknowledges or returns it.
    editor_b = world.users["editor_b"]
    submitted = program_services.progress_report_save(
        actor=editor_b,
        task=objects["task"],
        unit=world.units["bloc_dept"],
        period=objects["program"].periods.get(kind="quarter", year=2024, number=3),
        data={"task_status": "in_progress", "percent_done": 40, "narrative": "Đã gửi."},
    )
    program_services.progress_report_submit(actor=editor_b, report=submitted)
    objects["submitted"] = submitted
    token, _key = token_services.token_create(actor=world.users["editor_a"], name="rows")

    def row(name, args, expected, *post):
        return (f"api:{name}", reverse(f"api:{name}", args=args), api(expected), *post)

    def pk(name):
        return objects[name].pk

    # The lead unit (editor_b's) submits; the partner body's coordinator signs off.
    lead = {**{p: FORBIDDEN for p in EVERYONE}, "admin": OK, "editor_b": OK}
    partner = {**{p: FORBIDDEN for p in EVERYONE}, "admin": OK, "coordinator": OK}
    rows = [
        row("api-root", [], EVERYONE),
        row("insight_dashboard", [], EVERYONE),
        row("insight_completeness", [], EVERYONE),
        row("insight_map", [], EVERYONE),
        row("schema", [], EVERYONE),
        row("counts", [], EVERYONE),
        row("zone-list", [], EVERYONE),
        row("zone-detail", [world.zones["a"].pk], EVERYONE),
        row("enterprise-list", [], EVERYONE),
        row("enterprise-detail", [world.enterprises["b"].pk], EVERYONE),
        row("enterprise-detail", [999999], {p: MISSING for p in EVERYONE}),
        row("organisation-list", [], EVERYONE),
        row("organisation-detail", [pk("organisation")], EVERYONE),
        row("figure-list", [], EVERYONE),
        row("figure-detail", [pk("figure")], EVERYONE),
        row("organisationtype-list", [], EVERYONE),
        row("organisationtype-detail", [world.types["party"].pk], EVERYONE),
        row("officer-list", [], EVERYONE),
        row("officer-detail", [pk("officer")], EVERYONE),
        row("gap-list", [], EVERYONE),
        row("program-list", [], EVERYONE),
        row("program-detail", [pk("program")], EVERYONE),
        row("program-detail", [pk("other")], BLOC_ONLY),
        row("period-list", [], EVERYONE),
        row("period-detail", [pk("period")], EVERYONE),
        row("area-list", [], EVERYONE),
        row("area-detail", [pk("other_area")], BLOC_ONLY),
        row("task-list", [], EVERYONE),
        row("task-detail", [pk("task")], EVERYONE),
        row("task-detail", [pk("other_task")], BLOC_ONLY),
        row("indicator-list", [], EVERYONE),
        row("indicator-detail", [pk("indicator")], EVERYONE),
        row("indicatorvalue-list", [], EVERYONE),
        row("indicatorvalue-detail", [pk("value")], EVERYONE),
        row("progressreport-list", [], EVERYONE),
        row("progressreport-detail", [pk("report")], EVERYONE),
        # editor_b's draft in the Bloc's own program: no other unit's user may read it.
        row("progressreport-detail", [pk("other_draft")], BLOC_ONLY),
        row("progressreport-submit", [pk("report")], lead, JsonBody()),
        row("progressreport-acknowledge", [pk("submitted")], partner, JsonBody(comment="Đã xem.")),
        row(
            "progressreport-return",
            [pk("submitted")],
            partner,
            JsonBody(comment="Bổ sung số liệu."),
        ),
        row("activity-list", [], EVERYONE),
        row("activity-detail", [pk("activity")], EVERYONE),
        row("importbatch-list", [], EVERYONE),
        row("importbatch-detail", [pk("batch")], EDITOR_A_BATCH),
        row("review-list", [], EVERYONE),
        row("review-detail", [pk("review")], EVERYONE),
        row("review-detail", [pk("other_review")], BLOC_ONLY),
        row("attendee-list", [], EVERYONE),
        row("attendee-detail", [pk("attendee")], EVERYONE),
        row("contribution-list", [], EVERYONE),
        row("contribution-detail", [pk("contribution")], EVERYONE),
        row("conclusion-list", [], EVERYONE),
        row("conclusion-detail", [pk("conclusion")], EVERYONE),
        row("reportversion-list", [], EVERYONE),
        row("reportversion-detail", [pk("version")], EVERYONE),
        row("reportversion-detail", [pk("other_version")], BLOC_ONLY),
        # Issuing takes a multipart form with the signed scan: a JSON body is refused (415) for
        # the program's managers, forbidden for everyone else.
        row(
            "reportversion-issue",
            [pk("version")],
            {**{p: FORBIDDEN for p in EVERYONE}, "admin": 415, "coordinator": 415},
            JsonBody(),
        ),
        row("reportfile-list", [], EVERYONE),
        row("reportfile-detail", [pk("report_file")], EVERYONE),
        row("reportfile-download", [pk("report_file")], EVERYONE),
        row("auditentry-list", [], EVERYONE),
        row("auditentry-detail", [pk("entry")], EDITOR_B_ENTRY),
        # The token pages are pages: signed-out visitors go to the login page.
        ("api:token_list", reverse("api:token_list"), signed_in(EVERYONE)),
        (
            "api:token_create",
            reverse("api:token_create"),
            {"anonymous": ANON, **{p: CREATED for p in EVERYONE}},
            {"name": "Báo cáo hằng quý"},
        ),
        # A token is its owner's alone: anyone else is told it does not exist.
        (
            "api:token_revoke",
            reverse("api:token_revoke", args=[token.pk]),
            {"anonymous": ANON, **{p: MISSING for p in EVERYONE}, "editor_a": REDIRECT},
            {},
        ),
    ]
    return rows
