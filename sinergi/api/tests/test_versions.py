"""Lost updates through the API (issue 17, defect 5): a read answers with an ETag; an update
with If-Match naming an older version is refused with 412 and changes nothing. The schema
documents the 400 of every operation and the 412 and If-Match of every update (defect 7)."""

from __future__ import annotations

import pytest

from sinergi.api.tests.test_schemathesis import DOCUMENT
from sinergi.registry.models import Enterprise

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_an_update_from_an_old_version_is_refused_with_412(world, token_client):
    enterprise = world.enterprises["a"]
    url = f"/api/enterprises/{enterprise.pk}/"
    first, second = token_client("editor_a"), token_client("editor_a")
    read_first, read_second = first.get(url), second.get(url)
    tag = read_first["ETag"]
    assert tag.startswith('"') and tag == read_second["ETag"]

    changed = first.patch(url, {"address": "Số 1"}, content_type=JSON, headers={"If-Match": tag})
    assert changed.status_code == 200 and changed["ETag"] != tag
    refused = second.patch(url, {"address": "Số 2"}, content_type=JSON, headers={"If-Match": tag})
    assert refused.status_code == 412
    assert Enterprise.objects.get(pk=enterprise.pk).address == "Số 1"

    # Read again, re-apply: accepted.
    fresh = second.get(url)["ETag"]
    assert fresh == changed["ETag"]
    again = second.patch(url, {"address": "Số 2"}, content_type=JSON, headers={"If-Match": fresh})
    assert again.status_code == 200
    assert Enterprise.objects.get(pk=enterprise.pk).address == "Số 2"


def test_an_update_without_if_match_is_still_accepted(world, token_client):
    enterprise = world.enterprises["a"]
    response = token_client("editor_a").patch(
        f"/api/enterprises/{enterprise.pk}/", {"address": "Số 5"}, content_type=JSON
    )
    assert response.status_code == 200 and response["ETag"]


def test_the_schema_documents_400_everywhere_and_412_with_if_match_on_updates():
    operations = [
        (path, method, operation)
        for path, methods in DOCUMENT["paths"].items()
        for method, operation in methods.items()
    ]
    assert operations
    for path, method, operation in operations:
        assert "400" in operation["responses"], (method, path)
        if method == "patch":
            assert "412" in operation["responses"], path
            names = [p["name"] for p in operation.get("parameters", [])]
            assert "If-Match" in names, path
