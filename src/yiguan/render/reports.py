"""Ledgers across meetings: resolutions (决议台账), actions, attendance — as a table,
Markdown, CSV or JSON.

Every report has stable English keys in a fixed order (`KEYS`, documented in
docs/exports.md), and a row is a tuple of its values in that order: a street office's
ledger has tens of thousands of rows, and none is built as a dict. The index keeps each
meeting's resolutions and actions as plain tuples; the rows take the council's name and
the ids' prefix at output. JSON and CSV are written meeting by meeting, one record per
line, each value encoded in C (the json module's string encoder; a CSV cell needs
quoting only now and then). CSV is for people: its headers and values are in the
interface language (`CsvWords`); the table and Markdown put the catalogue's column names
over a few of the values. `records` gives the same reports as dicts, as the JSON says them;
tests hold every format to it. Pure: entries in, text out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring  # the C encoder of a JSON string
from typing import Any, NamedTuple, Protocol

from ..text.messages import current_language, t
from .table import text_table

Entries = list[tuple[str, Any]]  # (council label, index.Entry)


class LinkedAction(NamedTuple):
    """An action carrying out a resolution, in the ledger's `actions`."""

    id: str
    text: str
    owner: str
    due: str | None
    done: bool


class LedgerRow(NamedTuple):
    """One adopted resolution (`ledger`)."""

    council: str
    id: str
    meeting: str
    date: str
    title: str
    resolution: str
    motion: str
    text: str
    yes: int
    no: int
    abstain: int
    rule: str
    actions: tuple[LinkedAction, ...]
    # issue 23 added residents' latest evaluation (居民评议), after the older keys; null
    # while there is none
    evaluated: str | None
    evaluated_how: str | None
    satisfied: int | None
    basic: int | None
    unsatisfied: int | None
    satisfaction: float | None


class MotionRow(NamedTuple):
    """One motion, whatever became of it (`ledger --all`)."""

    council: str
    id: str
    meeting: str
    date: str
    title: str
    motion: str
    item: int | None
    item_title: str | None
    topic: str | None
    text: str
    status: str
    resolution: str | None
    yes: int | None
    no: int | None
    abstain: int | None


class ActionRow(NamedTuple):
    """One action (`actions`)."""

    council: str
    id: str
    meeting: str
    date: str
    title: str
    text: str
    owner: str
    due: str | None
    done: bool
    overdue: bool
    note: str | None
    motion: str | None


class AttendanceRow(NamedTuple):
    """One member's attendance (`attendance`)."""

    council: str
    name: str
    held: int
    attended: int
    rate: float | None
    last_attended: str | None
    # issue 18 added the last four: after the older keys, so that a script or a
    # spreadsheet that reads the older ones by position still finds them there
    excused: int
    absent: int
    late: int
    left_early: int


Row = LedgerRow | ActionRow | AttendanceRow | MotionRow


class Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


# the JSON's keys (and the CSV's columns), in order: the rows' fields
KEYS: dict[str, tuple[str, ...]] = {"ledger": LedgerRow._fields, "actions": ActionRow._fields,
                                    "attendance": AttendanceRow._fields,
                                    "motions": MotionRow._fields}
# the ledger's columns of residents' evaluation: in CSV and the table only when a row has one
EVALUATION_KEYS = LedgerRow._fields[LedgerRow._fields.index("evaluated"):]
_LEDGER_PLAIN = LedgerRow._fields[:LedgerRow._fields.index("evaluated")]
# the ledger's "actions": the actions linked to the resolution's motion
LINKED_ACTION_KEYS = LinkedAction._fields
CHUNK = 2000  # lines written at a time


# --- values in JSON and CSV -------------------------------------------------------------

