"""The review report and the minutes as a list of blocks (heading, title, sections, tables,
images, signatures, recipients), in the language asked for; writers.py turns the blocks into
DOCX or PDF.

In Vietnamese both follow the form of a Party document (Hướng dẫn 36-HD/VPTW) issued jointly by
a Party committee and a state agency: the issuing bodies on the left (the leading one first, a
Party committee with the asterisk under its name) with the number and symbol, "ĐẢNG CỘNG SẢN
VIỆT NAM" and the place and date on the right, the title, the body, the signature of each body
and the recipients. Who the bodies, signatories and recipients are is data (DocumentSetup,
or the form fixed when the report was issued), never code.

The report is built from a report version only — its prose, its stored statistics and, once
issued, its fixed number, date and signatories — so the same version always gives the same
document. Every generated sentence goes through the catalogues (context "document"); numbers
and dates follow the document's language.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.utils import numberformat, timezone, translation
from django.utils.formats import date_format, get_format
from django.utils.translation import npgettext, pgettext

from sinergi.programs.choices import PARTICIPANT_FIELDS, ActivityKind, TaskStatus
from sinergi.registry.choices import Ownership
from sinergi.reviews import charts
from sinergi.reviews.choices import ContributionKind

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
# A paragraph of the results that starts "[3]" or "[3.1]" reports on area 3; the tag is the
# secretary's filing mark and never reaches the document.
AREA_TAG = re.compile(r"^\[(\d+)(?:\.\d+)?\]\s*")
# The kind of document in its number and symbol (Hướng dẫn 36-HD/VPTW): báo cáo, biên bản.
REPORT_CODE, MINUTES_CODE = "BC", "BB"
NBSP = "\u00a0"
# The most zones a bar chart draws one bar each for (15 bars fill a page's width and half its
# height); more are drawn as the largest and one bar for the others.
CHART_ZONES = 15


@dataclass
class Line:
    """One line of a heading, signature or recipient block."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    upper: bool = False  # set in capitals, as the heading's bodies are


