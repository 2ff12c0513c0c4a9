"""Shared fixtures: a council folder made by the real command line, and a `run` helper.

The council, the planned meeting and the open meeting that most tests start from are
built once per session through the CLI (`init`, `member add`, `new`, `agenda add`, `sign`,
`open`) and then copied into each test's own temporary folder — only the files a user
would commit, so each test starts with an empty undo history.

`run(*args)` invokes the full Typer app (`make_app()`) with `--dir <the test's folder>`.
`run.ok(...)` also asserts exit 0; `run.refused(..., because="key")` asserts exit 1, a single
`yiguan: 错误：…` line on stderr that is message `key` of the catalogue, and that every file
in the folder is byte-identical.

A refusal test says why it was refused, so that another cause cannot pass for it:
`because=` (or `assert_refused(result, key)` on a result got otherwise: a subprocess, a
command that changes files on the way out) names the message; the message's parameters,
where given, must be shown exactly (`because="live.second_self", name="刘晓菊"`), those
left out match any text. A library call: `with refuses("key"): …` (`YiguanError.key`).
tests/test_refusals_say_why.py scans the tests for refusals that name no reason.

Hypothesis: the "ci" profile (the default) is derandomized, has no example database and
a bounded number of examples, so the suite is repeatable and fast. Set
HYPOTHESIS_PROFILE=dev for a longer, randomized search.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import string
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from yiguan.cli import make_app
from yiguan.record import fileformat
from yiguan.record.model import Council, Meeting
from yiguan.text.errors import YiguanError
from yiguan.text.messages import current_language, locale
from yiguan.text.safety import printable

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=40,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", deadline=None, max_examples=400)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

COUNCIL_NAME = "幸福里测试议事会"
# Seven voting members: the default quorum (>1/2) needs 4 of them.
MEMBERS = ("刘晓菊", "刘艳", "王建国", "张桂兰", "李秀英", "陈淑珍", "赵志强")
INITIALS = {"刘晓菊": "lxj", "刘艳": "ly", "王建国": "wjg", "张桂兰": "zgl", "李秀英": "lxy",
            "陈淑珍": "csz", "赵志强": "zzq"}
MEETING = "2024-05-10"
ITEMS = ("楼道堆物清理", "小游园卫生管理")
# In the open meeting, these five signed in at 19:20 and the chair opened at 19:30.
SIGNED_IN = ("刘晓菊", "刘艳", "王建国", "张桂兰", "李秀英")

ERROR_PREFIX = "yiguan: 错误："

# --- one app per language, built once --------------------------------------------------
# Building the Typer app with every command and turning it into a click command costs
# ~9 ms, and the suite invokes the command line some ten thousand times. The app holds no
# state between runs (the root callback makes a new State each time), and its help texts
# are read from the catalogue of the language current when it is built, so one app per
# language behaves exactly as a fresh one.
_APPS: dict[str, Any] = {}
_COMMANDS: dict[int, Any] = {}
_get_command = typer.testing._get_command


def app() -> Any:
    """The full Typer app for the current language, built once per session."""
    language = current_language()
    if language not in _APPS:
        built = make_app()
        _APPS[language] = built
        _COMMANDS[id(built)] = _get_command(built)
    return _APPS[language]


def _cached_command(typer_app: Any) -> Any:
    found = _COMMANDS.get(id(typer_app))
    if found is not None and any(a is typer_app for a in _APPS.values()):
        return found
    return _get_command(typer_app)


typer.testing._get_command = _cached_command  # type: ignore[attr-defined]
_ENV_RESET = {"YIGUAN_LANG": None, "YIGUAN_DIR": None, "COLUMNS": None, "LINES": None}


# --- folder snapshots -------------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` and its bytes, except lock files and caches.

    That is the tracked files plus the undo journal (`.yiguan/undo/`), so a refused
    command that left an undo entry shows up too. Lock files (empty, gitignored) and
    caches elsewhere under `.yiguan/` (rebuilt at will) are left out.
    """
    files: dict[str, bytes] = {}
    if not folder.exists():
        return files
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if not path.is_file() or name.endswith(".lock"):
            continue
        if name.startswith(".yiguan/") and not name.startswith(".yiguan/undo/"):
            continue
        files[name] = path.read_bytes()
    return files


def tracked(folder: Path) -> dict[str, bytes]:
    """The files a user commits: no locks, no temp files, nothing under .yiguan/, and not
    private.toml (members' phones and notes, which git ignores)."""
    return {name: data for name, data in snapshot(folder).items()
            if not name.startswith(".yiguan/") and not name.endswith(".tmp")
            and name != "private.toml"}


