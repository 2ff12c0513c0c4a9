"""Attaching a photo or a scan to a meeting (影像资料): the step that adds its
`[[attachment]]` record, once its file is stored (`store/attachments.py`).

Any meeting takes one, planned, open or closed; one attached after the close is dated
(`added`) and, like follow-up work, changes nothing that was said or decided: no
更正说明. Nothing here reads the clock: the caller gives the date.
"""

from __future__ import annotations

import datetime as dt

from ..record.kinds import Attachment
from ..record.model import Meeting
from ..record.schema import valid_text
from ..store.attachments import IMAGES, Prepared
from ..text.errors import YiguanError
from .proceedings import Said


def attach(meeting: Meeting, prepared: Prepared, caption: str | None, public: bool,
           today: dt.date) -> Said:
    """Add the record of a stored file; refused when the meeting has those bytes already."""
    attachments = meeting.records(Attachment)
    for existing in attachments:
        if existing.sha256 == prepared.sha256:
            raise YiguanError("attach.duplicate", path=prepared.name, id=existing.id)
    text = caption.strip() if caption else ""
    record = Attachment(
        id=meeting.next_id(Attachment), name=prepared.name, file=prepared.file,
        caption=valid_text(text, "line", "caption") if text else None,
        size=len(prepared.data), sha256=prepared.sha256, public=public,
        added=today if meeting.status == "closed" else None)
    attachments.append(record)
    said = Said(value=record.id).line(
        "attach.added", id=record.id, name=record.name, file=record.file,
        size=size_words(record.size),
        public_key="attach.public" if public else "attach.private")
    if prepared.kind in IMAGES:
        said.line("attach.location_removed" if prepared.stripped else "attach.no_location")
    if record.added is not None:
        said.line("attach.follow_up", date=record.added.isoformat())
    return said


def size_words(size: int) -> str:
    """A file's size as people say it: 12 KB, 3.4 MB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"
