"""Concurrency: 4 processes × 50 writes of different kinds on one open meeting (issue 6).

Each writer is a separate Python process that runs the real command line (`make_app`,
the same entry `python -m yiguan` uses, Typer parsing, name lookup, confirmation line)
in a loop, so that 200 commands cost 4 interpreter start-ups instead of 200. Every
process cycles through four kinds of command — guest sign-in, speech, agenda item,
action — so all four processes compete for the ids of every table at once. A fifth
process keeps reading and loading the file while they write: it must never see a
half-written or unloadable file.

Afterwards all 200 records are there, each once; ids are unique per table; the file
passes `check` and is canonical. A smaller run does the same with 4 × 10 real
`python -m yiguan` processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from yiguan.meeting.check import check_file
from yiguan.record import fileformat

WRITERS = 4
WRITES = 50
# present in the `opened` fixture (conftest.SIGNED_IN), by initials
SPEAKERS = ("lxj", "ly", "wjg", "zgl", "lxy")


def command(who: int, n: int) -> list[str]:
    """The n-th command of writer `who`: four kinds in turn, each record marked `Xw-n`."""
    mark = f"{'ABCD'[who]}{n:02d}"
    kind = (n + who) % 4
    if kind == 0:
        return ["sign", "--guest", f"访客{mark}", "--at", "19:40"]
    if kind == 1:
        return ["speak", SPEAKERS[n % len(SPEAKERS)], f"发言{mark}", "--at", "19:45"]
    if kind == 2:
        return ["agenda", "add", f"议题{mark}"]
    return ["action", f"事项{mark}", "--owner", SPEAKERS[n % len(SPEAKERS)], "--at", "19:50"]


CLI_LOOP = textwrap.dedent("""
    import json, os, sys, time
    from pathlib import Path
    from yiguan.cli import make_app

    root, go, commands = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    os.environ.pop("YIGUAN_LANG", None)
    while not Path(go).exists():  # start together
        time.sleep(0.001)
    for n, args in enumerate(commands):
        argv = ["--dir", root, *args]
        try:
            make_app(argv)(args=argv, prog_name="yiguan")
            code = 0
        except SystemExit as exit:
            code = exit.code or 0
        if code != 0:
            sys.stderr.write(f"command {n} {args} exited {code}\\n")
            sys.exit(3)
        print(f"@@ done {n}", flush=True)
""")

READER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from yiguan.record import fileformat

    path, stop = Path(sys.argv[1]), Path(sys.argv[2])
    reads = 0
    while not stop.exists():
        data = path.read_bytes()
        fileformat.load_meeting(data, str(path))  # raises on a torn or broken file
        reads += 1
    print(reads)
""")


def records(meeting: Any) -> dict[str, list[str]]:
    return {
        "guest": [a.name for a in meeting.attendee if a.name.startswith("访客")],
        "speech": [s.text for s in meeting.speech],
        "item": [i.title for i in meeting.item if i.title.startswith("议题")],
        "action": [a.text for a in meeting.action],
    }


def expected_marks(writers: int, writes: int) -> dict[str, set[str]]:
    prefix = {"sign": ("guest", "访客"), "speak": ("speech", "发言"),
              "agenda": ("item", "议题"), "action": ("action", "事项")}
    out: dict[str, set[str]] = {"guest": set(), "speech": set(), "item": set(), "action": set()}
    for who in range(writers):
        for n in range(writes):
            table, word = prefix[command(who, n)[0]]
            out[table].add(f"{word}{'ABCD'[who]}{n:02d}")
    return out


