"""Validators for council and meeting files: collect every problem, stop at none.

Loading finds syntax and schema problems; the validators here look at a loaded meeting
for broken references (a speech by someone who never signed in, a motion on an item that
does not exist) and inconsistencies (a recorded outcome that the rules engine would not
give for those counts, a vote taken without quorum, a merge conflict left in the file).
Like beancount's validators, each returns Problems as data; the CLI prints them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..record import fileformat
from ..record.kinds import KINDS, LAST, Attachment, Conflict, Item, Motion, Speech
from ..record.model import Meeting
from ..record.schema import Key
from ..rules import engine as rules
from ..store import private
from ..text.errors import BrokenFile, Problem, YiguanError
from ..text.messages import ClockTime, Listed
from . import order
from .cycle import check_cycle
from .trail import check_trail

Validator = Callable[[Meeting, str], list[Problem]]


def check_file(path: Path, display: str | None = None) -> list[Problem]:
    """All problems in one file (council.toml, private.toml or a meeting), never raising."""
    from ..store.files import read_regular

    shown = display or str(path)
    try:
        data = read_regular(path, shown)
    except FileNotFoundError:
        return [Problem(shown, "check.no_file")]
    except (IsADirectoryError, NotADirectoryError):
        return [Problem(shown, "check.is_folder")]
    except OSError as error:  # unreadable (permissions, I/O): said, and the rest checked
        return [Problem(shown, "check.unreadable", {"why": error.strerror or str(error)})]
    except YiguanError as error:  # a FIFO, a device, a file over the size limit
        params = {k: v for k, v in error.params.items() if k != "path"}
        return [Problem(shown, error.key.replace("store.", "check.", 1), params)]
    try:
        parsed = fileformat.parse_toml(data, shown)
    except BrokenFile as broken:
        return broken.problems
    if path.name == "council.toml":
        council, problems = fileformat.council_from_data(parsed, shown)
        return problems + (private.held_problems(council, shown) if council else [])
    if path.name == private.PRIVATE_FILE:
        return private.private_from_data(parsed, shown)[1]
    if path.name == "topics.toml":  # the council's pool of topics (record/topics.py)
        from ..record.topics import topics_from_data
        from .topics import phone_problems

        pool, problems = topics_from_data(parsed, shown)
        return problems + (phone_problems(pool, shown) if pool is not None else [])
    meeting, problems = fileformat.meeting_from_data(parsed, shown)
    if meeting is None:
        return problems
    return check_meeting(meeting, shown, roster_beside(path)) + check_files(meeting, path,
                                                                             shown)


def check_files(meeting: Meeting, path: Path, shown: str) -> list[Problem]:
    """Each attachment's file in the folder's files/, as stored: there, and its SHA-256
    the one its record keeps (a file's, not the record's: the documents still render)."""
    records = meeting.records(Attachment)
    if not records:
        return []
    from ..store import attachments

    return attachments.problems(path.parent, [(r.id, r.name, r.file, r.sha256)
                                              for r in records], shown)


def check_meeting(meeting: Meeting, shown: str, roster: set[str]) -> list[Problem]:
    """Every problem of a loaded meeting: what `check` reports and (those that are not
    warnings) what keeps `minutes` and `notice` from rendering it. `roster`: the names on
    the council's roster now."""
    found: list[Problem] = []
    for validator in VALIDATORS:
        found += validator(meeting, shown)
    return found + check_owners(meeting, shown, roster)


def roster_beside(path: Path) -> set[str]:
    """Names on the roster of the council.toml in the meeting's folder, if it loads."""
    try:
        data = (path.parent / "council.toml").read_bytes()
        return {m.name for m in fileformat.load_council(data, "council.toml").members}
    except (OSError, YiguanError):
        return set()


# --- validators ---------------------------------------------------------------------------
# A problem with a record names it as the secretary knows it (表决 V1), not by its place
# in the file (vote[0]): `Problem.record`.

def check_attendance(meeting: Meeting, path: str) -> list[Problem]:
    out = []
    for stay in meeting.attendee:
        record = ("attendee", stay.id)
        if stay.role == "member" and stay.name not in meeting.members:
            out.append(Problem(path, "check.member_not_in_roster", {"name": stay.name},
                               record=record))
        if stay.left is not None and stay.left < stay.arrived:
            out.append(Problem(path, "check.left_before_arrived", {"name": stay.name},
                               record=record))
    by_name: dict[str, list[tuple[int, str, str | None]]] = {}
    for index, stay in enumerate(meeting.attendee):
        by_name.setdefault(stay.name, []).append((index, stay.arrived, stay.left))
    for name, stays in by_name.items():
        roles = {meeting.attendee[i].role for i, _, _ in stays}
        if roles == {"guest"} and name in meeting.members:
            # a voting member signed in as 列席 would silently lose their vote
            out.append(Problem(path, "check.guest_is_member", {"name": name},
                               record=("attendee", meeting.attendee[stays[0][0]].id)))
        if len(roles) > 1:
            out.append(Problem(path, "check.mixed_roles", {"name": name}, "attendee"))
        ordered = sorted(stays, key=lambda s: s[1])
        for (_, _, left), (j, arrived, _) in zip(ordered, ordered[1:], strict=False):
            if left is None or arrived < left:
                out.append(Problem(path, "check.overlapping_stays", {"name": name},
                                   record=("attendee", meeting.attendee[j].id)))
    return out


