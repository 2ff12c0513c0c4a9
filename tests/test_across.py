"""Across meetings: the resolution ledger, actions, attendance — and several councils.

A street office reads many councils' folders the same way; a 书记 asks at year end which
promises are still open. The answers must agree with the meeting files (the same numbers
the minutes show), come out the same in every format, and never leak private data.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from yiguan.record import fileformat
from yiguan.text.messages import t


def records(run, *args: str) -> list[dict]:
    return json.loads(run.ok(*args, "--format", "json").stdout)


def test_the_ledger_lists_every_resolution_with_its_vote_and_actions(seed):
    ledger = records(seed, "ledger")
    assert [r["id"] for r in ledger] == ["2022-03-08/R1", "2022-03-08/R2", "2022-03-08/R3",
                                         "2022-04-12/R1"]
    first = ledger[0]
    assert (first["yes"], first["no"], first["abstain"]) == (14, 0, 1)
    assert first["actions"][0]["id"] == "2022-03-08/A1"
    assert first["actions"][0]["owner"] == "刘晓菊"
    assert first["council"] == "幸福里社区居民议事会"


def test_the_ledger_agrees_with_the_meeting_files(seed):
    meeting = fileformat.load_meeting((seed.folder / "2022-03-08.toml").read_bytes(), "m")
    expected = [(f"2022-03-08/{r}", m.text) for r, m, _ in meeting.resolutions()]
    got = [(r["id"], r["text"]) for r in records(seed, "ledger", "--until", "2022-03-31")]
    assert got == expected


def test_since_and_until_are_inclusive(seed):
    assert [r["meeting"] for r in records(seed, "ledger", "--since", "2022-04-12")] == [
        "2022-04-12"]
    assert {r["meeting"] for r in records(seed, "ledger", "--until", "2022-03-08")} == {
        "2022-03-08"}


def test_csv_opens_in_a_spreadsheet_with_chinese_intact(seed):
    raw = seed.ok("ledger", "--format", "csv").stdout_bytes
    assert raw.startswith("\ufeff".encode())  # the BOM Excel and WPS need
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["编号"] == "2022-03-08/R1"
    assert rows[0]["会议名称"] == "幸而有你居民议事会"
    assert rows[0]["赞成"] == "14"


def test_markdown_is_a_table_with_one_row_per_resolution(seed):
    text = seed.ok("ledger", "--format", "md").stdout
    lines = [line for line in text.splitlines() if line.startswith("|")]
    assert len(lines) == 2 + 4  # header, rule, four resolutions
    assert len({line.count(" | ") for line in lines[2:]}) == 1


def test_actions_filter_open_overdue_and_owner(seed):
    seed.ok("done", "2022-03-08/A1", "--note", "已购置")
    all_actions = records(seed, "actions")
    assert len(all_actions) == 4
    open_ids = [r["id"] for r in records(seed, "actions", "--open")]
    assert "2022-03-08/A1" not in open_ids and len(open_ids) == 3
    # on 04-16: A2 (due 04-15) and A3 (due 03-20) are late; April's A1 (due 04-20) is not
    overdue = {r["id"] for r in records(seed, "actions", "--overdue", "--on", "2022-04-16")}
    assert overdue == {"2022-03-08/A2", "2022-03-08/A3"}
    due_day = {r["id"] for r in records(seed, "actions", "--overdue", "--on", "2022-04-15")}
    assert due_day == {"2022-03-08/A3"}  # the due day itself is not late
    later = {r["id"] for r in records(seed, "actions", "--overdue", "--on", "2022-04-21")}
    assert later == {"2022-03-08/A2", "2022-03-08/A3", "2022-04-12/A1"}
    mine = records(seed, "actions", "--owner", "ly")
    assert [r["owner"] for r in mine] == ["刘艳"]


def test_an_unknown_owner_is_an_error_not_an_empty_list(seed):
    seed.refused("actions", "--owner", "路人甲", because="names.unknown", query="路人甲")


def test_done_with_a_meeting_prefix_changes_that_meeting_only(seed):
    before = (seed.folder / "2022-04-12.toml").read_bytes()
    seed.ok("done", "2022-03-08/A2", "--note", "细则已公布")
    meeting = fileformat.load_meeting((seed.folder / "2022-03-08.toml").read_bytes(), "m")
    assert meeting.get_action("A2").done and meeting.get_action("A2").note == "细则已公布"
    assert (seed.folder / "2022-04-12.toml").read_bytes() == before
    seed.ok("undo")
    meeting = fileformat.load_meeting((seed.folder / "2022-03-08.toml").read_bytes(), "m")
    assert not meeting.get_action("A2").done


def test_attendance_counts_meetings_held_while_on_the_roster(seed):
    rows = {r["name"]: r for r in records(seed, "attendance")}
    assert (rows["刘晓菊"]["attended"], rows["刘晓菊"]["held"]) == (2, 2)
    assert rows["刘晓菊"]["last_attended"] == "2022-04-12"
    assert (rows["孙德明"]["attended"], rows["孙德明"]["held"]) == (0, 2)
    assert rows["孙德明"]["rate"] == 0 and rows["孙德明"]["last_attended"] is None
    assert rows["杨树林"]["attended"] == 1  # absent in March, present in April
    assert list(rows)[:3] == ["刘晓菊", "刘艳", "王建国"]  # roster order


def test_a_member_who_joined_later_is_not_counted_absent_before(seed):
    seed.ok("member", "add", "钱七")
    seed.ok("new", "五月居民议事会", "--date", "2022-05-10")
    seed.ok("sign", "钱七", "lxj", "ly", "wjg", "zgl", "lxy", "csz", "zzq", "mym", "zhx",
            "--at", "19:00")
    seed.ok("open", "--at", "19:05")
    rows = {r["name"]: r for r in records(seed, "attendance")}
    assert (rows["钱七"]["attended"], rows["钱七"]["held"]) == (1, 1)


def test_a_planned_meeting_is_not_held(seed):
    seed.ok("new", "六月居民议事会", "--date", "2022-06-10")
    rows = {r["name"]: r for r in records(seed, "attendance")}
    assert rows["刘晓菊"]["held"] == 2


# --- issue 18: 请假 apart from 缺席, 迟到 and 早退 --------------------------------------------

@pytest.fixture
def year(run):
    """Three closed meetings of the seven-member council, each step typed as on the day.

    June: 李秀英 excused (出差); 赵志强 signs in after the opening, and so does a guest from
    the 物业; 王建国 leaves for good before the close; 张桂兰 steps out and comes back.
    July: 赵志强 excused; everyone else there, 刘艳 leaving at the close itself.
    August: 陈淑珍 excused, but she comes after all (after the opening); 李秀英 stays away
    without leave.
    """
    run.ok("new", "六月居民议事会", "--date", "2024-06-04", "--time", "19:30")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "csz", "--at", "19:20")
    run.ok("excuse", "lxy", "--reason", "出差")
    run.ok("open", "--at", "19:30")
    run.ok("sign", "zzq", "--at", "19:45")
    run.ok("sign", "物业王经理", "--guest", "--org", "物业公司", "--at", "19:50")
    run.ok("leave", "wjg", "--at", "20:00")
    run.ok("leave", "zgl", "--at", "20:05")
    run.ok("sign", "zgl", "--at", "20:10")
    run.ok("close", "--at", "20:30")

    run.ok("new", "七月居民议事会", "--date", "2024-07-02", "--time", "19:30")
    run.ok("excuse", "zzq")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "lxy", "csz", "--at", "19:25")
    run.ok("open", "--at", "19:30")
    run.ok("leave", "ly", "--at", "20:30")
    run.ok("close", "--at", "20:30")

    run.ok("new", "八月居民议事会", "--date", "2024-08-06", "--time", "19:30")
    run.ok("excuse", "csz", "--reason", "生病")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "zzq", "--at", "19:25")
    run.ok("open", "--at", "19:30")
    run.ok("sign", "csz", "--at", "19:40")
    run.ok("close", "--at", "20:00")
    return run


def counts(run, *args: str) -> dict[str, tuple]:
    """name → (held, attended, excused, absent, late, left_early, rate) from the JSON."""
    return {r["name"]: (r["held"], r["attended"], r["excused"], r["absent"], r["late"],
                        r["left_early"], r["rate"])
            for r in records(run, "attendance", *args)}


def test_excused_is_counted_apart_from_absent(year):
    rows = counts(year)
    # excused in June, there in July, away without leave in August
    assert rows["李秀英"] == (3, 1, 1, 1, 0, 0, 0.3333)
    # excused in July; late in June
    assert rows["赵志强"] == (3, 2, 1, 0, 1, 0, 0.6667)
    assert rows["刘晓菊"] == (3, 3, 0, 0, 0, 0, 1.0)


def test_an_excused_member_who_came_after_all_attended(year):
    # excused for August, then signed in after the opening: attended, late, not excused
    assert counts(year)["陈淑珍"] == (3, 3, 0, 0, 1, 0, 1.0)


def test_left_early_is_leaving_before_the_close_without_coming_back(year):
    rows = counts(year)
    assert rows["王建国"][5] == 1  # left in June and did not come back
    assert rows["张桂兰"][5] == 0  # stepped out in June and came back
    assert rows["刘艳"][5] == 0  # left in July at the close itself: stayed to the end


def test_guests_are_never_late_and_never_counted(year):
    rows = counts(year)
    assert "物业王经理" not in rows
    assert sum(row[4] for row in rows.values()) == 2  # 赵志强 in June, 陈淑珍 in August


def test_the_rate_is_attended_over_expected_so_excused_lowers_it(year):
    """出席率 = 实到 ÷ 应到, as the minutes say it: the excused meeting counts against it."""
    for row in records(year, "attendance"):
        assert row["held"] == row["attended"] + row["excused"] + row["absent"]
        assert row["rate"] == round(row["attended"] / row["held"], 4)
    june = year.ok("minutes", "-m", "2024-06-04").stdout
    assert "应到 7 人，实到 6 人，出席率 85.7%" in june  # 李秀英 excused: not 6 of 6


def test_a_member_who_left_a_meeting_still_open_has_not_left_early(year):
    year.ok("new", "九月居民议事会", "--date", "2024-09-03", "--time", "19:30")
    year.ok("sign", "lxj", "ly", "wjg", "zgl", "csz", "zzq", "--at", "19:25")
    year.ok("open", "--at", "19:30")
    year.ok("leave", "lxj", "--at", "19:50")
    rows = counts(year)
    assert rows["刘晓菊"] == (4, 4, 0, 0, 0, 0, 1.0)
    assert rows["李秀英"] == (4, 1, 1, 2, 0, 0, 0.25)  # not signed in yet: 缺席 until then
    year.ok("close", "--at", "20:00")
    assert counts(year)["刘晓菊"][5] == 1


def test_since_counts_only_the_meetings_from_that_day(year):
    assert counts(year, "--since", "2024-07-01")["李秀英"] == (2, 1, 0, 1, 0, 0, 0.5)


def test_the_table_and_csv_show_excused_absent_late_and_left_early(year):
    table = year.ok("attendance").stdout.splitlines()
    assert table[0].split() == ["姓名", "出席/应出席", "请假", "缺席", "迟到", "早退", "出席率",
                                "最近出席"]
    assert next(line for line in table if line.startswith("李秀英")).split() == [
        "李秀英", "1/3", "1", "1", "0", "0", "33%", "2024-07-02"]
    english = year.ok("attendance", env={"YIGUAN_LANG": "en"}).stdout.splitlines()
    for word in ("Excused", "Absent", "Late", "Left early"):
        assert word in english[0]
    raw = year.ok("attendance", "--format", "csv").stdout_bytes.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    zhao = next(row for row in rows if row["姓名"] == "赵志强")
    assert (zhao["应出席"], zhao["出席"], zhao["请假"], zhao["缺席"], zhao["迟到"],
            zhao["早退"], zhao["出席率"]) == ("3", "2", "1", "0", "1", "0", "66.67%")
    markdown = year.ok("attendance", "--format", "md").stdout
    assert "| 李秀英 | 1/3 | 1 | 1 | 0 | 0 | 33% | 2024-07-02 |" in markdown


def test_the_help_says_whether_excused_lowers_the_rate(run):
    import os
    import subprocess
    import sys

    chinese = "".join(run.ok("attendance", "--help").stdout.split())  # as wrapped, unwrapped
    assert "出席率＝出席÷应出席：请假计为未出席，会降低出席率" in chinese
    # the help's language is chosen as the process starts: English in a process of its own
    english = subprocess.run([sys.executable, "-m", "yiguan", "attendance", "--help"],
                             capture_output=True, check=True, timeout=60,
                             env={**os.environ, "YIGUAN_LANG": "en"}).stdout.decode()
    assert "being excused lowers the rate" in " ".join(english.split())


def test_attendance_counts_each_meeting_as_its_minutes_do(year):
    """The index counts in one pass what render/facts (the minutes) finds: the same people
    attended, were excused, came late (members only) and left for good before the close
    — in the year's meetings and in every golden meeting file."""
    from yiguan.render import facts
    from yiguan.store.index import summarize

    golden = Path(__file__).resolve().parent / "golden"
    files = [*year.folder.glob("2024-*.toml"), *golden.glob("*.toml")]
    assert len(files) == 3 + 8
    for path in files:
        meeting = fileformat.load_meeting(path.read_bytes(), str(path))
        members, attended, excused, late, left = summarize("m", meeting)["attendance"]
        people = facts.attendance(meeting)
        voting = set(meeting.members)
        assert members == tuple(meeting.members), path
        assert attended == tuple(people.attended), path
        assert excused == tuple(name for name, _ in people.excused), path
        assert set(late) == {name for name, _ in facts.late_arrivals(meeting)
                             if name in voting}, path
        assert set(left) == {person.name for person in people.departures
                             if meeting.closed and person.name in voting
                             and person.times[-1][1] is None}, path


