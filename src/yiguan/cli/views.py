"""What `list`, `show` and `status` display, as plain rows of text: pure, no rich.

The CLI hands these rows to `output`, which draws them; tests read them directly.
"""

from __future__ import annotations

from typing import Any

from ..record.model import Meeting, in_entry_order, noted
from ..text.messages import ClockTime, listed, t


def _status(meeting: Meeting) -> str:
    return t(f"meeting_status.{meeting.status}")


def list_row(summary: dict[str, Any], confirmed: bool = False) -> list[str]:
    """A meeting's row in `list`, from its index summary; `confirmed`: its minutes were
    confirmed at a later meeting (已确认)."""
    status = t(f"meeting_status.{summary['status']}")
    if confirmed:
        status = t("label.confirmed_status", status=status)
    return [summary["id"], summary["title"], status,
            f"{summary['n_attended']}/{summary['n_members']}", str(summary["items"]),
            str(summary["n_resolutions"])]


def list_columns() -> list[str]:
    return [t("col.id"), t("col.title"), t("col.status"), t("col.attended"),
            t("col.items"), t("col.resolutions")]


def headline(meeting_id: str, meeting: Meeting) -> list[tuple[str, str]]:
    """Label/value pairs that open `show` and `status`."""
    rows = [(t("label.meeting"), t("list.with_note", text=meeting.title, note=meeting_id)),
            (t("label.status"), _when(meeting))]
    if meeting.place:
        rows.append((t("label.place"), meeting.place))
    people = []
    if meeting.host:
        people.append(t("label.host_is", name=meeting.host))
    if meeting.recorder:
        people.append(t("label.recorder_is", name=meeting.recorder))
    if people:
        rows.append((t("label.people"), "  ".join(people)))
    return rows


def confirmed_row(confirmed: Any) -> list[tuple[str, str]]:
    """`show`'s line for minutes confirmed at a later meeting (store.index.Confirmed)."""
    if confirmed is None:
        return []
    return [(t("label.confirmed"), t("label.confirmed_value", date=confirmed.date,
                                     title=confirmed.title))]


def time_shown(holder: Any, key: str) -> str:
    """A record's (or the meeting's) time for the secretary: as it is when someone noted
    it, ≈ when the meeting clock supplied it (the documents print none)."""
    at = ClockTime(getattr(holder, key))
    return t("label.time", at=at) if noted(holder, key) else t("label.approx_time", at=at)


def _when(meeting: Meeting) -> str:
    parts = [_status(meeting), meeting.date.isoformat()]
    if meeting.opened:
        parts.append(t("label.opened_at", at=time_shown(meeting, "opened")))
    elif meeting.time:
        parts.append(t("label.planned_at", at=ClockTime(meeting.time)))
    if meeting.closed:
        parts.append(t("label.closed_at", at=time_shown(meeting, "closed")))
    return " ".join(parts)


def attendance_rows(meeting: Meeting, *, live: bool) -> list[tuple[str, str]]:
    """应到/实到/列席 and the quorum: now (live) or over the whole meeting."""
    if live:
        present = len(meeting.voting_present())
        guests = len(meeting.guests_present())
    else:
        present = len(meeting.members_attended())
        guests = len({a.name for a in meeting.attendee if a.role == "guest"})
    rows = [(t("label.attendance"), t("label.attendance_value", members=len(meeting.members),
                                      present=present, guests=guests))]
    if live:
        rows.append((t("label.quorum"), meeting.quorum().explain()))
    return rows


def item_rows(meeting: Meeting) -> list[list[str]]:
    rows = []
    for item in meeting.item:
        motions = [m for m in meeting.motion if m.item == item.id]
        outcome = listed(f"{m.id} {t(f'status.{m.status}')}" for m in motions) or "-"
        speeches = sum(1 for s in meeting.speech if s.item == item.id)
        rows.append([str(item.id), item.title, item.by or "-", str(speeches), outcome])
    return rows