def check_excused(meeting: Meeting, path: str) -> list[Problem]:
    """请假 is for members of the meeting's roster, once each. A member excused who came
    after all is present, not excused (the minutes say so): a warning, since a merge of
    two laptops' files may leave both facts and nothing in the record is wrong."""
    out = []
    attended = set(meeting.members_attended())
    seen: set[str] = set()
    for excuse in meeting.excused:
        record = ("excused", excuse.id)
        if excuse.name not in meeting.members:
            out.append(Problem(path, "check.excused_not_member", {"name": excuse.name},
                               record=record))
        elif excuse.name in seen:
            out.append(Problem(path, "check.excused_twice", {"name": excuse.name},
                               record=record))
        elif excuse.name in attended:
            out.append(Problem(path, "check.excused_but_attended",
                               {"name": excuse.name, "id": excuse.id}, record=record,
                               warning=True))
        seen.add(excuse.name)
    return out


def check_references(meeting: Meeting, path: str) -> list[Problem]:
    """Every record a record names exists (the links its kind declares: a speech's item,
    a vote's motion …), and the people a speech or a motion names were there."""
    out = []
    numbers = Counter(i.id for i in meeting.item)
    for dup in sorted(n for n, count in numbers.items() if count > 1):
        out.append(Problem(path, "schema.duplicate_id", {"id": dup}, "item"))
    attended = meeting.attendee_names()
    ids = {table: {r.id for r in getattr(meeting, table)} for table in KINDS.references}
    for kind in KINDS.all:
        more = _RECORD_CHECKS.get(kind.TABLE)
        if not kind.LINKS and more is None:
            continue
        for record in getattr(meeting, kind.TABLE):
            where = (kind.TABLE, record.id)
            for link in kind.LINKS:
                value = getattr(record, link.attribute)
                if value is not None and value not in ids[link.target]:
                    key, params = _missing(link, value)
                    out.append(Problem(path, key, params, record=where))
            if more is not None:
                out += more(meeting, record, path, attended)
    return out


def _missing(link: Key, value: Any) -> tuple[str, dict[str, Any]]:
    if link.target == Item.TABLE:
        return "check.no_item", {"n": value}
    if link.target == Motion.TABLE:
        return "check.no_motion", {"id": value}
    return "check.no_record", {"what_key": f"table.{link.target}", "id": str(value)}


def _speech_refs(meeting: Meeting, speech: Speech, path: str,
                 attended: set[str]) -> list[Problem]:
    # Attended at all, not "at that minute": stored records are authoritative and a
    # later correction of someone's arrival time must not invalidate their speech.
    if speech.speaker not in attended:
        return [Problem(path, "check.not_attended", {"name": speech.speaker},
                        record=("speech", speech.id))]
    return []


def _motion_refs(meeting: Meeting, motion: Motion, path: str,
                 attended: set[str]) -> list[Problem]:
    out = []
    record = ("motion", motion.id)
    for role in ("by", "second"):
        name = getattr(motion, role)
        if name is None:
            continue
        role_key = "role.mover" if role == "by" else "role.seconder"
        if name not in meeting.members:
            out.append(Problem(path, "check.role_not_a_member",
                               {"name": name, "role_key": role_key}, record=record))
        elif name not in attended:
            out.append(Problem(path, "check.role_not_attended",
                               {"name": name, "role_key": role_key}, record=record))
    if motion.second is not None and motion.second == motion.by:
        out.append(Problem(path, "check.second_self", {"name": motion.by}, record=record))
    if motion.rule is not None:
        try:
            meeting.rules.threshold(motion.rule)
        except YiguanError as error:
            out.append(Problem(path, "schema.bad_rule", {"why": error.message()},
                               record=record))
    return out


# What check_references asks of one record of a kind besides its links.
_RECORD_CHECKS: dict[str, Callable[[Meeting, Any, str, set[str]], list[Problem]]] = {
    Speech.TABLE: _speech_refs, Motion.TABLE: _motion_refs}


def check_owners(meeting: Meeting, path: str, roster: set[str]) -> list[Problem]:
    """An action's owner is a member of the meeting, someone who attended, or on the
    council's roster now (a member who joined after the meeting may take a task)."""
    out = []
    attended = meeting.attendee_names()
    for action in meeting.action:
        owner = action.owner
        if owner not in meeting.members and owner not in roster and owner not in attended:
            out.append(Problem(path, "check.owner_unknown", {"name": owner},
                               record=("action", action.id)))
    return out


