"""Test helpers: the persona world every test module shares.

Two bodies (the Economic Zone Board, whose enterprise department keeps the registry of zone A,
and the Bloc party committee, whose department keeps zone B), one user per persona, and an
enterprise in each zone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.test import Client

from sinergi.accounts import services as account_services
from sinergi.accounts.models import Unit, User
from sinergi.core.services import SYSTEM
from sinergi.registry import services as registry_services
from sinergi.registry.models import Enterprise, OrganisationType, Zone

PASSWORD = "correct-horse-battery"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# A list's search and filter panel (core.tables.filters_panel).
FILTERS_PANEL = "core/_filters_panel.html"


def drawn(response) -> list[str]:
    """The templates the response rendered (the test client records them)."""
    return [template.name for template in response.templates]


def filters_panel_html(response) -> str:
    """A list page's search and filter panel, as it was sent."""
    page = response.content.decode()
    start = page.index('<details class="filters-panel"')
    return page[start : page.index("</details>", start)]


PERSONAS = ("anonymous", "admin", "coordinator", "editor_a", "editor_b", "viewer")


@dataclass
class World:
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    zones: dict[str, Zone] = field(default_factory=dict)
    enterprises: dict[str, Enterprise] = field(default_factory=dict)
    types: dict[str, OrganisationType] = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona], backend=MODEL_BACKEND)
        return client


def _unit(code, name, kind, parent=None) -> Unit:
    return account_services.unit_create(
        actor=SYSTEM, data={"code": code, "name": name, "kind": kind, "parent": parent}
    )


def _user(username, role, unit) -> User:
    return account_services.user_create(
        actor=SYSTEM,
        data={"username": username, "role": role, "unit": unit, "first_name": username.title()},
        password=PASSWORD,
    )


def build_world() -> World:
    world = World()
    ezb = _unit("ezb", "Economic Zone Board", "body")
    ezb_dept = _unit("ezb-dept", "Enterprise department", "department", ezb)
    bloc = _unit("bloc", "Bloc party committee", "body")
    bloc_dept = _unit("bloc-dept", "Organisation department", "department", bloc)
    committee = _unit("committee", "Provincial committee", "committee")
    world.units = {
        "ezb": ezb,
        "ezb_dept": ezb_dept,
        "bloc": bloc,
        "bloc_dept": bloc_dept,
        "committee": committee,
    }
    world.users = {
        "admin": _user("admin", "admin", None),
        "coordinator": _user("coordinator", "coordinator", ezb),
        "editor_a": _user("editor_a", "editor", ezb_dept),
        "editor_b": _user("editor_b", "editor", bloc_dept),
        "viewer": _user("viewer", "viewer", committee),
    }
    province = registry_services.zone_create(
        actor=SYSTEM, data={"code": "prov", "name": "Tỉnh Thử", "kind": "province"}
    )
    ez = registry_services.zone_create(
        actor=SYSTEM,
        data={"code": "ez", "name": "Khu kinh tế Thử", "kind": "economic_zone", "parent": province},
    )
    zone_a = registry_services.zone_create(
        actor=SYSTEM,
        data={
            "code": "kcn-a",
            "name": "Khu công nghiệp Đông Phố Mới",
            "kind": "industrial_park",
            "parent": ez,
            "short_name": "KCN Đông Phố Mới",
            "aliases": ["Đông Phố Mới"],
            "managing_unit": ezb_dept,
            "area_ha": "100",
        },
    )
    zone_b = registry_services.zone_create(
        actor=SYSTEM,
        data={
            "code": "kcn-b",
            "name": "Khu công nghiệp Bắc Duyên Hải",
            "kind": "industrial_park",
            "parent": ez,
            "managing_unit": bloc_dept,
            "area_ha": "85",
        },
    )
    world.zones = {"province": province, "ez": ez, "a": zone_a, "b": zone_b}
    world.types = {
        "party": registry_services.organisation_type_save(
            actor=SYSTEM,
            data={
                "code": "party",
                "names": {
                    "en": "Party organisation",
                    "id": "Organisasi partai",
                    "vi": "Tổ chức đảng",
                },
                "founding_rule": {"any": [{"field": "party_members", "min": 3}]},
                "rule_citation": "Party Statute art. 21",
                "member_field": "party_members",
                "sort_order": 1,
            },
        ),
        "union": registry_services.organisation_type_save(
            actor=SYSTEM,
            data={
                "code": "trade-union",
                "names": {"en": "Trade union", "id": "Serikat pekerja", "vi": "Công đoàn cơ sở"},
                "founding_rule": {
                    "any": [{"field": "union_members", "min": 5}, {"field": "workers", "min": 5}]
                },
                "rule_citation": "Trade Union Charter 2020 art. 13",
                "member_field": "union_members",
                "sort_order": 2,
            },
        ),
    }
    world.enterprises = {
        "a": registry_services.enterprise_create(
            actor=SYSTEM,
            data={
                "tax_id": "5300100003",
                "name": "Công ty TNHH Điện tử Phố Mới",
                "zone": zone_a,
                "ownership": "domestic_private",
                "sector": "Điện tử",
                "founded_on": datetime.date(2015, 3, 1),
            },
        ),
        "b": registry_services.enterprise_create(
            actor=SYSTEM,
            data={
                "tax_id": "5300100031",
                "name": "Công ty Cổ phần Hóa chất Duyên Hải",
                "zone": zone_b,
                "ownership": "foreign_invested",
                "sector": "Hóa chất",
            },
        ),
    }
    return world


# Expected answers in the URL permission table (`core/tests/test_url_permissions.py`) and the
# per-app tables it gathers from `sinergi/<app>/tests/permission_cases.py`.
ANON, OK, FORBIDDEN, MISSING, NOT_ALLOWED, REDIRECT = "login", 200, 403, 404, 405, 302

EVERYONE = {"admin": OK, "coordinator": OK, "editor_a": OK, "editor_b": OK, "viewer": OK}
ADMIN_ONLY = {
    "admin": OK,
    "coordinator": FORBIDDEN,
    "editor_a": FORBIDDEN,
    "editor_b": FORBIDDEN,
    "viewer": FORBIDDEN,
}
ACCOUNT_READERS = {
    "admin": OK,
    "coordinator": OK,
    "editor_a": FORBIDDEN,
    "editor_b": FORBIDDEN,
    "viewer": FORBIDDEN,
}
# The coordinator belongs to the other body: its users and units are out of scope.
ACCOUNT_READERS_OTHER_BODY = {**ACCOUNT_READERS, "coordinator": MISSING}
ZONE_A_EDITORS = {
    "admin": OK,
    "coordinator": OK,
    "editor_a": OK,
    "editor_b": FORBIDDEN,
    "viewer": FORBIDDEN,
}
ANY_ZONE_EDITOR = {
    "admin": OK,
    "coordinator": OK,
    "editor_a": OK,
    "editor_b": OK,
    "viewer": FORBIDDEN,
}


class JsonBody(dict):
    """A row's form sent as a JSON body (the API's POST actions), not as form fields."""


def signed_in(expected: dict) -> dict:
    """The expectation for every persona: signed-out visitors are sent to the login page."""
    return {"anonymous": ANON, **expected}
