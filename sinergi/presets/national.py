"""The national-scale demo: many provinces and zones, 100k enterprises, ~2M figures.

It exists to measure the pages against the targets in docs/design.md, so it is written for
speed: rows go in with prepared statements over many rows (core.bulk), and each batch writes one
audit entry instead of one per row. The shares follow the provincial demo (demo.py): most
enterprises are small and private, unions are common, party organisations rare.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.core import audit, bulk
from sinergi.core.models import AuditAction
from sinergi.core.text import search_key
from sinergi.presets.demo import (
    BRANDS,
    FOREIGN_BRANDS,
    FORMS,
    OWNERSHIP_WEIGHTS,
    SECTORS,
    ensure_demo_users,
    point_within,
)
from sinergi.presets.demo_calendar import demo_calendar
from sinergi.presets.loader import apply_preset
from sinergi.registry import bulk as registry_bulk
from sinergi.registry.choices import FIGURE_FIELDS
from sinergi.registry.models import Enterprise, Figure, Organisation, OrganisationType, Zone

# National demo tax ids start here, away from the provincial demo's and real ranges.
NATIONAL_TAX_ID_BASE = 6900000000
# Industrial parks and functional zones on the national map, for all the provinces below.
NATIONAL_PARKS = 645
# Each province with the approximate latitude and longitude of its capital, for the map.
PROVINCE_POINTS = [
    ("Hà Giang", 22.82, 104.98), ("Cao Bằng", 22.67, 106.26), ("Lạng Sơn", 21.85, 106.76),
    ("Quảng Ninh", 20.95, 107.08), ("Hải Phòng", 20.84, 106.69), ("Hải Dương", 20.94, 106.33),
    ("Hưng Yên", 20.65, 106.05), ("Thái Bình", 20.45, 106.34), ("Nam Định", 20.42, 106.17),
    ("Ninh Bình", 20.25, 105.97), ("Thanh Hóa", 19.81, 105.78), ("Nghệ An", 18.67, 105.69),
    ("Hà Tĩnh", 18.34, 105.91), ("Quảng Bình", 17.47, 106.62), ("Quảng Trị", 16.75, 107.19),
    ("Thừa Thiên Huế", 16.46, 107.59), ("Đà Nẵng", 16.05, 108.20), ("Quảng Nam", 15.57, 108.47),
    ("Quảng Ngãi", 15.12, 108.80), ("Bình Định", 13.78, 109.22), ("Phú Yên", 13.09, 109.30),
    ("Khánh Hòa", 12.24, 109.19), ("Ninh Thuận", 11.56, 108.99), ("Bình Thuận", 10.93, 108.10),
    ("Đồng Nai", 10.95, 106.82), ("Bình Dương", 10.98, 106.65),
    ("Bà Rịa - Vũng Tàu", 10.35, 107.08),
    ("Long An", 10.54, 106.41), ("Tiền Giang", 10.36, 106.36), ("Cần Thơ", 10.03, 105.77),
    ("Kiên Giang", 10.01, 105.08), ("Cà Mau", 9.18, 105.15), ("Bắc Ninh", 21.19, 106.07),
    ("Bắc Giang", 21.27, 106.19), ("Vĩnh Phúc", 21.31, 105.60), ("Thái Nguyên", 21.59, 105.85),
    ("Phú Thọ", 21.32, 105.40), ("Yên Bái", 21.72, 104.91), ("Sơn La", 21.33, 103.91),
    ("Điện Biên", 21.39, 103.02),
]  # fmt: skip
PROVINCES = [name for name, _lat, _lon in PROVINCE_POINTS]
PARK_WORDS = ["Phía Bắc", "Phía Nam", "Đông", "Tây", "Trung tâm", "Cảng", "Sông", "Cửa khẩu"]
SCALE = {
    "foreign_invested": 4.6,
    "state": 4.3,
    "domestic_private": 3.2,
    "cooperative": 2.4,
    "other": 2.6,
}
MESSAGE = "national demo data"


def quarter_ends(today: datetime.date, count: int) -> list[datetime.date]:
    """The last `count` quarter ends on or before `today`, oldest first."""
    ends = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    while len(ends) < count:
        month = quarter * 3
        day = datetime.date(year, month, 31 if month in (3, 12) else 30)
        if day <= today:
            ends.append(day)
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return ends[::-1]


def _near(rng: random.Random, point: tuple[float, float], spread: float) -> tuple[str, str]:
    """A plausible point within `spread` degrees of `point`, as the decimals the model keeps."""
    lat, lon = point
    return (
        f"{lat + rng.uniform(-spread, spread):.5f}",
        f"{lon + rng.uniform(-spread, spread):.5f}",
    )


def _zones(rng: random.Random, provinces: int) -> list[int]:
    """Provinces › one or two economic zones › parks and functional zones; the leaf ids. Each
    zone gets a plausible point near its province's capital (and parks an area), for the map."""
    first = Zone.objects.aggregate(top=Max("id"))["top"] or 0
    bulk.insert_many(
        Zone,
        ("code", "name", "short_name", "kind", "aliases", "status", "latitude", "longitude",
         "boundary"),
        (
            (f"nat-p{p:02d}", f"Tỉnh {name}", name, "province", [], "operating", f"{lat:.5f}",
             f"{lon:.5f}", [])
            for p, (name, lat, lon) in enumerate(PROVINCE_POINTS[:provinces], start=1)
        ),
    )  # fmt: skip
    ids = dict(Zone.objects.filter(pk__gt=first).values_list("code", "id"))
    points: dict[str, tuple[float, float]] = {
        f"nat-p{p:02d}": (lat, lon)
        for p, (_name, lat, lon) in enumerate(PROVINCE_POINTS[:provinces], start=1)
    }
    rows = []
    for p in range(1, provinces + 1):
        for e in range(1, rng.randint(1, 2) + 1):
            code = f"nat-p{p:02d}-ez{e}"
            lat, lon = _near(rng, points[f"nat-p{p:02d}"], 0.25)
            points[code] = (float(lat), float(lon))
            rows.append((code, f"Khu kinh tế {e} {PROVINCES[p - 1]}", p, lat, lon, None))
    _insert_children(rows, ids, "economic_zone", lambda r: f"nat-p{r[2]:02d}")
    ids = dict(Zone.objects.filter(pk__gt=first).values_list("code", "id"))
    rows = []
    economic_zones = [c for c in ids if "-ez" in c]
    # The country's parks and functional zones (NATIONAL_PARKS for 40 provinces), at least four
    # in each economic zone, the rest spread at random.
    total = max(4 * len(economic_zones), round(NATIONAL_PARKS * provinces / len(PROVINCE_POINTS)))
    per_zone = Counter(economic_zones * 4)
    per_zone.update(rng.choices(economic_zones, k=total - 4 * len(economic_zones)))
    for code in economic_zones:
        for k in range(1, per_zone[code] + 1):
            kind = "functional_zone" if rng.random() < 0.2 else "industrial_park"
            label = "Khu chức năng" if kind == "functional_zone" else "Khu công nghiệp"
            lat, lon = _near(rng, points[code], 0.2)
            area = f"{rng.choice((60, 85, 120, 180, 250, 400, 650, 1100)):.2f}"
            rows.append(
                (f"{code}-z{k:02d}", f"{label} {rng.choice(PARK_WORDS)} {k}", code, lat, lon, area,
                 kind)
            )  # fmt: skip
    for kind in ("industrial_park", "functional_zone"):
        _insert_children([r[:6] for r in rows if r[6] == kind], ids, kind, lambda r: r[2])
    return list(
        Zone.objects.filter(pk__gt=first, kind__in=("industrial_park", "functional_zone"))
        .order_by("id")
        .values_list("id", flat=True)
    )


