"""Every page answered for every persona: signed out, allowed, read-only (403), out of scope (404).

The table below names each URL of the application once; a test fails when a URL is added without
a row here, so no page escapes a permission check. A row is (url name, path, expected status per
persona) for a GET, or (url name, path, expected, form data) for a URL that takes only POST: it is
sent that form, valid, and the allowed personas are answered with the redirect that follows a
successful write.
"""

from __future__ import annotations

import copy
import datetime
import importlib
import importlib.util

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sinergi.core.testing import (
    ACCOUNT_READERS,
    ACCOUNT_READERS_OTHER_BODY,
    ADMIN_ONLY,
    ANON,
    ANY_ZONE_EDITOR,
    EVERYONE,
    FORBIDDEN,
    MISSING,
    NOT_ALLOWED,
    OK,
    PERSONAS,
    REDIRECT,
    ZONE_A_EDITORS,
    JsonBody,
    signed_in,
)
from sinergi.registry import services as registry_services

pytestmark = pytest.mark.django_db


def cases(world) -> list[tuple[str, str, dict]]:
    """(url name, path, expected status per persona)."""
    organisation = registry_services.organisation_create(
        actor=world.users["admin"],
        enterprise=world.enterprises["a"],
        data={
            "type": world.types["union"],
            "name": "CĐCS",
            "founded_on": datetime.date(2020, 1, 1),
        },
    )
    officer = registry_services.officer_create(
        actor=world.users["admin"],
        organisation=organisation,
        data={"role": "chair", "name": "Nguyễn Văn Hùng", "phone": "0912 345 678"},
    )
    e, z = world.enterprises["a"].pk, world.zones["a"].pk
    own_user, other_user = world.users["editor_a"].pk, world.users["editor_b"].pk
    own_unit, other_unit = world.units["ezb_dept"].pk, world.units["bloc_dept"].pk
    after_login = {p: REDIRECT for p in EVERYONE}
    rows = [
        ("core:home", reverse("core:home"), signed_in(EVERYONE)),
        ("core:audit_list", reverse("core:audit_list"), signed_in(EVERYONE)),
        (
            "core:set_language",
            reverse("core:set_language"),
            {"anonymous": REDIRECT, **{p: REDIRECT for p in EVERYONE}},
            {"language": "en", "next": "/"},
        ),
        ("core:healthz", reverse("core:healthz"), {"anonymous": OK, **EVERYONE}),
        ("accounts:login", reverse("accounts:login"), {"anonymous": OK, **after_login}),
        ("accounts:logout", reverse("accounts:logout"), {"anonymous": ANON, **after_login}, {}),
        ("accounts:password_change", reverse("accounts:password_change"), signed_in(EVERYONE)),
        ("accounts:user_list", reverse("accounts:user_list"), signed_in(ACCOUNT_READERS)),
        ("accounts:user_create", reverse("accounts:user_create"), signed_in(ADMIN_ONLY)),
        (
            "accounts:user_detail",
            reverse("accounts:user_detail", args=[own_user]),
            signed_in(ACCOUNT_READERS),
        ),
        (
            "accounts:user_detail",
            reverse("accounts:user_detail", args=[other_user]),
            signed_in(ACCOUNT_READERS_OTHER_BODY),
        ),
        (
            "accounts:user_update",
            reverse("accounts:user_update", args=[own_user]),
            signed_in(ADMIN_ONLY),
        ),
        (
            "accounts:user_history",
            reverse("accounts:user_history", args=[own_user]),
            signed_in(ACCOUNT_READERS),
        ),
        (
            "accounts:user_history",
            reverse("accounts:user_history", args=[other_user]),
            signed_in(ACCOUNT_READERS_OTHER_BODY),
        ),
        ("accounts:unit_list", reverse("accounts:unit_list"), signed_in(ACCOUNT_READERS)),
        ("accounts:unit_create", reverse("accounts:unit_create"), signed_in(ADMIN_ONLY)),
        (
            "accounts:unit_detail",
            reverse("accounts:unit_detail", args=[own_unit]),
            signed_in(ACCOUNT_READERS),
        ),
        (
            "accounts:unit_detail",
            reverse("accounts:unit_detail", args=[other_unit]),
            signed_in(ACCOUNT_READERS_OTHER_BODY),
        ),
        (
            "accounts:unit_update",
            reverse("accounts:unit_update", args=[own_unit]),
            signed_in(ADMIN_ONLY),
        ),
        (
            "accounts:unit_history",
            reverse("accounts:unit_history", args=[other_unit]),
            signed_in(ACCOUNT_READERS_OTHER_BODY),
        ),
        ("registry:zone_list", reverse("registry:zone_list"), signed_in(EVERYONE)),
        ("registry:zone_create", reverse("registry:zone_create"), signed_in(ADMIN_ONLY)),
        ("registry:zone_detail", reverse("registry:zone_detail", args=[z]), signed_in(EVERYONE)),
        ("registry:zone_update", reverse("registry:zone_update", args=[z]), signed_in(ADMIN_ONLY)),
        ("registry:zone_history", reverse("registry:zone_history", args=[z]), signed_in(EVERYONE)),
        (
            "registry:organisationtype_list",
            reverse("registry:organisationtype_list"),
            signed_in(EVERYONE),
        ),
        ("registry:enterprise_list", reverse("registry:enterprise_list"), signed_in(EVERYONE)),
        (
            "registry:enterprise_export",
            reverse("registry:enterprise_export", args=["csv"]),
            signed_in(EVERYONE),
        ),
        (
            "registry:enterprise_export",
            reverse("registry:enterprise_export", args=["xlsx"]),
            signed_in(EVERYONE),
        ),
        (
            "registry:zone_export",
            reverse("registry:zone_export", args=["xlsx"]),
            signed_in(EVERYONE),
        ),
        (
            "registry:enterprise_create",
            reverse("registry:enterprise_create"),
            signed_in(ANY_ZONE_EDITOR),
        ),
        (
            "registry:enterprise_detail",
            reverse("registry:enterprise_detail", args=[e]),
            signed_in(EVERYONE),
        ),
        (
            "registry:enterprise_update",
            reverse("registry:enterprise_update", args=[e]),
            signed_in(ZONE_A_EDITORS),
        ),
        (
            "registry:enterprise_history",
            reverse("registry:enterprise_history", args=[e]),
            signed_in(EVERYONE),
        ),
        (
            "registry:enterprise_chart",
            reverse("registry:enterprise_chart", args=[e]),
            signed_in(EVERYONE),
        ),
        (
            "registry:figure_record",
            reverse("registry:figure_record", args=[e]),
            signed_in(ZONE_A_EDITORS),
        ),
        (
            "registry:organisation_create",
            reverse("registry:organisation_create", args=[e]),
            signed_in(ZONE_A_EDITORS),
        ),
        (
            "registry:organisation_update",
            reverse("registry:organisation_update", args=[organisation.pk]),
            signed_in(ZONE_A_EDITORS),
        ),
        (
            "registry:enterprise_detail",
            reverse("registry:enterprise_detail", args=[999999]),
            signed_in({p: MISSING for p in EVERYONE}),
        ),
        (
            "registry:organisationtype_create",
            reverse("registry:organisationtype_create"),
            signed_in(ADMIN_ONLY),
        ),
        (
            "registry:organisationtype_update",
            reverse("registry:organisationtype_update", args=[world.types["party"].pk]),
            signed_in(ADMIN_ONLY),
        ),
        (
            "registry:enterprisestatuschange_create",
            reverse("registry:enterprisestatuschange_create", args=[e]),
            signed_in(ZONE_A_EDITORS),
        ),
        (
            "registry:officer_create",
            reverse("registry:officer_create", args=[organisation.pk]),
            signed_in(ZONE_A_EDITORS),
        ),
        (
            "registry:officer_update",
            reverse("registry:officer_update", args=[officer.pk]),
            signed_in(ZONE_A_EDITORS),
        ),
    ]
    return rows + import_cases(world) + program_cases(world) + app_cases(world)


