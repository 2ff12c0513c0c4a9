"""A cache of meeting summaries, so that questions across 10,000 meetings answer at once.

Parsing a meeting costs ~1 ms (the canonical reader plus the schema), so reading a street
office's 10,000 files takes seconds; `stat`-ing them takes a few ms. The index keeps, per
meeting file, a summary in `<data folder>/.yiguan/index.sqlite`, keyed by file name and
checked against the file's mtime_ns, size and inode on every query: a hand edit is seen
by the next query, a deleted file disappears, and nothing stale is ever used. Only the
files that changed are parsed again, on every core when there are many.

The summary is stored ready for the reports: the meeting's scalars (title, date, status,
counts) and, each in its own column, the roster with who of it attended, was excused, came
late or left early, the ledger's rows (resolutions with their actions joined and residents'
latest evaluation), every motion with what became of it (`ledger --all`) and the action
rows, as tuples in a fixed field order (that of `render/reports.py`'s KEYS), so
that a question decodes only the columns it needs and builds no dict per row. A summary
is derived from the validated model (the same `Meeting.resolutions()` the minutes use),
so the ledger never disagrees with the minutes, and attendance is counted by the rules
the minutes use (render/facts, which the store may not import: tests compare the two).
A file that does not load is kept as a problem line. The head also lists the earlier
meetings whose minutes a meeting confirmed (`confirms`), so that `list`, `show`, `minutes`
and `confirm` learn which minutes were confirmed, and where, from one column
(`confirmed_by`) instead of parsing every file.

It is only a cache, and a damaged cache never answers: every column carries a checksum
of its bytes (bound to its file's key and the column's name); a row that fails it is
parsed again from the file and rewritten, a table of other columns is dropped and built
again, and a file that is not a database at all is deleted and built again.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import sqlite3
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..record.fileformat import load_meeting
from ..record.kinds import Confirmation, Evaluation
from ..record.model import Attendee, Meeting, in_entry_order
from ..text.errors import BrokenFile, YiguanError
from .files import PRIVATE_DIR, meeting_sort_key, private_dir_problem, read_regular
from .folder import DataFolder

# Bump when the summary's shape changes: an index of another version is rebuilt.
SUMMARY_VERSION = 6
PARALLEL_FROM = 64  # fewer changed files than this are parsed in-process
_CACHE_VERSION = (f"{SUMMARY_VERSION}/py{sys.version_info[0]}.{sys.version_info[1]}"
                  f"/marshal{marshal.version}")

SCALARS = ("title", "date", "status", "items", "n_members", "n_attended", "n_resolutions",
           "confirms")
# What a question reads besides the scalars, one column each, stored with the scalars
# (the head) so that a question reads one column per meeting: the roster and who of it
# attended, was excused, came late, left early; the ledger's resolutions (with their
# actions joined); the actions; every motion — as plain tuples in the fields' order of
# render/reports.py.
PARTS = ("attendance", "ledger", "actions", "motions")
COLUMNS = ("head", *PARTS)

Columns = tuple[Any, ...]  # (problem or None, scalars…, parts…) of one meeting


# The parts' shapes. The index keeps them as plain tuples (marshal stores no classes), in
# these fields' order; render/reports.py unpacks them in the same order.
class ActionPart(NamedTuple):
    id: str
    text: str
    owner: str
    due: str | None
    done: bool
    note: str | None
    motion: str | None


class LedgerPart(NamedTuple):
    resolution: str  # R1, R2 … in the order adopted
    motion: str
    text: str
    yes: int
    no: int
    abstain: int
    rule: str
    actions: tuple[tuple[Any, ...], ...]  # ActionPart[:5] of the actions carrying it out
    # residents' latest evaluation (居民评议) of it: EvaluationPart, or None
    evaluation: tuple[Any, ...] | None


class EvaluationPart(NamedTuple):
    date: str
    how: str | None
    satisfied: int
    basic: int
    unsatisfied: int


# what an item copied of its topic, cached after a motion's MotionPart fields and dropped
# when a query answers: (via, from, raised as ISO text)
TopicSource = tuple[str | None, str | None, str | None]


class MotionPart(NamedTuple):
    """Every motion, whatever became of it (`ledger --all`)."""

    motion: str
    item: int | None
    item_title: str | None
    # the topic the item was made from (议题征集), if any: its id in topics.toml as each
    # query finds it (`_resolve_topics`: a merge of topics.toml may renumber it, and the
    # item keeps the old id); the cached tuple ends with what the item copied of it
    topic: str | None
    text: str
    status: str  # the motion's, or "reconsidering" (重议中: its vote set aside, pending again)
    resolution: str | None
    yes: int | None  # the standing vote's hands, if one stands
    no: int | None
    abstain: int | None


class AttendancePart(NamedTuple):
    members: tuple[str, ...]  # the roster snapshot
    attended: tuple[str, ...]
    excused: tuple[str, ...]
    late: tuple[str, ...]
    left_early: tuple[str, ...]
Progress = Callable[[int, int], None]  # (files summarized so far, files to summarize)


def summarize(meeting_id: str, meeting: Meeting) -> dict[str, Any]:
    """What the cross-meeting commands need from one meeting. No private data: the
    roster's phone numbers and notes are not in meeting files at all."""
    resolutions = meeting.resolutions()
    attendance = _attendance(meeting)
    actions = tuple(tuple(ActionPart(a.id, a.text, a.owner,
                                     a.due.isoformat() if a.due else None, a.done, a.note,
                                     a.motion)) for a in meeting.action)
    by_motion: dict[str, list[tuple[Any, ...]]] = {}
    for row in actions:
        part = ActionPart._make(row)
        if part.motion:
            by_motion.setdefault(part.motion, []).append(row[:5])
    evaluated: dict[str, tuple[Any, ...]] = {}
    for evaluation in sorted(meeting.records(Evaluation), key=lambda e: e.date):
        evaluated[evaluation.motion] = tuple(EvaluationPart(
            evaluation.date.isoformat(), evaluation.how, evaluation.satisfied,
            evaluation.basic, evaluation.unsatisfied))
    ledger = tuple(tuple(LedgerPart(number, motion.id, motion.text, vote.yes, vote.no,
                                    vote.abstain, vote.rule,
                                    tuple(by_motion.get(motion.id, ())),
                                    evaluated.get(motion.id)))
                   for number, motion, vote in resolutions)
    return {
        "id": meeting_id,
        "title": meeting.title,
        "date": meeting.date.isoformat(),
        "status": meeting.status,
        "items": len(meeting.item),
        "n_members": len(meeting.members),
        "n_attended": len(attendance[1]),
        "n_resolutions": len(resolutions),
        "attendance": attendance,
        "ledger": ledger,
        "actions": actions,
        "confirms": tuple(c.meeting for c in meeting.records(Confirmation)),
        "motions": _motions(meeting, {m.id: r for r, m, _ in resolutions}),
    }


