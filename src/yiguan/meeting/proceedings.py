"""What happens in the room, as functions that check and change a Meeting.

Each function takes the meeting (and the council roster where names are looked up),
refuses with a YiguanError when the step is not allowed, otherwise changes the meeting
and returns what to tell the secretary as (message key, params) pairs. Times are always
given by the caller (`--at` or the clock): nothing here reads "now", so replaying the
same steps gives the same file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..record.kinds import KINDS, Role, Stance
from ..record.model import (
    LAST,
    NEXT_DAY,
    Action,
    Amendment,
    Attendee,
    Council,
    Excuse,
    Item,
    Meeting,
    Motion,
    Speech,
    Vote,
    minutes_of,
    set_noted,
    time_of,
)
from ..record.schema import TIME_RE, most, valid_text
from ..rules import engine as rules
from ..rules import names
from ..text.errors import YiguanError
from ..text.messages import ClockTime, Listed, t
from .guards import (
    check_present,
    hands,
    item_for,
    not_before_opening,
    people,
    present_member,
    require_status,
    resolve_free_name,
    resolve_name,
)
from .order import TIME_SLIPS, action_slips, amendment_slips, refuse, vote_slips

Note = tuple[str, dict[str, Any]]

# Refusals about a moment of the meeting. When the time came from the clock rather than
# from `--at`, the command line adds how it chose it and how to give another.
TIME_REFUSALS = frozenset({
    "live.before_opening", "live.not_present", "live.back_before_left",
    "live.left_before_arrived", "live.reconsider_before_vote", "live.vote_before_motion",
    "live.second_before_motion", "live.vote_no_quorum", "live.recuse_not_present",
    "live.close_before_records", "live.amend_before_motion", "live.after_closing",
    "fix.motion_after", "fix.vote_after_reconsidered", "clock.beyond_next_day"}) | TIME_SLIPS


class Said:
    """The confirmation line(s) and any warnings a step produced."""

    def __init__(self, value: Any = None) -> None:
        self.lines: list[Note] = []
        self.warnings: list[Note] = []
        self.value = value

    def line(self, key: str, **params: Any) -> Said:
        self.lines.append((key, params))
        return self

    def warn(self, key: str, **params: Any) -> Said:
        self.warnings.append((key, params))
        return self


# --- the time of a command typed without --at -------------------------------------------

LIVE_PAST_MIDNIGHT = 120  # minutes: how far the clock may be past a late meeting's last entry


def clock_time(meeting: Meeting, now: dt.datetime) -> tuple[str, str]:
    """The time a command given without `--at` records, and where it came from.

    On a meeting dated today: the time now ("now"). On a meeting dated another day
    (typed up from paper notes): the meeting's own clock, the time of its latest record,
    or its planned start when it has none ("meeting"); never today's time on another
    day. A meeting dated yesterday that is still open and had an entry in the last two
    hours is running past midnight: the time now, as the next day's (24:30).
    """
    now_text = f"{now.hour:02d}:{now.minute:02d}"
    if now.date() == meeting.date:
        return now_text, "now"
    latest = meeting.latest_time()
    if meeting.status == "open" and latest is not None and \
            (now.date() - meeting.date).days == 1:
        stored = time_of(minutes_of(now_text) + NEXT_DAY)
        if TIME_RE.match(stored) and \
                0 <= minutes_of(stored) - minutes_of(latest) <= LIVE_PAST_MIDNIGHT:
            return stored, "now"
    clock = latest or meeting.time
    if clock is None:
        raise YiguanError("clock.no_time", meeting_date=meeting.date.isoformat())
    return clock, "meeting"


TimeSlots = dict[tuple[int, str], str | None]


def _time_holders(meeting: Meeting) -> list[Any]:
    """The meeting and every record with a time of day."""
    holders: list[Any] = [meeting]
    for kind in KINDS.with_times:
        holders += getattr(meeting, kind.TABLE)
    return holders


def time_slots(meeting: Meeting) -> TimeSlots:
    """Every time of the meeting and its records, by (holder, time key): what a step
    taken on the meeting clock is compared with afterwards (`mark_clock_times`)."""
    return {(id(holder), key): getattr(holder, key)
            for holder in _time_holders(meeting) for key in holder.TIMES}


def mark_clock_times(meeting: Meeting, before: TimeSlots, when: str) -> None:
    """After a step given no --at on a meeting typed up from notes: each time it set
    (to `when`, the meeting clock) is marked as not noted, so that no document prints it
    as if someone had written it down."""
    marked = False
    for holder in _time_holders(meeting):
        for key in holder.TIMES:
            value = getattr(holder, key)
            if value == when and before.get((id(holder), key)) != value:
                set_noted(holder, key, False)
                marked = True
    if marked and meeting.signed is not None:
        # the step closed the meeting: seal it again, so that the record as signed says
        # which of its times nobody noted (they may be given later without a correction)
        from .trail import seal  # only at the close: not on the way to every step

        meeting.signed = seal(meeting)


# --- the meeting itself ----------------------------------------------------------------

def new_meeting(council: Council, title: str, date: dt.date, *, time: str | None,
                place: str | None, host: str | None, recorder: str | None,
                note: str | None = None) -> Meeting:
    """A planned meeting with a snapshot of the council's rules and voting members."""
    return Meeting(
        title=valid_text(title.strip(), "line", "title"),
        date=date,
        time=time,
        place=valid_text(place.strip(), "line", "place") if place else None,
        host=resolve_free_name(host, council),
        recorder=resolve_free_name(recorder, council),
        note=valid_text(note.strip(), "text", "note") if note else None,
        members=[m.name for m in council.members],
        rules=council.rules.copy(),  # a snapshot: later rule changes leave it alone
    )


