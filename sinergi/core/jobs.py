"""Background jobs a stopped worker left "running".

A worker claims a job by writing its id on it. Sinergi's workers name themselves after their
host and process (`worker_id`), so a worker starting on a host can tell which jobs marked
running there belong to a process that no longer exists (killed, crashed, the machine
restarted) and mark them failed: what waited for them (an import batch) is then recovered
instead of waiting forever. Jobs of workers on other hosts are left to those hosts' workers.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class WorkerStopped(Exception):
    """The worker running the job stopped before the job finished."""


def _host() -> str:
    return socket.gethostname().split(".")[0][:40] or "localhost"


def worker_id() -> str:
    """A worker's id: its host, its process and a random tail (unique in the pool, ≤ 64)."""
    return f"{_host()}:{os.getpid()}:{get_random_string(8)}"


def _process_is_a_worker(pid: int) -> bool:
    """True when a process `pid` exists and, where the system tells (Linux /proc), runs a
    Sinergi worker: a process that reused the number is not the worker that claimed the job."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, another user's
    command = Path(f"/proc/{pid}/cmdline")
    try:
        words = command.read_bytes().split(b"\0")
    except OSError:
        return True  # no /proc: trust that it exists
    return any(b"worker" in word for word in words)


def abandoned_jobs_fail() -> int:
    """Mark failed the jobs marked running by a worker of this host whose process is gone;
    return how many."""
    host = _host()
    failed = 0
    for job in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        claimed_by = (job.worker_ids or [""])[-1]
        parts = claimed_by.split(":")
        if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
            continue
        if _process_is_a_worker(int(parts[1])):
            continue
        job.set_failed(WorkerStopped(f"worker {claimed_by} stopped before the job finished"))
        failed += 1
    return failed
