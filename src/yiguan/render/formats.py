"""The output formats of a document, registered by name and file suffix.

Each format is one writer module (`render/to_<format>.py`) with `render(doc) -> bytes`.
The registry names it; `render_document` loads it only when a document is asked for in
that format, so a command that prints Markdown never imports python-docx, and the
document model imports no writer (the writers import the model). A new format is one
writer module and one line here.

A format may be for some documents only (`kinds`, the `Document.kind`s that offer it:
PNG images for a phone are for the notices, not the minutes), and may be `paged`: its
writer has `pages(doc) -> list[bytes]` instead, one file each (`render_pages`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .document import Document


class Format(NamedTuple):
    name: str  # what --format takes
    suffixes: tuple[str, ...]  # the file suffixes of -o that choose it, the first written
    binary: bool  # bytes no terminal can show: -o needed
    writer: str  # the module under yiguan.render that writes it
    kinds: tuple[str, ...] = ()  # the documents (Document.kind) that offer it; () all
    paged: bool = False  # one file or several (`pages` instead of `render`)

    def offered_for(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


REGISTRY = (
    Format("md", (".md", ".markdown"), False, "to_markdown"),
    Format("html", (".html", ".htm"), False, "to_html"),
    Format("docx", (".docx",), True, "to_docx"),
    Format("pdf", (".pdf",), True, "to_pdf"),
    Format("png", (".png",), True, "to_png", ("notice", "results", "announce", "agenda"),
           paged=True),
)
BY_NAME = {entry.name: entry for entry in REGISTRY}
BY_SUFFIX = {suffix: entry for entry in REGISTRY for suffix in entry.suffixes}
# what --format offers for every document, in this order
FORMATS = tuple(entry.name for entry in REGISTRY if not entry.kinds)


def formats_for(*kinds: str) -> tuple[Format, ...]:
    """The formats every one of the documents `kinds` offers, in the registry's order."""
    return tuple(entry for entry in REGISTRY
                 if all(entry.offered_for(kind) for kind in kinds))


def render_document(doc: Document, fmt: str) -> bytes:
    """The document in `fmt` (a registered name) as the bytes of a file."""
    assert not BY_NAME[fmt].paged, fmt
    writer = importlib.import_module(f"{__package__}.{BY_NAME[fmt].writer}")
    data: bytes = writer.render(doc)
    return data


def render_pages(doc: Document, fmt: str) -> list[bytes]:
    """The document in `fmt` as the bytes of its files: one, or with a paged format
    (PNG images) as many as it takes, in order."""
    if not BY_NAME[fmt].paged:
        return [render_document(doc, fmt)]
    writer = importlib.import_module(f"{__package__}.{BY_NAME[fmt].writer}")
    data: list[bytes] = writer.pages(doc)
    return data
