"""The undo journal: the bytes each command replaced, in `.yiguan/undo/`, newest last.

`undo` takes back the latest change (council.toml and private.toml together when one
command changed both), refusing an entry whose checksum is wrong and saying so when the
file was edited by hand since. Only council.toml, private.toml and meeting files are ever
restored: an entry planted in a cloned repository names no other file.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from pathlib import Path

from ..record.schema import MEETING_ID_RE
from ..text.errors import YiguanError
from .files import (
    COUNCIL_FILE,
    MAX_FILE_BYTES,
    PRIVATE_DIR,
    private_dir_problem,
    sweep_temporaries,
    temporary_in,
    write_error,
)
from .private import PRIVATE_FILE

UNDO_KEEP_PER_FILE = 50


# --- the undo journal --------------------------------------------------------------------

def checksum(data: bytes | None) -> str:
    """A short fingerprint of a file's bytes (or of its absence), to notice hand edits."""
    return "absent00" if data is None else f"{zlib.crc32(data):08x}"


def _journal_target(name: str) -> bool:
    """Only council.toml, private.toml, topics.toml and meeting files are ever restored:
    an entry planted in a cloned repository's .yiguan/undo cannot name any other file."""
    return name in (COUNCIL_FILE, PRIVATE_FILE, "topics.toml") or (
        name.endswith(".toml") and bool(MEETING_ID_RE.match(name[:-5])))


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
            fd, tmp = temporary_in(self.folder, ".entry.")
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
