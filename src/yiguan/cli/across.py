"""`ledger`, `actions` and `attendance`: questions across meetings, and across councils
when `--dir` is given more than once (a street office reading many repositories)."""

import datetime as dt
import os
import shutil
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

import typer

from ..text.errors import YiguanError
from ..text.messages import t
from .common import bulk, folders, index_progress, typed_date, warn_unreadable


class Format(StrEnum):
    table = "table"
    md = "md"
    csv = "csv"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", help=t("help.opt.format"))]
SinceOption = Annotated[str | None, typer.Option("--since", help=t("help.opt.since"),
                                                 metavar="DATE", show_default=False)]


def _entries(ctx: typer.Context, part: str) -> tuple[list[Any], bool]:
    from ..store.index import load_entries

    found = folders(ctx)
    entries = load_entries(found, (part,), progress=index_progress())
    warn_unreadable([e for _, e in entries if e.summary is None])
    return entries, len(found) > 1


def _report(ctx: typer.Context, kind: str, fmt: Format, query_args: dict[str, Any],
            people: bool = False) -> None:
    """Read the index for `kind` and print it in `fmt`. With `people` (actions
    --owner), the owner named is looked up among everyone who owns an action first."""
    from ..render import reports

    with bulk():
        entries, multi = _entries(ctx, kind)
        if people:
            query_args["owner"] = _owner(ctx, entries, query_args["owner"])
        query = reports.Query(multi=multi, **query_args)
        if fmt is Format.json:
            reports.write_chunks(sys.stdout, reports.json_lines(kind, entries, query))
            return
        if fmt is Format.csv:
            reports.write_chunks(sys.stdout, reports.csv_lines(kind, entries, query))
            return
        rows_of: dict[str, Callable[[Any, Any], list[Any]]] = {
            "ledger": reports.ledger_rows, "motions": reports.motion_rows,
            "actions": reports.action_rows}
        rows = rows_of[kind](entries, query)
        _show(kind, rows, fmt, multi)


def _show(kind: str, rows: list[Any], fmt: Format, multi: bool) -> None:
    from ..render import reports

    if fmt is Format.md:
        reports.write_chunks(sys.stdout, reports.markdown_lines(kind, rows, multi=multi))
    elif not rows:
        print(t(f"report.empty.{kind}"))
    else:
        sys.stdout.write(reports.table(kind, rows, multi=multi, width=_fold_width()))


def _fold_width() -> int | None:
    """The terminal's width to fold long cells to; None — one line per record — when the
    table goes to a pipe or a file (so `yiguan ledger | grep 饮水机` finds whole
    resolutions), unless COLUMNS asks for a width."""
    if sys.stdout.isatty() or os.environ.get("COLUMNS"):
        return shutil.get_terminal_size((100, 24)).columns
    return None


def ledger(
    ctx: typer.Context,
    since: SinceOption = None,
    until: Annotated[str | None, typer.Option("--until", help=t("help.opt.until"),
                                              metavar="DATE", show_default=False)] = None,
    fmt: FormatOption = Format.table,
    every: Annotated[bool, typer.Option("--all", help=t("help.opt.all_motions"))] = False,
) -> None:
    """Print the resolution ledger across meetings (--all: every motion)."""
    start = typed_date(since) if since else None
    end = typed_date(until) if until else None
    _report(ctx, "motions" if every else "ledger", fmt, {"since": start, "until": end})


def actions(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help=t("help.opt.open_only"))] = False,
    owner: Annotated[str | None, typer.Option("--owner", help=t("help.opt.owner_filter"),
                                              show_default=False)] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help=t("help.opt.overdue"))] = False,
    on: Annotated[str | None, typer.Option("--on", help=t("help.opt.on"), metavar="DATE",
                                           show_default=False)] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Print the action ledger across meetings, filtered."""
    today = typed_date(on) if on else dt.date.today()
    _report(ctx, "actions", fmt, {"today": today, "open_only": open_only, "owner": owner,
                                  "overdue": overdue}, people=owner is not None)


def _owner(ctx: typer.Context, entries: list[Any], query: str) -> str:
    """The person `--owner` names: a roster member by name or initials, or anyone who
    owns an action."""
    from ..rules import names
    roster = []
    for folder in folders(ctx):
        try:
            members = folder.load_council().members
        except YiguanError:  # a folder without council.toml still has actions
            continue
        roster += [(m.name, m.initials) for m in members]
    owners = (action[2]  # (id, text, owner, …)
              for _, entry in entries for action in (entry.summary or {}).get("actions", ()))
    return names.find(query, names.people(roster, others=owners)).name


def attendance(ctx: typer.Context, since: SinceOption = None,
               fmt: FormatOption = Format.table) -> None:
    """Print each member's attendance across meetings."""
    from ..render import reports
    from ..store.index import council_label

    start = typed_date(since) if since else None
    with bulk():
        entries, multi = _entries(ctx, "attendance")
        rosters = {}
        for folder in folders(ctx):
            try:
                rosters[council_label(folder)] = [m.name for m in folder.load_council().members]
            except YiguanError:
                continue
        query = reports.Query(since=start)
        rows = reports.attendance_rows(entries, rosters, query)
        if fmt is Format.json:
            reports.write_chunks(sys.stdout, reports.json_lines("attendance", [], query, rows))
        elif fmt is Format.csv:
            reports.write_chunks(sys.stdout, reports.csv_lines("attendance", [], query, rows))
        else:
            _show("attendance", rows, fmt, multi)


COMMANDS = {"ledger": ledger, "actions": actions, "attendance": attendance}
GROUPS: dict[str, object] = {}
