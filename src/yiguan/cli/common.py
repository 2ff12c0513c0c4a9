"""Pieces every command module shares: option types, the data folder, printing.

Printing here is plain text: one confirmation line per step on stdout, warnings and
notes on stderr. Tables go through `yiguan.cli.output`, the only module that imports rich.
"""

import datetime as dt
import gc
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..record.kinds import Stance
from ..record.model import Council, Meeting
from ..store.folder import DataFolder
from ..text.errors import YiguanError
from ..text.messages import ClockTime, t
from ..text.safety import printable

if TYPE_CHECKING:
    from ..meeting.proceedings import Said
    from ..rules.when import TypedClock

MeetingOption = Annotated[
    str | None,
    typer.Option("-m", "--meeting", help=t("help.opt.meeting"), show_default=False),
]
AtOption = Annotated[
    str | None,
    typer.Option("--at", help=t("help.opt.at"), show_default=False, metavar="HH:MM"),
]
StanceOption = Annotated[
    str | None, typer.Option("--stance", help=t("help.opt.stance"), show_default=False)]
MinutesOption = Annotated[
    int | None,
    typer.Option("--minutes", help=t("help.opt.minutes"), show_default=False, min=1),
]


def folders(ctx: typer.Context) -> list[DataFolder]:
    """The command's data folders, opened once (what they skip is mentioned at the end)."""
    state = ctx.find_root().obj
    if state.folders is None:
        state.folders = [DataFolder(path) for path in state.dirs]
    return state.folders  # type: ignore[no-any-return]


def folder(ctx: typer.Context) -> DataFolder:
    """The one data folder of a command that works on a single council."""
    found = folders(ctx)
    if len(found) > 1:
        raise YiguanError("cli.one_dir_only")
    return found[0]


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while a command builds hundreds of thousands of
    small dicts and lists (a ledger over 10,000 meetings): they hold no cycles, and the
    collector's repeated passes over them cost ~15% of the run."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


PROGRESS_AFTER_SECONDS = 1.0


def index_progress() -> Any:
    """What tells the secretary that a cold index build is under way: a line on stderr
    counting the files, shown on an interactive terminal once the build has taken
    PROGRESS_AFTER_SECONDS (most take less), and wiped when it is done. Into a pipe or a
    file, nothing (None)."""
    if not sys.stderr.isatty():
        return None
    started = time.monotonic()
    shown = [False]

    def step(done: int, total: int) -> None:
        if done >= total:
            if shown[0]:
                sys.stderr.write("\r\x1b[K")  # back to the start, erase the line
                sys.stderr.flush()
            return
        if shown[0] or time.monotonic() - started >= PROGRESS_AFTER_SECONDS:
            shown[0] = True
            sys.stderr.write("\r" + t("index.progress", done=done, total=total))
            sys.stderr.flush()

    return step


def target_files(ctx: typer.Context, paths: list[Path] | None) -> list[Path]:
    """The files a command such as check or fmt acts on: those named, as given; else
    council.toml and every meeting file of the data folder."""
    if paths:
        return list(paths)
    data = folder(ctx)
    targets = [data.meeting_path(m) for m in data.meeting_ids()]
    if data.council_path.exists():
        targets.insert(0, data.council_path)
    if not targets:
        raise YiguanError("store.no_council", path=str(data.council_path))
    return targets


def now() -> dt.datetime:
    """The wall clock: the one place yiguan reads it (tests put a fixed clock here)."""
    return dt.datetime.now()


STANCES: dict[str, Stance] = {
    "for": "for", "against": "against", "neutral": "neutral",
    "赞成": "for", "支持": "for", "同意": "for",
    "反对": "against", "不同意": "against",
    "中立": "neutral", "弃权": "neutral"}


def stance(value: str | None) -> Stance | None:
    """`--stance` as stored: for, against or neutral (English or Chinese words)."""
    if value is None:
        return None
    if value.strip().lower() not in STANCES:
        raise typer.BadParameter(t("live.bad_stance", value=value), param_hint="--stance")
    return STANCES[value.strip().lower()]


def typed_date(value: str) -> dt.date:
    """A date as the secretary typed it (`明天`, `5月18日`, `2024/5/18` …), read on
    today's clock; when the form was not YYYY-MM-DD, say on stderr what was understood."""
    from ..rules.when import parse_date

    day = parse_date(value, now().date())
    _understood(value, day.isoformat())
    return day


def typed_time(value: str) -> str:
    """A time as the secretary typed it (`下午2点半`, `1430` …) as HH:MM, said back on
    stderr when the form was another. With no meeting to be near (a planned start), a
    bare hour on the 12-hour clock (7点30) is taken as written, in the morning, and the
    note says how to give an afternoon or evening one."""
    from ..rules.when import parse_clock

    typed = parse_clock(value)
    if typed.twelve_hour and typed.time < "12:00":
        _UNDERSTOOD.append(("input.understood_morning", {"typed": value.strip(),
                                                           "value": typed.time}))
    else:
        _understood(value, typed.time)
    return typed.time


