"""Plain-text tables that keep Chinese columns aligned, fast enough for 10,000 rows.

A Chinese character takes two terminal columns (East Asian Wide/Fullwidth), combining and
format characters none. Columns take their natural width; when the table is wider than
the terminal, the widest columns are narrowed and their cells folded onto more lines,
breaking between characters (Chinese has no spaces to break at). No rich: drawing a
10,000-row ledger through rich takes seconds, this takes milliseconds.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

MIN_COLUMN = 8
GAP = "  "


# Code points that are double width (East Asian Wide/Fullwidth) throughout: Hangul
# Jamo, CJK radicals, symbols and punctuation, kana, CJK ideographs, Yi, Hangul
# syllables, compatibility ideographs, vertical and fullwidth forms — checked against
# unicodedata by tests/test_table.py. Text of these and printable ASCII (nearly all
# text yiguan draws) is measured by one C-level count; anything else char by char.
_WIDE = ("\u1100-\u115f\u2e80-\u3029\u3030-\u303e\u3041-\u3098\u309b-\u3247"
         "\u3250-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3"
         "\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60\uffe0-\uffe6")
# Compiling these two classes of some 45,000 code points costs ~2.5 ms, a fortieth of a
# command's start. A terminal view (`status` and `show` measure 400–700 characters of
# the bundled meeting) measures its characters one by one instead (~0.1 µs each, a
# cached lookup); a table past _ONE_BY_ONE characters (a ledger of a year) compiles
# them once and takes the fast paths, having spent at most ~0.4 ms before.
_ONE_BY_ONE = 4_000
_patterns: tuple[re.Pattern[str], re.Pattern[str]] | None = None
_measured = 0


def _fast(size: int) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """(printable ASCII or wide, only wide) once the text measured so far passes
    _ONE_BY_ONE characters; None before, when one by one is cheaper than compiling."""
    global _patterns, _measured
    if _patterns is None:
        _measured += size
        if _measured <= _ONE_BY_ONE:
            return None
        _patterns = (re.compile(f"[\x20-\x7e{_WIDE}]*"), re.compile(f"[{_WIDE}]*"))
    return _patterns


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    if " " <= char <= "~" or char in "·—…“”‘’":  # the last: East Asian Ambiguous, one
        return 1
    if "\u4e00" <= char <= "\u9fff" or "\u3000" <= char <= "\u3029" or "\uff01" <= char <= "\uff60":
        return 2  # ideographs, CJK punctuation, fullwidth forms: most of what yiguan draws,
        # without importing unicodedata (~0.35 ms) for them
    import unicodedata

    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """Display width in terminal columns."""
    if text.isascii():
        return len(text)
    fast = _patterns if _patterns is not None else _fast(len(text))  # no call once compiled
    if fast is not None and fast[0].fullmatch(text):  # every non-ASCII character is wide
        return 2 * len(text) - len(text.encode("ascii", "ignore"))
    return sum(map(char_width, text))


def fold(text: str, limit: int) -> list[str]:
    """Split `text` into lines of at most `limit` columns (and at its own newlines)."""
    return [line for line, _ in _fold_measured(text, limit)]


# what a Chinese line may not begin with (避头点, the line-start rule of GB/T 15834
# typesetting): closing punctuation; a fold that would start a line with one moves the
# character before it down too, as a typesetter does
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…%·,.;:?!)]}")


def _fold_measured(text: str, limit: int, known: int = -1) -> list[tuple[str, int]]:
    """`fold`, each line with its width (so padding need not measure it again).
    `known` is the width of a one-line `text` when the caller measured it already."""
    lines: list[tuple[str, int]] = []
    for paragraph in text.split("\n"):
        size = known if known >= 0 and paragraph is text else width(paragraph)
        if size <= limit:
            lines.append((paragraph, size))
        elif not paragraph.isascii():
            folded = _fold_wide(paragraph, limit)
            lines += _punctuation_kept(folded, limit) if len(folded) > 1 else folded
        else:
            lines += [(paragraph[i:i + limit], min(limit, len(paragraph) - i))
                      for i in range(0, len(paragraph), limit)]
    return lines


def _punctuation_kept(lines: list[tuple[str, int]], limit: int) -> list[tuple[str, int]]:
    """Folded lines with no line but the first beginning with closing punctuation: the
    character before it goes down with it, and the rest is folded again."""
    index = 1
    while index < len(lines):
        line, _ = lines[index]
        before, size = lines[index - 1]
        if line[:1] in NO_LINE_START and len(before) > 1 and before[-1] not in NO_LINE_START:
            moved = before[-1]
            lines[index - 1] = (before[:-1], size - char_width(moved))
            rest = moved + "".join(text for text, _ in lines[index:])
            lines[index:] = _fold_mixed(rest, limit)
        index += 1
    return lines


def _fold_wide(paragraph: str, limit: int) -> list[tuple[str, int]]:
    """Fold a paragraph holding wide characters, by the fastest way its text allows."""
    fast = _patterns or _fast(len(paragraph))
    if fast is None:
        return _fold_mixed(paragraph, limit)
    if fast[1].fullmatch(paragraph) and limit >= 2:
        step = limit // 2
        return [(paragraph[i:i + step], 2 * min(step, len(paragraph) - i))
                for i in range(0, len(paragraph), step)]
    if fast[0].fullmatch(paragraph):
        return _fold_simple(paragraph, limit)
    return _fold_mixed(paragraph, limit)


def _fold_simple(paragraph: str, limit: int) -> list[tuple[str, int]]:
    """Fold text of ASCII and wide characters: cut where the running width passes each
    line's limit, found by bisection over the cumulative widths (no per-line loop)."""
    reach = list(accumulate(1 if char < "\x80" else 2 for char in paragraph))
    lines = []
    start = base = 0
    while start < len(paragraph):
        end = max(bisect_right(reach, base + limit, lo=start), start + 1)
        lines.append((paragraph[start:end], reach[end - 1] - base))
        base = reach[end - 1]
        start = end
    return lines


