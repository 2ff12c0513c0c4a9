"""What the projector page (大屏) shows: a meeting and its floor as one public state.

`public_state` builds a plain dict (turned into JSON by the screen server, drawn by the
terminal view) from the meeting record, the floor and the clock. It shows only what the
minutes would show — names, times, counts, texts of items, motions and votes — and
takes no roster: a member's phone number or private note cannot reach the room. Every
outcome and its arithmetic comes from the rules engine (`rules.decide`,
`QuorumCheck.explain`), in the same words as the minutes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..meeting.floor import SHOWN_IN_QUEUE, Floor
from ..record.model import LAST, Meeting, Motion, noted
from ..rules import engine as rules
from ..rules.words import rule_words
from ..text.messages import clock_text, locale, t

LABELS = ("welcome", "agenda", "signed_in", "expected", "present", "guests", "quorum",
          "item", "floor", "left", "over", "no_limit", "queue", "queue_more", "motion",
          "proposer", "seconder", "no_seconder", "rule", "vote", "yes", "no", "abstain",
          "not_voting", "recused", "closed", "resolutions", "no_resolutions", "not_adopted",
          "broken", "waiting", "nobody_speaking", "follow", "results")


def labels(lang: str) -> dict[str, str]:
    """The page's fixed words, in the reader's language, and the colon after a label."""
    words = {name: t(f"screen.label.{name}", lang=lang) for name in LABELS}
    words["colon"] = locale(lang).colon
    return words


def _order(record: Any) -> tuple[str, int]:
    return record.at, record.seq or LAST


def _pending(meeting: Meeting) -> Motion | None:
    pending = [m for m in meeting.motion if m.status == "pending"]
    return max(pending, key=_order) if pending else None


def _latest_vote(meeting: Meeting) -> Any:
    """The latest vote when nothing was recorded after it (it stays up until the next
    event: a speech, a motion, an amendment, an action)."""
    if not meeting.vote:
        return None
    vote = max(meeting.vote, key=_order)
    later = [*meeting.speech, *meeting.motion, *meeting.amendment, *meeting.action]
    if any(_order(r) > _order(vote) for r in later):
        return None
    return vote


def public_state(meeting_id: str, meeting: Meeting, floor: Floor, now: dt.datetime, *,
                 council: str | None, lang: str, sound: bool = False) -> dict[str, Any]:
    """The page's state. `now` is the clock the countdown is measured with."""
    # the documents' own wording (facts pulls in fractions: only when a state is built)
    from ..render.facts import resolution_words

    stage = {"planned": "welcome", "open": "open", "closed": "closed"}[meeting.status]
    present = meeting.voting_present()
    quorum = meeting.quorum()
    current = meeting.current_item()
    state: dict[str, Any] = {
        "stage": stage,
        "lang": locale(lang).tag,  # the page's <html lang>: zh-CN, en
        "sound": sound,
        "labels": labels(lang),
        "council": council or "",
        "title": meeting.title,
        "date": locale(lang).date_words(meeting.date, weekday=True),
        "time": clock_text(meeting.time, lang) if meeting.time else "",
        "place": meeting.place or "",
        "clock": now.hour * 3600 + now.minute * 60 + now.second,
        "agenda": [{"n": i.id, "title": i.title} for i in meeting.item],
        "counts": {"expected": len(meeting.members), "present": len(present),
                   "signed": len(meeting.members_attended()),
                   "guests": len(meeting.guests_present())},
        "quorum": {"met": quorum.met, "text": quorum.explain(lang),
                   "brief": quorum.brief(lang)},
        "item": {"n": current.id, "title": current.title} if current else None,
        "floor": None,
        "queue": [],
        "queue_more": 0,
        "motion": None,
        "vote": None,
        "results": [],
        "resolutions": [],
        "not_adopted": [],
        # a close nobody noted (a write-up from notes) shows no time, as in the minutes
        "closed": clock_text(meeting.closed, lang)
        if meeting.closed and noted(meeting, "closed") else "",
    }
    if stage == "open":
        _live(state, meeting, floor, now, lang, current.id if current else None)
    if stage == "closed":
        # the room reads 决议一, as the posted notice says, not the record's code R1
        for number, (_, motion, vote) in enumerate(meeting.resolutions(), 1):
            state["resolutions"].append({
                "r": resolution_words(number, lang), "text": motion.text,
                "counts": _counts(vote, lang)})
        # and what did not become a resolution: rejected, withdrawn, postponed, or never
        # put to the vote, each with its outcome (and the hands, when it was voted on)
        adopted = {motion.id for _, motion, _ in meeting.resolutions()}
        for motion in sorted(meeting.motion, key=_order):
            if motion.id in adopted:
                continue
            standing = meeting.standing_vote(motion.id)
            state["not_adopted"].append({
                "text": motion.text, "outcome": t(f"status.{motion.status}", lang=lang),
                "counts": _counts(standing, lang) if standing is not None else ""})
    return state


