"""The papers before a meeting: the meeting notice (会议通知) and the sign-in sheet (签到表).

Both are printed and filled in by hand, so they leave blanks where the pen goes: the
receipt column (签收) of the notice, the signature and time columns of the sheet, 实到,
and the date of issue unless it is given. What the file knows is printed: 应到 (the
roster's size) and 请假 in the row of a member excused before the meeting. The sheet
fits one A4 page for up to 20 members and 3 guests: from SIDE_BY_SIDE members on, two
members share a row (1–10 on the left, 11–20 on the right). The receipt table of the
notice is never split across pages. Nothing is read from the clock: the same meeting
file gives the same paper. Built as `Document`s like the minutes; the roster passed in
is the meeting's snapshot of names (`members`), never the council's phones or notes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..record.model import Meeting
from ..text.messages import DEFAULT_LANGUAGE, ClockTime, locale, t
from . import facts
from .document import (
    FORM,
    Document,
    Field,
    Fields,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Stamp,
    Table,
    join,
    phrase,
    typed,
    words,
)
from .sources import source_in_list

GUEST_BLANK_ROWS = 3  # room for 列席 who come without notice
SIDE_BY_SIDE = 11  # members from which the sheet puts two to a row: one column holds 10


def issued_date(day: dt.date | None, lang: str) -> str:
    """The date of issue in words, or a blank to write it in by hand."""
    return locale(lang).date_words(day) if day is not None else t("paper.date_blank", lang=lang)


def _when(meeting: Meeting, lang: str) -> Inline:
    day = locale(lang).date_words(meeting.date, weekday=True)
    if meeting.time:
        return phrase("paper.when", lang, date=day, time=ClockTime(meeting.time))
    return words(day)


def issuer(council: str, org: str | None) -> Inline:
    """Who issues and seals a paper: the organisation (`org` in council.toml), else the
    council itself."""
    return typed(org) if org else typed(council)


def whom_to_tell(meeting: Meeting, council: Inline, contact: str | None,
                 lang: str) -> Inline:
    """Whom residents and members give their views to: the `contact` given, else the
    council's recorder (幸福里社区居民议事会记录人张敏), else the council."""
    if contact:
        return typed(contact)
    if meeting.recorder:
        return phrase("notice.contact_recorder", lang, council=council,
                      name=typed(meeting.recorder))
    return council


def announce_document(meeting: Meeting, *, council: str, lang: str = DEFAULT_LANGUAGE,
                      org: str | None = None, contact: str | None = None,
                      issued: dt.date | None = None) -> Document:
    """会议通知: when and where, the agenda with who raised each item, who is invited,
    how to send views or ask for leave, the issuer and date, and a receipt table."""
    def say(key: str, **params: Any) -> Inline:
        return phrase(key, lang, **params)

    name = typed(council)
    doc = Document("announce", lang, say("paper.announce_title", council=name),
                   (issued or meeting.date).isoformat())
    sep = locale(lang).list_separator
    doc.add(Paragraph(say("paper.announce_to"), "flush"))
    doc.add(Paragraph(say("paper.announce_intro", council=name, title=typed(meeting.title))))
    rows = [Field(t("paper.label.when", lang=lang), _when(meeting, lang)),
            Field(t("paper.label.place", lang=lang), typed(meeting.place) if meeting.place
                  else say("documents.not_recorded"))]
    if meeting.host:
        rows.append(Field(t("minutes.label.host", lang=lang), typed(meeting.host)))
    rows.append(Field(t("paper.label.invited", lang=lang),
                      join([typed(n) for n in meeting.members], sep) if meeting.members
                      else say("documents.none")))
    guests = facts.attendance(meeting).guests
    if guests:
        # an organisation of brackets alone (「（）」) unbrackets to nothing: the name alone
        orgs = [(g, facts.unbracketed(o, lang) if o else "") for g, o in guests]
        rows.append(Field(t("minutes.label.guests", lang=lang), join(
            [say("minutes.guest", name=typed(g), org=typed(o)) if o else typed(g)
             for g, o in orgs], sep)))
    doc.add(Fields(tuple(rows)))
    doc.add(Heading(2, say("paper.agenda")))
    if meeting.item:
        doc.add(ListBlock(tuple(
            ListItem(typed(item.title) + (say("paper.raised_by", name=typed(item.by))
                                          if item.by else ())
                     + source_in_list(item, lang, public=False), number=item.id)
            for item in sorted(meeting.item, key=lambda i: i.id))))
    else:
        doc.add(Paragraph(say("minutes.no_agenda")))
    doc.add(Paragraph(say("paper.announce_views",
                          contact=whom_to_tell(meeting, name, None, lang))))
    if contact:
        doc.add(Fields((Field(t("paper.label.contact", lang=lang), typed(contact)),)))
    doc.add(Paragraph(say("paper.announce_closing")))
    doc.add(Stamp(issuer(council, org), issued_date(issued, lang), t("documents.seal", lang=lang)))
    doc.add(Heading(2, say("paper.receipt")))
    doc.add(Table(tuple(t(f"paper.col.{c}", lang=lang) for c in ("number", "name", "receipt")),
                  tuple((words(str(n)), typed(member), ())
                        for n, member in enumerate(meeting.members, 1)),
                  widths=(1, 3, 5), tall=True, whole=True))
    return doc


