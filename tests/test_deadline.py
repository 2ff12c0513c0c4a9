"""The notice period on China's calendar: 《民法典》第201、203、204条 (yiguan.rules.deadline).

- 201: the start day is not counted; N days from D are D+1 … D+N.
- 203: a last day that is a 法定休假日 moves to the first working day after it. Weekends
  are rest days (民法通则 art. 154 "星期日或者其他法定休假日"; procedure.md "weekends count
  as holidays"), unless the State Council made them 调休 workdays, which count as working.
- 204: a council may count working days (`notice_days = "7 workdays"`).
- A year chinese-calendar does not know (2027 in 1.11.0): the council's own [calendar]
  lists if they have that year, else calendar days, reported for a warning.

The CLI part checks what a secretary sees: the end date in `yiguan notice`, the warning on
stderr, and a malformed [calendar] refused with every file unchanged.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import refuses, snapshot
from yiguan.record import fileformat
from yiguan.record.model import Calendar, Council
from yiguan.rules import deadline
from yiguan.rules.deadline import Length, LocalDays
from yiguan.text.errors import BrokenFile, YiguanError

D = dt.date
GOLDEN = Path(__file__).resolve().parent / "golden"

# --- art. 201 + 203 on the official calendar ----------------------------------------------

@pytest.mark.parametrize("start, days, due, last, why", [
    # 国庆 2024: 10月1日–7日 off; 9月29日 (Sun) and 10月12日 (Sat) are 调休 workdays
    (D(2024, 9, 27), 7, D(2024, 10, 4), D(2024, 10, 8), "the issue's example: ends after 国庆"),
    (D(2024, 9, 23), 7, D(2024, 9, 30), D(2024, 9, 30), "the working day before 国庆"),
    (D(2024, 9, 22), 7, D(2024, 9, 29), D(2024, 9, 29), "a Sunday that is a 调休 workday"),
    (D(2024, 10, 5), 7, D(2024, 10, 12), D(2024, 10, 12), "a Saturday that is a 调休 workday"),
    (D(2024, 9, 30), 1, D(2024, 10, 1), D(2024, 10, 8), "one day, onto 国庆节 itself"),
    # 春节 2024: 2月10日–17日 off; 2月4日 and 2月18日 (both Sundays) are 调休 workdays
    (D(2024, 2, 9), 7, D(2024, 2, 16), D(2024, 2, 18), "春节 ends on a 调休 Sunday"),
    (D(2024, 1, 28), 7, D(2024, 2, 4), D(2024, 2, 4), "the 调休 Sunday before 春节"),
    # 春节 2026: 2月15日–23日 off; 2月14日 and 2月28日 (Saturdays) are 调休 workdays
    (D(2026, 2, 10), 7, D(2026, 2, 17), D(2026, 2, 24), "inside 春节 2026"),
    (D(2026, 2, 7), 7, D(2026, 2, 14), D(2026, 2, 14), "the 调休 Saturday before 春节"),
    # plain weekends are 休息日: the period ends on Monday
    (D(2024, 5, 17), 1, D(2024, 5, 18), D(2024, 5, 20), "an ordinary Saturday"),
    (D(2024, 5, 12), 7, D(2024, 5, 19), D(2024, 5, 20), "an ordinary Sunday"),
    (D(2024, 5, 10), 1, D(2024, 5, 11), D(2024, 5, 11), "Saturday 5月11日 is a 调休 workday"),
    (D(2022, 3, 8), 7, D(2022, 3, 15), D(2022, 3, 15), "a Tuesday: nothing to move"),
    # 元旦 2023 ran from Saturday 12月31日 to Monday 1月2日
    (D(2022, 12, 25), 7, D(2023, 1, 1), D(2023, 1, 3), "across the year end"),
])
def test_art_201_and_203(start: dt.date, days: int, due: dt.date, last: dt.date,
                         why: str) -> None:
    period = deadline.count(start, days)
    assert period.first == start + dt.timedelta(days=1), why  # art. 201
    assert (period.due, period.last) == (due, last), why
    assert period.extended == (due != last)
    assert period.unknown_years == ()


# --- art. 204: working days ---------------------------------------------------------------

@pytest.mark.parametrize("start, count, last", [
    # 9月29日 (调休 Sun), 9月30日, 10月8日–11日, 10月12日 (调休 Sat)
    (D(2024, 9, 27), 7, D(2024, 10, 12)),
    (D(2024, 5, 10), 1, D(2024, 5, 11)),  # the 调休 Saturday is a working day
    (D(2024, 5, 17), 1, D(2024, 5, 20)),  # an ordinary weekend is not
    (D(2024, 2, 8), 3, D(2024, 2, 19)),  # 2月9日 (Fri), 2月18日 (调休 Sun), 2月19日 (Mon)
    (D(2022, 3, 8), 5, D(2022, 3, 15)),  # Wed–Fri, Mon, Tue
])
def test_working_days(start: dt.date, count: int, last: dt.date) -> None:
    period = deadline.count(start, f"{count} workdays")
    assert period.length == Length(count, workdays=True)
    assert period.first == start + dt.timedelta(days=1)
    assert period.last == period.due == last
    assert not period.extended and period.unknown_years == ()


# --- a year the package does not know -------------------------------------------------------

def test_an_unknown_year_counts_calendar_days_and_says_which_year() -> None:
    period = deadline.count(D(2026, 12, 28), 7)
    assert (period.first, period.last) == (D(2026, 12, 29), D(2027, 1, 4))
    assert period.unknown_years == (2027,)
    # even a Saturday of 2027 is not moved: nobody knows whether it is a 调休 workday
    saturday = deadline.count(D(2027, 1, 8), 1)
    assert saturday.last == D(2027, 1, 9) and saturday.unknown_years == (2027,)


def test_an_unknown_year_counts_monday_to_friday_as_working_days() -> None:
    period = deadline.count(D(2026, 12, 28), "7 workdays")
    # 12月29–31日 (2026 is known), then 2027: 1月1日 (Fri), 4日, 5日, 6日
    assert period.last == D(2027, 1, 6)
    assert period.unknown_years == (2027,)


def test_a_known_year_is_not_reported() -> None:
    assert deadline.count(D(2026, 12, 20), 7).unknown_years == ()


COUNCIL_2027 = LocalDays(
    holidays=[D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3), D(2027, 10, 1), D(2027, 10, 7)],
    workdays=[D(2027, 9, 26)],
)


@pytest.mark.parametrize("start, days, last", [
    (D(2026, 12, 25), 7, D(2027, 1, 4)),  # 1月1日–3日 listed, then Monday
    (D(2027, 1, 8), 1, D(2027, 1, 11)),  # a plain weekend of a listed year moves
    (D(2027, 9, 19), 7, D(2027, 9, 26)),  # a listed 调休 Sunday is a working day
    (D(2027, 9, 30), 7, D(2027, 10, 8)),  # 10月7日 listed
    (D(2027, 3, 1), 7, D(2027, 3, 8)),  # an ordinary Monday
])
def test_the_councils_lists_cover_a_year_the_package_does_not_know(
        start: dt.date, days: int, last: dt.date) -> None:
    period = deadline.count(start, days, COUNCIL_2027)
    assert period.last == last
    assert period.unknown_years == ()


def test_the_councils_lists_count_working_days_in_their_year() -> None:
    # 12月31日 (Thu, 2026), 1月4日, 5日: 1月1日–3日 are the council's holidays
    period = deadline.count(D(2026, 12, 30), "3 workdays", COUNCIL_2027)
    assert period.last == D(2027, 1, 5) and period.unknown_years == ()


def test_the_councils_lists_add_local_days_to_a_known_year() -> None:
    """A 民族自治地方 holiday (《全国年节及纪念日放假办法》第四条), e.g. 广西's 三月三,
    with its own 调休: the council's list wins over the national calendar."""
    local = LocalDays(holidays=[D(2024, 4, 11), D(2024, 4, 12)], workdays=[D(2024, 4, 14)])
    assert deadline.count(D(2024, 4, 4), 7).last == D(2024, 4, 11)  # a Thursday nationally
    # 11日, 12日 local holidays, 13日 Saturday, 14日 a local 调休 Sunday
    assert deadline.count(D(2024, 4, 4), 7, local).last == D(2024, 4, 14)
    assert deadline.count(D(2024, 4, 6), 8, local).last == D(2024, 4, 14)
    assert deadline.count(D(2024, 4, 10), "2 workdays", local).last == D(2024, 4, 15)


