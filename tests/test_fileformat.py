"""Format v1: what a file says, how the tool writes it, and what a broken file reports.

The writer is canonical so that `git diff` shows only what changed: any valid record set
dumps, loads back equal, and dumps to the same bytes again; every record is its own
`[[table]]` block whatever the length of its text; changing one field changes only that
field's line; Chinese stays Chinese.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from yiguan.meeting.check import check_file
from yiguan.record import fileformat, model
from yiguan.record.model import (
    Action,
    Amendment,
    Attendee,
    Conflict,
    Council,
    Item,
    Meeting,
    Member,
    Motion,
    Rules,
    Speech,
    Vote,
)
from yiguan.rules import engine as rules
from yiguan.text.errors import BrokenFile
from yiguan.text.safety import check_text

REPO = Path(__file__).resolve().parents[1]
BUNDLED = sorted((REPO / "meetings").glob("*.toml"))

# --- strategies for valid records ---------------------------------------------------------

# Characters that stress TOML quoting next to everyday Chinese: quotes, backslashes, the
# comment sign, brackets, an astral-plane character, full-width punctuation.
_TRICKY = "刘晓菊王芳建国社区议事会𠮷䶮 abcXYZ019\"'\\#=[]{}.,:：；“”·—-_$%&*"


def _texts(kind: str, max_size: int) -> st.SearchStrategy[str]:
    alphabet = st.one_of(
        st.sampled_from(_TRICKY),
        st.characters(blacklist_categories=("Cs", "Cc")),
        *([st.sampled_from("\n\t")] if kind == "text" else []),
    )
    return st.text(alphabet, min_size=1, max_size=max_size).filter(
        lambda s: check_text(s, kind) is None)


names = _texts("name", 8)
lines = _texts("line", 30)
texts = _texts("text", 60)
times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
dates = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))
counts = st.integers(0, 500)
positive = st.integers(1, 500)
ratios = st.tuples(st.integers(1, 9), st.integers(1, 9)).filter(lambda nd: nd[0] <= nd[1])


@st.composite
def rule_texts(draw: st.DrawFn, quorum: bool = False) -> str:
    num, den = draw(ratios)
    op = draw(st.sampled_from(rules.OPERATORS))
    assume(not (op == ">" and num == den))
    text = f"{op}{num}/{den}" + ("" if quorum else " " + draw(st.sampled_from(rules.BASES)))
    return rules.canonical(text, quorum=quorum)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


preset_names = st.text(st.sampled_from("abcxyz-_ 三分之二\"'#."), min_size=1, max_size=8)

rules_records = st.builds(
    Rules, quorum=rule_texts(quorum=True), pass_rule=rule_texts(),
    # the schema's bound, in days or working days (民法典 art. 204)
    notice_days=st.integers(1, 366) | st.integers(1, 366).map(lambda n: f"{n} workdays"),
    speech_minutes=counts, speeches_per_item=counts, second_required=st.booleans(),
    presets=st.dictionaries(preset_names, rule_texts(), max_size=3))


def _numbered(record_type: type, prefix: str, max_size: int = 4,
              **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    """A list of records with ids P1, P2, … (unique, as in a valid file)."""
    return st.lists(st.fixed_dictionaries(fields), max_size=max_size).map(
        lambda rows: [record_type(id=f"{prefix}{i}", **row) for i, row in enumerate(rows, 1)])


refs = st.builds(lambda n: f"M{n}", positive)
attendees = _numbered(Attendee, "P", name=names, role=st.sampled_from(["member", "guest"]),
                      arrived=times, left=optional(times), org=optional(lines))
items = st.lists(st.fixed_dictionaries({"title": lines, "by": optional(names),
                                        "note": optional(texts)}), max_size=3).map(
    lambda rows: [Item(id=i, **row) for i, row in enumerate(rows, 1)])
speeches = _numbered(Speech, "S", speaker=names, at=times, text=texts, item=optional(positive),
                     stance=optional(st.sampled_from(["for", "against", "neutral"])),
                     minutes=optional(positive))
motions = _numbered(Motion, "M", text=texts, by=names, at=times,
                    status=st.sampled_from(model.MOTION_STATES), item=optional(positive),
                    second=optional(names), rule=optional(rule_texts()))
amendments = _numbered(Amendment, "E", 2, motion=refs, by=names, at=times, previous=texts,
                       text=texts)
votes = _numbered(Vote, "V", 3, motion=refs, at=times, yes=counts, no=counts, abstain=counts,
                  present=counts, eligible=counts, not_voting=counts, rule=rule_texts(),
                  outcome=st.sampled_from(["adopted", "rejected"]),
                  recused=st.lists(names, max_size=3, unique=True),
                  reconsidered=optional(times))
actions = _numbered(Action, "A", 3, text=texts, owner=names, at=times, due=optional(dates),
                    motion=optional(refs), done=st.booleans(), note=optional(texts))
conflicts = _numbered(Conflict, "C", 1, record=lines, field=lines, ours=texts, theirs=texts,
                      base=optional(texts))

meetings = st.builds(
    Meeting, title=lines, date=dates, status=st.sampled_from(model.MEETING_STATES),
    time=optional(times), place=optional(lines), host=optional(names),
    recorder=optional(names), opened=optional(times), closed=optional(times),
    note=optional(texts), members=st.lists(names, max_size=5, unique=True),
    rules=rules_records, attendee=attendees, item=items, speech=speeches, motion=motions,
    amendment=amendments, vote=votes, action=actions, conflict=conflicts)

members = st.builds(Member, name=names, initials=st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True),
                    phone=optional(lines), note=optional(texts))
# the council's own rest days and working days: each date once, in one list only
calendars = st.lists(dates, max_size=6, unique=True).flatmap(
    lambda days: st.integers(0, len(days)).map(
        lambda cut: model.Calendar(holidays=days[:cut], workdays=days[cut:])))
councils = st.builds(Council, name=lines, rules=rules_records,
                     members=st.lists(members, max_size=5, unique_by=lambda m: m.name),
                     calendar=calendars)


def reload_meeting(text: str) -> Meeting:
    return fileformat.load_meeting(text.encode("utf-8"), "m.toml")


def reload_council(text: str) -> Council:
    return fileformat.load_council(text.encode("utf-8"), "council.toml")


# --- round trip ----------------------------------------------------------------------

@given(meeting=meetings)
def test_any_meeting_dumps_and_loads_back_equal(meeting: Meeting) -> None:
    text = fileformat.dump_meeting(meeting)
    assert reload_meeting(text) == meeting, text


@given(meeting=meetings)
def test_the_meeting_writer_is_a_fixed_point(meeting: Meeting) -> None:
    text = fileformat.dump_meeting(meeting)
    assert fileformat.dump_meeting(reload_meeting(text)) == text


@given(council=councils)
def test_any_council_round_trips_and_the_writer_is_a_fixed_point(council: Council) -> None:
    text = fileformat.dump_council(council)
    again = reload_council(text)
    assert again == council, text
    assert fileformat.dump_council(again) == text


@given(meeting=meetings)
def test_the_tool_never_mistakes_its_own_output_for_hand_written_comments(
        meeting: Meeting) -> None:
    """Otherwise every later write would warn that comments were dropped."""
    text = fileformat.dump_meeting(meeting)
    assert not fileformat.has_comments(text), text


@given(meeting=meetings)
def test_every_record_is_its_own_table_block(meeting: Meeting) -> None:
    text = fileformat.dump_meeting(meeting)
    headers = re.findall(r"^\[\[(\w+)\]\]$", text, re.MULTILINE)
    for record_type in model.KINDS.all:
        assert headers.count(record_type.TABLE) == len(
            model.records_of(meeting, record_type)), record_type.TABLE
        # never `speech = [{...}, ...]`, the inline form tomli-w picks for short arrays
        assert not re.search(rf"^{record_type.TABLE} = \[", text, re.MULTILINE)


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_bundled_files_are_fixed_points_of_load_and_dump(path: Path) -> None:
    data = path.read_bytes()
    if path.name == "council.toml":
        again = fileformat.dump_council(fileformat.load_council(data, str(path)))
    else:
        again = fileformat.dump_meeting(fileformat.load_meeting(data, str(path)))
    assert again.encode("utf-8") == data


def test_the_bundled_folder_has_a_council_and_a_meeting() -> None:
    assert {p.name for p in BUNDLED} >= {"council.toml", "2022-03-08.toml"}


# --- layout: small diffs ------------------------------------------------------------------

def _example() -> Meeting:
    return Meeting(
        title="五月居民议事会", date=dt.date(2024, 5, 10), status="open", opened="19:30",
        members=["刘晓菊", "刘艳", "王建国"],
        attendee=[Attendee(id=f"P{i}", name=n, role="member", arrived="19:20")
                  for i, n in enumerate(["刘晓菊", "刘艳", "王建国"], 1)],
        item=[Item(id=1, title="楼道堆物"), Item(id=2, title="小游园卫生")],
        speech=[Speech(id=f"S{i}", item=1, speaker="刘晓菊", at="19:40", text=f"第{i}次发言")
                for i in range(1, 4)],
    )


def _changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line[:2] in ("- ", "+ ")]


def test_one_long_note_never_changes_the_layout_of_other_records() -> None:
    meeting = _example()
    before = fileformat.dump_meeting(meeting)
    meeting.speech[1].text = "很长的发言要点，" * 40  # well past tomli-w's 100-character switch
    after = fileformat.dump_meeting(meeting)
    changed = _changed_lines(before, after)
    assert len(changed) == 2, changed
    assert changed[0].startswith('- text = "第2次发言"'), changed
    assert changed[1].startswith('+ text = "很长的发言要点'), changed
    assert after.count("[[speech]]") == 3 and after.count("[[attendee]]") == 3


@given(note=st.text(st.sampled_from("议事会小游园卫生，。 abc"), min_size=101, max_size=400))
def test_a_long_item_note_adds_one_line_and_nothing_else(note: str) -> None:
    assume(check_text(note, "text") is None)
    meeting = _example()
    before = fileformat.dump_meeting(meeting)
    meeting.item[0].note = note
    changed = _changed_lines(before, fileformat.dump_meeting(meeting))
    assert len(changed) == 1 and changed[0].startswith("+ note = "), changed


# (record attribute, TOML key, strategy for a new single-line value)
_SCALAR_FIELDS: dict[str, list[tuple[str, str, st.SearchStrategy[Any]]]] = {
    "attendee": [("name", "name", names), ("arrived", "arrived", times),
                 ("left", "left", times), ("org", "org", lines)],
    "item": [("title", "title", lines), ("by", "by", names)],
    "speech": [("speaker", "speaker", names), ("at", "at", times),
               ("stance", "stance", st.sampled_from(["for", "against", "neutral"])),
               ("minutes", "minutes", positive), ("item", "item", positive)],
    "motion": [("by", "by", names), ("second", "second", names), ("at", "at", times),
               ("status", "status", st.sampled_from(model.MOTION_STATES)),
               ("rule", "rule", rule_texts())],
    "vote": [("yes", "yes", counts), ("no", "no", counts), ("abstain", "abstain", counts),
             ("present", "present", counts), ("rule", "rule", rule_texts()),
             ("outcome", "outcome", st.sampled_from(["adopted", "rejected"]))],
    "action": [("owner", "owner", names), ("due", "due", dates), ("done", "done", st.booleans()),
               ("at", "at", times)],
}


@given(meeting=meetings, data=st.data())
def test_changing_one_field_changes_only_that_fields_line(meeting: Meeting,
                                                          data: st.DataObject) -> None:
    choices = [(table, index, field) for table, fields in _SCALAR_FIELDS.items()
               for index in range(len(getattr(meeting, table))) for field in fields]
    assume(choices)
    table, index, (attr, key, values) = data.draw(st.sampled_from(choices))
    record = getattr(meeting, table)[index]
    old = getattr(record, attr)
    new = data.draw(values)
    assume(new != old)
    before = fileformat.dump_meeting(meeting)
    setattr(record, attr, new)
    after = fileformat.dump_meeting(meeting)
    changed = _changed_lines(before, after)
    assert changed, "the change must show"
    assert all(line[2:].startswith(f"{key} = ") for line in changed), changed
    assert sum(line.startswith("+ ") for line in changed) == 1, changed
    assert sum(line.startswith("- ") for line in changed) == (0 if old is None else 1), changed


def test_a_changed_vote_count_is_a_one_line_diff_in_the_bundled_meeting() -> None:
    path = REPO / "meetings" / "2022-03-08.toml"
    before = path.read_text(encoding="utf-8")
    meeting = fileformat.load_meeting(before.encode(), str(path))
    meeting.vote[1].abstain = 2
    changed = _changed_lines(before, fileformat.dump_meeting(meeting))
    assert changed == ["- abstain = 1", "+ abstain = 2"], changed


def test_chinese_is_written_as_utf8_not_escaped() -> None:
    meeting = _example()
    meeting.note = "记录人补记：𠮷、䶮 两字为生僻字"
    text = fileformat.dump_meeting(meeting)
    assert 'title = "五月居民议事会"' in text
    assert '"刘晓菊"' in text
    assert "𠮷、䶮" in text
    assert "\\u" not in text and "\\U" not in text


def test_multi_line_text_is_written_as_a_multi_line_string() -> None:
    meeting = _example()
    meeting.speech[0].text = "第一点：饮水机。\n第二点：打扫卫生。"
    text = fileformat.dump_meeting(meeting)
    assert '"""\n第一点：饮水机。\n第二点：打扫卫生。"""' in text, text
    assert reload_meeting(text) == meeting


def test_the_file_starts_with_the_format_version_and_the_meeting_keys_in_order() -> None:
    top = fileformat.dump_meeting(_example()).split("\n\n")[0]
    keys = [line.split(" = ")[0] for line in top.splitlines() if " = " in line
            and not line.startswith(" ")]
    assert keys == ["format", "title", "date", "status", "opened", "members"], top


# --- broken files ----------------------------------------------------------------------

_GOOD = 'format = 1\ntitle = "会"\ndate = 2024-05-10\nstatus = "open"\nopened = "19:30"\n'
_RULES = fileformat.dump_meeting(Meeting(title="x", date=dt.date(2024, 5, 10))).split(
    "\n\n", 1)[1]


@pytest.mark.parametrize(("text", "line"), [
    ('format = 1\ntitle = "会"\ndate = 2024-05-10\nstatus = = "open"\n', 4),
    ('format = 1\ntitle = "会\ndate = 2024-05-10\n', 2),
    ("format = 1\n[[speech]\nid = 'S1'\n", 2),
    ('format = 1\ntitle = "会"\ntitle = "又一个"\n', 3),
    ('format = 1\ntitle = """未写完的多行\n文字\n', 4),
], ids=["double equals", "unterminated string", "bad table header", "duplicate key",
        "unterminated at end of file"])
