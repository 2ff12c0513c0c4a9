"""Drawing tables and label/value blocks in the terminal: the only module that imports rich.

rich is imported inside the functions (it costs ~40 ms), so commands that only confirm a
step in one line never pay for it. Chinese columns get `overflow="fold"`: rich measures
CJK width correctly but wraps only at spaces, and Chinese text has none.
"""

from __future__ import annotations

from typing import Any


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, emoji=False, markup=False)


def table(title: str | None, columns: list[str], rows: list[list[str]], *,
          empty: str | None = None) -> None:
    """A table with a title line; `empty` is printed instead when there are no rows."""
    console = _console()
    if title:
        # printed as a line, not as the table's title, which rich wraps to the table width
        console.print(title, style="bold")
    if not rows and empty is not None:
        console.print(empty)
        return
    from rich import box
    from rich.table import Table

    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in rows:
        grid.add_row(*row)
    console.print(grid)


def pairs(rows: list[tuple[str, str]]) -> None:
    """Label/value lines with the values aligned, folding long values within the width."""
    console = _console()
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, value)
    console.print(grid)


def markdown(text: str) -> None:
    """Markdown rendered in the terminal (`minutes --preview`)."""
    from rich.markdown import Markdown

    _console().print(Markdown(text))
