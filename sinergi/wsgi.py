"""WSGI entry point for application servers (waitress, gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
application = get_wsgi_application()
