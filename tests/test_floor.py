"""The list of speakers (发言排队) and the floor (发言权): `queue`, `floor`, and `speak` by
the floor holder measuring the speech.

From the `opened` fixture: five members present since 19:20 (刘晓菊 lxj, 刘艳 ly, 王建国
wjg, 张桂兰 zgl, 李秀英 lxy), 陈淑珍 csz and 赵志强 zzq absent, opened at 19:30, the
council's limit 2 minutes a speech. The `clock` fixture stands at 2024-05-10 19:42.
The floor is live state under .yiguan/floor/, never in the meeting file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import tracked


def _floor(run: Any) -> dict[str, Any]:
    path = run.folder / ".yiguan" / "floor" / "2024-05-10.json"
    return json.loads(path.read_text()) if path.exists() else {"holder": None, "queue": []}


# --- the queue ----------------------------------------------------------------------------

def test_queue_adds_lists_and_removes(run: Any, opened: str, clock: Any) -> None:
    result = run.ok("queue", "lxj", "wjg", "zgl")
    assert "刘晓菊、王建国、张桂兰" in result.stdout and "议题 1" in result.stdout
    listed = run.ok("queue")
    assert "1. 刘晓菊  2. 王建国  3. 张桂兰" in listed.stdout
    run.ok("queue", "--remove", "wjg")
    assert "王建国" not in run.ok("queue").stdout


def test_queue_is_per_item(run: Any, opened: str, clock: Any) -> None:
    run.ok("queue", "lxj", "--item", "2")
    assert "暂无人排队" in run.ok("queue").stdout
    assert "刘晓菊" in run.ok("queue", "--item", "2").stdout


def test_queue_keeps_the_meeting_file_untouched(run: Any, opened: str, clock: Any) -> None:
    before = tracked(run.folder)
    run.ok("queue", "lxj", "ly")
    run.ok("floor")
    run.ok("floor", "--end")
    assert tracked(run.folder) == before


def test_queue_refusals_change_nothing(run: Any, opened: str, clock: Any) -> None:
    run.ok("queue", "lxj")
    run.refused("queue", "lxj", because="floor.already_queued", name="刘晓菊", item=1)
    run.refused("queue", "--remove", "ly", because="floor.not_queued", name="刘艳", item=1)
    run.refused("queue", "无此人", because="names.unknown", query="无此人")
    run.refused("queue", "ly", "--item", "9", because="live.no_such_item", n=9, count=2)
    run.refused("queue", "ly", "--remove", "lxj", because="floor.add_and_remove")


# --- the floor ------------------------------------------------------------------------------

def test_floor_takes_the_next_in_the_queue(run: Any, opened: str, clock: Any) -> None:
    run.ok("queue", "wjg", "zgl")
    result = run.ok("floor")
    assert "王建国 获得发言权" in result.stdout and "限时 2 分钟" in result.stdout
    holder = _floor(run)["holder"]
    assert holder == {"name": "王建国", "item": 1, "minutes": 2, "started": "2024-05-10T19:42:00"}
    assert [e["name"] for e in _floor(run)["queue"]] == ["张桂兰"]


def test_those_who_have_not_spoken_come_first(run: Any, opened: str, clock: Any) -> None:
    run.ok("speak", "wjg", "先说一句", "--at", "19:35")
    run.ok("queue", "wjg", "zgl")
    assert "张桂兰 获得发言权" in run.ok("floor").stdout


def test_the_sides_alternate_where_stances_are_known(run: Any, opened: str, clock: Any) -> None:
    run.ok("speak", "lxj", "赞成清理", "--stance", "for", "--at", "19:33")
    run.ok("speak", "ly", "也赞成", "--stance", "for", "--at", "19:34")
    run.ok("speak", "wjg", "反对", "--stance", "against", "--at", "19:35")
    run.ok("speak", "zgl", "赞成", "--stance", "for", "--at", "19:36")
    # all four spoke once; the last speech was for: the first known against goes first
    run.ok("queue", "lxj", "wjg", "ly")
    assert "王建国 获得发言权" in run.ok("floor").stdout


def test_floor_by_name_with_minutes_and_at(run: Any, opened: str, clock: Any) -> None:
    result = run.ok("floor", "lxy", "--minutes", "3", "--at", "19:40")
    assert "李秀英" in result.stdout and "3 分钟" in result.stdout and "19:40" in result.stdout
    assert _floor(run)["holder"]["started"] == "2024-05-10T19:40:00"


def test_floor_needs_the_speaker_present(run: Any, opened: str, clock: Any) -> None:
    result = run.refused("floor", "csz")
    assert "不在场" in result.stderr


def test_floor_refusals(run: Any, opened: str, clock: Any) -> None:
    run.refused("floor", because="floor.queue_empty", item=1)  # nobody queued
    run.ok("floor", "lxj")
    result = run.refused("floor", "ly")  # 刘晓菊 holds it
    assert "刘晓菊 正在发言" in result.stderr
    run.refused("floor", "--end", "ly", because="floor.end_alone")
    run.ok("floor", "--end")
    run.refused("floor", "--end", because="floor.nobody")  # nobody holds it


def test_floor_needs_an_open_meeting(run: Any, planned: str, clock: Any) -> None:
    run.ok("sign", "lxj", "--at", "19:20")
    run.refused("floor", "lxj", because="live.meeting_not_open")


def test_floor_end_records_no_speech(run: Any, opened: str, clock: Any) -> None:
    run.ok("floor", "lxj")
    clock.set("2024-05-10 19:43:30")
    result = run.ok("floor", "--end")
    assert "1 分 30 秒" in result.stdout
    assert run.meeting().speech == [] and _floor(run)["holder"] is None


# --- the floor on the meeting clock, as every command --------------------------------------

def test_floor_on_a_meeting_of_another_day_takes_the_meetings_clock(
        run: Any, opened: str, clock: Any) -> None:
    """Typed up two days later: `floor` takes the meeting's own clock (its latest record,
    here the opening at 19:30) as `speak` does and says so — never today's wall clock on
    the meeting's date (19118:24) — and `floor --end` measures on the same clock."""
    clock.set("2024-05-12 09:05")
    given = run.ok("floor", "lxj")
    assert "19:30 起" in given.stdout, given.stdout
    assert "按会议时间 19:30 记录；可用 --at 指定" in given.stdout, given.stdout
    assert _floor(run)["holder"]["started"] == "2024-05-10T19:30:00"
    ended = run.ok("floor", "--end")
    assert "用时 0 分 0 秒" in ended.stdout, ended.stdout
    assert "按会议时间 19:30 记录" in ended.stdout, ended.stdout
    run.ok("floor", "ly", "--at", "19:40")
    assert "用时 2 分 0 秒" in run.ok("floor", "--end", "--at", "19:42").stdout