# --- lengths --------------------------------------------------------------------------------

@pytest.mark.parametrize("value, length", [
    (7, Length(7)), (366, Length(366)),
    ("7 workdays", Length(7, True)), ("1 workday", Length(1, True)),
    ("7个工作日", Length(7, True)), (" 10 工作日 ", Length(10, True)),
    ("5 working days", Length(5, True)), ("5 Workdays", Length(5, True)),
])
def test_lengths(value: int | str, length: Length) -> None:
    assert deadline.parse_length(value) == length


@pytest.mark.parametrize(("value", "key"), [
    (0, "notice.bad_days"), (-1, "notice.bad_days"), (367, "notice.bad_days"),
    ("0 workdays", "notice.bad_days"), ("367 workdays", "notice.bad_days"),
    *[(value, "deadline.bad_length") for value in ("7", "7 days", "七个工作日", "7 weeks", "",
                                                  True, 7.0)],
])
def test_lengths_that_are_refused(value: Any, key: str) -> None:
    with refuses(key):
        deadline.parse_length(value)


def test_canonical_lengths() -> None:
    assert deadline.parse_length("7个工作日").canonical() == "7 workdays"
    assert deadline.parse_length(7).canonical() == 7


@pytest.mark.parametrize("start, days", [(D(9999, 12, 31), 1), (D(9999, 12, 25), 7),
                                         (D(9999, 12, 30), "3 workdays")])
