"""Setting up: `init`, `member add|list|remove`, `new`, `list`, `show`, `check`, `undo`,
and which meeting a command means when `-m` is not given."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from yiguan import __version__
from yiguan.text.messages import t

MEMBERS = ("刘晓菊", "刘艳", "王建国", "张桂兰", "李秀英", "陈淑珍", "赵志强")


# --- init ----------------------------------------------------------------------------------

def test_init_creates_the_folder_the_council_and_a_gitignore(tmp_path: Path, cli_for: Any) -> None:
    cli = cli_for(tmp_path / "deep" / "meetings")
    result = cli.ok("init", "--name", "幸福里社区居民议事会")
    council = tomllib.loads((cli.folder / "council.toml").read_text(encoding="utf-8"))
    assert council == {
        "format": 1, "name": "幸福里社区居民议事会",
        "rules": {"quorum": ">1/2", "pass": ">1/2 present", "notice_days": 7,
                  "speech_minutes": 2, "speeches_per_item": 2, "second_required": True,
                  "presets": {"two-thirds": ">=2/3 present", "nantang": ">1/2 yes+no"}},
    }
    ignored = (cli.folder / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"*.lock", ".yiguan/"} <= set(ignored)
    assert "council.toml" in result.stdout


def test_init_refuses_when_the_council_exists(run: Any) -> None:
    result = run.refused("init", "--name", "另一个议事会")
    assert "council.toml" in result.stderr


def test_init_keeps_an_existing_gitignore(tmp_path: Path, cli_for: Any) -> None:
    cli = cli_for(tmp_path / "meetings")
    cli.folder.mkdir()
    (cli.folder / ".gitignore").write_text("my-notes/\n", encoding="utf-8")
    cli.ok("init")
    assert (cli.folder / ".gitignore").read_text(encoding="utf-8") == "my-notes/\n"


def test_commands_before_init_say_to_run_init(tmp_path: Path, cli_for: Any) -> None:
    cli = cli_for(tmp_path / "meetings")
    for args in (["member", "list"], ["member", "add", "刘晓菊"], ["list"],
                 ["new", "会", "--date", "2024-05-10"]):
        result = cli.refused(*args)
        assert "yiguan init" in result.stderr, (args, result.stderr)


# --- members --------------------------------------------------------------------------

def test_member_list_shows_names_and_initials_but_not_private_fields(run: Any) -> None:
    run.ok("member", "add", "钱七", "--phone", "13800138000", "--note", "3栋楼长")
    result = run.ok("member", "list")
    for name in (*MEMBERS, "钱七"):
        assert name in result.stdout
    assert "lxj" in result.stdout and "8 人" in result.stdout
    assert "13800138000" not in result.stdout and "3栋楼长" not in result.stdout
    private = run.ok("member", "list", "--private")
    assert "13800138000" in private.stdout and "3栋楼长" in private.stdout


def test_member_add_refuses_a_duplicate_and_suggests_a_suffix(run: Any) -> None:
    result = run.refused("member", "add", "刘晓菊")
    assert "刘晓菊(3栋)" in result.stderr, result.stderr
    run.ok("member", "add", "刘晓菊(3栋)")
    assert run.council().member("刘晓菊(3栋)").initials == "lxj"


@pytest.mark.parametrize("initials", ["Q-7", "钱", "a" * 13, "q q"])
def test_member_add_refuses_bad_initials(run: Any, initials: str) -> None:
    run.refused("member", "add", "钱七", "--initials", initials, because="council.bad_initials",
                initials=initials.lower())


@pytest.mark.parametrize(("name", "why"), [
    ("  ", {"why_key": "schema.empty"}),
    ("王\n芳", {"why_key": "schema.newline"}),
    ("王\u202e芳", {"why_key": "schema.bidi", "code": "U+202E"}),
    ("王\u200b芳", {"why_key": "schema.invisible", "code": "U+200B"}),
    ("王" * 41, {"why_key": "schema.too_long", "n": 41, "limit": 40}),
])
def test_member_add_refuses_unusable_names(run: Any, name: str, why: dict[str, Any]) -> None:
    run.refused("member", "add", name, "--initials", "wf", because="input.bad_text",
                what_key="what.name", **why)


def test_member_remove_by_name_or_initials(run: Any) -> None:
    run.ok("member", "remove", "赵志强")
    run.ok("member", "remove", "csz")
    names = [m.name for m in run.council().members]
    assert names == ["刘晓菊", "刘艳", "王建国", "张桂兰", "李秀英"]


def test_member_remove_keeps_past_meetings_as_they_were(run: Any, planned: str) -> None:
    before = run.meeting_bytes()
    run.ok("member", "remove", "赵志强")
    assert run.meeting_bytes() == before
    assert "赵志强" in run.meeting().members


def test_member_remove_refuses_unknown_and_ambiguous_names(run: Any) -> None:
    run.refused("member", "remove", "不存在", because="names.unknown", query="不存在")
    run.ok("member", "add", "李晓娟")
    result = run.refused("member", "remove", "lxj", because="names.ambiguous", query="lxj")
    assert "李晓娟" in result.stderr and "刘晓菊" in result.stderr


# --- new -----------------------------------------------------------------------------------

def test_new_creates_a_planned_meeting_and_prints_its_id_last(run: Any) -> None:
    result = run.ok("new", "五月居民议事会", "--date", "2024-05-10", "--time", "19:30",
                    "--place", "社区活动室", "--host", "王丽娟", "--recorder", "lxj")
    assert result.stdout.splitlines()[-1] == "2024-05-10"
    meeting = run.meeting("2024-05-10")
    assert (meeting.title, meeting.status, meeting.time, meeting.place) == (
        "五月居民议事会", "planned", "19:30", "社区活动室")
    assert meeting.host == "王丽娟", "a host need not be a member"
    assert meeting.recorder == "刘晓菊", "a member named by initials"
    assert meeting.members == list(MEMBERS), "应到 is a snapshot of the roster"
    assert meeting.rules.pass_rule == ">1/2 present"


def test_new_accepts_a_short_time(run: Any) -> None:
    run.ok("new", "会", "--date", "2024-05-10", "--time", "7:05")
    assert run.meeting("2024-05-10").time == "07:05"


def test_new_meetings_of_one_day_get_numbered_ids(run: Any) -> None:
    ids = [run.ok("new", f"第{n}场", "--date", "2024-05-10").stdout.splitlines()[-1]
           for n in range(1, 4)]
    assert ids == ["2024-05-10", "2024-05-10-2", "2024-05-10-3"]


@pytest.mark.parametrize(("args", "because", "said"), [
    (["--date", "2024-5-10x"], "input.bad_date", {"value": "2024-5-10x"}),
    (["--date", "2024-02-30"], "input.bad_date", {"value": "2024-02-30"}),
    (["--date", "2024-05-10", "--time", "19.30"], "input.bad_time", {"value": "19.30"}),
    (["--date", "2024-05-10", "--host", "王\n丽娟"], "input.bad_text",
     {"what_key": "what.name", "why_key": "schema.newline"}),
])
def test_new_refuses_bad_input(run: Any, args: list[str], because: str,
                               said: dict[str, str]) -> None:
    run.refused("new", "会", *args, because=because, **said)


def test_new_requires_a_date(run: Any) -> None:
    result = run("new", "会")
    assert result.exit_code == 2, result.output


def test_a_later_change_to_the_council_never_changes_an_old_meeting(run: Any,
                                                                   opened: str) -> None:
    council = run.folder / "council.toml"
    council.write_text(council.read_text(encoding="utf-8").replace(
        'pass = ">1/2 present"', 'pass = ">=2/3 present"'), encoding="utf-8")
    run.ok("member", "add", "钱七")
    run.ok("propose", "清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    result = run.ok("vote", "M1", "--yes", "3", "--no", "2", "--at", "19:45")
    assert "通过" in result.stdout and "未通过" not in result.stdout, result.stdout
    meeting = run.meeting()
    assert meeting.vote[0].rule == ">1/2 present"
    assert len(meeting.members) == 7


# --- list and show --------------------------------------------------------------------

def test_list_shows_meetings_newest_first_with_status_and_counts(run: Any, opened: str) -> None:
    run.ok("new", "四月居民议事会", "--date", "2024-04-12")
    run.ok("new", "六月居民议事会", "--date", "2024-06-14")
    result = run.ok("list")
    lines = result.stdout.splitlines()
    order = [next(i for i, line in enumerate(lines) if meeting_id in line)
             for meeting_id in ("2024-06-14", "2024-05-10", "2024-04-12")]
    assert order == sorted(order), result.stdout
    row = lines[order[1]]
    assert "五月居民议事会" in row and "进行中" in row and "5/7" in row, row


def test_list_with_no_meetings_says_so(run: Any) -> None:
    result = run.ok("list")
    assert "还没有会议" in result.stdout


def test_list_marks_an_unreadable_meeting_and_points_to_check(run: Any, planned: str) -> None:
    (run.folder / "2024-06-14.toml").write_text("format = = 1\n", encoding="utf-8")
    result = run.ok("list")
    assert "2024-06-14" in result.stdout and "yiguan check" in result.stderr


def test_show_gives_the_meeting_at_a_glance(run: Any, opened: str) -> None:
    run.ok("propose", "清运楼道堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    result = run.ok("show")
    for words in ("五月居民议事会", "2024-05-10", "社区活动室", "王丽娟", "张敏",
                  "应到 7 人", "实到 5 人", "楼道堆物清理", "小游园卫生管理", "M1", "清运楼道堆物"):
        assert words in result.stdout, (words, result.stdout)


def test_show_without_m_reads_the_newest_meeting_when_none_is_open(run: Any,
                                                                   planned: str) -> None:
    run.ok("new", "六月居民议事会", "--date", "2024-06-14")
    assert "六月居民议事会" in run.ok("show").stdout
    assert "五月居民议事会" in run.ok("show", "-m", planned).stdout


def test_show_of_a_missing_meeting_points_to_list(run: Any, planned: str) -> None:
    result = run.refused("show", "-m", "2030-01-01")
    assert "yiguan list" in result.stderr


# --- which meeting ------------------------------------------------------------------------

def test_a_writing_command_uses_the_only_planned_meeting(run: Any, planned: str) -> None:
    run.ok("sign", "lxj", "--at", "19:00")
    assert [a.name for a in run.meeting().attendee] == ["刘晓菊"]


def test_a_writing_command_refuses_to_choose_between_two_planned_meetings(run: Any,
                                                                         planned: str) -> None:
    run.ok("new", "六月居民议事会", "--date", "2024-06-14")
    result = run.refused("sign", "lxj", "--at", "19:00")
    assert "-m" in result.stderr and "2024-06-14" in result.stderr


def test_a_writing_command_prefers_the_open_meeting(run: Any, opened: str) -> None:
    run.ok("new", "六月居民议事会", "--date", "2024-06-14")
    run.ok("speak", "lxj", "发言", "--at", "19:40")
    assert len(run.meeting().speech) == 1


def test_a_writing_command_refuses_with_a_hint_when_no_meeting_is_open(run: Any,
                                                                       opened: str) -> None:
    run.ok("close", "--at", "21:00")
    result = run.refused("speak", "lxj", "发言", "--at", "21:05")
    assert "-m" in result.stderr and "2024-05-10" in result.stderr


def test_writing_commands_without_any_meeting_say_to_create_one(run: Any) -> None:
    result = run.refused("sign", "lxj")
    assert "yiguan new" in result.stderr


def test_the_data_folder_comes_from_yiguan_dir(run: Any, planned: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from yiguan.cli import make_app

    monkeypatch.setenv("YIGUAN_DIR", str(run.folder))
    result = CliRunner().invoke(make_app(), ["show"])
    assert result.exit_code == 0, result.output
    assert "五月居民议事会" in result.stdout


def test_the_default_data_folder_is_meetings_in_the_working_directory(
        run: Any, planned: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from yiguan.cli import make_app

    monkeypatch.chdir(run.folder.parent)
    assert run.folder.name == "meetings"
    result = CliRunner().invoke(make_app(), ["show"])
    assert result.exit_code == 0, result.output
    assert "五月居民议事会" in result.stdout


# --- check and undo ------------------------------------------------------------------------

def test_check_passes_a_clean_folder(run: Any, opened: str) -> None:
    result = run.ok("check")
    assert "2 个文件" in result.stdout and "没有问题" in result.stdout, result.stdout


def test_check_lists_every_problem_and_exits_1(run: Any, opened: str) -> None:
    path = run.meeting_path()
    path.write_text(path.read_text(encoding="utf-8").replace('status = "open"',
                                                             'status = "ongoing"'),
                    encoding="utf-8")
    (run.folder / "2024-06-14.toml").write_text('format = 1\ntitle = "x"\ndate = = 1\n',
                                                encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1, result.output
    assert f"{path}: status: " in result.stdout
    assert f"{run.folder / '2024-06-14.toml'}:3:" in result.stdout
    assert "2 处问题" in result.stderr, result.stderr


def test_check_takes_paths_as_given(run: Any, opened: str, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere.toml"
    copy.write_bytes(run.meeting_bytes())
    assert run.ok("check", str(copy)).exit_code == 0
    result = run("check", str(tmp_path / "missing.toml"))
    assert result.exit_code == 1
    assert result.stdout == f"{tmp_path / 'missing.toml'}: {t('check.no_file')}\n"


def test_undo_with_nothing_to_undo_says_so(run: Any) -> None:
    result = run.refused("undo")
    assert "没有可以撤销的修改" in result.stderr


def test_version(run: Any) -> None:
    result = run.ok("--version")
    assert result.stdout.strip() == f"yiguan {__version__}"


def test_no_arguments_shows_help() -> None:
    from typer.testing import CliRunner

    from yiguan.cli import make_app

    result = CliRunner().invoke(make_app(), [])
    assert result.exit_code in (0, 2), result.output
    assert "议管" in result.output and "sign" in result.output
