"""What user text may hold: the one definition of the characters yiguan refuses in text
typed or read from a file, the length limits of each kind of text, and `printable`, which
shows any text safely on one terminal line; and how text from a file is cleaned for a
document.

A leaf module (it imports nothing of yiguan): the schema checks every string of every file
with `check_text`, messages quote input back through `printable`, and every document
format shows file text through `lines_of` (which cleans what a hand-edited file can still
hold) and, writing XML, `xml_safe`.
"""

from __future__ import annotations

import re
from typing import Any

Failure = tuple[str, dict[str, Any]]  # (message key, params)

MAX_NAME = 40
MAX_LINE = 200
MAX_TEXT = 20_000

# Bidirectional overrides can make text display differently from what it says
# ("Trojan Source"); invisible characters make two names look the same; U+2028/2029 break
# a line as surely as "\n"; lone surrogates are bytes a non-UTF-8 terminal passed in that
# cannot be written as UTF-8 at all.
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_LINE_BREAKS = "\u2028\u2029"
_SURROGATES = "\ud800-\udfff"
_BIDI_CLASS = "".join(sorted(BIDI))

# Printable characters that show nothing (or only a blank) in a name, so that 刘艳ㅤ passes
# for 刘艳: Hangul fillers, the braille blank, the Ogham space mark, variation selectors
# and the other default-ignorable marks.
# (A set, not a pattern: compiling a pattern of these ranges would cost ~1 ms at start-up.)
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u1680\u034f\u17b4\u17b5"
                           "\u180b\u180c\u180d\u180e\u180f"
                           + "".join(map(chr, range(0xFE00, 0xFE10)))
                           + "".join(map(chr, range(0xE0100, 0xE01F0))))
# Noncharacters: code points Unicode keeps out of text for good (U+FDD0–FDEF and the last
# two of every plane). U+FFFE and U+FFFF are also outside XML 1.0, so a Word file cannot
# hold them at all; with the controls and lone surrogates refused here, every kind of text
# yiguan accepts is text XML 1.0 can carry.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
_BAD_IN_TEXT = f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CLASS}{_SURROGATES}{_NONCHARACTERS}]"
BAD_IN_LINE = (f"[\x00-\x1f\x7f-\x9f{_BIDI_CLASS}{_LINE_BREAKS}{_SURROGATES}"
               f"{_NONCHARACTERS}]")
# What XML 1.0 cannot carry (besides tab, LF and CR, the C0 controls; lone surrogates;
# U+FFFE and U+FFFF), with the other noncharacters: what `xml_safe` takes out.
_NOT_FOR_XML = f"[\x00-\x08\x0b\x0c\x0e-\x1f{_SURROGATES}{_NONCHARACTERS}]"
_BAD_CHARS = {"name": BAD_IN_LINE, "line": BAD_IN_LINE, "text": _BAD_IN_TEXT,
              "record": _BAD_IN_TEXT}
# a correction keeps a struck record whole: its longest text, quoted, and its other keys
MAX_RECORD = 5 * MAX_TEXT
_LIMITS = {"name": MAX_NAME, "line": MAX_LINE, "text": MAX_TEXT, "record": MAX_RECORD}



def _invisible_in(name: str) -> str | None:
    """The first format character (Unicode category Cf: soft hyphen, zero-width joiners,
    invisible separators, tags …) in a name: any of them lets a guest pass for a member."""
    if name.isascii():
        return None
    import unicodedata

    return next((c for c in name if unicodedata.category(c) == "Cf"), None)