def sign_sheet_document(meeting: Meeting, *, council: str,
                        lang: str = DEFAULT_LANGUAGE) -> Document:
    """签到表: the heading, a row to sign for every member of the meeting's roster, a
    table for 列席 with 单位, and 应到/实到 to fill in by hand."""
    def say(key: str, **params: Any) -> Inline:
        return phrase(key, lang, **params)

    doc = Document("sign-sheet", lang, say("paper.sheet_title", council=typed(council)),
                   meeting.date.isoformat(), margins=FORM)
    rows = [Field(t("minutes.label.title", lang=lang), typed(meeting.title)),
            Field(t("paper.label.when", lang=lang), _when(meeting, lang)),
            Field(t("paper.label.place", lang=lang), typed(meeting.place) if meeting.place
                  else say("documents.not_recorded"))]
    doc.add(Fields(tuple(rows)))
    columns = tuple(t(f"paper.col.{c}", lang=lang) for c in ("number", "name", "time", "sign"))
    attendance = facts.attendance(meeting)
    excused = {name for name, _ in attendance.excused}
    marked = say("paper.excused")
    members: list[tuple[Inline, ...]] = [
        (words(str(n)), typed(member), (), marked if member in excused else ())
        for n, member in enumerate(meeting.members, 1)]
    widths: tuple[int, ...] = (13, 22, 22, 28)
    if len(members) >= SIDE_BY_SIDE:
        # two members to a row, in order down the left half, then down the right
        half = (len(members) + 1) // 2
        left, right = members[:half], members[half:]
        members = [row + (right[n] if n < len(right) else ((),) * len(columns))
                   for n, row in enumerate(left)]
        columns, widths = columns * 2, widths * 2
    doc.add(Heading(2, say("paper.members")))
    doc.add(Table(columns, tuple(members), widths=widths, tall=True))
    doc.add(Heading(2, say("paper.guests")))
    guest_columns = tuple(t(f"paper.col.{c}", lang=lang)
                          for c in ("number", "name", "org", "time", "sign"))
    doc.add(Table(guest_columns, tuple(
        (words(str(n)), typed(name), typed(org) if org else (), (), ())
        for n, (name, org) in enumerate(attendance.guests, 1)), widths=(3, 5, 8, 5, 6),
        blank_rows=GUEST_BLANK_ROWS, tall=True))
    doc.add(Paragraph(say("paper.totals", expected=attendance.expected), "flush"))
    return doc