def test_a_period_past_the_last_date_is_an_error(start: dt.date, days: int | str) -> None:
    with pytest.raises(YiguanError) as caught:
        deadline.count(start, days)
    assert caught.value.key == "notice.period_out_of_range"


# --- council.toml [calendar] ----------------------------------------------------------------

COUNCIL_TEXT = """format = 1
name = "幸福里社区居民议事会"

[rules]
quorum = ">1/2"
pass = ">1/2 present"
notice_days = {notice_days}
speech_minutes = 2
speeches_per_item = 2
second_required = true

[rules.presets]

{calendar}"""

CALENDAR = """[calendar]
holidays = [
    2027-01-01,
    2027-01-02,
]
workdays = [
    2027-09-26,
]
"""


def council_text(calendar: str = CALENDAR, notice_days: str = "7") -> str:
    return COUNCIL_TEXT.format(calendar=calendar, notice_days=notice_days)


def test_a_calendar_reads_and_writes_back_in_canonical_form() -> None:
    text = council_text()
    council = fileformat.load_council(text.encode(), "council.toml")
    assert council.calendar == Calendar(holidays=[D(2027, 1, 1), D(2027, 1, 2)],
                                        workdays=[D(2027, 9, 26)])
    assert fileformat.dump_council(council) == text.rstrip("\n") + "\n"
    assert fileformat.canonical_text(text.encode(), "council.toml", council=True) \
        == fileformat.dump_council(council)
    # hand-written: one line, a comment; `fmt` gives the same layout as yiguan writes
    inline = council_text("[calendar]\nworkdays = [2027-09-26]  # 调休\n"
                          "holidays = [2027-01-01, 2027-01-02]\n")
    assert fileformat.canonical_text(inline.encode(), "council.toml", council=True) == text


def test_a_council_without_a_calendar_writes_none() -> None:
    council = fileformat.load_council(council_text("").encode(), "council.toml")
    assert council.calendar.is_empty()
    assert "[calendar]" not in fileformat.dump_council(council)
    assert fileformat.dump_council(Council(name="议事会")).count("[calendar]") == 0


