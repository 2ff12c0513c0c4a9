"""`yiguan shell`: the whole meeting in one process, one command per line.

Each line is what follows `yiguan` on the command line: the same commands and aliases,
options, output, refusals and files. A line runs as `main` runs a command — it builds
the app for the command named and calls it — so it reads the data folder afresh and
takes the meeting's lock as a separate process would: another `yiguan` (the screen, a
second laptop over a shared folder) may write between two lines. What the shell saves is
the ~0.2 s of starting Python, Typer and yiguan again for every speaker.

Without a terminal (`yiguan shell < meeting.txt`) it reads lines without prompts, says
on stderr which line said what, and ends with status 1 if any line was refused (the
others still ran). At a terminal it prompts with prompt_toolkit — imported only then —
with Tab completion, a status line (`Live`) and a history under `.yiguan/`.
"""

import contextlib
import os
import shlex
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

import typer

from ..text.errors import YiguanError
from ..text.messages import t
from ..text.safety import printable
from .common import MeetingOption

EXIT_WORDS = ("exit", "quit", "退出")
HELP_WORD = "help"
HISTORY_FILE = "shell_history"
REFRESH_S = 1.0  # the status line re-reads the files at most this often
MOTION_SHOWN = 16  # characters of a pending motion's text in the status line


def shell(ctx: typer.Context, meeting: MeetingOption = None) -> None:
    """Type the meeting's commands one per line in one process (a shell)."""
    from .common import folder

    dirs: list[Path] = ctx.find_root().obj.dirs
    if meeting is not None:
        folder(ctx).resolve(meeting, write=False)  # refuse a meeting that is not there
    lines = Lines(dirs, meeting)
    if sys.stdin.isatty() and sys.stdout.isatty():
        _interactive(lines)
        return
    if not lines.script(sys.stdin):
        raise typer.Exit(1)


