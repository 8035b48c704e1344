"""`sinergi import` and `sinergi export` from the command line."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from sinergi.imports.tests.factories import row, xlsx
from sinergi.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def _file(tmp_path, rows, **kwargs):
    path = tmp_path / "danh_sach.xlsx"
    path.write_bytes(xlsx(rows, **kwargs))
    return path


def test_json_output_lists_the_counts_and_every_error(world, tmp_path, capsys):
    path = _file(tmp_path, [row(1, "5300200001"), row(2, "530020002")])
    with pytest.raises(SystemExit) as exit_status:
        call_command("import", str(path), "--json")
    assert exit_status.value.code == 1
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= {"created", "updated", "unchanged", "skipped", "warnings", "errors"}
    assert result["created"] == 1
    assert result["errors"][0]["row"] == 7 and result["errors"][0]["value"] == "530020002"
    assert not Enterprise.objects.filter(tax_id="5300200001").exists()


def test_only_valid_writes_the_good_rows_and_exits_cleanly(world, tmp_path, capsys):
    path = _file(tmp_path, [row(1, "5300200001"), row(2, "530020002")])
    call_command("import", str(path), "--only-valid", "--json")
    assert Enterprise.objects.filter(tax_id="5300200001").exists()


def test_a_dry_run_writes_nothing(world, tmp_path, capsys):
    path = _file(tmp_path, [row(1, "5300200001")])
    call_command("import", str(path), "--dry-run")
    assert "1 new" in capsys.readouterr().out
    assert not Enterprise.objects.filter(tax_id="5300200001").exists()


def test_the_date_option_supplies_a_missing_reporting_date(world, tmp_path):
    path = _file(tmp_path, [row(1, "5300200001")], title="")
    with pytest.raises(SystemExit):
        call_command("import", str(path))
    call_command("import", str(path), "--date", "2024-06-30")
    assert Enterprise.objects.get(tax_id="5300200001").latest_figure.as_of.isoformat() == (
        "2024-06-30"
    )


def test_an_export_as_of_a_date_imports_back_unchanged(world, tmp_path, capsys):
    call_command("import", str(_file(tmp_path, [row(1, "5300200001")])))
    out = tmp_path / "registry.xlsx"
    call_command("export", "enterprises", str(out), "--date", "2023-12-31")
    sheet = load_workbook(out).active
    assert sheet.freeze_panes == "A3"
    capsys.readouterr()
    call_command("import", str(out), "--dry-run", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["errors"] == [] and result["created"] == 0 and result["updated"] == 0


def test_an_export_before_the_figures_existed_leaves_them_out(world, tmp_path):
    call_command("import", str(_file(tmp_path, [row(1, "5300200001", workers=77)])))
    out = tmp_path / "registry.csv"
    call_command("export", "enterprises", str(out), "--date", "2023-06-30")
    text = out.read_text(encoding="utf-8-sig")
    line = next(x for x in text.splitlines() if "5300200001" in x)
    assert ",77," not in line
