"""The trail of a closed meeting: the record as signed at the close, and every change since.

At `close` the meeting is sealed: for every value the trail covers, a fingerprint (the
first hex digits of its SHA-256) is written under `[signed]`, record by record. After the
close every change goes through `fix`, `strike` or `excuse`, each leaving a
`[[correction]]` with the value before and after. So the record as signed can be worked
back from the file as it is — undo the corrections, newest first — and compared with the
fingerprints. `check` reports what does not follow, naming the record and what of it:
a value changed by hand, a correction deleted, a record added or gone without one
(「会议已散会，表决 V1 的票数与更正记录不符」). Fingerprints keep the file readable and are no
seal against forgery: anyone can compute them. They catch an edit that forgot the trail.

The trail covers what was said and decided in the room: attendance, excuses, items,
speeches, motions, amendments and votes, and of the meeting's own keys its date, status
and times (`MEETING_KEYS`). The meeting's descriptive keys (title, place, chair,
secretary, note) and its snapshots of roster and rules have no correction command, so a
typo there is fixed by hand and stays outside. What may follow the close without a
correction stays outside too, named here (and, for tables, in the declaration of
each kind; the shape of `[signed]` is `record/signed.py`) and nowhere else:

- the kinds of record whose `TRAIL` is false (`record/kinds.py`): follow-up work
  (actions, their `done` and `note`), a merge's leftovers, the corrections themselves;
- `OUTSIDE_KEYS`: keys that are no fact of the meeting (ids, entry order), and every key
  that says whether a time was noted (`<time>_noted`, `NOTED`);
- a time marked `<time>_noted = false` when the meeting closes: taken from the meeting's
  clock, not from anyone's note, it is sealed as `?`, so giving it later (`fix --at`, no
  correction) contradicts nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..record.kinds import KINDS
from ..record.model import Meeting
from ..record.signed import DIGITS, MEETING, UNNOTED, parse_line
from ..text.errors import Problem
from ..text.messages import Words

# --- what the trail covers: the one place to extend ----------------------------------------
NOTED = "_noted"  # `at_noted = false`: the time `at` came from the meeting clock
OUTSIDE_KEYS = frozenset({"id", "seq", "left_seq", "format"})
MEETING_KEYS = ("date", "status", "opened", "closed")  # of the meeting's own keys

# A vote's counts are said together: 票数, not 赞成票数、未表决人数、结果.
_VOTE_COUNTS = ("yes", "no", "abstain", "present", "eligible", "not_voting", "outcome")

RecordKey = tuple[str, str]  # (table, id); the meeting's own keys are (MEETING, "")
Values = dict[str, str]  # key → the value as text, as a correction keeps it


def value_text(value: Any) -> str | None:
    """A value as a `[[correction]]` keeps it and the trail compares it: text as it is, a
    date in ISO form, a list of names joined by 、; None for no value."""
    if value is None or value == []:
        return None
    if isinstance(value, list):  # the file's form, whatever the language of who corrects
        return "、".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def outside(key: str) -> bool:
    """Whether a key of a record is outside the trail."""
    return key in OUTSIDE_KEYS or key.endswith(NOTED)


def _values(table: dict[str, Any]) -> Values:
    out = {}
    for key, value in table.items():
        text = value_text(value)
        if not outside(key) and text is not None:
            out[key] = text
    return out


def _unnoted(table: dict[str, Any]) -> list[str]:
    """The time keys of a record's table marked as not noted (`at_noted = false`)."""
    return [key[:-len(NOTED)] for key, value in table.items()
            if key.endswith(NOTED) and value is False]


def _meeting_table(meeting: Meeting) -> dict[str, Any]:
    from ..record.fileformat import meeting_top

    top = meeting_top(meeting)
    keys = (*MEETING_KEYS, *(key + NOTED for key in MEETING_KEYS))
    return {key: top[key] for key in keys if key in top}


def current(meeting: Meeting) -> dict[RecordKey, Values]:
    """Every value the trail covers, as the file holds it now."""
    out = {(MEETING, ""): _values(_meeting_table(meeting))}
    for table in KINDS.trail:
        for record in getattr(meeting, table):
            out[(table, str(record.id))] = _values(record.to_table())
    return out


def _fingerprint(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGITS]


def _sealed_line(values: Values, unnoted: Iterable[str]) -> str:
    clock = set(unnoted)
    return " ".join(f"{key}={UNNOTED if key in clock else _fingerprint(text)}"
                    for key, text in values.items())


def seal(meeting: Meeting) -> dict[str, Any]:
    """The `[signed]` table of the meeting as it is (at the close)."""
    top = _meeting_table(meeting)
    signed: dict[str, Any] = {MEETING: _sealed_line(_values(top), _unnoted(top))}
    for table in KINDS.trail:
        lines = {}
        for record in getattr(meeting, table):
            data = record.to_table()
            lines[str(record.id)] = _sealed_line(_values(data), _unnoted(data))
        if lines:
            signed[table] = lines
    return signed


