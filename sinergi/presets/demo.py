"""Demo data: one user per role and ~200 synthetic enterprises with organisations and figures.

The shares follow the real picture the program works against: most enterprises are small and
private, unions are common, party organisations are few (about 2% of non-state enterprises in
2019), and both grow over the program's years. Everything goes through the services.
"""

from __future__ import annotations

import datetime
import math
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sinergi.accounts import services as account_services
from sinergi.accounts.choices import DEMO_PASSWORD
from sinergi.accounts.models import Unit, User
from sinergi.core.services import SYSTEM
from sinergi.presets.demo_calendar import DemoCalendar, demo_calendar
from sinergi.presets.demo_program import build_demo_program
from sinergi.presets.demo_review import build_demo_review
from sinergi.presets.loader import apply_preset
from sinergi.registry import services as registry_services
from sinergi.registry.models import Enterprise, OrganisationType, Zone, area_radius_degrees

DEMO_USERS = [
    {
        "username": "demo.admin",
        "first_name": "Quản trị",
        "last_name": "(demo)",
        "role": "admin",
        "unit": None,
        "position": "System administrator",
    },
    {
        "username": "demo.coordinator",
        "first_name": "Nguyễn Thị",
        "last_name": "Hà",
        "role": "coordinator",
        "unit": "bloc-party-committee",
        "position": "Program secretary",
    },
    {
        "username": "demo.coordinator.ezb",
        "first_name": "Trần Văn",
        "last_name": "Minh",
        "role": "coordinator",
        "unit": "economic-zone-board",
        "position": "Program secretary",
    },
    {
        "username": "demo.editor",
        "first_name": "Lê Thu",
        "last_name": "Trang",
        "role": "editor",
        "unit": "ezb-enterprise-dept",
        "position": "Zone officer",
    },
    {
        "username": "demo.editor.bloc",
        "first_name": "Phạm Quốc",
        "last_name": "Bảo",
        "role": "editor",
        "unit": "bloc-organisation-dept",
        "position": "Organisation staff",
    },
    {
        "username": "demo.viewer",
        "first_name": "Hoàng Văn",
        "last_name": "Sơn",
        "role": "viewer",
        "unit": "provincial-party-committee",
        "position": "Leader",
    },
]

# The tax ids of demo enterprises start here, away from real and sample ranges.
DEMO_TAX_ID_BASE = 5300200000

ZONE_WEIGHTS = {
    "kcn-bac-duyen-hai": 30,
    "kcn-dong-pho-moi": 25,
    "ktmcn-kim-thanh": 20,
    "kcn-tang-loong": 25,
}
OWNERSHIP_WEIGHTS = {
    "domestic_private": 62,
    "foreign_invested": 20,
    "state": 6,
    "cooperative": 7,
    "other": 5,
}
SECTORS = [
    "Chế biến nông sản",
    "Khai khoáng",
    "Hóa chất",
    "Phân bón",
    "Luyện kim",
    "Vật liệu xây dựng",
    "May mặc",
    "Điện tử",
    "Cơ khí",
    "Logistics",
    "Thương mại - xuất nhập khẩu",
    "Chế biến gỗ",
]
BRANDS = [
    "An Phát",
    "Minh Đức",
    "Lào Cai Xanh",
    "Bảo Thắng",
    "Đại Việt",
    "Hoàng Liên",
    "Sa Pa",
    "Kim Thành",
    "Phố Mới",
    "Hồng Hà",
    "Tây Bắc",
    "Phú Cường",
    "Nam Cường",
    "Thiên Long",
    "Việt Hưng",
    "Cốc Lếu",
    "Duyên Hải",
    "Văn Bàn",
    "Bát Xát",
    "Mường Khương",
]
FOREIGN_BRANDS = [
    "Vân Nam Hưng Thịnh",
    "Hoa Trung",
    "Samyang",
    "Daewon",
    "Tân Hải Hà Khẩu",
    "Kunming Tech",
    "Shinwon",
    "Yuxi",
]
FORMS = {
    "domestic_private": [
        "Công ty TNHH",
        "Công ty TNHH MTV",
        "Công ty Cổ phần",
        "Doanh nghiệp tư nhân",
    ],
    "foreign_invested": ["Công ty TNHH"],
    "state": ["Công ty TNHH MTV", "Công ty Cổ phần"],
    "cooperative": ["Hợp tác xã"],
    "other": ["Chi nhánh Công ty", "Văn phòng đại diện Công ty"],
}