class Lines:
    """Runs typed lines as commands on the shell's data folders, with its default meeting
    for the commands that take `-m` and were not given one."""

    def __init__(self, dirs: list[Path], meeting: str | None) -> None:
        self.dirs = dirs
        self.meeting = meeting
        self._takes_meeting: dict[tuple[str, ...], bool] = {}

    # what a line means ----------------------------------------------------------------
    def words(self, line: str) -> list[str] | None:
        """The words of a line (shlex), [] for nothing to run (blank, a # comment);
        None for a line that leaves the shell."""
        words = shlex.split(line, comments=True)
        if words and words[0] in EXIT_WORDS and len(words) == 1:
            return None
        return words

    def argv(self, words: list[str]) -> list[str]:
        """The command line a line stands for: the shell's --dir first (unless the line
        gives its own), the default meeting after the command (and its sub-command) when
        it takes -m and the line gives none."""
        if words[0] == HELP_WORD:
            words = [*words[1:], "--help"]
        own_dir = any(w == "--dir" or w.startswith("--dir=") for w in _leading_options(words))
        head = [] if own_dir else [part for d in self.dirs for part in ("--dir", str(d))]
        argv = [*head, *words]
        if self.meeting is None:
            return argv
        from . import command_at

        at = command_at(argv)
        if at is None:
            return argv
        path = self._command_path(argv, at)
        end = at + len(path)
        rest = argv[end:]
        before_dashes = rest[:rest.index("--")] if "--" in rest else rest
        if any(w in ("-h", "--help") for w in before_dashes):
            return argv
        if any(w.startswith(("-m", "--meeting")) for w in before_dashes):
            return argv
        if not self._takes(path):
            return argv
        return [*argv[:end], "-m", self.meeting, *argv[end:]]

    def _command_path(self, argv: list[str], at: int) -> tuple[str, ...]:
        """The command's name and, for a group (`agenda add`), its sub-command's."""
        from . import ALIASES, COMMAND_MODULES

        name = argv[at] if argv[at] in COMMAND_MODULES else ALIASES[argv[at]]
        sub = argv[at + 1] if at + 1 < len(argv) else None
        command = _click_command(name)
        subs = getattr(command, "commands", None)
        if subs is not None and sub is not None and sub in subs:
            return (name, sub)
        return (name,)

    def _takes(self, path: tuple[str, ...]) -> bool:
        if path not in self._takes_meeting:
            command = _click_command(path[0])
            for sub in path[1:]:
                command = command.commands[sub]
            self._takes_meeting[path] = any(
                "--meeting" in getattr(p, "opts", ()) for p in command.params)
        return self._takes_meeting[path]

    # running ----------------------------------------------------------------------------
    def run(self, words: list[str]) -> int:
        """Run one line as `yiguan` would run it: its exit status."""
        from . import main

        if self.nested(words):
            _refuse(t("shell.nested"))
            return 1
        saved, saved_input = sys.argv, sys.stdin
        sys.argv = ["yiguan", *self.argv(words)]
        sys.stdin = _NoInput()
        try:
            main()
            code: object = 0
        except SystemExit as done:
            code = done.code
        except Exception:  # a bug shows its traceback, as it would, and the shell goes on
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            sys.argv, sys.stdin = saved, saved_input
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
        if code is None:
            return 0
        return code if isinstance(code, int) else 1

    def script(self, source: Iterable[str]) -> bool:
        """Run every line of a script; whether none was refused. What a line says on
        stderr starts with its number (第 3 行：)."""
        stderr = sys.stderr
        all_done = True
        for number, line in enumerate(source, 1):
            sys.stderr = Numbered(stderr, t("shell.line", number=number))
            try:
                code = self._script_line(line)
            finally:
                sys.stderr = stderr
            if code is None:
                break
            all_done = all_done and code == 0
        return all_done

    def _script_line(self, line: str) -> int | None:
        try:
            words = self.words(line)
        except ValueError as error:
            _refuse(t("shell.bad_line", detail=str(error)))
            return 1
        if words is None:
            return None
        return self.run(words) if words else 0

    def nested(self, words: list[str]) -> bool:
        """Whether a line starts another shell: refused (one is enough)."""
        from . import ALIASES, command_at

        at = command_at(words)
        return at is not None and ALIASES.get(words[at], words[at]) == "shell"


class _NoInput:
    """What stands for stdin while a line runs. A text given as `-` would otherwise read
    the shell's own input — a script's next lines, or the terminal the prompt reads — so
    reading it is refused (one line, exit 1) and the shell goes on."""

    encoding = "utf-8"

    @property
    def buffer(self) -> "_NoInput":
        return self

    def read(self, *_: object) -> str:
        raise YiguanError("shell.no_stdin")

    def isatty(self) -> bool:
        return False


def _refuse(message: str) -> None:
    sys.stderr.write(printable(t("cli.error_prefix", message=message)) + "\n")


def _leading_options(words: list[str]) -> Iterator[str]:
    for word in words:
        if not word.startswith("-"):
            return
        yield word


_CLICK_COMMANDS: dict[str, Any] = {}


def _click_command(name: str) -> Any:
    """The click command Typer makes of `name` (its options, its sub-commands)."""
    if name not in _CLICK_COMMANDS:
        import typer.main

        from . import make_app

        group: Any = typer.main.get_command(make_app([name]))
        _CLICK_COMMANDS[name] = group.commands[name]
    return _CLICK_COMMANDS[name]


