"""The API keeps the pages' rules: same scope, same services, same audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import translation

from sinergi.api.tests.permission_cases import scenario
from sinergi.core.models import AuditEntry
from sinergi.programs.models import ProgressReport
from sinergi.registry.models import Enterprise, Figure

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_api_answers_a_stranger_with_401_not_the_login_page(world):
    for path in ("/api/", "/api/enterprises/", "/api/schema/", "/api/progress-reports/"):
        response = Client().get(path, HTTP_ACCEPT=JSON)
        assert response.status_code == 401, path
        assert "Location" not in response


def test_an_editor_registers_an_enterprise_and_the_write_is_audited(world, token_client):
    response = token_client("editor_a").post(
        "/api/enterprises/",
        {
            "tax_id": "0100109106",
            "name": "  Công ty TNHH Mới  ",
            "zone": world.zones["a"].pk,
            "ownership": "domestic_private",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    enterprise = Enterprise.objects.get(pk=body["id"])
    assert body["name"] == enterprise.name == "Công ty TNHH Mới"  # the service normalised it
    entry = AuditEntry.objects.get(content_type__model="enterprise", object_id=str(enterprise.pk))
    assert entry.actor == world.users["editor_a"] and entry.action == "create"


def test_a_rule_of_the_service_comes_back_as_400_at_its_field(world, token_client):
    response = token_client("editor_a").post(
        "/api/figures/",
        {
            "enterprise": world.enterprises["a"].pk,
            "as_of": "2024-06-30",
            "workers": 10,
            "party_members": 12,
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json() == {"party_members": ["Party members cannot exceed workers."]}
    assert not Figure.objects.exists()


def test_a_duplicate_tax_id_is_400_naming_the_other_enterprise(world, token_client):
    response = token_client("admin").post(
        "/api/enterprises/",
        {"tax_id": "5300100003", "name": "Trùng", "ownership": "state"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "Công ty TNHH Điện tử Phố Mới" in response.json()["tax_id"][0]


def test_malformed_input_is_400_without_reaching_the_service(world, token_client):
    client = token_client("admin")
    response = client.post("/api/zones/", "{not json", content_type=JSON)
    assert response.status_code == 400
    response = client.post("/api/zones/", {"kind": "planet", "code": "x y"}, content_type=JSON)
    assert response.status_code == 400
    assert {"kind", "code", "name"} <= set(response.json())


def test_a_read_only_user_is_told_403_before_their_input_is_read(world, token_client):
    client = token_client("viewer")
    assert client.post("/api/enterprises/", {}, content_type=JSON).status_code == 403
    path = f"/api/enterprises/{world.enterprises['a'].pk}/"
    assert client.patch(path, {"name": ""}, content_type=JSON).status_code == 403


def test_an_editor_cannot_change_an_enterprise_of_another_units_zone(world, token_client):
    path = f"/api/enterprises/{world.enterprises['a'].pk}/"
    response = token_client("editor_b").patch(path, {"sector": "Khác"}, content_type=JSON)
    assert response.status_code == 403
    response = token_client("editor_a").patch(path, {"sector": "Khác"}, content_type=JSON)
    assert response.status_code == 200 and response.json()["sector"] == "Khác"


def test_nothing_is_deleted_through_the_api(world, token_client):
    path = f"/api/enterprises/{world.enterprises['a'].pk}/"
    assert token_client("admin").delete(path).status_code == 405
    assert Enterprise.objects.filter(pk=world.enterprises["a"].pk).exists()


def test_the_api_filters_with_the_pages_filtersets(world, token_client):
    client = token_client("viewer")
    names = lambda response: [row["name"] for row in response.json()["results"]]  # noqa: E731
    assert names(client.get("/api/enterprises/", {"q": "dong pho moi"})) == [
        "Công ty TNHH Điện tử Phố Mới"
    ]
    assert names(client.get("/api/enterprises/", {"ownership": "foreign_invested"})) == [
        "Công ty Cổ phần Hóa chất Duyên Hải"
    ]
    assert len(names(client.get("/api/enterprises/", {"zone": world.zones["ez"].pk}))) == 2
    assert client.get("/api/enterprises/", {"ownership": "pirate"}).status_code == 400


def test_a_yes_no_filter_takes_true_or_false_and_refuses_anything_else(world, token_client):
    client = token_client("viewer")
    for value in ("true", "False", "1", "0"):
        assert client.get("/api/report-versions/", {"is_final": value}).status_code == 200
    for value in ("-353", "yes", "maybe"):
        response = client.get("/api/report-versions/", {"is_final": value})
        assert response.status_code == 400 and "is_final" in response.json()


def test_lists_are_paginated(world, program, token_client):
    client = token_client("viewer")
    first = client.get("/api/periods/", {"page_size": 5}).json()
    assert len(first["results"]) == 5 and first["count"] > 5 and "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert {p["id"] for p in first["results"]}.isdisjoint(p["id"] for p in second["results"])
    assert client.get("/api/periods/", {"page": 999}).status_code == 404


def test_a_session_write_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["admin"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/api/zones/", {"code": "x"}, content_type=JSON)
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_the_report_workflow_runs_through_the_api(world, program, token_client):
    """editor_b writes and submits the lead report of task B; the Economic Zone Board's
    coordinator (the partner) acknowledges it; the task takes the reported progress."""
    task = program.tasks["b"]
    period = program.period("quarter", 2024, 1)
    editor = token_client("editor_b")
    response = editor.post(
        "/api/progress-reports/",
        {
            "task": task.pk,
            "unit": world.units["bloc_dept"].pk,
            "period": period.pk,
            "task_status": "in_progress",
            "percent_done": 40,
            "narrative": "Đã khảo sát 12 doanh nghiệp.",
            "proposed_values": {str(program.indicators["surveyed"].pk): "12"},
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    report = response.json()
    assert report["status"] == "draft" and report["proposed_values"]
    path = f"/api/progress-reports/{report['id']}/"
    response = editor.patch(path, {"percent_done": 50}, content_type=JSON)
    assert response.status_code == 200 and response.json()["proposed_values"]
    # The supporting unit may not submit the lead unit's report.
    assert token_client("editor_a").post(path + "submit/").status_code == 403
    assert editor.post(path + "submit/").json()["status"] == "submitted"
    # Returning needs a comment; the partner's coordinator then acknowledges.
    partner = token_client("coordinator")
    response = partner.post(path + "return/", {"comment": ""}, content_type=JSON)
    assert response.status_code == 400 and "review_comment" in response.json()
    response = partner.post(path + "acknowledge/", {"comment": "Tốt"}, content_type=JSON)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "acknowledged"
    task.refresh_from_db()
    assert (task.status, task.percent_done) == ("in_progress", 50)
    assert program.indicators["surveyed"].values.get(period=period).value == 12


def test_two_editors_do_not_see_each_others_drafts_out_of_their_scope(world, token_client):
    """editor_b's draft in a program of the Bloc and a third body: editor_a (another body)
    neither lists, reads nor changes it; editor_b does."""
    objects = scenario(world)
    draft = objects["other_draft"]
    path = f"/api/progress-reports/{draft.pk}/"
    owner, other = token_client("editor_b"), token_client("editor_a")
    assert owner.get(path).status_code == 200
    assert other.get(path).status_code == 404
    listed = {row["id"] for row in other.get("/api/progress-reports/").json()["results"]}
    assert draft.pk not in listed and objects["report"].pk in listed
    assert other.patch(path, {"narrative": "x"}, content_type=JSON).status_code == 404
    assert other.post(path + "submit/").status_code == 404
    # Nor can editor_a write a report into that program's task, even naming it by id.
    reports = ProgressReport.objects.count()
    response = other.post(
        "/api/progress-reports/",
        {
            "task": objects["other_task"].pk,
            "unit": world.units["ezb_dept"].pk,
            "period": draft.period_id,
            "task_status": "in_progress",
            "percent_done": 1,
            "narrative": "x",
        },
        content_type=JSON,
    )
    assert response.status_code == 400 and "task" in response.json()
    draft.refresh_from_db()
    assert draft.narrative == "Nháp riêng." and ProgressReport.objects.count() == reports


def test_an_activity_recorded_through_the_api_is_the_units_own(world, program, token_client):
    response = token_client("editor_a").post(
        "/api/activities/",
        {
            "program": program.program.pk,
            "kind": "dissemination",
            "title": "Phổ biến nghị quyết",
            "held_on": "2024-03-05",
            "organisers": [world.units["bloc_dept"].pk],
            "workers": 40,
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json() == {"organisers": ["Your unit must be among the organising units."]}


def test_the_schema_describes_every_route(world, token_client):
    from django.urls import reverse

    from sinergi.api.viewsets import router

    schema = token_client("viewer").get("/api/schema/", {"format": "json"}).json()
    assert schema["openapi"].startswith("3.")
    for prefix, _viewset, _basename in router.registry:
        assert f"/api/{prefix}/" in schema["paths"], prefix
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    assert reverse("api:schema") == "/api/schema/"


def test_figures_through_the_api_supersede_like_the_pages(world, token_client):
    client = token_client("editor_a")
    data = {"enterprise": world.enterprises["a"].pk, "as_of": "2024-06-30", "workers": 100}
    assert client.post("/api/figures/", data, content_type=JSON).status_code == 201
    data["workers"] = 110
    assert client.post("/api/figures/", data, content_type=JSON).status_code == 201
    rows = client.get("/api/figures/", {"enterprise": world.enterprises["a"].pk}).json()
    assert [row["workers"] for row in rows["results"]] == [110]
    assert Figure.objects.filter(as_of=datetime.date(2024, 6, 30)).count() == 2


def test_a_review_is_captured_through_the_api_and_its_follow_up_becomes_a_task(
    world, program, token_client
):
    coordinator = token_client("coordinator")
    response = coordinator.post(
        "/api/reviews/",
        {
            "program": program.program.pk,
            "kind": "annual",
            "title": "Hội nghị sơ kết",
            "period_start": "2023-05-01",
            "period_end": "2024-03-31",
            "held_on": "2024-05-16",
            "agenda": "Báo cáo\nThảo luận",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    review = response.json()["id"]
    response = coordinator.post(
        "/api/contributions/",
        {"review": review, "kind": "proposal", "text": "Thành lập công đoàn ở KCN."},
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    response = coordinator.post(
        "/api/conclusions/",
        {
            "review": review,
            "text": "Rà soát các doanh nghiệp chưa có công đoàn",
            "owner_unit": world.units["ezb_dept"].pk,
            "due_on": "2024-09-30",
            "area": program.areas["survey"].pk,
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    task = token_client("viewer").get(f"/api/tasks/{response.json()['task']}/").json()
    assert task["lead_unit"] == world.units["ezb_dept"].pk and task["due_on"] == "2024-09-30"
    # An editor reads the review but does not change it.
    editor = token_client("editor_a")
    assert editor.get(f"/api/reviews/{review}/").status_code == 200
    response = editor.patch(f"/api/reviews/{review}/", {"title": "x"}, content_type=JSON)
    assert response.status_code == 403


def test_an_unknown_api_address_answers_json_not_the_sites_page(world, token_client):
    response = token_client("viewer").get("/api/enterprises/not-a-number/")
    assert response.status_code == 404 and response["Content-Type"] == JSON
    assert Client().get("/api/nowhere/").status_code == 401


def test_the_enterprise_count_is_cached_per_registry_version(world, token_client):
    from sinergi.insight.aggregates import refresh

    refresh()  # a snapshot: counts are then cached under the registry version
    client = token_client("editor_a")
    first = client.get("/api/enterprises/", {"page_size": 1}).json()["count"]
    assert first == Enterprise.objects.count()
    assert client.get("/api/enterprises/", {"page_size": 1}).json()["count"] == first
    created = client.post(
        "/api/enterprises/",
        {
            "tax_id": "0100109106",
            "name": "Công ty",
            "zone": world.zones["a"].pk,
            "ownership": "other",
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.json()
    assert client.get("/api/enterprises/", {"page_size": 1}).json()["count"] == first + 1


def test_every_service_serializer_reads_what_drfs_generic_reading_gives(world, program):
    """ServiceSerializer.to_representation (the readable fields and the plain columns worked
    out once per serializer) gives, for every row of every model the API serves through one,
    the same dict as DRF's own Serializer.to_representation."""
    from rest_framework import serializers

    from sinergi.api.serializers import ServiceSerializer
    from sinergi.api.viewsets import router

    compared, direct = 0, 0
    for _prefix, viewset, _basename in router.registry:
        serializer_class = viewset.serializer_class
        if not (serializer_class and issubclass(serializer_class, ServiceSerializer)):
            continue
        model = serializer_class.Meta.model
        serializer = serializer_class(many=True).child  # one serializer for every row
        for instance in model.objects.all()[:50]:
            fast = serializer.to_representation(instance)
            generic = serializers.Serializer.to_representation(serializer, instance)
            assert fast == generic, (model.__name__, instance.pk)
            compared += 1
        _model, readable = serializer.__dict__.get("_readable", (model, []))
        direct += sum(1 for *_field, column in readable if column)
    assert compared >= 10, compared
    assert direct >= 20, direct  # the plain columns took the direct path
