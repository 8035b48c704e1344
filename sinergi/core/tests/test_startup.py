"""What starting Django costs every `sinergi` command: `django.setup()` must not import the web
pages' code (views, charts, spreadsheet writers). A command that needs them imports them itself;
the others (`sinergi import`, `sinergi export`, the worker) start in half the time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings

HEAVY = ("sinergi.registry.views", "sinergi.registry.charts", "matplotlib", "openpyxl")


def _printed_by_new_process(script: str, data_dir) -> Any:
    """What `script`, run in a new Python process with Sinergi's settings and `data_dir` as its
    data folder, prints as JSON on its last line."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "sinergi.settings"}
    environment["SINERGI_DATA_DIR"] = str(data_dir)
    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_setting_up_django_imports_no_views_charts_or_spreadsheet_writers(tmp_path):
    script = (
        "import json, sys, django; django.setup(); "
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    )
    assert _printed_by_new_process(script, tmp_path) == []


def test_a_server_process_loads_its_pages_before_the_first_request_and_freezes_them(tmp_path):
    """`sinergi.wsgi` (what waitress serves) imports every module of the apps and compiles every
    page template, then freezes them out of the garbage collector's reach: loaded by the first
    requests instead, they stayed in its oldest generation, which each full pass walks."""
    script = (
        "import gc, json, sys; import sinergi.wsgi; "
        "from django.template import engines; "
        "loader = engines['django'].engine.template_loaders[0]; "
        "print(json.dumps({'frozen': gc.get_freeze_count(), 'tracked': len(gc.get_objects()), "
        "'templates': sorted(loader.get_template_cache), "
        f"'modules': [m for m in {list(HEAVY[:2])!r} if m in sys.modules]}}))"
    )
    loaded = _printed_by_new_process(script, tmp_path)
    folder = Path(settings.TEMPLATES[0]["DIRS"][0])
    pages = {path.relative_to(folder).as_posix() for path in folder.rglob("*.html")}
    assert pages and pages <= set(loaded["templates"])
    assert loaded["modules"] == list(HEAVY[:2])  # the views and the charts
    assert loaded["tracked"] < loaded["frozen"] / 100