def open_meeting(meeting: Meeting, at: str) -> Said:
    require_status(meeting, "planned")
    meeting.status = "open"
    meeting.opened = at
    said = Said().line("live.opened", at=ClockTime(at), title=meeting.title)
    said.line("live.quorum_line", text=meeting.quorum(at).explain())
    return said


def close_meeting(meeting: Meeting, at: str, *, postpone_pending: bool) -> Said:
    require_status(meeting, "open")
    not_before_opening(meeting, at)
    # what happened in session cannot come after the close (arrivals and departures may:
    # someone who leaves at the close stayed to the end)
    latest = max((r.at for kind in KINDS.timed for r in getattr(meeting, kind.TABLE)),
                 default=None)
    if latest is not None and at < latest:
        raise YiguanError("live.close_before_records", at=ClockTime(at),
                          latest=ClockTime(latest))
    pending = [m for m in meeting.motion if m.status == "pending"]
    if pending and not postpone_pending:
        raise YiguanError("live.pending_at_close", ids=Listed(m.id for m in pending))
    said = Said()
    for motion in pending:
        motion.status = "postponed"
        said.line("live.postponed", id=motion.id)
    meeting.status = "closed"
    meeting.closed = at
    # last: the record as signed holds all that close records; corrections from now on
    from .trail import seal  # only at the close: not on the way to every step

    meeting.signed = seal(meeting)
    return said.line("live.closed", at=ClockTime(at))


def add_item(meeting: Meeting, title: str, by: str | None, council: Council | None) -> Said:
    require_status(meeting, "planned", "open")
    item = Item(id=meeting.next_item_number(), title=valid_text(title.strip(), "line", "title"),
                by=resolve_free_name(by, council))
    meeting.item.append(item)
    return Said(value=item.id).line("live.item_added", n=item.id, title=item.title)


# --- attendance ----------------------------------------------------------------------

