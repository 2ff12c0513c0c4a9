"""The council's cycle around a meeting: the minutes of an earlier meeting confirmed at a
later one (纪要确认), and residents' evaluation of a resolution carried out (居民评议).

Like `proceedings`, these are steps that check and change a Meeting and return what to
say (`Said`); what they need from other meetings (the earlier meeting, who already
confirmed it) the caller reads from the data folder and hands in. Whether a confirmation
carries is decided by the rules engine, with the meeting's own pass rule; nothing here
compares counts with a threshold.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..record.kinds import Confirmation, Evaluation, EvaluationWay
from ..record.model import Meeting, Motion
from ..rules import engine as rules
from ..store.files import is_meeting_id
from ..text.errors import Problem, YiguanError
from ..text.messages import ClockTime, Listed, t
from .guards import hands, not_before_opening, require_status
from .proceedings import Said

if TYPE_CHECKING:
    from ..store.folder import DataFolder


def meeting_order(meeting_id: str) -> tuple[str, int]:
    """Date, then the number within the day: the order of the folder's meetings."""
    return meeting_id[:10], int(meeting_id[11:] or 1)


def confirm(meeting: Meeting, meeting_id: str, earlier_id: str, earlier: Meeting,
            confirmed_by: str | None, at: str, *, yes: int | None, no: int | None,
            abstain: int, unanimous: bool) -> Said:
    """Record that `earlier`'s minutes (the meeting `earlier_id`) were read and confirmed
    at `meeting` (`meeting_id`), at `at`, by a show of hands of every voting member
    present: the counts must add up to them, the quorum must be there, and the meeting's
    pass rule must carry it. `confirmed_by` is the meeting that already confirmed them,
    if one did."""
    require_status(meeting, "open")
    if earlier_id == meeting_id:
        raise YiguanError("cycle.confirm_same", id=earlier_id)
    if meeting_order(earlier_id) > meeting_order(meeting_id):
        raise YiguanError("cycle.confirm_later", id=earlier_id, current=meeting_id)
    if earlier.status != "closed":
        raise YiguanError("cycle.confirm_not_closed", id=earlier_id,
                          status_key=f"meeting_status.{earlier.status}")
    if confirmed_by is not None:
        raise YiguanError("cycle.already_confirmed", id=earlier_id, by=confirmed_by)
    not_before_opening(meeting, at)
    seq = meeting.next_seq()
    quorum = meeting.quorum(at, seq)
    if not quorum.met:
        raise YiguanError("cycle.confirm_no_quorum", present=quorum.present,
                          needed=quorum.needed, short=quorum.short)
    present = len(meeting.voting_present(at, seq))
    yes, no, abstain = hands(yes, no, abstain, unanimous, present)
    if yes + no + abstain != present:
        raise YiguanError("cycle.confirm_counts", yes=yes, no=no, abstain=abstain,
                          cast=yes + no + abstain, present=present, at=ClockTime(at))
    threshold = meeting.rules.threshold()
    decision = rules.decide(threshold, rules.Tally(yes, no, abstain, present, 0,
                                                   len(meeting.members)))
    if not decision.adopted:
        raise YiguanError("cycle.confirm_not_carried", id=earlier_id,
                          explain=decision.explain())
    record = Confirmation(id=meeting.next_id(Confirmation), meeting=earlier_id,
                          title=earlier.title, at=at,
                          seq=seq, yes=yes, no=no, abstain=abstain, present=present,
                          rule=str(threshold))
    meeting.records(Confirmation).append(record)
    return Said(value=record.id).line("cycle.confirmed", id=earlier_id, title=earlier.title,
                                      yes=yes, no=no, abstain=abstain)


def confirmations(meeting: Meeting) -> list[Confirmation]:
    """The meeting's confirmations of earlier minutes, in entry order."""
    found = meeting.records(Confirmation)
    return sorted(found, key=lambda c: (c.at, c.seq or 0))


# --- residents' evaluation ----------------------------------------------------------------

