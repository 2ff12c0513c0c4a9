"""The record tells the truth as people say it (issue 18), through the command line.

- 7点20 at an evening meeting is 19:20: a bare hour 1–12 is read on the 12-hour clock,
  nearest the meeting's time; the past-midnight rule comes after that reading.
- Times nobody wrote down (a write-up from notes, no --at) keep their order but are
  printed nowhere; giving them later is not a correction.
- The host's closing words (--closing) stand after the items; a guest is never late;
  follow-up work may be added after the close; shares use the base of the rule; the ids
  a secretary types appear in `show` and `status`; one option (--why) for why a
  correction is made.
"""

from __future__ import annotations

from typing import Any

import pytest

from yiguan.meeting.check import check_file

DAY = "2024-03-05"
M = ("-m", DAY)


def _meeting_at(run: Any, planned: str | None) -> None:
    args = ["new", "议事会", "--date", DAY]
    if planned is not None:
        args += ["--time", planned]
    run.ok(*args)
    run.ok("agenda", "add", "加装电梯")


# --- 1. the 12-hour clock ---

@pytest.mark.parametrize(("planned", "typed", "stored"), [
    # an evening meeting
    ("19:30", "7点20", "19:20"), ("19:30", "7:20", "19:20"), ("19:30", "8点", "20:00"),
    ("19:30", "七点二十", "19:20"), ("19:30", "19:20", "19:20"),
    # as written, then more than 12 hours before the meeting: the next morning (issue 9)
    ("19:30", "07:20", "31:20"),
    ("19:30", "晚上7点20", "19:20"), ("19:30", "12点半", "24:30"),
    # an afternoon meeting
    ("14:30", "2点20", "14:20"), ("14:30", "3点", "15:00"), ("14:30", "2点40", "14:40"),
    ("14:30", "十二点", "12:00"), ("14:30", "8点30", "20:30"),  # a tie: the later reading
    # a morning meeting
    ("09:00", "8点50", "08:50"), ("09:00", "9点", "09:00"), ("09:00", "1点", "13:00"),
    ("09:00", "上午10点", "10:00"),
    # near midnight: the 12-hour reading first, then the past-midnight rule
    ("23:45", "0点30", "24:30"), ("23:45", "12点10", "24:10"), ("23:45", "11点50", "23:50"),
    ("23:45", "23:50", "23:50"), ("23:45", "1点", "25:00"),
])
def test_a_bare_hour_is_read_on_the_12_hour_clock_nearest_the_meeting(
        run: Any, folder: Any, planned: str, typed: str, stored: str) -> None:
    _meeting_at(run, planned)
    run.ok("sign", "lxj", "--at", typed)
    assert run.meeting(DAY).attendee[0].arrived == stored


def test_an_evening_meeting_typed_the_way_people_say_it(run: Any, folder: Any) -> None:
    """Planned for 晚上7点30: sign-ins at 7点20 count for the opening at 7点30."""
    run.ok("new", "议事会", "--date", DAY, "--time", "晚上7点30")
    signed = run.ok("sign", "lxj", "ly", "wjg", "zgl", "--at", "7点20")
    assert "19:20 刘晓菊 签到" in signed.stdout
    assert "「7点20」按 19:20 记录" in signed.stderr
    opened = run.ok("open", "--at", "7点30")
    assert "19:30 开会" in opened.stdout and "已达到" in opened.stdout
    assert "「7点30」按 19:30 记录" in opened.stderr
    meeting = run.meeting(DAY)
    assert meeting.opened == "19:30" and len(meeting.voting_present("19:30")) == 4


def test_an_afternoon_time_is_no_longer_refused(run: Any, folder: Any) -> None:
    _meeting_at(run, "14:30")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "--at", "2点20")
    run.ok("open", "--at", "2点30")
    spoke = run.ok("speak", "lxj", "电梯要装", "--at", "2点40")
    assert "「2点40」按 14:40 记录" in spoke.stderr
    assert run.meeting(DAY).speech[0].at == "14:40"


def test_the_12_hour_reading_needs_the_meetings_time_else_as_written(
        run: Any, folder: Any) -> None:
    _meeting_at(run, None)  # no planned time, no records: nothing to be near
    run.ok("sign", "lxj", "--at", "7点20")
    assert run.meeting(DAY).attendee[0].arrived == "07:20"
    run.ok("sign", "ly", "--at", "8点")  # the first sign-in is the reference now
    assert run.meeting(DAY).attendee[1].arrived == "08:00"


