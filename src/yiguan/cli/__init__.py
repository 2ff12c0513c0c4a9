"""The `yiguan` command line: Typer apps over the library, and nothing more.

Commands live in one module per group (`council`, `meetings`, `live`, …). Each module
lists its commands in `COMMANDS` and its sub-apps in `GROUPS`; `COMMAND_TABLE` declares
each command once (its name, Chinese alias, help panel and module) and `make_app`
registers them from it. For a normal run `main` registers only the command named on the
command line (by its name or its alias): building all forty commands costs Typer ~18 ms,
a fifth of a hello-world, and the secretary runs these between two speakers. Help and
unknown commands get everything. The cli modules do without `from __future__ import
annotations` for the same reason: Typer reads every parameter's annotation, and
evaluating them as strings at run time costs about 1 ms more per command than evaluating
them once at import.

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


class Command:
    """A command, declared once: the name typed, the Chinese alias typed instead of it to
    the same effect (`yiguan 签到 刘艳` is `yiguan sign 刘艳`), the help panel it is listed
    in (catalogue key `panel.<panel>`) and the cli module that defines it.

    A class with slots, not a NamedTuple: building a NamedTuple class costs ~0.15 ms at
    every start, this ~0.02 ms."""

    __slots__ = ("name", "alias", "panel", "module")

    def __init__(self, name: str, alias: str, panel: str, module: str) -> None:
        self.name, self.alias, self.panel, self.module = name, alias, panel, module

    def __repr__(self) -> str:
        return f"Command({self.name!r}, {self.alias!r}, {self.panel!r}, {self.module!r})"


# every command, in the order `--help` lists them: the panels follow a meeting's course.
# Registration (`make_app`), the help panels, `COMMAND_MODULES` and `ALIASES` are read
# from here; tests/test_command_table.py checks it against the cli modules.
COMMAND_TABLE: tuple[Command, ...] = (
    Command("init", "建立", "prepare", "council"),
    Command("member", "成员", "prepare", "council"),
    Command("council", "议事会", "prepare", "council"),
    Command("topic", "征集", "prepare", "topics"),
    Command("new", "新会议", "prepare", "meetings"),
    Command("agenda", "议题", "prepare", "live"),
    Command("announce", "会议通知", "prepare", "documents"),
    Command("sign-sheet", "签到表", "prepare", "documents"),
    Command("excuse", "请假", "prepare", "live"),
    Command("sign", "签到", "during", "live"),
    Command("leave", "离场", "during", "live"),
    Command("open", "开会", "during", "live"),
    Command("confirm", "确认", "during", "cycle"),
    Command("queue", "排队", "during", "floor"),
    Command("floor", "发言权", "during", "floor"),
    Command("speak", "发言", "during", "live"),
    Command("propose", "动议", "during", "live"),
    Command("second", "附议", "during", "live"),
    Command("amend", "修正", "during", "live"),
    Command("vote", "表决", "during", "live"),
    Command("withdraw", "撤回", "during", "live"),
    Command("postpone", "搁置", "during", "live"),
    Command("reconsider", "重议", "during", "live"),
    Command("action", "分工", "during", "live"),
    Command("done", "完成", "during", "live"),
    Command("close", "散会", "during", "live"),
    Command("status", "状态", "during", "meetings"),
    Command("screen", "大屏", "during", "screen"),
    Command("timer", "计时", "during", "floor"),
    Command("shell", "命令行", "during", "shell"),
    Command("minutes", "记录", "after", "documents"),
    Command("notice", "公示", "after", "documents"),
    Command("attach", "附件", "after", "attach"),
    Command("evaluate", "评议", "after", "cycle"),
    Command("list", "会议列表", "ledgers", "meetings"),
    Command("show", "查看", "ledgers", "meetings"),
    Command("ledger", "台账", "ledgers", "across"),
    Command("actions", "分工台账", "ledgers", "across"),
    Command("attendance", "出勤", "ledgers", "across"),
    Command("report", "年度报告", "ledgers", "documents"),
    Command("site", "公开网站", "ledgers", "publish"),
    Command("fix", "更正", "corrections", "corrections"),
    Command("strike", "删除", "corrections", "corrections"),
    Command("undo", "撤销", "corrections", "meetings"),
    Command("check", "检查", "corrections", "meetings"),
    Command("git-setup", "协作设置", "git", "gittools"),
    Command("textconv", "转文本", "git", "gittools"),
    Command("diff", "比较", "git", "gittools"),
    Command("merge-driver", "合并", "git", "gittools"),
    Command("fmt", "整理", "git", "gittools"),
)
# command → its cli module (what `main` imports for the command typed)
COMMAND_MODULES: dict[str, str] = {command.name: command.module for command in COMMAND_TABLE}
# alias → command, for the command line and for a shell that takes commands by alias
ALIASES: dict[str, str] = {command.alias: command.name for command in COMMAND_TABLE}

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
    from . import chrome

    app = typer.Typer(
        name="yiguan",
        help=t("help.app"),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_show_locals=False,  # locals may hold phone numbers
        context_settings={"help_option_names": ["-h", "--help"]},
        cls=chrome.Root.taking(ALIASES),
    )
    app.callback()(_root)
    wanted = _command_in(argv) if argv is not None else None
    for command in COMMAND_TABLE:
        if wanted is not None and command.name != wanted:
            continue
        module = importlib.import_module(f"yiguan.cli.{command.module}")
        name, panel = command.name, t(f"panel.{command.panel}")
        if name in module.GROUPS:
            app.add_typer(chrome.adopt(module.GROUPS[name]()), name=name,
                          help=t(f"help.{name}"), cls=chrome.Group, rich_help_panel=panel)
        else:
            app.command(name, help=t(f"help.{name}"), cls=chrome.Command,
                        rich_help_panel=panel)(guarded(module.COMMANDS[name]))
    return app


def command_at(argv: list[str]) -> int | None:
    """Where argv names a known command, by its name or its alias: the index of that word;
    None when it names none, or asks for help or the version before it."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in ("--help", "-h", "--version"):
            return None
        if arg == "--dir":
            index += 2
            continue
        if arg.startswith("-"):
            index += 1
            continue
        return index if arg in COMMAND_MODULES or arg in ALIASES else None
    return None


