"""Broken files: `check` names each problem, every command refuses cleanly (issue 6).

Two families of broken input, each written over a rich open meeting (every record type:
attendees with a guest and a departure, items, speeches, two motions, an amendment, a
vote, an action) that the real CLI built:

- hypothesis-generated broken TOML: truncations and byte mutations of the valid file
  (bytes drawn from TOML's own punctuation, quotes, newlines and invalid UTF-8);
- wrong types for every field of every record type, taken from each record class's
  `SPEC` in `model.py` (and `Meeting.TOP`, `Rules.SPEC`, `Member.SPEC` for council.toml):
  each field gets values of other TOML types (integer, bool, float, array, table, date,
  datetime, string where a number or a date belongs).

For each: `yiguan check` exits 1 and reports the problem on a line that starts with the
file's path (and, for a wrong type, the key path such as `vote[0].yes`); every command
tried — show, status, sign, speak, vote, minutes, notice, agenda add, propose, action,
done, leave, close — answers with exactly one line on stderr starting `yiguan: 错误：`
and exit 1, never a traceback; `list`, `ledger`, `actions` and `attendance` warn and
name the unreadable meeting; and the folder is byte-identical afterwards (all files but
`*.lock` and the caches in `.yiguan/`; the undo journal is compared too).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import MEETING, snapshot
from yiguan.cli import make_app
from yiguan.meeting.check import check_file
from yiguan.record import fileformat
from yiguan.record.model import COUNCIL_KEYS, KINDS, Calendar, Meeting, Member, Rules
from yiguan.text.errors import YiguanError

ERROR = "yiguan: 错误："
WARNING = "yiguan: 提醒："
MEETING_FILE = f"{MEETING}.toml"

# Commands that must refuse (exit 1, one error line) when the meeting file is broken.
# Without -m, as the secretary types them: they find the open meeting themselves.
REFUSING = [
    ["show"],
    ["show", "-m", MEETING],
    ["status"],
    ["sign", "csz", "--at", "19:58"],
    ["speak", "lxj", "再补充一句", "--at", "19:58"],
    ["vote", "M2", "--yes", "4", "--no", "0", "--at", "19:58"],
    ["minutes"],
    ["notice"],
    ["agenda", "add", "新议题"],
    ["agenda", "list"],
    ["propose", "新动议", "--by", "lxj", "--second", "ly", "--at", "19:58"],
    ["action", "新事项", "--owner", "lxj", "--at", "19:58"],
    ["done", "A1"],
    ["leave", "lxj", "--at", "19:58"],
    ["close", "--postpone-pending", "--at", "20:00"],
]
# The nine the issue names; the wrong-type matrix runs these for every field.
CORE = [["show"], ["status"], ["sign", "csz", "--at", "19:58"],
        ["speak", "lxj", "再补充一句", "--at", "19:58"],
        ["vote", "M2", "--yes", "4", "--no", "0", "--at", "19:58"], ["minutes"], ["notice"]]
# Commands across meetings: they go on, and warn about the file they could not read.
LISTING = [["list"], ["ledger"], ["actions"], ["attendance"]]
# Commands that need council.toml (the others only read the meeting).
NEEDS_COUNCIL = [["sign", "csz", "--at", "19:58"], ["speak", "lxj", "再补充一句", "--at", "19:58"],
                 ["vote", "M2", "--yes", "4", "--no", "0", "--at", "19:58"], ["minutes"],
                 ["notice"], ["propose", "新动议", "--by", "lxj", "--second", "ly",
                              "--at", "19:58"]]

_runner = CliRunner()


def invoke(folder: Path, *args: str, input: str | None = None) -> Any:
    """The command line as `main()` builds it (only the named command), in-process."""
    argv = ["--dir", str(folder), *args]
    return _runner.invoke(make_app(argv), argv, input=input)


def describe(args: list[str] | tuple[str, ...], result: Any) -> str:
    return (f"yiguan {' '.join(args)} → exit {result.exit_code}\nstdout: {result.stdout!r}\n"
            f"stderr: {result.stderr!r}\nexception: {result.exception!r}")


def assert_no_crash(args: list[str] | tuple[str, ...], result: Any) -> None:
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, "uncaught exception:\n" + describe(args, result)
    assert "Traceback" not in result.output, describe(args, result)


def assert_refused(folder: Path, args: list[str], *, names: str | None = None) -> Any:
    """Exit 1, one `yiguan: 错误：` line on stderr (naming `names` if given), no traceback,
    and every file byte-identical."""
    before = snapshot(folder)
    result = invoke(folder, *args)
    after = snapshot(folder)
    assert_no_crash(args, result)
    assert result.exit_code == 1, describe(args, result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, "not one line on stderr:\n" + describe(args, result)
    assert lines[0].startswith(ERROR), describe(args, result)
    if names is not None:
        assert names in lines[0], f"the error does not name {names}:\n" + describe(args, result)
    assert_same_files(before, after, args)
    return result


def assert_same_files(before: dict[str, bytes], after: dict[str, bytes], args: Any) -> None:
    assert set(after) == set(before), (args, sorted(set(after) ^ set(before)))
    changed = sorted(name for name in before if before[name] != after[name])
    assert not changed, f"yiguan {' '.join(args)} changed {changed}"


def assert_listing_warns(folder: Path, args: list[str], meeting_id: str) -> Any:
    """A command across meetings carries on, warns on stderr, and names the meeting it
    could not read (in its table row or its warning); nothing is written."""
    before = snapshot(folder)
    result = invoke(folder, *args)
    after = snapshot(folder)
    assert_no_crash(args, result)
    assert result.exit_code in (0, 1), describe(args, result)
    lines = result.stderr.splitlines()
    assert lines, "no warning about the unreadable file:\n" + describe(args, result)
    assert all(line.startswith((WARNING, ERROR)) for line in lines), describe(args, result)
    assert meeting_id in result.output, "the unreadable meeting is not named:\n" + \
        describe(args, result)
    assert_same_files(before, after, args)
    return result


def assert_check_reports(folder: Path, path: Path, where: str | None = None) -> list[str]:
    """`yiguan check` exits 1 and every problem line starts with a file of the folder; at
    least one names `path` (and, given, the key path `where`)."""
    args = ["check"]
    result = invoke(folder, *args)
    assert_no_crash(args, result)
    assert result.exit_code == 1, describe(args, result)
    lines = result.stdout.splitlines()
    assert lines, describe(args, result)
    files = {str(folder / name) for name in ("council.toml", MEETING_FILE)}
    for line in lines:
        assert any(line.startswith(f + ":") for f in files), f"unexpected line {line!r}"
    mine = [line for line in lines if line.startswith(f"{path}:")]
    assert mine, f"check does not name {path}:\n" + describe(args, result)
    if where is not None:
        assert any(line.startswith((f"{path}: {where}: ", f"{path}: {where}["))
                   for line in mine), (
            f"check does not report {where}:\n" + "\n".join(lines))
    assert len(result.stderr.splitlines()) == 1, describe(args, result)  # the summary
    return mine


# --- the valid meeting everything starts from ---------------------------------------------

BUILD = [
    ["sign", "--guest", "周社工", "--org", "兰州爱颐社工", "--at", "19:25"],
    ["speak", "lxj", "楼道里的纸箱要在周末前清走。", "--stance", "for", "--minutes", "2",
     "--at", "19:35"],
    ["propose", "各楼栋本周六上午集中清理楼道堆物。", "--by", "lxj", "--second", "ly",
     "--at", "19:40"],
    ["amend", "M1", "各楼栋本周六上午集中清理楼道堆物，物业配合清运。", "--by", "wjg",
     "--at", "19:42"],
    ["vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45"],
    ["propose", "小游园按楼栋轮流认领卫生。", "--by", "zgl", "--second", "lxy", "--item", "2",
     "--at", "19:50"],
    ["action", "通知物业周六清运", "--owner", "lxj", "--due", "2024-05-18", "--motion", "M1",
     "--at", "19:52"],
    ["leave", "lxy", "--at", "19:55"],
]


@pytest.fixture(scope="module")
def base(templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder: council.toml and an open meeting holding every record type but conflict."""
    from conftest import copy_tracked

    folder = tmp_path_factory.mktemp("broken-base") / "meetings"
    copy_tracked(templates["open"], folder)
    for args in BUILD:
        result = invoke(folder, *args)
        assert result.exit_code == 0, describe(args, result)
    assert check_file(folder / MEETING_FILE) == []
    # the starting point must be a folder where every command works
    for args in [*REFUSING, *LISTING]:
        scratch = folder.parent / "scratch"
        shutil.rmtree(scratch, ignore_errors=True)
        copy_tracked(folder, scratch)
        result = invoke(scratch, *args)
        assert result.exit_code == 0, "baseline: " + describe(args, result)
    return folder


