"""Hostile names and text: refused clearly, or handled without harm (issue 6).

Every hostile input is either

- **refused**: exit 1, exactly one short line on stderr starting `yiguan: 错误：` (a 5 MB
  speech is not echoed back), never a traceback, and every file in the folder — the undo
  journal included — byte-identical; or
- **handled**: exit 0, the text stored exactly as given, the file canonical and clean
  under `check`, the next write not mistaking it for a comment, `status` and `show` lines
  within 80 columns, and the minutes well-formed Markdown: parsed (CommonMark + GFM
  tables) to the same block and inline structure as the same meeting with a plain
  placeholder instead of the hostile text, every table row with its header's number of
  cells, no link, image, HTML or autolink trigger, and the text readable back verbatim.

Which inputs belong to which group is written down here, from the contract (names: one
line, ≤ 40 characters, no control, bidirectional or invisible characters; line fields
≤ 200; text ≤ 20,000), not derived from the code under test. Covered: `..`, traversal and
absolute paths, NUL and other controls, newlines (also U+2028), names of 41 and 10,000
characters, right-to-left overrides and zero-width / invisible characters, Markdown and
HTML and TOML syntax, non-UTF-8 bytes on the command line and on stdin, a 5 MB speech on
stdin, 20,000 / 20,001-character speeches, 10,000 attendees, and `-m` values that try to
leave the data folder.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from conftest import MEETING, assert_refused, copy_tracked, snapshot, tracked
from yiguan.cli import make_app
from yiguan.meeting.check import check_file
from yiguan.record import fileformat

ERROR = "yiguan: 错误："
WARNING = "yiguan: 提醒："
_runner = CliRunner()


def invoke(folder: Path, *args: str, input: str | bytes | None = None,
           env: dict[str, str] | None = None) -> Any:
    argv = ["--dir", str(folder), *args]
    return _runner.invoke(make_app(argv), argv, input=input, env=env)


TERMINAL = {"COLUMNS": "80"}  # an 80-column terminal: every table must fit


def describe(args: Any, result: Any) -> str:
    shown = [a if len(a) < 80 else f"<{len(a)} chars>" for a in args]
    return (f"yiguan {shown} → exit {result.exit_code}\nstdout: {result.stdout[:1500]!r}\n"
            f"stderr: {result.stderr[:1500]!r}\nexception: {result.exception!r}")


def assert_no_crash(args: Any, result: Any) -> None:
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, "uncaught exception:\n" + describe(args, result)
    assert "Traceback" not in result.output, describe(args, result)


def refused(folder: Path, *args: str, because: str, input: str | bytes | None = None,
            **said: Any) -> Any:
    """Refused for `because` (message parameters `said`, as conftest.assert_refused takes
    them) in one short, clean line, and nothing changed."""
    before = snapshot(folder)
    result = invoke(folder, *args, input=input)
    after = snapshot(folder)
    assert_no_crash(args, result)
    assert result.exit_code == 1, "not refused:\n" + describe(args, result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR), describe(args, result)
    assert len(lines[0]) < 400, f"the error line is {len(lines[0])} characters long"
    assert not re.search("[\x00-\x1f\x7f]", lines[0]), (
        "the error line carries raw control characters to the terminal:\n"
        + describe(args, result))
    assert set(after) == set(before), (args, sorted(set(after) ^ set(before)))
    changed = sorted(name for name in before if before[name] != after[name])
    assert not changed, f"a refused command changed {changed}"
    assert_refused(result, because, **said)
    return result


def ok(folder: Path, *args: str, input: str | bytes | None = None,
       env: dict[str, str] | None = None) -> Any:
    result = invoke(folder, *args, input=input, env=env)
    assert_no_crash(args, result)
    assert result.exit_code == 0, describe(args, result)
    return result


# --- well-formed output -------------------------------------------------------------------

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def shape(markdown: str) -> list[tuple[str, ...]]:
    """The document's structure: every block token, and per inline run the kinds of its
    non-text children (emphasis, code, links, HTML, line breaks)."""
    out: list[tuple[str, ...]] = []
    for token in PARSER.parse(markdown):
        if token.type == "inline":
            kinds = tuple(c.type for c in token.children or []
                          if c.type not in ("text", "text_special"))
            out.append(("inline", *kinds))
        else:
            out.append((token.type, token.tag))
    return out


def plain_text(markdown: str) -> str:
    """What a reader sees, escapes resolved, one line per inline run."""
    return "\n".join("".join(c.content for c in token.children or []
                             if c.type in ("text", "text_special"))
                     for token in PARSER.parse(markdown) if token.type == "inline")


def cells_in_row(line: str) -> int:
    """GFM: a `|` not escaped by a backslash separates cells (also inside code spans)."""
    count, i = 0, 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == "|":
            count += 1
        i += 1
    return count


def assert_tables_keep_their_columns(markdown: str) -> None:
    table: list[str] = []
    for line in [*markdown.split("\n"), ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            counts = {cells_in_row(row) for row in table}
            assert len(counts) == 1, "a table row lost or gained a cell:\n" + "\n".join(table)
            table = []


def assert_well_formed_minutes(minutes: str, placeholder_minutes: str) -> None:
    assert shape(minutes) == shape(placeholder_minutes), (
        "hostile text changed the structure of the minutes:\n"
        + "\n".join(f"{a} | {b}" for a, b in zip(shape(minutes), shape(placeholder_minutes),
                                                    strict=False) if a != b))
    tokens = PARSER.parse(minutes)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    for forbidden in ("link_open", "image", "html_block", "code_block", "fence"):
        assert forbidden not in kinds, forbidden
    html = {c.content for t in tokens for c in t.children or [] if c.type == "html_inline"}
    assert html <= {"<br>"}, html
    assert not re.search(r"(?i)https?://|www\.", minutes), "a bare URL GFM would autolink"
    assert_tables_keep_their_columns(minutes)


def display_width(text: str) -> int:
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def assert_fits_terminal(output: str, columns: int = 80) -> None:
    for line in output.splitlines():
        assert display_width(line) <= columns, f"{display_width(line)} columns: {line!r}"
        assert "\x1b" not in line and "\u2028" not in line and "\u202e" not in line, repr(line)


# --- -m cannot leave the data folder ------------------------------------------------------

BAD_IDS = ["../../etc/passwd", "2022-03-08/../x", f"{MEETING}/../../x", "/etc/passwd", "..",
           ".", "", f"{MEETING}.toml", f"{MEETING}/", f"./{MEETING}", f"{MEETING}\n",
           f"{MEETING}\x00", f"{MEETING} ", "2024-13-01", "2024-02-30", f"{MEETING}-1",
           f"{MEETING}-01", f"{MEETING}-0", "council", "２０２４-０５-１０",
           "../meetings/" + MEETING]
ID_COMMANDS = [["show"], ["status"], ["minutes"], ["notice"], ["agenda", "list"],
               ["sign", "lxj", "--at", "19:40"], ["speak", "lxj", "好", "--at", "19:40"],
               ["vote", "M1", "--yes", "1", "--no", "0"], ["close", "--at", "21:00"],
               ["undo"], ["agenda", "add", "题"]]


@pytest.mark.parametrize("bad", BAD_IDS, ids=[repr(b) for b in BAD_IDS])
def test_a_meeting_id_that_is_not_one_is_refused_by_every_command(run: Any, opened: str,
                                                                  bad: str) -> None:
    for args in ID_COMMANDS:
        refused(run.folder, *args, "-m", bad, because="store.bad_meeting_id", id=bad)
    refused(run.folder, "done", f"{bad}/A1", because="store.bad_meeting_id", id=bad)


def test_a_traversal_id_never_touches_a_file_outside(run: Any, opened: str,
                                                    tmp_path: Path) -> None:
    """A file that a traversal would reach exists and is valid: still refused, untouched."""
    outside = tmp_path / "x.toml"
    outside.write_bytes(run.meeting_bytes())
    inside = run.folder / "sub"
    inside.mkdir()
    for target in ("../x", f"{MEETING}/../../x", "sub/../../x"):
        refused(run.folder, "sign", "--guest", "甲", "--at", "19:40", "-m", target,
                because="store.bad_meeting_id", id=target)
        refused(run.folder, "show", "-m", target, because="store.bad_meeting_id", id=target)
    assert outside.read_bytes() == run.meeting_bytes()
    assert list(inside.iterdir()) == []


# --- names --------------------------------------------------------------------------------

HANDLED_NAMES = [
    "..", "../../etc/passwd", "/etc/passwd", "C:\\Windows\\system32", "~/.ssh/id_rsa",
    "*", "|", "#", "<script>", "<script>alert(1)</script>", "[x](http://evil)",
    "![x](http://evil/x.png)", "http://evil.example", "www.evil.example", "`rm -rf /`",
    "**粗**", "_斜_", "~~删~~", "$x^2$", "@all", "&amp;", "&#60;", "- 王", "+ 王", "1. 王",
    "1) 王", "# 王", "> 王", "---", "===", "王|芳", "王\\", '"王"', "'''", '"""', "a = 1",
    "[[attendee]]", "{ a = 1 }", "\\u0000", "%s%n", "${HOME}", "$(reboot)", "' OR 1=1 --",
    "<!-- x -->", "[x]: http://evil", "𠮷野家", "䶮", "王芳(3栋)", "a" * 40, "字" * 40,
]
# each with why it is refused (the schema.* message in input.bad_text)
REFUSED_NAMES = {
    "NUL": ("王\x00芳", "schema.control"),
    "newline": ("王\n芳", "schema.newline"),
    "carriage return": ("王\r芳", "schema.control"),
    "tab inside": ("王\t芳", "schema.control"),
    "ANSI escape": ("\x1b[31m红\x1b[0m", "schema.control"),
    "DEL": ("王\x7f芳", "schema.control"),
    "NEL (C1)": ("王\x85芳", "schema.control"),
    "line separator U+2028": ("王\u2028芳", "schema.newline"),
    "paragraph separator U+2029": ("王\u2029芳", "schema.newline"),
    "41 ASCII": ("a" * 41, "schema.too_long"),
    "41 Chinese": ("字" * 41, "schema.too_long"),
    "10,000": ("王" * 10_000, "schema.too_long"),
    "RLO U+202E": ("王\u202e芳", "schema.bidi"),
    "RLO first": ("\u202eabc", "schema.bidi"),
    "LRI..PDI": ("王\u2066芳\u2069", "schema.bidi"),
    "RLM U+200F": ("王\u200f芳", "schema.bidi"),
    "zero-width space": ("王\u200b芳", "schema.invisible"),
    "zero-width joiner": ("王\u200d芳", "schema.invisible"),
    "word joiner": ("王\u2060芳", "schema.invisible"),
    "BOM": ("\ufeff王芳", "schema.invisible"),
    "soft hyphen U+00AD": ("王\u00ad芳", "schema.invisible"),
    "invisible separator U+2063": ("王\u2063芳", "schema.invisible"),
    "blank": ("   ", "schema.empty"),
    "empty": ("", "schema.empty"),
    "noncharacter U+FFFF": ("王\uffff芳", "schema.noncharacter"),
    "noncharacter U+1FFFE": ("王\U0001fffe芳", "schema.noncharacter"),
}


