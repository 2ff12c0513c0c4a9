"""A cache of meeting summaries, so that questions across 10,000 meetings answer at once.

Parsing a meeting costs ~1.4 ms (tomllib plus the schema), so reading a street office's
10,000 files takes ~14 s; reading their bytes takes 0.1 s and `stat`-ing them less. The
index keeps, per meeting file, a small JSON summary (title, date, status, who attended,
resolutions, actions) in `<data folder>/.yiguan/index.sqlite`, keyed by file name and
checked against the file's mtime_ns, size and inode on every query: a hand edit is seen
by the next query, a deleted file disappears, and nothing stale is ever used. Only the
files that changed are parsed again, on every core when there are many.

A summary is derived from the validated model (the same `Meeting.resolutions()` that the
minutes use), so the ledger never disagrees with the minutes. A file that does not load
is kept as a problem line, and the commands say how many and where.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import sqlite3
import sys
from dataclasses import dataclass
from typing import Any

from .errors import BrokenFile, YiguanError
from .fileformat import load_meeting
from .model import MEETING_ID_RE, Meeting
from .store import PRIVATE_DIR, DataFolder, meeting_sort_key

# Bump when the summary's shape changes: an index of another version is rebuilt.
SUMMARY_VERSION = 2
PARALLEL_FROM = 64  # fewer changed files than this are parsed in-process
_CACHE_VERSION = (f"{SUMMARY_VERSION}/py{sys.version_info[0]}.{sys.version_info[1]}"
                  f"/marshal{marshal.version}")


def summarize(meeting_id: str, meeting: Meeting) -> dict[str, Any]:
    """What the cross-meeting commands need from one meeting. No private data: the
    roster's phone numbers and notes are not in meeting files at all."""
    actions_by_motion: dict[str, list[str]] = {}
    for action in meeting.action:
        if action.motion:
            actions_by_motion.setdefault(action.motion, []).append(action.id)
    return {
        "id": meeting_id,
        "title": meeting.title,
        "date": meeting.date.isoformat(),
        "status": meeting.status,
        "members": meeting.members,
        "attended": meeting.members_attended(),
        "items": len(meeting.item),
        "n_members": len(meeting.members),
        "n_attended": len(meeting.members_attended()),
        "n_resolutions": len(meeting.resolutions()),
        "resolutions": [
            {"id": number, "motion": motion.id, "text": motion.text, "yes": vote.yes,
             "no": vote.no, "abstain": vote.abstain, "rule": vote.rule, "at": vote.at,
             "actions": actions_by_motion.get(motion.id, [])}
            for number, motion, vote in meeting.resolutions()
        ],
        "actions": [
            {"id": a.id, "text": a.text, "owner": a.owner,
             "due": a.due.isoformat() if a.due else None, "done": a.done, "note": a.note,
             "motion": a.motion}
            for a in meeting.action
        ],
    }


# The summary is stored in columns: small values as they are, the lists marshalled, so a
# question decodes only the parts it needs (`list` none at all). marshal decodes ~3x
# faster than JSON; its format belongs to one Python version, which is part of the
# cache's version below, so another Python rebuilds the cache instead of misreading it.
SCALARS = ("title", "date", "status", "items", "n_members", "n_attended", "n_resolutions")
PARTS = ("members", "attended", "resolutions", "actions")
Columns = tuple[Any, ...]


def _columns(summary: dict[str, Any]) -> Columns:
    return tuple(summary[k] for k in SCALARS) + tuple(marshal.dumps(summary[k]) for k in PARTS)


def _summarize_path(task: tuple[str, str, str]) -> tuple[str, Columns | None, str | None]:
    """(id, summary columns or None, problem or None) for one file; runs in workers."""
    meeting_id, path, shown = task
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        meeting = load_meeting(data, shown)
    except BrokenFile as broken:
        return meeting_id, None, broken.message()
    except (OSError, YiguanError) as error:
        return meeting_id, None, str(error)
    return meeting_id, _columns(summarize(meeting_id, meeting)), None


def _summary(meeting_id: str, columns: Columns, parts: tuple[str, ...]) -> dict[str, Any]:
    """The summary dict from stored columns, decoding only the wanted parts."""
    summary: dict[str, Any] = dict(zip(SCALARS, columns, strict=False))
    summary["id"] = meeting_id
    for part in parts:
        summary[part] = marshal.loads(columns[len(SCALARS) + PARTS.index(part)])
    return summary


@dataclass
class Entry:
    """One meeting as the index knows it: its summary, or why it could not be read."""

    meeting_id: str
    summary: dict[str, Any] | None
    problem: str | None


