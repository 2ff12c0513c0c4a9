"""One document model for everything yiguan prints: built once, rendered in four formats.

A renderer of a meeting (minutes, notice, meeting notice, sign-in sheet) builds a
`Document`: a title, blocks (headings, label/value fields, paragraphs, lists, tables,
signature lines, the stamp line, figures) made of `Span`s. A span is either our own words from
the catalogue (`user=False`, trusted) or text typed into a meeting file (`user=True`),
which every format cleans and escapes in its own way: Markdown escapes its syntax, HTML
its markup, Word needs neither. So no layout decision is written twice, and no format
can forget to escape. `phrase` fills a catalogue template with spans, keeping which
parts came from a file; `**…**` in a template marks bold words.

The formats are registered in `render/formats.py` (`render_document(doc, fmt)`): `md` and
`html` in the standard library, `docx` through python-docx and `pdf` through a browser,
each imported only when asked for (start-up time is a feature). No Typer, no rich, no
clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..text.messages import ClockTime, Locale, catalogue, clock_text, locale

if TYPE_CHECKING:
    from ..rules.deadline import Period
    from .charts import Chart

@dataclass(frozen=True)
class Span:
    """A run of text. `user`: typed into a meeting file (cleaned and escaped by each
    format); `lines`: its line breaks are kept (a speech), else they become spaces."""

    text: str
    bold: bool = False
    user: bool = False
    lines: bool = False


Inline = tuple[Span, ...]


def words(text: str, *, bold: bool = False) -> Inline:
    """Our own words (from the catalogue or made of numbers)."""
    return (Span(text, bold=bold),) if text else ()


def typed(text: str, *, lines: bool = False, bold: bool = False) -> Inline:
    """Text from a meeting or council file."""
    return (Span(text, bold=bold, user=True, lines=lines),) if text else ()


def join(parts: list[Inline], separator: str) -> Inline:
    out: list[Span] = []
    for number, part in enumerate(parts):
        if number:
            out.append(Span(separator))
        out.extend(part)
    return tuple(out)


def plain(inline: Inline) -> str:
    """The inline as unformatted text (file text as it was typed)."""
    return "".join(span.text for span in inline)


_FIELD = re.compile(r"\{(\w+)\}")


def phrase(key: str, lang: str, **params: Any) -> Inline:
    """The catalogue message `key` filled in with `params` as spans.

    A param may be an Inline (spliced in, keeping which parts are file text), a
    ClockTime (shown as the language writes times), a `something_key` naming another
    message (filled in with the same params), or anything else (our words, `str()`).
    `**bold**` in the template makes bold spans.
    """
    template = catalogue(lang)[key]
    values: dict[str, Inline] = {}
    for name, value in params.items():
        if name.endswith("_key"):
            continue
        if isinstance(value, tuple):
            values[name] = value
        elif type(value) is ClockTime:
            values[name] = words(clock_text(value, lang))
        else:
            values[name] = words(str(value))
    for name, value in params.items():
        if name.endswith("_key"):
            values[name[:-4]] = phrase(value, lang, **params_without_keys(params))
    out: list[Span] = []
    for index, chunk in enumerate(template.split("**")):
        bold = index % 2 == 1
        position = 0
        for match in _FIELD.finditer(chunk):
            if match.start() > position:
                out.append(Span(chunk[position:match.start()], bold=bold))
            for span in values[match.group(1)]:
                out.append(Span(span.text, bold=bold or span.bold, user=span.user,
                                lines=span.lines))
            position = match.end()
        if position < len(chunk):
            out.append(Span(chunk[position:], bold=bold))
    return tuple(out)


def params_without_keys(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if not k.endswith("_key")}


# --- blocks ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Heading:
    level: int  # 2 = a section, 3 = a part of one (the title is the document's)
    text: Inline


@dataclass(frozen=True)
class Paragraph:
    """`kind`: body (its first line indented two characters, 首行缩进 2 字符, in every
    format); flush (set flush left, 顶格: a salutation such as 各位议事会成员：, a line of
    a form); banner (a warning set apart: 草稿); lead (a label on its own line before
    what follows, kept with it on the page); note (small print)."""

    text: Inline
    kind: str = "body"


@dataclass(frozen=True)
class Field:
    """A label and its value (会议名称：…); `items` a numbered list under it."""

    label: str
    value: Inline
    items: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class Fields:
    rows: tuple[Field, ...]


@dataclass(frozen=True)
class ListItem:
    text: Inline
    children: tuple[Inline, ...] = ()  # a bullet list under the item
    number: int | None = None  # its own number (an agenda item's), else its place


@dataclass(frozen=True)
class ListBlock:
    items: tuple[ListItem, ...]
    ordered: bool = True


@dataclass(frozen=True)
class Table:
    """A bordered table whose header row is repeated on every page it runs onto and
    whose rows never split. `widths`: relative column widths; `blank_rows`: empty rows
    added for filling in by hand; `tall`: rows high enough for a handwritten signature
    (ROW_TO_SIGN); `whole`: never split across pages (the 签收 of a 会议通知);
    `to_sign`: a table people sign at the end of a document (names and blank cells):
    whole, and kept on the page of the block before it, as Signatures are."""

    header: tuple[str, ...]
    rows: tuple[tuple[Inline, ...], ...]
    widths: tuple[int, ...] = ()
    blank_rows: int = 0
    tall: bool = False
    whole: bool = False
    to_sign: bool = False

    @property
    def unbroken(self) -> bool:
        """Whether the whole table is kept on one page."""
        return self.whole or self.to_sign


@dataclass(frozen=True)
class Signatures:
    """Lines to sign on, each after its label (主持人 刘晓菊（签字）)."""

    entries: tuple[Inline, ...]
    blank: str = "＿" * 10


@dataclass(frozen=True)
class Stamp:
    """The issuer's name and the date, right-aligned, with room for the seal (盖章)."""

    org: Inline
    date: str
    seal: str = ""  # （盖章）, printed where the seal goes; empty in Markdown-only uses


