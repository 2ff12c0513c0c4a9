"""The commands typed while the council sits: agenda, sign-in, speeches, motions, votes.

Each command reads like the secretary's sentence: find the meeting, change it, save,
say what happened. The checks and changes are in `yiguan.meeting.proceedings`.
"""

from typing import Annotated

import typer

from ..meeting import proceedings
from ..record.model import Council, Meeting
from ..text.errors import YiguanError
from ..text.messages import t
from .common import (
    AtOption,
    MeetingOption,
    MinutesOption,
    StanceOption,
    folder,
    read_text_argument,
    run,
    run_at,
    stance,
    typed_date,
)

NameArgument = Annotated[str, typer.Argument(help=t("help.arg.name"), show_default=False)]
MotionArgument = Annotated[str, typer.Argument(help=t("help.arg.motion"), show_default=False,
                                                metavar="M")]


# --- agenda ------------------------------------------------------------------------------

def agenda_add(
    ctx: typer.Context,
    title: Annotated[str | None, typer.Argument(help=t("help.arg.item_title"),
                                                show_default=False)] = None,
    by: Annotated[str | None, typer.Option("--by", help=t("help.opt.item_by"),
                                           show_default=False)] = None,
    topic: Annotated[str | None, typer.Option("--topic", help=t("help.opt.item_topic"),
                                              show_default=False, metavar="T")] = None,
    meeting: MeetingOption = None,
) -> None:
    """Add an item to the agenda."""
    if topic is not None:
        from ..meeting import topics

        data = folder(ctx)
        meeting_id = data.resolve(meeting, write=True)
        pool = data.load_topics()
        listed = topics.listings(data, pool)
        run(ctx, meeting_id, lambda m, c: topics.take_up(m, meeting_id, pool, topic, title,
                                                         by, c, listed))
        return
    if title is None:
        raise YiguanError("topics.no_title")
    run(ctx, meeting, lambda m, c: proceedings.add_item(m, title, by, c))


def agenda_list(ctx: typer.Context, meeting: MeetingOption = None) -> None:
    """Print the agenda."""
    from . import output, views

    data = folder(ctx)
    record = data.load_meeting(data.resolve(meeting, write=False))
    output.table(t("section.agenda_of", title=record.title), views.item_columns(),
                 views.item_rows(record), empty=t("section.none"))


def _agenda_app() -> typer.Typer:
    from . import guarded

    app = typer.Typer(no_args_is_help=True, help=t("help.agenda"))
    app.command("add", help=t("help.agenda.add"))(guarded(agenda_add))
    app.command("list", help=t("help.agenda.list"))(guarded(agenda_list))
    return app


# --- opening and closing ------------------------------------------------------------------

def open_(ctx: typer.Context, at: AtOption = None, meeting: MeetingOption = None) -> None:
    """Open the planned meeting and report the quorum."""
    run_at(ctx, meeting, at, lambda m, c, when: proceedings.open_meeting(m, when))


def close(
    ctx: typer.Context,
    postpone_pending: Annotated[bool, typer.Option("--postpone-pending",
                                                   help=t("help.opt.postpone_pending"))] = False,
    at: AtOption = None,
    meeting: MeetingOption = None,
) -> None:
    """Close the open meeting (pending motions refused unless postponed)."""
    run_at(ctx, meeting, at, lambda m, c, when: proceedings.close_meeting(
        m, when, postpone_pending=postpone_pending))


# --- attendance ------------------------------------------------------------------------

def sign(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(help=t("help.arg.names"), show_default=False,
                                                  metavar="NAME...")],
    guest: Annotated[bool, typer.Option("--guest", help=t("help.opt.guest"))] = False,
    org: Annotated[str | None, typer.Option("--org", help=t("help.opt.org"),
                                            show_default=False)] = None,
    at: AtOption = None,
    meeting: MeetingOption = None,
) -> None:
    """Sign members (or guests) in."""
    run_at(ctx, meeting, at, lambda m, c, when: proceedings.sign(
        m, c, names, when, guest=guest, org=org))


def leave(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(help=t("help.arg.names"), show_default=False,
                                                  metavar="NAME...")],
    at: AtOption = None,
    meeting: MeetingOption = None,
) -> None:
    """Record that someone left; later votes no longer count them."""
    run_at(ctx, meeting, at, lambda m, c, when: proceedings.leave(m, c, names, when))


