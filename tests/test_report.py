"""The yearly report (`yiguan report --year`, render/yearly.py), on a council built through
the command line and counted by hand below.

The fixture council (seven members, conftest.MEMBERS):

- 2023-11-20, held: one adopted motion — another year, never counted;
- 2024-03-12, held: 陈淑珍 excused, 刘晓菊 刘艳 王建国 张桂兰 李秀英 signed in (赵志强
  absent); M1 adopted (5–0) with A1 (刘艳, due 03-31, done 03-25: on time); M2 rejected
  (1–4);
- 2024-06-18, held: all seven; M1 adopted (6–1) with A1 (王建国, due 07-15, done 08-01:
  late) and A2 (张桂兰, due 09-30, not done: overdue at 12-31); M2 postponed;
- 2024-11-05, held: 刘艳 and 赵志强 excused, 刘晓菊 王建国 张桂兰 李秀英 signed in (陈淑珍
  absent); M1 adopted (4–0) with A1 (刘晓菊, no due day) and A2 (李秀英, due 2025-01-15),
  both open and not overdue; M2 withdrawn;
- 2024-12-20, planned, never opened — not held, not counted.

By hand, for 2024 (follow-up as of 2024-12-31, the year's last day: the tests run later):
meetings 3; expected 7 × 3 = 21; attended 5 + 7 + 4 = 16; excused 1 + 0 + 2 = 3; absent
1 + 0 + 1 = 2; rate 16/21 = 76.2%; motions 6: adopted 3, rejected 1, postponed 1,
withdrawn 1; resolutions 3 (one each in March, June, November); actions 5: on time 1,
late 1, open 2, overdue 1. The resolutions' follow-up: March done, June overdue,
November open.

The cycle (issue 23), through the command line too. Topics (TOPICS below): T1 raised in
2023, never counted in 2024; T2 (心愿墙) and T3 (网格员) are March's items 1 and 2: T2
adopted (M1), T3 not adopted (M2 rejected); T4 (线上) and T5 (电话) are June's items 1
and 2: T4 adopted (M1), T5 postponed (M2); T6 (来访) merged into T4; T7 (心愿墙)
declined (不予列入); T8 (no way recorded) on the agenda of the planned December meeting,
not yet decided; T9 (网格员, 2024-12-01) on the agenda of the meeting of 2025-01-15, not
yet decided, listed after the year's end; T10 (线上) still awaiting a meeting (待议).
Minutes confirmed: March's at June's meeting, June's at November's, November's at the
meeting of 2025-01-15 (after the year's end: not counted). March's R1 evaluated three
times: 2024-04-10 (20/5/5), 2024-05-10 (30/5/2), 2025-03-01 (40/0/0, after the year's
end); June's and November's not evaluated (their actions are not all done).

By hand, for 2024: topics received 9 (T2–T10): 心愿墙 2, 网格员 2, 电话 1, 来访 1,
线上 2, not recorded 1; listed 6: adopted 2, not adopted 1, postponed 1, not yet decided
2 (1 of them listed after 2024-12-31); declined 1, merged 1, 待议 1 (6 + 1 + 1 + 1 = 9).
Minutes confirmed 2 of 3. Evaluated 1 resolution of 3, with its latest evaluation by
2024-12-31: 满意 30, 基本满意 5, 不满意 2; 满意率 30/37 = 81.1%, with the basically
satisfied 35/37 = 94.6%.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, check_golden, copy_tracked, snapshot
from yiguan.render import yearly
from yiguan.store.folder import DataFolder
from yiguan.text.messages import locale

TODAY = dt.date(2026, 12, 7)
GOLDEN = Path(__file__).parent / "golden"


def _meeting(run: Cli, title: str, date: str, *, excused: tuple[str, ...] = (),
             signed: tuple[str, ...], items: tuple[str, ...] = (),
             topics: tuple[str, ...] = ()) -> None:
    """A meeting opened; its items titled `items`, the first ones made from `topics`."""
    run.ok("new", title, "--date", date, "--time", "19:00", "--host", "王丽娟")
    for number, item in enumerate(items):
        topic = ("--topic", topics[number]) if number < len(topics) else ()
        run.ok("agenda", "add", item, *topic, "-m", date)
    for name in excused:
        run.ok("excuse", name, "--reason", "外出", "-m", date)
    run.ok("sign", *signed, "--at", "18:55", "-m", date)
    run.ok("open", "--at", "19:00", "-m", date)


TOPICS = (  # (date, via, from, text): T1 … T10
    ("2023-12-05", "心愿墙", "王阿姨", "增设快递柜"),
    ("2024-02-10", "心愿墙", "王阿姨", "楼道堆物太多，影响通行"),
    ("2024-02-20", "网格员", None, "希望加装楼道监控"),
    ("2024-05-06", "线上", "李先生", "小游园座椅不够"),
    ("2024-05-20", "电话", None, "停车收费太高"),
    ("2024-07-01", "来访", "张大爷", "小游园增加健身器材"),
    ("2024-08-15", "心愿墙", None, "在楼顶养鸽子"),
    ("2024-10-08", None, None, "冬季供暖检查"),
    ("2024-12-01", "网格员", "赵阿姨", "春节前清理楼道小广告"),
    ("2024-12-10", "线上", None, "增设充电桩"),
)


def build(run: Cli) -> None:
    """The fixture council of the module's docstring, through the command line."""
    for date, via, by, text in TOPICS:
        run.ok("topic", "add", text, "--date", date, *(("--via", via) if via else ()),
               *(("--from", by) if by else ()))
    _meeting(run, "十一月居民议事会", "2023-11-20", signed=("lxj", "ly", "wjg", "zgl", "lxy"))
    run.ok("propose", "去年的决议", "--by", "ly", "--second", "lxj", "--at", "19:10")
    run.ok("vote", "M1", "--yes", "5", "--no", "0", "--at", "19:15")
    run.ok("close", "--at", "19:30")

    _meeting(run, "三月居民议事会", "2024-03-12", excused=("csz",),
             signed=("lxj", "ly", "wjg", "zgl", "lxy"), items=("楼道环境整治", "安防设施"),
             topics=("T2", "T3"))
    run.ok("propose", "楼道堆物限期清理", "--by", "ly", "--second", "lxj", "--at", "19:10",
           "--item", "1")
    run.ok("vote", "M1", "--yes", "5", "--no", "0", "--at", "19:15")
    run.ok("action", "张贴清理通知", "--owner", "ly", "--due", "2024-03-31", "--motion", "M1",
           "--at", "19:16")
    run.ok("propose", "加装楼道监控", "--by", "wjg", "--second", "zgl", "--at", "19:20",
           "--item", "2")
    run.ok("vote", "M2", "--yes", "1", "--no", "4", "--at", "19:25")
    run.ok("close", "--at", "19:40")
    run.ok("done", "2024-03-12/A1", "--on", "2024-03-25")
    for day, satisfied, basic, unsatisfied in (("2024-04-10", "20", "5", "5"),
                                               ("2024-05-10", "30", "5", "2"),
                                               ("2025-03-01", "40", "0", "0")):
        run.ok("evaluate", "R1", "-m", "2024-03-12", "--date", day, "--how", "入户",
               "--satisfied", satisfied, "--basic", basic, "--unsatisfied", unsatisfied)

    _meeting(run, "六月居民议事会", "2024-06-18",
             signed=("lxj", "ly", "wjg", "zgl", "lxy", "csz", "zzq"),
             items=("小游园改造", "停车管理"), topics=("T4", "T5"))
    run.ok("confirm", "2024-03-12", "--unanimous", "--at", "19:05")
    run.ok("propose", "小游园增设座椅", "--by", "zgl", "--second", "lxy", "--at", "19:10")
    run.ok("vote", "M1", "--yes", "6", "--no", "1", "--at", "19:15")
    run.ok("action", "联系物业报价", "--owner", "wjg", "--due", "2024-07-15", "--motion", "M1",
           "--at", "19:16")
    run.ok("action", "征求住户意见", "--owner", "zgl", "--due", "2024-09-30", "--motion", "M1",
           "--at", "19:17")
    run.ok("propose", "调整停车收费", "--by", "zzq", "--second", "csz", "--at", "19:20",
           "--item", "2")
    run.ok("postpone", "M2")
    run.ok("close", "--at", "19:40")
    run.ok("done", "2024-06-18/A1", "--on", "2024-08-01")
    run.ok("topic", "merge", "T6", "--into", "T4")
    run.ok("topic", "reject", "T7", "--reason", "不属于议事会议事范围")

    _meeting(run, "十一月居民议事会", "2024-11-05", excused=("ly", "zzq"),
             signed=("lxj", "wjg", "zgl", "lxy"))
    run.ok("confirm", "2024-06-18", "--yes", "3", "--no", "0", "--abstain", "1",
           "--at", "19:05")
    run.ok("propose", "冬季楼道照明检修", "--by", "lxj", "--second", "wjg", "--at", "19:10")
    run.ok("vote", "M1", "--yes", "4", "--no", "0", "--at", "19:15")
    run.ok("action", "统计损坏灯具", "--owner", "lxj", "--motion", "M1", "--at", "19:16")
    run.ok("action", "报修", "--owner", "lxy", "--due", "2025-01-15", "--motion", "M1",
           "--at", "19:17")
    run.ok("propose", "更换门禁", "--by", "zgl", "--second", "lxy", "--at", "19:20")
    run.ok("withdraw", "M2")
    run.ok("close", "--at", "19:40")

    run.ok("new", "十二月居民议事会", "--date", "2024-12-20", "--host", "王丽娟")
    run.ok("agenda", "add", "--topic", "T8", "-m", "2024-12-20")

    _meeting(run, "一月居民议事会", "2025-01-15", signed=("lxj", "ly", "wjg", "zgl", "lxy"),
             items=("清理楼道小广告",), topics=("T9",))
    run.ok("confirm", "2024-11-05", "--unanimous", "--at", "19:05")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, templates: dict[str, Path]) -> Path:
    folder = tmp_path_factory.mktemp("report") / "meetings"
    copy_tracked(templates["council"], folder)
    build(Cli(folder))
    return folder


