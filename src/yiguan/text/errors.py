"""The one exception family that the library raises, and the Problem record.

Domain code raises `YiguanError(key, **params)`; the text lives in the message catalogues,
so the same error reads in Chinese or English. The CLI turns it into one line on stderr
and exit 1. `Problem` is what validators collect instead of raising, beancount-style.
"""

from __future__ import annotations

from typing import Any

from .messages import t


class YiguanError(Exception):
    """Something the user can fix: bad input, a refused action, a broken file."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang=lang, **self.params)

    def __str__(self) -> str:
        return self.message()


class Problem:
    """One thing wrong with a file: where it is and what it is.

    Rendered as `file:line:col: message` when the position is known (TOML syntax),
    `file: 表决 V1：message` for a record of a meeting that loaded (references and
    consistency: named as the secretary knows it), else `file: key.path: message`
    (schema problems, where the file has to be read key by key).
    """

    __slots__ = ("path", "key", "params", "where", "line", "col", "record", "warning",
                 "names_record")

    def __init__(self, path: str, key: str, params: dict[str, Any] | None = None,
                 where: str = "", line: int | None = None, col: int | None = None,
                 record: tuple[str, str] | None = None, warning: bool = False,
                 names_record: bool = False) -> None:
        self.path = path
        self.key = key
        self.params = params or {}
        self.where = where  # key path such as motion[2].yes
        self.line = line
        self.col = col
        self.record = record  # (table, id) such as ("vote", "V1")
        # Worth saying, but nothing in the record is wrong: `check` prints it and still
        # passes, the documents render.
        self.warning = warning
        # The message names the record itself, in a sentence of its own (「会议已散会，表决
        # V1 的票数与更正记录不符」): it is not put before the message again.
        self.names_record = names_record

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and all(
            getattr(self, f) == getattr(other, f) for f in self.__slots__)

    def __repr__(self) -> str:
        return f"Problem({self.render('en')!r})"

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang=lang, **self.params)

    def render(self, lang: str | None = None) -> str:
        if self.line is not None:
            col = f":{self.col}" if self.col is not None else ""
            return f"{self.path}:{self.line}{col}: {self.message(lang)}"
        if self.record is not None and not self.names_record:
            table, record_id = self.record
            return f"{self.path}: " + t("check.record", lang=lang, what_key=f"table.{table}",
                                        id=record_id, message=self.message(lang))
        if self.where:
            return f"{self.path}: {self.where}: {self.message(lang)}"
        return f"{self.path}: {self.message(lang)}"


class BrokenFile(YiguanError):
    """A file that cannot be loaded; carries the problems found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__("store.broken_file", first=first.render(), more=len(problems) - 1)
        self.problems = problems

    def message(self, lang: str | None = None) -> str:
        first = self.problems[0].render(lang)
        if len(self.problems) == 1:
            return first
        return t("store.broken_file_more", lang=lang, first=first, more=len(self.problems) - 1)