def test_floor_refusal_on_another_day_says_where_the_time_came_from(
        run: Any, opened: str, clock: Any) -> None:
    clock.set("2024-05-12 09:05")
    early = run.refused("floor", "lxj", "--at", "19:00")
    assert "时间 19:00 早于开会时间 19:30" in early.stderr, early.stderr
    assert "2024-05-10" in early.stderr and "--at" in early.stderr, early.stderr
    absent = run.refused("floor", "csz")  # not signed in: at the meeting's clock, 19:30
    assert "陈淑珍 在 19:30 不在场" in absent.stderr, absent.stderr
    assert "按会议时间 19:30" in absent.stderr, absent.stderr
    assert "19118" not in early.stderr + absent.stderr


def test_floor_at_takes_the_typed_forms_and_says_how_it_read_them(
        run: Any, opened: str, clock: Any) -> None:
    given = run.ok("floor", "lxj", "--at", "晚上7点40")
    assert "19:40 起" in given.stdout and _floor(run)["holder"]["started"] == \
        "2024-05-10T19:40:00"
    assert "「晚上7点40」按 19:40 记录" in given.stderr, given.stderr
    ended = run.ok("floor", "--end", "--at", "1941")
    assert "用时 1 分 0 秒" in ended.stdout and "「1941」按 19:41 记录" in ended.stderr


def test_speak_by_the_holder_on_another_day_measures_on_the_meetings_clock(
        run: Any, opened: str, clock: Any) -> None:
    clock.set("2024-05-12 09:05")
    run.ok("floor", "lxj", "--at", "19:40")
    result = run.ok("speak", "lxj", "堆物要清理", "--at", "19:43")
    assert "发言时长 3 分钟" in result.stdout and "10 小时" not in result.stderr
    assert run.meeting().speech[0].minutes == 3


