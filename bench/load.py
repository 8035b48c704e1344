"""Page latency under concurrent users, against the targets in docs/design.md.

Starts the app (waitress, as `sinergi start` serves it) over a database loaded with the national
demo, or targets a running server with --url; signs N users in; each walks the pages in turn for
D seconds; prints p50 / p95 / max and failures per page beside the target, plus the floor of the
same run (/healthz: a request that only asks the database `SELECT 1`).

Each user is its own process, so the users never queue on one interpreter lock and the times are
the server's. `--think S` makes each user pause S seconds (±50 %) between pages, as people reading
them do; without it every user asks for the next page the moment the last one arrives (a stress
test: ten requests always in flight on the server).

    SINERGI_DATA_DIR=/tmp/national \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sinergi_national \\
        .venv/bin/python bench/load.py --users 10 --seconds 20

Add pages with --path NAME=PATH=KIND (KIND: dashboard, list, detail; PATH may use {enterprise}
and {zone}), or by extending PAGES below.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sinergi.core.serving import SERVER_THREADS  # noqa: E402  (the path above first)

# docs/design.md: dashboard p95 < 50 ms, lists < 100 ms, details < 30 ms.
TARGETS_MS = {"dashboard": 50, "list": 100, "detail": 30, "floor": None}

PAGES: list[tuple[str, str, str]] = [
    ("floor: /healthz", "/healthz", "floor"),
    ("dashboard (all zones)", "/", "dashboard"),
    ("dashboard (one province)", "/insight/?zone={province}", "dashboard"),
    ("enterprise list", "/registry/enterprises/", "list"),
    ("enterprise list, has party org", "/registry/enterprises/?status=operating&has=party", "list"),
    ("gap list (party)", "/insight/gaps/?type=party", "list"),
    ("gap list (all types)", "/insight/gaps/", "list"),
    ("data quality", "/insight/quality/", "list"),
    ("zone list", "/registry/zones/", "list"),
    ("enterprise detail", "/registry/enterprises/{enterprise}/", "detail"),
    # The REST API, read with the same signed-in session (DRF's session authentication).
    ("API: enterprises", "/api/enterprises/", "list"),
    ("API: enterprise search", "/api/enterprises/?q=cong&page_size=50", "list"),
    ("API: enterprise", "/api/enterprises/{enterprise}/", "detail"),
    ("API: figures of one enterprise", "/api/figures/?enterprise={enterprise}", "list"),
    ("API: tasks", "/api/tasks/", "list"),
    ("API: audit entries", "/api/audit-entries/", "list"),
]


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
    import django

    django.setup()


def placeholders() -> dict[str, str]:
    """Ids for the paths: a large operating enterprise and the largest province."""
    _django()
    from django.db.models import Count

    from sinergi.registry.models import Enterprise, Zone

    enterprise = (
        Enterprise.objects.filter(status="operating", latest_figure__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)[1000:1001]
    )
    province = (
        Zone.objects.filter(kind="province")
        .annotate(n=Count("children"))
        .order_by("-n", "id")
        .values_list("id", flat=True)[:1]
    )
    return {
        "enterprise": str(next(iter(enterprise), 1)),
        "province": str(next(iter(province), "all")),
        "zone": str(next(iter(province), "")),
    }


def dataset() -> str:
    _django()
    from django.db import connection

    from sinergi.registry.models import Enterprise, Figure

    return (
        f"{connection.vendor} {connection.settings_dict['NAME']}: "
        f"{Enterprise.objects.count():,} enterprises, {Figure.objects.count():,} figures"
    )


def prepare() -> str:
    """Static files for the server (the manifest storage needs them) and fresh pre-aggregates,
    so the run measures pages, not the first refresh."""
    _django()
    from django.core.management import call_command

    from sinergi.insight.aggregates import refresh, registry_version
    from sinergi.insight.models import Snapshot

    call_command("collectstatic", interactive=False, verbosity=0)
    latest = Snapshot.objects.order_by("-id").first()
    if latest is not None and latest.version == registry_version():
        return f"pre-aggregates current (computed in {latest.seconds} s)"
    snapshot = refresh()
    return f"pre-aggregates refreshed now in {snapshot.seconds} s"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, threads: int, checkout: Path | None = None) -> subprocess.Popen:
    """A waitress server of this checkout's code, or of another checkout's (its folder first on
    the path: bench/paired.py serves two versions side by side)."""
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'sinergi.settings');"
        "from waitress import serve; from sinergi.wsgi import application;"
        # Ten users keep a request or two queued now and then: waitress warns of each.
        "import logging; logging.getLogger('waitress.queue').setLevel(logging.ERROR);"
        f"serve(application, host='127.0.0.1', port={port}, threads={threads}, ident='Sinergi')"
    )
    env = None if checkout is None else dict(os.environ, PYTHONPATH=str(checkout))
    process = subprocess.Popen([sys.executable, "-c", code], cwd=checkout or ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=30)
            return process
        except requests.RequestException:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("The server did not start within 60 s.")


def sign_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise SystemExit(f"Sign-in as {username} failed ({response.status_code}).")
    return session


def _user(base, pages, seconds, username, password, warmup, think, seed, start_at, results):
    """One user, in its own process (so users never wait on each other's interpreter lock and
    the times are the server's): sign in, warm up, walk the pages until the deadline."""
    session = sign_in(base, username, password)
    for _name, path, _kind in pages:
        for _ in range(warmup):
            session.get(base + path, timeout=120)
    timings: dict[str, list[float]] = {name: [] for name, _p, _k in pages}
    failures: dict[str, int] = {name: 0 for name, _p, _k in pages}
    order = list(pages)
    rng = random.Random(seed)
    rng.shuffle(order)
    time.sleep(max(0.0, start_at - time.time()))  # every user starts at the same moment
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        name, path, _kind = order[i % len(order)]
        i += 1
        started = time.perf_counter()
        try:
            response = session.get(base + path, timeout=60)
            ok = response.status_code == 200
        except requests.RequestException:
            ok = False
        timings[name].append((time.perf_counter() - started) * 1000)
        if not ok:
            failures[name] += 1
        if think:
            time.sleep(think * rng.uniform(0.5, 1.5))
    results.put((timings, failures))


def run(bases, pages, users, seconds, username, password, warmup, think=0.0):
    # User n talks to server n mod len(bases), as a proxy in front of several would spread them.
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    results = context.Queue()
    # Signing in and warming up (first use fills caches, as a real server's first visitor does)
    # happen before the common start; allow them a few seconds.
    start_at = time.time() + 5 + 0.5 * users
    processes = [
        context.Process(
            target=_user,
            args=(
                bases[n % len(bases)],
                pages,
                seconds,
                username,
                password,
                warmup if n < len(bases) else 0,
                think,
                n,
                start_at,
                results,
            ),
        )
        for n in range(users)
    ]
    for process in processes:
        process.start()
    timings: dict[str, list[float]] = {name: [] for name, _p, _k in pages}
    failures: dict[str, int] = {name: 0 for name, _p, _k in pages}
    for _ in processes:
        user_timings, user_failures = results.get(timeout=seconds + 600)
        for name in timings:
            timings[name] += user_timings[name]
            failures[name] += user_failures[name]
    for process in processes:
        process.join()
    return timings, failures


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="A running server (default: start one on a free port).")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--threads",
        type=int,
        default=SERVER_THREADS,
        help="Server threads (own server; default: as `sinergi start`).",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="Own servers to start (each waitress, --threads); users are spread over them.",
    )
    parser.add_argument("--username", default="demo.admin")
    parser.add_argument("--password", default="sinergi-demo")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="Seconds each user pauses between pages (±50%%); 0: back to back (worst case).",
    )
    parser.add_argument("--warmup", type=int, default=2, help="Unmeasured requests per page.")
    parser.add_argument(
        "--path",
        action="append",
        default=[],
        metavar="NAME=PATH=KIND",
        help="An extra page (KIND: dashboard, list or detail); repeatable.",
    )
    parser.add_argument("--only", action="store_true", help="Measure only the --path pages.")
    args = parser.parse_args()

    pages = [] if args.only else list(PAGES)
    for spec in args.path:
        # NAME=PATH=KIND: the name ends at the first "=", the kind starts after the last one.
        name, _sep, rest = spec.partition("=")
        path, _sep, kind = rest.rpartition("=")
        if kind not in TARGETS_MS or not path:
            raise SystemExit(
                f"--path {spec!r}: expected NAME=PATH=KIND, KIND one of {list(TARGETS_MS)}"
            )
        pages.append((name, path, kind))
    values = placeholders()
    pages = [(name, path.format(**values), kind) for name, path, kind in pages]

    print(f"Dataset: {dataset()}")
    print(f"Insight: {prepare()}")
    servers: list[subprocess.Popen] = []
    bases = [args.url.rstrip("/")] if args.url else []
    try:
        for _ in range(0 if bases else args.processes):
            port = free_port()
            servers.append(start_server(port, args.threads))
            bases.append(f"http://127.0.0.1:{port}")
        print(
            f"Server: {', '.join(bases)} "
            f"({f'{len(servers)} started here, waitress' if servers else 'given'}); "
            f"{args.users} users for {args.seconds:g} s, think time {args.think:g} s; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        timings, failures = run(
            bases,
            pages,
            args.users,
            args.seconds,
            args.username,
            args.password,
            args.warmup,
            args.think,
        )
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)

    header = (
        f"{'page':<34} {'target p95':>10} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'max ms':>8} {'fail':>5}  verdict"
    )
    print(header)
    print("-" * len(header))
    for name, _path, kind in pages:
        values_ms = timings[name]
        target = TARGETS_MS.get(kind)
        p95 = percentile(values_ms, 0.95)
        verdict = "floor" if target is None else ("ok" if p95 < target else "MISSED")
        if failures[name]:
            verdict += f" ({failures[name]} failed)"
        print(
            f"{name:<34} {(str(target) + ' ms') if target else '-':>10} {len(values_ms):>6} "
            f"{percentile(values_ms, 0.5):>8.1f} {p95:>8.1f} "
            f"{max(values_ms) if values_ms else float('nan'):>8.1f} {failures[name]:>5}  {verdict}"
        )
    total = sum(len(v) for v in timings.values())
    print(f"{total} requests in {args.seconds:g} s ({total / args.seconds:.0f}/s).")


if __name__ == "__main__":
    main()