def _motions(meeting: Meeting, resolution_of: dict[str, str]) -> tuple[tuple[Any, ...], ...]:
    """Every motion in the order moved, with what became of it (MotionPart), then what
    its item copied of its topic (TopicSource; dropped when a query answers)."""
    items = {item.id: item for item in meeting.item}
    out = []
    for motion in in_entry_order(meeting.motion):
        vote = meeting.standing_vote(motion.id)
        status: str = motion.status
        if status == "pending" and meeting.votes_on(motion.id):
            status = "reconsidering"
        item = items.get(motion.item) if motion.item is not None else None
        topic = item.topic if item is not None else None
        source: TopicSource | None = None
        if item is not None and topic is not None:
            source = (item.via, item.raised_by, item.raised.isoformat() if item.raised else None)
        out.append((*MotionPart(
            motion.id, motion.item, item.title if item else None, topic, motion.text, status,
            resolution_of.get(motion.id),
            *((vote.yes, vote.no, vote.abstain) if vote is not None else (None,) * 3)),
            source))
    return tuple(out)


def _attendance(meeting: Meeting) -> tuple[tuple[str, ...], ...]:
    """The roster snapshot and, of its members: who attended (实到), who was excused and
    did not come (请假), who first signed in after the opening (迟到) and who left before
    the close and did not come back before it (早退; only a closed meeting has a close).
    Guests are never late nor early.

    Counted as the minutes count them (render/facts: `attendance`, `late_arrivals`,
    `departures`; tests/test_across.py holds the two together), in one pass over the
    stays: facts pairs every stay with the next (~45 µs a meeting, nearly the cost of
    the rest of the summary), and a cold index summarizes 10,000 meetings.
    """
    members = tuple(meeting.members)
    voting = set(members)
    first: dict[str, str] = {}  # member → their first arrival
    last: dict[str, Attendee] = {}  # member → their last stay (by arrival; ties: file order)
    for stay in meeting.attendee:
        name = stay.name
        if stay.role != "member" or name not in voting:
            continue
        if name not in first:
            first[name] = stay.arrived
            last[name] = stay
        else:
            if stay.arrived < first[name]:
                first[name] = stay.arrived
            if stay.arrived >= last[name].arrived:
                last[name] = stay
    excused: tuple[str, ...] = ()
    if meeting.excused:  # one excused who came after all attended
        named = {e.name for e in meeting.excused}.difference(first)
        excused = tuple(name for name in members if name in named)
    opened, closed = meeting.opened, meeting.closed
    late = tuple(name for name, at in first.items() if at > opened) if opened else ()
    left = tuple(name for name, stay in last.items()
                 if stay.left is not None and stay.left < closed) if closed else ()
    return tuple(AttendancePart(members, tuple(first), excused, late, left))