def app_cases(world) -> list[tuple[str, str, dict]]:
    """Rows kept beside their app, in `sinergi/<app>/tests/permission_cases.py`: `cases(world)`."""
    rows = []
    for config in apps.get_app_configs():
        if not config.name.startswith("sinergi.") or not importlib.util.find_spec(
            f"{config.name}.tests"
        ):
            continue
        module = f"{config.name}.tests.permission_cases"
        if importlib.util.find_spec(module):
            rows += importlib.import_module(module).cases(world)
    return rows


def import_cases(world) -> list[tuple[str, str, dict]]:
    """Import pages: a batch is seen by its uploader, their body's coordinator and admins."""
    from django.core.files.base import ContentFile

    from sinergi.imports import services as import_services

    editor = world.users["editor_a"]
    batch = import_services.batch_upload(
        actor=editor,
        upload=ContentFile("Mã số thuế,Tên doanh nghiệp\n5300100003,X\n".encode(), "a.csv"),
    )
    import_services.batch_check(batch, actor=editor)
    b = batch.pk
    # A second batch, imported: the one to undo.
    done = import_services.batch_upload(
        actor=editor,
        upload=ContentFile("Mã số thuế,Tên doanh nghiệp\n5300100004,Y\n".encode(), "b.csv"),
    )
    import_services.batch_commit(done, actor=editor)
    batch_readers = {
        "admin": OK,
        "coordinator": OK,
        "editor_a": OK,
        "editor_b": MISSING,
        "viewer": MISSING,
    }
    batch_actors = {
        **batch_readers,
        "admin": REDIRECT,
        "coordinator": REDIRECT,
        "editor_a": REDIRECT,
    }
    return [
        ("imports:batch_list", reverse("imports:batch_list"), signed_in(EVERYONE)),
        (
            "imports:blank_template",
            reverse("imports:blank_template", args=["xlsx"]),
            signed_in(EVERYONE),
        ),
        (
            "imports:batch_detail",
            reverse("imports:batch_detail", args=[b]),
            signed_in(batch_readers),
        ),
        ("imports:error_file", reverse("imports:error_file", args=[b]), signed_in(batch_readers)),
        (
            "imports:batch_configure",
            reverse("imports:batch_configure", args=[b]),
            signed_in(batch_actors),
            {"col_0": "tax_id", "col_1": "name", "report_date": "2023-12-31"},
        ),
        (
            "imports:batch_commit",
            reverse("imports:batch_commit", args=[b]),
            signed_in(batch_actors),
            {"only_valid": "1"},
        ),
        (
            "imports:batch_undo",
            reverse("imports:batch_undo", args=[done.pk]),
            signed_in(batch_actors),
            {},
        ),
        (
            "imports:template_save",
            reverse("imports:template_save", args=[b]),
            signed_in(batch_actors),
            {"name": "Danh sách doanh nghiệp"},
        ),
    ]


