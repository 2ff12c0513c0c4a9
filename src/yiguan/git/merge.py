"""Three-way merge of meeting files record by record, for `git merge` (the merge driver).

Git merges text line by line; two people editing one meeting (the secretary recording
votes, the 书记 correcting a name) would collide on neighbouring lines or on ids both
sides handed out — or, worse, merge cleanly into a meeting nobody recorded. This merge
works on records instead, and commits nothing `check` would reject:

- a record is its id *and* its identity: who and when (a motion's mover and time, a
  speech's speaker and time, a vote's motion and time — every required name, time and
  reference field of its kind, read from the schema); an agenda item, which has no who
  or when, is its number and title. A record whose identity changed under the same id
  (M1 taken back with `undo` and the next motion given M1 again; item 2 struck and
  another item added as 2) is a different record: the old one was removed, a new one
  added;
- a record merges whole: changed on one side only, it is that side's version; changed
  on both sides differently, it is a conflict. Fields are never taken from each side
  (a vote's counts, room and outcome are one show of hands);
- records added on both sides are all kept; where two records would share an id, the
  newer one is renumbered, with every reference to it (speech → item, motion → item,
  amendment, vote and action → motion, correction → the record it corrects), and the
  merge says so; a record both sides added identically is kept once, and so is the same
  correction made on both sides (one record, with both reasons);
- a record removed on one side survives, with a conflict, when the other side changed it
  or added a record that refers to it (a speech on item 2, a vote on M3): a reference
  never moves to another record that took the number;
- a motion voted on both sides is a conflict, both votes kept;
- the record as signed at the close (`[signed]`) merges whole;
- last, the merged meeting is checked as `check` checks a file (the same validators):
  every problem `check` would report (a note is not one) becomes a conflict naming the
  record in the secretary's words.

A conflict keeps ours in the record and adds a `[[conflict]]` record, so the file is
still valid TOML, nothing of either side is lost, the merge driver exits 1 (git stops)
and `check` reports it until a person resolves it.

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

from ..record.fileformat import dump_data, toml_value
from ..record.kinds import KINDS, Conflict, Correction, Vote
from ..text.messages import Listed, t

SIDES = ("base", "ours", "theirs")
SIGNED = "signed"  # the trail: one unit

# What a [[conflict]] says of a whole record on each side (values are TOML otherwise).
ABSENT = "(absent)"
PRESENT = "(present)"
ADDED = "(added)"
CHANGED = "(changed)"
UNCHANGED = "(unchanged)"
DELETED = "(deleted)"
ELIDED = "…"

# Everything the merge knows of a kind of record is read off its declaration (`KINDS`),
# when it runs: a record kind declared there merges by the same rules without an edit
# here. A record's identity (`IDENTITY`) is its required name, time and reference fields
# (who, when, on what) unless the kind says (an agenda item: its title); the records
# that name a record are `KINDS.references` (a `ref` key by id, an item by its number;
# a correction names its record as text, "vote V1": see `_corrected`).
CONFLICT, CORRECTION = Conflict.TABLE, Correction.TABLE


def _corrected(record: dict[str, Any]) -> tuple[str | None, Any]:
    """The (table, id) a correction names in `record = "vote V1"` (an item's id is its
    number); (None, None) when it names nothing this file could hold."""
    text = record.get("record")
    if not isinstance(text, str):
        return None, None
    table, _, ref = text.partition(" ")
    kind = KINDS.by_table.get(table)
    if kind is None or table in (CONFLICT, CORRECTION):
        return None, None
    if not kind.PREFIX:
        return (table, int(ref)) if ref.isdecimal() else (None, None)
    return table, ref


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


Said = tuple[str, dict[str, Any]]  # a message key and its params


@dataclass
class MergeResult:
    """The merged file; the conflicts it added (`said`: each in the secretary's words);
    `carried`: unresolved conflicts it holds from either side. Clean when both are 0."""

    data: dict[str, Any]
    conflicts: int = 0
    renumbered: list[Renumbered] = field(default_factory=list)
    said: list[Said] = field(default_factory=list)
    carried: int = 0

    @property
    def clean(self) -> bool:
        return not self.conflicts and not self.carried


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
    for table in KINDS.tables:
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


def _words(label: str) -> dict[str, Any]:
    """Message params naming a record as the secretary knows it ("vote V1" → 表决 V1)."""
    table, _, rid = label.partition(" ")
    return {"what_key": f"table.{table}", "id": rid}


def _is_record(label: str) -> bool:
    table, _, rid = label.partition(" ")
    return table in KINDS.by_table and bool(rid)


def _marker(base: Any, value: Any) -> str:
    return ABSENT if value is None else ADDED if base is None else CHANGED


class _Merge:
    def __init__(self) -> None:
        self.conflicts: list[dict[str, Any]] = []
        self.said: list[Said] = []

    def conflict(self, record: str, key: str, base: Any, ours: Any, theirs: Any,
                 said: Said, *, shown: bool = True) -> None:
        """A [[conflict]] entry; `shown`: the values are TOML values (else markers)."""
        show = _show if shown else str
        entry = {"record": record, "field": key, "ours": show(ours), "theirs": show(theirs)}
        if base is not None:
            entry["base"] = show(base)
        self.conflicts.append(entry)
        self.said.append(said)

    def field_clash(self, label: str, key: str, base: Any, ours: Any, theirs: Any) -> None:
        values = {**_said_value("ours", ours), **_said_value("theirs", theirs)}
        if _is_record(label):
            said: Said = ("merge.said.field", {**_words(label), "field": key, **values})
        else:  # the meeting's own keys, its rules
            where = key if label == "meeting" else f"{label}.{key}"
            said = ("merge.said.meeting_field", {"field": where, **values})
        self.conflict(label, key, base, ours, theirs, said)

    def table(self, label: str, base: dict[str, Any], ours: dict[str, Any],
              theirs: dict[str, Any]) -> dict[str, Any]:
        """Key-by-key three-way merge of the meeting's own keys and its [rules]."""
        out: dict[str, Any] = {}
        keys = list(ours) + [k for k in theirs if k not in ours] + [
            k for k in base if k not in ours and k not in theirs]
        for key in keys:
            b, o, t_ = base.get(key), ours.get(key), theirs.get(key)
            unit = key == SIGNED and not label  # the trail: one unit, like a record
            if isinstance(o, dict) and isinstance(t_, dict) and not unit:
                out[key] = self.table(f"{label}.{key}" if label else key,
                                      b if isinstance(b, dict) else {}, o, t_)
                continue
            value, clash = _three_way(b, o, t_)
            if clash and unit:
                self.conflict("meeting", key, PRESENT if b is not None else None,
                              _marker(b, o), _marker(b, t_), ("merge.said.signed", {}),
                              shown=False)
            elif clash:
                self.field_clash(label or "meeting", key, b, o, t_)
            if value is not None:
                out[key] = value
        return out

    def record(self, label: str, base: dict[str, Any], ours: dict[str, Any],
               theirs: dict[str, Any]) -> dict[str, Any]:
        """One record continued on both sides: one side's version, whole. Changed
        differently on both, ours stays and each key where they differ is a conflict."""
        merged, clash = _three_way(base, ours, theirs)
        if clash:
            keys = list(ours) + [k for k in theirs if k not in ours]
            for key in keys:
                if ours.get(key) != theirs.get(key):
                    self.field_clash(label, key, base.get(key), ours.get(key),
                                     theirs.get(key))
        return merged  # type: ignore[no-any-return]

    def removed(self, label: str, base: dict[str, Any], record: dict[str, Any], *,
                removed_by: str, used_by: list[str]) -> None:
        """A base record removed on one side that survives: the other side changed it or
        refers to it (nothing of either side is lost)."""
        users = [label.partition(" ")[2] for label in used_by]
        kept = CHANGED if record != base else "(used by " + " ".join(users) + ")"
        sides = (kept, DELETED) if removed_by == "theirs" else (DELETED, kept)
        how = ({"how_key": "merge.said.changed"} if record != base else
               {"how_key": "merge.said.used", "users": Listed(users)})
        self.conflict(label, "*", ELIDED, *sides, ("merge.said.removed", {
            **_words(label), "remover_key": f"merge.side.{removed_by}",
            "keeper_key": "merge.side.ours" if removed_by == "theirs" else "merge.side.theirs",
            **how}), shown=False)


def _show(value: Any) -> str:
    return ABSENT if value is None else toml_value(value)


def _said_value(name: str, value: Any) -> dict[str, Any]:
    """A value as a message param `name`: as written, （无） for none."""
    return {f"{name}_key": "documents.none"} if value is None else {name: _flat(value)}


def _flat(value: Any) -> Any:
    if isinstance(value, list):  # listed as the language of the message lists things
        return Listed(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _id_number(value: Any, prefix: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.startswith(prefix) and value[len(prefix):].isdigit():
        return int(value[len(prefix):])
    return 0


def _records(data: dict[str, Any], table: str) -> list[dict[str, Any]]:
    return data.get(table, [])  # type: ignore[no-any-return]  # checked by _check_records


def _identity(table: str, record: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(record.get(key) for key in KINDS.by_table[table].IDENTITY)


Used = dict[Any, list[str]]  # id → labels of the records that newly refer to it


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
        self.used: dict[str, Used] = {"ours": {}, "theirs": {}}
        self.kept: set[Any] = set()

    def decide(self, used: dict[str, Used]) -> None:
        """Which base records survive: those both sides kept, and those one side kept
        and changed, or refers to anew (`used`), while the other removed them."""
        self.used = used
        both = self.continuing["ours"] & self.continuing["theirs"]
        only = self.continuing["ours"] ^ self.continuing["theirs"]
        self.kept = both | {rid for rid in only if self.side_of(rid)[rid] != self.base[rid]
                            or rid in used[self.keeper(rid)]}

    def keeper(self, rid: Any) -> str:
        return "ours" if rid in self.continuing["ours"] else "theirs"

    def side_of(self, rid: Any) -> dict[Any, dict[str, Any]]:
        return self.sides[self.keeper(rid)]

    def new(self, side: str) -> list[Any]:
        return [rid for rid in self.sides[side] if rid not in self.continuing[side]]

    def twin(self, rid: Any) -> bool:
        """Theirs' new record `rid` is one ours added too, identically: kept once."""
        return rid in self.sides["ours"] and rid not in self.continuing["ours"] \
            and self.sides["ours"][rid] == self.sides["theirs"][rid]


def _classify(base: dict[str, Any], ours: dict[str, Any],
              theirs: dict[str, Any]) -> dict[str, _Table]:
    tables = {name: _Table(name, base, ours, theirs) for name in KINDS.tables}
    used = _new_references(tables)
    for name, table in tables.items():
        table.decide(used[name])
    return tables


def _new_references(tables: dict[str, _Table]) -> dict[str, dict[str, Used]]:
    """table → side → the ids of its records that the side refers to anew: from a
    record the side added, or from a reference the side set."""
    out: dict[str, dict[str, Used]] = {name: {"ours": {}, "theirs": {}}
                                       for name in KINDS.tables}
    pairs = [(target, source, key) for target, found in KINDS.references.items()
             for source, key in found]
    for side in ("ours", "theirs"):
        for target, source, key in pairs:
            table = tables[source]
            for rid, record in table.sides[side].items():
                value = record.get(key)
                if type(value) not in (str, int):
                    continue
                if rid in table.continuing[side] and table.base[rid].get(key) == value:
                    continue
                out[target][side].setdefault(value, []).append(f"{source} {rid}")
        corrections = tables[CORRECTION]
        for rid, record in corrections.sides[side].items():
            if rid in corrections.continuing[side] and \
                    corrections.base[rid].get("record") == record.get("record"):
                continue
            target_table, ref = _corrected(record)
            if target_table is not None:
                out[target_table][side].setdefault(ref, []).append(f"correction {rid}")
    return out


def _dependency_order() -> list[str]:
    """Tables with the tables they refer to first (items and motions before the speeches,
    votes and actions that name them; corrections, which name any record, last), so that
    a reference is renumbered before the records holding it are compared."""
    tables = KINDS.tables
    refers = {name: {target for target, pairs in KINDS.references.items()
                     for source, _ in pairs if source == name and target != name}
              for name in tables}
    refers[CORRECTION] = set(tables) - {CORRECTION}
    order: list[str] = []
    while len(order) < len(tables):
        ready = [n for n in tables if n not in order and refers[n] <= set(order)]
        order += ready or [n for n in tables if n not in order]  # a cycle: as declared
    return order


def _same_corrections(tables: dict[str, _Table], theirs: dict[str, Any]) -> None:
    """The same correction made on both sides (the same record, key, before and after,
    two laptops fixing one typo) is one correction: theirs goes, and ours keeps both
    reasons (one per line) and the earlier date."""
    corrections = tables[CORRECTION]

    def what(record: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(record.get(key) for key in ("record", "field", "before", "after"))

    ours = {what(corrections.sides["ours"][rid]): corrections.sides["ours"][rid]
            for rid in corrections.new("ours")}
    gone = []
    for rid in corrections.new("theirs"):
        record = corrections.sides["theirs"][rid]
        twin = ours.get(what(record))
        if twin is None or corrections.twin(rid):
            continue
        reasons = str(twin.get("reason", "")).split("\n")
        if record.get("reason") not in reasons and isinstance(record.get("reason"), str):
            twin["reason"] = "\n".join([*reasons, record["reason"]])
        if type(record.get("date")) is type(twin.get("date")) and record["date"] < twin["date"]:
            twin["date"] = record["date"]
        gone.append(id(record))
    if gone:
        theirs[CORRECTION] = [r for r in _records(theirs, CORRECTION) if id(r) not in gone]


def _renumber(tables: dict[str, _Table], sides: dict[str, dict[str, Any]],
              ) -> list[Renumbered]:
    """Give new records fresh ids where they would share one with another record in the
    merge: ours' new record that took the id of a base record that survives on theirs,
    theirs' new record that took any id in use (unless ours added the very same record).
    Changes the sides' records in place, references included."""
    renumbered = []
    for name in _dependency_order():
        table = tables[name]
        prefix = KINDS.by_table[name].PREFIX
        taken = {_id_number(rid, prefix) for records in (table.base, *table.sides.values())
                 for rid in records}
        used = set(table.kept)
        for side in ("ours", "theirs"):
            mapping: dict[Any, Any] = {}
            for rid in table.new(side):
                if side == "theirs" and table.twin(rid):
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

    fresh: dict[str, set[Any]] = {}

    def means_new(source: _Table, record: dict[str, Any], key: str) -> bool:
        # a record the side added, or one whose reference the side set: it means the
        # side's new record, not the base record that had the id before
        added = fresh.setdefault(source.table, set(source.new(side)))
        base_record = source.base.get(record["id"])
        return record["id"] in added or base_record is None \
            or base_record.get(key) != record.get(key)

    for ref_table, key in KINDS.references.get(name, []):
        source = tables[ref_table]
        for record in _records(data, ref_table):
            value = record.get(key)
            if type(value) in (str, int) and value in mapping and means_new(source, record,
                                                                             key):
                record[key] = mapping[value]
    source = tables[CORRECTION]
    for record in _records(data, CORRECTION):
        target, ref = _corrected(record)
        if target != name or ref not in mapping or not means_new(source, record, "record"):
            continue
        record["record"] = f"{name} {mapping[ref]}"
        if record.get("field") is None:  # a whole record, struck or added: its id too
            for key in ("before", "after"):
                if isinstance(record.get(key), str):
                    record[key] = _renumbered_body(record[key], ref, mapping[ref])


def _renumbered_body(body: str, old: Any, new: Any) -> str:
    """A whole record as a correction keeps it (TOML lines, `id` first) with a new id."""
    first, newline, rest = body.partition("\n")
    if first == f"id = {toml_value(old)}":
        return f"id = {toml_value(new)}{newline}{rest}"
    return body


def merge(base_bytes: bytes, ours_bytes: bytes, theirs_bytes: bytes, *,
          roster: set[str] | None = None) -> MergeResult:
    """Merge three versions of a meeting file (base may be empty: added on both sides),
    and check the result as `check` does (`roster`: the names on the council's roster,
    for the owners of actions; None leaves that one check out). Raises Unmergeable when
    the merge cannot be done faithfully."""
    base = _parse(base_bytes, "base", canonical=False)
    ours = copy.deepcopy(_parse(ours_bytes, "ours", canonical=True))
    theirs = copy.deepcopy(_parse(theirs_bytes, "theirs", canonical=True))
    _same_corrections(_classify(base, ours, theirs), theirs)
    tables = _classify(base, ours, theirs)
    renumbered = _renumber(tables, {"ours": ours, "theirs": theirs})
    # ids changed: classify again (the renumbered records are new either way)
    tables = _classify(base, ours, theirs)
    work = _Merge()
    merged = work.table("", _plain(base), _plain(ours), _plain(theirs))
    for name in KINDS.tables:
        if name == CONFLICT:
            continue
        records = _merge_records(work, tables[name])
        if records:
            merged[name] = records
    _voted_on_both_sides(work, tables[Vote.TABLE])
    # conflicts already in either file stay; the new ones follow with fresh ids
    kept = _merge_records(work, tables[CONFLICT])
    carried = len(kept)
    if kept:
        merged[CONFLICT] = kept
    _validate(work, merged, tables, {"base": base, "ours": ours, "theirs": theirs}, roster)
    number = max((_id_number(c.get("id"), Conflict.PREFIX) for c in kept), default=0)
    for entry in work.conflicts:
        number += 1
        kept.append({"id": f"{Conflict.PREFIX}{number}", **entry})
    if kept:
        merged[CONFLICT] = kept
    text = dump_data(merged, council=False)
    if tomllib.loads(text) != merged:  # the writer could not say it as it is
        raise Unmergeable("merge.why.not_faithful")
    return MergeResult(merged, len(work.conflicts), renumbered, work.said, carried)


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """The file without its record tables: top-level keys, [rules] and [signed]."""
    return {k: v for k, v in data.items() if k not in KINDS.by_table}


def _merge_records(work: _Merge, table: _Table) -> list[dict[str, Any]]:
    name = table.table
    ours, theirs = table.sides["ours"], table.sides["theirs"]
    out = []
    for rid, mine in ours.items():
        label = f"{name} {rid}"
        if rid not in table.continuing["ours"]:
            out.append(mine)  # new on our side
        elif rid in table.continuing["theirs"]:
            out.append(work.record(label, table.base[rid], mine, theirs[rid]))
        elif rid in table.kept:
            work.removed(label, table.base[rid], mine, removed_by="theirs",
                         used_by=table.used["ours"].get(rid, []))
            out.append(mine)
    for rid, record in theirs.items():
        label = f"{name} {rid}"
        if rid not in table.continuing["theirs"]:
            if not table.twin(rid):
                out.append(record)
        elif rid not in table.continuing["ours"] and rid in table.kept:
            work.removed(label, table.base[rid], record, removed_by="ours",
                         used_by=table.used["theirs"].get(rid, []))
            out.append(record)
    return out


def _voted_on_both_sides(work: _Merge, votes: _Table) -> None:
    """A motion each side voted on (new votes, not the very same one): two shows of hands
    nobody took together, both kept, and a conflict."""
    def new_votes(side: str) -> dict[Any, list[str]]:
        found: dict[Any, list[str]] = {}
        for rid in votes.new(side):
            if side == "theirs" and votes.twin(rid):
                continue
            found.setdefault(votes.sides[side][rid].get("motion"), []).append(str(rid))
        return found

    ours, theirs = new_votes("ours"), new_votes("theirs")
    for motion, mine in ours.items():
        if motion in theirs:
            label = f"motion {motion}"
            work.conflict(label, "vote", None, " ".join(mine), " ".join(theirs[motion]), (
                "merge.said.voted_twice", {**_words(label), "ours": " ".join(mine),
                                           "theirs": " ".join(theirs[motion])}))


# --- the merged meeting, checked as `check` checks a file -----------------------------------

def _validate(work: _Merge, merged: dict[str, Any], tables: dict[str, _Table],
              sides: dict[str, dict[str, Any]], roster: set[str] | None) -> None:
    """Every problem `check` finds in the merged meeting (not a note, not a conflict
    already recorded) as a [[conflict]]: the record, each side's state of it, and what
    `check` says."""
    from ..meeting import check
    from ..record import fileformat

    data = tomllib.loads(dump_data(merged, council=False))
    meeting, problems = fileformat.meeting_from_data(data, "")
    if meeting is not None:
        problems = (check.check_meeting(meeting, "", roster) if roster is not None else
                    [p for validator in check.VALIDATORS for p in validator(meeting, "")])
    known = {(c.get("record"), c.get("problem")) for c in _records(merged, CONFLICT)}
    for problem in problems:
        if problem.warning or problem.key.startswith(("check.merge_conflict",
                                                       "check.merge_problem")):
            continue  # a note; a conflict the file holds already
        said = _problem_text(problem)
        if problem.record is not None:
            table, rid = problem.record
            label, key = f"{table} {rid}", "*"
            states = [_state(tables, table, rid, side) for side in SIDES]
        else:
            label = "meeting"
            key = problem.where.split(".")[0].split("[")[0] or "*"
            if key in _plain(sides["ours"]) or key in _plain(sides["theirs"]):
                states = [_show(sides[side].get(key)) for side in SIDES]
            else:
                key, states = problem.where or "*", [ELIDED] * 3
        if (label, said) in known:
            continue
        known.add((label, said))
        entry = {"record": label, "field": key, "base": states[0], "ours": states[1],
                 "theirs": states[2], "problem": said}
        work.conflicts.append(entry)
        work.said.append(("merge.said.problem", {"problem": said}))


def _problem_text(problem: Any) -> str:
    """What `check` says, as it says it, without the file's name."""
    if problem.record is not None and not problem.names_record:
        table, rid = problem.record
        return t("check.record", what_key=f"table.{table}", id=rid,
                 message=problem.message())
    if problem.where:
        return f"{problem.where}: {problem.message()}"
    return problem.message()  # type: ignore[no-any-return]


def _state(tables: dict[str, _Table], table: str, rid: str, side: str) -> str:
    """A record on one side, in a word: absent, added, changed or as in the base."""
    known = tables.get(table)
    if known is None:
        return ELIDED
    base = next((r for key, r in known.base.items() if str(key) == rid), None)
    if side == "base":
        return PRESENT if base is not None else ABSENT
    record = next((r for key, r in known.sides[side].items() if str(key) == rid), None)
    if record is None:
        return ABSENT
    if base is None:
        return ADDED
    return UNCHANGED if record == base else CHANGED


def merged_text(result: MergeResult) -> str:
    return dump_data(result.data, council=False)
