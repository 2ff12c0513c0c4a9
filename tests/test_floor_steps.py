"""The floor's steps in the library (issue 20: domain logic out of cli/): `floor.give`,
`floor.end` and `floor.speak` take the data folder, the meeting id, the meeting being
edited and the steps to run after its save, and return what to say (`Said`); the
commands only parse, call and print. `speak` on a meeting without a floor file never
imports the floor's module.

From the `opened` fixture: 刘晓菊 lxj, 刘艳 ly, 王建国 wjg, 张桂兰 zgl and 李秀英 lxy present
since 19:20, opened at 19:30, a speech limited to 2 minutes.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from yiguan.meeting import floor as floors
from yiguan.store.folder import DataFolder

EVENING = dt.datetime(2024, 5, 10, 21, 0)  # the clock, past every time given here


def _saved(steps: list[Callable[[], None]]) -> None:
    """What the store does once the meeting file is saved."""
    for step in steps:
        step()


def test_give_speak_and_end_say_what_happened_and_save_the_floor_after_the_meeting(
        folder: Path, opened: str) -> None:
    data = DataFolder(folder)
    council = data.load_council()
    meeting = data.load_meeting(opened)
    after: list[Callable[[], None]] = []
    said = floors.give(data, opened, after, meeting, council, "ly", "19:32", EVENING, None)
    assert said.lines == [("floor.given", {"name": "刘艳", "item": "1", "minutes": 2,
                                           "at": "19:32"})]
    assert said.warnings == [] and said.value is None
    assert not data.keeps_floor(opened), "written only once the meeting is saved"
    _saved(after)
    assert floors.read_floor(data, opened).holder == {
        "name": "刘艳", "item": 1, "minutes": 2, "started": "2024-05-10T19:32:00"}

    after = []
    said = floors.speak(data, opened, after, meeting, council, "ly", "建议每月清理一次",
                        "19:35", EVENING)
    assert said.value == "S1" and meeting.speech[0].minutes == 3  # measured: 19:32-19:35
    assert said.lines[-1] == ("floor.ended_by_speech", {"name": "刘艳", "minutes": 3})
    assert ("live.over_time", {"name": "刘艳", "minutes": 3, "limit": 2}) in said.warnings
    assert floors.read_floor(data, opened).holder is not None
    _saved(after)
    assert floors.read_floor(data, opened).holder is None

    after = []
    floors.give(data, opened, after, meeting, council, "wjg", "19:36", EVENING, 5)
    _saved(after)
    after = []
    said = floors.end(data, opened, after, meeting, "19:38", EVENING)
    assert said.lines == [("floor.ended", {"name": "王建国", "minutes": 2, "seconds": 0})]
    _saved(after)
    assert floors.read_floor(data, opened).holder is None
    assert len(meeting.speech) == 1, "ending the floor records no speech"


def test_a_speech_by_someone_else_leaves_the_floor_as_it_is(folder: Path, opened: str) -> None:
    data = DataFolder(folder)
    council = data.load_council()
    meeting = data.load_meeting(opened)
    after: list[Callable[[], None]] = []
    floors.give(data, opened, after, meeting, council, "ly", "19:32", EVENING, None)
    _saved(after)
    after = []
    said = floors.speak(data, opened, after, meeting, council, "wjg", "插话", "19:33", EVENING,
                        minutes=1)
    assert after == [] and meeting.speech[0].minutes == 1
    assert all(key != "floor.ended_by_speech" for key, _ in said.lines)
    assert floors.read_floor(data, opened).holder is not None


def test_an_unusable_floor_file_is_one_warning_of_each_step(folder: Path, opened: str) -> None:
    data = DataFolder(folder)
    data.floor_path(opened).parent.mkdir(parents=True)
    data.floor_path(opened).write_text("[]")
    council = data.load_council()
    meeting = data.load_meeting(opened)
    said = floors.speak(data, opened, [], meeting, council, "ly", "发言", "19:35", EVENING)
    assert [key for key, _ in said.warnings].count("floor.unusable") == 1
    said = floors.give(data, opened, [], meeting, council, "ly", "19:36", EVENING, None)
    assert [key for key, _ in said.warnings] == ["floor.unusable"]


def _modules_after(folder: Path, steps: list[list[str]]) -> str:
    probe = (
        "import sys\n"
        "from yiguan.cli import main\n"
        f"for step in {steps!r}:\n"
        f"    sys.argv = ['yiguan', '--dir', {str(folder)!r}, *step]\n"
        "    try:\n        main()\n    except SystemExit as e:\n"
        "        assert not e.code, (step, e.code)\n"
        "print('yiguan.meeting.floor' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    return done.stderr.decode().strip().splitlines()[-1]


def test_speak_without_a_floor_file_does_not_import_the_floor(run: Any, opened: str) -> None:
    assert _modules_after(run.folder, [["speak", "ly", "发言", "--at", "19:35"]]) == "False"
    assert run.meeting().speech[0].text == "发言"
    run.ok("queue", "wjg")
    assert _modules_after(run.folder, [["speak", "ly", "再发言", "--at", "19:36"]]) == "True"
