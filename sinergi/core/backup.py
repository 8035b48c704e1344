"""Backup and restore: one archive holding the database in its native form, the uploaded files
and a manifest that lets a restore refuse what does not fit and prove what it restored.

Archive (`.tar.gz`):
  manifest.json        Sinergi version, database vendor, applied migrations, per table the
                       row count and a content digest, and a SHA-256 per member
  database.sqlite3     SQLite: a consistent copy made with sqlite3's online backup API
  database.dump        PostgreSQL: `pg_dump --format=custom`
  media/...            the files under MEDIA_ROOT (attachments, import uploads)
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for an operator."""


# --- What the database holds ------------------------------------------------------------------


def table_summary(using: BaseDatabaseWrapper | None = None) -> dict[str, dict[str, Any]]:
    """Per table: the row count and a SHA-256 over every row, in a fixed order, so two
    databases of the same vendor with the same content give the same summary. `using` is the
    connection to read (the default one unless given: a backup reads its own snapshot)."""
    db = using or connection
    summary = {}
    with db.cursor() as cursor:
        for table in sorted(db.introspection.table_names(cursor)):
            columns = [c.name for c in db.introspection.get_table_description(cursor, table)]
            order = ", ".join(str(i + 1) for i in range(len(columns)))
            cursor.execute(f"SELECT * FROM {db.ops.quote_name(table)} ORDER BY {order}")
            digest, rows = hashlib.sha256(), 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(_plain(v) for v in row)).encode("utf-8"))
                rows += 1
            summary[table] = {"rows": rows, "digest": digest.hexdigest()}
    return summary


def _plain(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, dict | list):  # PostgreSQL returns json columns decoded
        return json.dumps(value, sort_keys=True)
    return value


def applied_migrations(using: BaseDatabaseWrapper | None = None) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(
        MigrationLoader(using or connection, ignore_no_migrations=True).applied_migrations
    ):
        applied.setdefault(app, []).append(name)
    return applied


def known_migrations() -> set[tuple[str, str]]:
    """The migrations this installation's code ships."""
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _version() -> str:
    try:
        return importlib.metadata.version("sinergi")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - run from a checkout
        return "unknown"


# --- PostgreSQL tools -------------------------------------------------------------------------


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    params = connection.settings_dict
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            args += [flag, str(params[key])]
    return env, args


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} was not found: install the PostgreSQL client tools."
        ) from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


# --- Backup -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _other_database(
    name: str, options: dict[str, Any] | None = None
) -> Iterator[BaseDatabaseWrapper]:
    """A Django connection to a database other than the live one (a backup's copy), so it is
    read exactly as the live one is (same type conversions, same introspection). It is
    registered under an alias of its own while in use, which Django's introspection needs."""
    alias = f"sinergi-backup-{os.getpid()}"
    settings_dict = {**connection.settings_dict, "NAME": name}
    if options is not None:
        settings_dict["OPTIONS"] = options
    copy = type(connections[DEFAULT_DB_ALIAS])(settings_dict, alias)
    connections[alias] = copy
    try:
        yield copy
    finally:
        copy.close()
        del connections[alias]


def _sqlite_file(path: Path) -> contextlib.AbstractContextManager[BaseDatabaseWrapper]:
    """A connection to a SQLite file other than the live database (a backup's copy)."""
    return _other_database(str(path), options={})


@contextlib.contextmanager
def _postgres_scratch(dump: Path) -> Iterator[BaseDatabaseWrapper]:
    """The dump restored into a database of its own beside the live one, read through a
    connection of its own, then dropped: a restore checks the archive's whole content there
    before it touches the live database. The database role needs the right to create one."""
    name = f"{connection.settings_dict['NAME']}_restore_check"[:63]
    quoted = connection.ops.quote_name(name)
    env, args = _pg_env_and_args()
    try:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
            cursor.execute(f"CREATE DATABASE {quoted}")
    except DatabaseError as exc:
        raise BackupError(
            f"A restore first loads the backup into a database of its own ({name}) to check it "
            f"before replacing anything, and this database role cannot create one: {exc}"
        ) from exc
    try:
        _run(
            ["pg_restore", "--no-owner", "--single-transaction", "--exit-on-error",
             f"--dbname={name}", *args, str(dump)],
            env,
        )  # fmt: skip
        with _other_database(name) as copy:
            yield copy
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")


def _dump_database(target: Path, snapshot: str | None = None) -> None:
    """Write the database to `target`: SQLite through the online backup API (a consistent
    state even while others write), PostgreSQL with pg_dump in the exported `snapshot`."""
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    elif vendor == "postgresql":
        env, args = _pg_env_and_args()
        name = connection.settings_dict["NAME"]
        dump = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", *args]
        if snapshot:
            dump.append(f"--snapshot={snapshot}")
        _run([*dump, name], env)
    else:  # pragma: no cover
        raise BackupError(f"Backups of a {vendor} database are not supported.")