def check_text(value: str, kind: str) -> Failure | None:
    """Why `value` is not acceptable as a `kind` of text, or None when it is.

    kinds: name (a person, ≤40 chars, one line), line (≤200, one line), text (≤20,000,
    may span lines). Returned as (message key, params) so the schema and the commands
    report it the same way. One regular expression per kind finds a bad character:
    this runs for every string of every file a command loads.
    """
    limit = _LIMITS[kind]
    if len(value) > limit:
        return ("schema.too_long", {"n": len(value), "limit": limit})
    if not value.strip():
        return ("schema.empty", {})
    if value.isprintable():
        # the common case, decided in C: no control, format (bidi, zero-width, soft
        # hyphen), separator (U+2028/2029, ideographic space), surrogate or unassigned
        # character; what is left to check is spaces around a name, and blank-looking
        # letters in it
        if kind == "name":
            if value != value.strip():
                return ("schema.spaces", {})
            if not value.isascii():
                return _blank_looking(value)
        return None
    # compiled on first use: most text never gets here (str.isprintable above)
    bad = re.search(_BAD_CHARS[kind], value)
    if bad:
        char = bad.group()
        code = f"U+{ord(char):04X}"
        if char in BIDI:
            return ("schema.bidi", {"code": code})
        if "\ud800" <= char <= "\udfff":
            return ("schema.not_unicode", {})
        if char == "\n" or char in _LINE_BREAKS:
            return ("schema.newline", {})
        if is_noncharacter(char):
            return ("schema.noncharacter", {"code": code})
        return ("schema.control", {"code": code})
    if kind == "name":
        invisible = _invisible_in(value)
        if invisible:
            return ("schema.invisible", {"code": f"U+{ord(invisible):04X}"})
        if value != value.strip():
            return ("schema.spaces", {})
        return _blank_looking(value)
    return None


def _blank_looking(name: str) -> Failure | None:
    if _BLANK_LOOKING.isdisjoint(name):  # decided in C
        return None
    blank = next(c for c in name if c in _BLANK_LOOKING)
    return ("schema.invisible", {"code": f"U+{ord(blank):04X}"})


def is_noncharacter(char: str) -> bool:
    """Whether `char` is one of the 66 code points Unicode never assigns to text."""
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


# --- text for output ------------------------------------------------------------------------

REPLACEMENT = "\ufffd"
# Everything that a reader would take for the end of a line.
_OUTPUT_BREAKS = "\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]"


def _clean_char(char: str) -> str:
    if char in BIDI:  # would make text display in another order than it is stored
        return REPLACEMENT
    if char in "\n\t":
        return char if char == "\n" else " "
    import unicodedata

    category = unicodedata.category(char)
    if category == "Cf":  # zero-width spaces and joiners, BOM, soft hyphen, tags
        return ""
    if category in ("Cc", "Cs") or (category == "Cn" and is_noncharacter(char)):
        # controls, noncharacters: no document format carries them (XML 1.0 not at all);
        # lone surrogates cannot even be written out
        return REPLACEMENT
    return char


def lines_of(text: str) -> list[str]:
    """Text from a file as the lines a document shows: the non-blank lines, stripped,
    with invisible characters dropped and controls, noncharacters and direction
    overrides shown as U+FFFD (a file edited by hand can hold what `check_text`
    refuses). Not escaped for any format: each renderer does that."""
    if text.isprintable() or ("\n" in text and text.replace("\n", "").isprintable()):
        # nothing to clean but line breaks (decided in C): nearly all text
        return [line for line in (part.strip() for part in text.split("\n")) if line]
    cleaned = "".join(_clean_char(c) for c in re.sub(_OUTPUT_BREAKS, "\n", text))
    return [line.strip() for line in cleaned.split("\n") if line.strip()]


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 cannot carry (and the other noncharacters)
    shown as U+FFFD: the last defence of a renderer that writes XML (Word), which would
    otherwise fail on the whole document."""
    if text.isprintable():  # decided in C: nearly always
        return text
    return re.sub(_NOT_FOR_XML, REPLACEMENT, text)


def printable(text: str) -> str:
    """`text` safe to show on one terminal line: control characters (newlines, ESC
    sequences, NUL), direction overrides, line separators and unencodable surrogates that
    an error message quotes back from the input are shown as escapes such as \\n or
    \\x1b."""
    if text.isprintable():  # nearly always; the pattern is compiled on first real use
        return text
    return re.sub(BAD_IN_LINE, lambda m: m.group().encode("unicode_escape", "backslashreplace")
                  .decode("ascii"), text)