# --- 2. times nobody noted ---

@pytest.fixture
def written_up(run: Any, folder: Any, clock: Any) -> str:
    """A March afternoon meeting typed up a week later from paper notes: only the opening
    and one speech have a time; everything else comes from the meeting clock."""
    clock.set("2024-03-12 10:00")
    _meeting_at(run, "15:00")
    run.ok("agenda", "add", "停车收费")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "lxy")
    run.ok("sign", "--guest", "王丽娟", "--org", "幸福里社区")
    run.ok("open", "--at", "15:00")
    run.ok("speak", "lxj", "电梯要装。", "--at", "15:38")
    run.ok("speak", "ly", "费用怎么分摊？")
    run.ok("speak", "wjg", "按楼层分摊。")
    run.ok("propose", "加装电梯，费用按楼层分摊", "--by", "ly", "--second", "wjg")
    run.ok("vote", "M1", "--yes", "4", "--no", "1")
    run.ok("leave", "zgl")
    run.ok("close")
    return DAY


def test_the_meeting_clock_keeps_the_order_but_marks_the_time_not_noted(
        run: Any, written_up: str) -> None:
    meeting = run.meeting(DAY)
    assert [s.at for s in meeting.speech] == ["15:38", "15:38", "15:38"]
    assert [s.at_noted for s in meeting.speech] == [None, False, False]
    assert meeting.motion[0].at_noted is False and meeting.vote[0].at_noted is False
    assert all(a.arrived_noted is False for a in meeting.attendee)
    assert meeting.opened_noted is None and meeting.closed_noted is False
    assert meeting.closed == "15:38"  # the latest record: the meeting clock
    assert b"at_noted = false" in run.meeting_bytes(DAY)
    assert check_file(run.meeting_path(DAY)) == []


def test_the_documents_print_no_time_nobody_noted(run: Any, written_up: str) -> None:
    text = run.ok("minutes", *M).stdout
    assert "1. 15:38 刘晓菊：电梯要装。" in text
    assert "2. 刘艳：费用怎么分摊？" in text and "3. 王建国：按楼层分摊。" in text
    assert "**动议人**：刘艳\n" in text
    assert "**表决方式**：举手表决，到会有表决权成员 5 人" in text
    assert "张桂兰（中途离场）" not in text  # she left at the close: no early departure
    assert "**散会时间**：（未记录）" in text
    assert "2024年3月5日（星期二） 15:00 开始" in text
    english = run.ok("minutes", *M, "--lang", "en").stdout
    assert "- 刘艳: 费用怎么分摊？" in english or "2. 刘艳: 费用怎么分摊？" in english
    shown = run.ok("show", *M).stdout
    assert "≈15:38" in shown and "≈15:38 散会" in shown


def test_giving_a_time_later_is_not_a_correction(run: Any, written_up: str) -> None:
    result = run.ok("fix", "S2", "--at", "3点45", *M)  # no --why: nothing signed changes
    assert "发言 S2 的时间记为 15:45（原先未记录时间，不算更正）" in result.stdout
    meeting = run.meeting(DAY)
    assert meeting.speech[1].at == "15:45" and meeting.speech[1].at_noted is None
    # the close nobody noted was the clock's guess (15:38): it follows what was noted
    assert (meeting.closed, meeting.closed_noted) == ("15:45", False)
    assert meeting.correction == []
    # now after S3 (15:38): the time orders the record
    assert "3. 15:45 刘艳：费用怎么分摊？" in run.ok("minutes", *M).stdout
    assert "更正说明" not in run.ok("minutes", *M).stdout
    # once noted, changing it is a correction like any other
    refused = run.refused("fix", "S2", "--at", "15:46", *M)
    assert "更正须用 --why 说明原因" in refused.stderr
    run.ok("fix", "S2", "--at", "15:46", "--why", "对照录音", *M)
    assert [c.field for c in run.meeting(DAY).correction] == ["at"]
    # undo takes the noted time back like any write
    run.ok("undo")
    run.ok("undo")
    assert run.meeting(DAY).speech[1].at_noted is False