def _snapshot_and_summary(target: Path) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Dump the database to `target` and describe (tables, migrations) that very state, not
    the live database a moment later: on SQLite the summary is read from the copy; on
    PostgreSQL the dump and the summary share one repeatable-read snapshot, held open by a
    connection of their own until both are done."""
    if connection.vendor == "sqlite":
        _dump_database(target)
        with _sqlite_file(target) as copy:
            return table_summary(copy), applied_migrations(copy)
    held = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        held.ensure_connection()
        held.set_autocommit(False)
        with held.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        _dump_database(target, snapshot)
        return table_summary(held), applied_migrations(held)
    finally:
        try:
            held.rollback()
        finally:
            held.close()


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def create_backup(archive: Path) -> dict[str, Any]:
    """Write the archive (atomically: a partial file never bears the final name)."""
    archive = Path(archive)
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBER:
        raise BackupError(f"Backups of a {vendor} database are not supported.")
    with tempfile.TemporaryDirectory(prefix="sinergi-backup-") as work:
        database = Path(work) / DATABASE_MEMBER[vendor]
        tables, migrations = _snapshot_and_summary(database)
        media_root = Path(settings.MEDIA_ROOT)
        files = _media_files()
        manifest = {
            "format": FORMAT,
            "sinergi_version": _version(),
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "vendor": vendor,
            "migrations": migrations,
            "tables": tables,
            "database": {"member": database.name, "sha256": _sha256(database)},
            "files": {f"{MEDIA}/{p.relative_to(media_root).as_posix()}": _sha256(p) for p in files},
        }
        partial = archive.with_name(archive.name + ".partial")
        # Owner-only from the start: the archive holds every password hash and upload.
        partial.unlink(missing_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            payload = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
            tar.add(database, arcname=database.name)
            for path in files:
                tar.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root).as_posix()}")
        partial.replace(archive)
    return manifest


# --- Restore ----------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return json.loads(member.read().decode("utf-8"))
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{archive} is not a Sinergi backup ({exc}).") from exc


def check_manifest(manifest: dict[str, Any]) -> None:
    """Refuse a backup this installation cannot restore, before anything is touched."""
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    vendor = connection.vendor
    if manifest.get("vendor") != vendor:
        raise BackupError(
            f"This backup holds a {manifest.get('vendor')} database; this installation uses "
            f"{vendor}. Restore it on an installation configured for {manifest.get('vendor')}."
        )
    unknown = {
        (app, name) for app, names in manifest.get("migrations", {}).items() for name in names
    } - known_migrations()
    if unknown:
        listed = ", ".join(f"{app}.{name}" for app, name in sorted(unknown)[:5])
        raise BackupError(
            f"This backup was made by a newer Sinergi ({manifest.get('sinergi_version')}): "
            f"its database has migrations this version does not know ({listed}). "
            "Upgrade Sinergi first, then restore."
        )


def _extract(archive: Path, manifest: dict[str, Any], work: Path) -> tuple[Path, Path]:
    """Unpack into `work`, checking every member against the manifest's checksum."""
    expected = {manifest["database"]["member"]: manifest["database"]["sha256"]}
    expected.update(manifest.get("files", {}))
    media = work / MEDIA
    media.mkdir()
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            if member.name == MANIFEST:
                continue
            if member.name not in expected or not member.isfile():
                raise BackupError(f"Unexpected member in the backup: {member.name}")
            tar.extract(member, work, filter="data")
    for name, checksum in expected.items():
        path = work / name
        if not path.is_file() or _sha256(path) != checksum:
            raise BackupError(f"The backup is damaged: {name} does not match its checksum.")
    return work / manifest["database"]["member"], media


def _verify_database(dump: Path, manifest: dict[str, Any]) -> None:
    """Prove the unpacked database is what the manifest describes before anything is replaced.
    SQLite: open the copy, check its integrity and compare every table with the manifest.
    PostgreSQL: pg_restore must read the whole dump's table of contents, then the dump is
    restored into a scratch database whose every table is compared with the manifest."""
    if connection.vendor == "sqlite":
        try:
            with _sqlite_file(dump) as copy:
                with copy.cursor() as cursor:
                    cursor.execute("PRAGMA integrity_check")
                    verdict = cursor.fetchone()[0]
                if verdict != "ok":
                    raise BackupError(f"The backup's database is damaged: {verdict}")
                found = table_summary(copy)
        except DatabaseError as exc:
            raise BackupError(f"The backup's database cannot be read: {exc}") from exc
        _compare(found, manifest, "The backup's database differs from its manifest")
    else:
        _run(["pg_restore", "--list", str(dump)], {**os.environ})
        with _postgres_scratch(dump) as copy:
            found = table_summary(copy)
        _compare(found, manifest, "The backup's database differs from its manifest")


def _compare(found: dict[str, Any], manifest: dict[str, Any], message: str) -> None:
    differing = sorted(
        table
        for table in set(found) | set(manifest["tables"])
        if found.get(table) != manifest["tables"].get(table)
    )
    if differing:
        raise BackupError(f"{message} in: " + ", ".join(differing[:10]))


def _load_database(dump: Path) -> None:
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connection.close()  # hold no lock on the tables pg_restore drops
        env, args = _pg_env_and_args()
        name = connection.settings_dict["NAME"]
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={name}",
                *args,
                str(dump),
            ],
            env,
        )


def _replace_media(unpacked: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    previous = root.with_name(root.name + ".before-restore")
    if previous.exists():
        shutil.rmtree(previous)
    if root.exists():
        root.rename(previous)
    shutil.move(str(unpacked), str(root))
    shutil.rmtree(previous, ignore_errors=True)


def restore_backup(archive: Path) -> dict[str, Any]:
    """Replace the database and the uploaded files by the archive's, then prove the tables
    hold exactly what was backed up."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    check_manifest(manifest)
    with tempfile.TemporaryDirectory(prefix="sinergi-restore-") as work:
        dump, media = _extract(archive, manifest, Path(work))
        _verify_database(dump, manifest)
        _load_database(dump)
        _replace_media(media)
    _compare(table_summary(), manifest, "The restored database differs from the backup")
    return manifest
