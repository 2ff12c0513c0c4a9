"""Round-trip: every file the project ships is a fixed point of load → dump (issue 6).

The files under `meetings/` (the bundled example) and every golden input
`tests/golden/*.toml` must come back byte for byte from `load → dump`, through both
writers the tool has: the model writer (`dump_meeting` / `dump_council`, used by every
command) and the schema-free writer (`canonical_text`, used by `fmt` and the merge
driver). `yiguan fmt --check` must agree, and so must the files the shared test templates
build through the CLI. All reading happens on copies in tmp_path.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from yiguan.meeting.check import check_file
from yiguan.record import fileformat

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "meetings").glob("*.toml"))
GOLDEN = sorted((ROOT / "tests" / "golden").glob("*.toml"))
ALL_FILES = BUNDLED + GOLDEN
IDS = [p.relative_to(ROOT).as_posix() for p in ALL_FILES]


def is_council(path: Path) -> bool:
    return path.name == "council.toml"


def model_round_trip(path: Path, data: bytes) -> bytes:
    if is_council(path):
        return fileformat.dump_council(fileformat.load_council(data, str(path))).encode("utf-8")
    return fileformat.dump_meeting(fileformat.load_meeting(data, str(path))).encode("utf-8")


def first_difference(a: bytes, b: bytes) -> str:
    """Where two byte strings part, as line numbers and the two lines."""
    la, lb = a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines()
    for n, (x, y) in enumerate(zip(la, lb, strict=False), 1):
        if x != y:
            return f"line {n}: {x!r} != {y!r}"
    return f"lengths differ: {len(la)} vs {len(lb)} lines"


def test_there_are_files_to_check() -> None:
    names = {p.name for p in BUNDLED}
    assert {"council.toml", "2022-03-08.toml"} <= names, names
    assert len(GOLDEN) >= 6, [p.name for p in GOLDEN]


@pytest.mark.parametrize("path", ALL_FILES, ids=IDS)
def test_load_then_dump_gives_back_the_same_bytes(path: Path) -> None:
    data = path.read_bytes()
    again = model_round_trip(path, data)
    assert again == data, f"{path.name} is not a fixed point: {first_difference(data, again)}"
    # and a second round changes nothing either (dump is idempotent)
    assert model_round_trip(path, again) == again, path.name


@pytest.mark.parametrize("path", ALL_FILES, ids=IDS)
def test_load_dump_load_gives_an_equal_model(path: Path) -> None:
    data = path.read_bytes()
    load = fileformat.load_council if is_council(path) else fileformat.load_meeting
    first = load(data, str(path))
    second = load(model_round_trip(path, data), str(path))
    assert first == second, f"{path.name}: the model changed across a round trip"


@pytest.mark.parametrize("path", ALL_FILES, ids=IDS)
def test_the_fmt_writer_agrees_with_the_model_writer(path: Path) -> None:
    """`fmt` and the merge driver write through `canonical_text`, which never sees the
    model: for a valid file it must give exactly the same bytes, and the same data."""
    data = path.read_bytes()
    text = fileformat.canonical_text(data, str(path), council=is_council(path))
    assert text.encode("utf-8") == data, (
        f"{path.name}: fmt would rewrite it: {first_difference(data, text.encode('utf-8'))}")
    assert tomllib.loads(text) == tomllib.loads(data.decode("utf-8")), path.name


def test_fmt_check_passes_on_every_shipped_file(tmp_path: Path, cli_for: Any) -> None:
    """`yiguan fmt --check PATH…` on copies of all of them: exit 0, nothing rewritten.

    Golden inputs are copied one folder each, so that each keeps its own name and the
    council file keeps the name `fmt` recognises it by."""
    copies = []
    for n, path in enumerate(ALL_FILES):
        target = tmp_path / f"f{n}" / path.name
        target.parent.mkdir()
        shutil.copyfile(path, target)
        copies.append(target)
    before = {p: p.read_bytes() for p in copies}
    result = cli_for(tmp_path / "f0")("fmt", "--check", *map(str, copies))
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in copies} == before, "fmt --check wrote something"


def test_fmt_check_on_the_bundled_folder_copy(tmp_path: Path, cli_for: Any) -> None:
    """Without paths `fmt --check` takes the council and every meeting of the folder."""
    folder = tmp_path / "meetings"
    folder.mkdir()
    for path in BUNDLED:
        shutil.copyfile(path, folder / path.name)
    result = cli_for(folder)("fmt", "--check")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    result = cli_for(folder)("check")
    assert result.exit_code == 0, (result.stdout, result.stderr)


def test_fmt_check_would_notice_a_file_that_is_not_canonical(tmp_path: Path, cli_for: Any,
                                                             ) -> None:
    """The check above can fail: the same bundled meeting with one key moved is reported."""
    folder = tmp_path / "meetings"
    folder.mkdir()
    for path in BUNDLED:
        shutil.copyfile(path, folder / path.name)
    meeting = folder / "2022-03-08.toml"
    text = meeting.read_text(encoding="utf-8")
    # still valid, same data: only the key order of the first attendee block differs
    swapped = text.replace('id = "P1"\nname = "王丽娟"\n', 'name = "王丽娟"\nid = "P1"\n', 1)
    assert swapped != text
    meeting.write_text(swapped, encoding="utf-8")
    assert check_file(meeting) == [], "the edited file should still be valid"
    result = cli_for(folder)("fmt", "--check")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert str(meeting) in result.stdout


@pytest.mark.parametrize("state", ["council", "planned", "open"])
def test_files_the_cli_writes_are_fixed_points(templates: dict[str, Path], state: str) -> None:
    """The shared templates are built by the real CLI (`init`, `member add`, `new`,
    `agenda add`, `sign`, `open`): whatever the tool wrote is canonical."""
    folder = templates[state]
    files = sorted(folder.glob("*.toml"))
    assert files, f"template {state} has no TOML files"
    for path in files:
        data = path.read_bytes()
        assert model_round_trip(path, data) == data, (state, path.name)
        assert fileformat.canonical_text(data, str(path), council=is_council(path)
                                         ).encode("utf-8") == data, (state, path.name)