@pytest.fixture
def council(built: Path, tmp_path: Path) -> Cli:
    target = tmp_path / "meetings"
    copy_tracked(built, target)
    return Cli(target)


def _figures(folder: Path) -> yearly.Figures:
    return yearly.figures(DataFolder(folder), 2024, TODAY)


def test_the_figures_are_the_hand_count(built: Path) -> None:
    one = _figures(built)
    assert one.council == "幸福里测试议事会" and one.as_of == dt.date(2024, 12, 31)
    assert [(m.date, m.title) for m in one.meetings] == [
        ("2024-03-12", "三月居民议事会"), ("2024-06-18", "六月居民议事会"),
        ("2024-11-05", "十一月居民议事会")]
    assert [(m.expected, m.attended, m.excused, m.absent) for m in one.meetings] == [
        (7, 5, 1, 1), (7, 7, 0, 0), (7, 4, 2, 1)]
    assert (one.expected, one.attended, one.excused, one.absent) == (21, 16, 3, 2)
    assert one.motions == {"adopted": 3, "rejected": 1, "postponed": 1, "withdrawn": 1,
                           "pending": 0}
    assert one.follow_up == {"on_time": 1, "late": 1, "done_undated": 0, "open": 2,
                             "overdue": 1}
    assert [(r.date, r.text, r.owners, r.state) for r in one.resolutions] == [
        ("2024-03-12", "楼道堆物限期清理", ("刘艳",), "done"),
        ("2024-06-18", "小游园增设座椅", ("王建国", "张桂兰"), "overdue"),
        ("2024-11-05", "冬季楼道照明检修", ("刘晓菊", "李秀英"), "open")]
    assert one.per_month() == (0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0)
    assert one.topics == yearly.TopicFigures(
        (("wish-wall", 2), ("grid-worker", 2), ("phone", 1), ("visit", 1), ("online", 2),
         ("none", 1)),
        {"adopted": 2, "not_adopted": 1, "postponed": 1, "undecided": 2, "declined": 1,
         "merged": 1, "open": 1}, listed_later=1)
    assert (one.topics.received, one.topics.listed) == (9, 6)
    assert one.confirmed == 2
    assert [r.evaluation for r in one.resolutions] == [(30, 5, 2), None, None]
    assert one.evaluation_totals() == (30, 5, 2)


