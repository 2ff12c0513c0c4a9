"""`fmt`: one council or meeting file put in the canonical form, through the store.

The canonical form is the record layer's (`record/fileformat.canonical_text`); writing it
is the store's (locked, atomic, undoable), so this lives in the store, above both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..record.fileformat import canonical_text, parse_toml
from ..text.errors import YiguanError
from .files import read_regular
from .folder import DataFolder


class Reformat:
    """What `reformat` found: whether the file differed from its canonical form, and the
    store's notes about the rewrite (comments dropped)."""

    __slots__ = ("differed", "notes")

    def __init__(self, differed: bool, notes: list[tuple[str, dict[str, Any]]]) -> None:
        self.differed = differed
        self.notes = notes


def reformat(path: Path, *, write: bool = True) -> Reformat:
    """Put one council or meeting file in the canonical form (`fmt`), through the store
    (locked, atomic, undoable); with `write=False` only say whether it differs.

    The promise of fmt: what reads back is exactly the data that was there; a file whose
    canonical form would read otherwise is refused (YiguanError) and left as it is, as is
    a broken file, a link or a read-only file. OSError from reading comes through.
    """
    import tomllib

    shown, council = str(path), path.name == "council.toml"
    before = read_regular(path)
    text = canonical_text(before, shown, council=council)
    if tomllib.loads(text) != parse_toml(before, shown):
        raise YiguanError("fmt.would_change_data", path=shown)
    if text.encode("utf-8") == before:
        return Reformat(False, [])
    if not write:
        return Reformat(True, [])

    def as_read(raw: bytes, shown: str) -> bytes:
        return raw

    def canonical_of(raw: bytes) -> str:
        return canonical_text(raw, shown, council=council)

    with DataFolder(path.parent).edit(path, as_read, canonical_of, relayout=True) as change:
        pass
    return Reformat(True, change.notes)