@pytest.fixture(scope="module")
def base_bytes(base: Path) -> bytes:
    return (base / MEETING_FILE).read_bytes()


def fresh_copy(base: Path, target: Path) -> Path:
    from conftest import copy_tracked

    shutil.rmtree(target, ignore_errors=True)
    copy_tracked(base, target)
    return target


def loads(data: bytes) -> bool:
    try:
        fileformat.load_meeting(data, "x")
    except YiguanError:
        return False
    return True


def assert_every_command_refuses(folder: Path, commands: list[list[str]], names: str) -> None:
    for args in commands:
        assert_refused(folder, args, names=names)
    for args in LISTING:
        assert_listing_warns(folder, args, MEETING)


def exercise_damaged(folder: Path, damaged: bytes) -> None:
    """Put `damaged` in place of the meeting and hold every command to the contract."""
    path = folder / MEETING_FILE
    path.write_bytes(damaged)
    if loads(damaged):
        # Still a meeting (a cut after a whole record, a changed letter inside a name):
        # nothing may crash, and check must agree with the library's own verdict.
        problems = check_file(path)
        result = invoke(folder, "check")
        assert_no_crash(["check"], result)
        assert result.exit_code == (1 if problems else 0), describe(["check"], result)
        for args in [*REFUSING, *LISTING]:
            before = snapshot(folder)
            result = invoke(folder, *args)
            assert_no_crash(args, result)
            assert result.exit_code in (0, 1), describe(args, result)
            if result.exit_code == 1:  # any cause: what the damage made of the meeting
                lines = result.stderr.splitlines()
                assert len(lines) == 1 and lines[0].startswith(ERROR), describe(args, result)
                assert_same_files(before, snapshot(folder), args)
        return
    assert_check_reports(folder, path)
    for args in REFUSING:
        # The file is named, or the meeting's id when a damaged status line makes the
        # open meeting unknowable (then the write is refused before the file is parsed).
        assert_refused(folder, args, names=MEETING)
    for args in LISTING:
        assert_listing_warns(folder, args, MEETING)


