"""The README on a fresh machine: every `sh` command block runs as written.

A reader clones the repository, runs the install the README names and types the blocks
in order. So does this test: it clones this repository into a temporary folder, puts the
installed yiguan where that install puts it (`.venv/bin/yiguan` — the console script next
to the interpreter running the tests — and on PATH, as an activated venv does), then runs
every command of every ```sh block in README order, each with `sh -c` in the clone, the
variables a command exports kept for the next, and asserts that each exits 0. What the
README shows a command printing (the comment lines `#   …` right under it) is checked
against what it printed. The reader's git knows who they are (a user in `~/.gitconfig`), so
the git section's commits run as written, on the walkthrough's folder.

Nothing is skipped silently. `SKIPPED` lists the forms not run, each with its reason:
the install itself (the test uses the installed yiguan instead of re-running pip; the
`pipx` and `uv` installs, from the network, are in the text, not in a block), what runs
until Ctrl-C (a server, a full-screen view, a countdown), the test suite and the
benchmark. `PRESUMED` lists the state a command presumes that no README command creates —
other councils' folders for a street office, a meeting in progress for the projector —
made by the commands given there, just before it. A test also checks that both lists are
used, and that no block of shell commands in the README escapes being run by lacking its
`sh` mark.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import missing_tool, system_browser

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

# Command forms (leading words) that are not run, and why.
SKIPPED: dict[tuple[str, ...], str] = {
    ("python3", "-m", "venv"): "the install: the test uses the installed yiguan instead",
    (".venv/bin/pip", "install"): "the install: the test uses the installed yiguan instead",
    (".venv/bin/python", "-m", "pytest"): "the test suite, which is running this test",
    ("benchmarks/run",): "the benchmark: minutes of timing on a quiet machine",
    ("yiguan", "screen"): "serves the projector page (or fills the terminal) until Ctrl-C",
    ("yiguan", "timer"): "counts down in the terminal until Ctrl-C",
}

# State a command presumes that no README command creates: made just before it, once.
PRESUMED: dict[str, tuple[str, ...]] = {
    # a street office that cloned two councils' repositories
    "yiguan --dir 幸福里/meetings --dir 天庆新城/meetings ledger --format json": (
        "mkdir -p 幸福里 && cp -R meetings 幸福里/meetings",
        "yiguan --dir 天庆新城/meetings init --name 天庆新城社区居民议事会",
    ),
    # the projector section shows a meeting in progress
    "yiguan queue 王建国 张桂兰 刘艳": (
        "yiguan new 四月居民议事会 --date 2022-04-12 --time 19:30",
        "yiguan sign lxj 刘艳 wjg zgl lxy csz zzq --at 19:20",
        "yiguan open --at 19:30",
    ),
}


class Block:
    """One ```sh block: the README section it is in and its commands (continuation lines
    joined, comment-only and blank lines left out; a trailing comment stays, for sh);
    `shown[i]`: the lines the README shows command i printing (`#   ` and the line)."""

    def __init__(self, section: str, commands: list[str], shown: list[list[str]]) -> None:
        self.section = section
        self.commands = commands
        self.shown = shown


_FENCE = re.compile(r"^\s*```(\S*)\s*$")


def fenced_blocks(text: str) -> list[tuple[str, str, list[str]]]:
    """(section heading, language, lines) of every fenced block, in order."""
    blocks = []
    section, language, lines = "", None, []
    for line in text.splitlines():
        fence = _FENCE.match(line)
        if language is None:
            if line.startswith("## "):
                section = line[3:].strip()
            elif fence:
                language, lines = fence.group(1), []
        elif fence:
            blocks.append((section, language, lines))
            language = None
        else:
            lines.append(line.strip())
    return blocks


SHOWN = "#   "  # a comment line that shows what the command above it prints


def sh_blocks(text: str) -> list[Block]:
    out = []
    for section, language, lines in fenced_blocks(text):
        if language != "sh":
            continue
        commands, shown, pending = [], [], ""
        for line in lines:
            if line.endswith("\\"):
                pending += line[:-1].rstrip() + " "
                continue
            line, pending = pending + line, ""
            if line.startswith(SHOWN) and commands:
                shown[-1].append(line[len(SHOWN):].strip())
            elif line and not line.startswith("#"):
                commands.append(line)
                shown.append([])
        out.append(Block(section, commands, shown))
    return out


