"""The dashboard's map of the zones, drawn on the server as SVG from the zones' own geometry.

No tiles and no script (decision 0002; Sinergi runs without internet): each park or functional
zone is its boundary polygon, or failing that a circle of its area around its point, projected
equirectangularly (longitude scaled by the cosine of the middle latitude, which is exact enough
for a province or a country). Shapes are shaded by the share of operating enterprises with the
organisation type the reader picked, labelled, and each is a link to the zone's enterprises.
The page puts the same values in a table beside the map.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sinergi.insight.cells import escape
from sinergi.registry.models import METRES_PER_DEGREE, area_radius_degrees

WIDTH = 760
MAP_HEIGHT_MAX = 620
MAP_HEIGHT_MIN = 380
LEGEND_HEIGHT = 56
POINT_LEGEND_HEIGHT = 24
# Sequential blues (light = low share), with a grey for zones without operating enterprises.
SHADES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#d1d5db"
LABEL_ALL_UP_TO = 40  # more shapes than this: label the compared zones, not every shape


@dataclass
class MapZone:
    """One zone on the map, with its geometry and the counts it is shaded by."""

    pk: int
    name: str
    label: str
    latitude: float | None
    longitude: float | None
    area_ha: float | None
    boundary: list = field(default_factory=list)
    enterprises: int = 0
    with_type: int = 0
    group: int | None = None
    group_label: str = ""  # the compared zone it lies in, when that is another zone

    @property
    def share(self) -> float | None:
        return 100 * self.with_type / self.enterprises if self.enterprises else None

    @property
    def drawable(self) -> bool:
        return bool(self.boundary) or (self.latitude is not None and self.longitude is not None)


@dataclass
class MapPoint:
    """One enterprise with a location: a dot, filled when it has the organisation type the map
    is shaded by, each a link to the enterprise."""

    pk: int
    name: str
    latitude: float
    longitude: float
    has_type: bool
    href: str


NICE_TOPS = (5, 10, 20, 25, 40, 50, 60, 80, 100)
POINT_RADIUS = 4.5
POINT_WITH = "#b45309"  # amber, apart from the blues of the shapes


def class_top(shares: Sequence[float | None]) -> int:
    """The legend's top: the smallest round share at or above the highest one shown, so a map
    of low shares (party organisations at 5–10 %) still tells its zones apart."""
    highest = max((s for s in shares if s is not None), default=0)
    return next((top for top in NICE_TOPS if highest <= top), 100)


def shade(share: float | None, top: int = 100) -> str:
    if share is None:
        return NO_DATA
    step = top / len(SHADES)
    return SHADES[min(len(SHADES) - 1, int(share // step))]


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def render_svg(
    zones: Sequence[MapZone],
    *,
    title: str,
    type_name: str,
    link: Callable[[MapZone], str],
    group_labels: Sequence[MapZone] = (),
    points: Sequence[MapPoint] = (),
) -> str:
    """The map as an SVG element (markup safe to put in a page): shapes, the enterprises that
    have a location as dots, labels and a legend. `group_labels` are the compared zones,
    labelled at the middle of their shapes when there are too many shapes to label one by one."""
    shown = [z for z in zones if z.drawable]
    if not shown:
        return ""
    lons, lats = [p.longitude for p in points], [p.latitude for p in points]
    for zone in shown:
        if zone.boundary:
            lons += [p[0] for p in zone.boundary]
            lats += [p[1] for p in zone.boundary]
        else:
            r = area_radius_degrees(zone.area_ha)
            lons += [zone.longitude - r, zone.longitude + r]
            lats += [zone.latitude - r, zone.latitude + r]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    cos_lat = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * cos_lat, 0.02)
    span_y = max(north - south, 0.02)
    # Room around the shapes for labels (right) and breathing space.
    pad_left, pad_right, pad_y = 24, 190, 28
    scale = min((WIDTH - pad_left - pad_right) / span_x, (MAP_HEIGHT_MAX - 2 * pad_y) / span_y)
    height = max(MAP_HEIGHT_MIN, int(span_y * scale + 2 * pad_y))
    mid_x = (west + east) / 2 * cos_lat
    mid_y = (south + north) / 2
    centre_x = pad_left + (WIDTH - pad_left - pad_right) / 2
    centre_y = height / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return centre_x + (lon * cos_lat - mid_x) * scale, centre_y - (lat - mid_y) * scale

    many = len(shown) > LABEL_ALL_UP_TO
    top = class_top([z.share for z in shown])
    min_radius = 4.0 if many else 9.0
    total_height = height + LEGEND_HEIGHT + (POINT_LEGEND_HEIGHT if points else 0)
    parts = [
        f'<svg class="zone-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} '
        f'{total_height}" width="{WIDTH}" height="{total_height}" aria-labelledby="zone-map-title"'
        " data-zone-map>",
        f'<title id="zone-map-title">{escape(title)}</title>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#f8fafc" stroke="#cbd5e1"/>',
    ]
    centres: dict[int, tuple[float, float, float]] = {}
    # A circle is drawn at most 60 px wide unless enterprises are drawn in it: then at its
    # true size, so that they lie inside it.
    largest = math.inf if points else 60.0
    # Each shape's name and figures, in words translated once (a national map has hundreds).
    with_type = _(
        "%(name)s: %(with)s of %(total)s operating enterprises with %(type)s (%(share)s%%)"
    )
    without = _("%(name)s: no operating enterprises")
    # Large shapes first, so small ones stay visible (and clickable) on top.
    for zone in sorted(shown, key=lambda z: -(z.area_ha or 0)):
        share = zone.share
        value = escape(
            with_type
            % {
                "name": zone.name,
                "with": f"{zone.with_type:,}",
                "total": f"{zone.enterprises:,}",
                "type": type_name,
                "share": f"{share:.0f}",
            }
            if share is not None
            else without % {"name": zone.name}
        )
        attrs = f'fill="{shade(share, top)}" stroke="#1e293b" stroke-width="1"'
        if zone.boundary:
            corners = [project(lon, lat) for lon, lat in zone.boundary]
            shape = (
                '<polygon points="'
                + " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in corners)
                + f'" {attrs}/>'
            )
            cx = sum(x for x, _y in corners) / len(corners)
            cy = sum(y for _x, y in corners) / len(corners)
            r = max(max(abs(x - cx) for x, _y in corners), min_radius)
        else:
            cx, cy = project(zone.longitude, zone.latitude)
            r = max(min_radius, min(largest, area_radius_degrees(zone.area_ha) * scale))
            shape = f'<circle cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="{_fmt(r)}" {attrs}/>'
        centres[zone.pk] = (cx, cy, r)
        parts.append(
            f'<a href="{escape(link(zone))}" aria-label="{value}" data-zone="{zone.pk}">'
            f"<title>{value}</title>{shape}</a>"
        )
    if points:
        parts.append(_points(points, project, type_name))
    label_attrs = (
        'font-family="sans-serif" fill="#0f172a" stroke="#ffffff" stroke-width="3" '
        'paint-order="stroke" stroke-linejoin="round"'
    )
    wanted: list[Label] = []
    if not many:
        # The zones with most enterprises are labelled first.
        for zone in sorted(shown, key=lambda z: -z.enterprises):
            cx, cy, r = centres[zone.pk]
            share_text = f" · {zone.share:.0f}%" if zone.share is not None else ""
            wanted.append(Label(cx, cy, r, f"{zone.label}{share_text}", 13))
    else:
        groups = []
        for group in group_labels:
            members = [centres[z.pk] for z in shown if z.group == group.pk and z.pk in centres]
            if members:
                x = sum(m[0] for m in members) / len(members)
                y = sum(m[1] for m in members) / len(members)
                groups.append((len(members), Label(x, y, 3.0, group.label, 10)))
        wanted = [label for _count, label in sorted(groups, key=lambda g: -g[0])]
    for label, (x, y, anchor) in place_labels(wanted, (0.0, 0.0, float(WIDTH), float(height))):
        parts.append(
            f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="{label.size}" text-anchor="{anchor}" '
            f'{label_attrs} aria-hidden="true">{escape(label.text)}</text>'
        )
    parts.append(_scale_bar(scale, height))
    parts.append(_legend(height, type_name, top, points=bool(points)))
    parts.append("</svg>")
    return "".join(parts)


@dataclass
class Label:
    """A label wanted beside a shape centred at (x, y) with radius r."""

    x: float
    y: float
    r: float
    text: str
    size: int

    def box(self, x: float, y: float, anchor: str) -> tuple[float, float, float, float]:
        """The text's approximate box (left, top, right, bottom) when drawn at (x, y)."""
        width = len(self.text) * self.size * 0.56 + 4  # sans-serif's mean advance, plus halo
        left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
        return left, y - self.size, left + width, y + self.size * 0.3


