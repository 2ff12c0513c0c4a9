"""Three-way merge of meeting files by record id, for `git merge` (the merge driver).

Git merges text line by line; two people editing one meeting (the secretary recording
votes, the 书记 correcting a name) would collide on neighbouring lines or on ids both
sides handed out. This merge works on records instead:

- a field changed on one side only takes that side's value;
- records added on both sides are all kept; where both sides gave out the same id for
  different records, theirs is renumbered (with every reference to it) and the merge
  says so; a record both sides added identically is kept once;
- a field changed differently on both sides is a conflict: ours stays in the record and
  a `[[conflict]]` record holds both values, so the file is still valid TOML, nothing of
  either side is lost, and `yiguan check` reports it until a person resolves it.

It works on parsed TOML (not the validated model), so it never drops a key it does not
know.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from typing import Any

from .fileformat import dump_data, toml_value
from .model import RECORD_TYPES

ABSENT = "(absent)"
# Which fields point at which table's ids, for renumbering.
REFERENCES = {"motion": [("amendment", "motion"), ("vote", "motion"), ("action", "motion")],
              "item": [("speech", "item"), ("motion", "item")]}
_PREFIX = {r.TABLE: next((k.prefix for k in r.SPEC if k.name == "id"), "") for r in RECORD_TYPES}
TABLES = [r.TABLE for r in RECORD_TYPES]


@dataclass
class MergeResult:
    data: dict[str, Any]
    conflicts: int = 0
    renumbered: list[tuple[str, str, str]] = field(default_factory=list)  # table, old, new


def _parse(data: bytes) -> dict[str, Any]:
    if not data.strip():
        return {}
    return tomllib.loads(data.decode("utf-8-sig"))


def _three_way(base: Any, ours: Any, theirs: Any) -> tuple[Any, bool]:
    """(merged value, conflict?)"""
    if ours == theirs:
        return ours, False
    if ours == base:
        return theirs, False
    if theirs == base:
        return ours, False
    return ours, True


class _Merge:
    def __init__(self) -> None:
        self.conflicts: list[dict[str, Any]] = []

    def conflict(self, record: str, key: str, base: Any, ours: Any, theirs: Any) -> None:
        entry = {"record": record, "field": key,
                 "ours": _show(ours), "theirs": _show(theirs)}
        if base is not None:
            entry["base"] = _show(base)
        self.conflicts.append(entry)

    def table(self, label: str, base: dict[str, Any], ours: dict[str, Any],
              theirs: dict[str, Any]) -> dict[str, Any]:
        """Key-by-key three-way merge of one table (top level, rules, a record)."""
        out: dict[str, Any] = {}
        keys = list(ours) + [k for k in theirs if k not in ours] + [
            k for k in base if k not in ours and k not in theirs]
        for key in keys:
            b, o, t = base.get(key), ours.get(key), theirs.get(key)
            if isinstance(o, dict) and isinstance(t, dict):
                out[key] = self.table(f"{label}.{key}" if label else key,
                                      b if isinstance(b, dict) else {}, o, t)
                continue
            value, clash = _three_way(b, o, t)
            if clash:
                self.conflict(label or "meeting", key, b, o, t)
            if value is not None:
                out[key] = value
        return out


def _show(value: Any) -> str:
    return ABSENT if value is None else toml_value(value)


def _id_number(value: Any, prefix: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.startswith(prefix) and value[len(prefix):].isdigit():
        return int(value[len(prefix):])
    return 0


def _records(data: dict[str, Any], table: str) -> list[dict[str, Any]]:
    value = data.get(table, [])
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def _renumber_theirs(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any],
                     ) -> list[tuple[str, str, str]]:
    """Give theirs' records new ids where both sides added different records under one id.
    Changes `theirs` in place (references included); returns what was renumbered."""
    renumbered = []
    for table in TABLES:
        prefix = _PREFIX[table]
        base_ids = {r.get("id") for r in _records(base, table)}
        ours_new = {r.get("id"): r for r in _records(ours, table) if r.get("id") not in base_ids}
        taken = {_id_number(r.get("id"), prefix)
                 for d in (base, ours, theirs) for r in _records(d, table)}
        mapping: dict[Any, Any] = {}
        for record in _records(theirs, table):
            rid = record.get("id")
            if rid in base_ids or rid not in ours_new or ours_new[rid] == record:
                continue
            number = max(taken, default=0) + 1
            taken.add(number)
            new_id: Any = number if isinstance(rid, int) else f"{prefix}{number}"
            mapping[rid] = new_id
            record["id"] = new_id
            renumbered.append((table, str(rid), str(new_id)))
        for ref_table, ref_key in REFERENCES.get(table, []):
            for record in _records(theirs, ref_table):
                if record.get(ref_key) in mapping and record.get("id") not in base_ids:
                    record[ref_key] = mapping[record[ref_key]]
    return renumbered


def merge(base_bytes: bytes, ours_bytes: bytes, theirs_bytes: bytes) -> MergeResult:
    """Merge three versions of a meeting file (base may be empty: added on both sides)."""
    base, ours, theirs = _parse(base_bytes), _parse(ours_bytes), _parse(theirs_bytes)
    theirs = copy.deepcopy(theirs)
    renumbered = _renumber_theirs(base, ours, theirs)
    work = _Merge()
    merged = work.table("", _plain(base), _plain(ours), _plain(theirs))
    for table in TABLES:
        if table == "conflict":
            continue
        merged_records = _merge_records(work, table, base, ours, theirs)
        if merged_records:
            merged[table] = merged_records
    # conflicts already in either file stay; the new ones follow with fresh ids
    kept = _merge_records(work, "conflict", base, ours, theirs)
    number = max((_id_number(c.get("id"), "C") for c in kept), default=0)
    for entry in work.conflicts:
        number += 1
        kept.append({"id": f"C{number}", **entry})
    if kept:
        merged["conflict"] = kept
    return MergeResult(merged, len(work.conflicts), renumbered)


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """The file without its record tables: top-level keys and [rules]."""
    return {k: v for k, v in data.items() if k not in TABLES}


def _merge_records(work: _Merge, table: str, base: dict[str, Any], ours: dict[str, Any],
                   theirs: dict[str, Any]) -> list[dict[str, Any]]:
    b = {r.get("id"): r for r in _records(base, table)}
    o = {r.get("id"): r for r in _records(ours, table)}
    t = {r.get("id"): r for r in _records(theirs, table)}
    out = []
    for rid, mine in o.items():
        if rid in t:
            out.append(work.table(f"{table} {rid}", b.get(rid, {}), mine, t[rid]))
        elif _survives(work, f"{table} {rid}", b.get(rid), mine, deleted_by="theirs"):
            out.append(mine)
    for rid, record in t.items():
        if rid not in o and _survives(work, f"{table} {rid}", b.get(rid), record,
                                      deleted_by="ours"):
            out.append(record)
    return out


def _survives(work: _Merge, label: str, base: dict[str, Any] | None, record: dict[str, Any],
              *, deleted_by: str) -> bool:
    """A record present on one side only: new there (keep it), deleted on the other side
    and untouched here (drop it), or deleted there but changed here (keep it, and say
    so as a conflict: nothing of either side is lost)."""
    if base is None:
        return True
    if record == base:
        return False
    sides = ("(changed)", "(deleted)") if deleted_by == "theirs" else ("(deleted)", "(changed)")
    work.conflict(label, "*", "…", *sides)
    return True


def merged_text(result: MergeResult) -> str:
    return dump_data(result.data, council=False)