@dataclass
class Block:
    kind: str  # heading, title, subtitle, h1, h2, p, lead, note, table, image, signatures,
    # recipients, page_break
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    total: bool = False
    image: bytes = b""
    columns: list[list[Line]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


@dataclass
class Document:
    title: str
    blocks: list[Block]
    language: str = "vi"
    footer: str = ""


class Numeral(str):
    """A number already written the document's way (10.602 in Vietnamese, 10,602 in English);
    tables align it to the right."""


# --- Numbers and dates in the document's language ---------------------------------------------


def number(value: Any, decimals: int | None = None) -> Numeral:
    """A number with the active language's separators: vi and id 10.602 and 35,9; en 10,602
    and 35.9. Texts that are no number come back as they are."""
    if value is None or value == "":
        return Numeral("—")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return Numeral(str(value))
    if decimals is None and amount != amount.to_integral_value():
        decimals = min(max(-cast(int, amount.normalize().as_tuple().exponent), 0), 2)
    text = numberformat.format(
        amount,
        get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimals or 0,
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )
    return Numeral(text)


def percent(value: Any) -> Numeral:
    """35,9 % in Vietnamese (a space before the sign, kept on the line), 35.9% in English."""
    if value is None or value == "":
        return Numeral("—")
    written = pgettext("document percent", "%(number)s%%") % {"number": number(value)}
    return Numeral(written.replace(" %", NBSP + "%"))


def long_date(day: datetime.date, language: str) -> str:
    """The date as the body of a document writes it: "ngày 16 tháng 5 năm 2024" (no leading
    zeros, Hướng dẫn 36-HD/VPTW), "16 May 2024", "16 Mei 2024"."""
    if language == "vi":
        return f"ngày {day.day} tháng {day.month} năm {day.year}"
    with translation.override(language):
        return date_format(day, "j F Y")


def short_date(value: str | datetime.date | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return value.strftime("%d/%m/%Y")


def _moment(value: datetime.datetime, language: str) -> str:
    local = timezone.localtime(value)
    return pgettext("document", "%(time)s on %(day)s") % {
        "time": local.strftime("%H:%M"),
        "day": long_date(local.date(), language),
    }


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of a prose section, without the secretary's area tags."""
    found = [p.strip() for p in re.split(r"\n\s*\n|\n", text or "") if p.strip()]
    return [AREA_TAG.sub("", p) for p in found if AREA_TAG.sub("", p)]


def _type_name(entry: dict, language: str) -> str:
    names = entry.get("names") or {}
    return names.get(language) or names.get("en") or entry.get("code", "")


def _status_label(value: str | None) -> str:
    return str(dict(TaskStatus.choices).get(value or "", value or "—"))


def _kind_label(value: str) -> str:
    return str(dict(ActivityKind.choices).get(value, value))


# --- The form: issuing bodies, signatories, recipients ----------------------------------------


def _text(value: Any, language: str) -> str:
    """A text given per language, in `language`, else in Vietnamese, else the first given."""
    if isinstance(value, str):
        return value
    if not value:
        return ""
    return value.get(language) or value.get("vi") or next(iter(value.values()), "")


def form_of(program) -> dict[str, Any]:
    """The program's document form as data: its DocumentSetup, or, without one, its parties
    in the order they were added and, as recipients, the committees it reports to."""
    from sinergi.reviews.models import DocumentSetup

    setup = DocumentSetup.objects.filter(program=program).first()
    bodies = list(setup.bodies) if setup and setup.bodies else []
    if not bodies:
        through = program.parties.through.objects.filter(program=program).order_by("id")
        bodies = [
            {"unit": row.unit.code, "name": {"vi": row.unit.name}}
            for row in through.select_related("unit")
        ]
    recipients = list(setup.recipients) if setup and setup.recipients else []
    if not recipients:
        # In the order they were named: the Provincial Party Committee before its steering
        # committee in the Lào Cai preset.
        through = program.overseers.through.objects.filter(program=program).order_by("id")
        recipients = [{"vi": row.unit.name} for row in through.select_related("unit")]
    return {"place": setup.place if setup else "", "bodies": bodies, "recipients": recipients}


def _number_symbol(number_text: str, code: str, bodies: list[dict]) -> str:
    """ "25-BC/ĐUK-BQL": the number, the kind of document and the bodies' symbols; a number
    written in full ("25-BC/ĐUK-BQL") is kept as it is; none leaves room to write it in."""
    number_text = (number_text or "").strip()
    if "/" in number_text:
        return number_text
    symbols = "-".join(b["symbol"] for b in bodies if b.get("symbol"))
    kind = f"{code}/{symbols}" if symbols else code
    return f"{number_text or NBSP * 6}-{kind}"


def _heading(
    form: dict, place: str, number_text: str, code: str, day: datetime.date, language: str
) -> Block:
    left: list[Line] = []
    for body in form["bodies"]:
        superior = _text(body.get("superior"), language)
        if superior:
            left.append(Line(superior, upper=True))
        left.append(Line(_text(body.get("name"), language), bold=True, upper=True))
        if body.get("party"):
            left.append(Line("*", bold=True))
    left.append(
        Line(
            pgettext("document", "No. %(number)s")
            % {"number": _number_symbol(number_text, code, form["bodies"])}
        )
    )
    right: list[Line] = []
    if any(b.get("party") for b in form["bodies"]):
        right.append(
            Line(pgettext("document", "COMMUNIST PARTY OF VIETNAM"), bold=True, underline=True)
        )
        right.append(Line(""))
    when = long_date(day, language)
    right.append(Line(f"{place}, {when}" if place else when, italic=True))
    return Block("heading", columns=[left, right])


def _signatures(form: dict, language: str) -> Block:
    """A signature block per body, the leading body first (on the left)."""
    columns = []
    for body in form["bodies"]:
        column = [
            Line(_text(body.get("capacity"), language), bold=True, upper=True),
            Line(_text(body.get("title"), language), bold=True, upper=True),
            *[Line("") for _blank in range(4)],  # room for the signature and the seal
            Line(body.get("signer") or "", bold=True),
        ]
        columns.append([line for line in column[:2] if line.text] + column[2:])
    return Block("signatures", columns=columns)


def _recipients(form: dict, language: str) -> Block:
    names = [_text(r, language) for r in form["recipients"]]
    lines = [Line(pgettext("document", "Recipients:"), bold=True, italic=True)]
    lines += [Line(f"- {name},") for name in names]
    filed = pgettext("document", "File copy: office")
    lines.append(Line(f"- {filed}."))
    return Block("recipients", lines=lines)


# --- The report -------------------------------------------------------------------------------


def report(version, language: str) -> Document:
    """The review report of a version, in `language`."""
    with translation.override(language):
        return _report(version, language)


def _report(version, language: str) -> Document:
    review = version.review
    stats = version.statistics or {}
    types = stats.get("organisation_types", [])
    # An issued report reads its heading, title, signatories and recipients as issued.
    issued = version.issued_form or {}
    form = issued.get("form") or form_of(review.program)
    title = issued.get("title") or review.title
    day = version.issued_on or review.held_on
    blocks = [
        _heading(
            form,
            form["place"] if issued else (review.place or form["place"]),
            version.issued_number or review.number,
            REPORT_CODE,
            day,
            language,
        ),
        Block("title", pgettext("document", "REPORT")),
        Block("subtitle", title),
    ]
    sections = iter(ROMAN)

    def h1(title: str) -> Block:
        return Block("h1", f"{next(sections)}. {title}")

    blocks.append(h1(pgettext("document", "SITUATION")))
    blocks += [Block("p", p) for p in _paragraphs(version.background)]

    blocks.append(h1(pgettext("document", "RESULTS ACHIEVED")))
    blocks += _results_by_area(version, stats)
    as_of = stats.get("as_of")
    as_of_day = long_date(datetime.date.fromisoformat(as_of), language) if as_of else ""
    blocks += _statistics_tables(stats, types, language, as_of_day)
    blocks += _activities(stats)
    follow_ups = stats.get("previous_follow_ups") or []
    if follow_ups:
        blocks.append(
            Block("h2", pgettext("document", "4. Follow-up of the previous review's conclusions"))
        )
        blocks.append(_follow_up_table(follow_ups))

    blocks.append(h1(pgettext("document", "LIMITATIONS, DIFFICULTIES AND THEIR CAUSES")))
    blocks += [Block("p", p) for p in _paragraphs(version.limitations)]
    blocks.append(h1(pgettext("document", "LESSONS LEARNED")))
    blocks += [Block("p", p) for p in _paragraphs(version.lessons)]
    blocks.append(h1(pgettext("document", "DIRECTIONS AND TASKS FOR THE NEXT PERIOD")))
    blocks += [Block("p", p) for p in _paragraphs(version.directions)]
    blocks.append(h1(pgettext("document", "PROPOSALS")))
    blocks += [Block("p", p) for p in _paragraphs(version.proposals)]

    blocks.append(_signatures(form, language))
    blocks.append(_recipients(form, language))

    blocks.append(Block("page_break"))
    blocks.append(Block("title", pgettext("document", "ANNEX")))
    blocks.append(
        Block("subtitle", pgettext("document", "to the report: %(title)s") % {"title": title})
    )
    blocks.append(
        Block("h2", pgettext("document", "Annex 1. Tasks of the program and their status"))
    )
    blocks.append(
        Block(
            "table",
            header=[
                pgettext("document", "Code"),
                pgettext("document", "Task"),
                pgettext("document", "Lead unit"),
                pgettext("document", "Status"),
                pgettext("document", "Done"),
            ],
            rows=[
                [
                    t["code"],
                    t["title"],
                    t["lead_unit"],
                    _status_label(t["status"]),
                    percent(t["percent_done"]),
                ]
                for area in stats.get("areas", [])
                for t in area["tasks"]
            ],
        )
    )
    activity_rows = (stats.get("activities") or {}).get("rows", [])
    blocks.append(Block("h2", pgettext("document", "Annex 2. Activities held in the period")))
    blocks.append(
        Block(
            "table",
            header=[
                pgettext("document", "Date"),
                pgettext("document", "Kind"),
                pgettext("document", "Activity"),
                pgettext("document", "Participants"),
            ],
            rows=[
                [
                    short_date(a["held_on"]),
                    _kind_label(a["kind"]),
                    a["title"],
                    number(a["participants"]),
                ]
                for a in activity_rows
            ],
        )
    )
    blocks.append(Block("note", _data_note(version, stats, language)))
    return Document(title=title, blocks=blocks, language=language)


def _data_note(version, stats, language: str) -> str:
    as_of = stats.get("as_of")
    known = stats.get("known_at")
    return pgettext(
        "document",
        "The figures in this report describe %(day)s as the Sinergi database recorded them at "
        "%(moment)s (%(version)s).",
    ) % {
        "day": long_date(datetime.date.fromisoformat(as_of), language) if as_of else "—",
        "moment": _moment(datetime.datetime.fromisoformat(known), language) if known else "—",
        "version": version.label,
    }


def _results_by_area(version, stats) -> list[Block]:
    by_area: dict[int, list[str]] = {}
    general: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", version.results or ""):
        paragraph = paragraph.strip()
        match = AREA_TAG.match(paragraph)
        if match and paragraph[match.end() :].strip():
            by_area.setdefault(int(match.group(1)), []).append(paragraph[match.end() :].strip())
        elif paragraph and not match:
            general.append(paragraph)
    blocks = [Block("h2", pgettext("document", "1. Results by coordination area"))]
    blocks += [Block("p", p) for p in general]
    for area in stats.get("areas", []):
        blocks.append(
            Block(
                "lead",
                pgettext("document", "Area %(number)s. %(title)s")
                % {"number": area["number"], "title": area["title"]},
            )
        )
        counts = area["status_counts"]
        tasks = len(area["tasks"])
        blocks.append(
            Block(
                "p",
                npgettext(
                    "document",
                    "The area has %(tasks)d task: %(done)d done, %(running)d in progress and "
                    "%(stalled)d stalled.",
                    "The area has %(tasks)d tasks: %(done)d done, %(running)d in progress and "
                    "%(stalled)d stalled.",
                    tasks,
                )
                % {
                    "tasks": tasks,
                    "done": counts.get(TaskStatus.DONE, 0),
                    "running": counts.get(TaskStatus.IN_PROGRESS, 0),
                    "stalled": counts.get(TaskStatus.STALLED, 0),
                },
            )
        )
        blocks += [Block("p", p) for p in by_area.get(area["number"], [])]
    return blocks


def _chart_rows(rows: list[dict], width: int) -> list[dict]:
    """The zones a bar chart draws: all of them while they fit on a page beside their table;
    beyond CHART_ZONES (a national review's provinces), the largest ones and the others
    together in one bar (the table above lists every zone)."""
    if len(rows) <= CHART_ZONES:
        return rows
    largest = sorted(rows, key=lambda r: -r["total"])[: CHART_ZONES - 1]
    kept = {id(r) for r in largest}
    others = [r for r in rows if id(r) not in kept]
    other = {
        "zone": pgettext("document", "The other %(count)s zones") % {"count": len(others)},
        "counts": [sum(r["counts"][i] for r in others) for i in range(width)],
        "total": sum(r["total"] for r in others),
    }
    return [*largest, other]


def _statistics_tables(stats, types, language, as_of_day) -> list[Block]:
    ownership_labels = dict(Ownership.choices)
    ownerships = stats.get("ownerships", [])
    total_label = pgettext("document", "Total")
    zone_label = pgettext("document", "Zone")
    blocks = [
        Block(
            "h2",
            pgettext("document", "2. Enterprises, organisations and members as of %(day)s")
            % {"day": as_of_day},
        )
    ]

    table = stats.get("enterprises_by_ownership") or {
        "rows": [],
        "total": {"counts": [], "total": 0},
    }
    blocks.append(
        Block("lead", pgettext("document", "Table 1. Enterprises in the zones by ownership"))
    )
    blocks.append(
        Block(
            "table",
            header=[
                zone_label,
                *[str(ownership_labels.get(o, o)) for o in ownerships],
                total_label,
            ],
            rows=[[r["zone"], *map(number, r["counts"]), number(r["total"])] for r in table["rows"]]
            + [
                [
                    total_label,
                    *map(number, table["total"]["counts"]),
                    number(table["total"]["total"]),
                ]
            ],
            total=True,
        )
    )
    if table["rows"]:
        charted = _chart_rows(table["rows"], len(ownerships))
        blocks.append(
            Block(
                "image",
                image=charts.stacked_bars(
                    [r["zone"] for r in charted],
                    [
                        (str(ownership_labels.get(o, o)), [r["counts"][i] for r in charted])
                        for i, o in enumerate(ownerships)
                    ],
                    pgettext("document", "Enterprises by zone and ownership"),
                ),
            )
        )

    organisations = stats.get("organisations") or {"rows": [], "total": {}}
    header = [zone_label, pgettext("document", "Enterprises"), pgettext("document", "Workers")]
    for entry in types:
        header.append(_type_name(entry, language))
        if entry.get("member_field"):
            header.append(pgettext("document", "Members"))

    def organisation_row(label, row) -> list:
        cells = [label, number(row.get("enterprises", 0)), number(row.get("workers", 0))]
        for entry, values in zip(types, row.get("types", []), strict=False):
            cells.append(number(values["organisations"]))
            if entry.get("member_field"):
                cells.append(number(values["members"] or 0))
        return cells

    blocks.append(Block("lead", pgettext("document", "Table 2. Organisations and members")))
    blocks.append(
        Block(
            "table",
            header=header,
            rows=[organisation_row(r["zone"], r) for r in organisations["rows"]]
            + [organisation_row(total_label, organisations["total"])],
            total=True,
        )
    )
    total = organisations.get("total") or {}
    if total.get("enterprises"):
        # Two sources, two meanings: say which number is which next to the table.
        blocks.append(
            Block(
                "p",
                pgettext(
                    "document",
                    "The organisation columns count the organisations recorded in the registry "
                    "in the %(enterprises)s operating enterprises; the workers and members "
                    "columns add up the latest figures reported by %(reported)s of them.",
                )
                % {
                    "enterprises": number(total["enterprises"]),
                    "reported": number(total.get("reported", 0)),
                },
            )
        )
    if types and total.get("enterprises"):
        having = [v["organisations"] for v in total.get("types", [])]
        blocks.append(
            Block(
                "image",
                image=charts.stacked_bars(
                    [_type_name(t, language) for t in types],
                    [
                        (pgettext("document", "With the organisation"), having),
                        (
                            pgettext("document", "Without"),
                            [total["enterprises"] - h for h in having],
                        ),
                    ],
                    pgettext("document", "Enterprises with each organisation"),
                ),
            )
        )

    new = stats.get("new_members") or {"rows": [], "total": {}}
    blocks.append(
        Block(
            "lead",
            pgettext("document", "Table 3. Newly admitted party members and new organisations"),
        )
    )
    blocks.append(
        Block(
            "table",
            header=[
                zone_label,
                pgettext("document", "Newly admitted party members"),
                *[
                    pgettext("document", "New: %(type)s") % {"type": _type_name(t, language)}
                    for t in types
                ],
            ],
            rows=[
                [r["zone"], number(r["new_party_members"]), *map(number, r["founded"])]
                for r in new["rows"]
            ]
            + [
                [
                    total_label,
                    number(new["total"].get("new_party_members", 0)),
                    *map(number, new["total"].get("founded", [])),
                ]
            ],
            total=True,
        )
    )

    indicators = stats.get("indicators", [])
    blocks.append(Block("lead", pgettext("document", "Table 4. Indicators: target and actual")))
    yes, no = pgettext("document", "met"), pgettext("document", "not met")
    blocks.append(
        Block(
            "table",
            header=[
                pgettext("document", "Indicator"),
                pgettext("document", "Unit of measure"),
                pgettext("document", "Baseline"),
                pgettext("document", "Target"),
                pgettext("document", "Actual"),
                pgettext("document", "Result"),
            ],
            rows=[
                [
                    i["name"],
                    i["unit"],
                    number(i["baseline"]),
                    number(i["target"]),
                    number(i["actual"]),
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
                            pgettext("document", "Actual as a share of the target, per cent"),
                            [
                                round(100 * float(i["actual"]) / float(i["target"]), 1)
                                for i in measured
                            ],
                        )
                    ],
                    pgettext("document", "Indicators: actual against target, per cent"),
                ),
            )
        )
    return blocks


def _participant_labels() -> dict[str, str]:
    return {
        "cadres": pgettext("document", "Cadres"),
        "party_members": pgettext("document", "Party members"),
        "workers": pgettext("document", "Workers"),
        "business_owners": pgettext("document", "Business owners"),
        "others": pgettext("document", "Others"),
    }


def _activities(stats) -> list[Block]:
    activities = stats.get("activities") or {}
    people = activities.get("participants") or {}
    labels = _participant_labels()
    total_label = pgettext("document", "Total")
    blocks = [
        Block("h2", pgettext("document", "3. Dissemination, mobilisation and other activities"))
    ]
    by_kind = activities.get("by_kind") or {}
    blocks.append(
        Block(
            "table",
            header=[pgettext("document", "Kind"), pgettext("document", "Activities")],
            rows=[[_kind_label(k), number(n)] for k, n in sorted(by_kind.items())]
            + [[total_label, number(sum(by_kind.values()))]],
            total=True,
        )
    )
    blocks.append(
        Block(
            "table",
            header=[pgettext("document", "Participants"), pgettext("document", "People")],
            rows=[[labels.get(f, f), number(people.get(f, 0))] for f in PARTICIPANT_FIELDS]
            + [[total_label, number(sum(people.values()))]],
            total=True,
        )
    )
    return blocks


def _follow_up_table(follow_ups) -> Block:
    return Block(
        "table",
        header=[
            pgettext("document", "No."),
            pgettext("document", "Follow-up action"),
            pgettext("document", "Owner unit"),
            pgettext("document", "Due date"),
            pgettext("document", "Status"),
        ],
        rows=[
            [
                number(f["number"]),
                f["text"],
                f["owner_unit"],
                short_date(f["due_on"]),
                f"{_status_label(f['status'])} ({percent(f['percent_done'])})"
                if f["status"]
                else "—",
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
    form = form_of(review.program)
    parties = [u.name for u in _parties_in_order(review.program, form)]
    blocks = [
        _heading(form, review.place or form["place"], "", MINUTES_CODE, review.held_on, language),
        Block("title", pgettext("document", "MINUTES")),
        Block("subtitle", review.title),
    ]
    opening = pgettext(
        "document", "On %(day)s, at %(venue)s, %(bodies)s held the conference “%(title)s”."
    ) % {
        "day": long_date(review.held_on, language),
        "venue": review.venue or review.place or "—",
        "bodies": pgettext("document", "%(first)s and %(second)s")
        % {"first": ", ".join(parties[:-1]), "second": parties[-1]}
        if len(parties) > 1
        else "".join(parties),
        "title": review.title,
    }
    blocks.append(Block("p", opening))
    blocks.append(
        Block(
            "p",
            pgettext("document", "The conference reviewed the period from %(start)s to %(end)s.")
            % {
                "start": long_date(review.period_start, language),
                "end": long_date(review.period_end, language),
            },
        )
    )
    sections = iter(ROMAN)

    def h1(title: str) -> Block:
        return Block("h1", f"{next(sections)}. {title}")

    attendees = list(review.attendees.select_related("unit"))
    present = sum(1 for a in attendees if a.present)
    blocks.append(h1(pgettext("document", "ATTENDANCE")))
    if review.chair:
        blocks.append(
            Block("p", pgettext("document", "Chaired by: %(chair)s.") % {"chair": review.chair})
        )
    if review.secretary:
        blocks.append(
            Block(
                "p",
                pgettext("document", "Minutes taken by: %(secretary)s.")
                % {"secretary": review.secretary},
            )
        )
    blocks.append(
        Block(
            "p",
            npgettext(
                "document",
                "Of the %(invited)d delegate invited, %(present)d attended and %(absent)d sent "
                "apologies.",
                "Of the %(invited)d delegates invited, %(present)d attended and %(absent)d sent "
                "apologies.",
                len(attendees),
            )
            % {"invited": len(attendees), "present": present, "absent": len(attendees) - present},
        )
    )
    blocks.append(
        Block(
            "table",
            header=[
                pgettext("document", "No."),
                pgettext("document", "Name"),
                pgettext("document", "Unit"),
                pgettext("document", "Position"),
                pgettext("document", "Attendance"),
            ],
            rows=[
                [
                    number(index),
                    a.name,
                    str(a.unit or ""),
                    a.position,
                    pgettext("document attendance", "present")
                    if a.present
                    else pgettext("document attendance", "excused"),
                ]
                for index, a in enumerate(attendees, start=1)
            ],
        )
    )
    if review.agenda_items:
        blocks.append(h1(pgettext("document", "AGENDA")))
        blocks += [Block("p", f"{i}. {item}") for i, item in enumerate(review.agenda_items, 1)]
    blocks.append(h1(pgettext("document", "CONTRIBUTIONS")))
    for contribution in review.contributions.select_related(
        "speaker", "unit", "area", "task__area"
    ):
        who = contribution.speaker_label or pgettext("document", "A delegate")
        kind = str(kinds.get(contribution.kind, contribution.kind))
        if contribution.task_id:
            about = pgettext("document", "%(kind)s, task %(code)s") % {
                "kind": kind,
                "code": contribution.task.code,
            }
        elif contribution.area_id:
            about = pgettext("document", "%(kind)s, area %(number)s") % {
                "kind": kind,
                "number": contribution.area.number,
            }
        else:
            about = kind
        blocks.append(Block("lead", f"{who} ({about}):"))
        blocks += [Block("p", p) for p in _paragraphs(contribution.text)]
    blocks.append(h1(pgettext("document", "CONCLUSIONS")))
    for conclusion in review.conclusions.select_related("owner_unit", "task__area"):
        line = f"{conclusion.number}. {conclusion.text}"
        if conclusion.is_follow_up:
            follow = pgettext("document", "Owner: %(unit)s; due %(day)s") % {
                "unit": conclusion.owner_unit,
                "day": long_date(conclusion.due_on, language),
            }
            if conclusion.task_id:
                follow = pgettext("document", "%(follow_up)s; task %(code)s") % {
                    "follow_up": follow,
                    "code": conclusion.task.code,
                }
            line = f"{line} ({follow})."
        blocks.append(Block("p", line))
    blocks.append(
        Block(
            "p",
            pgettext(
                "document",
                "The minutes were read out to the conference and approved by those present.",
            ),
        )
    )
    blocks.append(
        Block(
            "signatures",
            columns=[
                [
                    Line(pgettext("document", "SECRETARY"), bold=True),
                    *[Line("") for _blank in range(4)],
                    Line(review.secretary, bold=True),
                ],
                [
                    Line(pgettext("document", "CHAIR"), bold=True),
                    *[Line("") for _blank in range(4)],
                    Line(review.chair, bold=True),
                ],
            ],
        )
    )
    return Document(title=review.title, blocks=blocks, language=language)


def _parties_in_order(program, form: dict) -> list:
    """The program's parties, those the form names first, in its order."""
    units = list(program.parties.all())
    order = {body.get("unit"): index for index, body in enumerate(form["bodies"])}
    return sorted(units, key=lambda u: (order.get(u.code, len(order)), u.pk))
