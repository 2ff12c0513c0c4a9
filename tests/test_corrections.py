"""Corrections (issue 9, points 4 and 5): `strike` and `fix`, the trace they leave on a
closed meeting, `check` naming records as the secretary knows them, and `undo` saying
what it took back.

`strike ID --why TEXT [-m ID]` removes a record entered by mistake and refuses,
naming them, when other records depend on it. `fix ID [--text] [--yes] … --why` changes
fields of one record with the checks of the command that made it; a fixed vote is decided
again by the rules engine. On an open meeting no trace is needed; on a closed one
`--why` is required (`--reason`, its earlier spelling, still works: most tests here
use it) and each changed field becomes a `[[correction]]` that the minutes
list under 更正说明. Every refusal: one line, exit 1, files byte-identical (`run.refused`).
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from yiguan.meeting.check import check_file

MEETING = "2024-05-10"
M = ["-m", MEETING]


@pytest.fixture
def session(run: Any, opened: str) -> str:
    """The open meeting with something of every kind: S1 (刘晓菊, item 1) and S2 (刘艳,
    item 1); M1 (王建国, seconded by 张桂兰) amended by 刘艳 (E1) and adopted 4–1 (V1, R1);
    M2 (李秀英, pending, item 2); A1 for M1; a guest 物业小李 (P6) who said nothing."""
    run.ok("sign", "--guest", "物业小李", "--at", "19:25")
    run.ok("speak", "lxj", "楼道里的旧家具要清走。", "--stance", "for", "--at", "19:35")
    run.ok("speak", "ly", "先贴通知再清运。", "--at", "19:36")
    run.ok("propose", "三天后统一清运楼道堆物", "--by", "wjg", "--second", "zgl", "--at", "19:40")
    run.ok("amend", "M1", "贴出通知三天后统一清运楼道堆物", "--by", "ly", "--at", "19:42")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45")
    run.ok("propose", "小游园增设垃圾桶", "--by", "lxy", "--item", "2", "--at", "19:50")
    run.ok("action", "联系清运车", "--owner", "wjg", "--due", "2024-05-20", "--motion", "M1",
           "--at", "19:55")
    return MEETING


@pytest.fixture
def closed(run: Any, session: str) -> str:
    """The same meeting, closed at 20:30 (M2 postponed)."""
    run.ok("close", "--postpone-pending", "--at", "20:30")
    return MEETING


def _problems(run: Any) -> list[str]:
    return [p.render("zh") for p in check_file(run.meeting_path())]


# --- strike ------------------------------------------------------------------------------

@pytest.mark.parametrize(("record", "table"), [
    ("S2", "speech"), ("A1", "action"), ("P6", "attendee")],
    ids=["speech", "action", "sign-in no vote depended on"])
def test_strike_removes_a_record_and_an_open_meeting_keeps_no_trace(
        run: Any, session: str, record: str, table: str) -> None:
    result = run.ok("strike", record)
    assert "已删除" in result.stdout and record in result.stdout, result.stdout
    meeting = run.meeting()
    assert record not in [r.id for r in getattr(meeting, table)]
    assert meeting.correction == []
    assert _problems(run) == []


def test_strike_an_amendment_gives_the_motion_its_text_back(run: Any, opened: str) -> None:
    run.ok("propose", "三天后清运", "--by", "wjg", "--second", "zgl", "--at", "19:40")
    run.ok("amend", "M1", "五天后清运", "--by", "ly", "--at", "19:42")
    run.ok("strike", "E1")
    meeting = run.meeting()
    assert meeting.amendment == [] and meeting.motion[0].text == "三天后清运"


def test_strike_an_item_with_nothing_attached_and_a_motion_with_no_vote(
        run: Any, opened: str) -> None:
    run.ok("agenda", "add", "误加的议题")
    run.ok("propose", "误录的动议", "--by", "lxj", "--item", "2", "--at", "19:40")
    run.ok("strike", "3")
    run.ok("strike", "M1")
    meeting = run.meeting()
    assert [i.id for i in meeting.item] == [1, 2] and meeting.motion == []
    assert _problems(run) == []


@pytest.mark.parametrize(("record", "names"), [
    ("P1", ["V1", "S1"]),             # 刘晓菊: in the room at the vote, and she spoke
    ("M1", ["V1", "E1", "A1"]),       # voted, amended, carried out by an action
    ("E1", ["V1"]),                   # the vote was on the amended text
    ("1", ["S1", "S2", "M1"]),        # an item with speeches and a motion
], ids=["sign-in", "motion", "amendment", "item"])
def test_strike_refuses_a_record_others_depend_on_and_names_them(
        run: Any, session: str, record: str, names: list[str]) -> None:
    result = run.refused("strike", record)
    for name in names:
        assert name in result.stderr, (name, result.stderr)
    assert "依赖" in result.stderr


def test_strike_refuses_an_amendment_a_later_one_started_from(run: Any, opened: str) -> None:
    run.ok("propose", "三天后清运", "--by", "wjg", "--second", "zgl", "--at", "19:40")
    run.ok("amend", "M1", "五天后清运", "--by", "ly", "--at", "19:42")
    run.ok("amend", "M1", "七天后清运", "--by", "lxj", "--at", "19:43")
    assert "E2" in run.refused("strike", "E1").stderr
    run.ok("strike", "E2")
    assert run.meeting().motion[0].text == "五天后清运"


@pytest.mark.parametrize(("args", "words"), [
    (["strike", "V1"], "fix V1"),
    (["strike", "S9"], "没有发言 S9"),
    (["strike", "X1"], "不是记录编号"),
    (["strike", "9"], "没有议题 9"),
], ids=["a vote", "missing speech", "not an id", "missing item"])
def test_strike_refusals(run: Any, session: str, args: list[str], words: str) -> None:
    assert words in run.refused(*args).stderr


def test_strike_on_a_closed_meeting_needs_a_reason_and_leaves_the_whole_record(
        run: Any, closed: str) -> None:
    assert "更正须用 --why 说明原因" in run.refused("strike", "S2", *M).stderr
    run.refused("strike", "S2", "--reason", "  ", *M, because="fix.reason_required",
                flag="--why")
    result = run.ok("strike", "S2", "--reason", "重复录入", *M)
    assert "更正说明" in result.stdout and "G1" in result.stdout
    (correction,) = run.meeting().correction
    assert (correction.record, correction.field, correction.after) == ("speech S2", None, None)
    assert 'speaker = "刘艳"' in (correction.before or "")
    assert 'text = "先贴通知再清运。"' in (correction.before or "")
    assert _problems(run) == []
    minutes = run.ok("minutes", *M).stdout
    assert "## 更正说明" in minutes and "原因：重复录入" in minutes
    # named as people do, never by its code S2
    assert "删除刘艳的发言（19:36），原为：先贴通知再清运。" in minutes


def test_a_closed_meeting_takes_no_new_records_but_corrections(run: Any, closed: str) -> None:
    result = run.refused("speak", "lxj", "补充", "--at", "20:40", *M)
    assert "yiguan fix" in result.stderr and "散会" in result.stderr


# --- fix -------------------------------------------------------------------------------------

def test_fix_a_vote_decides_it_again_and_the_motion_and_resolutions_follow(
        run: Any, opened: str) -> None:
    run.ok("propose", "甲", "--by", "wjg", "--second", "zgl", "--at", "19:40")
    run.ok("propose", "乙", "--by", "lxj", "--second", "ly", "--at", "19:41")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45")
    run.ok("vote", "M2", "--yes", "5", "--no", "0", "--at", "19:46")
    run.ok("close", "--at", "20:00")
    assert "决议二" in run.ok("minutes", *M).stdout
    result = run.ok("fix", "V1", "--yes", "2", "--no", "3", "--reason", "复核计票", *M)
    assert "M1 未通过" in result.stdout and "未超过" in result.stdout, result.stdout
    meeting = run.meeting()
    assert (meeting.vote[0].yes, meeting.vote[0].no, meeting.vote[0].outcome) == (
        2, 3, "rejected")
    assert meeting.motion[0].status == "rejected"
    assert [(r, m.id) for r, m, _ in meeting.resolutions()] == [("R1", "M2")]
    fields = [(c.record, c.field, c.before, c.after) for c in meeting.correction]
    assert fields == [("vote V1", "yes", "4", "2"), ("vote V1", "no", "1", "3"),
                      ("vote V1", "outcome", "adopted", "rejected"),
                      ("motion M1", "status", "adopted", "rejected")]
    assert {c.reason for c in meeting.correction} == {"复核计票"}
    assert _problems(run) == []
    minutes = run.ok("minutes", *M).stdout
    assert "动议一表决的赞成票数：4 → 2" in minutes and "动议一的状态：通过 → 未通过" in minutes
    assert "决议二" not in minutes


@pytest.mark.parametrize(("args", "words"), [
    (["--yes", "5", "--no", "1"], "超过有表决权的 5 人"),
    (["--recuse", "csz"], "回避的 陈淑珍"),
    (["--at", "19:20"], "早于开会时间"),
    (["--at", "19:39"], "不能早于动议 M1"),
    (["--at", "20:40"], "晚于散会时间"),
    (["--text", "x"], "--text 不适用于表决 V1"),
    ([], "请给出要更正的内容"),
], ids=["over-count", "recused not present", "before the opening", "before the motion",
        "after the close", "flag not for a vote", "nothing given"])
def test_fix_of_a_vote_meets_the_refusals_of_vote(run: Any, closed: str, args: list[str],
                                                  words: str) -> None:
    result = run.refused("fix", "V1", *args, "--reason", "复核", *M)
    assert words in result.stderr, result.stderr


def test_fix_of_a_vote_refuses_a_time_without_quorum(run: Any, session: str) -> None:
    run.ok("leave", "lxj", "ly", "--at", "20:00")
    result = run.refused("fix", "V1", "--at", "20:05")
    assert "法定人数至少 4 人" in result.stderr and "--at" in result.stderr


def test_fix_of_a_vote_with_a_recusal_and_back(run: Any, session: str) -> None:
    run.ok("fix", "V1", "--yes", "3", "--recuse", "zgl")
    vote = run.meeting().vote[0]
    assert (vote.recused, vote.eligible, vote.not_voting) == (["张桂兰"], 4, 0)
    run.ok("fix", "V1", "--yes", "4", "--recuse", "-")
    vote = run.meeting().vote[0]
    assert (vote.recused, vote.eligible) == ([], 5)


def test_fix_on_a_closed_meeting_needs_a_reason(run: Any, closed: str) -> None:
    result = run.refused("fix", "V1", "--yes", "3", *M)
    assert "更正须用 --why 说明原因" in result.stderr
    assert run.refused("fix", "V9", "--yes", "3", *M).stderr.count("V9")  # the id first


def test_fix_on_an_open_meeting_needs_no_reason_and_leaves_no_trace(
        run: Any, session: str) -> None:
    run.ok("fix", "S1", "--text", "楼道里的旧家具和纸箱要清走。")
    meeting = run.meeting()
    assert meeting.speech[0].text == "楼道里的旧家具和纸箱要清走。" and meeting.correction == []


def test_fix_each_field_of_a_speech(run: Any, closed: str) -> None:
    result = run.ok("fix", "S2", "--text", "先贴通知，三天后再清运。", "--by", "wjg",
                    "--item", "2", "--stance", "反对", "--minutes", "3", "--at", "19:37",
                    "--reason", "对照录音更正", *M)
    assert "已更正发言 S2 的发言人：刘艳 → 王建国" in result.stdout, result.stdout
    speech = run.meeting().speech[1]
    assert (speech.text, speech.speaker, speech.item, speech.stance, speech.minutes,
            speech.at) == ("先贴通知，三天后再清运。", "王建国", 2, "against", 3, "19:37")
    assert len(run.meeting().correction) == 6
    assert _problems(run) == []


@pytest.mark.parametrize(("args", "because", "said"), [
    (["--by", "csz"], "live.not_present", {"name": "陈淑珍", "at": "19:36"}),
    (["--item", "7"], "live.no_such_item", {"n": 7, "count": 2}),
    (["--at", "19:10"], "clock.refused",
     {"reason_key": "live.before_opening", "at": "19:10", "opened": "19:30"}),
    (["--minutes", "0"], None, {}),  # a usage error (exit 2), as speak's
    (["--yes", "3"], "fix.flag_not_for", {"flag": "--yes", "what_key": "table.speech",
                                          "id": "S2"}),
    (["--stance", "也许"], None, {}),
], ids=["speaker absent", "no such item", "before opening", "zero minutes", "not for a speech",
        "bad stance"])
def test_fix_of_a_speech_refuses_what_speak_refuses(run: Any, session: str, args: list[str],
                                                    because: str | None,
                                                    said: dict[str, Any]) -> None:
    if because is None:
        before = run.snapshot()
        assert run("fix", "S2", *args).exit_code == 2
        assert run.snapshot() == before
    else:
        run.refused("fix", "S2", *args, because=because, **said)


def test_fix_a_motion_its_mover_seconder_item_time_and_text(run: Any, session: str) -> None:
    run.ok("fix", "M2", "--by", "lxj", "--second", "ly", "--item", "1", "--at", "19:51",
           "--text", "小游园增设两个垃圾桶")
    motion = run.meeting().motion[1]
    assert (motion.by, motion.second, motion.item, motion.at, motion.text) == (
        "刘晓菊", "刘艳", 1, "19:51", "小游园增设两个垃圾桶")
    assert "不能附议自己" in run.refused("fix", "M2", "--second", "lxj").stderr
    assert "陈淑珍" in run.refused("fix", "M2", "--by", "csz").stderr
    assert "V1" in run.refused("fix", "M1", "--at", "19:46").stderr  # after its vote
    # the text of an amended motion is the text of its last amendment: both follow
    run.ok("fix", "M1", "--text", "贴出通知三天后统一清运楼道堆物和杂物")
    meeting = run.meeting()
    assert meeting.amendment[0].text == meeting.motion[0].text
    assert _problems(run) == []


def test_fix_an_amendment_and_an_action(run: Any, session: str) -> None:
    run.ok("fix", "E1", "--text", "贴出通知五天后统一清运楼道堆物", "--by", "lxj",
           "--at", "19:43")
    meeting = run.meeting()
    assert meeting.motion[0].text == "贴出通知五天后统一清运楼道堆物"
    assert (meeting.amendment[0].by, meeting.amendment[0].at) == ("刘晓菊", "19:43")
    assert "修正后的文字与动议" in run.refused(
        "fix", "E1", "--text", "三天后统一清运楼道堆物").stderr
    assert "不能早于动议 M1" in run.refused("fix", "E1", "--at", "19:39").stderr
    run.ok("fix", "A1", "--text", "联系区环卫所清运车", "--owner", "ly", "--due", "2024-05-25",
           "--at", "19:56")
    action = run.meeting().action[0]
    assert (action.text, action.owner, action.due.isoformat(), action.at) == (  # type: ignore
        "联系区环卫所清运车", "刘艳", "2024-05-25", "19:56")
    assert "早于会议日期" in run.ok("fix", "A1", "--due", "2024-05-01").stderr
    run.refused("fix", "A1", "--owner", "路人甲", because="names.unknown", query="路人甲")
    assert _problems(run) == []


def test_fix_a_sign_in_time_unless_a_vote_or_a_speech_depends_on_it(
        run: Any, session: str) -> None:
    run.ok("fix", "P6", "--at", "19:28")  # the guest who said nothing
    assert run.meeting().attendee[5].arrived == "19:28"
    assert "V1" in run.refused("fix", "P1", "--at", "19:50").stderr  # no longer at the vote
    assert "S1" in run.refused("fix", "P1", "--at", "19:40").stderr  # nor at her speech
    run.ok("leave", "lxy", "--at", "20:00")
    run.ok("sign", "lxy", "--at", "20:10")
    assert "重叠" in run.refused("fix", "P7", "--at", "19:58").stderr
    assert _problems(run) == []


def test_fix_an_agenda_item(run: Any, closed: str) -> None:
    run.ok("fix", "2", "--text", "小游园卫生与垃圾桶", "--by", "ly", "--reason", "议题名称有误",
           *M)
    item = run.meeting().item[1]
    assert (item.title, item.by) == ("小游园卫生与垃圾桶", "刘艳")
    assert "议题二的名称：小游园卫生管理 → 小游园卫生与垃圾桶" in run.ok("minutes", *M).stdout


def test_a_fix_that_changes_nothing_says_so_and_writes_nothing(run: Any, closed: str) -> None:
    before = run.snapshot()
    result = run.ok("fix", "V1", "--yes", "4", "--reason", "核对", *M)
    assert "没有改动" in result.stdout
    assert run.snapshot() == before


def test_corrections_are_listed_in_english_minutes_too(run: Any, closed: str) -> None:
    run.ok("fix", "S1", "--stance", "neutral", "--reason", "对照录音", *M)
    text = run.ok("minutes", "--lang", "en", *M).stdout
    assert "## Corrections" in text, text
    assert "刘晓菊's speech at 19:35, stance: for → neutral" in text, text


# --- check names records -------------------------------------------------------------------

def test_check_names_a_vote_as_the_secretary_knows_it(run: Any, session: str) -> None:
    path = run.meeting_path()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("not_voting = 0", "not_voting = 1", 1), encoding="utf-8")
    (line,) = _problems(run)
    assert line == f"{path}: 表决 V1：未表决人数应为 0，文件中为 1"
    assert "vote[0]" not in run("check").stdout


# --- undo says what it undid ---------------------------------------------------------------

def test_undo_names_the_speech_it_took_back(run: Any, opened: str) -> None:
    run.ok("speak", "ly", "先贴通知再清运。", "--at", "19:36")
    result = run.ok("undo")
    assert "已撤销" in result.stdout and "2024-05-10.toml" in result.stdout
    assert "- 发言 S1" in result.stdout and "刘艳" in result.stdout, result.stdout


def test_undo_names_the_item_it_took_back(run: Any, opened: str) -> None:
    run.ok("agenda", "add", "电动车充电桩")
    result = run.ok("undo")
    assert "- 议题 3 电动车充电桩" in result.stdout, result.stdout


def test_undo_of_a_vote_names_the_vote_and_the_motion_it_put_back(run: Any, opened: str) -> None:
    run.ok("propose", "清运", "--by", "wjg", "--second", "zgl", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45")
    result = run.ok("undo")
    assert "- 表决 V1" in result.stdout and "动议 M1 status" in result.stdout, result.stdout


def test_undo_of_a_fix_names_the_fields_it_put_back(run: Any, closed: str) -> None:
    run.ok("fix", "V1", "--yes", "3", "--reason", "复核", *M)
    result = run.ok("undo", *M)
    assert "表决 V1 yes：3 → 4" in result.stdout, result.stdout
    assert run.meeting().correction == [] and run.meeting().vote[0].yes == 4


def test_undoing_a_meetings_creation_removes_it_and_leaves_no_trace(run: Any, folder: Path) -> None:
    def everything() -> dict[str, bytes]:  # locks and caches too
        return {p.relative_to(folder).as_posix(): p.read_bytes()
                for p in folder.rglob("*") if p.is_file()}

    before = everything()
    run.ok("new", "误建的会议", "--date", "2024-06-01")
    result = run.ok("undo")
    assert "误建的会议" in result.stdout and "已删除" in result.stdout, result.stdout
    assert everything() == before
    assert not list(folder.glob("2024-06-01*"))


def test_a_command_waiting_on_a_lock_that_undo_removed_takes_the_new_one(
        run: Any, folder: Path) -> None:
    """The lock file of an undone creation goes; a command that opened it before keeps
    working on the lock file that is there now."""
    from yiguan.store.files import locked

    path = folder / "2024-06-01.toml"
    lock = folder / "2024-06-01.toml.lock"
    with locked(path):
        assert lock.exists()
        lock.unlink()  # what undo does while it holds the lock
    with locked(path):
        assert lock.exists()


# --- the golden corrected meeting replays byte for byte -------------------------------------

def test_the_corrected_golden_meeting_is_what_its_commands_make() -> None:
    here = Path(__file__).resolve().parent / "golden"
    spec = importlib.util.spec_from_file_location("golden_inputs", here / "make_inputs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = Path(tempfile.mkdtemp()) / "meetings"
    try:
        made = module.replay(folder, module.SCENARIOS["corrected"])
        assert made.read_bytes() == (here / "corrected.toml").read_bytes()
    finally:
        shutil.rmtree(folder.parent)


def test_every_field_a_correction_can_name_has_words_in_both_languages() -> None:
    from yiguan.meeting import corrections
    from yiguan.record import model
    from yiguan.text import locale_en as catalog_en
    from yiguan.text import locale_zh as catalog_zh

    missing = []
    for record_type in model.KINDS.all:
        if not record_type.FIX:
            continue
        for key in record_type.SPEC:
            if key.name in corrections.NOT_CORRECTED:
                continue
            label = f"field.{record_type.TABLE}.{key.name}"
            if label not in catalog_zh.MESSAGES or label not in catalog_en.MESSAGES:
                missing.append(label)
    assert missing == []


# --- 请假 and 计票人 after the close (issue 13's facts) ---------------------------------------

def test_excuse_after_the_close_is_a_correction_with_its_reason(run: Any, closed: str) -> None:
    """Found out after the close that 陈淑珍 had asked for leave: `excuse` adds the record
    and a trace; --why (the correction's reason) is required, --reason stays the reason
    she gave. The minutes then list her as 请假, and under 更正说明 the excuse added."""
    result = run.refused("excuse", "csz", "--reason", "出差", *M)
    assert "须用 --why 说明原因" in result.stderr
    run.refused("excuse", "lxj", "--why", "会后核实", *M,  # she was there
                because="live.excuse_attended", name="刘晓菊", at="19:20")
    run.refused("excuse", "nobody", "--why", "会后核实", *M, because="names.unknown",
                query="nobody")
    result = run.ok("excuse", "csz", "--reason", "出差", "--why", "会后核实：会前已向书记请假", *M)
    assert "已记录 陈淑珍 请假（出差）" in result.stdout and "更正说明（G1）" in result.stdout
    meeting = run.meeting()
    assert [(e.id, e.name, e.reason) for e in meeting.excused] == [("L1", "陈淑珍", "出差")]
    (correction,) = meeting.correction
    assert (correction.record, correction.field, correction.before) == ("excused L1", None, None)
    assert correction.after == 'id = "L1"\nname = "陈淑珍"\nreason = "出差"'
    assert _problems(run) == []
    minutes = run.ok("minutes", *M).stdout
    assert "- **请假人员**：陈淑珍（出差）" in minutes
    assert "原因：会后核实：会前已向书记请假" in minutes
    assert "补记陈淑珍请假：出差" in minutes
    english = run.ok("minutes", "--lang", "en", *M).stdout
    assert "added 陈淑珍's leave of absence: 出差" in english, english
    run.ok("undo")  # the excuse and its trace go together
    assert run.meeting().excused == [] and run.meeting().correction == []


def test_an_excuse_is_fixed_and_struck_with_a_trace(run: Any, closed: str) -> None:
    run.ok("excuse", "csz", "--reason", "出差", "--why", "会后核实", *M)
    run.refused("fix", "L1", "--text", "身体不适", *M,  # --reason needed
                because="fix.reason_required")
    run.refused("fix", "L1", "--yes", "3", "--reason", "x", *M,  # not a flag for an excuse
                because="fix.flag_not_for", flag="--yes", what_key="table.excused", id="L1")
    run.refused("fix", "L1", "--by", "lxj", "--reason", "x", *M,  # 刘晓菊 was there
                because="live.excuse_attended", name="刘晓菊")
    run.ok("fix", "L1", "--text", "身体不适", "--reason", "请假原因记错", *M)
    run.ok("fix", "L1", "--by", "zzq", "--reason", "请假的是赵志强", *M)
    assert [(e.name, e.reason) for e in run.meeting().excused] == [("赵志强", "身体不适")]
    run.ok("excuse", "csz", "--why", "陈淑珍也请了假", *M)
    assert "陈淑珍 已有请假记录 L2" in run.refused(
        "fix", "L1", "--by", "csz", "--reason", "x", *M).stderr
    run.ok("strike", "L2", "--reason", "记重了", *M)
    run.ok("excuse", "csz", "--why", "再补记", *M)
    ids = [e.id for e in run.meeting().excused]
    assert ids == ["L1", "L3"], "a struck excuse's number stays with its correction"
    assert _problems(run) == []
    minutes = run.ok("minutes", *M).stdout
    for line in ("赵志强请假的请假原因：出差 → 身体不适", "赵志强请假的姓名：陈淑珍 → 赵志强",
                 "删除陈淑珍请假\n", "补记陈淑珍请假\n"):
        assert line in minutes, line
    assert "- **请假人员**：陈淑珍、赵志强（身体不适）" in minutes
    run.ok("fix", "L1", "--text", "", "--reason", "未说明原因", *M)
    assert run.meeting().excused[0].reason is None


def test_an_excuse_on_an_open_meeting_is_fixed_and_struck_without_a_trace(
        run: Any, session: str) -> None:
    run.ok("excuse", "csz", "--reason", "出差")
    run.ok("fix", "L1", "--text", "加班")
    assert run.meeting().excused[0].reason == "加班"
    run.ok("strike", "l1")
    meeting = run.meeting()
    assert meeting.excused == [] and meeting.correction == []


def test_fix_the_tellers_of_a_vote(run: Any, closed: str) -> None:
    """Tellers misnamed: `fix V1 --teller NAME` (repeatable) replaces the list, `--teller -`
    clears it; each must have been in the room at the vote. The counts stay as they were
    and are not decided again."""
    result = run.refused("fix", "V1", "--teller", "csz", "--reason", "计票人记错", *M)
    assert "陈淑珍 在 19:45 不在场，不能担任计票人" in result.stderr
    result = run.ok("fix", "V1", "--teller", "物业小李", "--teller", "lxj", "--reason",
                    "计票人记错", *M)
    assert "已更正表决 V1 的计票人：无 → 物业小李、刘晓菊" in result.stdout
    assert "通过" not in result.stdout  # nothing decided again
    assert run.meeting().vote[0].tellers == ["物业小李", "刘晓菊"]
    minutes = run.ok("minutes", *M).stdout
    assert "- **计票人**：物业小李、刘晓菊" in minutes
    assert "动议一表决的计票人：无 → 物业小李、刘晓菊" in minutes
    run.ok("fix", "V1", "--teller", "-", "--reason", "当场未指定计票人", *M)
    assert run.meeting().vote[0].tellers == []
    assert _problems(run) == []


def test_a_vote_moved_to_a_time_its_teller_was_not_there_is_refused(run: Any,
                                                                     session: str) -> None:
    run.ok("fix", "V1", "--teller", "ly")
    run.ok("leave", "ly", "--at", "19:50")
    run.ok("sign", "zzq", "--at", "19:50")
    result = run.refused("fix", "V1", "--at", "19:52")
    assert "刘艳 在 19:52 不在场，不能担任计票人" in result.stderr
