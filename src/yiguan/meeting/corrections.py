"""Corrections (更正): strike a record entered by mistake, or fix fields of one record.

The same checks as in the room apply: a fixed vote is decided again by
`proceedings.decide_vote` (the rules engine, with the refusals of `vote`), a moved
speech needs its speaker present at the new time, a sign-in cannot move or go while a
vote or a speech depends on it. A record other records depend on is never struck: the
refusal names them.

On a meeting still open (or planned) the minutes are a draft and `undo` covers a
mistake, so a correction leaves no trace. On a closed meeting a reason is required and
each changed field adds a `[[correction]]` record — which record, what it was, what it
became, the reason, the date — that the minutes list under 更正说明, so a signed record
never changes silently. The one record a closed meeting still takes is an excuse
(`excuse`: a member who had in fact asked for leave, found out after the close); it is
traced like a change, with the whole record as it was added. Like `proceedings`,
nothing here reads the clock: the caller gives the date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..record.kinds import KINDS, MOTION_STATES, STANCES
from ..record.model import (
    LAST,
    Action,
    Amendment,
    Attendee,
    Correction,
    Council,
    Excuse,
    Item,
    Meeting,
    Motion,
    Speech,
    Vote,
    in_entry_order,
    noted,
    set_noted,
)
from ..record.schema import Key, Record, most, valid_text
from ..text.errors import YiguanError
from ..text.messages import ClockTime, Listed, t
from ..text.safety import check_text
from .guards import (
    check_present,
    check_present_member,
    resolve_free_name,
    resolve_name,
    within_meeting,
)
from .order import action_slips, amendment_slips, dependants_before, refuse
from .proceedings import Said, decide_vote, get_motion, teller_names
from .trail import value_text

# What `fix` may change and what `strike` may remove is each kind's own declaration
# (`FIX`, `STRIKE` in record/kinds.py); a kind with neither (a merge's conflict, a
# correction) is no record a correction names.
NOBODY = "-"  # `fix V1 --recuse -`: nobody recused (`--teller -`: no tellers)

# never changed by a correction; whether a time was noted is no fact of the meeting
NOT_CORRECTED = frozenset({"id", "seq", "left_seq", "arrived_noted", "left_noted",
                           "at_noted", "reconsidered_noted"})


def _correctable(kind: type[Record]) -> bool:
    return bool(kind.FIX) or kind.STRIKE


def find_record(meeting: Meeting, ref: str) -> tuple[str, Any]:
    """(table, record) for an id as the secretary types it: S7, s7, P3, L1, M1, E2, V1,
    A1 (a prefix of a kind `fix` or `strike` takes), or an agenda item's number."""
    text = ref.strip()
    if text.isdecimal():
        item = meeting.get_item(int(text))
        if item is None:
            raise YiguanError("live.no_such_item", n=int(text), count=len(meeting.item))
        return "item", item
    upper = text.upper()
    prefix = upper.rstrip("0123456789")
    kind = KINDS.by_prefix.get(prefix)
    if kind is not None and _correctable(kind) and upper[len(prefix):].isdecimal():
        table = kind.TABLE
        for record in getattr(meeting, table):
            if record.id == upper:
                return table, record
        known = Listed(r.id for r in getattr(meeting, table)) or "-"
        raise YiguanError("fix.no_such_record", what_key=f"table.{table}", id=text,
                          known=known)
    examples = [t("fix.id_example", what=t(f"table.{k.TABLE}"), id=f"{k.PREFIX}1")
                for k in KINDS.all if k.PREFIX and _correctable(k)]
    numbered = [t(f"table.{k.TABLE}") for k in KINDS.all if not k.PREFIX and _correctable(k)]
    raise YiguanError("fix.bad_id_of", id=text, kinds=Listed(examples),
                      numbered=Listed(numbered))


def label(table: str, record: Any) -> dict[str, Any]:
    """Message params that name a record as the secretary knows it: 表决 V1, 议题 2."""
    return {"what_key": f"table.{table}", "id": str(record.id)}


