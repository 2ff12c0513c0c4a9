"""`ledger`, `actions` and `attendance`: questions across meetings, and across councils
when `--dir` is given more than once (a street office reading many repositories)."""

import datetime as dt
import os
import shutil
import sys
from enum import StrEnum
from typing import Annotated

import typer

from ..messages import t
from ..model import parse_date
from .common import bulk, folders, warn_unreadable


class Format(StrEnum):
    table = "table"
    md = "md"
    csv = "csv"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", help=t("help.opt.format"))]
SinceOption = Annotated[str | None, typer.Option("--since", help=t("help.opt.since"),
                                                 metavar="YYYY-MM-DD", show_default=False)]


def _entries(ctx: typer.Context, parts: tuple[str, ...],
             ) -> tuple[list, bool]:  # type: ignore[type-arg]
    from ..index import load_entries

    found = folders(ctx)
    entries = load_entries(found, parts)
    warn_unreadable([e for _, e in entries if e.summary is None])
    return entries, len(found) > 1


def _emit(kind: str, records: list, fmt: Format, multi: bool) -> None:  # type: ignore[type-arg]
    from ..render.reports import render

    if fmt is Format.table and not records:
        print(t(f"report.empty.{kind}"))
        return
    sys.stdout.write(render(kind, records, fmt.value, multi=multi, width=_fold_width()))


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
                                              metavar="YYYY-MM-DD", show_default=False)] = None,
    fmt: FormatOption = Format.table,
) -> None:
    from ..render.reports import ledger_records

    start = parse_date(since) if since else None
    end = parse_date(until) if until else None
    with bulk():
        entries, multi = _entries(ctx, ("resolutions", "actions"))
        _emit("ledger", ledger_records(entries, since=start, until=end, multi=multi), fmt, multi)


def actions(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help=t("help.opt.open_only"))] = False,
    owner: Annotated[str | None, typer.Option("--owner", help=t("help.opt.owner_filter"),
                                              show_default=False)] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help=t("help.opt.overdue"))] = False,
    on: Annotated[str | None, typer.Option("--on", help=t("help.opt.on"), metavar="YYYY-MM-DD",
                                           show_default=False)] = None,
    fmt: FormatOption = Format.table,
) -> None:
    today = parse_date(on) if on else dt.date.today()
    with bulk():
        _actions(ctx, today, open_only, owner, overdue, fmt)


def _actions(ctx: typer.Context, today: dt.date, open_only: bool, owner: str | None,
             overdue: bool, fmt: Format) -> None:
    from .. import names
    from ..errors import YiguanError
    from ..render.reports import action_records

    entries, multi = _entries(ctx, ("actions",))
    who = None
    if owner is not None:
        people: dict[str, names.Person] = {}
        for folder in folders(ctx):
            try:
                for member in folder.load_council().members:
                    people.setdefault(member.name, names.Person(member.name, member.initials,
                                                                True))
            except YiguanError:  # a folder without council.toml still has actions
                pass
        for _, entry in entries:
            for action in (entry.summary or {}).get("actions", []):
                people.setdefault(action["owner"], names.Person(action["owner"], None, False))
        who = names.find(owner, people.values()).name
    records = action_records(entries, today=today, open_only=open_only, owner=who,
                             overdue=overdue, multi=multi)
    _emit("actions", records, fmt, multi)


def attendance(ctx: typer.Context, since: SinceOption = None,
               fmt: FormatOption = Format.table) -> None:
    from ..errors import YiguanError
    from ..index import council_label
    from ..render.reports import attendance_records

    start = parse_date(since) if since else None
    with bulk():
        entries, multi = _entries(ctx, ("members", "attended"))
        rosters = {}
        for folder in folders(ctx):
            try:
                rosters[council_label(folder)] = [m.name for m in folder.load_council().members]
            except YiguanError:
                continue
        _emit("attendance", attendance_records(entries, rosters, since=start), fmt, multi)


COMMANDS = {"ledger": ledger, "actions": actions, "attendance": attendance}
GROUPS: dict[str, object] = {}
