"""Import and export benchmark: a large office spreadsheet through Sinergi, against a floor.

    .venv/bin/python bench/import_export.py [--rows 100000] [--keep DIR] [--repeat K]
                                            [--no-trace] [--profile OUT.prof]

1. Generates an XLSX of N enterprises shaped like the offices' files (title rows with the
   reporting date, a Vietnamese header, a numbering row, data, subtotal and total rows, footer).
2. The floor: python-calamine reads the file, then one sqlite3 transaction inserts every data row
   with `executemany` (same journal and sync PRAGMAs as the application) and commits.
3. Sinergi's import, as `sinergi import FILE` runs it: services.batch_upload + batch_commit with
   the system actor, into a freshly migrated database with the lao-cai preset; the registry is
   checked afterwards (counts and sums) so a broken import cannot look fast.
   Then `sinergi import FILE` the whole command, as a user runs it (a new process: Python and
   Django start, the file is read, written and reported), timed from outside with its peak RSS,
   and the same command on a 10-row file for the baseline of its memory.
4. The CSV exports of the N enterprises: `sinergi export enterprises OUT.csv` (rows_as_of) and
   the enterprise list page's CSV (current_rows over the annotated list queryset).

Each measured phase runs in its own process (multiprocessing, spawn), so the peak RSS is that
phase's. Times come from a pass without tracemalloc; the Python allocation peak comes from a second
pass with tracemalloc on (skip it with --no-trace). Targets: import ≤ 3 × floor; export ≤ 2 s.
The exit status is 0 whatever the verdicts; 1 only when something broke.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gc
import json
import multiprocessing
import os
import platform
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import tracemalloc
from pathlib import Path
from typing import Any

try:
    import resource
except ImportError:  # not on Windows: RSS is then not reported
    resource = None

ROOT = Path(__file__).resolve().parents[1]
RATIO_TARGET = 3.0
EXPORT_TARGET = 2.0  # seconds
MEMORY_TARGET_KB = 1.0  # the import's peak memory beyond its baseline, per row
REPORT_DATE = "31/12/2023"
SEED = 20231231

# Environment variables that would point the run somewhere else than its temporary data folder
# (settings read NAME_FILE before NAME for every variable).
FOREIGN_ENV = (
    "DATABASE_URL",
    "DATABASE_URL_FILE",
    "SINERGI_DATA_DIR_FILE",
    "SINERGI_COUNTRY_FILE",
    "SINERGI_DEBUG_FILE",
)

# The four parks of the lao-cai preset (by zone code) and the ways offices write their names.
ZONES = {
    "kcn-bac-duyen-hai": (
        "KCN Bắc Duyên Hải",
        "Bắc Duyên Hải",
        "Khu công nghiệp Bắc Duyên Hải",
        "KCN BDH",
    ),
    "kcn-dong-pho-moi": ("KCN Đông Phố Mới", "Đông Phố Mới", "KCN Đông Phố mới", "KCN ĐPM"),
    "ktmcn-kim-thanh": (
        "Khu TM-CN Kim Thành",
        "KTM-CN Kim Thành",
        "Kim Thành",
        "Khu thương mại công nghiệp Kim Thành",
    ),
    "kcn-tang-loong": ("KCN Tằng Loỏng", "Tằng Loỏng", "KCN TL"),
}
HEADER = [
    "STT",
    "Tên doanh nghiệp",
    "Mã số thuế",
    "Khu công nghiệp / khu chức năng",
    "Loại hình doanh nghiệp",
    "Ngành nghề",
    "Ngày thành lập",
    "Tổng số lao động",
    "Trong đó: nữ",
    "Số đảng viên",
    "Tổ chức đảng",
    "Công đoàn cơ sở",
    "Số đoàn viên công đoàn",
    "Đoàn thanh niên",
    "Ghi chú",
]
TAX_COLUMN = 2
LEGAL_FORMS = ("Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Chi nhánh Công ty")
PLACES = (
    "An Phát",
    "Lào Cai Xanh",
    "Phố Mới",
    "Minh Đức",
    "Tây Bắc",
    "Bảo Thắng",
    "Trường Phát",
    "Kim Thành",
    "Hoàng Liên",
    "Thành Đạt",
    "Vạn Xuân",
    "Hồng Hà",
    "Apatit",
    "Phú Thịnh",
    "Đại Việt",
    "Việt Trung",
    "Tân Long",
    "Hải Hà",
    "Đức Giang",
    "Cốc Lếu",
    "Phúc Lộc",
)
SECTORS = (
    "Khai khoáng",
    "Hóa chất",
    "May mặc",
    "Cơ khí",
    "Logistics",
    "Thương mại",
    "Luyện kim",
    "Điện tử",
    "Vật liệu xây dựng",
    "Chế biến nông sản",
)
OWNERSHIP = ("Tư nhân", "FDI", "Nhà nước", "Cổ phần", "HTX")
WORKFORCE = (3, 8, 12, 25, 40, 60, 85, 120, 240, 450, 1250, 2100)
FIGURES = ("workers", "women_workers", "party_members", "union_members")


# --- Measuring ---------------------------------------------------------------------------------


def _max_rss_mb() -> float | None:
    if resource is None:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class Meter:
    """Wall time, growth of the process's RSS high-water mark and (when tracing) the peak of
    Python allocations over a block."""

    def __init__(self, trace: bool):
        self.trace = trace
        self.parts: dict[str, float] = {}

    def __enter__(self) -> Meter:
        gc.collect()
        self.rss_before = _max_rss_mb()
        if self.trace:
            tracemalloc.start()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.started
        self.py_peak_mb = None
        if self.trace:
            self.py_peak_mb = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
            tracemalloc.stop()
        self.rss_peak_mb = _max_rss_mb()

    def part(self, name: str, fn):
        """`fn` wrapped so the time spent in it adds up under `name`."""
        parts = self.parts

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                parts[name] = parts.get(name, 0.0) + time.perf_counter() - started

        return timed

    def result(self, **extra) -> dict[str, Any]:
        growth = None
        if self.rss_peak_mb is not None and self.rss_before is not None:
            growth = self.rss_peak_mb - self.rss_before
        return {
            "seconds": self.seconds,
            "rss_peak_mb": self.rss_peak_mb,
            "rss_growth_mb": growth,
            "py_peak_mb": self.py_peak_mb,
            "parts": dict(self.parts),
            **extra,
        }


def _clean_environment() -> None:
    for name in FOREIGN_ENV:
        os.environ.pop(name, None)
    os.environ["SINERGI_COUNTRY"] = "VN"
    os.environ["SINERGI_DEBUG"] = "false"  # DEBUG would keep every query in memory


def _django(data_dir: str) -> None:
    """Set up Django on the data folder `data_dir` (before anything reads the settings)."""
    _clean_environment()
    os.environ["SINERGI_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "sinergi.settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- The spreadsheet ---------------------------------------------------------------------------


def _enterprise(rng: random.Random, number: int, zone_labels: tuple[str, ...]) -> list[Any]:
    workers = rng.choice(WORKFORCE)
    women = int(workers * rng.choice((0.25, 0.33, 0.5)))
    party = min(workers, rng.choice((0, 0, 1, 2, 3, 4, 7, 12, 25)))
    has_party = party >= 3 and rng.random() < 0.6
    has_union = workers >= 5 and rng.random() < 0.65
    union = max(1, int(workers * rng.choice((0.5, 0.8, 0.95)))) if has_union else None
    grouped = workers >= 1000 and rng.random() < 0.5
    return [
        number,
        f"{rng.choice(LEGAL_FORMS)} {rng.choice(PLACES)} {rng.choice(SECTORS)} {number}",
        f"53{number:08d}",  # 10 digits, stored as text
        rng.choice(zone_labels),
        rng.choice(OWNERSHIP),
        rng.choice(SECTORS),
        f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1995, 2023)}",
        f"{workers:,}".replace(",", ".") if grouped else workers,  # "1.250" as offices type it
        women,
        party or "-",
        "Chi bộ" if has_party else "",
        "Có" if has_union else "Không",
        union if union is not None else "",
        "x" if rng.random() < 0.3 else "",
        "",
    ]


def generate(path: str, rows: int) -> dict[str, Any]:
    """Write the workbook; return what the registry must hold after importing it."""
    from openpyxl import Workbook

    with Meter(trace=False) as meter:
        rng = random.Random(SEED)
        expected: dict[str, Any] = {
            "rows": rows,
            "skipped": 0,
            **dict.fromkeys(FIGURES, 0),
            "organisations": {"party": 0, "trade-union": 0, "youth-union": 0},
            "zones": dict.fromkeys(ZONES, 0),
        }
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Danh sách")
        width = len(HEADER)
        sheet.append(["ĐẢNG ỦY KHỐI CƠ QUAN - DOANH NGHIỆP TỈNH"])
        sheet.append(["DANH SÁCH DOANH NGHIỆP TRONG CÁC KHU CÔNG NGHIỆP, KHU CHỨC NĂNG"])
        sheet.append([f"(Số liệu tính đến ngày {REPORT_DATE})"])
        sheet.append([])
        sheet.append(HEADER)
        sheet.append([f"({i})" for i in range(1, width + 1)])
        codes = list(ZONES)
        total_workers = total_party = 0
        number = 0
        for block, code in enumerate(codes):
            size = (rows * (block + 1)) // len(codes) - (rows * block) // len(codes)
            if not size:
                continue
            block_workers = block_party = 0
            for _ in range(size):
                number += 1
                row = _enterprise(rng, number, ZONES[code])
                sheet.append(row)
                workers = int(str(row[7]).replace(".", ""))
                party = row[9] if isinstance(row[9], int) else 0
                block_workers += workers
                block_party += party
                expected["workers"] += workers
                expected["women_workers"] += row[8]
                expected["party_members"] += party
                expected["union_members"] += row[12] or 0
                expected["organisations"]["party"] += row[10] == "Chi bộ"
                expected["organisations"]["trade-union"] += row[11] == "Có"
                expected["organisations"]["youth-union"] += row[13] == "x"
                expected["zones"][code] += 1
            subtotal = [""] * width
            subtotal[1] = f"Cộng {ZONES[code][0]}"
            subtotal[7], subtotal[9] = block_workers, block_party
            sheet.append(subtotal)
            expected["skipped"] += 1
            total_workers += block_workers
            total_party += block_party
        total = [""] * width
        total[1], total[7], total[9] = "Tổng cộng", total_workers, total_party
        sheet.append(total)
        sheet.append([""] * width)
        sheet.append([""] * 10 + ["Người lập biểu"])
        sheet.append([""] * 10 + ["(Ký, ghi rõ họ tên)"])
        expected["skipped"] += 4  # the total, the empty row, the two footer lines
        workbook.save(path)
    expected["bytes"] = Path(path).stat().st_size
    return meter.result(expected=expected)


# --- Setting up the database -------------------------------------------------------------------


def set_up(data_dir: str) -> dict[str, Any]:
    """Migrate a new database and apply the lao-cai preset (the copy every import starts from)."""
    _django(data_dir)
    from django.core.management import call_command
    from django.db import connections

    from sinergi.presets.loader import apply_preset

    with Meter(trace=False) as meter:
        call_command("migrate", verbosity=0, interactive=False)
        apply_preset("lao-cai")
    connections.close_all()
    return meter.result()


def _copy_database(source_dir: Path, target_dir: Path) -> None:
    """A consistent copy of the set-up database (the SQLite backup API folds in the WAL)."""
    target_dir.mkdir(parents=True)
    source = sqlite3.connect(source_dir / "sinergi.sqlite3")
    target = sqlite3.connect(target_dir / "sinergi.sqlite3")
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


# --- The floor ---------------------------------------------------------------------------------


def floor(xlsx: str, database: str, rows: int, trace: bool) -> dict[str, Any]:
    """python-calamine read, then one-transaction executemany of the data rows into SQLite."""
    from python_calamine import CalamineWorkbook

    width = len(HEADER)
    columns = ", ".join(f"c{i} " for i in range(1, width + 1))
    placeholders = ", ".join("?" * width)
    with Meter(trace) as meter:
        started = time.perf_counter()
        table = (
            CalamineWorkbook.from_path(xlsx).get_sheet_by_index(0).to_python(skip_empty_area=False)
        )
        # Data rows: those with a tax id (not the titles, header, numbering, totals, footer).
        data = [row for row in table if str(row[TAX_COLUMN]).isdigit()]
        read = time.perf_counter()
        connection = sqlite3.connect(database, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(f"CREATE TABLE enterprise ({columns})")
        connection.execute("BEGIN")
        connection.executemany(f"INSERT INTO enterprise VALUES ({placeholders})", data)
        connection.execute("COMMIT")
        connection.close()
        meter.parts = {"read": read - started, "insert": time.perf_counter() - read}
    with sqlite3.connect(database) as check:
        inserted = check.execute("SELECT count(*) FROM enterprise").fetchone()[0]
    if inserted != rows:
        raise AssertionError(f"floor inserted {inserted} rows, expected {rows}")
    return meter.result()


# --- The database work alone ------------------------------------------------------------------

# The tables an import writes to, in the order they are inserted here (foreign keys are checked
# at the commit, as in the application). The batch row is copied first and not timed.
WRITTEN_TABLES = (
    "registry_enterprise",
    "registry_figure",
    "registry_organisation",
    "core_auditentry",
)


def database_work(base_dir: str, imported_dir: str, target_dir: str) -> dict[str, Any]:
    """What the import's writes cost SQLite alone: the very rows the import wrote (read back from
    its database, not timed) inserted into a fresh copy of the set-up database with one
    `executemany` per table in one transaction, through Sinergi's own connection (the
    application's PRAGMAs), with every constraint the tables have, and their indexes handled by
    the import's own `core.bulk.indexes_rebuilt`. No Python work of the import's is in this time,
    so `floor read + this` is the least any import writing these rows could take."""
    base = sqlite3.connect(Path(base_dir) / "sinergi.sqlite3")
    imported = sqlite3.connect(Path(imported_dir) / "sinergi.sqlite3")
    rows: dict[str, list[tuple]] = {}
    for table in ("imports_importbatch", *WRITTEN_TABLES):
        first = base.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        rows[table] = imported.execute(f"SELECT * FROM {table} WHERE id > ?", (first,)).fetchall()
    base.close()
    imported.close()
    _copy_database(Path(base_dir), Path(target_dir))
    _django(target_dir)
    from django.apps import apps
    from django.db import connection, transaction

    from sinergi.core import bulk

    models = {model._meta.db_table: model for model in apps.get_models()}
    connection.ensure_connection()

    def insert(table: str) -> None:
        if rows[table]:
            marks = ", ".join(["%s"] * len(rows[table][0]))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])

    with transaction.atomic():
        insert("imports_importbatch")
    adding = {models[table]: len(rows[table]) for table in WRITTEN_TABLES}
    with Meter(trace=False) as meter:
        parts = {}
        with transaction.atomic():
            started = time.perf_counter()
            with bulk.indexes_rebuilt(adding):
                parts["drop indexes"] = time.perf_counter() - started
                for table in WRITTEN_TABLES:
                    started = time.perf_counter()
                    insert(table)
                    parts[table] = time.perf_counter() - started
                started = time.perf_counter()
            parts["build the dropped indexes again"] = time.perf_counter() - started
            started = time.perf_counter()
        parts["commit (WAL write and checkpoint)"] = time.perf_counter() - started
        meter.parts = parts
    connection.close()
    return meter.result(rows={table: len(rows[table]) for table in WRITTEN_TABLES})


# --- Sinergi's import --------------------------------------------------------------------------


def sinergi_import(
    data_dir: str, xlsx: str, expected: dict[str, Any], trace: bool, profile: str = ""
) -> dict[str, Any]:
    """`sinergi import FILE`: read the bytes, batch_upload, batch_commit as the system."""
    _django(data_dir)
    from django.core.files.base import ContentFile
    from django.db import connection

    from sinergi.core.services import SYSTEM
    from sinergi.imports import batches, commit, services
    from sinergi.imports import plan as planning
    from sinergi.imports.plan import Planner

    connection.ensure_connection()
    path = Path(xlsx)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    with Meter(trace) as meter:
        # Where the time goes, by wrapping the pipeline's steps (called once each); a step the
        # code no longer has is left out of the breakdown.
        for owner, name, part in (
            (services, "batch_upload", "upload"),
            (batches, "read_table", "read"),
            (Planner, "plan", "plan"),
            (planning, "compare_with_registry", "compare"),
            (commit, "_write", "write"),
        ):
            if hasattr(owner, name):
                setattr(owner, name, meter.part(part, getattr(owner, name)))
        commit_batch = meter.part("commit", services.batch_commit)
        if profiler:
            profiler.enable()
        upload = ContentFile(path.read_bytes(), name=path.name)
        batch = services.batch_upload(actor=SYSTEM, upload=upload)
        plan = commit_batch(batch, actor=SYSTEM, only_valid=False)
        batch.refresh_from_db()
        summary = plan.summary()
        if profiler:
            profiler.disable()
    if profiler:
        profiler.dump_stats(profile)
    parts = meter.parts
    if "compare" in parts:
        parts["plan: compare with registry"] = parts.pop("compare")
    if "plan" in parts:
        parts["plan: parse and validate rows"] = parts.pop("plan") - parts.get(
            "plan: compare with registry", 0.0
        )
    parts["rest of commit"] = parts.pop("commit") - sum(
        seconds for name, seconds in parts.items() if name != "upload"
    )
    checked = _check_registry(batch, plan, summary, expected)
    import sinergi

    return meter.result(checked=checked, code=str(Path(sinergi.__file__).parent))


def command_import(data_dir: str, xlsx: str, rows: int) -> dict[str, Any]:
    """`sinergi import FILE` as a user runs it: a new process of the installed command (Python
    and Django start, the file is read, planned, written and reported), in the same environment
    as the in-process import, timed from outside, its own peak RSS read from the kernel when it
    ends (`os.wait4`); its report must say it created `rows` enterprises."""
    _clean_environment()
    os.environ["SINERGI_DATA_DIR"] = data_dir
    command = [str(Path(sys.executable).parent / "sinergi"), "import", xlsx, "--json"]
    said, errors = Path(data_dir) / "import-output.json", Path(data_dir) / "import-errors.txt"
    with open(said, "wb") as output, open(errors, "wb") as error_output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=error_output, cwd=data_dir)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"sinergi import exited {code}:\n{errors.read_text()[-2000:]}")
    created = json.loads(said.read_text())["created"]
    if created != rows:
        raise AssertionError(f"sinergi import created {created} enterprises, expected {rows}")
    # ru_maxrss is in kilobytes on Linux.
    return {"seconds": seconds, "rss_peak_mb": usage.ru_maxrss / 1024}


def sinergi_reimport(data_dir: str, xlsx: str, expected: dict[str, Any]) -> dict[str, Any]:
    """The same file imported again into the registry it filled, as an office does with next
    year's list: every row is compared with its registered enterprise, figures and
    organisations, and nothing is written. No target; shown for the update path's speed."""
    _django(data_dir)
    from django.core.files.base import ContentFile
    from django.db import connection

    from sinergi.core.services import SYSTEM
    from sinergi.imports import services
    from sinergi.registry.models import Enterprise, Figure, Organisation

    connection.ensure_connection()
    path = Path(xlsx)
    before = (Enterprise.objects.count(), Figure.objects.count(), Organisation.objects.count())
    with Meter(trace=False) as meter:
        upload = ContentFile(path.read_bytes(), name=path.name)
        batch = services.batch_upload(actor=SYSTEM, upload=upload)
        plan = services.batch_commit(batch, actor=SYSTEM, only_valid=False)
    counts = plan.counts()
    after = (Enterprise.objects.count(), Figure.objects.count(), Organisation.objects.count())
    rows = expected["rows"]
    if counts["unchanged"] != rows or counts["errors"] or after != before:
        raise AssertionError(f"the re-import changed something: {counts}, {before} -> {after}")
    return meter.result()


