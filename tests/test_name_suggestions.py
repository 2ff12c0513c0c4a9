"""An unknown name suggests who was meant (issue 12): the same reading (an input
method's homophone), one character off, the same pinyin initials. A batch sign-in with
an unknown name names every name that failed, and signs nobody in."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from yiguan.rules import names
from yiguan.text.errors import YiguanError

ROSTER = [names.Person(name, initials, True) for name, initials in (
    ("刘晓菊", "lxj"), ("刘艳", "ly"), ("王建国", "wjg"), ("张桂兰", "zgl"), ("李秀英", "lxy"),
    ("陈淑珍", "csz"), ("赵志强", "zzq"), ("张淑芬", "zsf"))]


def suggested(query: str) -> list[str]:
    with pytest.raises(YiguanError) as caught:
        names.find(query, ROSTER)
    assert caught.value.key == "names.unknown_near", caught.value.message()
    return [person.name for person in names.suggestions(query, ROSTER)]


@pytest.mark.parametrize(("typed", "meant"), [
    ("张淑分", "张淑芬"), ("张桂蓝", "张桂兰"), ("陈淑真", "陈淑珍"), ("刘燕", "刘艳"),
])
def test_a_homophone_suggests_the_name_with_the_same_reading(typed: str, meant: str) -> None:
    assert suggested(typed)[0] == meant


@pytest.mark.parametrize(("typed", "meant"), [
    ("王建军", "王建国"), ("赵志刚", "赵志强"), ("李秀秀英", "李秀英"), ("张桂", "张桂兰"),
])
def test_a_name_one_character_off_is_suggested(typed: str, meant: str) -> None:
    assert meant in suggested(typed)


def test_the_same_pinyin_initials_are_suggested_last() -> None:
    assert suggested("刘小军") == ["刘晓菊"]  # liu xiao jun: lxj, like 刘晓菊
    assert suggested("张淑分")[0] == "张淑芬"


def test_the_message_lists_the_suggestions() -> None:
    with pytest.raises(YiguanError) as caught:
        names.find("张淑分", ROSTER)
    assert caught.value.message() == "名单中没有「张淑分」；相近的有：张淑芬（zsf）"


def test_nothing_alike_is_a_plain_unknown() -> None:
    with pytest.raises(YiguanError) as caught:
        names.find("欧阳修", ROSTER)
    assert caught.value.key == "names.unknown"


def test_a_name_that_is_found_does_not_load_pypinyin() -> None:
    code = ("import sys; from yiguan.rules import names; "
            "p = [names.Person('刘晓菊', 'lxj', True), names.Person('刘艳', 'ly', True)]; "
            "names.find('lxj', p); names.find('刘艳', p); print('pypinyin' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def test_a_batch_with_unknown_names_says_which_and_signs_nobody(run: Any, planned: str) -> None:
    result = run.refused("sign", "刘晓菊", "张桂蓝", "lxy", "王建军", "--at", "19:20")
    message = result.stderr
    assert "4 个姓名中有 2 个有误，本次无人签到" in message
    assert "「张桂蓝」；相近的有：张桂兰" in message and "「王建军」；相近的有：王建国" in message
    assert "刘晓菊" not in message, "a name that was found is not a failure"


def test_one_unknown_name_is_the_plain_refusal(run: Any, planned: str) -> None:
    result = run.refused("sign", "张桂蓝", "--at", "19:20")
    assert "名单中没有「张桂蓝」；相近的有：张桂兰（zgl）" in result.stderr
    assert "无人签到" not in result.stderr
