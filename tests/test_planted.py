"""Issue 10, security: a repository someone else prepared must be safe to use.

A cloned repository can hold links where yiguan keeps its state (`.yiguan/undo`, lock
files, the index), links in place of meeting files or `.gitattributes`, FIFOs and device
links named like meetings, and file names that only look like meeting ids. yiguan never
writes through such a link, never turns one into a copy of what it points at, never
hangs or runs out of memory on a special file, and says what it skipped — once.
Real links and FIFOs throughout; the numbers are the issue's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import assert_refused, refuses
from yiguan.store.files import MAX_FILE_BYTES

SPEAK = ("speak", "刘晓菊", "同意", "--at", "19:40")


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder outside the data folder that must stay as it is."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "keep.txt").write_text("outside\n", "utf-8")
    return folder


def untouched(folder: Path) -> None:
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"], list(folder.iterdir())
    assert (folder / "keep.txt").read_text("utf-8") == "outside\n"


def in_process(folder: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """The real program (a FIFO could hang an in-process run forever; a timeout stops it)."""
    env = {k: v for k, v in os.environ.items() if k not in ("YIGUAN_DIR", "YIGUAN_LANG")}
    return subprocess.run([sys.executable, "-m", "yiguan", "--dir", str(folder), *args],
                          capture_output=True, text=True, env=env, timeout=timeout,
                          check=False)


# --- #8: links where yiguan keeps its own state --------------------------------------------

def test_an_undo_folder_linked_elsewhere_receives_nothing(run: Any, opened: str,
                                                          elsewhere: Path) -> None:
    """#8: `meetings/.yiguan/undo -> elsewhere` received a meeting's bytes."""
    (run.folder / ".yiguan").mkdir()
    (run.folder / ".yiguan" / "undo").symlink_to(elsewhere, target_is_directory=True)
    result = run.refused(*SPEAK)
    assert "链接" in result.stderr
    untouched(elsewhere)
    run.refused("undo", because="store.link_refused", path=str(run.folder / ".yiguan" / "undo"))
    untouched(elsewhere)


def test_a_private_folder_linked_elsewhere_receives_nothing(run: Any, opened: str,
                                                            elsewhere: Path) -> None:
    (run.folder / ".yiguan").symlink_to(elsewhere, target_is_directory=True)
    run.refused(*SPEAK, because="store.link_refused", path=str(run.folder / ".yiguan"))
    for command in (["list"], ["status"], ["ledger"], ["attendance", "--format", "json"]):
        run.ok(*command)  # reading still answers, from the files, without a cache
    untouched(elsewhere)


def test_a_lock_file_linked_elsewhere_creates_nothing_there(run: Any, opened: str,
                                                            elsewhere: Path) -> None:
    """#8: a `*.lock` link created a file elsewhere."""
    lock = run.folder / f"{opened}.toml.lock"
    lock.symlink_to(elsewhere / "created-by-the-lock")
    council_lock = run.folder / "council.toml.lock"
    council_lock.symlink_to(elsewhere / "keep.txt")
    run.ok(*SPEAK)
    run.ok("member", "add", "周建华", "--initials", "zjh")
    untouched(elsewhere)
    assert not lock.is_symlink() and not council_lock.is_symlink()


@pytest.mark.parametrize("name", ["index.sqlite", "index.sqlite-wal", "closed"])
def test_a_cache_file_linked_elsewhere_is_not_written_through(run: Any, opened: str,
                                                              elsewhere: Path,
                                                              name: str) -> None:
    run.ok("list")  # the cache exists
    private = run.folder / ".yiguan"
    target = private / name
    if target.exists():
        target.unlink()
    target.symlink_to(elsewhere / "keep.txt")
    for command in (["list"], ["status"], ["ledger"], list(SPEAK), ["status"]):
        run.ok(*command)
    untouched(elsewhere)


# --- #9: links that would copy outside content into the repository --------------------------