# Closed (dissolved or suspended) enterprises whose organisations the demo leaves active: the
# data-quality rule about them has something to show.
CLOSED_WITH_ORGANISATIONS = 3
# Enterprises (by their number in the demo) that reported only on the first reporting date and
# never since: the rule on figures older than 18 months finds them.
STOPPED_REPORTING = (17, 88, 151)


# The first reporting date of the demo's figures: the end of the year before the program.
FIRST_REPORTING_DATE = datetime.date(2022, 12, 31)


def reporting_dates(calendar: DemoCalendar) -> list[datetime.date]:
    """Half-yearly reporting dates from just before the program (on the demo's calendar) to
    the latest closed half-year."""
    dates, day = [], calendar.date(FIRST_REPORTING_DATE)
    while day <= calendar.today:
        dates.append(day)
        day = (
            datetime.date(day.year + 1, 6, 30) if day.month == 12 else day.replace(month=12, day=31)
        )
    return dates


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _name(rng: random.Random, ownership: str, sector: str, used: set[str]) -> str:
    """A name not in `used` (and added to it). A province of a few hundred enterprises gets
    plain names, a repeated one a digit 2-9; once the combinations of a kind run out (a
    foreign-invested enterprise has one legal form and few brands), the next free number."""
    form = rng.choice(FORMS[ownership])
    if ownership == "foreign_invested":
        name = f"{form} {rng.choice(FOREIGN_BRANDS)} {sector} Việt Nam"
    elif ownership == "cooperative":
        name = f"{form} {sector} {rng.choice(BRANDS)}"
    else:
        name = f"{form} {rng.choice(BRANDS)} {sector}"
    candidate = name
    if candidate in used:
        candidate = f"{name} {rng.randint(2, 9)}"
    number = 2
    while candidate in used:  # ends: each pass tries a number not tried before
        candidate = f"{name} {number}"
        number += 1
    used.add(candidate)
    return candidate


def ensure_demo_users() -> list[User]:
    users = []
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            data = {
                **spec,
                "unit": Unit.objects.get(code=spec["unit"]) if spec["unit"] else None,
                "is_demo": True,
                "email": f"{spec['username']}@example.invalid",
            }
            user = account_services.user_create(actor=SYSTEM, data=data, password=DEMO_PASSWORD)
        users.append(user)
    return users


