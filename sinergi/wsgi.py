"""WSGI entry point for application servers (waitress, gunicorn)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
application = get_wsgi_application()

# Load every view module now, then move what exists so far (Django, the apps, their modules:
# objects that live as long as the process) out of the garbage collector's reach. Its full
# passes would otherwise walk all of them again every few requests, tens of milliseconds each.
get_resolver().url_patterns  # noqa: B018 (importing the URL configuration loads the views)
gc.freeze()