def test_a_time_noted_together_with_a_correction_traces_only_the_correction(
        run: Any, written_up: str) -> None:
    run.refused("fix", "S3", "--at", "15:50", "--text", "按楼层递增分摊。", *M,
                because="fix.reason_required", closed="15:38", flag="--why")
    run.ok("fix", "S3", "--at", "15:50", "--text", "按楼层递增分摊。", "--why", "笔误", *M)
    meeting = run.meeting(DAY)
    assert [(c.record, c.field) for c in meeting.correction] == [("speech S3", "text")]
    assert meeting.speech[2].at_noted is None


def test_a_written_up_meeting_without_any_time_prints_the_planned_start(
        run: Any, folder: Any, clock: Any) -> None:
    clock.set("2024-03-12 10:00")
    _meeting_at(run, "15:00")
    run.ok("sign", "lxj", "ly", "wjg", "zgl")
    run.ok("open")
    run.ok("close")
    text = run.ok("minutes", *M).stdout
    assert "**时间**：2024年3月5日（星期二），计划 15:00 开始" in text
    assert "开会时实到成员 4 人" in text  # the quorum without a time nobody noted


# --- 3. closing words ---

def test_closing_words_stand_after_the_items_under_their_own_heading(
        run: Any, opened: str) -> None:
    run.ok("speak", "lxj", "堆物三天内清走。", "--at", "19:35")
    run.ok("propose", "小游园排班打扫", "--by", "ly", "--second", "wjg", "--item", "2",
           "--at", "19:40")
    run.ok("vote", "M1", "--yes", "5", "--no", "0", "--at", "19:45")
    for minute in ("50", "51", "52"):  # a member three times: no limit counts closing words
        said = run.ok("speak", "lxj", f"小结{minute}", "--closing", "--at", f"19:{minute}")
        assert "的会议小结" in said.stdout and said.stderr == ""
    meeting = run.meeting()
    assert [s.item for s in meeting.speech[1:]] == [None, None, None]
    assert meeting.current_item().id == 2  # closing words move no item
    text = run.ok("minutes").stdout
    closing = text.index("## 会议小结")
    assert text.index("## 议题二") < closing < text.index("## 决议事项")
    assert "19:50 刘晓菊：小结50" in text[closing:]
    assert "议题以外" not in text
    refused = run.refused("speak", "lxj", "小结", "--closing", "--item", "1")
    assert "请去掉 --item 1" in refused.stderr
    assert "请去掉 --item 2" in run.refused("fix", "S2", "--item", "2").stderr
    assert check_file(run.meeting_path()) == []


# --- 4. guests and the options for reasons ---

def test_a_guest_who_comes_after_the_opening_is_not_late(run: Any, opened: str) -> None:
    run.ok("sign", "--guest", "物业小李", "--org", "物业公司", "--at", "19:50")
    run.ok("sign", "csz", "--at", "19:55")
    text = run.ok("minutes").stdout
    assert "**迟到**：陈淑珍（19:55 到会）\n" in text
    assert "物业小李（物业公司，19:50 到会）" in text


def test_why_names_the_reason_for_every_correction_and_reason_stays_as_its_old_spelling(
        run: Any, opened: str) -> None:
    run.ok("speak", "lxj", "堆物三天内清走。", "--at", "19:35")
    run.ok("speak", "ly", "同意。", "--at", "19:36")
    run.ok("close", "--at", "20:00")
    day = ("-m", "2024-05-10")
    run.ok("fix", "S1", "--text", "堆物五天内清走。", "--why", "笔误", *day)
    run.ok("strike", "S2", "--reason", "重复录入", *day)  # the old spelling, hidden
    assert [c.reason for c in run.meeting().correction] == ["笔误", "重复录入"]
    both = run(*("fix", "S1", "--text", "x", "--why", "a", "--reason", "b", *day))
    assert both.exit_code == 2 and "同一个选项" in both.output
    helped = run.ok("fix", "--help").stdout
    assert "--why" in helped and "--reason" not in helped
    assert "--why" in run.ok("excuse", "--help").stdout


# --- 5. follow-up work after the close ---