def _reason(meeting: Meeting, reason: str | None, flag: str = "--why") -> str | None:
    """The reason, required when the meeting is closed (the trace needs one)."""
    if reason is not None and reason.strip():
        return valid_text(reason.strip(), "text", "reason")
    if meeting.status == "closed":
        raise YiguanError("fix.reason_required", closed=ClockTime(meeting.closed or "?"),
                          flag=flag)
    return None


def _moment(record: Any) -> tuple[str, int]:
    return record.at, record.seq or LAST


# --- strike ------------------------------------------------------------------------------

def strike(meeting: Meeting, ref: str, reason: str | None, today: dt.date) -> Said:
    """Remove one record entered by mistake, unless another record depends on it."""
    table, record = find_record(meeting, ref)
    if not KINDS.by_table[table].STRIKE:
        raise YiguanError("fix.cannot_strike_vote", id=record.id)
    blockers = dependants(meeting, table, record)
    if blockers:
        raise YiguanError("fix.has_dependants", records=Listed(blockers), **label(table, record))
    if table == "action":  # residents' evaluations of its resolution rest on it
        from .cycle import refuse_strike_of_evaluated

        refuse_strike_of_evaluated(meeting, record.id)
    why = _reason(meeting, reason)
    before = _snapshot(meeting)
    if table == "amendment":
        # the motion's text goes back to what it was before (no later amendment: see
        # dependants)
        motion = meeting.get_motion(record.motion)
        if motion is not None:
            motion.text = record.previous
    getattr(meeting, table).remove(record)
    said = Said().line("fix.struck", **label(table, record))
    if why is not None and meeting.status == "closed":
        first = _add(meeting, Correction(id="", date=today, record=f"{table} {record.id}",
                                         before=_body(record), reason=why))
        ids = [first] + _trace(meeting, _changes(before, meeting), why, today)
        said.line("fix.traced", ids=Listed(ids))
    return said


def _body(record: Record) -> str:
    """A whole record as the TOML lines a correction keeps of it."""
    from ..record.fileformat import toml_value

    return "\n".join(f"{key} = {toml_value(value)}" for key, value in record.to_table().items())


# --- excuse after the close --------------------------------------------------------------

def excuse_after_close(meeting: Meeting, council: Council | None, query: str,
                       reason: str | None, why: str | None, today: dt.date) -> Said:
    """请假 found out after the close: a member of the meeting's roster who never signed
    in had asked for leave. Added (or its reason changed) with a trace, like any other
    correction of a closed meeting; `why` is the correction's reason, required."""
    name = resolve_name(query, meeting, council)
    _excusable(meeting, name)
    given = valid_text(reason.strip(), "line", "excuse_reason") if reason else None
    why_text = _reason(meeting, why, flag="--why")
    assert why_text is not None  # a closed meeting: required
    known = meeting.excuse_of(name)
    if known is not None:  # the reason given was wrong: a change of one field
        before = _snapshot(meeting)
        known.reason = given
        changes = _changes(before, meeting)
        if not changes:
            return Said().line("fix.unchanged", **label("excused", known))
        said = Said().line("live.excused_with_reason" if given else "live.excused",
                           name=name, reason=given or "")
        return said.line("fix.traced", ids=Listed(_trace(meeting, changes, why_text, today)))
    record = Excuse(id=meeting.next_id(Excuse), name=name, reason=given)
    meeting.excused.append(record)
    first = _add(meeting, Correction(id="", date=today, record=f"excused {record.id}",
                                     after=_body(record), reason=why_text))
    said = Said().line("live.excused_with_reason" if given else "live.excused", name=name,
                       reason=given or "")
    return said.line("fix.traced", ids=Listed([first]))


