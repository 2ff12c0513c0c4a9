"""The data folder: find files, load them, and change them without ever losing a record.

The safety of each file operation is `files` (locks, atomic writes, bounded reads); the
history of changes is `journal` (undo). Here: which files are the council and its
meetings, which meeting a command means, their status (from the head of the file, read by
the canonical reader), and `edit`, the one way anything is written.

Every change is a read-modify-write under an exclusive lock on a sidecar `<file>.lock`
(locking the data file itself does not work: the atomic replace swaps its inode). The new
text is written to a temporary file in the same folder, fsynced and moved over the old
one with `os.replace`, keeping its mode. Before that, the old bytes go to the undo journal
in `.yiguan/undo/`, which `init` lists in the folder's `.gitignore`. A change that raises
writes nothing.

council.toml has a companion, `private.toml` (members' phone numbers and notes, which
git ignores: `yiguan.store.private`): a change of the council that changes it writes it
under its own lock before council.toml, with the same number in the journal, and
`undo` takes both back as one step.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..record import canonical, fileformat
from ..record.model import Council, Meeting
from ..record.schema import MEETING_ID_RE
from ..text.errors import YiguanError
from ..text.messages import Listed
from .files import (
    COUNCIL_FILE,
    FLOOR_DIR,
    GITIGNORE,
    MAX_FILE_BYTES,
    NOFOLLOW,
    PRIVATE_DIR,
    atomic_write,
    check_meeting_id,
    count_saved,
    fsync_dir,
    ignore_private,
    is_meeting_id,
    lock_path_of,
    locked,
    meeting_sort_key,
    private_dir_problem,
    read_if_present,
    read_regular,
    regular_file_problem,
    temporary_in,
)
from .journal import Journal, checksum
from .private import PRIVATE_FILE, Private, dump_private, load_private, moved_out

TOPICS_FILE = "topics.toml"  # the council's pool of topics (record/topics.py), read lazily

T = TypeVar("T")


# --- the data folder -------------------------------------------------------------------

class Undone:
    """What `undo` took back: the file, the bytes it had and the bytes it has again
    (None: the undone change created it, and it is gone), and the steps left for it."""

    def __init__(self, name: str, left: int, undone: bytes | None,
                 restored: bytes | None) -> None:
        self.name = name
        self.left = left
        self.undone = undone
        self.restored = restored
        self.also: list[Undone] = []  # private.toml, taken back with council.toml


class Change(Generic[T]):
    """What a command edits inside `DataFolder.edit`, and notes for the secretary."""

    def __init__(self, value: T) -> None:
        self.value = value
        self.notes: list[tuple[str, dict[str, Any]]] = []
        self.written = False
        # steps that must follow the save under the same lock (the floor's live state
        # after `speak`): run once the file is written, or found unchanged
        self.after_save: list[Callable[[], None]] = []
        # another file written with this one, before it (private.toml with council.toml):
        # given the journal number of this file's change, so that undo takes both back
        self.companions: list[Callable[[int], None]] = []


class DataFolder:
    """A council's `meetings/` folder: council.toml and one TOML file per meeting."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.journal = Journal(root)
        # files in the folder that look like meetings but are not read as one (a name
        # that is no meeting id, a FIFO, a link to a device, a file over the size
        # limit): file name → why, for the command to say once
        self.skipped: dict[str, YiguanError] = {}
        self._scanned: dict[str, os.stat_result] = {}

    # paths ------------------------------------------------------------------------
    @property
    def council_path(self) -> Path:
        return self.root / COUNCIL_FILE

    @property
    def private_path(self) -> Path:
        return self.root / PRIVATE_FILE

    def meeting_path(self, meeting_id: str) -> Path:
        return self.root / f"{check_meeting_id(meeting_id)}.toml"

    @property
    def topics_path(self) -> Path:
        return self.root / TOPICS_FILE

    def floor_path(self, meeting_id: str) -> Path:
        """Where the live state of a meeting's floor is kept (`yiguan.meeting.floor` reads
        and writes it): beside the record, never part of it."""
        return self.root / PRIVATE_DIR / FLOOR_DIR / f"{check_meeting_id(meeting_id)}.json"

    def keeps_floor(self, meeting_id: str) -> bool:
        """Whether anything is where the meeting's floor file goes (a link too: the floor
        refuses it). Most councils never give the floor: then `speak` needs nothing of
        the floor's module."""
        return os.path.lexists(self.floor_path(meeting_id))

    def display(self, path: Path) -> str:
        """A path as the secretary typed the folder: meetings/2022-03-08.toml."""
        return str(path)

    def scan(self) -> dict[str, os.stat_result]:
        """Every meeting file of the folder: meeting id → its stat (a link followed).

        Only regular files whose name is a meeting id are meetings; any other `*.toml`
        beside council.toml — a name such as `2024-05-01-1٠.toml` or full-width digits, a
        FIFO or a link to /dev/zero, a file over MAX_FILE_BYTES — is left out and noted
        in `skipped`, so that it never blocks or breaks a command on the others."""
        found = {}
        try:
            listing = os.scandir(self.root)
        except FileNotFoundError:
            raise YiguanError("store.no_folder", path=str(self.root)) from None
        except NotADirectoryError:
            raise YiguanError("store.not_a_folder", path=str(self.root)) from None
        days: set[str] = set()  # days already known to exist (a street office: 10,000 files)
        match = MEETING_ID_RE.match
        with listing:
            for entry in listing:
                name = entry.name
                if not name.endswith(".toml") or name in (COUNCIL_FILE, PRIVATE_FILE,
                                                          TOPICS_FILE) \
                        or name.startswith("."):
                    continue
                is_id = match(name[:-5])
                if is_id is not None and is_id.group(1) not in days:
                    if is_meeting_id(name[:-5]):
                        days.add(is_id.group(1))
                    else:
                        is_id = None
                if is_id is None:
                    self.skipped[name] = YiguanError("store.skipped_name",
                                                     path=self.display(self.root / name))
                    continue
                try:
                    info = entry.stat()
                except FileNotFoundError:
                    if entry.is_symlink():
                        self.skipped[name] = YiguanError("store.dangling_link",
                                                         path=self.display(self.root / name))
                    continue  # else deleted since the folder was listed
                if info.st_size > MAX_FILE_BYTES or not stat.S_ISREG(info.st_mode):
                    problem = regular_file_problem(info.st_mode, info.st_size,
                                                   self.display(self.root / name))
                    if problem:
                        self.skipped[name] = problem
                        continue
                found[name[:-5]] = info
        self._scanned = found
        return found

    def meeting_ids(self) -> list[str]:
        """All meeting ids, oldest first."""
        return sorted(self.scan(), key=meeting_sort_key)

    # reading ----------------------------------------------------------------------
    def load_council(self) -> Council:
        data = read_if_present(self.council_path)
        if data is None:
            if not self.root.is_dir():
                raise YiguanError("store.no_folder", path=str(self.root))
            raise YiguanError("store.no_council", path=self.display(self.council_path))
        return fileformat.load_council(data, self.display(self.council_path))

    def load_private(self) -> Private:
        """The members' private particulars (none when there is no private.toml yet)."""
        if os.path.islink(self.private_path):
            # a clone may hold a link there: phones are never read from elsewhere
            raise YiguanError("store.linked_file", path=self.display(self.private_path))
        data = read_if_present(self.private_path)
        if data is None:
            return Private()
        return load_private(data, self.display(self.private_path))

    def load_topics(self) -> Any:
        """The council's pool of topics (`record.topics.Topics`; empty when there is no
        topics.toml yet)."""
        from ..record.topics import Topics, load_topics

        self.refuse_link(self.topics_path)
        data = read_if_present(self.topics_path)
        if data is None:
            return Topics()
        return load_topics(data, self.display(self.topics_path))

    def load_meeting(self, meeting_id: str) -> Meeting:
        path = self.meeting_path(meeting_id)
        data = read_if_present(path)
        if data is None:
            raise YiguanError("store.no_meeting", id=meeting_id, path=self.display(path))
        return fileformat.load_meeting(data, self.display(path))

    def status_of(self, meeting_id: str) -> str:
        """A meeting's status from the head of its file, without parsing all of it.

        Top-level keys precede every table in TOML, and yiguan writes `status` before
        any value that can span lines (the note, the roster). So the head is read line
        by line: the status line counts only if every line before it is one that cannot
        be inside a multi-line string — a note that holds the line `status = "open"`
        never fools it. Anything else (a hand-edited head, a note before the status)
        falls back to a full parse, which raises BrokenFile for a file that does not
        load: when yiguan cannot tell whether a file is the open meeting, it says which
        file, rather than guess.
        """
        path = self.meeting_path(meeting_id)
        head = read_regular(path, self.display(path), limit=8192)
        # the last line may be cut at the limit (and a character with it)
        text = head[:head.rfind(b"\n") + 1].decode("utf-8", "replace")
        status = canonical.head_string(text, "status")
        if status is not None:
            return status
        return self.load_meeting(meeting_id).status

    def statuses(self, ids: list[str]) -> dict[str, str]:
        """Each meeting's status. A closed meeting's is remembered in .yiguan/closed,
        keyed by the file's mtime and size, so a council with years of meetings costs a
        stat per file, not a read; open and planned meetings are always read afresh."""
        remembered = self._closed_cache()
        found, closed = {}, {}
        root = os.fspath(self.root)
        for meeting_id in ids:  # ids from meeting_ids(): already known to be well-formed
            try:
                info = self._scanned.get(meeting_id) or os.stat(
                    os.path.join(root, meeting_id + ".toml"))
                key = (info.st_mtime_ns, info.st_size)
                status = "closed" if remembered.get(meeting_id) == key \
                    else self.status_of(meeting_id)
            except FileNotFoundError:
                continue  # deleted since the folder was listed: not a meeting any more
            found[meeting_id] = status
            if status == "closed":
                closed[meeting_id] = key
        if closed != remembered:
            self._remember_closed(closed)
        return found

    def _closed_cache(self) -> dict[str, tuple[int, int]]:
        """`<meeting id> <mtime_ns> <size> <checksum>` per line; a line that is damaged
        or unreadable is ignored (the file is read again)."""
        if private_dir_problem(self.root, create=False):
            return {}
        try:
            fd = os.open(self.root / PRIVATE_DIR / "closed", os.O_RDONLY | NOFOLLOW)
            with os.fdopen(fd, "rb") as handle:
                text = handle.read(1 << 20).decode("ascii")
        except (OSError, UnicodeDecodeError):
            return {}
        found = {}
        for line in text.splitlines():
            body, _, sealed = line.rpartition(" ")
            parts = body.split(" ")
            if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit() \
                    and sealed == checksum(body.encode()):
                found[parts[0]] = (int(parts[1]), int(parts[2]))
        return found

    def _remember_closed(self, closed: dict[str, tuple[int, int]]) -> None:
        """Write the cache; no fsync: losing it costs one read of each file, not data."""
        folder = self.root / PRIVATE_DIR
        lines = [f"{m} {mtime} {size}" for m, (mtime, size) in closed.items()]
        text = "".join(f"{line} {checksum(line.encode())}\n" for line in lines)
        if private_dir_problem(self.root, create=True):
            return  # a link where .yiguan belongs: answer from the files, write nothing
        try:
            fd, tmp = temporary_in(folder, ".closed.")
            with os.fdopen(fd, "wb") as handle:
                handle.write(text.encode("ascii"))
            os.replace(tmp, folder / "closed")
        except OSError:
            pass  # a read-only folder still answers, from the files

    def resolve(self, given: str | None, *, write: bool) -> str:
        """Which meeting a command means.

        With `-m ID`: that one. Without: the one open meeting. When none is open, a
        reading command takes the newest meeting; a writing command takes the only
        planned one (sign-in and agenda work before the chair opens) and otherwise
        refuses with a hint. Never a guess between two.
        """
        if given is not None:
            check_meeting_id(given)
            if not self.meeting_path(given).exists():
                raise YiguanError("store.no_meeting", id=given,
                                  path=self.display(self.meeting_path(given)))
            return given
        ids = self.meeting_ids()
        if not ids:
            raise YiguanError("store.no_meetings")
        statuses = self.statuses(ids)  # a broken file stops us here
        ids = [m for m in ids if m in statuses]
        if not ids:
            raise YiguanError("store.no_meetings")
        open_ids = [m for m in ids if statuses[m] == "open"]
        if len(open_ids) == 1:
            return open_ids[0]
        if len(open_ids) > 1:
            raise YiguanError("store.many_open", ids=Listed(open_ids))
        if not write:
            return ids[-1]
        planned = [m for m in ids if statuses[m] == "planned"]
        if len(planned) == 1:
            return planned[0]
        if planned:
            raise YiguanError("store.many_planned", ids=Listed(planned))
        raise YiguanError("store.none_open", newest=ids[-1])

    # writing ----------------------------------------------------------------------
    @contextlib.contextmanager
    def edit(self, path: Path, load: Callable[[bytes, str], T], dump: Callable[[T], str],
             *, create: T | None = None, relayout: bool = False) -> Iterator[Change[T]]:
        """Lock, load, let the caller change `change.value`, then save if it changed.

        With `create`, the file must not exist yet and `create` is its first content.
        A hand-edited file whose data the body did not change keeps its bytes, comments
        and all, unless `relayout` asks for the canonical form (`fmt`).
        If the body raises, nothing is written.
        """
        self.refuse_link(path)
        with locked(path):
            before = read_if_present(path)
            baseline = None
            if create is not None:
                if before is not None:
                    raise YiguanError("store.exists", path=self.display(path))
                change = Change(create)
            else:
                if before is None:
                    raise YiguanError("store.missing_file", path=self.display(path))
                change = Change(load(before, self.display(path)))
                if not relayout:
                    # what the data looked like before the command: if it is the same
                    # after, the command changed nothing, and a hand-edited file
                    # (comments, another layout) keeps its bytes
                    baseline = dump(change.value)
            yield change
            text = dump(change.value)
            after = text.encode("utf-8")
            if after == before or text == baseline:
                for step in change.after_save:
                    step()
                return
            if before is not None:
                self._refuse_read_only(path)
            if before is not None and fileformat.has_comments(before.decode("utf-8", "replace")):
                change.notes.append(("store.comments_dropped", {"path": self.display(path)}))
            number = self.journal.record(path, before, after)
            for companion in change.companions:
                companion(number)
            atomic_write(path, after)
            change.written = True
            for step in change.after_save:
                step()

    def refuse_link(self, path: Path) -> None:
        """A meeting or council file that is a link (a cloned repository may hold one to
        a file outside) is not rewritten: replacing it would turn the link into a copy
        of what it points at, inside the repository."""
        if os.path.islink(path):
            raise YiguanError("store.linked_file", path=self.display(path))

    def _refuse_read_only(self, path: Path) -> None:
        """Someone made the file read-only (chmod a-w, or the file manager's check box):
        yiguan does not replace it, even as root, whom the system would let."""
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            return
        if not mode & 0o222 or not os.access(path, os.W_OK):
            raise YiguanError("store.read_only", path=self.display(path))

    @contextlib.contextmanager
    def edit_meeting(self, meeting_id: str) -> Iterator[Change[Meeting]]:
        with self.edit(self.meeting_path(meeting_id), fileformat.load_meeting,
                       fileformat.dump_meeting) as change:
            yield change

    @contextlib.contextmanager
    def edit_topics(self) -> Iterator[Change[Any]]:
        """Edit topics.toml (`record.topics.Topics`), made by the first change that
        adds a topic: locked, atomic and undoable as a meeting is."""
        from ..record.topics import Topics, dump_topics, load_topics

        if not self.root.is_dir():
            raise YiguanError("store.no_folder", path=str(self.root))
        if not self.council_path.exists():
            self.load_council()  # raises the helpful "run yiguan init" error
        path = self.topics_path
        create = None if os.path.lexists(path) else Topics()
        with self.edit(path, load_topics, dump_topics, create=create) as change:
            yield change

    @contextlib.contextmanager
    def edit_council(self) -> Iterator[Change[Council]]:
        """Edit council.toml. A member's phone and note (given now, or still held there
        by an older yiguan) go to private.toml, and leave with a member removed."""
        if not self.council_path.exists():
            self.load_council()  # raises the helpful "run yiguan init" error
        # private.toml's lock, when the change needs it, is taken after council.toml's
        # (as undo takes them) and let go after council.toml is written
        with contextlib.ExitStack() as private_lock, self.edit(
                self.council_path, fileformat.load_council, fileformat.dump_council) as change:
            before = {m.name: m.phone is not None or m.note is not None
                      for m in change.value.members}
            yield change
            self._keep_private(change, before, private_lock)

    def _keep_private(self, change: Change[Council], before: dict[str, bool],
                      private_lock: contextlib.ExitStack) -> None:
        """After the body of `edit_council`: lock private.toml and plan its change, and
        leave its writing to the moment council.toml's entry is in the journal
        (`companions`). Anything refused here leaves every file as it was."""
        council = change.value
        removed = set(before) - {m.name for m in council.members}
        held = any(m.phone is not None or m.note is not None for m in council.members)
        if not held and not removed:
            return
        path = self.private_path
        self.refuse_link(path)
        private_lock.enter_context(locked(path))
        current = read_if_present(path)
        private = load_private(current, self.display(path)) if current is not None \
            else Private()
        was_held = sorted(name for name, has in before.items()
                          if has and council.member(name) is not None)
        after = moved_out(council, private, removed)
        if after == private:
            return
        data = dump_private(after).encode("utf-8")
        # refused now, not once .gitignore or the journal has been written: council.toml
        # changes whenever private.toml does (its phones and notes leave it)
        self._refuse_read_only(self.council_path)
        if current is not None:
            self._refuse_read_only(path)
        if was_held:
            change.notes.append(("store.private_moved", {
                "names": Listed(was_held), "path": self.display(path)}))
        if current is None:
            ignore_private(self.root)  # before the file exists, so git never sees it
            if not was_held:  # else the note of the move says where they went
                change.notes.append(("store.private_created", {"path": self.display(path)}))

        def write(number: int) -> None:  # under the lock taken above
            self.journal.record(path, current, data, number=number)
            atomic_write(path, data, new_mode=0o600)

        change.companions.append(write)

    def create_meeting(self, meeting: Meeting) -> tuple[str, Change[Meeting]]:
        """Write a new meeting under the first free id of its date: D, D-2, D-3, …"""
        base = meeting.date.isoformat()
        number = 1
        while True:
            meeting_id = base if number == 1 else f"{base}-{number}"
            path = self.meeting_path(meeting_id)
            if not path.exists():
                try:
                    with self.edit(path, fileformat.load_meeting, fileformat.dump_meeting,
                                   create=meeting) as change:
                        pass
                    return meeting_id, change
                except YiguanError as error:
                    if error.key != "store.exists":  # someone took it between check and lock
                        raise
            number += 1

    def init(self, council: Council) -> list[Path]:
        """Create the folder, council.toml and .gitignore; refuse if council.toml exists."""
        self.root.mkdir(parents=True, exist_ok=True)
        created = []
        with self.edit(self.council_path, fileformat.load_council, fileformat.dump_council,
                       create=council):
            pass
        created.append(self.council_path)
        gitignore = self.root / ".gitignore"
        if not gitignore.exists():
            atomic_write(gitignore, GITIGNORE.encode())
            created.append(gitignore)
        return created

    # undo -------------------------------------------------------------------------
    def undo(self, target_name: str | None, *, force: bool = False) -> Undone:
        """Put back the file as it was before the latest change (to `target_name`, or to
        any file): what it took back, and how many earlier steps remain for the file.

        When the file was edited by hand after that change, undo would throw the edit
        away: it refuses, unless `force`. A damaged entry is never restored. Undoing the
        change that created a file removes it, and its lock file with it: nothing of it is
        left in the folder.
        """
        while True:
            entry = self.journal.latest(target_name)
            if entry is None:
                raise YiguanError("store.nothing_to_undo" if target_name is None
                                  else "store.nothing_to_undo_file", name=target_name or "")
            # a change of the council and of private.toml is one step: both files are
            # locked (council.toml first, as every change of the council does) and both
            # taken back, or neither
            step = [entry]
            companion = self.journal.companion(entry)
            if companion is not None:
                step.append(companion)
            step.sort(key=lambda e: e.target != COUNCIL_FILE)
            for one in step:
                self.refuse_link(self.root / one.target)
            with contextlib.ExitStack() as locks:
                for one in step:
                    locks.enter_context(locked(self.root / one.target))
                # another command may have written (or undone) meanwhile: what is latest
                # now is what this undo takes back
                now = self.journal.latest(target_name)
                if now is None or now.name not in {one.name for one in step}:
                    continue
                found = []
                for one in step:
                    current = read_if_present(self.root / one.target)
                    previous = self.journal.read(one)
                    if current == previous:
                        # left by a write that was interrupted before its replace: skip it
                        (self.journal.folder / one.name).unlink()
                        continue
                    if checksum(current) != one.written and not force:
                        raise YiguanError("store.undo_hand_edited", name=one.target)
                    found.append((one, current, previous))
                if not found:
                    continue
                for one, current, previous in reversed(found):  # private.toml first
                    self._put_back(self.root / one.target, current, previous)
                    (self.journal.folder / one.name).unlink()
            undone = [Undone(one.target, self.journal.count(one.target), current, previous)
                      for one, current, previous in found]
            undone[0].also = undone[1:]
            return undone[0]

    def _put_back(self, target: Path, current: bytes | None, previous: bytes | None) -> None:
        """Give `target` the bytes it had (None: remove it, with its lock file)."""
        if previous is None:
            if current is not None:
                target.unlink()
                count_saved()
            with contextlib.suppress(OSError):  # Windows keeps an open file
                lock_path_of(target).unlink()
            fsync_dir(self.root)
        else:
            self._refuse_read_only(target)
            atomic_write(target, previous)
