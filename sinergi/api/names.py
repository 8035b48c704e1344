"""What the browsable API calls each view, in the reader's language (the VIEW_NAME_FUNCTION and
VIEW_DESCRIPTION_FUNCTION settings).

The framework derives names from class names ("Enterprise List") and descriptions from
docstrings, both in English. Here a model's view is named by the model's translated verbose
names, any other view by its translated `name`. The docstrings are the API's documentation for
programmers and stay in English: they are shown to English readers only; other readers see the
translated `summary` a view may give, else no description. The JSON (keys, field names, URLs)
is the API's contract and does not change with the language.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.html import format_html
from django.utils.text import capfirst
from rest_framework import views


def model_of(view):
    """The model a view lists or shows, if any."""
    model = getattr(view, "model", None)
    if model is not None:
        return model
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view, "serializer_class", None)
    return getattr(getattr(serializer, "Meta", None), "model", None)


def view_name(view) -> str:
    """A model's list by its plural ("Perusahaan"), one object by its singular, an action by the
    model and the action's name; other views by their `name`. A viewset whose rows are no
    model's objects to the reader gives its translated `title`."""
    name = getattr(view, "name", None)
    title = getattr(view, "title", None)
    if title is not None and name is None:
        return capfirst(str(title))
    model = model_of(view)
    if model is None:
        return capfirst(str(name)) if name is not None else views.get_view_name(view)
    meta = model._meta
    if name is not None:  # an extra action (`@action(name=...)`) on one object or the list
        subject = meta.verbose_name if getattr(view, "detail", False) else meta.verbose_name_plural
        return f"{capfirst(str(subject))}: {name!s}"
    if getattr(view, "detail", False) or getattr(view, "suffix", None) == "Instance":
        return capfirst(str(meta.verbose_name))
    return capfirst(str(meta.verbose_name_plural))


def view_description(view, html: bool = False) -> str:
    """The view's translated `summary`; else, for English readers, its docstring."""
    summary = getattr(view, "summary", None)
    if summary is not None:
        return format_html("<p>{}</p>", summary) if html else str(summary)
    if (translation.get_language() or "").split("-")[0] != "en":
        return ""
    return views.get_view_description(view, html=html)
