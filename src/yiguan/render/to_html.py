"""A `Document` as one self-contained HTML page to print (A4) or to open in any browser.

Everything is inline: the styles, no outside fonts or scripts, a photo as a `data:` URI,
so the file can be mailed, opened in WeChat or printed years later as it is. Print rules:
A4 with margins close to the 党政机关公文格式 (GB/T 9704); every page numbered at its foot in the
document's language (第 X 页 共 Y 页, the catalogue's documents.page_footer) by an
`@page` margin box with the `page` and `pages` counters (Chromium 131 and later, so
Chrome and Edge since the end of 2024; an older browser prints no number); body
paragraphs indented two characters (首行缩进); a table row, a signature block or the
stamp line never split across pages, and never the first thing on a page: each is kept
with the block before it (`document.page_groups`: a wrapper with `break-inside: avoid`
round it and that block, or `break-before: avoid` when that block is a list or a table,
whose last item or row then comes along); a table's header repeated on every page; a
heading kept with what follows. The font stacks find 仿宋/宋体/黑体 on Windows, 华文仿宋/
宋体-简/黑体-简 on macOS and Noto (Source Han) Serif/Sans CJK on Linux; the title asks for
方正小标宋 (the 公文 title face, where an office installed it) and falls back to 黑体 and
its equivalents. File text is cleaned (control and direction characters) and
HTML-escaped; our own words are escaped too.
"""

from __future__ import annotations

import base64
from html import escape

from ..text.safety import lines_of
from .document import (
    FIGURE_MOST_HEIGHT,
    OFFICIAL,
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
    Span,
    Table,
    page_groups,
)

SERIF = ('"FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", "华文仿宋", '
         '"SimSun", "宋体", "Songti SC", "STSong", "Noto Serif CJK SC", "Noto Serif SC", '
         '"Source Han Serif SC", "Source Han Serif CN", serif')
SONG = ('"SimSun", "宋体", "Songti SC", "STSong", "Noto Serif CJK SC", "Noto Serif SC", '
        '"Source Han Serif SC", "Source Han Serif CN", serif')
HEI = ('"SimHei", "黑体", "Heiti SC", "STHeiti", "PingFang SC", "Microsoft YaHei", '
       '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", '
       'sans-serif')
# 方正小标宋 is the face of a 公文's title; no system ships it, so 黑体 and its kin follow
TITLE = ('"FZXiaoBiaoSong-B05S", "方正小标宋简体", "FZXiaoBiaoSong-B05", "方正小标宋_GBK", '
         '"小标宋", ' + HEI)

CSS = f"""html {{ background: #fff; color: #000; }}
body {{ font-family: {SERIF}; font-size: 14pt; line-height: 1.6; margin: 0 auto;
  padding: 12mm 0; }}
@media print {{ body {{ padding: 0; }} }}
h1, h2, h3, th {{ font-family: {HEI}; font-weight: normal; }}
h1 {{ font-family: {TITLE}; font-size: 20pt; text-align: center; margin: 0 0 1em;
  line-height: 1.4; }}
h2 {{ font-size: 15pt; margin: 1.1em 0 0.4em; }}
h3 {{ font-size: 14pt; margin: 0.9em 0 0.3em; }}
h2, h3, .lead {{ break-after: avoid; page-break-after: avoid; }}
p {{ margin: 0.3em 0; }}
p.body {{ text-indent: 2em; }}
b {{ font-family: {HEI}; font-weight: normal; }}
.banner {{ border: 1.5pt solid #000; padding: 0.3em 0.6em; margin: 0.6em 0; }}
.fields {{ list-style: none; padding: 0; margin: 0.4em 0; }}
.fields li {{ padding-left: 2em; text-indent: -2em; }}
.fields li ol {{ text-indent: 0; }}
.fields li ol li {{ padding-left: 0; text-indent: 0; }}
.label {{ font-family: {HEI}; }}
ol, ul {{ margin: 0.3em 0; padding-left: 2em; }}
li {{ break-inside: avoid; page-break-inside: avoid; }}
table.grid {{ border-collapse: collapse; width: 100%; margin: 0.5em 0; font-family: {SONG};
  font-size: 12pt; line-height: 1.4; }}
table.grid th, table.grid td {{ border: 1pt solid #000; padding: 0.3em 0.4em;
  vertical-align: top; text-align: left; }}
table.grid th {{ text-align: center; }}
table.grid.tall td {{ height: {ROW_TO_SIGN:g}mm; vertical-align: middle; padding-top: 0;
  padding-bottom: 0; }}
thead {{ display: table-header-group; }}
tr, .signatures, .stamp, .keep, table.whole {{ break-inside: avoid;
  page-break-inside: avoid; }}
.keep.after {{ break-before: avoid; page-break-before: avoid; }}
.signatures {{ display: flex; flex-wrap: wrap; gap: 0.8em 2.5em; margin: 1.6em 0 0.6em; }}
.signature {{ white-space: nowrap; }}
.signature .line {{ display: inline-block; min-width: 8em; border-bottom: 1pt solid #000; }}
.stamp {{ margin: 2em 2em 0 auto; width: max-content; text-align: center; }}
.seal {{ color: #555; }}
"""


