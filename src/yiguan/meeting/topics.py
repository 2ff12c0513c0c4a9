"""The council's pool of topics (议题征集): adding, declining and merging residents'
topics, and making an agenda item of one.

A topic's life after it is taken up is read from the meetings, never stored twice: the
item that names it (`Item.topic`) says which meeting listed it (已列入), and that item's
motions say what came of it (通过, 未通过, 搁置). The steps here check and change the
`Topics` (or the `Meeting`) they are given and return what to say (`Said`); the store
saves them. No clock: the day a topic was raised is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..record.kinds import Item, Via
from ..record.model import Council, Meeting
from ..record.schema import valid_text
from ..record.topics import Topic, Topics, one_line, source_of
from ..store.folder import DataFolder
from ..text.errors import Problem, YiguanError
from ..text.messages import Words
from .guards import require_status, resolve_free_name
from .proceedings import Said

# `--via` as typed: the Chinese word or its English equivalent → the one stored value
VIA_WORDS: dict[str, Via] = {
    "心愿墙": "wish-wall", "网格员": "grid-worker", "电话": "phone", "来访": "visit",
    "线上": "online", "会议": "meeting",
    "wish-wall": "wish-wall", "grid-worker": "grid-worker", "phone": "phone",
    "visit": "visit", "online": "online", "meeting": "meeting",
}


def parse_via(value: str) -> Via:
    """Where a topic came in, as typed (心愿墙 or wish-wall) → its stored value."""
    found = VIA_WORDS.get(value.strip().lower())
    if found is None:
        raise YiguanError("topics.bad_via", value=value)
    return found


@dataclass(frozen=True)
class Listing:
    """Where a topic was taken up: the meeting, the item, and (once its motions are
    decided) what came of it: adopted, rejected or postponed; None while undecided."""

    meeting: str
    item: int
    outcome: str | None


def item_outcome(meeting: Meeting, item: int) -> str | None:
    """What came of an item, from its motions (withdrawn ones aside): adopted if any
    motion on it was; else undecided (None) while one is pending; else postponed if one
    was; else rejected if one was; None when it had no motion."""
    states = {m.status for m in meeting.motion if m.item == item and m.status != "withdrawn"}
    if "adopted" in states:
        return "adopted"
    if "pending" in states or not states:
        return None
    return "postponed" if "postponed" in states else "rejected"


def listings(folder: DataFolder, pool: Topics | None = None,
             meetings: Iterable[tuple[str, Meeting]] | None = None) -> dict[str, Listing]:
    """Topic id → the latest meeting item made from it, over the folder's meetings (a
    meeting file that does not load is left to `check`), or over `meetings` (id,
    meeting) in the folder's order when the caller has loaded them already. With the
    `pool`, an item finds its topic by what it copied too (`topic_of`)."""
    from ..text.errors import BrokenFile

    if pool is None:
        try:
            pool = folder.load_topics()
        except (BrokenFile, YiguanError, OSError):
            pool = Topics()
    found: dict[str, Listing] = {}
    for meeting_id, meeting in _loaded(folder) if meetings is None else meetings:
        for item in meeting.item:
            if item.topic is not None:
                found[topic_of(item, pool)] = Listing(meeting_id, item.id,
                                                      item_outcome(meeting, item.id))
    return found


def _loaded(folder: DataFolder) -> Iterator[tuple[str, Meeting]]:
    """The folder's meetings that load, in its order."""
    from ..text.errors import BrokenFile

    for meeting_id in folder.meeting_ids():
        try:
            yield meeting_id, folder.load_meeting(meeting_id)
        except (BrokenFile, YiguanError, OSError):
            continue


def topic_of(item: Item, pool: Topics) -> str:
    """The topic an item was made from (`record.topics.source_of`): the one it names
    when that is the topic it copied (the day, the way in, the resident, and the text
    as its title unless it was given one), else the one topic that matches what it
    copied — a merge of two branches that both collected a T2 renumbers theirs, and the
    item of theirs still says T2 — else the id it names."""
    assert item.topic is not None
    return source_of(pool, item.topic, item.title, item.via, item.raised_by, item.raised)


# --- the steps -------------------------------------------------------------------------

def _topic(topics: Topics, topic_id: str) -> Topic:
    topic = topics.get(topic_id.strip().upper())
    if topic is None:
        raise YiguanError("topics.unknown", id=topic_id)
    return topic


def add_topic(topics: Topics, text: str, by: str | None, via: Via | None,
              date: dt.date, council: Council | None, today: dt.date | None = None) -> Said:
    """A resident's topic into the pool, as T<n>, raised on `date` (not after `today`)."""
    if holds_phone(text):
        raise YiguanError("topics.phone_in_text")
    if by is not None and holds_phone(by):
        raise YiguanError("topics.phone_in_from")
    if today is not None and date > today:
        raise YiguanError("topics.date_in_future", date=date.isoformat())
    topic = Topic(id=topics.next_id(), text=valid_text(text.strip(), "text", "topic"),
                  by=resolve_free_name(by, council) if by and by.strip() else None,
                  via=via, date=date)
    topics.topic.append(topic)
    return Said(value=topic.id).line("topics.added", id=topic.id, text=topic.text)


