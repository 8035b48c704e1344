"""The program activities that reached an enterprise, newest first, as the user may see them (at
most 50), for the enterprise page. Programs sit above the registry (apps import downward only):
they provide the query at start-up (ProgramsConfig.ready). A module of its own, so that start-up
does not import the registry's views and everything they need (charts, spreadsheets): every
`sinergi` command pays for what `django.setup()` imports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

_provider: Callable[[Any, Any], Sequence[Any]] = lambda enterprise, user: []  # noqa: E731


def provide(provider: Callable[[Any, Any], Sequence[Any]]) -> None:
    global _provider
    _provider = provider


def of(enterprise, user) -> Sequence[Any]:
    return _provider(enterprise, user)
