"""The cycle around a meeting (issue 23): the minutes of an earlier meeting confirmed at a
later one (`confirm`, 纪要确认), residents' evaluation of a resolution carried out
(`evaluate`, 居民评议), and the ledger of every motion (`ledger --all`).

The scenario: the April meeting (2024-04-25) adopts R1 with an action, and closes; the
May meeting (2024-05-23) opens with six members present and confirms April's minutes.
Goldens: both meetings' minutes and April's results notice with an evaluation, in
Chinese and English (tests/golden/cycle/).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import check_golden
from yiguan.git import merge
from yiguan.record import fileformat
from yiguan.record.kinds import Confirmation, Evaluation
from yiguan.render.minutes import Confirmed, render_minutes
from yiguan.render.notice import results_document
from yiguan.render.to_markdown import markdown
from yiguan.rules.words import percent_text, pleased_rate, satisfaction_rate
from yiguan.store.folder import DataFolder
from yiguan.store.index import confirmed_by

APRIL, MAY = "2024-04-25", "2024-05-23"
GOLDEN = Path(__file__).resolve().parent / "golden" / "cycle"
COUNCIL = "幸福里测试议事会"


def _april(run: Any) -> None:
    run.ok("new", "四月居民议事会", "--date", APRIL, "--time", "19:30", "--place", "社区活动室",
           "--host", "王丽娟", "--recorder", "张敏")
    run.ok("agenda", "add", "楼道堆物清理", "--by", "王丽娟")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "lxy", "--at", "19:20")
    run.ok("open", "--at", "19:30")
    run.ok("speak", "ly", "三楼楼道堆满纸箱，影响通行", "--at", "19:35")
    run.ok("propose", "限期两周清理楼道堆物", "--by", "ly", "--second", "lxj", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "5", "--no", "0", "--at", "19:50")
    run.ok("propose", "楼道安装监控", "--by", "wjg", "--second", "zgl", "--at", "19:55")
    run.ok("vote", "M2", "--yes", "1", "--no", "3", "--abstain", "1", "--at", "20:00")
    run.ok("action", "张贴清理通知并逐户提醒", "--owner", "ly", "--due", "2024-05-10",
           "--motion", "M1", "--at", "20:05")
    run.ok("close", "--at", "20:30")


def _may(run: Any, *, present: tuple[str, ...] = ("lxj", "ly", "wjg", "zgl", "lxy", "csz"),
         ) -> None:
    run.ok("new", "五月居民议事会", "--date", MAY, "--time", "19:30", "--place", "社区活动室",
           "--host", "王丽娟", "--recorder", "张敏")
    run.ok("agenda", "add", "小游园卫生管理", "--by", "王丽娟")
    run.ok("sign", *present, "--at", "19:20")
    run.ok("open", "--at", "19:30")


@pytest.fixture
def cycle(run: Any) -> Any:
    """April closed with R1 and its action A1; May open, six members present."""
    _april(run)
    _may(run)
    return run


def _confirmations(run: Any, meeting: str = MAY) -> list[Confirmation]:
    return run.meeting(meeting).records(Confirmation)


def _evaluations(run: Any, meeting: str = APRIL) -> list[Evaluation]:
    return run.meeting(meeting).records(Evaluation)


# --- confirm ---------------------------------------------------------------------------------

def test_confirm_records_the_show_of_hands_in_the_later_meeting(cycle: Any) -> None:
    april = cycle.meeting_bytes(APRIL)
    result = cycle.ok("confirm", APRIL, "--yes", "5", "--no", "0", "--abstain", "1",
                      "--at", "19:35")
    assert "四月居民议事会" in result.stdout
    (record,) = _confirmations(cycle)
    assert (record.id, record.meeting, record.title, record.at) == ("Q1", APRIL, "四月居民议事会",
                                                                    "19:35")
    assert (record.yes, record.no, record.abstain, record.present) == (5, 0, 1, 6)
    assert record.rule == ">1/2 present"
    assert cycle.meeting_bytes(APRIL) == april  # nothing written into the earlier file
    cycle.ok("check")


def test_confirm_unanimous_and_by_its_chinese_alias(cycle: Any) -> None:
    cycle.ok("确认", APRIL, "--unanimous", "--at", "19:35")
    (record,) = _confirmations(cycle)
    assert (record.yes, record.no, record.abstain, record.present) == (6, 0, 0, 6)


def test_list_and_show_mark_the_confirmed_meeting(cycle: Any) -> None:
    before = cycle.ok("list").stdout
    assert "已确认" not in before
    cycle.ok("confirm", APRIL, "--unanimous", "--at", "19:35")
    listed = cycle.ok("list").stdout
    april_line = next(line for line in listed.splitlines() if line.startswith(APRIL))
    may_line = next(line for line in listed.splitlines() if line.startswith(MAY))
    assert "已散会（已确认）" in april_line and "已确认" not in may_line
    shown = cycle.ok("show", "-m", APRIL).stdout
    assert "纪要确认" in shown and "已确认（2024-05-23“五月居民议事会”）" in shown
    assert "纪要确认" not in cycle.ok("show", "-m", MAY).stdout


def test_the_minutes_of_both_meetings_say_so(cycle: Any) -> None:
    cycle.ok("confirm", APRIL, "--unanimous", "--at", "19:35")
    april = cycle.ok("minutes", "-m", APRIL).stdout
    body = april.rsplit("\n---\n", 1)[0]  # before the footer: the minutes end with it
    assert body.rstrip().endswith("\n本记录经2024年5月23日“五月居民议事会”确认。")
    may = cycle.ok("minutes", "-m", MAY).stdout
    assert may.index("## 确认上次会议记录") < may.index("## 议题一")
    assert "会议宣读了2024年4月25日“四月居民议事会”的会议记录" in may
    cycle.ok("strike", "Q1", "-m", MAY)  # entered by mistake (the meeting is open)
    assert "本记录经" not in cycle.ok("minutes", "-m", APRIL).stdout


def test_confirmed_by_reads_the_index(cycle: Any) -> None:
    data = DataFolder(cycle.folder)
    assert confirmed_by(data) == {}
    cycle.ok("confirm", APRIL, "--unanimous", "--at", "19:35")
    found = confirmed_by(data)
    assert list(found) == [APRIL]
    assert found[APRIL] == (MAY, MAY, "五月居民议事会")


@pytest.mark.parametrize(("args", "key", "params"), [
    (["2024-04-26", "--unanimous"], "store.no_meeting", {"id": "2024-04-26"}),
    ([MAY, "--unanimous"], "cycle.confirm_same", {"id": MAY}),
    (["--yes", "5", "--no", "0"], "cycle.confirm_counts",
     {"cast": "5", "present": "6"}),
    (["--yes", "5", "--no", "0", "--abstain", "2"], "cycle.confirm_counts",
     {"cast": "7", "present": "6"}),
    (["--yes", "3", "--no", "3"], "cycle.confirm_not_carried", {"id": APRIL}),
    (["--yes", "6", "--no", "1", "--unanimous"], "live.unanimous_conflict", {"eligible": "6"}),
    ([], "live.vote_needs_counts", {}),
    (["--at", "19:10", "--unanimous"], "clock.refused", {}),
])
def test_confirm_refusals(cycle: Any, args: list[str], key: str,
                          params: dict[str, str]) -> None:
    if args and args[0] in ("2024-04-26", MAY):
        cycle.refused("confirm", *args, because=key, **params)
    else:
        cycle.refused("confirm", APRIL, *args, because=key, **params)


def test_confirm_refuses_minutes_already_confirmed(cycle: Any) -> None:
    cycle.ok("confirm", APRIL, "--unanimous", "--at", "19:35")
    cycle.refused("confirm", APRIL, "--unanimous", "--at", "19:40",
                  because="cycle.already_confirmed", id=APRIL, by=MAY)


def test_confirm_refuses_a_meeting_not_closed(run: Any) -> None:
    _may(run)  # May open; June planned
    run.ok("new", "六月居民议事会", "--date", "2024-06-20")
    run.refused("confirm", MAY, "--unanimous", "-m", "2024-06-20", "--at", "19:35",
                because="live.meeting_not_open")
    _april_open = run  # an April meeting still open cannot be confirmed at May
    _april_open.ok("new", "四月居民议事会", "--date", APRIL)
    run.refused("confirm", APRIL, "--unanimous", "-m", MAY, "--at", "19:35",
                because="cycle.confirm_not_closed", id=APRIL)


def test_confirm_refuses_a_later_meeting(run: Any) -> None:
    _may(run)
    run.ok("close", "--at", "20:00")
    _april_open = run
    _april_open.ok("new", "四月居民议事会", "--date", APRIL)
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "--at", "19:20", "-m", APRIL)
    run.ok("open", "--at", "19:30", "-m", APRIL)
    run.refused("confirm", MAY, "--unanimous", "--at", "19:35",
                because="cycle.confirm_later", id=MAY, current=APRIL)


def test_confirm_refuses_without_quorum(run: Any) -> None:
    _april(run)
    _may(run, present=("lxj", "ly", "wjg", "zgl"))
    run.ok("leave", "zgl", "--at", "19:32")
    run.refused("confirm", APRIL, "--yes", "3", "--no", "0", "--at", "19:35",
                because="cycle.confirm_no_quorum", present="3", needed="4")


# --- evaluate ---------------------------------------------------------------------------------

def _done(run: Any) -> None:
    run.ok("done", f"{APRIL}/A1", "--note", "5月8日前已清理完毕", "--on", "2024-05-08")


def test_evaluate_a_resolution_carried_out(cycle: Any) -> None:
    _done(cycle)
    result = cycle.ok("evaluate", f"{APRIL}/R1", "--satisfied", "30", "--basic", "5",
                      "--unsatisfied", "2", "--date", "2024-06-20", "--how", "入户")
    assert "J1" in result.stdout
    (record,) = _evaluations(cycle)
    assert (record.motion, record.date.isoformat(), record.how) == ("M1", "2024-06-20", "visit")
    assert (record.satisfied, record.basic, record.unsatisfied) == (30, 5, 2)
    assert run_check_is_clean(cycle)
    assert not cycle.meeting(APRIL).correction  # follow-up: no 更正说明


def run_check_is_clean(run: Any) -> bool:
    return run("check").exit_code == 0


def test_evaluate_by_alias_with_m_and_todays_date(cycle: Any, clock: Any) -> None:
    _done(cycle)
    clock.set("2024-07-01 10:00")
    cycle.ok("评议", "r1", "-m", APRIL, "--satisfied", "8", "--basic", "0",
             "--unsatisfied", "0", "--how", "survey")
    (record,) = _evaluations(cycle)
    assert (record.date.isoformat(), record.how) == ("2024-07-01", "survey")


def test_an_evaluation_follows_its_motion_when_a_fix_renumbers_resolutions(cycle: Any) -> None:
    _done(cycle)
    cycle.ok("evaluate", f"{APRIL}/R1", "--satisfied", "3", "--basic", "1",
             "--unsatisfied", "0", "--date", "2024-06-20")
    # M2's vote corrected: M2 is adopted, and still the evaluation is M1's
    cycle.ok("fix", "V2", "--yes", "4", "--no", "0", "--abstain", "1", "-m", APRIL,
             "--why", "计票有误")
    (record,) = _evaluations(cycle)
    assert record.motion == "M1"
    rows = json.loads(cycle.ok("ledger", "--format", "json").stdout)
    by_motion = {r["motion"]: r for r in rows}
    assert by_motion["M1"]["satisfied"] == 3 and by_motion["M2"]["satisfied"] is None


@pytest.mark.parametrize(("args", "key", "params"), [
    (["R3"], "cycle.no_such_resolution", {"id": "R3", "known": "R1"}),
    (["R1", "--satisfied", "0", "--basic", "0", "--unsatisfied", "0"],
     "cycle.evaluate_nobody", {}),
    (["R1", "--date", "2024-04-01"], "cycle.evaluate_before_meeting",
     {"day": "2024-04-01", "date": APRIL}),
    (["R1", "--how", "电话"], "cycle.bad_how", {"value": "电话"}),
    (["R1", "--satisfied", "99999999999", "--basic", "0", "--unsatisfied", "0"],
     "cycle.evaluate_too_many", {"most": "100000"}),
    (["R1", "--date", "2099-01-01"], "cycle.evaluate_in_future", {"day": "2099-01-01"}),
])
def test_evaluate_refusals(cycle: Any, args: list[str], key: str,
                           params: dict[str, str]) -> None:
    _done(cycle)
    counts = [] if "--satisfied" in args else ["--satisfied", "3", "--basic", "1",
                                               "--unsatisfied", "1"]
    dated = [] if "--date" in args else ["--date", "2024-06-20"]
    cycle.refused("evaluate", *args, *counts, *dated, "-m", APRIL, because=key, **params)


def test_evaluate_refuses_an_action_not_done_or_none(cycle: Any) -> None:
    counts = ["--satisfied", "3", "--basic", "1", "--unsatisfied", "1", "--date", "2024-06-20"]
    cycle.refused("evaluate", f"{APRIL}/R1", *counts, because="cycle.evaluate_not_done",
                  r="R1", ids="A1")
    cycle.ok("strike", "A1", "-m", APRIL, "--why", "重复录入")
    cycle.refused("evaluate", f"{APRIL}/R1", *counts, because="cycle.evaluate_no_action",
                  r="R1")


def test_evaluate_refuses_twice_a_day_two_meetings_and_an_open_meeting(cycle: Any) -> None:
    _done(cycle)
    counts = ["--satisfied", "3", "--basic", "1", "--unsatisfied", "1", "--date", "2024-06-20"]
    cycle.ok("evaluate", f"{APRIL}/R1", *counts)
    cycle.refused("evaluate", f"{APRIL}/R1", *counts, because="cycle.evaluate_twice",
                  r="R1", day="2024-06-20")
    cycle.ok("evaluate", f"{APRIL}/R1", "--satisfied", "4", "--basic", "1", "--unsatisfied",
             "0", "--date", "2024-09-20")  # another day: a second evaluation
    cycle.refused("evaluate", f"{APRIL}/R1", *counts, "-m", MAY, because="live.two_meetings")
    cycle.refused("evaluate", "R1", *counts, "-m", MAY, because="live.meeting_already_open")


def test_the_satisfaction_rate_is_whole_number_arithmetic() -> None:
    assert satisfaction_rate(30, 5, 2) == "81.1"  # 30 / 37, the example
    assert pleased_rate(30, 5, 2) == "94.6"  # (30 + 5) / 37
    assert percent_text(30, 37) == "81.1"
    assert percent_text(1, 16) == "6.3"  # 6.25: half up
    assert percent_text(2, 3) == "66.7" and percent_text(3, 3) == "100.0"
    assert satisfaction_rate(0, 0, 4) == "0.0"


# --- the results notice and the ledger ---------------------------------------------------------

def test_the_results_notice_states_the_evaluation_and_how_it_is_counted(cycle: Any) -> None:
    _done(cycle)
    cycle.ok("evaluate", f"{APRIL}/R1", "--satisfied", "30", "--basic", "5",
             "--unsatisfied", "2", "--date", "2024-06-20", "--how", "入户")
    text = cycle.ok("notice", "--results", "-m", APRIL).stdout
    assert ("居民评议（2024年6月20日，入户走访）：满意 30 人、基本满意 5 人、不满意 2 人，"
            "满意率 81.1%（满意 30 人占参与评议 37 人的比例；含基本满意 35 人为 94.6%）") in text


def test_ledger_shows_evaluation_columns_only_when_there_is_one(cycle: Any) -> None:
    plain = cycle.ok("ledger", "--format", "csv").stdout
    assert "满意率" not in plain and "居民评议" not in cycle.ok("ledger").stdout
    row = json.loads(cycle.ok("ledger", "--format", "json").stdout)[0]
    assert row["evaluated"] is None and row["satisfaction"] is None
    _done(cycle)
    cycle.ok("evaluate", f"{APRIL}/R1", "--satisfied", "30", "--basic", "5",
             "--unsatisfied", "2", "--date", "2024-06-20", "--how", "问卷")
    row = json.loads(cycle.ok("ledger", "--format", "json").stdout)[0]
    assert (row["evaluated"], row["evaluated_how"], row["satisfied"], row["basic"],
            row["unsatisfied"], row["satisfaction"]) == ("2024-06-20", "survey", 30, 5, 2, 0.8108)
    header, line = cycle.ok("ledger", "--format", "csv").stdout.splitlines()[:2]
    assert header.endswith(",评议日期,评议方式,满意,基本满意,不满意,满意率")
    assert line.endswith(",2024-06-20,问卷调查,30,5,2,81.08%")
    assert "30/5/2 81.1%" in cycle.ok("ledger").stdout
    english = cycle.ok("ledger", "--format", "csv", env={"YIGUAN_LANG": "en"}).stdout
    assert "Satisfaction" in english.splitlines()[0]


def test_ledger_all_lists_every_motion_in_words(cycle: Any) -> None:
    cycle.ok("propose", "小游园每周清扫", "--by", "wjg", "--second", "ly", "--at", "19:40")
    cycle.ok("vote", "M1", "--yes", "2", "--no", "4", "--at", "19:45")
    cycle.ok("reconsider", "M1", "--at", "19:46")
    cycle.ok("propose", "更换健身器材", "--by", "zgl", "--at", "19:50")
    cycle.ok("withdraw", "M2")
    cycle.ok("propose", "增设垃圾桶", "--by", "zgl", "--second", "ly", "--at", "19:52")
    cycle.ok("postpone", "M3")
    table = cycle.ok("ledger", "--all").stdout
    for words in ("通过", "未通过", "重议中", "撤回", "搁置", "1. 楼道堆物清理"):
        assert words in table
    rows = json.loads(cycle.ok("ledger", "--all", "--format", "json").stdout)
    assert [(r["id"], r["status"], r["resolution"]) for r in rows] == [
        (f"{APRIL}/M1", "adopted", "R1"), (f"{APRIL}/M2", "rejected", None),
        (f"{MAY}/M1", "reconsidering", None), (f"{MAY}/M2", "withdrawn", None),
        (f"{MAY}/M3", "postponed", None)]
    assert rows[1]["item_title"] == "楼道堆物清理" and rows[1]["topic"] is None
    assert (rows[1]["yes"], rows[1]["no"], rows[1]["abstain"]) == (1, 3, 1)
    csv = cycle.ok("ledger", "--all", "--format", "csv").stdout.splitlines()
    assert csv[0].lstrip("\ufeff").startswith(
        "议事会,编号,会议,日期,会议名称,动议,议题序号,议题,议题来源")
    assert csv[2].endswith(",楼道安装监控,未通过,,1,3,1")
    assert "编号" in cycle.ok("ledger", "--all", "--format", "md").stdout
    empty = cycle.ok("ledger", "--all", "--since", "2025-01-01").stdout
    assert empty.strip() == "没有符合条件的动议"


def test_ledger_all_reads_a_topic_from_the_item_when_there_is_one() -> None:
    """Another helper stores `topic` on the item (agenda add --topic); the column reads
    it defensively."""
    from yiguan.record.model import Item, Meeting, Motion
    from yiguan.store.index import summarize

    meeting = Meeting(title="t", date=__import__("datetime").date(2024, 4, 25))
    item = Item(id=1, title="楼道")
    object.__setattr__(item, "topic", "T3")
    meeting.item.append(item)
    meeting.motion.append(Motion(id="M1", item=1, text="x", by="a", at="19:00"))
    (part,) = summarize(APRIL, meeting)["motions"]
    assert part[3] == "T3"


# --- merge: the new kinds are merged generically -----------------------------------------------

def test_the_merge_driver_keeps_a_confirmation_and_evaluations_from_either_side(
        cycle: Any) -> None:
    """Declared in KINDS, both kinds are merged record by record with no code of their own."""
    _done(cycle)

    def branch(meeting: str, *args: str) -> bytes:
        """The meeting file after `args`, then the file put back as it was."""
        before = cycle.meeting_bytes(meeting)
        cycle.ok(*args)
        after = cycle.meeting_bytes(meeting)
        cycle.meeting_path(meeting).write_bytes(before)
        return after

    base = cycle.meeting_bytes(APRIL)
    counts = ["--basic", "1", "--unsatisfied", "0"]
    ours = branch(APRIL, "evaluate", f"{APRIL}/R1", "--satisfied", "3", *counts,
                  "--date", "2024-06-20")
    theirs = branch(APRIL, "evaluate", f"{APRIL}/R1", "--satisfied", "5", *counts,
                    "--date", "2024-09-20")
    result = merge.merge(base, ours, theirs)
    assert result.clean
    assert [(e["id"], e["satisfied"]) for e in result.data["evaluation"]] == [("J1", 3),
                                                                             ("J2", 5)]
    base = cycle.meeting_bytes(MAY)
    ours = branch(MAY, "confirm", APRIL, "--unanimous", "--at", "19:35")
    theirs = branch(MAY, "speak", "ly", "小游园要每周打扫", "--at", "19:40")
    result = merge.merge(base, ours, theirs)
    assert result.clean
    assert [c["meeting"] for c in result.data["confirmation"]] == [APRIL]
    assert len(result.data["speech"]) == 1
    merged = fileformat.load_meeting(merge.merged_text(result).encode(), "merged.toml")
    assert [c.meeting for c in merged.records(Confirmation)] == [APRIL]


# --- goldens ------------------------------------------------------------------------------------

GOLDEN_VERSION = "0.0.0-golden"


@pytest.fixture
def finished(cycle: Any) -> Any:
    """Both meetings closed, April's minutes confirmed in May, R1 carried out and
    evaluated."""
    cycle.ok("confirm", APRIL, "--unanimous", "--at", "19:35")
    cycle.ok("speak", "ly", "小游园落叶较多，建议每周清扫两次", "--at", "19:40")
    cycle.ok("close", "--at", "20:10")
    _done(cycle)
    cycle.ok("evaluate", f"{APRIL}/R1", "--satisfied", "30", "--basic", "5",
             "--unsatisfied", "2", "--date", "2024-06-20", "--how", "入户")
    return cycle


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cycle_goldens(finished: Any, lang: str) -> None:
    import datetime as dt

    april, may = finished.meeting(APRIL), finished.meeting(MAY)
    found = confirmed_by(DataFolder(finished.folder))[APRIL]
    confirmed = Confirmed(dt.date.fromisoformat(found.date), found.title)
    check_golden(GOLDEN / f"confirmed.minutes.{lang}.md",
                 render_minutes(april, source=f"{APRIL}.toml", council=COUNCIL, lang=lang,
                                version=GOLDEN_VERSION, confirmed=confirmed))
    check_golden(GOLDEN / f"confirming.minutes.{lang}.md",
                 render_minutes(may, source=f"{MAY}.toml", council=COUNCIL, lang=lang,
                                version=GOLDEN_VERSION))
    check_golden(GOLDEN / f"evaluated.results.{lang}.md",
                 markdown(results_document(april, council=COUNCIL, source=f"{APRIL}.toml",
                                           lang=lang, version=GOLDEN_VERSION,
                                           start=dt.date(2024, 6, 25))))


def test_docs_name_every_key_of_ledger_all_with_its_csv_column() -> None:
    from yiguan.render.reports import KEYS
    from yiguan.text.messages import t

    docs = (Path(__file__).resolve().parent.parent / "docs" / "exports.md").read_text("utf-8")
    section = docs.split("## `yiguan ledger --all", 1)[1].split("\n## ", 1)[0]
    for key in KEYS["motions"]:
        row = next(line for line in section.splitlines() if f"`{key}`" in line)
        named = f"{t(f'csv.motions.{key}', lang='zh')} / {t(f'csv.motions.{key}', lang='en')}"
        assert named in row, (key, row)


def test_check_reports_a_hand_edited_confirmation_or_evaluation(cycle: Any) -> None:
    from yiguan.meeting.check import check_file

    cycle.ok("confirm", APRIL, "--unanimous", "--at", "19:35")
    path = cycle.meeting_path(MAY)
    text = path.read_text("utf-8")
    path.write_text(text.replace("yes = 6", "yes = 5").replace(f'meeting = "{APRIL}"',
                                                               'meeting = "四月"'), "utf-8")
    problems = [p.render("zh") for p in check_file(path)]
    assert any("票数合计 5，与到会有表决权的 6 人不符" in p for p in problems), problems
    assert any("所确认的会议编号「四月」无效" in p for p in problems), problems
    _done(cycle)
    cycle.ok("evaluate", f"{APRIL}/R1", "--satisfied", "3", "--basic", "1",
             "--unsatisfied", "0", "--date", "2024-06-20")
    path = cycle.meeting_path(APRIL)
    path.write_text(path.read_text("utf-8").replace("satisfied = 3", "satisfied = 0")
                    .replace("basic = 1", "basic = 0")
                    .replace("date = 2024-06-20", "date = 2024-04-01"), "utf-8")
    problems = [p.render("zh") for p in check_file(path)]
    assert any("居民评议的人数合计为 0" in p for p in problems), problems
    assert any("评议日期 2024-04-01 早于会议日期 2024-04-25" in p for p in problems), problems


def test_a_struck_confirmation_or_evaluation_is_named_in_words_in_the_corrections(
        cycle: Any) -> None:
    cycle.ok("confirm", APRIL, "--unanimous", "--at", "19:35")
    cycle.ok("close", "--at", "20:10")
    cycle.ok("strike", "Q1", "-m", MAY, "--why", "误录")
    assert "删除对2024年4月25日会议记录的确认" in cycle.ok("minutes", "-m", MAY).stdout
    assert "本记录经" not in cycle.ok("minutes", "-m", APRIL).stdout
    _done(cycle)
    cycle.ok("evaluate", f"{APRIL}/R1", "--satisfied", "3", "--basic", "1",
             "--unsatisfied", "0", "--date", "2024-06-20")
    cycle.ok("strike", "J1", "-m", APRIL, "--why", "误录")
    minutes = cycle.ok("minutes", "-m", APRIL, "--lang", "en").stdout
    assert "struck residents' evaluation of Resolution 1 (20 June 2024)" in minutes


def test_confirm_refuses_at_a_closed_meeting(cycle: Any) -> None:
    cycle.ok("close", "--at", "20:10")
    cycle.refused("confirm", APRIL, "--unanimous", "-m", MAY, "--at", "20:00",
                  because="live.meeting_closed")


def test_undo_takes_a_confirmation_back_and_the_mark_with_it(cycle: Any) -> None:
    before = cycle.meeting_bytes(MAY)
    cycle.ok("confirm", APRIL, "--unanimous", "--at", "19:35")
    assert "已确认" in cycle.ok("list").stdout
    cycle.ok("undo", "-m", MAY)
    assert cycle.meeting_bytes(MAY) == before
    assert "已确认" not in cycle.ok("list").stdout
    cycle.ok("confirm", APRIL, "--yes", "6", "--no", "0", "--at", "19:36")  # again, no refusal


# --- the review of the cycle (defects found after issue 23) -----------------------------------

_COUNTS = ("--satisfied", "3", "--basic", "1", "--unsatisfied", "1")


def test_evaluate_refuses_a_day_before_the_resolution_was_carried_out(cycle: Any) -> None:
    _done(cycle)  # A1 done on 2024-05-08
    cycle.refused("evaluate", f"{APRIL}/R1", *_COUNTS, "--date", "2024-05-01",
                  because="cycle.evaluate_before_done", day="2024-05-01", r="R1", id="A1",
                  done="2024-05-08")
    cycle.ok("evaluate", f"{APRIL}/R1", *_COUNTS, "--date", "2024-05-08")  # the same day: fine


def test_evaluate_refuses_an_empty_resolution_name(cycle: Any) -> None:
    _done(cycle)
    cycle.refused("evaluate", f"{APRIL}/", *_COUNTS, "--date", "2024-06-20",
                  because="cycle.no_resolution_named")
    cycle.refused("evaluate", " ", *_COUNTS, "--date", "2024-06-20", "-m", APRIL,
                  because="cycle.no_resolution_named")


def test_strike_refuses_an_action_an_evaluation_rests_on(cycle: Any) -> None:
    _done(cycle)
    cycle.ok("evaluate", f"{APRIL}/R1", *_COUNTS, "--date", "2024-06-20")
    result = cycle.refused("strike", "A1", "-m", APRIL, "--why", "重复录入",
                           because="cycle.strike_evaluated", id="A1", r="R1", ids="J1",
                           days="2024-06-20")
    assert "决议 R1 的居民评议 J1（2024-06-20）" in result.stderr
    cycle.ok("strike", "J1", "-m", APRIL, "--why", "误录")  # the evaluation first: then it goes
    cycle.ok("strike", "A1", "-m", APRIL, "--why", "重复录入")


def test_the_minutes_show_an_evaluation_without_an_actions_table(cycle: Any) -> None:
    """The evaluations are their own part of the minutes, not the tail of the actions
    table: a meeting whose actions are gone (a hand edit) still shows them."""
    _done(cycle)
    cycle.ok("evaluate", f"{APRIL}/R1", "--satisfied", "30", "--basic", "5",
             "--unsatisfied", "2", "--date", "2024-06-20")
    april = cycle.meeting(APRIL)
    with_actions = render_minutes(april, source=f"{APRIL}.toml", council=COUNCIL)
    april.action.clear()
    without = render_minutes(april, source=f"{APRIL}.toml", council=COUNCIL)
    sentence = "满意 30 人、基本满意 5 人、不满意 2 人"
    assert sentence in with_actions and sentence in without, without


def test_check_warns_of_an_evaluation_whose_resolution_a_fix_undid(cycle: Any) -> None:
    _done(cycle)
    cycle.ok("evaluate", f"{APRIL}/R1", *_COUNTS, "--date", "2024-06-20")
    cycle.ok("fix", "V1", "--yes", "1", "--no", "4", "--abstain", "0", "-m", APRIL,
             "--why", "计票有误")
    result = cycle("check")
    assert result.exit_code == 0, result.output  # a warning: the files still pass
    assert "居民评议针对的动议 M1 已不是通过的决议" in result.stdout, result.stdout


def test_done_on_refuses_a_day_to_come_or_before_the_meeting(cycle: Any, clock: Any) -> None:
    clock.set("2024-06-01 10:00")
    cycle.refused("done", f"{APRIL}/A1", "--on", "2099-01-01", because="live.done_in_future",
                  day="2099-01-01", today="2024-06-01")
    cycle.refused("done", f"{APRIL}/A1", "--on", "2024-06-02", because="live.done_in_future",
                  day="2024-06-02", today="2024-06-01")
    cycle.refused("done", f"{APRIL}/A1", "--on", "1999-01-01",
                  because="live.done_before_meeting", day="1999-01-01", date=APRIL)
    cycle.refused("done", f"{APRIL}/A1", "--on", "2024-04-24",
                  because="live.done_before_meeting", day="2024-04-24", date=APRIL)
    cycle.ok("done", f"{APRIL}/A1", "--on", APRIL)  # the meeting's own day
    cycle.ok("done", f"{APRIL}/A1", "--on", "2024-06-01", "--note", "补记")  # today
    assert "done_on = 2024-04-25" in cycle.meeting_path(APRIL).read_text("utf-8")


def test_check_flags_a_stored_done_on_before_the_meeting(cycle: Any) -> None:
    _done(cycle)
    path = cycle.meeting_path(APRIL)
    path.write_text(path.read_text("utf-8").replace("done_on = 2024-05-08",
                                                    "done_on = 2024-04-01"), "utf-8")
    result = cycle("check")
    assert result.exit_code == 0  # a warning: the documents still render
    assert "完成日期 2024-04-01 早于会议日期 2024-04-25" in result.stdout, result.stdout


def test_check_reports_confirmations_across_the_folder(cycle: Any) -> None:
    cycle.ok("confirm", APRIL, "--unanimous", "--at", "19:35")
    path = cycle.meeting_path(MAY)
    text = path.read_text("utf-8")
    path.write_text(text.replace(f'meeting = "{APRIL}"', f'meeting = "{APRIL}-99"'), "utf-8")
    result = cycle("check")
    assert result.exit_code == 1
    assert f"确认的会议 {APRIL}-99 不在本数据目录中" in result.stdout, result.stdout
    path.write_text(text, "utf-8")
    assert cycle("check").exit_code == 0


def test_the_folder_check_of_confirmations_in_words() -> None:
    from yiguan.meeting.cycle import check_folder_confirmations

    confirms = {"2024-04-25": [], "2024-05-23": ["2024-04-25", "2024-06-20", "2024-05-23"],
                "2024-06-20": ["2024-04-25", "2022-05-10-99", "bad"]}
    problems = [p.render("zh") for p in check_folder_confirmations(confirms, {})]
    not_before = "2024-05-23: 会议 2024-05-23 确认了会议 {0} 的会议记录，但会议 {0} 并不在它之前"
    assert problems == [
        not_before.format("2024-06-20"), not_before.format("2024-05-23"),
        "2024-06-20: 会议 2024-04-25 的会议记录已在会议 2024-05-23 上确认，"
        "这里又确认了一次（以 2024-05-23 为准）",
        "2024-06-20: 确认的会议 2022-05-10-99 不在本数据目录中",
    ], problems
    english = [p.render("en") for p in check_folder_confirmations(confirms, {})]
    assert "the minutes of meeting 2024-04-25 were already confirmed at meeting 2024-05-23" \
        in english[2]


def test_a_rate_is_never_rounded_to_all_or_none_when_it_is_not() -> None:
    assert percent_text(1999, 2000) == "99.9"  # not 100.0 with one unsatisfied
    assert percent_text(1, 2000) == "0.1"  # not 0.0 with one satisfied
    assert percent_text(19999, 20000, 2) == "99.99" and percent_text(1, 20000, 2) == "0.01"
    assert percent_text(199, 200, 0) == "99" and percent_text(1, 300, 0) == "1"
    assert percent_text(2000, 2000) == "100.0" and percent_text(0, 2000) == "0.0"
    assert percent_text(1995, 2000) == "99.8"  # 99.75: half up, as before
    assert satisfaction_rate(1999, 0, 1) == "99.9" and pleased_rate(0, 1, 1999) == "0.1"
    assert satisfaction_rate(30, 5, 2) == "81.1"  # the example unchanged
