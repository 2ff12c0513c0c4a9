"""Markdown that text from a meeting file cannot break: escaping, and a few building blocks.

Names, speeches and motions are typed by people and land in minutes that GitHub, Gitee and
`rich` render. Every piece of file text goes through `inline`, `block` or `cell` before it
is placed. Each backslash-escapes the ASCII punctuation that can start Markdown syntax
anywhere (`\\ ` * _ [ ] < > & | ~ $ @ #`) and what is special only at the start of a line
(`- `, `+ `, `---`, `===`, `1. `, `1) `, and a table's delimiter row such as `:--`: under
any line it makes that line a table's header, whose escaped `\\|` splits no cell, and the
table swallows the list item around it); breaks the `http://` and `www.` triggers of
GFM's bare autolinks; drops leading indentation (four spaces would start a code block) and
blank lines (a blank line would end the list item or table the text sits in); and turns
the line breaks inside a speech into hard breaks (`block`) or `<br>` (`cell`: the one HTML
tag the documents write themselves). The characters themselves are cleaned by
`text.lines_of`, as in every format: bidi controls, which make text display otherwise
than it reads ("Trojan Source"), control characters and noncharacters become a visible
U+FFFD; zero-width and other invisible format characters are dropped. An email address
stays plain text in the source; GFM may still show it as a mailto link, whose visible text
is its whole target, so nothing hides where a link goes.
"""

from __future__ import annotations

import re

from ..text.safety import lines_of

__all__ = ["block", "cell", "code", "escape_cell", "inline", "lines_of", "table"]

# Escaped wherever they stand: each can open emphasis, code, a link, HTML, an entity, a
# table cell boundary, strikethrough, GitHub math, a mention or a heading.
_ALWAYS = frozenset("\\`*_[]<>&|~$@#")
# Special only at the start of a line: a bullet (`- `, `+ `), a setext underline or a
# thematic break (a line of `-` or `=`), an ordered item (`1. `, `1) `). Dates such as
# 2022-03-08 or a version 0.1.0 are none of these and stay unescaped.
_BULLET_OR_RULE = re.compile(r"^[-+=](?=\s|$)|^[-=][-= ]*$")
_ORDERED_MARKER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
# A GFM table's delimiter row: only hyphens, colons, pipes and blanks, at least one hyphen.
_DELIMITER_ROW = re.compile(r"^[-:|\t ]*-[-:|\t ]*$")
# GFM turns these into links without any brackets; an escape inside the trigger stops it.
_URL_SCHEME = re.compile(r"://")
_WWW = re.compile(r"(?i)(www)\.")

_ESCAPED = {ord(c): "\\" + c for c in _ALWAYS}


def _escape_line(line: str) -> str:
    out = line.translate(_ESCAPED)
    # each pattern is tried only where it can match (a substitution costs ~1 µs)
    if "://" in out:
        out = _URL_SCHEME.sub(r"\\://", out)
    if "." in out:
        out = _WWW.sub(r"\1\\.", out)
    if out[:1] in ("-", "+", "=") and _BULLET_OR_RULE.match(out):
        out = "\\" + out
    if out[:1].isdigit():
        out = _ORDERED_MARKER.sub(r"\1\\\2", out)
    elif out[:1] in ("-", ":") and _DELIMITER_ROW.match(line):
        out = "\\" + out  # (a row starting with `|` starts with `\|` by now)
    return out


def inline(text: str) -> str:
    """One line of safe Markdown: for names, titles, headings. Line breaks become spaces."""
    return " ".join(_escape_line(line) for line in lines_of(text))


def block(text: str, indent: int) -> str:
    """Safe Markdown that keeps the text's line breaks as hard breaks.

    `indent` is the column the surrounding list item's content starts at, so the
    continuation lines stay inside the item.
    """
    return ("\\\n" + " " * indent).join(_escape_line(line) for line in lines_of(text))


_ALWAYS_FOUND = re.compile("[" + re.escape("".join(sorted(_ALWAYS))) + "]").search


def _nothing_to_escape(text: str) -> bool:
    """Whether `_escape_line` would leave one printable line as it is: no character it
    escapes, no link trigger, no line start it guards (checked in C where it can; a
    leading number is looked at only when there is one)."""
    if _ALWAYS_FOUND(text) or "://" in text or ("." in text and "www" in text.lower()):
        return False
    head = text.lstrip()[:1]
    if head in ("-", "+", "=", ":"):
        return False
    return not head.isdigit() or not _ORDERED_MARKER.match(text.lstrip())


def cell(text: str) -> str:
    """Safe content for a table cell: one physical line, breaks shown as `<br>`."""
    if text.isprintable() and _nothing_to_escape(text):
        return text.strip()
    # The space keeps words apart where <br> is not rendered (rich's terminal preview).
    return " <br>".join(_escape_line(line) for line in lines_of(text))


def escape_cell(text: str) -> str:
    """`cell` under the name the ledger renderer (`render.reports`) imports."""
    return cell(text)


def code(text: str) -> str:
    """A code span for text we generate ourselves (canonical rules): never for file text."""
    assert "`" not in text and "\n" not in text
    return f"`{text}`"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A GFM table from cells that are already safe Markdown."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out

