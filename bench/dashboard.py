"""The overview (dashboard) at national scale, cold and cached, against design.md's target.

Runs in-process with Django's test client over the database in DATABASE_URL /
SINERGI_DATA_DIR (load it first with `sinergi demo --scale national` and refresh the
pre-aggregates with `sinergi insight_refresh`), signed in as demo.admin. For every page it
measures:

- **cold**: after one unmeasured view of another province (templates compiled, code imported),
  the cache is emptied, then each page is asked for once with choices no cache has
  seen (every province, sort, map shading, reporting date and year differ), so the time includes
  summing the scope's pre-aggregates, drawing the map and rendering;
- **cached**: the same addresses asked for again (the scope's figures and HTML are cached per
  registry version).

It prints p50 / p95 / max per kind beside the target (dashboard p95 < 50 ms; the API's dashboard
too) and the number of zones on the national map. A measurement, not a test: the exit status
is 0 whether the target is met or not.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sinergi_national \\
    SINERGI_DATA_DIR=/tmp/national .venv/bin/python bench/dashboard.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_MS = 50


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--provinces", type=int, default=20, help="provinces asked for cold")
    parser.add_argument("--repeat", type=int, default=3, help="cached passes")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from sinergi.accounts.models import User
    from sinergi.insight import aggregates
    from sinergi.registry.models import OrganisationType, Zone

    snapshot, stale = aggregates.current_snapshot()
    if stale:
        print("note: the pre-aggregates are older than the registry; run `sinergi insight_refresh`")
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="demo.admin"))
    types = list(OrganisationType.objects.values_list("code", flat=True))
    every_province = list(
        Zone.objects.filter(kind="province").order_by("pk").values_list("pk", flat=True)
    )
    # One province is only for warming up (templates compiled, code imported), never measured.
    warm, provinces = (
        every_province[-1],
        every_province[: min(args.provinces, len(every_province) - 1)],
    )
    dates = sorted(snapshot.data.get("completeness", {}))
    paths: list[tuple[str, str]] = [("page", "/insight/?zone=all")]
    for i, pk in enumerate(provinces):
        cover = types[i % len(types)]
        date = dates[i % len(dates)] if dates else ""
        sort = ("-enterprises", "name", f"-{cover}", "-party_members")[i % 4]
        paths.append(("page", f"/insight/?zone={pk}&cover={cover}&sort={sort}&date={date}"))
    for i, pk in enumerate(provinces[:5]):
        paths.append(("api", f"/api/insight/dashboard/?zone={pk}&cover={types[-1 - i % 2]}"))
    paths.append(("api", "/api/insight/map/?zone=all"))

    for path in (f"/insight/?zone={warm}", f"/api/insight/dashboard/?zone={warm}"):
        client.get(path)
    cache.clear()
    cold: dict[str, list[float]] = {"page": [], "api": []}
    cached: dict[str, list[float]] = {"page": [], "api": []}
    map_zones = 0
    for kind, path in paths:
        started = time.perf_counter()
        response = client.get(path)
        cold[kind].append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            print(f"FAILED {path}: {response.status_code}")
            return 1
        if path == "/insight/?zone=all":
            map_zones = response.content.count(b"data-zone=")
    for _ in range(args.repeat):
        for kind, path in paths:
            started = time.perf_counter()
            client.get(path)
            cached[kind].append((time.perf_counter() - started) * 1000)

    print(f"zones drawn on the all-zones map: {map_zones}")
    print(f"{'what':28} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target p95")
    for label, values in (
        ("dashboard, cold", cold["page"]),
        ("dashboard, cached", cached["page"]),
        ("API dashboard/map, cold", cold["api"]),
        ("API dashboard/map, cached", cached["api"]),
    ):
        p95 = _percentile(values, 0.95)
        verdict = "PASS" if p95 < TARGET_MS else "FAIL"
        print(
            f"{label:28} {len(values):>4} {statistics.median(values):8.1f} {p95:8.1f} "
            f"{max(values):8.1f}  < {TARGET_MS}: {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
