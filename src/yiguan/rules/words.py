"""How the rules engine's answers read: a decision and a quorum with their arithmetic in
words, ratios (半数, 三分之二 / half, two-thirds: the Locale's) and exact numbers.

`rules/engine.py` decides; this module only words what it decided, in the language asked for
(the live commands, `check`, the minutes and the notice all show the same sentences).
"""

from __future__ import annotations

from math import gcd
from typing import TYPE_CHECKING

from ..text.messages import current_language, locale, t

if TYPE_CHECKING:
    from fractions import Fraction

    from .engine import Decision, QuorumCheck, Threshold


def ratio_words(ratio: Fraction, lang: str) -> str:
    """1/2 → 半数 / half, 2/3 → 三分之二 / two-thirds (the language's own words)."""
    return locale(lang).ratio_words(ratio.numerator, ratio.denominator)


def rule_words(threshold: Threshold, lang: str) -> str:
    """赞成票须超过到会有表决权成员（除去回避）的半数 — a rule as the minutes, the projector
    and the CSV exports word it."""
    return t("minutes.rule_words", lang=lang, op_key=f"minutes.rule_op.{threshold.op}",
             base_key=f"minutes.rule_base.{threshold.base}",
             ratio=ratio_words(threshold.ratio, lang))


def format_number(value: Fraction) -> str:
    """8.5, 6, or 20/3 ≈ 6.67: exact where a decimal is exact."""
    return _format_quotient(value.numerator, value.denominator)


def _format_quotient(top: int, bottom: int) -> str:
    """top/bottom in lowest terms, as format_number shows it, in whole-number arithmetic."""
    common = gcd(top, bottom)
    top, bottom = top // common, bottom // common
    if bottom == 1:
        return str(top)
    rest = bottom
    twos = fives = 0
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest == 1:  # a terminating decimal: exactly max(twos, fives) digits
        digits = max(twos, fives)
        scaled = top * 10 ** digits // bottom
        sign = "-" if scaled < 0 else ""
        whole, part = divmod(abs(scaled), 10 ** digits)
        return f"{sign}{whole}.{part:0{digits}d}"
    return f"{top}/{bottom} ≈ {top / bottom:.2f}"


def percent_text(top: int, bottom: int, digits: int = 1) -> str:
    """top/bottom as a percentage with `digits` decimals, halves rounded up, in
    whole-number arithmetic: 35/37 → 94.6, 1/1 → 100.0. Never 100.0 unless all of them
    (1999/2000 → 99.9, not 100.0), nor 0.0 unless none (1/2000 → 0.1): a notice saying
    满意率 100.0% with one resident unsatisfied would be false."""
    scale = 10 ** digits
    scaled = (2 * 100 * scale * top + bottom) // (2 * bottom)
    if 0 < top < bottom:  # some but not all: stay off both ends
        scaled = min(max(scaled, 1), 100 * scale - 1)
    whole, part = divmod(scaled, scale)
    return f"{whole}.{part:0{digits}d}" if digits else str(whole)


def satisfaction_rate(satisfied: int, basic: int, unsatisfied: int) -> str:
    """满意率: those satisfied of everyone asked (满意 ÷ 参与评议人数), as 81.1 for 30 of
    30 + 5 + 2; the documents give beside it the share with the basically satisfied
    (`pleased_rate`), the figure some councils report instead, and say which is which."""
    return percent_text(satisfied, satisfied + basic + unsatisfied)


def pleased_rate(satisfied: int, basic: int, unsatisfied: int) -> str:
    """基本满意以上: the satisfied and basically satisfied together, of everyone asked,
    as 94.6 for 30 + 5 of 37."""
    return percent_text(satisfied + basic, satisfied + basic + unsatisfied)


def decision_words(decision: Decision, lang: str | None = None) -> str:
    """The arithmetic in words, e.g. 赞成 11 票，超过实到有表决权成员 17 人的半数（8.5）."""
    lang = lang or current_language()
    th, tally = decision.threshold, decision.tally
    assert th.base is not None
    if decision.base_size == 0:
        return t("rule.explain_empty", lang=lang, yes=tally.yes)
    verb_key = {(">", True): "gt_yes", (">", False): "gt_no",
                (">=", True): "ge_yes", (">=", False): "ge_no"}[(th.op, decision.adopted)]
    base_text = t(f"rule.base.{th.base}", lang=lang, n=decision.base_size)
    if th.base == "present" and tally.recused:
        base_text += t("rule.base_recused", lang=lang, r=tally.recused)
    return t(
        "rule.explain",
        lang=lang,
        yes=tally.yes,
        verb=t(f"rule.verb.{verb_key}", lang=lang),
        base=base_text,
        ratio=locale(lang).ratio_words(th.num, th.den),
        needed=_format_quotient(th.num * decision.base_size, th.den),
    )


def quorum_brief(check: QuorumCheck, lang: str | None = None) -> str:
    """法定人数至少 11 人：已达到 — for lines that already gave the counts."""
    key = "rule.quorum_brief_met" if check.met else "rule.quorum_brief_not_met"
    return t(key, lang=lang, needed=check.needed, short=check.short)


def quorum_words(check: QuorumCheck, lang: str | None = None) -> str:
    """Present against the roster, the rule and what it needs, in words."""
    lang = lang or current_language()
    key = "rule.quorum_met" if check.met else "rule.quorum_not_met"
    return t(key, lang=lang, present=check.present, members=check.members,
             op=t(f"rule.op.{check.threshold.op}", lang=lang),
             ratio=locale(lang).ratio_words(check.threshold.num, check.threshold.den),
             needed=check.needed, short=check.short)
