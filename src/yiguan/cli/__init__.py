"""The `yiguan` command line: Typer apps over the library, and nothing more.

Commands live in one module per group (`council`, `meetings`, `live`, …). Each module
lists its commands in `COMMANDS` and its sub-apps in `GROUPS`; `make_app` registers
them. For a normal run `main` registers only the command named on the command line:
building all forty commands costs Typer ~18 ms, a fifth of a hello-world, and the
secretary runs these between two speakers. Help and unknown commands get everything.
The cli modules do without `from __future__ import annotations` for the same reason:
Typer reads every parameter's annotation, and evaluating them as strings at run time
costs about 1 ms more per command than evaluating them once at import.

The top part: it may import every other part; nothing imports it. `views` (the rows of
`list`, `show`, `status`) and `output` (the one module that draws with rich) live here.
"""

import contextlib
import functools
import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from .. import __version__
from ..text.errors import YiguanError
from ..text.messages import t
from ..text.safety import printable

# command → module, in the order `--help` lists them
COMMAND_MODULES: dict[str, str] = {
    "init": "council", "member": "council",
    "new": "meetings", "list": "meetings", "show": "meetings",
    "agenda": "live", "sign": "live", "leave": "live", "open": "live", "speak": "live",
    "propose": "live", "second": "live", "amend": "live", "vote": "live",
    "withdraw": "live", "postpone": "live", "reconsider": "live", "action": "live",
    "done": "live", "close": "live", "status": "live",
    "strike": "corrections", "fix": "corrections",
    "minutes": "documents", "notice": "documents",
    "ledger": "across", "actions": "across", "attendance": "across",
    "check": "meetings", "undo": "meetings", "fmt": "gittools",
    "git-setup": "gittools", "textconv": "gittools", "diff": "gittools",
    "merge-driver": "gittools",
    "queue": "floor", "floor": "floor", "timer": "floor", "screen": "screen",
    "excuse": "live", "council": "council", "announce": "documents", "sign-sheet": "documents",
}

# command → help panel (catalogue key `panel.<name>`), in the order `--help` shows them:
# the meeting's course. tests/test_chinese_cli.py checks that every command has one.
PANELS: dict[str, str] = {
    "init": "prepare", "member": "prepare", "council": "prepare", "new": "prepare",
    "agenda": "prepare", "announce": "prepare", "sign-sheet": "prepare", "excuse": "prepare",
    "sign": "during", "leave": "during", "open": "during", "queue": "during",
    "floor": "during", "speak": "during", "propose": "during", "second": "during",
    "amend": "during", "vote": "during", "withdraw": "during", "postpone": "during",
    "reconsider": "during", "action": "during", "done": "during", "close": "during",
    "status": "during", "screen": "during", "timer": "during",
    "minutes": "after", "notice": "after",
    "list": "ledgers", "show": "ledgers", "ledger": "ledgers", "actions": "ledgers",
    "attendance": "ledgers",
    "fix": "corrections", "strike": "corrections", "undo": "corrections", "check": "corrections",
    "git-setup": "git", "textconv": "git", "diff": "git", "merge-driver": "git", "fmt": "git",
}

F = TypeVar("F", bound=Callable[..., Any])


class State:
    """What the root callback parsed: the data folder(s); and the DataFolders a command
    opened on them (cli.common.folders), whose skipped files are mentioned at the end."""

    def __init__(self, dirs: list[Path]) -> None:
        self.dirs = dirs
        self.folders: list[Any] | None = None
        # (folder, meeting id, store.Change) while `run_at` holds a meeting's lock: a
        # step that also changes live state beside the meeting (the floor) uses it
        self.editing: Any = None


def _version(value: bool) -> None:
    if value:
        print(f"yiguan {__version__}")
        raise typer.Exit()


def _root(
    ctx: typer.Context,
    dirs: Annotated[
        list[Path] | None,
        typer.Option("--dir", envvar="YIGUAN_DIR", help=t("help.opt.dir"), show_default=False),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=t("help.opt.version")),
    ] = False,
) -> None:
    ctx.obj = State(list(dirs) if dirs else [Path("meetings")])


