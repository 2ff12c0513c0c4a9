"""The records of the files as typed classes, and the queries every command shares.

A council file holds the roster and the default rules; a meeting file holds a snapshot
of both and flat lists of records linked by ids (attendee, item, speech, motion,
amendment, vote, action). Each record class declares its TOML keys in file order in
`SPEC` (the mini-language is `schema.py`); `from_table` validates a parsed table against
it (collecting every problem) and `to_table` gives the ordered table the canonical writer
prints. `Meeting` answers who is present, what is decided, which id comes next. No I/O,
no typer, no rich.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from ..rules import engine as rules
from ..text.errors import Problem, YiguanError
from .schema import TIME_RE, Key, Record, validate_value

FORMAT_VERSION = 1

NEXT_DAY = 24 * 60  # minutes: a stored time from 24:00 on is the next day's
NEXT_DAY_AFTER = 12 * 60  # a typed time this much earlier than the opening is the next day's
LAST = 2**63 - 1  # a seq after every entry (TOML's largest integer): "by the end of the minute"


def minutes_of(time: str) -> int:
    """A stored time as minutes after midnight of the meeting's date (24:30 → 1470)."""
    return int(time[:2]) * 60 + int(time[3:5])


def time_of(minutes: int) -> str:
    """Minutes after midnight of the meeting's date as a stored time (1470 → 24:30)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# Typed dates and times are read by `yiguan.rules.when`, imported only by the commands that read
# one; these stay here for the modules that import them from the model.
def parse_date(value: str, today: dt.date | None = None) -> dt.date:
    """The day `value` names (yiguan.rules.when.parse_date)."""
    from ..rules.when import parse_date as parse

    return parse(value, today)


def parse_time(value: str) -> str:
    """`value` as a stored time of day, HH:MM (yiguan.rules.when.parse_time)."""
    from ..rules.when import parse_time as parse

    return parse(value)


def noted(holder: Any, time_key: str) -> bool:
    """Whether the time `time_key` of a record (or of the meeting: opened, closed) was
    noted by someone — typed with --at, or the clock at a meeting held today — rather
    than taken from the meeting clock while a meeting was typed up from notes. A time
    not noted keeps its place in the order of events; documents print none for it."""
    return getattr(holder, f"{time_key}_noted") is not False


def set_noted(holder: Any, time_key: str, is_noted: bool) -> None:
    """Mark a time as noted (the key leaves the file) or as taken from the meeting clock."""
    setattr(holder, f"{time_key}_noted", None if is_noted else False)


# --- council ------------------------------------------------------------------------------

class Rules(Record):
    """How the council decides. Meetings keep a snapshot of these."""

    quorum: str = rules.DEFAULT_QUORUM
    pass_rule: str = rules.DEFAULT_PASS
    notice_days: int | str = 7  # days, or "N workdays" (yiguan.rules.deadline)
    speech_minutes: int = 2  # 0 = no limit
    speeches_per_item: int = 2  # 0 = no limit
    second_required: bool = True
    presets: dict[str, str] = rules.DEFAULT_PRESETS

    EXTRA = ("presets",)

    SPEC = (
        Key("quorum", "quorum", True),
        Key("pass", "rule", True, attr="pass_rule"),
        Key("notice_days", "notice", True, most=366),
        Key("speech_minutes", "count", True, most=600),
        Key("speeches_per_item", "count", True, most=1_000),
        Key("second_required", "bool", True),
    )

    @classmethod
    def from_table(cls, table: Any, where: str, path: str,
                   problems: list[Problem]) -> Rules | None:
        if not isinstance(table, dict):
            problems.append(Problem(path, "schema.want_table", {}, where))
            return None
        plain = {k: v for k, v in table.items() if k != "presets"}
        before = len(problems)
        made = super().from_table(plain, where, path, problems)
        presets: dict[str, str] = {}
        raw = table.get("presets", {})
        if not isinstance(raw, dict):
            problems.append(Problem(path, "schema.want_table", {}, f"{where}.presets"))
        else:
            for name, value in raw.items():
                ok = validate_value(Key(name, "rule"), value, f"{where}.presets.{name}", path,
                                    problems)
                if ok is not None:
                    presets[name] = ok
        if made is None or len(problems) > before:
            return None
        made.presets = presets
        return made

    def to_table(self) -> dict[str, Any]:
        out = super().to_table()
        out["presets"] = dict(sorted(self.presets.items()))
        return out

    def threshold(self, rule: str | None = None) -> rules.Threshold:
        """The pass threshold for a motion: its own rule (preset or text) or the default."""
        return rules.resolve_rule(rule or self.pass_rule, self.presets)

    def quorum_threshold(self) -> rules.Threshold:
        return rules.parse_threshold(self.quorum, quorum=True)


class Member(Record):
    """A voting member on the roster. Phone and note are private: never exported."""

    name: str
    initials: str
    phone: str | None = None
    note: str | None = None

    TABLE = "member"
    SPEC = (
        Key("name", "name", True),
        Key("initials", "initials", True),
        Key("phone", "line"),
        Key("note", "text"),
    )


class Calendar(Record):
    """The council's own calendar ([calendar] in council.toml): dates that are rest days
    (法定休假日, e.g. a local holiday) and dates that are working days (调休), over what
    chinese-calendar knows, and for a year it does not know yet (yiguan.rules.deadline)."""

    holidays: list[dt.date] = []
    workdays: list[dt.date] = []

    TABLE = "calendar"
    SPEC = (
        Key("holidays", "dates"),
        Key("workdays", "dates"),
    )

    @classmethod
    def from_table(cls, table: Any, where: str, path: str,
                   problems: list[Problem]) -> Calendar | None:
        made = super().from_table(table, where, path, problems)
        if made is None:
            return None
        both = sorted(set(made.holidays) & set(made.workdays))
        if both:
            problems.append(Problem(path, "schema.holiday_and_workday",
                                    {"date": both[0].isoformat()}, where))
            return None
        return made

    def is_empty(self) -> bool:
        return not self.holidays and not self.workdays


# What council.toml may say about the council in public, for the printed documents
# (`council set`): the organisation that issues and seals them, where notices are posted,
# the public phone for objections. Members' phones stay on the roster, never printed.
COUNCIL_KEYS = (Key("org", "line"), Key("notice_place", "line"), Key("contact", "line"))


class Council:
    """council.toml: the council's name, its public particulars, default rules, roster and
    own calendar."""

    def __init__(self, name: str, rules: Rules | None = None,
                 members: list[Member] | None = None, format: int = FORMAT_VERSION, *,
                 org: str | None = None, notice_place: str | None = None,
                 contact: str | None = None, calendar: Calendar | None = None) -> None:
        self.name = name
        self.org = org
        self.notice_place = notice_place
        self.contact = contact
        self.rules = rules if rules is not None else Rules()
        self.members = members if members is not None else []
        self.format = format
        self.calendar = calendar if calendar is not None else Calendar()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Council) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"Council({vars(self)!r})"

    def member(self, name: str) -> Member | None:
        return next((m for m in self.members if m.name == name), None)


# --- meeting records ------------------------------------------------------------------

class Attendee(Record):
    """One stay in the room: signed in at `arrived`, out at `left` (if they left).

    Someone who leaves and comes back has two attendee records.
    """

    id: str
    name: str
    role: str  # member | guest
    arrived: str
    seq: int | None = None  # entry order of the sign-in within the meeting
    left: str | None = None
    left_seq: int | None = None  # entry order of the leaving
    org: str | None = None
    arrived_noted: bool | None = None
    left_noted: bool | None = None

    TABLE = "attendee"
    TIMES = ("arrived", "left")
    SPEC = (
        Key("id", "id", True, prefix="P"),
        Key("name", "name", True),
        Key("role", "choice", True, choices=("member", "guest")),
        Key("org", "line"),
        Key("arrived", "time", True),
        Key("seq", "int"),
        Key("arrived_noted", "bool"),
        Key("left", "time"),
        Key("left_seq", "int"),
        Key("left_noted", "bool"),
    )

    def present_at(self, time: str, seq: int = LAST) -> bool:
        """In the room at the moment (time, seq): by the end of that minute unless `seq`
        says which entry of the minute (see `Meeting.next_seq`)."""
        moment = (time, seq)
        return (self.arrived, self.seq or LAST) <= moment and (
            self.left is None or (self.left, self.left_seq or LAST) > moment)


class Excuse(Record):
    """A member excused from the meeting (请假), before or during it, with the reason
    given: in the minutes they are 请假, not 缺席 (absent without leave)."""

    id: str
    name: str
    reason: str | None = None

    TABLE = "excused"
    SPEC = (
        Key("id", "id", True, prefix="L"),
        Key("name", "name", True),
        Key("reason", "line"),
    )


class Item(Record):
    """An agenda item (议题), numbered from 1."""

    id: int
    title: str
    by: str | None = None
    note: str | None = None

    TABLE = "item"
    SPEC = (
        Key("id", "int", True),
        Key("title", "line", True),
        Key("by", "name"),
        Key("note", "text"),
    )


class Speech(Record):
    """A speech summary (发言要点)."""

    id: str
    speaker: str
    at: str
    text: str
    item: int | None = None
    stance: str | None = None  # for | against | neutral
    minutes: int | None = None
    seq: int | None = None
    at_noted: bool | None = None
    closing: bool | None = None  # the host's closing words (会议小结), after every item

    TABLE = "speech"
    TIMES = ("at",)
    SPEC = (
        Key("id", "id", True, prefix="S"),
        Key("item", "int"),
        Key("closing", "bool"),
        Key("speaker", "name", True),
        Key("stance", "choice", choices=("for", "against", "neutral")),
        Key("minutes", "int", most=600),  # ten hours
        Key("at", "time", True),
        Key("seq", "int"),
        Key("at_noted", "bool"),
        Key("text", "text", True),
    )


MOTION_STATES = ("pending", "adopted", "rejected", "withdrawn", "postponed")


class Motion(Record):
    """A motion (动议). Its current text; earlier texts are in amendments."""

    id: str
    text: str
    by: str
    at: str
    status: str = "pending"
    item: int | None = None
    second: str | None = None
    rule: str | None = None  # canonical threshold; None = the meeting's pass rule
    seq: int | None = None
    at_noted: bool | None = None

    TABLE = "motion"
    TIMES = ("at",)
    SPEC = (
        Key("id", "id", True, prefix="M"),
        Key("item", "int"),
        Key("text", "text", True),
        Key("by", "name", True),
        Key("second", "name"),
        Key("rule", "rule"),
        Key("at", "time", True),
        Key("seq", "int"),
        Key("at_noted", "bool"),
        Key("status", "choice", True, choices=MOTION_STATES),
    )


class Amendment(Record):
    """A change to a motion's text (修正): who, when, and the text before and after."""

    id: str
    motion: str
    by: str
    at: str
    previous: str
    text: str
    seq: int | None = None
    at_noted: bool | None = None

    TABLE = "amendment"
    TIMES = ("at",)
    SPEC = (
        Key("id", "id", True, prefix="E"),
        Key("motion", "ref", True, prefix="M"),
        Key("by", "name", True),
        Key("at", "time", True),
        Key("seq", "int"),
        Key("at_noted", "bool"),
        Key("previous", "text", True),
        Key("text", "text", True),
    )