def test_an_index_from_before_the_excused_counts_is_rebuilt(year):
    """A cache written by a yiguan before issue 18 holds (roster, attended) per meeting:
    its version differs, so it is built again rather than misread."""
    import sqlite3

    from yiguan.store import index

    truth = year.ok("attendance", "--format", "json").stdout
    path = year.folder / ".yiguan" / "index.sqlite"
    old_version = "3/" + index._CACHE_VERSION.split("/", 1)[1]
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (old_version,))
        for meeting_id, *stamp, blob in db.execute(
                "SELECT id, mtime_ns, size, inode, attendance FROM meeting").fetchall():
            key = index._key(meeting_id, tuple(stamp))
            head, value = index._open(key, "attendance", blob)
            db.execute("UPDATE meeting SET attendance = ? WHERE id = ?",
                       (index._seal(key, "attendance", (head, value[:2])), meeting_id))
        db.execute("DELETE FROM snapshot")
    assert year.ok("attendance", "--format", "json").stdout == truth


def test_several_councils_at_once_carry_the_council_in_their_ids(seed, tmp_path, cli_for):
    other = tmp_path / "tianqing"
    cli = cli_for(other)
    cli.ok("init", "--name", "天庆新城居民议事会")
    for name in ("甲一", "乙二", "丙三"):
        cli.ok("member", "add", name)
    cli.ok("new", "天庆议事会", "--date", "2022-03-20")
    cli.ok("sign", "甲一", "乙二", "--at", "19:00")
    cli.ok("open", "--at", "19:00")
    cli.ok("propose", "增设快递柜", "--by", "甲一", "--second", "乙二", "--at", "19:10")
    cli.ok("vote", "M1", "--yes", "2", "--no", "0", "--at", "19:15")
    result = seed("--dir", str(other), "ledger", "--format", "json")
    assert result.exit_code == 0, result.output
    ids = [r["id"] for r in json.loads(result.stdout)]
    assert "天庆新城居民议事会/2022-03-20/R1" in ids
    assert "幸福里社区居民议事会/2022-03-08/R1" in ids
    table = seed("--dir", str(other), "attendance")
    assert "天庆新城居民议事会" in table.stdout


