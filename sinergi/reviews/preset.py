"""Apply a preset's document setup (DOCUMENT_SETUP in sinergi/presets/lao_cai_program.py)
through the service; applying it twice changes nothing, and a setup an office has edited
since is left as it is."""

from __future__ import annotations

from types import ModuleType

from sinergi.core.services import SYSTEM
from sinergi.programs.models import Program
from sinergi.reviews import services
from sinergi.reviews.models import DocumentSetup


def apply_document_setup(preset: ModuleType, program: Program, counts: dict[str, int]) -> None:
    data = getattr(preset, "DOCUMENT_SETUP", None)
    if not data or DocumentSetup.objects.filter(program=program).exists():
        return
    services.document_setup_save(actor=SYSTEM, program=program, data=data)
    counts["created"] += 1