def _signing(query: str, meeting: Meeting, council: Council | None,
             guest: bool) -> tuple[str, Role]:
    """Who `query` signs in, and as what (member or guest); refused if nobody fits."""
    role: Role
    if guest:
        name = valid_text(query.strip(), "name", "name")
        if name in meeting.members:
            raise YiguanError("live.guest_is_member", name=name)
        # A member's initials (ly for 刘艳) are how the secretary types a member: a guest
        # of that name would be the member without a vote, and every later `speak ly`
        # ambiguous. A council member who joined after the meeting was made is not on
        # its roster and sits in as 列席 (live.not_in_snapshot says so).
        voting = [p for p in people(meeting, council) if p.member and p.name in meeting.members]
        initials = next((p.name for p in voting
                         if p.initials and p.initials == name.lower()), None)
        if initials is not None:
            raise YiguanError("live.guest_is_initials", name=name, member=initials)
        twin = names.lookalike(name, [*meeting.members, *(
            m.name for m in (council.members if council else []))])
        if twin:  # 刘 艳 or ＬＹ signed in as a guest beside the member 刘艳
            raise YiguanError("council.lookalike_member", name=name, other=twin)
        role = "guest"
    else:
        name = resolve_name(query, meeting, council)
        if name not in meeting.members:
            if any(a.name == name and a.role == "guest" for a in meeting.attendee):
                role = "guest"
            else:
                raise YiguanError("live.not_in_snapshot", name=name)
        else:
            role = "member"
    return name, role


def sign(meeting: Meeting, council: Council | None, queries: list[str], at: str, *,
         guest: bool = False, org: str | None = None) -> Said:
    """Sign people in. Members by roster name or initials; guests (列席) by any name."""
    require_status(meeting, "planned", "open")
    said = Said()
    if not queries:
        raise YiguanError("live.no_names")
    if org is not None and not guest:
        raise YiguanError("live.org_needs_guest")
    org = valid_text(org.strip(), "line", "org") if org else None
    # counted once: a batch may sign in hundreds
    number = int(meeting.next_id(Attendee).removeprefix(Attendee.PREFIX))
    seq = meeting.next_seq()
    failed: list[YiguanError] = []
    for query in queries:
        try:
            name, role = _signing(query, meeting, council, guest)
        except YiguanError as error:
            if len(queries) == 1:
                raise
            failed.append(error)  # the others are checked too, so that one answer names all
            continue
        if meeting.is_present(name):
            said.line("live.already_present", name=name)
            continue
        stays = meeting.stays(name)
        if stays and stays[-1].left and at < stays[-1].left:
            raise YiguanError("live.back_before_left", name=name, at=ClockTime(at),
                              left=ClockTime(stays[-1].left))
        if role == "guest" and stays and org is None:
            org = stays[-1].org
        meeting.attendee.append(Attendee(id=f"{Attendee.PREFIX}{number}", name=name, role=role,
                                         org=org if role == "guest" else None, arrived=at,
                                         seq=seq))
        number += 1
        seq += 1
        key = "live.signed_back" if stays else (
            "live.signed_guest" if role == "guest" else "live.signed")
        said.line(key, name=name, at=ClockTime(at))
        excused = meeting.excuse_of(name) if role == "member" else None
        if excused is not None:
            # excused beforehand, here after all: present, not excused (undo brings the
            # excuse back)
            meeting.excused = [e for e in meeting.excused if e.name != name]
            said.line("live.excuse_withdrawn", name=name, id=excused.id)
    present = len(meeting.voting_present())
    said.line("live.attendance_line", present=present, members=len(meeting.members),
              guests=len(meeting.guests_present()), quorum=meeting.quorum().brief())
    if failed:  # all or nothing: the batch is refused, nobody is signed in
        each = t("list.sentence_separator").join(error.message() for error in failed)
        raise YiguanError("live.sign_batch_failed", n=len(failed), total=len(queries),
                          failed=each)
    return said


def leave(meeting: Meeting, council: Council | None, queries: list[str], at: str) -> Said:
    require_status(meeting, "planned", "open")
    if not queries:
        raise YiguanError("live.no_names")
    said = Said()
    seq = meeting.next_seq()
    for query in queries:
        name = resolve_name(query, meeting, council)
        open_stays = [a for a in meeting.stays(name) if a.left is None]
        if not open_stays:
            raise YiguanError("live.not_here", name=name)
        stay = open_stays[-1]
        if at < stay.arrived:
            raise YiguanError("live.left_before_arrived", name=name, at=ClockTime(at),
                              arrived=ClockTime(stay.arrived))
        stay.left = at
        stay.left_seq = seq
        seq += 1
        said.line("live.left", name=name, at=ClockTime(at))
    said.line("live.quorum_line", text=meeting.quorum().explain())
    return said


# --- speeches ----------------------------------------------------------------------

