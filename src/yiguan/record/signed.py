"""The `[signed]` table of a closed meeting as the file holds it: its shape, and the
reading of its lines. What it means — the record as signed, and `check`'s comparison
with the corrections since — is `meeting/trail.py`.

`[signed]` holds one line per record of the tables the trail covers (`KINDS.trail`: the
kinds whose `TRAIL` is true), and one for the meeting's own keys (`MEETING`):
`key=fingerprint` pairs, a fingerprint being the first `DIGITS` hex digits of the SHA-256
of the value, or `UNNOTED` (`?`) for a time the meeting clock gave. The kinds outside the
trail are follow-up work, a merge's leftovers and the corrections themselves.
"""

from __future__ import annotations

from typing import Any

from .kinds import KINDS

MEETING = "meeting"  # the [signed] key of the meeting's own keys (date, opened …)
UNNOTED = "?"  # the fingerprint of a value outside the trail: a time the clock gave
DIGITS = 6  # hex digits of SHA-256 kept per value


def signed_problems(signed: Any) -> str | None:
    """What is wrong with a `[signed]` table as read from a file (a key path and what),
    or None. Checked on loading, as the schema checks every other key."""
    if not isinstance(signed, dict):
        return "signed"
    for key, value in signed.items():
        if key == MEETING:
            if not (isinstance(value, str) and parse_line(value) is not None):
                return f"signed.{key}"
        elif key in KINDS.trail and isinstance(value, dict):
            for record_id, line in value.items():
                if not (isinstance(line, str) and parse_line(line) is not None):
                    return f"signed.{key}.{record_id}"
        else:
            return f"signed.{key}"
    return None


def parse_line(line: str) -> dict[str, str] | None:
    out = {}
    for part in line.split(" ") if line else []:
        key, equals, mark = part.partition("=")
        if not equals or not key or key in out or not (
                mark == UNNOTED or (len(mark) == DIGITS and all(c in "0123456789abcdef"
                                                                 for c in mark))):
            return None
        out[key] = mark
    return out