@pytest.mark.parametrize("calendar, where, message", [
    ('[calendar]\nholidays = "2027-01-01"\n', "calendar.holidays", "应为列表"),
    ('[calendar]\nholidays = ["2027-01-01"]\n', "calendar.holidays", "第 1 项应为日期"),
    ("[calendar]\nholidays = [2027-01-01, 2027-01-01]\n", "calendar.holidays",
     "日期 2027-01-01 重复"),
    ("[calendar]\nholidays = [2027-01-01]\nworkdays = [2027-01-01]\n", "calendar",
     "2027-01-01 不能既是休假日（holidays）又是工作日（workdays）"),
    ("[calendar]\nholiday = [2027-01-01]\n", "calendar", "未知字段 holiday"),
    ("[calendar]\nworkdays = [2027-01-01T08:00:00]\n", "calendar.workdays",
     "第 1 项应为日期"),
])
def test_a_malformed_calendar_is_named_exactly(calendar: str, where: str,
                                               message: str) -> None:
    with pytest.raises(BrokenFile) as caught:
        fileformat.load_council(council_text(calendar).encode(), "council.toml")
    line = caught.value.message("zh")
    assert line.startswith(f"council.toml: {where}: "), line
    assert message in line


def test_a_calendar_that_is_not_a_table_is_named() -> None:
    text = council_text("").replace("[rules]\n", "calendar = [2027-01-01]\n\n[rules]\n")
    with pytest.raises(BrokenFile) as caught:
        fileformat.load_council(text.encode(), "council.toml")
    assert caught.value.message("zh") == "council.toml: calendar: 应为表"


@pytest.mark.parametrize("notice_days, message", [
    ('"7个工作日"', 'notice_days: 应写作标准形式 "7 workdays"'),
    ('"7 days"', "notice_days: 应为 1 到 366 的整数（日历日），或 \"N workdays\""),
    ('"0 workdays"', "notice_days: 应为 1 到 366 的整数"),
    ("7.0", "notice_days: 应为 1 到 366 的整数"),
    ("367", "notice_days: 不能大于 366"),
])
def test_notice_days_in_the_file(notice_days: str, message: str) -> None:
    with pytest.raises(BrokenFile) as caught:
        fileformat.load_council(council_text("", notice_days).encode(), "council.toml")
    assert message in caught.value.message("zh")
    good = fileformat.load_council(council_text("", '"7 workdays"').encode(), "x")
    assert good.rules.notice_days == "7 workdays"


# --- the command ----------------------------------------------------------------------------

def add_calendar(folder: Path, calendar: str) -> None:
    path = folder / "council.toml"
    path.write_text(path.read_text("utf-8") + "\n" + calendar, "utf-8")


def set_notice_days(folder: Path, value: str) -> None:
    """The bundled meeting's own rules (a meeting keeps a snapshot of the council's)."""
    path = folder / "2022-03-08.toml"
    text = path.read_text("utf-8")
    assert "notice_days = 7\n" in text
    path.write_text(text.replace("notice_days = 7\n", f"notice_days = {value}\n", 1), "utf-8")


def test_notice_ends_after_national_day(bundled: Path, cli_for: Any) -> None:
    result = cli_for(bundled).ok("notice", "--from", "2024-09-27")
    assert ("2024年9月28日至2024年10月8日（自2024年9月27日的次日起算 7 日，"
            "期满日2024年10月4日适逢节假日或周末，"
            "依《民法典》第二百零三条顺延至其后第一个工作日）") in result.stdout
    assert result.stderr == ""


def test_notice_in_english_says_why_the_end_moved(bundled: Path, cli_for: Any) -> None:
    result = cli_for(bundled).ok("notice", "--from", "2024-09-27", "--lang", "en")
    assert ("28 September 2024 to 8 October 2024 (7 days from the day after 27 September "
            "2024 end on 4 October 2024, a public holiday or weekend") in result.stdout


def test_notice_in_working_days(bundled: Path, cli_for: Any) -> None:
    set_notice_days(bundled, '"7 workdays"')
    result = cli_for(bundled).ok("notice", "--from", "2024-09-27")
    assert ("2024年9月28日至2024年10月12日，共 7 个工作日（依《民法典》第二百零一条，"
            "自2024年9月27日的次日起算）") in result.stdout
    # --days counts calendar days, whatever the rules say
    days = cli_for(bundled).ok("notice", "--from", "2024-09-27", "--days", "3")
    assert "2024年9月28日至2024年9月30日，共 3 日" in days.stdout