def name_contexts(name: str) -> list[list[str]]:
    """Every place a command takes a person's name."""
    return [
        ["sign", "--guest", name, "--at", "19:40"],
        ["sign", name, "--at", "19:40"],
        ["member", "add", name, "--initials", "hx"],
        ["agenda", "add", "议题", "--by", name],
        ["speak", name, "发言", "--at", "19:45"],
        ["propose", "动议", "--by", name, "--second", "ly", "--at", "19:45"],
        ["propose", "动议", "--by", "lxj", "--second", name, "--at", "19:45"],
        ["action", "事项", "--owner", name, "--at", "19:45"],
        ["vote", "M1", "--yes", "1", "--no", "0", "--recuse", name, "--at", "19:45"],
        ["new", "会", "--date", "2024-06-01", "--host", name],
        ["new", "会", "--date", "2024-06-01", "--recorder", name],
    ]


@pytest.mark.parametrize(("name", "why"), list(REFUSED_NAMES.values()), ids=list(REFUSED_NAMES))
def test_a_bad_name_is_refused_everywhere_a_name_is_taken(run: Any, opened: str,
                                                          name: str, why: str) -> None:
    # a pending, seconded motion, so that `vote --recuse NAME` gets as far as the name
    ok(run.folder, "propose", "动议", "--by", "lxj", "--second", "ly", "--at", "19:35")
    for args in name_contexts(name):
        refused(run.folder, *args, because="input.bad_text", what_key="what.name", why_key=why)


