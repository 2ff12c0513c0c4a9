"""Integrity across laptops (#19 §1, §2): the merge driver never commits an invalid or
invented meeting, and a record keeps its identity through a merge.

Two laptops on two branches, each recording with the command line, merged by real
`git merge` with the driver `git-setup` installs. Before, git reported a clean merge
(exit 0, committed) of a vote with 3/0/1 that neither side typed, of two standing votes
on one motion, of a speech after the close, of two overlapping stays, of a speech filed
under the item that took its item's number. Now each is a conflict: the driver exits 1,
git stops, the file keeps both sides and a `[[conflict]]` naming the record in the
secretary's words, and `check` fails until a person resolves it.
"""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import MEETING, copy_tracked, git
from yiguan.meeting.check import check_file

M = ["-m", MEETING]


class Laptops:
    """One repository, two branches: `main` (ours) and `other` (theirs), both from the
    commit `base`; `run` is the command line on the data folder."""

    def __init__(self, repo: Path, run: Any) -> None:
        self.repo = repo
        self.run = run
        self.path = run.meeting_path()

    def commit(self, message: str) -> None:
        assert git(self.repo, "add", "-A").returncode == 0
        done = git(self.repo, "commit", "-qm", message)
        assert done.returncode == 0, done.stdout + done.stderr

    def on(self, branch: str) -> None:
        done = git(self.repo, "checkout", "-q", branch)
        assert done.returncode == 0, done.stderr

    def branch_off(self) -> None:
        """`other` from here; back on `main`."""
        assert git(self.repo, "branch", "other").returncode == 0

    def merge(self) -> subprocess.CompletedProcess[str]:
        self.on("main")
        return git(self.repo, "merge", "--no-edit", "other")

    def data(self) -> dict[str, Any]:
        return tomllib.loads(self.path.read_text("utf-8"))

    def problems(self) -> list[str]:
        return [p.render() for p in check_file(self.path) if not p.warning]


@pytest.fixture
def laptops(tmp_path: Path, templates: dict[str, Path], cli_for: Any) -> Laptops:
    """The open meeting (five members in since 19:20, opened at 19:30, items 1 楼道堆物清理
    and 2 小游园卫生管理) committed on `main`, with yiguan's driver set up by git-setup."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    copy_tracked(templates["open"], repo / "meetings")
    assert git(repo, "init", "-q", "-b", "main").returncode == 0
    run = cli_for(repo / "meetings")
    run.ok("git-setup")
    laptops = Laptops(repo, run)
    laptops.commit("base")
    return laptops


def conflicts_said(merged: subprocess.CompletedProcess[str]) -> list[str]:
    """The driver's lines about each conflict (git passes on its stderr), without the
    file's name."""
    prefix = "meetings/2024-05-10.toml："
    return [line.removeprefix(prefix) for line in merged.stderr.splitlines()
            if line.startswith(prefix) and "处冲突已记在" not in line and "改编为" not in line]