def _check_registry(batch, plan, summary, expected: dict[str, Any]) -> str:
    """The registry holds what the file says; raise AssertionError otherwise."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count, Sum

    from sinergi.core.models import AuditEntry
    from sinergi.registry.models import Enterprise, Figure, Organisation

    rows = expected["rows"]
    problems = []
    if batch.status != "committed":
        first = (summary["errors"] or [{}])[0]
        problems.append(f"batch status {batch.status!r}; first error: {first}")
    counts = plan.counts()
    if counts["created"] != rows or counts["errors"] or counts["skipped"] != expected["skipped"]:
        problems.append(f"plan counts {counts}")
    enterprises = Enterprise.objects.count()
    if enterprises != rows:
        problems.append(f"{enterprises} enterprises")
    sums = Figure.objects.filter(superseded_at__isnull=True).aggregate(
        figures=Count("id"), **{code: Sum(code) for code in FIGURES}
    )
    if sums["figures"] != rows:
        problems.append(f"{sums['figures']} figures")
    for code in FIGURES:
        if (sums[code] or 0) != expected[code]:
            problems.append(f"sum of {code} {sums[code]} != {expected[code]}")
    organisations = dict(
        Organisation.objects.values_list("type__code").annotate(n=Count("id")).order_by()
    )
    for code, count in expected["organisations"].items():
        if organisations.get(code, 0) != count:
            problems.append(f"{organisations.get(code, 0)} {code} organisations != {count}")
    zones = dict(Enterprise.objects.values_list("zone__code").annotate(n=Count("id")).order_by())
    if {k: v for k, v in zones.items() if v} != {k: v for k, v in expected["zones"].items() if v}:
        problems.append(f"enterprises by zone {zones} != {expected['zones']}")
    linked = Enterprise.objects.filter(latest_figure__isnull=False).count()
    if linked != rows:
        problems.append(f"{linked} enterprises point at their newest figures")
    # New enterprises are audited by the batch's one entry and point back at the batch.
    audited = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(batch), object_id=str(batch.pk)
    ).count()
    if audited != 2:  # the upload and the commit
        problems.append(f"{audited} audit entries for the batch")
    traced = Enterprise.objects.filter(created_by_import=batch).count()
    if traced != rows:
        problems.append(f"{traced} enterprises point at the batch that created them")
    if problems:
        raise AssertionError("the import did not do its work: " + "; ".join(problems))
    organisations_total = sum(expected["organisations"].values())
    return (
        f"{rows:,} enterprises, {rows:,} figures (workers {expected['workers']:,}, party members "
        f"{expected['party_members']:,}, union members {expected['union_members']:,}), "
        f"{organisations_total:,} organisations, {traced:,} created by the batch, "
        f"{expected['skipped']} rows skipped"
    )


# --- Exports -----------------------------------------------------------------------------------


def export_command(data_dir: str, out: str, expected: dict[str, Any], trace: bool) -> dict:
    """`sinergi export enterprises OUT.csv` (rows_as_of + csv_chunks)."""
    _django(data_dir)
    import io

    from django.core.management import call_command
    from django.db import connection

    connection.ensure_connection()
    said = io.StringIO()
    with Meter(trace) as meter:
        call_command("export", "enterprises", out, stdout=said)
    _check_csv(out, expected)
    return meter.result(said=said.getvalue().strip())


def export_list(data_dir: str, out: str, expected: dict[str, Any], trace: bool) -> dict:
    """The enterprise list page's CSV: current_rows over the list's annotated queryset."""
    _django(data_dir)
    from django.db import connection

    from sinergi.core.spreadsheets import csv_chunks
    from sinergi.registry import exporting
    from sinergi.registry.models import Enterprise, OrganisationType

    connection.ensure_connection()
    with Meter(trace) as meter:
        types = list(OrganisationType.objects.all())
        queryset = (
            Enterprise.objects.select_related("zone", "latest_figure")
            .with_organisation_flags(types)
            .order_by("name")
        )
        rows = exporting.current_rows(queryset, types)
        with open(out, "w", encoding="utf-8", newline="") as stream:
            stream.writelines(csv_chunks(exporting.enterprise_header(types), rows))
    _check_csv(out, expected)
    return meter.result()


def _check_csv(path: str, expected: dict[str, Any]) -> None:
    """N rows under the header, and the workers column adds up."""
    from sinergi.imports.columns import FIELDS

    with open(path, encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        column = header.index(str(FIELDS["workers"][0]))
        count = workers = 0
        for row in reader:
            count += 1
            workers += int(row[column] or 0)
    if count != expected["rows"] or workers != expected["workers"]:
        raise AssertionError(
            f"{path}: {count} rows and {workers} workers, expected {expected['rows']} and "
            f"{expected['workers']}"
        )


# --- Running the phases ------------------------------------------------------------------------


class PhaseError(RuntimeError):
    """A phase failed or its process ended without a result."""


def _child(sending, fn, args) -> None:
    try:
        sending.send(("ok", fn(*args)))
    except BaseException:
        sending.send(("error", traceback.format_exc()))
    finally:
        sending.close()


def _in_process(fn, *args) -> dict[str, Any]:
    """Run `fn(*args)` in a new spawned process, so its memory high-water mark is its own."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sending, fn, args), name=fn.__name__)
    process.start()
    sending.close()
    try:
        status, value = receiving.recv()
    except EOFError:
        process.join()
        code = process.exitcode
        how = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit code {code}"
        raise PhaseError(f"{fn.__name__}: its process ended without a result ({how})") from None
    finally:
        receiving.close()
    process.join()
    if status == "error":
        raise PhaseError(f"{fn.__name__} failed in its process:\n{value}")
    return value


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return min(runs, key=lambda r: r["seconds"])