def test_an_invisible_character_cannot_make_a_guest_look_like_a_member(run: Any,
                                                                       opened: str) -> None:
    """The minutes drop format characters (U+00AD, U+2063 …), so a guest signed in as
    `王\\u00ad建国` would appear there as a second 王建国 — a member. Refused."""
    for invisible in ("\u00ad", "\u2063", "\u2062", "\u180e"):
        refused(run.folder, "sign", "--guest", f"王{invisible}建国", "--at", "19:40",
                because="input.bad_text", what_key="what.name", why_key="schema.invisible",
                code=f"U+{ord(invisible):04X}")


def build_with_name(run: Any, folder: Path, name: str) -> None:
    """A guest called `name` who signs in, speaks, proposes an item and owns an action;
    the next meeting has them as host and recorder. Positional names come after `--`, as
    a user must type a name that starts with `-` (`- 王`, `---`)."""
    ok(folder, "sign", "--guest", "--org", name, "--at", "19:40", "--", name)
    ok(folder, "agenda", "add", "第三项", "--by", name)
    ok(folder, "speak", "--item", "3", "--at", "19:41", "--", name, "我说两句。")
    ok(folder, "action", "跟进", "--owner", name, "--at", "19:42")
    ok(folder, "done", "A1", "--note", name)
    ok(folder, "new", "下次会", "--date", "2024-06-01", "--host", name, "--recorder", name,
       "--place", name)


