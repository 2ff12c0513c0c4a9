"""What the minutes and the notice both say about a meeting: dates in words, attendance, quorum.

Pure functions of the meeting record, shared so that the two documents can never disagree
on who was there or whether the quorum held. Quorum is always judged by
`rules.judge_quorum` (through `Meeting.quorum`); this module only decides *when* to ask:
at the opening, and at every later arrival or departure until the meeting closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from ..record.kinds import KINDS, MOTION_STATES, STANCES, Role
from ..record.model import Attendee, Meeting, noted
from ..rules import engine as rules
from ..text.messages import clock_text, locale, t


def resolution_words(number: int, lang: str) -> str:
    """决议一 / Resolution 1: a resolution as residents read it (notices, the projector's
    closing screen) — never the record's code R1, which only the minutes keep."""
    return t("notice.resolution", lang=lang, number=locale(lang).number_words(number))


def percent(part: int, whole: int) -> str:
    """83.3%: one decimal, rounded half up with exact arithmetic (no float drift)."""
    if whole == 0:
        return "-"
    tenths = int(Fraction(part * 1000, whole) + Fraction(1, 2))
    return f"{tenths // 10}.{tenths % 10}%"


# --- attendance -------------------------------------------------------------------------

@dataclass(frozen=True)
class Departure:
    """Someone who left before the meeting closed: each stay that ended early and the
    stay they came back with, if they did (times from the stays, which say whether
    each time was noted)."""

    name: str
    role: Role
    times: tuple[tuple[Attendee, Attendee | None], ...]


@dataclass(frozen=True)
class Attendance:
    expected: int  # 应到: voting members in the meeting's roster snapshot
    attended: list[str]  # 实到: voting members who signed in at any time
    excused: list[tuple[str, str | None]]  # 请假: name, reason; never one who attended
    absent: list[str]  # 缺席: neither attended nor excused
    guests: list[tuple[str, str | None]]  # 列席: name, organisation
    departures: list[Departure]

    @property
    def rate(self) -> str:
        return percent(len(self.attended), self.expected)


def attendance(meeting: Meeting) -> Attendance:
    attended = meeting.members_attended()
    # An excused member who came after all is present, not excused (check notes it).
    excused = [(name, excuse.reason) for name in meeting.members if name not in attended
               and (excuse := meeting.excuse_of(name)) is not None]
    absent = [name for name in meeting.members
              if name not in attended and meeting.excuse_of(name) is None]
    guests: dict[str, str | None] = {}
    for stay in meeting.attendee:
        # one entry per guest, with the first organisation any of their stays gives
        if stay.role == "guest" and guests.get(stay.name) is None:
            guests[stay.name] = stay.org
    return Attendance(len(meeting.members), attended, excused, absent, list(guests.items()),
                      departures(meeting))


def first_arrivals(meeting: Meeting) -> dict[str, Attendee]:
    """Each person's first stay, in sign-in order."""
    first: dict[str, Attendee] = {}
    for stay in meeting.attendee:
        if stay.name not in first or stay.arrived < first[stay.name].arrived:
            first[stay.name] = stay
    return first


def late_arrivals(meeting: Meeting) -> list[tuple[str, str | None]]:
    """Members of the meeting's roster who first signed in after the opening (迟到), with
    the time (None when nobody noted it), in sign-in order. Only members are late: a
    列席 guest who comes for one item is not."""
    if meeting.opened is None:
        return []
    voting = set(meeting.members)
    return [(name, stay.arrived if noted(stay, "arrived") else None)
            for name, stay in first_arrivals(meeting).items()
            if stay.role == "member" and name in voting and stay.arrived > meeting.opened]


def speakers(meeting: Meeting) -> list[str]:
    """Everyone who spoke, moved, seconded or amended, in the order they first did."""
    from ..record.model import in_entry_order

    names: dict[str, None] = {}
    for speech in in_entry_order(meeting.speech):
        names[speech.speaker] = None
    for motion in in_entry_order(meeting.motion):
        names[motion.by] = None
        if motion.second:
            names[motion.second] = None
    for amendment in in_entry_order(meeting.amendment):
        names[amendment.by] = None
    return list(names)