def test_single_council_commands_refuse_several_folders(seed, tmp_path):
    result = seed("--dir", str(tmp_path), "status")
    assert result.exit_code == 1 and "--dir" in result.stderr


def test_an_unreadable_meeting_is_named_and_left_out(seed):
    (seed.folder / "2022-05-01.toml").write_text("format = 1\ntitle = [\n", "utf-8")
    result = seed("ledger")
    assert result.exit_code == 0, result.output
    assert "2022-05-01.toml" in result.stderr
    assert "2022-03-08/R1" in result.stdout


def test_exports_never_contain_private_roster_data(seed):
    council = seed.folder / "council.toml"
    text = council.read_text("utf-8").replace(
        'initials = "lxj"', 'initials = "lxj"\nphone = "13800001111"\nnote = "腿脚不便"')
    council.write_text(text, "utf-8")
    for command in ("ledger", "actions", "attendance"):
        for fmt in ("table", "md", "csv", "json"):
            out = seed.ok(command, "--format", fmt).stdout
            assert "13800001111" not in out and "腿脚不便" not in out, (command, fmt)


def test_list_shows_meetings_newest_first_from_the_index(seed):
    out = seed.ok("list").stdout
    assert out.index("2022-04-12") < out.index("2022-03-08")
    assert (seed.folder / ".yiguan" / "index.sqlite").exists()