@pytest.mark.parametrize("name", HANDLED_NAMES, ids=[repr(n)[:30] for n in HANDLED_NAMES])
def test_a_strange_but_valid_name_is_handled(run: Any, opened: str, templates: dict[str, Path],
                                             tmp_path: Path, name: str) -> None:
    hostile, plain = run.folder, tmp_path / "plain"
    copy_tracked(templates["open"], plain)
    build_with_name(run, hostile, name)
    build_with_name(run, plain, "普通人")
    # a name is never a path: the folder holds the council and the two meetings, no more
    assert set(tracked(hostile)) == {".gitignore", "council.toml", f"{opened}.toml",
                                     "2024-06-01.toml"}, sorted(tracked(hostile))
    assert {p.name for p in tmp_path.iterdir()} == {"meetings", "plain", "cwd"}
    assert [p.name for p in (tmp_path / "cwd").iterdir()] == []
    path = run.meeting_path(opened)
    data = path.read_bytes()
    meeting = fileformat.load_meeting(data, str(path))
    assert fileformat.dump_meeting(meeting).encode("utf-8") == data
    assert check_file(path) == [], [p.render("en") for p in check_file(path)]
    assert check_file(hostile / "2024-06-01.toml") == []
    guest = [a for a in meeting.attendee if a.role == "guest"][-1]
    assert (guest.name, guest.org) == (name, name), "the name was not stored as given"
    assert meeting.speech[-1].speaker == name and meeting.action[-1].owner == name
    assert meeting.item[-1].by == name and meeting.action[-1].note == name
    # the file holds it as a string, not as TOML syntax: no comment warning on a rewrite
    result = ok(hostile, "agenda", "add", "第四项")
    assert WARNING not in result.stderr, result.stderr
    ok(hostile, "check")
    # terminal output stays within 80 columns
    for args in (["status"], ["show"], ["agenda", "list"], ["list"], ["actions"]):
        assert_fits_terminal(ok(hostile, *args, env=TERMINAL).stdout)
    ok(plain, "agenda", "add", "第四项")
    for args in (["minutes", "-m", opened], ["notice", "-m", opened],
                 ["minutes", "-m", "2024-06-01"]):
        minutes, placeholder = ok(hostile, *args).stdout, ok(plain, *args).stdout
        assert_well_formed_minutes(minutes, placeholder)
    minutes = ok(hostile, "minutes", "-m", opened).stdout
    # what was typed reads back as typed (a name is one line; surrounding spaces trimmed)
    assert name.strip() in plain_text(minutes), f"{name!r} is not in the minutes as text"


