"""Write a document of blocks (documents.py) as an editable DOCX or as a PDF.

The DOCX uses Times New Roman, the typeface of Vietnamese administrative documents, which every
Word installation has with its Vietnamese glyphs. The PDF embeds DejaVu Serif, shipped by the
matplotlib package, which covers Vietnamese and Indonesian text; no font is kept in this
repository.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from pathlib import Path

import matplotlib
from docx import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from fpdf import FPDF
from fpdf.fonts import FontFace

from sinergi.reviews.documents import Block, Document, Line, Numeral

DOCX_FONT = "Times New Roman"
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
PDF_FONTS = {
    "": "DejaVuSerif.ttf",
    "B": "DejaVuSerif-Bold.ttf",
    "I": "DejaVuSerif-Italic.ttf",
    "BI": "DejaVuSerif-BoldItalic.ttf",
}
EM_SPACE = "\u2003"
# How a table is laid out (see `_table_layout`): the (whole values?, type size) tried in turn,
# and the room a cell takes beyond its text on both sides, in mm (fpdf2's padding and a little
# air; Word's default cell margins, 0.19 cm a side, and a little air). A signed paper keeps its
# tables at a readable size: a DOCX would rather wrap a long zone name than go below 9 pt.
PDF_TABLE_TRIES = tuple((whole, size) for whole in (True, False) for size in (8.5, 7.5, 6.5))
PDF_CELL_PADDING = 3.0
DOCX_TABLE_TRIES = ((True, 10.0), (True, 9.0), (False, 10.0), (False, 9.0), (False, 8.0))
DOCX_CELL_PADDING = 4.0
# STIX General (shipped by matplotlib) sets Latin letters in the widths of Times New Roman; it
# lacks Vietnamese letters, measured as their base letters (never narrower in Times).
DOCX_MEASURE_FONT = "STIXGeneralBol.ttf"
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def render(document: Document, fmt: str) -> bytes:
    if fmt == "docx":
        return to_docx(document)
    if fmt == "pdf":
        return to_pdf(document)
    raise ValueError(f"Unknown format {fmt!r}")


def _cell(value) -> str:
    return "" if value is None else str(value)


def _numeric(value) -> bool:
    return isinstance(value, Numeral | int | float)


def _line_text(line: Line) -> str:
    return line.text.upper() if line.upper else line.text


# --- DOCX -------------------------------------------------------------------------------------


def to_docx(document: Document) -> bytes:
    doc = DocxDocument()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), DOCX_FONT)
    for name in ("Heading 1", "Heading 2", "Title"):
        style = doc.styles[name]
        style.font.name = DOCX_FONT
        style.font.color.rgb = RGBColor(0, 0, 0)  # administrative documents are black
        style.element.rPr.rFonts.set(qn("w:eastAsia"), DOCX_FONT)
        style.element.rPr.rFonts.set(qn("w:ascii"), DOCX_FONT)
        style.element.rPr.rFonts.set(qn("w:hAnsi"), DOCX_FONT)
        # The template's theme fonts take precedence over the named ones in LibreOffice.
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            style.element.rPr.rFonts.attrib.pop(qn(theme), None)
        style.font.size = Pt(13)
        style.font.italic = False
    doc.core_properties.title = document.title
    doc.core_properties.language = document.language
    _docx_page_number(section.footer.paragraphs[0])
    measure = _docx_measure()
    for block in document.blocks:
        _docx_block(doc, block, measure)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_page_number(paragraph) -> None:
    """The page number, centred, as a field Word and LibreOffice fill in."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(11)
    for tag, attrs in (
        ("w:fldChar", {"w:fldCharType": "begin"}),
        ("w:instrText", {"xml:space": "preserve"}),
        ("w:fldChar", {"w:fldCharType": "separate"}),
        ("w:t", {}),
        ("w:fldChar", {"w:fldCharType": "end"}),
    ):
        element = OxmlElement(tag)
        for key, value in attrs.items():
            element.set(qn(key), value)
        if tag == "w:instrText":
            element.text = "PAGE"
        elif tag == "w:t":
            element.text = "1"
        run._r.append(element)


