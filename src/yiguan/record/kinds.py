"""The kinds of record a meeting holds, each declared once, and the words of their states.

Each kind is one class: its table (`TABLE`), the prefix of its ids (`PREFIX`), what `fix`
may change (`FIX`: flag → field), whether `strike` may remove it (`STRIKE`), whether the
trail of a closed meeting covers it (`TRAIL`), and its fields in file order, each an
annotation whose default is its TOML key (`key("name")`, `schema.py`). Its times of day
(`TIMES`), whether it is a record of the session (`TIMED`: `at` and `seq`) and which
other kinds it names (`LINKS`) follow from the fields. `@KINDS.declare` puts it in the
meeting: the loader, the canonical writer, `check`, `fix`/`strike`, the merge driver,
the trail and textconv walk `KINDS`, in the order declared here (the order of the file).

The states a record or a meeting can be in are `Literal` types, so that a misspelt
status (`Motion(status="adoptd")`) is a mypy error; the tuple beside each is what the
file may hold.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from ..rules import engine as rules
from ..rules.engine import OUTCOMES, Outcome
from .schema import Kinds, Record, key

__all__ = ["KINDS", "LAST", "MEETING_STATES", "MOTION_STATES", "OUTCOMES", "ROLES",
           "STANCES", "Action", "Amendment", "Attendee", "Conflict", "Correction", "Excuse",
           "Attachment", "Item", "MeetingStatus", "MotionStatus", "Outcome", "Role", "Speech",
           "Stance", "Vote"]
__all__ += ["VIAS", "Via"]
__all__ += ["EVALUATION_WAYS", "Confirmation", "Evaluation", "EvaluationWay"]

LAST = 2**63 - 1  # a seq after every entry (TOML's largest integer): "by the end of the minute"

MeetingStatus = Literal["planned", "open", "closed"]
MEETING_STATES: tuple[MeetingStatus, ...] = get_args(MeetingStatus)
Role = Literal["member", "guest"]  # a voting member, or 列席 (no vote)
ROLES: tuple[Role, ...] = get_args(Role)
Stance = Literal["for", "against", "neutral"]
STANCES: tuple[Stance, ...] = get_args(Stance)
MotionStatus = Literal["pending", "adopted", "rejected", "withdrawn", "postponed"]
MOTION_STATES: tuple[MotionStatus, ...] = get_args(MotionStatus)
# where a resident's topic (议题征集, record/topics.py) came in: 心愿墙, 网格员, 电话, 来访,
# 线上, 会议
Via = Literal["wish-wall", "grid-worker", "phone", "visit", "online", "meeting"]
VIAS: tuple[Via, ...] = get_args(Via)

EvaluationWay = Literal["visit", "survey", "meeting"]  # 入户, 问卷, 会议: how residents were asked
EVALUATION_WAYS: tuple[EvaluationWay, ...] = get_args(EvaluationWay)

KINDS = Kinds()


@KINDS.declare
class Attendee(Record):
    """One stay in the room: signed in at `arrived`, out at `left` (if they left).

    Someone who leaves and comes back has two attendee records.
    """

    TABLE = "attendee"
    CONTENT = ""
    PREFIX = "P"
    FIX = {"at": "arrived"}
    STRIKE = True

    id: str = key("id")
    name: str = key("name")
    role: Role = key("choice", choices=ROLES)
    org: str | None = key("line", default=None)
    arrived: str = key("time")
    seq: int | None = key("int", default=None)  # entry order of the sign-in
    arrived_noted: bool | None = key("bool", default=None)
    left: str | None = key("time", default=None)
    left_seq: int | None = key("int", default=None)  # entry order of the leaving
    left_noted: bool | None = key("bool", default=None)

    def present_at(self, time: str, seq: int = LAST) -> bool:
        """In the room at the moment (time, seq): by the end of that minute unless `seq`
        says which entry of the minute (see `Meeting.next_seq`)."""
        moment = (time, seq)
        return (self.arrived, self.seq or LAST) <= moment and (
            self.left is None or (self.left, self.left_seq or LAST) > moment)


@KINDS.declare
class Excuse(Record):
    """A member excused from the meeting (请假), before or during it, with the reason
    given: in the minutes they are 请假, not 缺席 (absent without leave)."""

    TABLE = "excused"
    CONTENT = "reason"
    PREFIX = "L"
    FIX = {"text": "reason", "by": "name"}  # the reason given, the member
    STRIKE = True

    id: str = key("id")
    name: str = key("name")
    reason: str | None = key("line", default=None)


@KINDS.declare
class Item(Record):
    """An agenda item (议题), numbered from 1."""

    TABLE = "item"
    CONTENT = "title"
    FIX = {"text": "title", "by": "by"}
    STRIKE = True
    IDENTITY = ("title",)  # no who or when: what it is about

    id: int = key("int")
    title: str = key("line")
    by: str | None = key("name", default=None)
    note: str | None = key("text", default=None)
    # the topic it was made from (`agenda add --topic`, topics.toml), and where that came
    # from, copied so that the meeting file reads on its own: the way in, the resident
    # (none: 匿名) and the day it was raised
    topic: str | None = key("line", default=None)
    via: Via | None = key("choice", choices=VIAS, default=None)
    raised_by: str | None = key("name", default=None, toml="from")
    raised: dt.date | None = key("date", default=None)


@KINDS.declare
class Speech(Record):
    """A speech summary (发言要点)."""

    TABLE = "speech"
    PREFIX = "S"
    FIX = {"text": "text", "by": "speaker", "item": "item", "stance": "stance",
           "minutes": "minutes", "at": "at"}
    STRIKE = True

    id: str = key("id")
    item: int | None = key("int", default=None, to=Item)
    closing: bool | None = key("bool", default=None)  # the host's closing words (会议小结)
    speaker: str = key("name")
    stance: Stance | None = key("choice", choices=STANCES, default=None)
    minutes: int | None = key("int", most=600, default=None)  # ten hours
    at: str = key("time")
    seq: int | None = key("int", default=None)
    at_noted: bool | None = key("bool", default=None)
    text: str = key("text")


@KINDS.declare
class Motion(Record):
    """A motion (动议). Its current text; earlier texts are in amendments."""

    TABLE = "motion"
    PREFIX = "M"
    FIX = {"text": "text", "by": "by", "second": "second", "item": "item", "at": "at"}
    STRIKE = True

    id: str = key("id")
    item: int | None = key("int", default=None, to=Item)
    text: str = key("text")
    by: str = key("name")
    second: str | None = key("name", default=None)
    rule: str | None = key("rule", default=None)  # canonical; None: the meeting's pass rule
    at: str = key("time")
    seq: int | None = key("int", default=None)
    at_noted: bool | None = key("bool", default=None)
    status: MotionStatus = key("choice", choices=MOTION_STATES, default="pending",
                               required=True)


@KINDS.declare
class Amendment(Record):
    """A change to a motion's text (修正): who, when, and the text before and after."""

    TABLE = "amendment"
    PREFIX = "E"
    FIX = {"text": "text", "by": "by", "at": "at"}
    STRIKE = True

    id: str = key("id")
    motion: str = key("ref", to=Motion)
    by: str = key("name")
    at: str = key("time")
    seq: int | None = key("int", default=None)
    at_noted: bool | None = key("bool", default=None)
    previous: str = key("text")
    text: str = key("text")


