"""会前公示: the 议题公示 of a coming meeting, as a `Document` (`notice --agenda`).

The residents see, before the meeting, what it will take up: the date, time and place,
each item with where it came from (心愿墙, 网格员 … and the day it was raised), where the
notice is posted, and whom to tell their views. It is a 公示: no resident's name is ever
on it (`sources.source_of(public=True)`), nor who raised an item (the 提出人 may be a
resident too), nor the roster. Pure and deterministic like the other documents.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import __version__
from ..record.model import Meeting
from ..text.messages import DEFAULT_LANGUAGE, ClockTime, locale, t
from .document import (
    Document,
    Field,
    Fields,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Stamp,
    phrase,
    typed,
    words,
)
from .paper import issued_date, issuer, whom_to_tell
from .sources import source_in_list


def agenda_notice_document(meeting: Meeting, *, council: str, source: str,
                           lang: str = DEFAULT_LANGUAGE, start: dt.date | None = None,
                           contact: str | None = None, version: str = __version__,
                           org: str | None = None, place: str | None = None,
                           phone: str | None = None) -> Document:
    """议题公示 of `meeting`. `start`: the day it is posted (its date, and the first day
    of the period that runs to the eve of the meeting; without it the date is left
    blank); `contact`: whom residents tell their views (else the council's recorder, or
    the council); from council.toml: `org` issues and seals it, `place` where it is
    posted, `phone` the public 监督电话."""
    def say(key: str, **params: Any) -> Inline:
        return phrase(key, lang, **params)

    name = typed(council)
    day = locale(lang).date_words(meeting.date, weekday=True)
    when = say("paper.when", date=day, time=ClockTime(meeting.time)) if meeting.time \
        else words(day)
    doc = Document("agenda", lang, say("agenda_notice.title", council=name),
                   (start or meeting.date).isoformat())
    doc.add(Paragraph(say("agenda_notice.intro", council=name, title=typed(meeting.title))))
    rows = [Field(t("paper.label.when", lang=lang), when),
            Field(t("paper.label.place", lang=lang), typed(meeting.place) if meeting.place
                  else say("documents.not_recorded"))]
    doc.add(Fields(tuple(rows)))
    doc.add(Heading(2, say("paper.agenda")))
    if meeting.item:
        doc.add(ListBlock(tuple(
            ListItem(typed(item.title) + source_in_list(item, lang, public=True),
                     number=item.id)
            for item in sorted(meeting.item, key=lambda i: i.id))))
    else:
        doc.add(Paragraph(say("minutes.no_agenda")))
    fields = []
    if start is not None and start < meeting.date:
        fields.append(Field(t("notice.label.period", lang=lang), say(
            "agenda_notice.period", first=locale(lang).date_words(start),
            last=locale(lang).date_words(meeting.date - dt.timedelta(days=1)))))
    if place:
        fields.append(Field(t("notice.label.place", lang=lang), typed(place)))
    fields.append(Field(t("agenda_notice.label.views", lang=lang),
                        say("agenda_notice.views",
                            contact=whom_to_tell(meeting, name, contact, lang))))
    if phone:
        fields.append(Field(t("notice.label.contact", lang=lang), typed(phone)))
    doc.add(Fields(tuple(fields)))
    doc.add(Paragraph(say("notice.closing")))
    doc.add(Stamp(issuer(council, org), issued_date(start, lang),
                  t("documents.seal", lang=lang)))
    doc.footer = say("documents.footer_notice", version=typed(version), source=typed(source))
    return doc
