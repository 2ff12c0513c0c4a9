"""The data folder never loses a record: locks, atomic writes, undo, and what files hold.

- Two processes writing one meeting at once keep every record (sidecar lock).
- A write is atomic: a reader or a crash sees the old file or the new one, never half.
- A command that fails changes nothing, byte for byte.
- `undo` walks back 20+ steps in order, and undoing `new` removes the file.
- Meeting ids cannot reach outside the data folder.
- A hand-written comment is announced before a rewrite drops it, and undo brings it back.
- Files hold what the secretary said, not where or by whom or when it was typed.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from conftest import assert_refused, refuses
from yiguan.meeting import proceedings
from yiguan.meeting.check import check_file
from yiguan.record import fileformat
from yiguan.store.files import atomic_write
from yiguan.store.folder import DataFolder
from yiguan.text.errors import YiguanError

MEETING = "2024-05-10"


# --- locking ------------------------------------------------------------------------------

_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from yiguan.meeting import proceedings
    from yiguan.store.folder import DataFolder

    root, meeting, who, count, go = sys.argv[1:]
    while not Path(go).exists():  # start together
        time.sleep(0.001)
    data = DataFolder(Path(root))
    for n in range(int(count)):
        with data.edit_meeting(meeting) as change:
            proceedings.add_item(change.value, f"{who}-{n}", None, None)
""")


@pytest.mark.slow
def test_two_processes_adding_100_records_each_keep_all_200(run: Any, planned: str,
                                                            tmp_path: Path) -> None:
    go = tmp_path / "go"
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(run.folder), planned, who,
                                 "100", str(go)], stderr=subprocess.PIPE)
               for who in ("甲", "乙")]
    go.touch()
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err.decode()
    meeting = run.meeting()
    titles = [item.title for item in meeting.item]
    assert len(titles) == 2 + 200, len(titles)
    assert set(titles) >= {f"{who}-{n}" for who in ("甲", "乙") for n in range(100)}
    assert [item.id for item in meeting.item] == list(range(1, 203)), "ids stay unique"
    assert check_file(run.meeting_path()) == []


def test_the_lock_is_a_gitignored_sidecar_file(run: Any, planned: str) -> None:
    run.ok("agenda", "add", "议题三")
    assert (run.folder / f"{planned}.toml.lock").exists()
    assert "*.lock" in (run.folder / ".gitignore").read_text(encoding="utf-8").splitlines()


# --- atomic writes -----------------------------------------------------------------------

