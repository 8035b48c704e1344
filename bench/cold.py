"""Pages cold and cached: distinct URLs that no cache has seen, against design.md's targets.

    SINERGI_DATA_DIR=... [DATABASE_URL=...] .venv/bin/python bench/cold.py [--seconds 40]

Over the national demo (100k enterprises, ~2M figures), it starts a fresh server (waitress
with the threads `sinergi start` serves with; a new process, so no page, total or digest is in
its cache), signs 10 users in, and runs three phases:

1. **cold**: each user walks its own list of URLs, pausing `--think` s (±50 %) between pages;
   every URL of the run is different (other enterprises, sorts, filters, zones, page numbers and
   page sizes up to 200), so the server has never answered any of them;
2. **cached**: the same users ask for the very same URLs again, in the same order, on the same
   server (what a page costs once its HTML, total or digest is kept);
3. **throughput**: a new server again, ten requests always in flight (no pause), new distinct
   URLs, for `--throughput-seconds`: requests per second against the target of 100.

With `--only WORD` only the page kinds whose name has the word run, beside the floor:
`--only dashboard` is ten users on the dashboards alone.

With `--processes N` each phase starts N such servers and spreads the users over them (the
production topology runs two app processes on a two-core host, behind nginx).

Before the first phase every user makes a few unmeasured requests of each kind with URLs of its
own (templates compiled, code imported), which are never asked for again.

It prints, per page kind, p50 / p95 / max and failures of the cold and the cached phase beside
the target, the floor of the run (/healthz, one `SELECT 1`), the load average before each phase
and the database. Exit status 0 whatever the verdicts (a measurement, not a test).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # bench/load.py: server, sign-in, percentiles, data set

# Page kinds: (name, target p95 in ms or None for the floor).
KINDS: list[tuple[str, int | None]] = [
    ("floor: /healthz", None),
    ("enterprise detail", 30),
    ("enterprise list, any sort and page", 100),
    ("enterprise list, 200 rows a page", 100),
    ("enterprise list, filters", 100),
    ("dashboard, one zone", 50),
    ("gap list, one zone", 100),
    ("API: figures of one enterprise", 100),
    ("API: enterprises, any page", 100),
]
THROUGHPUT_TARGET = 100  # requests per second, one process, ten requests in flight


class Urls:
    """Distinct URLs of every kind, drawn from the database's ids."""

    def __init__(self, seed: int, kinds: list[str]):
        load._django()
        from sinergi.registry.models import Enterprise, OrganisationType, Zone

        self.rng = random.Random(seed)
        self.enterprises = list(Enterprise.objects.values_list("id", flat=True))
        self.total = len(self.enterprises)
        self.zones = list(Zone.objects.values_list("id", flat=True))
        self.types = list(OrganisationType.objects.values_list("code", flat=True))
        # The list's column names (`has_<code>`, as EnterpriseTable names them): a name the
        # table does not know is not a sort, and the page falls back to its default order.
        flags = [f"has_{c}" for c in self.types]
        columns = ["name", "tax_id", "zone", "ownership", "status", "workers", *flags]
        self.sorts = columns + [f"-{c}" for c in columns]
        self.seen: set[str] = set()
        self.kinds = kinds

    def _page(self, rows: int, size: int) -> int:
        last = max(1, -(-rows // size))
        # Half the pages near the start (as people page), half anywhere up to the last.
        return (
            self.rng.randint(1, min(last, 20))
            if self.rng.random() < 0.5
            else (self.rng.randint(1, last))
        )

    def make(self, kind: str) -> str:
        rng = self.rng
        if kind.startswith("floor"):
            return "/healthz"
        if kind == "enterprise detail":
            return f"/registry/enterprises/{rng.choice(self.enterprises)}/"
        if kind == "enterprise list, any sort and page":
            size = rng.choice([10, 25, 50])
            return (
                f"/registry/enterprises/?sort={rng.choice(self.sorts)}&per_page={size}"
                f"&page={self._page(self.total, size)}"
            )
        if kind == "enterprise list, 200 rows a page":
            return (
                f"/registry/enterprises/?sort={rng.choice(self.sorts)}&per_page=200"
                f"&page={self._page(self.total, 200)}"
            )
        if kind == "enterprise list, filters":
            parts = []
            if rng.random() < 0.5:
                parts.append(f"zone={rng.choice(self.zones)}")
            if rng.random() < 0.4:
                parts.append(
                    "ownership="
                    + rng.choice(["domestic_private", "foreign_invested", "state", "cooperative"])
                )
            if rng.random() < 0.3:
                parts.append("status=" + rng.choice(["operating", "suspended", "dissolved"]))
            if rng.random() < 0.4:
                parts.append(f"{rng.choice(['has', 'lacks'])}={rng.choice(self.types)}")
            if rng.random() < 0.3:
                parts.append("workforce=" + rng.choice(["0-9", "10-49", "50-199", "200+"]))
            if rng.random() < 0.2:
                parts.append("q=" + rng.choice(["cong ty", "viet", "co phan", "may", "thep"]))
            size = rng.choice([25, 50, 100, 200])
            parts += [f"sort={rng.choice(self.sorts)}", f"per_page={size}"]
            parts.append(f"page={rng.randint(1, 3)}")
            return "/registry/enterprises/?" + "&".join(parts)
        if kind == "dashboard, one zone":
            return f"/insight/?zone={rng.choice(self.zones)}"
        if kind == "gap list, one zone":
            parts = [f"zone={rng.choice(self.zones)}"]
            if rng.random() < 0.5:
                parts.append(f"type={rng.choice(self.types)}")
            parts.append(f"per_page={rng.choice([25, 50, 100])}")
            parts.append(f"page={rng.randint(1, 2)}")
            return "/insight/gaps/?" + "&".join(parts)
        if kind == "API: figures of one enterprise":
            return f"/api/figures/?enterprise={rng.choice(self.enterprises)}"
        if kind == "API: enterprises, any page":
            size = rng.choice([25, 50, 100, 200])
            return f"/api/enterprises/?page_size={size}&page={self._page(self.total, size)}"
        raise ValueError(kind)

    def distinct(self, kind: str) -> str | None:
        """A URL of this kind not handed out before; None once the kind has run out (there
        are only so many zones)."""
        if kind.startswith("floor"):
            return "/healthz"
        for _ in range(200):
            url = self.make(kind)
            if url not in self.seen:
                self.seen.add(url)
                return url
        return None

    def walk(self, count: int) -> list[tuple[str, str]]:
        """`count` (kind, url) pairs, the kinds in turn in a shuffled order (a kind that has
        run out of new URLs is left out)."""
        kinds = list(self.kinds)
        out: list[tuple[str, str]] = []
        while len(out) < count and kinds:
            self.rng.shuffle(kinds)
            for kind in list(kinds):
                url = self.distinct(kind)
                if url is None:
                    kinds.remove(kind)
                else:
                    out.append((kind, url))
        return out[:count]


def _user(base, username, password, warmup, walks, seconds, think, seed, start_at, results):
    """One user in its own process: sign in, warm up on URLs of its own, then each walk (a list
    of (kind, url)) in turn until its deadline; the times of every walk go back separately."""
    session = load.sign_in(base, username, password)
    for _kind, url in warmup:
        session.get(base + url, timeout=120)
    rng = random.Random(seed)
    time.sleep(max(0.0, start_at - time.time()))
    out = []
    limit = None
    for walk in walks:
        # A replay asks what the walk before it asked, and stops where that one stopped.
        walk = walk if limit is None else walk[:limit]
        timings: dict[str, list[float]] = {}
        failures: dict[str, int] = {}
        deadline = time.monotonic() + seconds
        done = 0
        for kind, url in walk:
            if time.monotonic() >= deadline:
                break
            started = time.perf_counter()
            try:
                ok = session.get(base + url, timeout=60).status_code == 200
            except requests.RequestException:
                ok = False
            timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            failures[kind] = failures.get(kind, 0) + (not ok)
            done += 1
            if think:
                time.sleep(think * rng.uniform(0.5, 1.5))
        out.append((timings, failures, done))
        limit = done
    results.put(out)


def phase(bases, users, per_user_walks, warmups, seconds, think, username, password):
    """Runs the users; returns one (timings, failures) per walk, merged over the users."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.time() + 5 + 0.5 * users
    processes = [
        context.Process(
            target=_user,
            args=(
                bases[n % len(bases)],
                username,
                password,
                warmups[n],
                per_user_walks[n],
                seconds,
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
    merged: list[tuple[dict, dict, int]] = []
    for _ in processes:
        for index, (timings, failures, done) in enumerate(results.get(timeout=seconds * 3 + 600)):
            while len(merged) <= index:
                merged.append(({}, {}, 0))
            t, f, d = merged[index]
            for kind, values in timings.items():
                t.setdefault(kind, []).extend(values)
            for kind, count in failures.items():
                f[kind] = f.get(kind, 0) + count
            merged[index] = (t, f, d + done)
    for process in processes:
        process.join()
    return merged


def _servers(count: int, threads: int) -> tuple[list, list[str]]:
    """`count` fresh servers (nothing in their caches) and their addresses."""
    servers, bases = [], []
    try:
        for _ in range(count):
            port = load.free_port()
            servers.append(load.start_server(port, threads))
            bases.append(f"http://127.0.0.1:{port}")
    except BaseException:
        _stop(servers)
        raise
    return servers, bases


def _stop(servers: list) -> None:
    for server in servers:
        server.terminate()
    for server in servers:
        server.wait(timeout=10)


def _described(args) -> str:
    count, threads = args.processes, args.threads
    plural = "es" if count > 1 else ""
    return f"{count} server process{plural} (waitress, {threads} threads each)"


def _cell(values: list[float], failed: int, target: int | None) -> str:
    if not values:
        return f"{'-':>5} {'-':>7} {'-':>7} {'-':>7} {'':<12}"
    p95 = load.percentile(values, 0.95)
    verdict = "floor" if target is None else ("ok" if p95 < target else "MISSED")
    if failed:
        verdict += f" {failed}!"
    return (
        f"{len(values):>5} {load.percentile(values, 0.5):>7.1f} {p95:>7.1f} "
        f"{max(values):>7.1f} {verdict:<12}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=40, help="Length of each phase.")
    parser.add_argument("--think", type=float, default=1.0, help="Pause between pages (±50%%).")
    parser.add_argument("--throughput-seconds", type=float, default=20)
    parser.add_argument(
        "--threads",
        type=int,
        default=load.SERVER_THREADS,
        help="Threads of each server (default: as `sinergi start` serves).",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="Servers to start (each waitress, --threads), users spread over them: 1 is "
        "`sinergi start`; 2 is the production topology's app processes on a 2-core host.",
    )
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--username", default="demo.admin")
    parser.add_argument("--password", default="sinergi-demo")
    parser.add_argument("--skip", choices=["latency", "throughput"], help="Leave out a part.")
    parser.add_argument(
        "--only",
        action="append",
        metavar="WORD",
        help="Only the page kinds whose name has this word (and the floor), e.g. `--only "
        "dashboard`: ten users on the dashboards alone. May be given more than once.",
    )
    args = parser.parse_args()
    kinds = [
        (kind, target)
        for kind, target in KINDS
        if target is None or not args.only or any(word in kind for word in args.only)
    ]

    print(f"Dataset: {load.dataset()}")
    print(f"Insight: {load.prepare()}")
    urls = Urls(args.seed, [kind for kind, _target in kinds])
    per_kind = len(kinds)
    # Enough URLs for a user who never pauses; the walk stops at the deadline.
    count = int(args.seconds / max(args.think, 0.005)) + per_kind
    warmups = [urls.walk(per_kind * 2) for _ in range(args.users)]

    if args.skip != "latency":
        walks = [urls.walk(count) for _ in range(args.users)]
        servers, bases = _servers(args.processes, args.threads)
        try:
            print(
                f"Latency: {_described(args)}, {args.users} users, "
                f"think {args.think:g} s, {args.seconds:g} s per phase; "
                f"load average {os.getloadavg()[0]:.2f}"
            )
            # Each user's walk twice: first cold, then the same URLs again (cached).
            cold, cached = phase(
                bases,
                args.users,
                [[w, w] for w in walks],
                warmups,
                args.seconds,
                args.think,
                args.username,
                args.password,
            )
        finally:
            _stop(servers)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        head = (
            f"{'':<36} {'target':>7} | {'cold (distinct URLs)':^42} | "
            f"{'cached (same URLs again)':^42}"
        )
        sub = (
            f"{'page kind':<36} {'p95':>7} | "
            + f"{'n':>5} {'p50':>7} {'p95':>7} {'max':>7} {'verdict':<12} | " * 2
        )
        print(head)
        print(sub)
        print("-" * len(sub))
        for kind, target in kinds:
            print(
                f"{kind:<36} {(str(target) + ' ms') if target else '-':>7} | "
                f"{_cell(cold[0].get(kind, []), cold[1].get(kind, 0), target)} | "
                f"{_cell(cached[0].get(kind, []), cached[1].get(kind, 0), target)} |"
            )
        print(f"cold: {cold[2]} requests; cached: {cached[2]} requests.")

    if args.skip != "throughput":
        count = int(args.throughput_seconds * 200 / args.users) + per_kind
        walks = [urls.walk(count) for _ in range(args.users)]
        servers, bases = _servers(args.processes, args.threads)
        try:
            load_before = os.getloadavg()[0]
            (result,) = phase(
                bases,
                args.users,
                [[w] for w in walks],
                warmups,
                args.throughput_seconds,
                0.0,
                args.username,
                args.password,
            )
        finally:
            _stop(servers)
        timings, failures, done = result
        rate = done / args.throughput_seconds
        if done >= sum(len(w) for w in walks):
            print("Every prepared URL was asked before the end: the rate is a lower bound.")
        verdict = "ok" if rate >= THROUGHPUT_TARGET else "MISSED"
        if args.processes > 1:
            verdict += " (the target is for one process)"
        failed = sum(failures.values())
        everything = [v for values in timings.values() for v in values]
        print(
            f"Throughput, cold distinct URLs, {args.users} in flight, {_described(args)} "
            f"(load average {load_before:.2f}): {done} requests in {args.throughput_seconds:g} s "
            f"= {rate:.1f}/s (target >= {THROUGHPUT_TARGET}/s): {verdict}; "
            f"p50 {load.percentile(everything, 0.5):.0f} ms, "
            f"p95 {load.percentile(everything, 0.95):.0f} ms; {failed} failed"
        )
        for kind, _target in kinds:
            values = timings.get(kind, [])
            if values:
                print(
                    f"  {kind:<36} n={len(values):>5} p50={load.percentile(values, 0.5):>7.1f} "
                    f"p95={load.percentile(values, 0.95):>7.1f} failed={failures.get(kind, 0)}"
                )


if __name__ == "__main__":
    main()
