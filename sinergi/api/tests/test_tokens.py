"""Per-user API tokens: shown once, stored as a hash, revocable, their last use recorded."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sinergi.api import services
from sinergi.api.models import ApiToken, hash_key
from sinergi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_only_a_hash_of_the_key_is_stored(world):
    token, key = services.token_create(actor=world.users["editor_a"], name="sync")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hash_key(key) and key not in stored.key_hash
    assert key.startswith(stored.prefix) and len(key) > 40
    entry = AuditEntry.objects.filter(object_id=str(token.pk), content_type__model="apitoken")
    assert entry.exists() and stored.key_hash not in str(entry.get().after)


def test_a_token_acts_as_its_owner_and_records_its_last_use(world):
    token, key = services.token_create(actor=world.users["viewer"], name="reader")
    assert token.last_used_at is None
    response = Client().get("/api/programs/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    # The viewer's rights, not more: writing is refused.
    response = Client().post("/api/zones/", {"code": "x"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 403


@pytest.mark.parametrize(
    "header", ["Token nonsense", "Token", "Token a b", "Bearer sng_wrong", "Basic dXNlcjpwdw=="]
)
def test_bad_credentials_are_refused_with_401(world, header):
    response = Client().get("/api/zones/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_stops_working_at_once(world):
    token, key = services.token_create(actor=world.users["editor_a"], name="old")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/zones/").status_code == 200
    services.token_revoke(actor=world.users["editor_a"], token=token)
    assert client.get("/api/zones/").status_code == 401


def test_the_token_of_a_deactivated_user_stops_working(world):
    user = world.users["editor_a"]
    _token, key = services.token_create(actor=user, name="old")
    user.is_active = False
    user.save()
    assert Client().get("/api/zones/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_the_token_page_shows_a_new_key_once(world):
    client = world.client("editor_a")
    response = client.post(reverse("api:token_create"), {"name": "Đồng bộ công đoàn"})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    key = response.context["key"]
    assert key in response.content.decode()
    token = ApiToken.objects.get(user=world.users["editor_a"])
    assert token.key_hash == hash_key(key)
    listing = client.get(reverse("api:token_list")).content.decode()
    assert "Đồng bộ công đoàn" in listing and token.prefix in listing and key not in listing


def test_a_token_needs_a_name(world):
    response = world.client("editor_a").post(reverse("api:token_create"), {"name": "  "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_person_revokes_their_token_from_the_page(world):
    token, _key = services.token_create(actor=world.users["editor_a"], name="sync")
    response = world.client("editor_a").post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = AuditEntry.objects.filter(object_id=str(token.pk), action="update").get()
    assert entry.before["revoked_at"] is None
    assert entry.after["revoked_at"] is not None


def test_nobody_sees_or_revokes_someone_elses_token_from_the_page(world):
    token, _key = services.token_create(actor=world.users["editor_a"], name="mine")
    client = world.client("editor_b")
    assert token.name not in client.get(reverse("api:token_list")).content.decode()
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_only_the_owner_or_an_administrator_revokes_a_token(world):
    from django.core.exceptions import PermissionDenied

    token, _key = services.token_create(actor=world.users["editor_a"], name="mine")
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=world.users["coordinator"], token=token)
    services.token_revoke(actor=world.users["admin"], token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_an_operator_makes_a_token_from_the_command_line(world):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("api_token", "viewer", "--name", "load test", stdout=out)
    key = out.getvalue().strip()
    assert ApiToken.objects.get(key_hash=hash_key(key)).user == world.users["viewer"]
    assert Client().get("/api/zones/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