def words(command: str) -> list[str]:
    """The command's words as sh reads them, the trailing comment left out."""
    return shlex.split(command, comments=True)


def segments(command: str) -> list[list[str]]:
    """The words of each part of an `a && b && c` chain."""
    parts: list[list[str]] = [[]]
    for word in words(command):
        if word == "&&":
            parts.append([])
        else:
            parts[-1].append(word)
    return parts


def skipped_form(part: list[str]) -> tuple[str, ...] | None:
    for form in SKIPPED:
        if tuple(part[:len(form)]) == form:
            return form
    return None


class Shell:
    """`sh -c` in the clone, one command at a time; what a command exports is kept."""

    def __init__(self, cwd: Path, env: dict[str, str], state: Path) -> None:
        self.cwd, self.env, self.state = cwd, env, state
        state.write_text("", "utf-8")

    def run(self, command: str) -> subprocess.CompletedProcess[str]:
        script = (f'. "{self.state}"\ncd "$PWD"\n{command}\n'
                  f'status=$?\nexport -p > "{self.state}"\nexit $status\n')
        return subprocess.run(["sh", "-c", script], cwd=self.cwd, env=self.env, text=True,
                              capture_output=True, timeout=300, check=False)


@pytest.fixture
def fresh_clone(tmp_path: Path) -> Path:
    """This repository cloned, with the installed yiguan where the README's install puts it."""
    if not (ROOT / ".git").exists():
        missing_tool(f"{ROOT} is not a git checkout: nothing to clone")
    clone = tmp_path / "yiguan"
    done = subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    script = Path(sys.executable).parent / "yiguan"
    assert script.exists(), f"yiguan is not installed next to {sys.executable}"
    (clone / ".venv" / "bin").mkdir(parents=True)
    (clone / ".venv" / "bin" / "yiguan").symlink_to(script)
    return clone


@pytest.mark.slow
def test_every_sh_block_of_the_readme_runs_as_written(fresh_clone: Path, tmp_path: Path):
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("YIGUAN_", "GIT_"))}
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = 张敏\n\temail = zhangmin@example.invalid\n",
                                     "utf-8")
    env.update(HOME=str(home), PATH=f"{fresh_clone / '.venv' / 'bin'}{os.pathsep}{env['PATH']}")
    shell = Shell(fresh_clone, env, tmp_path / "exported.sh")
    blocks = sh_blocks(README.read_text("utf-8"))
    if any(".pdf" in command for block in blocks for command in block.commands):
        # the PDFs are printed by the browser on the machine: without one, skip (fail in CI)
        env["YIGUAN_BROWSER"] = system_browser()
    ran, skipped, presumed = [], set(), set()

    def run(command: str, where: str, shown: list[str] | None = None) -> None:
        result = shell.run(command)
        assert result.returncode == 0, (
            f"README ({where}): `{command}` exited {result.returncode}\n"
            f"stdout:\n{result.stdout[-2000:]}\nstderr:\n{result.stderr[-2000:]}")
        printed = [line.strip() for line in (result.stdout + result.stderr).splitlines()]
        for line in shown or []:
            assert line in printed, (
                f"README ({where}): `{command}` is shown printing\n{line}\nbut printed:\n"
                + "\n".join(printed[-40:]))
        ran.append(command)

    for block in blocks:
        for command, shown in zip(block.commands, block.shown, strict=True):
            plain = " ".join(words(command))
            for step in PRESUMED.get(plain, ()):
                run(step, f"{block.section}, presumed before `{plain}`")
                presumed.add(plain)
            parts = segments(command)
            kept = [part for part in parts if skipped_form(part) is None]
            skipped.update(form for part in parts if (form := skipped_form(part)))
            if kept == parts:
                run(command, block.section, shown)
            elif kept:  # `install && yiguan minutes`: the part after the install
                run(" && ".join(shlex.join(part) for part in kept), block.section)

    assert skipped == set(SKIPPED), f"forms listed but not in the README: {set(SKIPPED) - skipped}"
    assert presumed == set(PRESUMED), (
        f"presumed state for commands not in the README: {set(PRESUMED) - presumed}")
    # the walkthrough ran from its first line to its last
    assert ran[1].startswith("yiguan --dir 我的议事会 init")
    assert any(command.startswith("yiguan strike S3") for command in ran)
    assert (fresh_clone / "我的议事会" / "2022-03-08.toml").exists()
    # the git section ran on the walkthrough's folder: the meeting, then its correction,
    # are the last two commits of the repository the walkthrough started in
    log = subprocess.run(["git", "-C", str(fresh_clone), "log", "-2", "--format=%s", "--name-only",
                          "--", "我的议事会/2022-03-08.toml"],
                         capture_output=True, text=True, env=env, check=True).stdout
    assert [line for line in log.splitlines() if line] == [
        "更正 S2：发言人核对后补充", "我的议事会/2022-03-08.toml",
        "幸而有你居民议事会 2022-03-08", "我的议事会/2022-03-08.toml"], log
    assert (fresh_clone / "我的议事会" / ".gitattributes").exists()
    assert any(shown for block in blocks for shown in block.shown), "no output is shown"