def _new_entry(meeting: Meeting, text: str, what: str, item: int | None,
               at: str) -> tuple[str, int | None]:
    """What a speech and a motion check first: their text, the item they are on (the
    current one unless given) and a time not before the opening. (text, item number)"""
    text = valid_text(text.strip(), "text", what)
    number = item_for(meeting, item)
    not_before_opening(meeting, at)
    return text, number


def speak(meeting: Meeting, council: Council | None, query: str, text: str, at: str, *,
          item: int | None = None, stance: Stance | None = None,
          minutes: int | None = None, closing: bool = False) -> Said:
    """Record a speech; past the council's limits (限时限次) it records and warns.

    A `closing` speech is the host's summing-up after the agenda (会议小结): on no item,
    never counted against the limits."""
    require_status(meeting, "open")
    speaker = resolve_name(query, meeting, council)
    if minutes is not None and not 1 <= minutes <= most(Speech, "minutes"):
        raise YiguanError("live.bad_minutes", most=most(Speech, "minutes"))
    if closing:
        if item is not None:
            raise YiguanError("live.closing_on_item", n=item)
        text = valid_text(text.strip(), "text", "speech")
        number = None
        not_before_opening(meeting, at)
    else:
        text, number = _new_entry(meeting, text, "speech", item, at)
    check_present(meeting, speaker, at)
    speech = Speech(id=meeting.next_id(Speech), item=number, speaker=speaker, stance=stance,
                    minutes=minutes, at=at, seq=meeting.next_seq(), text=text,
                    closing=True if closing else None)
    meeting.speech.append(speech)
    said = Said(value=speech.id)
    if closing:
        return said.line("live.spoke_closing", id=speech.id, name=speaker)
    where = str(number) if number is not None else "-"
    if not meeting.is_limited(speaker):
        # the chair's procedural remarks and non-voting attendees' answers are not
        # counted against the members' limits
        role = "role.host" if speaker == meeting.host else "role.guest"
        said.line("live.spoke_unlimited" if number is not None
                  else "live.spoke_general_unlimited", id=speech.id, name=speaker,
                  item=where, role_key=role)
        if number is None:
            said.warn("live.no_agenda")
        return said
    count = sum(1 for s in meeting.speech if s.speaker == speaker and s.item == number)
    said.line("live.spoke" if number is not None else "live.spoke_general", id=speech.id,
              name=speaker, item=where, count=count)
    limit = meeting.rules.speeches_per_item
    if limit and count > limit:
        said.warn("live.over_count", name=speaker, item=where, count=count, limit=limit)
    limit_minutes = meeting.rules.speech_minutes
    if minutes is not None and limit_minutes and minutes > limit_minutes:
        said.warn("live.over_time", name=speaker, minutes=minutes, limit=limit_minutes)
    if number is None:
        said.warn("live.no_agenda")
    return said


# --- motions ----------------------------------------------------------------------------

def _pending(meeting: Meeting, motion_id: str) -> Motion:
    motion = get_motion(meeting, motion_id)
    if motion.status != "pending":
        raise YiguanError("live.motion_not_pending", id=motion.id,
                          status_key=f"status.{motion.status}")
    return motion


def get_motion(meeting: Meeting, motion_id: str) -> Motion:
    motion = meeting.get_motion(motion_id.strip().upper())
    if motion is None:
        known = Listed(m.id for m in meeting.motion) or "-"
        raise YiguanError("live.no_such_motion", id=motion_id, known=known)
    return motion


def propose(meeting: Meeting, council: Council | None, text: str, by: str, at: str, *,
            second: str | None = None, item: int | None = None,
            rule: str | None = None) -> Said:
    """Record a motion (with its seconder, if given at once) and say its id."""
    require_status(meeting, "open")
    text, number = _new_entry(meeting, text, "motion", item, at)
    stored_rule = None
    if rule is not None:
        stored_rule = str(meeting.rules.threshold(rule.strip()))
        if stored_rule == str(meeting.rules.threshold()):
            stored_rule = None  # the meeting's own rule: keep the file plain
    mover = present_member(meeting, council, by, at, "mover")
    seconder = None
    if second is not None:
        seconder = present_member(meeting, council, second, at, "seconder")
        if seconder == mover:
            raise YiguanError("live.second_self", name=mover)
    motion = Motion(id=meeting.next_id(Motion), item=number, text=text, by=mover, second=seconder,
                    rule=stored_rule, at=at, seq=meeting.next_seq())
    meeting.motion.append(motion)
    said = Said(value=motion.id).line("live.proposed", id=motion.id, by=mover)
    if seconder:
        said.line("live.seconded", id=motion.id, name=seconder)
    elif meeting.rules.second_required:
        said.warn("live.needs_second", id=motion.id)
    return said


