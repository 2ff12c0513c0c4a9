"""`-o` whose suffix names no format (issue 21 §4): `-o notice.png` wrote Markdown into a
file named .png. Now it is a usage error — exit 2, the known suffixes listed, in the
interface language, nothing written — unless `--format` says the format. Every command
with `-o` is a document command (cli/documents.py; cli/across.py has `--format` but no
`-o`). A device or a pipe (`-o /dev/stdout`, a FIFO) still takes Markdown, and a path to a
file yiguan keeps is refused as such first (exit 1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, snapshot
from yiguan.render.formats import formats_for
from yiguan.text.messages import Listed, locale

COMMANDS = (["minutes"], ["notice"], ["notice", "--results"], ["announce"], ["sign-sheet"])
# the document each command renders: its formats' suffixes are those the refusal lists
# (.png only for the notices and the meeting notice: tests/test_png.py)
KIND = {"minutes": "minutes", "notice": "notice", "notice --results": "results",
        "announce": "announce", "sign-sheet": "sign-sheet"}


def suffixes(command: list[str]) -> Listed:
    return Listed([suffix for known in formats_for(KIND[" ".join(command)])
                   for suffix in known.suffixes])


SUFFIXES = suffixes(["minutes"])
WIDE = {"COLUMNS": "400"}  # the error panel on one line, as the catalogue has it


def usage_refused(result: Any, key: str, lang: str = "zh", **params: Any) -> None:
    """A usage error (exit 2) whose message is message `key` of the catalogue."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    said = locale(lang).say(key, **params)
    assert said in result.stderr, result.stderr
    assert result.stdout == "", "usage errors go to stderr"


@pytest.mark.parametrize("command, name", [
    pytest.param(command, name, id=f"{name}-{' '.join(command)}") for command in COMMANDS
    for name in ["公示.png", "notice.txt", "会议记录", "x.md.bak"]
    if name.rsplit(".", 1)[-1] not in {s.lstrip(".") for s in suffixes(command)}])
def test_an_output_whose_suffix_names_no_format_is_a_usage_error(
        run: Cli, opened: str, tmp_path: Path, command: list[str], name: str) -> None:
    target = tmp_path / name
    before = snapshot(run.folder)
    result = run(*command, "-o", str(target), env=WIDE)
    usage_refused(result, "documents.unknown_suffix", path=str(target),
                  suffixes=suffixes(command))
    assert "用法：yiguan" in result.stderr and ".docx" in result.stderr
    assert not target.exists() and snapshot(run.folder) == before


def test_the_refusal_speaks_english_too(run: Cli, opened: str, tmp_path: Path) -> None:
    target = tmp_path / "notice.png"
    result = run("minutes", "-o", str(target), env={"YIGUAN_LANG": "en", **WIDE})
    usage_refused(result, "documents.unknown_suffix", lang="en", path=str(target),
                  suffixes=SUFFIXES)
    assert "Usage: yiguan" in result.stderr and not target.exists()


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_format_says_what_goes_into_any_name(run: Cli, opened: str, tmp_path: Path,
                                             command: list[str]) -> None:
    target = tmp_path / "公示.png"
    run.ok(*command, "-o", str(target), "--format", "html")
    assert target.read_bytes().startswith(b"<!DOCTYPE html>")
    bare = tmp_path / "会议记录"
    run.ok(*command, "-o", str(bare), "--format", "md")
    assert bare.read_bytes().startswith(b"# ")


@pytest.mark.parametrize("name, magic", [("a.MD", b"# "), ("a.markdown", b"# "),
                                         ("a.Html", b"<!DOCTYPE html>"),
                                         ("a.htm", b"<!DOCTYPE html>"), ("a.DOCX", b"PK")])
def test_every_registered_suffix_chooses_its_format_in_any_case(
        run: Cli, opened: str, tmp_path: Path, name: str, magic: bytes) -> None:
    run.ok("minutes", "-o", str(tmp_path / name))
    assert (tmp_path / name).read_bytes().startswith(magic)


def test_a_device_takes_markdown_without_a_suffix(run: Cli, opened: str) -> None:
    result = run.ok("minutes", "-o", "/dev/null")
    assert "/dev/null" in result.stderr  # a device: the confirmation goes beside it


def test_a_file_yiguan_keeps_is_refused_as_such_first(run: Cli, opened: str) -> None:
    """`-o meetings/2024-05-10.toml.bak` would be a usage error, but `-o` on a file of the
    data folder is refused for what it is: exit 1, naming the file."""
    run.refused("minutes", "-o", str(run.folder / "council.toml.lock"),
                because="store.output_is_data")
