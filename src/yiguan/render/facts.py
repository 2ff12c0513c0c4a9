"""What the minutes and the notice both say about a meeting: dates in words, attendance,
quorum, and the records in people's words.

Pure functions of the meeting record, shared so that the two documents can never disagree
on who was there or whether the quorum held. Quorum is always judged by
`rules.judge_quorum` (through `Meeting.quorum`); this module only decides *when* to ask:
at the opening, and at every later arrival or departure until the meeting closed.

A printed document never shows a record's code (M1, R1, V1, S3 …: the command line's
handles): `RecordWords` names a record as people do — 动议一, 决议一, 动议一表决,
刘艳的发言（19:35）, 议题二中刘艳的第 2 次发言 — a struck record too, from what its
correction kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..record.kinds import KINDS, MOTION_STATES, STANCES, Evaluation, Role
from ..record.model import Attendee, Meeting, in_entry_order, noted
from ..rules import engine as rules
from ..rules.words import percent_text
from ..text.errors import Problem
from ..text.messages import ClockTime, catalogue, clock_text, locale, t
from .document import Inline, phrase, typed, words


def resolution_words(number: int, lang: str) -> str:
    """决议一 / Resolution 1: a resolution as residents read it (notices, the minutes, the
    projector's closing screen) — never the record's code R1, which only the command
    line shows."""
    return t("notice.resolution", lang=lang, number=locale(lang).number_words(number))


_ID = re.compile(r"[A-Z]*([0-9]+)")


def id_number(record_id: str) -> int | None:
    """The number in a record's id (M3 → 3), None for an id that has none."""
    found = _ID.fullmatch(record_id)
    return int(found.group(1)) if found else None


def motion_words(motion_id: str, lang: str) -> str:
    """动议三 / motion 3: a motion by the number of its id, so the minutes' headings, the
    更正说明 and the projector agree whatever was struck since (M3 stays 动议三)."""
    number = id_number(motion_id)
    if number is None:  # a hand-written id: as it is
        return motion_id
    return t("facts.motion", lang=lang, number=locale(lang).number_words(number))


def item_words(number: int, lang: str) -> str:
    """议题二 / item 2."""
    return t("facts.item", lang=lang, number=locale(lang).number_words(number))


_BRACKET = re.compile(r"[（()）]")


def unbracketed(text: str, lang: str) -> str:
    """Text printed inside brackets, with its own brackets turned into the clause comma:
    王丽娟（幸福里社区，社区书记）, never 王丽娟（幸福里社区（社区书记））."""
    if not any(mark in text for mark in "（()）"):
        return text
    comma = t("documents.detail_separator", lang=lang)
    parts = (part.strip() for part in _BRACKET.split(text))
    return comma.join(part for part in parts if part)


def percent(part: int, whole: int) -> str:
    """83.3%: one decimal, rounded half up in whole numbers (rules/words.percent_text: an
    attendance of 999 in 1,000 is 99.9%, never 100.0%)."""
    if whole == 0:
        return "-"
    return f"{percent_text(part, whole)}%"


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


# --- who a public page names ------------------------------------------------------------

def may_be_named(meeting: Meeting) -> set[str]:
    """Who a public page (the site's minutes, its follow-up, its results notice) names:
    the meeting's roster, its host and recorder, and the guests who came for an
    organisation; anyone else — a resident who came, spoke or took on a task — is 居民."""
    return {*meeting.members, *(n for n in (meeting.host, meeting.recorder) if n),
            *(a.name for a in meeting.attendee if a.role == "guest" and a.org)}


# --- residents' evaluation ---------------------------------------------------------------

def evaluation_words(evaluation: Evaluation, lang: str) -> Inline:
    """居民评议（2024年6月20日，入户走访）：满意 30 人、基本满意 5 人、不满意 2 人，满意率
    81.1%（满意 30 人占参与评议 37 人的比例；含基本满意 94.6%）: the counts, and the rates
    with what they count, in whole-number arithmetic (rules/words.py) — as the minutes and
    the results notice state it."""
    from ..meeting.cycle import way_words
    from ..rules.words import pleased_rate, satisfaction_rate

    pleased = evaluation.satisfied + evaluation.basic
    total = pleased + evaluation.unsatisfied
    how = (phrase("facts.evaluation_how", lang, how=way_words(evaluation.how, lang))
           if evaluation.how else ())
    return phrase("facts.evaluation_counts", lang,
                  date=locale(lang).date_words(evaluation.date), how=how,
                  satisfied=evaluation.satisfied, basic=evaluation.basic,
                  unsatisfied=evaluation.unsatisfied, pleased=pleased, total=total,
                  rate=satisfaction_rate(evaluation.satisfied, evaluation.basic,
                                         evaluation.unsatisfied),
                  pleased_rate=pleased_rate(evaluation.satisfied, evaluation.basic,
                                            evaluation.unsatisfied))


# --- corrections --------------------------------------------------------------------------

def is_corrected(table: str) -> bool:
    """Whether `fix` corrects records of `table` (a kind whose `FIX` names fields): a
    correction naming another table was written by hand."""
    kind = KINDS.by_table.get(table)
    return kind is not None and (bool(kind.FIX) or kind.STRIKE)  # or `strike` removes them




def value_words(field: str, text: str, lang: str) -> str:
    """A value a correction kept (plain text), as the reader's language says it."""
    if field in KINDS.times:
        return clock_text(text, lang)
    if field == "due":
        try:
            return locale(lang).date_words(dt.date.fromisoformat(text))
        except ValueError:
            return text  # a hand-written value: as it is
    if field == "item" and text.isdigit():
        return item_words(int(text), lang)
    if field == "stance" and text in STANCES:
        return t(f"stance.{text}", lang=lang)
    if field in ("status", "outcome") and text in MOTION_STATES:
        return t(f"status.{text}", lang=lang)
    return text


# --- records in people's words -------------------------------------------------------


class RecordWords:
    """Names a meeting's records as people say them, never by code: 动议一, 动议一表决 (or
    动议一第 2 次表决), 刘艳的发言（19:35）, 议题二中刘艳的第 2 次发言 when its time was not
    noted, 王建国对动议一的修正（19:17）, 刘艳的签到（19:05）, 刘艳的请假, 事项“…”.

    A record struck since the close is named from the TOML its correction kept, and it
    counts when someone spoke twice, so 「第 2 次」 means the same in every line.
    """

    def __init__(self, meeting: Meeting, lang: str,
                 person: Callable[[str], Inline] | None = None) -> None:
        self.meeting = meeting
        self.lang = lang
        # how a person is named (the minutes' public edition names residents 「居民」)
        self.person: Callable[[str], Inline] = person or typed
        self.found: dict[tuple[str, str], Any] = {}
        self.tables: dict[str, list[Any]] = {}
        for kind in KINDS.all:
            for record in meeting.records(kind):
                self._add(kind.TABLE, record)
        for correction in meeting.correction:
            if correction.field is not None:
                continue
            table, _, record_id = correction.record.partition(" ")
            if (table, record_id) not in self.found:
                record = self.kept(table, correction.before or correction.after)
                if record is not None and str(getattr(record, "id", "")) == record_id:
                    self._add(table, record)

    def _add(self, table: str, record: Any) -> None:
        self.found[(table, str(record.id))] = record
        self.tables.setdefault(table, []).append(record)

    @staticmethod
    def kept(table: str, text: str | None) -> Any:
        """The record a correction kept as TOML lines, or None (a hand-written one)."""
        kind = KINDS.by_table.get(table)
        if not text or kind is None:
            return None
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
        problems: list[Problem] = []
        return kind.from_table(data, table, "", problems)

    def p(self, key: str, **params: Any) -> Inline:
        return phrase(key, self.lang, **params)

    def name(self, table: str, record_id: str) -> Inline:
        """The record `table record_id` in words; a record nobody can find (a
        hand-written correction) as it was written."""
        record = self.found.get((table, record_id))
        if record is None:
            return typed(f"{table} {record_id}")
        return getattr(self, f"_{table}", self._other)(record, table)

    def _other(self, record: Any, table: str) -> Inline:
        """A kind declared since (a promise, 承诺): its name and the number of its id in
        words, 承诺一, like 动议一."""
        number = id_number(str(record.id))
        if number is None or f"table.{table}" not in catalogue(self.lang):
            return typed(f"{table} {record.id}")
        return self.p("facts.other", what_key=f"table.{table}",
                      number=locale(self.lang).number_words(number))

    def _confirmation(self, record: Any, table: str) -> Inline:
        """对2024年4月25日会议记录的确认: a confirmation by the meeting it confirmed."""
        try:
            day: Any = locale(self.lang).date_words(dt.date.fromisoformat(record.meeting[:10]))
        except ValueError:  # a hand-edited id `check` reports: as it is
            day = typed(record.meeting)
        return self.p("facts.confirmation", date=day)

    def _evaluation(self, record: Any, table: str) -> Inline:
        """决议一的居民评议（2024年6月20日）: an evaluation by its resolution and day (the
        motion's words when it is no resolution now)."""
        number = next((n for n, (_, m, _) in enumerate(self.meeting.resolutions(), 1)
                       if m.id == record.motion), None)
        what = (resolution_words(number, self.lang) if number is not None
                else motion_words(record.motion, self.lang))
        return self.p("facts.evaluation", what=what,
                      date=locale(self.lang).date_words(record.date))

    def _motion(self, record: Any, table: str) -> Inline:
        return words(motion_words(record.id, self.lang))

    def _item(self, record: Any, table: str) -> Inline:
        return words(item_words(record.id, self.lang))

    def _excused(self, record: Any, table: str) -> Inline:
        return self.p("facts.excused", name=self.person(record.name))

    def _action(self, record: Any, table: str) -> Inline:
        return self.p("facts.action", text=typed(record.text))

    def _vote(self, record: Any, table: str) -> Inline:
        motion = words(motion_words(record.motion, self.lang))
        votes = [v for v in self.tables["vote"] if v.motion == record.motion]
        if len(votes) == 1:
            return self.p("facts.vote", motion=motion)
        return self.p("facts.vote_nth", motion=motion, n=votes.index(record) + 1)

    def _nth(self, record: Any, table: str, same: Any) -> tuple[int, int]:
        """Which of the records of `table` that `same` picks this one is, and how many
        there are (in entry order)."""
        peers = in_entry_order([r for r in self.tables[table] if same(r)])
        return next(n for n, r in enumerate(peers, 1) if r is record), len(peers)

    def _timed(self, record: Any, table: str, time_key: str, same: Any) -> ClockTime | None:
        """The record's time when someone noted it and it tells the record apart from
        the others `same` picks."""
        if not noted(record, time_key):
            return None
        at = getattr(record, time_key)
        if sum(1 for r in self.tables[table]
               if same(r) and getattr(r, time_key) == at and noted(r, time_key)) > 1:
            return None
        return ClockTime(at)

    def _speech(self, record: Any, table: str) -> Inline:
        def same(other: Any) -> bool:
            return bool(other.speaker == record.speaker and other.item == record.item
                        and bool(other.closing) == bool(record.closing))

        name = self.person(record.speaker)
        at = self._timed(record, table, "at", same)
        if at is not None:
            return self.p("facts.speech", name=name, at=at)
        if record.closing:
            where = self.p("facts.in_closing")
        elif record.item is not None:
            where = self.p("facts.in_item", item=item_words(record.item, self.lang))
        else:
            where = ()
        n, count = self._nth(record, table, same)
        if count == 1:
            return self.p("facts.speech_untimed", name=name, where=where)
        if noted(record, "at"):
            return self.p("facts.speech_nth_at", name=name, where=where, n=n,
                          at=ClockTime(record.at))
        return self.p("facts.speech_nth", name=name, where=where, n=n)

    def _amendment(self, record: Any, table: str) -> Inline:
        def same(other: Any) -> bool:
            return bool(other.by == record.by and other.motion == record.motion)

        name, motion = self.person(record.by), words(motion_words(record.motion, self.lang))
        at = self._timed(record, table, "at", same)
        if at is not None:
            return self.p("facts.amendment", name=name, motion=motion, at=at)
        n, count = self._nth(record, table, same)
        if count == 1:
            return self.p("facts.amendment_untimed", name=name, motion=motion)
        return self.p("facts.amendment_nth", name=name, motion=motion, n=n)

    def _attendee(self, record: Any, table: str) -> Inline:
        def same(other: Any) -> bool:
            return bool(other.name == record.name)

        name = self.person(record.name)
        at = self._timed(record, table, "arrived", same)
        if at is not None:
            return self.p("facts.attendee", name=name, at=at)
        stays = sorted(self.tables[table], key=lambda a: (a.arrived, a.seq or 0))
        mine = [a for a in stays if same(a)]
        if len(mine) == 1:
            return self.p("facts.attendee_untimed", name=name)
        return self.p("facts.attendee_nth", name=name, n=mine.index(record) + 1)

    def content(self, table: str, text: str | None) -> str | None:
        """What a struck (or added) record said, from the TOML its correction kept."""
        record = self.kept(table, text)
        kind = KINDS.by_table.get(table)
        field = kind.CONTENT if kind is not None else "text"
        value = getattr(record, field, None) if record is not None and field else None
        return str(value) if value else None
