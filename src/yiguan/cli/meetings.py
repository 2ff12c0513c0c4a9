"""`new`, `list`, `show`, `check` and `undo`: meetings as files."""

from pathlib import Path
from typing import Annotated

import typer

from ..errors import YiguanError
from ..fileformat import parse_toml
from ..messages import printable, t
from ..model import MEETING_ID_RE
from .common import (
    MeetingOption,
    bulk,
    folder,
    index_progress,
    read_text_argument,
    say,
    stderr_line,
    target_files,
    typed_date,
    typed_time,
    warn_unreadable,
)


def new(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help=t("help.arg.title"), show_default=False)],
    date: Annotated[str, typer.Option("--date", help=t("help.opt.date"), metavar="DATE",
                                      show_default=False)],
    time: Annotated[str | None, typer.Option("--time", help=t("help.opt.time"),
                                             metavar="HH:MM", show_default=False)] = None,
    place: Annotated[str | None, typer.Option("--place", help=t("help.opt.place"),
                                              show_default=False)] = None,
    host: Annotated[str | None, typer.Option("--host", help=t("help.opt.host"),
                                             show_default=False)] = None,
    recorder: Annotated[str | None, typer.Option("--recorder", help=t("help.opt.recorder"),
                                                 show_default=False)] = None,
    note: Annotated[str | None, typer.Option("--note", help=t("help.opt.meeting_note"),
                                             show_default=False)] = None,
) -> None:
    """Plan a meeting; print its id."""
    from .. import proceedings

    data = folder(ctx)
    council = data.load_council()
    meeting = proceedings.new_meeting(
        council, title, typed_date(date), time=typed_time(time) if time else None,
        place=place, host=host, recorder=recorder,
        note=read_text_argument(note) if note else None)
    meeting_id, _ = data.create_meeting(meeting)
    say("meeting.created", title=meeting.title, path=str(data.meeting_path(meeting_id)),
        members=len(meeting.members))
    if not meeting.members:
        say("meeting.no_members_hint")
    print(meeting_id)


def list_meetings(ctx: typer.Context) -> None:
    """List all meetings, newest first, from the index."""
    from .. import output, views
    from ..index import Index

    rows = []
    unreadable = []
    with bulk():
        entries = Index(folder(ctx)).entries(parts=(), progress=index_progress())
    for entry in reversed(entries):
        if entry.summary is None:
            unreadable.append(entry)
            rows.append([entry.meeting_id, t("meeting.unreadable"), "-", "-", "-", "-"])
        else:
            rows.append(views.list_row(entry.summary))
    output.table(None, views.list_columns(), rows, empty=t("meeting.none_yet"))
    warn_unreadable(unreadable)


def show(ctx: typer.Context, meeting: MeetingOption = None) -> None:
    """Show one meeting at a glance: headline, attendance, agenda, motions, actions."""
    from .. import output, views

    data = folder(ctx)
    meeting_id = data.resolve(meeting, write=False)
    record = data.load_meeting(meeting_id)
    output.pairs(views.headline(meeting_id, record)
                 + views.attendance_rows(record, live=record.status != "closed"))
    output.table(t("section.agenda"), views.item_columns(), views.item_rows(record),
                 empty=t("section.none"))
    if record.motion:
        output.table(t("section.motions"), views.motion_columns(), views.motion_rows(record))
    if record.action:
        output.table(t("section.actions"), views.action_columns(), views.action_rows(record))


def check(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help=t("help.arg.check_paths"),
                                                        show_default=False,
                                                        metavar="PATH...")] = None,
) -> None:
    """Check council and meeting files; print every problem, exit 1 if any."""
    from ..check import check_file

    targets = target_files(ctx, paths)
    problems = []
    for path in targets:
        problems += check_file(path)
    for problem in problems:
        print(printable(problem.render()))
    errors = [p for p in problems if not p.warning]
    if errors:
        stderr_line(t("check.summary_bad", n=len(errors), files=len(targets)))
        raise typer.Exit(1)
    if problems:  # warnings only: said, and the files pass
        say("check.summary_warnings", files=len(targets), n=len(problems))
        return
    say("check.summary_ok", files=len(targets))


def undo(
    ctx: typer.Context,
    meeting: MeetingOption = None,
    force: Annotated[bool, typer.Option("--force", help=t("help.opt.undo_force"))] = False,
) -> None:
    """Take back the latest change (of one meeting with -m)."""
    data = folder(ctx)
    target = None
    if meeting is not None:
        target = data.meeting_path(meeting).name
    undone = data.undo(target, force=force)
    if undone.restored is None:
        title = _title(undone.undone, undone.name)
        if title is not None:
            say("undo.removed_meeting", title=title, name=undone.name)
        else:
            say("undo.removed_file", name=undone.name)
        return
    say("undo.done", name=undone.name, left=undone.left)
    for line in _what_changed(undone.undone, undone.restored, undone.name):
        print(printable(line))


UNDO_LINES = 12  # a long undo (a fmt of a big file) is shown in part
UNDO_WIDTH = 100  # characters of one line: a speech may be pages long


def _what_changed(undone: bytes | None, restored: bytes, name: str) -> list[str]:
    """The change undo took back, record by record, as `yiguan diff` shows it: `- 发言 S7 …`
    for a record it removed, `+ …` for one it brought back, `~ 表决 V1 yes：11 → 12`."""
    from ..gitsupport import semantic_diff

    try:
        lines = semantic_diff(parse_toml(undone or b"", name), parse_toml(restored, name))
    except YiguanError:
        return []  # a file broken by hand: the undo itself is all there is to say
    shown = ["  " + (line if len(line) <= UNDO_WIDTH else line[:UNDO_WIDTH - 1] + "…")
             for line in lines[:UNDO_LINES]]
    if len(lines) > UNDO_LINES:
        shown.append("  " + t("undo.more", n=len(lines) - UNDO_LINES))
    return shown


def _title(data: bytes | None, name: str) -> str | None:
    """The title of the meeting whose file `data` was, or None for another file."""
    if data is None or not name.endswith(".toml") or not MEETING_ID_RE.match(name[:-5]):
        return None
    try:
        title = parse_toml(data, name).get("title")
    except YiguanError:
        return name[:-5]
    return title if isinstance(title, str) else name[:-5]


COMMANDS = {"new": new, "list": list_meetings, "show": show, "check": check, "undo": undo}
GROUPS: dict[str, object] = {}