def _excusable(meeting: Meeting, name: str, record: Excuse | None = None) -> None:
    """Who may be excused: a member of the meeting's roster who never signed in."""
    if name not in meeting.members:
        raise YiguanError("live.excuse_not_member", name=name)
    stays = meeting.stays(name)
    if stays:
        raise YiguanError("live.excuse_attended", name=name,
                          at=ClockTime(min(a.arrived for a in stays)))
    other = meeting.excuse_of(name)
    if record is not None and other is not None and other is not record:
        raise YiguanError("fix.already_excused", name=name, id=other.id)


def dependants(meeting: Meeting, table: str, record: Any) -> list[str]:
    """Ids of the records that would lose their footing if `record` went: those whose
    links name it (a speech's item, a vote's motion, of any kind), and what a kind's own
    rules add (the amendments after an amendment, what a stay in the room covers)."""
    found: list[str] = []
    if table == "motion":
        found = ([v.id for v in meeting.votes_on(record.id)]
                 + [e.id for e in meeting.amendments_of(record.id)])
    elif table == "amendment":
        after = _moment(record)
        found = ([e.id for e in meeting.amendments_of(record.motion)
                  if e is not record and _moment(e) >= after]
                 + [v.id for v in meeting.votes_on(record.motion) if _moment(v) >= after])
    elif table == "attendee":
        found = _depends_on_stay(meeting, record, lambda at, seq: record.present_at(at, seq))
    linked = [r.id for kind in KINDS.all for link in kind.LINKS if link.target == table
              for r in getattr(meeting, kind.TABLE) if getattr(r, link.attribute) == record.id]
    return found + [rid for rid in linked if rid not in found]


def _depends_on_stay(meeting: Meeting, stay: Attendee, covered: Any) -> list[str]:
    """Records that count on `stay`: votes whose room it was part of, and what its person
    said, moved, seconded, amended or was recused from while it lasted (unless another
    stay of theirs covers the moment). `covered(at, seq)` says whether the stay (as it
    is, or as it would be) covers a moment."""
    name = stay.name
    others = [a for a in meeting.stays(name) if a is not stay]

    def needs(at: str, seq: int) -> bool:
        return covered(at, seq) and not any(a.present_at(at, seq) for a in others)

    found = []
    if stay.role == "member" and name in meeting.members:
        found += [v.id for v in meeting.vote if covered(*_moment(v))]
    found += [s.id for s in meeting.speech if s.speaker == name and needs(*_moment(s))]
    found += [m.id for m in meeting.motion
              if name in (m.by, m.second) and needs(*_moment(m))]
    found += [e.id for e in meeting.amendment if e.by == name and needs(*_moment(e))]
    found += [v.id for v in meeting.vote if name in v.recused and needs(*_moment(v))
              and v.id not in found]
    if name not in meeting.members and not others:
        found += [a.id for a in meeting.action if a.owner == name]
    return list(dict.fromkeys(found))


# --- fix ---------------------------------------------------------------------------------

