"""Photos and scans kept with the meetings (影像资料): the data folder's `files/`.

A file attached to a meeting is read once (a regular file, not a link, at most 20 MB, a
JPEG, PNG, PDF or Word document by its first bytes and its suffix alike), a photo loses
where it was taken (`exif.strip_location`), and the bytes are stored as
`files/<first 16 hex digits of their SHA-256>.<type>`: the same photo attached twice is
one file, and a file's name says what it must hold. The meeting's `[[attachment]]`
record (record/kinds.py) keeps the name it had, its caption, its size and the full
SHA-256 of the bytes stored, which `check` verifies (`problems`).

A file is written before the record that names it, atomically; once no meeting names
a file any more (`undo` took back the record that did), `release` removes it, so undo
leaves the folder as it was; a file another meeting (or another attachment) still names
is kept. `unreferenced` lists what nobody names, for `check` to mention. No Typer.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..record.kinds import MOST_ATTACHMENT_BYTES, Attachment
from ..record.model import Meeting
from ..record.schema import valid_text
from ..text.errors import Problem, YiguanError
from .files import atomic_write, fsync_dir, locked

FILES_DIR = "files"
# what a suffix promises, and the type it is stored as
TYPES = {".jpg": "jpg", ".jpeg": "jpg", ".png": "png", ".pdf": "pdf", ".docx": "docx"}
IMAGES = ("jpg", "png")  # what the printed minutes show; the others are listed
FILE_NAME = re.compile(r"([0-9a-f]{16})\.(jpg|png|pdf|docx)\Z")
SHA256 = re.compile(r"[0-9a-f]{64}\Z")
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs",
               b"mif1", b"msf1", b"avif")


@dataclass(frozen=True)
class Prepared:
    """A file ready to be attached: its name as given, its type, the bytes to store
    (a photo's without its place), their SHA-256, and whether a place was taken out."""

    name: str
    kind: str
    data: bytes
    sha256: str
    stripped: bool

    @property
    def file(self) -> str:
        return f"{self.sha256[:16]}.{self.kind}"


def sniff(data: bytes) -> str | None:
    """The type the first bytes say: jpg, png, pdf, docx, heic (refused), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return "heic"
    if data.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        return "docx" if "word/document.xml" in names else None
    return None


def prepare(path: Path) -> Prepared:
    """Read the file to attach, or refuse it in one sentence: missing, a link, no regular
    file, over 20 MB, a HEIC photo, a type yiguan does not keep, or content that is not
    what its suffix says."""
    shown = str(path)
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise YiguanError("attach.missing", path=shown) from None
    if stat.S_ISLNK(info.st_mode):
        raise YiguanError("attach.link", path=shown)
    if not stat.S_ISREG(info.st_mode):
        raise YiguanError("attach.not_regular", path=shown)
    if info.st_size > MOST_ATTACHMENT_BYTES:
        raise _too_large(shown, info.st_size)
    suffix = path.suffix.lower()
    if suffix in (".heic", ".heif"):
        raise YiguanError("attach.heic", path=shown)
    if suffix not in TYPES:
        raise YiguanError("attach.bad_type", path=shown, suffix=suffix or "-")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the lstat
            raise YiguanError("attach.not_regular", path=shown)
        data = handle.read(MOST_ATTACHMENT_BYTES + 1)
    if len(data) > MOST_ATTACHMENT_BYTES:
        raise _too_large(shown, len(data))
    kind = sniff(data)
    if kind == "heic":
        raise YiguanError("attach.heic", path=shown)
    if kind != TYPES[suffix]:
        raise YiguanError("attach.wrong_content", path=shown, suffix=suffix,
                          type_key=f"attach.type.{TYPES[suffix]}")
    stripped = False
    if kind in IMAGES:
        from .exif import Unreadable, strip_location

        try:
            data, stripped = strip_location(data, kind)
        except Unreadable:
            raise YiguanError("attach.wrong_content", path=shown, suffix=suffix,
                              type_key=f"attach.type.{kind}") from None
    name = valid_text(path.name, "line", "file_name")
    return Prepared(name, kind, data, hashlib.sha256(data).hexdigest(), stripped)


def _too_large(shown: str, size: int) -> YiguanError:
    # tenths of a MB rounded up: a file just over the limit must not read as "20.0 MB,
    # over the 20 MB limit"
    tenths = -(-size * 10 // (1024 * 1024))
    return YiguanError("attach.too_large", path=shown, size=f"{tenths // 10}.{tenths % 10}",
                       most=MOST_ATTACHMENT_BYTES // (1024 * 1024))


def files_dir(root: Path) -> Path:
    return root / FILES_DIR


@contextlib.contextmanager
def files_locked(root: Path) -> Iterator[None]:
    """Hold files/'s lock (`files.lock` beside it) while files are added or released; in
    a folder that is not there, nothing to hold (the command says so itself)."""
    if not root.is_dir():
        yield
        return
    with locked(files_dir(root)):
        yield


def path_of(root: Path, file: str) -> Path | None:
    """Where the file an attachment names is kept; None for a name yiguan never gives
    (a hand edit: `../council.toml` is never read)."""
    return files_dir(root) / file if FILE_NAME.match(file) else None


def store(root: Path, prepared: Prepared) -> bool:
    """Put the bytes in files/ (atomically), unless the same bytes are there: whether
    the file was written. A file of that name holding other bytes (changed by hand) is
    put right: the name says what it holds."""
    folder = files_dir(root)
    if folder.is_symlink():
        raise YiguanError("attach.files_link", path=str(folder))
    folder.mkdir(exist_ok=True)
    target = folder / prepared.file
    if target.is_symlink():
        raise YiguanError("attach.files_link", path=str(target))
    with contextlib.suppress(OSError):
        if hashlib.sha256(target.read_bytes()).hexdigest() == prepared.sha256:
            return False
    atomic_write(target, prepared.data)
    return True


def remove(root: Path, file: str) -> None:
    """Take away a file just stored (its record was not saved)."""
    path = path_of(root, file)
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            fsync_dir(path.parent)


# --- what the folder's meetings name -------------------------------------------------------

def named_in(data: bytes | None) -> set[str]:
    """The files a meeting file's `[[attachment]]` records name (none if it is no TOML)."""
    if not data or b"[[attachment]]" not in data:
        return set()
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return set()
    tables = parsed.get("attachment")
    if not isinstance(tables, list):
        return set()
    return {t["file"] for t in tables if isinstance(t, dict) and isinstance(t.get("file"), str)}


def named_in_folder(root: Path, meeting_files: list[Path]) -> set[str]:
    """Every file the meetings of the folder name."""
    found: set[str] = set()
    for path in meeting_files:
        with contextlib.suppress(OSError):
            found |= named_in(path.read_bytes())
    return found


def stored(root: Path) -> list[str]:
    """The names in files/ (those yiguan gives), sorted."""
    try:
        names = os.listdir(files_dir(root))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(name for name in names if FILE_NAME.match(name))


def release(root: Path, undone: bytes | None, restored: bytes | None,
            meeting_files: list[Path]) -> list[str]:
    """After `undo` of a meeting file: remove each file the undone version named, the
    restored one does not, and no meeting of the folder names now; the names removed.
    A meeting file is searched as bytes, not read as TOML: one that does not parse (a
    merge's conflict markers, a hand edit) still keeps the files it mentions, and a
    meeting file that cannot be read keeps them all."""
    gone = named_in(undone) - named_in(restored)
    if not gone:
        return []
    removed = []
    with files_locked(root):
        still: set[str] = set()
        for meeting_file in meeting_files:
            try:
                data = meeting_file.read_bytes()
            except OSError:
                return []  # cannot tell who names what: remove nothing
            still |= {file for file in gone if file.encode("ascii") in data}
        for file in sorted(gone - still):
            path = path_of(root, file)
            if path is not None and path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(file)
        if removed:
            fsync_dir(files_dir(root))
    return removed


def problems(root: Path, attachments: list[tuple[str, str, str, str]],
             shown: str) -> list[Problem]:
    """What is wrong with the files a meeting's attachments name, as (id, name, file,
    sha256): a name yiguan never gives, a file missing, or bytes changed since."""
    found: list[Problem] = []
    for record_id, name, file, sha256 in attachments:
        where = ("attachment", record_id)
        path = path_of(root, file)
        if path is None or not SHA256.match(sha256) or not sha256.startswith(file[:16]):
            found.append(Problem(shown, "attach.check_bad_name", {"name": name, "file": file},
                                 record=where))
            continue
        shown_file = f"{FILES_DIR}/{file}"
        try:
            if path.is_symlink():
                raise FileNotFoundError(file)
            data = path.read_bytes()
        except FileNotFoundError:
            found.append(Problem(shown, "attach.check_missing",
                                 {"name": name, "file": shown_file}, record=where))
            continue
        except OSError as error:
            found.append(Problem(shown, "attach.check_unreadable",
                                 {"name": name, "file": shown_file,
                                  "why": error.strerror or str(error)}, record=where))
            continue
        if hashlib.sha256(data).hexdigest() != sha256:
            found.append(Problem(shown, "attach.check_changed",
                                 {"name": name, "file": shown_file}, record=where))
    return found


def unreferenced(root: Path, meeting_files: list[Path]) -> list[Problem]:
    """A warning for each file in files/ that no meeting names (an attachment struck, a
    file copied in by hand): worth saying, nothing in the record is wrong."""
    kept = stored(root)
    if not kept:  # most councils attach nothing: no meeting is read again
        return []
    names = named_in_folder(root, meeting_files)
    return [Problem(str(files_dir(root) / file), "attach.unreferenced", warning=True)
            for file in kept if file not in names]


def images(root: Path, meeting: Meeting) -> dict[str, bytes]:
    """The photos a meeting's attachments name, as stored, by their name in files/: those
    whose bytes are still what was attached (`check` names the others)."""
    found: dict[str, bytes] = {}
    for record in meeting.records(Attachment):
        path = path_of(root, record.file)
        if path is None or record.file.rpartition(".")[2] not in IMAGES:
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == record.sha256:
            found[record.file] = data
    return found
