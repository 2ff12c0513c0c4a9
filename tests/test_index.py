"""The summary index behind `list`, `ledger`, `actions` and `attendance`.

It is only a cache: whatever happens to the files — a hand edit, a deleted meeting, a
broken file, a damaged or unwritable cache — the answers are those the files give now.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from yiguan import fileformat, index
from yiguan.index import Index
from yiguan.store import DataFolder

MEETINGS = Path(__file__).resolve().parent.parent / "meetings"


@pytest.fixture
def data(tmp_path: Path) -> DataFolder:
    folder = tmp_path / "meetings"
    shutil.copytree(MEETINGS, folder, ignore=shutil.ignore_patterns(".yiguan", "*.lock"))
    return DataFolder(folder)


def titles(folder: DataFolder) -> dict[str, str | None]:
    return {e.meeting_id: (e.summary or {}).get("title") for e in Index(folder).entries()}


def copy_meeting(folder: DataFolder, new_id: str, title: str) -> None:
    meeting = folder.load_meeting("2022-03-08")
    meeting.title = title
    folder.meeting_path(new_id).write_text(fileformat.dump_meeting(meeting), "utf-8")


def test_summary_matches_the_meeting(data):
    (entry,) = Index(data).entries()
    summary = entry.summary
    assert summary["title"] == "幸而有你居民议事会"
    assert [r["id"] for r in summary["resolutions"]] == ["R1", "R2", "R3"]
    assert summary["resolutions"][0]["actions"] == ["A1"]
    assert len(summary["attended"]) == 15 and len(summary["members"]) == 18


def test_the_cache_is_written_and_reused(data):
    Index(data).entries()
    assert (data.root / ".yiguan" / "index.sqlite").exists()
    calls = []
    original = index._summarize_path
    index._summarize_path = lambda task: calls.append(task) or original(task)
    try:
        Index(data).entries()
    finally:
        index._summarize_path = original
    assert calls == []  # nothing changed, nothing parsed


def test_a_hand_edit_is_seen_by_the_next_query(data):
    assert titles(data)["2022-03-08"] == "幸而有你居民议事会"
    path = data.meeting_path("2022-03-08")
    text = path.read_text("utf-8").replace('title = "幸而有你居民议事会"', 'title = "改过的名称"')
    stat = path.stat()
    path.write_text(text, "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the same mtime
    assert titles(data)["2022-03-08"] == "改过的名称"


def test_new_and_deleted_files_appear_and_disappear(data):
    Index(data).entries()
    copy_meeting(data, "2022-04-08", "四月")
    assert set(titles(data)) == {"2022-03-08", "2022-04-08"}
    data.meeting_path("2022-03-08").unlink()
    assert set(titles(data)) == {"2022-04-08"}


def test_a_broken_file_is_reported_not_fatal(data):
    copy_meeting(data, "2022-04-08", "四月")
    data.meeting_path("2022-04-08").write_text("format = 1\ntitle = \n", "utf-8")
    entries = {e.meeting_id: e for e in Index(data).entries()}
    assert entries["2022-04-08"].summary is None
    assert "2022-04-08.toml:2" in entries["2022-04-08"].problem
    assert entries["2022-03-08"].summary is not None


def test_a_damaged_cache_is_rebuilt(data):
    Index(data).entries()
    (data.root / ".yiguan" / "index.sqlite").write_bytes(b"this is not a database" * 100)
    assert titles(data) == {"2022-03-08": "幸而有你居民议事会"}
    with sqlite3.connect(data.root / ".yiguan" / "index.sqlite") as db:
        assert db.execute("SELECT count(*) FROM meeting").fetchone() == (1,)


def test_a_folder_that_cannot_hold_a_cache_still_answers(data, monkeypatch):
    monkeypatch.setattr(Index, "_connect", lambda self: None)
    assert titles(data) == {"2022-03-08": "幸而有你居民议事会"}


def test_many_changed_files_are_parsed_in_parallel_with_the_same_result(data, monkeypatch):
    for month in range(1, 13):
        copy_meeting(data, f"2023-{month:02d}-01", f"{month}月")
    sequential = [(e.meeting_id, e.summary) for e in Index(data).entries()]
    shutil.rmtree(data.root / ".yiguan")
    monkeypatch.setattr(index, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = [(e.meeting_id, e.summary) for e in Index(data).entries()]
    assert parallel == sequential


def test_entries_are_oldest_first_with_same_day_meetings_in_order(data):
    copy_meeting(data, "2022-03-08-2", "当天第二场")
    copy_meeting(data, "2022-03-08-10", "当天第十场")
    copy_meeting(data, "2021-12-31", "去年")
    assert list(titles(data)) == ["2021-12-31", "2022-03-08", "2022-03-08-2", "2022-03-08-10"]
