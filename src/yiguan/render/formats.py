"""The output formats of a document, registered by name and file suffix.

Each format is one writer module (`render/to_<format>.py`) with `render(doc) -> bytes`.
The registry names it; `render_document` loads it only when a document is asked for in
that format, so a command that prints Markdown never imports python-docx, and the
document model imports no writer (the writers import the model). A new format is one
writer module and one line here.
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


REGISTRY = (
    Format("md", (".md", ".markdown"), False, "to_markdown"),
    Format("html", (".html", ".htm"), False, "to_html"),
    Format("docx", (".docx",), True, "to_docx"),
    Format("pdf", (".pdf",), True, "to_pdf"),
)
BY_NAME = {entry.name: entry for entry in REGISTRY}
BY_SUFFIX = {suffix: entry for entry in REGISTRY for suffix in entry.suffixes}
FORMATS = tuple(entry.name for entry in REGISTRY)  # what --format offers, in this order


def render_document(doc: Document, fmt: str) -> bytes:
    """The document in `fmt` (a registered name) as the bytes of a file."""
    writer = importlib.import_module(f"{__package__}.{BY_NAME[fmt].writer}")
    data: bytes = writer.render(doc)
    return data