@pytest.fixture
def scratch_root() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="yiguan-broken-") as name:
        yield Path(name)


# --- hypothesis: truncations and byte mutations -------------------------------------------

TOML_BYTES = [b'"', b"'", b"=", b"[", b"]", b"[[", b"]]", b"\n", b"#", b"\\", b"{", b"}", b",",
              b".", b" ", b"0", b"-", b":", b"a", b"\xff", b"\xe4\xb8", b"\x00", b'"""', b"\t",
              b"\r"]


@st.composite
def mutations(draw: Any, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, max(0, len(out) - 1)))
        action = draw(st.sampled_from(["replace", "insert", "delete", "duplicate"]))
        chunk = draw(st.one_of(st.sampled_from(TOML_BYTES), st.binary(min_size=1, max_size=3)))
        if action == "replace":
            out[position:position + len(chunk)] = chunk
        elif action == "insert":
            out[position:position] = chunk
        elif action == "delete":
            del out[position:position + draw(st.integers(1, 40))]
        else:  # a line repeated: duplicate keys and tables
            start = out.rfind(b"\n", 0, position) + 1
            end = out.find(b"\n", position)
            end = len(out) if end < 0 else end + 1
            out[end:end] = out[start:end]
    return bytes(out)


@pytest.mark.slow
@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                  HealthCheck.too_slow])
@given(cut=st.floats(0, 1, exclude_max=True))
@example(cut=0.0)  # an empty file
def test_a_truncated_meeting_file_is_refused_by_every_command(
        base: Path, base_bytes: bytes, scratch_root: Path, cut: float) -> None:
    folder = fresh_copy(base, scratch_root / "meetings")
    exercise_damaged(folder, base_bytes[: int(cut * len(base_bytes))])


