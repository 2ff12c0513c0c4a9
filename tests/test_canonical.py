"""The fast reader of yiguan's own layout gives exactly what tomllib gives, or gives up.

Whatever it reads must equal tomllib's result; whatever it is unsure of (comments,
literal strings, line continuations, odd escapes, repeated keys, broken TOML) it hands to
tomllib by returning None. These tests hold it to both halves.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from test_fileformat import councils, meetings
from yiguan.record import canonical, fileformat
from yiguan.text.errors import BrokenFile

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "meetings").glob("*.toml")) + sorted((ROOT / "tests" / "golden").glob(
    "*.toml"))


def agrees(text: str) -> dict | None:
    """canonical.parse(text), after checking it agrees with tomllib whenever it answers."""
    fast = canonical.parse(text)
    if fast is not None:
        assert fast == tomllib.loads(text)
    return fast


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_bundled_and_golden_file_is_read_fast_and_right(path: Path) -> None:
    text = path.read_text("utf-8")
    assert agrees(text) is not None, f"{path.name} fell back to tomllib"


@given(meetings)
def test_any_meeting_the_writer_writes_is_read_fast_and_right(meeting) -> None:
    assert agrees(fileformat.dump_meeting(meeting)) is not None


@given(councils)
def test_any_council_the_writer_writes_is_read_fast_and_right(council) -> None:
    assert agrees(fileformat.dump_council(council)) is not None


@given(st.text(max_size=60))
def test_any_string_value_round_trips(value: str) -> None:
    one_line = value.replace("\n", " ")  # list elements are names: never multi-line
    data = {"format": 1, "note": value, "members": [one_line]}
    assert agrees(fileformat.dump_data(data, council=False)) == data


def test_a_multi_line_string_inside_a_list_is_left_to_tomllib() -> None:
    text = fileformat.dump_data({"format": 1, "members": ["a\nb"]}, council=False)
    assert agrees(text) is None


# --- line by line against tomllib ------------------------------------------------------------
#
# Documents made of whole lines: every line of a real meeting file, and lines that are
# legal TOML on their own but not in every place (a static array, then [[the same]]; a
# table twice; a key twice; a multi-line string's pieces). Whatever order hypothesis puts
# them in, the fast reader must give exactly what tomllib gives, or give up.

_MEETING_LINES = sorted(set((ROOT / "meetings" / "2022-03-08.toml").read_text(
    "utf-8").splitlines()))
_TRICKY_LINES = [
    "attendee = []", "[[attendee]]", "attendee = [", '    "x",', "]", "speech = 5",
    "[rules]", "[rules.presets]", "rules = 5", "[rules.presets.x]", "[attendee]",
    "[[rules]]", "[item]", "item = 1", 'id = "P1"', 'id = "P2"', "id = 1", 'name = "甲"',
    'note = """', '第一行', 'status = "open"', 'status = "closed"', '"""', 'x"""',
    '末行 \\', '"quoted" = 1', '"" = 2', 'a = "\\u00e9"', "a = 2022-02-30",
    "a = 2024-01-01", "b = true", "c = -0", "d = 0", "e = +1", "f = 1_000", "",
    "# comment", "g = 'literal'", 'h = "x" # c', "[a.b]", "[a]", "b = 1", "[[a]]",
    'members = [', '    "刘晓菊",', '    "刘晓菊"', "members = []", "k = [1, 2]",
]


# ... and documents built as TOML is: top-level keys, then tables, so that most of them
# are valid up to the place where the two readers could part
_TOP = [
    "format = 1", 'title = "议事会"', "date = 2024-05-10", 'status = "closed"',
    'members = [\n    "刘晓菊",\n    "刘艳",\n]', "members = []", "attendee = []",
    "attendee = [\n]", 'speech = [\n    "x",\n]', 'note = """\n第一行\nstatus = "open"\n最后"""',
    "rules = 5", 'item = "x"', 'format = 2',
]
_TABLES = [
    '[rules]\nquorum = ">1/2"', '[rules.presets]\nnantang = ">1/2 yes+no"',
    '[[attendee]]\nid = "P1"\nname = "刘晓菊"', '[[attendee]]\nid = "P2"',
    '[[speech]]\nid = "S1"\ntext = """\n一\n二"""', "[[item]]\nid = 1", "[item]\nid = 1",
    "[[members]]", "[attendee]\nid = 1", "[rules.presets.x]\na = 1", "[note]",
]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(_MEETING_LINES + _TRICKY_LINES), max_size=14))
def test_any_document_of_whole_lines_is_read_as_tomllib_reads_it(lines: list[str]) -> None:
    _agrees_or_gives_up("\n".join(lines) + "\n")


@settings(max_examples=400)
@given(st.lists(st.sampled_from(_TOP), max_size=6), st.lists(st.sampled_from(_TABLES),
                                                            max_size=6))
def test_any_document_of_keys_then_tables_is_read_as_tomllib_reads_it(
        top: list[str], tables: list[str]) -> None:
    _agrees_or_gives_up("\n".join(top) + "\n\n" + "\n\n".join(tables) + "\n")


def _agrees_or_gives_up(text: str) -> None:
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        expected = None
    fast = canonical.parse(text)
    if fast is not None:
        assert fast == expected, text


@pytest.mark.parametrize("text", [
    'attendee = []\n\n[[attendee]]\nid = "P1"\n',             # #18: TOML forbids it
    'attendee = [\n    "x",\n]\n\n[[attendee]]\nid = "P1"\n',
    "members = []\n[[members]]\n",
])
def test_a_static_array_is_never_extended_by_an_array_of_tables(text: str) -> None:
    """#18: the fast reader accepted `attendee = []` followed by [[attendee]] blocks."""
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)
    assert canonical.parse(text) is None
    with pytest.raises(BrokenFile) as caught:
        fileformat.parse_toml(text.encode(), "m.toml")
    assert [p.key for p in caught.value.problems] == ["format.syntax"]


@pytest.mark.parametrize("text", [
    'a = """\nx""""\n',                    # a quote just before the closing
    'a = """\nline\\\nnext"""\n',          # line-ending backslash (continuation)
    "a = 'literal'\n",                     # literal string
    "a = 1 # comment\n",                   # comment
    "# comment\na = 1\n",
    "a = 1.5\n",                           # float
    "a = 0x1F\n",                          # hex integer
    "a = 1_000\n",                         # underscores
    "a = { b = 1 }\n",                     # inline table
    "a = [1, 2]\n",                        # inline array
    "a = 1\na = 2\n",                      # repeated key: tomllib's error
    "[t]\n[t]\n",                          # repeated table: tomllib's error
    "a.b = 1\n",                           # dotted key
    'a = "\\x41"\n',                       # escape TOML 1.0 lacks
    'a = "\\uD800"\n',                     # surrogate escape
    "a = 2022-02-30\n",                    # no such day
    "a = 2022-03-08T19:30:00\n",           # date-time
    "a = 1\r\n",                           # CRLF
    "  a = 1\n",                           # indentation
    "a=1\n",                               # other spacing
])
def test_anything_outside_the_canonical_layout_goes_to_tomllib(text: str) -> None:
    assert canonical.parse(text) is None


def test_reading_a_broken_file_still_reports_tomllibs_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(BrokenFile) as caught:
        fileformat.parse_toml(b'format = 1\ntitle = "x\n', "m.toml")
    assert caught.value.problems[0].line == 2
