"""The languages yiguan speaks, one module each: `zh.py` (the default) and `en.py`.

A language module defines `LOCALE`, a `text.locale.Locale` with its catalogue `MESSAGES`
(every sentence yiguan says, in sections by the module that says it; every language has
the same keys, tests/test_docs.py checks). `get(code)` imports a language's module on
first use, so a command loads only the language it speaks. A language is shipped by
adding its module here; `register` adds one at run time (tests do).
"""

from __future__ import annotations

import os
from importlib import import_module

from ..locale import Locale

DEFAULT = "zh"

_loaded: dict[str, Locale] = {}
_shipped: tuple[str, ...] | None = None


def _shipped_codes() -> tuple[str, ...]:
    """The codes of the language modules in this folder (read once)."""
    global _shipped
    if _shipped is None:
        names = os.listdir(os.path.dirname(__file__))
        _shipped = tuple(sorted(name[:-3] for name in names
                                if name.endswith(".py") and not name.startswith("_")))
    return _shipped


def available() -> tuple[str, ...]:
    """Every language's code, the default first."""
    codes = set(_shipped_codes()) | set(_loaded)
    return (DEFAULT, *sorted(codes - {DEFAULT}))


def register(locale: Locale) -> None:
    """Speak `locale` from now on when its code is asked for (a language that is no
    module here: a test's)."""
    _loaded[locale.code] = locale


def get(code: str) -> Locale:
    """The language `code`; LookupError for a code no module here or `register` gave."""
    found = _loaded.get(code)
    if found is None:
        if code not in _shipped_codes():
            raise LookupError(f"no language {code!r}")
        found = _loaded[code] = import_module(f"{__name__}.{code}").LOCALE
    return found


def from_environment() -> str:
    """The language of this run: `YIGUAN_LANG` names it (en, en_US.UTF-8, english …),
    else the default."""
    value = os.environ.get("YIGUAN_LANG", "").strip().lower()
    if not value:
        return DEFAULT
    matches = [code for code in available() if value.startswith(code)]
    return max(matches, key=len) if matches else DEFAULT