def test_into_a_pipe_each_record_stays_on_one_line_and_on_a_terminal_it_folds(seed):
    piped = seed.ok("ledger").stdout.splitlines()
    assert len(piped) == 2 + 4  # header, rule, one line per resolution
    assert any("社区活动场地使用规则" in line and "2022-03-08/R1" in line for line in piped)
    folded = seed.ok("ledger", env={"COLUMNS": "60"}).stdout.splitlines()
    assert len(folded) > len(piped)
    assert all(len(line) <= 60 for line in folded)


# --- #11: CSV cells a spreadsheet would run as formulas -----------------------------------

DANGEROUS = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+cmd|'/C calc'!A0", "-2+3",
             "@SUM(1+1)*cmd|'/C calc'!A0", "\t=1+1"]


@pytest.fixture
def hostile(tmp_path: Path, cli_for):
    """A council whose texts, names and titles start like spreadsheet formulas."""
    run = cli_for(tmp_path / "hostile")
    run.ok("init", "--name", "=议事会")
    run.ok("member", "add", "@张三", "--initials", "zs")
    run.ok("member", "add", "李四", "--initials", "ls")
    run.ok("member", "add", "王五", "--initials", "ww")
    run.ok("new", "+月度议事会", "--date", "2024-05-10")
    run.ok("sign", "zs", "ls", "ww", "--at", "19:00")
    run.ok("open", "--at", "19:00")
    for n, text in enumerate(DANGEROUS, 1):
        at = f"19:{10 + n:02d}"
        run.ok("propose", "--by", "ls", "--second", "ww", "--at", at, "--", text)
        run.ok("vote", f"M{n}", "--yes", "3", "--no", "0", "--at", at)
        run.ok("action", "--owner", "zs", "--motion", f"M{n}", "--at", at, "--due",
               "2024-06-01", "--", text)
    return run