@pytest.mark.slow
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_meeting_file_is_refused_by_every_command(
        base: Path, base_bytes: bytes, scratch_root: Path, data: Any) -> None:
    folder = fresh_copy(base, scratch_root / "meetings")
    exercise_damaged(folder, data.draw(mutations(base_bytes), label="damaged"))


def test_a_syntax_error_is_reported_with_file_line_and_column(base: Path, base_bytes: bytes,
                                                             tmp_path: Path) -> None:
    folder = fresh_copy(base, tmp_path / "meetings")
    lines = base_bytes.decode("utf-8").split("\n")
    bad_line = next(n for n, line in enumerate(lines) if line.startswith("[[speech]]")) + 2
    lines[bad_line - 1] = lines[bad_line - 1].replace(" = ", " == ", 1)
    path = folder / MEETING_FILE
    path.write_bytes("\n".join(lines).encode("utf-8"))
    mine = assert_check_reports(folder, path)
    assert any(line.startswith(f"{path}:{bad_line}:") for line in mine), (bad_line, mine)
    result = assert_refused(folder, ["show"], names=f"{path}:{bad_line}:")
    assert "TOML" in result.stderr


def test_a_file_that_is_not_utf8_is_reported_with_its_line(base: Path, base_bytes: bytes,
                                                          tmp_path: Path) -> None:
    folder = fresh_copy(base, tmp_path / "meetings")
    text = base_bytes.decode("utf-8")
    # the same meeting saved by an editor in GBK, as happens on a Chinese Windows
    gbk = text.encode("gb18030")
    path = folder / MEETING_FILE
    path.write_bytes(gbk)
    first_bad = next(n for n, line in enumerate(text.split("\n"), 1) if not line.isascii())
    mine = assert_check_reports(folder, path)
    assert any(line.startswith(f"{path}:{first_bad}") for line in mine), (first_bad, mine)
    assert_every_command_refuses(folder, REFUSING, names=str(path))


def test_list_names_the_unreadable_file_in_its_warning(base: Path, tmp_path: Path) -> None:
    """`list` shows a broken meeting as a row; its stderr warning must say which file, as
    `ledger`'s does, so that the secretary knows what to open (issue 6: "a warning that
    names the unreadable file")."""
    folder = fresh_copy(base, tmp_path / "meetings")
    path = folder / MEETING_FILE
    path.write_bytes(path.read_bytes()[:-40])
    for args in (["list"], ["ledger"]):
        result = assert_listing_warns(folder, args, MEETING)
        assert MEETING_FILE in result.stderr or MEETING in result.stderr, (
            f"the warning of `yiguan {args[0]}` does not name the file:\n"
            + describe(args, result))


# --- wrong types for every field ----------------------------------------------------------

STRING_KINDS = {"name", "line", "text", "record", "time", "initials", "choice", "rule",
                "quorum", "id", "ref"}
WRONG: dict[str, list[Any]] = {
    "string": [42, True, 1.5, ["x"], {"a": "b"}, dt.date(2024, 5, 10)],
    "int": ["1", 1.5, True, [1], dt.date(2024, 5, 10), 1.0],
    "count": ["0", 0.0, False, [0], {"n": 1}],
    "bool": ["true", 1, [True], dt.date(2024, 5, 10)],
    "date": ["2024-05-10", 20240510, dt.datetime(2024, 5, 10, 19, 30), dt.time(19, 30)],
    "names": ["刘晓菊", [1], {"a": "刘晓菊"}, [["刘晓菊"]]],
    # notice_days: whole days or "N workdays" (issue 13, the notice period)
    "notice": ["7", "7 days", "7个工作日", "0 workdays", 0, 367, 1.5, True, [7],
               dt.date(2024, 5, 10)],
    # the council's [calendar] lists
    "dates": ["2024-05-10", dt.date(2024, 5, 10), ["2024-05-10"], [20240510],
              [dt.date(2024, 5, 10), dt.date(2024, 5, 10)], [dt.datetime(2024, 5, 10, 8, 0)],
              {"a": dt.date(2024, 5, 10)}],
    # the council's number_pattern: {year} and {n} once each (record/numbers.py)
    "number_pattern": [42, True, ["x"], dt.date(2024, 5, 10), "民新议{n}号", "〔{year}〕号",
                       "〔{year}〕{n}号{x}", "{year}{n}{n}", "〔{year}〕\n{n}号"],
}