def _command_in(argv: list[str]) -> str | None:
    """The command named in argv (by its name or its alias), if it is a known one and
    help was not asked for."""
    at = command_at(argv)
    if at is None:
        return None
    return argv[at] if argv[at] in COMMAND_MODULES else ALIASES[argv[at]]


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


def console() -> None:
    """The `yiguan` program (console script and `python -m yiguan`): `main`, then leave.

    Tearing the interpreter down at exit — every module's objects, Typer's and the
    catalogue's among them — takes 10–13 ms here, as long as the whole command it
    follows. When there is nothing for that teardown to finish (no `atexit` callback, no
    thread but this one, no pool), yiguan flushes its output and ends the process at once
    with the same exit status. Every file it wrote is closed, fsynced and renamed by then
    (store.files); whatever else registered cleanup (a PDF's temporary folder, the index's
    worker pool) gets the ordinary exit. `main` itself only raises SystemExit, so a
    program may call it more than once.
    """
    try:
        main()
        code: object = 0
    except SystemExit as done:
        code = done.code
    if (code is None or isinstance(code, int)) and _nothing_left_to_finish():
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            sys.exit(code)  # the reader went away: report it as the ordinary exit does
        os._exit(code or 0)
    sys.exit(code)  # type: ignore[arg-type]


def _nothing_left_to_finish() -> bool:
    import atexit

    callbacks = getattr(atexit, "_ncallbacks", None)  # CPython's count of registered ones
    if callbacks is None or callbacks() != 0:
        return False
    if "concurrent.futures" in sys.modules or "multiprocessing" in sys.modules:
        return False  # their workers are joined by hooks atexit does not count
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1
