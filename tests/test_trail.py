"""The trail of a closed meeting (#19 §3): a hand edit cannot pass for the signed record.

A closed meeting edited by hand — a `[[correction]]` deleted, or a vote changed to other
counts that add up, without one — used to pass `check` silently. `close` now seals the
record as signed (`[signed]`: a fingerprint of every value the trail covers), and `fix`,
`strike` and `excuse` leave their corrections as before. `check` works back from the file
to the close through the corrections and reports what does not follow:
「会议已散会，表决 V1 的票数与更正记录不符」. Follow-up after the close (actions and
`done`, a time that came from the clock) stays outside the trail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from yiguan.meeting import trail
from yiguan.meeting.check import check_file
from yiguan.record import fileformat

MEETING = "2024-05-10"
M = ["-m", MEETING]


@pytest.fixture
def closed(run: Any, opened: str) -> str:
    """Speeches S1, S2; M1 adopted 4–1 (V1) with action A1; closed at 20:30, sealed."""
    run.ok("speak", "lxj", "楼道里的旧家具要清走。", "--stance", "for", "--at", "19:35")
    run.ok("speak", "ly", "先贴通知再清运。", "--at", "19:36")
    run.ok("propose", "三天后统一清运楼道堆物", "--by", "wjg", "--second", "zgl", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "4", "--no", "1", "--at", "19:45")
    run.ok("action", "联系清运车", "--owner", "wjg", "--motion", "M1", "--at", "19:55")
    run.ok("close", "--at", "20:30")
    return MEETING


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), "utf-8")


def block(path: Path, header: str, first_line: str) -> str:
    """The `[[header]]` block whose first key line is `first_line`."""
    text = path.read_text("utf-8")
    start = text.index(f"[[{header}]]\n{first_line}\n")
    return text[start: text.index("\n\n", start) + 2]


def cut(path: Path, header: str, first_line: str) -> None:
    edit(path, block(path, header, first_line), "")


def check_says(run: Any) -> list[str]:
    """What `yiguan check` prints about the meeting, without the file name."""
    result = run("check")
    name = f"{run.meeting_path()}: "
    return [line.removeprefix(name) for line in result.stdout.splitlines()
            if line.startswith(name)]


# --- sealed at the close, followed through the corrections --------------------------------

def test_close_seals_the_record_and_check_follows_every_correction(run: Any,
                                                                   closed: str) -> None:
    meeting = run.meeting()
    assert meeting.signed is not None
    assert set(meeting.signed) == {"meeting", "attendee", "item", "speech", "motion", "vote"}
    assert "action" not in meeting.signed  # follow-up work: outside the trail
    assert meeting.signed["vote"]["V1"].startswith("motion=")
    run.ok("fix", "V1", "--yes", "3", "--no", "2", "--reason", "复核计票", *M)
    run.ok("fix", "V1", "--yes", "2", "--no", "3", "--reason", "再次复核", *M)
    run.ok("fix", "S1", "--text", "旧家具三天内清走。", "--stance", "neutral",
           "--reason", "发言人核对", *M)
    run.ok("strike", "S2", "--reason", "重复录入", *M)
    run.ok("fix", "P1", "--at", "19:18", "--reason", "签到表", *M)
    run.ok("excuse", "csz", "--reason", "出差", "--why", "会后核实", *M)
    run.ok("fix", "L1", "--text", "外出", "--reason", "核实", *M)
    run.ok("fix", "1", "--text", "楼道堆物集中清理", "--reason", "议题名称", *M)
    assert check_says(run) == []
    assert run.ok("check").exit_code == 0


def test_follow_up_after_the_close_is_outside_the_trail(run: Any, closed: str) -> None:
    run.ok("done", "A1", "--note", "已联系，周六清运", *M)
    run.ok("fix", "A1", "--text", "联系清运车并通知各楼栋", "--reason", "补充", *M)
    path = run.meeting_path()
    edit(path, 'note = "已联系，周六清运"', 'note = "周日清运"')  # a hand edit of follow-up
    assert check_says(run) == []


def test_the_meetings_descriptive_keys_may_be_fixed_by_hand(run: Any, closed: str) -> None:
    """No command corrects a title or a place: a typo there is fixed by hand."""
    edit(run.meeting_path(), 'place = "社区活动室"', 'place = "社区二楼活动室"')
    assert check_says(run) == []


# --- what does not follow is named -------------------------------------------------------

def test_a_vote_changed_by_hand_to_other_counts_that_add_up(run: Any, closed: str) -> None:
    edit(run.meeting_path(), "yes = 4\nno = 1\n", "yes = 3\nno = 2\n")
    assert check_says(run) == ["会议已散会，表决 V1 的票数与更正记录不符"]
    result = run("check", env={"YIGUAN_LANG": "en"})
    assert result.exit_code == 1
    assert "the meeting is closed and the counts of vote V1 do not match its corrections" \
        in result.stdout


def test_a_deleted_correction(run: Any, closed: str) -> None:
    run.ok("fix", "V1", "--yes", "3", "--no", "2", "--reason", "复核计票", *M)
    assert check_says(run) == []
    path = run.meeting_path()
    cut(path, "correction", 'id = "G1"')  # yes 4 → 3
    assert check_says(run) == ["会议已散会，表决 V1 的票数与更正记录不符"]


def test_a_correction_in_the_middle_deleted(run: Any, closed: str) -> None:
    run.ok("fix", "S1", "--text", "第二稿", "--reason", "核对", *M)
    run.ok("fix", "S1", "--text", "第三稿", "--reason", "再核对", *M)
    cut(run.meeting_path(), "correction", 'id = "G1"')
    assert check_says(run) == ["会议已散会，发言 S1 的发言要点与更正记录不符"]


def test_a_value_changed_after_its_correction(run: Any, closed: str) -> None:
    run.ok("fix", "S1", "--stance", "against", "--reason", "核对", *M)
    edit(run.meeting_path(), 'stance = "against"', 'stance = "neutral"')
    assert check_says(run) == ["会议已散会，发言 S1 的立场与更正记录不符"]


def test_a_record_added_or_removed_by_hand(run: Any, closed: str) -> None:
    path = run.meeting_path()
    speech = block(path, "speech", 'id = "S2"')
    cut(path, "speech", 'id = "S2"')
    assert check_says(run) == [
        "会议已散会，发言 S2 不见了：散会时签署的记录中有它，却没有删除它的更正记录"]
    edit(path, "[[motion]]", speech.replace('"S2"', '"S3"') + "[[motion]]")
    assert check_says(run) == [
        "会议已散会，发言 S2 不见了：散会时签署的记录中有它，却没有删除它的更正记录",
        "会议已散会，发言 S3 不在散会时签署的记录中，也没有更正记录说明它从何而来"]


def test_a_struck_record_put_back_by_hand(run: Any, closed: str) -> None:
    run.ok("strike", "S2", "--reason", "重复录入", *M)
    path = run.meeting_path()
    struck = run.meeting().correction[0].before
    edit(path, "[[motion]]", f"[[speech]]\n{struck}\n\n[[motion]]")
    assert check_says(run) == ["会议已散会，更正 G1 所说的发言 S2 与文件对不上"]


def test_the_close_moved_by_hand(run: Any, closed: str) -> None:
    edit(run.meeting_path(), 'closed = "20:30"', 'closed = "20:40"')
    assert check_says(run) == [
        "会议已散会，会议的散会时间与散会时签署的记录不符"]


def test_a_trail_on_a_meeting_that_is_not_closed(run: Any, closed: str) -> None:
    path = run.meeting_path()
    edit(path, 'status = "closed"', 'status = "open"')
    edit(path, 'closed = "20:30"\n', "")
    assert check_says(run) == ["会议未散会，却有散会时签署的记录（[signed]）"]


def test_a_broken_trail_is_a_schema_problem(run: Any, closed: str) -> None:
    edit(run.meeting_path(), 'V1 = "motion=', 'V1 = "motion=xyz ')
    assert check_says(run) == ["signed.vote.V1: 散会时签署的记录（[signed]）应为每条记录一行"
                               "「键=指纹」，由 yiguan close 写入，不要手工修改"]
    run.refused("fix", "S1", "--text", "x", "--reason", "y", *M, because="schema.bad_signed",
                in_file=True)


# --- a time from the clock is outside (issue 18's `<time>_noted = false`) -----------------

def test_a_value_sealed_as_not_noted_may_change_without_a_correction(run: Any,
                                                                    closed: str) -> None:
    """A time that came from the meeting's clock is sealed as `?`: giving it later is no
    correction of a signed fact."""
    path = run.meeting_path()
    line = run.meeting().signed["speech"]["S1"]
    mark = line.split(" at=")[1].split(" ")[0]
    edit(path, f"S1 = \"{line}\"", f"S1 = \"{line.replace('at=' + mark, 'at=?')}\"")
    edit(path, 'at = "19:35"', 'at = "19:37"')
    assert check_says(run) == []


def test_seal_marks_the_times_a_record_marks_as_not_noted() -> None:
    """The keys issue 18 adds: `at_noted = false` says the time came from the clock."""
    line = trail._sealed_line({"speaker": "刘艳", "at": "19:40", "text": "好"}, ["at"])
    assert line.split(" ")[1] == "at=?"
    assert trail.outside("at_noted") and trail.outside("closed_noted")
    assert trail._values({"at": "19:40", "at_noted": False, "seq": 3}) == {"at": "19:40"}
    assert trail._unnoted({"at": "19:40", "at_noted": False, "left_noted": False}) == [
        "at", "left"]


def test_a_write_up_closed_on_the_meeting_clock_takes_its_times_later_without_a_trace(
        run: Any, opened: str, clock: Any) -> None:
    """Typed up two days later: the speech and the close come from the meeting clock,
    so the seal says `?` for them; noting the speech's time later (which also moves the
    close nobody noted) is no correction and the trail still holds."""
    clock.set("2024-05-12 09:00")
    run.ok("speak", "lxj", "楼道堆物要清走。")
    run.ok("close")
    signed = run.meeting().signed
    assert "at=?" in signed["speech"]["S1"] and "closed=?" in signed["meeting"]
    run.ok("fix", "S1", "--at", "19:50", *M)
    meeting = run.meeting()
    assert (meeting.closed, meeting.correction) == ("19:50", [])
    assert check_says(run) == []


def test_the_value_text_is_the_files_form_in_every_language(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What a correction keeps and the trail compares does not follow the Locale."""
    import datetime as dt

    expected = {None: None, "list": "刘艳、王芳", "date": "2024-05-10", True: "true",
                False: "false", 14: "14", "多行\n文字": "多行\n文字"}
    values = {None: None, "list": ["刘艳", "王芳"], "date": dt.date(2024, 5, 10), True: True,
              False: False, 14: 14, "多行\n文字": "多行\n文字"}
    for language in ("zh", "en"):
        monkeypatch.setenv("YIGUAN_LANG", language)
        with_language = {k: trail.value_text(v) for k, v in values.items()}
        assert with_language == expected, language
    assert trail.value_text([]) is None


def test_the_bundled_meeting_is_sealed_and_passes() -> None:
    path = Path(__file__).resolve().parent.parent / "meetings" / "2022-03-08.toml"
    assert fileformat.load_meeting(path.read_bytes(), str(path)).signed is not None
    assert check_file(path) == []
