"""Format v1: TOML text ↔ records, with one canonical way to write every file.

Reading is tomllib plus the schema in `model`; every problem is collected with its file
(and, for syntax errors, line and column). Writing is canonical so that `git diff` shows
only the lines that changed: fixed key order per record, every record as a `[[table]]`
block, every non-empty list one element per line, strings with newlines as multi-line
strings, UTF-8 unescaped. tomli-w formats each value; this module decides the layout,
because tomli-w alone flips a whole array between inline and block form depending on
the longest element.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import tomli_w

from ..text.errors import BrokenFile, Problem
from . import canonical
from .kinds import KINDS
from .model import (
    COUNCIL_FILE,
    COUNCIL_KEYS,
    FORMAT_VERSION,
    SIGNED,
    Calendar,
    Council,
    Meeting,
    Member,
    Rules,
    meeting_names,
)
from .schema import Key, Record, table_of, validate_value

_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_END_POSITION = re.compile(r"\s*\(at end of document\)\s*$")


# --- reading ------------------------------------------------------------------------------

def parse_toml(data: bytes, path: str) -> dict[str, Any]:
    """Bytes → dict, or BrokenFile with `file:line:col: message`."""
    if data.startswith(b"\xef\xbb\xbf"):  # Windows Notepad writes a BOM; TOML forbids it
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad_line = data[: error.start].count(b"\n") + 1
        raise BrokenFile([Problem(path, "format.not_utf8", {}, line=bad_line)]) from None
    fast = canonical.parse(text)  # yiguan's own layout, 2x faster than tomllib
    if fast is not None:
        return fast
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        detail = str(error)
        match = _POSITION.search(detail)
        line: int | None = None
        col: int | None = None
        if match:
            line, col = int(match.group(1)), int(match.group(2))
            detail = detail[: match.start()]
        else:
            end = _END_POSITION.search(detail)
            if end:
                line = text.count("\n") + 1
                col = len(text) - (text.rfind("\n") + 1) + 1
                detail = detail[: end.start()]
        raise BrokenFile([Problem(path, "format.syntax", {"detail": detail}, line=line,
                                  col=col)]) from None


def check_format(data: dict[str, Any], path: str, problems: list[Problem]) -> bool:
    version = data.get("format")
    if version is None:
        problems.append(Problem(path, "schema.missing", {"key": "format"}, "format"))
        return False
    if type(version) is not int or version != FORMAT_VERSION:  # true and 1.0 equal 1 in Python
        problems.append(Problem(path, "format.version", {"found": toml_value(version),
                                                          "supported": FORMAT_VERSION}, "format"))
        return False
    return True


def records_in(data: dict[str, Any], name: str, record_type: type[Record], path: str,
             problems: list[Problem]) -> list[Any]:
    raw = data.get(name, [])
    if not isinstance(raw, list):
        problems.append(Problem(path, "schema.want_array_of_tables", {}, name))
        return []
    out = []
    for index, table in enumerate(raw):
        made = record_type.from_table(table, f"{name}[{index}]", path, problems)
        if made is not None:
            out.append(made)
    ids = Counter(r.id for r in out if hasattr(r, "id"))
    for dup in sorted((i for i, n in ids.items() if n > 1), key=str):
        problems.append(Problem(path, "schema.duplicate_id", {"id": dup}, name))
    return out


def council_from_data(data: dict[str, Any], path: str) -> tuple[Council | None, list[Problem]]:
    problems: list[Problem] = []
    if not check_format(data, path, problems):
        return None, problems
    for key in data:
        if key not in COUNCIL_FILE:
            problems.append(Problem(path, "schema.unknown_key", {"key": key}, key))
    name = validate_value(Key("name", "line"), data["name"], "name", path, problems) \
        if "name" in data else None
    if "name" not in data:
        problems.append(Problem(path, "schema.missing", {"key": "name"}, "name"))
    public = {key.name: validate_value(key, data[key.name], key.name, path, problems)
              for key in COUNCIL_KEYS if key.name in data}
    rules = Rules.from_table(data.get("rules", {}), "rules", path, problems) \
        if "rules" in data else Rules()
    calendar = Calendar.from_table(data["calendar"], "calendar", path, problems) \
        if "calendar" in data else Calendar()
    members = records_in(data, "member", Member, path, problems)
    names = Counter(m.name for m in members)
    for dup in sorted(n for n, count in names.items() if count > 1):
        problems.append(Problem(path, "schema.duplicate_member", {"name": dup}, "member"))
    if problems or name is None or rules is None or calendar is None:
        return None, problems
    return Council(name=name, rules=rules, members=members, calendar=calendar,
                   **public), problems


def meeting_from_data(data: dict[str, Any], path: str) -> tuple[Meeting | None, list[Problem]]:
    problems: list[Problem] = []
    if not check_format(data, path, problems):
        return None, problems
    known = meeting_names()
    for name in data:
        if name not in known:
            problems.append(Problem(path, "schema.unknown_key", {"key": name}, name))
    top: dict[str, Any] = {}
    for key in Meeting.TOP:
        if key.name not in data:
            if key.required:
                problems.append(Problem(path, "schema.missing", {"key": key.name}, key.name))
            continue
        value = validate_value(key, data[key.name], key.name, path, problems)
        if value is not None:
            top[key.attribute] = value
    if "rules" not in data:
        problems.append(Problem(path, "schema.missing", {"key": "rules"}, "rules"))
        rules = None
    else:
        rules = Rules.from_table(data["rules"], "rules", path, problems)
    records = {r.TABLE: records_in(data, r.TABLE, r, path, problems) for r in KINDS.all}
    signed = data.get(SIGNED)
    if signed is not None:
        from .signed import signed_problems

        where = signed_problems(signed)
        if where is not None:
            problems.append(Problem(path, "schema.bad_signed", {}, where))
    if problems or rules is None:
        return None, problems
    # validated above, key by key: the keyword arguments are of the right types
    return Meeting(rules=rules, signed=signed, **top, **records), problems  # type: ignore[arg-type]


def load_council(data: bytes, path: str) -> Council:
    council, problems = council_from_data(parse_toml(data, path), path)
    if council is None:
        raise BrokenFile(problems)
    return council


def load_meeting(data: bytes, path: str) -> Meeting:
    meeting, problems = meeting_from_data(parse_toml(data, path), path)
    if meeting is None:
        raise BrokenFile(problems)
    return meeting


# --- writing ------------------------------------------------------------------------------

_PLAIN_STRING = re.compile(r'[^"\\\x00-\x1f\x7f]*')


def toml_value(value: Any) -> str:
    """One value as TOML, lists always one element per line.

    Strings without quotes, backslashes or control characters (nearly all of them) and
    whole numbers are written here directly; everything else goes through tomli-w.
    """
    kind = type(value)
    if kind is str and _PLAIN_STRING.fullmatch(value):
        return f'"{value}"'
    if kind is int:
        return str(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "".join(f"    {toml_value(v)},\n" for v in value) + "]"
    if isinstance(value, dict):  # only in hand-written files: an inline table
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    line = tomli_w.dumps({"v": value}, multiline_strings=True)
    return line[len("v = "):-1]


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key(name: str) -> str:
    if _BARE_KEY.fullmatch(name):
        return name
    line = tomli_w.dumps({name: 0})
    return line[: -len(" = 0\n")]


def table_body(table: dict[str, Any]) -> str:
    return "".join(f"{_key(k)} = {toml_value(v)}\n" for k, v in table.items())


def _rules_blocks(rules: Rules) -> list[str]:
    table = rules.to_table()
    presets = table.pop("presets")
    return ["[rules]\n" + table_body(table), "[rules.presets]\n" + table_body(presets)]


def dump_council(council: Council) -> str:
    top = {"format": council.format, "name": council.name}
    top.update({key.name: getattr(council, key.attribute) for key in COUNCIL_KEYS
                if getattr(council, key.attribute) is not None})
    blocks = [table_body(top)]
    blocks += _rules_blocks(council.rules)
    if not council.calendar.is_empty():
        blocks.append("[calendar]\n" + table_body(council.calendar.to_table()))
    blocks += ["[[member]]\n" + table_body(m.to_table()) for m in council.members]
    return "\n".join(blocks)


def meeting_top(meeting: Meeting) -> dict[str, Any]:
    return {"format": meeting.format, **table_of(Meeting.TOP, meeting)}


def dump_meeting(meeting: Meeting) -> str:
    blocks = [table_body(meeting_top(meeting))]
    blocks += _rules_blocks(meeting.rules)
    for kind in KINDS.all:
        blocks += [f"[[{kind.TABLE}]]\n" + table_body(r.to_table())
                   for r in meeting.records(kind)]
    if meeting.signed is not None:
        blocks += _signed_blocks(meeting.signed)
    return "\n".join(blocks)


def _signed_blocks(signed: dict[str, Any]) -> list[str]:
    """`[signed]` with its own lines, then one `[signed.<table>]` per table: after the
    records, where a reader of the file has seen what it fingerprints."""
    plain = {k: v for k, v in signed.items() if not isinstance(v, dict)}
    blocks = [f"[{SIGNED}]\n" + table_body(plain)] if plain else []
    blocks += [f"[{SIGNED}.{_key(k)}]\n" + table_body(v) for k, v in signed.items()
               if isinstance(v, dict)]
    return blocks


def _ordered(table: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """`table` with the schema's keys first in schema order, then any others sorted."""
    known = [k for k in keys if k in table]
    others = sorted(k for k in table if k not in keys)
    return {k: table[k] for k in known + others}


