"""Sign-in throttling on top of django-axes.

Axes locks one user name tried from one address (`SINERGI_LOGIN_FAILURE_LIMIT` failures). That
does not stop one address trying a common password against many user names (password spraying):
here an address is also locked once its failures over *all* user names reach
`SINERGI_LOGIN_ADDRESS_LIMIT` within the cool-off time. The address is the client's own
(`settings.client_ip`, honouring the trusted proxies), never the proxy's.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's client address, over every user name, still within
    the cool-off time."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class SinergiAxesHandler(AxesDatabaseHandler):
    """Axes' database handler, plus the per-address limit across user names."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        limit = settings.SINERGI_LOGIN_ADDRESS_LIMIT
        if limit > 0 and address_failures(request) >= limit:
            # Report the pair limit, which is what axes compares against to lock out.
            return max(failures, get_failure_limit(request, credentials))
        return failures
