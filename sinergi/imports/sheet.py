"""The first stage of a dry run: a table read from a file, with its shape recognised once (title
rows, header, where data starts, the date in the title: layout.py) and its columns mapped to
Sinergi's fields (columns.py). The mapping, a template laid over the headers and the rows all read
the one layout found here."""

from __future__ import annotations

from dataclasses import dataclass

from sinergi.imports import layout as shape
from sinergi.imports.columns import header_key, match_headers
from sinergi.imports.reading import Table
from sinergi.registry.models import OrganisationType


@dataclass(frozen=True)
class Sheet:
    table: Table
    org_types: list[OrganisationType]
    layout: shape.Layout | None  # None: no header row was recognised

    @classmethod
    def of(cls, table: Table, org_types: list[OrganisationType] | None = None) -> Sheet:
        """The table with its layout, detected here and only here."""
        if org_types is None:
            org_types = list(OrganisationType.objects.all())
        return cls(table, org_types, shape.detect(table.rows, org_types))

    def header_cells(self) -> list:
        """The header as the layout reads it (two header rows joined into one, if so)."""
        assert self.layout is not None
        return list(self.layout.headers or self.table.rows[self.layout.header_index])

    def recognised_mapping(self) -> dict[int, str]:
        """Column index -> field code, from the headers' known names."""
        return match_headers(self.header_cells(), self.org_types)

    def template_mapping(self, template: dict[str, str]) -> dict[int, str] | None:
        """A saved template (header key -> field code) laid over the headers, the columns it
        does not name recognised as usual; None without a recognised header."""
        if self.layout is None:
            return None
        headers = self.header_cells()
        from_template = {
            i: template[header_key(h)] for i, h in enumerate(headers) if header_key(h) in template
        }
        taken = set(from_template.values())
        recognised = {i: c for i, c in self.recognised_mapping().items() if c not in taken}
        return {**recognised, **from_template}
