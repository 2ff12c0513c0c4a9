"""The public notice (公示): goldens, the notice period as 民法典 counts it, and the CLI.

A period of N days counted from day D runs from D+1 through D+N, because 《民法典》第201条
does not count the day it starts from: a 7-day notice for a meeting on 2022-03-08 runs
from 3月9日 through 3月15日. Goldens are `<name>.notice.zh.md` and `.en.md` next to each
`tests/golden/<name>.toml`, regenerated only on purpose (tests/golden/README.md).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from conftest import check_golden, invoke, refuses, snapshot
from yiguan import __version__
from yiguan.record import fileformat
from yiguan.record.model import Meeting
from yiguan.render import to_markdown
from yiguan.render.notice import notice_period, render_notice, results_document
from yiguan.rules import deadline
from yiguan.text.errors import YiguanError

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
BUNDLED = ROOT / "meetings"
GOLDEN_VERSION = "0.0.0-golden"
INPUTS = sorted(p.stem for p in GOLDEN.glob("*.toml"))
COUNCILS = {
    "procedure": "春晖社区居民议事会",
    "hostile": "测试议事会 | <b>粗</b> [点](http://evil.example) # 号",
}
DEFAULT_COUNCIL = "幸福里社区居民议事会"

D = dt.date


def load(path: Path) -> Meeting:
    return fileformat.load_meeting(path.read_bytes(), path.name)


# --- goldens -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", INPUTS)
def test_notice_golden(name: str, lang: str) -> None:
    text = render_notice(load(GOLDEN / f"{name}.toml"), source=f"{name}.toml",
                         council=COUNCILS.get(name, DEFAULT_COUNCIL), lang=lang,
                         version=GOLDEN_VERSION)
    check_golden(GOLDEN / f"{name}.notice.{lang}.md", text)


# --- the period ------------------------------------------------------------------------------

@pytest.mark.parametrize("start, days, first, last", [
    (D(2022, 3, 8), 7, D(2022, 3, 9), D(2022, 3, 15)),  # the example
    (D(2022, 3, 8), 1, D(2022, 3, 9), D(2022, 3, 9)),  # one day: the next day only
    (D(2022, 1, 31), 7, D(2022, 2, 1), D(2022, 2, 7)),  # month end
    (D(2022, 4, 30), 1, D(2022, 5, 1), D(2022, 5, 1)),  # a 30-day month's end
    (D(2022, 2, 25), 7, D(2022, 2, 26), D(2022, 3, 4)),  # across February, common year
    (D(2022, 12, 28), 7, D(2022, 12, 29), D(2023, 1, 4)),  # across the year end
    (D(2022, 12, 31), 7, D(2023, 1, 1), D(2023, 1, 7)),  # from new year's eve
    (D(2024, 2, 28), 1, D(2024, 2, 29), D(2024, 2, 29)),  # onto the leap day
    (D(2024, 2, 22), 7, D(2024, 2, 23), D(2024, 2, 29)),  # ending on the leap day
    (D(2024, 2, 29), 7, D(2024, 3, 1), D(2024, 3, 7)),  # from the leap day
    (D(2023, 2, 28), 1, D(2023, 3, 1), D(2023, 3, 1)),  # no leap day in 2023
    (D(2022, 1, 31), 30, D(2022, 2, 1), D(2022, 3, 2)),  # 30 days over a short month
    (D(2023, 12, 1), 366, D(2023, 12, 2), D(2024, 12, 1)),  # a year that holds a leap day
])
def test_notice_period(start: dt.date, days: int, first: dt.date, last: dt.date) -> None:
    """Art. 201 alone: the day the count gives (`due`). Art. 203 then moves a last day that
    is a holiday or weekend to the next working day: tests/test_deadline.py."""
    period = deadline.count(start, days)
    assert (period.first, period.due) == (first, last)
    assert (last - first).days + 1 == days  # the period holds exactly `days` days
    assert notice_period(start, days) == (first, period.last)


@pytest.mark.parametrize("start, days, key", [
    (D(2022, 3, 8), 0, "notice.bad_days"), (D(2022, 3, 8), -1, "notice.bad_days"),
    (D(9999, 12, 31), 1, "notice.period_out_of_range"),
    (D(9999, 12, 25), 7, "notice.period_out_of_range")])
def test_impossible_periods_are_errors(start: dt.date, days: int, key: str) -> None:
    with refuses(key, days=days):
        notice_period(start, days)


def test_notice_days_come_from_the_meetings_rules() -> None:
    meeting = load(GOLDEN / "seed.toml")
    meeting.rules.notice_days = 10
    text = render_notice(meeting, council=DEFAULT_COUNCIL, source="seed.toml")
    assert "2022年3月9日至2022年3月18日，共 10 日" in text


# --- contents -------------------------------------------------------------------------------

def test_seed_notice_lists_the_resolutions_and_the_period() -> None:
    text = render_notice(load(GOLDEN / "seed.toml"), council=DEFAULT_COUNCIL,
                         source="2022-03-08.toml")
    assert text.startswith("# 幸福里社区居民议事会决议公示\n")
    assert "2022年3月9日至2022年3月15日，共 7 日" in text
    for number, start in (("决议一", "社区活动场地使用规则"), ("决议二", "志愿者人才队伍激励机制"),
                          ("决议三", "小游园环境卫生管理方式")):
        assert f"**{number}** {start}" in text
    assert "R1" not in text and "M1" not in text  # codes residents do not know
    assert "召开“幸而有你居民议事会”" in text
    assert "（赞成 14 票，反对 0 票，弃权 1 票）" in text
    assert "请向幸福里社区居民议事会记录人张敏书面或当面提出" in text
    assert "草稿" not in text


def test_adopted_motions_are_resolutions_and_the_others_are_told_after_them() -> None:
    """The resolutions first (决议一 …, never also numbered 1. 2.), then 未通过事项: a
    motion rejected with its counts and 未获通过, then those postponed or withdrawn, one
    line each. The 实施结果公示 keeps to the adopted ones."""
    text = render_notice(load(GOLDEN / "procedure.toml"), council="春晖社区居民议事会",
                         source="procedure.toml")
    assert text.count("**决议") == 3 and "1. **决议" not in text
    rest = text[text.index("**未通过事项**"):]
    assert "**决议" not in rest
    assert "暂缓加装电梯，明年再议。（撤回）\n" in rest  # withdrawn, in the order moved
    assert "楼道内允许停放电动自行车。（搁置）\n" in rest  # postponed
    assert rest.index("暂缓加装电梯") < rest.index("楼道内允许停放电动自行车")
    assert "2024年3月1日至2024年3月7日" in text  # a meeting on the leap day
    corrected = render_notice(load(GOLDEN / "corrected.toml"), council="幸福里社区居民议事会",
                              source="corrected.toml")
    rejected = corrected[corrected.index("**未通过事项**"):]
    assert ("物业一周内修好三单元声控灯。（赞成 3 票，反对 3 票，弃权 0 票，未获通过）"
            in rejected)
    results = results_document(load(GOLDEN / "procedure.toml"), council="春晖社区居民议事会",
                               source="procedure.toml")
    shown = to_markdown.markdown(results)
    assert "楼道内允许停放电动自行车" not in shown and "未通过" not in shown
    assert "暂缓加装电梯，明年再议" not in shown


def test_draft_and_quorumless_notices() -> None:
    draft = render_notice(load(GOLDEN / "draft.toml"), council=DEFAULT_COUNCIL,
                          source="draft.toml")
    assert "决议公示（草稿）" in draft and "> **草稿**" in draft
    none = render_notice(load(GOLDEN / "noquorum.toml"), council=DEFAULT_COUNCIL,
                         source="noquorum.toml")
    assert "未达到法定人数（至少 3 人），未能作出决议" in none
    assert "公示期" not in none


def test_start_replaces_the_meeting_date_and_cannot_precede_it() -> None:
    meeting = load(GOLDEN / "seed.toml")
    text = render_notice(meeting, council=DEFAULT_COUNCIL, source="s.toml", start=D(2022, 3, 10))
    assert "2022年3月11日至2022年3月17日" in text
    assert text.endswith("幸福里社区居民议事会（盖章）\\\n2022年3月10日\n\n---\n\n"
                         f"本公示由 yiguan {__version__} 根据 s.toml 生成。\n")
    with pytest.raises(YiguanError) as caught:
        render_notice(meeting, council=DEFAULT_COUNCIL, source="s.toml", start=D(2022, 3, 7))
    assert caught.value.key == "notice.start_before_meeting"


# --- the command ----------------------------------------------------------------------------

def test_notice_prints_markdown(bundled: Path) -> None:
    result = invoke(bundled, "notice")
    assert result.exit_code == 0, result.output
    assert "2022年3月9日至2022年3月15日" in result.output
    assert result.output == invoke(bundled, "notice").output  # deterministic


@pytest.mark.parametrize("args, expected", [
    # 5 days end on Sunday 13 March: art. 203 moves the end to Monday
    (["--days", "5"], "2022年3月9日至2022年3月14日（自2022年3月8日的次日起算 5 日，"
                      "期满日2022年3月13日适逢节假日或周末"),
    (["--from", "2022-03-10"], "2022年3月11日至2022年3月17日，共 7 日"),
    (["--from", "2022-03-31", "--days", "1"], "2022年4月1日至2022年4月1日，共 1 日"),
    (["--from", "2022-12-25"], "2022年12月26日至2023年1月3日"),  # 元旦 ran to 1月2日
    (["--from", "2024-02-28", "--days", "2"], "2024年2月29日至2024年3月1日"),
    (["--lang", "en"], "9 March 2022 to 15 March 2022, 7 days"),
    (["--contact", "居委会（3号楼101室）"], "请向居委会（3号楼101室）书面或当面提出"),
])
def test_notice_options(bundled: Path, args: list[str], expected: str) -> None:
    result = invoke(bundled, "notice", *args)
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_notice_in_english_from_the_environment(bundled: Path) -> None:
    result = invoke(bundled, "notice", env={"YIGUAN_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Public notice of resolutions: 幸福里社区居民议事会\n")


def test_notice_to_a_file(bundled: Path, tmp_path: Path) -> None:
    target = tmp_path / "公示.md"
    result = invoke(bundled, "notice", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == invoke(bundled, "notice").stdout_bytes


@pytest.mark.parametrize("args, message", [
    (["--from", "2022-03-07"], "公示起算日 2022-03-07 早于会议日期 2022-03-08"),
    (["--from", "2022-02-30"], "日期「2022-02-30」无法识别或不存在"),
    (["--from", "9999-12-31"], "超出了可以表示的日期范围"),
    (["--contact", "第一行\n第二行"], "不能换行"),
    (["-m", "2021-01-01"], "找不到会议 2021-01-01"),
    (["-o", "{data}/2022-03-08.toml"], "不能写入生成的文件"),
])
def test_failing_notice_says_one_line_and_changes_nothing(bundled: Path, args: list[str],
                                                          message: str) -> None:
    before = snapshot(bundled)
    result = invoke(bundled, "notice", *[a.replace("{data}", str(bundled)) for a in args])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert snapshot(bundled) == before


def test_notice_needs_the_council_name(bundled: Path) -> None:
    (bundled / "council.toml").unlink()
    result = invoke(bundled, "notice")
    assert result.exit_code == 1
    assert "yiguan init" in result.output


def test_notice_usage_errors_exit_2(bundled: Path) -> None:
    before = snapshot(bundled)
    assert invoke(bundled, "notice", "--days", "0").exit_code == 2
    assert invoke(bundled, "notice", "--days", "x").exit_code == 2
    assert invoke(bundled, "notice", "--lang", "de").exit_code == 2
    assert snapshot(bundled) == before


def test_notice_is_read_only(bundled: Path, tmp_path: Path) -> None:
    before = snapshot(bundled)
    assert invoke(bundled, "notice", "--days", "3").exit_code == 0
    assert invoke(bundled, "notice", "-o", str(tmp_path / "n.md")).exit_code == 0
    assert snapshot(bundled) == before


# --- review: --days keeps a council's working days ---------------------------------------------

@pytest.mark.parametrize("days, expected", [
    (None, "2022年3月9日至2022年3月17日，共 7 个工作日"),       # the rules: "7 workdays"
    ("7 workdays", "2022年3月9日至2022年3月17日，共 7 个工作日"),
    ("7个工作日", "2022年3月9日至2022年3月17日，共 7 个工作日"),
    (" 5 working days ", "2022年3月9日至2022年3月15日，共 5 个工作日"),
    ("7", "2022年3月9日至2022年3月15日，共 7 日"),             # a plain number: calendar days
])
def test_days_takes_working_days_as_the_rules_do(bundled: Path, days: str | None,
                                                 expected: str) -> None:
    """`--days 7` on a council with notice_days = "7 workdays" silently counted 7
    calendar days, and there was no way to ask for working days."""
    path = bundled / "2022-03-08.toml"
    path.write_text(path.read_text("utf-8").replace("notice_days = 7",
                                                    'notice_days = "7 workdays"'), "utf-8")
    result = invoke(bundled, "notice", *(["--days", days] if days is not None else []))
    assert result.exit_code == 0, result.output
    assert expected in result.output


@pytest.mark.parametrize("days", ["0 workdays", "367", "7 days", "-3", "x"])
def test_days_refuses_what_the_rules_would_refuse(bundled: Path, days: str) -> None:
    before = snapshot(bundled)
    result = invoke(bundled, "notice", "--days", days)
    assert result.exit_code == 2 and "--days" in result.output, result.output
    assert snapshot(bundled) == before


def test_days_help_says_a_number_is_calendar_days() -> None:
    from yiguan.text.locale_en import MESSAGES as EN
    from yiguan.text.locale_zh import MESSAGES as ZH

    assert "日历日" in ZH["help.opt.notice_days"] and "workdays" in ZH["help.opt.notice_days"]
    assert "calendar days" in EN["help.opt.notice_days"]


# --- review: the period is counted once, by the builder -------------------------------------------

@pytest.mark.parametrize("args", [["--from", "2026-12-28"], ["--results", "--from", "2026-12-28"]])
def test_the_notice_period_is_counted_once_and_warned_about_from_the_document(
        bundled: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The command counted the period a second time after the builder had (the two
    could drift apart); the document carries the one it states."""
    calls: list[object] = []
    real = deadline.count

    def counting(*a: Any, **k: Any) -> deadline.Period:
        calls.append(a)
        return real(*a, **k)

    monkeypatch.setattr(deadline, "count", counting)
    result = invoke(bundled, "notice", *args)
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    assert result.stderr.count("chinese-calendar 没有 2027 年") == 1


def test_the_document_carries_the_period_it_states(bundled: Path) -> None:
    from yiguan.render.notice import notice_document, notice_window

    meeting = load(bundled / "2022-03-08.toml")
    doc = notice_document(meeting, council=DEFAULT_COUNCIL, source="s.toml", days=5)
    assert doc.period is not None and doc.period.last == D(2022, 3, 14)
    assert repr(doc.period) == repr(notice_window(meeting, days=5))
