"""WSGI entry point for application servers (waitress, gunicorn)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
application = get_wsgi_application()

from sinergi.core.serving import load_everything  # noqa: E402 (needs the settings above)

# Load every module, template and language now, then move what exists so far (Django, the
# apps, their modules: objects that live as long as the process) out of the garbage
# collector's reach. Its full passes would otherwise walk all of them again every few
# requests, tens of milliseconds each.
load_everything()
gc.freeze()