def _load() -> str:
    """The machine's load average (other work running beside the benchmark skews its times)."""
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "n/a"


def run(args, root: Path) -> dict[str, Any]:
    results: dict[str, Any] = {"load_before": _load()}
    xlsx = str(root / f"enterprises-{args.rows}.xlsx")

    def say(text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)

    say(f"Generating {args.rows:,} rows into {xlsx} …")
    results["generate"] = _in_process(generate, xlsx, args.rows)
    expected = results["generate"]["expected"]

    say("Setting up a database (migrate, lao-cai preset) …")
    base = root / "base"
    results["setup"] = _in_process(set_up, str(base))

    say("Floor: python-calamine read + one-transaction executemany …")
    results["floor"] = _best(
        [
            _in_process(floor, xlsx, str(root / f"floor-{i}.sqlite3"), args.rows, False)
            for i in range(args.repeat)
        ]
    )
    say(f"  floor {results['floor']['seconds']:.2f} s")

    say("Sinergi import: batch_upload + batch_commit …")
    imports = []
    for i in range(args.repeat):
        data_dir = root / f"import-{i}"
        _copy_database(base, data_dir)
        imports.append(_in_process(sinergi_import, str(data_dir), xlsx, expected, False))
        imports[-1]["data_dir"] = str(data_dir)
        say(f"  import {imports[-1]['seconds']:.2f} s")
    results["import"] = _best(imports)
    registry = imports[0]["data_dir"]

    say("sinergi import FILE, the whole command, and on a 10-row file for its baseline …")
    small = str(root / "enterprises-10.xlsx")
    small_rows = _in_process(generate, small, 10)["expected"]["rows"]
    commands, baselines = [], []
    for i in range(args.repeat):
        for name, file, count, runs in (
            ("command", xlsx, expected["rows"], commands),
            ("baseline", small, small_rows, baselines),
        ):
            data_dir = root / f"{name}-{i}"
            _copy_database(base, data_dir)
            runs.append(_in_process(command_import, str(data_dir), file, count))
        say(f"  sinergi import {commands[-1]['seconds']:.2f} s")
    results["command"] = _best(commands)
    results["command_baseline"] = min(baselines, key=lambda r: r["rss_peak_mb"])

    say("The import's database work alone: the same rows, executemany into the same tables …")
    results["database"] = _best(
        [
            _in_process(database_work, str(base), registry, str(root / f"database-{i}"))
            for i in range(args.repeat)
        ]
    )

    say("The same file imported again into the registry it filled …")
    reimports = []
    for i in range(args.repeat):
        data_dir = root / f"reimport-{i}"
        _copy_database(Path(registry), data_dir)
        reimports.append(_in_process(sinergi_reimport, str(data_dir), xlsx, expected))
    results["reimport"] = _best(reimports)

    say("Export CSV: sinergi export enterprises …")
    results["export"] = _best(
        [
            _in_process(export_command, registry, str(root / "export.csv"), expected, False)
            for _ in range(args.repeat)
        ]
    )
    say("Export CSV: the enterprise list page …")
    results["export_list"] = _best(
        [
            _in_process(export_list, registry, str(root / "export-list.csv"), expected, False)
            for _ in range(args.repeat)
        ]
    )

    if args.trace:
        say("Second pass with tracemalloc, for the Python allocation peaks …")
        traced = {
            "floor": _in_process(floor, xlsx, str(root / "floor-traced.sqlite3"), args.rows, True)
        }
        data_dir = root / "import-traced"
        _copy_database(base, data_dir)
        traced["import"] = _in_process(sinergi_import, str(data_dir), xlsx, expected, True)
        traced["export"] = _in_process(
            export_command, registry, str(root / "export-traced.csv"), expected, True
        )
        traced["export_list"] = _in_process(
            export_list, registry, str(root / "export-list-traced.csv"), expected, True
        )
        for key, result in traced.items():
            results[key]["py_peak_mb"] = result["py_peak_mb"]
            results[key]["traced_seconds"] = result["seconds"]

    if args.profile:
        say(f"Profiling the import into {args.profile} …")
        data_dir = root / "import-profiled"
        _copy_database(base, data_dir)
        _in_process(sinergi_import, str(data_dir), xlsx, expected, False, args.profile)
    results["load_after"] = _load()
    return results