def _temp_files_beside(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("broken", ["os.replace", "os.fsync", "os.chmod"])
def test_an_interrupted_atomic_write_leaves_the_old_file_whole(
        tmp_path: Path, broken: str, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "2024-05-10.toml"
    target.write_bytes("旧的内容\n".encode())

    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(broken, fail)
    with pytest.raises(YiguanError) as caught:
        atomic_write(target, "新的内容\n".encode() * 1000)
    monkeypatch.undo()
    assert caught.value.message("zh") == f"无法写入 {target}：磁盘已满；文件保持原样"
    assert target.read_bytes() == "旧的内容\n".encode()
    assert _temp_files_beside(tmp_path) == []


def test_a_command_interrupted_before_the_replace_changes_nothing_and_leaves_nothing_to_undo(
        run: Any, planned: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before = run.meeting_bytes()

    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", fail)
    with refuses("store.write_failed", path=str(run.meeting_path()), why_key="oserr.no_space"), \
            DataFolder(run.folder).edit_meeting(planned) as change:
        proceedings.add_item(change.value, "断电前的议题", None, None)
    monkeypatch.undo()
    assert run.meeting_bytes() == before
    assert _temp_files_beside(run.folder) == []
    # the journal entry of the failed write is no step (and undo clears it away)
    result = run("undo", "-m", planned)
    assert_refused(result, "store.nothing_to_undo_file", name=f"{planned}.toml")
    assert run.meeting_bytes() == before


def test_an_error_while_dumping_writes_nothing(run: Any, planned: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    before = run.snapshot()

    def half_written(meeting: Any) -> str:
        raise RuntimeError("tomli-w failed half way")

    monkeypatch.setattr(fileformat, "dump_meeting", half_written)
    with pytest.raises(RuntimeError), DataFolder(run.folder).edit_meeting(planned) as change:
        proceedings.add_item(change.value, "议题", None, None)
    assert run.snapshot() == before


def test_a_refused_change_writes_nothing_and_keeps_no_undo_entry(run: Any, planned: str) -> None:
    before = run.snapshot()
    with refuses("live.no_names"), DataFolder(run.folder).edit_meeting(planned) as change:
        proceedings.add_item(change.value, "议题", None, None)
        raise YiguanError("live.no_names")
    assert run.snapshot() == before


_REWRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from yiguan.store.folder import atomic_write
    path, a, b, rounds = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    versions = [a.read_bytes(), b.read_bytes()]
    for n in range(rounds):
        atomic_write(path, versions[n % 2])
""")


@pytest.mark.slow
def test_a_reader_never_sees_a_partial_file(tmp_path: Path) -> None:
    """A writer swaps two big versions back and forth while we keep reading."""
    folder = tmp_path / "meetings"
    folder.mkdir()
    path = folder / "2024-05-10.toml"
    a, b = tmp_path / "a", tmp_path / "b"
    versions = (("甲" * 200_000).encode(), ("乙" * 300_000).encode())
    a.write_bytes(versions[0])
    b.write_bytes(versions[1])
    path.write_bytes(versions[0])
    writer = subprocess.Popen([sys.executable, "-c", _REWRITER, str(path), str(a), str(b), "200"])
    reads = 0
    while writer.poll() is None or reads == 0:
        data = path.read_bytes()
        assert data in versions, f"a partial file of {len(data)} bytes"
        reads += 1
    assert writer.wait(timeout=60) == 0
    assert path.read_bytes() == versions[1]
    assert _temp_files_beside(folder) == []


def test_a_rewrite_keeps_the_files_mode(run: Any, planned: str) -> None:
    path = run.meeting_path()
    os.chmod(path, 0o640)
    run.ok("agenda", "add", "议题三")
    assert path.stat().st_mode & 0o777 == 0o640


def test_atomic_write_creates_a_new_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "new.toml"
    atomic_write(target, "标题 = 1\n".encode())
    assert target.read_bytes() == "标题 = 1\n".encode()
    assert _temp_files_beside(tmp_path) == []


# --- failed commands change nothing ------------------------------------------------------

# what each command is refused for: (args, message key, its parameters that matter)
FAILING_SETUP_COMMANDS: dict[str, tuple[list[str], str, dict[str, str]]] = {
    "init again": (["init"], "council.init_exists", {}),
    "member add duplicate": (["member", "add", "刘晓菊"], "council.duplicate_member",
                             {"name": "刘晓菊"}),
    "member add bad initials": (["member", "add", "钱七", "--initials", "Q-7"],
                                "council.bad_initials", {"initials": "q-7"}),
    "member add empty name": (["member", "add", "  "], "input.bad_text",
                              {"what_key": "what.name", "why_key": "schema.empty"}),
    "member add name with a newline": (["member", "add", "王\n芳"], "input.bad_text",
                                       {"what_key": "what.name", "why_key": "schema.newline"}),
    "member remove unknown": (["member", "remove", "不存在"], "names.unknown",
                              {"query": "不存在"}),
    "member remove ambiguous part": (["member", "remove", "刘"], "names.unknown_near",
                                     {"query": "刘"}),
    "new with a bad date": (["new", "会", "--date", "2024-13-01"], "input.bad_date",
                            {"value": "2024-13-01"}),
    "new with a bad time": (["new", "会", "--date", "2024-06-01", "--time", "25:00"],
                            "input.bad_time", {"value": "25:00"}),
    "new with an empty title": (["new", " ", "--date", "2024-06-01"], "input.bad_text",
                                {"what_key": "what.title", "why_key": "schema.empty"}),
    "show a missing meeting": (["show", "-m", "2030-01-01"], "store.no_meeting",
                               {"id": "2030-01-01"}),
    "undo a meeting with no history": (["undo", "-m", MEETING], "store.nothing_to_undo_file",
                                       {"name": f"{MEETING}.toml"}),
}


@pytest.mark.parametrize(("args", "because", "said"), list(FAILING_SETUP_COMMANDS.values()),
                         ids=list(FAILING_SETUP_COMMANDS))
def test_a_failed_setup_command_leaves_every_file_byte_identical(
        run: Any, planned: str, args: list[str], because: str, said: dict[str, str]) -> None:
    run.refused(*args, because=because, **said)


def test_the_folder_snapshot_sees_a_change(run: Any, planned: str) -> None:
    """The guard itself can fail: a command that writes shows up in the snapshot."""
    before = run.snapshot()
    run.ok("agenda", "add", "议题三")
    after = run.snapshot()
    assert before != after
    assert set(after) - set(before), "an undo entry appeared"


# --- undo ----------------------------------------------------------------------------------

STEPS = [
    ["agenda", "add", "楼道堆物清理", "--by", "王丽娟"],
    ["agenda", "add", "小游园卫生管理"],
    ["sign", "lxj", "ly", "--at", "19:10"],
    ["sign", "wjg", "--at", "19:12"],
    ["sign", "zgl", "lxy", "--at", "19:15"],
    ["sign", "--guest", "王丽娟", "--org", "社区居委会", "--at", "19:15"],
    ["open", "--at", "19:30"],
    ["speak", "lxj", "楼道里的旧家具要清走。", "--at", "19:35"],
    ["speak", "ly", "先贴通知，给三天时间。", "--stance", "for", "--at", "19:38"],
    ["speak", "王丽娟", "居委会可以联系清运车。", "--at", "19:40"],
    ["propose", "三天后统一清运楼道堆物", "--by", "ly", "--at", "19:45"],
    ["second", "M1", "lxj", "--at", "19:46"],
    ["amend", "M1", "贴出通知三天后统一清运楼道堆物", "--by", "wjg", "--at", "19:48"],
    ["vote", "M1", "--yes", "4", "--no", "1", "--at", "19:50"],
    ["action", "联系清运车", "--owner", "王丽娟", "--motion", "M1", "--at", "19:52"],
    ["speak", "zgl", "小游园的垃圾桶不够。", "--item", "2", "--at", "19:55"],
    ["leave", "lxy", "--at", "19:58"],
    ["propose", "小游园增设两个垃圾桶", "--by", "zgl", "--second", "wjg", "--at", "20:00"],
    ["vote", "M2", "--yes", "2", "--no", "2", "--at", "20:05"],
    ["reconsider", "M2", "--at", "20:10"],
    ["sign", "lxy", "--at", "20:11"],
    ["vote", "M2", "--yes", "3", "--no", "2", "--at", "20:12"],
    ["action", "申请垃圾桶", "--owner", "zgl", "--due", "2024-05-31", "--at", "20:15"],
    ["done", "A1", "--note", "已联系"],
    ["close", "--at", "20:30"],
]


def test_undo_walks_back_every_step_in_order_and_undoing_new_removes_the_file(run: Any) -> None:
    result = run.ok("new", "五月居民议事会", "--date", MEETING)
    meeting_id = result.stdout.splitlines()[-1]
    versions = [run.meeting_bytes(meeting_id)]
    for step in STEPS:
        run.ok(*step)
        versions.append(run.meeting_bytes(meeting_id))
    assert len(set(versions)) == len(STEPS) + 1, "every step changed the file"
    assert check_file(run.meeting_path(meeting_id)) == []
    for expected in reversed(versions[:-1]):
        run.ok("undo", "-m", meeting_id)
        assert run.meeting_bytes(meeting_id) == expected
    result = run.ok("undo", "-m", meeting_id)
    assert not run.meeting_path(meeting_id).exists(), "undoing `new` removes the file"
    assert "0" in result.stdout
    run.refused("undo", "-m", meeting_id, because="store.nothing_to_undo_file",
                name=f"{meeting_id}.toml")


def test_undo_without_m_reverts_the_latest_change_to_any_file(run: Any, planned: str) -> None:
    council = (run.folder / "council.toml").read_bytes()
    meeting = run.meeting_bytes()
    run.ok("agenda", "add", "议题三")
    run.ok("member", "add", "钱七")
    run.ok("undo")
    assert (run.folder / "council.toml").read_bytes() == council
    assert run.meeting_bytes() != meeting
    run.ok("undo")
    assert run.meeting_bytes() == meeting


def test_undo_says_which_file_and_how_many_steps_remain(run: Any, planned: str) -> None:
    run.ok("agenda", "add", "议题三")
    run.ok("agenda", "add", "议题四")
    result = run.ok("undo", "-m", planned)
    assert f"{planned}.toml" in result.stdout and "1" in result.stdout, result.stdout


def test_undo_history_lives_in_an_ignored_folder(run: Any, planned: str) -> None:
    run.ok("agenda", "add", "议题三")
    journal = run.folder / ".yiguan"
    assert journal.is_dir() and any(journal.rglob("*"))
    assert ".yiguan/" in (run.folder / ".gitignore").read_text(encoding="utf-8").splitlines()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_sees_only_the_council_and_meeting_files(run: Any, planned: str) -> None:
    run.ok("sign", "lxj", "--at", "19:00")
    run.ok("undo")
    run.ok("sign", "lxj", "--at", "19:00")
    subprocess.run(["git", "init", "-q", str(run.folder)], check=True)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=run.folder, capture_output=True, text=True, check=True)
    seen = sorted(line[3:] for line in status.stdout.splitlines())
    assert seen == [".gitignore", f"{planned}.toml", "council.toml"], seen


# --- paths stay inside the data folder ---------------------------------------------------

BAD_IDS = ["../../etc/passwd", "..", "/etc/passwd", "2024-05-10/../../x", "2024-05-10.toml",
           "2024-13-01", "2024-02-30", "2024-05-10-1", "2024-05-10-0", "x",
           "..\\..\\windows", "2024-05-10 ", "２０２４-05-10"]


@pytest.mark.parametrize("meeting_id", BAD_IDS)
@pytest.mark.parametrize("command", [["show"], ["undo"], ["status"], ["agenda", "list"],
                                     ["sign", "lxj", "--at", "19:00"], ["agenda", "add", "x"]],
                         ids=lambda c: " ".join(c[:2]))
def test_meeting_ids_cannot_reach_outside_the_data_folder(run: Any, planned: str,
                                                          meeting_id: str,
                                                          command: list[str]) -> None:
    result = run.refused(*command, "-m", meeting_id)
    assert "会议编号" in result.stderr, result.stderr


def test_done_with_a_meeting_prefix_cannot_reach_outside(run: Any, opened: str) -> None:
    run.refused("done", "../../etc/passwd/A1", because="store.bad_meeting_id",
                id="../../etc/passwd")
    run.refused("done", "../2024-05-10/A1", because="store.bad_meeting_id", id="../2024-05-10")


@pytest.mark.parametrize("meeting_id", [*BAD_IDS, "2024-05-10\n"])
def test_the_store_refuses_paths_that_are_not_meeting_ids(tmp_path: Path, meeting_id: str) -> None:
    with refuses("store.bad_meeting_id", id=meeting_id):
        DataFolder(tmp_path).meeting_path(meeting_id)


def test_the_nth_meeting_of_a_day_has_a_numbered_id(run: Any, planned: str) -> None:
    result = run.ok("new", "同日第二场", "--date", MEETING)
    assert result.stdout.splitlines()[-1] == f"{MEETING}-2"
    run.ok("show", "-m", f"{MEETING}-2")


# --- hand-written comments ------------------------------------------------------------

def test_a_comment_is_announced_before_a_rewrite_drops_it_and_undo_brings_it_back(
        run: Any, planned: str) -> None:
    path = run.meeting_path()
    commented = path.read_text(encoding="utf-8").replace(
        'title = "五月居民议事会"', '# 记录人：日期已与居委会核对\ntitle = "五月居民议事会"')
    path.write_text(commented, encoding="utf-8")
    result = run.ok("agenda", "add", "议题三")
    assert "注释" in result.stderr and str(path) in result.stderr, result.stderr
    assert "#" not in path.read_text(encoding="utf-8")
    run.ok("undo", "-m", planned)
    assert path.read_text(encoding="utf-8") == commented


def test_a_hash_inside_text_is_not_a_comment(run: Any, opened: str) -> None:
    run.ok("speak", "lxj", "3#楼的楼道 # 号门前堆物最多", "--at", "19:40")
    result = run.ok("speak", "ly", "同意", "--at", "19:41")
    assert "注释" not in result.stderr, result.stderr


def test_a_command_that_changes_nothing_does_not_touch_a_commented_file(run: Any,
                                                                        opened: str) -> None:
    path = run.meeting_path()
    path.write_text("# 手写\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    before = path.read_bytes()
    result = run.ok("sign", "lxj", "--at", "19:40")  # already present: nothing to write
    assert "已在场" in result.stdout
    assert path.read_bytes() == before, result.stderr
    assert "注释" not in result.stderr


def test_undo_never_silently_discards_a_hand_edit_made_after_the_last_command(
        run: Any, planned: str) -> None:
    """The secretary ran a command, then the 书记 corrected the file by hand. `undo` must
    not throw the correction away without a word: refuse, or say so."""
    run.ok("agenda", "add", "议题三")
    path = run.meeting_path()
    edited = path.read_text(encoding="utf-8").replace('title = "议题三"',
                                                       'title = "议题三（书记改）"')
    path.write_text(edited + "# 书记核对过\n", encoding="utf-8")
    result = run("undo", "-m", planned)
    if result.exit_code == 0:
        assert result.stderr.strip(), "the hand edit was dropped silently"
    else:
        assert_refused(result, "store.undo_hand_edited", name=path.name)
        assert path.read_text(encoding="utf-8") == edited + "# 书记核对过\n"


# --- what files hold --------------------------------------------------------------------

def _replay(cli: Any, commands: list[list[str]]) -> None:
    for argv in commands:
        cli.ok(*argv)


def test_replaying_the_same_commands_elsewhere_gives_byte_identical_files(
        tmp_path: Path, cli_for: Any) -> None:
    from seed_script import COMMANDS

    first = cli_for(tmp_path / "甲" / "meetings")
    second = cli_for(tmp_path / "some" / "other" / "place")
    _replay(first, COMMANDS)
    _replay(second, COMMANDS)
    names = ["council.toml", "2022-03-08.toml", ".gitignore"]
    for name in names:
        assert (first.folder / name).read_bytes() == (second.folder / name).read_bytes(), name
    text = "".join((first.folder / name).read_text(encoding="utf-8") for name in names)
    assert str(tmp_path) not in text and "meetings" not in text
    for private in (getpass.getuser(), socket.gethostname(), os.path.expanduser("~")):
        if len(private) >= 4:
            assert private not in text, private
    import datetime as dt

    assert dt.date.today().isoformat() not in text, "no creation stamp"