def test_git_setup_never_copies_what_gitattributes_points_at(run: Any, tmp_path: Path,
                                                             elsewhere: Path) -> None:
    """#9: `meetings/.gitattributes -> ~/.ssh/id_rsa` made git-setup write the key into
    the repository."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    from conftest import git

    git(run.folder, "init", "-q")
    key = elsewhere / "keep.txt"
    attributes = run.folder / ".gitattributes"
    attributes.symlink_to(key)
    result = run.refused("git-setup")
    assert "链接" in result.stderr
    assert attributes.is_symlink() and attributes.resolve() == key
    untouched(elsewhere)


def test_a_meeting_file_linked_outside_is_not_rewritten(run: Any, opened: str,
                                                        elsewhere: Path) -> None:
    """#9: `fmt` on a meeting linked to a file outside wrote its content in."""
    outside = elsewhere / "2024-05-10.toml"
    meeting = run.meeting_path()
    outside.write_bytes(meeting.read_bytes().replace(b"format = 1\n", b"format = 1\n\n", 1))
    meeting.unlink()
    meeting.symlink_to(outside)
    before = outside.read_bytes()
    result = run("fmt")
    assert result.exit_code == 1 and "链接" in result.stderr, result.output
    run.refused(*SPEAK, because="store.linked_file", path=str(meeting))
    assert meeting.is_symlink() and outside.read_bytes() == before
    run.ok("status")  # reading through the link is fine


# --- #10: FIFOs, devices and oversized files named like meetings -----------------------------

@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "oversized"])
def test_a_special_file_named_like_a_meeting_is_skipped_with_one_warning(
        run: Any, opened: str, kind: str) -> None:
    """#10: a FIFO or a link to /dev/zero named like a meeting hung list/status/ledger/
    check or ended in MemoryError."""
    special = run.folder / "2024-06-01.toml"
    if kind == "fifo":
        os.mkfifo(special)
    elif kind == "dev-zero":
        special.symlink_to("/dev/zero")
    else:
        with open(special, "wb") as handle:
            handle.truncate(MAX_FILE_BYTES + 1)
    for command in (["list"], ["status"], ["ledger"], ["check"], list(SPEAK)):
        done = in_process(run.folder, *command)
        assert done.returncode == 0, (command, done.stderr)
        warnings = [line for line in done.stderr.splitlines() if "2024-06-01.toml" in line]
        assert len(warnings) == 1, (command, done.stderr)
        assert "Traceback" not in done.stderr
    named = in_process(run.folder, "status", "-m", "2024-06-01")
    because, said = {"fifo": ("store.not_regular", {"kind_key": "filekind.fifo"}),
                     "dev-zero": ("store.not_regular", {"kind_key": "filekind.device"}),
                     "oversized": ("store.too_big", {})}[kind]
    assert_refused(named, because, path=str(special), **said)
    checked = in_process(run.folder, "check", str(special))
    assert checked.returncode == 1 and "2024-06-01.toml" in checked.stdout


# --- #15: file names that only look like meeting ids ---------------------------------------

@pytest.mark.parametrize("name", ["2024-05-01-1٠.toml", "２０２４-０５-０２.toml",
                                  "2024-02-30.toml"])
def test_a_file_whose_name_is_no_meeting_id_is_skipped_with_one_warning(
        run: Any, opened: str, name: str) -> None:
    """#15: `2024-05-01-1٠` was listed; `２０２４-０５-０２.toml` broke status."""
    (run.folder / name).write_bytes(run.meeting_bytes())
    for command in (["list"], ["status"], ["ledger"], ["check"], list(SPEAK)):
        result = run(*command)
        assert result.exit_code == 0, (command, result.output)
        assert result.stderr.count(name) == 1, (command, result.stderr)
    assert name[:-5] not in run.ok("list").stdout
    run.refused("status", "-m", name[:-5], because="store.bad_meeting_id", id=name[:-5])


