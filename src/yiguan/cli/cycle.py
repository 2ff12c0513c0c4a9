"""`confirm` and `evaluate`: the council's cycle around a meeting — the minutes of an
earlier meeting confirmed at a later one (纪要确认), and residents' evaluation of a
resolution carried out (居民评议). The steps are in `yiguan.meeting.cycle`."""

from typing import TYPE_CHECKING, Annotated

import typer

from ..meeting import cycle
from ..record.kinds import EvaluationWay
from ..record.model import Council, Meeting
from ..text.errors import YiguanError
from ..text.messages import t
from .common import AtOption, MeetingOption, folder, run, run_at, typed_date

if TYPE_CHECKING:
    from ..meeting.proceedings import Said

# --how as typed: the words of both languages for the three ways residents are asked
WAYS: dict[str, EvaluationWay] = {
    "visit": "visit", "入户": "visit", "入户走访": "visit", "走访": "visit",
    "survey": "survey", "问卷": "survey", "问卷调查": "survey",
    "meeting": "meeting", "会议": "meeting", "居民会议": "meeting"}


def confirm(
    ctx: typer.Context,
    earlier: Annotated[str, typer.Argument(help=t("help.arg.earlier_meeting"),
                                           show_default=False, metavar="PREV_ID")],
    yes: Annotated[int | None, typer.Option("--yes", help=t("help.opt.yes"), min=0,
                                            show_default=False)] = None,
    no: Annotated[int | None, typer.Option("--no", help=t("help.opt.no"), min=0,
                                           show_default=False)] = None,
    abstain: Annotated[int, typer.Option("--abstain", help=t("help.opt.abstain"), min=0)] = 0,
    unanimous: Annotated[bool, typer.Option("--unanimous",
                                            help=t("help.opt.confirm_unanimous"))] = False,
    at: AtOption = None,
    meeting: MeetingOption = None,
) -> None:
    """Record that an earlier meeting's minutes were read and confirmed."""
    from ..store.index import confirmed_by

    data = folder(ctx)
    earlier_id = earlier.strip()
    earlier_meeting = data.load_meeting(data.resolve(earlier_id, write=False))
    current = data.resolve(meeting, write=True)
    by = confirmed_by(data).get(earlier_id)

    def step(record: Meeting, council: Council | None, when: str) -> "Said":
        return cycle.confirm(record, current, earlier_id, earlier_meeting,
                             by.meeting_id if by else None, when, yes=yes, no=no,
                             abstain=abstain, unanimous=unanimous)

    run_at(ctx, current, at, step)


def evaluate(
    ctx: typer.Context,
    resolution: Annotated[str, typer.Argument(help=t("help.arg.resolution"),
                                              show_default=False, metavar="R")],
    satisfied: Annotated[int, typer.Option("--satisfied", help=t("help.opt.satisfied"),
                                           min=0, show_default=False)],
    basic: Annotated[int, typer.Option("--basic", help=t("help.opt.basic"), min=0,
                                       show_default=False)],
    unsatisfied: Annotated[int, typer.Option("--unsatisfied", help=t("help.opt.unsatisfied"),
                                             min=0, show_default=False)],
    date: Annotated[str | None, typer.Option("--date", help=t("help.opt.evaluation_date"),
                                             metavar="DATE", show_default=False)] = None,
    how: Annotated[str | None, typer.Option("--how", help=t("help.opt.evaluation_how"),
                                            show_default=False)] = None,
    meeting: MeetingOption = None,
) -> None:
    """Record residents' evaluation of a resolution carried out (of any meeting with DATE/R1)."""
    from . import common

    if "/" in resolution:
        # 2024-04-25/R1: a resolution of any meeting, as `done` names an action
        meeting_part, _, resolution = resolution.rpartition("/")
        if meeting is not None and meeting != meeting_part:
            raise YiguanError("live.two_meetings", given=meeting, inline=meeting_part)
        meeting = meeting_part
    way: EvaluationWay | None = None
    if how is not None:
        if how.strip().lower() not in WAYS:
            raise YiguanError("cycle.bad_how", value=how)
        way = WAYS[how.strip().lower()]
    day = typed_date(date) if date else common.now().date()  # read at run time: tests set it
    run(ctx, meeting, lambda m, c: cycle.evaluate(
        m, resolution, satisfied=satisfied, basic=basic, unsatisfied=unsatisfied, day=day,
        how=way, today=common.now().date()))


COMMANDS = {"confirm": confirm, "evaluate": evaluate}
GROUPS: dict[str, object] = {}