def _docx_lines(cell, lines: list[Line], size: float, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    cell.paragraphs[0].text = ""
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.first_line_indent = None
        run = paragraph.add_run(_line_text(line))
        run.bold, run.italic, run.underline = line.bold, line.italic, line.underline
        run.font.size = Pt(size)


def _docx_columns(doc, columns: list[list[Line]], size: float, widths: list[float]) -> None:
    table = doc.add_table(rows=1, cols=len(columns))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, lines in enumerate(columns):
        table.columns[index].width = Cm(widths[index])  # the grid LibreOffice reads
        cell = table.cell(0, index)
        cell.width = Cm(widths[index])
        _docx_lines(cell, lines, size)


def _docx_block(doc, block: Block, measure: _Measure) -> None:
    if block.kind == "heading":
        _docx_columns(doc, block.columns, 12, [9.5, 7.5])
        doc.add_paragraph()
    elif block.kind == "title":
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(12)
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(block.text)
        run.bold, run.font.size = True, Pt(15)
    elif block.kind == "subtitle":
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(block.text).bold = True
        rule = doc.add_paragraph()
        rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
        rule.add_run("-----")
    elif block.kind in ("h1", "h2"):
        paragraph = doc.add_paragraph(style="Heading 1" if block.kind == "h1" else "Heading 2")
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.space_after = Pt(3)
        paragraph.paragraph_format.first_line_indent = Cm(1)
        run = paragraph.add_run(block.text)
        run.bold, run.font.size = True, Pt(13)
        run.italic = block.kind == "h2"
    elif block.kind in ("p", "lead"):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.paragraph_format.space_after = Pt(3)
        paragraph.paragraph_format.keep_with_next = block.kind == "lead"
        if block.kind == "lead":  # a table's caption stands clear of the table before it
            paragraph.paragraph_format.space_before = Pt(9)
        paragraph.add_run(block.text).bold = block.kind == "lead" or block.total
    elif block.kind == "note":
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(12)
        run = paragraph.add_run(block.text)
        run.italic, run.font.size = True, Pt(11)
    elif block.kind == "table":
        _docx_table(doc, block, measure)
    elif block.kind == "image":
        doc.add_picture(io.BytesIO(block.image), width=Cm(15.5))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif block.kind == "signatures":
        doc.add_paragraph()
        count = max(len(block.columns), 1)
        _docx_columns(doc, block.columns, 13, [16 / count] * count)
    elif block.kind == "recipients":
        doc.add_paragraph()
        for index, line in enumerate(block.lines):
            paragraph = doc.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
            run = paragraph.add_run(_line_text(line))
            run.bold, run.italic = line.bold, line.italic
            run.font.size = Pt(12 if index == 0 else 11)
    elif block.kind == "page_break":
        doc.add_page_break()


def _docx_table(doc, block: Block, measure: _Measure) -> None:
    """The table at the size and column widths `_table_layout` finds for the page's text width
    (no word broken), its heading row repeated on each page and kept with the first row, and no
    row split across two pages."""
    if not block.header:
        return
    section = doc.sections[-1]
    room = section.page_width.mm - section.left_margin.mm - section.right_margin.mm
    size, widths = _table_layout(measure, block, DOCX_TABLE_TRIES, room, DOCX_CELL_PADDING)
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # the grid LibreOffice reads; each cell's width, Word's
        for cell in column.cells:
            cell.width = Mm(width)
    last = len(block.rows)
    for row_index, values in enumerate([block.header, *block.rows]):
        row = table.rows[row_index]
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if row_index == 0:
            properties.append(OxmlElement("w:tblHeader"))
        bold = row_index == 0 or (block.total and row_index == last)
        for cell, value in zip(row.cells, values, strict=False):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.keep_with_next = row_index == 0
            run = paragraph.add_run(_cell(value))
            run.font.size = Pt(size)
            run.bold = bold
            if _numeric(value):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


# --- PDF --------------------------------------------------------------------------------------


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Serif", "", 9)
        self.cell(0, 5, str(self.page_no()), align="C")


class _Measure:
    """Widths in mm of texts set in the bold face of `pdf`'s "Serif" (a table's headings and
    totals are bold: the wider face), each text measured once (at 1 pt) for every size asked;
    `fold` turns a text into the one measured."""

    def __init__(self, pdf: FPDF, fold: Callable[[str], str] | None = None):
        self.pdf, self.fold = pdf, fold
        self.units: dict[str, float] = {}

    def __call__(self, text: str, size: float) -> float:
        unit = self.units.get(text)
        if unit is None:
            self.pdf.set_font("Serif", "B", 10)
            shown = self.fold(text) if self.fold else text
            unit = self.units[text] = self.pdf.get_string_width(shown) / 10
        return unit * size


def _base_letters(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _docx_measure() -> _Measure:
    """Texts as Word and LibreOffice set them in Times New Roman (see DOCX_MEASURE_FONT)."""
    pdf = FPDF()
    pdf.add_font("Serif", "B", str(FONT_DIR / DOCX_MEASURE_FONT))
    return _Measure(pdf, fold=_base_letters)


def to_pdf(document: Document) -> bytes:
    pdf = _Pdf(format="A4")
    pdf.set_margins(30, 20, 15)
    pdf.set_lang(document.language)
    pdf.set_auto_page_break(True, margin=18)
    for style, filename in PDF_FONTS.items():
        pdf.add_font("Serif", style, str(FONT_DIR / filename))
    pdf.set_title(document.title)
    pdf.set_creator("Sinergi")
    pdf.add_page()
    for block in document.blocks:
        _pdf_block(pdf, block)
    return bytes(pdf.output())


def _pdf_lines(pdf: _Pdf, lines: list[Line], x: float, width: float, size: float) -> float:
    """Centred lines from (x, current y); returns the y below them."""
    for line in lines:
        style = ("B" if line.bold else "") + ("I" if line.italic else "")
        pdf.set_font("Serif", style, size)
        text = _line_text(line)
        pdf.set_x(x)
        # A long body name (an English heading) wraps inside its column.
        pdf.multi_cell(width, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        if line.underline and text and pdf.get_string_width(text) <= width:
            half = pdf.get_string_width(text) / 2
            middle = x + width / 2
            y = pdf.get_y() - 0.4
            pdf.set_line_width(0.25)
            pdf.line(middle - half, y, middle + half, y)
    return pdf.get_y()


def _pdf_columns(pdf: _Pdf, columns: list[list[Line]], widths: list[float], size: float) -> None:
    top, bottom, x = pdf.get_y(), pdf.get_y(), pdf.l_margin - 8
    for lines, width in zip(columns, widths, strict=False):
        pdf.set_y(top)
        bottom = max(bottom, _pdf_lines(pdf, lines, x, width, size))
        x += width
    pdf.set_y(bottom)


def _pdf_block(pdf: _Pdf, block: Block) -> None:
    width = pdf.epw
    if block.kind == "heading":
        _pdf_columns(pdf, block.columns, [width * 0.48 + 8, width * 0.52 + 8], 10.5)
        pdf.ln(6)
    elif block.kind == "title":
        pdf.ln(2)
        pdf.set_font("Serif", "B", 14)
        pdf.multi_cell(width, 7, block.text, align="C", new_x="LMARGIN")
    elif block.kind == "subtitle":
        pdf.set_font("Serif", "B", 12)
        pdf.multi_cell(width, 6, block.text, align="C", new_x="LMARGIN")
        pdf.set_font("Serif", "", 11)
        pdf.cell(width, 5, "-----", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    elif block.kind in ("h1", "h2"):
        if pdf.will_page_break(20):
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font("Serif", "B" if block.kind == "h1" else "BI", 11.5)
        pdf.set_x(pdf.l_margin + 10)
        pdf.multi_cell(width - 10, 6, block.text, new_x="LMARGIN")
        pdf.ln(1)
    elif block.kind in ("p", "lead"):
        bold = block.kind == "lead" or block.total
        if bold and pdf.will_page_break(35):
            pdf.add_page()  # a bold lead-in (a table's caption) stays with what follows
        pdf.set_font("Serif", "B" if bold else "", 11.5)
        pdf.set_x(pdf.l_margin)
        # The first line's indent in em spaces, which justification does not stretch.
        pdf.multi_cell(width, 6, f"{EM_SPACE * 2}{block.text}", align="J", new_x="LMARGIN")
        pdf.ln(1)
    elif block.kind == "note":
        pdf.ln(4)
        pdf.set_font("Serif", "I", 9.5)
        pdf.multi_cell(width, 5, block.text, new_x="LMARGIN")
    elif block.kind == "table":
        _pdf_table(pdf, block)
    elif block.kind == "image":
        pdf.image(io.BytesIO(block.image), w=width * 0.9, x=pdf.l_margin + width * 0.05)
        pdf.ln(2)
    elif block.kind == "signatures":
        if pdf.will_page_break(50):
            pdf.add_page()
        pdf.ln(4)
        count = max(len(block.columns), 1)
        _pdf_columns(pdf, block.columns, [(width + 16) / count] * count, 11.5)
        pdf.ln(4)
    elif block.kind == "recipients":
        for index, line in enumerate(block.lines):
            style = ("B" if line.bold else "") + ("I" if line.italic else "")
            pdf.set_font("Serif", style, 11 if index == 0 else 10)
            pdf.set_x(pdf.l_margin - 8)
            pdf.multi_cell(width * 0.6, 5, _line_text(line), new_x="LMARGIN")
    elif block.kind == "page_break":
        pdf.add_page()


def _pdf_table(pdf: _Pdf, block: Block) -> None:
    if not block.header:
        return
    size, widths = _table_layout(_Measure(pdf), block, PDF_TABLE_TRIES, pdf.epw, PDF_CELL_PADDING)
    pdf.set_font("Serif", "", size)
    heading = FontFace(emphasis="BOLD", fill_color=(230, 233, 240))
    with pdf.table(
        col_widths=widths,
        headings_style=heading,
        line_height=4.6,
        text_align="LEFT",
        first_row_as_headings=True,
    ) as table:
        table.row([_cell(v) for v in block.header])
        last = len(block.rows) - 1
        for index, values in enumerate(block.rows):
            style = FontFace(emphasis="BOLD") if block.total and index == last else None
            row = table.row(style=style)
            for value in values:
                row.cell(_cell(value), align="RIGHT" if _numeric(value) else "LEFT")
    pdf.ln(3)


def _table_layout(
    measure: _Measure,
    block: Block,
    tries: tuple[tuple[bool, float], ...],
    room: float,
    padding: float,
) -> tuple[float, list[float]]:
    """(type size in pt, column widths in mm summing to `room`) of a table: the first of `tries`
    that fits, each (whole values, size): with whole values, every value on one line (a zone
    name unbroken); without, no number or word broken. A table too wide for any falls back to
    widths by character count at the last size, and its longest words wrap."""
    for whole_values, size in tries:
        widths = _column_widths(measure, block, whole_values, size, room, padding)
        if widths is not None:
            return size, widths
    relative = _widths_by_characters(block)
    return tries[-1][1], [room * w / sum(relative) for w in relative]


def _column_widths(
    measure: _Measure, block: Block, whole_values: bool, size: float, room: float, padding: float
) -> list[float] | None:
    """Widths in mm: every column at least as wide as its longest word or number (nothing is
    broken inside a word), then, as far as the page allows, as wide as its longest value (a zone
    name on one line), the rest going to the headers that would otherwise wrap most. None when
    the page is too narrow for the longest words (or, with `whole_values`, for the values)."""

    def width(text: str) -> float:
        return measure(text, size) + padding

    minimum, values_whole, wanted = [], [], []
    for index, title in enumerate(block.header):
        values = [_cell(row[index]) for row in block.rows if index < len(row)]
        words = [w for text in (title, *values) for w in text.split()]
        minimum.append(max((width(w) for w in words), default=padding))
        values_whole.append(max((width(v) for v in values), default=padding))
        wanted.append(max(values_whole[-1], width(title)))
    if whole_values:
        floor = [max(m, v) for m, v in zip(minimum, values_whole, strict=True)]
    else:
        floor = minimum
    if sum(floor) > room:
        return None
    spare = room - sum(floor)
    desire = [max(w - f, 0) for w, f in zip(wanted, floor, strict=True)]
    if sum(desire) <= 0:
        return [f + spare / len(floor) for f in floor]
    return [f + spare * d / sum(desire) for f, d in zip(floor, desire, strict=True)]


def _widths_by_characters(block: Block) -> list[float]:
    """Relative widths from the longest header word or value, text columns capped."""
    widths = []
    for index, title in enumerate(block.header):
        values = [_cell(row[index]) for row in block.rows if index < len(row)]
        longest_word = max((len(w) for w in title.split()), default=1)
        longest_value = max((len(v) for v in values), default=1)
        widths.append(min(max(longest_word, longest_value, 4), 45))
    return widths