def _json_value(value: Any) -> str:
    """`value` as json.dumps(value, ensure_ascii=False) writes it; strings, numbers,
    booleans and null without its per-call set-up (a ledger has ~300,000 values)."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    import json

    return json.dumps(value, ensure_ascii=False)


def csv_cell(value: Any) -> str:
    """One CSV cell as the csv module writes it (quoted only where needed), after the
    guard against formula injection: text that Excel or WPS would read as a formula
    (starting with = + - @, a tab or a carriage return) gets a leading apostrophe, which
    the spreadsheet shows as text (OWASP's advice; docs/exports.md)."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    text = value if type(value) is str else str(value)
    if text and text[0] in "=+-@\t\r" and type(value) is str:
        text = "'" + text
    if '"' in text or "," in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


# --- selecting ---------------------------------------------------------------------------

class Query:
    """What a report asks of the entries: the date range, the action filters, and
    whether ids carry the council's name (several `--dir`)."""

    def __init__(self, *, since: dt.date | None = None, until: dt.date | None = None,
                 today: dt.date | None = None, open_only: bool = False,
                 owner: str | None = None, overdue: bool = False, multi: bool = False,
                 ) -> None:
        # ISO dates compare as text
        self.since = since.isoformat() if since else ""
        self.until = until.isoformat() if until else "9999-12-31"
        self.today = (today or dt.date.today()).isoformat()
        self.open_only = open_only
        self.owner = owner
        self.overdue = overdue
        self.multi = multi

    def prefix(self, council: str, meeting_id: str) -> str:
        """What goes before a local id: `2022-03-08/`, or with several councils
        `幸福里社区居民议事会/2022-03-08/`."""
        return f"{council}/{meeting_id}/" if self.multi else f"{meeting_id}/"

    def meetings(self, entries: Entries, *, dated: bool) -> Iterator[tuple[str, dict[str, Any]]]:
        for council, entry in entries:
            summary = entry.summary
            if summary is not None and (not dated or self.since <= summary["date"] <= self.until):
                yield council, summary

    def late(self, due: str | None, done: bool) -> bool:
        """Not done, and due before the day of the question."""
        return not done and due is not None and due < self.today

    def keeps(self, owner: str, due: str | None, done: bool) -> bool:
        return not ((self.open_only and done) or (self.overdue and not self.late(due, done))
                    or (self.owner is not None and owner != self.owner))


_new = tuple.__new__  # (cls, iterable): a NamedTuple row without its Python __new__


def ledger_rows(entries: Entries, query: Query) -> list[LedgerRow]:
    """Every adopted resolution, oldest first: (council, id, meeting, date, title,
    resolution, motion, text, yes, no, abstain, rule, linked actions)."""
    return [row for council, summary in query.meetings(entries, dated=True)
            for row in _ledger_of(council, summary, query)]


def _ledger_of(council: str, summary: dict[str, Any], query: Query) -> list[LedgerRow]:
    meeting, date, title = summary["id"], summary["date"], summary["title"]
    prefix = query.prefix(council, meeting)
    # each part as index.LedgerPart (plain tuples in the index: marshal stores no classes).
    # The rows are made by tuple.__new__, in C: a NamedTuple's own __new__ is Python code,
    # and a year's ledger makes thousands of rows and linked actions.
    return [_new(LedgerRow, (council, prefix + number, meeting, date, title, number, motion,
                             text, yes, no, abstain, rule,
                             tuple([_new(LinkedAction, (prefix + action[0], *action[1:]))
                                    for action in actions]),
                             *_evaluation(evaluation)))
            for number, motion, text, yes, no, abstain, rule, actions, evaluation
            in summary["ledger"]]


_NO_EVALUATION = (None,) * 6


def _evaluation(part: tuple[Any, ...] | None) -> tuple[Any, ...]:
    """index.EvaluationPart → the ledger's evaluation values, with the 满意率 (满意 ÷
    everyone asked, as the documents state it) as a fraction to four places, in whole
    numbers."""
    if part is None:
        return _NO_EVALUATION
    date, how, satisfied, basic, unsatisfied = part
    total = satisfied + basic + unsatisfied
    rate = (2 * 10000 * satisfied + total) // (2 * total) / 10000 if total else None
    return date, how, satisfied, basic, unsatisfied, rate


def has_evaluation(entries: Entries, query: Query) -> bool:
    """Whether any resolution the ledger lists has been evaluated by residents."""
    return any(part[8] is not None for _, summary in query.meetings(entries, dated=True)
               for part in summary["ledger"])


def motion_rows(entries: Entries, query: Query) -> list[MotionRow]:
    """Every motion of every meeting (`ledger --all`), oldest meeting first, in the order
    moved, with its status (adopted, rejected, postponed, withdrawn, reconsidering,
    pending)."""
    return [row for council, summary in query.meetings(entries, dated=True)
            for row in _motions_of(council, summary, query)]


def _motions_of(council: str, summary: dict[str, Any], query: Query) -> list[MotionRow]:
    meeting, date, title = summary["id"], summary["date"], summary["title"]
    prefix = query.prefix(council, meeting)
    # each part as index.MotionPart
    return [_new(MotionRow, (council, prefix + part[0], meeting, date, title, *part))
            for part in summary["motions"]]


def action_rows(entries: Entries, query: Query) -> list[ActionRow]:
    """Actions across meetings, in KEYS["actions"] order."""
    return [row for council, summary in query.meetings(entries, dated=False)
            for row in _actions_of(council, summary, query)]


def _actions_of(council: str, summary: dict[str, Any], query: Query) -> list[ActionRow]:
    meeting, date, title = summary["id"], summary["date"], summary["title"]
    prefix = query.prefix(council, meeting)
    late = query.late
    # each part as index.ActionPart
    return [_new(ActionRow, (council, prefix + local, meeting, date, title, text, owner, due,
                             done, late(due, done), note, motion))
            for local, text, owner, due, done, note, motion in summary["actions"]
            if query.keeps(owner, due, done)]


def attendance_rows(entries: Entries, rosters: dict[str, list[str]], query: Query,
                    ) -> list[AttendanceRow]:
    """Per member, over the meetings held while on the roster (应出席): how many they
    attended (出席), were excused from (请假) or missed without leave (缺席) — the three
    add up to the meetings held — how often they came late (迟到) or left early (早退),
    the rate and the last meeting attended.

    A meeting is held once it opened; a member counts for the meetings whose roster
    snapshot names them, so nobody is marked absent from meetings before they joined.
    Members are listed in the council's current roster order, then former members.
    """
    out = []
    councils = list(dict.fromkeys(council for council, _ in entries)) or list(rosters)
    for council in councils:
        held: Counter[str] = Counter()
        attended: Counter[str] = Counter()
        excused: Counter[str] = Counter()
        late: Counter[str] = Counter()
        left: Counter[str] = Counter()
        last: dict[str, str] = {}
        newest = ""
        for label, summary in query.meetings(entries, dated=True):
            if label != council or summary["status"] == "planned":
                continue
            # each a tuple of names of the roster snapshot (index.AttendancePart)
            members, came, away, came_late, went = summary["attendance"]
            held.update(members)
            attended.update(came)
            if away:  # most meetings have nobody excused, late or leaving early
                excused.update(away)
            if came_late:
                late.update(came_late)
            if went:
                left.update(went)
            date = summary["date"]
            if date >= newest:  # a folder's meetings come oldest first: nearly always
                newest = date
                last.update(dict.fromkeys(came, date))
            else:  # two folders of one council's name
                last.update({n: date for n in came if last.get(n, "") < date})
        roster = rosters.get(council, [])
        names = [n for n in roster] + sorted(n for n in held if n not in roster)
        for name in names:
            count, times, leave = held[name], attended[name], excused[name]
            # The rate is 出席 ÷ 应出席 (实到/应到), and 请假 lowers it: an excused member
            # was expected and was not there. That is how a meeting's own minutes state
            # its rate (render/facts.Attendance.rate) and how councils commonly report
            # attendance; the 请假 column beside it says why a rate is low. A rate that
            # left the excused out would show a member excused from every meeting as a
            # full attender, and would disagree with the minutes it sums.
            out.append(AttendanceRow(
                council, name, count, times, round(times / count, 4) if count else None,
                last.get(name), leave, count - times - leave, late[name], left[name]))
    return out


def records(kind: str, rows: list[Any]) -> list[dict[str, Any]]:
    """The rows as the JSON's records: dicts under KEYS (the ledger's actions too)."""
    out = []
    for row in rows:
        record = row._asdict()
        if kind == "ledger":
            record["actions"] = [a._asdict() for a in row.actions]
        out.append(record)
    return out


# --- JSON and CSV -----------------------------------------------------------------------

def _meeting_rows(kind: str, entries: Entries, query: Query) -> Iterator[list[Any]]:
    """The report's rows, a meeting at a time (never all of them at once)."""
    rows_of: Callable[[str, dict[str, Any], Query], list[Any]] = {
        "ledger": _ledger_of, "motions": _motions_of}.get(kind, _actions_of)
    for council, summary in query.meetings(entries, dated=kind != "actions"):
        yield rows_of(council, summary, query)


def _json_or_null(text: str | None) -> str:
    return "null" if text is None else encode_basestring(text)


def _json_ledger(r: LedgerRow) -> str:
    """One ledger record as JSON: what json.dumps(record) gives (tests hold it to that),
    written field by field, each string by the C encoder."""
    e = encode_basestring
    linked = ", ".join(
        f'{{"id": {e(a.id)}, "text": {e(a.text)}, "owner": {e(a.owner)}, '
        f'"due": {_json_or_null(a.due)}, "done": {"true" if a.done else "false"}}}'
        for a in r.actions)
    return (f'{{"council": {e(r.council)}, "id": {e(r.id)}, "meeting": {e(r.meeting)}, '
            f'"date": {e(r.date)}, "title": {e(r.title)}, "resolution": {e(r.resolution)}, '
            f'"motion": {e(r.motion)}, "text": {e(r.text)}, "yes": {r.yes}, "no": {r.no}, '
            f'"abstain": {r.abstain}, "rule": {e(r.rule)}, "actions": [{linked}], '
            f'"evaluated": {_json_or_null(r.evaluated)}, '
            f'"evaluated_how": {_json_or_null(r.evaluated_how)}, '
            f'"satisfied": {_json_value(r.satisfied)}, "basic": {_json_value(r.basic)}, '
            f'"unsatisfied": {_json_value(r.unsatisfied)}, '
            f'"satisfaction": {_json_value(r.satisfaction)}}}')


def _json_action(r: ActionRow) -> str:
    """One action record as JSON, like `_json_ledger`."""
    e = encode_basestring
    return (f'{{"council": {e(r.council)}, "id": {e(r.id)}, "meeting": {e(r.meeting)}, '
            f'"date": {e(r.date)}, "title": {e(r.title)}, "text": {e(r.text)}, '
            f'"owner": {e(r.owner)}, "due": {_json_or_null(r.due)}, '
            f'"done": {"true" if r.done else "false"}, '
            f'"overdue": {"true" if r.overdue else "false"}, "note": {_json_or_null(r.note)}, '
            f'"motion": {_json_or_null(r.motion)}}}')


def _json_any(kind: str) -> Callable[[Any], str]:
    names = [f'"{key}": ' for key in KEYS[kind]]

    def line(r: Any) -> str:
        return "{" + ", ".join(map(str.__add__, names, map(_json_value, r))) + "}"

    return line


def json_lines(kind: str, entries: Entries, query: Query,
               rows: list[Any] | None = None) -> Iterator[str]:
    """The report as a JSON array, one record per line (docs/exports.md). The ledger and
    the actions are read from `entries` a meeting at a time; attendance takes `rows`."""
    writers: dict[str, Callable[[Any], str]] = {"ledger": _json_ledger,
                                                "actions": _json_action}
    line = writers.get(kind) or _json_any(kind)
    first = True
    for batch in _meeting_rows(kind, entries, query) if rows is None else [rows]:
        if batch:
            yield ("[\n  " if first else ",\n  ") + ",\n  ".join(map(line, batch))
            first = False
    yield "[]\n" if first else "\n]\n"


_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet reads as a formula


def _csv_line(cells: tuple[str, ...]) -> str:
    """`cells` (the row's values as text) as a CSV line: joined as they are when nothing
    needs quoting or guarding — nearly always — else cell by cell (`csv_cell`). With as
    many commas as separators, `,=` can only be a cell that starts with `=`."""
    line = ",".join(cells)
    if (line.count(",") == len(cells) - 1 and '"' not in line and "\n" not in line
            and "\r" not in line and line[:1] not in _FORMULA and ",=" not in line
            and ",+" not in line and ",-" not in line and ",@" not in line
            and ",\t" not in line):
        return line
    return ",".join(map(csv_cell, cells))


def csv_rate(rate: float | None) -> str:
    """0.8333 → 83.33%, 1.0 → 100%: a percentage Excel and WPS read as a number."""
    if rate is None:
        return ""
    return f"{rate * 100:.2f}".rstrip("0").rstrip(".") + "%"


class CsvWords:
    """The words of a CSV export in one language, each looked up once per export (a
    ledger has tens of thousands of rows and a handful of distinct rules)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.yes, self.no = t("csv.yes", lang=lang), t("csv.no", lang=lang)
        self.done, self.open = t("action.done", lang=lang), t("action.open", lang=lang)
        self.separator = t("csv.separator", lang=lang)
        self._rules: dict[str, str] = {}

    def header(self, kind: str, evaluation: bool = True) -> str:
        keys = KEYS[kind] if evaluation or kind != "ledger" else _LEDGER_PLAIN
        return ",".join(csv_cell(t(f"csv.{kind}.{key}", lang=self.lang)) for key in keys)

    def rule(self, code: str) -> str:
        """`>1/2 present` in words, as the minutes say it; a rule that no longer parses
        (a hand-edited file `check` would flag) stays as it was written."""
        words = self._rules.get(code)
        if words is None:
            from ..rules.engine import parse_threshold
            from ..rules.words import rule_words
            from ..text.errors import YiguanError

            try:
                words = rule_words(parse_threshold(code), self.lang)
            except YiguanError:
                words = code
            self._rules[code] = words
        return words

    def linked(self, actions: tuple[LinkedAction, ...]) -> str:
        """The ledger's linked actions in one cell: `2022-03-08/A1 刘晓菊 未完成；…`."""
        done, opened = self.done, self.open
        return self.separator.join(f"{a.id} {a.owner} {done if a.done else opened}"
                                   for a in actions)

    def line(self, kind: str, evaluation: bool = True) -> Callable[[Any], str]:
        """How one row of `kind` becomes a CSV line (a ledger's with its evaluation
        columns or without)."""
        yes, no, rule = self.yes, self.no, self.rule
        if kind == "ledger":
            linked = self.linked

            def ledger(r: LedgerRow) -> str:
                return _csv_line((*r[:8], str(r.yes), str(r.no), str(r.abstain), rule(r.rule),
                                  linked(r.actions)))

            if not evaluation:
                return ledger
            how = {way: t(f"evaluation.how.{way}", lang=self.lang)
                   for way in ("visit", "survey", "meeting")}

            def evaluated(r: LedgerRow) -> str:
                cells = ("",) * 6 if r.satisfied is None else (
                    r.evaluated or "", how.get(r.evaluated_how or "", ""), str(r.satisfied),
                    str(r.basic), str(r.unsatisfied), csv_rate(r.satisfaction))
                return ledger(r) + "," + ",".join(map(csv_cell, cells))

            return evaluated
        if kind == "motions":
            def motion(r: MotionRow) -> str:
                return _csv_line((*r[:6], "" if r.item is None else str(r.item),
                                  r.item_title or "", r.topic or "", r.text,
                                  t(f"status.{r.status}", lang=self.lang), r.resolution or "",
                                  *("" if n is None else str(n) for n in (r.yes, r.no,
                                                                          r.abstain))))

            return motion
        if kind == "actions":
            def action(r: ActionRow) -> str:
                return _csv_line((*r[:7], r.due or "", yes if r.done else no,
                                  yes if r.overdue else no, r.note or "", r.motion or ""))

            return action

        def attendance(r: AttendanceRow) -> str:
            return _csv_line((r.council, r.name, str(r.held), str(r.attended), csv_rate(r.rate),
                              r.last_attended or "", str(r.excused), str(r.absent),
                              str(r.late), str(r.left_early)))

        return attendance


def csv_lines(kind: str, entries: Entries, query: Query,
              rows: list[Any] | None = None, lang: str | None = None) -> Iterator[str]:
    """The report as CSV for people (docs/exports.md): UTF-8 with a byte-order mark (so
    Excel and WPS open the Chinese intact), CR LF line ends, headers and values in the
    interface language (是/否, a rule in words, 83.33%). The keys and codes for programs
    are the JSON's."""
    words = CsvWords(lang or current_language())
    evaluation = kind == "ledger" and rows is None and has_evaluation(entries, query)
    yield "\ufeff" + words.header(kind, evaluation) + "\r\n"
    line = words.line(kind, evaluation)
    for batch in _meeting_rows(kind, entries, query) if rows is None else [rows]:
        if batch:
            yield "\r\n".join(map(line, batch)) + "\r\n"


# --- the table and Markdown -----------------------------------------------------------------

def _evaluation_cell(r: LedgerRow) -> str:
    """满意/基本满意/不满意 and the 满意率: `30/5/2 94.6%`; `-` before any evaluation."""
    if r.satisfied is None or r.basic is None or r.unsatisfied is None:
        return "-"
    from ..rules.words import satisfaction_rate

    return (f"{r.satisfied}/{r.basic}/{r.unsatisfied} "
            f"{satisfaction_rate(r.satisfied, r.basic, r.unsatisfied)}%")


def _columns(kind: str, multi: bool, evaluation: bool = False, topics: bool = False,
             ) -> list[tuple[str, Callable[[Any], str]]]:
    """(catalogue key of the header, cell) per column. The meeting's title is in CSV and
    JSON; on screen the id (which holds the date) leaves the width to the text."""
    done, opened, overdue = t("action.done"), t("action.open"), t("action.overdue")
    if kind == "ledger":
        def linked(r: LedgerRow) -> str:
            return "\n".join(f"{a.id.rsplit('/', 1)[-1]} {a.owner} " + (done if a.done else (
                a.due or "-")) for a in r.actions) or "-"

        ledger: list[tuple[str, Callable[[Any], str]]] = [
            ("col.id", lambda r: r.id), ("col.resolution_text", lambda r: r.text),
            ("col.counts", lambda r: f"{r.yes}/{r.no}/{r.abstain}"), ("col.follow_up", linked)]
        if evaluation:
            ledger.append(("col.evaluation", _evaluation_cell))
        return ledger
    if kind == "motions":
        motion_columns: list[tuple[str, Callable[[Any], str]]] = [
            ("col.id", lambda r: r.id),
            ("col.item", lambda r: "-" if r.item is None else (
                f"{r.item}. {r.item_title}" if r.item_title else str(r.item))),
            ("col.motion", lambda r: r.text),
            ("col.status", lambda r: t(f"status.{r.status}")),
            ("col.counts", lambda r: "-" if r.yes is None else f"{r.yes}/{r.no}/{r.abstain}")]
        if topics:
            motion_columns.insert(2, ("col.topic", lambda r: r.topic or "-"))
        return motion_columns
    if kind == "actions":
        return [("col.id", lambda r: r.id), ("col.action", lambda r: r.text),
                ("col.owner", lambda r: r.owner), ("col.due", lambda r: r.due or "-"),
                ("col.status",
                 lambda r: done if r.done else (overdue if r.overdue else opened))]
    columns: list[tuple[str, Callable[[Any], str]]] = [
        ("col.name", lambda r: r.name),
        ("col.attended_of_held", lambda r: f"{r.attended}/{r.held}"),
        ("col.excused", lambda r: str(r.excused)), ("col.absent", lambda r: str(r.absent)),
        ("col.late", lambda r: str(r.late)), ("col.left_early", lambda r: str(r.left_early)),
        ("col.rate", lambda r: "-" if r.rate is None else f"{r.rate * 100:.0f}%"),
        ("col.last_attended", lambda r: r.last_attended or "-")]
    return [("col.council", lambda r: r.council), *columns] if multi else columns


def _extra(kind: str, rows: list[Any]) -> dict[str, bool]:
    """The columns shown only when a row needs them: a ledger's evaluation, the
    motions' topic."""
    if kind == "ledger":
        return {"evaluation": any(r.satisfied is not None for r in rows)}
    if kind == "motions":
        return {"topics": any(r.topic for r in rows)}
    return {}


def table(kind: str, rows: list[Any], *, multi: bool = False, width: int | None = 100) -> str:
    """The rows as a plain-text table; long cells fold within `width` columns (None: one
    line per record, unless a cell holds several lines)."""
    columns = _columns(kind, multi, **_extra(kind, rows))
    return text_table([t(key) for key, _ in columns], [[show(r) for _, show in columns]
                                                        for r in rows], max_width=width)


def markdown_lines(kind: str, rows: list[Row], *, multi: bool = False) -> Iterator[str]:
    """The rows as a Markdown table whose cells no text can break out of."""
    from .markdown import escape_cell

    columns = _columns(kind, multi, **_extra(kind, rows))
    yield "| " + " | ".join(escape_cell(t(key)) for key, _ in columns) + " |\n"
    yield "|" + "|".join("---" for _ in columns) + "|\n"
    for row in rows:
        yield "| " + " | ".join(escape_cell(show(row)) for _, show in columns) + " |\n"


def write_chunks(out: Writer, pieces: Iterable[str]) -> None:
    """Write `pieces` a few thousand at a time: few writes, and never all at once."""
    batch: list[str] = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) >= CHUNK:
            out.write("".join(batch))
            batch.clear()
    out.write("".join(batch))
