"""Look up user-facing text in the catalogue of the current language.

Chinese is the default; `YIGUAN_LANG=en` switches to English. The catalogues themselves
are `catalog_zh` and `catalog_en`; a test keeps their keys and placeholders in step.
"""

from __future__ import annotations

import os
import re
from typing import Any

LANGUAGES = ("zh", "en")


_UNPRINTABLE = ("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e"
                "\u2066-\u2069\u061c\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` safe to show on one terminal line: control characters (newlines, ESC
    sequences, NUL), direction overrides and unencodable surrogates that an error message
    quotes back from the input are shown as escapes such as \\n or \\x1b."""
    if text.isprintable():  # nearly always; the pattern is compiled on first real use
        return text
    return re.sub(_UNPRINTABLE, lambda m: m.group().encode("unicode_escape", "backslashreplace")
                  .decode("ascii"), text)


def current_language() -> str:
    value = os.environ.get("YIGUAN_LANG", "").strip().lower()
    return "en" if value.startswith("en") else "zh"


def catalogue(lang: str) -> dict[str, str]:
    if lang == "en":
        from .catalog_en import MESSAGES as en

        return en
    from .catalog_zh import MESSAGES as zh

    return zh


def t(key: str, /, lang: str | None = None, **params: Any) -> str:
    """The message `key` in `lang` (default: the current language), filled in.

    A param named `something_key` names another message: it is looked up in the same
    language and filled in as `something` (so "status.adopted" reads 通过 or adopted).
    """
    lang = lang or current_language()
    text = catalogue(lang)[key]
    if not params:
        return text
    plain = {k: v for k, v in params.items() if not k.endswith("_key")}
    for name, value in params.items():
        if name.endswith("_key"):
            plain[name[:-4]] = t(value, lang, **plain)
    return text.format(**plain)