def test_the_topics_of_another_year_are_that_years(built: Path) -> None:
    """T1 was raised in 2023 and is still 待议; 2023's one meeting has no confirmation,
    its resolution no evaluation."""
    one = yearly.figures(DataFolder(built), 2023, TODAY)
    assert one.topics == yearly.TopicFigures(
        (("wish-wall", 1),), dict.fromkeys(yearly.TOPIC_FATES, 0) | {"open": 1})
    assert one.confirmed == 0 and one.evaluated == ()


def test_follow_up_is_counted_as_of_an_earlier_day() -> None:
    """A report of the year under way counts follow-up as of today: an action done after
    that day was still open on it."""
    day = dt.date(2024, 7, 20)
    assert yearly.as_of(2024, day) == day
    due = dt.date(2024, 7, 15)
    assert yearly.follow_up_state(due, True, dt.date(2024, 8, 1), day) == "overdue"
    assert yearly.follow_up_state(due, True, dt.date(2024, 7, 10), day) == "on_time"
    assert yearly.follow_up_state(due, True, dt.date(2024, 7, 16), day) == "late"
    assert yearly.follow_up_state(due, True, None, day) == "done_undated"
    assert yearly.follow_up_state(None, False, None, day) == "open"
    assert yearly.follow_up_state(dt.date(2024, 7, 20), False, None, day) == "open"