def build_demo(
    count: int = 200, seed: int = 2024, today: datetime.date | None = None
) -> dict[str, int]:
    """Create the demo once; a second run finds the demo enterprises and adds nothing. Its
    story is dated relative to `today` (default: SINERGI_DEMO_TODAY or the local date; see
    demo_calendar.py)."""
    calendar = demo_calendar(today)
    apply_preset("lao-cai", adjust_program=calendar.shifted)
    ensure_demo_users()
    if Enterprise.objects.filter(tax_id=str(DEMO_TAX_ID_BASE + 1)).exists():
        # The program's first year is added once too, also to a demo loaded before it existed.
        return {
            "enterprises": 0,
            "figures": 0,
            "organisations": 0,
            **build_demo_program(calendar=calendar),
            **build_demo_review(calendar=calendar),
        }
    rng = random.Random(seed)
    editor = User.objects.get(username="demo.editor")
    zones = {z.code: z for z in Zone.objects.filter(code__in=ZONE_WEIGHTS)}
    types = {t.code: t for t in OrganisationType.objects.all()}
    dates = reporting_dates(calendar)
    used: set[str] = set()
    counts = {"enterprises": 0, "figures": 0, "organisations": 0}
    kept = 0
    with transaction.atomic():
        for index in range(1, count + 1):
            ownership = _pick(rng, OWNERSHIP_WEIGHTS)
            sector = rng.choice(SECTORS)
            founded = calendar.date(
                datetime.date(rng.randint(2003, 2023), rng.randint(1, 12), rng.randint(1, 28))
            )
            status = rng.choices(["operating", "suspended", "dissolved"], [92, 5, 3])[0]
            # Registered as operating; a later status is recorded with its date below.
            data = {
                "tax_country": "VN",
                "tax_id": str(DEMO_TAX_ID_BASE + index),
                "name": _name(rng, ownership, sector, used),
                "zone": zones[_pick(rng, ZONE_WEIGHTS)],
                "ownership": ownership,
                "sector": sector,
                "founded_on": founded,
                "status": "operating",
                "address": f"Lô {rng.choice('ABCDEFGH')}{rng.randint(1, 40)}",
                "phone": f"0214 3{rng.randint(100000, 999999)}",
            }
            data |= _location(data["zone"], data["tax_id"])
            enterprise = registry_services.enterprise_create(
                actor=editor, data=data, message="demo data"
            )
            counts["enterprises"] += 1
            counts["figures"] += _demo_history(
                rng, editor, enterprise, ownership, founded, dates, calendar
            )
            # The status drawn above is recorded later (_demo_follow_up); the organisations of
            # an enterprise that closed were dissolved with it, save a few left active.
            keep = status != "operating" and kept < CLOSED_WITH_ORGANISATIONS
            made, left_active = _demo_organisations(
                rng, editor, enterprise, types, dates, calendar, status, keep_active=keep
            )
            counts["organisations"] += made
            kept += left_active
            _demo_follow_up(editor, enterprise, status, dates, calendar)
    counts.update(build_demo_program(calendar=calendar))
    counts.update(build_demo_review(calendar=calendar))
    return counts


LOCATED_SHARE = 0.85  # of the demo's enterprises, the share with a recorded location


def _location(zone: Zone, tax_id: str) -> dict[str, Decimal]:
    """A point inside the zone's area for most demo enterprises (the map draws them as dots); the
    rest have none, as in a registry still being filled. Drawn from the enterprise's own seed
    so the rest of the demo stays as it was."""
    return point_within(
        zone.latitude, zone.longitude, zone.area_ha, random.Random(f"location-{tax_id}")
    )


def point_within(
    latitude: Decimal | None,
    longitude: Decimal | None,
    area_ha: Decimal | None,
    prng: random.Random,
) -> dict[str, Decimal]:
    """`{"latitude", "longitude"}` of a point within 80 % of the radius of a zone's area (50 ha
    when it has none), for LOCATED_SHARE of the draws; `{}` for the others and for a zone
    without a point."""
    if latitude is None or longitude is None or prng.random() >= LOCATED_SHARE:
        return {}
    radius = area_radius_degrees(area_ha or 50) * 0.8
    angle, distance = prng.uniform(0, 2 * math.pi), radius * math.sqrt(prng.random())
    lat = float(latitude) + distance * math.sin(angle)
    lon = float(longitude) + distance * math.cos(angle) / math.cos(math.radians(lat))
    return {"latitude": Decimal(f"{lat:.5f}"), "longitude": Decimal(f"{lon:.5f}")}


# Split figures and the development pipeline are reported from 2023 on (the program's lists);
# older figures carry only the total of party members, as the offices' older lists did.
SPLIT_FROM = datetime.date(2023, 1, 1)