def fix(meeting: Meeting, council: Council | None, ref: str, given: dict[str, Any],
        reason: str | None, today: dt.date) -> Said:
    """Change the fields `given` (by flag name: text, yes, at …; `at` already a stored
    time) of one record, with the checks of the command that made it.

    A time nobody noted (taken from the meeting clock while the meeting was typed up from
    notes) that `--at` now gives is noted, not corrected: no reason needed, no trace."""
    table, record = find_record(meeting, ref)
    allowed = tuple(KINDS.by_table[table].FIX)
    out = Said()
    if table == "motion" and given and not set(given) & set(allowed):
        # `fix M1 --yes 5`: the counts of the motion's vote
        table, record = "vote", _vote_of(meeting, record)
        allowed = tuple(KINDS.by_table[table].FIX)
        out.line("fix.vote_of_motion", motion=record.motion, id=record.id)
    if not given:
        raise YiguanError("fix.nothing_given", flags=_flags(allowed), **label(table, record))
    wrong = [flag for flag in given if flag not in allowed]
    if wrong:
        raise YiguanError("fix.flag_not_for", flag=f"--{wrong[0]}", flags=_flags(allowed),
                          **label(table, record))
    kind = KINDS.by_table[table]
    time_key = kind.FIX.get("at", "at")  # the time `--at` gives: a sign-in's arrival
    first_note = "at" in given and time_key in kind.TIMES and not noted(record, time_key)
    why = reason.strip() if reason and reason.strip() else None
    if not (first_note and set(given) == {"at"}):
        why = _reason(meeting, reason)
    before = _snapshot(meeting)
    said = Said()
    if "at" in given and meeting.closed is not None and not noted(meeting, "closed") \
            and given["at"] > meeting.closed:
        # a close nobody noted (the meeting clock's guess in a write-up) is at least as
        # late as what someone noted later: it follows, still marked as not noted
        meeting.closed = given["at"]
    FIXERS.get(table, _fix_fields)(meeting, council, record, given, said)
    changes = _changes(before, meeting, first=(table, record.id))
    if first_note:
        set_noted(record, time_key, True)
        changes = [c for c in changes if (c[0], c[1], c[2]) != (table, record.id, time_key)]
        out.line("fix.time_noted", **label(table, record), at=ClockTime(given["at"]))
        if not changes:
            out.lines += said.lines
            out.warnings += said.warnings
            return out
    elif not changes:
        return Said().line("fix.unchanged", **label(table, record))
    for changed_table, record_id, field, old, new in changes:
        out.line("fix.changed", what_key=f"table.{changed_table}", id=str(record_id),
                 field_key=f"field.{changed_table}.{field}",
                 **shown("before", field, value_text(old)),
                 **shown("after", field, value_text(new)))
    out.lines += said.lines
    out.warnings += said.warnings
    if why is not None and meeting.status == "closed":
        why = valid_text(why, "text", "reason")
        ids = _trace(meeting, changes, why, today)
        out.line("fix.traced", ids=Listed(ids))
    return out


def _vote_of(meeting: Meeting, motion: Motion) -> Vote:
    """The one vote taken on `motion`; with none or several, the refusal names them."""
    votes = meeting.votes_on(motion.id)
    if not votes:
        raise YiguanError("fix.motion_not_voted", id=motion.id)
    if len(votes) > 1:
        raise YiguanError("fix.motion_several_votes", id=motion.id,
                          votes=Listed(v.id for v in votes))
    return votes[0]


def _flags(allowed: tuple[str, ...]) -> str:
    return " ".join(f"--{flag}" for flag in allowed)


def _text(given: dict[str, Any], what: str) -> str:
    return valid_text(str(given["text"]).strip(), "text", what)


def _fix_attendee(meeting: Meeting, council: Council | None, stay: Attendee,
                  given: dict[str, Any], said: Said) -> None:
    arrived = given["at"]
    if stay.left is not None and stay.left < arrived:
        raise YiguanError("live.left_before_arrived", name=stay.name, at=ClockTime(stay.left),
                          arrived=ClockTime(arrived))
    if meeting.closed and arrived > meeting.closed:
        raise YiguanError("live.after_closing", at=ClockTime(arrived),
                          closed=ClockTime(meeting.closed))
    moved = stay.copy(arrived=arrived)
    for other in meeting.stays(stay.name):
        if other is not stay and _overlap(moved, other):
            raise YiguanError("fix.stays_overlap", name=stay.name, other=other.id,
                              arrived=ClockTime(other.arrived))
    # What depends on the old time: what the stay covers now and would no longer cover
    # (a speech whose speaker would not be in the room), and any vote whose room would
    # change (its stored count of members present).
    blockers = _depends_on_stay(
        meeting, stay, lambda at, seq: stay.present_at(at, seq) and not moved.present_at(at, seq))
    if stay.role == "member" and stay.name in meeting.members:
        blockers += [v.id for v in meeting.vote if v.id not in blockers
                     and moved.present_at(*_moment(v)) and not stay.present_at(*_moment(v))]
    if blockers:
        raise YiguanError("fix.has_dependants_time", records=Listed(blockers),
                          **label("attendee", stay))
    stay.arrived = arrived


