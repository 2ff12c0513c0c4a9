"""A `Document` as a Word file (.docx) that opens cleanly in Word and WPS.

Built with python-docx, imported only here (~0.1 s: only `--format docx` pays for it).
A4 with the document's margins, as the HTML's `@page`; 仿宋 body, 宋体 tables, 黑体 title and
headings. Word picks the font of Chinese characters from `w:eastAsia` of a run's
`w:rFonts`; the default template sets theme fonts (`w:asciiTheme`, `w:eastAsiaTheme`, …),
which win over named fonts, so they are removed from the styles and the document defaults,
and every run names its fonts itself. A run names one font and Word has no fallback list,
so the title is in 黑体 (SimHei, on every Windows; WPS has it, LibreOffice and macOS Word
substitute a sans-serif CJK face), not the 公文's 方正小标宋, which few machines have.
Body paragraphs are indented two characters (`w:firstLineChars="200"`, which Word and WPS
read, and the same length in points for LibreOffice). Tables are real Word tables with
borders (a row never splits, the header repeats on each page); a `whole` table is kept on
one page (`keep_with_next` on every row but the last). The signatures, the seal line and
the date are never the first thing on a page: each group of `document.page_groups` is
chained with `keep_with_next`, from the paragraph (or the last list item or table row)
before them. The footer numbers the pages in the document's language (the catalogue's
documents.page_footer: 第 X 页 共 Y 页) with PAGE and NUMPAGES fields.
The bytes are deterministic: the core properties carry the document's own date, and the
zip entries a fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from typing import Any

import docx as python_docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor, Twips

from ..text.safety import lines_of, xml_safe
from .document import (
    FIGURE_MOST_HEIGHT,
    ROW_TO_SIGN,
    Block,
    ChartBlock,
    Document,
    Fields,
    Figure,
    Heading,
    Inline,
    ListBlock,
    PageBreak,
    Paragraph,
    Signatures,
    Stamp,
    Table,
    page_groups,
    words,
)

BODY = "仿宋"  # FangSong: on every Windows; WPS and LibreOffice substitute where missing
TABLE = "宋体"
HEADING = "黑体"
LATIN = "Times New Roman"
LATIN_HEADING = "Arial"
SIZE = {"title": 22.0, 2: 16.0, 3: 14.0, "body": 14.0, "table": 12.0, "footer": 10.5}
INDENT_CHARACTERS = 2  # 首行缩进 2 字符
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time leaks in
# the paragraph properties that come after w:pBdr in the schema's order (`_box` inserts
# the borders before the first of them that is there)
_AFTER_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                  "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                  "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                  "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                  "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                  "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                  "w:pPrChange")


def set_fonts(r_pr: Any, east_asia: str, latin: str) -> None:
    """Name the fonts of a run or style (rPr): ASCII, other Latin, complex script and
    East Asian; drop the theme fonts that would otherwise win."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for name in _THEME_ATTRIBUTES:
        if fonts.get(qn(name)) is not None:
            del fonts.attrib[qn(name)]
    for name, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin),
                        ("w:eastAsia", east_asia)):
        fonts.set(qn(name), value)


MM_PER_POINT = 25.4 / 72
OPENING = frozenset("（《「『“‘【〔([{")
# where a title's words most often end (议事会, 社区, 小组 …) or a quotation begins: a line
# break there keeps words whole (词意完整) without a dictionary
WORD_ENDS = frozenset("会区村组”’》）」』")
UNNATURAL = 2.0  # the ems of unevenness worth a break at a word's end


def _units(char: str) -> float:
    """A character's width in the title's em: Latin letters and digits about half."""
    return 0.55 if char.isascii() else 1.0