def test_floor_past_midnight_compares_times_as_times(run: Any, opened: str,
                                                     clock: Any) -> None:
    """00:10 typed at a meeting opened at 19:30 is the next day's 24:10, after the
    opening; the floor starts on the next day's date."""
    clock.set("2024-05-11 00:10")
    run.ok("speak", "lxj", "还在开", "--at", "23:50")
    given = run.ok("floor", "ly")
    assert _floor(run)["holder"]["started"] == "2024-05-11T00:10:00"
    assert "次日 00:10" in given.stdout or "24:10" in given.stdout, given.stdout


# --- speak by the floor holder -------------------------------------------------------------

def test_speak_by_the_holder_records_the_measured_length(run: Any, opened: str,
                                                        clock: Any) -> None:
    run.ok("floor", "lxj")
    clock.set("2024-05-10 19:44:10")  # 2 min 10 s: rounded up to 3, over the limit of 2
    result = run.ok("speak", "lxj", "堆物要清理")
    assert "发言时长 3 分钟" in result.stdout
    assert "超过" in result.stderr or "超时" in result.stderr, result.stderr
    speech = run.meeting().speech[0]
    assert (speech.speaker, speech.minutes) == ("刘晓菊", 3)
    assert _floor(run)["holder"] is None


def test_a_short_speech_counts_one_minute(run: Any, opened: str, clock: Any) -> None:
    run.ok("floor", "lxj")
    clock.set("2024-05-10 19:42:05")
    run.ok("speak", "lxj", "同意")
    assert run.meeting().speech[0].minutes == 1


def test_given_minutes_win_over_the_measurement(run: Any, opened: str, clock: Any) -> None:
    run.ok("floor", "lxj")
    clock.set("2024-05-10 19:50")
    run.ok("speak", "lxj", "同意", "--minutes", "2")
    assert run.meeting().speech[0].minutes == 2 and _floor(run)["holder"] is None


def test_speak_by_someone_else_leaves_the_floor(run: Any, opened: str, clock: Any) -> None:
    run.ok("floor", "lxj")
    run.ok("speak", "ly", "插一句")
    assert run.meeting().speech[0].minutes is None
    assert _floor(run)["holder"]["name"] == "刘晓菊"


def test_undo_of_a_speak_leaves_the_floor_ended(run: Any, opened: str, clock: Any) -> None:
    run.ok("floor", "lxj")
    run.ok("speak", "lxj", "同意")
    run.ok("undo")
    assert run.meeting().speech == []
    assert _floor(run)["holder"] is None  # live state is not journaled: give it again
    run.ok("floor", "lxj")


def test_a_refused_speak_keeps_the_floor(run: Any, opened: str, clock: Any) -> None:
    run.ok("floor", "lxj")
    run.refused("speak", "lxj", "   ", because="input.bad_text", what_key="what.speech",
                why_key="schema.empty")
    assert _floor(run)["holder"]["name"] == "刘晓菊"


# --- safe against a prepared repository ------------------------------------------------------

def test_a_planted_link_for_the_floor_folder_is_refused(run: Any, opened: str, clock: Any,
                                                        tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (run.folder / ".yiguan").mkdir(exist_ok=True)
    os.symlink(outside, run.folder / ".yiguan" / "floor")
    result = run.refused("queue", "lxj")
    assert "链接" in result.stderr or "link" in result.stderr
    assert list(outside.iterdir()) == []


def test_a_planted_link_for_the_floor_file_is_refused(run: Any, opened: str, clock: Any,
                                                      tmp_path: Path) -> None:
    target = tmp_path / "victim.txt"
    target.write_text("keep me")
    floor_dir = run.folder / ".yiguan" / "floor"
    floor_dir.mkdir(parents=True)
    os.symlink(target, floor_dir / "2024-05-10.json")
    run.refused("queue", "lxj", because="store.link_refused",
                path=str(floor_dir / "2024-05-10.json"))
    assert target.read_text() == "keep me"


def test_a_damaged_floor_file_reads_as_empty(run: Any, opened: str, clock: Any) -> None:
    floor_dir = run.folder / ".yiguan" / "floor"
    floor_dir.mkdir(parents=True)
    (floor_dir / "2024-05-10.json").write_text("{not json")
    assert "暂无人排队" in run.ok("queue").stdout
    run.ok("queue", "lxj")
    assert _floor(run)["queue"] == [{"name": "刘晓菊", "item": 1}]


# --- a floor file yiguan did not write ------------------------------------------------------
# It can be planted (`git add -f .yiguan/floor/…`) or damaged: the whole file is checked on
# reading, and one that is not exactly what yiguan writes is an empty floor, said once.

GOOD_HOLDER = {"name": "刘晓菊", "item": 1, "minutes": 2, "started": "2024-05-10T19:40:00"}


def _plant(run: Any, content: Any) -> Path:
    floor_dir = run.folder / ".yiguan" / "floor"
    floor_dir.mkdir(parents=True, exist_ok=True)
    path = floor_dir / "2024-05-10.json"
    path.write_bytes(content if isinstance(content, bytes)
                     else json.dumps(content, ensure_ascii=False).encode())
    return path


def _unusable_warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "发言状态文件" in line]