def css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_rule(doc: Document) -> str:
    """The page: A4 with the document's margins (the screen shows the same width of
    text), and the `@page` margin box that numbers each page: the catalogue's words
    around the `page` and `pages` counters (第 X 页 共 Y 页)."""
    m = doc.margins
    template = doc.locale.say("documents.page_footer", page="\0page\0", pages="\0pages\0")
    parts = [f"counter({piece})" if index % 2 else css_string(piece)
             for index, piece in enumerate(template.split("\0")) if piece]
    return (f"@page {{ size: A4; margin: {m.top:g}mm {m.right:g}mm {m.bottom:g}mm {m.left:g}mm;\n"
            f"  @bottom-center {{ content: {' '.join(parts)}; font-family: {SONG};\n"
            "    font-size: 10.5pt; vertical-align: top; padding-top: 5mm; } }\n"
            f"@media screen {{ body {{ max-width: {m.width:g}mm; }} }}\n")


def _span(span: Span) -> str:
    if not span.user:
        return "<br>".join(escape(part) for part in span.text.split("\n"))
    parts = lines_of(span.text)
    return ("<br>" if span.lines else " ").join(escape(part) for part in parts)


def inline(text: Inline) -> str:
    out: list[str] = []
    bold = False
    for span in text:
        if span.bold != bold:
            out.append("<b>" if span.bold else "</b>")
            bold = span.bold
        out.append(_span(span))
    if bold:
        out.append("</b>")
    return "".join(out)


# The phone-screen variant (`html(doc, phone=True)`, what `render/to_png.py` screenshots):
# the print styles above, then these over them: a page PHONE_WIDTH px wide read on a
# phone's screen, no print margins or page numbers, one column, and type large enough
# there (body text BODY_PX; nothing smaller than SMALLEST_PX, tests/test_png.py checks it
# in the browser).
PHONE_WIDTH = 1080
BODY_PX = 40
SMALLEST_PX = 32
PHONE_CSS = f"""body {{ font-size: {BODY_PX}px; line-height: 1.6; max-width: none;
  padding: 0 60px; }}
h1 {{ font-size: 50px; }}
h2 {{ font-size: 46px; }}
h3 {{ font-size: 42px; }}
table.grid {{ font-size: 36px; }}
table.grid th, table.grid td {{ border-width: 2px; }}
.banner {{ border-width: 3px; }}
.note {{ font-size: {SMALLEST_PX + 2}px; }}
.signatures {{ display: block; }}
.signature {{ display: block; margin: 0.6em 0; }}
.stamp {{ margin: 1.6em 0 0 auto; }}
"""