def assert_all_kept(path: Path, writers: int, writes: int) -> None:
    data = path.read_bytes()
    meeting = fileformat.load_meeting(data, str(path))
    problems = check_file(path)
    assert problems == [], [p.render("en") for p in problems]
    assert fileformat.dump_meeting(meeting).encode("utf-8") == data, "file is not canonical"
    found = records(meeting)
    want = expected_marks(writers, writes)
    total = 0
    for table, marks in want.items():
        got = found[table]
        assert len(got) == len(set(got)), f"{table}: a record was written twice: {got}"
        missing = sorted(marks - set(got))
        assert not missing, f"{table}: {len(missing)} records lost, e.g. {missing[:5]}"
        extra = sorted(set(got) - marks)
        assert not extra, f"{table}: unexpected records {extra[:5]}"
        total += len(got)
    assert total == writers * writes, total
    for table, ids in (("attendee", [a.id for a in meeting.attendee]),
                       ("item", [i.id for i in meeting.item]),
                       ("speech", [s.id for s in meeting.speech]),
                       ("action", [a.id for a in meeting.action])):
        assert len(ids) == len(set(ids)), f"duplicate {table} ids: {ids}"
    # ids are dense too: P1..Pn, 1..n, S1..Sn, A1..An (every writer saw the one before)
    for prefix, table in (("P", meeting.attendee), ("S", meeting.speech),
                          ("A", meeting.action)):
        assert [r.id for r in table] == [f"{prefix}{i}" for i in range(1, len(table) + 1)]
    assert [i.id for i in meeting.item] == list(range(1, len(meeting.item) + 1))


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if k not in ("YIGUAN_LANG", "YIGUAN_DIR", "COLUMNS")}


@pytest.mark.slow
def test_four_cli_processes_times_fifty_writes_keep_all_200(run: Any, opened: str,
                                                            tmp_path: Path) -> None:
    import json

    path = run.meeting_path(opened)
    before = fileformat.load_meeting(path.read_bytes(), str(path))
    go, stop = tmp_path / "go", tmp_path / "stop"
    writers = [subprocess.Popen(
        [sys.executable, "-c", CLI_LOOP, str(run.folder), str(go),
         json.dumps([command(who, n) for n in range(WRITES)])],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env())
        for who in range(WRITERS)]
    reader = subprocess.Popen([sys.executable, "-c", READER, str(path), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env())
    time.sleep(0.3)  # let the interpreters start, so that the writes really overlap
    go.touch()
    outputs = []
    try:
        for writer in writers:
            out, err = writer.communicate(timeout=240)
            outputs.append(out.decode("utf-8"))
            assert writer.returncode == 0, err.decode("utf-8")[-2000:]
            assert "Traceback" not in err.decode("utf-8")
    finally:
        stop.touch()
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, f"a reader saw a broken file: {err.decode()[-2000:]}"
    assert int(out) > 0
    # every command exited 0 and said so in at least one line before the loop's marker
    for who, text in enumerate(outputs):
        lines = text.splitlines()
        marks = [i for i, line in enumerate(lines) if line.startswith("@@ done ")]
        assert [lines[i] for i in marks] == [f"@@ done {n}" for n in range(WRITES)], who
        starts = [-1] + marks
        assert all(b - a >= 2 for a, b in zip(starts, marks, strict=False)), \
            f"writer {who}: a command printed no confirmation"
    assert_all_kept(path, WRITERS, WRITES)
    # the records that were there before are untouched
    after = fileformat.load_meeting(path.read_bytes(), str(path))
    assert after.attendee[:len(before.attendee)] == before.attendee
    assert after.item[:len(before.item)] == before.item
    result = run("check")
    assert result.exit_code == 0, result.output
    # and the lock was a sidecar: nothing but the data files are tracked
    assert sorted(p.name for p in run.folder.glob("*.tmp")) == []


@pytest.mark.slow
def test_four_times_ten_real_yiguan_processes_keep_every_record(run: Any, opened: str,
                                                                tmp_path: Path) -> None:
    """The same race with one `python -m yiguan` process per command, 4 at a time."""
    path = run.meeting_path(opened)
    writes = 10
    for n in range(writes):
        batch = [subprocess.Popen([sys.executable, "-m", "yiguan", "--dir", str(run.folder),
                                   *command(who, n)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env())
                 for who in range(WRITERS)]
        for who, child in enumerate(batch):
            out, err = child.communicate(timeout=120)
            assert child.returncode == 0, (who, n, err.decode("utf-8"))
            assert out.strip(), (who, n)
    assert_all_kept(path, WRITERS, writes)