def test_a_start_with_a_time_zone_is_an_empty_floor_said_once(run: Any, opened: str,
                                                               clock: Any) -> None:
    _plant(run, {"holder": {**GOOD_HOLDER, "started": "2024-05-10T19:40:00+08:00"},
                 "queue": []})
    listed = run.ok("queue")
    assert "正在发言" not in listed.stdout and "暂无人排队" in listed.stdout
    warnings = _unusable_warnings(listed.stderr)
    assert len(warnings) == 1 and "$.holder.started" in warnings[0]
    assert "按无人发言、无人排队处理" in warnings[0]
    # neither crashes: nobody holds the floor, so speak records a speech of its own length
    # and floor --end has nobody to take it from
    result = run.ok("speak", "lxj", "赞成清理")
    assert len(_unusable_warnings(result.stderr)) == 1
    assert run.meeting().speech[0].minutes is None
    refused = run.refused("floor", "--end")
    assert "现在没有人在发言" in refused.stderr


def test_a_queued_name_with_escape_sequences_never_reaches_the_terminal(
        run: Any, opened: str, clock: Any) -> None:
    _plant(run, {"holder": None,
                 "queue": [{"name": "刘艳\x1b]0;owned\x07\x1b[2J", "item": 1}]})
    result = run.ok("queue")
    assert "\x1b" not in result.output and "owned" not in result.output
    assert "暂无人排队" in result.stdout
    assert len(_unusable_warnings(result.stderr)) == 1
    assert "$.queue[0].name" in result.stderr


