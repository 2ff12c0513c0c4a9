"""The command table (`cli.COMMAND_TABLE`): every command declared once — its name, its
Chinese alias, its help panel, its module — and everything read from it.

The lazy table cannot lose a command: the modules it names (which `main` imports for the
command typed) define exactly those commands and groups, each in its own module (issue
11). Every command is registered in the help panel the table gives it; every alias is
unique and runs exactly as the command's name does — the same output, exit code and
files, byte for byte — and `--help` lists them (issue 20).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from yiguan import cli
from yiguan.render.table import width
from yiguan.text.locale_en import MESSAGES as EN
from yiguan.text.locale_zh import MESSAGES as ZH


def _modules_with_commands() -> dict[str, object]:
    found = {}
    for info in pkgutil.iter_modules(cli.__path__):
        module = importlib.import_module(f"yiguan.cli.{info.name}")
        if hasattr(module, "COMMANDS") or hasattr(module, "GROUPS"):
            found[info.name] = module
    return found


MODULES = _modules_with_commands()


def test_the_command_table_names_every_command_of_every_module() -> None:
    defined = {}
    for name, module in MODULES.items():
        for command in [*getattr(module, "COMMANDS", {}), *getattr(module, "GROUPS", {})]:
            assert command not in defined, f"{command} is defined in {defined.get(command)} too"
            defined[command] = name
    assert defined == cli.COMMAND_MODULES


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_command_function_says_what_it_does_in_one_line(module: str) -> None:
    for name, func in getattr(MODULES[module], "COMMANDS", {}).items():
        doc = (func.__doc__ or "").strip()
        assert doc and "\n" not in doc and doc.isascii(), f"{module}.{name}: {doc!r}"


# --- the table --------------------------------------------------------------------------

def test_every_command_of_the_table_is_registered_in_its_panel() -> None:
    group: Any = typer.main.get_command(cli.make_app())
    assert sorted(group.commands) == sorted(command.name for command in cli.COMMAND_TABLE)
    for command in cli.COMMAND_TABLE:
        assert ZH[f"panel.{command.panel}"] and EN[f"panel.{command.panel}"], command
        assert group.commands[command.name].rich_help_panel == ZH[f"panel.{command.panel}"]
        assert group.commands[command.name].help == ZH[f"help.{command.name}"]


def test_every_command_has_a_chinese_alias_of_its_own() -> None:
    names = [command.name for command in cli.COMMAND_TABLE]
    aliases = [command.alias for command in cli.COMMAND_TABLE]
    assert len(set(names)) == len(names)
    assert len(set(aliases)) == len(aliases), sorted(a for a in aliases if aliases.count(a) > 1)
    for alias in aliases:
        # Chinese characters only: never an English name, never mistaken for an option
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", alias), alias
    assert set(aliases).isdisjoint(names)


def test_the_mappings_are_read_from_the_table() -> None:
    assert {c.name: c.module for c in cli.COMMAND_TABLE} == cli.COMMAND_MODULES
    assert {c.alias: c.name for c in cli.COMMAND_TABLE} == cli.ALIASES


def test_the_aliases_the_issue_asks_for() -> None:
    """Issue 22's words for the commands typed in the room."""
    wanted = {"签到": "sign", "请假": "excuse", "离场": "leave", "开会": "open", "议题": "agenda",
              "发言": "speak", "排队": "queue", "发言权": "floor", "动议": "propose",
              "附议": "second", "修正": "amend", "表决": "vote", "撤回": "withdraw",
              "搁置": "postpone", "重议": "reconsider", "分工": "action", "完成": "done",
              "散会": "close", "状态": "status", "撤销": "undo", "记录": "minutes",
              "公示": "notice", "更正": "fix", "删除": "strike", "新会议": "new",
              "会议通知": "announce", "签到表": "sign-sheet"}
    assert {alias: cli.ALIASES.get(alias) for alias in wanted} == wanted


# --- an alias runs as its command ----------------------------------------------------------

def _main(*argv: str, env: dict[str, str] | None = None) -> Any:
    """The command line as `main` builds it: only the command named (or aliased)."""
    return CliRunner().invoke(cli.make_app(list(argv)), list(argv),
                              env={"YIGUAN_LANG": "", "COLUMNS": "80", **(env or {})})


def test_main_registers_only_the_command_an_alias_names() -> None:
    group: Any = typer.main.get_command(cli.make_app(["--dir", "x", "签到", "刘艳"]))
    assert list(group.commands) == ["sign"]
    group = typer.main.get_command(cli.make_app(["成员", "add", "刘艳"]))
    assert list(group.commands) == ["member"]


@pytest.mark.parametrize("command", cli.COMMAND_TABLE, ids=lambda c: c.name)
def test_an_aliases_help_is_its_commands_help(command: Any) -> None:
    by_name = _main(command.name, "--help")
    by_alias = _main(command.alias, "--help")
    assert by_name.exit_code == by_alias.exit_code == 0, by_alias.output
    assert by_alias.stdout == by_name.stdout


