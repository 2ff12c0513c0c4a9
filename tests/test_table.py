"""Plain-text tables: Chinese columns line up, long cells fold inside the terminal.

The fast width count (one regular expression over ranges of double-width characters)
must agree with unicodedata's East Asian Width for every code point in those ranges, and
the table must come out the same whichever path measured it: one character at a time (a
short view, before the expression is worth compiling) or by the compiled expressions.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from yiguan.render import table
from yiguan.render.table import _WIDE, NO_LINE_START, char_width, fold, text_table, width


def _ranges() -> list[tuple[int, int]]:
    body = _WIDE
    pairs = []
    i = 0
    while i < len(body):
        pairs.append((ord(body[i]), ord(body[i + 2])))
        i += 3
    return pairs


def test_every_code_point_in_the_fast_ranges_is_double_width():
    for start, end in _ranges():
        for code in range(start, end + 1):
            char = chr(code)
            assert unicodedata.east_asian_width(char) in ("W", "F"), hex(code)
            assert char_width(char) == 2, hex(code)


def test_the_shortcuts_of_char_width_agree_with_unicodedata():
    """char_width answers ASCII, ideographs and CJK punctuation without unicodedata: for
    every code point of the Basic Multilingual Plane it says what unicodedata says."""
    def expected(char: str) -> int:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            return 0
        return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1

    wrong = [hex(code) for code in range(0x20, 0x10000)
             if not 0xD800 <= code <= 0xDFFF
             and char_width.__wrapped__(chr(code)) != expected(chr(code))]
    assert wrong == []


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_the_fast_width_equals_the_per_character_width(text):
    assert width(text) == sum(char_width(c) for c in text)


def _one_by_one_and_compiled(call, text_was_ascii):
    """`call()` measured one character at a time, then with the compiled expressions."""
    saved = (table._patterns, table._measured)
    try:
        table._patterns, table._measured = None, -(10**9)
        one_by_one = call()
        assert table._patterns is None
        table._patterns, table._measured = None, table._ONE_BY_ONE
        compiled = call()
        assert table._patterns is not None or text_was_ascii(), "the compiled path never ran"
    finally:
        table._patterns, table._measured = saved
    return one_by_one, compiled


@given(st.text(alphabet=st.sampled_from("ab 刘艳楼道，。ｱ̀é\t\n한"), max_size=60),
       st.integers(min_value=1, max_value=30))
def test_measuring_one_by_one_and_compiled_give_the_same_widths_and_lines(text, limit):
    one_by_one, compiled = _one_by_one_and_compiled(lambda: (width(text), fold(text, limit)),
                                                     text.isascii)
    assert one_by_one == compiled


def test_a_short_view_never_compiles_the_expressions():
    saved = (table._patterns, table._measured)
    try:
        table._patterns, table._measured = None, 0
        text_table(["姓名", "发言"], [["刘艳", "楼道堆物影响消防通道，要清理"]] * 30)
        assert table._patterns is None
    finally:
        table._patterns, table._measured = saved


@given(st.text(max_size=80), st.integers(min_value=2, max_value=30))
def test_folded_lines_fit_and_keep_every_character(text, limit):
    lines = fold(text, limit)
    assert "".join(lines) == text.replace("\n", "")
    assert all(width(line) <= limit or len(line) == 1 for line in lines)


@given(st.text(alphabet="一二三四五六七八九十，。、；：？！）」ab ", max_size=60),
       st.integers(min_value=4, max_value=30))
def test_no_folded_line_starts_with_closing_punctuation(text, limit):
    """避头点: a line of a folded cell never begins with ，。、）… unless the line before
    has nothing else to give (one character, or punctuation itself)."""
    lines = fold(text, limit)
    assert "".join(lines) == text
    assert all(width(line) <= limit for line in lines)
    for before, line in zip(lines, lines[1:], strict=False):
        if line[:1] in NO_LINE_START:
            assert len(before) <= 1 or before[-1] in NO_LINE_START, lines


def test_a_refusal_reason_folds_before_its_comma():
    assert fold("不予列入（属于商业经营，不在议事范围）", 22) == [
        "不予列入（属于商业经", "营，不在议事范围）"]


def test_chinese_columns_line_up():
    table = text_table(["编号", "事项", "责任人"],
                       [["A1", "购置饮水机", "刘晓菊"], ["A2", "制定积分细则并按月公布", "王建国"]])
    lines = table.splitlines()
    starts = {line.index("刘晓菊") if "刘晓菊" in line else None for line in lines}
    owner_column = [width(line[: line.index(name)]) for line in lines
                    for name in ("刘晓菊", "王建国") if name in line]
    assert len(set(owner_column)) == 1, table
    assert starts


def test_a_long_cell_folds_within_the_width():
    text = "社区活动场地使用规则：各团队使用活动场地后按场地管理制度打扫卫生；场地配备饮水机。"
    table = text_table(["编号", "决议内容"], [["R1", text]], max_width=30)
    assert all(width(line) <= 30 for line in table.splitlines()), table
    assert "".join(line[6:].strip() for line in table.splitlines()[2:]) == text