def balanced_title(values: list[str], characters: float) -> list[str]:
    """The title's runs with a line break put where its two lines come out even, when
    it is a little too long for one line of `characters` ems (and fits in two): never
    inside a word or number of Latin letters or digits, before closing punctuation or
    after opening punctuation, and rather where a word ends (WORD_ENDS, a change between
    Chinese and Latin) than in the middle of one. A title that fits, or needs three
    lines, is left as is."""
    from .table import NO_LINE_START

    text = "".join(values)
    total = sum(map(_units, text))
    room = characters * 0.95  # the fonts' side bearings: keep clear of the exact edge
    if total <= room or total > 2 * room or "\n" in text or " " in text:
        return values  # a title in words with spaces wraps well between them
    best, best_gap, reach = -1, total, 0.0
    for index in range(1, len(text)):
        reach += _units(text[index - 1])
        before, after = text[index - 1], text[index]
        if (before.isascii() and before.isalnum() and after.isascii() and after.isalnum()) \
                or after in NO_LINE_START or before in OPENING or max(reach, total - reach) > room:
            continue
        natural = before in WORD_ENDS or after in OPENING or before.isascii() != after.isascii()
        gap = abs(total / 2 - reach) + (0 if natural else UNNATURAL)
        if gap < best_gap:
            best, best_gap = index, gap
    if best < 0:
        return values
    out, start = [], 0
    for value in values:  # the break goes into the run that holds that character
        end = start + len(value)
        out.append(value[:best - start] + "\n" + value[best - start:] if start <= best < end
                   else value)
        start = end
    return out


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.word = python_docx.Document()
        self.colon = doc.locale.colon
        self._setup()

    # --- page and styles -----------------------------------------------------------------
    def _setup(self) -> None:
        section = self.word.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(210), Mm(297)
        margins = self.doc.margins
        section.top_margin, section.bottom_margin = Mm(margins.top), Mm(margins.bottom)
        section.left_margin, section.right_margin = Mm(margins.left), Mm(margins.right)
        section.footer_distance = Mm(min(12, self.doc.margins.bottom - 8))
        styles = self.word.styles
        # theme fonts out of the document defaults and every style, our fonts in
        for fonts in list(styles.element.iter(qn("w:rFonts"))):
            style = fonts.getparent().getparent()
            name = style.find(qn("w:name")) if style is not None else None
            heading = name is not None and (name.get(qn("w:val")) or "").startswith(
                ("heading", "Heading", "Title", "title"))
            set_fonts(fonts.getparent(), HEADING if heading else BODY,
                      LATIN_HEADING if heading else LATIN)
        normal = styles["Normal"]
        normal.font.size = Pt(SIZE["body"])
        set_fonts(normal.element.get_or_add_rPr(), BODY, LATIN)
        normal.paragraph_format.space_after = Pt(3)
        normal.paragraph_format.line_spacing = 1.25
        for level in (1, 2, 3):
            style = styles[f"Heading {level}"]
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.bold = False
            style.font.italic = False
            set_fonts(style.element.get_or_add_rPr(), HEADING, LATIN_HEADING)
            style.paragraph_format.keep_with_next = True
        self._core()
        self._footer(section)

    def _core(self) -> None:
        """Core properties from the document, not from the clock or the machine."""
        core = self.word.core_properties
        day = dt.date.fromisoformat(self.doc.date)
        moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        core.created = moment
        core.modified = moment
        core.last_printed = moment
        core.revision = 1
        core.author = ""
        core.last_modified_by = ""
        core.title = xml_safe("".join(s.text for s in self.doc.title))
        core.language = self.doc.locale.tag
        core.comments = ""
        core.keywords = ""
        core.subject = ""
        core.category = self.doc.kind

    def _footer(self, section: Any) -> None:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # 第 {page} 页 共 {pages} 页: the words as runs, the numbers as fields Word fills in
        template = self.doc.locale.say("documents.page_footer", page="{PAGE}", pages="{NUMPAGES}")
        for index, piece in enumerate(re.split(r"\{(PAGE|NUMPAGES)\}", template)):
            if index % 2:  # a field's name, caught by the split
                self._field(paragraph, piece)
            elif piece:
                self._run(paragraph, piece, size=SIZE["footer"], font=TABLE)

    def _field(self, paragraph: Any, code: str) -> None:
        """A Word field (PAGE, NUMPAGES): begin, instruction, separator, a shown value
        that Word and WPS replace when they lay out the page, end."""
        for kind, text in (("begin", None), ("instr", f" {code} "), ("separate", None),
                           ("text", "1"), ("end", None)):
            run = self._run(paragraph, "", size=SIZE["footer"], font=TABLE)
            if kind == "instr":
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
                run._r.append(element)
            elif kind == "text":
                run.text = text or ""
            else:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
                run._r.append(element)

    # --- text ------------------------------------------------------------------------------
    def _run(self, paragraph: Any, text: str, *, bold: bool = False, size: float | None = None,
             font: str = BODY, latin: str = LATIN) -> Any:
        run = paragraph.add_run()
        lines = text.split("\n")
        for number, line in enumerate(lines):
            if number:
                run.add_break()
            if line:
                # the last defence: lxml refuses the whole document over one character
                # XML 1.0 cannot carry, wherever it came from
                run.add_text(xml_safe(line))
        if bold:
            font, latin = HEADING, LATIN_HEADING  # 黑体 stands for bold in Chinese print
        set_fonts(run._r.get_or_add_rPr(), font, latin)
        if size is not None:
            run.font.size = Pt(size)
        return run

    def inline(self, paragraph: Any, text: Inline, *, size: float | None = None,
               font: str = BODY) -> None:
        for span in text:
            value = span.text
            if span.user:
                value = ("\n" if span.lines else " ").join(lines_of(value))
            self._run(paragraph, value, bold=span.bold, size=size, font=font)

    def paragraph(self, text: Inline = (), *, style: str | None = None, size: float | None = None,
                  align: Any = None, keep: bool = False, indent: float = 0,
                  hanging: float = 0) -> Any:
        paragraph = self.word.add_paragraph(style=style)
        if align is not None:
            paragraph.alignment = align
        fmt = paragraph.paragraph_format
        if keep:
            fmt.keep_with_next = True
            fmt.keep_together = True
        if indent or hanging:
            fmt.left_indent = Pt(indent + hanging)
            fmt.first_line_indent = Pt(-hanging)
        self.inline(paragraph, text, size=size)
        return paragraph

    # --- blocks ----------------------------------------------------------------------------
    def write(self) -> bytes:
        d = self.doc
        title = self.word.add_paragraph(style="Title")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_after = Pt(12)
        values = [" ".join(lines_of(span.text)) if span.user else span.text
                  for span in d.title]
        # a title of one line and one character more breaks in the middle, as a 公文
        # title is set, not before its last character (Word and LibreOffice would)
        characters = d.margins.width / (SIZE["title"] * MM_PER_POINT)
        for value in balanced_title(values, characters):
            self._run(title, value, size=SIZE["title"], font=HEADING, latin=LATIN_HEADING)
        self._plain_title_style()
        if d.number:  # the 文号, centred under the title
            title.paragraph_format.space_after = Pt(6)
            number = self.paragraph(d.number, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format
            number.first_line_indent, number.space_after = Pt(0), Pt(12)
        for group in page_groups(d.blocks):
            made = [self._made(block) for block in group]
            if len(group) > 1:
                _keep_together(made, whole_first=not isinstance(
                    group[0], ListBlock | Fields | Table) or (
                        isinstance(group[0], Table) and group[0].unbroken))
        return self._save()

    def _made(self, block: Block) -> list[Any]:
        """Write `block`; the body elements (w:p, w:tbl) it made, in order."""
        body = self.word.element.body
        start = len(body)
        self.block(block)
        return list(body)[start - 1:len(body) - 1]  # the section properties stay last

    def _plain_title_style(self) -> None:
        """The template's Title style draws a blue rule under the title: not on a 纪要."""
        style = self.word.styles["Title"]
        p_pr = style.element.find(qn("w:pPr"))
        if p_pr is not None:
            border = p_pr.find(qn("w:pBdr"))
            if border is not None:
                p_pr.remove(border)
        style.font.color.rgb = RGBColor(0, 0, 0)

    def block(self, block: object) -> None:
        hang = SIZE["body"] * 2
        if isinstance(block, Heading):
            paragraph = self.word.add_paragraph(style=f"Heading {block.level - 1}")
            paragraph.paragraph_format.space_before = Pt(10 if block.level == 2 else 6)
            paragraph.paragraph_format.space_after = Pt(4)
            for span in block.text:
                value = " ".join(lines_of(span.text)) if span.user else span.text
                self._run(paragraph, value, size=SIZE[block.level], font=HEADING,
                          latin=LATIN_HEADING)
        elif isinstance(block, Paragraph):
            if block.kind == "banner":
                paragraph = self.paragraph(block.text, keep=True)
                self._box(paragraph)
            else:
                paragraph = self.paragraph(block.text, keep=block.kind == "lead")
                if block.kind == "body":
                    _indent_first_line(paragraph)
        elif isinstance(block, Fields):
            for row in block.rows:
                text = words(row.label, bold=True) + words(self.colon) + row.value
                self.paragraph(text, hanging=hang)
                for number, item in enumerate(row.items, 1):
                    self.paragraph(words(f"{number}. ") + item, indent=hang, hanging=hang)
        elif isinstance(block, ListBlock):
            for place, entry in enumerate(block.items, 1):
                marker = f"{entry.number or place}. " if block.ordered else "• "
                self.paragraph(words(marker) + entry.text, hanging=hang)
                for child in entry.children:
                    self.paragraph(words("– ") + child, indent=hang, hanging=SIZE["body"])
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Signatures):
            self.signatures(block)
        elif isinstance(block, Stamp):
            self.stamp(block)
        elif isinstance(block, ChartBlock):
            self.chart(block)
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, PageBreak):
            self.word.add_page_break()  # type: ignore[no-untyped-call]

    def _box(self, paragraph: Any) -> None:
        """A border around a paragraph (the 草稿 banner)."""
        p_pr = paragraph._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        for side in ("top", "left", "bottom", "right"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), "12")
            edge.set(qn("w:space"), "4")
            edge.set(qn("w:color"), "000000")
            borders.append(edge)
        # in the schema's place (after keepNext, before spacing and jc): Word refuses a
        # paragraph whose properties are out of order
        p_pr.insert_element_before(borders, *_AFTER_BORDERS)

    def table(self, block: Table) -> None:
        columns = len(block.header)
        table = self.word.add_table(rows=1, cols=columns)
        table.style = self.word.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        width = Mm(self.doc.margins.width)
        shares = block.widths or tuple(1 for _ in block.header)
        widths = [int(width * share / sum(shares)) for share in shares]
        header = table.rows[0]
        self._row_rules(header, header_row=True)
        for cell, text in zip(header.cells, block.header, strict=True):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._run(cell.paragraphs[0], text, size=SIZE["table"], font=HEADING,
                      latin=LATIN_HEADING)
        for values in block.rows:
            row = table.add_row()
            self._row_rules(row, tall=block.tall)
            for cell, value in zip(row.cells, values, strict=True):
                self.inline(cell.paragraphs[0], value, size=SIZE["table"], font=TABLE)
        for _ in range(block.blank_rows):
            row = table.add_row()
            self._row_rules(row, tall=True)
            for cell in row.cells:
                self._run(cell.paragraphs[0], "", size=SIZE["table"], font=TABLE)
        # Word reads the cells' widths, LibreOffice and WPS the grid's: set both, fixed
        table.autofit = False
        for column, share in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths,
                                 strict=True):
            column.set(qn("w:w"), str(share // 635))  # EMU → twentieths of a point
        for row in table.rows:
            for cell, share in zip(row.cells, widths, strict=True):
                cell.width = share
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if block.unbroken:
            for row in list(table.rows)[:-1]:
                _keep_row(row._tr)
        self.word.add_paragraph()

    def chart(self, block: ChartBlock) -> None:
        """The chart as a PNG of its SVG, drawn by the browser (render/chart_png.py),
        centred across the text's width."""
        from .chart_png import png
        from .charts import svg

        picture = png(svg(block.chart))
        paragraph = self.word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_together = True
        paragraph.add_run().add_picture(io.BytesIO(picture),
                                        width=Mm(min(150.0, self.doc.margins.width)))

    def _row_rules(self, row: Any, *, header_row: bool = False, tall: bool = False) -> None:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if header_row:
            tr_pr.append(OxmlElement("w:tblHeader"))
        if tall:
            # in whole twentieths of a point, rounded up: never below the height asked
            row.height = Twips(math.ceil(ROW_TO_SIGN / 25.4 * 1440))
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST

    def signatures(self, block: Signatures) -> None:
        """One line to sign on per person, kept on one page with the seal that follows
        (two to a line would wrap on A4 at 14 pt)."""
        for number, entry in enumerate(block.entries):
            paragraph = self.paragraph(entry + words(self.colon + block.blank), keep=True)
            paragraph.paragraph_format.space_before = Pt(12 if number == 0 else 6)

    def stamp(self, block: Stamp) -> None:
        first = self.paragraph(block.org + words(block.seal), align=WD_ALIGN_PARAGRAPH.RIGHT,
                               keep=True)
        first.paragraph_format.space_before = Pt(24)
        self.paragraph(words(block.date), align=WD_ALIGN_PARAGRAPH.RIGHT)

    def figure(self, block: Figure) -> None:
        """The picture as wide as the text (no taller than most of the page), centred,
        kept on the page of its caption under it."""
        margins = self.doc.margins
        picture = self.paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, keep=True)
        picture.paragraph_format.space_before = Pt(12)
        try:
            shape = picture.add_run().add_picture(io.BytesIO(block.data),
                                                  width=Mm(margins.width))
        except Exception:  # noqa: BLE001 - python-docx's readers raise KeyError, struct.error…
            # a picture it cannot size (a JPEG yiguan accepted by its structure): the caption
            picture._p.getparent().remove(picture._p)
            self.paragraph(block.caption, size=SIZE["table"], align=WD_ALIGN_PARAGRAPH.CENTER)
            return
        most = Mm(margins.height * FIGURE_MOST_HEIGHT)
        if shape.height > most:
            shape.width, shape.height = Emu(shape.width * most // shape.height), most
        self.paragraph(block.caption, size=SIZE["table"], align=WD_ALIGN_PARAGRAPH.CENTER)

    def _save(self) -> bytes:
        raw = io.BytesIO()
        self.word.save(raw)
        return _fixed_zip(raw.getvalue())


def _indent_first_line(paragraph: Any) -> None:
    """首行缩进 2 字符: in characters for Word and WPS (which then follow the font size),
    in points for LibreOffice, which reads only those."""
    paragraph.paragraph_format.first_line_indent = Pt(INDENT_CHARACTERS * SIZE["body"])
    indent = paragraph._p.get_or_add_pPr().get_or_add_ind()
    indent.set(qn("w:firstLineChars"), str(INDENT_CHARACTERS * 100))


def _keep_paragraph(element: Any) -> None:
    """A paragraph kept on the page of the next one, and not split itself."""
    properties = element.get_or_add_pPr()
    properties.keepNext_val = True
    properties.keepLines_val = True


def _keep_row(row: Any) -> None:
    """A table row kept on the page of the next row or paragraph: Word and LibreOffice
    read `keep_with_next` on the paragraphs of its cells as the row's."""
    for element in row.iter(qn("w:p")):
        _keep_paragraph(element)


def _keep_element(element: Any, *, whole: bool = True) -> None:
    """Keep a body element with what follows it: a paragraph; a table's rows (`whole`)
    or its last row only."""
    if element.tag == qn("w:p"):
        _keep_paragraph(element)
        return
    rows = element.findall(qn("w:tr"))
    for row in rows if whole else rows[-1:]:
        _keep_row(row)


def _keep_together(made: list[list[Any]], *, whole_first: bool) -> None:
    """Chain a page group's elements with keep-with-next, so no page break falls inside
    it: the first block whole (`whole_first`, a paragraph or a heading) or only its last
    paragraph or table row (a list or a table, which may break before it), then every
    element of the others but the group's last."""
    first, rest = made[0], [element for elements in made[1:] for element in elements]
    if whole_first:
        for element in first:
            _keep_element(element)
    else:
        # the table's spacer paragraph after it, then its last row; or the last paragraph
        for element in reversed(first):
            _keep_element(element, whole=False)
            if element.tag == qn("w:tbl") or "".join(element.itertext()).strip():
                break
    last = max((i for i, e in enumerate(rest) if e.tag == qn("w:tbl")
                or "".join(e.itertext()).strip()), default=len(rest) - 1)
    for index, element in enumerate(rest):
        if index < last:
            _keep_element(element)
        elif index == last and element.tag == qn("w:tbl"):
            for row in element.findall(qn("w:tr"))[:-1]:  # whole, but no further
                _keep_row(row)


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01 and no extra fields, in the same
    order: python-docx stamps entries with the time of saving."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def docx(doc: Document) -> bytes:
    """The document as the bytes of a .docx file."""
    return _Writer(doc).write()


def render(doc: Document) -> bytes:
    """The document as a Word file (the registry's entry point)."""
    return docx(doc)