# --- Reporting ---------------------------------------------------------------------------------


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _per_row(megabytes: float | None, rows: int) -> str:
    return "-" if megabytes is None else f"{megabytes * 1024 / rows:.2f} KB/row"


def _memory_line(results: dict[str, Any], rows: int) -> str:
    """The import's peak memory beyond its baseline per row, against the target: the RSS
    growth (everything the process took, the reader's own buffers included) decides; the
    Python allocation peak and the floor's RSS growth are shown beside it."""
    imported, floor_run = results["import"], results["floor"]
    growth, py_peak = imported["rss_growth_mb"], imported["py_peak_mb"]
    verdict = (
        "-" if growth is None else "PASS" if growth * 1024 / rows <= MEMORY_TARGET_KB else "FAIL"
    )
    return (
        f"import memory = RSS growth {_mb(growth)} MB = {_per_row(growth, rows)}"
        f" (target ≤ {MEMORY_TARGET_KB:.1f} KB/row): {verdict}; Python peak {_mb(py_peak)} MB"
        f" = {_per_row(py_peak, rows)}; floor RSS growth {_mb(floor_run['rss_growth_mb'])} MB"
        f" = {_per_row(floor_run['rss_growth_mb'], rows)}"
    )


def report(args, results: dict[str, Any]) -> None:
    floor_s = results["floor"]["seconds"]
    import_s = results["import"]["seconds"]
    export_s = results["export"]["seconds"]
    list_s = results["export_list"]["seconds"]
    ratio = import_s / floor_s
    size = results["generate"]["expected"]["bytes"] / (1024 * 1024)
    lines = [
        "",
        f"Sinergi import/export benchmark: {args.rows:,} rows, XLSX {size:.1f} MB, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
        + (f", best of {args.repeat}" if args.repeat > 1 else ""),
        "",
        f"{'phase':<52}{'seconds':>9}{'peak RSS MB':>13}{'RSS growth MB':>15}{'py peak MB':>12}",
        "-" * 101,
    ]

    def line(label: str, result: dict[str, Any] | None, seconds: float | None = None) -> None:
        seconds = result["seconds"] if seconds is None else seconds
        if result is None:
            lines.append(f"{label:<52}{seconds:>9.2f}")
            return
        lines.append(
            f"{label:<52}{seconds:>9.2f}{_mb(result['rss_peak_mb']):>13}"
            f"{_mb(result['rss_growth_mb']):>15}{_mb(result['py_peak_mb']):>12}"
        )

    line("generate XLSX, openpyxl (not measured)", results["generate"])
    line("set up database: migrate + lao-cai (not measured)", results["setup"])
    line("floor: calamine read + sqlite executemany", results["floor"])
    line("  read (calamine to_python)", None, results["floor"]["parts"]["read"])
    line("  insert (executemany, one transaction)", None, results["floor"]["parts"]["insert"])
    line("import: batch_upload + batch_commit", results["import"])
    for name in (
        "upload",
        "read",
        "plan: parse and validate rows",
        "plan: compare with registry",
        "write",
        "rest of commit",
    ):
        label = {
            "upload": "upload (hash, store file, audit)",
            "read": "read (read_table, calamine)",
            "write": "write (_write: bulk inserts, one transaction)",
            "rest of commit": "rest (report, batch, audit, refresh, summary)",
        }.get(name, name)
        if name in results["import"]["parts"]:
            line(f"  {label}", None, results["import"]["parts"][name])
    database = results["database"]
    line("import's database work alone (same rows, executemany)", database)
    for table, seconds in database["parts"].items():
        count = database["rows"].get(table)
        line(f"  {table}" + (f" ({count:,} rows)" if count is not None else ""), None, seconds)
    lines.append(
        f"{'sinergi import FILE: the whole command, a new process':<52}"
        f"{results['command']['seconds']:>9.2f}{_mb(results['command']['rss_peak_mb']):>13}"
    )
    lines.append(
        f"{'  the same command on a 10-row file (baseline)':<52}"
        f"{results['command_baseline']['seconds']:>9.2f}"
        f"{_mb(results['command_baseline']['rss_peak_mb']):>13}"
    )
    line("re-import the same file (all unchanged; no target)", results["reimport"])
    line("export CSV: sinergi export enterprises", results["export"])
    line("export CSV: enterprise list page (current_rows)", results["export_list"])
    lines.append("-" * 101)
    if "traced_seconds" in results["import"]:
        lines.append(
            "py peak MB: tracemalloc peak, from a second pass with tracing on (import took "
            f"{results['import']['traced_seconds']:.1f} s there); RSS from the timed pass."
        )
    lines.append(f"checked: {results['import']['checked']}; both CSV files: {args.rows:,} rows")
    lines.append(f"code measured: {results['import']['code']}")
    lines.append(
        f"load average (1/5/15 min): {results['load_before']} before, {results['load_after']} after"
    )
    lines.append("")
    lines.append(
        f"floor = {floor_s:.2f} s; import = {import_s:.2f} s; ratio = {ratio:.2f} "
        f"(target ≤ {RATIO_TARGET:.1f}): {'PASS' if ratio <= RATIO_TARGET else 'FAIL'}"
    )
    command_s = results["command"]["seconds"]
    lines.append(
        f"floor = {floor_s:.2f} s; sinergi import FILE (whole command) = {command_s:.2f} s; "
        f"ratio = {command_s / floor_s:.2f} (target ≤ {RATIO_TARGET:.1f}): "
        f"{'PASS' if command_s / floor_s <= RATIO_TARGET else 'FAIL'}"
    )
    least = results["floor"]["parts"]["read"] + database["seconds"]
    lines.append(
        f"least possible import = floor read + database work alone = {least:.2f} s; "
        f"ratio {least / floor_s:.2f} at best"
    )
    lines.append(_memory_line(results, args.rows))
    peak, baseline = results["command"]["rss_peak_mb"], results["command_baseline"]["rss_peak_mb"]
    lines.append(
        f"command memory = peak RSS {_mb(peak)} MB - the same command's on a 10-row file"
        f" {_mb(baseline)} MB = {_per_row(peak - baseline, args.rows)}"
        f" (target ≤ {MEMORY_TARGET_KB:.1f} KB/row):"
        f" {'PASS' if (peak - baseline) * 1024 / args.rows <= MEMORY_TARGET_KB else 'FAIL'}"
    )
    lines.append(
        f"export CSV = {export_s:.2f} s (target ≤ {EXPORT_TARGET:.1f} s): "
        f"{'PASS' if export_s <= EXPORT_TARGET else 'FAIL'}  [sinergi export enterprises]"
    )
    lines.append(
        f"export CSV (list page) = {list_s:.2f} s (target ≤ {EXPORT_TARGET:.1f} s): "
        f"{'PASS' if list_s <= EXPORT_TARGET else 'FAIL'}"
    )
    print("\n".join(lines), flush=True)
    if args.profile:
        import pstats

        print(f"\nImport profile ({args.profile}), top 25 by own time:", flush=True)
        pstats.Stats(args.profile).sort_stats("tottime").print_stats(25)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="data rows (default 100000)")
    parser.add_argument(
        "--keep", metavar="DIR", help="work in DIR (new or empty) and keep the files there"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="timed runs per phase; the best counts (default 1)"
    )
    parser.add_argument(
        "--no-trace",
        dest="trace",
        action="store_false",
        help="skip the second pass that measures Python allocation peaks with tracemalloc",
    )
    parser.add_argument("--profile", metavar="OUT.prof", help="also profile one import (cProfile)")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")
    if args.profile:
        args.profile = str(Path(args.profile).resolve())
    _clean_environment()
    if args.keep:
        root = Path(args.keep).resolve()
        if root.exists() and any(root.iterdir()):
            parser.error(f"--keep {root}: the folder must be new or empty")
        root.mkdir(parents=True, exist_ok=True)
    else:
        root = Path(tempfile.mkdtemp(prefix="sinergi-bench-"))
    try:
        results = run(args, root)
    except PhaseError as error:
        print(error, file=sys.stderr)
        print("\nThe benchmark broke; no verdict.", file=sys.stderr)
        return 1
    except Exception:
        traceback.print_exc()
        print("\nThe benchmark broke; no verdict.", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    report(args, results)
    if args.keep:
        print(f"\nFiles kept in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