def _typed_clock(value: str) -> "TypedClock":
    """`--at` as typed: the time as written, and whether it was said on a 12-hour clock;
    the meeting places it (`Meeting.on_meeting_day`) and `run_at` says how."""
    from ..rules.when import parse_clock

    return parse_clock(value)


_UNDERSTOOD: list[tuple[str, dict[str, Any]]] = []


def _understood(typed: str, value: str, written: str | None = None) -> None:
    """Note a form read as another; said when the command is done (`say_understood`),
    so that a refusal stays one line. `written` is the time as the form wrote it, when
    the meeting read it otherwise (7点20 → 19:20 at an evening meeting)."""
    if typed.strip() != (written or value) or (written is not None and written != value):
        _UNDERSTOOD.append(("input.understood", {"typed": typed.strip(), "value": value}))


def say_understood(done: bool) -> None:
    """After a command: say on stderr how typed dates and times were read, if it did
    its work; forget them if it was refused."""
    if done:
        for key, params in _UNDERSTOOD:
            warn(key, **params)
    _UNDERSTOOD.clear()


def run(ctx: typer.Context, meeting: str | None,
        step: Callable[[Meeting, Council | None], "Said"]) -> "Said":
    """Take one step on the meeting (under its lock), save it, say what happened.

    The step gets the meeting and the council roster to look names up in."""
    return run_at(ctx, meeting, None, lambda m, c, _: step(m, c), clock=False)


def run_at(ctx: typer.Context, meeting: str | None, at: str | None,
           step: Callable[[Meeting, Council | None, Any], "Said"], *,
           clock: bool = True) -> "Said":
    """`run` for a step at a moment: `--at HH:MM` placed on the meeting's day (a time
    more than 12 hours before the opening is the next day's), else — with `clock` —
    the time `proceedings.clock_time` chooses; without `clock` the step gets None.

    A refusal about time says where the time came from and how to give another, with
    the meeting's date when it is not today; a time taken from the meeting's own clock
    is said in the confirmation."""
    from ..meeting.proceedings import TIME_REFUSALS, clock_time, mark_clock_times, time_slots

    typed = _typed_clock(at) if at is not None else None
    data: DataFolder = folder(ctx)
    meeting_id = data.resolve(meeting, write=True)
    council = data.load_council() if data.council_path.exists() else None
    with data.edit_meeting(meeting_id) as change:
        ctx.find_root().obj.editing = (data, meeting_id, change)
        record = change.value
        current = now()
        when: str | None = None
        source = "none"
        if typed is not None:
            when = record.on_meeting_day(typed.time, twelve_hour=typed.twelve_hour)
            source = "given"
            assert at is not None
            _understood(at, ClockTime(when), written=typed.time)
        elif clock:
            when, source = clock_time(record, current)
        # a closed meeting takes no more moments: what is added after it (follow-up work)
        # is dated, not timed
        before = time_slots(record) if source == "meeting" and record.status != "closed" \
            else None
        try:
            said = step(record, council, when)
            if before is not None and when is not None:
                mark_clock_times(record, before, when)
        except YiguanError as error:
            if error.key not in TIME_REFUSALS or when is None:
                raise
            hint = f"clock.hint_{source}"
            if source != "meeting" and record.date != current.date():
                hint += "_date"
            raise YiguanError("clock.refused", **error.params, reason_key=error.key,
                              hint_key=hint, meeting_date=record.date.isoformat(),
                              used=ClockTime(when)) from None
    if before is not None and when is not None:  # a moment of the meeting, from its clock
        said.line("clock.used_meeting_time", at=ClockTime(when))
    report(said, change.notes)
    return said


def say(key: str, **params: Any) -> None:
    print(t(key, **params))


def warn(key: str, **params: Any) -> None:
    warn_text(t(key, **params))


def warn_text(message: str) -> None:
    """A note on stderr, on one line whatever the message quotes from the input."""
    stderr_line(t("cli.warning_prefix", message=message))


def error_text(message: str) -> None:
    """An error about one of several files, when the command goes on with the others."""
    stderr_line(t("cli.error_prefix", message=message))


def stderr_line(text: str) -> None:
    sys.stderr.write(printable(text) + "\n")


def warn_unreadable(entries: list[Any]) -> None:
    """Name the meeting files an index could not read (the first few), then count them."""
    for entry in entries[:5]:
        warn_text(entry.problem or entry.meeting_id)
    if entries:
        warn("report.skipped", n=len(entries))


Note = tuple[str, dict[str, Any]]


def report(said: Any, store_notes: list[Note] | None = None) -> None:
    """Print a step's confirmation lines, then its warnings and any store notes."""
    for key, params in said.lines:
        print(t(key, **params))
    for key, params in said.warnings:
        warn(key, **params)
    notes(store_notes or [])


def notes(store_notes: list[Note]) -> None:
    """Notes from the store, such as comments a rewrite dropped."""
    for key, params in store_notes:
        warn(key, **params)


def read_text_argument(text: str) -> str:
    """TEXT `-` means: read it from stdin (long or pasted notes). Windows line ends (CR LF)
    and old Mac ones (CR) become LF, as everywhere in yiguan's files."""
    if text == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") \
            else sys.stdin.read().encode()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise YiguanError("input.stdin_not_utf8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
