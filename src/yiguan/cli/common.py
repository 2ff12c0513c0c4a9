"""Pieces every command module shares: option types, the data folder, printing.

Printing here is plain text: one confirmation line per step on stdout, warnings and
notes on stderr. Tables go through `yiguan.output`, the only module that imports rich.
"""

import datetime as dt
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import YiguanError
from ..messages import t
from ..model import parse_time
from ..store import DataFolder

MeetingOption = Annotated[
    str | None,
    typer.Option("-m", "--meeting", help=t("help.opt.meeting"), show_default=False),
]
AtOption = Annotated[
    str | None,
    typer.Option("--at", help=t("help.opt.at"), show_default=False, metavar="HH:MM"),
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
    import time

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


def moment(at: str | None) -> str:
    """`--at HH:MM`, or the clock now. Only the CLI reads the clock."""
    if at is None:
        return dt.datetime.now().strftime("%H:%M")
    return parse_time(at)


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
    from ..messages import printable

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
