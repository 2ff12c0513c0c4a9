"""Record kinds are declared once (issue 20): a kind of record is one class — its table, id
prefix, fields with their TOML keys, what `fix` may change and whether `strike` may
remove it — and everything that reads or writes a meeting takes it from there.

`Pledge` below is a kind the package has never heard of, declared in this module and
given its catalogue words the way a new kind brings them. Declared into `KINDS` (and
taken out again after each test), it is loaded by both readers and written back in the
canonical layout, checked by `check`, corrected by `fix` and `strike` with the flags it
declares (traced and sealed once the meeting is closed), merged by the merge driver,
and printed by `textconv` and `diff` — with no other change to the package.

Also here: `textconv` and `diff` of a council whose `[calendar]` lists dates (they
printed Python's `datetime.date(2024, 5, 20)`), and the lists every part derives from
the declarations.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from yiguan.git import merge, support
from yiguan.meeting.check import check_file
from yiguan.record import canonical, fileformat
from yiguan.record.kinds import KINDS, STANCES, Item, Motion, Stance
from yiguan.record.model import Meeting
from yiguan.record.schema import Record, key
from yiguan.text import locale_en as catalog_en
from yiguan.text import locale_zh as catalog_zh
from yiguan.text.errors import BrokenFile

MEETING = "2024-05-10"


class Pledge(Record):
    """A promise made in the room (承诺): who, on which item or motion, when, what."""

    TABLE = "pledge"
    PREFIX = "K"
    FIX = {"text": "text", "by": "by", "item": "item", "stance": "stance", "at": "at"}
    STRIKE = True

    id: str = key("id")
    item: int | None = key("int", default=None, to=Item)
    motion: str | None = key("ref", default=None, to=Motion)
    by: str = key("name")
    stance: Stance | None = key("choice", choices=STANCES, default=None)
    at: str = key("time")
    seq: int | None = key("int", default=None)
    at_noted: bool | None = key("bool", default=None)
    text: str = key("text")


# The words the kind brings to each catalogue: its name, and its fields as `fix` and the
# trail name them.
WORDS = {
    "zh": {"table.pledge": "承诺", "field.pledge.text": "内容", "field.pledge.by": "承诺人",
           "field.pledge.item": "议题", "field.pledge.motion": "动议",
           "field.pledge.stance": "立场", "field.pledge.at": "时间"},
    "en": {"table.pledge": "pledge", "field.pledge.text": "text", "field.pledge.by": "by",
           "field.pledge.item": "item", "field.pledge.motion": "motion",
           "field.pledge.stance": "stance", "field.pledge.at": "time"},
}


@pytest.fixture
def pledges(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[Pledge]]:
    """`Pledge` declared into the meeting's kinds, with its words, for one test."""
    for lang, catalogue in (("zh", catalog_zh.MESSAGES), ("en", catalog_en.MESSAGES)):
        for name, text in WORDS[lang].items():
            monkeypatch.setitem(catalogue, name, text)
    KINDS.declare(Pledge)
    try:
        yield Pledge
    finally:
        KINDS.withdraw(Pledge)