def resolution_motion(meeting: Meeting, name: str) -> tuple[str, Motion]:
    """The resolution `name` (R1, r1) of the meeting and its motion."""
    wanted = name.strip().upper()
    if not wanted:  # `2024-04-25/`: the meeting given, the resolution left out
        raise YiguanError("cycle.no_resolution_named")
    resolutions = meeting.resolutions()
    for number, motion, _ in resolutions:
        if number == wanted:
            return number, motion
    raise YiguanError("cycle.no_such_resolution", id=name.strip(),
                      known=Listed(r for r, _, _ in resolutions) or "-")


def evaluate(meeting: Meeting, resolution: str, *, satisfied: int, basic: int,
             unsatisfied: int, day: dt.date, how: EvaluationWay | None,
             today: dt.date | None = None) -> Said:
    """Residents' evaluation of resolution `resolution` (R1) of a closed meeting, given
    on `day` (not after `today`): follow-up, like an action given after the close (no
    correction). The resolution must have been carried out: its actions, at least one,
    all done."""
    require_status(meeting, "closed")
    number, motion = resolution_motion(meeting, resolution)
    actions = [a for a in meeting.action if a.motion == motion.id]
    if not actions:
        raise YiguanError("cycle.evaluate_no_action", r=number)
    open_ones = [a.id for a in actions if not a.done]
    if open_ones:
        raise YiguanError("cycle.evaluate_not_done", r=number, ids=Listed(open_ones))
    if min(satisfied, basic, unsatisfied) < 0:
        raise YiguanError("cycle.evaluate_negative")
    if satisfied + basic + unsatisfied == 0:
        raise YiguanError("cycle.evaluate_nobody")
    if satisfied + basic + unsatisfied > MOST_RESIDENTS:  # what the file may hold
        raise YiguanError("cycle.evaluate_too_many", most=MOST_RESIDENTS)
    if today is not None and day > today:
        raise YiguanError("cycle.evaluate_in_future", day=day.isoformat())
    if day < meeting.date:
        raise YiguanError("cycle.evaluate_before_meeting", day=day.isoformat(),
                          date=meeting.date.isoformat())
    done_days = [(a.done_on, a.id) for a in actions if a.done_on is not None]
    if done_days and day < max(done_days)[0]:  # evaluated before the work was done
        last, action_id = max(done_days)
        raise YiguanError("cycle.evaluate_before_done", day=day.isoformat(), r=number,
                          id=action_id, done=last.isoformat())
    evaluations = meeting.records(Evaluation)
    if any(e.motion == motion.id and e.date == day for e in evaluations):
        raise YiguanError("cycle.evaluate_twice", r=number, day=day.isoformat())
    record = Evaluation(id=meeting.next_id(Evaluation), motion=motion.id, date=day, how=how,
                        satisfied=satisfied, basic=basic, unsatisfied=unsatisfied)
    evaluations.append(record)
    return Said(value=record.id).line("cycle.evaluated", r=number, id=record.id,
                                      satisfied=satisfied, basic=basic,
                                      unsatisfied=unsatisfied, day=day.isoformat())


# the most residents one evaluation may count (the file's limit for a count is higher:
# three counts of this size stay within it)
MOST_RESIDENTS = 100_000


def way_words(way: str, lang: str | None = None) -> str:
    """入户走访, 问卷调查, 居民会议: how residents were asked, in words."""
    return t(f"evaluation.how.{way}", lang=lang)


def evaluations_of(meeting: Meeting, motion_id: str) -> list[Evaluation]:
    """A motion's evaluations, oldest first."""
    return sorted((e for e in meeting.records(Evaluation) if e.motion == motion_id),
                  key=lambda e: e.date)


def evaluations_resting_on(meeting: Meeting, action_id: str) -> list[Evaluation]:
    """The evaluations that count on action `action_id` having been done: those of its
    resolution (an evaluation asks residents about the work its actions did). `strike`
    refuses to remove such an action."""
    action = meeting.get_action(action_id)
    if action is None or not action.motion:
        return []
    return evaluations_of(meeting, action.motion)


def refuse_strike_of_evaluated(meeting: Meeting, action_id: str) -> None:
    """`strike A1` refused while residents' evaluations of A1's resolution stand: named
    in words (决议一 2024-06-20 的居民评议 J1)."""
    found = evaluations_resting_on(meeting, action_id)
    if not found:
        return
    number = next((r for r, m, _ in meeting.resolutions() if m.id == found[0].motion),
                  found[0].motion)
    raise YiguanError("cycle.strike_evaluated", id=action_id, r=number,
                      days=Listed(e.date.isoformat() for e in found),
                      ids=Listed(e.id for e in found))