def check_votes(meeting: Meeting, path: str) -> list[Problem]:
    """Each vote agrees with itself, with the quorum and with the rules engine."""
    out = []
    members = len(meeting.members)
    quorum_rule = meeting.rules.quorum_threshold()
    attended = meeting.attendee_names()
    for vote in meeting.vote:
        def bad(key: str, _record: tuple[str, str] = ("vote", vote.id),
                **params: object) -> None:
            out.append(Problem(path, key, dict(params), record=_record))

        recused = len(vote.recused)
        if vote.eligible != vote.present - recused:
            bad("check.eligible_mismatch", want=vote.present - recused,
                found=vote.eligible)
        cast = vote.yes + vote.no + vote.abstain
        if cast > vote.eligible:
            bad("check.too_many_hands", cast=cast, eligible=vote.eligible)
        elif vote.not_voting != vote.eligible - cast:
            bad("check.not_voting_mismatch", want=vote.eligible - cast,
                found=vote.not_voting)
        if vote.present > members:
            bad("check.present_over_members", present=vote.present, members=members)
        quorum = rules.judge_quorum(quorum_rule, vote.present, members)
        if not quorum.met:
            bad("check.vote_without_quorum", present=vote.present, needed=quorum.needed)
        for name in vote.recused:
            if name not in meeting.members or name not in attended:
                bad("check.recused_not_present", name=name)
        for name in vote.tellers:  # (the schema refuses a name twice)
            # 计票人 count the hands in the room: present at that moment, members or not
            if not meeting.is_present(name, vote.at, vote.seq or LAST):
                bad("check.teller_not_present", name=name, at=ClockTime(vote.at))
        threshold = rules.parse_threshold(vote.rule)
        decision = rules.decide(threshold, vote.tally(members))
        if decision.outcome != vote.outcome:
            bad("check.outcome_mismatch", found_key=f"status.{vote.outcome}",
                want_key=f"status.{decision.outcome}", explain=decision.explain())
        motion = meeting.get_motion(vote.motion)
        if motion is not None and meeting.rules.second_required and motion.second is None:
            bad("check.vote_without_second", id=motion.id)
        if vote.reconsidered is not None and vote.reconsidered < vote.at:
            bad("check.reconsidered_before_vote")
    return out


def check_motions(meeting: Meeting, path: str) -> list[Problem]:
    out = []
    for motion in meeting.motion:
        where = ("motion", motion.id)
        standing = meeting.standing_vote(motion.id)
        if motion.status in ("adopted", "rejected"):
            if standing is None:
                out.append(Problem(path, "check.decided_without_vote", {"id": motion.id},
                                   record=where))
            elif standing.outcome != motion.status:
                out.append(Problem(path, "check.status_vs_vote",
                                   {"id": motion.id, "status_key": f"status.{motion.status}",
                                    "vote": standing.id,
                                    "outcome_key": f"status.{standing.outcome}"},
                                   record=where))
        elif standing is not None:
            out.append(Problem(path, "check.undecided_with_vote",
                               {"id": motion.id, "status_key": f"status.{motion.status}",
                                "vote": standing.id}, record=where))
        live_votes = [v for v in meeting.votes_on(motion.id) if v.reconsidered is None]
        if len(live_votes) > 1:
            out.append(Problem(path, "check.two_standing_votes", {"id": motion.id},
                               record=where))
    return out


def check_meeting_state(meeting: Meeting, path: str) -> list[Problem]:
    out = []
    if meeting.status in ("open", "closed") and meeting.opened is None:
        out.append(Problem(path, "check.open_without_time", {}, "opened"))
    if meeting.status == "closed":
        if meeting.closed is None:
            out.append(Problem(path, "check.closed_without_time", {}, "closed"))
        pending = [m.id for m in meeting.motion if m.status == "pending"]
        if pending:
            out.append(Problem(path, "check.pending_after_close", {"ids": Listed(pending)},
                               "status"))
    if meeting.opened and meeting.closed and meeting.closed < meeting.opened:
        out.append(Problem(path, "check.closed_before_opened", {}, "closed"))
    if meeting.status == "planned" and (meeting.motion or meeting.speech or meeting.vote):
        out.append(Problem(path, "check.records_before_open", {}, "status"))
    for conflict in meeting.conflict:
        out.append(_unresolved(path, conflict))
    return out


