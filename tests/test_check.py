"""`yiguan check`: references and consistency in files people edit by hand.

A meeting file that the live commands wrote passes; a hand edit that breaks a reference
(a speech by someone who never signed in, a motion on an item that does not exist) or
makes a recorded result disagree with the rules engine is reported as
`file: 表决 V1：message`, naming the record as the secretary knows it (not `vote[0]`) —
every problem, not just the first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import assert_refused
from yiguan.meeting.check import check_file


@pytest.fixture
def decided(run: Any, opened: str) -> Path:
    """An open meeting with a speech, an adopted motion (3 yes, 2 no of 5) and an action."""
    run.ok("speak", "lxj", "楼道里的旧家具要清走。", "--at", "19:35")
    run.ok("propose", "三天后统一清运楼道堆物", "--by", "ly", "--second", "lxj", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "3", "--no", "2", "--at", "19:45")
    run.ok("action", "联系清运车", "--owner", "lxj", "--motion", "M1", "--at", "19:50")
    path = run.meeting_path()
    assert check_file(path) == []
    return path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(path: Path) -> list[str]:
    return [p.render("zh") for p in check_file(path)]


@pytest.mark.parametrize(("old", "new", "where", "words"), [
    ('outcome = "adopted"', 'outcome = "rejected"', "表决 V1", "按规则应为「通过」"),
    ("yes = 3\nno = 2", "yes = 2\nno = 3", "表决 V1", "按规则应为「未通过」"),
    ("present = 5\neligible = 5", "present = 3\neligible = 3", "表决 V1", "法定人数"),
    ("eligible = 5", "eligible = 4", "表决 V1", "应为 5"),
    ("not_voting = 0", "not_voting = 2", "表决 V1", "未表决人数应为 0，文件中为 2"),
    ('speaker = "刘晓菊"', 'speaker = "陈淑珍"', "发言 S1", "陈淑珍 没有签到记录"),
    ("[[motion]]\nid = \"M1\"\nitem = 1", "[[motion]]\nid = \"M1\"\nitem = 7", "动议 M1",
     "议题 7 不存在"),
    ('second = "刘晓菊"', 'second = "刘艳"', "动议 M1", "不能附议自己"),
    ('by = "刘艳"\nsecond', 'by = "王丽娟"\nsecond', "动议 M1",
     "动议人 王丽娟 不是本次会议的有表决权成员"),
    ('motion = "M1"\nat = "19:45"', 'motion = "M4"\nat = "19:45"', "表决 V1",
     "动议 M4 不存在"),
    ('owner = "刘晓菊"', 'owner = "路人甲"', "事项 A1", "路人甲"),
    ('status = "adopted"', 'status = "pending"', "动议 M1", "有效表决 V1"),
    ('rule = ">1/2 present"\noutcome', 'rule = ">=2/3 present"\noutcome', "表决 V1",
     "三分之二"),
], ids=["outcome flipped", "counts changed", "no quorum", "eligible", "not voting",
        "speaker never attended", "missing item", "seconded by the mover", "mover not a member",
        "vote on a missing motion", "unknown owner", "pending with a standing vote",
        "rule changed"])
def test_check_reports_a_broken_reference_or_inconsistency(decided: Path, old: str, new: str,
                                                           where: str, words: str) -> None:
    _edit(decided, old, new)
    found = _problems(decided)
    assert any(line.startswith(f"{decided}: {where}：") and words in line for line in found), found


def test_a_recorded_outcome_is_explained_with_the_rules_arithmetic(decided: Path) -> None:
    _edit(decided, 'outcome = "adopted"', 'outcome = "rejected"')
    (line,) = [p for p in _problems(decided) if ": 表决 V1：" in p]
    assert "赞成 3 票，超过实到有表决权成员 5 人的半数（2.5）" in line, line


def test_check_lists_every_problem_of_a_file(decided: Path) -> None:
    _edit(decided, 'outcome = "adopted"', 'outcome = "rejected"')
    _edit(decided, 'speaker = "刘晓菊"', 'speaker = "陈淑珍"')
    _edit(decided, 'owner = "刘晓菊"', 'owner = "路人甲"')
    found = _problems(decided)
    wheres = sorted(line.split(": ")[1].split("：")[0] for line in found)
    assert wheres == ["事项 A1", "动议 M1", "发言 S1", "表决 V1"], found


def test_a_closed_meeting_with_a_pending_motion_is_reported(run: Any, opened: str) -> None:
    run.ok("propose", "x", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("close", "--postpone-pending", "--at", "20:30")
    path = run.meeting_path()
    _edit(path, 'status = "postponed"', 'status = "pending"')
    assert any("仍待表决" in line for line in _problems(path))


def test_times_that_run_backwards_are_reported(run: Any, opened: str) -> None:
    run.ok("close", "--at", "20:30")
    path = run.meeting_path()
    _edit(path, 'closed = "20:30"', 'closed = "19:00"')
    assert any(line.startswith(f"{path}: closed: ") for line in _problems(path))


def test_overlapping_stays_are_reported(run: Any, opened: str) -> None:
    run.ok("leave", "lxj", "--at", "19:50")
    run.ok("sign", "lxj", "--at", "20:00")
    path = run.meeting_path()
    _edit(path, 'left = "19:50"', 'left = "20:10"')
    assert any("重叠" in line for line in _problems(path)), _problems(path)


def test_an_unresolved_merge_conflict_is_reported(decided: Path) -> None:
    with decided.open("a", encoding="utf-8") as handle:
        handle.write('\n[[conflict]]\nid = "C1"\nrecord = "vote V1"\nfield = "yes"\n'
                     'ours = "3"\ntheirs = "4"\n')
    (line,) = _problems(decided)
    assert line == (f"{decided}: 冲突 C1：未解决的合并冲突：表决 V1 的 yes，一方为 3，另一方为 4；"
                    "改好后删除此 [[conflict]]"), line


def test_a_council_file_with_a_bad_rule_is_reported(run: Any) -> None:
    path = run.folder / "council.toml"
    _edit(path, 'pass = ">1/2 present"', 'pass = ">3/2 present"')
    found = _problems(path)
    assert len(found) == 1 and found[0].startswith(f"{path}: rules.pass: "), found
    result = run("check")
    assert result.exit_code == 1 and "rules.pass" in result.stdout


# --- whatever the live commands accept, check accepts -----------------------------------

def test_an_action_owned_by_a_member_who_joined_after_the_meeting_was_created_passes_check(
        run: Any, opened: str) -> None:
    """`action --owner` accepts anyone on the current roster; the file it writes must then
    pass `check` (today check says the owner is neither a member nor an attendee)."""
    run.ok("member", "add", "钱七")
    run.ok("action", "统计各楼栋堆物", "--owner", "钱七", "--at", "19:50")
    assert _problems(run.meeting_path()) == []


def test_reconsidering_with_a_time_before_the_vote_is_refused_or_passes_check(
        run: Any, opened: str) -> None:
    """`reconsider --at` earlier than the vote it sets aside: either refuse (exit 1, file
    unchanged) or write a file that passes `check` — never an inconsistent file."""
    run.ok("propose", "x", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "20:00")
    before = run.meeting_bytes()
    result = run("reconsider", "M1", "--at", "19:45")
    if result.exit_code == 0:
        assert _problems(run.meeting_path()) == []
    else:
        assert_refused(result, "clock.refused", reason_key="live.reconsider_before_vote",
                       id="M1", at="19:45", voted="20:00")
        assert run.meeting_bytes() == before


# --- the facts of paper: 请假, 计票人, 列席 (issue 13) ----------------------------------------

@pytest.fixture
def papered(run: Any, opened: str) -> Path:
    """The open meeting with 陈淑珍 excused (L1) and V1 counted by 王建国 and a guest."""
    run.ok("excuse", "csz", "--reason", "出差")
    run.ok("sign", "--guest", "周社工", "--org", "社工站", "--at", "19:32")
    run.ok("propose", "三天后统一清运楼道堆物", "--by", "ly", "--second", "lxj", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--teller", "wjg", "--teller", "周社工",
           "--at", "19:45")
    path = run.meeting_path()
    assert check_file(path) == []
    return path


@pytest.mark.parametrize(("old", "new", "where", "words"), [
    ('name = "陈淑珍"\nreason', 'name = "路人甲"\nreason', "请假 L1",
     "请假的 路人甲 不在本次会议的成员名单"),
    ('tellers = [\n    "王建国",', 'tellers = [\n    "陈淑珍",', "表决 V1",
     "计票人 陈淑珍 在 19:45 不在场"),
], ids=["excused stranger", "teller not in the room"])
def test_check_reports_a_wrong_excuse_or_teller(papered: Path, old: str, new: str, where: str,
                                               words: str) -> None:
    _edit(papered, old, new)
    found = _problems(papered)
    assert any(line.startswith(f"{papered}: {where}：") and words in line
               for line in found), found


def test_a_teller_who_left_before_the_vote_is_reported(run: Any, papered: Path) -> None:
    _edit(papered, 'name = "王建国"\nrole = "member"\narrived = "19:20"\nseq = 3\n',
          'name = "王建国"\nrole = "member"\narrived = "19:20"\nseq = 3\nleft = "19:44"\n')
    found = _problems(papered)
    assert any("计票人 王建国 在 19:45 不在场" in line for line in found), found


def test_a_member_excused_twice_is_reported(run: Any, papered: Path) -> None:
    with papered.open("a", encoding="utf-8") as handle:
        handle.write('\n[[excused]]\nid = "L2"\nname = "陈淑珍"\n')
    (line,) = _problems(papered)
    assert line == f"{papered}: 请假 L2：陈淑珍 已有请假记录，这是重复的一条", line
    assert "1 处问题" in run("check").stderr


def test_a_member_signed_in_as_a_guest_is_reported(run: Any, papered: Path) -> None:
    _edit(papered, 'name = "周社工"', 'name = "赵志强"')
    found = _problems(papered)
    assert any(line.startswith(f"{papered}: 签到 P6：") and "赵志强 是本次会议的有表决权成员"
               in line for line in found), found


def test_excused_and_signed_in_is_a_note_and_the_minutes_say_present(run: Any,
                                                                     papered: Path) -> None:
    """Two laptops merged: one excused 陈淑珍, the other signed her in. Nothing in the
    record is wrong — she came — so `check` passes with a note naming the way to tidy up,
    and the minutes list her as present, not excused."""
    _edit(papered, '[[item]]', '[[attendee]]\nid = "P9"\nname = "陈淑珍"\nrole = "member"\n'
          'arrived = "19:50"\n\n[[item]]')
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "请了假但已签到到会" in result.stdout and "yiguan strike L1" in result.stdout
    assert "没有问题（1 条提醒）" in result.stdout
    minutes = run("minutes")
    assert minutes.exit_code == 0, minutes.output
    assert "请假人员" not in minutes.stdout
    assert "陈淑珍（19:50 到会）" in minutes.stdout
    assert "yiguan: 提醒：" in minutes.stderr