def wrong_values(kind: str) -> list[Any]:
    return WRONG["string" if kind in STRING_KINDS else kind]


CONFLICT = {"id": "C1", "record": "motion M1", "field": "text", "ours": "甲", "theirs": "乙"}
CORRECTION = {"id": "G1", "date": dt.date(2024, 5, 12), "record": "vote V1", "field": "yes",
              "before": "4", "after": "3", "reason": "复核计票"}
EXCUSED = {"id": "L1", "name": "陈淑珍", "reason": "出差"}  # a member not signed in
# issue 23: an earlier meeting's minutes confirmed, a resolution evaluated by residents
CONFIRMATION = {"id": "Q1", "meeting": "2024-04-25", "title": "四月居民议事会", "at": "19:40",
                "yes": 5, "no": 0, "abstain": 0, "present": 5, "rule": ">1/2 present"}
ATTACHMENT = {"id": "F1", "name": "会场.jpg", "file": "3f2a9c0d1e2b4a5f.jpg", "size": 1024,
              "sha256": "3f2a9c0d1e2b4a5f" + "0" * 48, "public": False}
EVALUATION = {"id": "J1", "motion": "M1", "date": dt.date(2024, 5, 12), "satisfied": 3,
              "basic": 1, "unsatisfied": 0}


def meeting_cases() -> list[tuple[str, str, str]]:
    """(table or "" for top level or "rules", key, kind) for every meeting field."""
    cases = [("", "format", "int")]
    cases += [("", key.name, key.kind) for key in Meeting.TOP]
    cases += [("rules", key.name, key.kind) for key in Rules.SPEC]
    cases += [(record.TABLE, key.name, key.kind) for record in KINDS.all
              for key in record.SPEC]
    return cases


def council_cases() -> list[tuple[str, str, str]]:
    cases = [("", "format", "int"), ("", "name", "line")]
    cases += [("", key.name, key.kind) for key in COUNCIL_KEYS]  # org, notice_place, contact
    cases += [("rules", key.name, key.kind) for key in Rules.SPEC]
    cases += [("calendar", key.name, key.kind) for key in Calendar.SPEC]
    cases += [("member", key.name, key.kind) for key in Member.SPEC]
    return cases


def with_wrong_value(data: dict[str, Any], table: str, key: str, value: Any) -> dict[str, Any]:
    data = tomllib.loads(tomli_w.dumps(data))  # a deep copy
    if table == "":
        data[key] = value
    elif table in ("rules", "calendar"):
        data.setdefault(table, {})[key] = value
    else:
        if table == "conflict":
            data["conflict"] = [dict(CONFLICT)]
        if table == "correction":
            data["correction"] = [dict(CORRECTION)]
        if table == "excused":
            data["excused"] = [dict(EXCUSED)]
        if table == "confirmation":
            data["confirmation"] = [dict(CONFIRMATION)]
        if table == "evaluation":
            data["evaluation"] = [dict(EVALUATION)]
        if table == "attachment":
            data["attachment"] = [dict(ATTACHMENT)]
        assert data.get(table), f"the base file has no {table} record"
        data[table][0][key] = value
    return data


def where_of(table: str, key: str) -> str:
    if table == "":
        return key
    if table in ("rules", "calendar"):
        return f"{table}.{key}"
    return f"{table}[0].{key}"


def test_every_field_of_every_record_type_is_covered() -> None:
    covered = {(t, k) for t, k, _ in meeting_cases()}
    for record in KINDS.all:
        for key in record.SPEC:
            assert (record.TABLE, key.name) in covered
    assert len(meeting_cases()) == 1 + len(Meeting.TOP) + len(Rules.SPEC) + sum(
        len(r.SPEC) for r in KINDS.all)
    assert {k for _, k, kind in meeting_cases() + council_cases()
            if not (kind in STRING_KINDS or kind in WRONG)} == set(), "a kind without values"