def test_a_syntax_error_names_file_line_and_column(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "2024-05-10.toml"
    path.write_text(text, encoding="utf-8")
    problems = check_file(path)
    assert len(problems) == 1, [p.render() for p in problems]
    rendered = problems[0].render("zh")
    assert re.match(rf"^{re.escape(str(path))}:{line}:\d+: TOML 语法错误：", rendered), rendered


def test_loading_a_broken_file_raises_with_the_position() -> None:
    with pytest.raises(BrokenFile) as caught:
        fileformat.load_meeting(b'format = 1\ntitle = "x"\nstatus = = 1\n', "meetings/x.toml")
    assert caught.value.message("zh").startswith("meetings/x.toml:3:"), caught.value.message()


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "2024-05-10.toml"
    path.write_bytes(b'format = 1\ntitle = "' + "五月".encode("gbk") + b'"\n')
    problems = check_file(path)
    assert [p.render("zh") for p in problems] == [f"{path}:2: 文件不是 UTF-8 编码"]


def test_a_byte_order_mark_is_tolerated() -> None:
    text = fileformat.dump_meeting(_example())
    again = fileformat.load_meeting(b"\xef\xbb\xbf" + text.encode(), "m.toml")
    assert again == _example()


def _schema_lines(path: Path) -> list[str]:
    return [p.render("zh") for p in check_file(path)]


@pytest.mark.parametrize(("edit", "where", "words"), [
    (('status = "open"', 'status = "opne"'), "status", "应为以下之一"),
    (('date = 2024-05-10', 'date = "2024-05-10"'), "date", "应为日期"),
    (('opened = "19:30"', 'opened = "7.30pm"'), "opened", "HH:MM"),
    (('title = "会"\n', 'title = "会"\nchair = "王丽娟"\n'), "chair", "未知字段"),
    (('title = "会"\n', ''), "title", "缺少必填项 title"),
    (('format = 1', 'format = 2'), "format", "格式版本 2"),
], ids=["bad choice", "quoted date", "bad time", "unknown key", "missing key", "future format"])
def test_a_schema_problem_names_file_and_key_path(tmp_path: Path, edit: tuple[str, str],
                                                  where: str, words: str) -> None:
    path = tmp_path / "2024-05-10.toml"
    path.write_text((_GOOD + "\n" + _RULES).replace(*edit), encoding="utf-8")
    found = _schema_lines(path)
    assert len(found) == 1, found
    assert found[0].startswith(f"{path}: {where}: "), found
    assert words in found[0], found


def test_every_schema_problem_is_listed_not_just_the_first(tmp_path: Path) -> None:
    records = (
        '\n[[speech]]\nid = "S1"\nspeaker = "刘晓菊"\nat = "36:00"\ntext = "x"\n'
        '\n[[motion]]\nid = "X1"\ntext = "y"\nby = "刘艳"\nat = "19:40"\nstatus = "pending"\n'
        '\n[[vote]]\nid = "V1"\nmotion = "M1"\nat = "19:50"\nyes = -1\nno = 0\nabstain = 0\n'
        'present = 3\neligible = 3\nnot_voting = 3\nrule = "过半数"\noutcome = "adopted"\n'
    )
    path = tmp_path / "2024-05-10.toml"
    path.write_text(_GOOD.replace('"open"', '"opne"') + "\n" + _RULES + records,
                    encoding="utf-8")
    found = _schema_lines(path)
    wheres = [line.split(": ")[1] for line in found]
    assert wheres == ["status", "speech[0].at", "motion[0].id", "vote[0].yes",
                      "vote[0].rule"], found
    assert all(line.startswith(f"{path}: ") for line in found)


def test_a_rule_must_be_stored_in_canonical_form(tmp_path: Path) -> None:
    path = tmp_path / "2024-05-10.toml"
    path.write_text(_GOOD + "\n" + _RULES.replace('pass = ">1/2 present"',
                                                  'pass = "到会人员过半数"'), encoding="utf-8")
    found = _schema_lines(path)
    assert found == [f"{path}: rules.pass: 规则应写作标准形式「>1/2 present」"], found


def test_duplicate_ids_and_members_are_schema_problems(tmp_path: Path) -> None:
    path = tmp_path / "council.toml"
    text = fileformat.dump_council(Council(name="议事会", members=[
        Member(name="刘晓菊", initials="lxj"), Member(name="刘艳", initials="ly")]))
    path.write_text(text.replace('name = "刘艳"', 'name = "刘晓菊"'), encoding="utf-8")
    assert _schema_lines(path) == [f"{path}: member: 成员「刘晓菊」重复"]


def _break_status_line(path: Path) -> int:
    """Turn `status = "planned"` into a syntax error; return its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('status = "planned"', 'status = = "planned"'), encoding="utf-8")
    return text.splitlines().index('status = "planned"') + 1


def test_a_broken_file_stops_a_command_with_one_line_naming_file_and_line(run: Any,
                                                                          planned: str) -> None:
    path = run.meeting_path()
    line = _break_status_line(path)
    for command in (["show", "-m", planned], ["sign", "lxj", "--at", "19:00", "-m", planned],
                    ["agenda", "list", "-m", planned]):
        result = run.refused(*command)
        assert re.match(rf"^yiguan: 错误：{re.escape(str(path))}:{line}:\d+: ", result.stderr), \
            (command, result.stderr)


def test_without_m_a_broken_meeting_file_is_named_not_passed_over(run: Any, planned: str) -> None:
    """The only meeting is broken: the secretary must learn which file and line, not be
    told that no meeting is open or planned."""
    path = run.meeting_path()
    line = _break_status_line(path)
    result = run.refused("sign", "lxj", "--at", "19:00")
    assert f"{path}:{line}:" in result.stderr, result.stderr
