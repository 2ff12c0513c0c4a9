"""议题征集 (issue 23 §1): residents' topics in topics.toml before any meeting, an agenda
item made from one, where it came from in the minutes, the 会议通知 and the 议题公示 (no
resident's name on a 公示), topics.toml first-class in the data folder (skipped by the
meeting scan, undoable, covered by git-setup, textconv and the merge driver)."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, FakeClock, git
from yiguan.git.merge import Unmergeable
from yiguan.git.topics_merge import dump_topics_data, merge_topics
from yiguan.record.topics import TOPICS_FILE, load_topics


def topics(run: Cli) -> dict[str, Any]:
    return tomllib.loads((run.folder / TOPICS_FILE).read_text(encoding="utf-8"))


def collect(run: Cli) -> None:
    """T1 王阿姨 at the 心愿墙, T2 anonymous by phone, T3 the same as T2 from 李大爷."""
    run.ok("topic", "add", "小区东门路灯坏了", "--from", "王阿姨", "--via", "心愿墙",
           "--date", "2024-04-02")
    run.ok("topic", "add", "楼道堆物影响通行", "--via", "phone", "--date", "2024-04-05")
    run.ok("topic", "add", "楼道里堆满杂物", "--from", "李大爷", "--via", "网格员",
           "--date", "2024-04-06")


# --- topic add ----------------------------------------------------------------------------

def test_add_numbers_topics_and_writes_the_canonical_file(run: Cli, clock: FakeClock) -> None:
    result = run.ok("topic", "add", "小区东门路灯坏了", "--from", "王阿姨", "--via", "心愿墙",
                    "--date", "2024-04-02")
    assert "T1" in result.stdout
    run.ok("topic", "add", "楼道堆物影响通行", "--via", "grid-worker")
    text = (run.folder / TOPICS_FILE).read_text(encoding="utf-8")
    assert text == (
        'format = 1\n\n[[topic]]\nid = "T1"\ntext = "小区东门路灯坏了"\nfrom = "王阿姨"\n'
        'via = "wish-wall"\ndate = 2024-04-02\nstatus = "open"\n\n'
        '[[topic]]\nid = "T2"\ntext = "楼道堆物影响通行"\nvia = "grid-worker"\n'
        'date = 2024-05-10\nstatus = "open"\n')  # today, on the clock the CLI reads
    assert load_topics(text.encode(), TOPICS_FILE).topic[1].by is None  # 匿名


@pytest.mark.parametrize(("typed", "stored"), [
    ("心愿墙", "wish-wall"), ("网格员", "grid-worker"), ("电话", "phone"), ("来访", "visit"),
    ("线上", "online"), ("会议", "meeting"), ("Wish-Wall", "wish-wall"), ("visit", "visit")])
def test_via_takes_chinese_and_english_words(run: Cli, typed: str, stored: str) -> None:
    run.ok("topic", "add", "加装电梯", "--via", typed, "--date", "2024-04-02")
    assert topics(run)["topic"][0]["via"] == stored


def test_help_names_every_way_in(run: Cli) -> None:
    result = run.ok("topic", "add", "--help", env={"COLUMNS": "200"})
    for word in ("心愿墙", "网格员", "电话", "来访", "线上", "会议"):
        assert word in result.stdout


def test_from_a_member_by_initials_is_their_name(run: Cli) -> None:
    run.ok("topic", "add", "加装电梯", "--from", "ly", "--date", "2024-04-02")
    assert topics(run)["topic"][0]["from"] == "刘艳"


def test_typed_dates_are_read_as_other_date_options(run: Cli, clock: FakeClock) -> None:
    result = run.ok("topic", "add", "加装电梯", "--date", "4月2日")
    assert topics(run)["topic"][0]["date"].isoformat() == "2024-04-02"
    assert "2024-04-02" in result.stderr  # said how it was read


def test_add_refuses_an_unknown_way_in(run: Cli) -> None:
    run.refused("topic", "add", "加装电梯", "--via", "微信群", because="topics.bad_via",
                value="微信群")


@pytest.mark.parametrize("text", ["路灯坏了，请回电 138 0013 8000", "联系 0931-8888888",
                                  "+86 13900001111 王阿姨"])
def test_add_refuses_a_phone_number_in_the_text(run: Cli, text: str) -> None:
    run.refused("topic", "add", text, because="topics.phone_in_text")


def test_add_refuses_a_phone_number_with_the_name(run: Cli) -> None:
    run.refused("topic", "add", "路灯坏了", "--from", "王阿姨13812345678",
                because="topics.phone_in_from")
    assert not (run.folder / TOPICS_FILE).exists()


def test_add_refuses_a_day_not_yet_come(run: Cli, clock: FakeClock) -> None:
    clock.set("2024-05-10 19:00")
    run.refused("topic", "add", "路灯坏了", "--date", "2024-05-11",
                because="topics.date_in_future", date="2024-05-11")
    run.ok("topic", "add", "路灯坏了", "--date", "2024-05-10")


def test_numbers_that_are_no_phone_pass(run: Cli) -> None:
    run.ok("topic", "add", "3栋502门口的2024年新装路灯坏了，共12盏", "--date", "2024-04-02")


def test_add_refuses_a_bad_date(run: Cli) -> None:
    run.refused("topic", "add", "加装电梯", "--date", "2024-02-30", because="input.bad_date")


def test_add_refuses_empty_text(run: Cli) -> None:
    run.refused("topic", "add", "   ", because="input.bad_text")


def test_add_refuses_a_bad_name(run: Cli) -> None:
    run.refused("topic", "add", "加装电梯", "--from", "王\x1b阿姨", because="input.bad_text")


def test_add_needs_a_council(tmp_path: Path) -> None:
    Cli(tmp_path).refused("topic", "add", "加装电梯", because="store.no_council")


def test_alias_and_undo(run: Cli) -> None:
    collect(run)
    run.ok("征集", "reject", "T1", "--reason", "属市政管理，已转交街道")
    assert topics(run)["topic"][0]["status"] == "rejected"
    result = run.ok("undo")
    assert "topics.toml" in result.stdout
    assert topics(run)["topic"][0]["status"] == "open"
    for _ in range(3):
        run.ok("undo")
    assert not (run.folder / TOPICS_FILE).exists()  # the change that made it, taken back


def test_topics_toml_is_no_meeting_and_no_warning(run: Cli, planned: str) -> None:
    collect(run)
    (run.folder / "files").mkdir()
    (run.folder / "files" / "ab12.jpg").write_bytes(b"\xff\xd8")
    for args in (("list",), ("check",), ("agenda", "list")):
        result = run.ok(*args)
        assert result.stderr == "", (args, result.stderr)


# --- topic list ---------------------------------------------------------------------------

def test_list_says_where_each_stands(run: Cli) -> None:
    collect(run)
    run.ok("topic", "add", "增设快递柜", "--date", "2024-04-07")
    run.ok("topic", "merge", "T3", "--into", "T2")
    run.ok("topic", "reject", "T4", "--reason", "小区已有快递柜")
    table = run.ok("topic", "list", env={"COLUMNS": "200"}).stdout
    assert "匿名" in table and "王阿姨" in table and "心愿墙" in table
    assert "已合并至 T2" in table and "不予列入（小区已有快递柜）" in table
    rows = json.loads(run.ok("topic", "list", "--format", "json").stdout)
    assert [r["status"] for r in rows] == ["open", "open", "merged", "rejected"]
    assert rows[2]["into"] == "T2" and rows[3]["reason"] == "小区已有快递柜"
    assert rows[1]["from"] is None and rows[0]["via"] == "wish-wall"
    only_open = json.loads(run.ok("topic", "list", "--open", "--format", "json").stdout)
    assert [r["id"] for r in only_open] == ["T1", "T2"]
    csv = run.ok("topic", "list", "--format", "csv").stdout
    assert csv.startswith("\ufeff编号,")
    assert "T3,2024-04-06,楼道里堆满杂物,李大爷,网格员,已合并至 T2" in csv


def test_list_without_topics(run: Cli) -> None:
    assert "尚无征集议题" in run.ok("topic", "list").stdout
    assert json.loads(run.ok("topic", "list", "--format", "json").stdout) == []


def test_list_in_english(run: Cli) -> None:
    collect(run)
    out = run.ok("topic", "list", env={"YIGUAN_LANG": "en", "COLUMNS": "200"}).stdout
    assert "wish wall" in out and "anonymous" in out


# --- reject and merge ---------------------------------------------------------------------

def test_reject_keeps_the_reason(run: Cli) -> None:
    collect(run)
    run.ok("topic", "reject", "t2", "--reason", "不属于议事范围")
    topic = topics(run)["topic"][1]
    assert (topic["status"], topic["reason"]) == ("rejected", "不属于议事范围")


def test_reject_refusals(run: Cli) -> None:
    collect(run)
    run.refused("topic", "reject", "T9", "--reason", "x", because="topics.unknown", id="T9")
    run.refused("topic", "reject", "T1", "--reason", " ", because="topics.no_reason")
    run.ok("topic", "reject", "T1", "--reason", "重复")
    run.refused("topic", "reject", "T1", "--reason", "x", because="topics.already_rejected")
    run.ok("topic", "merge", "T3", "--into", "T2")
    run.refused("topic", "reject", "T3", "--reason", "x", because="topics.already_merged",
                id="T3", into="T2")


def test_merge_refusals(run: Cli) -> None:
    collect(run)
    run.refused("topic", "merge", "T2", "--into", "T2", because="topics.merge_self", id="T2")
    run.refused("topic", "merge", "T2", "--into", "T7", because="topics.unknown", id="T7")
    run.refused("topic", "merge", "T8", "--into", "T2", because="topics.unknown", id="T8")
    run.ok("topic", "reject", "T1", "--reason", "已转交街道")
    run.refused("topic", "merge", "T2", "--into", "T1", because="topics.into_rejected")
    run.refused("topic", "merge", "T1", "--into", "T2", because="topics.already_rejected")
    run.ok("topic", "merge", "T3", "--into", "T2")
    run.refused("topic", "merge", "T2", "--into", "T3", because="topics.into_merged",
                id="T3", other="T2")
    run.refused("topic", "merge", "T3", "--into", "T2", because="topics.already_merged")


def test_a_listed_topic_is_neither_rejected_nor_merged(run: Cli, planned: str) -> None:
    collect(run)
    run.ok("agenda", "add", "--topic", "T2")
    run.refused("topic", "reject", "T2", "--reason", "x", because="topics.already_listed",
                id="T2", meeting=planned)
    run.refused("topic", "merge", "T2", "--into", "T1", because="topics.already_listed")


def test_check_reads_topics(run: Cli) -> None:
    collect(run)
    assert "2 个文件" in run.ok("check").stdout  # council.toml and topics.toml
    path = run.folder / TOPICS_FILE
    path.write_text(path.read_text(encoding="utf-8") + 'bogus = 1\n', encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1 and "topics.toml" in result.stdout and "bogus" in result.stdout


def test_a_topic_merged_into_one_that_does_not_load_is_one_problem(run: Cli) -> None:
    """T3 merged into T2, and T2's date broken by hand: check names the date, and does not
    say as well that T3 points at no topic."""
    collect(run)
    run.ok("topic", "merge", "T3", "--into", "T2")
    path = run.folder / TOPICS_FILE
    path.write_text(path.read_text("utf-8").replace("date = 2024-04-05", 'date = "bad"'),
                    "utf-8")
    result = run("check")
    assert result.exit_code == 1 and ".date: " in result.stdout
    assert [line for line in result.stdout.splitlines() if "topics.toml:" in line] == [
        line for line in result.stdout.splitlines() if ".date: " in line]


def test_a_broken_topics_file_is_said(run: Cli) -> None:
    collect(run)
    path = run.folder / TOPICS_FILE
    path.write_text(path.read_text(encoding="utf-8").replace('status = "open"\n',
                                                             'status = "merged"\n', 1),
                    encoding="utf-8")
    run.refused("topic", "list", because="topics.bad_into", in_file=True)


# --- agenda add --topic -------------------------------------------------------------------

def test_agenda_add_from_a_topic(run: Cli, planned: str) -> None:
    collect(run)
    result = run.ok("agenda", "add", "--topic", "T1")
    assert "T1" in result.stdout
    item = run.meeting(planned).item[-1]
    assert (item.title, item.topic, item.via, item.raised_by, item.raised.isoformat()) == (
        "小区东门路灯坏了", "T1", "wish-wall", "王阿姨", "2024-04-02")
    run.ok("agenda", "add", "清理楼道堆物", "--topic", "T2", "--by", "ly")
    item = run.meeting(planned).item[-1]
    assert (item.title, item.by, item.raised_by) == ("清理楼道堆物", "刘艳", None)
    rows = json.loads(run.ok("topic", "list", "--format", "json").stdout)
    assert [(r["meeting"], r["item"], r["outcome"]) for r in rows[:2]] == [
        (planned, 3, None), (planned, 4, None)]
    assert "已列入 2024-05-10 议题3" in run.ok("topic", "list",
                                              env={"COLUMNS": "200"}).stdout
    assert [r["id"] for r in json.loads(run.ok("topic", "list", "--open", "--format",
                                               "json").stdout)] == ["T3"]


def test_agenda_add_refusals(run: Cli, planned: str) -> None:
    collect(run)
    run.refused("agenda", "add", because="topics.no_title")
    run.refused("agenda", "add", "--topic", "T5", because="topics.unknown", id="T5")
    run.ok("topic", "merge", "T3", "--into", "T2")
    run.refused("agenda", "add", "--topic", "T3", because="topics.already_merged")
    run.ok("topic", "reject", "T2", "--reason", "重复")
    run.refused("agenda", "add", "--topic", "T2", because="topics.already_rejected")
    run.ok("agenda", "add", "--topic", "T1")
    run.refused("agenda", "add", "--topic", "T1", because="topics.already_listed",
                id="T1", meeting=planned)


def test_the_outcome_follows_the_vote(run: Cli, opened: str) -> None:
    collect(run)
    run.ok("agenda", "add", "--topic", "T1", "--by", "王建国")
    run.ok("agenda", "add", "--topic", "T2")
    run.ok("propose", "联系街道维修东门路灯", "--by", "wjg", "--second", "ly", "--item", "3",
           "--at", "19:40")
    run.ok("propose", "清理楼道堆物", "--by", "ly", "--second", "wjg", "--item", "4",
           "--at", "19:41")
    rows = json.loads(run.ok("topic", "list", "--format", "json").stdout)
    assert [r["outcome"] for r in rows[:2]] == [None, None]
    run.ok("vote", "M1", "--yes", "5", "--no", "0", "--at", "19:45")
    run.ok("vote", "M2", "--yes", "1", "--no", "4", "--at", "19:46")
    rows = json.loads(run.ok("topic", "list", "--format", "json").stdout)
    assert [r["outcome"] for r in rows[:2]] == ["adopted", "rejected"]
    table = run.ok("topic", "list", env={"COLUMNS": "200"}).stdout
    assert "已列入 2024-05-10 议题3：通过" in table and "议题4：未通过" in table


def test_a_postponed_item(run: Cli, opened: str) -> None:
    collect(run)
    run.ok("agenda", "add", "--topic", "T1")
    run.ok("propose", "维修路灯", "--by", "wjg", "--item", "3", "--at", "19:40")
    run.ok("postpone", "M1")
    rows = json.loads(run.ok("topic", "list", "--format", "json").stdout)
    assert rows[0]["outcome"] == "postponed"


def test_a_postponed_topic_comes_back_at_a_later_meeting(run: Cli, opened: str) -> None:
    """搁置 is not the end of a topic: a later meeting takes it up again, and `topic list`
    follows the later item; one adopted or rejected is not listed again."""
    collect(run)
    run.ok("agenda", "add", "--topic", "T1")
    run.ok("agenda", "add", "--topic", "T2")
    run.ok("propose", "维修路灯", "--by", "wjg", "--item", "3", "--at", "19:40")
    run.ok("propose", "清理楼道", "--by", "ly", "--second", "wjg", "--item", "4", "--at", "19:41")
    run.ok("postpone", "M1")
    run.refused("agenda", "add", "--topic", "T1", because="topics.already_listed",
                id="T1", meeting=opened)  # not twice in one meeting
    run.ok("vote", "M2", "--yes", "5", "--no", "0", "--at", "19:45")
    run.ok("close", "--at", "20:00")
    run.ok("new", "六月议事会", "--date", "2024-06-14", "--time", "19:30")
    run.ok("agenda", "add", "--topic", "T1", "-m", "2024-06-14")
    row = json.loads(run.ok("topic", "list", "--format", "json").stdout)[0]
    assert (row["meeting"], row["outcome"]) == ("2024-06-14", None)
    run.refused("agenda", "add", "--topic", "T2", "-m", "2024-06-14",
                because="topics.already_listed", id="T2", meeting=opened)


def test_an_item_finds_its_topic_after_a_renumbering_merge(run: Cli, planned: str) -> None:
    """Theirs collected T3 and listed it; ours collected another T3; the merge renumbered
    theirs to T4, and the item still says T3: it is T4 that is listed, by what the item
    copied."""
    collect(run)
    run.ok("agenda", "add", "--topic", "T3")
    path = run.folder / TOPICS_FILE
    text = path.read_text(encoding="utf-8").replace('id = "T3"', 'id = "T4"')
    path.write_text(text + '\n[[topic]]\nid = "T3"\ntext = "增设快递柜"\ndate = 2024-04-09\n'
                    'status = "open"\n', encoding="utf-8")
    rows = {r["id"]: r for r in json.loads(run.ok("topic", "list", "--format",
                                                  "json").stdout)}
    assert rows["T4"]["meeting"] == planned and rows["T3"]["meeting"] is None
    run.refused("agenda", "add", "--topic", "T4", because="topics.already_listed")
    run.ok("agenda", "add", "--topic", "T3")


# --- the documents ------------------------------------------------------------------------

def _listed(run: Cli, planned: str) -> None:
    collect(run)
    run.ok("agenda", "add", "--topic", "T1")
    run.ok("agenda", "add", "--topic", "T2")
    run.ok("council", "set", "notice_place", "社区居务公开栏")


def test_minutes_and_announce_name_the_source_and_the_resident(run: Cli, planned: str) -> None:
    _listed(run, planned)
    minutes = run.ok("minutes").stdout
    assert "**来源**：心愿墙（居民王阿姨，2024-04-02）" in minutes
    assert "**来源**：电话（匿名，2024-04-05）" in minutes
    announce = run.ok("announce").stdout
    assert "小区东门路灯坏了——来源：心愿墙（居民王阿姨，2024-04-02）" in announce
    english = run.ok("minutes", "--lang", "en").stdout
    assert "wish wall (resident 王阿姨, 2024-04-02)" in english


def test_the_agenda_notice_never_names_a_resident(run: Cli, planned: str) -> None:
    _listed(run, planned)
    notice = run.ok("notice", "--agenda", "--from", "2024-05-03").stdout
    assert "议题公示" in notice
    assert "小区东门路灯坏了——来源：心愿墙（2024-04-02）" in notice
    assert "2024年5月3日至2024年5月9日" in notice and "社区居务公开栏" in notice
    assert "王阿姨" not in notice and "李大爷" not in notice
    for fmt in ("html", "docx"):
        out = run.folder.parent / f"agenda.{fmt}"
        run.ok("notice", "--agenda", "-o", str(out))
        assert "王阿姨".encode() not in out.read_bytes()
    # nor any other notice: the resolutions' notice says nothing of the sources
    assert "王阿姨" not in run.ok("notice").stdout


def test_agenda_notice_refusals(run: Cli, planned: str) -> None:
    _listed(run, planned)
    run.refused("notice", "--agenda", "--results", because="documents.agenda_with_results")
    run.refused("notice", "--agenda", "--days", "7", because="documents.agenda_no_days")
    run.refused("notice", "--agenda", "--number", "auto", because="documents.agenda_no_number")


# --- git ----------------------------------------------------------------------------------

def test_git_setup_covers_topics(run: Cli, tmp_path: Path) -> None:
    git(run.folder, "init", "-q")
    run.ok("git-setup")
    attributes = (run.folder / ".gitattributes").read_text(encoding="utf-8")
    assert "topics.toml diff=yiguan merge=yiguan" in attributes


def test_textconv_and_diff_read_topics(run: Cli) -> None:
    collect(run)
    path = run.folder / TOPICS_FILE
    before = path.read_bytes()
    lines = run.ok("textconv", str(path)).stdout
    assert "征集议题 T1 2024-04-02 心愿墙 王阿姨：小区东门路灯坏了 [待议]" in lines
    assert "← 征集议题 T1（wish-wall 王阿姨 2024-04-02）" not in lines  # no meeting yet
    old = run.folder.parent / "old.toml"
    old.write_bytes(before)
    run.ok("topic", "reject", "T2", "--reason", "重复")
    diff = run.ok("diff", str(old), str(path)).stdout
    assert "status" in diff and "rejected" in diff
    # a way in yiguan does not know (a hand edit) is shown as written, not as a raw key
    path.write_text(path.read_text("utf-8").replace('via = "wish-wall"', 'via = "xx"'), "utf-8")
    lines = run.ok("textconv", str(path)).stdout
    assert "征集议题 T1 2024-04-02 xx 王阿姨" in lines and "via.xx" not in lines


def test_textconv_shows_an_items_source(run: Cli, planned: str) -> None:
    collect(run)
    run.ok("agenda", "add", "--topic", "T1")
    lines = run.ok("textconv", str(run.meeting_path(planned))).stdout
    assert "议题 3 小区东门路灯坏了 ← 征集议题 T1（wish-wall 王阿姨 2024-04-02）" in lines


def _pool(*records: str) -> bytes:
    return ("format = 1\n" + "".join(f"\n[[topic]]\n{r}" for r in records)).encode()


def _topic(rid: str, text: str, extra: str = "") -> str:
    return f'id = "{rid}"\ntext = "{text}"\ndate = 2024-04-02\nstatus = "open"\n{extra}'


def test_merge_keeps_topics_added_on_both_sides() -> None:
    base = _pool(_topic("T1", "路灯"))
    ours = _pool(_topic("T1", "路灯"), _topic("T2", "堆物"))
    theirs = _pool(_topic("T1", "路灯"), _topic("T2", "电梯"), _topic("T3", "快递柜"))
    result = merge_topics(base, ours, theirs)
    assert [(r["id"], r["text"]) for r in result.data["topic"]] == [
        ("T1", "路灯"), ("T2", "堆物"), ("T4", "电梯"), ("T3", "快递柜")] or [
        (r["id"], r["text"]) for r in result.data["topic"]] == [
        ("T1", "路灯"), ("T2", "堆物"), ("T3", "快递柜"), ("T4", "电梯")]
    assert [(m.side, m.old, m.new) for m in result.renumbered] == [("theirs", "T2", "T4")]


def test_merge_follows_into_of_a_renumbered_topic() -> None:
    base = _pool(_topic("T1", "路灯"))
    ours = _pool(_topic("T1", "路灯"), _topic("T2", "堆物"))
    theirs = _pool(_topic("T1", "路灯", 'into = "T2"\n').replace('"open"', '"merged"'),
                   _topic("T2", "电梯"))
    result = merge_topics(base, ours, theirs)
    merged = {r["id"]: r for r in result.data["topic"]}
    assert merged["T1"]["into"] == "T3" and merged["T3"]["text"] == "电梯"


def test_merge_one_sided_change_and_refusals() -> None:
    base = _pool(_topic("T1", "路灯"))
    rejected = _pool(_topic("T1", "路灯", 'reason = "重复"\n').replace('"open"', '"rejected"'))
    assert merge_topics(base, base, rejected).data["topic"][0]["status"] == "rejected"
    other = _pool(_topic("T1", "路灯", 'reason = "不属于"\n').replace('"open"', '"rejected"'))
    with pytest.raises(Unmergeable) as why:
        merge_topics(base, rejected, other)
    assert why.value.key == "merge.why.topic_changed_twice"
    with pytest.raises(Unmergeable) as why:
        merge_topics(base, _pool(), rejected)
    assert why.value.key == "merge.why.topic_removed_changed"
    with pytest.raises(Unmergeable) as why:
        merge_topics(base, b"format = 1\n# mine\n", base)
    assert why.value.key == "merge.why.not_canonical"


def test_the_merge_driver_merges_topics(run: Cli, tmp_path: Path) -> None:
    base = _pool(_topic("T1", "路灯"))
    ours = tmp_path / "ours"
    ours.write_bytes(_pool(_topic("T1", "路灯"), _topic("T2", "堆物")))
    theirs = tmp_path / "theirs"
    theirs.write_bytes(_pool(_topic("T1", "路灯"), _topic("T2", "电梯")))
    base_path = tmp_path / "base"
    base_path.write_bytes(base)
    result = run("merge-driver", str(base_path), str(ours), str(theirs), "meetings/topics.toml")
    assert result.exit_code == 0, result.output
    text = ours.read_text(encoding="utf-8")
    assert '"T3"' in text and "电梯" in text and "堆物" in text
    assert dump_topics_data(tomllib.loads(text)) == text
    assert "T2" in result.stderr and "T3" in result.stderr  # the renumbering is said


# --- goldens ------------------------------------------------------------------------------
# tests/golden/sourced.toml (make_inputs.py's SOURCED) renders to its minutes, notices and
# papers like every golden input (test_minutes.py, test_notice.py, test_documents.py); the
# 议题公示 has goldens of its own here.

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_agenda_notice_golden(lang: str) -> None:
    from conftest import check_golden
    from yiguan.record import fileformat
    from yiguan.render.agenda_notice import agenda_notice_document
    from yiguan.render.formats import render_document

    path = GOLDEN / "sourced.toml"
    meeting = fileformat.load_meeting(path.read_bytes(), path.name)
    doc = agenda_notice_document(meeting, council="幸福里社区居民议事会", source=path.name,
                                 lang=lang, start=dt.date(2022, 6, 7), version="0.0.0-golden",
                                 org="幸福里社区居民委员会", place="社区居务公开栏",
                                 phone="0931-8888888")
    text = render_document(doc, "md")
    check_golden(GOLDEN / f"sourced.agenda.{lang}.md", text)
    assert "王阿姨".encode() not in text and "李大爷".encode() not in text
    if lang == "zh":
        check_golden(GOLDEN / "sourced.agenda.zh.html", render_document(doc, "html"))


def test_the_golden_minutes_name_the_source() -> None:
    text = (GOLDEN / "sourced.minutes.zh.md").read_text(encoding="utf-8")
    assert "**来源**：心愿墙（居民王阿姨，2022-06-02）" in text
    for notice in ("sourced.notice.zh.md", "sourced.notice.en.md", "sourced.results.zh.md"):
        assert "王阿姨" not in (GOLDEN / notice).read_text(encoding="utf-8")


@pytest.mark.slow
def test_two_branches_adding_topics_merge_in_git(tmp_path: Path) -> None:
    """The real thing: git-setup, two branches each collecting a topic as T2, `git merge`
    through the driver: both kept, theirs renumbered T3."""
    import os
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    data = repo / "meetings"
    repo.mkdir()
    env = {**os.environ, "HOME": str(tmp_path), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_NOSYSTEM": "1"}

    def sh(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True,
                              check=False, timeout=120)

    sh("git", "init", "-q", "-b", "main")
    yiguan = Cli(data)
    yiguan.ok("init", "--name", "幸福里")
    yiguan.ok("topic", "add", "东门路灯坏了", "--date", "2024-04-02")
    setup = yiguan.ok("git-setup")
    assert "topics.toml" in (data / ".gitattributes").read_text(encoding="utf-8"), setup.stdout
    sh("git", "add", ".")
    sh("git", "commit", "-qm", "pool")
    sh("git", "checkout", "-q", "-b", "other")
    yiguan.ok("topic", "add", "加装电梯", "--via", "来访", "--date", "2024-04-03")
    sh("git", "commit", "-qam", "theirs")
    sh("git", "checkout", "-q", "main")
    yiguan.ok("topic", "add", "楼道堆物", "--from", "王阿姨", "--date", "2024-04-04")
    sh("git", "commit", "-qam", "ours")
    merged = sh("git", "merge", "--no-edit", "other")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    pool = tomllib.loads((data / TOPICS_FILE).read_text(encoding="utf-8"))["topic"]
    assert [(t["id"], t["text"]) for t in pool] == [
        ("T1", "东门路灯坏了"), ("T2", "楼道堆物"), ("T3", "加装电梯")]


# --- issue 23 §1 review: identity after a merge, cycles, odd values, phones ---------------

def _same_day_merge(run: Cli) -> None:
    """Base T1; theirs added T2 垃圾桶 (心愿墙, 2022-04-02) and listed it; main added T2
    健身器材 (心愿墙, the same day); the merge renumbered theirs to T3, and the item of
    theirs still says T2."""
    run.ok("topic", "add", "路灯", "--date", "2022-04-01")
    run.ok("topic", "add", "垃圾桶", "--via", "心愿墙", "--date", "2022-04-02")
    run.ok("agenda", "add", "--topic", "T2")
    path = run.folder / TOPICS_FILE
    text = path.read_text(encoding="utf-8").replace('id = "T2"', 'id = "T3"')
    path.write_text(text.replace('[[topic]]\nid = "T3"', '[[topic]]\nid = "T2"\ntext = "健身器材"\n'
                                 'via = "wish-wall"\ndate = 2022-04-02\nstatus = "open"\n\n'
                                 '[[topic]]\nid = "T3"', 1), encoding="utf-8")
    assert [t.text for t in load_topics(path.read_bytes(), TOPICS_FILE).topic] == [
        "路灯", "健身器材", "垃圾桶"]


def test_an_item_of_the_same_day_way_and_resident_finds_its_topic_by_its_text(
        run: Cli, opened: str) -> None:
    _same_day_merge(run)
    rows = {r["id"]: r for r in json.loads(run.ok("topic", "list", "--format",
                                                  "json").stdout)}
    assert rows["T3"]["meeting"] == opened and rows["T2"]["meeting"] is None
    run.refused("agenda", "add", "--topic", "T3", because="topics.already_listed")
    run.ok("agenda", "add", "--topic", "T2")  # 健身器材 is still open


def test_an_item_with_a_title_of_its_own_trusts_the_id_it_names(run: Cli, planned: str) -> None:
    run.ok("topic", "add", "垃圾桶", "--via", "心愿墙", "--date", "2022-04-02")
    run.ok("topic", "add", "健身器材", "--via", "心愿墙", "--date", "2022-04-02")
    run.ok("agenda", "add", "增设分类垃圾桶", "--topic", "T1")
    rows = json.loads(run.ok("topic", "list", "--format", "json").stdout)
    assert [r["meeting"] for r in rows] == [planned, None]


def test_ledger_all_names_the_topic_as_renumbered(run: Cli, opened: str) -> None:
    _same_day_merge(run)
    item = run.meeting(opened).item[-1].id
    run.ok("propose", "增设垃圾桶", "--by", "wjg", "--item", str(item), "--at", "19:40")
    rows = json.loads(run.ok("ledger", "--all", "--format", "json").stdout)
    assert [r["topic"] for r in rows] == ["T3"]
    # topics.toml changed again (no meeting file did): the cached ledger follows it
    path = run.folder / TOPICS_FILE
    path.write_text(path.read_text(encoding="utf-8").replace('"T3"', '"T9"'),
                    encoding="utf-8")
    rows = json.loads(run.ok("ledger", "--all", "--format", "json").stdout)
    assert [r["topic"] for r in rows] == ["T9"]


def test_an_into_chain_back_to_itself_is_a_problem(run: Cli) -> None:
    collect(run)
    path = run.folder / TOPICS_FILE
    text = path.read_text(encoding="utf-8")
    text = text.replace('id = "T1"\ntext = "小区东门路灯坏了"\nfrom = "王阿姨"\nvia = "wish-wall"\n'
                        'date = 2024-04-02\nstatus = "open"\n',
                        'id = "T1"\ntext = "小区东门路灯坏了"\nfrom = "王阿姨"\nvia = "wish-wall"\n'
                        'date = 2024-04-02\nstatus = "merged"\ninto = "T2"\n')
    text = text.replace('via = "phone"\ndate = 2024-04-05\nstatus = "open"\n',
                        'via = "phone"\ndate = 2024-04-05\nstatus = "merged"\ninto = "T1"\n')
    path.write_text(text, encoding="utf-8")
    run.refused("topic", "list", because="topics.into_cycle", in_file=True)
    result = run("check")
    assert result.exit_code == 1 and "T1 → T2 → T1" in result.stdout


def test_the_merge_refuses_a_cycle() -> None:
    base = _pool(_topic("T1", "路灯"), _topic("T2", "堆物"))
    ours = _pool(_topic("T1", "路灯", 'into = "T2"\n').replace('"open"', '"merged"'),
                 _topic("T2", "堆物"))
    theirs = _pool(_topic("T1", "路灯"),
                   _topic("T2", "堆物", 'into = "T1"\n').replace('"open"', '"merged"'))
    with pytest.raises(Unmergeable) as why:
        merge_topics(base, ours, theirs)
    assert why.value.key == "merge.why.topics_invalid"


def test_the_merge_refuses_an_into_both_sides_set_to_a_twice_added_id() -> None:
    base = _pool(_topic("T1", "路灯"))
    into = _topic("T1", "路灯", 'into = "T2"\n').replace('"open"', '"merged"')
    with pytest.raises(Unmergeable) as why:
        merge_topics(base, _pool(into, _topic("T2", "堆物")), _pool(into, _topic("T2", "电梯")))
    assert why.value.key == "merge.why.topic_into_added"
    # both sides added the very same T2: kept once, and T2 is the one both meant
    result = merge_topics(base, _pool(into, _topic("T2", "堆物")),
                          _pool(into, _topic("T2", "堆物")))
    assert [(r["id"], r.get("into")) for r in result.data["topic"]] == [("T1", "T2"),
                                                                         ("T2", None)]


def _canonical_pool(*records: str) -> bytes:
    """A pool as yiguan writes it, whatever its values (a hand edit the merge receives)."""
    return dump_topics_data(tomllib.loads(_pool(*records).decode())).encode()


def test_the_merge_driver_refuses_an_array_value_in_one_line(run: Cli, tmp_path: Path) -> None:
    """A hand-edited topic holding an array (once a TypeError traceback, `unhashable type:
    'list'`): the one-line refusal, with conflict markers left for a person."""
    base = tmp_path / "base"
    base.write_bytes(_pool(_topic("T1", "路灯")))
    ours = tmp_path / "ours"
    ours.write_bytes(_canonical_pool(_topic("T1", "路灯"),
                                     _topic("T2", "堆物", 'tags = ["a"]\n')))
    theirs = tmp_path / "theirs"
    theirs.write_bytes(_canonical_pool(_topic("T1", "路灯"),
                                       _topic("T2", "电梯", 'tags = ["c"]\n')))
    with pytest.raises(Unmergeable) as why:
        merge_topics(base.read_bytes(), ours.read_bytes(), theirs.read_bytes())
    assert why.value.key == "merge.why.topics_invalid"
    result = run("merge-driver", str(base), str(ours), str(theirs), "meetings/topics.toml")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "无法逐条合并" in result.stderr and "不是有效的 topics.toml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "<<<<<<<" in ours.read_text(encoding="utf-8")
    # the same hand-edited topic on both sides: kept once, then refused by the schema
    same = _canonical_pool(_topic("T1", "路灯"), _topic("T2", "堆物", 'tags = ["a"]\n'))
    with pytest.raises(Unmergeable) as why:
        merge_topics(base.read_bytes(), same, same)
    assert why.value.key == "merge.why.topics_invalid"
    # an `into` that is no id
    odd = _canonical_pool(_topic("T1", "路灯", 'into = ["T2"]\n').replace('"open"', '"merged"'),
                          _topic("T2", "堆物"))
    with pytest.raises(Unmergeable) as why:
        merge_topics(base.read_bytes(), odd, _canonical_pool(_topic("T1", "路灯"),
                                                              _topic("T2", "电梯")))
    assert why.value.key == "merge.why.topics_invalid"


@pytest.mark.parametrize("text", ["电话138—1234—5678", "电话138–1234–5678",
                                  "电话138－1234－5678", "电话138　1234　5678"])
def test_add_refuses_a_phone_with_dashes_and_full_width_separators(run: Cli, text: str) -> None:
    run.refused("topic", "add", text, because="topics.phone_in_text")


def test_reject_refuses_a_phone_in_the_reason(run: Cli) -> None:
    collect(run)
    run.refused("topic", "reject", "T1", "--reason", "请致电13812345678",
                because="topics.phone_in_reason")
    assert topics(run)["topic"][0]["status"] == "open"


@pytest.mark.parametrize(("old", "new", "field"), [
    ('text = "小区东门路灯坏了"', 'text = "小区东门路灯坏了，电话138 1234 5678"', "内容"),
    ('from = "王阿姨"', 'from = "王阿姨13812345678"', "提出人"),
    ('status = "open"', 'status = "rejected"\nreason = "请致电0931-8888888"', "不予列入理由")])
def test_check_warns_of_a_phone_hand_edited_into_topics(run: Cli, old: str, new: str,
                                                        field: str) -> None:
    collect(run)
    path = run.folder / TOPICS_FILE
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = run("check")
    assert result.exit_code == 0, result.output  # a warning, as for a phone in a meeting file
    assert "T1" in result.output and field in result.output and "电话号码" in result.output