def second_motion(meeting: Meeting, council: Council | None, motion_id: str, query: str,
                  at: str) -> Said:
    require_status(meeting, "open")
    motion = _pending(meeting, motion_id)
    if motion.second:
        raise YiguanError("live.already_seconded", id=motion.id, name=motion.second)
    not_before_opening(meeting, at)
    if at < motion.at:
        raise YiguanError("live.second_before_motion", id=motion.id, at=ClockTime(at),
                          moved=ClockTime(motion.at))
    name = present_member(meeting, council, query, at, "seconder")
    if name == motion.by:
        raise YiguanError("live.second_self", name=name)
    motion.second = name
    return Said().line("live.seconded", id=motion.id, name=name)


def amend(meeting: Meeting, council: Council | None, motion_id: str, text: str, by: str,
          at: str) -> Said:
    require_status(meeting, "open")
    motion = _pending(meeting, motion_id)
    text = valid_text(text.strip(), "text", "motion")
    if text == motion.text:
        raise YiguanError("live.amend_same", id=motion.id)
    not_before_opening(meeting, at)
    name = present_member(meeting, council, by, at, "amender")
    record = Amendment(id=meeting.next_id(Amendment), motion=motion.id, by=name, at=at,
                       seq=meeting.next_seq(), previous=motion.text, text=text)
    refuse(amendment_slips(meeting, motion, record))  # after the motion, its votes, its amendments
    meeting.amendment.append(record)
    motion.text = text
    return Said().line("live.amended", id=motion.id, name=name)


def withdraw(meeting: Meeting, motion_id: str) -> Said:
    require_status(meeting, "open")
    motion = _pending(meeting, motion_id)
    motion.status = "withdrawn"
    return Said().line("live.withdrawn", id=motion.id)


def postpone(meeting: Meeting, motion_id: str) -> Said:
    require_status(meeting, "open")
    motion = _pending(meeting, motion_id)
    motion.status = "postponed"
    return Said().line("live.postponed", id=motion.id)


def reconsider(meeting: Meeting, motion_id: str, at: str) -> Said:
    """重议: a decided motion goes back to pending; its earlier vote stays on record."""
    require_status(meeting, "open")
    motion = get_motion(meeting, motion_id)
    vote = meeting.standing_vote(motion.id)
    if motion.status not in ("adopted", "rejected") or vote is None:
        raise YiguanError("live.cannot_reconsider", id=motion.id,
                          status_key=f"status.{motion.status}")
    not_before_opening(meeting, at)
    if at < vote.at:
        raise YiguanError("live.reconsider_before_vote", id=motion.id, at=ClockTime(at),
                          voted=ClockTime(vote.at))
    vote.reconsidered = at
    motion.status = "pending"
    return Said().line("live.reconsidered", id=motion.id, vote=vote.id,
                       outcome_key=f"status.{vote.outcome}", yes=vote.yes, no=vote.no,
                       abstain=vote.abstain)


# --- votes ----------------------------------------------------------------------------