def html(doc: Document, *, phone: bool = False) -> str:
    """The document as one HTML page: for print (and any browser), or with `phone` the
    phone-screen variant that `to_png` screenshots."""
    lang, colon = doc.locale.tag, doc.locale.colon
    style = CSS + PHONE_CSS if phone else page_rule(doc) + CSS
    title = inline(doc.title)
    out = ["<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(''.join(s.text for s in doc.title))}</title>",
           f"<style>\n{style}</style>", "</head>", f'<body class="{doc.kind}">',
           f"<h1>{title}</h1>"]
    if doc.number:  # the 文号, centred under the title
        out.append('<p class="number" style="text-align: center; text-indent: 0; '
                   'margin: -0.5em 0 1.2em">'
                   f"{inline(doc.number)}</p>")
    for group in page_groups(doc.blocks):
        if len(group) == 1:
            out.append(block_html(group[0], colon))
            continue
        first, rest = group[0], group[1:]
        if isinstance(first, ListBlock | Fields) or (isinstance(first, Table)
                                                     and not first.unbroken):
            # a list or a table may break before its last item or row, which then
            # comes to the next page with the rest
            out.append(block_html(first, colon))
            out.append('<div class="keep after">')
        else:
            out.append('<div class="keep">')
            rest = group
        out += [block_html(block, colon) for block in rest]
        out.append("</div>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def block_html(block: Block, colon: str) -> str:
    """One block as HTML."""
    if isinstance(block, Heading):
        return f"<h{block.level}>{inline(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        return f'<p class="{block.kind}">{inline(block.text)}</p>'
    if isinstance(block, Fields):
        out = ['<ul class="fields">']
        for row in block.rows:
            items = ""
            if row.items:
                items = "<ol>" + "".join(f"<li>{inline(i)}</li>" for i in row.items) + "</ol>"
            out.append(f'<li><span class="label">{escape(row.label)}</span>{colon}'
                       f"{inline(row.value)}{items}</li>")
        out.append("</ul>")
        return "\n".join(out)
    if isinstance(block, ListBlock):
        tag = "ol" if block.ordered else "ul"
        out = [f"<{tag}>"]
        for entry in block.items:
            value = f' value="{entry.number}"' if entry.number is not None else ""
            children = ""
            if entry.children:
                children = "<ul>" + "".join(f"<li>{inline(c)}</li>"
                                            for c in entry.children) + "</ul>"
            out.append(f"<li{value}>{inline(entry.text)}{children}</li>")
        out.append(f"</{tag}>")
        return "\n".join(out)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, ChartBlock):
        return chart_html(block)
    if isinstance(block, Figure):
        return figure_html(block, colon)
    if isinstance(block, PageBreak):
        return '<div style="break-before: page; page-break-before: always"></div>'
    if isinstance(block, Signatures):
        return '<div class="signatures">' + "".join(
            f'<span class="signature">{inline(entry)}{colon}'
            '<span class="line"></span></span>'
            for entry in block.entries) + "</div>"
    # a Stamp: the issuer with room for the seal, and the date
    seal = f'<span class="seal">{escape(block.seal)}</span>' if block.seal else ""
    return (f'<div class="stamp"><p>{inline(block.org)}{seal}</p>'
            f"<p>{escape(block.date)}</p></div>")


def chart_html(block: ChartBlock) -> str:
    """The chart as inline SVG (render/charts.py), never split across pages; its styles
    on the element, so that the pages without charts keep their bytes."""
    from .charts import svg

    return ('<figure class="chart" style="margin: 0.8em 0; break-inside: avoid; '
            f'page-break-inside: avoid">\n{svg(block.chart)}</figure>')


def figure_html(block: Figure, colon: str) -> str:
    """A picture as wide as the text, embedded (a `data:` URI: the page stays one file),
    no taller than most of a page, kept on one page with its caption. Its styles are
    its own, so that a document without pictures is the same page as before."""
    most = f"{FIGURE_MOST_HEIGHT * OFFICIAL.height:.0f}mm"
    data = base64.b64encode(block.data).decode("ascii")
    alt = escape("".join(span.text for span in block.caption), quote=True)
    return ('<figure style="margin: 0.8em 0; text-align: center; break-inside: avoid; '
            'page-break-inside: avoid">'
            f'<img src="data:{block.mime};base64,{data}" alt="{alt}" '
            f'style="width: 100%; max-height: {most}; object-fit: contain">'
            '<figcaption style="font-size: 12pt; margin-top: 0.3em">'
            f"{inline(block.caption)}</figcaption></figure>")


def _table(block: Table) -> str:
    classes = " ".join(["grid"] + ["tall"] * block.tall + ["whole"] * block.unbroken)
    out = [f'<table class="{classes}">']
    if block.widths:
        total = sum(block.widths)
        out.append("<colgroup>" + "".join(
            f'<col style="width: {100 * w / total:.1f}%">' for w in block.widths) + "</colgroup>")
    out.append("<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in block.header)
               + "</tr></thead>")
    out.append("<tbody>")
    for row in block.rows:
        out.append("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>")
    for _ in range(block.blank_rows):
        out.append("<tr>" + "<td>&nbsp;</td>" * len(block.header) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def render(doc: Document) -> bytes:
    """The document as a print HTML file (the registry's entry point)."""
    return html(doc).encode("utf-8")
