"""Imports: upload, dry run, commit (all-or-nothing unless told otherwise) and undo of a batch.

Every function checks permission, runs its writes in one transaction and leaves an audit entry;
the page, the background job and the `sinergi import` command all come through here. Each stage
lives in its own module: permissions.py (who may), batches.py (upload, check, corrections,
templates, the request to import), commit.py (the writing) and undo.py.
"""

from sinergi.imports.batches import (
    batch_check,
    batch_configure,
    batch_planner,
    batch_request_commit,
    batch_upload,
    template_save,
)
from sinergi.imports.commit import batch_commit
from sinergi.imports.permissions import can_import, can_see_batch
from sinergi.imports.recovery import batches_recover
from sinergi.imports.undo import batch_undo, id_runs, later_changes, undo_ids

__all__ = [
    "batch_check",
    "batch_commit",
    "batch_configure",
    "batch_planner",
    "batch_request_commit",
    "batch_undo",
    "batch_upload",
    "batches_recover",
    "can_import",
    "can_see_batch",
    "id_runs",
    "later_changes",
    "template_save",
    "undo_ids",
]
