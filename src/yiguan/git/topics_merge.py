"""Three-way merge of topics.toml (the council's pool of topics), for the merge driver.

The same principles as a meeting's merge (`merge.py`), on the one table the file holds:

- a topic is its id *and* its identity (its text and the day it was raised): a topic
  whose identity changed under the same id (T3 taken back with `undo` and another topic
  collected as T3) is a different topic;
- topics added on both sides are all kept; where two would share an id, theirs is
  renumbered after every id either side used (as a meeting's records are), with every
  `into` of theirs that meant it, and the merge says so; a topic both sides added
  identically is kept once;
- a topic changed on one side only is that side's version, whole (declined on one
  laptop, left open on the other: declined);
- what cannot be decided without a person — one topic changed differently on both sides
  (declined here, merged there), removed on one side and changed on the other, a side
  that is not TOML or not yiguan's own layout — raises `Unmergeable`, and the driver
  leaves a line-by-line merge with conflict markers, never a silent rewrite;
- an `into` set on one side that names an id both sides added as different topics is
  unmergeable too (which of the two it means cannot be told), and topics are compared
  by a canonical dump, so a hand-edited value of any type is never a traceback;
- last, the merged file must load as topics.toml (every `into` names a topic, and no
  chain of them comes back to itself).
"""

from __future__ import annotations

import copy
import json
import tomllib
from typing import Any

from ..record.fileformat import table_body
from ..record.topics import Topic, topics_from_data
from .merge import MergeResult, Renumbered, Unmergeable

TABLE, PREFIX = Topic.TABLE, Topic.PREFIX
_ORDER = [k.name for k in Topic.SPEC]


def dump_topics_data(data: dict[str, Any]) -> str:
    """Canonical text of parsed topics.toml: `format`, then each topic with its keys in
    schema order (unknown keys after them, sorted), as `record.topics.dump_topics`."""
    top = {k: v for k, v in data.items() if k != TABLE}
    blocks = [table_body(top)] if top else []
    for record in data.get(TABLE, []):
        known = [k for k in _ORDER if k in record]
        ordered = {k: record[k] for k in known + sorted(k for k in record if k not in _ORDER)}
        blocks.append(f"[[{TABLE}]]\n" + table_body(ordered))
    return "\n".join(blocks)


