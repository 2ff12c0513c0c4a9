"""Dates and times as a secretary types them, read into yiguan's one stored form.

Dates: `2024-05-18`, `2024-5-18`, `2024/5/18`, `2024.5.18`, `2024年5月18日`,
`5月18日` (this year), `今天`/`明天`/`昨天`, `today`/`tomorrow`/`yesterday`.
Times: `14:30`, `14：30`, `1430`, `14点`, `14点30`, `14点30分`, `14点半`, `下午2:30`,
`下午2点半`, `晚上7点`, `2:30pm`, hours and minutes in digits or Chinese numerals.
The answer is always `YYYY-MM-DD` or `HH:MM`. A form that could mean two things
(`12点` in the evening, `上午15点`) or a day that does not exist (`2024-2-30`) is
refused, and the refusal lists the forms that are understood.

Chinese speakers give the hour on a 12-hour clock and leave out 下午/晚上 when the day
makes it plain: `7点20` at an evening meeting is 19:20. `parse_clock` says whether a time
was typed that way (an hour 1–12, no part of the day, no leading zero), so that the
meeting can take the reading nearest its own time (`Meeting.on_meeting_day`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from ..text.errors import YiguanError

_RELATIVE_DAYS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "昨天": -1, "昨日": -1,
                  "today": 0, "tomorrow": 1, "yesterday": -1}
# Patterns, not compiled patterns: `re` compiles each on first use and keeps it, so the
# import costs nothing to a command that parses no typed date or time (most of them).
_NUMERIC_DATE = r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$"
_CHINESE_DATE = r"^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?$"


def _plain(value: str) -> str:
    """Full-width digits and colons as ASCII, spaces gone, letters lower-case."""
    if not value.isascii():
        import unicodedata

        value = unicodedata.normalize("NFKC", value)
    return value.strip().replace(" ", "").lower()  # inner spaces only: a newline is no slip


def parse_date(value: str, today: dt.date | None = None) -> dt.date:
    """The day `value` names; `today` (default: the system's) for 今天 and 5月18日."""
    text = _plain(value)
    if text in _RELATIVE_DAYS:
        return (today or dt.date.today()) + dt.timedelta(days=_RELATIVE_DAYS[text])
    numeric = re.match(_NUMERIC_DATE, text)
    chinese = re.match(_CHINESE_DATE, text) if numeric is None else None
    try:
        if numeric:
            return dt.date(int(numeric[1]), int(numeric[3]), int(numeric[4]))
        if chinese:
            year = int(chinese[1]) if chinese[1] else (today or dt.date.today()).year
            return dt.date(year, int(chinese[2]), int(chinese[3]))
    except ValueError:
        pass  # no such day (2024-02-30, 13月1日)
    raise YiguanError("input.bad_date", value=value)


# --- times -------------------------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
# the part of the day written before the hour, and whether it means after noon
_PERIODS = {"凌晨": "night", "早上": "am", "早晨": "am", "上午": "am", "中午": "noon",
            "下午": "pm", "傍晚": "pm", "晚上": "pm", "夜里": "pm", "晚": "pm"}
_NUMBER = r"(\d{1,2}|[零〇一二两三四五六七八九十]{1,3})"
_COLON, _FOUR_DIGITS, _HOUR_WORD = (
    rf"^{_NUMBER}:{_NUMBER}$",
    r"^(\d{2})(\d{2})$",
    rf"^{_NUMBER}[点时](?:{_NUMBER}分?|(半)|(一刻)|(三刻))?$",
)
_SUFFIX = r"^(.*?)(am|pm|a\.m\.|p\.m\.)$"


def _number(text: str) -> int | None:
    """`14` or `十四`, `二十` → 20; None if `text` is no number."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _DIGITS[text] if len(text) == 1 and text in _DIGITS else None
    tens, _, units = text.partition("十")
    if (tens and tens not in _DIGITS) or (units and units not in _DIGITS):
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


class TypedClock(NamedTuple):
    """A time of day as typed: `HH:MM` as written, and whether it may be either half of
    the day (`7点20`, `7:20`, `3点`, `12点半`: an hour 1–12 with no part of the day and no
    leading zero). `07:20`, `19:20`, `0点30` and `晚上7点20` mean what they say."""

    time: str
    twelve_hour: bool


def parse_time(value: str) -> str:
    """`value` as a stored time of day, `HH:MM` from 00:00 to 23:59, as written."""
    return parse_clock(value).time


def parse_clock(value: str) -> TypedClock:
    """`value` as a time of day as written, and whether it was said on a 12-hour clock
    with the half of the day left out."""
    text = _plain(value)
    if len(text) == 5 and text[2] == ":" and text.isascii() and (text[:2] + text[3:]).isdigit():
        # HH:MM, what nearly every --at is: read without compiling the patterns below
        # (~0.5 ms at every such command); the same answer as they give
        hours, minutes = int(text[:2]), int(text[3:])
        if hours > 23 or minutes > 59:
            raise YiguanError("input.bad_time", value=value)
        return TypedClock(text, 1 <= hours <= 12 and text[0] != "0")
    period = None
    for word, meaning in _PERIODS.items():
        if text.startswith(word):
            period, text = meaning, text[len(word):]
            break
    suffix = re.match(_SUFFIX, text)
    if suffix and period is None:
        period, text = ("am" if suffix[2].startswith("a") else "pm"), suffix[1]
    elif suffix:
        raise YiguanError("input.bad_time", value=value)
    clock = _clock(text)
    if clock is None and period is not None and (hour := _number(text)) is not None:
        clock = hour, 0  # 2pm, 晚上7
    if clock is None:
        raise YiguanError("input.bad_time", value=value)
    hour, minute = clock
    if suffix and not 1 <= hour <= 12:
        raise YiguanError("input.bad_time", value=value)  # 13pm, 0am
    twelve_hour = period is None and not suffix and 1 <= hour <= 12 and \
        not re.match(_TWENTY_FOUR_HOUR, text)
    hour = _on_the_clock(hour, period, value)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise YiguanError("input.bad_time", value=value)
    return TypedClock(f"{hour:02d}:{minute:02d}", twelve_hour)


# 07:20, 〇七点 (a leading zero) and 1130 (four digits) are written on the 24-hour clock
_TWENTY_FOUR_HOUR = r"^(?:[0〇零]|\d{4}$)"


def _clock(text: str) -> tuple[int, int] | None:
    """Hour and minute written in `text`, before any part of the day is applied."""
    for form in (_COLON, _FOUR_DIGITS, _HOUR_WORD):
        match = re.match(form, text)
        if not match:
            continue
        hour = _number(match[1])
        if match.lastindex and match.lastindex >= 3 and match[3]:
            return (hour, 30) if hour is not None else None
        if match.lastindex and match.lastindex >= 4 and match[4]:
            return (hour, 15) if hour is not None else None
        if match.lastindex and match.lastindex >= 5 and match[5]:
            return (hour, 45) if hour is not None else None
        minute = _number(match[2]) if match[2] else 0
        if hour is None or minute is None:
            return None
        if form is _COLON and match[2].isdigit() and len(match[2]) != 2:
            return None  # 14:3 — a digit missing
        if form is _HOUR_WORD and match[2] and match[2].isdigit() and \
                len(match[2]) == 1 and not text.endswith("分"):
            return None  # 14点5: 14:05 or 14:50?
        return hour, minute
    return None


def _on_the_clock(hour: int, period: str | None, value: str) -> int:
    """The 24-hour hour of `hour` said in `period`; what could be two hours is refused."""
    if period is None:
        return hour
    if hour > 12:  # 下午14点: already on the 24-hour clock, if the period agrees
        if period in ("pm", "noon") or (period == "night" and hour >= 22):
            return hour
        raise YiguanError("input.bad_time", value=value)
    if period == "pm":
        if hour == 12 and value.strip().lower().endswith(("pm", "p.m.")):
            return 12  # 12pm is noon
        if hour == 12:
            raise YiguanError("input.bad_time", value=value)  # 晚上12点: midnight or noon?
        return hour + 12
    if period == "noon":
        return hour + 12 if hour <= 2 else hour  # 中午1点 is 13:00
    if period == "night":
        return 0 if hour == 12 else hour  # 凌晨12点 is midnight
    if hour == 12:  # 上午12点, 12am: midnight, but said so rarely that it is likely a slip
        raise YiguanError("input.bad_time", value=value)
    return hour
