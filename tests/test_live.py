"""The live meeting, in the order a 议事会 runs: agenda, sign-in and quorum, speeches,
motions and seconds, show-of-hands votes, resolutions, actions, the dashboard.

Most tests start from the `opened` fixture: seven voting members on the roster (the
quorum is more than half: 4), five of them — 刘晓菊 lxj, 刘艳 ly, 王建国 wjg, 张桂兰 zgl,
李秀英 lxy — signed in at 19:20; 陈淑珍 csz and 赵志强 zzq are absent. The chair opened at
19:30. The agenda has two items: 1 楼道堆物清理, 2 小游园卫生管理.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.cells import cell_len

# --- agenda -------------------------------------------------------------------------------


def test_agenda_add_prints_the_item_number(run: Any, opened: str) -> None:
    result = run.ok("agenda", "add", "电动车充电桩", "--by", "lxj")
    assert "议题 3" in result.stdout
    item = run.meeting().item[2]
    assert (item.id, item.title, item.by) == (3, "电动车充电桩", "刘晓菊")


def test_agenda_list_shows_the_items(run: Any, opened: str) -> None:
    result = run.ok("agenda", "list")
    assert "楼道堆物清理" in result.stdout and "小游园卫生管理" in result.stdout


def test_agenda_add_works_before_the_meeting_opens(run: Any, planned: str) -> None:
    run.ok("agenda", "add", "电动车充电桩")
    assert len(run.meeting().item) == 3


# --- opening and closing -------------------------------------------------------------------

def test_open_starts_the_meeting_and_reports_the_quorum(run: Any, planned: str) -> None:
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "--at", "19:25")
    result = run.ok("open", "--at", "19:30")
    assert "19:30" in result.stdout and "实到成员 4 人" in result.stdout, result.stdout
    assert "已达到" in result.stdout
    meeting = run.meeting()
    assert (meeting.status, meeting.opened) == ("open", "19:30")


def test_open_reports_a_missing_quorum_but_opens(run: Any, planned: str) -> None:
    run.ok("sign", "lxj", "--at", "19:25")
    result = run.ok("open", "--at", "19:30")
    assert "未达到" in result.stdout and "差 3 人" in result.stdout, result.stdout


def test_open_twice_is_refused(run: Any, opened: str) -> None:
    run.refused("open", "--at", "19:40", because="live.meeting_already_open")


def test_close_refuses_while_motions_are_pending_and_lists_them(run: Any, opened: str) -> None:
    run.ok("propose", "清运堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("propose", "增设垃圾桶", "--by", "wjg", "--at", "19:45")
    result = run.refused("close", "--at", "20:30")
    assert "M1" in result.stderr and "M2" in result.stderr and "--postpone-pending" in result.stderr


def test_close_with_postpone_pending_postpones_them(run: Any, opened: str) -> None:
    run.ok("propose", "清运堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("propose", "增设垃圾桶", "--by", "wjg", "--second", "zgl", "--at", "19:45")
    run.ok("vote", "M2", "--yes", "4", "--no", "1", "--at", "19:50")
    result = run.ok("close", "--postpone-pending", "--at", "20:30")
    assert "M1" in result.stdout and "20:30" in result.stdout
    meeting = run.meeting()
    assert [m.status for m in meeting.motion] == ["postponed", "adopted"]
    assert (meeting.status, meeting.closed) == ("closed", "20:30")


def test_close_before_opening_time_is_refused(run: Any, opened: str) -> None:
    run.refused("close", "--at", "19:00", because="clock.refused",
                reason_key="live.before_opening", at="19:00", opened="19:30")


def test_a_closed_meeting_refuses_live_commands(run: Any, opened: str) -> None:
    run.ok("close", "--at", "20:30")
    for args in (["speak", "lxj", "补充", "--at", "20:40"], ["sign", "csz", "--at", "20:40"],
                 ["propose", "x", "--by", "lxj", "--at", "20:40"], ["agenda", "add", "x"]):
        result = run.refused(*args, "-m", opened)
        assert "散会" in result.stderr, result.stderr


# --- sign-in and leaving -------------------------------------------------------------------

def test_sign_in_works_in_a_planned_meeting(run: Any, planned: str) -> None:
    result = run.ok("sign", "lxj", "刘艳", "--at", "19:10")
    assert "19:10 刘晓菊 签到" in result.stdout and "19:10 刘艳 签到" in result.stdout
    assert "应到 7 人，实到 2 人" in result.stdout, result.stdout
    meeting = run.meeting()
    assert meeting.status == "planned"
    assert [(a.name, a.role, a.arrived) for a in meeting.attendee] == [
        ("刘晓菊", "member", "19:10"), ("刘艳", "member", "19:10")]


def test_guests_attend_without_a_vote(run: Any, opened: str) -> None:
    result = run.ok("sign", "--guest", "王丽娟", "--org", "幸福里社区（社区书记）", "--at", "19:25")
    assert "王丽娟" in result.stdout and "列席 1 人" in result.stdout, result.stdout
    guest = run.meeting().attendee[-1]
    assert (guest.name, guest.role, guest.org) == ("王丽娟", "guest", "幸福里社区（社区书记）")
    assert "实到成员 5 人" in run.ok("status").stdout


def test_a_member_cannot_sign_in_as_a_guest(run: Any, opened: str) -> None:
    run.refused("sign", "--guest", "陈淑珍", "--at", "19:40", because="live.guest_is_member",
                name="陈淑珍")


def test_org_is_only_for_guests(run: Any, opened: str) -> None:
    run.refused("sign", "csz", "--org", "物业", "--at", "19:40", because="live.org_needs_guest")


def test_signing_in_someone_already_present_changes_nothing_and_says_so(run: Any,
                                                                      opened: str) -> None:
    before = run.snapshot()
    result = run.ok("sign", "lxj", "--at", "19:40")
    assert "刘晓菊 已在场" in result.stdout, result.stdout
    assert run.snapshot() == before


def test_leaving_and_returning_gives_two_stays(run: Any, opened: str) -> None:
    run.ok("leave", "wjg", "--at", "19:50")
    result = run.ok("sign", "wjg", "--at", "20:05")
    assert "回到会场" in result.stdout
    stays = [(a.arrived, a.left) for a in run.meeting().attendee if a.name == "王建国"]
    assert stays == [("19:20", "19:50"), ("20:05", None)]


def test_quorum_is_judged_at_the_moment_of_the_vote(run: Any, opened: str) -> None:
    run.ok("propose", "清运堆物", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("leave", "wjg", "zgl", "--at", "19:50")
    result = run.refused("vote", "M1", "--yes", "3", "--no", "0", "--at", "19:55")
    assert "实到成员 3 人" in result.stderr and "至少 4 人" in result.stderr, result.stderr
    assert "差 1 人" in result.stderr
    result = run.ok("vote", "M1", "--yes", "3", "--no", "2", "--at", "19:45")
    assert run.meeting().vote[0].present == 5


def test_leave_refuses_someone_not_present(run: Any, opened: str) -> None:
    result = run.refused("leave", "csz", "--at", "19:50")
    assert "陈淑珍" in result.stderr


def test_leave_cannot_be_before_arriving(run: Any, opened: str) -> None:
    run.refused("leave", "lxj", "--at", "19:00", because="clock.refused",
                reason_key="live.left_before_arrived", name="刘晓菊", at="19:00", arrived="19:20")


def test_coming_back_cannot_be_before_leaving(run: Any, opened: str) -> None:
    run.ok("leave", "wjg", "--at", "19:50")
    run.refused("sign", "wjg", "--at", "19:45", because="clock.refused",
                reason_key="live.back_before_left", name="王建国", at="19:45", left="19:50")


def test_leave_reports_the_quorum(run: Any, opened: str) -> None:
    result = run.ok("leave", "wjg", "zgl", "--at", "19:50")
    assert "未达到" in result.stdout, result.stdout


# --- speeches ------------------------------------------------------------------------------

def test_a_speech_is_recorded_on_the_current_item(run: Any, opened: str) -> None:
    result = run.ok("speak", "lxj", "楼道里的旧家具要清走。", "--stance", "for", "--minutes", "2",
                    "--at", "19:35")
    assert "S1" in result.stdout and "刘晓菊" in result.stdout
    speech = run.meeting().speech[0]
    assert (speech.id, speech.item, speech.speaker, speech.stance, speech.minutes, speech.at,
            speech.text) == ("S1", 1, "刘晓菊", "for", 2, "19:35", "楼道里的旧家具要清走。")


def test_item_moves_the_meeting_to_that_item(run: Any, opened: str) -> None:
    run.ok("speak", "lxj", "先说第一项", "--at", "19:35")
    run.ok("speak", "ly", "说第二项", "--item", "2", "--at", "19:40")
    run.ok("speak", "wjg", "接着说", "--at", "19:45")
    assert [s.item for s in run.meeting().speech] == [1, 2, 2]
    assert "2. 小游园卫生管理" in run.ok("status").stdout


def test_a_speech_on_a_missing_item_is_refused(run: Any, opened: str) -> None:
    run.refused("speak", "lxj", "x", "--item", "9", "--at", "19:35",
                because="live.no_such_item", n=9, count=2)


def test_stance_accepts_chinese_words(run: Any, opened: str) -> None:
    run.ok("speak", "lxj", "x", "--stance", "反对", "--at", "19:35")
    assert run.meeting().speech[0].stance == "against"
    assert run("speak", "lxj", "x", "--stance", "maybe", "--at", "19:36").exit_code == 2


def test_the_speaker_must_be_present(run: Any, opened: str) -> None:
    result = run.refused("speak", "csz", "我有意见", "--at", "19:35")
    assert "陈淑珍" in result.stderr and "签到" in result.stderr
    run.ok("leave", "lxj", "--at", "19:50")
    run.refused("speak", "lxj", "我回来了", "--at", "19:55", because="clock.refused",
                reason_key="live.not_present", name="刘晓菊", at="19:55")


def test_a_speech_before_the_opening_is_refused(run: Any, opened: str) -> None:
    run.refused("speak", "lxj", "太早了", "--at", "19:25", because="clock.refused",
                reason_key="live.before_opening", at="19:25", opened="19:30")


def test_a_guest_may_speak(run: Any, opened: str) -> None:
    run.ok("sign", "--guest", "王丽娟", "--at", "19:25")
    run.ok("speak", "王丽娟", "居委会可以联系清运车。", "--at", "19:40")
    assert run.meeting().speech[0].speaker == "王丽娟"


def test_speech_limits_warn_but_record(run: Any, opened: str) -> None:
    for minute in ("19:35", "19:40"):
        result = run.ok("speak", "lxj", "再说一点", "--at", minute)
        assert "超过" not in result.stderr
    result = run.ok("speak", "lxj", "第三次", "--at", "19:45")
    assert "3 次" in result.stderr and "超过" in result.stderr, result.stderr
    result = run.ok("speak", "ly", "说得很长", "--minutes", "5", "--at", "19:50")
    assert "5 分钟" in result.stderr, result.stderr
    speeches = run.meeting().speech
    assert len(speeches) == 4 and speeches[-1].minutes == 5
    assert "刘晓菊3次!" in run.ok("status").stdout


def test_speech_text_dash_reads_stdin(run: Any, opened: str) -> None:
    notes = "第一点：饮水机的问题要解决。\n第二点：团队集资也可以。\n"
    run.ok("speak", "lxj", "-", "--at", "19:35", input=notes.encode("utf-8"))
    assert run.meeting().speech[0].text == notes.strip()


def test_in_a_meeting_without_agenda_items_speeches_are_general_discussion(
        run: Any, folder: Any) -> None:
    run.ok("new", "临时议事会", "--date", "2024-07-01")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "--at", "19:00")
    run.ok("open", "--at", "19:00")
    result = run.ok("speak", "lxj", "先随便说说", "--at", "19:05")
    assert "议题" in result.stderr and "agenda add" in result.stderr, result.stderr
    assert run.meeting("2024-07-01").speech[0].item is None
    assert "尚无议题" in run.ok("status").stdout


@pytest.mark.parametrize(("text", "why"), [("   ", {"why_key": "schema.empty"}),
                                           ("有\u202e方向控制符",
                                            {"why_key": "schema.bidi", "code": "U+202E"})])
def test_unusable_speech_text_is_refused(run: Any, opened: str, text: str,
                                         why: dict[str, str]) -> None:
    run.refused("speak", "lxj", text, "--at", "19:35", because="input.bad_text",
                what_key="what.speech", **why)


# --- motions ---------------------------------------------------------------------------------

def test_propose_prints_the_motion_id(run: Any, opened: str) -> None:
    first = run.ok("propose", "三天后统一清运楼道堆物", "--by", "ly", "--second", "lxj",
                   "--at", "19:40")
    second = run.ok("propose", "增设垃圾桶", "--by", "wjg", "--at", "19:45")
    assert first.stdout.startswith("M1") and second.stdout.startswith("M2")
    assert "附议" in second.stderr, "a motion without a second warns"
    m1, m2 = run.meeting().motion
    assert (m1.id, m1.by, m1.second, m1.status, m1.item) == ("M1", "刘艳", "刘晓菊", "pending", 1)
    assert (m2.id, m2.second) == ("M2", None)


def test_a_guest_cannot_move_or_second(run: Any, opened: str) -> None:
    run.ok("sign", "--guest", "王丽娟", "--at", "19:25")
    result = run.refused("propose", "x", "--by", "王丽娟", "--at", "19:40")
    assert "表决权" in result.stderr
    run.ok("propose", "x", "--by", "lxj", "--at", "19:40")
    run.refused("second", "M1", "王丽娟", "--at", "19:41", because="live.not_a_voting_member",
                name="王丽娟", role_key="role.seconder")


def test_an_absent_member_cannot_move(run: Any, opened: str) -> None:
    run.refused("propose", "x", "--by", "csz", "--at", "19:40", because="clock.refused",
                reason_key="live.not_present", name="陈淑珍", at="19:40")


def test_nobody_seconds_their_own_motion(run: Any, opened: str) -> None:
    run.refused("propose", "x", "--by", "lxj", "--second", "刘晓菊", "--at", "19:40",
                because="live.second_self", name="刘晓菊")
    run.ok("propose", "x", "--by", "lxj", "--at", "19:40")
    run.refused("second", "M1", "lxj", "--at", "19:41", because="live.second_self",
                name="刘晓菊")


def test_second_records_the_seconder_once(run: Any, opened: str) -> None:
    run.ok("propose", "x", "--by", "lxj", "--at", "19:40")
    result = run.ok("second", "M1", "ly", "--at", "19:41")
    assert "M1 由 刘艳 附议" in result.stdout
    result = run.refused("second", "M1", "wjg", "--at", "19:42")
    assert "刘艳" in result.stderr


def test_amend_changes_the_text_and_keeps_the_earlier_one(run: Any, opened: str) -> None:
    run.ok("propose", "三天后清运", "--by", "ly", "--second", "lxj", "--at", "19:40")
    run.ok("amend", "M1", "贴出通知三天后清运", "--by", "wjg", "--at", "19:45")
    meeting = run.meeting()
    assert meeting.motion[0].text == "贴出通知三天后清运"
    amendment = meeting.amendment[0]
    assert (amendment.id, amendment.motion, amendment.by, amendment.at, amendment.previous,
            amendment.text) == ("E1", "M1", "王建国", "19:45", "三天后清运", "贴出通知三天后清运")
    run.refused("amend", "M1", "贴出通知三天后清运", "--by", "zgl", "--at", "19:46",
                because="live.amend_same", id="M1")


@pytest.mark.parametrize(("command", "status"), [("withdraw", "withdrawn"),
                                                 ("postpone", "postponed")])
def test_withdraw_and_postpone_end_a_pending_motion(run: Any, opened: str, command: str,
                                                    status: str) -> None:
    run.ok("propose", "x", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok(command, "M1")
    assert run.meeting().motion[0].status == status
    run.refused(command, "M1", because="live.motion_not_pending", id="M1",
                status_key=f"status.{status}")


def test_a_motion_may_carry_its_own_rule(run: Any, opened: str) -> None:
    run.ok("propose", "修改议事规则", "--by", "lxj", "--second", "ly", "--rule", "two-thirds",
           "--at", "19:40")
    run.ok("propose", "全体同意才行", "--by", "wjg", "--second", "zgl",
           "--rule", "全体成员三分之二以上", "--at", "19:41")
    run.ok("propose", "按默认规则", "--by", "wjg", "--second", "zgl", "--rule", ">1/2 present",
           "--at", "19:42")
    assert [m.rule for m in run.meeting().motion] == [">=2/3 present", ">=2/3 members", None]
    result = run.ok("vote", "M1", "--yes", "3", "--no", "2", "--at", "19:45")
    assert "未通过" in result.stdout and "三分之二" in result.stdout, result.stdout


def test_an_unreadable_rule_is_refused(run: Any, opened: str) -> None:
    result = run.refused("propose", "x", "--by", "lxj", "--rule", "大多数", "--at", "19:40")
    assert ">1/2 present" in result.stderr


def test_reconsider_reopens_a_decided_motion_and_keeps_the_earlier_vote(run: Any,
                                                                        opened: str) -> None:
    run.ok("propose", "增设垃圾桶", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "2", "--no", "3", "--at", "19:45")
    result = run.ok("reconsider", "M1", "--at", "19:50")
    assert "V1" in result.stdout
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:55")
    meeting = run.meeting()
    assert meeting.motion[0].status == "adopted"
    assert [(v.id, v.outcome, v.reconsidered) for v in meeting.vote] == [
        ("V1", "rejected", "19:50"), ("V2", "adopted", None)]
    assert run.ok("check").exit_code == 0


def test_only_a_decided_motion_can_be_reconsidered(run: Any, opened: str) -> None:
    run.ok("propose", "x", "--by", "lxj", "--second", "ly", "--at", "19:40")
    run.refused("reconsider", "M1", "--at", "19:45", because="live.cannot_reconsider", id="M1",
                status_key="status.pending")
    run.ok("withdraw", "M1")
    run.refused("reconsider", "M1", "--at", "19:45", because="live.cannot_reconsider", id="M1",
                status_key="status.withdrawn")


# --- votes -------------------------------------------------------------------------------------

@pytest.fixture
def moved(run: Any, opened: str) -> str:
    """M1, moved by 刘艳 and seconded by 刘晓菊 at 19:40 on item 1."""
    run.ok("propose", "三天后统一清运楼道堆物", "--by", "ly", "--second", "lxj", "--at", "19:40")
    return "M1"


def test_the_vote_line_shows_the_arithmetic(run: Any, moved: str) -> None:
    result = run.ok("vote", "M1", "--yes", "3", "--no", "2", "--at", "19:45")
    assert result.stdout.splitlines()[0] == \
        "M1 通过：赞成 3 票，超过实到有表决权成员 5 人的半数（2.5）", result.stdout


def test_a_rejected_motion_is_a_result_not_an_error(run: Any, moved: str) -> None:
    result = run.ok("vote", "M1", "--yes", "2", "--no", "2", "--abstain", "1", "--at", "19:45")
    assert result.stdout.splitlines()[0] == \
        "M1 未通过：赞成 2 票，未超过实到有表决权成员 5 人的半数（2.5）", result.stdout
    assert "决议" not in result.stdout
    assert run.meeting().motion[0].status == "rejected"


def test_the_vote_record_keeps_the_room_as_it_was(run: Any, moved: str) -> None:
    result = run.ok("vote", "M1", "--yes", "3", "--no", "1", "--at", "19:45")
    assert "1 人未举手" in result.stderr, result.stderr
    vote = run.meeting().vote[0]
    assert (vote.id, vote.motion, vote.at, vote.yes, vote.no, vote.abstain, vote.present,
            vote.eligible, vote.not_voting, vote.rule, vote.outcome, vote.recused) == (
        "V1", "M1", "19:45", 3, 1, 0, 5, 5, 1, ">1/2 present", "adopted", [])


def test_recused_members_leave_the_base_but_count_for_the_quorum(run: Any, moved: str) -> None:
    run.ok("leave", "lxy", "--at", "19:42")  # 4 present: exactly the quorum
    result = run.ok("vote", "M1", "--yes", "2", "--no", "1", "--recuse", "zgl", "--at", "19:45")
    assert "通过" in result.stdout and "回避 1 人" in result.stdout, result.stdout
    vote = run.meeting().vote[0]
    assert (vote.present, vote.eligible, vote.recused) == (4, 3, ["张桂兰"])


def test_unanimous_means_every_eligible_hand(run: Any, moved: str) -> None:
    run.ok("vote", "M1", "--unanimous", "--recuse", "wjg", "--at", "19:45")
    vote = run.meeting().vote[0]
    assert (vote.yes, vote.no, vote.abstain, vote.eligible) == (4, 0, 0, 4)


def test_unanimous_with_contradicting_counts_is_refused(run: Any, moved: str) -> None:
    run.refused("vote", "M1", "--unanimous", "--no", "1", "--at", "19:45",
                because="live.unanimous_conflict", eligible=5)


# Every refusal of issue 3's vote paragraph: exit 1 and not a byte changed.

def test_vote_refused_without_quorum_at_that_moment(run: Any, moved: str) -> None:
    run.ok("leave", "wjg", "zgl", "--at", "19:42")
    result = run.refused("vote", "M1", "--yes", "3", "--no", "0", "--at", "19:45")
    assert "实到成员 3 人" in result.stderr and "至少 4 人" in result.stderr, result.stderr


@pytest.mark.parametrize("counts", [
    ["--yes", "4", "--no", "1", "--abstain", "1"],
    ["--yes", "6", "--no", "0"],
    ["--yes", "3", "--no", "2", "--recuse", "lxj"],
], ids=["six hands of five", "six yes of five", "five hands of four eligible"])
def test_vote_refused_with_more_hands_than_eligible_voters(run: Any, moved: str,
                                                           counts: list[str]) -> None:
    result = run.refused("vote", "M1", *counts, "--at", "19:45")
    assert "超过有表决权的" in result.stderr, result.stderr


@pytest.mark.parametrize(("recused", "because", "said"), [
    ("csz", "clock.refused", {"reason_key": "live.recuse_not_present", "name": "陈淑珍"}),
    ("王丽娟", "clock.refused", {"reason_key": "live.recuse_not_present", "name": "王丽娟"}),
    ("路人甲", "names.unknown", {"query": "路人甲"}),
], ids=["absent member", "guest", "unknown"])
def test_vote_refused_when_a_recused_name_is_not_a_present_member(
        run: Any, moved: str, recused: str, because: str, said: dict[str, str]) -> None:
    run.ok("sign", "--guest", "王丽娟", "--at", "19:25")
    run.refused("vote", "M1", "--yes", "3", "--no", "0", "--recuse", recused, "--at", "19:45",
                because=because, **said)


@pytest.mark.parametrize("earlier", [["vote", "M1", "--yes", "4", "--no", "0", "--at", "19:44"],
                                     ["withdraw", "M1"], ["postpone", "M1"]],
                         ids=["adopted", "withdrawn", "postponed"])
def test_vote_refused_when_the_motion_is_not_pending(run: Any, moved: str,
                                                     earlier: list[str]) -> None:
    run.ok(*earlier)
    result = run.refused("vote", "M1", "--yes", "3", "--no", "0", "--at", "19:45")
    assert "M1" in result.stderr


def test_vote_refused_on_a_motion_that_does_not_exist(run: Any, moved: str) -> None:
    result = run.refused("vote", "M9", "--yes", "3", "--no", "0", "--at", "19:45")
    assert "M1" in result.stderr, "lists the motions there are"


def test_vote_refused_without_a_second_while_one_is_required(run: Any, opened: str) -> None:
    run.ok("propose", "增设垃圾桶", "--by", "wjg", "--at", "19:40")
    result = run.refused("vote", "M1", "--yes", "4", "--no", "0", "--at", "19:45")
    assert "附议" in result.stderr


def test_without_second_required_an_unseconded_motion_may_be_voted(run: Any,
                                                                   opened: str) -> None:
    path = run.meeting_path()
    path.write_text(path.read_text(encoding="utf-8").replace("second_required = true",
                                                             "second_required = false"),
                    encoding="utf-8")
    run.ok("propose", "增设垃圾桶", "--by", "wjg", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "4", "--no", "0", "--at", "19:45")


def test_vote_refused_before_the_opening(run: Any, moved: str) -> None:
    run.refused("vote", "M1", "--yes", "3", "--no", "0", "--at", "19:25", because="clock.refused",
                reason_key="live.before_opening", at="19:25", opened="19:30")


@pytest.mark.parametrize("args", [["--yes", "3"], ["--no", "3"], [],
                                  ["--yes", "-1", "--no", "0"], ["--yes", "three", "--no", "0"]])
def test_vote_usage_errors_exit_2_and_write_nothing(run: Any, moved: str,
                                                    args: list[str]) -> None:
    before = run.snapshot()
    result = run("vote", "M1", *args, "--at", "19:45")
    assert result.exit_code == 2, result.output
    assert run.snapshot() == before


def test_resolutions_are_numbered_in_adoption_order(run: Any, opened: str) -> None:
    run.ok("propose", "清运楼道堆物", "--by", "ly", "--second", "lxj", "--at", "19:40")
    run.ok("propose", "增设垃圾桶", "--by", "wjg", "--second", "zgl", "--at", "19:41")
    run.ok("propose", "装监控", "--by", "lxy", "--second", "zgl", "--at", "19:42")
    first = run.ok("vote", "M2", "--yes", "4", "--no", "1", "--at", "19:45")
    assert "M2 形成决议 R1" in first.stdout
    assert "决议" not in run.ok("vote", "M3", "--yes", "1", "--no", "4", "--at", "19:46").stdout
    second = run.ok("vote", "M1", "--yes", "5", "--no", "0", "--at", "19:47")
    assert "M1 形成决议 R2" in second.stdout
    resolutions = [(number, motion.id) for number, motion, _ in run.meeting().resolutions()]
    assert resolutions == [("R1", "M2"), ("R2", "M1")]


def test_a_reconsidered_resolution_takes_its_new_place(run: Any, opened: str) -> None:
    run.ok("propose", "清运楼道堆物", "--by", "ly", "--second", "lxj", "--at", "19:40")
    run.ok("propose", "增设垃圾桶", "--by", "wjg", "--second", "zgl", "--at", "19:41")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45")
    run.ok("vote", "M2", "--yes", "4", "--no", "1", "--at", "19:46")
    run.ok("reconsider", "M1", "--at", "19:50")
    assert "M1 形成决议 R2" in run.ok("vote", "M1", "--yes", "5", "--no", "0",
                                        "--at", "19:55").stdout
    resolutions = [(number, motion.id) for number, motion, _ in run.meeting().resolutions()]
    assert resolutions == [("R1", "M2"), ("R2", "M1")]


@pytest.mark.parametrize(("rule", "counts", "outcome"), [
    ("nantang", ["--yes", "2", "--no", "1", "--abstain", "2"], "通过"),
    ("nantang", ["--yes", "2", "--no", "2", "--abstain", "1"], "未通过"),
    (">1/2 members", ["--yes", "4", "--no", "1"], "通过"),
    (">1/2 members", ["--yes", "3", "--no", "2"], "未通过"),
    (">=2/3 cast", ["--yes", "2", "--no", "1"], "通过"),
])
def test_the_motions_rule_decides(run: Any, opened: str, rule: str, counts: list[str],
                                  outcome: str) -> None:
    run.ok("propose", "x", "--by", "lxj", "--second", "ly", "--rule", rule, "--at", "19:40")
    result = run.ok("vote", "M1", *counts, "--at", "19:45")
    assert result.stdout.startswith(f"M1 {outcome}："), result.stdout


# --- actions -----------------------------------------------------------------------------------

def test_action_prints_its_id_and_records_owner_and_due(run: Any, moved: str) -> None:
    result = run.ok("action", "联系清运车", "--owner", "lxj", "--due", "2024-05-20",
                    "--motion", "M1", "--at", "19:50")
    assert result.stdout.startswith("A1") and "刘晓菊" in result.stdout
    action = run.meeting().action[0]
    assert (action.id, action.owner, action.due.isoformat(), action.motion, action.done) == (
        "A1", "刘晓菊", "2024-05-20", "M1", False)
    assert run.ok("action", "贴通知", "--owner", "ly", "--at", "19:51").stdout.startswith("A2")


def test_a_due_date_before_the_meeting_warns(run: Any, opened: str) -> None:
    result = run.ok("action", "x", "--owner", "lxj", "--due", "2024-05-01", "--at", "19:50")
    assert "2024-05-01" in result.stderr


@pytest.mark.parametrize(("args", "because", "said"), [
    (["--owner", "路人甲"], "names.unknown", {"query": "路人甲"}),
    (["--owner", "lxj", "--due", "5月32日"], "input.bad_date", {"value": "5月32日"}),
    (["--owner", "lxj", "--motion", "M9"], "live.no_such_motion", {"id": "M9"}),
])
def test_action_refuses_bad_input(run: Any, opened: str, args: list[str], because: str,
                                  said: dict[str, str]) -> None:
    run.refused("action", "x", *args, "--at", "19:50", because=because, **said)


def test_done_marks_an_action_done_with_a_note(run: Any, opened: str) -> None:
    run.ok("action", "联系清运车", "--owner", "lxj", "--at", "19:50")
    result = run.ok("done", "A1", "--note", "已联系，周六清运")
    assert "A1" in result.stdout
    action = run.meeting().action[0]
    assert (action.done, action.note) == (True, "已联系，周六清运")
    before = run.snapshot()
    assert "已标为完成" in run.ok("done", "a1").stdout
    assert run.snapshot() == before
    run.refused("done", "A7", because="live.no_such_action", id="A7")


def test_done_reaches_an_action_of_a_closed_meeting(run: Any, opened: str) -> None:
    run.ok("action", "联系清运车", "--owner", "lxj", "--at", "19:50")
    run.ok("close", "--at", "20:30")
    # no open meeting to default to
    run.refused("done", "A1", because="store.none_open", newest=opened)
    run.ok("done", f"{opened}/A1")
    assert run.meeting().action[0].done


# --- the dashboard -----------------------------------------------------------------------------

def test_status_shows_the_room_the_item_the_pending_motions_and_open_actions(
        run: Any, opened: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # an 80-column terminal
    run.ok("sign", "--guest", "王丽娟", "--at", "19:25")
    run.ok("speak", "lxj", "说一点", "--at", "19:35")
    run.ok("speak", "lxj", "再说一点", "--at", "19:36")
    run.ok("speak", "ly", "我也说", "--at", "19:37")
    run.ok("propose", "三天后统一清运楼道堆物并张贴通知告知全体居民", "--by", "ly", "--at", "19:40")
    run.ok("action", "联系清运车", "--owner", "lxj", "--at", "19:50")
    run.ok("action", "联系物业、居委会和各楼栋长，" * 6 + "统一安排清运时间", "--owner", "ly",
           "--at", "19:51")
    result = run.ok("status")
    for words in ("应到 7 人", "实到 5 人", "列席 1 人", "至少 4 人", "已达到",
                  "1. 楼道堆物清理", "刘晓菊2次", "刘艳1次", "M1", "待附议", "A1 联系清运车"):
        assert words in result.stdout, (words, result.stdout)
    for line in result.stdout.splitlines():
        assert cell_len(line.rstrip()) <= 80, line


def test_status_reports_a_missing_quorum_with_its_numbers(run: Any, opened: str) -> None:
    run.ok("leave", "wjg", "zgl", "--at", "19:50")
    result = run.ok("status")
    assert "实到成员 3 人" in result.stdout and "差 1 人" in result.stdout, result.stdout


def test_every_writing_command_confirms_in_a_line(run: Any, opened: str) -> None:
    steps = [
        ["agenda", "add", "电动车充电桩"], ["sign", "--guest", "王丽娟", "--at", "19:25"],
        ["speak", "lxj", "说一点", "--at", "19:35"],
        ["propose", "x", "--by", "lxj", "--at", "19:40"], ["second", "M1", "ly", "--at", "19:41"],
        ["amend", "M1", "y", "--by", "wjg", "--at", "19:42"],
        ["vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45"],
        ["action", "z", "--owner", "lxj", "--at", "19:50"], ["done", "A1"],
        ["leave", "lxy", "--at", "20:00"], ["close", "--at", "20:30"],
    ]
    for step in steps:
        result = run.ok(*step)
        assert result.stdout.strip(), step


# --- English ------------------------------------------------------------------------------------

def test_messages_are_english_with_yiguan_lang_en(run: Any, moved: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIGUAN_LANG", "en")
    result = run.refused("vote", "M1", "--yes", "4", "--no", "1", "--abstain", "1",
                         "--at", "19:45")
    assert result.stderr.startswith("yiguan: error: "), result.stderr
    assert "eligible" in result.stderr
    result = run.ok("vote", "M1", "--yes", "3", "--no", "2", "--at", "19:45")
    assert result.stdout.splitlines() == [
        "M1 adopted: 3 yes, more than half (2.5) of the 5 voting members present",
        "M1 becomes resolution R1"]
    result = run.ok("speak", "lxj", "饮水机的问题要解决", "--at", "19:50")
    assert "刘晓菊" in result.stdout and "speech" in result.stdout, result.stdout
    status = run.ok("status").stdout
    assert "Quorum" in status and "楼道堆物清理" in status, status


def test_english_refusal_without_quorum(run: Any, moved: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIGUAN_LANG", "en")
    run.ok("leave", "wjg", "zgl", "--at", "19:42")
    result = run.refused("vote", "M1", "--yes", "3", "--no", "0", "--at", "19:45")
    assert "3 members present" in result.stderr and "needs 4" in result.stderr, result.stderr
