"""Progress of long work, readable from any process (web servers and the background worker).

Kept in small files in the data folder rather than the database: a long import writes in one
transaction, and on SQLite nothing else can be written while it runs."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django.conf import settings


def _path(key: str) -> Path:
    folder = Path(settings.DATA_DIR) / "progress"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{key}.json"


def report(key: str, done: int, total: int, stage: str = "") -> None:
    path = _path(key)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(
        json.dumps({"done": done, "total": total, "stage": stage, "at": time.time()})
    )
    os.replace(temporary, path)


def read(key: str) -> dict:
    try:
        return json.loads(_path(key).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {"done": 0, "total": 0, "stage": ""}


def percent(key: str) -> int:
    state = read(key)
    return int(100 * state["done"] / state["total"]) if state.get("total") else 0


def clear(key: str) -> None:
    _path(key).unlink(missing_ok=True)
