"""Dates, times and stances as people type them (issue 12): every accepted form reads
into the one stored form; anything ambiguous or impossible is refused with the forms
that are understood listed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import refuses
from yiguan.rules.when import parse_date, parse_time
from yiguan.text.errors import YiguanError
from yiguan.text.locale_zh import MESSAGES as ZH
from yiguan.text.messages import t

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
    """yiguan.rules.when compiled six patterns at import, and every command imported it
    through the model (~1 ms, more than the model itself)."""
    import subprocess
    import sys

    code = ("import sys; import yiguan.record.model, yiguan.store.folder, yiguan.cli.live, "
            "yiguan.cli.documents; print('yiguan.rules.when' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False"]


def test_when_compiles_nothing_at_import_and_the_model_still_parses() -> None:
    import re

    from yiguan.record import model
    from yiguan.rules import when

    assert not [name for name, value in vars(when).items() if isinstance(value, re.Pattern)]
    assert model.parse_date("明天", TODAY) == dt.date(2024, 5, 11)
    assert model.parse_time("晚上7点一刻") == "19:15"
    with refuses("input.bad_time", value="晚上12点"):
        model.parse_time("晚上12点")


# --- issue 18: every date option's help names the forms it takes ----------------------------

def date_options() -> set[tuple[str, str]]:
    """(command, option) of every option a command reads as a typed date (`typed_date`),
    found in the command modules' source, so that a date option added later is held to
    the same help."""
    import ast
    import importlib
    import inspect
    import textwrap
    import typing

    from yiguan.cli import COMMAND_MODULES

    found = set()
    for command, module_name in COMMAND_MODULES.items():
        module = importlib.import_module(f"yiguan.cli.{module_name}")
        function = module.COMMANDS.get(command)
        if function is None:  # a group (member, agenda, council): none takes a date
            continue
        # parameter → its option's first name (`--since`), from the Annotated metadata
        options = {name: info.default if isinstance(info.default, str) else info.param_decls[0]
                   for name, hint in typing.get_type_hints(function, include_extras=True).items()
                   for info in getattr(hint, "__metadata__", ())
                   if type(info).__name__ == "OptionInfo"}
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "typed_date"
                    and isinstance(node.args[0], ast.Name)):
                found.add((command, options[node.args[0].id]))
    return found


DATE_OPTIONS = [("new", "--date"), ("action", "--due"), ("fix", "--due"), ("notice", "--from"),
                ("announce", "--issued"), ("ledger", "--since"), ("ledger", "--until"),
                ("actions", "--on"), ("attendance", "--since"), ("done", "--on"),
                ("site", "--as-of"),
                ("evaluate", "--date")]
# the examples a date option's help gives, one of each family of forms (yiguan.rules.when)
FAMILIES = {"dashes": r"\b\d{4}-\d{2}-\d{2}\b", "slashes": r"\b\d{4}/\d{1,2}/\d{1,2}\b",
            "年月日": r"\d{4}年\d{1,2}月\d{1,2}日", "月日": r"(?<![\d年])\d{1,2}月\d{1,2}日"}
RELATIVE = {"zh": r"今天|明天|昨天", "en": r"\b(?:today|tomorrow|yesterday)\b"}


def test_the_date_options_are_those_the_commands_read_as_dates() -> None:
    assert date_options() == set(DATE_OPTIONS)


def help_line(page: str, option: str) -> str:
    return next(line for line in page.splitlines() if f" {option} " in line)


def check_date_help(line: str, lang: str) -> None:
    import re

    assert "YYYY" not in line, line
    assert (" 日期 " if lang == "zh" else " DATE ") in line, line  # the metavar
    for family, pattern in FAMILIES.items():
        examples = re.findall(pattern, line)
        assert examples, (family, line)
        for example in examples:  # every form the help names is one that is taken
            parse_date(example, TODAY)
    words = re.findall(RELATIVE[lang], line)
    assert words, line
    for word in words:
        parse_date(word, TODAY)


@pytest.mark.parametrize(("command", "option"), DATE_OPTIONS)
def test_a_date_options_help_names_the_forms_it_takes(command: str, option: str) -> None:
    """`--date YYYY-MM-DD` said one form, though 2022/3/8, 2022年3月8日, 3月8日 and 今天 are
    taken too: the help gives an example of each, as `--at` does for times."""
    import os
    import subprocess
    import sys

    from typer.testing import CliRunner

    from yiguan.cli import make_app

    chinese = CliRunner().invoke(make_app([command]), [command, "--help"],
                                 env={"YIGUAN_LANG": "", "COLUMNS": "400"})
    assert chinese.exit_code == 0, chinese.output
    check_date_help(help_line(chinese.stdout, option), "zh")
    # the help's language is fixed when the command's module is imported: English runs
    # in a process of its own
    english = subprocess.run([sys.executable, "-m", "yiguan", command, "--help"],
                             capture_output=True, check=True, timeout=60,
                             env={**os.environ, "YIGUAN_LANG": "en", "COLUMNS": "400"})
    check_date_help(help_line(english.stdout.decode("utf-8"), option), "en")


@pytest.mark.parametrize("typed", ["2024/5/18", "2024年5月18日", "5月18日", "明天"])
def test_the_ledgers_take_the_forms_their_help_names(run: Any, clock: Any, typed: str) -> None:
    for args in (["ledger", "--since", typed], ["ledger", "--until", typed],
                 ["actions", "--on", typed], ["attendance", "--since", typed]):
        result = run.ok(*args)
        assert "2024-05-" in result.stderr, (args, result.stderr)  # said back as read


def test_hh_mm_read_without_the_patterns_is_read_as_the_patterns_read_it() -> None:
    """`parse_clock` takes a plain HH:MM (nearly every --at) without compiling its
    patterns: for every two digits, a colon and two digits, the same time, the same
    12-hour mark and the same refusal as the general reading (`when._clock`)."""
    import re

    from yiguan.rules import when

    def general(text: str) -> tuple[str, bool] | None:
        clock = when._clock(text)
        assert clock is not None
        hour, minute = clock
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            return None
        return (f"{hour:02d}:{minute:02d}",
                1 <= hour <= 12 and not re.match(when._TWENTY_FOUR_HOUR, text))

    for hour in range(100):
        for minute in range(100):
            text = f"{hour:02d}:{minute:02d}"
            read: object
            try:
                read = tuple(when.parse_clock(text))
            except YiguanError as error:
                assert error.key == "input.bad_time"
                read = None
            assert read == general(text), text