def voted(laptops: Laptops, yes: str, no: str) -> None:
    """M1 moved at 19:40 and voted at 19:45, the meeting closed at 20:30: the base."""
    run = laptops.run
    run.ok("propose", "小游园增设垃圾桶", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("vote", "M1", "--yes", yes, "--no", no, "--at", "19:45")
    run.ok("close", "--at", "20:30")
    laptops.commit("closed")
    laptops.branch_off()


# --- §1: a vote merges whole ---------------------------------------------------------------

def test_two_fixes_of_one_vote_are_a_conflict_not_counts_nobody_typed(
        laptops: Laptops) -> None:
    """One laptop `fix V1 --no 0 --abstain 1`, the other `fix V1 --yes 3`: the merge took
    fields from each and recorded 3/0/1, which neither side typed."""
    voted(laptops, "2", "1")
    run = laptops.run
    run.ok("fix", "V1", "--no", "0", "--abstain", "1", "--reason", "复核计票", *M)
    laptops.commit("ours recounts")
    laptops.on("other")
    run.ok("fix", "V1", "--yes", "3", "--reason", "书记复核", *M)
    laptops.commit("theirs recounts")
    merged = laptops.merge()
    assert merged.returncode != 0, merged.stdout
    said = conflicts_said(merged)
    assert "表决 V1 两边改得不同：yes 我方为 2，对方为 3" in said, said
    assert "表决 V1 两边改得不同：no 我方为 0，对方为 1" in said, said
    vote = laptops.data()["vote"][0]
    assert (vote["yes"], vote["no"], vote["abstain"]) == (2, 0, 1)  # ours, whole: not 3/0/1
    assert any("未解决的合并冲突：表决 V1 的 yes" in line for line in laptops.problems())


def test_six_hands_among_five_members_is_never_a_clean_merge(laptops: Laptops) -> None:
    """`--yes 3 --no 1 --abstain 1` against `--yes 3 --no 2` was recorded as 3/2/1."""
    voted(laptops, "2", "1")
    run = laptops.run
    run.ok("fix", "V1", "--yes", "3", "--no", "1", "--abstain", "1", "--reason", "复核", *M)
    laptops.commit("ours")
    laptops.on("other")
    run.ok("fix", "V1", "--yes", "3", "--no", "2", "--reason", "复核", *M)
    laptops.commit("theirs")
    merged = laptops.merge()
    assert merged.returncode != 0
    said = conflicts_said(merged)
    assert "表决 V1 两边改得不同：no 我方为 1，对方为 2" in said, said
    assert "表决 V1 两边改得不同：abstain 我方为 1，对方为 0" in said, said
    vote = laptops.data()["vote"][0]
    assert (vote["yes"], vote["no"], vote["abstain"]) == (3, 1, 1)
    assert laptops.problems()


def test_the_same_fix_on_both_laptops_is_one_fix_with_both_reasons(laptops: Laptops) -> None:
    """§2: two identical corrections with different reasons were two 更正说明 entries."""
    voted(laptops, "2", "1")
    run = laptops.run
    run.ok("fix", "V1", "--yes", "3", "--reason", "复核计票", *M)
    laptops.commit("ours")
    laptops.on("other")
    run.ok("fix", "V1", "--yes", "3", "--reason", "书记核对签到表", *M)
    laptops.commit("theirs")
    merged = laptops.merge()
    assert merged.returncode == 0, merged.stdout + merged.stderr
    corrections = laptops.data()["correction"]
    assert [(c["record"], c["field"]) for c in corrections] == [
        ("vote V1", "yes"), ("vote V1", "not_voting"), ("vote V1", "outcome"),
        ("motion M1", "status")]
    assert {c["reason"] for c in corrections} == {"复核计票\n书记核对签到表"}
    assert laptops.problems() == []
    minutes = run.ok("minutes", *M).stdout
    assert minutes.count("复核计票") == 1 and "书记核对签到表" in minutes


def test_a_motion_voted_on_both_laptops_is_a_conflict(laptops: Laptops) -> None:
    """Both laptops recorded `vote M2` (3/2 and 4/1): two standing votes, and `ledger`
    silently showed one."""
    run = laptops.run
    run.ok("propose", "小游园增设垃圾桶", "--by", "lxj", "--second", "ly", "--at", "19:40")
    laptops.commit("M1")
    laptops.branch_off()
    run.ok("vote", "M1", "--yes", "3", "--no", "2", "--at", "19:45")
    laptops.commit("ours votes")
    laptops.on("other")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:46")
    laptops.commit("theirs votes")
    merged = laptops.merge()
    assert merged.returncode != 0
    said = conflicts_said(merged)
    assert said[0] == ("动议 M1 两边都表决了（我方 V1，对方 V2）："
                       "同一动议的两次举手表决不能同时有效"), said
    assert [(v["id"], v["yes"]) for v in laptops.data()["vote"]] == [("V1", 3), ("V2", 4)]
    assert any("动议 M1 有多次有效表决" in line for line in laptops.problems())


def test_a_motion_and_a_speech_after_the_other_laptop_closed(laptops: Laptops) -> None:
    """One side closes at 20:15, the other proposes M2 at 20:05 and records a speech at
    20:20: the merge was clean, and `check` found a pending motion in a closed meeting
    and a speech after the close."""
    laptops.branch_off()
    run = laptops.run
    run.ok("close", "--at", "20:15")
    laptops.commit("closed")
    laptops.on("other")
    run.ok("propose", "增设垃圾桶", "--by", "lxj", "--at", "20:05")
    run.ok("speak", "ly", "同意", "--at", "20:20")
    laptops.commit("more")
    merged = laptops.merge()
    assert merged.returncode != 0
    assert conflicts_said(merged) == [
        "合并后 status: 会议已散会，动议 M1 仍待表决",
        "合并后 发言 S1：时间 20:20 晚于散会时间 20:15",
        "合并后 会议已散会，发言 S1 不在散会时签署的记录中，也没有更正记录说明它从何而来",
        "合并后 会议已散会，动议 M1 不在散会时签署的记录中，也没有更正记录说明它从何而来"]
    data = laptops.data()
    assert data["speech"][0]["text"] == "同意" and data["motion"][0]["text"] == "增设垃圾桶"
    problem_conflicts = [c for c in data["conflict"] if "problem" in c]
    assert {c["record"] for c in problem_conflicts} >= {"speech S1", "meeting"}
    assert laptops.problems()


def test_a_member_signed_back_in_on_both_laptops(laptops: Laptops) -> None:
    """Both sides sign in a member who had left, at the same time: two overlapping
    stays, and the merge was clean."""
    run = laptops.run
    run.ok("leave", "lxj", "--at", "19:50")
    laptops.commit("lxj left")
    laptops.branch_off()
    run.ok("speak", "ly", "先说一句", "--at", "19:55")
    run.ok("sign", "lxj", "--at", "20:00")
    laptops.commit("ours")
    laptops.on("other")
    run.ok("sign", "lxj", "--at", "20:00")
    laptops.commit("theirs")
    merged = laptops.merge()
    assert merged.returncode != 0
    assert conflicts_said(merged) == ["合并后 签到 P7：刘晓菊 的两段在场时间重叠（上一段尚未离场）"]


def test_the_very_same_sign_in_on_both_laptops_is_kept_once(laptops: Laptops) -> None:
    run = laptops.run
    run.ok("leave", "lxj", "--at", "19:50")
    laptops.commit("lxj left")
    laptops.branch_off()
    run.ok("sign", "lxj", "--at", "20:00")
    laptops.commit("ours")
    laptops.on("other")
    run.ok("sign", "lxj", "--at", "20:00")
    laptops.commit("theirs")
    merged = laptops.merge()
    assert merged.returncode == 0, merged.stdout
    assert [a["name"] for a in laptops.data()["attendee"]].count("刘晓菊") == 2  # two stays
    assert laptops.problems() == []


def test_work_on_different_records_still_merges_cleanly(laptops: Laptops) -> None:
    run = laptops.run
    run.ok("propose", "小游园增设垃圾桶", "--by", "lxj", "--second", "ly", "--at", "19:40")
    laptops.commit("M1")
    laptops.branch_off()
    run.ok("speak", "wjg", "垃圾桶放在东门", "--item", "2", "--at", "19:42")
    laptops.commit("ours")
    laptops.on("other")
    run.ok("speak", "zgl", "要有分类标识", "--item", "2", "--at", "19:43")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45")
    laptops.commit("theirs")
    merged = laptops.merge()
    assert merged.returncode == 0, merged.stdout + merged.stderr
    data = laptops.data()
    assert [(s["id"], s["speaker"]) for s in data["speech"]] == [("S1", "王建国"),
                                                                ("S2", "张桂兰")]
    assert data["motion"][0]["status"] == "adopted"
    assert laptops.problems() == []


# --- §2: identity that survives a merge ----------------------------------------------------

def test_a_speech_stays_with_its_item_when_the_other_laptop_reused_the_number(
        laptops: Laptops) -> None:
    """One side strikes item 2 (小游园卫生管理) and adds 停车收费 as a new item 2, the other
    records a speech on 小游园卫生管理: the speech was filed under 停车收费."""
    laptops.branch_off()
    run = laptops.run
    run.ok("strike", "2")
    run.ok("agenda", "add", "停车收费")
    run.ok("speak", "wjg", "停车费按月收", "--item", "2", "--at", "19:41")
    laptops.commit("ours: item 2 is now 停车收费")
    laptops.on("other")
    run.ok("speak", "ly", "小游园要有人打扫", "--item", "2", "--at", "19:42")
    laptops.commit("theirs: a speech on 小游园卫生管理")
    merged = laptops.merge()
    assert merged.returncode != 0
    data = laptops.data()
    items = {i["id"]: i["title"] for i in data["item"]}
    assert items == {1: "楼道堆物清理", 2: "小游园卫生管理", 3: "停车收费"}
    speeches = {s["text"]: s["item"] for s in data["speech"]}
    assert speeches == {"停车费按月收": 3, "小游园要有人打扫": 2}
    said = conflicts_said(merged)
    assert said[0] == ("议题 2：我方版本删除了它，对方版本却用到了它（S2）；"
                       "两边都已保留，请决定"), said
    assert "我方版本的议题 2 是另一条记录" in merged.stderr and "改编为 3" in merged.stderr


def test_an_item_whose_title_was_corrected_keeps_its_speeches(laptops: Laptops) -> None:
    """A correction of the title on one side, nothing on that item on the other: the
    item is the corrected one and the speeches before it stay on it."""
    run = laptops.run
    run.ok("speak", "ly", "小游园要有人打扫", "--item", "2", "--at", "19:42")
    laptops.commit("a speech on item 2")
    laptops.branch_off()
    run.ok("fix", "2", "--text", "小游园卫生与绿化管理")
    laptops.commit("ours: the title")
    laptops.on("other")
    run.ok("speak", "wjg", "楼道里的旧家具", "--item", "1", "--at", "19:43")
    laptops.commit("theirs: item 1")
    merged = laptops.merge()
    assert merged.returncode == 0, merged.stdout + merged.stderr
    data = laptops.data()
    assert [i["title"] for i in data["item"]] == ["楼道堆物清理", "小游园卫生与绿化管理"]
    assert {s["text"]: s["item"] for s in data["speech"]} == {"小游园要有人打扫": 2,
                                                              "楼道里的旧家具": 1}


def test_a_motion_struck_on_one_laptop_and_acted_on_on_the_other(laptops: Laptops) -> None:
    """action → motion: the action is not left pointing at nothing, nor at a motion
    that took the number."""
    run = laptops.run
    run.ok("propose", "小游园增设垃圾桶", "--by", "lxj", "--second", "ly", "--at", "19:40")
    laptops.commit("M1")
    laptops.branch_off()
    run.ok("strike", "M1")
    run.ok("propose", "停车收费按月", "--by", "wjg", "--second", "zgl", "--at", "19:44")
    laptops.commit("ours: M1 struck, another M1")
    laptops.on("other")
    run.ok("action", "采购垃圾桶", "--owner", "wjg", "--motion", "M1", "--at", "19:45")
    laptops.commit("theirs: an action for M1")
    merged = laptops.merge()
    assert merged.returncode != 0
    data = laptops.data()
    motions = {m["id"]: m["text"] for m in data["motion"]}
    assert motions == {"M1": "小游园增设垃圾桶", "M2": "停车收费按月"}
    assert data["action"][0]["motion"] == "M1"
    assert conflicts_said(merged) == [
        "动议 M1：我方版本删除了它，对方版本却用到了它（A1）；两边都已保留，请决定"]


def test_excuses_added_after_the_close_on_both_laptops_keep_their_corrections(
        laptops: Laptops) -> None:
    """correction → record: both laptops excuse a different member after the close, both
    as L1; theirs becomes L2, and so does the correction that traces it."""
    run = laptops.run
    run.ok("close", "--at", "20:30")
    laptops.commit("closed")
    laptops.branch_off()
    run.ok("excuse", "csz", "--reason", "出差", "--why", "会后核实", *M)
    laptops.commit("ours")
    laptops.on("other")
    run.ok("excuse", "zzq", "--reason", "生病", "--why", "会后核实", *M)
    laptops.commit("theirs")
    merged = laptops.merge()
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "双方都新增了请假 L1，对方的改编为 L2" in merged.stderr
    data = laptops.data()
    assert [(e["id"], e["name"]) for e in data["excused"]] == [("L1", "陈淑珍"),
                                                               ("L2", "赵志强")]
    corrections = {c["record"]: c["after"] for c in data["correction"]}
    assert corrections["excused L2"].startswith('id = "L2"\nname = "赵志强"')
    assert laptops.problems() == []


def test_both_laptops_closing_at_different_times(laptops: Laptops) -> None:
    laptops.branch_off()
    run = laptops.run
    run.ok("close", "--at", "20:15")
    laptops.commit("ours closes")
    laptops.on("other")
    run.ok("close", "--at", "20:20")
    laptops.commit("theirs closes")
    merged = laptops.merge()
    assert merged.returncode != 0
    assert conflicts_said(merged)[:2] == [
        "会议的 closed 两边改得不同：我方为 20:15，对方为 20:20",
        "两边散会时签署的记录（[signed]）不同"]
    assert any(line.endswith("冲突 C1：未解决的合并冲突：会议的 closed，一方为 \"20:15\"，"
                             "另一方为 \"20:20\"；改好后删除此 [[conflict]]")
               for line in laptops.problems()), laptops.problems()


def test_the_driver_checks_owners_against_the_councils_roster(laptops: Laptops) -> None:
    """An action for a member who joined the council after the meeting was made: on the
    roster in council.toml, which the driver reads beside the meeting, so no conflict."""
    run = laptops.run
    run.ok("member", "add", "孙德明")
    laptops.commit("a new member")
    laptops.branch_off()
    run.ok("action", "联系物业", "--owner", "孙德明", "--at", "19:45")
    laptops.commit("ours")
    laptops.on("other")
    run.ok("speak", "ly", "同意", "--at", "19:46")
    laptops.commit("theirs")
    merged = laptops.merge()
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert laptops.data()["action"][0]["owner"] == "孙德明"
    assert laptops.problems() == []
