"""WSGI entry point for application servers (waitress, gunicorn)."""

import gc
import importlib
import os
import pkgutil
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
application = get_wsgi_application()


def load_everything() -> None:
    """Load before the first request what a server process keeps until it ends: every module
    of the apps (the URL configuration imports the views; services, tables, exports and the
    rest would load at their first use), every page template and form widget template
    compiled (kept by the template loaders), and each language's catalogue and URL table.
    Loaded by the first requests instead, these objects stayed in the garbage collector's
    oldest generation, and each of its full passes walked them again: 77-80 ms at a time at
    national scale, against 9-10 ms with them frozen below (bench/README.md)."""
    import django.forms
    from django.conf import settings
    from django.forms.renderers import get_default_renderer
    from django.template import engines
    from django.urls import get_resolver, reverse
    from django.utils import translation

    import sinergi

    get_resolver().url_patterns  # noqa: B018 (the URL configuration imports the views)
    for module in pkgutil.walk_packages(sinergi.__path__, "sinergi."):
        parts = module.name.split(".")
        if {"tests", "migrations"} & set(parts) or parts[-1] in ("conftest", "testing", "wsgi"):
            continue
        importlib.import_module(module.name)
    pages = engines["django"]
    for folder in settings.TEMPLATES[0]["DIRS"]:
        _compile(Path(folder), pages.get_template)
    _compile(Path(django.forms.__file__).parent / "templates", get_default_renderer().get_template)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("core:home")  # the resolver keeps a table per language


def _compile(folder: Path, get_template) -> None:
    for path in sorted(folder.rglob("*.html")):
        get_template(path.relative_to(folder).as_posix())


# Load every module, template and language now, then move what exists so far (Django, the
# apps, their modules: objects that live as long as the process) out of the garbage
# collector's reach. Its full passes would otherwise walk all of them again every few
# requests, tens of milliseconds each.
load_everything()
gc.freeze()
