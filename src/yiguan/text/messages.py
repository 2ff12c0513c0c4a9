"""The languages yiguan speaks and the messages it says in them: a `Locale` per language,
which one speaks in this run, and `t`.

A Locale is everything about yiguan's output that differs from one language to another:
its catalogue of messages and what the catalogue cannot say on its own — how a
template's parameters are shown (times of day, lists, counts with their plurals), number
and ratio words, date words, the punctuation code puts between words (a field's colon, a
note in brackets, list and sentence separators: read from the catalogue, so a language
cannot lack one), its language tag (HTML `lang`, the Word document's language) and
whether Typer already speaks it. Renderers and messages ask the Locale; none compares
language codes.

Chinese is the default; `YIGUAN_LANG=en` switches to English. Each language is one
module beside this one, `locale_<code>.py`, holding only its data and rules (see
`Locale.of`): it imports nothing, and is imported the first time its language is asked
for, so a command loads only the language it speaks. `register` adds a Locale at run
time (tests do). This module is on every command's path: plain classes, no dataclasses,
nothing of yiguan imported.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt
    from types import ModuleType

__all__ = ["DEFAULT_LANGUAGE", "ClockTime", "Listed", "Locale", "Words", "catalogue",
           "clock_text", "current_language", "languages", "listed", "locale", "register", "t"]

DEFAULT_LANGUAGE = "zh"  # without YIGUAN_LANG, and where no language is given


class ClockTime(str):
    """A stored time of day, shown as the reader's language writes it.

    Times are stored on the meeting's date, and a meeting past midnight stores the next
    day's times as 24:00–35:59 (see docs/format.md): "24:30" reads 次日 00:30 or
    00:30 (next day). Messages get a ClockTime wherever they show a time; a Locale renders
    it in its own language, so an error raised in one language and shown in another
    still reads right.
    """

    __slots__ = ()


class Listed(tuple[Any, ...]):
    """Several values in a message, shown as the reader's language lists them: 甲、乙 in
    Chinese, A, B in English. Like ClockTime, rendered by the Locale of the message."""

    __slots__ = ()


class Words(tuple[str, ...]):
    """Several message keys in a message (field names: 赞成票数、立场), each shown in the
    language of the message and listed as that language lists things. A key the
    catalogue lacks (a key of a newer file) shows as the last part of its name."""

    __slots__ = ()


class _Count:
    """A whole number in a message that may choose a word by its value: `{n:member|members}`
    gives the form the language's plural rule picks (English: `member` for 1, `members`
    otherwise; Chinese, which has one form, the last). Any other format spec is an int's."""

    __slots__ = ("value", "plural")

    def __init__(self, value: int, plural: Callable[[int], int]) -> None:
        self.value = value
        self.plural = plural

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            forms = spec.split("|")
            return forms[min(self.plural(self.value), len(forms) - 1)]
        return format(self.value, spec)

    def __str__(self) -> str:
        return str(self.value)