# --- #22: check goes on after a file it cannot read ----------------------------------------

def test_check_reports_an_unreadable_file_and_checks_the_rest(run: Any, opened: str) -> None:
    """#22: `check` stopped at the first unreadable file."""
    loop = run.folder / "2024-04-01.toml"
    loop.symlink_to(loop.name)  # a link to itself: reading it fails (ELOOP), even as root
    fifo = run.folder / "2024-04-02.toml"
    os.mkfifo(fifo)
    broken = run.folder / "2024-06-03.toml"
    broken.write_text("format = 1\ntitle = [\n", "utf-8")
    done = in_process(run.folder, "check", str(loop), str(fifo), str(run.meeting_path()),
                      str(broken))
    assert done.returncode == 1
    out = done.stdout
    assert "2024-04-01.toml" in out and "2024-04-02.toml" in out and "2024-06-03.toml" in out
    assert "5 个文件" not in done.stderr and "4 个文件" in done.stderr, done.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file without read permission")
def test_check_goes_on_after_a_file_without_permission(run: Any, opened: str) -> None:
    locked = run.folder / "2024-04-01.toml"
    locked.write_bytes(run.meeting_bytes())
    locked.chmod(0)
    result = run("check")
    assert result.exit_code == 1 and "2024-04-01.toml" in result.stdout


# --- #7: -o FILE and special files ------------------------------------------------------------

def test_minutes_into_a_link_to_dev_null_leaves_the_link(run: Any, opened: str,
                                                         tmp_path: Path) -> None:
    """#7: a link to /dev/null became a regular file."""
    link = tmp_path / "out.md"
    link.symlink_to("/dev/null")
    run.ok("minutes", "-o", str(link))
    assert link.is_symlink() and os.readlink(link) == "/dev/null"


