"""Where an agenda item came from (来源), for the documents that say it.

An item made from a resident's topic (`agenda add --topic`, `meeting/topics.py`) keeps
the way in, the resident and the day on the item itself, so the meeting file reads on
its own. The minutes and the 会议通知 name the resident (`public=False`:
来源：心愿墙（居民王阿姨，2024-04-02）); a 公示 of any kind never does (`public=True`:
来源：心愿墙（2024-04-02）), whatever the file holds.
"""

from __future__ import annotations

from ..record.kinds import Item
from ..text.messages import t
from .document import Inline, phrase, typed, words


def source_of(item: Item, lang: str, *, public: bool) -> Inline | None:
    """The item's source in words (without the label), None for an item not made from a
    topic. `public`: no resident's name."""
    if item.topic is None:
        return None
    via = words(t(f"topics.via.{item.via}", lang=lang) if item.via
                else t("sources.unknown_via", lang=lang))
    date = words(item.raised.isoformat()) if item.raised is not None else ()
    if public:
        return phrase("sources.value_public", lang, via=via, date=date) if date else via
    who = (phrase("sources.resident", lang, name=typed(item.raised_by)) if item.raised_by
           else words(t("sources.anonymous", lang=lang)))
    if not date:
        return phrase("sources.value_undated", lang, via=via, who=who)
    return phrase("sources.value", lang, via=via, who=who, date=date)


def source_line(item: Item, lang: str, *, public: bool) -> Inline | None:
    """来源：… as one phrase, for a list of items."""
    source = source_of(item, lang, public=public)
    return None if source is None else phrase("sources.line", lang, source=source)


def source_in_list(item: Item, lang: str, *, public: bool) -> Inline:
    """（来源：…） after an item's title in a list; nothing for an item not from a topic."""
    source = source_of(item, lang, public=public)
    return () if source is None else phrase("sources.in_list", lang, source=source)


def source_label(lang: str) -> str:
    """The label of the source among an item's fields (来源)."""
    return t("sources.label", lang=lang)
