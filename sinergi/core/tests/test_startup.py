"""What starting Django costs every `sinergi` command: `django.setup()` must not import the web
pages' code (views, charts, spreadsheet writers). A command that needs them imports them itself;
the others (`sinergi import`, `sinergi export`, the worker) start in half the time."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("sinergi.registry.views", "sinergi.registry.charts", "matplotlib", "openpyxl")


def test_setting_up_django_imports_no_views_charts_or_spreadsheet_writers(tmp_path):
    script = (
        "import json, sys, django; django.setup(); "
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "sinergi.settings"}
    environment["SINERGI_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
