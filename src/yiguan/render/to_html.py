"""A `Document` as one self-contained HTML page to print (A4) or to open in any browser.

Everything is inline: the styles, no outside fonts, scripts or images, so the file can be
mailed, opened in WeChat or printed years later as it is. Print rules: A4 with margins
close to the 党政机关公文格式 (GB/T 9704), a table row, a signature block or the stamp
line never split across pages, a table's header repeated on every page, a heading kept
with what follows. The font stack finds 仿宋/宋体/黑体 on Windows, 华文仿宋/宋体-简 on
macOS and Noto (Source Han) Serif/Sans CJK on Linux. File text is cleaned (control and
direction characters) and HTML-escaped; our own words are escaped too.
"""

from __future__ import annotations

from html import escape

from ..text.safety import lines_of
from .document import (
    Document,
    Fields,
    Heading,
    Inline,
    ListBlock,
    Paragraph,
    Signatures,
    Span,
    Stamp,
    Table,
)

SERIF = ('"FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", "华文仿宋", '
         '"SimSun", "宋体", "Songti SC", "STSong", "Noto Serif CJK SC", "Noto Serif SC", '
         '"Source Han Serif SC", "Source Han Serif CN", serif')
SONG = ('"SimSun", "宋体", "Songti SC", "STSong", "Noto Serif CJK SC", "Noto Serif SC", '
        '"Source Han Serif SC", "Source Han Serif CN", serif')
HEI = ('"SimHei", "黑体", "Heiti SC", "STHeiti", "PingFang SC", "Microsoft YaHei", '
       '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", '
       'sans-serif')

CSS = f"""@page {{ size: A4; margin: 30mm 26mm 25mm 28mm; }}
html {{ background: #fff; color: #000; }}
body {{ font-family: {SERIF}; font-size: 14pt; line-height: 1.6; margin: 0 auto;
  max-width: 156mm; padding: 12mm 0; }}
@media print {{ body {{ max-width: none; padding: 0; }} }}
h1, h2, h3, th {{ font-family: {HEI}; font-weight: normal; }}
h1 {{ font-size: 20pt; text-align: center; margin: 0 0 1em; line-height: 1.4; }}
h2 {{ font-size: 15pt; margin: 1.1em 0 0.4em; }}
h3 {{ font-size: 14pt; margin: 0.9em 0 0.3em; }}
h2, h3, .lead {{ break-after: avoid; page-break-after: avoid; }}
p {{ margin: 0.3em 0; }}
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
table.grid.tall td {{ height: 2.4em; vertical-align: middle; }}
thead {{ display: table-header-group; }}
tr, .signatures, .stamp {{ break-inside: avoid; page-break-inside: avoid; }}
.signatures {{ display: flex; flex-wrap: wrap; gap: 0.8em 2.5em; margin: 1.6em 0 0.6em; }}
.signature {{ white-space: nowrap; }}
.signature .line {{ display: inline-block; min-width: 8em; border-bottom: 1pt solid #000; }}
.stamp {{ margin: 2em 2em 0 auto; width: max-content; text-align: center; }}
.seal {{ color: #555; }}
"""


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


def html(doc: Document) -> str:
    lang, colon = doc.locale.tag, doc.locale.colon
    title = inline(doc.title)
    out = ["<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(''.join(s.text for s in doc.title))}</title>",
           f"<style>\n{CSS}</style>", "</head>", f'<body class="{doc.kind}">',
           f"<h1>{title}</h1>"]
    if doc.number:  # the 文号, centred under the title
        out.append('<p class="number" style="text-align: center; text-indent: 0; '
                   'margin: -0.5em 0 1.2em">'
                   f"{inline(doc.number)}</p>")
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{inline(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            out.append(f'<p class="{block.kind}">{inline(block.text)}</p>')
        elif isinstance(block, Fields):
            out.append('<ul class="fields">')
            for row in block.rows:
                items = ""
                if row.items:
                    items = "<ol>" + "".join(f"<li>{inline(i)}</li>" for i in row.items) + "</ol>"
                out.append(f'<li><span class="label">{escape(row.label)}</span>{colon}'
                           f"{inline(row.value)}{items}</li>")
            out.append("</ul>")
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            out.append(f"<{tag}>")
            for entry in block.items:
                value = f' value="{entry.number}"' if entry.number is not None else ""
                children = ""
                if entry.children:
                    children = "<ul>" + "".join(f"<li>{inline(c)}</li>"
                                                for c in entry.children) + "</ul>"
                out.append(f"<li{value}>{inline(entry.text)}{children}</li>")
            out.append(f"</{tag}>")
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Signatures):
            out.append('<div class="signatures">' + "".join(
                f'<span class="signature">{inline(entry)}{colon}'
                '<span class="line"></span></span>'
                for entry in block.entries) + "</div>")
        elif isinstance(block, Stamp):
            seal = f'<span class="seal">{escape(block.seal)}</span>' if block.seal else ""
            out.append(f'<div class="stamp"><p>{inline(block.org)}{seal}</p>'
                       f"<p>{escape(block.date)}</p></div>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _table(block: Table) -> str:
    classes = "grid tall" if block.tall else "grid"
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
