"""The merge of topics.toml, on random work (as tests/test_merge_property.py for meetings):
hypothesis collects topics on one laptop, then two branches of topic commands from it
(add, reject, merge, undo), and merges the three versions through the driver's own
function (`topics_merge.merge_topics`, in process).

Whatever was typed, the merge is clean, or refuses for a reason a person must decide (a
topic changed differently on both sides, an `into` both sides set to an id each added as a
different topic, a merged file that would not load: an `into` chain back to itself);
when it is clean:
- the merged file loads as topics.toml (every `into` names another topic) and is in
  yiguan's own layout;
- ids are unique, and no topic of either side is lost: every topic a side added or
  changed is in the merged file as that side has it (its id, and an `into`, as the merge
  renumbered them); one neither side changed is there as in the base;
- every merged topic is the base's, ours' or theirs' version of it: nothing is put
  together from two sides.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from yiguan.git.merge import Unmergeable
from yiguan.git.topics_merge import dump_topics_data, merge_topics
from yiguan.meeting import topics
from yiguan.record.topics import Topics, dump_topics, load_topics, topics_from_data
from yiguan.text.errors import YiguanError

TEXTS = st.sampled_from(["东门路灯坏了", "楼道堆物", "加装电梯", "增设快递柜"])
PEOPLE = st.sampled_from([None, "王阿姨", "李大爷"])
VIAS = st.sampled_from([None, "wish-wall", "phone", "grid-worker"])
DATES = st.sampled_from([dt.date(2024, 4, 2), dt.date(2024, 4, 3)])
IDS = st.sampled_from(["T1", "T2", "T3", "T4", "T5", "T6"])
REASONS = st.sampled_from(["重复", "不属于议事范围"])

Step = tuple[str, tuple[Any, ...]]
COMMANDS: dict[str, Callable[..., Any]] = {
    "add": lambda p, text, by, via, day: topics.add_topic(p, text, by, via, day, None),
    "reject": lambda p, rid, reason: topics.reject_topic(p, rid, reason, {}),
    "merge": lambda p, rid, into: topics.merge_topic(p, rid, into, {}),
}
STEPS: st.SearchStrategy[Step] = st.one_of(
    *[st.tuples(st.just("add"), st.tuples(TEXTS, PEOPLE, VIAS, DATES))] * 3,
    st.tuples(st.just("reject"), st.tuples(IDS, REASONS)),
    st.tuples(st.just("merge"), st.tuples(IDS, IDS)),
    st.tuples(st.just("undo"), st.tuples()),
)


def replay(start: bytes, steps: list[Step]) -> bytes:
    """The file after the steps, each on what was saved; a refused step changes nothing;
    undo takes back the branch's latest change."""
    saved = [start]
    for kind, args in steps:
        if kind == "undo":
            if len(saved) > 1:
                saved.pop()
            continue
        pool = load_topics(saved[-1], "topics.toml") if saved[-1] else Topics()
        try:
            COMMANDS[kind](pool, *args)
        except YiguanError:
            continue
        after = dump_topics(pool).encode()
        if after != saved[-1]:
            saved.append(after)
    return saved[-1]


def _records(data: bytes) -> dict[str, dict[str, Any]]:
    parsed = tomllib.loads(data.decode()) if data else {}
    return {r["id"]: r for r in parsed.get("topic", [])}


def _content(record: dict[str, Any]) -> tuple[Any, ...]:
    """A topic without its id and `into` (which a merge may renumber)."""
    return tuple(sorted((k, v) for k, v in record.items() if k not in ("id", "into")))


@settings(max_examples=30)  # the fast loop; HYPOTHESIS_PROFILE=dev searches further
@given(base_steps=st.lists(STEPS, max_size=5), ours_steps=st.lists(STEPS, max_size=6),
       theirs_steps=st.lists(STEPS, max_size=6))
def test_a_clean_merge_keeps_every_topic(base_steps: list[Step], ours_steps: list[Step],
                                         theirs_steps: list[Step]) -> None:
    base = replay(b"", base_steps)
    ours, theirs = replay(base, ours_steps), replay(base, theirs_steps)
    try:
        result = merge_topics(base, ours, theirs)
    except Unmergeable as why:
        assert why.key in ("merge.why.topic_changed_twice", "merge.why.topics_invalid",
                           "merge.why.topic_into_added"), why.key
        return
    text = dump_topics_data(result.data)
    parsed = tomllib.loads(text)
    pool, problems = topics_from_data(parsed, "merged")
    assert problems == [] and pool is not None
    assert dump_topics(pool) == text  # yiguan's own layout
    merged = _records(text.encode())
    assert len(merged) == len(parsed.get("topic", []))  # ids unique
    contents = [_content(r) for r in merged.values()]
    old, sides = _records(base), {"ours": _records(ours), "theirs": _records(theirs)}
    moved = {(m.side, m.old): m.new for m in result.renumbered}
    for side, records in sides.items():
        for rid, record in records.items():
            before = old.get(rid)
            if before is not None and (before.get("text"), before.get("date")) == (
                    record.get("text"), record.get("date")):
                if record == before:
                    continue  # unchanged here: the other side's version wins
                assert merged[rid] == record or _content(merged[rid]) == _content(record)
                continue
            # added on this side: there, under its id or the one the merge gave it
            new_id = moved.get((side, rid), rid)
            assert new_id in merged and _content(merged[new_id]) == _content(record), (
                side, rid, new_id)
    everything = [_content(r) for records in (old, *sides.values()) for r in records.values()]
    assert all(content in everything for content in contents)


ODD = st.sampled_from([["a"], [1, 2], {"x": 1}, 3, 1.5, True, dt.date(2024, 4, 2), [], {}])
KEYS = st.sampled_from(["text", "from", "into", "status", "date", "note", "id"])


def _hand_edit(data: bytes, which: int, name: str, value: Any) -> bytes:
    """The file with one topic's key set to a value of any TOML type, in yiguan's layout
    (the merge reads a side only in that layout)."""
    parsed = tomllib.loads(data.decode()) if data else {"format": 1}
    records = parsed.setdefault("topic", [{"id": "T1", "text": "x", "date": dt.date(2024, 4, 2),
                                           "status": "open"}])
    records[which % len(records)][name] = value
    return dump_topics_data(parsed).encode()


@settings(max_examples=30)
@given(base_steps=st.lists(STEPS, max_size=4), ours_steps=st.lists(STEPS, max_size=4),
       theirs_steps=st.lists(STEPS, max_size=4), which=st.integers(0, 5), name=KEYS,
       value=ODD, both=st.booleans())
def test_a_hand_edited_value_is_merged_or_refused_never_a_traceback(
        base_steps: list[Step], ours_steps: list[Step], theirs_steps: list[Step], which: int,
        name: str, value: Any, both: bool) -> None:
    base = replay(b"", base_steps)
    ours = _hand_edit(replay(base, ours_steps), which, name, value)
    theirs = replay(base, theirs_steps)
    if both:
        theirs = _hand_edit(theirs, which, name, value)
    try:
        result = merge_topics(base, ours, theirs)
    except Unmergeable:
        return
    pool, problems = topics_from_data(tomllib.loads(dump_topics_data(result.data)), "merged")
    assert problems == [] and pool is not None