def test_minutes_into_a_fifo_writes_through(run: Any, opened: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    done = in_process(run.folder, "minutes", "-o", str(fifo))
    text = reader.communicate(timeout=30)[0].decode("utf-8")
    assert done.returncode == 0, done.stderr
    assert text.startswith("# ") and "五月居民议事会" in text
    assert fifo.exists() and not fifo.is_file()


def test_minutes_to_dev_stdout_prints_the_document(run: Any, opened: str) -> None:
    done = in_process(run.folder, "minutes", "-o", "/dev/stdout")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# ") and "/dev/stdout" in done.stderr


def test_minutes_through_a_link_to_a_regular_file_updates_that_file(run: Any, opened: str,
                                                                    tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old\n", "utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    run.ok("minutes", "-o", str(link))
    assert link.is_symlink() and real.read_text("utf-8").startswith("# ")


# --- review: -o never reaches a file yiguan keeps, whatever path leads there ---------------

def _document_refused(folder: Path, command: str, target: str) -> None:
    """`command -o target` on `folder`: one line, exit 1, the folder byte-identical."""
    from conftest import Cli

    kept = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    result = Cli(folder).refused(command, "-o", target)
    assert "不能写入生成的文件" in result.stderr, result.stderr
    assert all(path.read_bytes() == data for path, data in kept.items())


@pytest.mark.parametrize("command", ["minutes", "notice", "announce", "sign-sheet"])
@pytest.mark.parametrize("kind", ["relative", "absolute"])
def test_output_through_a_planted_link_to_the_meeting_is_refused(
        bundled: Path, command: str, kind: str) -> None:
    """`ln -s m/2022-03-08.toml 纪要.md; yiguan minutes -o 纪要.md` wrote Markdown over
    the meeting record, outside the store: undo could not take it back."""
    link = Path.cwd() / "纪要.md"
    meeting = bundled / "2022-03-08.toml"
    link.symlink_to(os.path.relpath(meeting, Path.cwd()) if kind == "relative" else meeting)
    _document_refused(bundled, command, "纪要.md")
    assert link.is_symlink()


@pytest.mark.parametrize("target", [
    "{data}/./x/../2022-03-08.toml",
    "{data}/2022-03-08.TOML",
    "{data}/COUNCIL.toml",
    "alias/2022-03-08.toml",          # a link to the data folder itself
    "council.md",                     # a link to council.toml
    "dangling.md",                    # a link to a meeting that does not exist yet
])
def test_output_by_any_path_into_the_data_folder_is_refused(bundled: Path,
                                                            target: str) -> None:
    (bundled / "x").mkdir()
    Path("alias").symlink_to(bundled, target_is_directory=True)
    Path("council.md").symlink_to(bundled / "council.toml")
    Path("dangling.md").symlink_to(bundled / "2030-01-01.toml")
    _document_refused(bundled, "minutes", target.replace("{data}", str(bundled)))
    assert not (bundled / "2030-01-01.toml").exists()


@pytest.mark.parametrize("name", [".gitattributes", ".gitignore", "2022-03-08.toml.lock",
                                  "council.toml.lock", "any.lock", ".GITIGNORE"])
def test_output_over_the_git_files_and_locks_of_the_data_folder_is_refused(
        bundled: Path, name: str) -> None:
    """`.gitignore` keeps the undo history (and the private file) out of git, and
    `.gitattributes` makes git merge records: a document written over them would undo
    that at the next commit; a lock file is the store's own. Directly and by a link."""
    (bundled / ".gitattributes").write_text("*.toml merge=yiguan\n", "utf-8")
    (bundled / "2022-03-08.toml.lock").write_bytes(b"")
    _document_refused(bundled, "minutes", str(bundled / name))
    Path("out.md").symlink_to(bundled / name)
    _document_refused(bundled, "notice", "out.md")
    assert not (bundled / "any.lock").exists()


def test_output_into_the_private_folder_is_refused(run: Any, opened: str) -> None:
    """`-o m/.yiguan/undo/<entry>.toml` or `.yiguan/floor/<id>.json` were accepted."""
    run.ok(*SPEAK)
    entries = sorted((run.folder / ".yiguan" / "undo").iterdir())
    assert entries
    floor = run.folder / ".yiguan" / "floor" / f"{opened}.json"
    floor.parent.mkdir(parents=True, exist_ok=True)
    floor.write_text("{}\n", "utf-8")
    for target in (entries[-1], floor, run.folder / ".yiguan" / "new.md"):
        _document_refused(run.folder, "minutes", str(target))
        Path("floor.md").unlink(missing_ok=True)
        Path("floor.md").symlink_to(target)
        _document_refused(run.folder, "minutes", "floor.md")
    assert floor.read_text("utf-8") == "{}\n"
    assert not (run.folder / ".yiguan" / "new.md").exists()


def test_output_beside_the_records_and_through_ordinary_links_still_works(
        bundled: Path, tmp_path: Path) -> None:
    """What the refusal must not take away: a document in the data folder under its own
    name, and through a link to a file outside."""
    from conftest import Cli

    Cli(bundled).ok("minutes", "-o", str(bundled / "纪要.md"))
    assert (bundled / "纪要.md").read_text("utf-8").startswith("# ")
    outside = tmp_path / "out.toml"  # a .toml outside the data folder is the user's own
    Path("out.md").symlink_to(outside)
    Cli(bundled).ok("minutes", "-o", "out.md")
    assert outside.read_text("utf-8").startswith("# ")


def test_the_library_refuses_too(bundled: Path) -> None:
    """Every caller of store.write_output gets the refusal, not only the CLI."""
    from yiguan.store.files import write_output

    Path("link.md").symlink_to(bundled / "2022-03-08.toml")
    before = (bundled / "2022-03-08.toml").read_bytes()
    with refuses("store.output_is_data", path="link.md"):
        write_output(Path("link.md"), b"# x\n", data_root=bundled)
    assert (bundled / "2022-03-08.toml").read_bytes() == before
