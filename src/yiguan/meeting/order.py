"""What cannot come before what: the order of a meeting's records, said once.

A record that depends on another cannot be earlier than it:

- a vote comes after its motion was moved, and after the reconsideration (重议) of the
  vote before it on that motion: the motion was decided until then;
- an amendment (修正) comes after its motion was moved, after the amendment before it
  (whose text it started from), before the one after it, and after every vote on the
  motion taken before it was reconsidered: a decided motion is not amended;
- an action (责任分工) carrying out a motion comes after the motion was moved;
- a reconsideration comes after its vote (`check_votes`) and, like everything said in
  session, before the close.

The commands (`vote`, `amend`, `action`, `fix --at`) refuse a record that breaks one of
these, and `check` reports one in a file: both ask the functions here, which return what
is wrong as (message key, params), the first one first. Moments compare as everywhere:
(time, entry order); a reconsideration has a time only, so a vote in the minute of the
reconsideration it follows is in order.
"""

from __future__ import annotations

from typing import Any

from ..record.model import LAST, Action, Amendment, Meeting, Motion, Vote
from ..text.errors import YiguanError
from ..text.messages import ClockTime

Slip = tuple[str, dict[str, Any]]

# Refusals about a moment: when the time came from the clock, the command line says how
# it chose it (proceedings.TIME_REFUSALS).
TIME_SLIPS = frozenset({
    "order.vote_before_motion", "order.vote_before_reconsideration",
    "order.amend_before_motion", "order.amend_before_amendment",
    "order.amend_after_amendment", "order.amend_after_vote",
    "order.amend_before_reconsideration", "order.action_before_motion"})


def _moment(record: Any) -> tuple[str, int]:
    return record.at, record.seq or LAST


def vote_slips(meeting: Meeting, motion: Motion, vote: Vote) -> list[Slip]:
    """What `vote` (on `motion`, at its `at`) would come before. A vote not yet in the
    meeting follows the motion's last vote."""
    out: list[Slip] = []
    if vote.at < motion.at:
        out.append(("order.vote_before_motion",
                    {"id": motion.id, "at": ClockTime(vote.at), "moved": ClockTime(motion.at)}))
    votes = meeting.votes_on(motion.id)
    earlier = votes[:votes.index(vote)] if vote in votes else votes
    if earlier:
        previous = earlier[-1]
        if previous.reconsidered is not None and vote.at < previous.reconsidered:
            out.append(("order.vote_before_reconsideration",
                        {"id": motion.id, "at": ClockTime(vote.at), "vote": previous.id,
                         "reconsidered": ClockTime(previous.reconsidered)}))
    return out


def amendment_slips(meeting: Meeting, motion: Motion, amendment: Amendment) -> list[Slip]:
    """What `amendment` (of `motion`) would come before, or after when it cannot. One not
    yet in the meeting is the latest: after every amendment and every vote so far."""
    out: list[Slip] = []
    at = ClockTime(amendment.at)
    if amendment.at < motion.at:
        out.append(("order.amend_before_motion",
                    {"id": motion.id, "at": at, "moved": ClockTime(motion.at)}))
    chain = meeting.amendments_of(motion.id)
    new = amendment not in chain
    index = len(chain) if new else chain.index(amendment)
    if index > 0 and _moment(amendment) < _moment(chain[index - 1]):
        previous = chain[index - 1]
        out.append(("order.amend_before_amendment",
                    {"id": motion.id, "at": at, "previous": previous.id,
                     "earlier": ClockTime(previous.at)}))
    if index + 1 < len(chain) and _moment(chain[index + 1]) < _moment(amendment):
        following = chain[index + 1]
        out.append(("order.amend_after_amendment",
                    {"id": motion.id, "at": at, "next": following.id,
                     "later": ClockTime(following.at)}))
    for vote in meeting.votes_on(motion.id):
        if not new and _moment(amendment) < _moment(vote):
            continue  # voted on the amended text
        if vote.reconsidered is None:
            out.append(("order.amend_after_vote",
                        {"id": motion.id, "at": at, "vote": vote.id,
                         "voted": ClockTime(vote.at)}))
        elif amendment.at < vote.reconsidered:
            out.append(("order.amend_before_reconsideration",
                        {"id": motion.id, "at": at, "vote": vote.id,
                         "reconsidered": ClockTime(vote.reconsidered)}))
    return out


def action_slips(meeting: Meeting, action: Action) -> list[Slip]:
    """An action carrying out a motion comes after the motion was moved."""
    motion = meeting.get_motion(action.motion) if action.motion else None
    if motion is not None and action.at < motion.at:
        return [("order.action_before_motion",
                 {"id": motion.id, "at": ClockTime(action.at), "moved": ClockTime(motion.at)})]
    return []


def dependants_before(meeting: Meeting, motion: Motion) -> list[Amendment | Vote | Action]:
    """The records depending on `motion` that its time (as it is now) comes after: what
    `fix M… --at` refuses to move it past."""
    after: list[Amendment | Vote | Action] = [
        *meeting.amendments_of(motion.id), *meeting.votes_on(motion.id),
        *(a for a in meeting.action if a.motion == motion.id)]
    return [r for r in after if r.at < motion.at]


def refuse(slips: list[Slip]) -> None:
    """The first slip as the command's refusal."""
    if slips:
        key, params = slips[0]
        raise YiguanError(key, **params)