def _pipeline_plan(enterprise) -> dict[str, int | bool | None]:
    """The enterprise's party-development pipeline: most have none; a few have outstanding
    masses, some of whom attended the awareness class and became candidates. Drawn from the
    enterprise's own seed so the rest of the demo stays as it was."""
    prng = random.Random(f"pipeline-{enterprise.tax_id}")
    roll = prng.random()
    if roll < 0.7:
        masses = 0
    elif roll < 0.93:
        masses = prng.randint(1, 4)
    else:
        masses = prng.randint(4, 9)
    attended = prng.randint(0, masses)
    candidates = prng.randint(0, attended)
    owner = {
        "state": prng.random() < 0.8,
        "domestic_private": prng.random() < 0.12,
        "foreign_invested": False,
    }.get(enterprise.ownership)
    return {
        "outstanding_masses": masses,
        "awareness_class_attended": attended,
        "admission_candidates": candidates,
        "owner_party_member": owner,
    }


def _demo_follow_up(editor, enterprise, status, dates, calendar: DemoCalendar) -> None:
    """A dated status for enterprises no longer operating; officers of the party cells and
    union chairs; a next step agreed with enterprises close to founding a cell."""
    prng = random.Random(f"follow-up-{enterprise.tax_id}")
    if status != "operating" and dates:
        since = prng.choice(dates[-3:])
        registry_services.enterprise_status_change(
            actor=editor,
            enterprise=enterprise,
            data={"status": status, "since": since, "note": "Theo báo cáo của Ban Quản lý KKT"},
        )
    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ"]
    given = ["Văn Hùng", "Thị Hoa", "Minh Tuấn", "Thị Lan", "Quang Huy", "Thu Trang"]
    roles = {"party": "secretary", "trade-union": "chair"}
    for organisation in enterprise.organisations.select_related("type"):
        role = roles.get(organisation.type.code)
        if role is None:
            continue
        registry_services.officer_create(
            actor=editor,
            organisation=organisation,
            data={
                "role": role,
                "name": f"{prng.choice(surnames)} {prng.choice(given)}",
                "phone": f"09{prng.randint(10000000, 99999999)}",
                "since": organisation.founded_on,
            },
        )
    figure = enterprise.latest_figure
    has_party = enterprise.organisations.filter(type__code="party").exists()
    if figure is not None and not has_party and (figure.party_members or 0) >= 2:
        official = figure.official_party_members or 0
        step = (
            "Làm việc với chủ doanh nghiệp về thành lập chi bộ"
            if official >= 3
            else "Theo dõi đảng viên dự bị, vận động chủ doanh nghiệp tạo điều kiện sinh hoạt"
        )
        registry_services.enterprise_update(
            actor=editor,
            enterprise=enterprise,
            data={
                "next_step": step,
                "next_step_on": calendar.today + datetime.timedelta(days=prng.randint(7, 60)),
            },
        )


