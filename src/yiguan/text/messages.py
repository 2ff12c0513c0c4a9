"""Look up user-facing text in the catalogue of the current language.

Chinese is the default; `YIGUAN_LANG=en` switches to English. Each language is a
`text.locale.Locale` defined with its catalogue in `text/locales/`; `t` asks the Locale
of the language wanted, and the helpers here are the names the rest of yiguan has always
called (`t`, `listed`, `clock_text`, `ClockTime`, `Listed`, `Words`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .locale import ClockTime, Listed, Locale, Words
from .locales import DEFAULT, available, from_environment, get

__all__ = ["DEFAULT_LANGUAGE", "ClockTime", "Listed", "Words", "catalogue", "clock_text",
           "current_language", "languages", "listed", "locale", "t"]

DEFAULT_LANGUAGE = DEFAULT  # without YIGUAN_LANG, and where no language is given


def current_language() -> str:
    """The code of this run's language (YIGUAN_LANG, else Chinese)."""
    return from_environment()


def languages() -> tuple[str, ...]:
    """The codes of every language yiguan speaks, the default first."""
    return available()


def locale(lang: str | None = None) -> Locale:
    """The Locale of `lang` (default: the current language)."""
    return get(lang or from_environment())


def catalogue(lang: str) -> Mapping[str, str]:
    """Every message of `lang`, by key."""
    return get(lang).messages


def clock_text(time: str, lang: str | None = None) -> str:
    """`19:30` as it is; `24:30` as 次日 00:30 / 00:30 (next day)."""
    return locale(lang).clock(time)


def listed(items: Iterable[Any], lang: str | None = None) -> str:
    """Items joined as `lang` lists them (list.separator: 、 or , )."""
    return locale(lang).listed(items)


def t(key: str, /, lang: str | None = None, **params: Any) -> str:
    """The message `key` in `lang` (default: the current language), filled in.

    A param named `something_key` names another message: it is looked up in the same
    language and filled in as `something` (so "status.adopted" reads 通过 or adopted).
    A ClockTime param is shown as a time of day in that language, a Listed one as that
    language lists things, and a whole number may choose a word by its value
    (`{n} {n:member|members}`).
    """
    return locale(lang).say(key, **params)