@pytest.mark.parametrize("command", ["ledger", "actions", "attendance"])
def test_no_csv_cell_starts_like_a_formula(hostile, command):
    """#11: cells such as `=HYPERLINK(…)`, `+cmd|'/C calc'!A0`, `@SUM(…)` reached Excel
    and WPS unescaped. Every cell that starts with = + - @, a tab or CR gets a `'`."""
    raw = hostile.ok(command, "--format", "csv").stdout_bytes.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw)))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    if command != "attendance":
        texts = {row[rows[0].index(t(f"csv.{command}.text"))] for row in rows[1:]}
        assert texts == {"'" + text.strip() for text in DANGEROUS}
    councils = {row[0] for row in rows[1:]}
    assert councils == {"'=议事会"}


def test_json_keeps_the_text_exactly(hostile):
    texts = [r["text"] for r in records(hostile, "ledger")]
    assert texts == [text.strip() for text in DANGEROUS]


# --- one record per line, the same records in every format -----------------------------------

def test_json_is_one_record_per_line(seed):
    text = seed.ok("ledger", "--format", "json").stdout
    lines = text.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 2 + 4
    for line in lines[1:-1]:
        assert json.loads(line.strip().rstrip(",")) ["council"] == "幸福里社区居民议事会"
    assert seed.ok("ledger", "--since", "2030-01-01", "--format", "json").stdout == "[]\n"


