"""Template context every page needs: the navigation for the signed-in user. Menu labels
have a "menu" context where a language needs a shorter word to keep the menu on one line."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Entries an app above core adds to the end of the menu, each shown to the users its rule admits:
# url name -> (rule, label). Core names no app's rule (apps import downward only), so the app
# hands its entries over at start-up (`AccountsConfig.ready`).
_guarded_items: dict[str, tuple[Callable[[Any], bool], Any]] = {}


def provide_menu_items(rule: Callable[[Any], bool], items: Iterable[tuple[str, Any]]) -> None:
    """Add menu entries (url name, label) shown to the users for whom `rule(user)` holds."""
    for name, label in items:
        _guarded_items[name] = (rule, label)


def navigation(request):
    """The menu, worked out once per request: a page that draws parts of itself with their own
    template (a list's table and filter panel) runs the context processors for each."""
    found = getattr(request, "_sinergi_navigation", None)
    if found is None:
        found = request._sinergi_navigation = _navigation(request)
    return found


def _navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        (reverse("core:home"), _("Overview")),
        (reverse("registry:zone_list"), _("Zones")),
        (reverse("registry:enterprise_list"), _("Enterprises")),
        (reverse("insight:gap_list"), pgettext_lazy("menu", "Gaps")),
        (reverse("insight:quality"), pgettext_lazy("menu", "Data quality")),
        (reverse("programs:program_list"), _("Program")),
        (reverse("reviews:review_list"), pgettext_lazy("menu", "Reviews")),
        (reverse("imports:batch_list"), _("Import")),
        (reverse("core:audit_list"), pgettext_lazy("menu", "Change log")),
    ]
    for name, (rule, label) in _guarded_items.items():
        if rule(user):
            items.append((reverse(name), label))
    current = request.path
    return {
        "nav_items": [
            {
                "url": url,
                "label": label,
                "active": current == url or (url != "/" and current.startswith(url)),
            }
            for url, label in items
        ]
    }
