"""Crash safety: a writer killed with SIGKILL at random moments loses nothing (issue 6).

A child Python process makes 200 writes to one open meeting through the library's
`DataFolder.edit_meeting` (the same read-modify-write every command does: sidecar lock,
undo journal entry, temp file, fsync, `os.replace`), printing each id with a flush only
after its write returned. The parent kills it with SIGKILL at random moments — most
often a millisecond or two after a confirmed write, so that the kill lands inside the
next one — and restarts it where the file says it stopped. After every kill:

- the meeting file loads and passes `check` (every validator), and is canonical;
- every write the child reported as done is in the file, and the writes in the file are
  exactly 0..k in order: none lost, none doubled;
- any temp file left behind is a hidden `.<file>.<pid>.<ns>.<n>.tmp` (or a journal
  `.entry.*.tmp`), ignored by git (`*.tmp` in the folder's .gitignore) and by every
  command that lists meetings — never mistaken for data. What was found is reported in
  the test's output (`-s`) and in the assertion messages.

Then `undo` walks back through the writes, one per step, across the journal entries that
the killed writes left behind.

A second test does the same with real `python -m yiguan` processes, one per command,
killed at random moments of their run.

POSIX only (SIGKILL).
"""

from __future__ import annotations

import fnmatch
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from yiguan.meeting.check import check_file
from yiguan.record import fileformat
from yiguan.store.folder import DataFolder

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

MEETING = "2024-05-10"
TOTAL = 200
SEED = 20240510

# One write per iteration; the id is printed only after the write returned (confirmed).
WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from yiguan.meeting import proceedings
    from yiguan.store.folder import DataFolder

    root, meeting, start, stop = sys.argv[1:]
    data = DataFolder(Path(root))
    print("ready", flush=True)
    for n in range(int(start), int(stop)):
        with data.edit_meeting(meeting) as change:
            m = change.value
            kind = n % 3
            if kind == 0:
                proceedings.add_item(m, f"议题W{n:03d}", None, None)
            elif kind == 1:
                proceedings.sign(m, None, [f"访客W{n:03d}"], "19:40", guest=True)
            else:
                proceedings.speak(m, None, "刘晓菊", f"发言W{n:03d}", "19:45")
        print(n, flush=True)
