"""Background jobs of the imports: the dry run and the commit of a batch."""

from __future__ import annotations

from django_tasks import task

from sinergi.accounts.models import User
from sinergi.core.audit import request_id_var
from sinergi.imports import services
from sinergi.imports.models import ImportBatch


@task()
def check_batch(batch_id: int) -> dict:
    batch = ImportBatch.objects.get(pk=batch_id)
    return services.batch_check(batch).counts()


@task()
def commit_batch(batch_id: int, actor_id: int, request_id: str = "") -> dict:
    batch = ImportBatch.objects.get(pk=batch_id)
    actor = User.objects.get(pk=actor_id)
    token = request_id_var.set(request_id)
    try:
        return services.batch_commit(batch, actor=actor).counts()
    finally:
        request_id_var.reset(token)