def _fold_mixed(paragraph: str, limit: int) -> list[tuple[str, int]]:
    lines = []
    current: list[str] = []
    used = 0
    for char in paragraph:
        w = 1 if char.isascii() else char_width(char)
        if used + w > limit and current:
            lines.append(("".join(current), used))
            current, used = [], 0
        current.append(char)
        used += w
    lines.append(("".join(current), used))
    return lines


def pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def text_table(columns: list[str], rows: list[list[str]], *,
               max_width: int | None = 100) -> str:
    """The table as text, header and rule included, each line at most `max_width` wide
    (unless even the narrowest layout does not fit); `max_width=None` never folds.

    Each cell is measured once; a row whose cells all fit on one line (the usual case,
    and all of a 10,000-meeting ledger's short columns) is padded from those numbers.
    """
    count = len(columns)
    measured = [[_cell_width(cell) for cell in row] for row in rows]
    widths = [width(c) for c in columns]
    if rows:  # the widest cell of each column (zip(*measured): the columns' widths)
        widths = [max(w, *column) for w, column in zip(
            widths, zip(*measured, strict=True), strict=True)]
    natural = list(widths)
    budget = (max_width - len(GAP) * (count - 1)) if max_width is not None else sum(widths)
    while sum(widths) > budget:
        widest_column = max(range(count), key=lambda i: widths[i])
        if widths[widest_column] <= MIN_COLUMN:
            break
        widths[widest_column] -= 1
    narrowed = widths != natural  # else every cell fits its column
    last = count - 1
    out = _folded(columns, widths)
    out.append(GAP.join("─" * w for w in widths))
    for row, row_widths in zip(rows, measured, strict=True):
        if not narrowed or all(w <= widths[i] for i, w in enumerate(row_widths)):
            if "\n" in "".join(row):
                out += _stacked(row, widths, row_widths)
                continue
            out.append(GAP.join(
                cell if i == last else cell + " " * (widths[i] - row_widths[i])
                for i, cell in enumerate(row)).rstrip())
        else:
            out += _folded(row, widths, row_widths)
    return "\n".join(out) + "\n"


def _stacked(row: list[str], widths: list[int], known: list[int]) -> list[str]:
    """A row whose cells fit their columns but some hold several lines: the lines side by
    side (what `_folded` gives such a row, without measuring what is known to fit: a
    one-line cell's width is `known`, the last column is not padded)."""
    cells = [cell.split("\n") for cell in row]
    last = len(row) - 1
    if "\n" not in "".join(row[:last]):  # only the last cell: the other cells' line, then
        head = GAP.join(c + " " * (widths[i] - known[i]) for i, c in enumerate(row[:last]))
        blank = GAP.join(" " * w for w in widths[:last])  # blanks beside the rest
        lines = cells[last]
        return [(head + GAP + lines[0]).rstrip(),
                *[(blank + GAP + line).rstrip() for line in lines[1:]]]
    height = max(len(lines) for lines in cells)
    out = []
    for n in range(height):
        parts = []
        for i, lines in enumerate(cells):
            if n >= len(lines):
                text, size = "", 0
            elif len(lines) == 1:
                text, size = lines[0], known[i]
            else:
                text = lines[n]
                size = 0 if i == last else width(text)
            parts.append(text if i == last else text + " " * (widths[i] - size))
        out.append(GAP.join(parts).rstrip())
    return out


def _cell_width(cell: str) -> int:
    if "\n" in cell:
        return max(width(part) for part in cell.split("\n"))
    return width(cell)


def _folded(row: list[str], widths: list[int], known: list[int] | None = None) -> list[str]:
    """A row's cells folded to their columns, as padded lines."""
    last = len(row) - 1
    columns = []
    for i, cell in enumerate(row):
        pieces = _fold_measured(cell, widths[i], known[i] if known else -1)
        if i == last:
            columns.append([text for text, _ in pieces])
        else:
            columns.append([text + " " * (widths[i] - size) for text, size in pieces])
    height = max(len(column) for column in columns)
    for i, column in enumerate(columns):
        if len(column) < height:
            column.extend([" " * widths[i] if i < last else ""] * (height - len(column)))
    return [GAP.join(parts).rstrip() for parts in zip(*columns, strict=True)]


def pairs_table(rows: list[tuple[str, str]], *, max_width: int = 100) -> str:
    """Label/value lines, values aligned and folded within `max_width`."""
    label_width = max((width(label) for label, _ in rows), default=0)
    room = max(MIN_COLUMN, max_width - label_width - len(GAP))
    out = []
    for label, value in rows:
        for n, part in enumerate(fold(value, room)):
            head = pad(label, label_width) if n == 0 else " " * label_width
            out.append((head + GAP + part).rstrip())
    return "\n".join(out) + "\n"
