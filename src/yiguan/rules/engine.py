"""Thresholds and quorum: parse rule text and decide outcomes with exact fractions.

This module is the single source of truth for "did the motion pass" and "is the quorum
present". The live `vote` command, `check`, the minutes and the ledger all call
`decide` and `judge_quorum`; nothing else compares vote counts with thresholds.

A threshold is `OP RATIO BASE` (for a quorum, `OP RATIO`): `>` means 超过 (the boundary
fails) and `>=` means 以上 (the boundary passes), as 《民法典》第1259条 defines them.
Arithmetic uses `fractions.Fraction`, so two-thirds of 9 is exactly 6.
"""

from __future__ import annotations

import re
from math import gcd
from typing import TYPE_CHECKING, Literal, get_args

from ..text.errors import YiguanError

if TYPE_CHECKING:
    from fractions import Fraction

BASES = ("yes+no", "cast", "present", "members")
OPERATORS = (">", ">=")

Outcome = Literal["adopted", "rejected"]  # what a vote decides
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)

DEFAULT_QUORUM = ">1/2"
DEFAULT_PASS = ">1/2 present"
DEFAULT_PRESETS = {"nantang": ">1/2 yes+no", "two-thirds": ">=2/3 present"}

_ASCII_RULE = re.compile(r"^(>=|>)\s*(\d+)(?:\s*/\s*(\d+))?(?:\s+(\S+))?$")

# Chinese phrasings accepted on input; files always store the canonical ASCII form.
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10}
_CN_BASE_WORDS = (
    # longest first, so that 到会人员 wins over 到会
    ("赞成和反对票", "yes+no"), ("赞成与反对票", "yes+no"), ("赞成反对票", "yes+no"),
    ("有效票", "yes+no"), ("投票人数", "cast"), ("参加表决", "cast"), ("投票", "cast"),
    ("到会人员", "present"), ("到会成员", "present"), ("实到成员", "present"),
    ("出席成员", "present"), ("到会", "present"), ("实到", "present"), ("出席", "present"),
    ("全体成员", "members"), ("应到成员", "members"), ("全体", "members"), ("应到", "members"),
)
_CN_DIGIT = "[一二两三四五六七八九十]"
_CN_RATIO = rf"^(?:(半数)|({_CN_DIGIT})分之({_CN_DIGIT})|(全部|一致))$"  # compiled on first use