def test_the_document_states_the_hand_count(council: Cli) -> None:
    text = council.ok("report", "--year", "2024").stdout
    assert "# 幸福里测试议事会2024年度议事工作报告" in text
    assert "2024年共召开议事会会议 3 次。" in text
    assert ("全年应出席 21 人次，实际出席 16 人次，出席率 76.2%；请假 3 人次，缺席 2 人次。"
            in text)
    assert "截至2024年12月31日" in text
    for label, n in (("通过", 3), ("未通过", 1), ("搁置", 1), ("撤回", 1),
                     ("按期完成", 1), ("逾期完成", 1), ("未完成（未逾期）", 2),
                     ("逾期未完成", 1)):
        assert f"| {label} | {n} 项 |" in text, label
    assert "去年的决议" not in text and "十二月居民议事会" not in text
    # counts only: nobody absent or excused is named outside the resolutions' owners
    assert "陈淑珍" not in text and "赵志强" not in text


def test_a_year_without_meetings_is_a_report_that_says_so(council: Cli) -> None:
    text = council.ok("report", "--year", "2022").stdout
    assert "2022年未召开议事会会议。" in text


@pytest.mark.parametrize("year", ["0", "99999", "1900", "2999"])
def test_a_year_out_of_range_is_refused(council: Cli, year: str) -> None:
    council.refused("report", "--year", year, because="yearly.bad_year", year=year)


def test_a_year_that_is_no_number_is_a_usage_error(council: Cli) -> None:
    result = council("report", "--year", "去年")
    assert result.exit_code == 2 and result.stdout == ""


def test_a_png_output_is_refused_as_for_the_minutes(council: Cli, tmp_path: Path) -> None:
    target = tmp_path / "报告.png"
    result = council("report", "--year", "2024", "-o", str(target), env={"COLUMNS": "400"})
    assert result.exit_code == 2 and not target.exists()
    assert "用法：yiguan" in result.stderr


def test_the_csv_is_one_row_per_council_with_stable_columns(council: Cli,
                                                             tmp_path: Path) -> None:
    target = tmp_path / "报告.csv"
    council.ok("report", "--year", "2024", "-o", str(target))
    data = target.read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    zh = locale("zh")
    assert rows[0] == [zh.say(f"csv.report.{key}") for key in yearly.CSV_KEYS]
    assert dict(zip(yearly.CSV_KEYS, rows[1], strict=True)) == {
        "council": "幸福里测试议事会", "year": "2024", "as_of": "2024-12-31", "meetings": "3",
        "expected": "21", "attended": "16", "excused": "3", "absent": "2",
        "attendance_rate": "76.19%", "motions": "6", "adopted": "3", "rejected": "1",
        "postponed": "1", "withdrawn": "1", "pending": "0", "resolutions": "3", "actions": "5",
        "done_on_time": "1", "done_late": "1", "done_undated": "0", "open": "2",
        "open_overdue": "1", "minutes_confirmed": "2", "topics_received": "9",
        "topics_listed": "6", "topics_adopted": "2", "topics_not_adopted": "1",
        "topics_postponed": "1", "topics_undecided": "2", "topics_declined": "1",
        "topics_merged": "1", "topics_open": "1", "evaluated": "1", "satisfied": "30",
        "basic": "5", "unsatisfied": "2"}
    assert len(rows) == 2
    # the columns issue 23 added come last: the old ones keep their places
    assert yearly.CSV_KEYS.index("minutes_confirmed") == 22
    english = council.ok("report", "--year", "2024", "--format", "csv",
                         env={"YIGUAN_LANG": "en"}).stdout
    assert english.splitlines()[0].lstrip("\ufeff").split(",")[:3] == [
        "Council", "Year", "Follow-up as of"]


