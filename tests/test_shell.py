"""`yiguan shell` (issue 22): a meeting typed line by line in one process is the meeting
typed as separate commands — the same output, the same exit meaning, the same files byte
for byte — and a script names the line of every refusal. At a terminal (driven through
tmux) Tab completes names from their initials, the status line shows the meeting, Ctrl-C
clears the line and Ctrl-D leaves.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, assert_refused, copy_tracked, missing_tool, tracked

ENV = {**os.environ, "YIGUAN_LANG": "", "COLUMNS": "80", "YIGUAN_DIR": ""}
ENV.pop("YIGUAN_DIR")

# a meeting of 16 commands, with Chinese names, quoting, a refusal and a usage error
MEETING = [
    "new 五月居民议事会 --date 2024-05-10 --time 19:30 --place 社区活动室 --host 王丽娟",
    "议题 add 楼道堆物清理 --by 王丽娟",
    "agenda add '小游园 卫生管理' --by 王丽娟",
    "请假 赵志强 --reason 出差",
    "签到 ly lxj wjg zgl lxy --at 19:20",
    "open --at 19:30",
    "queue 刘艳 王建国",
    "floor --at 19:32",
    '发言 刘艳 "建议每月清理一次，楼道里不堆杂物" --stance for --at 19:35',
    "propose 每月第一个周六清理楼道 --by 刘艳 --at 19:40",
    "附议 M1 王建国 --at 19:41",
    "vote M9 --yes 5 --no 0 --at 19:45",
    "表决 M1 --yes 5 --no 0 --at 19:45",
    "sign",
    "action 通知各楼栋 --owner 王建国 --due 2024-06-01 --motion M1 --at 19:46",
    "status",
]
LABEL = re.compile(r"^第 (\d+) 行：", re.M)


def _yiguan(*args: str, cwd: Path, stdin: Any = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "yiguan", *args], stdin=stdin, cwd=cwd,
                          capture_output=True, text=True, env=ENV, check=False)


def test_a_meeting_through_the_shell_is_the_meeting_typed_command_by_command(
        folder: Path, tmp_path: Path) -> None:
    """The same 16 lines as 16 processes and as one `yiguan shell < file`: the same
    stdout, the same stderr but for each line's number, exit 1 for the shell since two
    lines were refused, and the same files byte for byte (the floor's live state too)."""
    import shlex

    # the same relative path in both, as the output names the files
    apart, together = tmp_path / "apart" / "meetings", tmp_path / "together" / "meetings"
    copy_tracked(folder, apart)
    copy_tracked(folder, together)
    out, err, codes = [], [], []
    for number, line in enumerate(MEETING, 1):
        done = _yiguan("--dir", "meetings", *shlex.split(line), cwd=apart.parent)
        out.append(done.stdout)
        err.append("".join(f"第 {number} 行：{said}\n" for said in done.stderr.splitlines()))
        codes.append(done.returncode)
    assert codes.count(0) == 14 and codes[11] == 1 and codes[13] == 2, codes
    script = tmp_path / "meeting.txt"
    script.write_text("\n".join(MEETING) + "\n", encoding="utf-8")
    with script.open() as source:
        shell = _yiguan("--dir", "meetings", "shell", stdin=source, cwd=together.parent)
    assert shell.returncode == 1, shell.stderr
    assert shell.stdout == "".join(out)
    assert shell.stderr == "".join(err)
    assert tracked(together) == tracked(apart)
    assert {"2024-05-10.toml", "council.toml"} <= set(tracked(apart))
    floor = Path(".yiguan", "floor", "2024-05-10.json")
    assert (together / floor).read_bytes() == (apart / floor).read_bytes()


def _one_line(result: Any, number: int) -> Any:
    """The result with stderr's line label taken off (it must be `number`)."""
    labels = LABEL.findall(result.stderr)
    assert labels and set(labels) == {str(number)}, result.stderr
    return types.SimpleNamespace(exit_code=result.exit_code, stdout=result.stdout,
                                 stderr=LABEL.sub("", result.stderr))


def test_a_refused_line_says_its_number_and_the_others_still_run(run: Cli,
                                                                 planned: str) -> None:
    script = "# 开会前\n\n签到 刘艳 --at 19:20\nsign 无名氏 --at 19:21\n  \n签到 wjg --at 19:22\n"
    result = run("shell", input=script)
    refused = _one_line(result, 4)
    assert_refused(refused, "names.unknown", query="无名氏")
    met = run.meeting(planned)
    assert [a.name for a in met.attendee] == ["刘艳", "王建国"]


def test_a_line_that_cannot_be_split_is_refused_with_its_number(run: Cli, planned: str) -> None:
    result = run("shell", input="status\nspeak 刘艳 '没有收尾的引号\n")
    assert_refused(_one_line(result, 2), "shell.bad_line")


def test_a_shell_inside_the_shell_is_refused(run: Cli, planned: str) -> None:
    result = run("shell", input="status\n命令行\n")
    assert_refused(_one_line(result, 2), "shell.nested")


def test_a_text_from_stdin_is_refused_and_the_script_goes_on(run: Cli, opened: str) -> None:
    """`speak NAME -` reads its text from stdin: in the shell that is the script's own next
    lines, so the line is refused and the next one runs as written."""
    script = "speak 刘艳 - --at 19:40\nspeak 王建国 同意 --at 19:41\n"
    result = run("shell", input=script)
    assert_refused(_one_line(result, 1), "shell.no_stdin")
    assert [s.speaker for s in run.meeting(opened).speech] == ["王建国"]


def test_each_line_reads_what_another_process_wrote_since_the_line_before(
        run: Cli, opened: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another yiguan (a second laptop over a shared folder, the screen) writes the meeting
    between two lines: the next line reads it, as a separate process would, and nothing
    of it is lost or written over."""
    from yiguan.cli import shell

    ran = shell.Lines.run

    def then_another_writes(self: Any, words: list[str]) -> int:
        code = ran(self, words)
        if words[0] == "签到":  # after the shell's first line: another process's speech
            done = _yiguan("--dir", str(run.folder), "speak", "李秀英", "另一台电脑记的",
                           "--at", "19:36", cwd=run.folder.parent)
            assert done.returncode == 0, done.stderr
        return code

    monkeypatch.setattr(shell.Lines, "run", then_another_writes)
    result = run("shell", input="签到 陈淑珍 --at 19:35\n发言 陈淑珍 本机记的 --at 19:37\n")
    assert result.exit_code == 0, result.output
    meeting = run.meeting(opened)
    assert [(s.id, s.speaker) for s in meeting.speech] == [("S1", "李秀英"), ("S2", "陈淑珍")]
    assert "陈淑珍" in [a.name for a in meeting.attendee]


def test_exit_leaves_and_the_lines_after_it_are_not_run(run: Cli, planned: str) -> None:
    for word in ("exit", "quit", "退出"):
        result = run("shell", input=f"签到 刘艳 --at 19:20\n{word}\n签到 王建国 --at 19:21\n")
        assert result.exit_code == 0, result.output
    assert [a.name for a in run.meeting(planned).attendee] == ["刘艳"]


def test_the_shells_meeting_is_every_lines_meeting_unless_a_line_names_one(
        run: Cli, planned: str) -> None:
    """`shell -m ID`: the lines that take -m and give none act on ID, even when another
    meeting would be the one a command chooses (two planned meetings: it would refuse)."""
    run.ok("new", "六月居民议事会", "--date", "2024-06-10")
    script = "签到 刘艳 --at 19:20\nagenda add 电梯加装 --by 刘艳\n" \
             "签到 王建国 --at 19:20 -m 2024-06-10\nstatus\nmember list\n"
    result = run("shell", "-m", planned, input=script)
    assert result.exit_code == 0, result.output
    may = run.meeting(planned)
    assert [a.name for a in may.attendee] == ["刘艳"]
    assert [i.title for i in may.item][-1] == "电梯加装"
    assert [a.name for a in run.meeting("2024-06-10").attendee] == ["王建国"]
    refused = run("shell", input="签到 张桂兰 --at 19:20\n")
    assert_refused(_one_line(refused, 1), "store.many_planned")


def test_a_shell_on_a_meeting_that_is_not_there_is_refused(run: Cli, planned: str) -> None:
    run.refused("shell", "-m", "2031-01-01", input="status\n", because="store.no_meeting",
                id="2031-01-01")


def test_help_lists_the_commands_and_their_chinese_names(run: Cli) -> None:
    result = run("shell", input="help\n")
    assert result.exit_code == 0, result.output
    assert "命令行" in result.stdout and "签到" in result.stdout and "sign" in result.stdout


def test_the_shell_reading_a_script_does_not_import_prompt_toolkit(folder: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from yiguan.cli import main;"
         "sys.argv = ['yiguan', '--dir', sys.argv[1], 'shell']\n"
         "try:\n    main()\nexcept SystemExit:\n    pass\n"
         "print('prompt_toolkit' in sys.modules)", str(folder)],
        input="member list\n", capture_output=True, text=True, env=ENV, check=False)
    assert done.stdout.splitlines()[-1] == "False", done.stdout + done.stderr


# --- at a terminal, through tmux ---------------------------------------------------------------

class Terminal:
    """`yiguan shell` in a detached tmux session of 120×30."""

    def __init__(self, name: str, folder: Path, *args: str) -> None:
        self.name = name
        command = " ".join([sys.executable, "-m", "yiguan", "--dir", str(folder), "shell",
                            *args])
        env = [f"{k}={v}" for k, v in (("YIGUAN_LANG", ""), ("COLUMNS", "120"))]
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "120", "-y", "30",
                        "env", *env, *command.split()], check=True)

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def screen(self) -> str:
        done = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=False)
        return done.stdout

    def wait_for(self, text: str, timeout: float = 10.0) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not on the screen:\n{self.screen()}")

    def running(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True,
                              check=False).returncode == 0

    def close(self) -> None:
        if self.running():
            subprocess.run(["tmux", "kill-session", "-t", self.name], check=False)


@pytest.fixture
def terminal(folder: Path, opened: str) -> Any:
    if shutil.which("tmux") is None:
        missing_tool("tmux not installed (apt-get install tmux)")
    made = Terminal(f"yiguan-shell-{os.getpid()}", folder)
    yield made
    made.close()


@pytest.mark.slow
def test_at_a_terminal_tab_completes_and_the_status_line_shows_the_meeting(
        terminal: Terminal, folder: Path) -> None:
    terminal.wait_for("实到 5/应到 7")
    shown = terminal.wait_for("议题 1. 楼道堆物清理")
    assert "达到法定人数" in shown and "2024-05-10" in shown
    terminal.keys("发言 wj", "Tab")
    terminal.wait_for("议管> 发言 王建国")
    terminal.keys("C-c")  # the line is cleared: what follows is a line of its own
    terminal.keys("propose 每月清理楼道 --b", "Tab")
    terminal.wait_for("--by")
    terminal.keys(" l", "Tab")  # 刘晓菊 lxj, 刘艳 ly, 李秀英 lxy: a menu of three
    shown = terminal.wait_for("李秀英")
    assert "刘晓菊" in shown and "王建国" not in shown.split("--by")[-1]
    terminal.keys("C-c")
    terminal.keys("表决 M9 --yes 5 --no 0", "Enter")  # refused: the shell goes on
    terminal.wait_for("yiguan: 错误：没有动议 M9")
    terminal.keys("propose 每月清理楼道 --by ly --second wjg --at 19:40", "Enter")
    terminal.wait_for("待表决 M1 每月清理楼道")
    assert [m.text for m in Cli(folder).meeting().motion] == ["每月清理楼道"]
    assert "propose" in (folder / ".yiguan" / "shell_history").read_text("utf-8")
    terminal.keys("C-d")
    end = time.monotonic() + 10
    while terminal.running() and time.monotonic() < end:
        time.sleep(0.1)
    assert not terminal.running()


@pytest.mark.slow
def test_at_a_terminal_exit_words_leave(terminal: Terminal) -> None:
    terminal.wait_for("议管>")
    terminal.keys("退出", "Enter")
    end = time.monotonic() + 10
    while terminal.running() and time.monotonic() < end:
        time.sleep(0.1)
    assert not terminal.running()
