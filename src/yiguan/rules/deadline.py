"""Notice periods as 《民法典》 counts them, on China's working-day calendar.

- art. 201: a period counted in days does not count the day it starts from; it runs from
  the next day. 7 days from 2022-03-08 are 3月9日 through 3月15日.
- art. 203: when the last day is a 法定休假日, the period ends on the day after the
  holiday — the first working day after it. Read with its predecessors (民法通则 art. 154:
  "星期日或者其他法定休假日"; 民法通则意见 §198: a 调休 shifts the rest days) and the
  domain notes (shared/domain/procedure.md: "weekends count as holidays; 调休 working
  days count as working days"): a plain Saturday or Sunday is a rest day and extends the
  period, an official 调休 workday on a weekend is a working day and does not.
- art. 204: the parties may agree otherwise — a council may count working days instead
  (`notice_days = "7 workdays"`): the period ends on the Nth working day after the start.

Which day is a working day: the council's own `[calendar]` lists first (a local holiday
such as 广西's 三月三, which 《全国年节及纪念日放假办法》 art. 4 leaves to local
governments; or a year nobody has published yet), then the `chinese-calendar` package
(official holidays and 调休 workdays; imported only here, when a period is counted: ~2 ms
in yiguan, ~6 ms alone with the enum module). A year that neither knows is counted
without holidays — in days, the plain calendar days with no extension; in working days,
Monday to Friday — and reported in `Period.unknown_years` for the caller to warn about.
Pure: dates in, dates out, no output.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection

from ..text.errors import YiguanError

MOST_DAYS = 366  # the schema's bound for notice_days, in either unit
# a file holds "7 workdays"; typed by hand, "7个工作日", "7 工作日" or "7 working days" are
# understood and `check` names the canonical form. Compiled on first use (~1 ms): most
# councils count days, and `notice` is the only command that counts a period.
_WORKDAYS = r"^\s*([0-9]+)\s*(?:workdays?|working\s+days?|个?工作日)\s*\Z"


class Length:
    """How long a period is: `count` days, or `count` working days."""

    __slots__ = ("count", "workdays")

    def __init__(self, count: int, workdays: bool = False) -> None:
        self.count = count
        self.workdays = workdays

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Length) and self.count == other.count
                and self.workdays == other.workdays)

    def __repr__(self) -> str:
        return f"Length({self.count}, workdays={self.workdays})"

    def canonical(self) -> int | str:
        """As the file holds it: 7, or "7 workdays"."""
        return f"{self.count} workdays" if self.workdays else self.count


def parse_length(value: int | str | Length) -> Length:
    """7 → 7 days; "7 workdays" (or 7个工作日, 7 working days) → 7 working days.

    Raises YiguanError for anything else, or a count outside 1–366.
    """
    if isinstance(value, Length):
        length = value
    elif type(value) is int:
        length = Length(value)
    else:
        match = re.match(_WORKDAYS, value, re.IGNORECASE) if type(value) is str else None
        if match is None:
            raise YiguanError("deadline.bad_length", value=value)
        length = Length(int(match.group(1)), workdays=True)
    if not 1 <= length.count <= MOST_DAYS:
        raise YiguanError("notice.bad_days", days=length.count)
    return length


class LocalDays:
    """The council's own lists: dates that are rest days (holidays) and dates that are
    working days (调休 workdays), which win over the package. A year with any entry in
    either list counts as known even where the package does not know it."""

    __slots__ = ("holidays", "workdays", "years")

    def __init__(self, holidays: Collection[dt.date] = (),
                 workdays: Collection[dt.date] = ()) -> None:
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        self.years = frozenset(d.year for d in self.holidays | self.workdays)


NO_LOCAL_DAYS = LocalDays()


class Period:
    """A counted period: `first` and `last` day, as stated on the notice.

    `due` is the day the count alone gives; `last` differs from it when art. 203 moved the
    end past a rest day. `unknown_years` are the years whose holidays nobody knew (counted
    as the module docstring says): the caller warns about them.
    """

    __slots__ = ("start", "length", "first", "due", "last", "unknown_years")

    def __init__(self, start: dt.date, length: Length, first: dt.date, due: dt.date,
                 last: dt.date, unknown_years: tuple[int, ...] = ()) -> None:
        self.start = start
        self.length = length
        self.first = first
        self.due = due
        self.last = last
        self.unknown_years = unknown_years

    @property
    def extended(self) -> bool:
        return self.last != self.due

    def __repr__(self) -> str:
        return (f"Period({self.first} – {self.last}, due {self.due}, {self.length!r}, "
                f"unknown {self.unknown_years})")


class _Days:
    """Working or rest day, for one count: remembers the years nobody knew."""

    def __init__(self, local: LocalDays) -> None:
        self.local = local
        self.unknown: set[int] = set()
        self._official: Callable[[dt.date], bool] | None = None  # once imported

    def working(self, day: dt.date) -> bool | None:
        """True for a working day, False for a rest day, None for a day of a year that
        neither the council's lists nor the package know."""
        if day in self.local.holidays:
            return False
        if day in self.local.workdays:
            return True
        official = self._official_working(day)
        if official is not None:
            return official
        if day.year in self.local.years:
            # the council listed this year's holidays and 调休 itself: the rest is the week
            return day.weekday() < 5
        self.unknown.add(day.year)
        return None

    def _official_working(self, day: dt.date) -> bool | None:
        if self._official is None:
            # ~2 ms (a table of every holiday since 2004): only when a period is counted
            from chinese_calendar import is_workday

            self._official = is_workday
        try:
            return bool(self._official(day))
        except NotImplementedError:  # a year the installed release has no data for
            return None


def count(start: dt.date, length: int | str | Length,
          local: LocalDays | None = None) -> Period:
    """The period of `length` counted from `start` (民法典 art. 201, 203, 204)."""
    size = parse_length(length)
    days = _Days(local or NO_LOCAL_DAYS)
    try:
        first = start + dt.timedelta(days=1)
        if size.workdays:
            due = _nth_working_day(start, size.count, days)
            last = due
        else:
            due = start + dt.timedelta(days=size.count)
            last = due
            # art. 203: past every rest day; a day of an unknown year ends the search
            while days.working(last) is False:
                last += dt.timedelta(days=1)
    except OverflowError:
        raise YiguanError("notice.period_out_of_range", days=size.count,
                          start=start.isoformat()) from None
    return Period(start, size, first, due, last, tuple(sorted(days.unknown)))


def _nth_working_day(start: dt.date, n: int, days: _Days) -> dt.date:
    day = start
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        working = days.working(day)
        if working is None:  # nobody knows this year's holidays: Monday to Friday
            working = day.weekday() < 5
        if working:
            counted += 1
    return day