def excuse(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=t("help.arg.member_name"), show_default=False)],
    reason: Annotated[str | None, typer.Option("--reason", help=t("help.opt.excuse_reason"),
                                               show_default=False)] = None,
    why: Annotated[str | None, typer.Option("--why", help=t("help.opt.excuse_why"),
                                            show_default=False)] = None,
    meeting: MeetingOption = None,
) -> None:
    """Record a member excused from the meeting (after the close: a correction)."""
    from . import common

    today = common.now().date()  # read at run time: tests set the clock

    def step(m: Meeting, c: Council | None) -> proceedings.Said:
        if m.status == "closed":
            from ..meeting import corrections

            return corrections.excuse_after_close(m, c, name, reason, why, today)
        return proceedings.excuse(m, c, name, reason)

    run(ctx, meeting, step)


# --- speeches ---------------------------------------------------------------------------

def speak(
    ctx: typer.Context,
    name: NameArgument,
    text: Annotated[str, typer.Argument(help=t("help.arg.speech"), show_default=False)],
    item: Annotated[int | None, typer.Option("--item", help=t("help.opt.item"),
                                             show_default=False, min=1)] = None,
    given_stance: StanceOption = None,
    minutes: MinutesOption = None,
    closing: Annotated[bool, typer.Option("--closing", help=t("help.opt.closing"))] = False,
    at: AtOption = None,
    meeting: MeetingOption = None,
) -> None:
    """Record the gist of a speech; warn past the speaking limits."""
    chosen = stance(given_stance)
    words = read_text_argument(text)

    def step(record: Meeting, council: Council | None, when: str) -> proceedings.Said:
        data, meeting_id, change = ctx.find_root().obj.editing
        if not data.keeps_floor(meeting_id):  # most councils: nothing more to import or read
            return proceedings.speak(record, council, name, words, when, item=item,
                                     stance=chosen, minutes=minutes, closing=closing)
        # the one who holds the floor ends it by speaking (the floor file is saved after
        # the meeting file, under the same lock)
        from ..meeting import floor as floors
        from . import common

        return floors.speak(data, meeting_id, change.after_save, record, council, name, words,
                            when, common.now(), item=item, stance=chosen, minutes=minutes,
                            closing=closing)

    run_at(ctx, meeting, at, step)


# --- motions ---------------------------------------------------------------------------

def propose(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help=t("help.arg.motion_text"), show_default=False)],
    by: Annotated[str, typer.Option("--by", help=t("help.opt.mover"), show_default=False)],
    second: Annotated[str | None, typer.Option("--second", help=t("help.opt.second"),
                                               show_default=False)] = None,
    item: Annotated[int | None, typer.Option("--item", help=t("help.opt.item"),
                                             show_default=False, min=1)] = None,
    rule: Annotated[str | None, typer.Option("--rule", help=t("help.opt.rule"),
                                             show_default=False)] = None,
    at: AtOption = None,
    meeting: MeetingOption = None,
) -> None:
    """Record a motion; print its id."""
    words = read_text_argument(text)
    run_at(ctx, meeting, at, lambda m, c, when: proceedings.propose(
        m, c, words, by, when, second=second, item=item, rule=rule))


def second(ctx: typer.Context, motion: MotionArgument, name: NameArgument, at: AtOption = None,
           meeting: MeetingOption = None) -> None:
    """Record who seconded a motion."""
    run_at(ctx, meeting, at, lambda m, c, when: proceedings.second_motion(
        m, c, motion, name, when))


def amend(
    ctx: typer.Context,
    motion: MotionArgument,
    text: Annotated[str, typer.Argument(help=t("help.arg.amend_text"), show_default=False)],
    by: Annotated[str, typer.Option("--by", help=t("help.opt.amender"), show_default=False)],
    at: AtOption = None,
    meeting: MeetingOption = None,
) -> None:
    """Change a motion's text; the earlier text stays on record."""
    words = read_text_argument(text)
    run_at(ctx, meeting, at, lambda m, c, when: proceedings.amend(
        m, c, motion, words, by, when))


def withdraw(ctx: typer.Context, motion: MotionArgument, meeting: MeetingOption = None) -> None:
    """Withdraw a pending motion."""
    run(ctx, meeting, lambda m, c: proceedings.withdraw(m, motion))


def postpone(ctx: typer.Context, motion: MotionArgument, meeting: MeetingOption = None) -> None:
    """Postpone a pending motion."""
    run(ctx, meeting, lambda m, c: proceedings.postpone(m, motion))


def reconsider(ctx: typer.Context, motion: MotionArgument, at: AtOption = None,
               meeting: MeetingOption = None) -> None:
    """Set a decided motion's standing vote aside; the motion is pending again."""
    run_at(ctx, meeting, at, lambda m, c, when: proceedings.reconsider(m, motion, when))