def _demo_history(
    rng, editor, enterprise, ownership, founded, dates, calendar: DemoCalendar
) -> int:
    """Figures on each reporting date since founding, drifting like a real workforce does;
    members admitted within the last twelve months are probationary, the others official."""
    plan = _pipeline_plan(enterprise)
    admitted: list[datetime.date] = []
    # Log-normal workforces: ~50 workers on average, a few large foreign-invested plants.
    scale = {
        "foreign_invested": 4.6,
        "state": 4.3,
        "domestic_private": 3.2,
        "cooperative": 2.4,
        "other": 2.6,
    }[ownership]
    workers = max(3, int(rng.lognormvariate(scale, 0.8)))
    women_share = rng.uniform(0.2, 0.7)
    party = 0 if rng.random() < 0.65 else max(1, int(workers * rng.uniform(0.005, 0.05)))
    if ownership == "state":
        party = max(party, rng.randint(3, 25))
    youth_share = rng.uniform(0.1, 0.45) if rng.random() < 0.5 else 0.0
    unionised = rng.random() < (0.8 if workers >= 50 else 0.35)
    written = 0
    # Reporting habits (their own random stream, so the figures stay those of the seed): most
    # enterprises report about 20 days after a reporting date, some a month and a half late, and
    # a few have not reported the newest date yet (the dashboard's reporting completeness).
    habits = random.Random(f"reporting-{enterprise.tax_id}")
    for day in dates:
        if day < founded:
            continue
        workers = max(1, int(workers * rng.uniform(0.94, 1.10)))
        new_members = 1 if party and rng.random() < 0.25 else 0
        party = min(workers, party + new_members)
        union = int(workers * rng.uniform(0.55, 0.95)) if unionised else 0
        admitted += [day] * new_members
        values = {
            "workers": workers,
            "women_workers": int(workers * women_share),
            "party_members": party,
            "union_members": union,
            "youth_members": int(workers * youth_share),
            "new_party_members": new_members,
        }
        if day >= calendar.date(SPLIT_FROM):
            year_ago = day - datetime.timedelta(days=365)
            probationary = min(party, sum(1 for d in admitted if d > year_ago))
            values |= {
                "official_party_members": party - probationary,
                "probationary_party_members": probationary,
                **plan,
            }

        habit = habits.random()
        if day == dates[-1] and habit < 0.06:
            continue
        if day > dates[0] and int(enterprise.tax_id) - DEMO_TAX_ID_BASE in STOPPED_REPORTING:
            continue
        delay = 48 if habit > 0.9 else 20
        registry_services.figure_record(
            actor=editor,
            enterprise=enterprise,
            as_of=day,
            values=values,
            source="Báo cáo của doanh nghiệp (demo)",
            recorded_at=min(
                timezone.now(),
                calendar.moment(min(calendar.today, day + datetime.timedelta(days=delay))),
            ),
        )
        written += 1
    return written


def _demo_organisations(
    rng,
    editor,
    enterprise,
    types,
    dates,
    calendar: DemoCalendar,
    status: str = "operating",
    keep_active: bool = False,
) -> tuple[int, bool]:
    """Organisations where the figures allow them — some founded during the program. In an
    enterprise that no longer operates they were dissolved too, except where `keep_active`
    leaves them for the data-quality page to find, as offices do forget. Returns how many were
    made and whether one was left active in a closed enterprise."""
    figure = enterprise.latest_figure
    if figure is None:
        return 0, False
    closed = status != "operating"
    # Dissolution dates from their own generator, so the rest of the demo stays as it was.
    dissolving = random.Random(enterprise.pk)
    made = 0
    plans = [
        ("party", figure.party_members >= 3 and rng.random() < 0.35, "Chi bộ", "grassroots_cell"),
        ("trade-union", figure.union_members >= 5, "Công đoàn cơ sở", "grassroots"),
        ("youth-union", figure.youth_members >= 3 and rng.random() < 0.6, "Chi đoàn", "grassroots"),
        (
            "women-union",
            figure.women_workers >= 20 and rng.random() < 0.15,
            "Chi hội Phụ nữ",
            "grassroots",
        ),
    ]
    earliest = max(enterprise.founded_on or dates[0], calendar.date(datetime.date(2010, 1, 1)))
    today = calendar.today
    for code, wanted, prefix, level in plans:
        if not wanted or code not in types:
            continue
        span = (today - earliest).days
        founded = earliest + datetime.timedelta(days=rng.randint(30, max(31, span - 30)))
        founded = min(founded, today)
        dissolved = None
        if closed and not keep_active:
            days = (today - founded).days
            dissolved = founded + datetime.timedelta(days=dissolving.randint(0, max(0, days)))
        registry_services.organisation_create(
            actor=editor,
            enterprise=enterprise,
            data={
                "type": types[code],
                "name": f"{prefix} {enterprise.name}",
                "level": level,
                "founded_on": founded,
                "dissolved_on": dissolved,
            },
        )
        made += 1
    return made, closed and keep_active and made > 0
