"""How each language lists things and counts them: 甲、乙 against A, B; 1 member against
2 members (issue 11)."""

from __future__ import annotations

import pytest

from yiguan.text.errors import YiguanError
from yiguan.text.messages import Listed, listed, t


def test_a_list_reads_as_each_language_lists_things() -> None:
    assert listed(["2023-01-01", "2023-01-02"], "zh") == "2023-01-01、2023-01-02"
    assert listed(["2023-01-01", "2023-01-02"], "en") == "2023-01-01, 2023-01-02"


def test_a_listed_param_follows_the_language_the_message_is_shown_in() -> None:
    error = YiguanError("store.many_open", ids=Listed(["2023-01-01", "2023-01-02"]))
    assert "2023-01-01, 2023-01-02" in error.message("en")
    assert "2023-01-01、2023-01-02" in error.message("zh")


@pytest.mark.parametrize(("n", "english"), [
    (1, "the council has 1 member"), (2, "the council has 2 members"),
    (0, "the council has 0 members")])
def test_english_counts_take_the_plural_they_need(n: int, english: str) -> None:
    assert t("council.member_added", lang="en", name="刘艳", initials="ly", n=n).endswith(
        english)
    assert t("council.member_added", lang="zh", name="刘艳", initials="ly", n=n).count(
        str(n)) == 1


def test_a_count_keeps_the_format_of_a_number() -> None:
    assert t("check.summary_bad", lang="en", files=1, n=3) == "checked 1 file: 3 problems"
