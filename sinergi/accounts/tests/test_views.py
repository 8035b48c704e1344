import pytest
from django.test import Client
from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.core.models import AuditEntry
from sinergi.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def test_signing_in_with_the_right_password_opens_the_overview(world):
    client = Client()
    response = client.post(LOGIN, {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


def test_a_wrong_password_is_refused_with_a_message(world):
    response = Client().post(LOGIN, {"username": "viewer", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(world, settings):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "viewer", "password": "wrong"})
    response = client.post(LOGIN, {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_signing_in_sets_the_saved_language(world):
    user = world.users["viewer"]
    user.language = "vi"
    user.save()
    client = Client()
    client.post(LOGIN, {"username": "viewer", "password": PASSWORD})
    assert client.get(reverse("core:home")).content.decode().count('<html lang="vi">') == 1


def test_signing_out_needs_a_post(world):
    client = world.client("viewer")
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_a_password_change_keeps_the_user_signed_in(world):
    client = world.client("viewer")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-secret-7",
            "new_password2": "a-new-long-secret-7",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    assert User.objects.get(username="viewer").check_password("a-new-long-secret-7")


def test_an_administrator_creates_a_user_through_the_page(world):
    response = world.client("admin").post(
        reverse("accounts:user_create"),
        {
            "username": "newbie",
            "unit": world.units["ezb_dept"].pk,
            "role": "editor",
            "password": "sufficiently-long-9",
            "is_active": "on",
        },
    )
    user = User.objects.get(username="newbie")
    assert response.status_code == 302
    assert user.check_password("sufficiently-long-9")
    assert AuditEntry.objects.for_object(user).filter(action="create").exists()


def test_the_user_form_shows_the_missing_unit_at_its_field(world):
    response = world.client("admin").post(
        reverse("accounts:user_create"), {"username": "x", "role": "editor", "is_active": "on"}
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not User.objects.filter(username="x").exists()


def test_an_administrator_moves_a_unit_through_the_page(world):
    unit = world.units["ezb_dept"]
    response = world.client("admin").post(
        reverse("accounts:unit_update", args=[unit.pk]),
        {
            "code": unit.code,
            "name": "Renamed",
            "kind": "department",
            "parent": world.units["bloc"].pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Renamed" and unit.body == world.units["bloc"]


def test_the_sign_in_page_of_a_demo_deployment_names_the_demo_accounts(client, db):
    from sinergi.presets.demo import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users
    from sinergi.presets.loader import apply_preset

    plain = client.get(reverse("accounts:login")).content.decode()
    assert "data-demo-account" not in plain and DEMO_PASSWORD not in plain

    apply_preset("lao-cai")
    ensure_demo_users()
    page = client.get(reverse("accounts:login")).content.decode()
    for spec in DEMO_USERS:
        assert f'data-demo-account="{spec["username"]}"' in page
    assert DEMO_PASSWORD in page
