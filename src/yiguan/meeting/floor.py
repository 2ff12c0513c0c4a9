"""The floor (发言权) and the list of speakers (发言排队): live state beside a meeting.

Who holds the floor since when, and who waits to speak on which item, matter while the
council sits and never afterwards: the minutes record speeches, not queues. So this
state lives in `.yiguan/floor/<meeting id>.json` (git-ignored), never in the meeting
file, and nothing that reproduces the record reads it. It is changed under the meeting
file's own lock (`store.locked`), so a `floor` and a `speak` typed at once cannot
interleave. Like the rest of `.yiguan/`, it is never read or written through a link a
cloned repository may hold there.

Undo takes back records, not live state: `undo` of a `speak` (or of a `vote`, which ends
the floor too) restores the meeting file and leaves the floor ended (give it again with
`floor NAME` if needed).

The steps `give`, `end`, `speak` and `vote` take the meeting a command is editing and a list of
steps to run once its file is saved (`store.Change.after_save`): the floor file is
written after the meeting file, under the same lock. Like `proceedings`, they return what
to say (`Said`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import stat
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..record.model import NEXT_DAY, Council, Item, Meeting, minutes_of, time_of
from ..record.model import Speech as _Speech
from ..record.schema import most
from ..store import files as store
from ..store.files import FLOOR_DIR
from ..store.folder import DataFolder
from ..text.errors import YiguanError
from ..text.messages import ClockTime
from ..text.safety import check_text
from .guards import check_present, item_for, not_before_opening, require_status, resolve_name

if TYPE_CHECKING:
    from ..record.kinds import Stance
    from .proceedings import Said

MAX_FLOOR_BYTES = 1 << 20
SHOWN_IN_QUEUE = 5


class Floor:
    """The floor holder (or None) and the queue: entries of {"name", "item"}.

    `problem` is set when the file was there but could not be used (see `from_json`):
    where it went wrong, for the one warning the command gives."""

    def __init__(self, holder: dict[str, Any] | None = None,
                 queue: list[dict[str, Any]] | None = None,
                 problem: str | None = None) -> None:
        self.holder = holder
        self.queue: list[dict[str, Any]] = queue if queue is not None else []
        self.problem = problem

    def to_json(self) -> bytes:
        data = {"holder": self.holder, "queue": self.queue}
        return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()

    @classmethod
    def from_json(cls, data: bytes) -> Floor:
        """What the file holds, if it is exactly what `to_json` writes: the keys and
        their types, names that pass the check every typed name passes (no escape
        sequence reaches the terminal or the page), a start time without a time zone in
        the form yiguan writes. Anything else — the file can be planted (`git add -f`)
        or damaged — is an empty floor with `problem` set: live state only, so losing it
        costs the chair a `floor` command, never a record."""
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return cls(problem="JSON")
        problem = _problem_in(raw)
        if problem is not None:
            return cls(problem=problem)
        return cls(raw["holder"], raw["queue"])

    def waiting(self, item: int | None) -> list[str]:
        return [e["name"] for e in self.queue if e.get("item") == item]

    def started(self) -> dt.datetime | None:
        return dt.datetime.fromisoformat(self.holder["started"]) if self.holder else None


def _problem_in(raw: Any) -> str | None:
    """Where a parsed floor file differs from what yiguan writes (a path such as
    `$.holder.started` or `$.queue[2].name`), or None when it is usable as it is."""
    if not isinstance(raw, dict) or set(raw) != {"holder", "queue"}:
        return "$"
    holder = raw["holder"]
    if holder is not None:
        if not isinstance(holder, dict) or set(holder) != {"name", "item", "minutes",
                                                           "started"}:
            return "$.holder"
        for key, usable in (("name", _is_name), ("item", _is_item),
                            ("minutes", _is_minutes), ("started", _is_time)):
            if not usable(holder[key]):
                return f"$.holder.{key}"
    queue = raw["queue"]
    if not isinstance(queue, list):
        return "$.queue"
    seen: set[tuple[str, int | None]] = set()
    for number, entry in enumerate(queue):
        if not isinstance(entry, dict) or set(entry) != {"name", "item"}:
            return f"$.queue[{number}]"
        if not _is_name(entry["name"]):
            return f"$.queue[{number}].name"
        if not _is_item(entry["item"]):
            return f"$.queue[{number}].item"
        if (entry["name"], entry["item"]) in seen:  # enqueue never writes a name twice
            return f"$.queue[{number}]"
        seen.add((entry["name"], entry["item"]))
    return None


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and check_text(value, "name") is None


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_item(value: Any) -> bool:
    return value is None or (_is_whole(value) and 1 <= value <= most(Item, "id"))


def _is_minutes(value: Any) -> bool:
    return _is_whole(value) and 0 <= value <= most(_Speech, "minutes")


def _is_time(value: Any) -> bool:
    """A moment as `give_floor` writes it: naive, to the second (`2024-05-10T19:42:00`).
    A time zone would make every comparison with the clock fail."""
    if not isinstance(value, str) or len(value) != 19:
        return False
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return moment.tzinfo is None and moment.isoformat(timespec="seconds") == value


# --- the file ---------------------------------------------------------------------------

def read_floor(data: DataFolder, meeting_id: str) -> Floor:
    """The floor of a meeting as saved: empty when there is none, or when `.yiguan` or
    the file is a link (such a file is not ours); empty with `problem` set when the file
    is there but unusable (not a regular file, too big, not what yiguan writes)."""
    if store.private_dir_problem(data.root, FLOOR_DIR, create=False):
        return Floor()
    path = data.floor_path(meeting_id)
    try:
        fd = os.open(path, os.O_RDONLY | store.NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return Floor()
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FLOOR_BYTES:
            return Floor(problem="file")
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return Floor.from_json(handle.read(MAX_FLOOR_BYTES))
    finally:
        if fd >= 0:
            os.close(fd)


def unusable(data: DataFolder, meeting_id: str,
             floor: Floor) -> tuple[str, dict[str, Any]] | None:
    """The one warning for a floor file that was there but could not be used, as
    (message key, params), or None."""
    if floor.problem is None:
        return None
    return "floor.unusable", {"path": str(data.floor_path(meeting_id)), "where": floor.problem}


def write_floor(data: DataFolder, meeting_id: str, floor: Floor) -> None:
    """Save the floor (the caller holds the meeting's lock). A link where the file or
    its folder belongs is refused: nothing is written through it."""
    problem = store.private_dir_problem(data.root, FLOOR_DIR, create=True)
    if problem:
        raise problem
    path = data.floor_path(meeting_id)
    if os.path.islink(path):
        raise YiguanError("store.link_refused", path=str(path))
    store.atomic_write(path, floor.to_json())


@contextlib.contextmanager
def editing(data: DataFolder, meeting_id: str) -> Iterator[tuple[Meeting, Floor]]:
    """Lock the meeting, read it and its floor; save the floor if the body returns."""
    path = data.meeting_path(meeting_id)
    data.refuse_link(path)
    with store.locked(path):
        meeting = data.load_meeting(meeting_id)
        floor = read_floor(data, meeting_id)
        before = floor.to_json()
        yield meeting, floor
        if floor.to_json() != before:
            write_floor(data, meeting_id, floor)


# --- moments ----------------------------------------------------------------------------

def moment(meeting: Meeting, at: str, now: dt.datetime) -> dt.datetime:
    """A stored time of the meeting (HH:MM on its day, 24:30 the next day's) as a moment:
    the clock `now` itself, to the second, when it is that minute (a countdown starts
    when the command ran); else the start of that minute on the meeting's day."""
    day = dt.datetime.combine(meeting.date, dt.time())
    if stored_time(meeting, now) == at:
        return now.replace(microsecond=0)
    return day + dt.timedelta(minutes=minutes_of(at))


def stored_time(meeting: Meeting, when: dt.datetime) -> str:
    """A moment as the meeting stores times: HH:MM, 24:00–35:59 on the next day."""
    return time_of((when.date() - meeting.date).days * NEXT_DAY + when.hour * 60 + when.minute)


def measured_minutes(started: dt.datetime, ended: dt.datetime) -> int | None:
    """The length of a speech in whole minutes, rounded up, at least 1; None when it is
    beyond what a speech may record (a floor left open for hours)."""
    seconds = (ended - started).total_seconds()
    minutes = max(1, math.ceil(seconds / 60))
    return minutes if minutes <= most(_Speech, "minutes") else None


# --- the queue --------------------------------------------------------------------------

def enqueue(meeting: Meeting, floor: Floor, speakers: list[str],
            item: int | None) -> int | None:
    """Add resolved names to the list of speakers of `item` (default: the current one)."""

    require_status(meeting, "planned", "open")
    number = item_for(meeting, item)
    waiting = floor.waiting(number)
    seen: set[str] = set()
    for name in speakers:
        if name in waiting or name in seen:
            raise YiguanError("floor.already_queued", name=name, item=_item_text(number))
        seen.add(name)
    floor.queue.extend({"name": name, "item": number} for name in speakers)
    return number


def queue_item(meeting: Meeting, item: int | None) -> int | None:
    """The item whose list of speakers a command means: `--item N`, else the current one."""

    return item_for(meeting, item)


def dequeue(meeting: Meeting, floor: Floor, name: str, item: int | None) -> int | None:
    number = queue_item(meeting, item)
    if name not in floor.waiting(number):
        raise YiguanError("floor.not_queued", name=name, item=_item_text(number))
    floor.queue = [e for e in floor.queue if not (e["name"] == name and e.get("item") == number)]
    return number


def _item_text(number: int | None) -> str:
    return str(number) if number is not None else "-"


def stance_of(meeting: Meeting, name: str, item: int | None) -> str | None:
    """The stance of someone's latest speech on the item, if they gave one."""
    for speech in reversed(meeting.speech):
        if speech.speaker == name and speech.item == item and speech.stance:
            return speech.stance
    return None


def next_speaker(meeting: Meeting, floor: Floor, item: int | None) -> str | None:
    """Whom `floor` without a name calls: those who have not yet spoken on the item
    before those who have (南塘 第3条); within that, when the item's latest speech took
    a side (for or against) and someone waiting is known to hold the other, the first of
    them, so that the sides alternate; else the first in the queue."""
    waiting = floor.waiting(item)
    if not waiting:
        return None
    spoken = {s.speaker for s in meeting.speech if s.item == item}
    fresh = [n for n in waiting if n not in spoken]
    group = fresh or waiting
    last = next((s.stance for s in reversed(meeting.speech)
                 if s.item == item and s.stance in ("for", "against")), None)
    if last is not None:
        other = "against" if last == "for" else "for"
        for name in group:
            if stance_of(meeting, name, item) == other:
                return name
    return group[0]


# --- the floor ----------------------------------------------------------------------------

def give_floor(meeting: Meeting, floor: Floor, name: str | None, at: str, now: dt.datetime,
               minutes: int | None) -> dict[str, Any]:
    """Give the floor to `name` (a resolved name) or the next in the queue, at the stored
    time `at` (the moment: `moment(meeting, at, now)`).

    The meeting must be open, nobody else may hold the floor, and the speaker must be in
    the room at `at`, as for a speech. The countdown is `minutes`, else the council's
    speech_minutes (0: no limit).
    """

    require_status(meeting, "open")
    if floor.holder is not None:
        raise YiguanError("floor.taken", name=floor.holder["name"],
                          since=floor.holder["started"][11:16])
    number = item_for(meeting, None)
    if name is None:
        name = next_speaker(meeting, floor, number)
        if name is None:
            raise YiguanError("floor.queue_empty", item=_item_text(number))
    not_before_opening(meeting, at)
    check_present(meeting, name, at)
    if minutes is not None and not 1 <= minutes <= most(_Speech, "minutes"):
        raise YiguanError("live.bad_minutes", most=most(_Speech, "minutes"))
    limit = minutes if minutes is not None else meeting.rules.speech_minutes
    floor.holder = {"name": name, "item": number, "minutes": limit,
                    "started": moment(meeting, at, now).isoformat(timespec="seconds")}
    floor.queue = [e for e in floor.queue if not (e["name"] == name and e.get("item") == number)]
    return floor.holder


def end_floor(floor: Floor) -> dict[str, Any]:
    if floor.holder is None:
        raise YiguanError("floor.nobody")
    holder = floor.holder
    floor.holder = None
    return holder


# --- the steps of `floor` and `speak` ------------------------------------------------------

def give(data: DataFolder, meeting_id: str, after_save: list[Callable[[], None]],
         meeting: Meeting, council: Council | None, query: str | None, at: str,
         now: dt.datetime, minutes: int | None) -> Said:
    """`floor NAME`: give the floor to the one `query` names (None: the next in the
    queue) at the stored time `at` (`now`: the clock, for the moment it started), and
    save the floor once the meeting file is saved."""
    from .proceedings import Said

    floor = read_floor(data, meeting_id)
    after_save.append(lambda: write_floor(data, meeting_id, floor))
    speaker = resolve_name(query, meeting, council) if query is not None else None
    holder = give_floor(meeting, floor, speaker, at, now, minutes)
    key = "floor.given" if holder["minutes"] else "floor.given_unlimited"
    said = Said().line(key, name=holder["name"], item=_item_text(holder["item"]),
                       minutes=holder["minutes"], at=ClockTime(at))
    return _warn_unusable(said, data, meeting_id, floor)


def end(data: DataFolder, meeting_id: str, after_save: list[Callable[[], None]],
        meeting: Meeting, at: str, now: dt.datetime) -> Said:
    """`floor --end`: take the floor back at `at`, recording no speech; say how long
    the speaker held it."""
    from .proceedings import Said

    floor = read_floor(data, meeting_id)
    after_save.append(lambda: write_floor(data, meeting_id, floor))
    holder = end_floor(floor)
    started = Floor(holder).started()
    assert started is not None
    seconds = max(0, int((moment(meeting, at, now) - started).total_seconds()))
    said = Said().line("floor.ended", name=holder["name"], minutes=seconds // 60,
                       seconds=seconds % 60)
    return _warn_unusable(said, data, meeting_id, floor)


def speak(data: DataFolder, meeting_id: str, after_save: list[Callable[[], None]],
          meeting: Meeting, council: Council | None, query: str, text: str, at: str,
          now: dt.datetime, *, item: int | None = None, stance: Stance | None = None,
          minutes: int | None = None, closing: bool = False) -> Said:
    """`proceedings.speak` on a meeting that keeps a floor file: a speech by the one who
    holds the floor ends it and, without `minutes`, records the length measured from
    the floor's start to `at` (none, with a warning, past what a speech may record)."""
    from . import proceedings

    speaker = resolve_name(query, meeting, council)
    floor = read_floor(data, meeting_id)
    started = floor.started()
    holds = floor.holder is not None and floor.holder["name"] == speaker
    length, too_long = minutes, False
    if holds and minutes is None and started is not None:
        length = measured_minutes(started, moment(meeting, at, now))
        too_long = length is None
    said = proceedings.speak(meeting, council, query, text, at, item=item, stance=stance,
                             minutes=length, closing=closing)
    _warn_unusable(said, data, meeting_id, floor)
    if holds:
        floor.holder = None
        after_save.append(lambda: write_floor(data, meeting_id, floor))
        if too_long:
            said.warn("floor.too_long", name=speaker)
        else:
            said.line("floor.ended_by_speech", name=speaker, minutes=length)
    return said


def vote(data: DataFolder, meeting_id: str, after_save: list[Callable[[], None]],
         said: Said) -> Said:
    """After `proceedings.vote` recorded a vote: a vote taken while someone still holds
    the floor ends it (no speech is recorded), so that the room sees the result; the
    floor file is saved after the meeting file, under the same lock."""
    floor = read_floor(data, meeting_id)
    _warn_unusable(said, data, meeting_id, floor)
    if floor.holder is not None:
        name = floor.holder["name"]
        floor.holder = None
        after_save.append(lambda: write_floor(data, meeting_id, floor))
        said.line("floor.ended_by_vote", name=name)
    return said


def _warn_unusable(said: Said, data: DataFolder, meeting_id: str, floor: Floor) -> Said:
    found = unusable(data, meeting_id, floor)
    if found is not None:
        said.warn(found[0], **found[1])
    return said