def test_the_git_section_works_in_the_walkthroughs_folder() -> None:
    """The git section once named `meetings/2022-03-08.toml`, a folder the walkthrough
    never made: every file it names is in `我的议事会`."""
    git_section = next(block for block in sh_blocks(README.read_text("utf-8"))
                       if block.section.startswith("在 git 中工作"))
    named = [word.split(":", 1)[-1] for command in git_section.commands
             for word in words(command) if word.endswith(".toml")]
    assert named and all(path.startswith("我的议事会/") for path in named), named


def test_the_walkthrough_starts_in_a_folder_of_its_own() -> None:
    walkthrough = next(block for block in sh_blocks(README.read_text("utf-8"))
                       if block.section.startswith("一个晚上的会"))
    assert words(walkthrough.commands[0])[:4] == ["yiguan", "--dir", "我的议事会", "init"]
    assert words(walkthrough.commands[1]) == ["export", "YIGUAN_DIR=我的议事会"]
    # a command split over lines is one command
    assert any(command.startswith("yiguan new ") and "--recorder 张敏" in command
               for command in walkthrough.commands)


def test_every_block_of_shell_commands_is_marked_sh() -> None:
    """A block of commands without its `sh` mark would not be run by the test above."""
    unmarked = [section for section, language, lines in fenced_blocks(README.read_text("utf-8"))
                if language != "sh" and any(re.match(r"(yiguan|\.venv|python3?|git) ", line)
                                            for line in lines)]
    assert not unmarked, f"README blocks of commands not marked ```sh: {unmarked}"


# --- what the README says of the documents -------------------------------------------------

# a record's code as yiguan gives it: M1, R2, V1, A3, S3, P12, L1, E1, G4, C1
RECORD_CODE = re.compile(r"(?<![A-Za-z0-9])[MRVASPLEGC]\d+(?![A-Za-z0-9])")
POSTED = ("notice", "results", "announce", "sign-sheet")  # the documents put up or handed round


def test_no_printed_document_carries_record_codes() -> None:
    """The README says no printed document carries the codes the command line shows (M1,
    R1 …): the goldens are the documents as yiguan renders them (tests/test_documents.py
    and tests/test_notice.py hold them to it), for every golden meeting; the CLI keeps
    them (tests/test_no_codes.py covers every format and language)."""
    text = " ".join(README.read_text("utf-8").split())
    assert "carries the record codes the command line shows (M1, R1, V1, S3)" in text
    assert "they name records as people do (动议一, 决议一, 动议一表决" in text
    golden = ROOT / "tests" / "golden"
    meetings = sorted(path.stem for path in golden.glob("*.toml"))
    assert len(meetings) == 8
    checked = 0
    for name in meetings:
        for kind in (*POSTED, "minutes"):
            for path in golden.glob(f"{name}.{kind}.*.md"):
                codes = RECORD_CODE.findall(path.read_text("utf-8"))
                assert not codes, (path.name, codes)
                checked += 1
    assert checked >= len(meetings) * (len(POSTED) + 1)