def place_labels(
    labels: Sequence[Label], bounds: tuple[float, float, float, float]
) -> list[tuple[Label, tuple[float, float, str]]]:
    """Where each label goes, in the order given (most important first): right of its shape,
    else left, above or below, wherever it overlaps no label already placed and stays inside
    `bounds`. A label with no free place is left off (its shape keeps its name on hover, for
    screen readers and in the table beside the map), so labels never cover one another."""
    placed: list[tuple[Label, tuple[float, float, str]]] = []
    boxes: list[tuple[float, float, float, float]] = []
    left, top, right, bottom = bounds
    for label in labels:
        x, y, r, size = label.x, label.y, label.r, label.size
        candidates = (
            (x + r + 5, y + size * 0.35, "start"),
            (x - r - 5, y + size * 0.35, "end"),
            (x, y - r - 4, "middle"),
            (x, y + r + size, "middle"),
        )
        for position in candidates:
            box = label.box(*position)
            inside = box[0] >= left and box[1] >= top and box[2] <= right and box[3] <= bottom
            if inside and not any(
                box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in boxes
            ):
                placed.append((label, position))
                boxes.append(box)
                break
    return placed


def _scale_bar(scale: float, height: float) -> str:
    """A bar of a round number of kilometres, at most 120 px long, in the map's bottom right."""
    km_per_px = METRES_PER_DEGREE / 1000 / scale
    length = next(
        (km for km in (500, 200, 100, 50, 20, 10, 5, 2, 1, 0.5) if km / km_per_px <= 120), 0.5
    )
    px = length / km_per_px
    x, y = WIDTH - 16 - px, height - 14
    label = f"{length:g} km"
    return (
        f'<g font-family="sans-serif" font-size="11" fill="#0f172a" aria-hidden="true">'
        f'<path d="M{_fmt(x)} {_fmt(y - 5)}v5h{_fmt(px)}v-5" fill="none" stroke="#0f172a"/>'
        f'<text x="{_fmt(x + px / 2)}" y="{_fmt(y - 8)}" text-anchor="middle">{label}</text></g>'
    )


