"""Giving a document its 文号 and keeping it in the meeting file (the pattern and the
series are `record/numbers.py`).

`give_number` is the one way a number is given. It holds council.toml's lock for the
whole of it — every number given takes that lock, so two commands never give the same
number, and the pattern cannot change meanwhile — reads the numbers every meeting of the
folder keeps, and writes the document's number into its meeting through the store
(`DataFolder.edit_meeting`: locked, atomic, undone by `undo`). The locks are taken as
`edit_council` and `undo` take them: council.toml's first.

- `auto` (or 自动) gives the next running number of the document's year in the council's
  pattern: one more than the highest number of that series any meeting keeps;
- any other text is the number itself, refused when another document of the council
  already has it;
- a document that has a number keeps it: asked again (auto, or the same text) it gets
  the same; a different text is refused unless `renumber`, which gives the new one.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..record.model import Meeting
from ..record.numbers import FIELDS, RUNNING, YEAR, number_of, running_number
from ..record.schema import valid_text
from ..text.errors import YiguanError
from .files import locked
from .folder import DataFolder

AUTO = ("auto", "自动")  # what `--number` takes for "the next number"


class Given(NamedTuple):
    number: str
    saved: bool  # written into the meeting file now (else the file had it already)
    notes: list[tuple[str, dict[str, Any]]]  # the store's (comments dropped)


def give_number(data: DataFolder, meeting_id: str, kind: str, asked: str, *, year: int,
                renumber: bool = False) -> Given:
    """The 文号 of the document `kind` (a key of FIELDS) of the meeting: the one it keeps,
    or the one `asked` (a number, or AUTO) gives it, kept in the meeting file."""
    field = FIELDS[kind]
    wanted = asked.strip()
    auto = wanted.lower() in AUTO
    if not auto:
        wanted = valid_text(wanted, "line", "doc_number")
    with locked(data.council_path):
        pattern = data.load_council().number_pattern if auto else None
        if auto and pattern is None:
            raise YiguanError("numbers.no_pattern", year=YEAR, n=RUNNING)
        with data.edit_meeting(meeting_id) as change:
            meeting = change.value
            kept: str | None = getattr(meeting, field)
            if kept is not None and (auto and not renumber or wanted == kept):
                return Given(kept, False, [])
            if kept is not None and not renumber:
                raise YiguanError("numbers.kept", document_key=f"numbers.document.{kind}",
                                  number=kept)
            used = numbers_used(data, meeting_id, meeting, field)
            if pattern is not None:
                series = (running_number(pattern, year, text) for text in (*used, kept) if text)
                wanted = valid_text(number_of(pattern, year, max(
                    (n for n in series if n is not None), default=0) + 1), "line", "doc_number")
            elif wanted in used:
                other, other_kind = used[wanted]
                raise YiguanError("numbers.taken", number=wanted, id=other,
                                  document_key=f"numbers.document.{other_kind}")
            setattr(meeting, field, wanted)
    return Given(wanted, change.written, change.notes)


def numbers_used(data: DataFolder, meeting_id: str, meeting: Meeting,
                 field: str) -> dict[str, tuple[str, str]]:
    """Every 文号 the council's documents have, but the one of `field` of `meeting` (the
    meeting `meeting_id` as it is being changed): number → (meeting id, document kind)."""
    used: dict[str, tuple[str, str]] = {}
    for other in data.meeting_ids():
        record = meeting if other == meeting_id else data.load_meeting(other)
        for kind, key in FIELDS.items():
            number = getattr(record, key)
            if number is not None and (other, key) != (meeting_id, field):
                used.setdefault(number, (other, kind))
    return used