def copy_tracked(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, data in tracked(source).items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)


# --- the command line -------------------------------------------------------------------

class Cli:
    """`run(*args)`: the yiguan command line on one data folder, through Typer's CliRunner."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(self, *args: str, input: str | bytes | None = None,
                 env: dict[str, str | None] | None = None) -> Any:
        runner = CliRunner()
        return runner.invoke(app(), ["--dir", str(self.folder), *args], input=input,
                             env=env)

    def ok(self, *args: str, **kwargs: Any) -> Any:
        result = self(*args, **kwargs)
        assert result.exit_code == 0, (args, result.output, result.exception)
        return result

    def refused(self, *args: str, because: str | None = None, in_file: bool = False,
                input: str | bytes | None = None, env: dict[str, str | None] | None = None,
                **params: Any) -> Any:
        """Exit 1, one clear error line, and not a byte changed anywhere in the folder.

        `because`: the message key the line must say (see `assert_refused`; `params` are
        its parameters, `in_file` for a broken file's problem)."""
        before = snapshot(self.folder)
        result = self(*args, input=input, env=env)
        after = snapshot(self.folder)
        assert result.exit_code == 1, (args, result.exit_code, result.output, result.exception)
        assert "Traceback" not in result.output, result.output
        lines = result.stderr.splitlines()
        assert len(lines) == 1, (args, result.stderr)
        lang = _language_of(env)
        prefix = locale(lang).say("cli.error_prefix", message="")
        assert lines[0].startswith(prefix), (args, result.stderr)
        if because is not None:
            assert_refused(result, because, lang=lang, in_file=in_file, **params)
        else:
            assert not params and not in_file, "message parameters without `because`"
        assert set(after) == set(before), (args, sorted(set(after) ^ set(before)))
        changed = [name for name in before if before[name] != after[name]]
        assert not changed, (args, changed)
        return result

    # reading the files the commands wrote ----------------------------------------------
    def meeting_path(self, meeting_id: str = MEETING) -> Path:
        return self.folder / f"{meeting_id}.toml"

    def meeting_bytes(self, meeting_id: str = MEETING) -> bytes:
        return self.meeting_path(meeting_id).read_bytes()

    def meeting(self, meeting_id: str = MEETING) -> Meeting:
        path = self.meeting_path(meeting_id)
        return fileformat.load_meeting(path.read_bytes(), str(path))

    def council(self) -> Council:
        path = self.folder / "council.toml"
        return fileformat.load_council(path.read_bytes(), str(path))

    def snapshot(self) -> dict[str, bytes]:
        return snapshot(self.folder)


def _language_of(env: dict[str, str | None] | None) -> str:
    """The language a command run with `env` speaks (the test's own environment else)."""
    if env and "YIGUAN_LANG" in env:
        value = env["YIGUAN_LANG"]
        with _environment(YIGUAN_LANG=value or ""):
            return current_language()
    return current_language()


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def message_pattern(key: str, /, lang: str | None = None, **params: Any) -> str:
    """A regular expression for message `key` as the command line prints it.

    Each parameter given is shown as the Locale shows it (and as `printable` escapes it);
    a `something_key` parameter puts that message's own pattern in its place; a parameter
    left out matches any text. With every parameter given, the pattern is the one text."""
    speaker = locale(lang)
    template = speaker.messages[key]
    parts = []
    for literal, field, spec, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is None:
            continue
        if field in params:
            shown = format(speaker.shown(params[field]), spec or "")
            parts.append(re.escape(printable(shown)))
        elif f"{field}_key" in params:
            parts.append(message_pattern(params[f"{field}_key"], lang=speaker.code, **{
                name: value for name, value in params.items() if not name.endswith("_key")}))
        else:
            parts.append(".*?")
    return "".join(parts)


def assert_refused(result: Any, key: str, /, lang: str | None = None, in_file: bool = False,
                   **params: Any) -> None:
    """`result` (a CliRunner result or a finished subprocess) is a refusal for `key`: exit 1,
    no traceback, and stderr is exactly one line, the error prefix and message `key`
    (parameters as `message_pattern` takes them). `in_file`: the message is a problem in a
    file, after the place it names (`path:line: …`, `path: key.path: …`)."""
    code = result.exit_code if hasattr(result, "exit_code") else result.returncode
    stderr = result.stderr if isinstance(result.stderr, str) else result.stderr.decode()
    stdout = result.stdout if isinstance(result.stdout, str) else (result.stdout or b"").decode()
    assert code == 1, (code, stdout, stderr)
    assert "Traceback" not in stdout + stderr, stdout + stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    speaker = locale(lang)
    message = message_pattern(key, lang=speaker.code, **params)
    if in_file:
        message = f".+: {message}"
    before, _, after = speaker.messages["cli.error_prefix"].partition("{message}")
    expected = re.escape(before) + message + re.escape(after)
    filled = speaker.say(key, **params) if _complete(speaker, key, params) else expected
    assert re.fullmatch(expected, lines[0]), (
        f"refused, but not for {key!r} {params or ''}:\n  said:     {lines[0]}\n"
        f"  expected: {filled}")


def _complete(speaker: Any, key: str, params: dict[str, Any]) -> bool:
    """Every parameter of message `key` is given (so it can be shown filled in)."""
    try:
        speaker.say(key, **params)
    except (KeyError, IndexError):
        return False
    return True


@contextlib.contextmanager
def refuses(key: str, /, **params: Any) -> Iterator[pytest.ExceptionInfo[YiguanError]]:
    """`with refuses("live.second_self", name="刘晓菊"): …` — the block raises a
    YiguanError for message `key`, with these parameters among its own."""
    with pytest.raises(YiguanError) as excinfo:
        yield excinfo
    error = excinfo.value
    assert error.key == key, (error.key, error.params, str(error))
    for name, value in params.items():
        assert name in error.params and error.params[name] == value, (name, error.params)


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """git in `repo`, with an author set, never failing the test by itself."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          env=env, check=False)


def invoke(folder: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    """The full CLI on `folder`, in Chinese unless `env` says otherwise."""
    return CliRunner().invoke(app(), ["--dir", str(folder), *args],
                              env={"YIGUAN_LANG": "", **(env or {})})


# --- session templates -------------------------------------------------------------------

def _build(folder: Path, commands: list[list[str]]) -> None:
    runner = CliRunner()
    for argv in commands:
        result = runner.invoke(app(), ["--dir", str(folder), *argv], env=_ENV_RESET)
        assert result.exit_code == 0, (argv, result.output)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Folders in three states, each made by the CLI: council, planned, open."""
    base = tmp_path_factory.mktemp("templates")
    council = base / "council"
    _build(council, [["init", "--name", COUNCIL_NAME],
                     *[["member", "add", name] for name in MEMBERS]])
    planned = base / "planned"
    copy_tracked(council, planned)
    _build(planned, [
        ["new", "五月居民议事会", "--date", MEETING, "--time", "19:30", "--place", "社区活动室",
         "--host", "王丽娟", "--recorder", "张敏"],
        *[["agenda", "add", title, "--by", "王丽娟"] for title in ITEMS],
    ])
    opened = base / "open"
    copy_tracked(planned, opened)
    _build(opened, [["sign", *[INITIALS[n] for n in SIGNED_IN], "--at", "19:20"],
                    ["open", "--at", "19:30"]])
    return {"council": council, "planned": planned, "open": opened}


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Chinese messages, no inherited data folder, default terminal width; and a working
    directory that is not the repository, so a test that forgot --dir cannot touch it."""
    for name in _ENV_RESET:
        monkeypatch.delenv(name, raising=False)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    yield


@pytest.fixture
def folder(tmp_path: Path, templates: dict[str, Path]) -> Path:
    """A data folder with council.toml (default rules) and seven members."""
    target = tmp_path / "meetings"
    copy_tracked(templates["council"], target)
    return target


BUNDLED = Path(__file__).resolve().parent.parent / "meetings"


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """A copy of the bundled example (幸福里社区's council and its 2022-03-08 meeting), in a
    folder of its own beside the test's `folder`."""
    target = tmp_path / "bundled"
    target.mkdir()
    for name in ("council.toml", "2022-03-08.toml"):
        shutil.copyfile(BUNDLED / name, target / name)
    return target


@pytest.fixture
def run(folder: Path) -> Cli:
    return Cli(folder)


@pytest.fixture
def cli_for() -> type[Cli]:
    """`cli_for(path)`: the same helper on another folder."""
    return Cli


@pytest.fixture
def planned(folder: Path, templates: dict[str, Path]) -> str:
    """A planned meeting (2024-05-10) with two agenda items; nobody signed in yet."""
    copy_tracked(templates["planned"], folder)
    return MEETING


class FakeClock:
    """The wall clock the command line reads (`yiguan.cli.common.now`), set by the test."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def set(self, when: str) -> None:
        """`clock.set("2024-05-12 09:00")`."""
        self.now = dt.datetime.fromisoformat(when)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """A fixed clock: the evening of the test meeting (2024-05-10 19:42) until set."""
    fake = FakeClock(dt.datetime(2024, 5, 10, 19, 42))
    monkeypatch.setattr("yiguan.cli.common.now", lambda: fake.now)
    return fake


@pytest.fixture
def opened(folder: Path, templates: dict[str, Path]) -> str:
    """The meeting, opened at 19:30 with five of the seven members present since 19:20."""
    copy_tracked(templates["open"], folder)
    return MEETING


# --- system tools: a browser, pdftotext, CJK fonts ---------------------------------------
# Tests of printed documents and of the projector page need programs from the system's
# package manager. On a developer's laptop without them they skip with the reason; in CI
# (`CI=true`, which `.ci/run` sets and which installs them) a missing tool is a failure.

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                  "microsoft-edge")


def missing_tool(reason: str) -> None:
    """Skip the test for `reason`, or fail it when running in CI."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def system_browser() -> str:
    """The path of a Chromium-family browser ($YIGUAN_BROWSER first), or skip/fail."""
    named = os.environ.get("YIGUAN_BROWSER")
    if named and Path(named).is_file():
        return named
    for name in _BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    missing_tool("no Chromium-family browser installed (apt-get install chromium)")
    raise AssertionError("unreachable")


def system_tool(name: str, package: str) -> str:
    """The path of the program `name` from the system package `package`, or skip/fail."""
    found = shutil.which(name)
    if found is None:
        missing_tool(f"{name} not installed (apt-get install {package})")
        raise AssertionError("unreachable")
    return found


def require_cjk_font() -> None:
    """Skip/fail unless fontconfig knows a font with Chinese glyphs (else every glyph is
    a box in a screenshot or a PDF)."""
    fc_list = system_tool("fc-list", "fontconfig")
    listed = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True,
                            check=False).stdout
    if not listed.strip():
        missing_tool("no Chinese font installed (apt-get install fonts-noto-cjk)")


def browser_flags() -> list[str]:
    """Flags for a headless Chromium on a closed network, as root in a container."""
    flags = ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", "--disable-quic"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
    return flags


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright launches the system Chromium: Playwright's own browser download
    needs the internet, which CI machines here do not have."""
    return {**browser_type_launch_args, "executable_path": system_browser(),
            "args": [*browser_type_launch_args.get("args", []), *browser_flags()]}


# --- shared by several test files ---------------------------------------------------------------

def check_golden(path: Path, data: bytes | str) -> None:
    """Compare with the golden file byte for byte, or (YIGUAN_UPDATE_GOLDEN=1) rewrite it:
    a golden changes only on purpose (tests/golden/README.md)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if os.environ.get("YIGUAN_UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
    assert path.exists(), f"{path.name} is missing: run with YIGUAN_UPDATE_GOLDEN=1"
    assert path.read_bytes() == data, (
        f"{path.name} differs from the rendering; if the change is deliberate, rerun with "
        "YIGUAN_UPDATE_GOLDEN=1 and review git diff tests/golden/")


@pytest.fixture
def seed(tmp_path: Path) -> Cli:
    """`run` on the bundled council (幸福里) with its 2022-03-08 meeting, plus a closed
    April meeting of the same council with one resolution and one action."""
    folder = tmp_path / "xingfuli"
    folder.mkdir()
    for name in ("council.toml", "2022-03-08.toml"):
        shutil.copy(BUNDLED / name, folder / name)
    run = Cli(folder)
    run.ok("new", "四月居民议事会", "--date", "2022-04-12", "--host", "王丽娟")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "lxy", "csz", "zzq", "mym", "zhx", "ysl",
           "--at", "19:00")
    run.ok("open", "--at", "19:05")
    run.ok("propose", "楼道堆物限期清理", "--by", "ly", "--second", "lxj", "--at", "19:20")
    run.ok("vote", "M1", "--yes", "9", "--no", "1", "--at", "19:25")
    run.ok("action", "张贴清理通知", "--owner", "ly", "--due", "2022-04-20", "--motion", "M1",
           "--at", "19:30")
    run.ok("close", "--at", "19:40")
    return run
