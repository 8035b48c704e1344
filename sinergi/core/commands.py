"""The base of Sinergi's data commands."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class DataCommand(BaseCommand):
    """A command that reads or writes data (`sinergi import`, `export`, `report`). It skips
    Django's system checks: they load every URL and view, and with them what the views need
    (charts, spreadsheet writers), about a second of each run, for checks that `sinergi check`
    and `sinergi start` make (Django's own shell, dbshell and changepassword skip them too)."""

    requires_system_checks: list[str] = []