@KINDS.declare
class Vote(Record):
    """A show of hands on a motion, with the room as it was at that moment.

    `present`, `eligible` and `not_voting` are stored, not recomputed, so that a later
    edit of the attendance timeline never changes a recorded result. A vote that a
    reconsideration (重议) set aside keeps its record and gets `reconsidered`. A vote is
    never struck: `fix` corrects its counts, decided again.
    """

    TABLE = "vote"
    CONTENT = ""
    PREFIX = "V"
    FIX = {"yes": "yes", "no": "no", "abstain": "abstain", "recuse": "recused",
           "teller": "tellers", "at": "at"}

    id: str = key("id")
    motion: str = key("ref", to=Motion)
    at: str = key("time")
    seq: int | None = key("int", default=None)
    at_noted: bool | None = key("bool", default=None)
    yes: int = key("count")
    no: int = key("count")
    abstain: int = key("count")
    recused: list[str] = key("names", default=[])
    present: int = key("count")
    eligible: int = key("count")
    not_voting: int = key("count")
    rule: str = key("rule")
    outcome: Outcome = key("choice", choices=OUTCOMES)
    reconsidered: str | None = key("time", default=None)
    reconsidered_noted: bool | None = key("bool", default=None)
    tellers: list[str] = key("names", default=[])  # 计票人: who counted the hands

    def tally(self, members: int) -> rules.Tally:
        return rules.Tally(self.yes, self.no, self.abstain, self.present,
                           len(self.recused), members)


@KINDS.declare
class Action(Record):
    """Who does what by when (责任分工): follow-up work, outside the trail."""

    TABLE = "action"
    CONTENT = ""
    PREFIX = "A"
    FIX = {"text": "text", "owner": "owner", "due": "due", "at": "at"}
    STRIKE = True
    TRAIL = False

    id: str = key("id")
    motion: str | None = key("ref", default=None, to=Motion)
    text: str = key("text")
    owner: str = key("name")
    due: dt.date | None = key("date", default=None)
    at: str = key("time")
    seq: int | None = key("int", default=None)
    at_noted: bool | None = key("bool", default=None)
    added: dt.date | None = key("date", default=None)  # given after the close (会后补充)
    done: bool = key("bool", default=False, required=True)
    note: str | None = key("text", default=None)
    done_on: dt.date | None = key("date", default=None)  # the day `done` was said


