"""Members' private particulars: phone numbers and private notes, kept out of git.

council.toml is committed, and every push to a forge or clone a street office collects
would carry what it holds (个人信息保护法). So a member's `phone` and `note` live in
`private.toml` beside it, a file the data folder's `.gitignore` lists: one `[[member]]`
table per member who has either, matched to the roster by name. The store reads and
writes it with council.toml (`DataFolder.edit_council`), locked, atomic and undoable
like every file; a council.toml that still holds phones or notes (written by an older
yiguan, or by hand) has them moved over at its next change.

`check` reads it too: `phone_problems` finds a roster phone number in a file that goes
into git (a speech that quotes it, a private.toml added with `git add -f`).
"""

from __future__ import annotations

import os
import re
import stat
from collections import Counter
from pathlib import Path
from typing import Any

from ..record import schema
from ..record.fileformat import check_format, parse_toml, records_in, table_body
from ..record.model import FORMAT_VERSION, Council
from ..record.schema import Record
from ..text.errors import BrokenFile, Problem
from ..text.messages import Listed

PRIVATE_FILE = "private.toml"


class Particulars(Record):
    """One member's private particulars."""

    TABLE = "member"

    name: str = schema.key("name")
    phone: str | None = schema.key("line", default=None)
    note: str | None = schema.key("text", default=None)


class Private:
    """private.toml: the particulars of each member who has any, in roster order."""

    def __init__(self, members: list[Particulars] | None = None,
                 format: int = FORMAT_VERSION) -> None:
        self.members = members if members is not None else []
        self.format = format

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Private) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"Private({vars(self)!r})"

    def of(self, name: str) -> Particulars | None:
        return next((m for m in self.members if m.name == name), None)


# --- the file ---------------------------------------------------------------------------

def private_from_data(data: dict[str, Any],
                      path: str) -> tuple[Private | None, list[Problem]]:
    problems: list[Problem] = []
    if not check_format(data, path, problems):
        return None, problems
    for key in data:
        if key not in ("format", "member"):
            problems.append(Problem(path, "schema.unknown_key", {"key": key}, key))
    members = records_in(data, "member", Particulars, path, problems)
    names = Counter(m.name for m in members)
    for dup in sorted(n for n, count in names.items() if count > 1):
        problems.append(Problem(path, "schema.duplicate_member", {"name": dup}, "member"))
    if problems:
        return None, problems
    return Private(members), problems


def load_private(data: bytes, path: str) -> Private:
    private, problems = private_from_data(parse_toml(data, path), path)
    if private is None:
        raise BrokenFile(problems)
    return private


def dump_private(private: Private) -> str:
    blocks = [table_body({"format": private.format})]
    blocks += ["[[member]]\n" + table_body(m.to_table()) for m in private.members]
    return "\n".join(blocks)


# --- the roster and its private particulars -----------------------------------------------

def held_in(council: Council) -> dict[str, tuple[str | None, str | None]]:
    """The phone and note each member has in council.toml itself (none, once moved)."""
    return {m.name: (m.phone, m.note) for m in council.members
            if m.phone is not None or m.note is not None}


def moved_out(council: Council, private: Private, removed: set[str]) -> Private:
    """The private particulars after a change of the council: a member's phone and note
    held in council.toml move over (the value just given, or an old file's, wins over
    what private.toml had for that field), and those of members the change removed from
    the roster are dropped with them. The council's members are left without either."""
    moving = held_in(council)
    kept = {m.name: m.copy() for m in private.members if m.name not in removed}
    for name, (phone, note) in moving.items():
        entry = kept.setdefault(name, Particulars(name=name))
        if phone is not None:
            entry.phone = phone
        if note is not None:
            entry.note = note
    for member in council.members:
        member.phone = member.note = None
    on_roster = [m.name for m in council.members]
    # roster order, then names the roster does not have (kept: a hand-edited entry is
    # never dropped silently)
    order = {name: n for n, name in enumerate(on_roster)}
    members = sorted(kept.values(), key=lambda m: (order.get(m.name, len(order)), m.name))
    return Private([m for m in members if m.phone is not None or m.note is not None],
                   private.format)


def with_particulars(council: Council, private: Private) -> Council:
    """The council with each member's phone and note filled in from private.toml (a
    value still held in council.toml is kept where private.toml has none)."""
    for member in council.members:
        entry = private.of(member.name)
        if entry is not None:
            member.phone = entry.phone if entry.phone is not None else member.phone
            member.note = entry.note if entry.note is not None else member.note
    return council


def held_problems(council: Council, shown: str) -> list[Problem]:
    """A warning when council.toml (committed) still holds members' phones or notes."""
    held = sorted(held_in(council))
    if not held:
        return []
    return [Problem(shown, "check.private_in_council", {"names": Listed(held)}, warning=True)]


# --- phone numbers where they do not belong ------------------------------------------------

# digits with the separators people write phone numbers with (138 0013 8000, 138-0013-8000):
# a roster number found anywhere in such a run (after +86, before an extension) counts
# digits with the separators people write phone numbers with: hyphens, dots and spaces,
# their full-width forms, and the dashes — and –; compiled by `re` on first use, not at
# start-up (`check` and `topic add` read numbers the same way)
DIGIT_RUN = r"\d(?:[ \-.\u2013\u2014\uff0d\u3000\uff0e]?\d){6,}"
MAX_SCANNED_BYTES = 16 * 1024 * 1024  # as store.MAX_FILE_BYTES: the largest file read
MIN_DIGITS = 7  # shorter numbers (an extension, a year, a count) are not phone numbers


def _digits(text: str) -> str:
    """The decimal digits of `text` as ASCII (full-width １３８ is 138)."""
    return "".join(str(int(c)) for c in text if c.isdecimal())


def phone_key(text: str) -> str | None:
    """A phone number as digits only, without China's country code (+86 / 0086), so that
    `+86 139 0000 1111`, `139-0000-1111` and `13900001111` are one number; None when it
    holds too few digits to be one."""
    digits = _digits(text)
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11 \
                and digits[len(prefix)] == "1":
            digits = digits[len(prefix):]
            break
    return digits if len(digits) >= MIN_DIGITS else None


def roster_phones(council: Council | None, private: Private) -> dict[str, str]:
    """Phone key → the member whose number it is, from private.toml and council.toml."""
    found: dict[str, str] = {}
    members = list(private.members) + (list(council.members) if council else [])
    for member in members:
        key = phone_key(member.phone) if member.phone else None
        if key is not None:
            found.setdefault(key, member.name)
    return found


def phone_problems(paths: list[Path], phones: dict[str, str],
                   shown: dict[Path, str] | None = None) -> list[Problem]:
    """A warning for each file that holds a roster phone number: what `check` says of
    a file that goes into git. A file that cannot be read is left to the other checks."""
    problems = []
    for path in paths:
        try:
            info = os.lstat(path)
            # a regular file of a sensible size: a tracked link may lead to /dev/zero
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SCANNED_BYTES:
                continue
            text = path.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        runs = {_digits(run.group()) for run in re.finditer(DIGIT_RUN, text)}
        names = sorted({name for key, name in phones.items()
                        if any(key in digits for digits in runs)})
        if names:
            problems.append(Problem((shown or {}).get(path, str(path)), "check.phone_in_file",
                                    {"names": Listed(names)}, warning=True))
    return problems
