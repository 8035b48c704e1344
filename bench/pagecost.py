"""What one page costs the server, cold, one request at a time (no queueing behind others).

    SINERGI_DATA_DIR=... [DATABASE_URL=...] .venv/bin/python bench/pagecost.py [--per-kind 30]

The same distinct URLs as bench/cold.py (other enterprises, sorts, filters, zones, pages and page
sizes), asked in process through Django's test client as a signed-in admin, one after the other:
per page kind the p50 / p95 / max in ms, the queries per request, beside the target. On a shared
machine the load test's figures include waiting for the processor behind other work; these show
the work of the request itself (still slowed by whatever else runs; the load average is printed)
and "cpu p50", the processor time of this process per request (Python and, on SQLite, the
database; not PostgreSQL's own processes), which other work on the machine hardly changes.
Then the cost per row of the enterprise list: the same sort and page at 10 and at 200 rows a page.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cold  # bench/cold.py: the page kinds, their targets and the URL maker
import load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1818)
    parser.add_argument("--only", help="Only page kinds whose name contains this text.")
    parser.add_argument(
        "--slowest",
        type=int,
        default=0,
        help="Also print, per kind, the N slowest URLs with their slowest query.",
    )
    args = parser.parse_args()

    print(f"Dataset: {load.dataset()}")
    print(f"Insight: {load.prepare()}")
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sinergi.accounts.models import User

    cache.clear()
    client = Client(HTTP_HOST="127.0.0.1")  # an address ALLOWED_HOSTS accepts
    client.force_login(User.objects.get(username="demo.admin"))
    kinds = [(k, t) for k, t in cold.KINDS if not args.only or args.only in k]
    urls = cold.Urls(args.seed, [k for k, _t in kinds])
    # Warm up: one URL of each kind, not measured (code imported, templates compiled).
    for kind, _t in kinds:
        client.get(urls.distinct(kind))
    print(f"load average {os.getloadavg()[0]:.2f}")
    header = (
        f"{'page kind (cold, one at a time)':<36} {'target':>7} {'n':>4} {'p50':>7} {'p95':>7} "
        f"{'max':>7} {'cpu p50':>8} {'queries':>8}  verdict"
    )
    print(header)
    print("-" * len(header))
    for kind, target in kinds:
        times, cpu, queries, failed, slow = [], [], [], 0, []
        for _ in range(args.per_kind):
            url = urls.distinct(kind)
            if url is None:
                break
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            queries.append(len(captured.captured_queries))
            if args.slowest:
                worst = max(captured.captured_queries, key=lambda q: float(q["time"]), default=None)
                slow.append((times[-1], url, worst))
            failed += response.status_code != 200
        p95 = load.percentile(times, 0.95)
        verdict = "floor" if target is None else ("ok" if p95 < target else "MISSED")
        print(
            f"{kind:<36} {(str(target) + ' ms') if target else '-':>7} {len(times):>4} "
            f"{load.percentile(times, 0.5):>7.1f} {p95:>7.1f} {max(times):>7.1f} "
            f"{load.percentile(cpu, 0.5):>8.1f} {max(queries):>8}  {verdict}"
            + (f" ({failed} failed)" if failed else "")
        )
        for ms, url, worst in sorted(slow, key=lambda item: item[0], reverse=True)[: args.slowest]:
            query = f"{float(worst['time']) * 1000:.0f} ms: {worst['sql'][:300]}" if worst else ""
            print(f"    {ms:7.1f} ms  {url}\n             slowest query {query}")

    if args.only:
        return
    # Cost per row: one sort and page, at 10 and at 200 rows (cache cleared before each).
    print(f"load average {os.getloadavg()[0]:.2f}")
    for sort in ("name", "-workers"):
        best, best_cpu = {}, {}
        for size in (10, 200):
            runs, cpu_runs = [], []
            for _ in range(5):
                cache.clear()
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(f"/registry/enterprises/?sort={sort}&per_page={size}&page=3")
                runs.append((time.perf_counter() - started) * 1000)
                cpu_runs.append((time.process_time() - started_cpu) * 1000)
            best[size], best_cpu[size] = min(runs), min(cpu_runs)
        per_row = (best[200] - best[10]) / 190
        per_row_cpu = (best_cpu[200] - best_cpu[10]) / 190
        print(
            f"enterprise list sort={sort}: 10 rows {best[10]:.1f} ms, 200 rows {best[200]:.1f} ms "
            f"(best of 5): {per_row:.3f} ms per extra row; processor time {best_cpu[10]:.1f} / "
            f"{best_cpu[200]:.1f} ms: {per_row_cpu:.3f} ms per extra row (target <= 0.1): "
            f"{'ok' if per_row_cpu <= 0.1 else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
