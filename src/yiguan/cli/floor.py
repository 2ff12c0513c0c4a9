"""The list of speakers and the floor: `queue`, `floor`, and the standalone `timer`.

The state lives beside the meeting (`yiguan.meeting.floor`); these commands parse, call, print.
"""

from typing import Annotated

import typer

from ..meeting import floor as floors
from ..record.model import Council, Meeting
from ..store.folder import DataFolder
from ..text.errors import YiguanError
from ..text.messages import Listed, t
from . import common
from .common import AtOption, MeetingOption, MinutesOption, folder, say, warn

ItemOption = Annotated[int | None, typer.Option("--item", help=t("help.opt.queue_item"),
                                                show_default=False, min=1)]


def queue(
    ctx: typer.Context,
    names: Annotated[list[str] | None, typer.Argument(help=t("help.arg.queue_names"),
                                                      show_default=False,
                                                      metavar="NAME...")] = None,
    item: ItemOption = None,
    remove: Annotated[str | None, typer.Option("--remove", help=t("help.opt.queue_remove"),
                                               show_default=False, metavar="NAME")] = None,
    meeting: MeetingOption = None,
) -> None:
    """Add, remove or list the speakers waiting on an item."""
    from ..meeting.guards import resolve_name

    data = folder(ctx)
    if names and remove is not None:
        raise YiguanError("floor.add_and_remove")
    if not names and remove is None:
        meeting_id = data.resolve(meeting, write=False)
        record = data.load_meeting(meeting_id)
        state = floors.read_floor(data, meeting_id)
        number = floors.queue_item(record, item)
        _list(state, number)
        _warn_unusable(data, meeting_id, state)
        return
    council = data.load_council() if data.council_path.exists() else None
    meeting_id = data.resolve(meeting, write=True)
    with floors.editing(data, meeting_id) as (record, state):
        if remove is not None:
            name = resolve_name(remove, record, council)
            number = floors.dequeue(record, state, name, item)
            say("floor.dequeued", name=name, item=_item(number))
        else:
            found = [resolve_name(query, record, council) for query in names or []]
            number = floors.enqueue(record, state, found, item)
            say("floor.queued", names=Listed(found), item=_item(number))
    _list(state, number)
    _warn_unusable(data, meeting_id, state)


def _warn_unusable(data: DataFolder, meeting_id: str, state: floors.Floor) -> None:
    found = floors.unusable(data, meeting_id, state)
    if found is not None:
        warn(found[0], **found[1])


def _item(number: int | None) -> str:
    return str(number) if number is not None else "-"


def _list(state: floors.Floor, number: int | None) -> None:
    if state.holder is not None:
        say("floor.holder_line", name=state.holder["name"],
            since=state.holder["started"][11:16])
    waiting = state.waiting(number)
    if not waiting:
        say("floor.queue_empty_line", item=_item(number))
        return
    say("floor.queue_line", item=_item(number),
        names="  ".join(f"{n}. {name}" for n, name in enumerate(waiting, 1)))


def floor(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help=t("help.arg.floor_name"),
                                               show_default=False)] = None,
    minutes: MinutesOption = None,
    at: AtOption = None,
    end: Annotated[bool, typer.Option("--end", help=t("help.opt.floor_end"))] = False,
    meeting: MeetingOption = None,
) -> None:
    """Give the floor and start the speaker's countdown, or end it."""
    from ..meeting.proceedings import Said

    if end and (name is not None or minutes is not None):
        raise YiguanError("floor.end_alone")

    def step(record: Meeting, council: Council | None, when: str) -> Said:
        # the time as for every command (`--at`, else the meeting clock: now on a meeting
        # dated today, its latest record on another day)
        data, meeting_id, change = ctx.find_root().obj.editing
        if end:
            return floors.end(data, meeting_id, change.after_save, record, when, common.now())
        return floors.give(data, meeting_id, change.after_save, record, council, name, when,
                           common.now(), minutes)

    common.run_at(ctx, meeting, at, step)


def timer(
    minutes: Annotated[float, typer.Argument(help=t("help.arg.timer_minutes"), min=0.05,
                                             max=600)] = 2,
) -> None:
    """Count a speaking time down in the terminal, without a meeting."""
    from .terminal import run_timer

    run_timer(minutes * 60)


COMMANDS = {"queue": queue, "floor": floor, "timer": timer}
GROUPS: dict[str, object] = {}