@pytest.mark.parametrize("junk", ["\n", "\x1b[2J", "\x00"], ids=["newline", "ANSI", "NUL"])
def test_an_error_never_echoes_control_characters_to_the_terminal(run: Any, opened: str,
                                                                 junk: str) -> None:
    """Errors quote what was typed; a typed newline or escape sequence must not reach the
    terminal raw (a second line, a cleared screen): one clear line, whatever the input."""
    ok(run.folder, "action", "事项", "--owner", "lxj", "--at", "19:40")
    for args, because, said in (
            (["sign", "lxj", "--at", f"19:4{junk}5"], "input.bad_time", {"value": f"19:4{junk}5"}),
            (["new", "会", "--date", f"2024-06{junk}-01"], "input.bad_date",
             {"value": f"2024-06{junk}-01"}),
            (["done", f"A{junk}9"], "live.no_such_action", {"id": f"A{junk}9"}),
            (["vote", f"M{junk}9", "--yes", "1", "--no", "0", "--at", "19:45"],
             "live.no_such_motion", {"id": f"M{junk}9"}),
            (["show", "-m", f"2024{junk}"], "store.bad_meeting_id", {"id": f"2024{junk}"})):
        refused(run.folder, *args, because=because, **said)


def test_initials_that_are_not_initials_are_refused(run: Any) -> None:
    # the two with control characters last: their refusal echoes them (see the report)
    for initials in ("../x", "a b", "ABC" * 5, "王", "", "a-b", "l\nxj", "a\x00"):
        refused(run.folder, "member", "add", "新成员", "--initials", initials,
                because="council.bad_initials")


# --- text ---------------------------------------------------------------------------------

HOSTILE_TEXTS = {
    "markdown blocks": ("第一行\n# 不是标题\n| a | b |\n|---|---|\n---\n    缩进代码\n```\n"
                        "<script>alert(1)</script>\n[x]: http://evil\n1. 不是列表\n> 不是引用\n"
                        "- 也不是\n==="),
    "inline markdown": "**粗** _斜_ `代码` [链接](http://evil) ![图](x.png) <b>粗</b> ~~删~~ $x$",
    "toml quotes": 'a"""b\'\'\'c"d\'e',
    "toml escapes": "反斜杠\\ \\n \\u0000 \\\" 结尾\\",
    "toml comment": "# 这不是注释\nkey = \"value\" # 也不是",
    "tabs": "第一列\t第二列\n\t缩进",
    "table pipes": "| 列1 | 列2 |\n| 表格 | 注入 |",
    "html entities": "&lt;script&gt; &amp; &#x3C; &nbsp;",
    # a GFM table needs only a header line and a delimiter line under it: an escaped pipe
    # still splits the header for markdown-it, and the list item is swallowed (#19 §6)
    "table delimiter": "费用|分摊\n:--",
    "table delimiters": "费用|分摊|合计\n:--|--:|:-:\n- | -\n--:\n|---|",
    "delimiter alone": "分摊\n:--:",
}
# each with why it is refused (the schema.* message in input.bad_text)
REFUSED_TEXTS = {
    "NUL": ("发言\x00内容", "schema.control"),
    "RLO": ("发言\u202e内容", "schema.bidi"),
    "escape": ("发言\x1b[2J内容", "schema.control"),
    # noncharacters: U+FFFE/U+FFFF are outside XML 1.0 (the Word file crashed on them)
    "U+FFFE": ("发言\ufffe内容", "schema.noncharacter"),
    "U+FFFF": ("发言\uffff内容", "schema.noncharacter"),
    "U+FDD0": ("发言\ufdd0内容", "schema.noncharacter"),
    "U+10FFFF": ("发言\U0010ffff内容", "schema.noncharacter"),
    # (a CR LF in a speech, motion or action is a line end since issue 10 #17:
    # tests/test_typed_input.py)
    "20,001": ("字" * 20_001, "schema.too_long"),
}