class Vote(Record):
    """A show of hands on a motion, with the room as it was at that moment.

    `present`, `eligible` and `not_voting` are stored, not recomputed, so that a later
    edit of the attendance timeline never changes a recorded result. A vote that a
    reconsideration (重议) set aside keeps its record and gets `reconsidered`.
    """

    id: str
    motion: str
    at: str
    yes: int
    no: int
    abstain: int
    present: int
    eligible: int
    not_voting: int
    rule: str
    outcome: str
    recused: list[str] = []
    reconsidered: str | None = None
    seq: int | None = None
    tellers: list[str] = []  # 计票人: who counted the hands
    at_noted: bool | None = None
    reconsidered_noted: bool | None = None

    TABLE = "vote"
    TIMES = ("at", "reconsidered")
    SPEC = (
        Key("id", "id", True, prefix="V"),
        Key("motion", "ref", True, prefix="M"),
        Key("at", "time", True),
        Key("seq", "int"),
        Key("at_noted", "bool"),
        Key("yes", "count", True),
        Key("no", "count", True),
        Key("abstain", "count", True),
        Key("recused", "names"),
        Key("present", "count", True),
        Key("eligible", "count", True),
        Key("not_voting", "count", True),
        Key("rule", "rule", True),
        Key("outcome", "choice", True, choices=("adopted", "rejected")),
        Key("reconsidered", "time"),
        Key("reconsidered_noted", "bool"),
        Key("tellers", "names"),
    )

    def tally(self, members: int) -> rules.Tally:
        return rules.Tally(self.yes, self.no, self.abstain, self.present,
                           len(self.recused), members)


