"""`attach`: keep a photo or a scan with a meeting (影像资料).

The file is read and checked, and a photo loses where it was taken, before anything is
written (`yiguan.store.attachments`); then, under the meeting's lock, the bytes go into
the data folder's `files/` and the record into the meeting (`yiguan.meeting.attach`).
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..record.model import Council, Meeting
from ..text.messages import t
from . import common
from .common import MeetingOption, run

if TYPE_CHECKING:
    from ..meeting.proceedings import Said


def attach(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help=t("help.arg.attach_file"), show_default=False,
                                         metavar="FILE")],
    caption: Annotated[str | None, typer.Option("--caption", help=t("help.opt.caption"),
                                                show_default=False)] = None,
    public: Annotated[bool, typer.Option("--public", help=t("help.opt.public"))] = False,
    meeting: MeetingOption = None,
) -> None:
    """Attach a photo or a scan (jpg, png, pdf, docx) to a meeting; print its id."""
    from ..meeting.attach import attach as attach_step
    from ..store import attachments

    prepared = attachments.prepare(path)
    root = common.folder(ctx).root
    today = common.now().date()  # read at run time: tests set the clock
    written: list[bool] = []

    def step(m: Meeting, c: Council | None) -> "Said":
        said = attach_step(m, prepared, caption, public, today)
        # the file before the record that names it, under the meeting's lock
        written.append(attachments.store(root, prepared))
        return said

    # files/ is locked from the file's writing to its record's saving: an `undo` elsewhere
    # that looks for files nobody names must not see this one in between
    with attachments.files_locked(root):
        try:
            run(ctx, meeting, step)
        except BaseException:
            if any(written):  # stored now, but the record was not saved: nothing names it
                attachments.remove(root, prepared.file)
            raise


COMMANDS = {"attach": attach}
GROUPS: dict[str, object] = {}