def placeholder_for(text: str) -> str:
    lines = [line for line in text.split("\n") if line.strip()]
    return "\n".join(f"普通的第{n}行" for n in range(len(lines)))


def build_with_text(folder: Path, text: str) -> None:
    ok(folder, "speak", "lxj", "-", "--at", "19:40", input=text)
    ok(folder, "propose", "-", "--by", "lxj", "--second", "ly", "--at", "19:41", input=text)
    ok(folder, "action", "-", "--owner", "wjg", "--at", "19:42", input=text)
    ok(folder, "done", "A1", "--note", text)


@pytest.mark.parametrize("text", list(HOSTILE_TEXTS.values()), ids=list(HOSTILE_TEXTS))
def test_hostile_speech_motion_and_action_text_is_kept_and_stays_inert(
        run: Any, opened: str, templates: dict[str, Path], tmp_path: Path, text: str) -> None:
    plain = tmp_path / "plain"
    copy_tracked(templates["open"], plain)
    build_with_text(run.folder, text)
    build_with_text(plain, placeholder_for(text))
    path = run.meeting_path(opened)
    data = path.read_bytes()
    meeting = fileformat.load_meeting(data, str(path))
    assert fileformat.dump_meeting(meeting).encode("utf-8") == data
    assert check_file(path) == []
    stored = text.strip()
    assert meeting.speech[-1].text == stored and meeting.motion[-1].text == stored
    assert meeting.action[-1].text == stored and meeting.action[-1].note == stored
    result = ok(run.folder, "agenda", "add", "再一项")
    assert WARNING not in result.stderr, "a rewrite took text for a comment: " + result.stderr
    ok(plain, "agenda", "add", "再一项")
    assert_fits_terminal(ok(run.folder, "status", env=TERMINAL).stdout)
    assert_fits_terminal(ok(run.folder, "show", env=TERMINAL).stdout)
    minutes = ok(run.folder, "minutes").stdout
    assert_well_formed_minutes(minutes, ok(plain, "minutes").stdout)
    assert_well_formed_minutes(ok(run.folder, "notice").stdout, ok(plain, "notice").stdout)
    seen = plain_text(minutes)
    for line in (line.strip() for line in stored.split("\n")):
        if line:
            assert line.replace("\t", " ") in seen, f"{line!r} is not readable in the minutes"


@pytest.mark.parametrize(("text", "why"), list(REFUSED_TEXTS.values()), ids=list(REFUSED_TEXTS))
def test_bad_text_is_refused_wherever_text_is_taken(run: Any, opened: str, text: str,
                                                    why: str) -> None:
    for args, stdin, what in (
            (["speak", "lxj", text, "--at", "19:40"], None, "what.speech"),
            (["speak", "lxj", "-", "--at", "19:40"], text, "what.speech"),
            (["propose", "-", "--by", "lxj", "--second", "ly", "--at", "19:40"], text,
             "what.motion"),
            (["action", "-", "--owner", "lxj", "--at", "19:40"], text, "what.action"),
            (["agenda", "add", text], None, "what.title"),
            (["new", text, "--date", "2024-06-01"], None, "what.title"),
            (["new", "会", "--date", "2024-06-01", "--note", "-"], text, "what.note"),
            (["sign", "--guest", "甲", "--org", text, "--at", "19:40"], None, "what.org")):
        refused(run.folder, *args, input=stdin, because="input.bad_text", what_key=what,
                why_key=why)