class Action(Record):
    """Who does what by when (责任分工)."""

    id: str
    text: str
    owner: str
    at: str
    due: dt.date | None = None
    motion: str | None = None
    done: bool = False
    note: str | None = None
    seq: int | None = None
    at_noted: bool | None = None
    added: dt.date | None = None  # follow-up given after the close (会后补充), that day

    TABLE = "action"
    TIMES = ("at",)
    SPEC = (
        Key("id", "id", True, prefix="A"),
        Key("motion", "ref", prefix="M"),
        Key("text", "text", True),
        Key("owner", "name", True),
        Key("due", "date"),
        Key("at", "time", True),
        Key("seq", "int"),
        Key("at_noted", "bool"),
        Key("added", "date"),
        Key("done", "bool", True),
        Key("note", "text"),
    )


class Conflict(Record):
    """What a merge could not decide, left by `merge-driver` for a person: a record two
    branches changed differently, or (`problem`) what `check` finds in the merged meeting."""

    id: str
    record: str
    field: str
    ours: str
    theirs: str
    base: str | None = None
    problem: str | None = None

    TABLE = "conflict"
    SPEC = (
        Key("id", "id", True, prefix="C"),
        Key("record", "line", True),
        Key("field", "line", True),
        Key("base", "text"),
        Key("ours", "text", True),
        Key("theirs", "text", True),
        Key("problem", "text"),
    )


