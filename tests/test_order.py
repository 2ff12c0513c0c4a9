"""Order that cannot contradict itself (#19 §3): no record comes before a record it
depends on.

`reconsider M1 --at 20:01` then `vote M1 … --at 19:43` used to be accepted, and the
minutes read 第1次表决 19:45 · 重议 20:01 · 第2次表决 19:43. A vote comes after the
reconsideration it follows; an amendment after its motion, after the amendment before it
and after the reconsideration of a vote it follows; an action after the motion it carries
out. `vote`, `amend`, `action` and `fix --at` refuse, and `check` reports such a file.
"""

from __future__ import annotations

from typing import Any

import pytest

from yiguan.meeting.check import check_file

ERROR = "yiguan: 错误："


@pytest.fixture
def reconsidered(run: Any, opened: str) -> str:
    """M1 moved at 19:40, voted down at 19:45 (V1) and reconsidered at 20:01."""
    run.ok("propose", "增设垃圾桶", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "2", "--no", "3", "--at", "19:45")
    run.ok("reconsider", "M1", "--at", "20:01")
    return "M1"


def refusal(result: Any) -> str:
    """The refusal without the prefix and without the hint that follows every refused
    time (the meeting's date, check --at)."""
    return result.stderr.strip().removeprefix(ERROR).split("（会议日期为")[0]


# --- votes -------------------------------------------------------------------------------

def test_a_vote_earlier_than_the_reconsideration_it_follows_is_refused(
        run: Any, reconsidered: str) -> None:
    result = run.refused("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:43")
    assert refusal(result) == ("表决时间 19:43 早于动议 M1 的重议时间 20:01（表决 V1 于此时重议）："
                               "重议之后才能再次表决")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "20:01")  # the same minute
    assert run.ok("check").exit_code == 0


def test_the_refusal_reads_in_english_too(run: Any, reconsidered: str) -> None:
    result = run.refused("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:43",
                         env={"YIGUAN_LANG": "en"})
    assert "a vote at 19:43 comes before motion M1 was reconsidered at 20:01 (vote V1)" \
        in result.stderr


def test_fix_cannot_move_a_vote_before_the_reconsideration_it_follows(
        run: Any, reconsidered: str) -> None:
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "20:05")
    result = run.refused("fix", "V2", "--at", "19:50")
    assert "早于动议 M1 的重议时间 20:01（表决 V1 于此时重议）" in result.stderr
    run.ok("fix", "V2", "--at", "20:02")


# --- amendments --------------------------------------------------------------------------

def test_an_amendment_before_its_motion_is_refused(run: Any, opened: str) -> None:
    run.ok("propose", "增设垃圾桶", "--by", "lxj", "--second", "ly", "--at", "19:40")
    result = run.refused("amend", "M1", "增设两个垃圾桶", "--by", "wjg", "--at", "19:35")
    assert refusal(result) == "修正时间 19:35 早于动议 M1 提出的时间 19:40"


