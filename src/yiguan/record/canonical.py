"""A fast reader for the one layout yiguan writes, handing everything else to tomllib.

tomllib is a general TOML parser written in Python, character by character; it is ~70%
of what loading a meeting costs, and a street office's 10,000 meetings are parsed on
every core when their index is built. yiguan writes every file in a narrow canonical
layout (fileformat.dump_meeting): `[table]` and `[[array]]` headers, `key = value` lines
with bare or quoted keys, basic strings, multi-line basic strings, integers, booleans,
dates and one-element-per-line arrays. This module reads exactly that, line by line with
regular expressions, and gives up — returning None — at the first thing it does not
expect: a comment, a literal string, a float, an inline table, a repeated key, an escape
TOML does not define. The caller then parses with tomllib, which also produces the exact
error message for a broken file. So the result is always what tomllib would return;
`tests/test_canonical.py` checks that on generated files and hypothesis-made values.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_BARE_KEY = r"[A-Za-z0-9_-]+"
_QUOTED_KEY = r'"(?:[^"\\\x00-\x1f\x7f]|\\.)*"'
_KEY_VALUE = re.compile(rf"({_BARE_KEY}|{_QUOTED_KEY}) = (.*)\Z")
_TABLE = re.compile(rf"\[({_BARE_KEY}(?:\.{_BARE_KEY})*)\]\Z")
_ARRAY_TABLE = re.compile(rf"\[\[({_BARE_KEY})\]\]\Z")
_STRING = re.compile(r'"((?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\.)*)"\Z')
_INTEGER = re.compile(r"(?:0|-?[1-9][0-9]*)\Z")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_ESCAPE = re.compile(r"\\(?:([btnfr\"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
# One line inside a multi-line string: characters other than controls (tab allowed),
# escapes taken as pairs, quotes not three in a row; then the closing """ with nothing
# after it, or the end of the line. A line ending in a lone backslash (line continuation)
# does not match, nor does a closing followed by more quotes: tomllib reads those.
_MULTILINE_LINE = re.compile(r'((?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\.|"(?!""))*)(""")?\Z')


# Bare keys met before: a line `key = value` whose key is one of them is split without
# a regular expression (a bare key holds no space or quote, so the first " = " ends it).
_BARE_KEYS_SEEN: set[str] = set()
_BARE_KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


class _GiveUp(Exception):
    """Not the canonical layout: let tomllib read it."""


def parse(text: str) -> dict[str, Any] | None:
    """The parsed document, or None when `text` is not in yiguan's canonical layout."""
    try:
        return _parse(text)
    except _GiveUp:
        return None


def head_string(text: str, key: str) -> str | None:
    """A top-level string `key` read from the head of a file in yiguan's layout, without
    parsing the rest: each line before it must be blank or `key = value` with a one-line
    value (top-level keys precede every table in TOML, and yiguan writes its short keys
    before any value that can span lines). None when the head is otherwise (a table, a
    multi-line value, a comment, a hand-written form): the caller parses the whole file.
    So a note that holds the line `status = "open"` never fools it."""
    for line in text.split("\n"):
        if not line:
            continue
        match = _KEY_VALUE.match(line)
        if match is None:
            return None
        name, raw = match.groups()
        if raw[:1] in ("[", "{") or raw.startswith('"""'):
            return None
        if _key(name) == key:
            try:
                value = _scalar(raw)
            except _GiveUp:
                return None
            return value if isinstance(value, str) else None
    return None


def _unescape(body: str) -> str:
    if "\\" not in body:
        return body

    def replace(match: re.Match[str]) -> str:
        simple, short, long, other = match.groups()
        if simple is not None:
            return _SIMPLE_ESCAPES[simple]
        code = int(short or long or "x", 16) if other is None else -1
        if code < 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            raise _GiveUp  # an escape TOML 1.0 does not allow: tomllib says why
        return chr(code)

    return _ESCAPE.sub(replace, body)


def _scalar(raw: str) -> Any:
    if raw[:1] == '"':
        inner = raw[1:-1]
        if raw[-1:] == '"' and len(raw) > 1 and inner.isprintable() and '"' not in inner \
                and "\\" not in inner:
            return inner  # no escape, no control character: the text as it stands
        match = _STRING.match(raw)
        if not match:
            raise _GiveUp
        return _unescape(match.group(1))
    if raw == "true":
        return True
    if raw == "false":
        return False
    if raw.isdigit():  # a count or a number (a leading zero, or a digit that is not
        if raw.isascii() and (raw[0] != "0" or raw == "0"):  # ASCII, is for tomllib)
            return int(raw)
        raise _GiveUp
    if _INTEGER.match(raw):
        return int(raw)
    match = _DATE.match(raw)
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise _GiveUp from None
    raise _GiveUp


def _key(raw: str) -> str:
    if raw.startswith('"'):
        return _unescape(raw[1:-1])
    return raw


def _parse(text: str) -> dict[str, Any]:
    root: dict[str, Any] = {}
    current = root
    defined: set[tuple[str, ...]] = set()  # tables opened by a [header]
    static: set[int] = set()  # arrays written as values: `[[name]]` may not extend them
    lines = text.split("\n")
    count = len(lines)
    i = 0
    while i < count:
        line = lines[i]
        i += 1
        if not line:
            continue
        if line[0] == "[":
            if line.startswith("[["):
                match = _ARRAY_TABLE.match(line)
                if not match:
                    raise _GiveUp
                name = match.group(1)
                array = root.setdefault(name, [])
                if not isinstance(array, list) or (name,) in defined or id(array) in static:
                    raise _GiveUp  # `attendee = []` then [[attendee]]: TOML forbids it
                current = {}
                array.append(current)
                continue
            match = _TABLE.match(line)
            if not match:
                raise _GiveUp
            path = tuple(match.group(1).split("."))
            if path in defined:
                raise _GiveUp
            defined.add(path)
            current = root
            for part in path:
                child = current.setdefault(part, {})
                if not isinstance(child, dict) or isinstance(root.get(path[0]), list):
                    raise _GiveUp
                current = child
            continue
        key, equals, raw = line.partition(" = ")
        if not equals or key not in _BARE_KEYS_SEEN:  # a key not seen yet, or quoted
            match = _KEY_VALUE.match(line)
            if not match:
                raise _GiveUp
            key, raw = _key(match.group(1)), match.group(2)
            if len(_BARE_KEYS_SEEN) < 512 and not match.group(1).strip(_BARE_KEY_CHARS):
                _BARE_KEYS_SEEN.add(key)
        if key in current:
            raise _GiveUp
        if raw == '"""':  # a multi-line basic string: tomli-w starts it on the next line
            parts = []
            while True:
                if i >= count:
                    raise _GiveUp
                piece = _MULTILINE_LINE.match(lines[i])
                i += 1
                if not piece:
                    raise _GiveUp
                parts.append(piece.group(1))
                if piece.group(2):
                    break
            current[key] = _unescape("\n".join(parts))
        elif raw == "[":  # an array, one element per line
            items = []
            while True:
                if i >= count:
                    raise _GiveUp
                element = lines[i]
                i += 1
                if element == "]":
                    break
                if not (element.startswith("    ") and element.endswith(",")):
                    raise _GiveUp
                items.append(_scalar(element[4:-1]))
            current[key] = items
            static.add(id(items))
        elif raw == "[]":
            current[key] = items = []
            static.add(id(items))
        else:
            current[key] = _scalar(raw)
    return root