class Correction(Record):
    """A change made to a closed meeting by `fix`, `strike` or `excuse` (更正), kept so
    that a signed record never changes silently. One per changed field; a struck record
    has no field and no `after`, and `before` holds the whole record as TOML lines; a
    record added after the close (an excuse) has no field and no `before`, and `after`
    holds it whole."""

    id: str
    date: dt.date
    record: str  # table and id, as in [[conflict]]: "vote V1", "item 2"
    reason: str
    field: str | None = None
    before: str | None = None
    after: str | None = None

    TABLE = "correction"
    SPEC = (
        Key("id", "id", True, prefix="G"),
        Key("date", "date", True),
        Key("record", "line", True),
        Key("field", "line"),
        Key("before", "record"),
        Key("after", "record"),
        Key("reason", "text", True),
    )


RECORD_TYPES: tuple[type[Record], ...] = (
    Attendee, Excuse, Item, Speech, Motion, Amendment, Vote, Action, Conflict, Correction)
TIMED_TYPES: tuple[type[Record], ...] = (Speech, Motion, Amendment, Vote, Action)
MEETING_STATES = ("planned", "open", "closed")
# table → the prefix of its ids (speech → S), from the schema; "" for item (numbered)
ID_PREFIX = {r.TABLE: next((k.prefix for k in r.SPEC if k.name == "id"), "")
             for r in RECORD_TYPES}
