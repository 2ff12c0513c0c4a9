"""Housekeeping in the data folder: what a killed writer leaves behind is swept away.

A writer killed between creating its temporary file and renaming it leaves a hidden
`.<name>.<pid>.<ns>.<n>.tmp` — a full copy of the meeting. Git ignores it and yiguan never
reads it, but it must not pile up for years.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from yiguan.store.files import sweep_temporaries


def a_dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporaries_of_dead_writers_are_removed_and_live_ones_kept(tmp_path: Path):
    dead = tmp_path / f".2022-03-08.toml.{a_dead_pid()}.123.0.tmp"
    live = tmp_path / f".2022-03-08.toml.{os.getpid()}.456.0.tmp"
    data = tmp_path / "2022-03-08.toml"
    other = tmp_path / ".notes.tmp"
    for path in (dead, live, data, other):
        path.write_text("x", "utf-8")
    assert sweep_temporaries(tmp_path) == 1
    assert not dead.exists()
    assert live.exists() and data.exists() and other.exists()


def test_the_journal_sweeps_now_and_then(run, opened):
    folder = run.folder
    leftover = folder / f".2024-05-10.toml.{a_dead_pid()}.1.0.tmp"
    leftover.write_text("half a meeting", "utf-8")
    for number in range(20):  # the journal prunes every 16 writes
        run.ok("speak", "lxj", f"第{number}次发言", "--at", "19:40")
    assert not leftover.exists()


def test_a_closed_meetings_status_is_remembered_but_never_trusted_stale(run, opened):
    """Finding the open meeting in a folder of many closed ones must not read them all,
    and a hand edit that reopens a closed meeting must still be seen."""
    from yiguan.store.folder import DataFolder

    run.ok("close", "--at", "20:00")
    data = DataFolder(run.folder)
    assert data.statuses(["2024-05-10"]) == {"2024-05-10": "closed"}
    assert (run.folder / ".yiguan" / "closed").exists()
    path = run.meeting_path()
    path.write_text(path.read_text("utf-8").replace('status = "closed"', 'status = "open"'),
                    "utf-8")
    assert data.statuses(["2024-05-10"]) == {"2024-05-10": "open"}
    assert run.ok("status").stdout  # the reopened meeting is found without -m
    (run.folder / ".yiguan" / "closed").write_bytes(b"not marshal data")
    assert data.statuses(["2024-05-10"]) == {"2024-05-10": "open"}  # a bad cache is ignored