def test_a_speech_of_20000_characters_is_accepted_and_20001_refused(run: Any,
                                                                     opened: str) -> None:
    longest = "议" * 20_000
    # from stdin, with the newline a pasted text ends with
    ok(run.folder, "speak", "lxj", "-", "--at", "19:40", input=longest + "\n")
    path = run.meeting_path(opened)
    meeting = fileformat.load_meeting(path.read_bytes(), str(path))
    assert meeting.speech[-1].text == longest
    assert check_file(path) == []
    ok(run.folder, "speak", "ly", longest, "--at", "19:41")  # and as an argument
    too_long = {"what_key": "what.speech", "why_key": "schema.too_long", "n": 20_001,
                "limit": 20_000}
    refused(run.folder, "speak", "lxj", "-", "--at", "19:42", input=longest + "议",
            because="input.bad_text", **too_long)
    refused(run.folder, "speak", "lxj", longest + "议", "--at", "19:42",
            because="input.bad_text", **too_long)
    # mixed with newlines: still counted in characters
    lines = ("一二三四五六七八九\n" * 2_000)[:20_000]
    ok(run.folder, "speak", "wjg", "-", "--at", "19:43", input=lines)
    status = ok(run.folder, "status", env=TERMINAL).stdout
    assert_fits_terminal(status)
    minutes = ok(run.folder, "minutes").stdout
    assert plain_text(minutes).count("议" * 20_000) == 2
    assert_tables_keep_their_columns(minutes)


