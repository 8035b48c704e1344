"""Imports that collide or stop half-way (issue 17, defect 6): two imports of the same file at
once end with a clear message and nothing half-written; batches a stopped process left behind
are recovered when a worker starts."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from sinergi.core import jobs
from sinergi.core.services import SYSTEM
from sinergi.imports import commit, services
from sinergi.imports.models import BatchStatus, ImportBatch
from sinergi.imports.tests.factories import row, xlsx
from sinergi.registry.models import Enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


ROWS = [row(1, "5300200001"), row(2, "5300200002")]


def _upload(name: str = "danh_sach.xlsx", actor=SYSTEM) -> ImportBatch:
    return services.batch_upload(actor=actor, upload=ContentFile(xlsx(ROWS), name=name))


def _the_other_import_commits_first(monkeypatch, other: ImportBatch) -> None:
    """While this import is between its check and its write, the other import (same file)
    commits — as a second `sinergi import` of the file does."""
    store = commit.store_plan
    pending = [other]

    def store_then_let_the_other_commit(batch, plan):
        store(batch, plan)
        if pending and batch.pk != pending[0].pk:
            services.batch_commit(pending.pop(), actor=SYSTEM)

    monkeypatch.setattr(commit, "store_plan", store_then_let_the_other_commit)


def test_two_imports_of_one_file_at_once_end_with_a_clear_message(world, monkeypatch):
    first, second = _upload(), _upload()
    _the_other_import_commits_first(monkeypatch, first)
    with pytest.raises(Exception) as refused:
        services.batch_commit(second, actor=SYSTEM)
    assert getattr(refused.value, "code", "") == "concurrent_import"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == BatchStatus.COMMITTED
    assert second.status == BatchStatus.FAILED and "nothing of this file" in second.failure
    # The registry holds the first import's rows once, nothing of the second.
    assert Enterprise.objects.filter(tax_id__in=["5300200001", "5300200002"]).count() == 2


def test_the_command_line_reports_the_collision_without_a_traceback(world, monkeypatch, tmp_path):
    path = tmp_path / "danh_sach.xlsx"
    path.write_bytes(xlsx(ROWS))
    first = _upload()
    _the_other_import_commits_first(monkeypatch, first)
    with pytest.raises(CommandError, match="Upload it again"):
        call_command("import", str(path))


def test_a_worker_starting_recovers_batches_a_stopped_process_left_behind(world, settings):
    admin = world.users["admin"]
    checking, committing, waiting = (
        _upload(name, admin) for name in ("a.xlsx", "b.xlsx", "c.xlsx")
    )
    ImportBatch.objects.filter(pk=checking.pk).update(status=BatchStatus.CHECKING)
    ImportBatch.objects.filter(pk=committing.pk).update(status=BatchStatus.COMMITTING)
    # `waiting` has its check job queued in the database: a worker will run it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from sinergi.imports import tasks

    tasks.check_batch.enqueue(waiting.pk)
    ImportBatch.objects.filter(pk=waiting.pk).update(status=BatchStatus.QUEUED)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    assert services.batches_recover() == {"requeued": 1, "failed": 1}
    checking.refresh_from_db()
    committing.refresh_from_db()
    waiting.refresh_from_db()
    assert checking.status == BatchStatus.CHECKED  # checked again (immediately, in tests)
    assert committing.status == BatchStatus.FAILED and "interrupted" in committing.failure
    assert waiting.status == BatchStatus.QUEUED  # left to the worker that will take its job
    assert services.batches_recover() == {"requeued": 0, "failed": 0}


@pytest.mark.django_db(transaction=True)
def test_sinergi_worker_recovers_then_runs_the_check(world, settings):
    """The worker closes its database connection after a job: the test commits for real."""
    batch = _upload("d.xlsx", world.users["admin"])
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.CHECKING)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CHECKED


def test_a_check_whose_worker_died_is_recovered_when_a_worker_starts(world, settings):
    """A worker killed mid-check leaves its job "running": the next worker on the host sees
    that the process is gone, fails the job and checks the batch again. A job of a worker that
    still runs, and one of another host, are left alone."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    from sinergi.imports import tasks

    admin = world.users["admin"]
    orphan, running, elsewhere = (_upload(n, admin) for n in ("e.xlsx", "f.xlsx", "g.xlsx"))
    gone = subprocess.Popen([sys.executable, "-c", "pass", "worker"])
    gone.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "worker"])
    host = jobs.worker_id().split(":")[0]
    try:
        claims = {
            orphan: f"{host}:{gone.pid}:aaaaaaaa",
            running: f"{host}:{alive.pid}:bbbbbbbb",
            elsewhere: f"another-host:{gone.pid}:cccccccc",
        }
        for batch, claimed_by in claims.items():
            result = tasks.check_batch.enqueue(batch.pk)
            DBTaskResult.objects.filter(pk=result.id).update(
                status="RUNNING", worker_ids=[claimed_by]
            )
            ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.CHECKING)
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }

        assert jobs.abandoned_jobs_fail() == 1
        assert services.batches_recover() == {"requeued": 1, "failed": 0}
        statuses = {
            ids[0]: status
            for ids, status in DBTaskResult.objects.values_list("worker_ids", "status")
        }
        assert statuses == {
            claims[orphan]: "FAILED",
            claims[running]: "RUNNING",
            claims[elsewhere]: "RUNNING",
        }
        for batch, status in (
            (orphan, BatchStatus.CHECKED),  # checked again (immediately, in tests)
            (running, BatchStatus.CHECKING),
            (elsewhere, BatchStatus.CHECKING),
        ):
            batch.refresh_from_db()
            assert batch.status == status
    finally:
        alive.kill()
        alive.wait()


def test_a_worker_names_itself_after_its_host_and_process():
    host, pid, tail = jobs.worker_id().split(":")
    assert host and pid == str(os.getpid()) and len(tail) == 8 and len(jobs.worker_id()) <= 64
