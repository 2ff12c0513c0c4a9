"""A `Document` as Markdown: the format yiguan always wrote, for git, GitHub and Gitee.

File text goes through `render.markdown` (escaped so it cannot add structure); our own
words are written as they are. A line break inside a list item or a field is a hard
break (`\\` at the line end) indented to stay in the item. A body paragraph starts
with the catalogue's documents.paragraph_indent: in Chinese two ideographic spaces
(U+3000), the 首行缩进 2 字符 of plain Chinese text, which Markdown keeps (it trims only
ASCII spaces and tabs) and GitHub, Gitee and WeChat show as an indent; in English
nothing, as English plain text separates paragraphs by a blank line only. Print
(HTML, Word, PDF) indents by two characters' width in every language.
"""

from __future__ import annotations

from . import markdown as md
from .document import (
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
    Stamp,
    Table,
)

_SIGNATURE_GAP = "　　　"  # ideographic spaces: a wide gap that no Markdown trims


def _span(span: Span, indent: int, cell: bool) -> str:
    if not span.user:
        if "\n" in span.text:
            return ("<br>" if cell else "\\\n" + " " * indent).join(span.text.split("\n"))
        return span.text
    if cell:
        return md.cell(span.text)
    return md.block(span.text, indent) if span.lines else md.inline(span.text)


def inline(text: Inline, indent: int = 0, *, cell: bool = False) -> str:
    """The spans as Markdown; bold runs wrapped in `**` once, not span by span."""
    out: list[str] = []
    bold = False
    for span in text:
        if span.bold != bold:
            out.append("**")
            bold = span.bold
        out.append(_span(span, indent, cell))
    if bold:
        out.append("**")
    return "".join(out)


def markdown(doc: Document) -> str:
    lines = [f"# {inline(doc.title)}", ""]
    if doc.number:  # the 文号, on its own line under the title
        lines += [inline(doc.number), ""]
    colon = doc.locale.colon
    first_line = doc.locale.say("documents.paragraph_indent")
    for block in doc.blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + inline(block.text), ""]
        elif isinstance(block, Paragraph):
            text = inline(block.text)
            if block.kind == "banner":
                text = f"> {text}"
            elif block.kind == "body":
                text = first_line + text
            lines += [text, ""]
        elif isinstance(block, Fields):
            for row in block.rows:
                lines.append(f"- **{row.label}**{colon}{inline(row.value, 2)}".rstrip())
                for number, item in enumerate(row.items, 1):
                    marker = f"{number}."
                    lines.append(f"  {marker} {inline(item, 2 + len(marker) + 1)}")
            lines.append("")
        elif isinstance(block, ListBlock):
            for place, entry in enumerate(block.items, 1):
                marker = f"{entry.number or place}." if block.ordered else "-"
                indent = len(marker) + 1
                lines.append(f"{marker} {inline(entry.text, indent)}")
                for child in entry.children:
                    lines.append(" " * indent + "- " + inline(child, indent + 2))
            lines.append("")
        elif isinstance(block, Table):
            rows = [[inline(c, cell=True) for c in row] for row in block.rows]
            rows += [[""] * len(block.header) for _ in range(block.blank_rows)]
            lines += md.table(list(block.header), rows) + [""]
        elif isinstance(block, Signatures):
            labels = [f"{inline(entry)}{colon}{block.blank}" for entry in block.entries]
            for start in range(0, len(labels), 2):  # two to a line, as on paper
                lines += [_SIGNATURE_GAP.join(labels[start:start + 2]), ""]
        elif isinstance(block, Stamp):
            lines += [inline(block.org) + block.seal + "\\", block.date, ""]
        elif isinstance(block, ChartBlock):
            lines += chart_lines(block)
        elif isinstance(block, Figure):  # no picture in a text file: its caption
            lines += [inline(block.caption), ""]
        elif isinstance(block, PageBreak):  # a text file has no pages
            pass
    if doc.footer:
        lines += ["---", "", inline(doc.footer), ""]
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def chart_lines(block: ChartBlock) -> list[str]:
    """A chart's figures as a table under its title in bold: Markdown shows no image."""
    from .charts import number

    chart = block.chart
    header = [md.cell(block.label)] + [md.cell(one.name) for one in chart.series]
    rows = [[md.cell(category)] + [number(one.values[index]) + chart.unit
                                   for one in chart.series]
            for index, category in enumerate(chart.categories)]
    return [f"**{md.inline(chart.title)}**", "", *md.table(header, rows), ""]


def render(doc: Document) -> bytes:
    """The document as a Markdown file (the registry's entry point)."""
    return markdown(doc).encode("utf-8")
