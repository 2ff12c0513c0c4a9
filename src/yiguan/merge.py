"""Three-way merge of meeting files record by record, for `git merge` (the merge driver).

Git merges text line by line; two people editing one meeting (the secretary recording
votes, the 书记 correcting a name) would collide on neighbouring lines or on ids both
sides handed out. This merge works on records instead:

- a record is its id *and* its identity: who and when (a motion's mover and time, a
  speech's speaker and time, a vote's motion and time — every required name, time and
  reference field of its kind, read from the schema). A record whose identity changed
  under the same id (M1 taken back with `undo`, and the next motion given M1 again) is a
  different record: the old one was removed, a new one added;
- a field changed on one side only takes that side's value;
- records added on both sides are all kept; where two records would share an id, the
  newer one is renumbered (with every reference to it) and the merge says so; a record
  both sides added identically is kept once;
- a record removed on one side and changed on the other is kept, and so is the other
  side's record that took its id, and the merge reports a conflict;
- a field changed differently on both sides is a conflict: ours stays in the record and
  a `[[conflict]]` record holds both values, so the file is still valid TOML, nothing of
  either side is lost, and `yiguan check` reports it until a person resolves it.

It works on parsed TOML (not the validated model), so it never drops a key it does not
know. What it cannot merge faithfully — a side that is not TOML or not in yiguan's own
layout (a hand edit: rewriting it would drop comments or change its bytes), a record
without an id, two records with one id — raises `Unmergeable`; the driver then leaves a
line-by-line merge with conflict markers for a person, never a silent rewrite.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from typing import Any

from .fileformat import dump_data, toml_value
from .model import ID_PREFIX, RECORD_TYPES

ABSENT = "(absent)"
TABLES = [r.TABLE for r in RECORD_TYPES]
SIDES = ("base", "ours", "theirs")

# Everything below is read from the schema, so a record kind added to model.RECORD_TYPES
# merges by the same rules without an edit here.
_PREFIX = ID_PREFIX
# A record's identity: its required name, time and reference fields (who, when, on what).
IDENTITY = {r.TABLE: tuple(k.name for k in r.SPEC if k.required and k.name != "id"
                           and k.kind in ("name", "time", "ref"))
            for r in RECORD_TYPES}


def _references() -> dict[str, list[tuple[str, str]]]:
    """table → the (table, key) pairs that hold its ids: a `ref` key names the table by
    its id prefix (vote.motion → M…), an int key by the table's name (speech.item)."""
    by_prefix = {prefix: table for table, prefix in _PREFIX.items() if prefix}
    found: dict[str, list[tuple[str, str]]] = {}
    for record_type in RECORD_TYPES:
        for key in record_type.SPEC:
            if key.name == "id":
                continue
            target = by_prefix.get(key.prefix) if key.kind == "ref" else (
                key.name if key.kind == "int" and key.name in _PREFIX else None)
            if target:
                found.setdefault(target, []).append((record_type.TABLE, key.name))
    return found


REFERENCES = _references()