class Index:
    """The summaries of one data folder, brought up to date on every `entries()` call."""

    def __init__(self, folder: DataFolder) -> None:
        self.folder = folder
        self.path = folder.root / PRIVATE_DIR / "index.sqlite"

    def _files(self) -> dict[str, tuple[int, int, int]]:
        """meeting id → (mtime_ns, size, inode) for every meeting file in the folder."""
        found = {}
        try:
            scan = os.scandir(self.folder.root)
        except FileNotFoundError:
            raise YiguanError("store.no_folder", path=str(self.folder.root)) from None
        with scan:
            for entry in scan:
                name = entry.name
                if not name.endswith(".toml") or not MEETING_ID_RE.match(name[:-5]):
                    continue
                info = entry.stat()
                found[name[:-5]] = (info.st_mtime_ns, info.st_size, info.st_ino)
        return found

    def _connect(self) -> sqlite3.Connection | None:
        """The cache database, or None when the folder cannot hold one (read-only, busy).

        A file that is not a database (damaged, or something else) is only a cache:
        it is deleted and built again once.
        """
        for attempt in (1, 2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
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

    def _prepare(self, db: sqlite3.Connection) -> None:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        if row is None or row[0] != _CACHE_VERSION:
            db.execute("DROP TABLE IF EXISTS meeting")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)",
                       (_CACHE_VERSION,))
        db.execute("CREATE TABLE IF NOT EXISTS meeting (id TEXT PRIMARY KEY, "
                   "mtime_ns INTEGER, size INTEGER, inode INTEGER, problem TEXT, "
                   + ", ".join(SCALARS + PARTS) + ")")
        db.commit()

    def _discard(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(str(self.path) + suffix)

    def entries(self, parts: tuple[str, ...] = PARTS) -> list[Entry]:
        """Every meeting, oldest first, with stale summaries recomputed; each summary has
        the scalar fields and the `parts` asked for."""
        files = self._files()
        for attempt in (1, 2):
            db = self._connect()
            if db is None:
                return self._uncached(files, parts)
            try:
                return self._refresh(db, files, parts)
            except sqlite3.OperationalError:
                # busy or read-only: answer from the files, leave the cache alone
                return self._uncached(files, parts)
            except sqlite3.DatabaseError:
                if attempt == 2:
                    return self._uncached(files, parts)
                self._discard()
            finally:
                db.close()
        raise AssertionError("unreachable")

    def _refresh(self, db: sqlite3.Connection, files: dict[str, tuple[int, int, int]],
                 parts: tuple[str, ...]) -> list[Entry]:
        wanted = ", ".join(SCALARS + parts)
        known = {row[0]: row[1:] for row in db.execute(
            f"SELECT id, mtime_ns, size, inode, problem, {wanted} FROM meeting")}
        current: dict[str, Entry] = {}
        stale = []
        for meeting_id, key in files.items():
            row = known.get(meeting_id)
            if row is not None and tuple(row[:3]) == key:
                if row[3] is not None:
                    current[meeting_id] = Entry(meeting_id, None, row[3])
                    continue
                summary: dict[str, Any] = dict(zip(SCALARS, row[4:], strict=False))
                summary["id"] = meeting_id
                for index, part in enumerate(parts):
                    summary[part] = marshal.loads(row[4 + len(SCALARS) + index])
                current[meeting_id] = Entry(meeting_id, summary, None)
            else:
                stale.append(meeting_id)
        fresh = self._fresh({m: files[m] for m in stale}, current, parts)
        gone = [m for m in known if m not in files]
        blank = (None,) * (len(SCALARS) + len(PARTS))
        with db:
            db.executemany("DELETE FROM meeting WHERE id = ?", [(m,) for m in gone])
            db.executemany(
                f"INSERT OR REPLACE INTO meeting VALUES ({', '.join('?' * (5 + len(blank)))})",
                [(m, *files[m], problem, *(columns or blank)) for m, columns, problem in fresh])
        return sorted(current.values(), key=lambda e: meeting_sort_key(e.meeting_id))

    def _uncached(self, files: dict[str, tuple[int, int, int]],
                  parts: tuple[str, ...]) -> list[Entry]:
        found: dict[str, Entry] = {}
        self._fresh(files, found, parts)
        return sorted(found.values(), key=lambda e: meeting_sort_key(e.meeting_id))

    def _fresh(self, files: dict[str, tuple[int, int, int]], into: dict[str, Entry],
               parts: tuple[str, ...]) -> list[tuple[str, Columns | None, str | None]]:
        """Summarize `files` (in parallel when many) into `into`; return the raw results."""
        tasks = [(m, str(self.folder.root / f"{m}.toml"),
                  self.folder.display(self.folder.root / f"{m}.toml")) for m in files]
        workers = os.cpu_count() or 1
        if len(tasks) >= PARALLEL_FROM and workers > 1:
            results = _parallel(tasks, workers)
        else:
            results = [_summarize_path(task) for task in tasks]
        for meeting_id, columns, problem in results:
            summary = _summary(meeting_id, columns, parts) if columns is not None else None
            into[meeting_id] = Entry(meeting_id, summary, problem)
        return results


def _parallel(tasks: list[tuple[str, str, str]], workers: int,
              ) -> list[tuple[str, Columns | None, str | None]]:
    from concurrent.futures import ProcessPoolExecutor

    # Small chunks so that the workers finish together (a big last chunk leaves one core
    # idle); the garbage collector is paused in the workers, which only build acyclic
    # summaries and exit.
    chunk = max(8, min(64, len(tasks) // (workers * 32)))
    with ProcessPoolExecutor(max_workers=workers, initializer=gc.disable) as pool:
        return list(pool.map(_summarize_path, tasks, chunksize=chunk))


def council_label(folder: DataFolder) -> str:
    """The council's name for ids across several folders; the folder if it has none."""
    try:
        return folder.load_council().name
    except YiguanError:
        return str(folder.root)


def load_entries(folders: list[DataFolder], parts: tuple[str, ...] = PARTS,
                 ) -> list[tuple[str, Entry]]:
    """(council label, entry) for every meeting of every folder, oldest first per folder."""
    out = []
    for folder in folders:
        label = council_label(folder)
        out += [(label, entry) for entry in Index(folder).entries(parts)]
    return out
