"""The bundled example: 幸福里社区's 幸而有你居民议事会 (兰州日报 2022-03-09), replayed
through the command line alone, gives exactly the files in `meetings/`, and they pass
`yiguan check`.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from seed_script import COMMANDS, replay
from yiguan.cli import make_app
from yiguan.meeting.check import check_file
from yiguan.record.fileformat import load_council, load_meeting

BUNDLED = Path(__file__).resolve().parents[1] / "meetings"
FILES = ("council.toml", "2022-03-08.toml", ".gitignore")


def test_replaying_the_seed_commands_gives_the_bundled_files_byte_for_byte(
        tmp_path: Path, cli_for: Any) -> None:
    cli = cli_for(tmp_path / "meetings")
    for argv in COMMANDS:
        cli.ok(*argv)
    for name in FILES:
        assert (cli.folder / name).read_bytes() == (BUNDLED / name).read_bytes(), name


def test_the_seed_scripts_own_replay_gives_the_same_files(tmp_path: Path) -> None:
    replay(tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (BUNDLED / name).read_bytes(), name


def _bundled_copy(tmp_path: Path) -> Path:
    """The bundled files in a scratch folder: commands may keep caches beside them, and
    the repository's meetings/ stays untouched."""
    folder = tmp_path / "meetings"
    folder.mkdir()
    for name in FILES:
        shutil.copyfile(BUNDLED / name, folder / name)
    return folder


def test_check_passes_on_the_bundled_meetings(tmp_path: Path) -> None:
    for name in ("council.toml", "2022-03-08.toml"):
        assert check_file(BUNDLED / name) == [], name
    result = CliRunner().invoke(make_app(), ["--dir", str(_bundled_copy(tmp_path)), "check"])
    assert result.exit_code == 0, result.output
    assert "2 个文件" in result.stdout


def test_show_reads_the_bundled_meeting(tmp_path: Path) -> None:
    result = CliRunner().invoke(make_app(), ["--dir", str(_bundled_copy(tmp_path)), "show"])
    assert result.exit_code == 0, result.output
    assert "幸而有你居民议事会" in result.stdout


def test_the_bundled_meeting_tells_the_story_of_the_report() -> None:
    council = load_council((BUNDLED / "council.toml").read_bytes(), "council.toml")
    meeting = load_meeting((BUNDLED / "2022-03-08.toml").read_bytes(), "2022-03-08.toml")
    assert council.name == "幸福里社区居民议事会"
    assert meeting.title == "幸而有你居民议事会" and meeting.status == "closed"
    people = {a.name for a in meeting.attendee}
    assert len(people) == 18, "社区书记, 社工 and 居民骨干: 18 people"
    guests = {a.name: a.org for a in meeting.attendee if a.role == "guest"}
    assert any("社区书记" in (org or "") for org in guests.values())
    assert any("社工" in (org or "") for org in guests.values())
    assert {"刘晓菊", "刘艳"} <= {s.speaker for s in meeting.speech}
    resolutions = [motion.text for _, motion, _ in meeting.resolutions()]
    assert len(resolutions) == 3
    for topic in ("活动场地使用规则", "志愿者人才队伍激励机制", "小游园环境卫生管理"):
        assert any(topic in text for text in resolutions), topic
    assert meeting.note and "虚构" in meeting.note, "invented details are said to be invented"