def assert_check_reports_each(folder: Path, variants: list[Path], values: list[object],
                              table: str, key: str) -> None:
    """One `check` over every variant file: exit 1, and each file reported at the key
    (or, for a list of names, at the element inside it: members[0])."""
    result = invoke(folder, "check", *map(str, variants))
    assert_no_crash(["check"], result)
    assert result.exit_code == 1, describe(["check"], result)
    for variant, value in zip(variants, values, strict=True):
        expected = f"{variant}: {where_of(table, key)}"
        assert any(line.startswith((expected + ": ", expected + "["))
                   for line in result.stdout.splitlines()), (
            f"{key} = {value!r}: check does not report {expected!r}:\n{result.stdout}")


@pytest.mark.slow
@pytest.mark.parametrize("table,key,kind", meeting_cases(),
                         ids=[f"{t or 'top'}.{k}" for t, k, _ in meeting_cases()])
def test_a_wrong_type_in_a_meeting_field_is_reported_and_refused(
        base: Path, tmp_path: Path, table: str, key: str, kind: str) -> None:
    original = tomllib.loads((base / MEETING_FILE).read_text(encoding="utf-8"))
    values = wrong_values(kind)
    # check, on every wrong value: one file each, all checked in one run
    folder = fresh_copy(base, tmp_path / "meetings")
    variants = []
    for n, value in enumerate(values):
        variant = folder / f"variant{n}.toml"
        variant.write_text(tomli_w.dumps(with_wrong_value(original, table, key, value)),
                           encoding="utf-8")
        variants.append(variant)
    assert_check_reports_each(folder, variants, values, table, key)
    for variant in variants:
        variant.unlink()
    # every command, on the first wrong value in place of the meeting
    path = folder / MEETING_FILE
    path.write_text(tomli_w.dumps(with_wrong_value(original, table, key, values[0])),
                    encoding="utf-8")
    assert_check_reports(folder, path, where_of(table, key))
    assert_every_command_refuses(folder, CORE, names=str(path))


@pytest.mark.slow
@pytest.mark.parametrize("table,key,kind", council_cases(),
                         ids=[f"{t or 'top'}.{k}" for t, k, _ in council_cases()])
def test_a_wrong_type_in_the_council_file_is_reported_and_refused(
        base: Path, tmp_path: Path, table: str, key: str, kind: str) -> None:
    original = tomllib.loads((base / "council.toml").read_text(encoding="utf-8"))
    values = wrong_values(kind)
    # check, on every wrong value: a council file is known by its name, so one folder each
    variants = []
    for n, value in enumerate(values):
        variant = tmp_path / f"variant{n}" / "council.toml"
        variant.parent.mkdir()
        variant.write_text(tomli_w.dumps(with_wrong_value(original, table, key, value)),
                           encoding="utf-8")
        variants.append(variant)
    assert_check_reports_each(tmp_path, variants, values, table, key)
    # every command, on the first wrong value
    folder = fresh_copy(base, tmp_path / "meetings")
    path = folder / "council.toml"
    path.write_text(tomli_w.dumps(with_wrong_value(original, table, key, values[0])),
                    encoding="utf-8")
    assert_check_reports(folder, path, where_of(table, key))
    for args in NEEDS_COUNCIL:
        assert_refused(folder, args, names=str(path))
    # reading a meeting does not need the roster: these may answer, but never crash or write
    for args in [["show"], ["status"], *LISTING]:
        before = snapshot(folder)
        result = invoke(folder, *args)
        assert_no_crash(args, result)
        assert result.exit_code in (0, 1), describe(args, result)
        assert_same_files(before, snapshot(folder), args)


@pytest.mark.parametrize("table", [r.TABLE for r in KINDS.all])
@pytest.mark.parametrize("shape", ["string", "table", "array of numbers"])
def test_a_record_table_of_the_wrong_shape_is_reported_and_refused(
        base: Path, tmp_path: Path, table: str, shape: str) -> None:
    """`speech = "…"`, `[speech]` instead of `[[speech]]`, or `speech = [1, 2]`."""
    folder = fresh_copy(base, tmp_path / "meetings")
    path = folder / MEETING_FILE
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data[table] = {"string": "一段话", "table": {"id": "X1"}, "array of numbers": [1, 2]}[shape]
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    where = f"{table}[0]" if shape == "array of numbers" else table
    assert_check_reports(folder, path, where)
    assert_every_command_refuses(folder, CORE[:4], names=str(path))