def _points(
    points: Sequence[MapPoint],
    project: Callable[[float, float], tuple[float, float]],
    type_name: str,
) -> str:
    """The located enterprises, each a dot linked to its page: filled when it has the type."""
    parts = ['<g class="enterprise-points" data-enterprise-points>']
    for point in points:
        x, y = project(point.longitude, point.latitude)
        text = (
            _("%(name)s: with %(type)s") if point.has_type else _("%(name)s: without %(type)s")
        ) % {"name": point.name, "type": type_name}
        parts.append(
            f'<a href="{escape(point.href)}" aria-label="{escape(text)}" '
            f'data-enterprise="{point.pk}"><title>{escape(text)}</title>'
            f"{_dot(_fmt(x), _fmt(y), point.has_type)}</a>"
        )
    parts.append("</g>")
    return "".join(parts)


def _dot(x: object, y: object, filled: bool) -> str:
    """An enterprise's dot: filled when it has the type the map is shaded by."""
    fill = POINT_WITH if filled else "#ffffff"
    return (
        f'<circle cx="{x}" cy="{y}" r="{POINT_RADIUS}" fill="{fill}" '
        f'stroke="{POINT_WITH}" stroke-width="1.5"/>'
    )


def _legend(height: float, type_name: str, top: int, *, points: bool = False) -> str:
    y = height + 12
    parts = [
        '<g class="legend" font-family="sans-serif" font-size="12" fill="#0f172a">',
        f'<text x="8" y="{y + 10}">'
        + escape(_("Share of operating enterprises with %(type)s") % {"type": type_name})
        + "</text>",
    ]
    x = 8
    step = top / len(SHADES)
    for i, colour in enumerate(SHADES):
        label = f"{i * step:g}–{(i + 1) * step:g}%"
        parts.append(
            f'<rect x="{x}" y="{y + 20}" width="18" height="14" fill="{colour}" stroke="#1e293b"/>'
            f'<text x="{x + 24}" y="{y + 32}">{label}</text>'
        )
        x += 96
    none = escape(_("no operating enterprises"))
    parts.append(
        f'<rect x="{x}" y="{y + 20}" width="18" height="14" fill="{NO_DATA}" stroke="#1e293b"/>'
        f'<text x="{x + 24}" y="{y + 32}">{none}</text>'
    )
    if points:
        y += LEGEND_HEIGHT - 4
        with_text = escape(_("enterprise with %(type)s") % {"type": type_name})
        without_text = escape(_("enterprise without %(type)s") % {"type": type_name})
        parts.append(
            f'{_dot(17, y + 7, True)}<text x="32" y="{y + 11}">{with_text}</text>'
            f"{_dot(WIDTH // 2 + 9, y + 7, False)}"
            f'<text x="{WIDTH // 2 + 24}" y="{y + 11}">{without_text}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def point_rows(
    digest_points: list[dict[str, Any]], type_code: str, href: Callable[[int], str]
) -> list[MapPoint]:
    """The digest's located enterprises as MapPoint objects, filled by one organisation type."""
    return [
        MapPoint(
            pk=row["id"],
            name=row["name"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            has_type=type_code in row["with"],
            href=href(row["id"]),
        )
        for row in digest_points
    ]


def map_rows(digest_map: list[dict[str, Any]], type_code: str) -> list[MapZone]:
    """The digest's map entries as MapZone objects shaded by one organisation type."""
    return [
        MapZone(
            pk=row["id"],
            name=row["name"],
            label=row["label"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            area_ha=row["area_ha"],
            boundary=row["boundary"],
            enterprises=row["enterprises"],
            with_type=row["with"].get(type_code, 0),
            group=row["group"],
        )
        for row in digest_map
    ]