def test_an_amendment_before_the_amendment_it_changes_is_refused(run: Any,
                                                                opened: str) -> None:
    run.ok("propose", "增设垃圾桶", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("amend", "M1", "增设两个垃圾桶", "--by", "wjg", "--at", "19:50")
    result = run.refused("amend", "M1", "增设三个垃圾桶", "--by", "zgl", "--at", "19:45")
    assert refusal(result) == ("修正时间 19:45 早于动议 M1 的上一次修正 E1（19:50），"
                               "而这次修正是在它的文字上改的")
    run.ok("amend", "M1", "增设三个垃圾桶", "--by", "zgl", "--at", "19:55")
    result = run.refused("fix", "E1", "--at", "19:58")
    assert "晚于动议 M1 的下一次修正 E2（19:55）" in result.stderr
    result = run.refused("fix", "E2", "--at", "19:48")
    assert "早于动议 M1 的上一次修正 E1（19:50）" in result.stderr


def test_an_amendment_while_the_motion_stood_decided_is_refused(
        run: Any, reconsidered: str) -> None:
    result = run.refused("amend", "M1", "增设两个垃圾桶", "--by", "wjg", "--at", "19:50")
    assert refusal(result) == ("修正时间 19:50 早于动议 M1 的重议时间 20:01（表决 V1）："
                               "重议之前动议已经表决，不能修正")
    run.ok("amend", "M1", "增设两个垃圾桶", "--by", "wjg", "--at", "20:03")
    result = run.refused("fix", "E1", "--at", "19:47")
    assert "早于动议 M1 的重议时间 20:01（表决 V1）" in result.stderr


# --- actions -----------------------------------------------------------------------------

def test_an_action_before_the_motion_it_carries_out_is_refused(run: Any, opened: str) -> None:
    run.ok("propose", "增设垃圾桶", "--by", "lxj", "--second", "ly", "--at", "19:40")
    result = run.refused("action", "采购垃圾桶", "--owner", "wjg", "--motion", "M1",
                         "--at", "19:35")
    assert refusal(result) == "分工时间 19:35 早于它所落实的动议 M1 提出的时间 19:40"
    run.ok("action", "采购垃圾桶", "--owner", "wjg", "--motion", "M1", "--at", "19:42")
    result = run.refused("fix", "A1", "--at", "19:38")
    assert "分工时间 19:38 早于它所落实的动议 M1" in result.stderr
    result = run.refused("fix", "M1", "--at", "19:44")
    assert "A1" in result.stderr  # the motion cannot move past what depends on it


def test_an_action_without_a_motion_has_no_such_order(run: Any, opened: str) -> None:
    run.ok("propose", "增设垃圾桶", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("action", "打扫活动室", "--owner", "wjg", "--at", "19:35")


# --- check reports a file that contradicts itself ----------------------------------------

def edit(path: Any, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def rendered(path: Any) -> list[str]:
    return [problem.render() for problem in check_file(path)]


def test_check_reports_a_vote_earlier_than_the_reconsideration_it_follows(
        run: Any, reconsidered: str) -> None:
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "20:05")
    path = run.meeting_path()
    edit(path, 'at = "20:05"', 'at = "19:43"')
    assert rendered(path) == [
        f"{path}: 表决 V2：表决时间 19:43 早于动议 M1 的重议时间 20:01（表决 V1 于此时重议）："
        "重议之后才能再次表决"]


def test_check_reports_amendments_and_actions_out_of_order(run: Any, opened: str) -> None:
    run.ok("propose", "增设垃圾桶", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("amend", "M1", "增设两个垃圾桶", "--by", "wjg", "--at", "19:50")
    run.ok("amend", "M1", "增设三个垃圾桶", "--by", "zgl", "--at", "19:52")
    run.ok("action", "采购垃圾桶", "--owner", "wjg", "--motion", "M1", "--at", "19:55")
    path = run.meeting_path()
    edit(path, 'at = "19:52"', 'at = "19:48"')
    edit(path, 'at = "19:55"', 'at = "19:39"')
    assert rendered(path) == [
        f"{path}: 修正 E2：修正时间 19:48 早于动议 M1 的上一次修正 E1（19:50），"
        "而这次修正是在它的文字上改的",
        f"{path}: 事项 A1：分工时间 19:39 早于它所落实的动议 M1 提出的时间 19:40"]


def test_check_reports_an_amendment_after_a_standing_vote(run: Any, opened: str) -> None:
    run.ok("propose", "增设垃圾桶", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("amend", "M1", "增设两个垃圾桶", "--by", "wjg", "--at", "19:44")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45")
    path = run.meeting_path()
    edit(path, 'at = "19:44"', 'at = "19:46"')
    assert any("已表决的动议不能再修正" in line for line in rendered(path))


def test_check_reports_a_reconsideration_after_the_close(run: Any, reconsidered: str) -> None:
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "20:05")
    run.ok("close", "--at", "20:10")
    path = run.meeting_path()
    edit(path, 'reconsidered = "20:01"', 'reconsidered = "20:20"')
    found = [problem.message() for problem in check_file(path)]
    assert "重议时间 20:20 晚于散会时间 20:10" in found
