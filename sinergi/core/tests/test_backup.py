"""`sinergi backup` and `sinergi restore`: a round trip gives back exactly the same data, on
SQLite and on PostgreSQL (whichever the suite runs on); a backup that does not fit is refused
before anything is touched."""

from __future__ import annotations

import io
import json
import stat
import tarfile
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sinergi.core import backup
from sinergi.core.services import SYSTEM
from sinergi.core.testing import build_world
from sinergi.programs import services as program_services
from sinergi.programs.models import Attachment
from sinergi.programs.testing import build_program
from sinergi.registry import services as registry_services
from sinergi.registry.models import Enterprise

# Restoring replaces whole tables: the test cannot run inside a transaction that is rolled back.
pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def populated():
    world = build_world()
    built = build_program(world)
    report = program_services.progress_report_save(
        actor=world.users["editor_b"],
        task=built.tasks["b"],
        unit=world.units["bloc_dept"],
        period=built.period("quarter", 2024, 1),
        data={"task_status": "in_progress", "percent_done": 10, "narrative": "Bắt đầu."},
    )
    attachment = program_services.attachment_add(
        actor=world.users["editor_b"],
        parent=report,
        data={"file": SimpleUploadedFile("biên bản.pdf", PDF, "application/pdf")},
    )
    return world, attachment


def test_a_round_trip_restores_identical_data_and_files(populated, tmp_path):
    _world, attachment = populated
    stored = Path(attachment.file.path)
    archive = tmp_path / "sinergi.tar.gz"
    manifest = backup.create_backup(archive)
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"]["registry_enterprise"]["rows"] == 2
    assert any(name.endswith(".pdf") for name in manifest["files"])
    before = backup.table_summary()

    # Life goes on after the backup: a new enterprise, a lost file, a stray one.
    registry_services.enterprise_create(
        actor=SYSTEM, data={"tax_id": "0100109106", "name": "Sau sao lưu", "ownership": "state"}
    )
    stored.unlink()
    stray = Path(settings.MEDIA_ROOT) / "stray.txt"
    stray.write_text("x")
    assert backup.table_summary() != before

    backup.restore_backup(archive)
    assert backup.table_summary() == before == manifest["tables"]
    assert not Enterprise.objects.filter(name="Sau sao lưu").exists()
    assert stored.read_bytes() == PDF and not stray.exists()
    assert Attachment.objects.get(pk=attachment.pk).file.read() == PDF


def test_the_commands_back_up_and_restore(populated, tmp_path):
    archive = tmp_path / "nightly.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "Backed up" in out.getvalue() and archive.exists()
    assert not archive.with_name(archive.name + ".partial").exists()
    Enterprise.objects.filter(tax_id="5300100031").update(name="Đổi tên")
    call_command("restore", str(archive), interactive=False, stdout=out)
    assert Enterprise.objects.get(tax_id="5300100031").name == "Công ty Cổ phần Hóa chất Duyên Hải"


def _rewrite(archive: Path, change) -> Path:
    """A copy of the archive whose manifest (or members) `change` alters."""
    target = archive.with_name("altered.tar.gz")
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == backup.MANIFEST:
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            elif member.name.endswith(".pdf") and change.__name__ == "damage":
                data = data + b"tampered"
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def test_a_backup_of_another_database_vendor_is_refused(populated, tmp_path):
    archive = tmp_path / "a.tar.gz"
    backup.create_backup(archive)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    altered = _rewrite(archive, lambda manifest: manifest.update(vendor=other))
    with pytest.raises(CommandError, match=f"holds a {other} database"):
        call_command("restore", str(altered), interactive=False)


def test_a_backup_from_a_newer_sinergi_is_refused_untouched(populated, tmp_path):
    archive = tmp_path / "a.tar.gz"
    backup.create_backup(archive)
    altered = _rewrite(
        archive, lambda manifest: manifest["migrations"]["registry"].append("9999_future")
    )
    Enterprise.objects.filter(tax_id="5300100031").update(name="Giữ nguyên")
    with pytest.raises(backup.BackupError, match=r"registry\.9999_future"):
        backup.restore_backup(altered)
    assert Enterprise.objects.get(tax_id="5300100031").name == "Giữ nguyên"


def test_a_damaged_backup_is_refused_before_anything_changes(populated, tmp_path):
    archive = tmp_path / "a.tar.gz"
    backup.create_backup(archive)

    def damage(manifest):
        return None

    altered = _rewrite(archive, damage)
    Enterprise.objects.filter(tax_id="5300100031").update(name="Giữ nguyên")
    with pytest.raises(backup.BackupError, match="does not match its checksum"):
        backup.restore_backup(altered)
    assert Enterprise.objects.get(tax_id="5300100031").name == "Giữ nguyên"


def test_a_file_that_is_no_backup_is_refused(db, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="is not a Sinergi backup"):
        call_command("restore", str(junk), interactive=False)


def test_a_backup_taken_while_people_write_restores_cleanly(populated, tmp_path, monkeypatch):
    """A write landing right after the database was copied is in neither the copy nor the
    manifest: both describe the same moment, so the restore matches table for table."""
    dump = backup._dump_database

    def dump_then_someone_writes(*args, **kwargs):
        dump(*args, **kwargs)

        def write():
            try:
                registry_services.enterprise_create(
                    actor=SYSTEM,
                    data={
                        "tax_id": "0100109106",
                        "name": "Trong lúc sao lưu",
                        "ownership": "state",
                    },
                )
            finally:
                connection.close()

        # Another connection, as another person's request would be.
        thread = threading.Thread(target=write)
        thread.start()
        thread.join()

    monkeypatch.setattr(backup, "_dump_database", dump_then_someone_writes)
    archive = tmp_path / "busy.tar.gz"
    manifest = backup.create_backup(archive)
    assert Enterprise.objects.filter(name="Trong lúc sao lưu").exists()
    assert manifest["tables"]["registry_enterprise"]["rows"] == 2

    backup.restore_backup(archive)
    assert backup.table_summary() == manifest["tables"]
    assert not Enterprise.objects.filter(name="Trong lúc sao lưu").exists()


def test_a_backup_is_readable_by_its_owner_alone(populated, tmp_path):
    archive = tmp_path / "private.tar.gz"
    backup.create_backup(archive)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600


def test_a_database_that_differs_from_its_manifest_is_refused_before_anything_changes(
    populated, tmp_path
):
    """The checksums match (the manifest was rewritten with them), but the rows do not: the
    restore compares the unpacked copy with the manifest before replacing anything."""
    archive = tmp_path / "a.tar.gz"
    backup.create_backup(archive)
    altered = _rewrite(
        archive, lambda manifest: manifest["tables"]["registry_enterprise"].update(rows=99)
    )
    Enterprise.objects.filter(tax_id="5300100031").update(name="Giữ nguyên")
    with pytest.raises(backup.BackupError, match="differs from its manifest in: registry_ent"):
        backup.restore_backup(altered)
    assert Enterprise.objects.get(tax_id="5300100031").name == "Giữ nguyên"
