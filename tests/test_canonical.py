"""The fast reader of yiguan's own layout gives exactly what tomllib gives, or gives up.

Whatever it reads must equal tomllib's result; whatever it is unsure of (comments,
literal strings, line continuations, odd escapes, repeated keys, broken TOML) it hands to
tomllib by returning None. These tests hold it to both halves.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from test_fileformat import councils, meetings
from yiguan import canonical, fileformat

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


@given(st.text(alphabet='ab"\\ \n\t#=[]{}.,\'\u00e9中\x00\x7fu0123456789', max_size=40))
def test_arbitrary_text_is_never_misread(text: str) -> None:
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        expected = None
    fast = canonical.parse(text)
    if fast is not None:
        assert fast == expected, text


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
    from yiguan.errors import BrokenFile

    with pytest.raises(BrokenFile) as caught:
        fileformat.parse_toml(b'format = 1\ntitle = "x\n', "m.toml")
    assert caught.value.problems[0].line == 2