def _columns(summary: dict[str, Any] | None, problem: str | None) -> Columns:
    if summary is None:
        return (problem,) + (None,) * (len(SCALARS) + len(PARTS))
    return (None, *(summary[k] for k in SCALARS), *(summary[k] for k in PARTS))


Task = tuple[str, str, str, tuple[int, int, int]]  # id, path, path as shown, stamp
Row = tuple[Any, ...]  # id, mtime_ns, size, inode, one sealed blob per column


def _summarize_path(task: Task) -> Row:
    """One file's row as the index stores it, sealed; runs in workers (what they send
    back is a few byte strings per file, cheap to pass between processes)."""
    meeting_id, path, shown, stamp = task
    try:
        meeting = load_meeting(read_regular(path, shown), shown)
    except BrokenFile as broken:
        columns = _columns(None, broken.message())
    except YiguanError as error:
        columns = _columns(None, error.message())
    except OSError as error:
        columns = _columns(None, f"{shown}: {error.strerror or error}")
    else:
        columns = _columns(summarize(meeting_id, meeting), None)
    return _sealed(meeting_id, stamp, columns)


def _sealed(meeting_id: str, stamp: tuple[int, int, int], columns: Columns) -> Row:
    key = _key(meeting_id, stamp)
    head = _head(columns)
    values = (head, *((head, part) for part in columns[1 + len(SCALARS):]))
    return (meeting_id, *stamp,
            *(_seal(key, name, value) for name, value in zip(COLUMNS, values, strict=True)))


# --- the stored form: each column with its checksum ----------------------------------------

def _seal(key: bytes, column: str, value: Any) -> bytes:
    """A column's stored bytes: a CRC-32 of the payload, bound to the file's key and the
    column's name (a row moved to another file, or a column to another, fails it too),
    then the marshalled value."""
    payload = marshal.dumps(value)
    return zlib.crc32(payload, zlib.crc32(key + column.encode())).to_bytes(4, "big") + payload


def _open(key: bytes, column: str, blob: Any) -> Any:
    """The value sealed in `blob`; ValueError when it is not what was sealed."""
    if type(blob) is not bytes or len(blob) < 5:
        raise ValueError(column)
    payload = memoryview(blob)[4:]
    if zlib.crc32(payload, zlib.crc32(key + column.encode())).to_bytes(4, "big") != blob[:4]:
        raise ValueError(column)
    return marshal.loads(payload)


def _key(meeting_id: str, stamp: tuple[int, int, int]) -> bytes:
    return f"{meeting_id} {stamp[0]} {stamp[1]} {stamp[2]}".encode()


def _head(columns: Columns) -> Columns:
    return columns[: 1 + len(SCALARS)]


