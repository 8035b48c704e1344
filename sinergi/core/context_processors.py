"""Template context every page needs: the navigation for the signed-in user. Menu labels
have a "menu" context where a language needs a shorter word to keep the menu on one line."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def navigation(request):
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
    if user.is_admin or user.is_coordinator:
        items.append((reverse("accounts:user_list"), _("Users")))
        items.append((reverse("accounts:unit_list"), _("Units")))
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