# (the command by its name, the same by its alias): a short meeting, a document, a
# refusal, a usage error, a sub-app
MEETING = [
    (["new", "五月居民议事会", "--date", "2024-05-10", "--time", "19:30", "--place", "社区活动室",
      "--host", "王丽娟"], ["新会议"]),
    (["agenda", "add", "楼道堆物清理", "--by", "王丽娟"], ["议题"]),
    (["agenda", "list"], ["议题"]),
    (["excuse", "赵志强", "--reason", "出差"], ["请假"]),
    (["sign", "ly", "lxj", "wjg", "zgl", "lxy", "--at", "19:20"], ["签到"]),
    (["sign"], ["签到"]),  # a usage error: exit 2
    (["open", "--at", "19:30"], ["开会"]),
    (["queue", "刘艳", "王建国"], ["排队"]),
    (["floor", "--at", "19:32"], ["发言权"]),
    (["speak", "刘艳", "建议每月清理一次", "--stance", "for", "--at", "19:35"], ["发言"]),
    (["propose", "每月第一个周六清理楼道", "--by", "刘艳", "--at", "19:40"], ["动议"]),
    (["second", "M1", "王建国", "--at", "19:41"], ["附议"]),
    (["amend", "M1", "每月第一个周六上午清理楼道", "--by", "张桂兰", "--at", "19:42"], ["修正"]),
    (["vote", "M9", "--yes", "5", "--no", "0", "--at", "19:45"], ["表决"]),  # refused
    (["vote", "M1", "--yes", "5", "--no", "0", "--at", "19:45"], ["表决"]),
    (["action", "通知各楼栋", "--owner", "王建国", "--due", "2024-06-01", "--motion", "M1",
      "--at", "19:46"], ["分工"]),
    (["leave", "李秀英", "--at", "19:50"], ["离场"]),
    (["status"], ["状态"]),
    (["close", "--at", "20:00"], ["散会"]),
    (["done", "2024-05-10/A1"], ["完成"]),
    (["minutes"], ["记录"]),
    (["notice"], ["公示"]),
    (["show"], ["查看"]),
    (["member", "add", "孙丽"], ["成员"]),
]


def test_a_meeting_recorded_by_aliases_is_the_meeting_recorded_by_names(
        folder: Path, tmp_path: Path, clock: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same steps in two copies of the council, by name in one and by alias in the
    other: the same output and exit code at every step, the same files byte for byte."""
    from conftest import copy_tracked, tracked

    places = {}
    for way in ("names", "aliases"):
        places[way] = tmp_path / way
        copy_tracked(folder, places[way] / "meetings")
    for by_name, alias in MEETING:
        by_alias = [*alias, *by_name[1:]]
        assert cli.ALIASES[alias[0]] == by_name[0]
        results = {}
        for way, argv in (("names", by_name), ("aliases", by_alias)):
            monkeypatch.chdir(places[way])  # the same relative paths in the output
            results[way] = _main("--dir", "meetings", *argv)
        named, aliased = results["names"], results["aliases"]
        assert (aliased.exit_code, aliased.stdout, aliased.stderr) == \
            (named.exit_code, named.stdout, named.stderr), (by_name, aliased.output)
        assert named.exit_code == (2 if by_name == ["sign"] else
                                   1 if by_name[:2] == ["vote", "M9"] else 0), named.output
    files = {way: tracked(place / "meetings") for way, place in places.items()}
    assert {"2024-05-10.toml", "council.toml"} <= set(files["names"])
    assert files["aliases"] == files["names"]
    floor = Path(".yiguan", "floor", "2024-05-10.json")
    assert (places["aliases"] / "meetings" / floor).read_bytes() == \
        (places["names"] / "meetings" / floor).read_bytes()


def test_an_unknown_alias_is_refused_with_the_names_it_is_close_to() -> None:
    result = _main("签道", "刘艳")
    assert result.exit_code == 2
    assert "没有命令 签道。是不是要用 签到？" in result.stderr
    result = _main("会议")
    assert "是不是要用 新会议、会议通知、会议列表？" in result.stderr


# --- the help lists them ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["", "en"])
def test_the_help_lists_every_alias_once_within_80_columns(lang: str) -> None:
    out = _main("--help", env={"YIGUAN_LANG": lang}).stdout
    catalogue = EN if lang else ZH
    assert f"─ {catalogue['chrome.aliases']} ─" in out
    panel = out[out.index(f"─ {catalogue['chrome.aliases']} ─"):]
    for command in cli.COMMAND_TABLE:
        assert len(re.findall(rf"(?<!\S){command.alias} +{re.escape(command.name)}(?!\S)",
                              panel)) == 1, command
    assert max(width(line) for line in out.splitlines()) <= 80
    if lang:  # no Chinese punctuation in the English help: the aliases are words
        assert not re.search("[\u3000-\u303f\uff00-\uffef]", panel), panel


def test_the_plain_help_lists_them_too() -> None:
    """Without rich (TYPER_USE_RICH=0 before Typer is imported), click's help."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "TYPER_USE_RICH": "0", "COLUMNS": "80", "YIGUAN_LANG": ""}
    out = subprocess.run([sys.executable, "-m", "yiguan", "--help"], capture_output=True,
                         env=env, check=True).stdout.decode("utf-8")
    assert ZH["chrome.aliases"] in out
    assert re.search(r"签到 +sign(?!\S)", out) and re.search(r"整理 +fmt(?!\S)", out), out


def test_the_readme_lists_every_alias_as_the_table_does() -> None:
    """README's table of Chinese command names is the command table, pair for pair."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    section = readme.split("### 中文命令名", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"`([^`\x00-\x7f]+)` ([a-z-]+)", section)
    assert sorted(listed) == sorted((c.alias, c.name) for c in cli.COMMAND_TABLE)