def _parse(data: bytes, side: str, *, canonical: bool) -> dict[str, Any]:
    if not data.strip():
        return {}
    side_key = f"merge.side.{side}"
    try:
        text = data.decode("utf-8")
        parsed = tomllib.loads(text.removeprefix("\ufeff"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        raise Unmergeable("merge.why.unparsable", side_key=side_key) from None
    records = parsed.get(TABLE, [])
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise Unmergeable("merge.why.not_records", side_key=side_key, table=TABLE)
    seen: set[Any] = set()
    for record in records:
        rid = record.get("id")
        if type(rid) is not str:
            raise Unmergeable("merge.why.missing_id", side_key=side_key, table=TABLE)
        if rid in seen:
            raise Unmergeable("merge.why.duplicate_id", side_key=side_key, table=TABLE, id=rid)
        seen.add(rid)
    if canonical and dump_topics_data(parsed) != text:
        raise Unmergeable("merge.why.not_canonical", side_key=side_key)
    return parsed


def _number(rid: Any) -> int:
    if isinstance(rid, str) and rid.startswith(PREFIX) and rid[len(PREFIX):].isdigit():
        return int(rid[len(PREFIX):])
    return 0


def _identity(record: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(record.get(key) for key in Topic.IDENTITY)


def _canonical(record: dict[str, Any]) -> str:
    """A topic as one comparable string, whatever its values (a hand-edited topic may
    hold an array or a table where a text belongs): two topics are the same when these
    are."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)


def merge_topics(base_bytes: bytes, ours_bytes: bytes, theirs_bytes: bytes) -> MergeResult:
    """Merge three versions of topics.toml (base may be empty: added on both sides).
    Clean or Unmergeable: a topic file holds no [[conflict]] records."""
    base = _parse(base_bytes, "base", canonical=False)
    ours = copy.deepcopy(_parse(ours_bytes, "ours", canonical=True))
    theirs = copy.deepcopy(_parse(theirs_bytes, "theirs", canonical=True))
    old = {r["id"]: r for r in base.get(TABLE, [])}
    sides = {"ours": {r["id"]: r for r in ours.get(TABLE, [])},
             "theirs": {r["id"]: r for r in theirs.get(TABLE, [])}}
    continuing = {side: {rid for rid, r in records.items()
                         if rid in old and _identity(r) == _identity(old[rid])}
                  for side, records in sides.items()}
    merged: list[dict[str, Any]] = []
    kept: set[str] = set()
    for rid, record in old.items():
        mine = sides["ours"].get(rid) if rid in continuing["ours"] else None
        yours = sides["theirs"].get(rid) if rid in continuing["theirs"] else None
        if mine is not None and yours is not None:
            if mine != yours and mine != record and yours != record:
                raise Unmergeable("merge.why.topic_changed_twice", id=rid)
            merged.append(yours if mine == record else mine)
        elif mine is None and yours is None:
            continue  # removed on both sides
        else:
            survivor = mine if mine is not None else yours
            if survivor != record:  # changed on one side, removed on the other
                raise Unmergeable("merge.why.topic_removed_changed", id=rid)
            continue  # removed on one side, untouched on the other: removed
        kept.add(rid)
    taken = {_number(rid) for records in (old, *sides.values()) for rid in records}
    used = set(kept)
    renumbered: list[Renumbered] = []
    new_ours = [r for rid, r in sides["ours"].items() if rid not in continuing["ours"]]
    new_theirs = [r for rid, r in sides["theirs"].items() if rid not in continuing["theirs"]]
    twins = {_canonical(r) for r in new_ours}
    _into_added_twice(sides, old, new_ours, new_theirs)
    for side, records in (("ours", new_ours), ("theirs", new_theirs)):
        mapping: dict[str, str] = {}
        added = []
        for record in records:
            if side == "theirs" and _canonical(record) in twins:
                continue  # both sides added the very same topic: kept once, as ours
            rid = record["id"]
            if rid in used:
                number = max(taken, default=0) + 1
                taken.add(number)
                mapping[rid] = record["id"] = f"{PREFIX}{number}"
                renumbered.append(Renumbered(side, TABLE, rid, record["id"], rid in old))
            used.add(record["id"])
            added.append(record)
        # an `into` the side set that means one of its own renumbered topics follows it
        for record in [*added, *(sides[side][rid] for rid in continuing[side])]:
            into = record.get("into")
            if not isinstance(into, str):
                continue  # not an id (hand-edited): left for the final load to refuse
            if into in mapping and (record in added or old.get(record["id"], {}).get(
                    "into") != into):
                record["into"] = mapping[into]
        merged += added
    result = {k: v for k, v in ours.items() if k != TABLE} or {
        k: v for k, v in theirs.items() if k != TABLE}
    if merged:
        result[TABLE] = sorted(merged, key=lambda r: _number(r["id"]))
    # every `into` names a topic, and no chain of them comes back to itself
    _, problems = topics_from_data(tomllib.loads(dump_topics_data(result)), "")
    if problems:
        raise Unmergeable("merge.why.topics_invalid", problem=problems[0].message())
    return MergeResult(result, 0, renumbered)


def _into_added_twice(sides: dict[str, dict[str, dict[str, Any]]],
                      old: dict[str, dict[str, Any]], new_ours: list[dict[str, Any]],
                      new_theirs: list[dict[str, Any]]) -> None:
    """Unmergeable when both sides set the same `into` naming an id that each side added
    as a different topic: their records are equal, so the merge would keep one, yet each
    side meant its own topic (theirs is renumbered). An `into` set on one side only
    means that side's topic and follows it when it is renumbered."""
    ours_new = {r["id"]: _canonical(r) for r in new_ours}
    twice = {r["id"] for r in new_theirs
             if r["id"] in ours_new and ours_new[r["id"]] != _canonical(r)}
    for rid, record in sides["ours"].items():
        into = record.get("into")
        other = sides["theirs"].get(rid)
        if (isinstance(into, str) and into in twice and other is not None
                and other.get("into") == into and old.get(rid, {}).get("into") != into):
            raise Unmergeable("merge.why.topic_into_added", id=rid, into=into)
