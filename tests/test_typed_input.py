"""Issue 10, what is typed or pasted: numbers too large for TOML, Windows line ends.

Every count and length a file or a command holds has an upper bound, refused in one
line; text pasted from a Windows program keeps its lines. The numbers are the issue's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from yiguan.meeting.check import check_file
from yiguan.record import fileformat

# --- #6: numbers a file must never hold ---------------------------------------------------

@pytest.mark.parametrize("minutes", ["99999999999999999999", "601"])
def test_speak_refuses_minutes_beyond_the_bound(run: Any, opened: str, minutes: str) -> None:
    """#6: `speak --minutes 99999999999999999999` wrote a number TOML does not allow."""
    result = run.refused("speak", "刘晓菊", "同意", "--minutes", minutes, "--at", "19:40")
    assert "600" in result.stderr


def test_speak_takes_the_largest_allowed(run: Any, opened: str) -> None:
    run.ok("speak", "刘晓菊", "同意", "--minutes", "600", "--at", "19:40")
    assert run.meeting().speech[-1].minutes == 600


@pytest.mark.parametrize("edit", [
    ("notice_days = 7", "notice_days = 99999999999999999999"),
    ("speech_minutes = 2", "speech_minutes = 601"),
    ("speeches_per_item = 2", "speeches_per_item = 1001"),
])
def test_a_file_with_a_number_beyond_its_bound_is_reported(run: Any, opened: str,
                                                           edit: tuple[str, str]) -> None:
    path = run.meeting_path()
    text = path.read_text("utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), "utf-8")
    problems = check_file(path)
    assert [p.key for p in problems] == ["schema.too_large"], problems
    run.refused("speak", "刘晓菊", "同意", "--at", "19:40", because="schema.too_large",
                in_file=True)


def test_vote_counts_beyond_the_room_are_refused_not_stored(run: Any, opened: str) -> None:
    run.ok("propose", "动议", "--by", "lxj", "--second", "ly", "--at", "19:35")
    run.refused("vote", "M1", "--yes", "99999999999999999999", "--no", "0", "--at", "19:36",
                because="live.too_many_hands", yes=99999999999999999999, eligible=5)


def test_every_whole_number_key_has_a_bound() -> None:
    """Bounds come from the schema: each int or count key of every record has one that
    TOML (64 bits) can hold."""
    from yiguan.record.model import KINDS, Meeting, Rules

    for record_type in (*KINDS.all, Rules):
        for key in record_type.SPEC:
            if key.kind in ("int", "count"):
                assert 0 < key.most < 2 ** 63, (record_type.__name__, key.name)
    assert all(key.kind not in ("int", "count") for key in Meeting.TOP)


# --- #17: text pasted with Windows line ends ------------------------------------------------

@pytest.mark.parametrize("pasted", [b"first line\r\nsecond line\r\n", b"first line\rsecond line"])
def test_speech_pasted_with_windows_line_ends_keeps_its_lines(run: Any, opened: str,
                                                             pasted: bytes) -> None:
    """#17: `speak -` refused text pasted with Windows line ends (含有控制字符 U+000D)."""
    run.ok("speak", "刘晓菊", "-", "--at", "19:40", input=pasted)
    assert run.meeting().speech[-1].text == "first line\nsecond line"


def test_a_motion_and_an_action_pasted_from_windows_keep_their_lines(run: Any,
                                                                     opened: str) -> None:
    run.ok("propose", "-", "--by", "lxj", "--second", "ly", "--at", "19:35",
           input="第一条\r\n第二条".encode())
    run.ok("action", "-", "--owner", "lxj", "--at", "19:36", input="甲\r\n乙".encode())
    meeting = run.meeting()
    assert meeting.motion[-1].text == "第一条\n第二条" and meeting.action[-1].text == "甲\n乙"
    path = run.meeting_path()
    assert fileformat.dump_meeting(meeting).encode() == path.read_bytes()
    assert b"\r" not in Path(path).read_bytes()


@pytest.mark.parametrize(("args", "what"), [
    (["agenda", "add", "第一行\r\n第二行"], "what.title"),
    (["sign", "--guest", "甲", "--org", "单\r位", "--at", "19:40"], "what.org"),
    (["new", "会\r议", "--date", "2024-06-01"], "what.title"),
])
def test_a_carriage_return_in_a_one_line_field_is_still_refused(run: Any, opened: str,
                                                                args: list[str],
                                                                what: str) -> None:
    run.refused(*args, because="input.bad_text", what_key=what, why_key="schema.control",
                code="U+000D")