def vote(meeting: Meeting, council: Council | None, motion_id: str, at: str, *,
         yes: int | None, no: int | None, abstain: int = 0, recuse: list[str] | None = None,
         unanimous: bool = False, tellers: list[str] | None = None) -> Said:
    """Record a show of hands and decide it with the motion's rule.

    Refuses (nothing written) without quorum at that moment, with more hands than
    eligible voters, with a recused name that is not a present member, on a motion that
    is not pending, or without a second while the council requires one.
    """
    require_status(meeting, "open")
    motion = _pending(meeting, motion_id)
    recused = [resolve_name(query, meeting, council) for query in recuse or []]
    record = Vote(id=meeting.next_id(Vote), motion=motion.id, at=at, seq=meeting.next_seq(),
                  yes=0, no=0, abstain=0, present=0, eligible=0, not_voting=0, rule="",
                  outcome="rejected")
    decision = decide_vote(meeting, motion, record, yes=yes, no=no, abstain=abstain,
                           recused=recused, unanimous=unanimous)
    record.tellers = teller_names(meeting, council, tellers or [], at, record.seq or LAST)
    meeting.vote.append(record)
    motion.status = decision.outcome
    said = Said(value=decision)
    said.line("live.vote_result", id=motion.id, outcome_key=f"status.{decision.outcome}",
              explain=decision.explain())
    if decision.adopted:
        number = next(r for r, m, _ in meeting.resolutions() if m.id == motion.id)
        said.line("live.resolution", id=motion.id, r=number)
    if record.not_voting:
        said.warn("live.not_voting", n=record.not_voting)
    return said


def teller_names(meeting: Meeting, council: Council | None, queries: list[str], at: str,
                 seq: int = LAST) -> list[str]:
    """计票人: people in the room at the vote's moment (members or not), each once."""
    found: list[str] = []
    for query in queries:
        name = resolve_name(query, meeting, council)
        if not meeting.is_present(name, at, seq):
            raise YiguanError("live.teller_not_present", name=name, at=ClockTime(at))
        if name not in found:
            found.append(name)
    return found


def excuse(meeting: Meeting, council: Council | None, query: str,
           reason: str | None) -> Said:
    """Excuse a member of the meeting's roster (请假), before or during the meeting; a
    second excuse of the same member replaces the reason."""
    require_status(meeting, "planned", "open")
    name = resolve_name(query, meeting, council)
    if name not in meeting.members:
        raise YiguanError("live.excuse_not_member", name=name)
    if meeting.is_present(name):
        raise YiguanError("live.excuse_present", name=name)
    stays = meeting.stays(name)
    if stays:  # came and went: the minutes list them as present and leaving early
        raise YiguanError("live.excuse_attended", name=name,
                          at=ClockTime(min(a.arrived for a in stays)))
    reason = valid_text(reason.strip(), "line", "excuse_reason") if reason else None
    said = Said()
    known = meeting.excuse_of(name)
    if known is not None:
        known.reason = reason
    else:
        meeting.excused.append(Excuse(id=meeting.next_id(Excuse), name=name, reason=reason))
    said.line("live.excused_with_reason" if reason else "live.excused", name=name,
              reason=reason or "")
    return said


def decide_vote(meeting: Meeting, motion: Motion, record: Vote, *, yes: int | None,
                no: int | None, abstain: int, recused: list[str], unanimous: bool = False,
                rule: str | None = None) -> rules.Decision:
    """Take the show of hands `record` stands for at its moment (record.at, record.seq),
    check it as `vote` does and fill in its counts, room and outcome from the rules
    engine. `recused` are resolved names; `rule` is the threshold to decide by (default
    the motion's). Used by `vote` and by `fix` of a vote, so a corrected count meets the
    same refusals and the same arithmetic as one typed in the room.
    """
    at = record.at
    not_before_opening(meeting, at)
    if at < motion.at:
        raise YiguanError("live.vote_before_motion", id=motion.id, at=ClockTime(at),
                          moved=ClockTime(motion.at))
    refuse(vote_slips(meeting, motion, record))  # after the reconsideration it follows
    if meeting.rules.second_required and not motion.second:
        raise YiguanError("live.vote_needs_second", id=motion.id)
    moment = record.seq or LAST
    quorum = meeting.quorum(at, moment)
    if not quorum.met:
        raise YiguanError("live.vote_no_quorum", id=motion.id, present=quorum.present,
                          needed=quorum.needed, short=quorum.short, members=quorum.members)
    present = meeting.voting_present(at, moment)
    unique: list[str] = []
    for name in recused:
        if name not in present:
            raise YiguanError("live.recuse_not_present", name=name, at=ClockTime(at))
        if name not in unique:
            unique.append(name)
    eligible = len(present) - len(unique)
    yes, no, abstain = hands(yes, no, abstain, unanimous, eligible)
    cast = yes + no + abstain
    if cast > eligible:
        raise YiguanError("live.too_many_hands", cast=cast, yes=yes, no=no, abstain=abstain,
                          eligible=eligible, present=len(present), recused=len(unique))
    threshold = (rules.parse_threshold(rule) if rule is not None
                 else meeting.rules.threshold(motion.rule))
    tally = rules.Tally(yes, no, abstain, len(present), len(unique), len(meeting.members))
    decision = rules.decide(threshold, tally)
    record.yes, record.no, record.abstain = yes, no, abstain
    record.recused = unique
    record.present, record.eligible, record.not_voting = len(present), eligible, eligible - cast
    record.rule, record.outcome = str(threshold), decision.outcome
    return decision


