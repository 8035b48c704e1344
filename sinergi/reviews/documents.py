"""The review report and the minutes as a list of blocks (headings, paragraphs, tables, images),
in the language asked for; writers.py turns the blocks into DOCX or PDF.

The report is built from a report version only — its prose and its stored statistics — so the
same version always gives the same document.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sinergi.core.bulk import concrete_field
from sinergi.programs.choices import PARTICIPANT_FIELDS, ActivityKind, TaskStatus
from sinergi.programs.models import Activity
from sinergi.registry.choices import Ownership
from sinergi.reviews import charts
from sinergi.reviews.choices import ContributionKind

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
# A paragraph of the results that starts "[3]" or "[3.1]" reports on area 3.
AREA_TAG = re.compile(r"^\[(\d+)(?:\.\d+)?\]\s*")


@dataclass
class Block:
    kind: str  # title, subtitle, h1, h2, p, note, table, image, heading
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    total: bool = False
    image: bytes = b""
    left: list[str] = field(default_factory=list)
    right: list[str] = field(default_factory=list)


@dataclass
class Document:
    title: str
    blocks: list[Block]
    footer: str = ""


def long_date(day: datetime.date, language: str) -> str:
    """The date as a Vietnamese, Indonesian or English heading writes it."""
    if language == "vi":
        return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    return date_format(day, "j F Y")


def short_date(value: str | datetime.date | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return value.strftime("%d/%m/%Y")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text or "") if p.strip()]


def _heading(review, language: str) -> Block:
    parties = [u.name.upper() for u in review.program.parties.order_by("name")]
    left = [*parties]
    if review.number:
        left.append(_("No. %(number)s") % {"number": review.number})
    place = review.place or review.venue
    day = long_date(review.held_on, language)
    right = [f"{place}, {day}" if place else day]
    return Block("heading", left=left, right=right)


def _type_name(entry: dict, language: str) -> str:
    names = entry.get("names") or {}
    return names.get(language) or names.get("en") or entry.get("code", "")


def _status_label(value: str | None) -> str:
    return str(dict(TaskStatus.choices).get(value or "", value or "—"))


def _kind_label(value: str) -> str:
    return str(dict(ActivityKind.choices).get(value, value))


# --- The report -------------------------------------------------------------------------------


def report(version, language: str) -> Document:
    """The review report of a version, in `language`."""
    with translation.override(language):
        return _report(version, language)


def _report(version, language: str) -> Document:
    review = version.review
    stats = version.statistics or {}
    types = stats.get("organisation_types", [])
    as_of = short_date(stats.get("as_of"))
    known = datetime.datetime.fromisoformat(stats["known_at"]) if stats.get("known_at") else None
    known_text = timezone.localtime(known).strftime("%d/%m/%Y %H:%M") if known is not None else "—"
    data_note = _(
        "Figures as of %(day)s, as the registry knew them at %(moment)s (%(version)s)."
    ) % {"day": as_of, "moment": known_text, "version": version.label}
    blocks = [
        _heading(review, language),
        Block("title", _("REPORT")),
        Block("subtitle", review.title),
        Block("note", data_note),
    ]
    sections = iter(ROMAN)

    blocks.append(Block("h1", f"{next(sections)}. {_('Background')}"))
    blocks += [Block("p", p) for p in _paragraphs(version.background)]

    blocks.append(Block("h1", f"{next(sections)}. {_('Results achieved')}"))
    blocks += _results_by_area(version, stats)
    blocks += _statistics_tables(stats, types, language, as_of)
    blocks += _activities(stats)
    follow_ups = stats.get("previous_follow_ups") or []
    if follow_ups:
        blocks.append(Block("h2", _("Follow-up of the previous review's conclusions")))
        blocks.append(_follow_up_table(follow_ups))

    blocks.append(Block("h1", f"{next(sections)}. {_('Limitations, difficulties and causes')}"))
    blocks += [Block("p", p) for p in _paragraphs(version.limitations)]
    blocks.append(Block("h1", f"{next(sections)}. {_('Lessons learned')}"))
    blocks += [Block("p", p) for p in _paragraphs(version.lessons)]
    blocks.append(
        Block("h1", f"{next(sections)}. {_('Directions, tasks and solutions for the next period')}")
    )
    blocks += [Block("p", p) for p in _paragraphs(version.directions)]
    blocks.append(
        Block(
            "h1",
            f"{next(sections)}. "
            f"{_('Proposals to the provincial committee and the steering committee')}",
        )
    )
    blocks += [Block("p", p) for p in _paragraphs(version.proposals)]

    blocks.append(Block("h1", _("Annex")))
    blocks.append(Block("h2", _("Annex 1. Tasks of the program and their status")))
    blocks.append(
        Block(
            "table",
            header=[_("Code"), _("Task"), _("Lead unit"), _("Status"), _("% done")],
            rows=[
                [
                    t["code"],
                    t["title"],
                    t["lead_unit"],
                    _status_label(t["status"]),
                    t["percent_done"],
                ]
                for area in stats.get("areas", [])
                for t in area["tasks"]
            ],
        )
    )
    activity_rows = (stats.get("activities") or {}).get("rows", [])
    blocks.append(Block("h2", _("Annex 2. Activities held in the period")))
    blocks.append(
        Block(
            "table",
            header=[_("Date"), _("Kind"), _("Activity"), _("Participants")],
            rows=[
                [short_date(a["held_on"]), _kind_label(a["kind"]), a["title"], a["participants"]]
                for a in activity_rows
            ],
        )
    )
    blocks.append(Block("note", data_note))
    return Document(title=review.title, blocks=blocks, footer=data_note)


def _results_by_area(version, stats) -> list[Block]:
    by_area: dict[int, list[str]] = {}
    general: list[str] = []
    for paragraph in _paragraphs(version.results):
        match = AREA_TAG.match(paragraph)
        if match:
            by_area.setdefault(int(match.group(1)), []).append(paragraph[match.end() :])
        else:
            general.append(paragraph)
    blocks = [Block("h2", _("1. Results by coordination area"))]
    blocks += [Block("p", p) for p in general]
    for area in stats.get("areas", []):
        blocks.append(Block("p", f"{_('Area')} {area['number']}. {area['title']}", total=True))
        counts = area["status_counts"]
        done = counts.get(TaskStatus.DONE, 0)
        blocks.append(
            Block(
                "note",
                _("%(tasks)d tasks: %(done)d done, %(running)d in progress, %(stalled)d stalled.")
                % {
                    "tasks": len(area["tasks"]),
                    "done": done,
                    "running": counts.get(TaskStatus.IN_PROGRESS, 0),
                    "stalled": counts.get(TaskStatus.STALLED, 0),
                },
            )
        )
        blocks += [Block("p", p) for p in by_area.get(area["number"], [])]
    return blocks


def _statistics_tables(stats, types, language, as_of) -> list[Block]:
    ownership_labels = dict(Ownership.choices)
    ownerships = stats.get("ownerships", [])
    blocks = [
        Block("h2", _("2. Enterprises, organisations and members (as of %(day)s)") % {"day": as_of})
    ]

    table = stats.get("enterprises_by_ownership") or {
        "rows": [],
        "total": {"counts": [], "total": 0},
    }
    blocks.append(Block("p", _("Table 1. Enterprises in the zones by ownership"), total=True))
    blocks.append(
        Block(
            "table",
            header=[_("Zone"), *[str(ownership_labels.get(o, o)) for o in ownerships], _("Total")],
            rows=[[r["zone"], *r["counts"], r["total"]] for r in table["rows"]]
            + [[_("Total"), *table["total"]["counts"], table["total"]["total"]]],
            total=True,
        )
    )
    if table["rows"]:
        blocks.append(
            Block(
                "image",
                image=charts.stacked_bars(
                    [r["zone"] for r in table["rows"]],
                    [
                        (str(ownership_labels.get(o, o)), [r["counts"][i] for r in table["rows"]])
                        for i, o in enumerate(ownerships)
                    ],
                    _("Enterprises by zone and ownership"),
                ),
            )
        )

    organisations = stats.get("organisations") or {"rows": [], "total": {}}
    header = [_("Zone"), _("Enterprises"), _("Workers")]
    for entry in types:
        header.append(_type_name(entry, language))
        if entry.get("member_field"):
            header.append(_("Members"))

    def organisation_row(label, row) -> list:
        cells = [label, row.get("enterprises", 0), row.get("workers", 0)]
        for entry, values in zip(types, row.get("types", []), strict=False):
            cells.append(values["organisations"])
            if entry.get("member_field"):
                cells.append(values["members"] or 0)
        return cells

    blocks.append(Block("p", _("Table 2. Organisations and members"), total=True))
    blocks.append(
        Block(
            "table",
            header=header,
            rows=[organisation_row(r["zone"], r) for r in organisations["rows"]]
            + [organisation_row(_("Total"), organisations["total"])],
            total=True,
        )
    )
    total = organisations.get("total") or {}
    if types and total.get("enterprises"):
        having = [v["organisations"] for v in total.get("types", [])]
        blocks.append(
            Block(
                "image",
                image=charts.stacked_bars(
                    [_type_name(t, language) for t in types],
                    [
                        (_("With the organisation"), having),
                        (_("Without"), [total["enterprises"] - h for h in having]),
                    ],
                    _("Enterprises with each organisation"),
                ),
            )
        )

    new = stats.get("new_members") or {"rows": [], "total": {}}
    blocks.append(
        Block("p", _("Table 3. Newly admitted party members and new organisations"), total=True)
    )
    blocks.append(
        Block(
            "table",
            header=[
                _("Zone"),
                _("Newly admitted party members"),
                *[_("New: %(type)s") % {"type": _type_name(t, language)} for t in types],
            ],
            rows=[[r["zone"], r["new_party_members"], *r["founded"]] for r in new["rows"]]
            + [
                [
                    _("Total"),
                    new["total"].get("new_party_members", 0),
                    *new["total"].get("founded", []),
                ]
            ],
            total=True,
        )
    )

    indicators = stats.get("indicators", [])
    blocks.append(Block("p", _("Table 4. Indicators: target and actual"), total=True))
    yes, no = _("met"), _("not met")
    blocks.append(
        Block(
            "table",
            header=[
                _("Indicator"),
                _("Unit"),
                _("Baseline"),
                _("Target"),
                _("Actual"),
                _("Result"),
            ],
            rows=[
                [
                    i["name"],
                    i["unit"],
                    i["baseline"] or "—",
                    i["target"] or "—",
                    i["actual"] or "—",
                    yes if i["met"] else no if i["met"] is False else "—",
                ]
                for i in indicators
            ],
        )
    )
    measured = [i for i in indicators if i["target"] and i["actual"] and float(i["target"])]
    if measured:
        blocks.append(
            Block(
                "image",
                image=charts.grouped_bars(
                    [i["code"] for i in measured],
                    [
                        (
                            _("Actual as a share of the target, per cent"),
                            [
                                round(100 * float(i["actual"]) / float(i["target"]), 1)
                                for i in measured
                            ],
                        )
                    ],
                    _("Indicators: actual against target, per cent"),
                ),
            )
        )
    return blocks


def _activities(stats) -> list[Block]:
    activities = stats.get("activities") or {}
    people = activities.get("participants") or {}
    labels = {f: str(concrete_field(Activity, f).verbose_name) for f in PARTICIPANT_FIELDS}
    blocks = [Block("h2", _("3. Dissemination, mobilisation and other activities"))]
    by_kind = activities.get("by_kind") or {}
    blocks.append(
        Block(
            "table",
            header=[_("Kind"), _("Activities")],
            rows=[[_kind_label(k), n] for k, n in sorted(by_kind.items())]
            + [[_("Total"), sum(by_kind.values())]],
            total=True,
        )
    )
    blocks.append(
        Block(
            "table",
            header=[_("Participants"), _("People")],
            rows=[[labels[f].capitalize(), people.get(f, 0)] for f in PARTICIPANT_FIELDS]
            + [[_("Total"), sum(people.values())]],
            total=True,
        )
    )
    return blocks


def _follow_up_table(follow_ups) -> Block:
    return Block(
        "table",
        header=[_("No."), _("Follow-up action"), _("Owner unit"), _("Due date"), _("Status")],
        rows=[
            [
                f["number"],
                f["text"],
                f["owner_unit"],
                short_date(f["due_on"]),
                f"{_status_label(f['status'])} ({f['percent_done']}%)" if f["status"] else "—",
            ]
            for f in follow_ups
        ],
    )


# --- The minutes ------------------------------------------------------------------------------


def minutes(review, language: str) -> Document:
    """The minutes (biên bản) of the conference, from the review as it stands."""
    with translation.override(language):
        return _minutes(review, language)


def _minutes(review, language: str) -> Document:
    kinds = dict(ContributionKind.choices)
    blocks = [
        _heading(review, language),
        Block("title", _("MINUTES")),
        Block("subtitle", review.title),
    ]
    facts = [
        (_("Date"), short_date(review.held_on)),
        (_("Venue"), review.venue),
        (_("Chair"), review.chair),
        (
            _("Period reviewed"),
            f"{short_date(review.period_start)} – {short_date(review.period_end)}",
        ),
    ]
    blocks += [Block("p", f"{label}: {value}") for label, value in facts if value]
    attendees = list(review.attendees.select_related("unit"))
    present = sum(1 for a in attendees if a.present)
    blocks.append(Block("h1", f"I. {_('Attendees')}"))
    blocks.append(
        Block(
            "note",
            _("%(present)d present, %(absent)d absent.")
            % {"present": present, "absent": len(attendees) - present},
        )
    )
    blocks.append(
        Block(
            "table",
            header=[_("No."), _("Name"), _("Unit"), _("Position"), _("Attendance")],
            rows=[
                [
                    index,
                    a.name,
                    str(a.unit or ""),
                    a.position,
                    pgettext("attendance", "present")
                    if a.present
                    else pgettext("attendance", "absent"),
                ]
                for index, a in enumerate(attendees, start=1)
            ],
        )
    )
    if review.agenda_items:
        blocks.append(Block("h1", f"II. {_('Agenda')}"))
        blocks += [Block("p", f"{i}. {item}") for i, item in enumerate(review.agenda_items, 1)]
    blocks.append(Block("h1", f"III. {_('Contributions')}"))
    for contribution in review.contributions.select_related(
        "speaker", "unit", "area", "task__area"
    ):
        who = contribution.speaker_label or _("Unnamed delegate")
        about = ""
        if contribution.task_id:
            about = f", {_('task')} {contribution.task.code}"
        elif contribution.area_id:
            about = f", {_('area')} {contribution.area.number}"
        blocks.append(
            Block(
                "p", f"{who} [{kinds.get(contribution.kind, contribution.kind)}{about}]", total=True
            )
        )
        blocks += [Block("p", p) for p in _paragraphs(contribution.text)]
    blocks.append(Block("h1", f"IV. {_('Conclusions')}"))
    for conclusion in review.conclusions.select_related("owner_unit", "task__area"):
        line = f"{conclusion.number}. {conclusion.text}"
        if conclusion.is_follow_up:
            line += " — " + _("owner: %(unit)s, due %(day)s") % {
                "unit": conclusion.owner_unit,
                "day": short_date(conclusion.due_on),
            }
            if conclusion.task_id:
                line += " " + _("(task %(code)s)") % {"code": conclusion.task.code}
        blocks.append(Block("p", line))
    footer = _("Minutes of %(review)s") % {"review": review.title}
    return Document(title=review.title, blocks=blocks, footer=footer)