def _fix_excused(meeting: Meeting, council: Council | None, excuse: Excuse,
                 given: dict[str, Any], said: Said) -> None:
    if "text" in given:
        text = str(given["text"]).strip()  # empty: no reason given
        excuse.reason = valid_text(text, "line", "excuse_reason") if text else None
    if "by" in given:
        name = resolve_name(given["by"], meeting, council)
        _excusable(meeting, name, excuse)
        excuse.name = name


def _overlap(one: Attendee, other: Attendee) -> bool:
    first, second = sorted((one, other), key=lambda a: a.arrived)
    return first.left is None or second.arrived < first.left


def _fix_item(meeting: Meeting, council: Council | None, item: Item, given: dict[str, Any],
              said: Said) -> None:
    if "text" in given:
        item.title = valid_text(str(given["text"]).strip(), "line", "title")
    if "by" in given:
        item.by = resolve_free_name(given["by"], council)


def _item_number(meeting: Meeting, number: int) -> int:
    if meeting.get_item(number) is None:
        raise YiguanError("live.no_such_item", n=number, count=len(meeting.item))
    return number


def _fix_speech(meeting: Meeting, council: Council | None, speech: Speech,
                given: dict[str, Any], said: Said) -> None:
    if "text" in given:
        speech.text = _text(given, "speech")
    if "by" in given:
        speech.speaker = resolve_name(given["by"], meeting, council)
    if "item" in given:
        if speech.closing:  # closing words belong to no item
            raise YiguanError("live.closing_on_item", n=given["item"])
        speech.item = _item_number(meeting, given["item"])
    if "stance" in given:
        speech.stance = given["stance"]
    if "minutes" in given:
        if not 1 <= given["minutes"] <= most(Speech, "minutes"):
            raise YiguanError("live.bad_minutes", most=most(Speech, "minutes"))
        speech.minutes = given["minutes"]
    if "at" in given:
        speech.at = given["at"]
    if "at" in given or "by" in given:
        within_meeting(meeting, speech.at)
        check_present(meeting, speech.speaker, *_moment(speech))


def _fix_motion(meeting: Meeting, council: Council | None, motion: Motion,
                given: dict[str, Any], said: Said) -> None:
    if "text" in given:
        motion.text = _text(given, "motion")
        amendments = in_entry_order(meeting.amendments_of(motion.id))
        if amendments:
            # the current text is the one the last amendment gave: the same words
            amendments[-1].text = motion.text
    if "item" in given:
        motion.item = _item_number(meeting, given["item"])
    if "by" in given:
        motion.by = resolve_name(given["by"], meeting, council)
    if "second" in given:
        motion.second = resolve_name(given["second"], meeting, council)
    if "at" in given:
        motion.at = given["at"]
    if {"at", "by", "second"} & set(given):
        within_meeting(meeting, motion.at)
        at, seq = _moment(motion)
        check_present_member(meeting, motion.by, at, "mover", seq)
        if motion.second is not None:
            check_present_member(meeting, motion.second, at, "seconder", seq)
            if motion.second == motion.by:
                raise YiguanError("live.second_self", name=motion.by)
        earlier = dependants_before(meeting, motion)
        if earlier:
            raise YiguanError("fix.motion_after", id=motion.id, moved=ClockTime(motion.at),
                              records=Listed(r.id for r in earlier),
                              at=ClockTime(min(r.at for r in earlier)))