class Numbered:
    """sys.stderr while a script's line runs: every line said starts with its label."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.fresh = True

    def write(self, text: str) -> int:
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()  # what the line printed before, first
        pieces = []
        for piece in text.splitlines(keepends=True):
            if self.fresh:
                pieces.append(self.label)
            pieces.append(piece)
            self.fresh = piece.endswith(("\n", "\r"))
        self.stream.write("".join(pieces))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # encoding, flush, fileno, isatty, …
        return getattr(self.stream, name)


# --- at a terminal ---------------------------------------------------------------------------

class Live:
    """What the status line and the completion read from the files: the roster, the
    meeting the lines act on, its floor. Read again at most once a second, and only when
    a file changed (its size, time or inode)."""

    def __init__(self, dirs: list[Path], meeting: str | None) -> None:
        from ..store.folder import DataFolder

        self.data = DataFolder(dirs[0])
        self.given = meeting
        self.checked = 0.0
        self.seen: tuple[Any, ...] | None = None
        self.meeting_id: str | None = None
        self.meeting: Any = None
        self.council: Any = None
        self.floor: Any = None

    def refresh(self) -> None:
        now = time.monotonic()
        if now - self.checked < REFRESH_S and self.seen is not None:
            return
        self.checked = now
        try:
            meeting_id = self._meeting_id()
            paths = [self.data.council_path]
            if meeting_id is not None:
                paths += [self.data.meeting_path(meeting_id), self.data.floor_path(meeting_id)]
            seen = (meeting_id, *(_signature(p) for p in paths))
            if seen == self.seen:
                return
            self.seen = seen
            self.meeting_id = meeting_id
            self.council = (self.data.load_council() if self.data.council_path.exists()
                            else None)
            self.meeting = self.floor = None
            if meeting_id is not None:
                self.meeting = self.data.load_meeting(meeting_id)
                if self.data.keeps_floor(meeting_id):
                    from ..meeting.floor import read_floor

                    self.floor = read_floor(self.data, meeting_id)
        except (YiguanError, OSError, ValueError):
            self.seen = None
            self.meeting_id = self.meeting = self.council = self.floor = None

    def _meeting_id(self) -> str | None:
        self.data.skipped.clear()
        for write in (True, False):
            try:
                return self.data.resolve(self.given, write=write)
            except YiguanError:
                continue
        return None

    # the status line ------------------------------------------------------------------
    def toolbar(self) -> str:
        self.refresh()
        meeting = self.meeting
        if meeting is None:
            return printable(t("shell.no_meeting"))
        quorum = meeting.quorum()
        parts = [self.meeting_id or "",
                 t("shell.attendance", present=quorum.present, members=quorum.members),
                 t("shell.quorum_met" if quorum.met else "shell.quorum_not_met")]
        current = meeting.current_item()
        parts.append(t("shell.item", number=current.id, title=current.title) if current
                     else t("shell.no_item"))
        for motion in meeting.motion:
            if motion.status == "pending":
                text = motion.text if len(motion.text) <= MOTION_SHOWN \
                    else motion.text[:MOTION_SHOWN] + "…"
                parts.append(t("shell.motion", id=motion.id, text=text))
        holder = self.floor.holder if self.floor is not None else None
        if holder is not None:
            parts.append(self._floor_text(holder))
        return printable("  ".join(parts))

    def _floor_text(self, holder: dict[str, Any]) -> str:
        import datetime as dt

        from .common import now
        from .terminal import clock_face

        limit = int(holder.get("minutes") or 0) * 60
        if not limit:
            return t("shell.floor_open", name=holder["name"])
        started = dt.datetime.fromisoformat(holder["started"])
        # the countdown as the projector and `timer` show it (rounded up while time is left)
        face, phase = clock_face(limit - (now() - started).total_seconds())
        if phase == "over":
            return t("shell.floor_over", name=holder["name"], over=face.lstrip("-"))
        return t("shell.floor_left", name=holder["name"], left=face)

    # what Tab offers ---------------------------------------------------------------------
    def people(self) -> list[tuple[str, str]]:
        """(name, initials) of the members on the roster and the meeting's guests."""
        self.refresh()
        found: dict[str, str] = {}
        if self.council is not None:
            for member in self.council.members:
                found[member.name] = member.initials
        if self.meeting is not None:
            for name in self.meeting.members:
                found.setdefault(name, "")
            for attendee in self.meeting.attendee:
                found.setdefault(attendee.name, "")
        return list(found.items())

    def codes(self) -> list[tuple[str, str]]:
        """(code, what it is) for the meeting's motions, votes and items."""
        self.refresh()
        meeting = self.meeting
        if meeting is None:
            return []
        return ([(m.id, m.text) for m in meeting.motion]
                + [(v.id, v.motion) for v in meeting.vote]
                + [(str(i.id), i.title) for i in meeting.item])


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def matches(word: str, name: str, initials: str) -> bool:
    """Whether a typed word starts a name: its first characters or its pinyin initials
    (`wjg`, `wj` → 王建国)."""
    return name.startswith(word) or (bool(initials) and initials.startswith(word.lower()))