def make_app(argv: list[str] | None = None) -> typer.Typer:
    """The Typer app with every command, or (given argv) only the command it names."""
    from .chrome import Command, Group, adopt

    app = typer.Typer(
        name="yiguan",
        help=t("help.app"),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_show_locals=False,  # locals may hold phone numbers
        context_settings={"help_option_names": ["-h", "--help"]},
        cls=Group,
    )
    app.callback()(_root)
    wanted = _command_in(argv) if argv is not None else None
    order = list(PANELS)
    names = [wanted] if wanted else sorted(
        COMMAND_MODULES, key=lambda n: order.index(n) if n in order else len(order))
    for name in names:
        module = importlib.import_module(f"yiguan.cli.{COMMAND_MODULES[name]}")
        panel = t(f"panel.{PANELS[name]}") if name in PANELS else None
        if name in module.GROUPS:
            app.add_typer(adopt(module.GROUPS[name]()), name=name, help=t(f"help.{name}"),
                          cls=Group, rich_help_panel=panel)
        else:
            func = module.COMMANDS[name]
            app.command(name, help=t(f"help.{name}"), cls=Command,
                        rich_help_panel=panel)(guarded(func))
    return app


def _command_in(argv: list[str]) -> str | None:
    """The command named in argv, if it is a known one and help was not asked for."""
    args = iter(argv)
    for arg in args:
        if arg in ("--help", "-h", "--version"):
            return None
        if arg == "--dir":
            next(args, None)
            continue
        if arg.startswith("-"):
            continue
        return arg if arg in COMMAND_MODULES else None
    return None


def guarded(func: F) -> F:
    """Turn the library's errors into one line on stderr and exit 1 — never a traceback."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        saved_before = _saved_changes()
        try:
            result = func(*args, **kwargs)
            _mention_skipped(kwargs.get("ctx"))
            _say_understood(True)
            return result
        except YiguanError as error:
            _mention_skipped(kwargs.get("ctx"))
            _say_understood(False)
            fail(error.message())
        except BrokenPipeError:
            # the reader went away (`yiguan ledger | head`, a script's pipe): a change that
            # is saved stays saved, and says so by exit 0, so that a retry does not record
            # it twice; a reading command stops quietly with 1, as Unix tools do
            if _saved_changes() > saved_before:
                _discard_stdout()
                return None
            raise
        except OutputClosed:
            if _saved_changes() > saved_before:
                return None
            fail(t("cli.stdout_closed"))
        except UnicodeError as error:
            # text that cannot be UTF-8 (a non-UTF-8 terminal's bytes in a path, say)
            fail(t("input.not_unicode", detail=str(error)))
        except OSError as error:
            what = error.strerror or type(error).__name__
            fail(t("os.error", what=what, path=error.filename) if error.filename
                 else t("os.error_nopath", what=what))

    return wrapper  # type: ignore[return-value]


def _mention_skipped(ctx: Any) -> None:
    """One warning per file the command's data folders left out (a name that is no
    meeting id, a FIFO, a file over the size limit), once."""
    state = ctx.find_root().obj if ctx is not None else None
    for folder in (getattr(state, "folders", None) or []):
        for _, error in sorted(folder.skipped.items()):
            sys.stderr.write(printable(t("cli.warning_prefix", message=error.message())) + "\n")
        folder.skipped.clear()


def _say_understood(done: bool) -> None:
    """How typed dates and times were read (cli.common), once the outcome is known."""
    common = sys.modules.get("yiguan.cli.common")
    if common is not None:
        common.say_understood(done)


def _saved_changes() -> int:
    """How many changes the store has saved in this process (none if it never loaded)."""
    store = sys.modules.get("yiguan.store.files")
    return store.saved_changes() if store is not None else 0


def _discard_stdout() -> None:
    """Send what is still buffered for a closed pipe nowhere, so that the flush at exit
    does not print a second error."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # not a real file (tests)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class OutputClosed(OSError):
    """Writing to a standard output that was closed before yiguan started (`>&-`)."""


class _ClosedOutput:
    """What stands for sys.stdout when there is none: any write is OutputClosed."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OutputClosed(9, "standard output is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def fail(message: str) -> None:
    sys.stderr.write(printable(t("cli.error_prefix", message=message)) + "\n")
    raise typer.Exit(1)


def _make_streams_safe() -> None:
    """A Windows pipe is cp936: names such as 𠮷 must not raise UnicodeEncodeError.

    GB18030 encodes every Unicode character and reads as GBK for the common ones;
    any other non-UTF encoding escapes what it cannot show.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if not hasattr(stream, "reconfigure") or encoding.startswith("utf"):
            continue
        if encoding in ("cp936", "gbk", "gb2312", "ms936"):
            stream.reconfigure(encoding="gb18030")
        else:
            stream.reconfigure(errors="backslashreplace")


def main() -> None:
    if sys.stdout is None:  # started with stdout closed: Python leaves None there
        sys.stdout = _ClosedOutput()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    _make_streams_safe()
    try:
        make_app(sys.argv[1:])(prog_name="yiguan")
    except BrokenPipeError:
        # `yiguan ledger | head` closed the pipe: stop quietly, as Unix tools do
        _discard_stdout()
        sys.exit(1)
