"""The browsable API names its pages in the reader's language; the JSON does not change."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.text import capfirst

from sinergi.api.viewsets import ProgressReportViewSet
from sinergi.core.testing import MODEL_BACKEND
from sinergi.imports.models import ImportBatch
from sinergi.registry.models import Enterprise

pytestmark = pytest.mark.django_db

HTML = "text/html"


def reading_in(world, language: str) -> Client:
    client = Client()
    client.force_login(world.users["admin"], backend=MODEL_BACKEND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def heading(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)


def breadcrumbs(html: str) -> list[str]:
    trail = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', html, re.S)
    return re.findall(r"<a [^>]*>([^<]*)</a>", trail.group(1)) if trail else []


def said(language: str, text) -> str:
    """`text` (a msgid or a lazy translation) in `language`, as a title starts."""
    with translation.override(language):
        return capfirst(translation.gettext(text) if isinstance(text, str) else str(text))


@pytest.mark.parametrize("language", ["vi", "id"])
def test_a_list_is_titled_by_the_models_plural_in_the_readers_language(world, language):
    html = reading_in(world, language).get("/api/enterprises/", HTTP_ACCEPT=HTML).content.decode()
    title = said(language, Enterprise._meta.verbose_name_plural)
    assert title != "Enterprises"  # the catalogue has it
    assert heading(html) == title
    assert f"<title>{title} · API" in html
    assert "Enterprise List" not in html


@pytest.mark.parametrize("language", ["vi", "id"])
def test_one_object_is_titled_by_the_models_name_and_its_list_in_the_breadcrumbs(world, language):
    enterprise = Enterprise.objects.first()
    html = (
        reading_in(world, language)
        .get(f"/api/enterprises/{enterprise.pk}/", HTTP_ACCEPT=HTML)
        .content.decode()
    )
    assert heading(html) == said(language, Enterprise._meta.verbose_name)
    assert breadcrumbs(html)[-2:] == [
        said(language, Enterprise._meta.verbose_name_plural),
        said(language, Enterprise._meta.verbose_name),
    ]
    assert "Enterprise Instance" not in html and "Enterprise List" not in html


@pytest.mark.parametrize("language", ["vi", "id"])
def test_the_root_and_the_other_views_speak_the_readers_language(world, language):
    client = reading_in(world, language)
    root = client.get("/api/", HTTP_ACCEPT=HTML).content.decode()
    assert "Api Root" not in root
    assert (
        said(language, "The OpenAPI schema is at /api/schema/ (YAML; ?format=json for JSON).")
        in root
    )
    assert "Sinergi&#x27;s API" not in root and "Sinergi's API" not in root
    batches = client.get("/api/import-batches/", HTTP_ACCEPT=HTML).content.decode()
    assert heading(batches) == said(language, ImportBatch._meta.verbose_name_plural)
    assert "Import Batch List" not in batches
    assert "The imported files" not in batches  # the docstring is for English readers
    gaps = client.get("/api/gaps/", HTTP_ACCEPT=HTML).content.decode()
    assert heading(gaps) == said(language, "Gap list")
    assert "Gap List" not in gaps
    counts = client.get("/api/counts/", HTTP_ACCEPT=HTML).content.decode()
    assert heading(counts) == said(language, "Counts on a date")
    missing = client.get("/api/nowhere/", HTTP_ACCEPT=HTML).content.decode()
    assert heading(missing) == said(language, "Not found")
    assert said(language, "Not found") not in breadcrumbs(missing)


def test_the_vietnamese_titles_are_the_catalogues(world):
    client = reading_in(world, "vi")
    assert heading(client.get("/api/enterprises/", HTTP_ACCEPT=HTML).content.decode()) == (
        "Doanh nghiệp"
    )
    root = client.get("/api/", HTTP_ACCEPT=HTML).content.decode()
    assert "Lược đồ OpenAPI có tại /api/schema/" in root
    counts = client.get("/api/counts/", HTTP_ACCEPT=HTML).content.decode()
    assert heading(counts) == "Số liệu tổng hợp tại một ngày"


def test_an_action_is_named_by_its_model_and_its_translated_name():
    submit = next(a for a in ProgressReportViewSet.get_extra_actions() if a.url_name == "submit")
    view = ProgressReportViewSet(**submit.kwargs, detail=True)
    with translation.override("vi"):
        assert view.get_view_name() == "Báo cáo tiến độ: Gửi cơ quan đối tác"
    with translation.override("en"):
        assert view.get_view_name() == "Progress report: Submit to the partner body"


@pytest.mark.parametrize("language", ["vi", "id"])
def test_the_json_keeps_its_keys_and_names_in_every_language(world, language):
    root = reading_in(world, language).get("/api/", HTTP_ACCEPT="application/json").json()
    assert {"enterprises", "zones", "import-batches", "gaps"} <= set(root)
    assert all(url.startswith("http://testserver/api/") for url in root.values())