class Unmergeable(Exception):
    """The three versions cannot be merged record by record without losing or rewriting
    something; `key` and `params` say why (a catalogue message)."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Renumbered:
    """A record that got a new id in the merge, on `side`: both sides added a record
    under `old`, or (`reused`) the side gave a new record the id of one it took back."""

    side: str
    table: str
    old: str
    new: str
    reused: bool


@dataclass
class MergeResult:
    data: dict[str, Any]
    conflicts: int = 0
    renumbered: list[Renumbered] = field(default_factory=list)


def _parse(data: bytes, side: str, *, canonical: bool) -> dict[str, Any]:
    """A side's parsed TOML. With `canonical`, its text must also be exactly what yiguan
    writes for that data: only then can the merged file be written without changing a
    byte that neither side changed."""
    if not data.strip():
        return {}
    try:
        text = data.decode("utf-8")
        parsed = tomllib.loads(text.removeprefix("\ufeff"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        raise Unmergeable("merge.why.unparsable", side_key=f"merge.side.{side}") from None
    for table in TABLES:
        _check_records(parsed, table, side)
    if canonical and dump_data(parsed, council=False) != text:
        raise Unmergeable("merge.why.not_canonical", side_key=f"merge.side.{side}")
    return parsed


def _check_records(data: dict[str, Any], table: str, side: str) -> None:
    """Every record of `table` is a table with an id of its own (#1: a duplicate id or a
    record without one cannot be matched with the other sides)."""
    if table not in data:
        return
    records = data[table]
    side_key = f"merge.side.{side}"
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise Unmergeable("merge.why.not_records", side_key=side_key, table=table)
    seen: set[Any] = set()
    for record in records:
        rid = record.get("id")
        if type(rid) not in (str, int):
            raise Unmergeable("merge.why.missing_id", side_key=side_key, table=table)
        if rid in seen:
            raise Unmergeable("merge.why.duplicate_id", side_key=side_key, table=table,
                              id=str(rid))
        seen.add(rid)


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

    def survives(self, label: str, base: dict[str, Any], record: dict[str, Any], *,
                 removed_by: str) -> bool:
        """A base record kept on one side only: removed on the other side and untouched
        here (drop it), or removed there but changed here (keep it, and say so as a
        conflict: nothing of either side is lost)."""
        if record == base:
            return False
        sides = ("(changed)", "(deleted)") if removed_by == "theirs" else (
            "(deleted)", "(changed)")
        self.conflict(label, "*", "…", *sides)
        return True


def _show(value: Any) -> str:
    return ABSENT if value is None else toml_value(value)


def _id_number(value: Any, prefix: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.startswith(prefix) and value[len(prefix):].isdigit():
        return int(value[len(prefix):])
    return 0


def _records(data: dict[str, Any], table: str) -> list[dict[str, Any]]:
    return data.get(table, [])  # type: ignore[no-any-return]  # checked by _check_records


def _identity(table: str, record: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(record.get(key) for key in IDENTITY[table])


class _Table:
    """One record table on the three sides: which records continue a base record (same
    id, same identity), which are new, and which base records survive the merge."""

    def __init__(self, table: str, base: dict[str, Any], ours: dict[str, Any],
                 theirs: dict[str, Any]) -> None:
        self.table = table
        self.base = {r["id"]: r for r in _records(base, table)}
        self.sides = {"ours": {r["id"]: r for r in _records(ours, table)},
                      "theirs": {r["id"]: r for r in _records(theirs, table)}}
        self.continuing = {side: {rid for rid, r in records.items() if rid in self.base
                                  and _identity(table, r) == _identity(table, self.base[rid])}
                           for side, records in self.sides.items()}
        both = self.continuing["ours"] & self.continuing["theirs"]
        only = self.continuing["ours"] ^ self.continuing["theirs"]
        # a base record kept on one side only survives if that side changed it
        self.kept = both | {rid for rid in only if self._side_of(rid)[rid] != self.base[rid]}

    def _side_of(self, rid: Any) -> dict[Any, dict[str, Any]]:
        return self.sides["ours" if rid in self.continuing["ours"] else "theirs"]

    def new(self, side: str) -> list[Any]:
        return [rid for rid in self.sides[side] if rid not in self.continuing[side]]


def _dependency_order() -> list[str]:
    """Tables with the tables they refer to first (items and motions before the speeches,
    votes and actions that name them), so that a reference is renumbered before the
    records holding it are compared."""
    refers = {name: {target for target, pairs in REFERENCES.items()
                     for source, _ in pairs if source == name and target != name}
              for name in TABLES}
    order: list[str] = []
    while len(order) < len(TABLES):
        ready = [n for n in TABLES if n not in order and refers[n] <= set(order)]
        order += ready or [n for n in TABLES if n not in order]  # a cycle: as declared
    return order


def _renumber(tables: dict[str, _Table], sides: dict[str, dict[str, Any]],
              ) -> list[Renumbered]:
    """Give new records fresh ids where they would share one with another record in the
    merge: ours' new record that took the id of a base record theirs kept (and changed),
    theirs' new record that took any id in use (unless ours added the very same record).
    Changes the sides' records in place, references included."""
    renumbered = []
    for name in _dependency_order():
        table = tables[name]
        prefix = _PREFIX[name]
        taken = {_id_number(rid, prefix) for records in (table.base, *table.sides.values())
                 for rid in records}
        used = set(table.kept)
        for side in ("ours", "theirs"):
            mapping: dict[Any, Any] = {}
            for rid in table.new(side):
                record = table.sides[side][rid]
                if side == "theirs" and rid in table.new("ours") \
                        and table.sides["ours"][rid] == record:
                    continue  # both sides added the same record: kept once, as ours
                if rid in used:
                    number = max(taken, default=0) + 1
                    taken.add(number)
                    new_id: Any = number if isinstance(rid, int) else f"{prefix}{number}"
                    mapping[rid] = new_id
                    renumbered.append(Renumbered(side, name, str(rid), str(new_id),
                                                 rid in table.base))
                    rid = new_id
                used.add(rid)
            if mapping:
                _apply(tables, sides[side], side, name, mapping)
    return renumbered