def test_follow_up_work_can_be_added_after_the_close_without_a_correction(
        run: Any, opened: str, clock: Any) -> None:
    run.ok("propose", "楼道堆物限期清理", "--by", "ly", "--second", "wjg", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "5", "--no", "0", "--at", "19:45")
    run.ok("close", "--at", "20:00")
    clock.set("2024-05-13 09:00")
    said = run.ok("action", "张贴清理通知", "--owner", "ly", "--due", "2024-05-20",
                  "--motion", "M1", "-m", "2024-05-10")
    assert "A1 已补充责任分工（会后，2024-05-13）" in said.stdout
    assert "按会议时间" not in said.stdout
    meeting = run.meeting()
    action = meeting.action[0]
    assert (action.added.isoformat(), action.at, action.motion) == ("2024-05-13", "20:00", "M1")
    assert meeting.correction == []
    minutes = run.ok("minutes", "-m", "2024-05-10").stdout
    assert "张贴清理通知" in minutes and "会后补充，2024年5月13日" in minutes
    assert "更正说明" not in minutes
    results = run.ok("notice", "--results", "-m", "2024-05-10").stdout
    assert results.index("楼道堆物限期清理") < results.index("张贴清理通知")
    refused = run.refused("action", "另一件事", "--owner", "ly", "--at", "20:30",
                          "-m", "2024-05-10")
    assert "请去掉 --at" in refused.stderr
    run.ok("done", "A1", "-m", "2024-05-10")
    assert check_file(run.meeting_path()) == []
    run.ok("undo")
    run.ok("undo")
    assert run.meeting().action == []


# --- 6. numbers a secretary can find ---

def test_vote_shares_use_the_base_of_the_rule(run: Any, opened: str) -> None:
    run.ok("sign", "csz", "zzq", "--at", "19:31")
    run.ok("propose", "楼下小卖部扩建", "--by", "ly", "--second", "wjg", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--abstain", "1", "--recuse", "lxj",
           "--at", "19:45")
    text = run.ok("minutes").stdout
    assert ("赞成 4 票（占到会有表决权成员 6 人的 66.7%），反对 1 票（16.7%），"
            "弃权 1 票（16.7%）") in text
    assert "57.1%" not in text


def test_fix_on_a_motion_fixes_its_one_vote_or_names_them(run: Any, opened: str) -> None:
    run.ok("propose", "小游园排班打扫", "--by", "ly", "--second", "wjg", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "3", "--no", "2", "--at", "19:45")
    fixed = run.ok("fix", "M1", "--yes", "4", "--no", "1")
    assert "动议 M1 的表决为 V1" in fixed.stdout
    assert (run.meeting().vote[0].yes, run.meeting().vote[0].no) == (4, 1)
    run.ok("reconsider", "M1", "--at", "19:50")
    run.ok("vote", "M1", "--yes", "5", "--no", "0", "--at", "19:55")
    refused = run.refused("fix", "M1", "--yes", "3")
    assert "表决过不止一次（V1、V2）" in refused.stderr
    run.ok("propose", "楼道照明", "--by", "wjg", "--second", "ly", "--at", "20:00")
    assert "尚未表决" in run.refused("fix", "M2", "--yes", "3").stderr


def test_an_item_nobody_raised_prints_no_proposer_line(run: Any, planned: str) -> None:
    run.ok("agenda", "add", "小区绿化")  # no --by
    for command in (("minutes",), ("announce",)):
        text = run.ok(*command).stdout
        assert "小区绿化" in text and "未记录）" not in text.split("小区绿化")[1][:80]
    assert "提出人：（未记录）" not in run.ok("minutes").stdout


# --- 7. the ids a secretary types ---

def test_show_and_status_list_votes_and_actions_with_their_ids(run: Any, opened: str) -> None:
    run.ok("propose", "小游园排班打扫", "--by", "ly", "--second", "wjg", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "3", "--no", "2", "--at", "19:45")
    run.ok("action", "排出值日表", "--owner", "ly", "--motion", "M1", "--at", "19:50")
    status = run.ok("status").stdout
    assert "V1 动议 M1 3/2/0 通过" in status and "A1 排出值日表" in status
    shown = run.ok("show").stdout
    assert "表决记录" in shown and "V1" in shown and "19:45" in shown and "A1" in shown


def test_a_planned_start_said_on_the_12_hour_clock_is_said_back_as_morning(
        run: Any, folder: Any) -> None:
    """`new --time` has no meeting to be near: 7点30 is taken as written, and the note
    says how to plan an evening meeting."""
    made = run.ok("new", "议事会", "--date", DAY, "--time", "7点30")
    assert "「7点30」按上午 07:30 记录；下午或晚上的会请写明" in made.stderr
    assert run.meeting(DAY).time == "07:30"
    run.ok("new", "晚会", "--date", "2024-03-06", "--time", "晚上7点30")
    assert run.meeting("2024-03-06").time == "19:30"
