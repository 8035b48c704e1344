import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergi.accounts import services
from sinergi.accounts.models import User
from sinergi.accounts.permissions import units_visible_to
from sinergi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_department_belongs_to_the_body_at_the_top_of_its_tree(world):
    office = services.unit_create(
        actor=world.users["admin"],
        data={
            "code": "office",
            "name": "Office",
            "kind": "department",
            "parent": world.units["ezb_dept"],
        },
    )
    assert office.body == world.units["ezb"]
    assert world.units["ezb"].body == world.units["ezb"]


def test_moving_a_unit_moves_its_subtree_to_the_new_body(world):
    team = services.unit_create(
        actor=world.users["admin"],
        data={
            "code": "team",
            "name": "Team",
            "kind": "department",
            "parent": world.units["ezb_dept"],
        },
    )
    services.unit_update(
        actor=world.users["admin"],
        unit=world.units["ezb_dept"],
        data={"parent": world.units["bloc"]},
    )
    team.refresh_from_db()
    assert team.body == world.units["bloc"]


def test_a_unit_cannot_be_placed_under_its_own_department(world):
    with pytest.raises(ValidationError):
        services.unit_update(
            actor=world.users["admin"],
            unit=world.units["ezb"],
            data={"parent": world.units["ezb_dept"]},
        )


@pytest.mark.parametrize("persona", ["coordinator", "editor_a", "viewer"])
def test_only_administrators_manage_units_and_users(world, persona):
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=world.users[persona], data={"code": "x", "name": "X", "kind": "body"}
        )
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=world.users[persona],
            data={"username": "x", "role": "viewer", "unit": world.units["ezb"]},
        )


def test_a_user_other_than_an_administrator_needs_a_unit(world):
    with pytest.raises(ValidationError) as error:
        services.user_create(actor=world.users["admin"], data={"username": "x", "role": "editor"})
    assert "unit" in error.value.message_dict
    assert not User.objects.filter(username="x").exists()


def test_a_weak_password_is_refused(world):
    with pytest.raises(ValidationError):
        services.user_create(
            actor=world.users["admin"],
            data={"username": "x", "role": "viewer", "unit": world.units["ezb"]},
            password="123",
        )


def test_a_new_account_without_a_password_cannot_sign_in(world):
    user = services.user_create(
        actor=world.users["admin"],
        data={"username": "x", "role": "viewer", "unit": world.units["ezb"]},
    )
    assert not user.has_usable_password()


def test_changing_a_password_is_audited_without_the_password(world):
    user = world.users["viewer"]
    services.user_set_password(actor=user, user=user, password="another-long-secret-42")
    entry = AuditEntry.objects.for_object(user).filter(action="password").get()
    assert entry.before is None and entry.after is None
    assert all("password" not in (e.after or {}) for e in AuditEntry.objects.all())


def test_nobody_but_an_administrator_sets_someone_elses_password(world):
    with pytest.raises(PermissionDenied):
        services.user_set_password(
            actor=world.users["coordinator"],
            user=world.users["viewer"],
            password="another-long-secret-42",
        )


def test_an_administrator_cannot_deactivate_their_own_account(world):
    with pytest.raises(ValidationError):
        services.user_update(
            actor=world.users["admin"], user=world.users["admin"], data={"is_active": False}
        )


def test_the_language_choice_is_remembered_and_audited(world):
    user = world.users["viewer"]
    services.user_set_language(actor=user, language="vi")
    user.refresh_from_db()
    assert user.language == "vi"
    assert AuditEntry.objects.for_object(user).filter(action="preference").exists()
    with pytest.raises(ValidationError):
        services.user_set_language(actor=user, language="fr")


def test_units_visible_to_a_coordinator_are_their_bodys(world):
    visible = set(units_visible_to(world.users["coordinator"]))
    assert visible == {world.units["ezb"], world.units["ezb_dept"]}


def test_the_first_administrator_can_be_created_from_the_command_line(db):
    from django.core.management import call_command

    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "r@example.org")
    user = User.objects.get(username="root")
    assert user.is_admin and user.unit is None
