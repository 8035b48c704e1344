"""Two versions of Sinergi on the same distinct URLs, side by side: which one is faster.

    SINERGI_DATA_DIR=... [DATABASE_URL=...] .venv/bin/python bench/paired.py \\
        --before ../sinergi-old [--after .] [--per-kind 40] [--seed 4242] [--only WORD]

On a shared machine whose speed moves from minute to minute, two runs of bench/pagecost.py, one
per version, can differ by a factor of two with the same code. Here both versions are served at
once (a waitress server each, over the same database: `--before` and `--after` are checkouts
of this repository, each served from its own folder), signed in as the same user, and every
URL (bench/cold.py's distinct URLs: other enterprises, sorts, filters, zones, pages and page
sizes, none asked twice of one server) is asked of one and then of the other, which one goes
first alternating, one request at a time. Whatever slows the machine slows both in the same
second. Per page kind it prints p50 / p95 of each and the median of after / before over the
pairs (below 1: the after version is faster), beside the floor (/healthz) asked the same way.
A comparison, not a verdict against the targets: bench/cold.py and bench/pagecost.py give
those. Exit status 0 unless a page failed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cold  # bench/cold.py: the page kinds and the URL maker
import load  # bench/load.py: data set, sign-in, free port

ROOT = Path(__file__).resolve().parents[1]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, type=Path, help="A checkout to compare.")
    parser.add_argument("--after", default=ROOT, type=Path, help="This checkout by default.")
    parser.add_argument("--per-kind", type=int, default=40)
    parser.add_argument("--seed", type=int, default=4242)
    parser.add_argument("--only", default="", help="Only page kinds whose name has this text.")
    parser.add_argument("--username", default="demo.admin")
    parser.add_argument("--password", default="sinergi-demo")
    args = parser.parse_args()
    sides = {"before": args.before.resolve(), "after": args.after.resolve()}
    for side, checkout in sides.items():
        if not (checkout / "sinergi" / "wsgi.py").exists():
            raise SystemExit(f"--{side} {checkout} is not a checkout of Sinergi.")

    print(f"Dataset: {load.dataset()}")
    print(f"Insight: {load.prepare()}")
    kinds = [k for k, _t in cold.KINDS if args.only in k or k.startswith("floor")]
    urls = cold.Urls(args.seed, [k for k in kinds if not k.startswith("floor")])
    servers, bases, sessions = [], {}, {}
    try:
        for side, checkout in sides.items():
            port = load.free_port()
            servers.append(load.start_server(port, 4, checkout=checkout))
            bases[side] = f"http://127.0.0.1:{port}"
            sessions[side] = load.sign_in(bases[side], args.username, args.password)
        # Unmeasured: a few URLs of each kind on both (code imported, templates compiled).
        for kind in kinds:
            for _ in range(3):
                url = urls.distinct(kind)
                for side in sides:
                    sessions[side].get(bases[side] + url, timeout=120)
        print(f"load average {os.getloadavg()[0]:.2f}; before: {sides['before']}")
        times: dict[str, dict[str, list[float]]] = {k: {"before": [], "after": []} for k in kinds}
        order = [kind for kind in kinds for _ in range(args.per_kind)]
        random.Random(args.seed).shuffle(order)
        failed = 0
        for turn, kind in enumerate(order):
            url = urls.distinct(kind)
            if url is None:  # the kind has run out of new URLs (there are only so many zones)
                continue
            pair = ["before", "after"] if turn % 2 == 0 else ["after", "before"]
            for side in pair:
                started = time.perf_counter()
                response = sessions[side].get(bases[side] + url, timeout=120)
                times[kind][side].append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    failed += 1
                    print(f"  {side}: {url} answered {response.status_code}")
        print(f"load average {os.getloadavg()[0]:.2f}")
        print(
            f"{'page kind (one request at a time)':38s} {'n':>4s}  {'before p50/p95':>16s}"
            f"  {'after p50/p95':>16s}  after/before"
        )
        for kind in kinds:
            before, after = times[kind]["before"], times[kind]["after"]
            if not before:
                continue
            ratio = statistics.median(a / b for b, a in zip(before, after, strict=True))
            print(
                f"{kind:38s} {len(before):4d}  {statistics.median(before):7.1f} /{p95(before):7.1f}"
                f"  {statistics.median(after):7.1f} /{p95(after):7.1f}  {ratio:12.2f}"
            )
    finally:
        for server in servers:
            server.kill()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