def with_pledges(run: Any, *pledges: Pledge) -> Path:
    """The test meeting with these pledges added, written as yiguan writes a meeting."""
    meeting = run.meeting()
    meeting.records(Pledge).extend(pledges)
    path: Path = run.meeting_path()
    path.write_text(fileformat.dump_meeting(meeting), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    return [p.render("zh") for p in check_file(path)]


K1 = dict(id="K1", item=1, by="刘艳", stance="for", at="19:40", seq=50, text="周末带头清理楼道")


# --- declared once ---------------------------------------------------------------------------

def test_the_declaration_is_all_the_schema_needs() -> None:
    """Keys in the order declared, required when they have no default, the id prefix from
    the kind, links to the kinds they name, times and entry order from the fields."""
    assert [k.name for k in Pledge.SPEC] == ["id", "item", "motion", "by", "stance", "at", "seq",
                                            "at_noted", "text"]
    assert [k.name for k in Pledge.SPEC if k.required] == ["id", "by", "at", "text"]
    assert next(k for k in Pledge.SPEC if k.name == "id").prefix == "K"
    assert [(k.name, k.target, k.prefix) for k in Pledge.LINKS] == [("item", "item", ""),
                                                                   ("motion", "motion", "M")]
    assert (Pledge.TIMES, Pledge.TIMED, Pledge.SEQS) == (("at",), True, ("seq",))
    assert Pledge.IDENTITY == ("by", "at")  # who and when: what a merge matches on
    with pytest.raises(TypeError, match="needs by"):
        Pledge(id="K1", at="19:40", text="x")
    assert Pledge(**K1).copy(text="改").text == "改"


def test_a_field_declared_twice_or_not_at_all_is_refused_when_the_class_is_made() -> None:
    with pytest.raises(TypeError, match="declare it with key"):
        type("Bare", (Record,), {"__annotations__": {"name": "str"}})
    with pytest.raises(TypeError, match="declare each field once"):
        type("Old", (Record,), {"SPEC": ()})
    with pytest.raises(TypeError, match="FIX names a field"):
        type("Wrong", (Record,), {"__annotations__": {"id": "str"}, "id": key("id"),
                                  "FIX": {"text": "txt"}})


def test_a_kind_takes_a_table_and_a_prefix_of_its_own(pledges: type[Pledge]) -> None:
    twin = type("Twin", (Record,), {"__annotations__": {"id": "str"}, "id": key("id"),
                                    "TABLE": "twin", "PREFIX": "S"})
    with pytest.raises(TypeError, match="is taken"):
        KINDS.declare(twin)
    with pytest.raises(TypeError, match="is taken"):
        KINDS.declare(Pledge)
    assert KINDS.tables[-1] == "pledge" and KINDS.by_prefix["K"] is Pledge


def test_every_list_of_tables_comes_from_the_declarations(pledges: type[Pledge]) -> None:
    """What corrections, facts, check, merge and the trail walk includes the new kind."""
    assert KINDS.tables == ("attendee", "excused", "item", "speech", "motion", "amendment",
                            "vote", "action", "attachment", "confirmation", "evaluation",
                            "conflict", "correction", "pledge")
    assert [k.TABLE for k in KINDS.timed] == ["speech", "motion", "amendment", "vote",
                                              "action", "confirmation", "pledge"]
    assert [k.TABLE for k in KINDS.fixable] == ["attendee", "excused", "item", "speech",
                                                "motion", "amendment", "vote", "action",
                                                "attachment", "pledge"]
    assert KINDS.trail == ("attendee", "excused", "item", "speech", "motion", "amendment",
                           "vote", "confirmation", "pledge")
    assert KINDS.times == {"arrived", "left", "at", "reconsidered"}  # shown as times
    assert ("pledge", "motion") in KINDS.references["motion"]
    assert ("pledge", "item") in KINDS.references["item"]
    assert Meeting(title="x", date=dt.date(2024, 5, 10)).records(Pledge) == []


def test_withdrawn_the_kind_is_unknown_again() -> None:
    KINDS.declare(Pledge)
    KINDS.withdraw(Pledge)
    assert "pledge" not in KINDS.tables and "K" not in KINDS.by_prefix


# --- loadable --------------------------------------------------------------------------------

def test_a_declared_kind_is_read_and_written_back_byte_for_byte(
        run: Any, opened: str, pledges: type[Pledge]) -> None:
    path = with_pledges(run, Pledge(**K1), Pledge(id="K2", motion=None, by="王建国",
                                                 at="19:41", text="负责通知\n三号楼住户"))
    data = path.read_bytes()
    assert '[[pledge]]\nid = "K1"\nitem = 1\nby = "刘艳"\nstance = "for"\nat = "19:40"\n' \
        'seq = 50\ntext = "周末带头清理楼道"\n' in data.decode("utf-8")
    assert canonical.parse(data.decode("utf-8")) is not None  # the fast reader reads it
    meeting = fileformat.load_meeting(data, str(path))
    assert meeting.records(Pledge) == [Pledge(**K1), Pledge(id="K2", by="王建国", at="19:41",
                                                           text="负责通知\n三号楼住户")]
    assert fileformat.dump_meeting(meeting).encode("utf-8") == data
    # by hand, with a comment: tomllib reads it, to the same records
    commented = data.replace(b'[[pledge]]\nid = "K1"',
                             b'# from the paper notes\n[[pledge]]\nid = "K1"')
    assert canonical.parse(commented.decode("utf-8")) is None
    assert fileformat.load_meeting(commented, str(path)) == meeting
    assert fileformat.canonical_text(commented, str(path), council=False).encode() == data


@pytest.mark.parametrize(("change", "problem"), [
    (("by = \"刘艳\"\n", ""), "pledge[0]: 缺少必填项 by"),
    (("seq = 50\n", "seq = 50\nwho = 1\n"), "pledge[0]: 未知字段 who（拼写错误？）"),
    (('id = "K1"', 'id = "S1"'), "pledge[0].id: 编号格式不对，应如 K1"),
    (('stance = "for"', 'stance = "maybe"'),
     "pledge[0].stance: 应为以下之一：for | against | neutral"),
])
def test_the_schema_checks_a_declared_kind_like_any_other(
        run: Any, opened: str, pledges: type[Pledge], change: tuple[str, str],
        problem: str) -> None:
    path = with_pledges(run, Pledge(**K1))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(*change, 1), encoding="utf-8")
    with pytest.raises(BrokenFile) as broken:
        fileformat.load_meeting(path.read_bytes(), str(path))
    assert [p.render("zh").split(": ", 1)[1] for p in broken.value.problems] == [problem]