# --- actions ---------------------------------------------------------------------------

def add_action(meeting: Meeting, council: Council | None, text: str, owner: str, at: str, *,
               due: dt.date | None = None, motion_id: str | None = None) -> Said:
    require_status(meeting, "open")
    who = resolve_name(owner, meeting, council)
    motion = get_motion(meeting, motion_id).id if motion_id else None
    text = valid_text(text.strip(), "text", "action")
    not_before_opening(meeting, at)
    action = Action(id=meeting.next_id(Action), text=text, owner=who, due=due, motion=motion,
                    at=at, seq=meeting.next_seq())
    refuse(action_slips(meeting, action))
    meeting.action.append(action)
    said = Said(value=action.id).line("live.action_added", id=action.id, owner=who,
                                      due=due.isoformat() if due else "-")
    if due and due < meeting.date:
        said.warn("live.due_in_past", due=due.isoformat())
    return said


def add_follow_up(meeting: Meeting, council: Council | None, text: str, owner: str,
                  today: dt.date, *, due: dt.date | None = None,
                  motion_id: str | None = None) -> Said:
    """Follow-up work given after the close (会后补充): who does what for a decision, added
    on `today`. It changes nothing that was said or decided, so it is no correction (no
    更正说明 entry); it takes its place after the close and is dated, not timed."""
    require_status(meeting, "closed")
    who = resolve_name(owner, meeting, council)
    motion = get_motion(meeting, motion_id).id if motion_id else None
    text = valid_text(text.strip(), "text", "action")
    if today < meeting.date:
        raise YiguanError("live.follow_up_before_meeting", today=today.isoformat(),
                          date=meeting.date.isoformat())
    assert meeting.closed is not None
    action = Action(id=meeting.next_id(Action), text=text, owner=who, due=due, motion=motion,
                    at=meeting.closed, seq=meeting.next_seq(), added=today)
    meeting.action.append(action)
    said = Said(value=action.id).line("live.follow_up_added", id=action.id, owner=who,
                                      due=due.isoformat() if due else "-",
                                      date=today.isoformat())
    if due and due < today:
        said.warn("live.due_in_past", due=due.isoformat())
    return said


def mark_done(meeting: Meeting, action_id: str, note: str | None,
              day: dt.date | None = None, *, today: dt.date | None = None) -> Said:
    """Mark the action done, on `day` if given (kept as its `done_on`: the yearly report
    tells done on time from done late by it); marked again, the first day stays. With
    `today` (a day typed with --on), the day may be neither after it nor before the
    meeting's."""
    if day is not None and today is not None:
        if day > today:
            raise YiguanError("live.done_in_future", day=day.isoformat(),
                              today=today.isoformat())
        if day < meeting.date:
            raise YiguanError("live.done_before_meeting", day=day.isoformat(),
                              date=meeting.date.isoformat())
    action = meeting.get_action(action_id.strip().upper())
    if action is None:
        known = Listed(a.id for a in meeting.action) or "-"
        raise YiguanError("live.no_such_action", id=action_id, known=known)
    if action.done and (note is None or note == action.note):
        return Said().line("live.already_done", id=action.id)
    action.done = True
    if day is not None and action.done_on is None:
        action.done_on = day
    if note is not None:
        action.note = valid_text(note.strip(), "text", "note")
    return Said().line("live.done", id=action.id, text=action.text)