def _apply(tables: dict[str, _Table], data: dict[str, Any], side: str, name: str,
           mapping: dict[Any, Any]) -> None:
    """New ids for one side's new records of table `name`, and for the references that
    mean them."""
    new = set(tables[name].new(side))
    for record in _records(data, name):
        if record["id"] in new and record["id"] in mapping:
            record["id"] = mapping[record["id"]]
    for ref_table, key in REFERENCES.get(name, []):
        source = tables[ref_table]
        fresh = set(source.new(side))
        for record in _records(data, ref_table):
            value = record.get(key)
            if type(value) not in (str, int) or value not in mapping:
                continue
            base_record = source.base.get(record["id"])
            # a record the side added, or one whose reference the side set: it means the
            # side's new record, not the base record that had the id before
            if record["id"] in fresh or base_record is None or base_record.get(key) != value:
                record[key] = mapping[value]


def merge(base_bytes: bytes, ours_bytes: bytes, theirs_bytes: bytes) -> MergeResult:
    """Merge three versions of a meeting file (base may be empty: added on both sides).
    Raises Unmergeable when that cannot be done faithfully."""
    base = _parse(base_bytes, "base", canonical=False)
    ours = copy.deepcopy(_parse(ours_bytes, "ours", canonical=True))
    theirs = copy.deepcopy(_parse(theirs_bytes, "theirs", canonical=True))
    tables = {name: _Table(name, base, ours, theirs) for name in TABLES}
    renumbered = _renumber(tables, {"ours": ours, "theirs": theirs})
    # ids changed: classify again (the renumbered records are new either way)
    tables = {name: _Table(name, base, ours, theirs) for name in TABLES}
    work = _Merge()
    merged = work.table("", _plain(base), _plain(ours), _plain(theirs))
    for name in TABLES:
        if name == "conflict":
            continue
        records = _merge_records(work, tables[name])
        if records:
            merged[name] = records
    # conflicts already in either file stay; the new ones follow with fresh ids
    kept = _merge_records(work, tables["conflict"])
    number = max((_id_number(c.get("id"), "C") for c in kept), default=0)
    for entry in work.conflicts:
        number += 1
        kept.append({"id": f"C{number}", **entry})
    if kept:
        merged["conflict"] = kept
    text = dump_data(merged, council=False)
    if tomllib.loads(text) != merged:  # the writer could not say it as it is
        raise Unmergeable("merge.why.not_faithful")
    return MergeResult(merged, len(work.conflicts), renumbered)


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """The file without its record tables: top-level keys and [rules]."""
    return {k: v for k, v in data.items() if k not in TABLES}


def _merge_records(work: _Merge, table: _Table) -> list[dict[str, Any]]:
    name = table.table
    ours, theirs = table.sides["ours"], table.sides["theirs"]
    out = []
    for rid, mine in ours.items():
        label = f"{name} {rid}"
        if rid not in table.continuing["ours"]:
            out.append(mine)  # new on our side
        elif rid in table.continuing["theirs"]:
            out.append(work.table(label, table.base[rid], mine, theirs[rid]))
        elif work.survives(label, table.base[rid], mine, removed_by="theirs"):
            out.append(mine)
    for rid, record in theirs.items():
        label = f"{name} {rid}"
        if rid not in table.continuing["theirs"]:
            if rid in ours and rid not in table.continuing["ours"] and ours[rid] == record:
                continue  # the same record added on both sides: kept once
            out.append(record)
        elif rid not in table.continuing["ours"] and work.survives(
                label, table.base[rid], record, removed_by="ours"):
            out.append(record)
    return out


def merged_text(result: MergeResult) -> str:
    return dump_data(result.data, council=False)