def test_without_its_declaration_the_table_is_an_unknown_key(run: Any, opened: str) -> None:
    KINDS.declare(Pledge)
    try:
        path = with_pledges(run, Pledge(**K1))
    finally:
        KINDS.withdraw(Pledge)
    assert any("未知字段 pledge" in line for line in _problems(path))


# --- checkable ---------------------------------------------------------------------------

def test_check_follows_the_links_and_the_clock_of_a_declared_kind(
        run: Any, opened: str, pledges: type[Pledge]) -> None:
    """No validator knows pledges: the links it declares must name records that exist, and
    a record of the session (at, seq) lies between the opening and the close."""
    path = with_pledges(run, Pledge(**K1), Pledge(id="K2", item=7, motion="M9", by="王建国",
                                                  at="19:10", text="会前承诺"))
    assert _problems(path) == [
        f"{path}: 承诺 K2：议题 7 不存在",
        f"{path}: 承诺 K2：动议 M9 不存在",
        f"{path}: 承诺 K2：时间 19:10 早于开会时间 19:30",
    ]
    # a document is not made of a meeting check refuses
    run.refused("minutes", because="documents.has_problems", n=3,
                first=f"{path}: 承诺 K2：议题 7 不存在")
    checked = run("check")
    assert checked.exit_code == 1 and "承诺 K2：议题 7 不存在" in checked.output


def test_a_copy_of_a_meeting_copies_every_kind_s_records(run: Any, opened: str,
                                                        pledges: type[Pledge]) -> None:
    with_pledges(run, Pledge(**K1))
    meeting = run.meeting()
    copied = meeting.copy(title="六月居民议事会")
    assert copied.title == "六月居民议事会" and copied.records(Pledge) == meeting.records(Pledge)
    copied.records(Pledge)[0].text = "改"
    copied.rules.quorum = ">2/3"
    assert meeting.records(Pledge)[0].text == K1["text"] and meeting.rules.quorum == ">1/2"
    with pytest.raises(TypeError, match="no field titel"):
        meeting.copy(titel="x")


def test_the_meeting_clock_counts_a_declared_kind(run: Any, opened: str,
                                                  pledges: type[Pledge]) -> None:
    with_pledges(run, Pledge(**K1))
    meeting = run.meeting()
    assert meeting.next_seq() == 51 and meeting.latest_time() == "19:40"
    assert meeting.next_id(Pledge) == "K2"
    run.ok("speak", "ly", "我来组织。", "--at", "19:45")
    assert run.meeting().speech[-1].seq == 51


# --- correctable -------------------------------------------------------------------------

def test_fix_changes_a_declared_kind_by_its_own_flags(run: Any, opened: str,
                                                      pledges: type[Pledge]) -> None:
    with_pledges(run, Pledge(**K1))
    said = run.ok("fix", "k1", "--text", "周六上午带头清理楼道", "--by", "wjg", "--stance", "中立",
                  "--item", "2").output
    assert "已更正承诺 K1 的内容：周末带头清理楼道 → 周六上午带头清理楼道" in said
    assert "已更正承诺 K1 的承诺人：刘艳 → 王建国" in said
    assert run.meeting().records(Pledge) == [Pledge(**{
        **K1, "text": "周六上午带头清理楼道", "by": "王建国", "stance": "neutral", "item": 2})]