def vote(
    ctx: typer.Context,
    motion: MotionArgument,
    yes: Annotated[int | None, typer.Option("--yes", help=t("help.opt.yes"), min=0,
                                            show_default=False)] = None,
    no: Annotated[int | None, typer.Option("--no", help=t("help.opt.no"), min=0,
                                           show_default=False)] = None,
    abstain: Annotated[int, typer.Option("--abstain", help=t("help.opt.abstain"), min=0)] = 0,
    recuse: Annotated[list[str] | None, typer.Option("--recuse", help=t("help.opt.recuse"),
                                                     show_default=False)] = None,
    unanimous: Annotated[bool, typer.Option("--unanimous", help=t("help.opt.unanimous"))] = False,
    teller: Annotated[list[str] | None, typer.Option("--teller", help=t("help.opt.teller"),
                                                     show_default=False)] = None,
    at: AtOption = None,
    meeting: MeetingOption = None,
) -> None:
    """Record a show of hands and decide it with the rules engine."""
    if not unanimous:
        missing = [flag for flag, value in (("--yes", yes), ("--no", no)) if value is None]
        if missing:
            raise typer.BadParameter(t("live.vote_needs_counts"), param_hint=" / ".join(missing))

    def step(record: Meeting, council: Council | None, when: str) -> proceedings.Said:
        said = proceedings.vote(record, council, motion, when, yes=yes, no=no,
                                abstain=abstain, recuse=recuse or [], unanimous=unanimous,
                                tellers=teller or [])
        data, meeting_id, change = ctx.find_root().obj.editing
        if not data.keeps_floor(meeting_id):  # most councils: nothing more to import
            return said
        # a vote ends the floor of whoever still holds it (saved after the meeting file,
        # under the same lock), so that the projector shows the result
        from ..meeting import floor as floors

        return floors.vote(data, meeting_id, change.after_save, said)

    run_at(ctx, meeting, at, step)


# --- actions -----------------------------------------------------------------------------

def action(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help=t("help.arg.action_text"), show_default=False)],
    owner: Annotated[str, typer.Option("--owner", help=t("help.opt.owner"), show_default=False)],
    due: Annotated[str | None, typer.Option("--due", help=t("help.opt.due"),
                                            metavar="DATE", show_default=False)] = None,
    motion: Annotated[str | None, typer.Option("--motion", help=t("help.opt.action_motion"),
                                               show_default=False, metavar="M")] = None,
    at: AtOption = None,
    meeting: MeetingOption = None,
) -> None:
    """Record who does what by when (after the close: follow-up); print its id."""
    from . import common

    due_date = typed_date(due) if due else None
    words = read_text_argument(text)
    today = common.now().date()  # read at run time: tests set the clock

    def step(m: Meeting, c: Council | None, when: str) -> proceedings.Said:
        if m.status == "closed":  # follow-up work, dated the day it is given
            if at is not None:
                raise YiguanError("live.follow_up_no_time", closed=m.closed or "?")
            return proceedings.add_follow_up(m, c, words, owner, today, due=due_date,
                                             motion_id=motion)
        return proceedings.add_action(m, c, words, owner, when, due=due_date,
                                      motion_id=motion)

    run_at(ctx, meeting, at, step)


def done(
    ctx: typer.Context,
    action_id: Annotated[str, typer.Argument(help=t("help.arg.action_id"), show_default=False,
                                             metavar="A")],
    note: Annotated[str | None, typer.Option("--note", help=t("help.opt.done_note"),
                                             show_default=False)] = None,
    meeting: MeetingOption = None,
    on: Annotated[str | None, typer.Option("--on", help=t("help.opt.done_on"), metavar="DATE",
                                           show_default=False)] = None,
) -> None:
    """Mark an action done (of any meeting with DATE/A1)."""
    from . import common

    day = typed_date(on) if on else common.now().date()  # kept as its done_on
    if "/" in action_id:
        # 2022-03-08/A1: an action of any meeting, closed ones included
        meeting_part, _, action_id = action_id.rpartition("/")
        if meeting is not None and meeting != meeting_part:
            raise YiguanError("live.two_meetings", given=meeting, inline=meeting_part)
        meeting = meeting_part
    typed = common.now().date() if on else None  # --on: not after today
    run(ctx, meeting, lambda m, c: proceedings.mark_done(m, action_id, note, day, today=typed))


# --- the dashboard -------------------------------------------------------------------------

COMMANDS = {
    "open": open_, "close": close, "sign": sign, "leave": leave, "speak": speak,
    "propose": propose, "second": second, "amend": amend, "withdraw": withdraw,
    "postpone": postpone, "reconsider": reconsider, "vote": vote, "action": action,
    "done": done,
    "excuse": excuse,
}
GROUPS = {"agenda": _agenda_app}