@dataclass
class Entry:
    """One meeting as the index knows it: its summary, or why it could not be read."""

    meeting_id: str
    summary: dict[str, Any] | None
    problem: str | None


def _entry(meeting_id: str, head: Columns, parts: dict[str, Any]) -> Entry:
    if head[0] is not None:
        return Entry(meeting_id, None, head[0])
    summary: dict[str, Any] = dict(zip(SCALARS, head[1:], strict=True))
    summary["id"] = meeting_id
    summary.update(parts)
    return Entry(meeting_id, summary, None)


def _decode(meeting_id: str, stamp: tuple[int, int, int], parts: tuple[str, ...],
            blobs: tuple[Any, ...]) -> Entry:
    """The entry from a row's blobs: the head's, or one per part asked for. Raises
    ValueError (or what marshal raises) when a blob is not what was sealed."""
    key = _key(meeting_id, stamp)
    if not parts:
        return _entry(meeting_id, _open(key, "head", blobs[0]), {})
    if len(parts) == 1:  # what every command asks: one column
        head, value = _open(key, parts[0], blobs[0])
        return _entry(meeting_id, head, {parts[0]: value})
    found = {part: _open(key, part, blob) for part, blob in zip(parts, blobs, strict=True)}
    return _entry(meeting_id, found[parts[0]][0],
                  {part: value for part, (_, value) in found.items()})


DAMAGED = (ValueError, EOFError, TypeError, IndexError)  # what a damaged blob raises