@pytest.mark.parametrize(("args", "message"), [
    (["--yes", "3"], "--yes 不适用于承诺 K1；可改：--text --by --item --stance --at"),
    ([], "请给出要更正的内容；承诺 K1 可改：--text --by --item --stance --at"),
    (["--item", "9"], "没有议题 9"),
    (["--at", "19:00"], "早于开会时间 19:30"),
    (["--by", "不认识的人"], "名单中没有「不认识的人」"),
    (["--text", "a\x1bb"], "内容不可用"),
])
def test_fix_refuses_what_the_declaration_does_not_allow(
        run: Any, opened: str, pledges: type[Pledge], args: list[str], message: str) -> None:
    with_pledges(run, Pledge(**K1))
    assert message in run.refused("fix", "K1", *args).stderr


def test_a_bad_id_names_the_declared_kind_among_those_corrections_take(
        run: Any, opened: str, pledges: type[Pledge]) -> None:
    said = run.refused("fix", "X1", "--text", "x").stderr
    assert "可更正的有：签到 P1、请假 L1、发言 S1、动议 M1、修正 E1、表决 V1、事项 A1、附件 F1、" \
        "纪要确认 Q1、居民评议 J1、承诺 K1，或议题编号" in said
    said = run.refused("fix", "X1", "--text", "x", env={"YIGUAN_LANG": "en"}).stderr
    assert "corrections take P1 (attendee), L1 (excused), S1 (speech), M1 (motion), " \
        "E1 (amendment), V1 (vote), A1 (action), F1 (attachment), Q1 (minutes confirmation), " \
        "J1 (residents' evaluation), K1 (pledge), or the number of an item" in said


def test_strike_removes_a_declared_kind_and_keeps_what_names_another(
        run: Any, opened: str, pledges: type[Pledge]) -> None:
    run.ok("propose", "周末统一清理楼道", "--by", "wjg", "--second", "zgl", "--at", "19:35")
    with_pledges(run, Pledge(**{**K1, "motion": "M1"}))
    assert "K1 依赖它" in run.refused("strike", "M1").stderr  # the link is a dependency
    assert "已删除承诺 K1" in run.ok("strike", "K1").output
    assert run.meeting().records(Pledge) == []
    run.ok("strike", "M1")


def test_after_the_close_a_declared_kind_is_sealed_and_corrected_with_a_trace(
        run: Any, opened: str, pledges: type[Pledge]) -> None:
    with_pledges(run, Pledge(**K1), Pledge(id="K2", by="王建国", at="19:41", text="通知住户"))
    run.ok("close", "--at", "20:30")
    signed = tomllib.loads(run.meeting_bytes().decode())["signed"]
    assert set(signed["pledge"]) == {"K1", "K2"}
    m = ["-m", MEETING]
    assert "更正须用 --why 说明原因" in run.refused("fix", "K1", "--text", "改过的承诺", *m).stderr
    run.ok("fix", "K1", "--text", "改过的承诺", "--why", "记录笔误", *m)
    run.ok("strike", "K2", "--why", "录入重复", *m)
    corrections = run.meeting().correction
    assert [(c.record, c.field, c.before, c.after) for c in corrections] == [
        ("pledge K1", "text", "周末带头清理楼道", "改过的承诺"),
        ("pledge K2", None, 'id = "K2"\nby = "王建国"\nat = "19:41"\ntext = "通知住户"', None)]
    assert _problems(run.meeting_path()) == []  # the trail follows through both
    # the 更正说明 names them as the minutes name motions (承诺一), never by code
    minutes = run.ok("minutes", *m).stdout
    assert "承诺一的内容：周末带头清理楼道 → 改过的承诺" in minutes
    assert "删除承诺二，原为：通知住户" in minutes and "K1" not in minutes
    path = run.meeting_path()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('text = "改过的承诺"', 'text = "悄悄改的"'), encoding="utf-8")
    assert _problems(path) == [f"{path}: 会议已散会，承诺 K1 的内容与更正记录不符"]


# --- merged ----------------------------------------------------------------------------------

