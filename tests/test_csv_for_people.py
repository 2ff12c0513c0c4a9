"""CSV for people, JSON for programs (issue 12).

A 社区 office opens `--format csv` in WPS or Excel: its headers and values are in the
interface language — 姓名、应出席、出席率; 是/否; a rule in the words the minutes use —
Chinese by default, English with YIGUAN_LANG=en. `--format json` is for scripts: the same
stable English keys and codes in every language. The goldens are two councils read at
once, as a street office reads them: the bundled 幸福里 with two more meetings, and 春晖
(tests/golden/procedure.toml: recusal, the two-thirds and 南塘 rules, an action done with a
note, one without a due date).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import check_golden

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
KINDS = ("ledger", "actions", "attendance")
# `actions` asks about a fixed day, so that `overdue` does not move with the calendar
QUESTION = {"ledger": ["ledger"], "actions": ["actions", "--on", "2024-03-20"],
            "attendance": ["attendance"]}

# The JSON's keys, written out: a script that reads them must never see them change.
JSON_KEYS = {
    "ledger": ["council", "id", "meeting", "date", "title", "resolution", "motion", "text",
               "yes", "no", "abstain", "rule", "actions", "evaluated", "evaluated_how",
               "satisfied", "basic", "unsatisfied", "satisfaction"],
    "actions": ["council", "id", "meeting", "date", "title", "text", "owner", "due", "done",
                "overdue", "note", "motion"],
    "attendance": ["council", "name", "held", "attended", "rate", "last_attended", "excused",
                   "absent", "late", "left_early"],
}
LINKED_ACTION_KEYS = ["id", "text", "owner", "due", "done"]


@pytest.fixture
def street(seed, tmp_path: Path, cli_for):
    """`run` on 幸福里 with `--dir` 春晖 added: two councils, four meetings."""
    run = seed
    run.ok("done", "2022-03-08/A1", "--note", "3月20日已购置，各团队集资 600 元")
    run.ok("new", "五月居民议事会", "--date", "2022-05-10", "--host", "王丽娟")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "lxy", "csz", "zzq", "mym", "zhx", "ysl",
           "--at", "19:00")
    run.ok("open", "--at", "19:05")
    run.ok("close", "--at", "19:30")

    chunhui = tmp_path / "chunhui"
    other = cli_for(chunhui)
    other.ok("init", "--name", "春晖社区居民议事会")
    for name, initials in [("曾凡荣", "zfr"), ("单玉华", "syh"), ("区志坚", "ozj"),
                           ("仇晓东", "qxd"), ("覃美玲", "qml"), ("翟海涛", "zht"),
                           ("尉迟敏", "ycm"), ("查建英", "zjy"), ("朴正熙", "pzx"),
                           ("解放", "xf")]:
        other.ok("member", "add", name, "--initials", initials)
    shutil.copy(GOLDEN / "procedure.toml", chunhui / "2024-02-29.toml")

    class Street:
        def __call__(self, kind: str, fmt: str, lang: str = "zh"):
            env = {"YIGUAN_LANG": lang}
            return run.ok("--dir", str(chunhui), *QUESTION[kind], "--format", fmt, env=env)

    return Street()


def read_csv(raw: bytes) -> list[list[str]]:
    assert raw.startswith("\ufeff".encode()), "the BOM Excel and WPS need"
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline="")))


# --- the goldens ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_csv_golden(street, kind: str, lang: str) -> None:
    check_golden(GOLDEN / f"street.{kind}.{lang}.csv", street(kind, "csv", lang).stdout_bytes)


# --- what a person sees in the spreadsheet ------------------------------------------------

def test_the_attendance_sheet_reads_in_chinese(street) -> None:
    rows = read_csv(street("attendance", "csv").stdout_bytes)
    assert rows[0] == ["议事会", "姓名", "应出席", "出席", "出席率", "最近出席", "请假", "缺席",
                       "迟到", "早退"]
    liu = next(row for row in rows if row[1] == "刘晓菊")
    assert liu == ["幸福里社区居民议事会", "刘晓菊", "3", "3", "100%", "2022-05-10", "0", "0",
                   "0", "0"]
    yang = next(row for row in rows if row[1] == "杨树林")  # not in March
    assert yang[2:] == ["3", "2", "66.67%", "2022-05-10", "0", "1", "0", "0"]
    he = next(row for row in rows if row[1] == "何丽")  # in March only
    assert he[2:] == ["3", "1", "33.33%", "2022-03-08", "0", "2", "0", "0"]
    never = next(row for row in rows if row[1] == "孙德明")
    assert never[2:] == ["3", "0", "0%", "", "0", "3", "0", "0"]


def test_booleans_are_yes_and_no_in_the_readers_language(street) -> None:
    for lang, yes, no in (("zh", "是", "否"), ("en", "yes", "no")):
        rows = read_csv(street("actions", "csv", lang).stdout_bytes)
        done = rows[0].index("已完成" if lang == "zh" else "Done")
        overdue = rows[0].index("已逾期" if lang == "zh" else "Overdue")
        assert {row[done] for row in rows[1:]} == {yes, no}
        assert {row[overdue] for row in rows[1:]} == {yes, no}
        assert "true" not in {c for row in rows for c in row}


def test_the_rule_is_in_words_the_minutes_use(street) -> None:
    rows = read_csv(street("ledger", "csv").stdout_bytes)
    rule = rows[0].index("表决规则")
    assert {row[rule] for row in rows[1:]} == {
        "赞成票须超过到会有表决权成员（除去回避）的半数",
        "赞成票须达到到会有表决权成员（除去回避）的三分之二",
        "赞成票须超过赞成与反对票合计的半数"}
    rows = read_csv(street("ledger", "csv", "en").stdout_bytes)
    rule = rows[0].index("Rule")
    assert "yes votes must be at least two-thirds of the voting members present who did not " \
        "recuse" in {row[rule] for row in rows[1:]}


def test_linked_actions_say_done_or_open_in_words(street) -> None:
    rows = read_csv(street("ledger", "csv").stdout_bytes)
    linked = rows[0].index("落实事项")
    first = next(row for row in rows if row[1].endswith("2022-03-08/R1"))
    assert first[linked] == "幸福里社区居民议事会/2022-03-08/A1 刘晓菊 已完成"
    second = next(row for row in rows if row[1].endswith("2022-03-08/R2"))
    assert second[linked] == "幸福里社区居民议事会/2022-03-08/A2 王建国 未完成"


# --- JSON for programs ---------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_json_keys_and_codes_do_not_follow_the_language(street, kind: str) -> None:
    zh, en = street(kind, "json", "zh").stdout, street(kind, "json", "en").stdout
    assert zh == en
    records = json.loads(zh)
    assert records
    for record in records:
        assert list(record) == JSON_KEYS[kind]
        for linked in record.get("actions", []) if kind == "ledger" else []:
            assert list(linked) == LINKED_ACTION_KEYS
    if kind == "ledger":
        assert {r["rule"] for r in records} == {">1/2 present", ">=2/3 present", ">1/2 yes+no"}
    if kind == "actions":
        assert {r["done"] for r in records} == {True, False}
    if kind == "attendance":
        assert {r["rate"] for r in records} >= {1.0, 0.6667, 0.3333, 0.0}


# --- the words, each looked up once -------------------------------------------------------

def test_each_rule_is_worded_once_per_export(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger of 20,000 resolutions has a handful of rules: the words are looked up once."""
    from yiguan.render.reports import CsvWords
    from yiguan.rules import words as rule_wording

    calls = []
    real = rule_wording.rule_words
    monkeypatch.setattr(rule_wording, "rule_words",
                        lambda threshold, lang: calls.append(threshold) or real(threshold, lang))
    words = CsvWords("en")
    assert {words.rule(">1/2 present") for _ in range(1000)} == {
        "yes votes must be more than half of the voting members present who did not recuse"}
    assert len(calls) == 1


def test_a_rule_that_no_longer_parses_is_shown_as_written() -> None:
    from yiguan.render.reports import CsvWords

    words = CsvWords("zh")
    assert words.rule("多数人同意") == "多数人同意"
    assert words.rule(">1/2 present") == "赞成票须超过到会有表决权成员（除去回避）的半数"


def test_docs_name_every_csv_column_in_both_languages() -> None:
    """docs/exports.md gives each key its CSV column, as the catalogues say it."""
    from yiguan.text.messages import t

    docs = (HERE.parent / "docs" / "exports.md").read_text("utf-8")
    for kind in KINDS:
        section = docs.split(f"## `yiguan {kind} ", 1)[1].split("\n## ", 1)[0]
        for key in JSON_KEYS[kind]:
            row = next(line for line in section.splitlines() if f"`{key}`" in line)
            named = f"{t(f'csv.{kind}.{key}', lang='zh')} / {t(f'csv.{kind}.{key}', lang='en')}"
            assert named in row, (kind, key, row)
