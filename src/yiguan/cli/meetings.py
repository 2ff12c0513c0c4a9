"""`new`, `list`, `show`, `check` and `undo`: meetings as files."""

from pathlib import Path
from typing import Annotated, Any

import typer

from ..record.fileformat import parse_toml
from ..record.schema import MEETING_ID_RE
from ..text.errors import YiguanError
from ..text.messages import t
from ..text.safety import printable
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
    from ..meeting import proceedings

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
    from ..store.index import Index
    from . import output, views

    rows = []
    unreadable = []
    with bulk():
        entries = Index(folder(ctx)).entries(parts=(), progress=index_progress())
    confirmed = {earlier for entry in entries if entry.summary is not None
                 for earlier in entry.summary["confirms"]}
    for entry in reversed(entries):
        if entry.summary is None:
            unreadable.append(entry)
            rows.append([entry.meeting_id, t("meeting.unreadable"), "-", "-", "-", "-"])
        else:
            rows.append(views.list_row(entry.summary, entry.meeting_id in confirmed))
    output.table(None, views.list_columns(), rows, empty=t("meeting.none_yet"))
    warn_unreadable(unreadable)


def show(ctx: typer.Context, meeting: MeetingOption = None) -> None:
    """Show one meeting at a glance: headline, attendance, agenda, motions, actions."""
    from . import output, views

    data = folder(ctx)
    meeting_id = data.resolve(meeting, write=False)
    record = data.load_meeting(meeting_id)
    confirmed = None
    if record.status == "closed":
        from ..store.index import confirmed_by

        confirmed = confirmed_by(data).get(meeting_id)
    output.pairs(views.headline(meeting_id, record) + views.confirmed_row(confirmed)
                 + views.attendance_rows(record, live=record.status != "closed"))
    output.table(t("section.agenda"), views.item_columns(), views.item_rows(record),
                 empty=t("section.none"))
    if record.motion:
        output.table(t("section.motions"), views.motion_columns(), views.motion_rows(record))
    if record.vote:
        output.table(t("section.votes"), views.vote_columns(), views.vote_rows(record))
    if record.action:
        output.table(t("section.actions"), views.action_columns(), views.action_rows(record))


def check(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help=t("help.arg.check_paths"),
                                                        show_default=False,
                                                        metavar="PATH...")] = None,
) -> None:
    """Check council and meeting files; print every problem, exit 1 if any."""
    from ..meeting.check import check_file

    targets = target_files(ctx, paths)
    if not paths:
        data = folder(ctx)
        if data.private_path.exists() or data.private_path.is_symlink():
            targets.insert(1, data.private_path)
        if data.topics_path.exists() or data.topics_path.is_symlink():
            targets.insert(1, data.topics_path)  # the pool of residents' topics
    problems = []
    for path in targets:
        problems += check_file(path)
    problems += _phones_in_git(ctx, paths, targets)
    if not paths:  # the whole folder: files/ that no meeting names
        from ..store.attachments import unreferenced

        data = folder(ctx)
        problems += unreferenced(data.root, [data.meeting_path(m) for m in data.meeting_ids()])
        from ..meeting.cycle import folder_confirmations

        problems += folder_confirmations(data)  # what no one file shows: across meetings
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
    released: list[str] = []
    if b"[[attachment]]" in (undone.undone or b""):  # files only it named go with it
        from ..store.attachments import release

        released = release(data.root, undone.undone, undone.restored,
                           [data.meeting_path(m) for m in data.meeting_ids()])
    if undone.restored is None:
        title = _title(undone.undone, undone.name)
        if title is not None:
            say("undo.removed_meeting", title=title, name=undone.name)
        else:
            say("undo.removed_file", name=undone.name)
    else:
        say("undo.done", name=undone.name, left=undone.left)
        for line in _what_changed(undone.undone, undone.restored, undone.name):
            print(printable(line))
        for also in undone.also:  # private.toml: said, its phone numbers not shown
            say("undo.also", name=also.name)
    for file in released:
        say("undo.file_removed", file=file)


def _phones_in_git(ctx: typer.Context, paths: list[Path] | None,
                   targets: list[Path]) -> list[Any]:
    """Warnings for files that go into git and hold a roster phone number: those named,
    else the meeting files and whatever else of the data folder git tracks; and for a
    private.toml git tracks (`git add -f`)."""
    from ..store.private import PRIVATE_FILE, phone_problems, roster_phones
    from ..text.errors import Problem

    data = folder(ctx)
    try:
        council = data.load_council() if data.council_path.exists() else None
        phones = roster_phones(council, data.load_private())
    except YiguanError:
        return []  # a broken council or private file: check has said so already
    skipped = ("council.toml", PRIVATE_FILE)  # the roster's own files: said otherwise
    if paths:
        return phone_problems([p for p in targets if p.name not in skipped], phones)
    if not phones and not data.private_path.exists():
        return []
    from ..git.support import tracked_in

    tracked = tracked_in(data.root)
    problems: list[Any] = []
    if tracked is not None and data.private_path in tracked:
        problems.append(Problem(str(data.private_path), "check.private_tracked", warning=True))
    # the meeting files go into git at the next commit, whether git tracks them yet or not
    scanned = list(dict.fromkeys([*targets, *(tracked or [])]))
    return problems + phone_problems([p for p in scanned if p.name not in skipped], phones)


UNDO_LINES = 12  # a long undo (a fmt of a big file) is shown in part
UNDO_WIDTH = 100  # characters of one line: a speech may be pages long


def _what_changed(undone: bytes | None, restored: bytes, name: str) -> list[str]:
    """The change undo took back, record by record, as `yiguan diff` shows it: `- 发言 S7 …`
    for a record it removed, `+ …` for one it brought back, `~ 表决 V1 yes：11 → 12`."""
    from ..git.support import semantic_diff

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


def status(ctx: typer.Context, meeting: MeetingOption = None) -> None:
    """Print the live dashboard of the meeting."""
    # here beside `show`, not with the steps in `live`: reading a meeting needs none of
    # the proceedings (~1 ms of imports at every `status`)
    from . import output, views

    data = folder(ctx)
    meeting_id = data.resolve(meeting, write=False)
    output.pairs(views.status_rows(meeting_id, data.load_meeting(meeting_id)))


COMMANDS = {"new": new, "list": list_meetings, "show": show, "check": check, "undo": undo,
            "status": status}
GROUPS: dict[str, object] = {}