def test_the_merge_driver_merges_a_declared_kind_record_by_record(
        run: Any, opened: str, pledges: type[Pledge]) -> None:
    """Both sides add K1: the newer is renumbered K2, as any kind's record is."""
    base = run.meeting()
    ours, theirs = run.meeting(), run.meeting()
    ours.records(Pledge).append(Pledge(**K1))
    theirs.records(Pledge).append(Pledge(id="K1", by="王建国", at="19:41", text="通知住户"))
    result = merge.merge(*(fileformat.dump_meeting(m).encode() for m in (base, ours, theirs)))
    assert result.clean
    assert [(p["id"], p["by"]) for p in result.data["pledge"]] == [("K1", "刘艳"),
                                                                   ("K2", "王建国")]
    assert [(r.table, r.old, r.new) for r in result.renumbered] == [("pledge", "K1", "K2")]


# --- printable -------------------------------------------------------------------------------

def test_textconv_prints_a_declared_kind_one_line_a_record(
        run: Any, opened: str, pledges: type[Pledge], monkeypatch: pytest.MonkeyPatch) -> None:
    path = with_pledges(run, Pledge(**K1))
    lines = run.ok("textconv", str(path)).stdout.splitlines()
    assert lines[-1] == "承诺 id=K1 item=1 by=刘艳 stance=for at=19:40 seq=50 text=周末带头清理楼道"
    # given a line of its own in the catalogue, it reads as that line
    monkeypatch.setitem(catalog_zh.MESSAGES, "textconv.pledge",
                        "承诺 {id} 议题{item} {at} {by}：{text}")
    lines = run.ok("textconv", str(path)).stdout.splitlines()
    assert lines[-1] == "承诺 K1 议题1 19:40 刘艳：周末带头清理楼道"
    before = path.read_bytes()
    run.ok("fix", "K1", "--text", "改了")
    (path.parent / "before.toml").write_bytes(before)
    diff = run.ok("diff", str(path.parent / "before.toml"), str(path)).stdout
    assert diff == "~ 承诺 K1 text：周末带头清理楼道 → 改了\n"


# --- a council's own calendar ----------------------------------------------------------------

CALENDAR = """\
[calendar]
holidays = [
    2024-05-20,
]
workdays = [
    2024-05-11,
    2024-05-12,
]
"""


def test_textconv_of_a_council_shows_its_calendar_as_dates(run: Any) -> None:
    council = run.folder / "council.toml"
    run.ok("council", "set", "org", "幸福里社区居民委员会")
    text = council.read_text(encoding="utf-8")
    council.write_text(text.replace("\n[[member]]", "\n" + CALENDAR + "\n[[member]]", 1),
                       encoding="utf-8")
    assert run.ok("check").exit_code == 0
    out = run.ok("textconv", str(council)).stdout
    assert "datetime" not in out
    assert "日历 holidays = 2024-05-20\n日历 workdays = 2024-05-11、2024-05-12\n" in out
    assert "盖章单位：幸福里社区居民委员会\n" in out  # the public particulars, named
    english = run.ok("textconv", str(council), env={"YIGUAN_LANG": "en"}).stdout
    assert "calendar holidays = 2024-05-20\n" in english
    later = run.folder / "later.toml"
    later.write_text(council.read_text(encoding="utf-8").replace("2024-05-20", "2024-06-10"),
                     encoding="utf-8")
    diff = run.ok("diff", str(council), str(later)).stdout
    assert diff == "~ 日历 holidays：2024-05-20 → 2024-06-10\n"


def test_textconv_of_a_council_hides_nothing_it_does_not_know(run: Any) -> None:
    council = run.folder / "council.toml"
    text = council.read_text(encoding="utf-8")
    council.write_text("calendar = 5\nmotto = \"和睦\"\n" + text, encoding="utf-8")
    out = run.ok("textconv", str(council)).stdout
    assert "calendar = 5\n" in out and "motto = 和睦\n" in out


def test_the_known_keys_of_textconv_are_the_loader_s(pledges: type[Pledge]) -> None:
    """What textconv shows as unknown is what the loader refuses as unknown: one list."""
    meeting = {"format": 1, "title": "x", "date": dt.date(2024, 5, 10), "status": "planned",
               "members": [], "rules": {}, "pledge": [], "signed": {}, "speech": []}
    lines = support.textconv_lines({**meeting, "extra": 1})
    assert [line for line in lines if "=" in line] == ["extra = 1"]
    council = {"format": 1, "name": "x", "org": "o", "notice_place": "p", "contact": "c",
               "rules": {}, "calendar": {}, "member": []}
    lines = support.textconv_lines(council)
    assert not [line for line in lines if " = " in line]
