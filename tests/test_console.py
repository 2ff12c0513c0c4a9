"""The `yiguan` program ends without the interpreter's teardown only when nothing is left
for it to finish (cli.console): the same exit status as `main`, every byte of output
delivered, and the ordinary exit whenever a cleanup was registered or a thread runs."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yiguan import cli


def program(*args: str, stdout: int | None = subprocess.PIPE,
            code: str = "from yiguan.cli import console; console()",
            ) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YIGUAN_")}
    return subprocess.run([sys.executable, "-c", code, *args], stdout=stdout,
                          stderr=subprocess.PIPE, env=env, timeout=60, check=False)


def test_the_exit_status_is_mains(bundled: Path) -> None:
    assert program("--dir", str(bundled), "status").returncode == 0
    refused = program("--dir", str(bundled), "speak", "无名氏", "好")
    assert refused.returncode == 1 and refused.stderr.decode().count("\n") == 1
    assert program("--dir", str(bundled), "speak").returncode == 2
    assert program("--version").returncode == 0


def test_every_byte_reaches_a_file_and_a_pipe(bundled: Path, tmp_path: Path) -> None:
    """The minutes and the JSON ledger through the program are what the app prints
    in-process, whether stdout is a file (block-buffered) or a pipe."""
    expected = {}
    for args in (["minutes"], ["ledger", "--format", "json"]):
        result = CliRunner().invoke(cli.make_app(), ["--dir", str(bundled), *args],
                                    env={"YIGUAN_LANG": ""})
        assert result.exit_code == 0, result.output
        expected[args[0]] = result.stdout_bytes
        piped = program("--dir", str(bundled), *args)
        assert piped.returncode == 0 and piped.stdout == result.stdout_bytes
        target = tmp_path / f"{args[0]}.out"
        with target.open("wb") as handle:
            done = program("--dir", str(bundled), *args, stdout=handle.fileno())
        assert done.returncode == 0 and target.read_bytes() == result.stdout_bytes


def test_a_registered_cleanup_gets_the_ordinary_exit(tmp_path: Path) -> None:
    """A command that left an atexit callback (a temporary folder's finalizer, a pool)
    exits the ordinary way, so the callback runs."""
    mark = tmp_path / "cleaned"
    code = ("import atexit, pathlib\n"
            f"atexit.register(pathlib.Path({str(mark)!r}).touch)\n"
            "from yiguan.cli import console; console()")
    done = program("--version", code=code)
    assert done.returncode == 0 and mark.exists()


def test_nothing_left_to_finish_means_no_callback_no_thread_no_pool(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atexit, "_ncallbacks", lambda: 0, raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.delitem(sys.modules, "concurrent.futures", raising=False)
    monkeypatch.delitem(sys.modules, "multiprocessing", raising=False)
    assert cli._nothing_left_to_finish()
    monkeypatch.setattr(atexit, "_ncallbacks", lambda: 1)
    assert not cli._nothing_left_to_finish()
    monkeypatch.setattr(atexit, "_ncallbacks", lambda: 0)
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not cli._nothing_left_to_finish()
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setitem(sys.modules, "concurrent.futures", sys)
    assert not cli._nothing_left_to_finish()
    monkeypatch.delattr(atexit, "_ncallbacks")
    monkeypatch.delitem(sys.modules, "concurrent.futures")
    assert not cli._nothing_left_to_finish()  # no way to count the callbacks: be ordinary