def _unresolved(path: str, conflict: Conflict) -> Problem:
    """A [[conflict]] left by a merge, naming the record as the secretary knows it."""
    where = ("conflict", conflict.id)
    if conflict.problem is not None:
        return Problem(path, "check.merge_problem", {"problem": conflict.problem},
                       record=where)
    table, _, record_id = conflict.record.partition(" ")
    values = {"field": conflict.field, "ours": conflict.ours, "theirs": conflict.theirs}
    if table in KINDS.by_table and record_id:
        return Problem(path, "check.merge_conflict_on",
                       {"what_key": f"table.{table}", "id": record_id, **values}, record=where)
    if conflict.record == "meeting" or conflict.record.startswith("rules"):
        key = conflict.field if conflict.record == "meeting" else (
            f"{conflict.record}.{conflict.field}")
        return Problem(path, "check.merge_conflict_meeting", {**values, "field": key},
                       record=where)
    return Problem(path, "check.merge_conflict", {"record": conflict.record, **values},
                   record=where)


def check_session_times(meeting: Meeting, path: str) -> list[Problem]:
    """What happens in session (the kinds on the meeting's clock: speeches, motions,
    amendments, votes, actions) happens between the opening and the close: the same rule
    the commands keep."""
    out: list[Problem] = []
    opened, closed = meeting.opened, meeting.closed
    if opened is None:
        return out
    for kind in KINDS.timed:
        table = kind.TABLE
        for entry in getattr(meeting, table):
            if entry.at < opened:
                out.append(Problem(path, "check.before_opening",
                                   {"at": ClockTime(entry.at), "opened": ClockTime(opened)},
                                   record=(table, entry.id)))
            elif closed is not None and closed >= opened and entry.at > closed:
                out.append(Problem(path, "check.after_closing",
                                   {"at": ClockTime(entry.at), "closed": ClockTime(closed)},
                                   record=(table, entry.id)))
    return out


def check_marks(meeting: Meeting, path: str) -> list[Problem]:
    """The marks issue 18 added agree with the record: a time marked as not noted exists;
    closing remarks belong to no item; follow-up added after the close is on a closed
    meeting and dated on or after its day."""
    out: list[Problem] = []
    for kind in KINDS.with_times:
        table = kind.TABLE
        for entry in getattr(meeting, table):
            for key in kind.TIMES:
                if getattr(entry, key) is None and getattr(entry, f"{key}_noted") is not None:
                    out.append(Problem(path, "check.noted_without_time",
                                       {"key": f"{key}_noted", "time": key},
                                       record=(table, entry.id)))
    for key in meeting.TIMES:
        if getattr(meeting, key) is None and getattr(meeting, f"{key}_noted") is not None:
            out.append(Problem(path, "check.noted_without_time",
                               {"key": f"{key}_noted", "time": key}, f"{key}_noted"))
    for speech in meeting.speech:
        if speech.closing and speech.item is not None:
            out.append(Problem(path, "check.closing_on_item", {"n": speech.item},
                               record=("speech", speech.id)))
    for action in meeting.action:
        if action.added is None:
            continue
        if meeting.status != "closed":
            out.append(Problem(path, "check.added_before_close", {},
                               record=("action", action.id)))
        elif action.added < meeting.date:
            out.append(Problem(path, "check.added_before_meeting",
                               {"added": action.added.isoformat(),
                                "date": meeting.date.isoformat()},
                               record=("action", action.id)))
    return out


def check_order(meeting: Meeting, path: str) -> list[Problem]:
    """No record comes before one it depends on (`order.py`, the rules the commands keep):
    a vote before its motion or before the reconsideration it follows, an amendment out
    of its motion's order, an action before its motion, a reconsideration after the close."""
    out: list[Problem] = []

    def report(slips: list[order.Slip], record: tuple[str, str]) -> None:
        out.extend(Problem(path, key, params, record=record) for key, params in slips)

    for vote in meeting.vote:
        motion = meeting.get_motion(vote.motion)
        if motion is not None:
            report(order.vote_slips(meeting, motion, vote), ("vote", vote.id))
        closed = meeting.closed
        if vote.reconsidered is not None and closed is not None and vote.reconsidered > closed \
                and meeting.opened is not None and closed >= meeting.opened:
            report([("order.reconsidered_after_closing",
                     {"at": ClockTime(vote.reconsidered), "closed": ClockTime(closed)})],
                   ("vote", vote.id))
    for amendment in meeting.amendment:
        motion = meeting.get_motion(amendment.motion)
        if motion is not None:
            # a pair out of order is told once, by the later of the two
            report([slip for slip in order.amendment_slips(meeting, motion, amendment)
                    if slip[0] != "order.amend_after_amendment"], ("amendment", amendment.id))
    for action in meeting.action:
        report(order.action_slips(meeting, action), ("action", action.id))
    return out


VALIDATORS: tuple[Validator, ...] = (
    check_attendance, check_excused, check_references, check_votes, check_motions,
    check_meeting_state, check_session_times, check_marks, check_order, check_trail,
    check_cycle)
