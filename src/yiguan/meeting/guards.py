"""The checks every step on a meeting shares: whose name a query means and whether they
are in the room, which status the meeting must have, whether a moment lies within the
meeting, which agenda item a record belongs to. `proceedings`, `corrections` and `floor`
refuse with them, so the same situation is refused in the same words everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ..record.model import LAST, Council, Meeting, minutes_of
from ..record.schema import valid_text
from ..rules import names
from ..text.errors import YiguanError
from ..text.messages import ClockTime

if TYPE_CHECKING:
    from ..record.kinds import MeetingStatus

    # the part a voting member takes in a motion (role.mover …: how refusals name it)
    Part = Literal["mover", "seconder", "amender"]

# --- people ---------------------------------------------------------------------------

def people(meeting: Meeting | None, council: Council | None) -> list[names.Person]:
    """Everyone a name may refer to: the roster (with initials), then the meeting's
    members no longer on the roster, then its guests."""
    return names.people(
        ((m.name, m.initials) for m in council.members) if council else (),
        members=meeting.members if meeting else (),
        others=(a.name for a in meeting.attendee if a.role == "guest") if meeting else ())


def resolve_name(query: str, meeting: Meeting | None, council: Council | None) -> str:
    return names.find(valid_text(query, "name", "name"), people(meeting, council)).name


def resolve_free_name(query: str | None, council: Council | None) -> str | None:
    """Host, recorder, proposer of an item: a roster name or initials, else as typed
    (they need not be members). Ambiguous initials are still an error."""
    if query is None:
        return None
    query = valid_text(query.strip(), "name", "name")
    try:
        return names.find(query, people(None, council)).name
    except YiguanError as error:
        if error.key == "names.ambiguous":
            raise
        return query


def present_member(meeting: Meeting, council: Council | None, query: str, at: str,
                    role: Part) -> str:
    name = resolve_name(query, meeting, council)
    return check_present_member(meeting, name, at, role)


def check_present_member(meeting: Meeting, name: str, at: str, role: Part,
                         seq: int = LAST) -> str:
    """`name` if they are a voting member in the room at (at, seq), else the refusal."""
    if name not in meeting.members:
        raise YiguanError("live.not_a_voting_member", name=name, role_key=f"role.{role}")
    check_present(meeting, name, at, seq)
    return name


def check_present(meeting: Meeting, name: str, at: str, seq: int = LAST) -> None:
    if not meeting.is_present(name, at, seq):
        raise YiguanError("live.not_present", name=name, at=ClockTime(at))


def require_status(meeting: Meeting, *allowed: MeetingStatus) -> None:
    if meeting.status in allowed:
        return
    if meeting.status == "closed":
        raise YiguanError("live.meeting_closed", closed=meeting.closed or "?")
    if meeting.status == "planned":
        raise YiguanError("live.meeting_not_open")
    raise YiguanError("live.meeting_already_open")


def not_before_opening(meeting: Meeting, at: str) -> None:
    if meeting.opened and minutes_of(at) < minutes_of(meeting.opened):
        raise YiguanError("live.before_opening", at=ClockTime(at),
                          opened=ClockTime(meeting.opened))


def within_meeting(meeting: Meeting, at: str) -> None:
    """Between the opening and the close (for records that only happen in session)."""
    not_before_opening(meeting, at)
    if meeting.closed and minutes_of(at) > minutes_of(meeting.closed):
        raise YiguanError("live.after_closing", at=ClockTime(at),
                          closed=ClockTime(meeting.closed))


def item_for(meeting: Meeting, number: int | None) -> int | None:
    if number is not None:
        if meeting.get_item(number) is None:
            raise YiguanError("live.no_such_item", n=number, count=len(meeting.item))
        return number
    current = meeting.current_item()
    return current.id if current else None


def hands(yes: int | None, no: int | None, abstain: int, unanimous: bool,
          eligible: int) -> tuple[int, int, int]:
    """A show of hands as typed (`--yes/--no/--abstain`, or `--unanimous` of the
    `eligible`), checked the same way for a vote and a confirmation of minutes."""
    if unanimous:
        if yes not in (None, eligible) or no not in (None, 0) or abstain:
            raise YiguanError("live.unanimous_conflict", eligible=eligible)
        return eligible, 0, 0
    if yes is None or no is None:
        raise YiguanError("live.vote_needs_counts")
    if min(yes, no, abstain) < 0:
        raise YiguanError("live.negative_count")
    return yes, no, abstain