def program_cases(world) -> list[tuple[str, str, dict]]:
    """Program pages. Task B is led by editor_b's unit and supported by editor_a's; the
    coordinator (the other body) signs it off; the viewer's committee oversees the program.
    A second program between the Bloc and a third body is out of scope for the others."""
    from sinergi.core.services import SYSTEM
    from sinergi.core.testing import _unit
    from sinergi.programs import services as program_services
    from sinergi.programs.testing import END, START, build_program

    built = build_program(world)
    program, task = built.program, built.tasks["b"]
    period = built.period("quarter", 2024, 1)
    surveyed, party = built.indicators["surveyed"], built.indicators["party"]
    report = program_services.progress_report_save(
        actor=world.users["editor_b"],
        task=task,
        unit=world.units["bloc_dept"],
        period=period,
        data={"task_status": "in_progress", "percent_done": 10, "narrative": "Bắt đầu."},
    )
    evidence = program_services.attachment_add(
        actor=world.users["editor_b"], parent=report, data={"link": "https://example.org/bb"}
    )
    activity = program_services.activity_create(
        actor=world.users["editor_a"],
        program=program,
        data={
            "kind": "training",
            "title": "Tập huấn",
            "held_on": datetime.date(2023, 9, 12),
            "organisers": [world.units["ezb_dept"]],
            "workers": 30,
        },
    )
    other = program_services.program_create(
        actor=SYSTEM,
        data={
            "code": "other",
            "title": "Another program",
            "starts_on": START,
            "ends_on": END,
            "parties": [world.units["bloc"], _unit("third", "Third body", "body")],
        },
    )
    # A report submitted for the next quarter, to be acknowledged; a locked period to reopen.
    submitted = program_services.progress_report_save(
        actor=world.users["editor_b"],
        task=task,
        unit=world.units["bloc_dept"],
        period=built.period("quarter", 2023, 4),
        data={"task_status": "in_progress", "percent_done": 30, "narrative": "Tiếp tục."},
    )
    program_services.progress_report_submit(actor=world.users["editor_b"], report=submitted)
    locked = built.period("quarter", 2025, 1)
    program_services.period_lock(actor=SYSTEM, period=locked)
    p, t, r, a = program.pk, task.pk, report.pk, activity.pk
    managers = {**ADMIN_ONLY, "coordinator": OK}
    reporters = {**EVERYONE, "viewer": FORBIDDEN}
    # The activity is organised by editor_a's unit, of the coordinator's body.
    activity_editors = {**ADMIN_ONLY, "coordinator": OK, "editor_a": OK}
    lead_only = {**ADMIN_ONLY, "editor_b": OK}
    # The partner body (the Economic Zone Board) signs off through its coordinator.
    acknowledgers = {**ADMIN_ONLY, "coordinator": OK}
    redirect = {q: REDIRECT for q in EVERYONE}  # a link attachment leads to its address
    bloc_only = {
        "admin": OK,
        "coordinator": MISSING,
        "editor_a": MISSING,
        "editor_b": OK,
        "viewer": MISSING,
    }

    def row(name, args, expected, *post):
        path = reverse(f"programs:{name}", args=args)
        return (f"programs:{name}", path, signed_in(expected), *post)

    def done(expected):
        """A POST's answers: the redirect after the write for those the rule allows."""
        return {q: REDIRECT if status == OK else status for q, status in expected.items()}

    return [
        row("program_list", [], EVERYONE),
        row("program_create", [], managers),
        row("my_work", [], EVERYONE),
        row("due_list", [], EVERYONE),
        row("program_detail", [p], EVERYONE),
        row("program_detail", [other.pk], bloc_only),
        row("program_detail", [999999], {q: MISSING for q in EVERYONE}),
        row("program_update", [p], managers),
        row("program_history", [p], EVERYONE),
        row("program_matrix", [p], EVERYONE),
        row("program_matrix_export", [p, "xlsx"], EVERYONE),
        row("program_matrix_export", [other.pk, "csv"], bloc_only),
        row("program_timeline", [p], EVERYONE),
        row("program_timeline_chart", [p], EVERYONE),
        row("period_list", [p], EVERYONE),
        row("area_create", [p], managers),
        row("area_update", [built.areas["survey"].pk], managers),
        row("task_create", [p], managers),
        row("indicator_create", [p], managers),
        row("activity_create", [p], reporters),
        row("activity_create", [other.pk], bloc_only),
        row("period_lock", [period.pk], done(managers), {}),
        row("period_unlock", [locked.pk], done(ADMIN_ONLY), {}),
        row("task_list", [], EVERYONE),
        row("task_detail", [t], EVERYONE),
        row("task_update", [t], managers),
        row("task_history", [t], EVERYONE),
        row("task_attachment_create", [t], managers),
        row("progressreport_edit", [t, period.pk], reporters),
        row("progressreport_list", [], EVERYONE),
        row("progressreport_detail", [r], EVERYONE),
        row("progressreport_submit", [r], done(lead_only), {}),
        row(
            "progressreport_acknowledge",
            [submitted.pk],
            done(acknowledgers),
            {"comment": "Đã xem."},
        ),
        row("progressreport_return", [r], managers),
        row("progressreport_evidence_create", [r], lead_only),
        row("attachment_download", [evidence.pk], redirect),
        row("attachment_delete", [evidence.pk], done(lead_only), {}),
        row("indicator_detail", [surveyed.pk], EVERYONE),
        row("indicator_update", [surveyed.pk], managers),
        row("indicator_chart", [party.pk], EVERYONE),
        row("indicatorvalue_detail", [party.pk, period.pk], EVERYONE),
        row("indicatorvalue_set", [surveyed.pk, period.pk], managers),
        row("indicatorvalue_set", [party.pk, period.pk], {q: MISSING for q in EVERYONE}),
        row("activity_list", [], EVERYONE),
        row("activity_detail", [a], EVERYONE),
        row("activity_update", [a], activity_editors),
        row("activity_history", [a], EVERYONE),
        row("activity_attachment_create", [a], activity_editors),
    ]


