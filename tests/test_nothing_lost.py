"""Issue 10, the store: nothing lost when the journal is damaged, the file is read-only,
the disk is full, another command runs at the same moment or the reader of stdout goes
away.

Each test reproduces one defect found by a deliberate attempt to break yiguan 0.1 (the
number in its docstring is the issue's), with real files, real processes and, where the
machine allows it, a real full disk.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import MEETING, assert_refused
from yiguan.meeting import proceedings
from yiguan.store import files, journal
from yiguan.store.folder import DataFolder
from yiguan.text.errors import YiguanError


def speak(run: Any, text: str = "同意", at: str = "19:40") -> None:
    run.ok("speak", "刘晓菊", text, "--at", at)


def entries(run: Any) -> list[Path]:
    return sorted((run.folder / ".yiguan" / "undo").iterdir())


# --- #2: a damaged journal entry is never restored ----------------------------------------

def test_undo_refuses_a_truncated_entry_and_leaves_the_file_as_it_is(run: Any,
                                                                    opened: str) -> None:
    """#2: an entry truncated to 50 bytes was written over the meeting."""
    speak(run, "第一段")
    speak(run, "第二段", "19:41")
    latest = entries(run)[-1]
    latest.write_bytes(latest.read_bytes()[:50])
    result = run.refused("undo")
    assert "已损坏" in result.stderr and latest.name in result.stderr


