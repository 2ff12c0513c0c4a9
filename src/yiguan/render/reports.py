"""Ledgers across meetings: resolutions (决议台账), actions, attendance — as records, then
as a table, Markdown, CSV or JSON.

Records are plain dicts with stable English keys (documented in docs/exports.md) so that
scripts and spreadsheets can rely on them; the table and Markdown forms put the
catalogue's column names over the same records. Pure: entries in, text out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..messages import t
from .table import text_table

Record = dict[str, Any]
Entries = list[tuple[str, Any]]  # (council label, index.Entry)


def _qualified(council: str, meeting_id: str, local: str, multi: bool) -> str:
    return f"{council}/{meeting_id}/{local}" if multi else f"{meeting_id}/{local}"


def _in_range(date: str, since: dt.date | None, until: dt.date | None) -> bool:
    if since is None and until is None:
        return True
    day = dt.date.fromisoformat(date)
    return (since is None or day >= since) and (until is None or day <= until)


def ledger_records(entries: Entries, *, since: dt.date | None = None,
                   until: dt.date | None = None, multi: bool = False) -> list[Record]:
    """Every adopted resolution, oldest first, with the actions that carry it out."""
    out = []
    for council, entry in entries:
        summary = entry.summary
        if summary is None or not _in_range(summary["date"], since, until):
            continue
        actions = {a["id"]: a for a in summary["actions"]}
        for resolution in summary["resolutions"]:
            out.append({
                "council": council,
                "id": _qualified(council, summary["id"], resolution["id"], multi),
                "meeting": summary["id"],
                "date": summary["date"],
                "title": summary["title"],
                "resolution": resolution["id"],
                "motion": resolution["motion"],
                "text": resolution["text"],
                "yes": resolution["yes"],
                "no": resolution["no"],
                "abstain": resolution["abstain"],
                "rule": resolution["rule"],
                "actions": [
                    {"id": _qualified(council, summary["id"], a, multi),
                     "text": actions[a]["text"], "owner": actions[a]["owner"],
                     "due": actions[a]["due"], "done": actions[a]["done"]}
                    for a in resolution["actions"] if a in actions
                ],
            })
    return out


def action_records(entries: Entries, *, today: dt.date, open_only: bool = False,
                   owner: str | None = None, overdue: bool = False,
                   multi: bool = False) -> list[Record]:
    """Actions across meetings; `overdue` means not done and due before `today`."""
    out = []
    for council, entry in entries:
        summary = entry.summary
        if summary is None:
            continue
        for action in summary["actions"]:
            late = (not action["done"] and action["due"] is not None
                    and dt.date.fromisoformat(action["due"]) < today)
            if open_only and action["done"]:
                continue
            if overdue and not late:
                continue
            if owner is not None and action["owner"] != owner:
                continue
            out.append({
                "council": council,
                "id": _qualified(council, summary["id"], action["id"], multi),
                "meeting": summary["id"],
                "date": summary["date"],
                "title": summary["title"],
                "text": action["text"],
                "owner": action["owner"],
                "due": action["due"],
                "done": action["done"],
                "overdue": late,
                "note": action["note"],
                "motion": action["motion"],
            })
    return out


def attendance_records(entries: Entries, rosters: dict[str, list[str]], *,
                       since: dt.date | None = None) -> list[Record]:
    """Per member: meetings attended of meetings held while on the roster.

    A meeting is held once it opened; a member counts for the meetings whose roster
    snapshot names them, so nobody is marked absent from meetings before they joined.
    Members are listed in the council's current roster order, then former members.
    """
    out = []
    councils = list(dict.fromkeys(council for council, _ in entries)) or list(rosters)
    for council in councils:
        held: dict[str, int] = {}
        attended: dict[str, int] = {}
        last: dict[str, str] = {}
        for label, entry in entries:
            summary = entry.summary
            if label != council or summary is None or summary["status"] == "planned":
                continue
            if since is not None and dt.date.fromisoformat(summary["date"]) < since:
                continue
            present = set(summary["attended"])
            for name in summary["members"]:
                held[name] = held.get(name, 0) + 1
                if name in present:
                    attended[name] = attended.get(name, 0) + 1
                    last[name] = max(last.get(name, ""), summary["date"])
        roster = rosters.get(council, [])
        names = [n for n in roster] + sorted(n for n in held if n not in roster)
        for name in names:
            count = held.get(name, 0)
            came = attended.get(name, 0)
            out.append({
                "council": council,
                "name": name,
                "held": count,
                "attended": came,
                "rate": round(came / count, 4) if count else None,
                "last_attended": last.get(name),
            })
    return out


# --- formats ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    header: str  # catalogue key
    show: Callable[[Record], str]


def _counts(r: Record) -> str:
    return f"{r['yes']}/{r['no']}/{r['abstain']}"


def _linked_actions(r: Record) -> str:
    return "\n".join(
        f"{a['id'].rsplit('/', 1)[-1]} {a['owner']} "
        + (t("action.done") if a["done"] else (a["due"] or "-"))
        for a in r["actions"]) or "-"


def _action_state(r: Record) -> str:
    if r["done"]:
        return t("action.done")
    return t("action.overdue") if r["overdue"] else t("action.open")


def _rate(r: Record) -> str:
    return "-" if r["rate"] is None else f"{r['rate'] * 100:.0f}%"


# The meeting's title is in CSV and JSON; on screen the id (which holds the date) leaves
# the width to the resolution itself.
LEDGER_COLUMNS = [
    Column("id", "col.id", lambda r: r["id"]),
    Column("text", "col.resolution_text", lambda r: r["text"]),
    Column("votes", "col.counts", _counts),
    Column("actions", "col.follow_up", _linked_actions),
]
ACTION_COLUMNS = [
    Column("id", "col.id", lambda r: r["id"]),
    Column("text", "col.action", lambda r: r["text"]),
    Column("owner", "col.owner", lambda r: r["owner"]),
    Column("due", "col.due", lambda r: r["due"] or "-"),
    Column("state", "col.status", _action_state),
]
ATTENDANCE_COLUMNS = [
    Column("name", "col.name", lambda r: r["name"]),
    Column("attended", "col.attended_of_held", lambda r: f"{r['attended']}/{r['held']}"),
    Column("rate", "col.rate", _rate),
    Column("last", "col.last_attended", lambda r: r["last_attended"] or "-"),
]
COUNCIL_COLUMN = Column("council", "col.council", lambda r: r["council"])

# The CSV columns: the record's own scalar keys, in this order (docs/exports.md).
CSV_KEYS = {
    "ledger": ["council", "id", "meeting", "date", "title", "resolution", "motion", "text",
               "yes", "no", "abstain", "rule", "actions"],
    "actions": ["council", "id", "meeting", "date", "title", "text", "owner", "due", "done",
                "overdue", "note", "motion"],
    "attendance": ["council", "name", "held", "attended", "rate", "last_attended"],
}


def render(kind: str, records: list[Record], fmt: str, *, multi: bool = False,
           width: int | None = 100) -> str:
    """`records` of a report kind (ledger, actions, attendance) in a format; a table's
    long cells fold within `width` columns (None: they do not fold)."""
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(kind, records)
    columns = {"ledger": LEDGER_COLUMNS, "actions": ACTION_COLUMNS,
               "attendance": ATTENDANCE_COLUMNS}[kind]
    if multi and kind == "attendance":
        columns = [COUNCIL_COLUMN, *columns]
    headers = [t(c.header) for c in columns]
    rows = [[c.show(r) for c in columns] for r in records]
    if fmt == "md":
        return _markdown(headers, rows)
    return text_table(headers, rows, max_width=width)


def _csv(kind: str, records: list[Record]) -> str:
    """UTF-8 with a byte-order mark, so Excel and WPS open the Chinese intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    keys = CSV_KEYS[kind]
    writer.writerow(keys)
    for record in records:
        row = []
        for key in keys:
            value = record[key]
            if key == "actions":
                value = "; ".join(f"{a['id']} {a['owner']} {'done' if a['done'] else 'open'}"
                                  for a in value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            elif value is None:
                value = ""
            row.append(value)
        writer.writerow(row)
    return "\ufeff" + buffer.getvalue()


def _markdown(headers: list[str], rows: list[list[str]]) -> str:
    from .markdown import escape_cell

    lines = ["| " + " | ".join(escape_cell(h) for h in headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(escape_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