def _counts(vote: Any, lang: str) -> str:
    """赞成 5 票，反对 1 票，弃权 0 票 — and 回避 1 人 when someone stood aside."""
    if vote.recused:
        return t("screen.counts_recused", lang=lang, yes=vote.yes, no=vote.no,
                 abstain=vote.abstain, recused=len(vote.recused))
    return t("screen.counts", lang=lang, yes=vote.yes, no=vote.no, abstain=vote.abstain)


def _live(state: dict[str, Any], meeting: Meeting, floor: Floor, now: dt.datetime,
          lang: str, item: int | None) -> None:
    """The open meeting: the floor, the queue, the motion before the room and the latest
    vote. A motion is 动议一 there, as in the minutes: never its code M1."""
    from ..render.facts import motion_words

    holder = floor.holder
    started = floor.started()
    if holder is not None and started is not None:
        state["floor"] = {"name": holder["name"], "limit": holder["minutes"] * 60,
                          "elapsed": (now - started).total_seconds()}
    waiting = floor.waiting(item)
    state["queue"] = waiting[:SHOWN_IN_QUEUE]
    state["queue_more"] = max(0, len(waiting) - SHOWN_IN_QUEUE)
    motion = _pending(meeting)
    if motion is not None:
        threshold = meeting.rules.threshold(motion.rule)
        words = rule_words(threshold, lang)
        # the base is known before the vote only when it counts people (those present,
        # or the roster); over the votes cast it is known when the hands are up
        if threshold.base in ("present", "members"):
            of = len(meeting.voting_present() if threshold.base == "present"
                     else meeting.members)
            words = t("screen.rule_minimum", lang=lang, words=words, n=of,
                      base_key=f"minutes.base.{threshold.base}",
                      least=threshold.minimum(of))
        # its text and the people: no number, no code (the room reads the words)
        state["motion"] = {"text": motion.text, "by": motion.by,
                           "second": motion.second or "", "rule": words}
    # the results so far (the phone view lists them): each standing vote, in order
    for taken in sorted(meeting.vote, key=_order):
        if taken.reconsidered is not None:
            continue
        voted = meeting.get_motion(taken.motion)
        state["results"].append({
            "text": voted.text if voted else motion_words(taken.motion, lang),
            "adopted": taken.outcome == "adopted",
            "outcome": t(f"status.{taken.outcome}", lang=lang),
            "counts": _counts(taken, lang)})
    vote = _latest_vote(meeting)
    if vote is not None and holder is None:
        target = meeting.get_motion(vote.motion)
        threshold = rules.parse_threshold(vote.rule)
        decision = rules.decide(threshold, vote.tally(len(meeting.members)))
        state["vote"] = {
            "motion": target.text if target else motion_words(vote.motion, lang),
            "yes": vote.yes, "no": vote.no, "abstain": vote.abstain,
            "not_voting": vote.not_voting, "recused": len(vote.recused),
            "adopted": vote.outcome == "adopted",
            "outcome": t(f"status.{vote.outcome}", lang=lang),
            "rule": rule_words(threshold, lang),
            "arithmetic": decision.explain(lang),
        }


def broken_state(message: str, lang: str) -> dict[str, Any]:
    """What the page shows when the meeting file cannot be read: it says so."""
    return {"stage": "broken", "lang": locale(lang).tag, "labels": labels(lang),
            "message": message}

