"""`{% table_rows table %}`: a django-tables2 table's body rows rendered in Python.

The template loop over cells (`{% for column, cell in row.items %}<td {{ column.attrs.td.as_html
}}>…`) cost about 1 ms per row of a list: each cell rebuilt its column's attributes, inspected
the signature of its render function (twice with a link) and went through the template engine.
Here what is the same for every row is worked out once per table: each column's `<td>`
attributes, how its value is read (a chain of model fields, a field's choices as a dict of their
labels in the active language), which arguments its render and link functions take, the URL of a
link given as `linkify=(viewname, [A("id")])` (one `reverse()` for the table, the id put in per
row), and which arguments the row's attributes take; each row is one string. The cell values are
what django-tables2 gives: the same accessor, `get_FOO_display()`, default for empty values,
`render_<name>` methods, column `render()`s, template columns (a template given as code
compiled once per table) and links; the same `<tr>`
attributes (`row_attrs`, odd/even); localisation as the cell template applied it
(`column.localize`). Attributes that depend on the record (callables in `attrs["td"]`) are still
computed per cell, and any other accessor or link takes django-tables2's own path.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from functools import partialmethod
from html import escape as html_escape
from typing import Any
from weakref import WeakKeyDictionary

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.template import Context, Template
from django.template.base import render_value_in_context
from django.utils import formats
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django_tables2.columns import BooleanColumn, Column, ManyToManyColumn, TemplateColumn
from django_tables2.columns.base import BoundColumn
from django_tables2.utils import Accessor, AttributeDict, signature

from sinergi.core.formatting import Shown
from sinergi.core.tables import id_url

register = template.Library()

_MISSING = object()

# By function (a bound method's function, so every table instance shares the entry); weak, so
# functions made per request (a lambda in a view) do not pile up.
_ARGUMENTS: WeakKeyDictionary[Callable, tuple[tuple[str, ...], bool]] = WeakKeyDictionary()


def _arguments(function: Callable) -> tuple[tuple[str, ...], bool]:
    """The argument names `function` takes (without a method's self) and whether it takes
    **kwargs."""
    key = getattr(function, "__func__", function)
    try:
        found = _ARGUMENTS.get(key)
    except TypeError:  # not weakly referable: looked up each time
        names, catch_all = signature(function)
        return tuple(names), catch_all is not None
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


def _computed(attrs: dict, kwargs: dict[str, Any]) -> dict:
    """django_tables2.utils.computed_values, with the signatures looked up once."""
    result = {}
    for key, value in attrs.items():
        if callable(value):
            value = _call(value, kwargs)
        if isinstance(value, dict):
            value = _computed(value, kwargs)
        result[key] = value
    return result


def _escaped(value: Any) -> str:
    """`conditional_escape(value)`: safe text (anything with `__html__`) as it is, the rest as
    text, escaped. Without Django's wrapper for lazy strings around `escape`, which costs as
    much as the escaping itself, two thousand times for a page of two hundred rows."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_escape(str(value))


def _has_callable(attrs: Any) -> bool:
    if callable(attrs):
        return True
    if isinstance(attrs, dict):
        return any(_has_callable(value) for value in attrs.values())
    return False


# The arguments a render or link function may take; those that change from cell to cell.
_PER_CELL = ("value", "record", "bound_row")


class _Caller:
    """Calls a render or link function with the arguments it takes, as django-tables2's
    call_with_appropriate does, the signature read once."""

    def __init__(self, function: Callable, constants: dict[str, Any]):
        self.function = function
        names, catch_all = _arguments(function)
        if catch_all:
            names = (*constants, *_PER_CELL)
        known = set(constants) | set(_PER_CELL)
        self.never = any(name not in known for name in names)  # then it is never called
        self.constants = {name: constants[name] for name in names if name in constants}
        self.value, self.record, self.row = (name in names for name in _PER_CELL)

    def __call__(self, value, record, row):
        if self.never:
            return None
        kwargs = dict(self.constants)
        if self.value:
            kwargs["value"] = value
        if self.record:
            kwargs["record"] = record
        if self.row:
            kwargs["bound_row"] = row
        return self.function(**kwargs)


def _choice_labels(model: type[Model], field) -> dict | None:
    """The field's choices as {value: label} in the active language, what `get_FOO_display()`
    looks up; None when the model defines its own `get_FOO_display`."""
    method = inspect.getattr_static(model, f"get_{field.name}_display", None)
    if not isinstance(method, partialmethod):
        return None
    return {
        key: force_str(label, strings_only=True) for key, label in make_hashable(field.flatchoices)
    }


# DateColumn's template code (django_tables2/columns/datecolumn.py), its format in the quotes.
_DATE_TEMPLATE = re.compile(r'\{\{ value\|date:"(\w+)"\|default:default \}\}')


def _date_template(code: str) -> str | None:
    """The date format of a DateColumn's template code; None for any other template."""
    found = _DATE_TEMPLATE.fullmatch(code)
    return found.group(1) if found else None


def _date_render(date_format: str, shown: Shown) -> Callable:
    """A DateColumn's cell as its template draws it, without a template render per cell: the
    `date` filter with the column's format (Shown.date), the column's default when that gives
    nothing, escaped as the template would."""

    def render(value, bound_column):
        try:
            text = shown.date(value, date_format)
        except AttributeError:  # not a date: the filter gives nothing
            text = ""
        return conditional_escape(text or bound_column.default)

    return render


class _Column:
    """What one column needs to render its cells."""

    def __init__(self, bound_column: BoundColumn, table, shown: Shown):
        self.bound = bound_column
        self.table = table
        self.shown = shown  # numbers and dates in the page's language, one for the table
        column = bound_column.column
        self.empty_values = column.empty_values
        self.default = bound_column.default
        self.localize = bound_column.localize
        own = dict(table.attrs)
        own.update(dict(column.attrs))
        self.static_td = not _has_callable(own.get("td", own.get("cell", {})))
        self.td = bound_column.attrs["td"].as_html() if self.static_td else None
        constants = {"column": column, "bound_column": bound_column, "table": table}
        render = bound_column.render
        self.render = _Caller(self._compiled(column, shown) or render, constants)
        link = bound_column.link
        self.link = link
        self.link_url = None
        if link:
            self.link_url = self._url(link, constants)
        self.fields = self._field_path(bound_column, getattr(table.data, "model", None))
        # A yes/no column as django-tables2 draws it: two possible cells, drawn once each.
        self.boolean = (
            isinstance(column, BooleanColumn)
            and type(column).render is BooleanColumn.render
            and getattr(render, "__func__", None) is BooleanColumn.render
            and not getattr(column, "choices", None)
            and not link
        )
        self.drawn: dict[bool, Any] = {}
        # Column.render itself returns the value unchanged: no call needed.
        self.plain = getattr(render, "__func__", None) is Column.render and not link
        name = str(bound_column.accessor)
        if self.boolean and self.fields is None and name.isidentifier() and "__" not in name:
            # An annotation read as an attribute (has_<code>), as django-tables2 resolves it.
            self.fields = ([name], None)

    @staticmethod
    def _compiled(column, shown: Shown) -> Callable | None:
        """A template column's render (a DateColumn's too) with its template code compiled once
        for the table, not once per cell as TemplateColumn.render does; the context is the
        same (TemplateColumn.get_context_data over the table's context, and the request).
        None for other columns."""
        if not (
            isinstance(column, TemplateColumn)
            and type(column).render is TemplateColumn.render
            and column.template_code
        ):
            return None
        date_format = _date_template(column.template_code)
        if date_format is not None:
            return _date_render(date_format, shown)
        compiled = Template(column.template_code)

        def render(record, table, value, bound_column, **kwargs):
            parent_context = getattr(table, "context", Context())
            context = column.get_context_data(
                record=record, table=table, value=value, bound_column=bound_column, **kwargs
            )
            with parent_context.update(context):
                parent_context["request"] = getattr(table, "request", None)
                return compiled.render(parent_context)

        return render

    @staticmethod
    def _url(link, constants) -> Callable | None:
        """How the column's link gets its href per row when that needs no django-tables2 call:
        a function of (value, record, row) giving the href (None: no link); None when the link
        takes django-tables2's own path (attributes on the <a>, get_absolute_url)."""
        if link.attrs:
            return None
        if callable(link.url):
            return _Caller(link.url, constants)
        reverse_args = link.reverse_args
        args = reverse_args.get("args")
        if (
            set(reverse_args) == {"viewname", "args"}
            and isinstance(reverse_args["viewname"], str)
            and args
            and len(args) == 1
            and isinstance(args[0], Accessor)
            and args[0].isidentifier()
        ):
            # linkify=(viewname, [A("id")]): one reverse() for the table, the id put in per
            # row (any other value than an int goes through reverse() itself).
            url_for, attribute = id_url(reverse_args["viewname"]), str(args[0])
            return lambda value, record, row: url_for(getattr(record, attribute))
        return None

    @staticmethod
    def _field_path(bound_column: BoundColumn, model) -> tuple[list[str], dict | None] | None:
        """For an accessor that is a chain of model fields (no method, no annotation): the
        attribute names and, when the last field has choices (shown by get_FOO_display, as
        django-tables2 does), their labels by value. None otherwise: the cell then takes
        django-tables2's own path."""
        if model is None or isinstance(bound_column.column, ManyToManyColumn):
            return None
        names = str(bound_column.accessor).replace("__", ".").split(".")
        field, owner = None, model
        for name in names:
            if model is None:
                return None
            try:
                field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            except FieldDoesNotExist:
                return None
            if field.many_to_many or field.one_to_many or not getattr(field, "concrete", False):
                return None
            if name != "pk" and field.attname != name and field.name != name:
                return None
            owner = model
            model = field.related_model if field.is_relation else None
        labels = None
        if getattr(field, "choices", None) and names[-1] != "pk":
            labels = _choice_labels(owner, field)
            if labels is None:
                return None
        return names, labels

    def _value(self, record) -> tuple[bool, Any]:
        """(True, value) by the field path, as django-tables2 would resolve it; (False, None)
        when there is no field path."""
        if self.fields is None:
            return False, None
        names, labels = self.fields
        target = record
        for name in names[:-1]:
            target = getattr(target, name)
            if target is None:
                return True, None
        if labels is not None:
            value = getattr(target, names[-1])
            try:
                label = labels.get(value, _MISSING)
            except TypeError:  # not hashable
                return True, getattr(target, f"get_{names[-1]}_display")()
            return True, force_str(value, strings_only=True) if label is _MISSING else label
        return True, getattr(target, names[-1])

    def _render(self, value, record, row):
        content = self.render(value, record, row)
        if not self.link:
            return content
        if self.link_url is not None:
            href = self.link_url(value, record, row)
            if href is None:
                return content
            return SafeString(f'<a href="{_escaped(href)}">{_escaped(content)}</a>')
        kwargs = {
            "value": value,
            "record": record,
            "column": self.bound.column,
            "bound_column": self.bound,
            "bound_row": row,
            "table": self.table,
        }
        return self.link(content, **kwargs)

    def cell(self, row, record, context) -> str:
        bound = self.bound
        known, value = self._value(record)
        if not known:
            value = row._get_and_render_with(
                bound,
                render_func=lambda column, value=None: self._render(value, record, row),
                default=self.default,
            )
        elif value in self.empty_values:
            value = self.default
        elif self.boolean:
            flag = bool(value)
            if flag not in self.drawn:
                self.drawn[flag] = self._render(value, record, row)
            value = self.drawn[flag]
        elif not self.plain:
            value = self._render(value, record, row)
        if self.localize is None:
            if isinstance(value, SafeString):
                text = value
            elif isinstance(value, str):
                text = html_escape(value)
            elif type(value) is int and context.use_l10n is not False and context.autoescape:
                text = self.shown.number_html(value)  # as render_value_in_context shows it
            else:
                text = render_value_in_context(value, context)
        else:
            text = conditional_escape(str(formats.localize(value, use_l10n=self.localize)))
        if self.static_td:
            td = self.td
        else:
            bound.current_value = value
            bound.current_record = record
            td = bound.attrs["td"].as_html()
        return f"<td {td}>{text}</td>"


def _row_attributes(table) -> Callable[[Any], str]:
    """The `<tr>` attributes of a row, as BoundRow.attrs gives them: AttributeDict.as_html of
    the computed `row_attrs` (None and the blacklisted keys left out, each key and value
    escaped unless already safe), the odd/even class added, written without its format_html."""
    row_attrs = table.row_attrs
    if not row_attrs:
        return lambda row: f'class="{row.get_even_odd_css_class()}"'

    def attributes(row) -> str:
        attrs = _computed(row_attrs, {"table": table, "record": row.record})
        odd_even = row.get_even_odd_css_class()
        attrs["class"] = f"{attrs['class']} {odd_even}" if attrs.get("class") else odd_even
        return " ".join(
            f'{conditional_escape(key)}="{conditional_escape(value)}"'
            for key, value in attrs.items()
            if key not in AttributeDict.blacklist and value is not None
        )

    return attributes


@register.simple_tag(takes_context=True)
def table_rows(context, table) -> SafeString:
    """The `<tr>` rows of the table's current page (or of all its rows when not paginated)."""
    shown = Shown()
    columns = [_Column(bound, table, shown) for bound in table.columns]
    attributes = _row_attributes(table)
    html = []
    for row in table.paginated_rows:
        record = row.record
        html.append(f"<tr {attributes(row)}>")
        html += [column.cell(row, record, context) for column in columns]
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