# --- what `check` says of them ---------------------------------------------------------------

def check_cycle(meeting: Meeting, path: str) -> list[Problem]:
    """A confirmation names a meeting by a well-formed id, once, with hands that add up
    to the members present; an evaluation counts somebody, and comes after the close,
    not before the meeting's day."""
    out: list[Problem] = []
    adopted = {motion.id for _, motion, _ in meeting.resolutions()}
    seen: set[str] = set()
    for confirmation in meeting.records(Confirmation):
        where = ("confirmation", confirmation.id)
        if not is_meeting_id(confirmation.meeting):
            out.append(Problem(path, "check.confirmation_bad_meeting",
                               {"id": confirmation.meeting}, record=where))
        elif confirmation.meeting in seen:
            out.append(Problem(path, "check.confirmation_twice",
                               {"id": confirmation.meeting}, record=where))
        seen.add(confirmation.meeting)
        cast = confirmation.yes + confirmation.no + confirmation.abstain
        if cast != confirmation.present:
            out.append(Problem(path, "check.confirmation_counts",
                               {"cast": cast, "present": confirmation.present}, record=where))
    for evaluation in meeting.records(Evaluation):
        where = ("evaluation", evaluation.id)
        if evaluation.satisfied + evaluation.basic + evaluation.unsatisfied == 0:
            out.append(Problem(path, "check.evaluation_nobody", {}, record=where))
        if meeting.status != "closed":
            out.append(Problem(path, "check.evaluation_before_close", {}, record=where))
        elif evaluation.date < meeting.date:
            out.append(Problem(path, "check.evaluation_before_meeting",
                               {"day": evaluation.date.isoformat(),
                                "date": meeting.date.isoformat()}, record=where))
        if evaluation.motion not in adopted and meeting.get_motion(evaluation.motion):
            # a `fix` of the vote undid the resolution the residents evaluated
            out.append(Problem(path, "check.evaluation_not_adopted",
                               {"motion": evaluation.motion}, record=where, warning=True))
    for action in meeting.action:  # a warning: only the yearly report reads the day
        if action.done_on is not None and action.done_on < meeting.date:
            out.append(Problem(path, "check.done_before_meeting",
                               {"day": action.done_on.isoformat(),
                                "date": meeting.date.isoformat()},
                               record=("action", action.id), warning=True))
    return out


def check_folder_confirmations(confirms: dict[str, list[str]],
                               shown: dict[str, str]) -> list[Problem]:
    """What no one meeting's file shows: a confirmation of a meeting the folder does not
    have, of a meeting not before the one confirming it, and the same minutes confirmed
    at two meetings (a merge can leave that; the first in the folder's order counts).
    `confirms`: each meeting id → the earlier ids it confirms; `shown`: how each
    meeting's file is named in the report."""
    out: list[Problem] = []
    first: dict[str, str] = {}
    for meeting_id in sorted(confirms, key=meeting_order):
        path = shown.get(meeting_id, meeting_id)
        for earlier in confirms[meeting_id]:
            if not is_meeting_id(earlier):
                continue  # the meeting's own check says so
            if earlier not in confirms:
                out.append(Problem(path, "check.confirmation_unknown_meeting",
                                   {"id": earlier}))
                continue
            if meeting_order(earlier) >= meeting_order(meeting_id):
                out.append(Problem(path, "check.confirmation_of_later",
                                   {"id": earlier, "current": meeting_id}))
            if earlier in first and first[earlier] != meeting_id:
                out.append(Problem(path, "check.confirmation_elsewhere",
                                   {"id": earlier, "by": first[earlier]}))
            first.setdefault(earlier, meeting_id)
    return out


def folder_confirmations(folder: DataFolder) -> list[Problem]:
    """`check_folder_confirmations` over a data folder, from the index (the head of
    every meeting: one read where nothing changed)."""
    from ..store.index import Index

    confirms: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for entry in Index(folder).entries():
        confirms[entry.meeting_id] = list(entry.summary["confirms"]) if entry.summary else []
        shown[entry.meeting_id] = str(folder.meeting_path(entry.meeting_id))
    return check_folder_confirmations(confirms, shown)
