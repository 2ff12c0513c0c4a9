"""The meeting clock and meetings past midnight (issue 9, points 2 and 3).

Without `--at`, a meeting dated today takes the time now; a meeting dated another day
(typed up from paper notes) takes its own clock — the time of its latest record, or its
planned start — and says so. A refusal about time names `--at`, and the meeting's date
when it is not today. A typed time more than 12 hours earlier than the opening belongs to
the next day, stored as 24:00–35:59 and shown as 次日 00:30. The clock is the `clock`
fixture (yiguan.cli.common.now), never the machine's.
"""

from __future__ import annotations

from typing import Any

import pytest

from yiguan.meeting.check import check_file
from yiguan.text.messages import ClockTime

# the `opened` meeting: dated 2024-05-10, opened at 19:30, five members in since 19:20


# --- a meeting dated another day -----------------------------------------------------------

def test_a_write_up_two_days_later_takes_the_meetings_clock_not_todays(
        run: Any, opened: str, clock: Any) -> None:
    clock.set("2024-05-12 09:05")
    first = run.ok("speak", "lxj", "楼道堆物要清。")
    assert "按会议时间 19:30 记录；可用 --at 指定" in first.stdout, first.stdout
    run.ok("speak", "ly", "同意。", "--at", "19:40")
    second = run.ok("propose", "清运楼道堆物", "--by", "ly", "--second", "lxj")
    assert "按会议时间 19:40 记录" in second.stdout, second.stdout
    run.ok("vote", "M1", "--yes", "4", "--no", "1")
    run.ok("close")
    meeting = run.meeting()
    times = [s.at for s in meeting.speech] + [meeting.motion[0].at, meeting.vote[0].at,
                                               meeting.closed]
    assert times == ["19:30", "19:40", "19:40", "19:40", "19:40"], times
    assert "09:05" not in run.meeting_path().read_text(encoding="utf-8")
    assert check_file(run.meeting_path()) == []


def test_opening_a_past_meeting_without_at_takes_its_planned_time(
        run: Any, planned: str, clock: Any) -> None:
    clock.set("2024-05-13 21:00")
    signed = run.ok("sign", "lxj", "ly", "wjg", "zgl")
    assert "按会议时间 19:30 记录" in signed.stdout
    run.ok("open")
    meeting = run.meeting()
    assert meeting.opened == "19:30" and meeting.attendee[0].arrived == "19:30"


def test_a_past_meeting_with_no_time_at_all_asks_for_at_and_names_its_date(
        run: Any, folder: Any, clock: Any) -> None:
    clock.set("2024-07-03 10:00")
    run.ok("new", "补记的会", "--date", "2024-06-30")
    result = run.refused("sign", "lxj")
    assert "--at" in result.stderr and "2024-06-30" in result.stderr, result.stderr


def test_a_meeting_dated_today_takes_the_time_now_and_says_nothing_more(
        run: Any, opened: str, clock: Any) -> None:
    clock.set("2024-05-10 19:47")
    result = run.ok("speak", "lxj", "楼道堆物要清。")
    assert "按会议时间" not in result.stdout
    assert run.meeting().speech[0].at == "19:47"


def test_a_time_refusal_names_at_and_the_date_when_the_meeting_is_not_today(
        run: Any, opened: str, clock: Any) -> None:
    clock.set("2024-05-12 09:05")
    result = run.refused("speak", "lxj", "早到的发言", "--at", "19:00")
    assert "19:00 早于开会时间 19:30" in result.stderr
    assert "--at" in result.stderr and "2024-05-10" in result.stderr, result.stderr
    english = run.refused("speak", "lxj", "x", "--at", "19:00", env={"YIGUAN_LANG": "en"})
    assert "--at" in english.stderr and "2024-05-10" in english.stderr, english.stderr


def test_a_time_refusal_on_todays_meeting_says_the_clock_gave_the_time(
        run: Any, opened: str, clock: Any) -> None:
    clock.set("2024-05-10 19:10")
    result = run.refused("speak", "lxj", "开会前的发言")
    assert "19:10 早于开会时间 19:30" in result.stderr
    assert "现在的时钟" in result.stderr and "--at" in result.stderr, result.stderr
    assert "2024-05-10" not in result.stderr
    given = run.refused("speak", "lxj", "x", "--at", "19:00")
    assert "--at" in given.stderr and "2024-05-10" not in given.stderr


def test_second_takes_at_and_checks_the_seconders_presence_then(
        run: Any, opened: str, clock: Any) -> None:
    run.ok("propose", "清运楼道堆物", "--by", "lxj", "--at", "19:40")
    absent = run.refused("second", "M1", "csz", "--at", "19:50")
    assert "陈淑珍 在 19:50 不在场" in absent.stderr and "--at" in absent.stderr
    run.ok("sign", "csz", "--at", "19:55")
    run.refused("second", "M1", "csz", "--at", "19:50",  # not yet in the room at 19:50
                because="clock.refused", reason_key="live.not_present", name="陈淑珍",
                at="19:50")
    before = run.refused("second", "M1", "ly", "--at", "19:35")
    assert "早于动议 M1 提出的时间" in before.stderr or "不能早于" in before.stderr
    run.ok("second", "M1", "csz", "--at", "19:56")
    assert run.meeting().motion[0].second == "陈淑珍"