_TABLE_OF_PREFIX = {prefix: table for table, prefix in ID_PREFIX.items() if prefix}


class Meeting:
    """One meeting file. `members` is the roster snapshot: 应到 is its length."""

    def __init__(self, title: str, date: dt.date, status: str = "planned", *,
                 time: str | None = None, place: str | None = None, host: str | None = None,
                 recorder: str | None = None, opened: str | None = None,
                 closed: str | None = None, note: str | None = None,
                 members: list[str] | None = None, rules: Rules | None = None,
                 attendee: list[Attendee] | None = None, excused: list[Excuse] | None = None,
                 item: list[Item] | None = None,
                 speech: list[Speech] | None = None, motion: list[Motion] | None = None,
                 amendment: list[Amendment] | None = None, vote: list[Vote] | None = None,
                 action: list[Action] | None = None, conflict: list[Conflict] | None = None,
                 correction: list[Correction] | None = None,
                 opened_noted: bool | None = None, closed_noted: bool | None = None,
                 format: int = FORMAT_VERSION, signed: dict[str, Any] | None = None) -> None:
        self.title = title
        self.date = date
        self.status = status
        self.time = time
        self.place = place
        self.host = host
        self.recorder = recorder
        self.opened = opened
        self.closed = closed
        self.opened_noted = opened_noted
        self.closed_noted = closed_noted
        self.note = note
        self.members: list[str] = members if members is not None else []
        self.rules = rules if rules is not None else Rules()
        self.attendee: list[Attendee] = attendee if attendee is not None else []
        self.excused: list[Excuse] = excused if excused is not None else []
        self.item: list[Item] = item if item is not None else []
        self.speech: list[Speech] = speech if speech is not None else []
        self.motion: list[Motion] = motion if motion is not None else []
        self.amendment: list[Amendment] = amendment if amendment is not None else []
        self.vote: list[Vote] = vote if vote is not None else []
        self.action: list[Action] = action if action is not None else []
        self.conflict: list[Conflict] = conflict if conflict is not None else []
        self.correction: list[Correction] = correction if correction is not None else []
        self.format = format
        # [signed]: the record as signed at the close, value by value (yiguan.meeting.trail)
        self.signed = signed

    TIMES: ClassVar[tuple[str, ...]] = ("opened", "closed")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Meeting) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"Meeting({vars(self)!r})"

    TOP: ClassVar[tuple[Key, ...]] = (
        Key("title", "line", True),
        Key("date", "date", True),
        Key("time", "time"),
        Key("place", "line"),
        Key("host", "name"),
        Key("recorder", "name"),
        Key("status", "choice", True, choices=MEETING_STATES),
        Key("opened", "time"),
        Key("opened_noted", "bool"),
        Key("closed", "time"),
        Key("closed_noted", "bool"),
        Key("note", "text"),
        Key("members", "names"),
    )

    # --- attendance ---------------------------------------------------------------
    def stays(self, name: str) -> list[Attendee]:
        return [a for a in self.attendee if a.name == name]

    def is_present(self, name: str, time: str | None = None, seq: int = LAST) -> bool:
        """Present now (an open stay) or, with `time`, at that moment (see present_at)."""
        if time is None:
            return any(a.left is None for a in self.stays(name))
        return any(a.present_at(time, seq) for a in self.stays(name))

    def voting_present(self, time: str | None = None, seq: int = LAST) -> list[str]:
        """Names of voting members in the room (now, or at `time`), in sign-in order."""
        seen: dict[str, None] = {}
        voting = set(self.members)
        for a in self.attendee:
            if a.role != "member" or a.name not in voting:
                continue
            here = a.left is None if time is None else a.present_at(time, seq)
            if here:
                seen[a.name] = None
        return list(seen)

    def guests_present(self) -> list[Attendee]:
        return [a for a in self.attendee if a.role == "guest" and a.left is None]

    def excuse_of(self, name: str) -> Excuse | None:
        return next((e for e in self.excused if e.name == name), None)

    def members_attended(self) -> list[str]:
        """Voting members who signed in at any time (实到 in the minutes)."""
        voting = set(self.members)
        return list(dict.fromkeys(a.name for a in self.attendee
                                  if a.role == "member" and a.name in voting))

    def is_limited(self, speaker: str) -> bool:
        """Whether the council's speaking limits (限时限次) apply to `speaker`: to voting
        members, not to the chair's procedural remarks nor to non-voting attendees'
        answers."""
        return speaker in self.members and speaker != self.host

    def attendee_names(self) -> set[str]:
        """Everyone who signed in at any time, members and guests."""
        return {a.name for a in self.attendee}

    def quorum(self, time: str | None = None, seq: int = LAST) -> rules.QuorumCheck:
        return rules.judge_quorum(self.rules.quorum_threshold(),
                                  len(self.voting_present(time, seq)), len(self.members))

    # --- the order of events --------------------------------------------------------
    def next_seq(self) -> int:
        """The entry-order number for the next timed entry: one more than any so far.

        Records are ordered by (time, seq). Within a minute the number says which was
        typed first; a record without one (a file from before numbers, a hand edit)
        comes after the numbered ones of its minute, in file order, and who was in the
        room for it is judged at the end of its minute, as before numbers existed. Two
        records with the same number (both sides of a git merge added one) keep file
        order.
        """
        numbers = [r.seq for table in (self.speech, self.motion, self.amendment, self.vote,
                                       self.action) for r in table if r.seq]
        numbers += [a.seq for a in self.attendee if a.seq]
        numbers += [a.left_seq for a in self.attendee if a.left_seq]
        return max(numbers, default=0) + 1

    def latest_time(self) -> str | None:
        """The time of the meeting's latest record (the meeting clock of a write-up)."""
        times = [self.opened, self.closed]
        for a in self.attendee:
            times += [a.arrived, a.left]
        for table in (self.speech, self.motion, self.amendment, self.vote, self.action):
            times += [r.at for r in table]
        times += [v.reconsidered for v in self.vote]
        return max((t for t in times if t), default=None)

    def earliest_time(self) -> str | None:
        times = [self.opened] + [a.arrived for a in self.attendee]
        for table in (self.speech, self.motion, self.amendment, self.vote, self.action):
            times += [r.at for r in table]
        return min((t for t in times if t), default=None)

    def on_meeting_day(self, typed: str, *, twelve_hour: bool = False) -> str:
        """A typed HH:MM as stored: on the meeting's date, or — when it is more than
        12 hours earlier than the opening (or the planned start, or the first record)
        — in the small hours of the next day, as 24:00–35:59.

        A time said on a 12-hour clock without the half of the day (`twelve_hour`: 7点20)
        is first read as a.m. or p.m., whichever is nearer the planned start (the
        opening, the first record when there is none), around the clock; a tie goes to
        the later reading. At a meeting planned for 19:30, 7点20 is 19:20."""
        if twelve_hour:
            typed = self._nearer_half_of_day(typed)
        reference = self.opened or self.time or self.earliest_time()
        if reference is None:
            return typed
        minutes = minutes_of(typed)
        if minutes_of(reference) - minutes <= NEXT_DAY_AFTER:
            return typed
        stored = time_of(minutes + NEXT_DAY)
        if not TIME_RE.match(stored):
            raise YiguanError("clock.beyond_next_day", at=typed)
        return stored

    def _nearer_half_of_day(self, typed: str) -> str:
        reference = self.time or self.opened or self.earliest_time()
        if reference is None:
            return typed
        planned = minutes_of(reference) % NEXT_DAY
        morning = minutes_of(typed) % (NEXT_DAY // 2)  # 12点半 → 00:30 or 12:30

        def distance(minutes: int) -> int:
            apart = abs(minutes - planned)
            return min(apart, NEXT_DAY - apart)

        evening = morning + NEXT_DAY // 2
        return time_of(evening if distance(evening) <= distance(morning) else morning)

    # --- lookups ------------------------------------------------------------------
    def get_item(self, number: int) -> Item | None:
        return next((i for i in self.item if i.id == number), None)

    def get_motion(self, motion_id: str) -> Motion | None:
        return next((m for m in self.motion if m.id == motion_id), None)

    def get_action(self, action_id: str) -> Action | None:
        return next((a for a in self.action if a.id == action_id), None)

    def votes_on(self, motion_id: str) -> list[Vote]:
        return [v for v in self.vote if v.motion == motion_id]

    def standing_vote(self, motion_id: str) -> Vote | None:
        """The vote that decides the motion now: the last one not set aside by 重议."""
        live = [v for v in self.votes_on(motion_id) if v.reconsidered is None]
        return live[-1] if live else None

    def amendments_of(self, motion_id: str) -> list[Amendment]:
        return [a for a in self.amendment if a.motion == motion_id]

    def resolutions(self) -> list[tuple[str, Motion, Vote]]:
        """Adopted motions as resolutions R1, R2, … in the order they were adopted."""
        adopted = []
        for motion in self.motion:
            vote = self.standing_vote(motion.id)
            if motion.status == "adopted" and vote is not None and vote.outcome == "adopted":
                adopted.append((self.vote.index(vote), motion, vote))
        adopted.sort(key=lambda entry: entry[0])
        return [(f"R{n}", motion, vote) for n, (_, motion, vote) in enumerate(adopted, 1)]

    def current_item(self) -> Item | None:
        """The item under discussion: that of the latest speech or motion, else the first.

        Giving `--item N` to `speak` or `propose` moves the meeting to item N.
        """
        latest: int | None = None
        # In entry order (time, seq); records without seq come last in their minute, in
        # file order, speeches before motions (as before entry numbers existed).
        events = [(s.at, s.seq or LAST, 0, i, s.item) for i, s in enumerate(self.speech)]
        events += [(m.at, m.seq or LAST, 1, i, m.item) for i, m in enumerate(self.motion)]
        for *_, number in sorted(events):
            if number is not None:
                latest = number
        if latest is not None:
            found = self.get_item(latest)
            if found:
                return found
        return self.item[0] if self.item else None

    def next_id(self, prefix: str) -> str:
        """The next id of the table whose ids start with `prefix` (S → S8) that no record
        ever had: a record struck from a closed meeting keeps its number in its
        correction (`[[correction]] record = "excused L2"`), and it is not given again."""
        name = _TABLE_OF_PREFIX[prefix]
        table: list[Any] = getattr(self, name)
        numbers = [int(r.id[len(prefix):]) for r in table]
        for correction in self.correction:
            kind, _, ref = correction.record.partition(" ")
            if kind == name and ref.startswith(prefix) and ref[len(prefix):].isdecimal():
                numbers.append(int(ref[len(prefix):]))
        return f"{prefix}{max(numbers, default=0) + 1}"

    def next_item_number(self) -> int:
        return max((i.id for i in self.item), default=0) + 1


def records_of(meeting: Meeting, record_type: type[Record]) -> list[Any]:
    return getattr(meeting, record_type.TABLE)  # type: ignore[no-any-return]


def in_entry_order(records: list[Any]) -> list[Any]:
    """Timed records of one table by (time, seq); those without seq last in their
    minute; ties in file order."""
    return [r for _, _, _, r in sorted(
        ((r.at, r.seq or LAST, index, r) for index, r in enumerate(records)),
        key=lambda entry: entry[:3])]

