"""Look up user-facing text in the catalogue of the current language.

Chinese is the default; `YIGUAN_LANG=en` switches to English. The catalogues themselves
are `catalog_zh` and `catalog_en`; a test keeps their keys and placeholders in step.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

LANGUAGES = ("zh", "en")


def current_language() -> str:
    value = os.environ.get("YIGUAN_LANG", "").strip().lower()
    return "en" if value.startswith("en") else "zh"


def catalogue(lang: str) -> dict[str, str]:
    if lang == "en":
        from .catalog_en import MESSAGES as en

        return en
    from .catalog_zh import MESSAGES as zh

    return zh


class ClockTime(str):
    """A stored time of day, shown as the reader's language writes it.

    Times are stored on the meeting's date, and a meeting past midnight stores the next
    day's times as 24:00–35:59 (see docs/format.md): "24:30" reads 次日 00:30 or
    00:30 (next day). Messages get a ClockTime wherever they show a time; `t` renders it
    in the language of the message, so an error raised in one language and shown in
    another still reads right.
    """

    __slots__ = ()


def clock_text(time: str, lang: str | None = None) -> str:
    """`19:30` as it is; `24:30` as 次日 00:30 / 00:30 (next day)."""
    if time < "24:00" or len(time) != 5:
        return str(time)
    hours = int(time[:2]) - 24
    return t("time.next_day", lang=lang, time=f"{hours:02d}{time[2:]}")


class Listed(tuple[Any, ...]):
    """Several values in a message, shown as the reader's language lists them: 甲、乙 in
    Chinese, A, B in English (`listed`). Like ClockTime, rendered by `t` in the language
    of the message."""

    __slots__ = ()


def listed(items: Iterable[Any], lang: str | None = None) -> str:
    """Items joined as `lang` lists them (list.separator: 、 or , )."""
    return t("list.separator", lang=lang).join(str(item) for item in items)


class Words(tuple[str, ...]):
    """Several message keys in a message (field names: 赞成票数、立场), each shown in the
    language of the message and listed as that language lists things. A key the
    catalogue lacks (a key of a newer file) shows as the last part of its name."""

    __slots__ = ()


def _words(keys: Words, lang: str) -> str:
    known = catalogue(lang)
    return listed((known[key] if key in known else key.rsplit(".", 1)[-1] for key in keys),
                  lang)


class _Count(int):
    """A whole number in a message that may choose a word by its value: `{n:member|members}`
    reads `member` for 1 and `members` otherwise (English plurals; Chinese needs none).
    Any other format spec is an int's."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, other = spec.split("|", 1)
            return one if self == 1 else other
        return int.__format__(self, spec)


def _shown(value: Any, lang: str) -> Any:
    kind = type(value)
    if kind is ClockTime:
        return clock_text(value, lang)
    if kind is Listed:
        return listed(value, lang)
    if kind is Words:
        return _words(value, lang)
    if kind is int:
        return _Count(value)
    return value


def t(key: str, /, lang: str | None = None, **params: Any) -> str:
    """The message `key` in `lang` (default: the current language), filled in.

    A param named `something_key` names another message: it is looked up in the same
    language and filled in as `something` (so "status.adopted" reads 通过 or adopted).
    A ClockTime param is shown as a time of day in that language (`clock_text`), a Listed
    one as that language lists things, and a whole number may choose a word by its value
    (`{n} {n:member|members}`).
    """
    lang = lang or current_language()
    text = catalogue(lang)[key]
    if not params:
        return text
    plain = {k: _shown(v, lang) for k, v in params.items() if not k.endswith("_key")}
    for name, value in params.items():
        if name.endswith("_key"):
            plain[name[:-4]] = t(value, lang, **plain)
    return text.format(**plain)