@pytest.mark.parametrize("damage", ["bit", "link"])
def test_undo_refuses_a_flipped_bit_or_a_link_in_place_of_an_entry(run: Any, opened: str,
                                                                   tmp_path: Path,
                                                                   damage: str) -> None:
    speak(run, "第一段")
    latest = entries(run)[-1]
    data = bytearray(latest.read_bytes())
    if damage == "bit":
        data[len(data) // 2] ^= 0x04
        latest.write_bytes(bytes(data))
    else:
        elsewhere = tmp_path / "elsewhere.toml"
        elsewhere.write_bytes(bytes(data))  # even the very bytes, through a link: no
        latest.unlink()
        latest.symlink_to(elsewhere)
    run.refused("undo", because="store.undo_damaged", name=f"{MEETING}.toml", entry=str(latest))


def test_an_intact_entry_is_still_restored(run: Any, opened: str) -> None:
    before = run.meeting_bytes()
    speak(run)
    run.ok("undo")
    assert run.meeting_bytes() == before


def test_an_entry_planted_for_another_file_is_ignored(run: Any, opened: str) -> None:
    undo = run.folder / ".yiguan" / "undo"
    undo.mkdir(parents=True)
    body = b"planted\n"
    checksum = journal.checksum(body)
    (undo / f"00000009.{journal.checksum(None)}.{checksum}..gitattributes").write_bytes(body)
    # nothing to undo: the entry names no council or meeting file
    run.refused("undo", because="store.nothing_to_undo")
    assert not (run.folder / ".gitattributes").exists()


# --- #19: a read-only file --------------------------------------------------------------

def test_a_read_only_meeting_file_is_not_rewritten(run: Any, opened: str) -> None:
    """#19: a 0444 meeting file was rewritten without a word (yiguan runs as root here)."""
    path = run.meeting_path()
    path.chmod(0o444)
    result = run.refused("speak", "刘晓菊", "同意", "--at", "19:40")
    assert "只读" in result.stderr and str(path) in result.stderr
    assert path.stat().st_mode & 0o777 == 0o444


def test_a_read_only_council_file_is_not_rewritten(run: Any) -> None:
    (run.folder / "council.toml").chmod(0o444)
    run.refused("member", "add", "周建华", "--initials", "zjh", because="store.read_only",
                path=str(run.folder / "council.toml"))


def test_undo_does_not_replace_a_read_only_file(run: Any, opened: str) -> None:
    speak(run)
    run.meeting_path().chmod(0o400)
    run.refused("undo", because="store.read_only", path=str(run.meeting_path()))


# --- #20: another command at the same moment; a full disk ------------------------------

def test_undo_takes_back_a_change_made_while_it_waited_for_the_lock(
        run: Any, opened: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """#20: undo picked the newest entry, another command wrote before undo held the lock,
    and undo refused with "edited by hand" though nobody edited anything."""
    speak(run, "第一段")
    after_first = run.meeting_bytes()
    original = journal.Journal.latest
    calls = []

    def latest_then_a_write(self: journal.Journal, target: str | None) -> Any:
        found = original(self, target)
        if not calls:
            calls.append(found)
            data = DataFolder(run.folder)
            with data.edit_meeting(opened) as change:  # a `speak` from another process
                proceedings.speak(change.value, None, "刘艳", "第二段", "19:41")
        return found

    monkeypatch.setattr(journal.Journal, "latest", latest_then_a_write)
    result = run("undo")
    assert result.exit_code == 0, result.output
    assert run.meeting_bytes() == after_first  # the newest change is the one undone


@pytest.mark.slow
def test_undo_under_real_concurrency_never_claims_a_hand_edit(run: Any, opened: str) -> None:
    env = {**os.environ, "YIGUAN_LANG": "en"}
    env.pop("YIGUAN_DIR", None)
    base = [sys.executable, "-m", "yiguan", "--dir", str(run.folder)]
    writers = [subprocess.Popen([*base, "speak", "刘晓菊", f"第{n}段", "--at", "19:40"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
               for n in range(6)]
    undos = [subprocess.Popen([*base, "undo"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env=env) for _ in range(6)]
    for process in writers + undos:
        _, err = process.communicate(timeout=60)
        assert b"edited by hand" not in err, err.decode()


def test_a_meeting_deleted_meanwhile_does_not_stop_a_command_on_another(
        run: Any, opened: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """#20: an unrelated meeting deleted at the same moment made `speak` fail: the folder
    was listed with it, and it was gone when its status was read."""
    listed = DataFolder.meeting_ids

    def with_one_just_deleted(self: DataFolder) -> list[str]:
        return ["2024-05-09", *listed(self)]

    monkeypatch.setattr(DataFolder, "meeting_ids", with_one_just_deleted)
    run.ok("speak", "刘晓菊", "同意", "--at", "19:40")
    run.ok("status")


def test_a_full_journal_write_names_the_file_and_leaves_no_empty_entry(
        run: Any, opened: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """#20: a full disk said `No space left on device（）` with an empty path and left
    0-byte temporary files in .yiguan/undo."""
    speak(run)  # the journal folder exists

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = run.refused("speak", "刘艳", "再说一句", "--at", "19:41")
    assert "磁盘已满" in result.stderr and "（）" not in result.stderr
    assert str(run.folder / ".yiguan" / "undo") in result.stderr
    assert not [p for p in entries(run) if p.name.endswith(".tmp")]


@pytest.fixture
def small_disk(tmp_path: Path) -> Any:
    """A 256 KB tmpfs (root only; skipped where the machine does not allow a mount)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not shutil.which("mount") or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
            capture_output=True, check=False).returncode != 0:  # any cause: then skip
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_real_full_disk_refuses_in_one_line_and_changes_nothing(small_disk: Path,
                                                                  templates: dict[str, Path],
                                                                  cli_for: Any) -> None:
    from conftest import copy_tracked

    folder = small_disk / "meetings"
    copy_tracked(templates["open"], folder)
    run = cli_for(folder)
    run.ok("speak", "刘晓菊", "同意", "--at", "19:40")
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as handle:  # fill the disk up to the last byte
        for size in (4096, 1):
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError:
                pass
    result = run.refused("speak", "刘艳", "长发言" * 2000, "--at", "19:41")
    assert "磁盘已满" in result.stderr
    filler.unlink()
    leftovers = [p.name for p in folder.rglob("*.tmp")]
    assert leftovers == []


# --- #21: the reader of stdout went away after the change was saved ---------------------

def test_a_saved_change_exits_0_when_stdout_is_closed_early(run: Any, opened: str) -> None:
    """#21: the change was saved but the command exited 1 without a word, so a script
    retried it and the speech was recorded twice."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before yiguan writes its confirmation
    env = {k: v for k, v in os.environ.items() if k != "YIGUAN_DIR"}
    done = subprocess.run([sys.executable, "-m", "yiguan", "--dir", str(run.folder), "speak",
                           "刘晓菊", "同意", "--at", "19:40"], stdout=write_end,
                          stderr=subprocess.PIPE, env=env, timeout=60, check=False)
    os.close(write_end)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    assert [s.text for s in run.meeting().speech] == ["同意"]


def test_a_reading_command_into_a_closed_pipe_still_stops_quietly(run: Any,
                                                                  opened: str) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {k: v for k, v in os.environ.items() if k != "YIGUAN_DIR"}
    done = subprocess.run([sys.executable, "-m", "yiguan", "--dir", str(run.folder),
                           "status"], stdout=write_end, stderr=subprocess.PIPE, env=env,
                          timeout=60, check=False)
    os.close(write_end)
    assert done.returncode == 1 and done.stderr == b""


@pytest.mark.parametrize("command", [["list"], ["status"], ["ledger"], ["textconv", "X"]])
def test_a_command_started_with_stdout_closed_says_so_in_one_line(run: Any, opened: str,
                                                                  command: list[str]) -> None:
    """#16: `yiguan list >&-` ended in a traceback."""
    args = [a.replace("X", str(run.meeting_path())) for a in command]
    env = {k: v for k, v in os.environ.items() if k not in ("YIGUAN_DIR", "YIGUAN_LANG")}
    done = subprocess.run(f'"{sys.executable}" -m yiguan --dir "{run.folder}" '
                          + " ".join(f'"{a}"' for a in args) + " >&-", shell=True,
                          stderr=subprocess.PIPE, env=env, timeout=60, check=False)
    assert_refused(done, "cli.stdout_closed")


def test_a_writing_command_started_with_stdout_closed_saves_and_exits_0(run: Any,
                                                                        opened: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("YIGUAN_DIR", "YIGUAN_LANG")}
    done = subprocess.run(f'"{sys.executable}" -m yiguan --dir "{run.folder}" speak 刘晓菊 同意'
                          " --at 19:40 >&-", shell=True, stderr=subprocess.PIPE, env=env,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert [s.text for s in run.meeting().speech] == ["同意"]


def test_the_store_error_for_a_failed_write_names_the_file(tmp_path: Path) -> None:
    error = files.write_error(OSError(28, "No space left on device"), tmp_path / "x.toml")
    assert isinstance(error, YiguanError)
    assert error.message("en") == f"cannot write {tmp_path / 'x.toml'}: the disk is full; " \
                                  "the file is as it was"


# --- #18: the fast status probe is not fooled by text inside a string ------------------------

@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_note_holding_a_status_line_does_not_make_a_closed_meeting_open(
        run: Any, opened: str, quote: str) -> None:
    """#18: a closed meeting whose multi-line note held the line `status = "open"` was
    read as open, and every command without -m said two meetings were open."""
    closed = run.folder / "2024-04-10.toml"
    meeting = run.meeting()
    meeting.status, meeting.opened, meeting.closed = "closed", "19:00", "20:00"
    from yiguan.record import fileformat

    text = fileformat.dump_meeting(meeting)
    # a hand edit put the note first, and a line of it reads like the status
    text = text.replace("format = 1\n", "format = 1\nnote = '''\n上次会议记录：\n"
                        f"status = {quote}open{quote}\n'''\n", 1)
    closed.write_text(text, "utf-8")
    DataFolder(run.folder).load_meeting("2024-04-10")  # valid TOML, valid meeting
    assert DataFolder(run.folder).status_of("2024-04-10") == "closed"
    run.ok("speak", "刘晓菊", "同意", "--at", "19:40")  # the one open meeting: 2024-05-10
    assert [s.text for s in run.meeting().speech] == ["同意"]
