"""The files as typed classes, and the queries every command shares.

A council file holds the roster and the default rules; a meeting file holds a snapshot
of both and flat lists of records linked by ids, one list per kind of record
(`kinds.py`: attendee, excused, item, speech, motion, amendment, vote, action, conflict,
correction). Each class declares its fields once, with their TOML keys in file order
(the mini-language is `schema.py`); `from_table` validates a parsed table against them
(collecting every problem) and `to_table` gives the ordered table the canonical writer
prints. `Meeting` answers who is present, what is decided, which id comes next. No I/O,
no typer, no rich.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from ..rules import engine
from ..text.errors import Problem, YiguanError
from .kinds import (
    KINDS,
    LAST,
    MEETING_STATES,
    MOTION_STATES,
    OUTCOMES,
    ROLES,
    STANCES,
    Action,
    Amendment,
    Attendee,
    Conflict,
    Correction,
    Excuse,
    Item,
    MeetingStatus,
    Motion,
    MotionStatus,
    Outcome,
    Role,
    Speech,
    Stance,
    Vote,
)
from .schema import TIME_RE, Key, Record, held, key, validate_value

__all__ = [
    # the kinds of record and their states, declared in `kinds`; the modules that read
    # them from the model keep doing so
    "KINDS", "LAST", "MEETING_STATES", "MOTION_STATES", "OUTCOMES", "ROLES", "STANCES",
    "Action", "Amendment", "Attendee", "Conflict", "Correction", "Excuse", "Item",
    "MeetingStatus", "Motion", "MotionStatus", "Outcome", "Role", "Speech", "Stance", "Vote",
    # the files, and the queries every command shares
    "COUNCIL_FILE", "COUNCIL_KEYS", "FORMAT_VERSION", "NEXT_DAY", "NEXT_DAY_AFTER", "SIGNED",
    "SIGNATURES", "Calendar", "Council", "Meeting", "Member", "Rules", "in_entry_order",
    "meeting_names", "minutes_of", "noted", "parse_date", "parse_time", "records_of",
    "set_noted", "time_of",
]

FORMAT_VERSION = 1

NEXT_DAY = 24 * 60  # minutes: a stored time from 24:00 on is the next day's
NEXT_DAY_AFTER = 12 * 60  # a typed time this much earlier than the opening is the next day's
R = TypeVar("R", bound=Record)


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

    quorum: str = key("quorum", default=engine.DEFAULT_QUORUM, required=True)
    pass_rule: str = key("rule", toml="pass", default=engine.DEFAULT_PASS, required=True)
    # days, or "N workdays" (yiguan.rules.deadline)
    notice_days: int | str = key("notice", most=366, default=7, required=True)
    speech_minutes: int = key("count", most=600, default=2, required=True)  # 0 = no limit
    speeches_per_item: int = key("count", most=1_000, default=2, required=True)  # 0 = no limit
    second_required: bool = key("bool", default=True, required=True)
    presets: dict[str, str] = held(default=engine.DEFAULT_PRESETS)  # [rules.presets]

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

    def threshold(self, rule: str | None = None) -> engine.Threshold:
        """The pass threshold for a motion: its own rule (preset or text) or the default."""
        return engine.resolve_rule(rule or self.pass_rule, self.presets)

    def quorum_threshold(self) -> engine.Threshold:
        return engine.parse_threshold(self.quorum, quorum=True)


class Member(Record):
    """A voting member on the roster. Phone and note are private: never exported."""

    TABLE = "member"

    name: str = key("name")
    initials: str = key("initials")
    phone: str | None = key("line", default=None)
    note: str | None = key("text", default=None)


class Calendar(Record):
    """The council's own calendar ([calendar] in council.toml): dates that are rest days
    (法定休假日, e.g. a local holiday) and dates that are working days (调休), over what
    chinese-calendar knows, and for a year it does not know yet (yiguan.rules.deadline)."""

    TABLE = "calendar"

    holidays: list[dt.date] = key("dates", default=[])
    workdays: list[dt.date] = key("dates", default=[])

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


# Who signs the minutes (`signatures` in council.toml): "all" (the default), the host,
# the recorder and every member present; "officers", the host and the recorder only.
SIGNATURES = ("all", "officers")
# What council.toml may say about the council in public, for the printed documents
# (`council set`): the organisation that issues and seals them, where notices are posted,
# the public phone for objections, the pattern of the 文号 its notices take
# (record/numbers.py), who signs the minutes. Members' phones stay on the roster, never
# printed.
COUNCIL_KEYS = (Key("org", "line"), Key("notice_place", "line"), Key("contact", "line"),
                Key("number_pattern", "number_pattern"),
                Key("signatures", "choice", choices=SIGNATURES))
# Everything council.toml holds at its top, in file order: what the loader accepts and
# what textconv and the semantic diff know.
COUNCIL_FILE = ("format", "name", *(k.name for k in COUNCIL_KEYS), "rules",
                Calendar.TABLE, Member.TABLE)


class Council:
    """council.toml: the council's name, its public particulars, the pattern of its 文号,
    default rules, roster and own calendar."""

    def __init__(self, name: str, rules: Rules | None = None,
                 members: list[Member] | None = None, format: int = FORMAT_VERSION, *,
                 org: str | None = None, notice_place: str | None = None,
                 contact: str | None = None, calendar: Calendar | None = None,
                 number_pattern: str | None = None,
                 signatures: str | None = None) -> None:
        self.name = name
        self.org = org
        self.notice_place = notice_place
        self.contact = contact
        self.number_pattern = number_pattern
        self.signatures = signatures
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


# --- the meeting ------------------------------------------------------------------------

SIGNED = "signed"  # the trail of a closed meeting (yiguan.meeting.trail), last in the file


class Meeting(Record):
    """One meeting file: its own keys (in file order), the rules snapshot, one list of
    records per kind (`KINDS`) and the record as signed. `members` is the roster
    snapshot: 应到 is its length."""

    title: str = key("line")
    date: dt.date = key("date")
    time: str | None = key("time", default=None)  # the planned start
    place: str | None = key("line", default=None)
    host: str | None = key("name", default=None)
    recorder: str | None = key("name", default=None)
    status: MeetingStatus = key("choice", choices=MEETING_STATES, default="planned",
                                required=True)
    opened: str | None = key("time", default=None)
    opened_noted: bool | None = key("bool", default=None)
    closed: str | None = key("time", default=None)
    closed_noted: bool | None = key("bool", default=None)
    # the 文号 each document was given (record/numbers.py FIELDS), kept so that a document
    # printed again carries the same number; no fact of the meeting, outside the trail
    announce_number: str | None = key("line", default=None)
    notice_number: str | None = key("line", default=None)
    results_number: str | None = key("line", default=None)
    note: str | None = key("text", default=None)
    members: list[str] = key("names", default=[])
    rules: Rules = held(factory=Rules)
    format: int = held(default=FORMAT_VERSION)
    # [signed]: the record as signed at the close, value by value (yiguan.meeting.trail)
    signed: dict[str, Any] | None = held(default=None)

    # One list per kind of record in `KINDS`, given to the constructor by table name
    # (`speech=[…]`). Typed here for the kinds `kinds.py` declares; `records(kind)` reads
    # any kind's, typed.
    attendee: list[Attendee] = held(init=False)
    excused: list[Excuse] = held(init=False)
    item: list[Item] = held(init=False)
    speech: list[Speech] = held(init=False)
    motion: list[Motion] = held(init=False)
    amendment: list[Amendment] = held(init=False)
    vote: list[Vote] = held(init=False)
    action: list[Action] = held(init=False)
    conflict: list[Conflict] = held(init=False)
    correction: list[Correction] = held(init=False)

    TOP: ClassVar[tuple[Key, ...]]  # the meeting's own keys (its SPEC), as they were named

    if not TYPE_CHECKING:  # the type checker reads the fields above; the tables come by name
        def __init__(self, **values: Any) -> None:
            tables = {t: values.pop(t) for t in KINDS.tables if t in values}
            Record.__init__(self, **values)
            fields = self.__dict__
            for table in KINDS.tables:
                records = tables.get(table)
                fields[table] = records if records is not None else []

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Meeting) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"Meeting({vars(self)!r})"

    def copy(self, **changes: Any) -> Meeting:
        """The whole meeting copied, each record and the rules too, with `changes`."""
        import copy

        unknown = set(changes) - self._FIELD_SET - set(KINDS.tables)
        if unknown:
            raise TypeError(f"Meeting has no field {', '.join(sorted(unknown))}")
        made = copy.deepcopy(self)
        made.__dict__.update(changes)
        return made

    def records(self, kind: type[R]) -> list[R]:
        """The meeting's records of one kind (its table's list)."""
        found: list[R] = self.__dict__.setdefault(kind.TABLE, [])
        return found

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

    def quorum(self, time: str | None = None, seq: int = LAST) -> engine.QuorumCheck:
        return engine.judge_quorum(self.rules.quorum_threshold(),
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
        numbers = [number for kind in KINDS.all if kind.SEQS for r in self.records(kind)
                   for name in kind.SEQS if (number := getattr(r, name))]
        return max(numbers, default=0) + 1

    def latest_time(self) -> str | None:
        """The time of the meeting's latest record (the meeting clock of a write-up): of
        every time of day a record or the meeting holds."""
        times = [self.opened, self.closed]
        times += [getattr(r, name) for kind in KINDS.with_times for r in self.records(kind)
                  for name in kind.TIMES]
        return max((t for t in times if t), default=None)

    def earliest_time(self) -> str | None:
        """The time of the meeting's first record: its opening, or of any record the time
        it was made (a sign-in's arrival, a speech's `at`)."""
        times = [self.opened]
        times += [getattr(r, kind.TIMES[0]) for kind in KINDS.with_times
                  for r in self.records(kind)]
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

    def next_id(self, kind: type[Record]) -> str:
        """The next id of a kind (Speech → S8) that no record ever had: a record struck
        from a closed meeting keeps its number in its correction (`[[correction]] record =
        "excused L2"`), and it is not given again."""
        name, prefix = kind.TABLE, kind.PREFIX
        numbers = [int(r.id[len(prefix):]) for r in getattr(self, name)]
        for correction in self.correction:
            table, _, ref = correction.record.partition(" ")
            if table == name and ref.startswith(prefix) and ref[len(prefix):].isdecimal():
                numbers.append(int(ref[len(prefix):]))
        return f"{prefix}{max(numbers, default=0) + 1}"

    def next_item_number(self) -> int:
        return max((i.id for i in self.item), default=0) + 1


Meeting.TOP = Meeting.SPEC


def meeting_names() -> frozenset[str]:
    """Everything a meeting file holds at its top: its own keys, its rules, a table per
    kind of record, the record as signed. (Kept while the kinds stay as they are: it is
    asked on every load.)"""
    global _NAMES
    tables = KINDS.tables
    if _NAMES[0] is not tables:
        _NAMES = (tables, frozenset(("format", "rules", SIGNED, *Meeting._KEY_NAMES, *tables)))
    return _NAMES[1]


_NAMES: tuple[tuple[str, ...] | None, frozenset[str]] = (None, frozenset())


def records_of(meeting: Meeting, record_type: type[R]) -> list[R]:
    return meeting.records(record_type)


def in_entry_order(records: list[Any]) -> list[Any]:
    """Timed records of one table by (time, seq); those without seq last in their
    minute; ties in file order."""
    return [r for _, _, _, r in sorted(
        ((r.at, r.seq or LAST, index, r) for index, r in enumerate(records)),
        key=lambda entry: entry[:3])]