def _fix_amendment(meeting: Meeting, council: Council | None, amendment: Amendment,
                   given: dict[str, Any], said: Said) -> None:
    motion = get_motion(meeting, amendment.motion)
    if "text" in given:
        amendment.text = _text(given, "motion")
        if amendment.text == amendment.previous:
            raise YiguanError("live.amend_same", id=motion.id)
        chain = in_entry_order(meeting.amendments_of(motion.id))
        later = chain[chain.index(amendment) + 1:]
        if later:
            later[0].previous = amendment.text  # the next amendment started from it
        else:
            motion.text = amendment.text  # the last amendment gave the current text
    if "by" in given:
        amendment.by = resolve_name(given["by"], meeting, council)
    if "at" in given:
        amendment.at = given["at"]
    if "at" in given or "by" in given:
        within_meeting(meeting, amendment.at)
        if amendment.at < motion.at:
            raise YiguanError("live.amend_before_motion", id=motion.id,
                              at=ClockTime(amendment.at), moved=ClockTime(motion.at))
        at, seq = _moment(amendment)
        check_present_member(meeting, amendment.by, at, "amender", seq)
        refuse(amendment_slips(meeting, motion, amendment))


def _fix_vote(meeting: Meeting, council: Council | None, vote: Vote, given: dict[str, Any],
              said: Said) -> None:
    if set(given) == {"teller"}:  # who counted, not what was counted: nothing to decide
        vote.tellers = _tellers_of(meeting, council, vote, given)
        return
    motion = get_motion(meeting, vote.motion)
    standing = meeting.standing_vote(motion.id) is vote
    if "at" in given:
        vote.at = given["at"]
        within_meeting(meeting, vote.at)
        if vote.reconsidered is not None and vote.reconsidered < vote.at:
            raise YiguanError("fix.vote_after_reconsidered", id=vote.id, at=ClockTime(vote.at),
                              reconsidered=ClockTime(vote.reconsidered))
    recused = list(vote.recused)
    if "recuse" in given:
        queries = [q for q in given["recuse"] if q.strip() != NOBODY]
        recused = [resolve_name(query, meeting, council) for query in queries]
    decision = decide_vote(
        meeting, motion, vote, yes=given.get("yes", vote.yes), no=given.get("no", vote.no),
        abstain=given.get("abstain", vote.abstain), recused=recused, rule=vote.rule)
    if "teller" in given or "at" in given:
        vote.tellers = _tellers_of(meeting, council, vote, given)
    if standing and motion.status in ("adopted", "rejected"):
        motion.status = decision.outcome
    said.line("live.vote_result", id=motion.id, outcome_key=f"status.{decision.outcome}",
              explain=decision.explain())
    if standing and decision.adopted:
        number = next(r for r, m, _ in meeting.resolutions() if m.id == motion.id)
        said.line("live.resolution", id=motion.id, r=number)
    if vote.not_voting:
        said.warn("live.not_voting", n=vote.not_voting)


def _tellers_of(meeting: Meeting, council: Council | None, vote: Vote,
                given: dict[str, Any]) -> list[str]:
    """The tellers given (or kept), each in the room at the vote's (new) moment, as
    `vote --teller` asks."""
    queries = ([q for q in given["teller"] if q.strip() != NOBODY] if "teller" in given
               else vote.tellers)
    return teller_names(meeting, council, queries, *_moment(vote))


def _fix_action(meeting: Meeting, council: Council | None, action: Action,
                given: dict[str, Any], said: Said) -> None:
    if "text" in given:
        action.text = _text(given, "action")
    if "owner" in given:
        action.owner = resolve_name(given["owner"], meeting, council)
    if "due" in given:
        action.due = given["due"]
        if action.due < meeting.date:
            said.warn("live.due_in_past", due=action.due.isoformat())
    if "at" in given:
        action.at = given["at"]
        within_meeting(meeting, action.at)
        refuse(action_slips(meeting, action))


def _fix_fields(meeting: Meeting, council: Council | None, record: Record,
                given: dict[str, Any], said: Said) -> None:
    """A kind with no fixer of its own: each flag sets the field its kind's `FIX` names,
    checked as its key checks a file; names are resolved as everywhere, an item must
    exist, and a record of the session stays between the opening and the close."""
    kind = type(record)
    keys = {key.attribute: key for key in kind.SPEC}
    for flag, value in given.items():
        field = kind.FIX[flag]
        setattr(record, field, _fixed_value(meeting, council, record, keys[field], value))
    at = getattr(record, "at", None)
    if kind.TIMED and "at" in given and isinstance(at, str):
        within_meeting(meeting, at)


