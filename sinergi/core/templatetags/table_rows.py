"""`{% table_rows table %}`: a django-tables2 table's body rows rendered in Python.

The template loop over cells (`{% for column, cell in row.items %}<td {{ column.attrs.td.as_html
}}>…`) cost about 1 ms per row of a list: each cell rebuilt its column's attributes, inspected
the signature of its render function (twice with a link) and went through the template engine.
Here what is the same for every row (a column's `<td>` attributes, which arguments its render and
link functions take) is worked out once per column, and each row is one string. The cell values
are what django-tables2 gives: the same accessor, `get_FOO_display()`, default for empty values,
`render_<name>` methods, column `render()`s, template columns and links; the same `<tr>`
attributes (`row_attrs`, odd/even); localisation as the cell template applied it
(`column.localize`). Attributes that depend on the record (callables in `attrs["td"]`) are still
computed per cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.template.base import render_value_in_context
from django.utils import formats
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2.columns import BooleanColumn, Column, ManyToManyColumn
from django_tables2.columns.base import BoundColumn
from django_tables2.utils import AttributeDict, signature

register = template.Library()


# By function (a bound method's function, so every table instance shares the entry); weak, so
# functions made per request (a lambda in a view) do not pile up.
_ARGUMENTS: WeakKeyDictionary[Callable, tuple[tuple[str, ...], bool]] = WeakKeyDictionary()


def _arguments(function: Callable) -> tuple[tuple[str, ...], bool]:
    """The argument names `function` takes (without a method's self) and whether it takes
    **kwargs."""
    key = getattr(function, "__func__", function)
    found = _ARGUMENTS.get(key)
    if found is None:
        names, catch_all = signature(function)
        found = _ARGUMENTS[key] = (tuple(names), catch_all is not None)
    return found


def _call(function: Callable, kwargs: dict[str, Any]) -> Any:
    """django_tables2.utils.call_with_appropriate, with the signature looked up once."""
    names, catch_all = _arguments(function)
    if catch_all:
        return function(**kwargs)
    if any(name not in kwargs for name in names):
        return None
    return function(**{name: kwargs[name] for name in names})


def _has_callable(attrs: Any) -> bool:
    if callable(attrs):
        return True
    if isinstance(attrs, dict):
        return any(_has_callable(value) for value in attrs.values())
    return False


class _Column:
    """What one column needs to render its cells."""

    def __init__(self, bound_column: BoundColumn, table):
        self.bound = bound_column
        self.table = table
        self.render = bound_column.render
        self.link = bound_column.link
        self.localize = bound_column.localize
        own = dict(table.attrs)
        own.update(dict(bound_column.column.attrs))
        self.static_td = not _has_callable(own.get("td", own.get("cell", {})))
        self.td = bound_column.attrs["td"].as_html() if self.static_td else None
        self.fields = self._field_path(bound_column, getattr(table.data, "model", None))
        column = bound_column.column
        # A yes/no column as django-tables2 draws it: two possible cells, drawn once each.
        self.boolean = (
            isinstance(column, BooleanColumn)
            and type(column).render is BooleanColumn.render
            and getattr(self.render, "__func__", None) is BooleanColumn.render
            and not getattr(column, "choices", None)
            and not self.link
        )
        self.drawn: dict[bool, Any] = {}
        # Column.render itself returns the value unchanged: no call needed.
        self.plain = getattr(self.render, "__func__", None) is Column.render and not self.link
        name = str(bound_column.accessor)
        if self.boolean and self.fields is None and name.isidentifier() and "__" not in name:
            # An annotation read as an attribute (has_<code>), as django-tables2 resolves it.
            self.fields = ([name], False)

    @staticmethod
    def _field_path(bound_column: BoundColumn, model) -> tuple[list[str], bool] | None:
        """For an accessor that is a chain of model fields (no method, no annotation): the
        attribute names and whether the last field has choices (shown by get_FOO_display, as
        django-tables2 does). None otherwise: the cell then takes django-tables2's own path."""
        if model is None or isinstance(bound_column.column, ManyToManyColumn):
            return None
        names = str(bound_column.accessor).replace("__", ".").split(".")
        field = None
        for name in names:
            if model is None:
                return None
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                return None
            if field.many_to_many or field.one_to_many or not getattr(field, "concrete", False):
                return None
            if field.attname != name and field.name != name:
                return None
            model = field.related_model if field.is_relation else None
        return names, bool(getattr(field, "choices", None))

    def _value(self, record) -> tuple[bool, Any]:
        """(True, value) by the field path, as django-tables2 would resolve it; (False, None)
        when there is no field path."""
        if self.fields is None:
            return False, None
        names, display = self.fields
        target = record
        for name in names[:-1]:
            target = getattr(target, name)
            if target is None:
                return True, None
        if display:
            return True, getattr(target, f"get_{names[-1]}_display")()
        return True, getattr(target, names[-1])

    def _link(self, content, kwargs: dict[str, Any]):
        link = self.link
        if callable(link.url) and not link.attrs:
            href = _call(link.url, kwargs)
            return content if href is None else format_html('<a href="{}">{}</a>', href, content)
        return link(content, **kwargs)

    def _render(self, bound_column, value=None, *, row=None):
        kwargs = {
            "value": value,
            "record": row.record,
            "column": bound_column.column,
            "bound_column": bound_column,
            "bound_row": row,
            "table": self.table,
        }
        content = _call(self.render, kwargs)
        return self._link(content, kwargs) if self.link else content

    def cell(self, row, context) -> str:
        bound = self.bound
        known, value = self._value(row.record)
        if not known:
            value = row._get_and_render_with(
                bound,
                render_func=lambda column, value=None: self._render(column, value, row=row),
                default=bound.default,
            )
        elif value in bound.column.empty_values:
            value = bound.default
        elif self.boolean:
            flag = bool(value)
            if flag not in self.drawn:
                self.drawn[flag] = self._render(bound, value, row=row)
            value = self.drawn[flag]
        elif not self.plain:
            value = self._render(bound, value, row=row)
        if self.localize is None:
            if isinstance(value, SafeString):
                text = value
            elif isinstance(value, str):
                text = escape(value)
            else:
                text = render_value_in_context(value, context)
        else:
            text = conditional_escape(str(formats.localize(value, use_l10n=self.localize)))
        if self.static_td:
            td = self.td
        else:
            bound.current_value = value
            bound.current_record = row.record
            td = bound.attrs["td"].as_html()
        return f"<td {td}>{text}</td>"


@register.simple_tag(takes_context=True)
def table_rows(context, table) -> SafeString:
    """The `<tr>` rows of the table's current page (or of all its rows when not paginated)."""
    columns = [_Column(bound, table) for bound in table.columns]
    html = []
    for row in table.paginated_rows:
        attrs = row.attrs
        html.append(f"<tr {AttributeDict(attrs).as_html()}>")
        html += [column.cell(row, context) for column in columns]
        html.append("</tr>\n")
    return mark_safe("".join(html))  # every cell escaped above or safe from its renderer


@register.simple_tag
def folded_columns(table) -> dict[str, Any]:
    """The table's secondary columns (marked by sinergi.core.tables.secondary), each with its
    place among the shown columns, for the "Columns" toggle; and the key under which the browser
    remembers the user's choice (one per kind of table, whichever page shows it)."""
    from sinergi.core.tables import SECONDARY

    columns = [
        {"name": bound.name, "header": bound.header, "index": index}
        for index, bound in enumerate(table.columns)
        if SECONDARY in bound.attrs["th"]
    ]
    return {"columns": columns, "key": type(table).__name__}