@pytest.mark.parametrize("extra", [["--at", "19:00"], ["--at", "19:50"], []],
                         ids=["before the opening", "in session", "clock"])
def test_a_missing_motion_is_named_before_anything_about_time(
        run: Any, opened: str, clock: Any, extra: list[str]) -> None:
    clock.set("2024-05-12 09:05")
    result = run.refused("vote", "M9", "--yes", "3", "--no", "1", *extra)
    assert "没有动议 M9" in result.stderr, result.stderr
    for args in (["second", "M9", "ly"], ["amend", "M9", "新文字", "--by", "ly"],
                 ["reconsider", "M9"]):
        assert "没有动议 M9" in run.refused(*args, *extra).stderr


def test_closing_before_the_last_record_is_refused(run: Any, opened: str) -> None:
    run.ok("speak", "lxj", "最后一个发言", "--at", "20:40")
    result = run.refused("close", "--at", "20:30")
    assert "20:40" in result.stderr and "--at" in result.stderr


# --- past midnight -------------------------------------------------------------------------

@pytest.fixture
def late(run: Any, folder: Any) -> str:
    """A meeting planned for 23:30 on 2024-05-10, five of seven members in at 23:20."""
    run.ok("new", "夜间议事会", "--date", "2024-05-10", "--time", "23:30")
    run.ok("agenda", "add", "夜间施工噪音")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "lxy", "--at", "23:20")
    return "2024-05-10"


def test_a_meeting_opened_at_2345_can_be_spoken_in_voted_and_closed_after_midnight(
        run: Any, late: str) -> None:
    run.ok("open", "--at", "23:45")
    spoke = run.ok("speak", "lxj", "零点以后继续。", "--at", "00:10")
    assert "S1" in spoke.stdout
    run.ok("propose", "夜间施工须经业委会同意", "--by", "ly", "--second", "wjg", "--at", "00:15")
    run.ok("leave", "zgl", "--at", "00:18")
    run.ok("vote", "M1", "--yes", "2", "--no", "1", "--at", "00:20")
    closed = run.ok("close", "--at", "00:30")
    assert "次日 00:30 散会" in closed.stdout, closed.stdout
    meeting = run.meeting()
    assert meeting.speech[0].at == "24:10" and meeting.closed == "24:30"
    assert meeting.vote[0].present == 4  # 张桂兰 left at 00:18, before the vote at 00:20
    assert check_file(run.meeting_path()) == []
    text = run.ok("minutes").stdout
    assert "23:45—次日 00:30" in text
    assert "次日 00:10 刘晓菊：零点以后继续。" in text
    assert "举手表决（次日 00:20）" in text and "张桂兰（次日 00:18 离场）" in text
    assert "**散会时间**：次日 00:30" in text
    english = run.ok("minutes", "--lang", "en").stdout
    assert "00:30 (next day)" in english
    status = run.ok("status", "-m", late).stdout
    assert "次日 00:30 散会" in status


def test_a_time_12_hours_before_the_opening_or_less_stays_on_the_meetings_day(
        run: Any, late: str) -> None:
    run.ok("open", "--at", "23:45")
    # said with the half of the day (a bare 12:00 or 11:30 would be read on the 12-hour
    # clock, nearest 23:45: 次日 00:00, 23:30)
    result = run.refused("speak", "lxj", "中午的发言？", "--at", "中午12点")
    assert "12:00 早于开会时间 23:45" in result.stderr
    run.ok("speak", "lxj", "十一点半", "--at", "上午11点半")  # 12 h 15 min earlier: the next day
    assert run.meeting().speech[0].at == "35:30"


def test_the_next_days_time_sorts_after_the_evening_everywhere(run: Any, late: str) -> None:
    run.ok("open", "--at", "23:45")
    run.ok("speak", "wjg", "零点后", "--item", "1", "--at", "00:05")
    run.ok("speak", "ly", "零点前", "--item", "1", "--at", "23:50")
    text = run.ok("minutes").stdout
    assert text.index("23:50 刘艳：零点前") < text.index("次日 00:05 王建国：零点后")
    run.refused("close", "--at", "23:59",  # before the speech at 00:05
                because="clock.refused", reason_key="live.close_before_records", at="23:59",
                latest=ClockTime("24:05"))


def test_typing_live_past_midnight_without_at_takes_the_clock_as_the_next_day(
        run: Any, late: str, clock: Any) -> None:
    clock.set("2024-05-10 23:45")
    run.ok("open")
    clock.set("2024-05-11 00:12")
    result = run.ok("speak", "lxj", "零点后")
    assert "按会议时间" not in result.stdout
    clock.set("2024-05-11 00:25")
    run.ok("close")
    meeting = run.meeting()
    assert (meeting.opened, meeting.speech[0].at, meeting.closed) == ("23:45", "24:12", "24:25")


def test_the_next_morning_a_write_up_of_last_nights_meeting_uses_its_clock(
        run: Any, opened: str, clock: Any) -> None:
    """The meeting of 2024-05-10 is still open the next morning (its last entry at
    19:30): the clock's 08:30 is not taken for 32:30, nor for 08:30 of the meeting's day."""
    clock.set("2024-05-11 08:30")
    result = run.ok("speak", "lxj", "补记的发言")
    assert "按会议时间 19:30 记录" in result.stdout
    assert run.meeting().speech[0].at == "19:30"