class Offers:
    """What Tab offers for the text before the cursor: (completion, what it is)."""

    def __init__(self, live: Live) -> None:
        self.live = live

    def __call__(self, before: str) -> list[tuple[str, str]]:
        from . import ALIASES, COMMAND_TABLE

        words = before.split()
        word = words.pop() if before and not before[-1].isspace() and words else ""
        if not words:
            offers = [(c.name, c.alias) for c in COMMAND_TABLE]
            offers += [(c.alias, c.name) for c in COMMAND_TABLE]
            offers += [(w, "") for w in (HELP_WORD, *EXIT_WORDS)]
            return [(text, meta) for text, meta in offers if text.startswith(word)]
        first = words[1] if words[0] == HELP_WORD and len(words) > 1 else words[0]
        name = ALIASES.get(first, first)
        try:
            command = _click_command(name)
        except (KeyError, ImportError):
            return []
        subs = getattr(command, "commands", None)
        if subs is not None:
            if len(words) == 1:
                return [(s, "") for s in sorted(subs) if s.startswith(word)]
            command = subs.get(words[1], command)
        if word.startswith("-"):
            options = sorted({o for p in command.params for o in getattr(p, "opts", ())
                              if o.startswith("--") or len(o) == 2})
            return [(o, "") for o in options if o.startswith(word)]
        people = [(n, i) for n, i in self.live.people() if matches(word, n, i)]
        codes = [(c, w) for c, w in self.live.codes() if c.lower().startswith(word.lower())]
        return people + codes


def _history(live: Live) -> Any:
    """The history of lines typed in this data folder, in .yiguan/shell_history (never
    committed: .yiguan is git-ignored); kept in memory only where that is no real file."""
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    from ..store.files import PRIVATE_DIR, private_dir_problem

    root = live.data.root
    path = root / PRIVATE_DIR / HISTORY_FILE
    if not root.is_dir() or private_dir_problem(root, create=True) is not None \
            or os.path.islink(path):
        return InMemoryHistory()
    return FileHistory(str(path))


def _interactive(lines: Lines) -> None:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import Completer, Completion

    live = Live(lines.dirs, lines.meeting)
    offers = Offers(live)

    class Tab(Completer):
        def get_completions(self, document: Any, event: Any) -> Iterator[Any]:
            before = document.text_before_cursor
            word = "" if not before or before[-1].isspace() else before.split()[-1]
            for text, meta in offers(before):
                yield Completion(text, start_position=-len(word), display_meta=meta)

    session: Any = PromptSession(history=_history(live), completer=Tab(),
                                 complete_while_typing=False,
                                 bottom_toolbar=live.toolbar, refresh_interval=REFRESH_S)
    print(t("shell.welcome"))
    while True:
        try:
            line = session.prompt(t("shell.prompt"))
        except KeyboardInterrupt:
            continue  # Ctrl-C: the line is cleared
        except EOFError:
            return  # Ctrl-D
        try:
            words = lines.words(line)
        except ValueError as error:
            _refuse(t("shell.bad_line", detail=str(error)))
            continue
        if words is None:
            return
        if words:
            try:
                lines.run(words)
            except KeyboardInterrupt:
                print()
            if words[0] == HELP_WORD and len(words) == 1:
                print(t("shell.help"))
        live.seen = None  # the line may have changed what the status line shows


COMMANDS = {"shell": shell}
GROUPS: dict[str, object] = {}
