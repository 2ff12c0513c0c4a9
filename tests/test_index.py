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

from yiguan.record import fileformat
from yiguan.store import index
from yiguan.store.folder import DataFolder
from yiguan.store.index import Index

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
    (entry,) = Index(data).entries(("ledger", "attendance"))
    summary = entry.summary
    assert summary["title"] == "幸而有你居民议事会"
    assert [r[0] for r in summary["ledger"]] == ["R1", "R2", "R3"]
    assert [a[0] for a in summary["ledger"][0][7]] == ["A1"]  # LedgerPart.actions
    members, attended, excused, late, left_early = summary["attendance"]
    assert len(attended) == 15 and len(members) == 18
    # everyone of the bundled meeting signed in before the opening and stayed to the close
    assert (excused, late, left_early) == ((), (), ())


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
    sequential = _answers(data)
    shutil.rmtree(data.root / ".yiguan")
    monkeypatch.setattr(index, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = _answers(data)
    assert parallel == sequential


def test_entries_are_oldest_first_with_same_day_meetings_in_order(data):
    copy_meeting(data, "2022-03-08-2", "当天第二场")
    copy_meeting(data, "2022-03-08-10", "当天第十场")
    copy_meeting(data, "2021-12-31", "去年")
    assert list(titles(data)) == ["2021-12-31", "2022-03-08", "2022-03-08-2", "2022-03-08-10"]


# --- #5: a damaged index never answers -------------------------------------------------------

def _seeded(data: DataFolder, months: int = 3) -> None:
    for month in range(1, months + 1):
        copy_meeting(data, f"2023-{month:02d}-01", f"{month}月")


def _truth(data: DataFolder) -> list[tuple[str, dict | None]]:
    """What the files say, with no cache at all."""
    return [(e.meeting_id, e.summary)
            for e in Index(data)._uncached(Index(data)._files(), index.PARTS, None)]


def _indexed(data: DataFolder) -> tuple[list[tuple[str, dict | None]], Path]:
    """Three more meetings, indexed: what the files say, and the index's path."""
    _seeded(data)
    truth = _truth(data)
    Index(data).entries()
    return truth, data.root / ".yiguan" / "index.sqlite"


def _answers(data: DataFolder) -> list[tuple[str, dict | None]]:
    """What the index answers now, every part."""
    return [(e.meeting_id, e.summary) for e in Index(data).entries(index.PARTS)]


def _flip(blob: bytes, at: int, bit: int = 0x01) -> bytes:
    data = bytearray(blob)
    data[at] ^= bit
    return bytes(data)


DAMAGE = {
    "a flipped bit in the ledger": ("ledger", lambda b: _flip(b, len(b) - 3)),
    "a flipped bit in the checksum": ("ledger", lambda b: _flip(b, 1)),
    "a flipped bit in the head": ("head", lambda b: _flip(b, len(b) // 2)),
    "truncated (bad marshal data)": ("actions", lambda b: b[:len(b) // 2]),
    "truncated to nothing": ("attendance", lambda b: b[:3]),
    "not a blob": ("ledger", lambda b: 12345),
    "null": ("actions", lambda b: None),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_row_is_rebuilt_never_served(data, damage):
    """#5: one flipped bit gave `"abstain": "abstain"`; others gave `bad marshal data`,
    `KeyError`, `Aborted.`."""
    _seeded(data)
    truth = _truth(data)
    Index(data).entries()
    column, damage_it = DAMAGE[damage]
    path = data.root / ".yiguan" / "index.sqlite"
    with sqlite3.connect(path) as db:
        (blob,) = db.execute(f"SELECT {column} FROM meeting WHERE id = '2023-02-01'").fetchone()
        damaged = damage_it(blob)
        db.execute(f"UPDATE meeting SET {column} = ? WHERE id = '2023-02-01'", (damaged,))
        db.execute("DELETE FROM snapshot")  # so that the rows are read
    heads = [(e.meeting_id, e.summary and e.summary["title"]) for e in Index(data).entries()]
    assert heads == [(m, s and s["title"]) for m, s in truth]  # `list` reads the head
    assert _answers(data) == truth
    with sqlite3.connect(path) as db:  # and the row was written again
        (again,) = db.execute(f"SELECT {column} FROM meeting WHERE id = '2023-02-01'").fetchone()
    assert again == blob and again != damaged


def test_rows_swapped_between_meetings_are_not_served(data):
    truth, path = _indexed(data)
    with sqlite3.connect(path) as db:
        one = db.execute("SELECT ledger FROM meeting WHERE id = '2023-01-01'").fetchone()[0]
        two = db.execute("SELECT ledger FROM meeting WHERE id = '2023-02-01'").fetchone()[0]
        db.execute("UPDATE meeting SET ledger = ? WHERE id = '2023-01-01'", (two,))
        db.execute("UPDATE meeting SET ledger = ? WHERE id = '2023-02-01'", (one,))
        db.execute("DELETE FROM snapshot")
    assert _answers(data) == truth


def test_every_bit_of_a_row_is_guarded(data):
    """Flip each bit of one stored row in turn: the answer is always the files' own."""
    Index(data).entries()
    truth = _truth(data)
    path = data.root / ".yiguan" / "index.sqlite"
    with sqlite3.connect(path) as db:
        (blob,) = db.execute("SELECT ledger FROM meeting").fetchone()
    for at in range(0, len(blob), max(1, len(blob) // 97)):
        for bit in (0x01, 0x10, 0x80):
            with sqlite3.connect(path) as db:
                db.execute("UPDATE meeting SET ledger = ?", (_flip(blob, at, bit),))
                db.execute("DELETE FROM snapshot")
            got = _answers(data)
            assert got == truth, (at, bit)


def test_an_index_of_the_right_version_but_other_columns_is_rebuilt(data):
    truth, path = _indexed(data)
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE meeting")
        db.execute("CREATE TABLE meeting (id TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER,"
                   " inode INTEGER, head BLOB, summary TEXT)")
    assert _answers(data) == truth
    with sqlite3.connect(path) as db:
        columns = [r[1] for r in db.execute("PRAGMA table_info(meeting)")]
    assert columns == ["id", "mtime_ns", "size", "inode", *index.COLUMNS]


def test_the_ledger_from_a_damaged_index_is_the_ledger_of_the_files(data, cli_for):
    """Through the command line: the JSON after the damage is the JSON before it."""
    _seeded(data)
    run = cli_for(data.root)
    before = run.ok("ledger", "--format", "json").stdout
    path = data.root / ".yiguan" / "index.sqlite"
    with sqlite3.connect(path) as db:
        for (meeting_id, blob) in db.execute("SELECT id, ledger FROM meeting").fetchall():
            db.execute("UPDATE meeting SET ledger = ? WHERE id = ?",
                       (_flip(blob, len(blob) - 10, 0x02), meeting_id))
        for (view, blob) in db.execute("SELECT view, data FROM snapshot").fetchall():
            db.execute("UPDATE snapshot SET data = ? WHERE view = ?",
                       (_flip(blob, len(blob) // 2, 0x02), view))
    result = run("ledger", "--format", "json")
    assert result.exit_code == 0 and result.stderr == "", result.output
    assert result.stdout == before


# --- progress on a terminal --------------------------------------------------------------

class _Terminal:
    """A stand-in for stderr on an interactive terminal (or, with tty=False, a pipe)."""

    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.written: list[str] = []

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.written.append(text)
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("tty", [True, False])
def test_a_long_cold_build_shows_progress_on_a_terminal_only(data, monkeypatch, tty):
    from yiguan.cli import common

    _seeded(data, 12)
    monkeypatch.setattr(index, "PARALLEL_FROM", 2)
    monkeypatch.setattr(common, "PROGRESS_AFTER_SECONDS", 0.0)  # as if it took over 1 s
    terminal = _Terminal(tty)
    monkeypatch.setattr(common.sys, "stderr", terminal)
    Index(data).entries(progress=common.index_progress())
    text = "".join(terminal.written)
    if tty:
        assert "正在建立会议索引" in text and "/13" in text and text.endswith("\r\x1b[K")
    else:
        assert text == ""


def test_a_quick_build_shows_no_progress_even_on_a_terminal(data, monkeypatch):
    from yiguan.cli import common

    _seeded(data, 3)
    terminal = _Terminal(True)
    monkeypatch.setattr(common.sys, "stderr", terminal)
    Index(data).entries(progress=common.index_progress())
    assert terminal.written == []


def test_a_bit_flipped_on_disk_inside_a_stored_text_is_not_served(data, cli_for):
    """#5 at the level of the file, whatever its layout: one bit of a resolution's text
    flipped inside index.sqlite (a bad sector, a cosmic ray) changed the ledger."""
    run = cli_for(data.root)
    before = run.ok("ledger", "--format", "json").stdout
    path = data.root / ".yiguan" / "index.sqlite"
    raw = bytearray(path.read_bytes())
    text = "社区活动场地使用规则".encode()
    at = raw.find(text)
    assert at > 0, "the text is stored as UTF-8 somewhere in the index"
    raw[at + 2] ^= 0x01  # 社 (E7 A4 BE) → 社's neighbour (E7 A4 BF): still valid UTF-8
    path.write_bytes(bytes(raw))
    result = run("ledger", "--format", "json")
    assert result.exit_code == 0 and result.stderr == "", result.output
    assert result.stdout == before


@pytest.mark.parametrize("damage", ["bit", "truncated", "other stamps", "not a blob"])
def test_a_damaged_snapshot_is_not_served(data, damage):
    """The snapshot of a whole answer is guarded like every row: a flipped bit, a cut,
    or stamps of other files and it is not used, and is taken again."""
    _seeded(data)
    truth = _truth(data)
    assert _answers(data) == truth
    path = data.root / ".yiguan" / "index.sqlite"
    with sqlite3.connect(path) as db:
        stamps, blob = db.execute("SELECT stamps, data FROM snapshot").fetchone()
        if damage == "bit":
            db.execute("UPDATE snapshot SET data = ?", (_flip(blob, len(blob) // 3),))
        elif damage == "truncated":
            db.execute("UPDATE snapshot SET data = ?", (blob[: len(blob) // 2],))
        elif damage == "other stamps":
            db.execute("UPDATE snapshot SET stamps = ?", (_flip(stamps, len(stamps) - 2),))
        else:
            db.execute("UPDATE snapshot SET data = 7")
    assert _answers(data) == truth
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT stamps, data FROM snapshot").fetchone() == (stamps, blob)


def test_a_hand_edit_is_seen_although_a_snapshot_exists(data):
    _seeded(data)
    Index(data).entries(("ledger",))
    copy_meeting(data, "2023-02-01", "改过的二月")
    assert {e.meeting_id: e.summary["title"] for e in Index(data).entries(("ledger",))}[
        "2023-02-01"] == "改过的二月"