def item_columns() -> list[str]:
    return [t("col.number"), t("col.item"), t("col.by"), t("col.speeches"), t("col.motions")]


def motion_rows(meeting: Meeting) -> list[list[str]]:
    rows = []
    for motion in meeting.motion:
        vote = meeting.standing_vote(motion.id)
        counts = f"{vote.yes}/{vote.no}/{vote.abstain}" if vote else "-"
        people = motion.by + (f" / {motion.second}" if motion.second else "")
        rows.append([motion.id, motion.text, people, counts, t(f"status.{motion.status}")])
    return rows


def motion_columns() -> list[str]:
    return [t("col.id"), t("col.motion"), t("col.mover_second"), t("col.counts"),
            t("col.status")]


def vote_rows(meeting: Meeting) -> list[list[str]]:
    """Every vote with its id (what `fix V1` takes): motion, time, counts, outcome."""
    rows = []
    for vote in meeting.vote:
        outcome = t(f"status.{vote.outcome}")
        if vote.reconsidered is not None:
            outcome = t("label.vote_set_aside", outcome=outcome)
        rows.append([vote.id, vote.motion, time_shown(vote, "at"),
                     f"{vote.yes}/{vote.no}/{vote.abstain}", outcome])
    return rows


def vote_columns() -> list[str]:
    return [t("col.id"), t("col.motion"), t("col.time"), t("col.counts"), t("col.outcome")]


def action_rows(meeting: Meeting, *, open_only: bool = False) -> list[list[str]]:
    return [[a.id, a.text, a.owner, a.due.isoformat() if a.due else "-",
             t("action.done") if a.done else t("action.open")]
            for a in meeting.action if not (open_only and a.done)]


def action_columns() -> list[str]:
    return [t("col.id"), t("col.action"), t("col.owner"), t("col.due"), t("col.status")]


def status_rows(meeting_id: str, meeting: Meeting) -> list[tuple[str, str]]:
    """The live dashboard: a few label/value lines."""
    rows = headline(meeting_id, meeting)[:2]
    rows += attendance_rows(meeting, live=True)
    current = meeting.current_item()
    if current:
        rows.append((t("label.current_item"), f"{current.id}. {current.title}"))
        counts: dict[str, int] = {}
        for speech in in_entry_order(meeting.speech):
            if speech.item == current.id:
                counts[speech.speaker] = counts.get(speech.speaker, 0) + 1
        # the limits (限时限次) count members' speeches; the chair's procedural remarks
        # and non-voting attendees' answers are listed apart
        limit = meeting.rules.speeches_per_item
        limited = {n: c for n, c in counts.items() if meeting.is_limited(n)}
        spoken = listed(
            t("label.times", name=n, count=c) + ("!" if limit and c > limit else "")
            for n, c in limited.items())
        rows.append((t("label.speeches"), spoken or "-"))
        others = listed(
            t("label.host_times" if n == meeting.host else "label.times", name=n, count=c)
            for n, c in counts.items() if n not in limited)
        if others:
            rows.append((t("label.other_speeches"), others))
    else:
        rows.append((t("label.current_item"), t("label.no_agenda")))
    pending = [f"{m.id} {m.text}" + ("" if m.second else t("label.unseconded"))
               for m in meeting.motion if m.status == "pending"]
    rows += _listed(t("label.pending"), pending)
    votes = [t("label.vote_line", id=row[0], motion=row[1], counts=row[3], outcome=row[4])
             for row in vote_rows(meeting)]
    if votes:
        rows += _listed(t("label.votes"), votes)
    open_actions = [t("list.with_note", text=f"{a.id} {a.text}", note=a.owner)
                    for a in meeting.action if not a.done]
    rows += _listed(t("label.open_actions"), open_actions)
    return rows


def _listed(label: str, entries: list[str]) -> list[tuple[str, str]]:
    """One row per entry, the label on the first only: rich folds Chinese badly mid-list."""
    if not entries:
        return [(label, "-")]
    return [(label if i == 0 else "", entry) for i, entry in enumerate(entries)]