def test_several_councils_guard_every_councils_files_and_count_each_once(
        council: Cli, tmp_path: Path, templates: dict[str, Path]) -> None:
    """-o into the second council's council.toml is refused as into the first's; a
    council named twice, or a street office's folder holding it, is counted once."""
    street = tmp_path / "street"
    other = street / "heping"
    copy_tracked(templates["council"], other)
    Cli(other).ok("council", "set", "name", "和平议事会")
    kept = (other / "council.toml").read_bytes()
    council.refused("report", "--year", "2024", "--council", str(council.folder),
                    "--council", str(other), "-o", str(other / "council.toml"),
                    "--format", "csv", because="store.output_is_data")
    assert (other / "council.toml").read_bytes() == kept
    twice = council.ok("report", "--year", "2024", "--council", str(council.folder),
                       "--council", str(council.folder), "--format", "csv").stdout
    assert len(list(csv.reader(io.StringIO(twice)))) == 2  # the header and one council
    both = council.ok("report", "--year", "2024", "--council", str(street), "--council",
                      str(other), "--council", str(council.folder), "--format", "csv").stdout
    names = [row[0].lstrip("\ufeff") for row in csv.reader(io.StringIO(both))][1:]
    assert names == ["和平议事会", "幸福里测试议事会"]


def test_several_councils_one_report_names_never_mixed(council: Cli, tmp_path: Path,
                                                       templates: dict[str, Path]) -> None:
    other = tmp_path / "other"
    copy_tracked(templates["council"], other)
    run = Cli(other)
    run.ok("council", "set", "name", "天庆新城议事会")
    _meeting(run, "五月议事会", "2024-05-08", signed=("lxj", "ly", "wjg", "zgl"))
    run.ok("propose", "垃圾分类宣传", "--by", "ly", "--second", "lxj", "--at", "19:10")
    run.ok("vote", "M1", "--yes", "4", "--no", "0", "--at", "19:15")
    run.ok("close", "--at", "19:30")
    argv = ["report", "--year", "2024", "--council", str(council.folder), "--council",
            str(other)]
    text = council.ok(*argv).stdout
    assert text.startswith("# 2024年度议事工作报告")
    first = text.index("## 幸福里测试议事会")
    second = text.index("## 天庆新城议事会")
    assert first < second
    assert "垃圾分类宣传" in text[second:] and "垃圾分类宣传" not in text[first:second]
    assert "楼道堆物限期清理" in text[first:second]
    # the totals: 3 + 1 meetings, 16 + 4 of 21 + 7 expected
    assert "| 合计 | 4 | 71.4% | 3 | 5 | 4 | 1 | 2 | 2 | 1 |" in text
    # the cycle's totals: 天庆新城 keeps no topics pool (-), confirmed and evaluated none
    assert "| 幸福里测试议事会 | 9 | 6 | 1 | 1 | 1 | 2/3 | 1/3 | 81.1% |" in text
    assert "| 天庆新城议事会 | - | - | - | - | - | 0/1 | 0/1 | - |" in text
    assert "| 合计 | 9 | 6 | 1 | 1 | 1 | 2/4 | 1/4 | 81.1% |" in text
    rows = list(csv.reader(io.StringIO(council.ok(*argv, "--format", "csv").stdout)))
    assert [row[0].lstrip("\ufeff") for row in rows] == ["议事会", "幸福里测试议事会",
                                                         "天庆新城议事会"]
    # 天庆新城 keeps no topics pool: its topic cells are empty, the other counts zero
    other_row = dict(zip(yearly.CSV_KEYS, rows[2], strict=True))
    assert {key: other_row[key] for key in yearly.CSV_KEYS[22:]} == {
        "minutes_confirmed": "0", **dict.fromkeys(yearly.CSV_KEYS[23:32], ""),
        "evaluated": "0", "satisfied": "0", "basic": "0", "unsatisfied": "0"}
    assert text.count("议题征集与办理") == 1 and "议题征集与办理" in text[first:second]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_markdown_is_the_golden_one(built: Path, lang: str) -> None:
    from yiguan.render.formats import render_document

    doc = yearly.yearly_document([_figures(built)], lang=lang, year=2024, today=TODAY,
                                 version="golden")
    check_golden(GOLDEN / f"report.{lang}.md", render_document(doc, "md"))


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_the_same_folder_gives_the_same_bytes(council: Cli, tmp_path: Path, fmt: str) -> None:
    before = snapshot(council.folder)
    outputs = []
    for number in (1, 2):
        target = tmp_path / f"report{number}.{fmt}"
        council.ok("report", "--year", "2024", "-o", str(target))
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] and snapshot(council.folder) == before