def _sealed(signed: dict[str, Any]) -> dict[RecordKey, dict[str, str]]:
    out = {}
    for key, value in signed.items():
        if key == MEETING:
            out[(MEETING, "")] = parse_line(value) or {}
        else:
            for record_id, line in value.items():
                out[(key, record_id)] = parse_line(line) or {}
    return out


def _body(text: str) -> Values | None:
    """The values of a whole record as a correction keeps it (its TOML lines)."""
    import tomllib

    try:
        return _values(tomllib.loads(text))
    except tomllib.TOMLDecodeError:
        return None


# --- check ---------------------------------------------------------------------------------

def check_trail(meeting: Meeting, path: str) -> list[Problem]:
    """Whether the closed meeting as it is follows from the record as signed and its
    corrections (nothing to say about a meeting closed before the trail existed)."""
    if meeting.signed is None:
        return []
    if meeting.status != "closed":
        return [Problem(path, "trail.not_closed", {})]
    state = current(meeting)
    order = dict.fromkeys(state)  # every record met, in order (a dict: 10,000 stays)
    out: list[Problem] = []
    differs: dict[RecordKey, list[str]] = {}

    def mismatch(key: RecordKey, field: str) -> None:
        fields = differs.setdefault(key, [])
        if field not in fields:
            fields.append(field)

    for correction in reversed(meeting.correction):  # newest first: back to the close
        table, _, record_id = correction.record.partition(" ")
        if table not in KINDS.trail:
            continue  # follow-up (an action), or nothing the trail covers
        key = (table, record_id)
        values = state.get(key)
        if correction.field is not None:
            if outside(correction.field):
                continue
            if values is None:
                out.append(_stray(path, correction.id, table, record_id))
                continue
            if values.get(correction.field) != correction.after:
                mismatch(key, correction.field)
            if correction.before is None:
                values.pop(correction.field, None)
            else:
                values[correction.field] = correction.before
        elif correction.after is None:  # struck: it was there before
            body = _body(correction.before or "")
            if values is not None or body is None:
                out.append(_stray(path, correction.id, table, record_id))
                continue
            state[key] = body
            order[key] = None
        else:  # added after the close: not there before
            body = _body(correction.after)
            if values is None or body is None:
                out.append(_stray(path, correction.id, table, record_id))
                continue
            for field in sorted(set(body) | set(values)):
                if body.get(field) != values.get(field):
                    mismatch(key, field)
            del state[key]
    sealed = _sealed(meeting.signed)
    order.update(dict.fromkeys(sealed))
    rank = {table: index for index, table in enumerate((MEETING, *KINDS.trail))}

    def place(key: RecordKey) -> tuple[int, int, str]:
        kind = KINDS.by_table.get(key[0])
        digits = key[1].removeprefix(kind.PREFIX) if kind is not None else key[1]
        return rank.get(key[0], len(rank)), int(digits) if digits.isdecimal() else 0, key[1]

    for key in sorted(order, key=place):
        values, marks = state.get(key), sealed.get(key)
        if values is None and marks is None:
            continue
        if values is None:
            out.append(_record_problem(path, "trail.record_missing", key))
            continue
        if marks is None:
            out.append(_record_problem(path, "trail.record_added", key))
            continue
        for field in [*values, *(f for f in marks if f not in values)]:
            mark = marks.get(field)
            if mark == UNNOTED:
                continue
            text = values.get(field)
            if (mark is None) != (text is None) or (
                    text is not None and _fingerprint(text) != mark):
                mismatch(key, field)
        if key in differs:
            out.append(_differs(path, key, differs.pop(key)))
    out += [_differs(path, key, fields) for key, fields in differs.items()]
    return out


def _field_words(table: str, fields: list[str]) -> Words:
    if table == "vote" and set(fields) & set(_VOTE_COUNTS):
        first = min(fields.index(f) for f in fields if f in _VOTE_COUNTS)
        fields = [f for f in fields if f not in _VOTE_COUNTS]
        fields.insert(first, "counts")
    kind = "meeting" if table == MEETING else table
    return Words(f"field.{kind}.{field}" for field in fields)


def _differs(path: str, key: RecordKey, fields: list[str]) -> Problem:
    table, record_id = key
    words = _field_words(table, fields)
    if table == MEETING:
        return Problem(path, "trail.meeting_differs", {"fields": words})
    return Problem(path, "trail.record_differs",
                   {"what_key": f"table.{table}", "id": record_id, "fields": words},
                   record=key, names_record=True)


def _record_problem(path: str, message: str, key: RecordKey) -> Problem:
    table, record_id = key
    return Problem(path, message, {"what_key": f"table.{table}", "id": record_id},
                   record=key, names_record=True)


def _stray(path: str, correction: str, table: str, record_id: str) -> Problem:
    return Problem(path, "trail.correction_stray",
                   {"correction": correction, "what_key": f"table.{table}", "id": record_id},
                   record=("correction", correction), names_record=True)