def _csv_keys(kind: str) -> list[str]:
    """The CSV's columns: the JSON's keys; a ledger's evaluation columns only when a
    resolution has been evaluated (none here: tests/test_cycle.py has them)."""
    from yiguan.render.reports import EVALUATION_KEYS, KEYS

    return [key for key in KEYS[kind] if kind != "ledger" or key not in EVALUATION_KEYS]


def _csv_as_json_would_say(kind: str, record: dict, lang: str) -> list[str]:
    """One JSON record as the CSV for people says it (tests/test_csv_for_people.py):
    built from the catalogue and the rules engine's words directly, through the csv
    module's quoting and the formula guard."""
    from yiguan.render.reports import csv_cell
    from yiguan.rules.engine import parse_threshold
    from yiguan.rules.words import rule_words

    yes, no = t("csv.yes", lang=lang), t("csv.no", lang=lang)
    state = {True: t("action.done", lang=lang), False: t("action.open", lang=lang)}
    cells = []
    for key in _csv_keys(kind):
        value = record[key]
        if isinstance(value, bool):
            value = yes if value else no
        elif key == "rule":
            value = rule_words(parse_threshold(value), lang)
        elif key == "rate" and value is not None:
            value = f"{round(value * 100, 2):g}%"
        elif key == "actions":
            value = t("csv.separator", lang=lang).join(
                f"{a['id']} {a['owner']} {state[a['done']]}" for a in value)
        cell = csv_cell(value)
        cells.append(next(csv.reader([cell])) [0] if cell else "")
    return cells


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", ["ledger", "actions", "attendance"])
@pytest.mark.parametrize("dirs", [1, 2])
def test_json_and_csv_say_the_same_records(seed, hostile, command, dirs, lang):
    """The fast JSON and CSV writers against json.dumps and the csv module; the CSV in
    the interface language, the JSON the same in both."""

    run = seed if dirs == 1 else seed.__class__(hostile.folder)
    extra = [] if dirs == 1 else ["--dir", str(seed.folder)]
    argv = [*extra, command]
    as_json = json.loads(run.ok(*argv, "--format", "json").stdout)
    text = run.ok(*argv, "--format", "json").stdout
    assert text == ("[\n  " + ",\n  ".join(json.dumps(r, ensure_ascii=False) for r in as_json)
                    + "\n]\n")
    assert run.ok(*argv, "--format", "json", env={"YIGUAN_LANG": lang}).stdout == text
    raw = run.ok(*argv, "--format", "csv", env={"YIGUAN_LANG": lang}).stdout_bytes
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [t(f"csv.{command}.{key}", lang=lang) for key in _csv_keys(command)]
    assert rows[1:] == [_csv_as_json_would_say(command, r, lang) for r in as_json]