def departures(meeting: Meeting) -> list[Departure]:
    """Who left before the close (or, in a meeting still open, at all), in sign-in order."""
    out = []
    for name in dict.fromkeys(a.name for a in meeting.attendee):
        stays = sorted(meeting.stays(name), key=lambda a: a.arrived)
        times = []
        for index, stay in enumerate(stays):
            if stay.left is None or (meeting.closed is not None and stay.left >= meeting.closed):
                continue
            times.append((stay, stays[index + 1] if index + 1 < len(stays) else None))
        if times:
            out.append(Departure(name, stays[0].role, tuple(times)))
    return out


# --- quorum over the meeting ------------------------------------------------------------

@dataclass(frozen=True)
class QuorumStory:
    """The quorum at the opening and every change after it, up to the close.

    For a meeting not yet opened, `opening` is the room as it is now and `at` is None.
    """

    at: str | None
    opening: rules.QuorumCheck
    changes: list[tuple[str, rules.QuorumCheck]]
    # the moments someone noted: a change at an arrival or departure whose time came from
    # the meeting clock is told without it
    noted: frozenset[str] = frozenset()

    @property
    def ever_met(self) -> bool:
        return self.opening.met or any(check.met for _, check in self.changes)

    @property
    def peak(self) -> int:
        return max([self.opening.present] + [check.present for _, check in self.changes])


def quorum_story(meeting: Meeting) -> QuorumStory:
    if meeting.opened is None:
        return QuorumStory(None, meeting.quorum(), [])
    start, end = meeting.opened, meeting.closed
    moments = sorted({a.arrived for a in meeting.attendee}
                     | {a.left for a in meeting.attendee if a.left is not None})
    opening = meeting.quorum(start)
    changes = []
    previous = opening
    for moment in moments:
        if moment <= start or (end is not None and moment >= end):
            continue
        check = meeting.quorum(moment)
        if check.met != previous.met:
            changes.append((moment, check))
        previous = check
    stamped = {a.arrived for a in meeting.attendee if noted(a, "arrived")}
    stamped |= {a.left for a in meeting.attendee if a.left is not None and noted(a, "left")}
    if noted(meeting, "opened"):
        stamped.add(start)
    return QuorumStory(start, opening, changes, frozenset(stamped))


def vote_had_quorum(meeting: Meeting, present: int) -> rules.QuorumCheck:
    """The quorum as a stored vote saw it (its own count of members present)."""
    return rules.judge_quorum(meeting.rules.quorum_threshold(), present, len(meeting.members))


# --- corrections --------------------------------------------------------------------------

def is_corrected(table: str) -> bool:
    """Whether `fix` corrects records of `table` (a kind whose `FIX` names fields): a
    correction naming another table was written by hand."""
    kind = KINDS.by_table.get(table)
    return kind is not None and bool(kind.FIX)




def value_words(field: str, text: str, lang: str) -> str:
    """A value a correction kept (plain text), as the reader's language says it."""
    if field in KINDS.times:
        return clock_text(text, lang)
    if field == "due":
        try:
            return locale(lang).date_words(dt.date.fromisoformat(text))
        except ValueError:
            return text  # a hand-written value: as it is
    if field == "stance" and text in STANCES:
        return t(f"stance.{text}", lang=lang)
    if field in ("status", "outcome") and text in MOTION_STATES:
        return t(f"status.{text}", lang=lang)
    return text


def struck_summary(table: str, before: str | None, lang: str) -> str | None:
    """What a struck (or, after the close, added) record said, in a line, from the TOML
    lines its correction keeps; None when there is nothing readable (a hand-written
    correction)."""
    if not before or not is_corrected(table):
        return None
    import tomllib

    try:
        record = tomllib.loads(before)
    except tomllib.TOMLDecodeError:
        return None
    values = {key: value_words(key, str(value), lang) for key, value in record.items()}
    key = f"minutes.struck.{table}"
    if table == "excused" and "reason" in values:
        key += "_reason"
    try:
        return t(key, lang=lang, **values)
    except (KeyError, IndexError):
        return None  # a key the summary needs is missing
