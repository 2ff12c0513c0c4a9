"""Chinese everywhere a secretary looks (issue 12): Typer's usage errors and help chrome
in the interface language, argument names as words, panels that follow the meeting.

With YIGUAN_LANG unset no English word of Typer's or click's reaches the user; with
YIGUAN_LANG=en Typer's English stays. Usage errors keep exit code 2.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from yiguan.cli import COMMAND_TABLE, make_app
from yiguan.text.locale_zh import MESSAGES as ZH

# Typer's and click's chrome, as it reads in English: none of it may show in Chinese.
ENGLISH_CHROME = [
    "Usage", "OPTIONS", "COMMAND", "ARGS", "Try", "for help", "Error", "Missing",
    "No such", "Invalid value", "Did you mean", "Possible options", "Options", "Arguments",
    "Commands", "required", "default", "env var", "Show this message", "and exit",
    "is not", "valid", "integer", "range", "requires", "argument", "option", "command",
    "Got unexpected", "extra", "Aborted", "does not exist", "is a directory", "choice",
    "one of", "str", "int", "path", "text", "NAME", "TEXT", "FILE", "PATH", "Choose from",
]
_WORD = re.compile(r"(?<![-\w])[A-Za-z][A-Za-z ]*[A-Za-z]|[{}]")
_CROPPED = re.compile(r"…\s*│?\s*$", re.M)


def english_chrome(output: str) -> list[str]:
    """The words of ENGLISH_CHROME in `output` (option names such as --help aside), any
    brace round an argument name, and any line cropped with `…`."""
    found = [f"cropped: {line}" for line in _CROPPED.findall(output)]
    for match in _WORD.finditer(output):
        text = match.group()
        if text in "{}":
            found.append(text)
            continue
        found += [word for word in ENGLISH_CHROME if re.search(rf"\b{word}\b", text)]
    return found


def cli(*args: str, lang: str = "", columns: int = 80) -> Any:
    return CliRunner().invoke(make_app(list(args)), list(args),
                              env={"YIGUAN_LANG": lang, "COLUMNS": str(columns)})


# every kind of usage error: (arguments, what the Chinese message says)
USAGE_ERRORS = [
    (["vote"], "缺少动议编号。"),
    (["sign"], "缺少姓名。"),
    (["new", "月度例会"], "缺少选项 --date。"),
    (["vote", "M1", "-y", "3"], "没有选项 -y。"),
    (["vote", "M1", "--yse", "3"], "没有选项 --yse。是不是要用 --recuse、--yes？"),
    (["vot", "M1"], "没有命令 vot。是不是要用 vote？"),
    (["member", "ad", "张三"], "没有命令 ad。是不是要用 add？"),
    (["vote", "M1", "--yes", "x"], "--yes 的值不对：'x' 不是整数。"),
    (["vote", "M1", "--yes", "-3"], "--yes 的值不对：-3 超出范围（≥0）。"),
    (["vote", "M1", "--yes"], "选项 --yes 后面要跟一个值。"),
    (["vote", "M1", "--unanimous=yes"], "选项 --unanimous 不带值。"),
    (["minutes", "--lang", "fr"], "--lang 的值不对：只能是 zh、en 之一。"),
    (["show", "2022-03-08", "多余"], "多出的参数：2022-03-08 多余。"),
    (["speak", "lxj", "好", "--stance", "也许"], "--stance 的值不对："),
    (["minutes", "-o", "."], "--output 的值不对：'.' 是文件夹，这里要的是文件。"),
    (["--nope"], "没有选项 --nope。"),
]


@pytest.mark.parametrize(("args", "says"), USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_a_usage_error_is_chinese_and_exits_2(args: list[str], says: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert says in result.stderr, result.stderr
    assert "用法：yiguan" in result.stderr and "查看帮助：yiguan" in result.stderr
    assert english_chrome(result.stderr) == [], result.stderr
    assert result.stdout == "", "usage errors go to stderr"


@pytest.mark.parametrize(("args", "says"), [
    (["vote"], "Missing argument 'M'."),
    (["new", "x"], "Missing option '--date'."),
    (["vote", "M1", "--yse", "3"], "No such option: --yse"),
    (["vote", "M1", "--yes", "x"], "Invalid value for '--yes'"),
    (["vot"], "No such command 'vot'."),
])
def test_usage_errors_stay_english_with_yiguan_lang_en(args: list[str], says: str) -> None:
    result = cli(*args, lang="en")
    assert result.exit_code == 2
    assert says in result.stderr, result.stderr
    assert "Usage: yiguan" in result.stderr and "for help" in result.stderr
    assert "{" not in result.stderr, "no braces round argument names"


def _all_commands() -> list[list[str]]:
    paths: list[list[str]] = [[]]

    def walk(path: list[str], command: Any) -> None:
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            paths.append([*path, name])
            walk([*path, name], sub)

    walk([], typer.main.get_command(make_app()))
    return paths


ALL = _all_commands()


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) or "yiguan" for p in ALL])
def test_every_help_page_is_chinese_and_fits_80_columns(path: list[str]) -> None:
    result = cli(*path, "--help")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.lstrip().startswith("用法：yiguan"), out
    assert english_chrome(out) == [], out
    assert "显示本帮助后退出" in out
    from yiguan.render.table import width

    assert max(width(line) for line in out.splitlines()) <= 80, out


def test_the_usage_line_names_arguments_in_words() -> None:
    usage = cli("vote", "--help").stdout.strip().splitlines()[0].strip()
    assert usage == "用法：yiguan vote [选项] 动议编号"
    assert "用法：yiguan sign [选项] 姓名..." in cli("sign", "--help").stdout
    assert "用法：yiguan diff [选项] 版本甲 版本乙" in cli("diff", "--help").stdout
    assert "用法：yiguan merge-driver [选项] 共同祖先 我方 对方 [路径]" in \
        cli("merge-driver", "--help").stdout


def test_help_chrome_in_chinese() -> None:
    out = cli("vote", "--help").stdout
    for chrome in ("─ 参数 ─", "─ 选项 ─", "[必填]", "[默认：0]", "票数 ≥0", "<文字>"):
        assert chrome in out, chrome
    assert "[环境变量：YIGUAN_DIR]" in cli("--help").stdout


def test_help_in_english_keeps_typers_words_without_braces() -> None:
    out = cli("vote", "--help", lang="en").stdout
    assert "Usage: yiguan vote [OPTIONS] M" in out
    assert "{M}" not in out and "[required]" in out and "Show this message and exit." in out


def test_the_command_list_is_in_panels_that_follow_the_meeting() -> None:
    out = cli("--help").stdout
    titles = ["会前准备", "会中记录", "会后文书", "台账查询", "更正与检查", "git 协作"]
    positions = [out.index(f"─ {title} ─") for title in titles]
    assert positions == sorted(positions), "panels in the order of a meeting"
    assert "─ 命令 ─" not in out, "no command left in the catch-all panel"
    panel_of = {}
    for line in out.splitlines():
        if line.startswith("╭─ "):
            panel = line[3:].split(" ─")[0]
        elif match := re.match(r"│ ([a-z][a-z-]*) ", line):
            panel_of[match.group(1)] = panel
    assert panel_of["vote"] == "会中记录" and panel_of["minutes"] == "会后文书"
    assert panel_of["ledger"] == "台账查询" and panel_of["undo"] == "更正与检查"


def test_every_registered_command_has_a_panel() -> None:
    panels = {command.name: command.panel for command in COMMAND_TABLE}
    for panel in set(panels.values()):
        assert ZH[f"panel.{panel}"]
    group = typer.main.get_command(make_app())
    assert set(group.commands) == set(panels)  # type: ignore[attr-defined]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.rich_help_panel == ZH[f"panel.{panels[name]}"], name


def test_help_and_errors_do_not_cost_a_normal_run_anything() -> None:
    """Typer's chrome (rich_utils, rich) is imported to print help or an error, not to
    record a step."""
    import subprocess
    import sys

    code = ("import sys; from yiguan.cli import make_app; "
            "make_app(['status']); print('typer.rich_utils' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def test_a_subprocess_at_80_columns_shows_the_panels(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("YIGUAN_LANG", "TERMINAL_WIDTH")}
    env["COLUMNS"] = "80"
    done = subprocess.run([sys.executable, "-m", "yiguan", "--help"], capture_output=True,
                          env=env, cwd=tmp_path, check=True)
    out = done.stdout.decode("utf-8")
    assert "会中记录" in out and english_chrome(out) == [], out


def test_init_where_a_council_exists_says_what_to_do(run: Any) -> None:
    result = run.refused("init")
    assert "yiguan --dir 我的议事会 init" in result.stderr and "cd" in result.stderr
