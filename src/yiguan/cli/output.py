"""Printing tables and label/value blocks in the terminal; the only module that imports rich.

Tables and label/value blocks are drawn by `render.table` in plain text: Chinese columns
stay aligned (a Chinese character is two columns wide) and long cells fold within the
terminal's width. That costs nothing at start-up, where importing rich costs ~40 ms —
half again a Typer hello-world — on every `status` during a meeting. rich renders
Markdown for `minutes --preview`, imported there only.
"""

from __future__ import annotations

import shutil
import sys

from ..render.table import pairs_table, text_table


def _width() -> int:
    return max(40, shutil.get_terminal_size((80, 24)).columns)


def table(title: str | None, columns: list[str], rows: list[list[str]], *,
          empty: str | None = None) -> None:
    """A table under a title line; `empty` is printed instead when there are no rows."""
    out = sys.stdout
    if title:
        out.write(title + "\n")
    if not rows and empty is not None:
        out.write(empty + "\n")
        return
    out.write(text_table(columns, rows, max_width=_width()))


def pairs(rows: list[tuple[str, str]]) -> None:
    """Label/value lines with the values aligned and folded within the width."""
    sys.stdout.write(pairs_table(rows, max_width=_width()))


def markdown(text: str) -> None:
    """Markdown rendered in the terminal (`minutes --preview`)."""
    from rich.console import Console
    from rich.markdown import Markdown

    Console(highlight=False, emoji=False).print(Markdown(text))
