"""文号: a council's pattern for the numbers of the documents it posts, and the numbers it
gives.

A council that numbers its notices as 公文 do sets `number_pattern` in council.toml,
e.g. `"民新议〔{year}〕{n}号"`: `{year}` is the year of the document, `{n}` its running
number in that year, counted across all the council's meetings. Both must be there, once
each (without the year, 1号 of one year would be 1号 of the next), and nothing else in
braces. The number is written as GB/T 9704 has it: no leading zeros (1号, not 01号).

A number given is kept in the meeting file, one key per document (`FIELDS`), so that the
same document printed again carries the same number; `store/numbers.py` gives them, under
the council's lock. Pure functions here: no I/O.
"""

from __future__ import annotations

from ..text.errors import YiguanError
from ..text.safety import Failure

YEAR = "{year}"
RUNNING = "{n}"
# the documents that take a number (their `render.document.Document.kind`) → the key of
# the meeting file that keeps it; in the order the documents are issued
FIELDS = {"announce": "announce_number", "notice": "notice_number",
          "results": "results_number"}


def pattern_problem(pattern: str) -> Failure | None:
    """Why `pattern` (one line of text, checked as such) is no number pattern, or None."""
    rest = pattern.replace(YEAR, "", 1).replace(RUNNING, "", 1)
    if pattern.count(YEAR) != 1 or pattern.count(RUNNING) != 1 or "{" in rest or "}" in rest:
        return ("numbers.bad_pattern", {"year": YEAR, "n": RUNNING})
    return None


def valid_pattern(pattern: str) -> str:
    """`pattern` if it is a number pattern, else YiguanError saying what one is."""
    problem = pattern_problem(pattern)
    if problem is not None:
        raise YiguanError(problem[0], **problem[1])
    return pattern


def number_of(pattern: str, year: int, n: int) -> str:
    """The number `n` of `year` in the pattern's series: 民新议〔2021〕1号."""
    return pattern.replace(YEAR, str(year)).replace(RUNNING, str(n))


def running_number(pattern: str, year: int, number: str) -> int | None:
    """The running number `number` has in the pattern's series of `year`, or None when it is
    none of that series (another year, another pattern, typed otherwise)."""
    head, _, tail = pattern.replace(YEAR, str(year)).partition(RUNNING)
    if len(number) <= len(head) + len(tail) or not number.startswith(head) \
            or not number.endswith(tail):
        return None
    digits = number[len(head):len(number) - len(tail)]
    if digits.isascii() and digits.isdigit() and not digits.startswith("0"):
        return int(digits)
    return None
