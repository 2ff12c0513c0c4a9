"""topics.toml: the council's pool of topics (议题征集), before any meeting takes them up.

One file for the council, beside council.toml: one `[[topic]]` per wish or problem a
resident brought (at the 心愿墙, to the 网格员, by phone, on a visit, online, at a
meeting), numbered T1, T2 … A topic is `open` until it is declined (`rejected`, 不予列入,
with the reason) or joined to another (`merged`, 已合并, `into` the other's id). That it
was put on an agenda (已列入) and what came of it (通过/未通过/搁置) is not stored here:
the agenda item names its topic (`Item.topic`), and the meeting says the rest
(`meeting/topics.py`). No phone or address is ever kept with a topic: only the
resident's name, which may be left out (匿名).

The canonical layout is the meeting files' (`fileformat.table_body`), so the merge
driver and textconv treat it as they treat those.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Literal, get_args

from ..text.errors import BrokenFile, Problem
from .fileformat import check_format, parse_toml, records_in, table_body
from .kinds import VIAS, Via
from .model import FORMAT_VERSION
from .schema import Record, key

__all__ = ["TOPICS_FILE", "TOPIC_STATES", "Topic", "TopicStatus", "Topics", "dump_topics",
           "load_topics", "one_line", "source_of", "topics_from_data"]

TOPICS_FILE = "topics.toml"

TopicStatus = Literal["open", "rejected", "merged"]
TOPIC_STATES: tuple[TopicStatus, ...] = get_args(TopicStatus)


class Topic(Record):
    """One resident's topic (议题)."""

    TABLE = "topic"
    PREFIX = "T"
    IDENTITY = ("text", "date")  # no who (it may be anonymous): what, and the day raised

    id: str = key("id")
    text: str = key("text")
    by: str | None = key("name", default=None, toml="from")  # the resident; none: 匿名
    via: Via | None = key("choice", choices=VIAS, default=None)
    date: dt.date = key("date")
    status: TopicStatus = key("choice", choices=TOPIC_STATES, default="open", required=True)
    reason: str | None = key("text", default=None)  # why it was declined (不予列入)
    into: str | None = key("ref", default=None)  # the topic it was merged into


# `into` names another topic: a T<n> id (the class cannot name itself in its body)
next(k for k in Topic.SPEC if k.name == "into").prefix = Topic.PREFIX


class Topics:
    """topics.toml: every topic, in the order given."""

    def __init__(self, topics: list[Topic] | None = None,
                 format: int = FORMAT_VERSION) -> None:
        self.topic = topics if topics is not None else []
        self.format = format

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Topics) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"Topics({vars(self)!r})"

    def get(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topic if t.id == topic_id), None)

    def next_id(self) -> str:
        numbers = [int(t.id[len(Topic.PREFIX):]) for t in self.topic]
        return f"{Topic.PREFIX}{max(numbers, default=0) + 1}"


def topics_from_data(data: dict[str, Any], path: str) -> tuple[Topics | None, list[Problem]]:
    problems: list[Problem] = []
    if not check_format(data, path, problems):
        return None, problems
    for name in data:
        if name not in ("format", Topic.TABLE):
            problems.append(Problem(path, "schema.unknown_key", {"key": name}, name))
    topics: list[Topic] = records_in(data, Topic.TABLE, Topic, path, problems)
    ids = Counter(t.id for t in topics)
    # the ids the file gives, of topics that load or not: a topic merged into one that
    # does not load (reported above) is not said to point nowhere as well
    tables = data.get(Topic.TABLE)
    written = {table.get("id") for table in tables if isinstance(table, dict)} \
        if isinstance(tables, list) else set()
    for topic in topics:
        where = f"{Topic.TABLE}.{topic.id}"
        if topic.status == "merged" and (topic.into is None or topic.into == topic.id or (
                ids[topic.into] == 0 and topic.into not in written)):
            problems.append(Problem(path, "topics.bad_into", {"id": topic.id}, where))
        if topic.status != "merged" and topic.into is not None:
            problems.append(Problem(path, "topics.stray_into", {"id": topic.id}, where))
    problems += _cycles(topics, path)
    if problems:
        return None, problems
    return Topics(topics), problems


def _cycles(topics: list[Topic], path: str) -> list[Problem]:
    """A problem for each `into` chain that comes back to where it started (T1 into T2
    and T2 into T1, as a merge of two branches can leave them): every topic of it would
    read 已合并 and the wish would drop out of the pool."""
    into = {t.id: t.into for t in topics if t.status == "merged" and t.into is not None}
    problems: list[Problem] = []
    reported: set[str] = set()
    for start in into:
        seen = [start]
        step = into.get(start)
        while step is not None and step not in seen:
            seen.append(step)
            step = into.get(step)
        if step == start and start not in reported and len(seen) > 1:
            reported.update(seen)
            problems.append(Problem(path, "topics.into_cycle",
                                    {"id": start, "chain": " → ".join([*seen, start])},
                                    f"{Topic.TABLE}.{start}"))
    return problems


def one_line(text: str) -> str:
    """A topic's text on one line, as an item made from it copies it as its title."""
    return " ".join(text.split())


def source_of(pool: Topics, named: str, title: str | None, via: str | None,
              by: str | None, raised: dt.date | None) -> str:
    """The topic an item was made from, from what the item keeps: the id it names
    (`named`), its title, and what it copied of the topic (the way in, the resident, the
    day raised). The named id is trusted when that topic is the one copied: the same
    day, way and resident, and its text the item's title — or, for an item given a title
    of its own, no other such topic's text is the title. Else the one topic that matches
    what was copied (a merge of two branches that both collected a T2 renumbers theirs,
    and the item of theirs still says T2), its text the title when several match; else
    the id named."""

    def copied(topic: Topic) -> bool:
        return (topic.date, topic.via, topic.by) == (raised, via, by)

    alike = [t for t in pool.topic if copied(t)]
    titled = [t for t in alike if one_line(t.text) == title]
    topic = pool.get(named)
    if topic is not None and copied(topic) and (topic in titled or not titled):
        return topic.id
    if len(titled) == 1:
        return titled[0].id
    return alike[0].id if len(alike) == 1 else named


def load_topics(data: bytes, path: str) -> Topics:
    topics, problems = topics_from_data(parse_toml(data, path), path)
    if topics is None:
        raise BrokenFile(problems)
    return topics


def dump_topics(topics: Topics) -> str:
    blocks = [table_body({"format": topics.format})]
    blocks += [f"[[{Topic.TABLE}]]\n" + table_body(t.to_table()) for t in topics.topic]
    return "\n".join(blocks)
