"""The pages' filtersets, read strictly: an API client that sends a filter means it."""

from __future__ import annotations

import copy
import re

import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

WHOLE_NUMBER = re.compile(r"^-?[0-9]+$")
# What django-filter's boolean widget understands; anything else it would silently ignore.
BOOLEANS = {"true", "false", "1", "0"}


def _is_integer_field(model, field_name: str) -> bool:
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return False
    return isinstance(field, models.IntegerField | models.AutoField)


class StrictFilterBackend(DjangoFilterBackend):
    """Unlike a page's filter form, where an empty field means "any", an empty value, a
    fraction for a whole-number filter or a yes/no filter given anything but true or false is
    refused with 400 instead of being ignored."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        errors: dict[str, list[str]] = {}
        for name, declared in filterset.filters.items():
            values = request.query_params.getlist(name)
            if any(value.strip() == "" for value in values):
                errors[name] = [_("Give a value, or leave this filter out.")]
            elif (
                isinstance(declared, django_filters.NumberFilter)
                and _is_integer_field(queryset.model, declared.field_name)
                and not all(WHOLE_NUMBER.match(value) for value in values)
            ):
                errors[name] = [_("A whole number.")]
            elif isinstance(declared, django_filters.BooleanFilter) and not all(
                value.lower() in BOOLEANS for value in values
            ):
                errors[name] = [_("true or false.")]
        if errors:
            raise ValidationError(errors)
        return filterset


def described(filterset_class, **types):
    """The page's filterset, with the schema type of its method filters stated (the schema
    generator cannot guess them from the filter methods)."""
    attrs = {
        name: extend_schema_field(schema_type)(copy.deepcopy(filterset_class.base_filters[name]))
        for name, schema_type in types.items()
    }
    return type(filterset_class.__name__, (filterset_class,), attrs)