def holds_phone(text: str) -> bool:
    """Whether a topic's text holds what reads as a phone number (a mobile's 11 digits
    from 1, a landline from 0 with its area code, separators as people write them): no
    phone is ever kept with a topic, and topics.toml goes into git."""
    import re

    from ..store.private import DIGIT_RUN, phone_key

    # digits with the separators people write phone numbers with, as `check` reads them
    for run in re.finditer(DIGIT_RUN, text):
        digits = phone_key(run.group())
        if digits is not None and ((len(digits) == 11 and digits[0] == "1")
                                   or (len(digits) >= 10 and digits[0] == "0")):
            return True
    return False


def phone_problems(topics: Topics, path: str) -> list[Problem]:
    """A warning for each topic whose text, resident or reason holds what reads as a
    phone number (hand-edited into topics.toml: the commands refuse one), as `check`
    warns of a roster phone in a file that goes into git."""
    fields = (("topics.field.text", "text"), ("topics.field.from", "by"),
              ("topics.field.reason", "reason"))
    return [Problem(path, "topics.phone_in_file", {"id": topic.id, "field": Words((name,))},
                    f"{Topic.TABLE}.{topic.id}", warning=True)
            for topic in topics.topic for name, attr in fields
            if (value := getattr(topic, attr)) and holds_phone(value)]


def reject_topic(topics: Topics, topic_id: str, reason: str,
                 listed: dict[str, Listing]) -> Said:
    """不予列入: the topic is declined, with the reason (an open topic only)."""
    topic = _topic(topics, topic_id)
    _require_open(topic, listed)
    if not reason.strip():
        raise YiguanError("topics.no_reason")
    if holds_phone(reason):  # published on the public site's topics page
        raise YiguanError("topics.phone_in_reason")
    topic.reason = valid_text(reason.strip(), "text", "topic_reason")
    topic.status = "rejected"
    return Said(value=topic.id).line("topics.rejected", id=topic.id)


def merge_topic(topics: Topics, topic_id: str, into_id: str,
                listed: dict[str, Listing]) -> Said:
    """已合并: the topic joins another (the same wish from another resident)."""
    topic, into = _topic(topics, topic_id), _topic(topics, into_id)
    if topic.id == into.id:
        raise YiguanError("topics.merge_self", id=topic.id)
    _require_open(topic, listed)
    if into.status == "rejected":
        raise YiguanError("topics.into_rejected", id=into.id)
    if into.status == "merged":
        raise YiguanError("topics.into_merged", id=into.id, other=into.into or "")
    topic.status, topic.into = "merged", into.id
    return Said(value=topic.id).line("topics.merged", id=topic.id, into=into.id)


def _require_open(topic: Topic, listed: dict[str, Listing]) -> None:
    if topic.status == "rejected":
        raise YiguanError("topics.already_rejected", id=topic.id)
    if topic.status == "merged":
        raise YiguanError("topics.already_merged", id=topic.id, into=topic.into or "")
    if topic.id in listed:
        raise YiguanError("topics.already_listed", id=topic.id,
                          meeting=listed[topic.id].meeting)


def take_up(meeting: Meeting, meeting_id: str, topics: Topics, topic_id: str,
            title: str | None, by: str | None, council: Council | None,
            listed: dict[str, Listing]) -> Said:
    """`agenda add --topic`: an item made from an open topic, its title the topic's text
    unless one is given, and where it came from copied onto the item. A topic whose item
    was postponed (搁置) at an earlier meeting comes back on a later one's agenda; `topic
    list` then follows the later item."""
    require_status(meeting, "planned", "open")
    topic = _topic(topics, topic_id)
    listing = listed.get(topic.id)
    if listing is not None and listing.outcome == "postponed" and listing.meeting != meeting_id:
        listed = {key: value for key, value in listed.items() if key != topic.id}
    _require_open(topic, listed)
    if any(i.topic is not None and topic_of(i, topics) == topic.id for i in meeting.item):
        raise YiguanError("topics.already_listed", id=topic.id, meeting=meeting_id)
    if title is None or not title.strip():
        # the item's title is one line: a topic's text may run over several
        title = one_line(topic.text)
    item = Item(id=meeting.next_item_number(), title=valid_text(title.strip(), "line", "title"),
                by=resolve_free_name(by, council), topic=topic.id, via=topic.via,
                raised_by=topic.by, raised=topic.date)
    meeting.item.append(item)
    return Said(value=item.id).line("topics.taken_up", n=item.id, title=item.title,
                                    id=topic.id)