class Locale:
    """One language. `code` is what YIGUAN_LANG and `--lang` take; `tag` the BCP 47 tag
    documents carry (HTML `lang`, the Word file's language); `messages` the catalogue;
    `plural(n)` which of a template's forms `{n:one|other}` a count takes; `number_words`
    a number as headings write it (议题一, Item 1); `ratio_words(num, den)` a ratio in
    words (三分之二, two-thirds); `typer_native`: Typer and click speak the language
    already, so their help chrome and usage errors stay as they are."""

    __slots__ = ("code", "tag", "messages", "plural", "number_words", "ratio_words",
                 "typer_native")

    def __init__(self, *, code: str, tag: str, messages: Mapping[str, str],
                 plural: Callable[[int], int], ratio_words: Callable[[int, int], str],
                 number_words: Callable[[int], str] = str,
                 typer_native: bool = False) -> None:
        self.code = code
        self.tag = tag
        self.messages = messages
        self.plural = plural
        self.number_words = number_words
        self.ratio_words = ratio_words
        self.typer_native = typer_native

    @classmethod
    def of(cls, code: str, module: ModuleType) -> Locale:
        """The Locale a language module defines. A module `locale_<code>.py` holds only
        data and rules, and imports nothing: `TAG` (BCP 47), `TYPER_NATIVE`, `MESSAGES`
        (the catalogue, in sections by the module that says each message), and the
        functions `plural(n)`, `number_words(n)` and `ratio_words(num, den)`."""
        return cls(code=code, tag=module.TAG, messages=module.MESSAGES, plural=module.plural,
                   number_words=module.number_words, ratio_words=module.ratio_words,
                   typer_native=module.TYPER_NATIVE)

    def __repr__(self) -> str:
        return f"Locale({self.code!r})"

    # --- messages ------------------------------------------------------------------------
    def say(self, key: str, /, **params: Any) -> str:
        """The message `key`, filled in (what `messages.t` gives for this language).

        A param named `something_key` names another message: it is looked up in the same
        language and filled in as `something`. A ClockTime param is shown as a time of
        day, a Listed one as a list, Words as a list of messages, and a whole number may
        choose a word by its value (`{n} {n:member|members}`)."""
        text = self.messages[key]
        if not params:
            return text
        plain = {k: self.shown(v) for k, v in params.items() if not k.endswith("_key")}
        for name, value in params.items():
            if name.endswith("_key"):
                plain[name[:-4]] = self.say(value, **plain)
        return text.format(**plain)

    def shown(self, value: Any) -> Any:
        """A message param as this language shows it."""
        kind = type(value)
        if kind is ClockTime:
            return self.clock(value)
        if kind is Listed:
            return self.listed(value)
        if kind is Words:
            known = self.messages
            return self.listed(known[key] if key in known else key.rsplit(".", 1)[-1]
                               for key in value)
        if kind is int:
            return _Count(value, self.plural)
        return value

    # --- punctuation (the catalogue's, under list.* and punct.*) ---------------------------
    @property
    def colon(self) -> str:
        """Between a label and its value: 地点：… / place: …"""
        return self.messages["punct.colon"]

    @property
    def list_separator(self) -> str:
        """Between the items of a list: 甲、乙 / A, B."""
        return self.messages["list.separator"]

    @property
    def sentence_separator(self) -> str:
        """Between whole sentences said together."""
        return self.messages["list.sentence_separator"]

    def listed(self, items: Iterable[Any]) -> str:
        return self.list_separator.join(str(item) for item in items)

    def bracketed(self, text: str) -> str:
        """A note in brackets after a word, with the space the language puts before it:
        列席（社工） / non-voting (social worker)."""
        return self.messages["punct.bracketed"].format(text=text)

    # --- times, dates, numbers -----------------------------------------------------------
    def clock(self, time: str) -> str:
        """`19:30` as it is; `24:30` (the next day's, in a meeting past midnight) as
        次日 00:30 / 00:30 (next day)."""
        if time < "24:00" or len(time) != 5:
            return str(time)
        hours = int(time[:2]) - 24
        return self.say("time.next_day", time=f"{hours:02d}{time[2:]}")

    def date_words(self, day: dt.date, *, weekday: bool = False) -> str:
        """2022年3月8日 / 8 March 2022, optionally with the weekday."""
        text = self.say("documents.date", year=day.year, day=day.day,
                        month_key=f"documents.month.{day.month}")
        if weekday:
            text = self.say("documents.date_weekday", date=text,
                            weekday_key=f"documents.weekday.{day.weekday()}")
        return text


# --- the languages -------------------------------------------------------------------

_loaded: dict[str, Locale] = {}
_shipped: tuple[str, ...] | None = None


def _shipped_codes() -> tuple[str, ...]:
    """The codes of the language modules beside this one (looked up once)."""
    global _shipped
    if _shipped is None:
        names = os.listdir(os.path.dirname(__file__))
        _shipped = tuple(sorted(name[len("locale_"):-3] for name in names
                                if name.startswith("locale_") and name.endswith(".py")))
    return _shipped


def languages() -> tuple[str, ...]:
    """The codes of every language yiguan speaks, the default first."""
    codes = set(_shipped_codes()) | set(_loaded)
    return (DEFAULT_LANGUAGE, *sorted(codes - {DEFAULT_LANGUAGE}))


def register(language: Locale) -> None:
    """Speak `language` from now on when its code is asked for (a language that has no
    module here: a test's)."""
    _loaded[language.code] = language


def locale(lang: str | None = None) -> Locale:
    """The Locale of `lang` (default: the current language); LookupError for a code
    that no module here and no `register` gave."""
    code = lang or current_language()
    found = _loaded.get(code)
    if found is None:
        if code not in _shipped_codes():
            raise LookupError(f"no language {code!r}")
        # __import__, not importlib.import_module: -X importtime sees it (start-up is measured)
        name = f"{__package__}.locale_{code}"
        __import__(name)
        found = _loaded[code] = Locale.of(code, sys.modules[name])
    return found


def current_language() -> str:
    """The code of this run's language: `YIGUAN_LANG` names it (en, en_US.UTF-8,
    english …), else the default."""
    value = os.environ.get("YIGUAN_LANG", "").strip().lower()
    if not value:
        return DEFAULT_LANGUAGE
    matches = [code for code in languages() if value.startswith(code)]
    return max(matches, key=len) if matches else DEFAULT_LANGUAGE


def catalogue(lang: str) -> Mapping[str, str]:
    """Every message of `lang`, by key."""
    return locale(lang).messages


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
