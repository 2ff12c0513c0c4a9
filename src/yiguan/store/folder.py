"""The data folder: find files, load them, and change them without ever losing a record.

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
import datetime as dt
import errno
import os
import stat
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..record import fileformat
from ..record.model import Council, Meeting
from ..record.schema import MEETING_ID_RE
from ..text.errors import YiguanError
from ..text.messages import Listed
from .private import PRIVATE_FILE, Private, dump_private, load_private, moved_out

COUNCIL_FILE = "council.toml"
PRIVATE_DIR = ".yiguan"
UNDO_KEEP_PER_FILE = 50
LOCK_TIMEOUT_SECONDS = 15.0
GITIGNORE = ("# yiguan: locks, undo history and caches stay out of git\n*.lock\n*.tmp\n.yiguan/\n"
             "# members' phone numbers and private notes: never in git (back it up apart)\n"
             "private.toml\n")

T = TypeVar("T")

def _status_line(line: bytes) -> str | None:
    """The status a head line sets (`status = "open"`, a literal string or a comment
    after it allowed), or None."""
    key, equals, value = line.partition(b"=")
    if not equals or key.strip() != b"status":
        return None
    value = value.strip()
    quote = value[:1]
    if quote not in (b'"', b"'"):
        return None
    end = value.find(quote, 1)
    word, rest = value[1:end], value[end + 1:].strip()
    if end < 0 or not word.isalnum() or not word.isascii() or rest[:1] not in (b"", b"#"):
        return None
    return word.decode()


def _one_line(line: bytes) -> bool:
    """Whether a line at the top of a file cannot open a value that spans lines: blank, a
    comment, or `key = value` whose value is not a multi-line string, an array or an
    inline table. (A basic or literal string never spans lines in TOML.)"""
    text = line.strip()
    if not text or text[:1] == b"#":
        return True
    key, equals, value = text.partition(b"=")
    value = value.strip()
    return bool(equals and key.strip() and value) and not value.startswith(
        (b'"""', b"'''", b"[", b"{"))


def meeting_sort_key(meeting_id: str) -> tuple[str, int]:
    """Date, then the number within the day (a well-formed id: YYYY-MM-DD[-N])."""
    return meeting_id[:10], int(meeting_id[11:] or 1)


def is_meeting_id(meeting_id: str) -> bool:
    """`YYYY-MM-DD` or `YYYY-MM-DD-N` in ASCII digits, of a day that exists."""
    match = MEETING_ID_RE.match(meeting_id)
    if not match:
        return False
    try:
        dt.date.fromisoformat(match.group(1))
    except ValueError:
        return False
    return True


def check_meeting_id(meeting_id: str) -> str:
    """Refuse anything that is not `YYYY-MM-DD` or `YYYY-MM-DD-N` (so no `../`)."""
    if not is_meeting_id(meeting_id):
        raise YiguanError("store.bad_meeting_id", id=meeting_id)
    return meeting_id


# --- locking and atomic writes ---------------------------------------------------------

def lock_path_of(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `<path>.lock` for the duration."""
    lock_path = lock_path_of(path)
    while True:
        fd = _open_lock(lock_path)
        try:
            _acquire(fd, lock_path)
        except BaseException:
            os.close(fd)
            raise
        if _still_there(fd, lock_path):
            break
        # undoing a meeting's creation removed this lock file while we waited for it:
        # lock the one that is there now, as every later command does
        _release(fd)
        os.close(fd)
    try:
        try:
            yield
        finally:
            _release(fd)
    finally:
        os.close(fd)


def _still_there(fd: int, lock_path: Path) -> bool:
    try:
        on_disk = os.lstat(lock_path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_ino, held.st_dev) == (on_disk.st_ino, on_disk.st_dev)


def _open_lock(lock_path: Path) -> int:
    """The lock file, never through a link: a `*.lock` link planted in a cloned
    repository would make the lock create or open a file elsewhere. Such a link is
    removed (a lock file holds nothing) and a lock file of our own takes its place."""
    for _ in range(3):
        if os.path.islink(lock_path):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(lock_path)
        try:
            return os.open(lock_path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o644)
        except OSError as error:
            if not os.path.islink(lock_path):  # not a link put back meanwhile
                raise write_error(error, lock_path) from None
    raise YiguanError("store.link_refused", path=str(lock_path))


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def private_dir_problem(root: Path, *parts: str, create: bool) -> YiguanError | None:
    """Why `root/.yiguan[/parts…]` cannot hold yiguan's own state (the undo journal, the
    index, caches), or None when it is a real folder (made now if `create`). A link
    there — a cloned repository may hold `.yiguan/undo -> elsewhere` — is refused: yiguan
    never writes its state through a link, so no write lands outside the data folder."""
    path = root
    for part in (PRIVATE_DIR, *parts):
        path = path / part
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            if not create:
                return None
            try:
                os.mkdir(path)
            except FileExistsError:
                info = os.lstat(path)
            except OSError as error:
                return write_error(error, path)
            else:
                continue
        if stat.S_ISLNK(info.st_mode):
            return YiguanError("store.link_refused", path=str(path))
        if not stat.S_ISDIR(info.st_mode):
            return YiguanError("store.not_a_folder", path=str(path))
    return None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _acquire(fd: int, lock_path: Path) -> None:
        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise YiguanError("store.lock_timeout", path=str(lock_path)) from None
                time.sleep(0.01)

    def _release(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _acquire(fd: int, lock_path: Path) -> None:
        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise YiguanError("store.lock_timeout", path=str(lock_path)) from None
                time.sleep(0.002)

    def _release(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


_saved = [0]


def saved_changes() -> int:
    """How many files this process has replaced, created or removed for good: once a
    change is saved, the command has done what it was asked."""
    return _saved[0]


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write(path: Path, data: bytes, *, new_mode: int | None = None) -> None:
    """Replace `path` with `data` so that a reader or a crash sees old or new, never half.
    The file keeps its mode; a new one gets `new_mode` (private.toml: only its owner may
    read it), else what the umask gives."""
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = new_mode if new_mode is not None else _default_mode()
    try:
        fd, tmp = _temporary(path.parent, f".{path.name}.")
    except OSError as error:
        raise write_error(error, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        _saved[0] += 1
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(error, OSError):
            raise write_error(error, path) from None
        raise
    _fsync_dir(path.parent)


def write_output(path: Path, data: bytes, *, data_root: Path | None) -> bool:
    """Write a document to the file `-o` names, as a shell's `>` would, but safely.

    A regular file (or a new one) is replaced atomically — through a link, the file it
    points at, so the link stays a link. A device or a FIFO (`-o /dev/null`, a named pipe,
    `-o /dev/stdout`) is written through, never replaced by a regular file. Returns True
    when it wrote through to such a special file.

    Never a file of the data folder `data_root`, however the path reaches it (a link
    planted beside it, `m/./x/../2022-03-08.toml`, `.TOML`): a record written over there
    is outside the store, so `undo` could not take it back."""
    name = os.fspath(path)
    for stream, fd in (("/dev/stdout", 1), ("/dev/stderr", 2)):
        if name == stream:  # the stream itself, not a new open that would truncate it
            name = f"/dev/fd/{fd}"
    if name.startswith("/dev/fd/") and name[8:].isdigit():
        _write_fd(int(name[8:]), data, path)
        return True
    if data_root is not None:
        refuse_output_into(path, data_root)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    if info is None or stat.S_ISREG(info.st_mode):
        atomic_write(Path(os.path.realpath(path)), data)
        return False
    if stat.S_ISDIR(info.st_mode):
        raise YiguanError("store.is_a_folder", path=name)
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise write_error(error, path) from None
    try:
        _write_fd(fd, data, path)
    finally:
        os.close(fd)
    return True


def refuse_output_into(path: Path, root: Path) -> None:
    """Refuse `-o path` when it leads to a file yiguan keeps in the data folder `root`."""
    kept = kept_by_yiguan(path, root)
    if kept is not None:
        raise YiguanError("store.output_is_data", path=os.fspath(path), target=kept)


_KEPT_BESIDE = (".gitignore", ".gitattributes")


def kept_by_yiguan(path: Path | str, root: Path) -> str | None:
    """The real file `path` leads to when it is one yiguan keeps in the data folder
    `root` — a `*.toml` directly in it (council.toml, a meeting, one to come), its
    `.gitignore` and `.gitattributes` (which keep locks and private data out of git and
    make git merge records), a `*.lock`, or anything under its `.yiguan/` — else None.

    The folder is recognised by identity (device and inode) among the real path's
    ancestors, not by comparing names, so a link to the folder or a case-insensitive
    file system that spells it otherwise leads to it all the same."""
    real = os.path.realpath(path)
    try:
        folder = os.stat(root)
    except OSError:
        return None
    below = real
    while True:
        parent = os.path.dirname(below)
        if parent == below:
            return None
        try:
            info = os.stat(parent)
        except OSError:
            info = None
        if info is not None and (info.st_dev, info.st_ino) == (folder.st_dev, folder.st_ino):
            name = os.path.basename(below).lower()
            if name == PRIVATE_DIR or (below == real and (
                    name.endswith((".toml", ".lock")) or name in _KEPT_BESIDE)):
                return real
            return None
        below = parent


def is_data_file(path: Path | str, root: Path) -> bool:
    """Whether `path` names a file the store keeps directly in the data folder `root`:
    council.toml or a meeting file (the folder recognised by identity, so any spelling
    of it counts; the file itself may not exist, or be a link the store then refuses)."""
    name = os.path.basename(os.fspath(path))
    if not (name == COUNCIL_FILE or (name.endswith(".toml") and is_meeting_id(name[:-5]))):
        return False
    try:
        return os.path.samefile(os.path.dirname(os.path.abspath(path)), root)
    except OSError:
        return False


def _write_fd(fd: int, data: bytes, path: Path) -> None:
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view):]
    except OSError as error:
        raise write_error(error, path) from None


_REASONS = {"ENOSPC": "oserr.no_space", "EDQUOT": "oserr.quota", "EROFS": "oserr.read_only_fs",
            "EACCES": "oserr.permission", "EPERM": "oserr.permission", "EIO": "oserr.io",
            "EFBIG": "oserr.too_big"}


def write_error(error: OSError, path: Path | str) -> YiguanError:
    """A failed write as one line that names the file (a full disk's ENOSPC carries no
    file name of its own) and says why in the user's language where it can."""
    name = errno.errorcode.get(error.errno or 0, "")
    if name in _REASONS:
        return YiguanError("store.write_failed", path=str(path), why_key=_REASONS[name])
    return YiguanError("store.write_failed", path=str(path),
                       why=error.strerror or type(error).__name__)


def _temporary(folder: Path, prefix: str) -> tuple[int, str]:
    """A new file of our own in `folder` (what tempfile.mkstemp does, without the ~2 ms
    import on every run)."""
    for attempt in range(100):
        name = os.path.join(folder, f"{prefix}{os.getpid()}.{time.monotonic_ns()}.{attempt}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                           0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(prefix)


def sweep_temporaries(folder: Path) -> int:
    """Remove temporary files that a killed writer left in `folder` (`.<name>.<pid>.….tmp`
    whose process is gone). Returns how many. Not on Windows, where probing a process
    with os.kill would end it."""
    if sys.platform == "win32":  # pragma: no cover
        return 0
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if not (name.startswith(".") and name.endswith(".tmp")):
            continue
        parts = name.split(".")
        pid = parts[-4] if len(parts) >= 5 else ""
        if not pid.isdigit() or _alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(folder, name))
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


MAX_FILE_BYTES = 16 * 1024 * 1024  # a meeting of 10,000 attendees is ~1 MB

_KINDS = ((stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "fifo"), (stat.S_ISCHR, "device"),
          (stat.S_ISBLK, "device"), (stat.S_ISSOCK, "socket"))


def regular_file_problem(mode: int, size: int, shown: str) -> YiguanError | None:
    """Why a file of this mode and size is not read as a meeting, or None."""
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "other")
        return YiguanError("store.not_regular", path=shown, kind_key=f"filekind.{kind}")
    if size > MAX_FILE_BYTES:
        return YiguanError("store.too_big", path=shown, size=size // (1024 * 1024),
                           limit=MAX_FILE_BYTES // (1024 * 1024))
    return None


def read_regular(path: Path | str, shown: str | None = None, *,
                 limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES (the first `limit` of them).
    A FIFO, a device (a link to /dev/zero), a folder or a bigger file is refused before a
    byte is read: opening does not wait for a FIFO's writer, and nothing reads without
    end. FileNotFoundError passes through."""
    shown = shown if shown is not None else str(path)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        problem = regular_file_problem(info.st_mode, info.st_size, shown)
        if problem:
            raise problem
        chunks: list[bytes] = []
        total = 0
        cap = min(limit, MAX_FILE_BYTES + 1)  # one byte more: a file that grew meanwhile
        while total < cap:
            chunk = os.read(fd, min(max(info.st_size + 1 - total, 65536), cap - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > MAX_FILE_BYTES:
        raise YiguanError("store.too_big", path=shown, size=total // (1024 * 1024),
                          limit=MAX_FILE_BYTES // (1024 * 1024))
    return b"".join(chunks)


def _read(path: Path) -> bytes | None:
    try:
        return read_regular(path)
    except FileNotFoundError:
        return None


def ignore_private(root: Path) -> bool:
    """List private.toml in the data folder's .gitignore (made if missing) unless it is
    there; whether the file changed. A .gitignore that is a link is not written through."""
    path = root / ".gitignore"
    if os.path.islink(path):
        raise YiguanError("store.linked_file", path=str(path))
    try:
        text = read_regular(path).decode("utf-8", "replace")
    except FileNotFoundError:
        text = ""
    if any(line.strip() in (PRIVATE_FILE, "/" + PRIVATE_FILE) for line in text.splitlines()):
        return False
    lines = GITIGNORE.splitlines(keepends=True)
    if not text:
        addition = "".join(lines)
    else:
        addition = ("" if text.endswith("\n") else "\n") + "".join(lines[-2:])
    atomic_write(path, (text + addition).encode("utf-8"))
    return True


# --- the undo journal --------------------------------------------------------------------

def checksum(data: bytes | None) -> str:
    """A short fingerprint of a file's bytes (or of its absence), to notice hand edits."""
    return "absent00" if data is None else f"{zlib.crc32(data):08x}"


def _journal_target(name: str) -> bool:
    """Only council.toml, private.toml and meeting files are ever restored: an entry
    planted in a cloned repository's .yiguan/undo cannot name any other file."""
    return name in (COUNCIL_FILE, PRIVATE_FILE) or (name.endswith(".toml") and bool(
        MEETING_ID_RE.match(name[:-5])))


class Entry:
    """One journal entry: the bytes a command replaced in `target` (None: the command
    created it), with the checksums of those bytes and of what the command wrote."""

    __slots__ = ("number", "target", "absent", "name", "written", "kept")

    def __init__(self, number: int, target: str, absent: bool, name: str, written: str,
                 kept: str) -> None:
        self.number = number
        self.target = target
        self.absent = absent
        self.name = name
        self.written = written
        self.kept = kept


class Journal:
    """Earlier versions of files, newest last.

    `NNNNNNNN.WWWWWWWW.KKKKKKKK.<file>` holds the bytes a command replaced: KKKKKKKK is
    their checksum (a damaged entry is never restored) and WWWWWWWW that of what the
    command wrote (so `undo` can tell whether the file was edited by hand since);
    `….<file>.absent` says the command created the file.
    """

    PRUNE_EVERY = 16  # looking for old entries to drop costs a listing; do it now and then

    def __init__(self, folder: Path) -> None:
        self.root = folder
        self.folder = folder / PRIVATE_DIR / "undo"

    def _entries(self) -> list[Entry]:
        """Every entry, oldest first."""
        problem = private_dir_problem(self.root, "undo", create=False)
        if problem:
            raise problem
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return []
        out = []
        for name in names:
            parts = name.split(".", 3)
            if len(parts) != 4 or len(parts[0]) != 8 or not parts[0].isdigit() \
                    or len(parts[1]) != 8 or len(parts[2]) != 8:
                continue
            target = parts[3]
            absent = target.endswith(".absent")
            if absent:
                target = target[: -len(".absent")]
            if not _journal_target(target):
                continue
            out.append(Entry(int(parts[0]), target, absent, name, parts[1], parts[2]))
        out.sort(key=lambda e: (e.number, e.name))
        return out

    def record(self, target: Path, before: bytes | None, after: bytes, *,
               number: int | None = None) -> int:
        """Keep `before` (None: `target` is new) as the newest entry; its number. With
        `number`, that of the entry another file's change of the same step took: `undo`
        takes such entries back together."""
        problem = private_dir_problem(self.root, "undo", create=True)
        if problem:
            raise problem
        try:
            fd, tmp = _temporary(self.folder, ".entry.")
        except OSError as error:
            raise write_error(error, self.folder) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(before or b"")
                handle.flush()
                os.fsync(handle.fileno())
            suffix = "" if before is not None else ".absent"
            entries = self._entries()
            if number is None:
                number = (entries[-1].number + 1) if entries else 1
            while True:
                final = os.path.join(self.folder, f"{number:08d}.{checksum(after)}."
                                                  f"{checksum(before or b'')}."
                                                  f"{target.name}{suffix}")
                try:
                    os.link(tmp, final)  # fails if the name is taken: no two writers share it
                    break
                except FileExistsError:
                    number += 1
        except OSError as error:  # a full disk: no entry, and no empty file left behind
            raise write_error(error, self.folder / f"{target.name}") from None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if number % self.PRUNE_EVERY == 0:
            mine = [e for e in entries if e.target == target.name]
            for entry in mine[: max(0, len(mine) + 1 - UNDO_KEEP_PER_FILE)]:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(self.folder, entry.name))
            # and whatever a writer killed mid-write left behind
            sweep_temporaries(self.folder)
            sweep_temporaries(target.parent)
        return number

    def latest(self, target_name: str | None) -> Entry | None:
        """The newest entry (for `target_name`, or for any file)."""
        for entry in reversed(self._entries()):
            if target_name is None or entry.target == target_name:
                return entry
        return None

    def companion(self, entry: Entry) -> Entry | None:
        """The entry of the same step for council.toml's companion file, or None: a
        change of the council writes private.toml too, under one number."""
        pair = {COUNCIL_FILE: PRIVATE_FILE, PRIVATE_FILE: COUNCIL_FILE}.get(entry.target)
        if pair is None:
            return None
        return next((e for e in self._entries()
                     if e.number == entry.number and e.target == pair), None)

    def read(self, entry: Entry) -> bytes | None:
        """The bytes an entry kept (None for a created file), or YiguanError if they are
        not what was kept (truncated, a flipped bit, replaced by a link)."""
        path = self.folder / entry.name
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_BINARY", 0))
        except OSError:
            raise YiguanError("store.undo_damaged", name=entry.target, entry=str(path)) \
                from None
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if checksum(data) != entry.kept or (entry.absent and data):
            raise YiguanError("store.undo_damaged", name=entry.target, entry=str(path))
        return None if entry.absent else data

    def count(self, target_name: str) -> int:
        return sum(1 for e in self._entries() if e.target == target_name)


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
                if not name.endswith(".toml") or name in (COUNCIL_FILE, PRIVATE_FILE) \
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
        data = _read(self.council_path)
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
        data = _read(self.private_path)
        if data is None:
            return Private()
        return load_private(data, self.display(self.private_path))

    def load_meeting(self, meeting_id: str) -> Meeting:
        path = self.meeting_path(meeting_id)
        data = _read(path)
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
        for line in head.split(b"\n")[:-1]:  # the last may be cut at the limit
            status = _status_line(line)
            if status:
                return status
            if not _one_line(line):
                break  # a table, a multi-line value, something unusual: parse it all
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
            fd = os.open(self.root / PRIVATE_DIR / "closed", os.O_RDONLY | _NOFOLLOW)
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
            fd, tmp = _temporary(folder, ".closed.")
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
        self._refuse_link(path)
        with locked(path):
            before = _read(path)
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

    def _refuse_link(self, path: Path) -> None:
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
        self._refuse_link(path)
        private_lock.enter_context(locked(path))
        current = _read(path)
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
                self._refuse_link(self.root / one.target)
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
                    current = _read(self.root / one.target)
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
                _saved[0] += 1
            with contextlib.suppress(OSError):  # Windows keeps an open file
                lock_path_of(target).unlink()
            _fsync_dir(self.root)
        else:
            self._refuse_read_only(target)
            atomic_write(target, previous)