def _url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_of_the_application_has_a_permission_row(world):
    covered = {name for name, _path, _expected, *_post in cases(world)}
    missing = _url_names() - covered
    assert not missing, f"URLs without a permission test: {sorted(missing)}"


def test_every_url_is_sent_the_method_it_accepts(world):
    """A row that expects 405 from everyone signed in tests no rule: a URL that takes only POST
    is sent a POST with a valid form (a fourth element of its row)."""
    refused = [
        f"{name} {path}"
        for name, path, expected, *_post in cases(world)
        if all(expected.get(p) == NOT_ALLOWED for p in PERSONAS if p != "anonymous")
    ]
    assert not refused, "URLs answered 405 by everyone:\n" + "\n".join(refused)


def _send(client, path: str, post: list[dict]):
    """GET the path, or POST the row's form. A POST runs in a savepoint rolled back afterwards,
    with the client's cookies put back, so each row sees the same world (a deleted attachment,
    a locked period or a signed-out session does not leak into the rows after it)."""
    if not post:
        return client.get(path)
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if isinstance(post[0], JsonBody):
            response = client.post(path, post[0], content_type="application/json")
        else:
            response = client.post(path, post[0])
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_answers_each_persona_as_the_rules_say(world, persona):
    client = world.client(persona)
    failures = []
    for name, path, expected, *post in cases(world):
        want = expected[persona]
        response = _send(client, path, post)
        if want == ANON:
            ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            ok = response.status_code == want
        if not ok:
            failures.append(f"{name} {path}: {response.status_code}, expected {want}")
    assert not failures, "\n".join(failures)
