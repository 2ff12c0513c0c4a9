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
           "load_topics", "topics_from_data"]

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
    for topic in topics:
        where = f"{Topic.TABLE}.{topic.id}"
        if topic.status == "merged" and (topic.into is None or ids[topic.into] == 0
                                         or topic.into == topic.id):
            problems.append(Problem(path, "topics.bad_into", {"id": topic.id}, where))
        if topic.status != "merged" and topic.into is not None:
            problems.append(Problem(path, "topics.stray_into", {"id": topic.id}, where))
    if problems:
        return None, problems
    return Topics(topics), problems


def load_topics(data: bytes, path: str) -> Topics:
    topics, problems = topics_from_data(parse_toml(data, path), path)
    if topics is None:
        raise BrokenFile(problems)
    return topics


def dump_topics(topics: Topics) -> str:
    blocks = [table_body({"format": topics.format})]
    blocks += [f"[[{Topic.TABLE}]]\n" + table_body(t.to_table()) for t in topics.topic]
    return "\n".join(blocks)