class Threshold:
    """`op ratio base`: base is None for a quorum rule (always over the roster).

    The ratio is kept as its two whole numbers. Counts are compared with it exactly, in
    whole numbers: count OP num/den × of  ⟺  count × den OP num × of. `ratio` and
    `needed` give the same values as Fractions for anyone who wants them; the fractions
    module (which pulls in decimal) is imported only then, not on every sign-in.
    """

    __slots__ = ("op", "num", "den", "base")

    def __init__(self, op: str, num: int, den: int, base: str | None) -> None:
        self.op = op
        self.num = num
        self.den = den
        self.base = base

    @property
    def ratio(self) -> Fraction:
        from fractions import Fraction

        return Fraction(self.num, self.den)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Threshold) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"Threshold({str(self)!r})"

    def __str__(self) -> str:
        text = f"{self.op}{self.num}/{self.den}"
        return f"{text} {self.base}" if self.base else text

    def needed(self, of: int) -> Fraction:
        """The boundary: ratio × of, exactly."""
        return self.ratio * of

    def passes(self, count: int, of: int) -> bool:
        """Whether `count` satisfies OP ratio×of."""
        have, need = count * self.den, self.num * of
        return have > need if self.op == ">" else have >= need

    def minimum(self, of: int) -> int:
        """The smallest whole count that satisfies the threshold over `of`."""
        if self.op == ">":
            return (self.num * of) // self.den + 1
        return -((-self.num * of) // self.den)  # the ceiling of num×of/den


def parse_threshold(text: str, *, quorum: bool = False) -> Threshold:
    """Parse a rule such as `>1/2 present`, `>=2/3 present` or `到会人员过半数`.

    With `quorum=True` the text must have no base (a quorum is always over the roster).
    Raises YiguanError with a message that shows the accepted forms.
    """
    raw = text
    text = _normalise(text)
    match = _ASCII_RULE.match(text)
    if match:
        op, num, den, base = match.group(1), int(match.group(2)), match.group(3), match.group(4)
        ratio = _ratio(num, int(den) if den is not None else 1, raw)
    else:
        op, ratio, base = _parse_chinese(text, raw)
    if quorum:
        if base is not None:
            raise YiguanError("rule.quorum_has_base", rule=raw)
    else:
        if base is None:
            raise YiguanError("rule.missing_base", rule=raw)
        if base not in BASES:
            raise YiguanError("rule.bad_base", rule=raw, base=base)
    num, den = ratio
    if op == ">" and num == den:
        raise YiguanError("rule.impossible", rule=raw)
    return Threshold(op, num, den, base)


def _normalise(text: str) -> str:
    table = str.maketrans({"＞": ">", "＝": "=", "／": "/", "≥": "\0", "　": " ", "＋": "+"})
    return " ".join(text.translate(table).replace("\0", ">=").split())


def _ratio(num: int, den: int, raw: str) -> tuple[int, int]:
    """A ratio in lowest terms, 0 < num/den ≤ 1."""
    if den == 0 or num <= 0 or num > den:
        raise YiguanError("rule.bad_ratio", rule=raw)
    common = gcd(num, den)
    return num // common, den // common


def _parse_chinese(text: str, raw: str) -> tuple[str, tuple[int, int], str | None]:
    rest = text.replace(" ", "").replace("的", "")
    base = None
    for word, name in _CN_BASE_WORDS:
        if rest.startswith(word):
            base, rest = name, rest[len(word):]
            break
    # 过半数 / 超过半数 / 超过三分之二: strict; 半数以上 / 三分之二以上: inclusive.
    if rest.startswith("超过"):
        op, rest = ">", rest[2:]
    elif rest.startswith("过"):
        op, rest = ">", rest[1:]
    elif rest.endswith("以上"):
        op, rest = ">=", rest[:-2]
    elif rest in ("全部", "一致", "全体一致"):
        op, rest = ">=", "全部"
    else:
        raise YiguanError("rule.unreadable", rule=raw)
    match = re.match(_CN_RATIO, rest)
    if not match:
        raise YiguanError("rule.unreadable", rule=raw)
    if match.group(1):
        ratio = (1, 2)
    elif match.group(4):
        ratio = (1, 1)
    else:
        ratio = _ratio(_CN_DIGITS[match.group(3)], _CN_DIGITS[match.group(2)], raw)
    return op, ratio, base


def canonical(text: str, *, quorum: bool = False) -> str:
    """The stored form of a rule: parse, then print."""
    return str(parse_threshold(text, quorum=quorum))


def resolve_rule(text: str, presets: dict[str, str]) -> Threshold:
    """A motion's `--rule`: a preset name or a threshold."""
    if text in presets:
        return parse_threshold(presets[text])
    return parse_threshold(text)


# --- deciding ---------------------------------------------------------------------------

class Tally:
    """A show of hands and the room it was taken in."""

    __slots__ = ("yes", "no", "abstain", "present", "recused", "members")

    def __init__(self, yes: int, no: int, abstain: int, present: int, recused: int,
                 members: int) -> None:
        self.yes = yes
        self.no = no
        self.abstain = abstain
        self.present = present  # voting members present at the vote
        self.recused = recused  # of those present, how many stepped back (回避)
        self.members = members  # voting members on the roster (应到)

    @property
    def eligible(self) -> int:
        return self.present - self.recused

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def not_voting(self) -> int:
        return self.eligible - self.cast

    def base_size(self, base: str) -> int:
        return {
            "yes+no": self.yes + self.no,
            "cast": self.cast,
            "present": self.eligible,
            "members": self.members,
        }[base]


class Decision:
    """The outcome of a vote and everything needed to explain it."""

    __slots__ = ("adopted", "threshold", "tally", "base_size")

    def __init__(self, adopted: bool, threshold: Threshold, tally: Tally,
                 base_size: int) -> None:
        self.adopted = adopted
        self.threshold = threshold
        self.tally = tally
        self.base_size = base_size

    @property
    def needed(self) -> Fraction:
        """The boundary the yes votes were held against: ratio × base, exactly."""
        return self.threshold.needed(self.base_size)

    @property
    def outcome(self) -> Outcome:
        return "adopted" if self.adopted else "rejected"

    def explain(self, lang: str | None = None) -> str:
        """The arithmetic in words, e.g. 赞成 11 票，超过实到有表决权成员 17 人的半数（8.5）
        (worded by `render.words`)."""
        from .words import decision_words

        return decision_words(self, lang)


def decide(threshold: Threshold, tally: Tally) -> Decision:
    """Decide a vote. The one place where counts meet thresholds.

    A base of zero (nobody voted yes or no under `yes+no`) never adopts: `>=` would
    otherwise let 0 of 0 pass.
    """
    if threshold.base is None:
        raise ValueError("a motion threshold needs a base")
    size = tally.base_size(threshold.base)
    adopted = size > 0 and threshold.passes(tally.yes, size)
    return Decision(adopted, threshold, tally, size)


class QuorumCheck:
    """Whether enough voting members are present."""

    __slots__ = ("met", "threshold", "present", "members")

    def __init__(self, met: bool, threshold: Threshold, present: int, members: int) -> None:
        self.met = met
        self.threshold = threshold
        self.present = present
        self.members = members

    @property
    def needed(self) -> int:
        """Fewest voting members present for the quorum."""
        return self.threshold.minimum(self.members)

    @property
    def short(self) -> int:
        return max(0, self.needed - self.present)

    def brief(self, lang: str | None = None) -> str:
        """法定人数至少 11 人：已达到 — for lines that already gave the counts."""
        from .words import quorum_brief

        return quorum_brief(self, lang)

    def explain(self, lang: str | None = None) -> str:
        """The quorum with its arithmetic in words (worded by `render.words`)."""
        from .words import quorum_words

        return quorum_words(self, lang)


def judge_quorum(threshold: Threshold, present: int, members: int) -> QuorumCheck:
    """Quorum: voting members present OP ratio of voting members on the roster.

    A council with no members never has a quorum.
    """
    met = members > 0 and threshold.passes(present, members)
    return QuorumCheck(met, threshold, present, members)