def _fixed_value(meeting: Meeting, council: Council | None, record: Record, key: Key,
                 value: Any) -> Any:
    """A value given to `fix` as the field's key takes it, or the refusal."""
    what = {"what_key": f"table.{record.TABLE}", "id": str(getattr(record, "id", "")),
            "field_key": f"field.{record.TABLE}.{key.name}"}
    if key.kind == "name":
        return resolve_name(str(value), meeting, council)
    if key.kind == "names":
        return [resolve_name(q, meeting, council) for q in value if q.strip() != NOBODY]
    if key.kind in ("line", "text"):
        text = str(value).strip()
        if not text and not key.required:
            return None
        problem = check_text(text, key.kind)
        if problem:
            raise YiguanError("input.bad_text", what_key=what["field_key"],
                              why_key=problem[0], **problem[1])
        return text
    if key.target == Item.TABLE and value is not None:
        return _item_number(meeting, value)
    failure = key.check(value, key)
    if failure:
        raise YiguanError("fix.bad_value", why_key=failure[0], **what, **failure[1])
    return value


FIXERS: dict[str, Any] = {
    "attendee": _fix_attendee, "excused": _fix_excused, "item": _fix_item,
    "speech": _fix_speech,
    "motion": _fix_motion, "amendment": _fix_amendment, "vote": _fix_vote,
    "action": _fix_action,
}


# --- what changed, and the trace ---------------------------------------------------------

Snapshot = dict[tuple[str, Any], Record]
Change = tuple[str, Any, str, Any, Any]  # table, id, field, before, after


def _snapshot(meeting: Meeting) -> Snapshot:
    return {(kind.TABLE, r.id): r.copy() for kind in KINDS.fixable
            for r in getattr(meeting, kind.TABLE)}


def _changes(before: Snapshot, meeting: Meeting,
             first: tuple[str, Any] | None = None) -> list[Change]:
    """The fields of records that are still there and are not what they were: those of
    the record `first` (the one corrected), then what followed from it, in file order.
    (A struck record is traced whole by `strike`.)"""
    out = []
    for kind in KINDS.fixable:
        table = kind.TABLE
        for record in getattr(meeting, table):
            old = before.get((table, record.id))
            if old is None:
                continue
            for key in record.SPEC:
                if key.name in NOT_CORRECTED:
                    continue
                was, now = getattr(old, key.attribute), getattr(record, key.attribute)
                if was != now:
                    out.append((table, record.id, key.name, was, now))
    out.sort(key=lambda change: (change[0], change[1]) != first)  # stable
    return out


def shown(param: str, field: str, text: str | None) -> dict[str, Any]:
    """A stored value as a message param named `param`: a time as a time of day, a
    stance or status in words, no value as （无）."""
    if text is None:
        return {f"{param}_key": "documents.none"}
    if field in KINDS.times:
        return {param: ClockTime(text)}
    if field == "stance" and text in STANCES:
        return {f"{param}_key": f"stance.{text}"}
    if field in ("status", "outcome") and text in MOTION_STATES:
        return {f"{param}_key": f"status.{text}"}
    return {param: text}


def _trace(meeting: Meeting, changes: list[Change], reason: str, today: dt.date) -> list[str]:
    """A [[correction]] per changed field; their ids."""
    ids = []
    for table, record_id, field, old, new in changes:
        ids.append(_add(meeting, Correction(
            id="", date=today, record=f"{table} {record_id}", field=field,
            before=value_text(old), after=value_text(new), reason=reason)))
    return ids


def _add(meeting: Meeting, correction: Correction) -> str:
    correction.id = meeting.next_id(Correction)
    meeting.correction.append(correction)
    return correction.id