def _browser() -> str | None:
    from yiguan.render.to_pdf import find_browser

    found = find_browser()
    if found is None and os.environ.get("CI") == "true":
        pytest.fail("no browser on the CI machine")
    return found


@pytest.mark.slow
def test_the_word_file_holds_the_charts_as_images_and_the_same_bytes_twice(
        council: Cli, tmp_path: Path) -> None:
    if _browser() is None:
        pytest.skip("no Chromium-family browser")
    targets = [tmp_path / "a.docx", tmp_path / "b.docx"]
    for target in targets:
        council.ok("report", "--year", "2024", "-o", str(target))
    assert targets[0].read_bytes() == targets[1].read_bytes()
    with zipfile.ZipFile(targets[0]) as docx:
        media = [name for name in docx.namelist() if name.startswith("word/media/")]
        body = docx.read("word/document.xml").decode("utf-8")
    assert len(media) == 4 and all(name.endswith(".png") for name in media)
    assert body.count("<wp:inline") == 4
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("no LibreOffice on the CI machine")
        return
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(targets[0])], check=True, capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(tmp_path)})
    assert (tmp_path / "a.pdf").stat().st_size > 0


@pytest.mark.slow
def test_the_pdf_prints_the_html_with_its_charts(council: Cli, tmp_path: Path) -> None:
    if _browser() is None:
        pytest.skip("no Chromium-family browser")
    html = tmp_path / "report.html"
    council.ok("report", "--year", "2024", "-o", str(html))
    assert html.read_text(encoding="utf-8").count("<svg") == 4
    pdf = tmp_path / "report.pdf"
    council.ok("report", "--year", "2024", "-o", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_done_keeps_the_day_it_was_said_and_the_first_one(council: Cli, clock: Any) -> None:
    """`done` keeps the day (done_on), today unless --on says another; marking it done
    again keeps the first day."""
    clock.set("2024-12-02 10:00")
    council.ok("done", "2024-11-05/A1")
    clock.set("2025-01-25 10:00")  # --on may not be after today
    council.ok("done", "2024-11-05/A2", "--on", "2025-01-20")
    text = (council.folder / "2024-11-05.toml").read_text(encoding="utf-8")
    assert "done_on = 2024-12-02" in text and "done_on = 2025-01-20" in text
    council.ok("done", "2024-11-05/A1", "--note", "已统计", "--on", "2024-12-03")
    assert "done_on = 2024-12-02" in (council.folder / "2024-11-05.toml").read_text("utf-8")
    one = _figures(council.folder)  # A2 was done after the year: open on its last day
    assert one.follow_up == {"on_time": 2, "late": 1, "done_undated": 0, "open": 1,
                             "overdue": 1}


def test_the_topics_section_is_there_only_with_a_topics_pool(built: Path) -> None:
    """No topics pool, no section, the sections after attendance numbered on; the pool
    there, the section after attendance with the hand count."""
    import dataclasses

    from yiguan.render.formats import render_document

    one = _figures(built)
    plain = render_document(yearly.yearly_document(
        [dataclasses.replace(one, topics=None)], lang="zh", year=2024, today=TODAY),
        "md").decode()
    assert "议题征集与办理" not in plain and "## 三、动议与表决" in plain
    text = render_document(yearly.yearly_document([one], lang="zh", year=2024, today=TODAY),
                           "md").decode()
    assert "## 三、议题征集与办理" in text and "## 四、动议与表决" in text
    assert "全年收到居民议题 9 项" in text
    for label, n in (("心愿墙", 2), ("网格员", 2), ("电话", 1), ("来访", 1), ("线上", 2),
                     ("未注明", 1), ("已列入议程", 6), ("其中：通过", 2), ("其中：未通过", 1),
                     ("其中：搁置", 1), ("其中：尚未表决", 2), ("不予列入", 1), ("已合并", 1),
                     ("待议", 1)):
        assert f"| {label} | {n} 项 |" in text, label
    assert "其中 1 项在2024年12月31日以后的会议上列入。" in text
    empty = dataclasses.replace(one, topics=yearly.TopicFigures(
        (), dict.fromkeys(yearly.TOPIC_FATES, 0)))
    text = render_document(yearly.yearly_document([empty], lang="zh", year=2024, today=TODAY),
                           "md").decode()
    assert "## 三、议题征集与办理\n\n　　全年未收到居民议题。" in text


def test_the_evaluation_and_the_confirmed_minutes_are_the_hand_count(council: Cli) -> None:
    text = council.ok("report", "--year", "2024").stdout
    assert "截至2024年12月31日，3 次会议中有 2 次的会议纪要已在之后的会议上宣读确认" in text
    assert "## 七、居民评议" in text
    assert "| 2024-03-12 | 楼道堆物限期清理 | 30 | 5 | 2 | 81.1% |" in text
    assert "| 合计 |  | 30 | 5 | 2 | 81.1% |" in text
    assert "满意率 81.1%" in text and "含基本满意 35 人次为 94.6%" in text
    assert "小游园增设座椅 | 30" not in text  # June's R1 was not evaluated


def test_the_totals_of_the_evaluation_add_the_resolutions_up(built: Path) -> None:
    import dataclasses

    from yiguan.render.formats import render_document

    one = _figures(built)
    lines = list(one.resolutions)
    lines[1] = dataclasses.replace(lines[1], evaluation=(10, 0, 3))
    two = dataclasses.replace(one, resolutions=tuple(lines))
    assert two.evaluation_totals() == (40, 5, 5) and len(two.evaluated) == 2
    text = render_document(yearly.yearly_document([two], lang="zh", year=2024, today=TODAY),
                           "md").decode()
    assert "| 合计 |  | 40 | 5 | 5 | 80.0% |" in text  # 40/50; with the basic 45/50 = 90%
    assert "含基本满意 45 人次为 90.0%" in text
    assert yearly.csv_row(two)[-4:] == (2, 40, 5, 5)


def test_no_resident_is_named_in_the_report(council: Cli) -> None:
    """Counts only: no resident who raised a topic, no topic's text, in any language."""
    for lang in ("zh", "en"):
        text = council.ok("report", "--year", "2024", env={"YIGUAN_LANG": lang}).stdout
        for _, _, by, topic in TOPICS:
            assert topic not in text
            assert by is None or by not in text
        assert "T2" not in text


def test_a_year_later_is_not_counted_twice(council: Cli) -> None:
    """T9, received in 2024 and listed at the 2025 meeting, counts in 2024 only: 2025
    received nothing. The 2025 meeting confirmed November's minutes after 2024's last
    day, which 2024's report does not count (2 of 3), and 2025 held no meeting of its
    own whose minutes were confirmed."""
    one = yearly.figures(DataFolder(council.folder), 2025, TODAY)
    assert one.topics is not None and one.topics.received == 0
    assert [m.date for m in one.meetings] == ["2025-01-15"] and one.confirmed == 0
    assert yearly.figures(DataFolder(council.folder), 2024, TODAY).confirmed == 2


def test_a_broken_topics_pool_is_refused_in_one_line(council: Cli, tmp_path: Path) -> None:
    """A topics.toml that does not load stops the report as a broken meeting file does:
    one line naming the file, exit 1, nothing written."""
    (council.folder / "topics.toml").write_text('format = 1\n[[topic]]\nid = "T1"\n',
                                                encoding="utf-8")
    target = tmp_path / "报告.md"
    result = council.refused("report", "--year", "2024", "-o", str(target))
    assert "topics.toml" in result.stderr and not target.exists()
