"""`new`, `list`, `show`, `check` and `undo`: meetings as files."""

from pathlib import Path
from typing import Annotated

import typer

from ..messages import printable, t
from ..model import parse_date, parse_time
from .common import (
    MeetingOption,
    bulk,
    folder,
    index_progress,
    read_text_argument,
    say,
    stderr_line,
    target_files,
    warn_unreadable,
)


def new(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help=t("help.arg.title"), show_default=False)],
    date: Annotated[str, typer.Option("--date", help=t("help.opt.date"), metavar="YYYY-MM-DD",
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
    from .. import proceedings

    data = folder(ctx)
    council = data.load_council()
    meeting = proceedings.new_meeting(
        council, title, parse_date(date), time=parse_time(time) if time else None,
        place=place, host=host, recorder=recorder,
        note=read_text_argument(note) if note else None)
    meeting_id, _ = data.create_meeting(meeting)
    say("meeting.created", title=meeting.title, path=str(data.meeting_path(meeting_id)),
        members=len(meeting.members))
    if not meeting.members:
        say("meeting.no_members_hint")
    print(meeting_id)


def list_meetings(ctx: typer.Context) -> None:
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
    from ..check import check_file

    targets = target_files(ctx, paths)
    problems = []
    for path in targets:
        problems += check_file(path)
    for problem in problems:
        print(printable(problem.render()))
    if problems:
        stderr_line(t("check.summary_bad", n=len(problems), files=len(targets)))
        raise typer.Exit(1)
    say("check.summary_ok", files=len(targets))


def undo(
    ctx: typer.Context,
    meeting: MeetingOption = None,
    force: Annotated[bool, typer.Option("--force", help=t("help.opt.undo_force"))] = False,
) -> None:
    data = folder(ctx)
    target = None
    if meeting is not None:
        target = data.meeting_path(meeting).name
    name, left = data.undo(target, force=force)
    say("undo.done", name=name, left=left)


COMMANDS = {"new": new, "list": list_meetings, "show": show, "check": check, "undo": undo}
GROUPS: dict[str, object] = {}