def _plain_rules(rules: Any) -> list[str]:
    if not isinstance(rules, dict):
        return ["[rules]\n" + table_body({"value": rules})] if rules is not None else []
    table = dict(rules)
    presets = table.pop("presets", None)
    blocks = ["[rules]\n" + table_body(_ordered(table, [k.name for k in Rules.SPEC]))]
    if isinstance(presets, dict):
        blocks.append("[rules.presets]\n" + table_body(dict(sorted(presets.items()))))
    return blocks


def dump_data(data: dict[str, Any], *, council: bool) -> str:
    """Canonical text for parsed TOML that need not satisfy the schema.

    Known keys go in schema order and unknown ones after them, so nothing is dropped:
    `fmt` and the merge driver use this, and for a valid file it gives exactly what
    `dump_meeting` / `dump_council` give. Values that are not records (say, a table where
    an array of tables belongs) fall back to tomli-w's own layout.
    """
    tables: tuple[tuple[str, type[Record]], ...] = ((Member.TABLE, Member),) if council else \
        tuple((r.TABLE, r) for r in KINDS.all)
    top_keys = (["format", "name"] + [k.name for k in COUNCIL_KEYS] if council
                else ["format"] + [k.name for k in Meeting.TOP])
    plain = {k: v for k, v in data.items()
             if k != "rules" and k not in dict(tables) and (council or k != SIGNED)}
    blocks = []
    scalars = {k: v for k, v in plain.items() if not isinstance(v, dict)}
    blocks.append(table_body(_ordered(scalars, top_keys)))
    blocks += _plain_rules(data.get("rules")) if "rules" in data else []
    for key, value in sorted((k, v) for k, v in plain.items() if isinstance(v, dict)):
        if council and key == "calendar":  # as dump_council writes it
            order = [k.name for k in Calendar.SPEC]
            blocks.append("[calendar]\n" + table_body(_ordered(value, order)))
            continue
        blocks.append(tomli_w.dumps({key: value}, multiline_strings=True))
    for name, record_type in tables:
        records = data.get(name)
        if records is None:
            continue
        if isinstance(records, list) and all(isinstance(r, dict) for r in records):
            order = [k.name for k in record_type.SPEC]
            blocks += [f"[[{name}]]\n" + table_body(_ordered(r, order)) for r in records]
        else:
            blocks.append(tomli_w.dumps({name: records}, multiline_strings=True))
    signed = None if council else data.get(SIGNED)
    if isinstance(signed, dict) and all(
            isinstance(v, dict) and all(not isinstance(x, (dict, list)) for x in v.values())
            or not isinstance(v, (dict, list)) for v in signed.values()):
        blocks += _signed_blocks(signed)
    elif signed is not None:  # not what yiguan writes: as tomli-w lays it out
        blocks.append(tomli_w.dumps({SIGNED: signed}, multiline_strings=True))
    return "\n".join(b for b in blocks if b)


def canonical_text(data: bytes, path: str, *, council: bool) -> str:
    """The canonical form of a file's text; raises BrokenFile on a syntax error."""
    return dump_data(parse_toml(data, path), council=council)


# --- comments -------------------------------------------------------------------------------

def has_comments(text: str) -> bool:
    """Whether a TOML text holds a `#` comment (which a rewrite would drop).

    A small scanner that skips basic, literal and multi-line strings.
    """
    if "#" not in text:
        return False
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "#":
            return True
        if text.startswith('"""', i) or text.startswith("'''", i):
            quote = text[i: i + 3]
            i += 3
            while i < n and not text.startswith(quote, i):
                i += 2 if (quote == '"""' and text[i] == "\\") else 1
            # a closing run may hold up to two extra quotes that belong to the string
            i += 3
            while i < n and text[i] == quote[0]:
                i += 1
            continue
        if char in "\"'":
            i += 1
            while i < n and text[i] != char and text[i] != "\n":
                i += 2 if (char == '"' and text[i] == "\\") else 1
            i += 1
            continue
        i += 1
    return False
