"""Dates, times and stances as people type them (issue 12): every accepted form reads
into the one stored form; anything ambiguous or impossible is refused with the forms
that are understood listed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from yiguan.catalog_zh import MESSAGES as ZH
from yiguan.errors import YiguanError
from yiguan.messages import t
from yiguan.when import parse_date, parse_time

TODAY = dt.date(2024, 5, 10)

DATES = [
    ("2024-05-18", "2024-05-18"), ("2024-5-18", "2024-05-18"), ("2024/5/18", "2024-05-18"),
    ("2024.5.18", "2024-05-18"), ("2024年5月18日", "2024-05-18"), ("2024年5月18号", "2024-05-18"),
    ("5月18日", "2024-05-18"), ("5月18", "2024-05-18"), (" 2024 / 5 / 18 ", "2024-05-18"),
    ("２０２４年５月１８日", "2024-05-18"), ("今天", "2024-05-10"), ("明天", "2024-05-11"),
    ("昨天", "2024-05-09"), ("today", "2024-05-10"), ("Tomorrow", "2024-05-11"),
    ("yesterday", "2024-05-09"), ("2024-2-29", "2024-02-29"),
]
REFUSED_DATES = ["2024-2-30", "2023-02-29", "2024-13-01", "13月1日", "5/18", "18/5/2024",
                 "24-5-18", "2024-5/18", "2024年", "后年", "", "2024-05-18T10:00", "五月十八日"]

TIMES = [
    ("14:30", "14:30"), ("14：30", "14:30"), ("7:05", "07:05"), ("1430", "14:30"),
    ("0905", "09:05"), ("14点", "14:00"), ("14点30", "14:30"), ("14点30分", "14:30"),
    ("14点05", "14:05"), ("14点5分", "14:05"), ("14点半", "14:30"), ("14时30分", "14:30"),
    ("下午2:30", "14:30"), ("下午2点半", "14:30"), ("下午 2 点半", "14:30"),
    ("晚上7点", "19:00"), ("晚上七点半", "19:30"), ("晚上7点一刻", "19:15"),
    ("上午9点三刻", "09:45"), ("上午十点二十", "10:20"), ("中午12点", "12:00"),
    ("中午1点", "13:00"), ("凌晨12点", "00:00"), ("凌晨1点", "01:00"), ("下午14点", "14:00"),
    ("2:30pm", "14:30"), ("2:30 PM", "14:30"), ("2pm", "14:00"), ("9am", "09:00"),
    ("12pm", "12:00"), ("两点", "02:00"), ("00:00", "00:00"), ("23:59", "23:59"),
]
REFUSED_TIMES = ["19.30", "24:00", "14:60", "14:3", "14点5", "25点", "晚上12点", "上午12点", "12am",
                 "上午15点", "下午2pm", "143", "14-30", "二十五点", "", "半", "下午", "13pm"]


@pytest.mark.parametrize(("typed", "stored"), DATES)
def test_a_date_form_reads_as_the_stored_day(typed: str, stored: str) -> None:
    assert parse_date(typed, TODAY).isoformat() == stored


@pytest.mark.parametrize("typed", REFUSED_DATES)
def test_an_impossible_or_ambiguous_date_is_refused_with_the_forms(typed: str) -> None:
    with pytest.raises(YiguanError) as caught:
        parse_date(typed, TODAY)
    message = caught.value.message()
    for form in ("2024-5-18", "2024/5/18", "2024年5月18日", "5月18日", "今天", "明天", "昨天"):
        assert form in message, form


@pytest.mark.parametrize(("typed", "stored"), TIMES)
def test_a_time_form_reads_as_the_stored_time(typed: str, stored: str) -> None:
    assert parse_time(typed) == stored


@pytest.mark.parametrize("typed", REFUSED_TIMES)
def test_an_impossible_or_ambiguous_time_is_refused_with_the_forms(typed: str) -> None:
    with pytest.raises(YiguanError) as caught:
        parse_time(typed)
    message = caught.value.message()
    for form in ("14:30", "1430", "14点半", "下午2点半", "晚上7点", "2:30pm"):
        assert form in message, form


STANCES = [("赞成", "for"), ("支持", "for"), ("同意", "for"), ("for", "for"), ("FOR", "for"),
           ("反对", "against"), ("不同意", "against"), ("against", "against"),
           ("中立", "neutral"), ("弃权", "neutral"), ("neutral", "neutral")]


@pytest.mark.parametrize(("typed", "stored"), STANCES)
def test_a_stance_word_is_stored_canonically(run: Any, opened: str, typed: str,
                                            stored: str) -> None:
    run.ok("speak", "lxj", "同意这个方案", "--stance", typed, "--at", "19:36")
    assert run.meeting().speech[-1].stance == stored


@pytest.mark.parametrize("typed", ["也许", "赞", "yes", "支持反对"])
def test_another_stance_is_a_usage_error_that_names_the_words(run: Any, opened: str,
                                                             typed: str) -> None:
    before = run.snapshot()
    result = run("speak", "lxj", "再想想", "--stance", typed, "--at", "19:36")
    assert result.exit_code == 2
    assert "不同意" in result.stderr and "弃权" in result.stderr
    assert run.snapshot() == before


def test_a_typed_time_is_stored_canonically_and_said_back(run: Any, opened: str) -> None:
    result = run.ok("speak", "lxj", "说两句", "--at", "晚上7点36")
    assert run.meeting().speech[-1].at == "19:36"
    assert t("input.understood", typed="晚上7点36", value="19:36") in result.stderr


def test_the_canonical_form_is_not_said_back(run: Any, opened: str) -> None:
    result = run.ok("speak", "lxj", "说两句", "--at", "19:36")
    assert "19:36" not in result.stderr


def test_a_meeting_on_a_typed_date(run: Any, clock: Any) -> None:
    result = run.ok("new", "五月例会", "--date", "明天", "--time", "晚上7点半")
    assert result.stdout.strip().splitlines()[-1] == "2024-05-11"
    meeting = run.meeting("2024-05-11")
    assert meeting.date.isoformat() == "2024-05-11" and meeting.time == "19:30"
    assert "「明天」按 2024-05-11 记录" in result.stderr


def test_a_refused_date_changes_nothing(run: Any, clock: Any) -> None:
    result = run.refused("new", "五月例会", "--date", "2024-2-30")
    assert "2024年5月18日" in result.stderr
    assert ZH["input.bad_date"].split("{")[0] in result.stderr


# --- review: start-up pays nothing for typed dates and times ------------------------------------

def test_the_model_and_the_commands_do_not_import_when() -> None:
    """yiguan.when compiled six patterns at import, and every command imported it
    through the model (~1 ms, more than the model itself)."""
    import subprocess
    import sys

    code = ("import sys; import yiguan.model, yiguan.store, yiguan.cli.live, "
            "yiguan.cli.documents; print('yiguan.when' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False"]


def test_when_compiles_nothing_at_import_and_the_model_still_parses() -> None:
    import re

    from yiguan import model, when

    assert not [name for name, value in vars(when).items() if isinstance(value, re.Pattern)]
    assert model.parse_date("明天", TODAY) == dt.date(2024, 5, 11)
    assert model.parse_time("晚上7点一刻") == "19:15"
    with pytest.raises(YiguanError):
        model.parse_time("晚上12点")