MOST_ATTACHMENT_BYTES = 20 * 1024 * 1024  # 20 MB: a phone's photo, a scanned sheet


@KINDS.declare
class Attachment(Record):
    """A photo or a scan kept with the meeting (影像资料): the file is copied into the data
    folder's `files/`, named by its content (`file`: the first 16 hex digits of the
    SHA-256 of the bytes stored, and the type's suffix), and this record keeps what it was
    called, its caption, its size and its full SHA-256, which `check` verifies. `public`:
    fit for a public page (a photo of the room); a scan of signed sheets is not. Like
    follow-up work, it is outside the trail: one attached after the close (`added`) is
    no correction."""

    TABLE = "attachment"
    CONTENT = "caption"
    PREFIX = "F"
    FIX = {"text": "caption"}
    STRIKE = True
    TRAIL = False
    IDENTITY = ("sha256",)  # the same bytes attached on two branches are one attachment

    id: str = key("id")
    name: str = key("line")  # the file's name as it was attached
    file: str = key("line")  # its name in files/
    caption: str | None = key("line", default=None)
    size: int = key("count", most=MOST_ATTACHMENT_BYTES)
    sha256: str = key("line")
    public: bool = key("bool", default=False, required=True)
    added: dt.date | None = key("date", default=None)  # given after the close (会后补充)


@KINDS.declare
class Confirmation(Record):
    """The minutes of an earlier meeting (`meeting`, its id) read and confirmed at this one
    (纪要确认), with the show of hands and the room as it was (`present`, `rule` stored, as
    a vote's are). The earlier minutes say so by finding this record; nothing is written
    into the earlier meeting's file."""

    TABLE = "confirmation"
    CONTENT = ""  # named by the meeting it confirmed
    PREFIX = "Q"
    STRIKE = True
    IDENTITY = ("meeting",)  # one confirmation of a meeting's minutes

    id: str = key("id")
    meeting: str = key("line")
    title: str = key("line")  # the earlier meeting's title, as its minutes were confirmed
    at: str = key("time")
    seq: int | None = key("int", default=None)
    at_noted: bool | None = key("bool", default=None)
    yes: int = key("count")
    no: int = key("count")
    abstain: int = key("count")
    present: int = key("count")
    rule: str = key("rule")


@KINDS.declare
class Evaluation(Record):
    """Residents' evaluation of a resolution carried out (居民评议): how many were
    satisfied, basically satisfied and not satisfied, asked how and on which day. Kept
    against the motion, so a correction that renumbers the resolutions keeps it; given
    after the close, as follow-up work is, outside the trail."""

    TABLE = "evaluation"
    CONTENT = ""
    PREFIX = "J"
    STRIKE = True
    TRAIL = False
    IDENTITY = ("motion", "date")

    id: str = key("id")
    motion: str = key("ref", to=Motion)
    date: dt.date = key("date")
    how: EvaluationWay | None = key("choice", choices=EVALUATION_WAYS, default=None)
    satisfied: int = key("count")
    basic: int = key("count")
    unsatisfied: int = key("count")


@KINDS.declare
class Conflict(Record):
    """What a merge could not decide, left by `merge-driver` for a person: a record two
    branches changed differently, or (`problem`) what `check` finds in the merged meeting."""

    TABLE = "conflict"
    PREFIX = "C"
    TRAIL = False

    id: str = key("id")
    record: str = key("line")
    field: str = key("line")
    base: str | None = key("text", default=None)
    ours: str = key("text")
    theirs: str = key("text")
    problem: str | None = key("text", default=None)


@KINDS.declare
class Correction(Record):
    """A change made to a closed meeting by `fix`, `strike` or `excuse` (更正), kept so
    that a signed record never changes silently. One per changed field; a struck record
    has no field and no `after`, and `before` holds the whole record as TOML lines; a
    record added after the close (an excuse) has no field and no `before`, and `after`
    holds it whole."""

    TABLE = "correction"
    PREFIX = "G"
    TRAIL = False

    id: str = key("id")
    date: dt.date = key("date")
    record: str = key("line")  # table and id, as in [[conflict]]: "vote V1", "item 2"
    field: str | None = key("line", default=None)
    before: str | None = key("record", default=None)
    after: str | None = key("record", default=None)
    reason: str = key("text")