@dataclass(frozen=True)
class ChartBlock:
    """A chart (render/charts.py): inline SVG in HTML and PDF, a PNG of the same SVG in
    Word (drawn by the browser, render/chart_png.py), its figures as a table in Markdown,
    whose first column is headed `label` (月份, 会议) and each other one by a series."""

    chart: Chart
    label: str


@dataclass(frozen=True)
class Figure:
    """A picture (a photo attached to the meeting): `data` the bytes of a JPEG or PNG,
    `mime` its type. Printed as wide as the text (no taller than FIGURE_MOST_HEIGHT of
    the page), its caption under it, the two never split; Markdown, which cannot hold
    it, prints the caption alone."""

    data: bytes = field(repr=False)
    mime: str
    caption: Inline


FIGURE_MOST_HEIGHT = 0.8  # of the text's height on the page: room for the caption


@dataclass(frozen=True)
class PageBreak:
    """What follows starts a new page (an appendix: 附件另面编排); nothing in Markdown."""


Block = (Heading | Paragraph | Fields | ListBlock | Table | Signatures | Stamp | ChartBlock
         | Figure | PageBreak)

ROW_TO_SIGN = 9.0  # mm: the least height of a row signed by hand (0.9 cm is enough)


@dataclass(frozen=True)
class Margins:
    """The page's margins in millimetres (the page is A4, 210 × 297 mm)."""

    top: float
    right: float
    bottom: float
    left: float

    @property
    def width(self) -> float:
        """The width of the text between the margins."""
        return 210 - self.left - self.right

    @property
    def height(self) -> float:
        """The height of the text between the margins."""
        return 297 - self.top - self.bottom


# close to the 党政机关公文格式 (GB/T 9704: 37 mm top, 28 mm left, a 156 mm text width)
OFFICIAL = Margins(30, 26, 25, 28)
# a form filled in by hand (the 签到表): room for 20 members and 3 guests on one page
FORM = Margins(20, 20, 18, 20)


def keeps_with_previous(block: Block) -> bool:
    """Whether `block` is never the first thing on a page: the lines to sign on, the
    seal line and the date, a table to sign. They stay with the block before them."""
    return isinstance(block, Signatures | Stamp) or (isinstance(block, Table)
                                                       and block.to_sign)


def page_groups(blocks: list[Block]) -> list[tuple[Block, ...]]:
    """The blocks in the groups a page break may not fall inside: each block that
    keeps with the previous one (`keeps_with_previous`) joins the group of the block
    before it, so the signatures, the seal and the date are printed on the page of the
    paragraph before them (at least), never alone on a page of their own; and a lead
    paragraph between two parts to sign (参会人员签字 between the officers' table and
    the members') joins them too, so the part to sign is one. The format writers lay
    each group out as one: CSS `break-inside: avoid`, Word `keep_with_next`."""
    groups: list[list[Block]] = []
    for index, block in enumerate(blocks):
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        label = (isinstance(block, Paragraph) and block.kind == "lead" and bool(groups)
                 and keeps_with_previous(groups[-1][-1]) and after is not None
                 and keeps_with_previous(after))
        if groups and (keeps_with_previous(block) or label):
            groups[-1].append(block)
        else:
            groups.append([block])
    return [tuple(group) for group in groups]


@dataclass
class Document:
    """`kind` names the document (minutes, notice, …) for styles and file metadata;
    `footer` is the generator's credit line, written in Markdown only (print carries no
    tool credit); `date` is the document's own date (ISO), for docx core properties;
    `period` the notice period a notice counted, if any, for the caller to warn about
    years whose holidays nobody knew (counted once, by the builder); `number` its 文号
    (民新议〔2021〕1号), printed centred under the title as 公文 have it, if it has one;
    `margins` those of its printed pages."""

    kind: str
    lang: str
    title: Inline
    date: str
    blocks: list[Block] = field(default_factory=list)
    footer: Inline = ()
    period: Period | None = None
    number: Inline = ()
    margins: Margins = OFFICIAL

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    @property
    def locale(self) -> Locale:
        """The document's language: its punctuation and tag for the format writers."""
        return locale(self.lang)