class Index:
    """The summaries of one data folder, brought up to date on every `entries()` call."""

    def __init__(self, folder: DataFolder) -> None:
        self.folder = folder
        self.path = folder.root / PRIVATE_DIR / "index.sqlite"

    def _files(self) -> dict[str, tuple[int, int, int]]:
        """meeting id → (mtime_ns, size, inode) for every meeting file in the folder."""
        return {m: (info.st_mtime_ns, info.st_size, info.st_ino)
                for m, info in sorted(self.folder.scan().items())}

    def _connect(self) -> sqlite3.Connection | None:
        """The cache database, or None when the folder cannot hold one (read-only, busy,
        a link planted where the cache or its folder belongs).

        A file that is not a database (damaged, or something else) is only a cache:
        it is deleted and built again once.
        """
        for attempt in (1, 2):
            try:
                if private_dir_problem(self.folder.root, create=True) is not None:
                    return None
                self._unlink_links()
                db = sqlite3.connect(self.path, timeout=10)
            except (OSError, sqlite3.Error):
                return None
            try:
                self._prepare(db)
                return db
            except sqlite3.OperationalError:
                db.close()
                return None
            except sqlite3.DatabaseError:
                db.close()
                if attempt == 2:
                    return None
                self._discard()
        return None

    def _unlink_links(self) -> None:
        """A link where the cache's files belong (a cloned repository may hold one) would
        make SQLite write through it, outside the data folder: remove the link."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            path = str(self.path) + suffix
            if os.path.islink(path):
                os.unlink(path)

    def _prepare(self, db: sqlite3.Connection) -> None:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        wanted = ["id", "mtime_ns", "size", "inode", *COLUMNS]
        found = [r[1] for r in db.execute("PRAGMA table_info(meeting)")]
        if row is None or row[0] != _CACHE_VERSION or (found and found != wanted):
            db.execute("DROP TABLE IF EXISTS meeting")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)",
                       (_CACHE_VERSION,))
        snapshot = [r[1] for r in db.execute("PRAGMA table_info(snapshot)")]
        if row is None or row[0] != _CACHE_VERSION or (
                snapshot and snapshot != ["view", "stamps", "data"]):
            db.execute("DROP TABLE IF EXISTS snapshot")
        db.execute("CREATE TABLE IF NOT EXISTS meeting (id TEXT PRIMARY KEY, "
                   "mtime_ns INTEGER, size INTEGER, inode INTEGER, "
                   + ", ".join(f"{c} BLOB" for c in COLUMNS) + ")")
        db.execute("CREATE TABLE IF NOT EXISTS snapshot (view TEXT PRIMARY KEY, stamps BLOB, "
                   "data BLOB)")
        db.commit()

    def _discard(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(str(self.path) + suffix)

    def entries(self, parts: tuple[str, ...] = (), *,
                progress: Progress | None = None) -> list[Entry]:
        """Every meeting, oldest first, with stale summaries recomputed; each summary has
        the scalar fields and the `parts` asked for (of PARTS). `progress` hears how many
        files are summarized as it goes."""
        files = self._files()
        for attempt in (1, 2):
            db = self._connect()
            if db is None:
                return self._uncached(files, parts, progress)
            try:
                return self._refresh(db, files, parts, progress)
            except sqlite3.OperationalError:
                # busy or read-only: answer from the files, leave the cache alone
                return self._uncached(files, parts, progress)
            except sqlite3.DatabaseError:
                if attempt == 2:
                    return self._uncached(files, parts, progress)
                self._discard()
            finally:
                db.close()
        raise AssertionError("unreachable")

    def _refresh(self, db: sqlite3.Connection, files: dict[str, tuple[int, int, int]],
                 parts: tuple[str, ...], progress: Progress | None) -> list[Entry]:
        """The entries from the snapshot when no file changed since it was taken (one
        read), else from the rows, parsing the files that changed; the snapshot is then
        taken again."""
        view = ",".join(parts) or "head"
        stamps = marshal.dumps(tuple(files.items()))  # in name order (_files)
        found = db.execute("SELECT stamps, data FROM snapshot WHERE view = ?",
                           (view,)).fetchone()
        if found is not None and found[0] == stamps:
            try:
                return self._topics_now(parts, [Entry(*entry)
                                                for entry in _open(stamps, view, found[1])])
            except DAMAGED:
                pass  # damaged: answered from the rows, and taken again
        current = self._rows(db, files, parts, progress)
        data = tuple((e.meeting_id, e.summary, e.problem) for e in current)
        with db:
            db.execute("INSERT OR REPLACE INTO snapshot VALUES (?, ?, ?)",
                       (view, stamps, _seal(stamps, view, data)))
        return self._topics_now(parts, current)

    def _topics_now(self, parts: tuple[str, ...], entries: list[Entry]) -> list[Entry]:
        """The entries as answered: with their motions, each motion's topic as topics.toml
        has it now (kept out of the rows and the snapshot, which topics.toml does not
        stamp)."""
        if "motions" in parts:
            _resolve_topics(self.folder, entries)
        return entries

    def _rows(self, db: sqlite3.Connection, files: dict[str, tuple[int, int, int]],
              parts: tuple[str, ...], progress: Progress | None) -> list[Entry]:
        wanted = ", ".join(parts or ("head",))
        current: list[Entry] = []
        stale = []
        known = set()
        for row in db.execute(f"SELECT id, mtime_ns, size, inode, {wanted} FROM meeting"):
            meeting_id = row[0]
            known.add(meeting_id)
            stamp = files.get(meeting_id)
            if stamp is None:
                continue  # the file is gone: its row is deleted below
            if row[1:4] != stamp:
                stale.append(meeting_id)
                continue
            try:
                current.append(_decode(meeting_id, stamp, parts, row[4:]))
            except DAMAGED:
                stale.append(meeting_id)  # damaged: parsed again and rewritten, never served
        stale += [m for m in files if m not in known]
        gone = [m for m in known if m not in files]
        insert = f"INSERT OR REPLACE INTO meeting VALUES ({', '.join('?' * (4 + len(COLUMNS)))})"
        with db:
            db.executemany("DELETE FROM meeting WHERE id = ?", [(m,) for m in gone])
            # rows are stored as the workers send them: while they parse, not after
            self._fresh({m: files[m] for m in stale}, current, parts, progress,
                        store=lambda rows: db.executemany(insert, rows))
        current.sort(key=lambda e: meeting_sort_key(e.meeting_id))
        return current

    def _uncached(self, files: dict[str, tuple[int, int, int]], parts: tuple[str, ...],
                  progress: Progress | None) -> list[Entry]:
        found: list[Entry] = []
        self._fresh(files, found, parts, progress)
        return self._topics_now(parts, sorted(found, key=lambda e: meeting_sort_key(e.meeting_id)))

    def _fresh(self, files: dict[str, tuple[int, int, int]], into: list[Entry],
               parts: tuple[str, ...], progress: Progress | None,
               store: Callable[[list[Row]], Any] | None = None) -> None:
        """Summarize `files` (in parallel when many) into `into`, handing their rows to
        `store` a few hundred at a time as they come."""
        root = self.folder.root
        tasks = [(m, str(root / f"{m}.toml"), self.folder.display(root / f"{m}.toml"), stamp)
                 for m, stamp in files.items()]
        workers = os.cpu_count() or 1
        if len(tasks) >= PARALLEL_FROM and workers > 1:
            rows = _parallel(tasks, workers, progress)
        else:
            rows = map(_summarize_path, tasks)
        offsets = [4 + COLUMNS.index(part) for part in parts or ("head",)]
        batch: list[Row] = []
        for row in rows:
            into.append(_decode(row[0], row[1:4], parts, tuple(row[i] for i in offsets)))
            batch.append(row)
            if store is not None and len(batch) >= 256:
                store(batch)
                batch = []
        if store is not None and batch:
            store(batch)


def _resolve_topics(folder: DataFolder, entries: list[Entry]) -> None:
    """Each motion's topic as the id it has in topics.toml now: the item's named id when
    that is the topic it copied, else the one that is (`record.topics.source_of`) — a
    merge that renumbered the topic leaves the item naming its old id."""
    import datetime as dt

    from ..record.topics import Topics, source_of

    pool = Topics()
    if folder.topics_path.exists():
        with contextlib.suppress(BrokenFile, YiguanError, OSError):
            pool = folder.load_topics()
    for entry in entries:
        if entry.summary is None:
            continue
        motions = []
        for cached in entry.summary["motions"]:
            part, source = cached[:len(MotionPart._fields)], cached[len(MotionPart._fields)]
            if part[3] is not None and source is not None:
                via, by, raised = source
                day = dt.date.fromisoformat(raised) if raised else None
                part = (*part[:3], source_of(pool, part[3], part[2], via, by, day), *part[4:])
            motions.append(part)
        entry.summary["motions"] = tuple(motions)


def _parallel(tasks: list[Task], workers: int, progress: Progress | None) -> Iterator[Row]:
    """The rows of `tasks`, in their order, as the worker processes make them."""
    from concurrent.futures import ProcessPoolExecutor

    # Small chunks so that the workers finish together (a big last chunk leaves one core
    # idle); the garbage collector is paused in the workers, which only build acyclic
    # summaries and exit.
    chunk = max(8, min(64, len(tasks) // (workers * 32)))
    with ProcessPoolExecutor(max_workers=workers, initializer=gc.disable) as pool:
        for done, result in enumerate(pool.map(_summarize_path, tasks, chunksize=chunk), 1):
            yield result
            if progress is not None and (done % chunk == 0 or done == len(tasks)):
                progress(done, len(tasks))


def council_label(folder: DataFolder) -> str:
    """The council's name for ids across several folders; the folder if it has none."""
    try:
        return folder.load_council().name
    except YiguanError:
        return str(folder.root)


def load_entries(folders: list[DataFolder], parts: tuple[str, ...] = (), *,
                 progress: Progress | None = None) -> list[tuple[str, Entry]]:
    """(council label, entry) for every meeting of every folder, oldest first per folder."""
    out = []
    for folder in folders:
        label = council_label(folder)
        out += [(label, entry) for entry in Index(folder).entries(parts, progress=progress)]
    return out



class Confirmed(NamedTuple):
    """The meeting at which an earlier meeting's minutes were confirmed (纪要确认)."""

    meeting_id: str
    date: str
    title: str


def confirmed_by(folder: DataFolder) -> dict[str, Confirmed]:
    """Earlier meeting id → the meeting that confirmed its minutes (the first in the
    folder's order, if a merge left two), from the index: the head of every meeting,
    which a folder where nothing changed answers in one read."""
    found: dict[str, Confirmed] = {}
    for entry in Index(folder).entries():
        summary = entry.summary
        if summary is None:
            continue
        for earlier in summary["confirms"]:
            found.setdefault(earlier, Confirmed(entry.meeting_id, summary["date"],
                                                summary["title"]))
    return found