def test_notice_warns_once_about_a_year_nobody_knows(bundled: Path, cli_for: Any) -> None:
    result = cli_for(bundled).ok("notice", "--from", "2026-12-28")
    assert "2026年12月29日至2027年1月4日，共 7 日" in result.stdout
    assert result.stderr.count("\n") == 1
    assert "chinese-calendar 没有 2027 年的法定节假日数据" in result.stderr
    assert "[calendar]" in result.stderr
    english = cli_for(bundled).ok("notice", "--from", "2026-12-28",
                                  env={"YIGUAN_LANG": "en"})
    assert "chinese-calendar has no public holidays for 2027" in english.stderr
    set_notice_days(bundled, '"7 workdays"')
    workdays = cli_for(bundled).ok("notice", "--from", "2026-12-28")
    assert "2026年12月29日至2027年1月6日，共 7 个工作日" in workdays.stdout
    assert "工作日暂按周一至周五计算" in workdays.stderr


def test_notice_uses_the_councils_list_for_that_year(bundled: Path, cli_for: Any) -> None:
    add_calendar(bundled, "[calendar]\nholidays = [2027-01-01, 2027-01-02, 2027-01-03]\n")
    result = cli_for(bundled).ok("notice", "--from", "2026-12-25")
    assert "2026年12月26日至2027年1月4日（自2026年12月25日的次日起算 7 日" in result.stdout
    assert result.stderr == ""


def test_notice_without_resolutions_counts_no_period(bundled: Path, cli_for: Any) -> None:
    """No period on the notice, so no warning about a year either."""
    shutil.copyfile(GOLDEN / "noquorum.toml", bundled / "2023-01-31.toml")
    result = cli_for(bundled).ok("notice", "-m", "2023-01-31", "--from", "2026-12-28")
    assert "公示期" not in result.stdout and result.stderr == ""


@pytest.mark.parametrize("calendar, message", [
    ('[calendar]\nholidays = ["2027-01-01"]\n', "calendar.holidays: 第 1 项应为日期"),
    ("[calendar]\nholidays = [2027-01-01]\nworkdays = [2027-01-01]\n",
     "不能既是休假日（holidays）又是工作日（workdays）"),
])
def test_a_malformed_calendar_is_refused_and_nothing_changes(
        bundled: Path, cli_for: Any, calendar: str, message: str, tmp_path: Path) -> None:
    add_calendar(bundled, calendar)
    target = tmp_path / "公示.md"
    for args in (("notice",), ("notice", "-o", str(target)), ("member", "add", "孙丽")):
        result = cli_for(bundled).refused(*args)
        assert message in result.stderr, result.stderr
    assert not target.exists()


def test_a_malformed_notice_days_is_refused(bundled: Path, cli_for: Any) -> None:
    set_notice_days(bundled, '"7个工作日"')
    before = snapshot(bundled)
    result = cli_for(bundled).refused("notice")
    assert 'notice_days: 应写作标准形式 "7 workdays"' in result.stderr
    assert snapshot(bundled) == before


# --- start-up ---------------------------------------------------------------------------

def imports_calendar(folder: Path, *steps: list[str]) -> bool:
    """Run `steps` in one fresh interpreter through `main()`; whether chinese_calendar
    got imported."""
    probe = (
        "import sys\n"
        "from yiguan.cli import main\n"
        f"for step in {[list(s) for s in steps]!r}:\n"
        f"    sys.argv = ['yiguan', '--dir', {str(folder)!r}, *step]\n"
        "    try:\n        main()\n    except SystemExit as e:\n"
        "        assert not e.code, (step, e.code)\n"
        "print('chinese_calendar' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=60,
                          env={**os.environ, "YIGUAN_LANG": ""})
    err = done.stderr.decode()
    assert done.returncode == 0, err
    return {"True": True, "False": False}[err.strip().splitlines()[-1]]


def test_only_a_notice_that_counts_a_period_imports_the_calendar(bundled: Path) -> None:
    """chinese-calendar costs ~2 ms: the other commands, and a notice without a period
    (no resolutions), never import it."""
    shutil.copyfile(GOLDEN / "noquorum.toml", bundled / "2023-01-31.toml")
    assert not imports_calendar(bundled, ["list"], ["show", "-m", "2022-03-08"],
                                ["status"], ["minutes", "-m", "2022-03-08"],
                                ["check"], ["notice", "-m", "2023-01-31"],
                                ["notice", "--help"])
    assert imports_calendar(bundled, ["notice", "-m", "2022-03-08"])