def _insert_children(rows, ids, kind, parent_code) -> None:
    bulk.insert_many(
        Zone,
        ("code", "name", "short_name", "kind", "aliases", "status", "parent", "latitude",
         "longitude", "area_ha", "boundary"),
        ((r[0], r[1], "", kind, [], "operating", ids[parent_code(r)], r[3], r[4], r[5], [])
         for r in rows),
    )  # fmt: skip


def _name(rng: random.Random, ownership: str, sector: str, index: int) -> str:
    form = rng.choice(FORMS[ownership])
    if ownership == "foreign_invested":
        name = f"{form} {rng.choice(FOREIGN_BRANDS)} {sector} Việt Nam"
    elif ownership == "cooperative":
        name = f"{form} {sector} {rng.choice(BRANDS)}"
    else:
        name = f"{form} {rng.choice(BRANDS)} {sector}"
    # A few near-duplicates (the same name entered twice) for the data-quality page.
    return name if index % 997 == 0 else f"{name} {index}"


def build_national(count: int = 100_000, provinces: int = 40, seed: int = 2026) -> dict:
    """Load the national demo once (a second run adds nothing); returns counts and seconds."""
    started = time.monotonic()
    # The demo's calendar: a province demo loaded before keeps the dates it was loaded with,
    # and the program is otherwise dated relative to today like the province demo's.
    apply_preset("lao-cai", adjust_program=demo_calendar().shifted)
    ensure_demo_users()
    if Enterprise.objects.filter(tax_id=str(NATIONAL_TAX_ID_BASE + 1)).exists():
        return {"enterprises": 0, "figures": 0, "organisations": 0, "zones": 0, "seconds": 0}
    rng = random.Random(seed)
    editor = User.objects.get(username="demo.editor")
    types = {t.code: t for t in OrganisationType.objects.all()}
    dates = quarter_ends(timezone.localdate(), 20)
    now = timezone.now()
    counts = {}
    with transaction.atomic():
        leaves = _zones(rng, provinces)
        counts["zones"] = len(leaves)
        # Zones differ in size: a few large parks hold most enterprises.
        weights = [rng.paretovariate(1.2) for _ in leaves]
        plans = []
        owners, owner_weights = list(OWNERSHIP_WEIGHTS), list(OWNERSHIP_WEIGHTS.values())
        zone_picks = rng.choices(leaves, weights=weights, k=count)
        for index in range(1, count + 1):
            ownership = rng.choices(owners, weights=owner_weights)[0]
            sector = rng.choice(SECTORS)
            plans.append(
                (
                    index,
                    ownership,
                    sector,
                    _name(rng, ownership, sector, index),
                    None if index % 1499 == 0 else zone_picks[index - 1],
                    rng.choices(["operating", "suspended", "dissolved"], [92, 5, 3])[0],
                )
            )
        # New enterprises by field name, through the registry's bulk insert (the search key
        # and the fields a row does not give are the registry's): a field added to the registry
        # needs no change here. Their keys are taken first, in the order of the plans.
        ids = bulk.reserve_ids(Enterprise, len(plans))
        # Most enterprises have a location inside their zone's area (drawn apart from the rest,
        # so the other figures stay as they were before locations were recorded).
        places = random.Random(f"{seed}-places")
        points = {
            pk: (lat, lon, area)
            for pk, lat, lon, area in Zone.objects.filter(pk__in=leaves).values_list(
                "pk", "latitude", "longitude", "area_ha"
            )
        }
        registry_bulk.enterprises_insert(
            (
                {
                    "id": pk,
                    "tax_country": "VN",
                    "tax_id": str(NATIONAL_TAX_ID_BASE + index),
                    "name": name,
                    "name_key": search_key(name),
                    "zone": zone,
                    "ownership": ownership,
                    "sector": sector,
                    "founded_on": datetime.date(2000 + index % 20, 1 + index % 12, 1 + index % 28),
                    "status": status,
                    **(point_within(*points[zone], places) if zone else {}),
                }
                for pk, (index, ownership, sector, name, zone, status) in zip(
                    ids, plans, strict=True
                )
            ),
            now=now,
        )
        latest: dict[int, dict] = {}
        figure_count = [0]

        def figures():
            for enterprise_id, (_i, ownership, *_rest) in zip(ids, plans, strict=True):
                workers = max(3, int(rng.lognormvariate(SCALE[ownership], 0.8)))
                women_share = rng.uniform(0.2, 0.7)
                party = 0 if rng.random() < 0.6 else max(1, int(workers * rng.uniform(0.005, 0.06)))
                if ownership == "state":
                    party = max(party, rng.randint(3, 25))
                youth_share = rng.uniform(0.1, 0.45) if rng.random() < 0.5 else 0.0
                unionised = rng.random() < (0.8 if workers >= 50 else 0.35)
                # One enterprise in forty stopped reporting two years ago (stale figures).
                own_dates = dates[:-8] if rng.random() < 0.025 else dates
                values = {}
                for day in own_dates:
                    workers = max(1, int(workers * rng.uniform(0.96, 1.06)))
                    new_members = 1 if party and rng.random() < 0.15 else 0
                    party = min(workers, party + new_members)
                    values = {
                        "workers": workers,
                        "women_workers": int(workers * women_share),
                        "party_members": party,
                        "union_members": int(workers * 0.8) if unionised else 0,
                        "youth_members": int(workers * youth_share),
                        "new_party_members": new_members,
                    }
                    # Those admitted this period are probationary; the others official.
                    values["probationary_party_members"] = min(party, new_members)
                    values["official_party_members"] = party - min(party, new_members)
                    figure_count[0] += 1
                    yield (
                        enterprise_id,
                        day,
                        *[values.get(f) for f in FIGURE_FIELDS],
                        "Báo cáo của doanh nghiệp (demo quốc gia)",
                        editor.pk,
                        now,
                    )
                latest[enterprise_id] = values

        first_figure = Figure.objects.aggregate(top=Max("id"))["top"] or 0
        bulk.insert_many(
            Figure,
            ("enterprise", "as_of", *FIGURE_FIELDS, "source", "recorded_by", "recorded_at"),
            figures(),
            batch=20000,
        )
        counts["figures"] = figure_count[0]
        # Figures went in oldest first per enterprise: the newest is the highest id.
        quote = connection.ops.quote_name
        enterprise_table, figure_table = (
            quote(Enterprise._meta.db_table),
            quote(Figure._meta.db_table),
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {enterprise_table} SET latest_figure_id = newest.top FROM "
                f"(SELECT enterprise_id, MAX(id) AS top FROM {figure_table} WHERE id > %s "
                f"GROUP BY enterprise_id) AS newest WHERE {enterprise_table}.id = "
                "newest.enterprise_id",
                [first_figure],
            )
            # ... and its workers beside it (decision 0012).
            cursor.execute(
                f"UPDATE {enterprise_table} SET latest_workers = (SELECT f.workers FROM "
                f"{figure_table} f WHERE f.id = {enterprise_table}.latest_figure_id) "
                "WHERE latest_figure_id > %s",
                [first_figure],
            )
        organisations = []
        for enterprise_id, values in latest.items():
            if not values:
                continue
            founded = dates[rng.randrange(len(dates))]
            wanted = (
                ("party", values["party_members"] >= 3 and rng.random() < 0.3, "Chi bộ"),
                ("trade-union", values["union_members"] >= 5 and rng.random() < 0.7, "Công đoàn"),
                ("youth-union", values["youth_members"] >= 3 and rng.random() < 0.4, "Chi đoàn"),
            )
            for code, want, prefix in wanted:
                if want and code in types:
                    organisations.append(
                        (enterprise_id, types[code].pk, f"{prefix} {enterprise_id}", founded)
                    )
        bulk.insert_many(
            Organisation,
            ("enterprise", "type", "name", "level", "founded_on", "note"),
            ((e, t, n, "grassroots", f, "") for e, t, n, f in organisations),
        )
        counts["enterprises"] = len(ids)
        counts["organisations"] = len(organisations)
        # One audit entry for the whole batch, not one per row.
        sample = Enterprise.objects.get(pk=ids[0])
        audit.record(
            actor=editor,
            action=AuditAction.CREATE,
            obj=sample,
            after={k: v for k, v in counts.items()},
            message=MESSAGE,
        )
    # Fresh planner statistics for the tables that just grew by millions of rows, as after any
    # bulk load: until autovacuum gets to them, the database would plan for empty tables. On
    # PostgreSQL a VACUUM as well: it marks the pages all-visible, so deep pages of a list
    # (OFFSET 50,000) are read from the index alone instead of sorting the table on disk.
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for model in (Zone, Enterprise, Figure, Organisation):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"VACUUM (ANALYZE) {table}" if vacuum else f"ANALYZE {table}")
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts
