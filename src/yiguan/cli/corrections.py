"""`strike` and `fix`: correct a record, with a trace once the meeting is closed.

The checks and the trace are in `yiguan.meeting.corrections`; here the options are read, the
date of the correction is taken from the clock, and the change is saved and said.
"""

from typing import Annotated, Any

import typer

from ..text.messages import t
from . import common
from .common import (
    AtOption,
    MeetingOption,
    MinutesOption,
    StanceOption,
    read_text_argument,
    run,
    run_at,
    stance,
    typed_date,
)

RecordArgument = Annotated[str, typer.Argument(help=t("help.arg.record_id"), show_default=False,
                                                metavar="ID")]
# Why a correction is made: --why on every command that corrects (fix, strike, excuse
# after the close); --reason is kept, hidden, for fix and strike as earlier versions spelt
# it. A leave's own reason is `excuse --reason`.
WhyOption = Annotated[str | None, typer.Option("--why", help=t("help.opt.why"),
                                               show_default=False)]
ReasonAlias = Annotated[str | None, typer.Option(
    "--reason", hidden=True, help=t("help.opt.reason_alias"), show_default=False)]


def why_given(why: str | None, reason: str | None) -> str | None:
    """--why, or its old spelling --reason; both at once only if they agree."""
    if why is not None and reason is not None and why != reason:
        raise typer.BadParameter(t("fix.why_twice"), param_hint="--why / --reason")
    return why if why is not None else reason


def strike(ctx: typer.Context, record: RecordArgument, why: WhyOption = None,
           reason: ReasonAlias = None, meeting: MeetingOption = None) -> None:
    """Strike a record entered by mistake (traced in a closed meeting)."""
    from ..meeting import corrections

    given_why = why_given(why, reason)
    today = common.now().date()  # read at run time: tests set the clock
    run(ctx, meeting, lambda m, c: corrections.strike(m, record, given_why, today))


def fix(
    ctx: typer.Context,
    record: RecordArgument,
    text: Annotated[str | None, typer.Option("--text", help=t("help.opt.fix_text"),
                                             show_default=False)] = None,
    yes: Annotated[int | None, typer.Option("--yes", help=t("help.opt.yes"), min=0,
                                            show_default=False)] = None,
    no: Annotated[int | None, typer.Option("--no", help=t("help.opt.no"), min=0,
                                           show_default=False)] = None,
    abstain: Annotated[int | None, typer.Option("--abstain", help=t("help.opt.abstain"), min=0,
                                                show_default=False)] = None,
    recuse: Annotated[list[str] | None, typer.Option("--recuse", help=t("help.opt.fix_recuse"),
                                                     show_default=False)] = None,
    teller: Annotated[list[str] | None, typer.Option("--teller", help=t("help.opt.fix_teller"),
                                                     show_default=False)] = None,
    by: Annotated[str | None, typer.Option("--by", help=t("help.opt.fix_by"),
                                           show_default=False)] = None,
    second: Annotated[str | None, typer.Option("--second", help=t("help.opt.second"),
                                               show_default=False)] = None,
    owner: Annotated[str | None, typer.Option("--owner", help=t("help.opt.owner"),
                                              show_default=False)] = None,
    due: Annotated[str | None, typer.Option("--due", help=t("help.opt.due"),
                                            metavar="DATE", show_default=False)] = None,
    item: Annotated[int | None, typer.Option("--item", help=t("help.opt.fix_item"),
                                             show_default=False, min=1)] = None,
    given_stance: StanceOption = None,
    minutes: MinutesOption = None,
    at: AtOption = None,
    why: WhyOption = None,
    reason: ReasonAlias = None,
    meeting: MeetingOption = None,
) -> None:
    """Correct fields of one record (traced in a closed meeting)."""
    from ..meeting import corrections

    given_why = why_given(why, reason)
    given: dict[str, Any] = {}
    for flag, value in (("text", text), ("yes", yes), ("no", no), ("abstain", abstain),
                        ("recuse", recuse), ("teller", teller), ("by", by), ("second", second),
                        ("owner", owner), ("item", item), ("minutes", minutes)):
        if value is not None:
            given[flag] = value
    if text is not None:
        given["text"] = read_text_argument(text)
    if due is not None:
        given["due"] = typed_date(due)
    if given_stance is not None:
        given["stance"] = stance(given_stance)
    today = common.now().date()  # read at run time: tests set the clock

    def step(m: Any, c: Any, when: str | None) -> Any:
        if when is not None:
            given["at"] = when
        return corrections.fix(m, c, record, given, given_why, today)

    run_at(ctx, meeting, at, step, clock=False)


COMMANDS = {"strike": strike, "fix": fix}
GROUPS: dict[str, object] = {}
