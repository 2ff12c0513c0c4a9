"""`minutes` and `notice`: render a meeting file as Markdown, on screen or into a file.

Both are read-only on the data folder: without `-m` they take the open meeting, else the
newest. They render only a file that `check` passes (signed minutes and a posted notice
must not come from a file with broken references or outcomes the rules do not give).
`-o FILE` writes atomically, to the path exactly as given, but never over a TOML file
in the data folder. The renderers in `yiguan.render` do the work; this module only
reads, checks and writes.
"""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import YiguanError
from ..messages import current_language, listed, t
from ..model import Meeting, valid_text
from ..store import DataFolder, write_output
from .common import MeetingOption, folder, say, stderr_line, typed_date, warn


class Language(StrEnum):
    zh = "zh"
    en = "en"


OutputOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", help=t("help.opt.doc_output"), show_default=False,
                 metavar="FILE", dir_okay=False),
]
LangOption = Annotated[
    Language | None,
    typer.Option("--lang", help=t("help.opt.doc_lang"), show_default=False,
                 case_sensitive=False),
]


def _load(data: DataFolder, meeting: str | None) -> tuple[str, Meeting]:
    """The meeting to render, refused if `check` finds problems in it."""
    from ..check import check_meeting, roster_beside

    meeting_id = data.resolve(meeting, write=False)
    record = data.load_meeting(meeting_id)
    path = data.meeting_path(meeting_id)
    problems = check_meeting(record, data.display(path), roster_beside(path))
    if problems:
        raise YiguanError("documents.has_problems", n=len(problems),
                          first=problems[0].render())
    return meeting_id, record


def _council_name(data: DataFolder, *, required: bool) -> str | None:
    """Only the council's name is taken from council.toml: the roster (phones, notes)
    never reaches a renderer."""
    if not required and not data.council_path.exists():
        return None
    return data.load_council().name


def _language(lang: Language | None) -> str:
    return lang.value if lang is not None else current_language()


def _emit(data: DataFolder, text: str, output: Path | None, *, preview: bool = False) -> None:
    if output is not None:
        _refuse_data_file(data, output)
        if write_output(output, text.encode("utf-8")):
            # a device or a pipe (-o /dev/stdout): the document is the output, the
            # confirmation goes beside it
            stderr_line(t("documents.written", path=str(output)))
        else:
            say("documents.written", path=str(output))
    if preview:
        from .. import output as terminal

        terminal.markdown(text)
    elif output is None:
        sys.stdout.write(text)


def _refuse_data_file(data: DataFolder, target: Path) -> None:
    """`-o meetings/2022-03-08.toml` would replace the record with its own minutes."""
    if target.suffix.lower() != ".toml":
        return
    try:
        same_folder = target.resolve().parent == data.root.resolve()
    except OSError:
        return
    if same_folder:
        raise YiguanError("documents.would_overwrite_data", path=str(target))


def minutes(
    ctx: typer.Context,
    meeting: MeetingOption = None,
    output: OutputOption = None,
    lang: LangOption = None,
    preview: Annotated[bool, typer.Option("--preview", help=t("help.opt.preview"))] = False,
) -> None:
    """Render the minutes as Markdown (screen, file or preview)."""
    from ..render.minutes import render_minutes

    data = folder(ctx)
    meeting_id, record = _load(data, meeting)
    text = render_minutes(record, source=data.meeting_path(meeting_id).name,
                          council=_council_name(data, required=False), lang=_language(lang))
    _emit(data, text, output, preview=preview)


def notice(
    ctx: typer.Context,
    meeting: MeetingOption = None,
    output: OutputOption = None,
    days: Annotated[int | None, typer.Option("--days", help=t("help.opt.notice_days"),
                                             min=1, show_default=False)] = None,
    start: Annotated[str | None, typer.Option("--from", help=t("help.opt.notice_from"),
                                              metavar="YYYY-MM-DD",
                                              show_default=False)] = None,
    contact: Annotated[str | None, typer.Option("--contact", help=t("help.opt.notice_contact"),
                                                show_default=False)] = None,
    lang: LangOption = None,
) -> None:
    """Render the public notice of the adopted resolutions."""
    from ..render.notice import notice_window, render_notice

    start_day = typed_date(start) if start is not None else None
    if contact is not None:
        contact = valid_text(contact.strip(), "line", "contact")
    data = folder(ctx)
    meeting_id, record = _load(data, meeting)
    # the name and the council's own holidays (民法典 art. 203), never the roster
    council = data.load_council()
    calendar = council.calendar
    text = render_notice(record, council=council.name,
                         source=data.meeting_path(meeting_id).name, lang=_language(lang),
                         days=days, start=start_day, contact=contact, calendar=calendar)
    period = notice_window(record, days=days, start=start_day, calendar=calendar)
    if period is not None and period.unknown_years:
        # the library counted without holidays; the secretary hears it once, on stderr
        warn("deadline.unknown_year_workdays" if period.length.workdays
             else "deadline.unknown_year", years=listed(period.unknown_years))
    _emit(data, text, output)


COMMANDS = {"minutes": minutes, "notice": notice}
GROUPS: dict[str, object] = {}