def test_a_5_mb_speech_from_stdin_is_refused_in_one_short_line(run: Any, opened: str) -> None:
    five_mb = "说" * (5 * 1024 * 1024 // 3)  # 5 MB of UTF-8
    assert len(five_mb.encode("utf-8")) >= 5 * 1024 * 1024 - 3
    too_long = {"why_key": "schema.too_long", "limit": 20_000}
    refused(run.folder, "speak", "lxj", "-", "--at", "19:40", input=five_mb,
            because="input.bad_text", what_key="what.speech", **too_long)
    refused(run.folder, "propose", "-", "--by", "lxj", "--second", "ly", "--at", "19:40",
            input=five_mb, because="input.bad_text", what_key="what.motion", **too_long)
    refused(run.folder, "action", "-", "--owner", "lxj", "--at", "19:40", input=five_mb,
            because="input.bad_text", what_key="what.action", **too_long)
    # 5 MB that is not even UTF-8 (a GBK file piped in): its length is what is said first
    refused(run.folder, "speak", "lxj", "-", "--at", "19:40",
            input=("说" * 100_000).encode("gbk") * 17, because="input.bad_text",
            what_key="what.speech", **too_long)


def test_a_5_mb_speech_through_a_real_pipe(run: Any, opened: str) -> None:
    """The same through `python -m yiguan`, stdin a real pipe: refused, one line."""
    before = snapshot(run.folder)
    env = {k: v for k, v in os.environ.items() if k not in ("YIGUAN_LANG", "YIGUAN_DIR")}
    done = subprocess.run([sys.executable, "-m", "yiguan", "--dir", str(run.folder), "speak",
                           "lxj", "-", "--at", "19:40"], input=("说" * 1_800_000).encode(),
                          capture_output=True, env=env, timeout=120)
    assert_refused(done, "input.bad_text", what_key="what.speech", why_key="schema.too_long",
                   n=1_800_000, limit=20_000)
    assert snapshot(run.folder) == before


# --- bytes that are not UTF-8 on the command line -----------------------------------------

def test_non_utf8_bytes_in_arguments_are_refused_not_a_traceback(run: Any, opened: str) -> None:
    """A GBK terminal on a UTF-8 system sends 王芳 as b'\\xcd\\xf5\\xb7\\xbc'; Python turns
    such bytes into lone surrogates (U+DCCD …). They cannot be written as UTF-8: the
    command must refuse with one line, not crash while saving."""
    env = {k: v for k, v in os.environ.items() if k not in ("YIGUAN_LANG", "YIGUAN_DIR")}
    gbk = "王芳".encode("gbk")
    for args, what in (([b"sign", b"--guest", gbk, b"--at", b"19:40"], "what.name"),
                       ([b"agenda", b"add", b"\xd2\xe9\xcc\xe2" + gbk], "what.title"),
                       ([b"speak", b"lxj", gbk, b"--at", b"19:40"], "what.speech"),
                       ([b"new", gbk, b"--date", b"2024-06-01"], "what.title")):
        before = snapshot(run.folder)
        done = subprocess.run([sys.executable, "-m", "yiguan", "--dir", str(run.folder), *args],
                              capture_output=True, env=env, timeout=60)
        err = done.stderr.decode("utf-8", "replace")
        assert "Traceback" not in err and "UnicodeEncodeError" not in err, (args, err[-1500:])
        assert_refused(done, "input.bad_text", what_key=what, why_key="schema.not_unicode")
        assert snapshot(run.folder) == before, args


def test_lone_surrogates_are_refused_in_every_text_field(run: Any, opened: str) -> None:
    bad = "王\udccd\udcf5"
    for args, what in ((["sign", "--guest", bad, "--at", "19:40"], "what.name"),
                       (["agenda", "add", bad], "what.title"),
                       (["speak", "lxj", bad, "--at", "19:40"], "what.speech"),
                       (["propose", bad, "--by", "lxj", "--second", "ly", "--at", "19:40"],
                        "what.motion"),
                       (["action", bad, "--owner", "lxj", "--at", "19:40"], "what.action"),
                       (["new", bad, "--date", "2024-06-01"], "what.title"),
                       (["new", "会", "--date", "2024-06-01", "--place", bad], "what.place")):
        refused(run.folder, *args, because="input.bad_text", what_key=what,
                why_key="schema.not_unicode")


# --- 10,000 attendees ---------------------------------------------------------------------

def add_guests(folder: Path, count: int) -> None:
    """`count` guests written through the library (the CLI signs in the last ones)."""
    from yiguan.record.model import Attendee
    from yiguan.store.folder import DataFolder

    with DataFolder(folder).edit_meeting(MEETING) as change:
        meeting = change.value
        start = len(meeting.attendee)
        meeting.attendee += [Attendee(id=f"P{start + n + 1}", name=f"列席{n:05d}", role="guest",
                                      org="街道办" if n % 2 else None, arrived="19:25")
                             for n in range(count)]


@pytest.mark.slow
def test_ten_thousand_attendees(run: Any, opened: str, templates: dict[str, Path],
                                tmp_path: Path) -> None:
    """5 members signed in by the fixture, 9,895 guests written through the library, the
    last 100 signed in with one `sign --guest NAME…`: commands still work, the file
    checks clean, and `status` and the minutes keep their form."""
    folder = run.folder
    add_guests(folder, 9_895)
    last = [f"后到{n:03d}" for n in range(100)]
    result = ok(folder, "sign", "--guest", *last, "--at", "19:40")
    assert "列席 9995 人" in result.stdout, result.stdout[-300:]
    path = run.meeting_path(opened)
    meeting = fileformat.load_meeting(path.read_bytes(), str(path))
    assert len(meeting.attendee) == 10_000
    assert len({a.id for a in meeting.attendee}) == 10_000
    assert fileformat.dump_meeting(meeting).encode("utf-8") == path.read_bytes()
    assert check_file(path) == []
    status = ok(folder, "status", env=TERMINAL).stdout
    assert_fits_terminal(status)
    assert "9995" in status, status
    minutes = ok(folder, "minutes").stdout
    # the same meeting with three guests has the same structure
    small = tmp_path / "small"
    copy_tracked(templates["open"], small)
    add_guests(small, 2)
    ok(small, "sign", "--guest", "后到000", "--at", "19:40")
    assert_well_formed_minutes(minutes, ok(small, "minutes").stdout)
    seen = plain_text(minutes)
    assert all(name in seen for name in ("列席00000", "列席09894", "后到099"))