""")

_MARK = re.compile(r"W(\d{3})$")


def writes_in(meeting: Any) -> list[int]:
    """The writer's numbers found in a meeting, in the order the file holds them per kind,
    merged and sorted by number; duplicates kept so that they can be detected."""
    found = []
    found += [int(m.group(1)) for i in meeting.item if (m := _MARK.search(i.title))]
    found += [int(m.group(1)) for a in meeting.attendee if (m := _MARK.search(a.name))]
    found += [int(m.group(1)) for s in meeting.speech if (m := _MARK.search(s.text))]
    return sorted(found)


def load(path: Path) -> Any:
    return fileformat.load_meeting(path.read_bytes(), str(path))


def gitignore_patterns(folder: Path) -> list[str]:
    return [line.strip() for line in (folder / ".gitignore").read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def ignored_by_git(name: str, patterns: list[str]) -> bool:
    """Enough of gitignore's matching for the folder's own patterns (`*.tmp`, `.yiguan/`)."""
    parts = name.split("/")
    for pattern in patterns:
        if pattern.endswith("/") and parts[0] == pattern[:-1]:
            return True
        if fnmatch.fnmatch(parts[-1], pattern):
            return True
    return False


TEMP_IN_FOLDER = re.compile(rf"^\.{re.escape(MEETING)}\.toml\.\d+\.\d+\.\d+\.tmp$")
TEMP_IN_JOURNAL = re.compile(r"^\.entry\.\d+\.\d+\.\d+\.tmp$")
# an undo entry: a sequence number first, the file it belongs to last
JOURNAL_ENTRY = re.compile(rf"^\d{{8}}\.(?:.*\.)?{re.escape(MEETING)}\.toml$")


def stray_temp_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.tmp"))


def assert_file_is_whole(path: Path, confirmed: set[int], context: str) -> list[int]:
    """The meeting loads, passes check, is canonical, and holds writes 0..k exactly once,
    including every confirmed one. Returns the writes found."""
    data = path.read_bytes()
    meeting = fileformat.load_meeting(data, str(path))  # raises with file:line if broken
    problems = check_file(path)
    assert problems == [], f"{context}: check found {[p.render('en') for p in problems]}"
    assert fileformat.dump_meeting(meeting).encode("utf-8") == data, \
        f"{context}: the file on disk is not in canonical form"
    found = writes_in(meeting)
    assert found == list(range(len(found))), \
        f"{context}: writes in the file are not exactly 0..k once each: {found}"
    lost = sorted(confirmed - set(found))
    assert not lost, f"{context}: confirmed writes missing from the file: {lost}"
    return found


def assert_temp_files_cannot_pass_for_data(folder: Path, context: str) -> list[str]:
    strays = stray_temp_files(folder)
    patterns = gitignore_patterns(folder)
    for name in strays:
        base = name.rsplit("/", 1)[-1]
        if name.startswith(".yiguan/undo/"):
            assert TEMP_IN_JOURNAL.match(base), f"{context}: unexpected journal temp {name}"
        else:
            assert TEMP_IN_FOLDER.match(name), f"{context}: unexpected temp file {name}"
        assert base.startswith("."), f"{context}: temp file {name} is not hidden"
        assert ignored_by_git(name, patterns), f"{context}: {name} is not gitignored"
    data = DataFolder(folder)
    assert data.meeting_ids() == [MEETING], \
        f"{context}: the folder lists {data.meeting_ids()} (temp files taken for meetings?)"
    undo = folder / ".yiguan" / "undo"
    for entry in (sorted(os.listdir(undo)) if undo.exists() else []):
        assert JOURNAL_ENTRY.match(entry) or TEMP_IN_JOURNAL.match(entry), \
            f"{context}: unexpected file in the undo journal: {entry}"
    return strays


@pytest.mark.slow
def test_a_writer_killed_at_random_moments_never_loses_a_confirmed_write(
        run: Any, opened: str) -> None:
    rng = random.Random(SEED)
    folder = run.folder
    path = run.meeting_path(opened)
    confirmed: set[int] = set()
    next_n = 0
    kills = 0
    runs = 0
    strays_seen: list[str] = []
    kill_notes = []
    while next_n < TOTAL:
        runs += 1
        assert runs < 80, f"the writer made no progress: next write {next_n}"
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(folder), opened,
                                  str(next_n), str(TOTAL)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", child.stderr.read() if \
            child.stderr else ""
        # Most kills: after a random number of confirmed writes, plus a pause shorter than
        # one write, so that SIGKILL lands inside the next write at a random step.
        # Some kills: after a random time, wherever the child happens to be.
        if rng.random() < 0.75:
            target = rng.randint(1, 25)
            seen = 0
            while seen < target:
                line = child.stdout.readline()
                if not line:
                    break
                confirmed.add(int(line))
                seen += 1
            time.sleep(rng.uniform(0, 0.003))
        else:
            time.sleep(rng.uniform(0, 0.06))
        finished = child.poll() is not None
        if not finished:
            os.kill(child.pid, signal.SIGKILL)
        rest, err = child.communicate(timeout=60)
        confirmed.update(int(line) for line in rest.split())
        if finished or child.returncode == 0:
            assert child.returncode == 0, err
        else:
            assert child.returncode == -signal.SIGKILL, (child.returncode, err)
            kills += 1
        context = f"after run {runs} ({'finished' if child.returncode == 0 else 'killed'})"
        found = assert_file_is_whole(path, confirmed, context)
        strays = assert_temp_files_cannot_pass_for_data(folder, context)
        new = [s for s in strays if s not in strays_seen]
        strays_seen += new
        kill_notes.append((len(found), len(new)))
        next_n = len(found)
    assert kills >= 5, f"only {kills} kills: the test did not exercise crashes"
    assert len(confirmed) >= TOTAL - kills, (len(confirmed), kills)
    print(f"\n{kills} SIGKILLs over {runs} writer runs; {len(strays_seen)} temp files left "
          f"behind: {strays_seen}")

    # the CLI agrees: the folder checks clean, lists one meeting, and the temp files are
    # not among what `check` or `fmt` look at
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "2 个文件" in result.stdout, result.stdout  # council.toml and the meeting only
    result = run("fmt", "--check")
    assert result.exit_code == 0, result.output
    listed = run.ok("list").stdout
    assert listed.count(MEETING) == 1 and ".tmp" not in listed, listed

    # undo walks back one write per step, skipping the journal entries of killed writes
    for step in range(1, 26):
        result = run("undo", "-m", opened)
        assert result.exit_code == 0, (step, result.output)
        found = assert_file_is_whole(path, set(), f"after undo {step}")
        assert found == list(range(TOTAL - step)), (step, found[-3:])


@pytest.mark.slow
def test_cli_processes_killed_at_random_moments_leave_a_valid_file(run: Any, opened: str,
                                                                    ) -> None:
    """Real `python -m yiguan` runs (sign, agenda add, speak), each killed at a random
    moment of its life or left to finish. A run that exited 0 printed its confirmation,
    so its record must be in the file; after every run the file loads and checks clean."""
    rng = random.Random(SEED + 1)
    path = run.meeting_path(opened)
    env = {k: v for k, v in os.environ.items() if k not in ("YIGUAN_LANG", "YIGUAN_DIR")}
    # How long one writing run takes here, kept up to date from the runs left to finish:
    # kill times are drawn around it, so that most kills land late in a run, in the write.
    lifetimes: list[float] = []
    confirmed: set[str] = set()
    killed = finished = 0
    for n in range(24):
        kind = n % 3
        if kind == 0:
            mark, args = f"访客K{n:02d}", ["sign", "--guest", f"访客K{n:02d}", "--at", "19:40"]
        elif kind == 1:
            mark, args = f"议题K{n:02d}", ["agenda", "add", f"议题K{n:02d}"]
        else:
            mark, args = f"发言K{n:02d}", ["speak", "lxj", f"发言K{n:02d}", "--at", "19:45"]
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "yiguan", "--dir", str(run.folder),
                                  *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=env)
        # every third run (and the first two, to learn the lifetime) is left to finish
        if n < 2 or rng.random() < 1 / 3:
            child.wait(timeout=60)
            lifetimes.append(time.monotonic() - started)
        else:
            typical = sorted(lifetimes)[len(lifetimes) // 2]
            time.sleep(rng.uniform(0.4, 1.05) * typical)
            if child.poll() is None:
                os.kill(child.pid, signal.SIGKILL)
        out, err = child.communicate(timeout=60)
        if child.returncode == 0:
            finished += 1
            assert out.strip(), "a successful run printed no confirmation"
            confirmed.add(mark)
        else:
            assert child.returncode == -signal.SIGKILL, (args, child.returncode, err.decode())
            assert b"Traceback" not in err
            killed += 1
        meeting = load(path)
        problems = check_file(path)
        assert problems == [], (n, [p.render("en") for p in problems])
        present = {i.title for i in meeting.item} | {a.name for a in meeting.attendee} | {
            s.text for s in meeting.speech}
        assert confirmed <= present, (n, sorted(confirmed - present))
        assert_temp_files_cannot_pass_for_data(run.folder, f"after CLI run {n}")
    assert killed >= 3 and finished >= 3, (killed, finished)
    run.ok("check")
    result = run("undo", "-m", opened)
    assert result.exit_code == 0, result.output
    assert check_file(path) == []
