"""Review report benchmark: a province's review report as DOCX and as PDF, against 3 s.

    .venv/bin/python bench/report.py [--enterprises 200] [--repeat 3] [--keep DIR]
    .venv/bin/python bench/report.py --scale national [--data DIR]

1. A fresh SQLite database in a temporary data folder, migrated, with the demo province
   (`build_demo`: the lao-cai preset, N enterprises with their figures and organisations, the
   program's first year and the first-year review conference with its attendees,
   contributions and conclusions).
2. Timed, each `--repeat` times: the statistics of a new draft read from the registry and the
   program (`statistics.compute`, what "Draft the report" does), then the DOCX and the PDF
   written from that draft in Vietnamese (`documents.report` + `writers.render`).
   With `--scale national` the registry also holds the national demo (`build_national`: 100k
   enterprises in 40 provinces, ~2M figures) and the program covers every zone, so the
   review's statistics count the whole country.
3. Printed: the time of each part (median, wall clock and the process's CPU time), the
   totals "statistics + DOCX" and "statistics + PDF" against the 3 s target (judged on the
   wall clock), the machine's load and the size of the files.

The exit status is 0 whatever the verdict; 1 only when something broke.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics as stats_module
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 3.0  # seconds, for each document
FOREIGN_ENV = ("DATABASE_URL", "DATABASE_URL_FILE", "SINERGI_DATA_DIR_FILE")


def _django(data_dir: str) -> None:
    for name in FOREIGN_ENV:
        os.environ.pop(name, None)
    os.environ["SINERGI_DATA_DIR"] = data_dir
    os.environ["SINERGI_COUNTRY"] = "VN"
    os.environ["SINERGI_DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sinergi.settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="Write the files of the last run into this folder.")
    parser.add_argument(
        "--scale",
        choices=["province", "national"],
        default="province",
        help="national: add the national demo (100k enterprises) and review every zone.",
    )
    parser.add_argument(
        "--data",
        help="Use (and keep) this data folder: a data set built by an earlier run is reused.",
    )
    args = parser.parse_args()
    data_dir = args.data or tempfile.mkdtemp(prefix="sinergi-bench-report-")
    os.makedirs(data_dir, exist_ok=True)
    try:
        _django(data_dir)
        from django.core.management import call_command
        from django.utils import timezone

        from sinergi.presets.demo import build_demo
        from sinergi.registry.models import Enterprise, Figure
        from sinergi.reviews import documents, statistics, writers
        from sinergi.reviews.models import Review

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        build_demo(count=args.enterprises)
        if args.scale == "national":
            from sinergi.presets.national import build_national
            from sinergi.registry.models import Zone

            build_national()
            program = Review.objects.get().program
            program.zones.add(*Zone.objects.filter(parent__isnull=True))
        print(
            f"Dataset: {Enterprise.objects.count()} enterprises, {Figure.objects.count()} figure "
            f"records (built in {time.perf_counter() - started:.1f} s)"
        )
        review = Review.objects.select_related("program").get()
        version = review.versions.get()
        times: dict[str, list[float]] = {"statistics": [], "docx": [], "pdf": []}
        # The process's CPU time beside the wall-clock time: on a shared machine the wall
        # clock also counts the time other processes held the cores.
        cpu: dict[str, list[float]] = {"statistics": [], "docx": [], "pdf": []}
        files: dict[str, bytes] = {}

        def timed(part: str, work):
            wall, used = time.perf_counter(), time.process_time()
            result = work()
            times[part].append(time.perf_counter() - wall)
            cpu[part].append(time.process_time() - used)
            return result

        for _run in range(args.repeat):
            version.statistics = timed(
                "statistics", lambda: statistics.compute(review, timezone.now())
            )
            for fmt in ("docx", "pdf"):
                files[fmt] = timed(
                    fmt,
                    lambda fmt=fmt: writers.render(documents.report(version, "vi"), fmt),
                )
        median = {key: stats_module.median(values) for key, values in times.items()}
        median_cpu = {key: stats_module.median(values) for key, values in cpu.items()}
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"Runs: {args.repeat} (median times; machine load {load:.1f} on {os.cpu_count()} cores)"
        )
        for key, label in (
            ("statistics", "statistics from the registry and the program"),
            ("docx", "DOCX written (document and charts built)"),
            ("pdf", "PDF written (document and charts built)"),
        ):
            print(f"  {label + ':':<46} {median[key]:.3f} s (CPU {median_cpu[key]:.3f} s)")
        scale = "National" if args.scale == "national" else "Province"
        for fmt in ("docx", "pdf"):
            total = median["statistics"] + median[fmt]
            total_cpu = median_cpu["statistics"] + median_cpu[fmt]
            verdict = "OK" if total < TARGET else "TOO SLOW"
            print(
                f"{scale} report {fmt.upper()}: {total:.3f} s (target < {TARGET:.0f} s) "
                f"{verdict}; CPU {total_cpu:.3f} s; {len(files[fmt]) / 1024:.0f} KiB"
            )
        if args.keep:
            folder = Path(args.keep)
            folder.mkdir(parents=True, exist_ok=True)
            for fmt, data in files.items():
                (folder / f"review-report.{fmt}").write_bytes(data)
            print(f"Files written to {folder}")
    except Exception:
        import traceback

        traceback.print_exc()
        return 1
    finally:
        if not args.data:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