@pytest.mark.parametrize("content, where", [
    (b"{not json", "JSON"),
    (b"\xff\xfe", "JSON"),
    (b"[" * 100_000, "JSON"),  # nested past the parser's depth
    ([], "$"),
    ({"holder": None}, "$"),
    ({"holder": None, "queue": [], "extra": 1}, "$"),
    ({"holder": [], "queue": []}, "$.holder"),
    ({"holder": {**GOOD_HOLDER, "colour": "red"}, "queue": []}, "$.holder"),
    ({"holder": {k: v for k, v in GOOD_HOLDER.items() if k != "minutes"}, "queue": []},
     "$.holder"),
    ({"holder": {**GOOD_HOLDER, "name": 7}, "queue": []}, "$.holder.name"),
    ({"holder": {**GOOD_HOLDER, "name": ""}, "queue": []}, "$.holder.name"),
    ({"holder": {**GOOD_HOLDER, "name": " 刘晓菊"}, "queue": []}, "$.holder.name"),
    ({"holder": {**GOOD_HOLDER, "name": "刘\u202e菊"}, "queue": []}, "$.holder.name"),
    ({"holder": {**GOOD_HOLDER, "name": "刘" * 41}, "queue": []}, "$.holder.name"),
    ({"holder": {**GOOD_HOLDER, "item": "1"}, "queue": []}, "$.holder.item"),
    ({"holder": {**GOOD_HOLDER, "item": True}, "queue": []}, "$.holder.item"),
    ({"holder": {**GOOD_HOLDER, "item": 0}, "queue": []}, "$.holder.item"),
    ({"holder": {**GOOD_HOLDER, "minutes": -1}, "queue": []}, "$.holder.minutes"),
    ({"holder": {**GOOD_HOLDER, "minutes": 601}, "queue": []}, "$.holder.minutes"),
    ({"holder": {**GOOD_HOLDER, "minutes": 2.0}, "queue": []}, "$.holder.minutes"),
    ({"holder": {**GOOD_HOLDER, "started": 1715340000}, "queue": []}, "$.holder.started"),
    ({"holder": {**GOOD_HOLDER, "started": "2024-05-10"}, "queue": []}, "$.holder.started"),
    ({"holder": {**GOOD_HOLDER, "started": "2024-05-10T19:40:00.5"}, "queue": []},
     "$.holder.started"),
    ({"holder": {**GOOD_HOLDER, "started": "2024-05-10T19:40:00Z"}, "queue": []},
     "$.holder.started"),
    ({"holder": {**GOOD_HOLDER, "started": "2024-05-10 19:40:00"}, "queue": []},
     "$.holder.started"),
    ({"holder": None, "queue": {"name": "刘艳"}}, "$.queue"),
    ({"holder": None, "queue": ["刘艳"]}, "$.queue[0]"),
    ({"holder": None, "queue": [{"name": "刘艳"}]}, "$.queue[0]"),
    ({"holder": None, "queue": [{"name": "刘艳", "item": 1}, {"name": "刘艳", "item": 1}]},
     "$.queue[1]"),
    ({"holder": None, "queue": [{"name": "刘艳", "item": -2}]}, "$.queue[0].item"),
    ({"holder": None, "queue": [{"name": "刘艳\n王建国", "item": 1}]}, "$.queue[0].name"),
    ({"holder": None, "queue": [{"name": None, "item": 1}]}, "$.queue[0].name"),
])
def test_a_floor_file_not_as_yiguan_writes_it_is_empty_with_one_warning(
        run: Any, opened: str, clock: Any, content: Any, where: str) -> None:
    _plant(run, content)
    result = run.ok("queue")
    assert "暂无人排队" in result.stdout and "正在发言" not in result.stdout
    warnings = _unusable_warnings(result.stderr)
    assert len(warnings) == 1 and f"（{where}）" in warnings[0], result.stderr
    assert "Traceback" not in result.output
    # the next change writes a good file over it
    run.ok("queue", "ly")
    assert _floor(run) == {"holder": None, "queue": [{"name": "刘艳", "item": 1}]}
    assert _unusable_warnings(run.ok("queue").stderr) == []


def test_a_floor_file_that_is_a_folder_or_too_big_is_empty_with_one_warning(
        run: Any, opened: str, clock: Any) -> None:
    path = _plant(run, b"{}")
    path.write_bytes(b" " * (2 << 20))
    result = run.ok("queue")
    assert len(_unusable_warnings(result.stderr)) == 1 and "（file）" in result.stderr
    path.unlink()
    path.mkdir()
    assert len(_unusable_warnings(run.ok("queue").stderr)) == 1


def test_a_floor_file_as_yiguan_writes_it_is_read_without_a_word(run: Any, opened: str,
                                                                  clock: Any) -> None:
    _plant(run, {"holder": GOOD_HOLDER, "queue": [{"name": "刘艳", "item": 1},
                                                  {"name": "王建国", "item": None}]})
    result = run.ok("queue")
    assert "正在发言：刘晓菊" in result.stdout and "1. 刘艳" in result.stdout
    assert result.stderr == ""


def test_english_says_it_in_english(run: Any, opened: str, clock: Any) -> None:
    _plant(run, {"holder": None, "queue": 3})
    result = run.ok("queue", env={"YIGUAN_LANG": "en"})
    assert "the floor file" in result.stderr and "($.queue)" in result.stderr


# --- the standalone timer -------------------------------------------------------------------

def test_the_timer_face_turns_amber_then_red_and_negative() -> None:
    from yiguan.cli.terminal import big, clock_face

    assert clock_face(120) == ("2:00", "normal")
    assert clock_face(30.4) == ("0:31", "normal")
    assert clock_face(30) == ("0:30", "warn")
    assert clock_face(0.2) == ("0:01", "warn")
    assert clock_face(0) == ("0:00", "over")
    assert clock_face(-65.5) == ("-1:05", "over")
    assert len(big("-1:05").splitlines()) == 5


def test_the_timer_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    child = subprocess.Popen([sys.executable, "-m", "yiguan", "timer", "0.1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "YIGUAN_LANG": ""})
    time.sleep(1.5)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=5)
    assert child.returncode == 0, err
    assert "Traceback" not in err and "计时结束" in out
