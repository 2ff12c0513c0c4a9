"""The file system, safely: exclusive locks on a sidecar `<file>.lock`, atomic writes
(a temporary file in the same folder, fsynced, moved over the old one with `os.replace`,
keeping its mode), reading only regular files of bounded size, never following a planted
link into the data folder's own files (`-o`), and meeting ids that can name no other
path. The undo journal (`journal`) and the data folder (`folder`) write through here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ..record.schema import MEETING_ID_RE
from ..text.errors import YiguanError
from .private import PRIVATE_FILE

COUNCIL_FILE = "council.toml"
PRIVATE_DIR = ".yiguan"
# the live state of a meeting's floor (`yiguan.meeting.floor`): .yiguan/floor/<id>.json
FLOOR_DIR = "floor"
LOCK_TIMEOUT_SECONDS = 15.0
GITIGNORE = ("# yiguan: locks, undo history and caches stay out of git\n*.lock\n*.tmp\n.yiguan/\n"
             "# members' phone numbers and private notes: never in git (back it up apart)\n"
             "private.toml\n")


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
            return os.open(lock_path, os.O_RDWR | os.O_CREAT | NOFOLLOW, 0o644)
        except OSError as error:
            if not os.path.islink(lock_path):  # not a link put back meanwhile
                raise write_error(error, lock_path) from None
    raise YiguanError("store.link_refused", path=str(lock_path))


NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


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


def count_saved() -> None:
    """One more file replaced, created or removed for good (`saved_changes`)."""
    _saved[0] += 1


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
        fd, tmp = temporary_in(path.parent, f".{path.name}.")
    except OSError as error:
        raise write_error(error, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        count_saved()
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(error, OSError):
            raise write_error(error, path) from None
        raise
    fsync_dir(path.parent)


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
    if not (name in (COUNCIL_FILE, "topics.toml")
            or (name.endswith(".toml") and is_meeting_id(name[:-5]))):
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


def temporary_in(folder: Path, prefix: str) -> tuple[int, str]:
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


def fsync_dir(folder: Path) -> None:
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


def read_if_present(path: Path) -> bytes | None:
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
