"""Members' phone numbers and private notes stay out of the repository (issue 19 §7).

council.toml is committed; `private.toml` beside it is not (the data folder's
.gitignore lists it). `member add --phone/--note` writes the particulars there and
`member list --private` reads them back; a council.toml that still holds phones (an
older yiguan, a hand edit) has them moved over at the council's next change, and says
so; `check` warns about a committed file that holds a roster phone number. The private
file is locked, atomic and undoable with council.toml as one step, never read through a
link, and skipped by the meeting scanner without a word.

From the `folder` fixture: council.toml with seven members (刘晓菊 lxj … 赵志强 zzq).
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from conftest import git, tracked
from yiguan.text.messages import t

PHONE = "13800138000"
NOTE = "腿脚不便，请留一楼座位"

LEGACY = '''
[[member]]
name = "孙丽华"
initials = "slh"
phone = "+86 139 0000 1111"
note = "私密备注：住 3 栋 502"
'''


def _private(run: Any) -> str:
    return (run.folder / "private.toml").read_text("utf-8")


def _council(run: Any) -> str:
    return (run.folder / "council.toml").read_text("utf-8")


def _plant_legacy(run: Any) -> None:
    """council.toml as an older yiguan wrote it: a member's phone and note inside."""
    path = run.folder / "council.toml"
    path.write_text(path.read_text("utf-8") + LEGACY, "utf-8")


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


# --- where the particulars go --------------------------------------------------------------

def test_member_add_keeps_the_phone_and_note_out_of_council_toml(run: Any, folder: Path) -> None:
    result = run.ok("member", "add", "孙丽华", "--phone", PHONE, "--note", NOTE)
    assert "孙丽华" in result.stdout
    assert PHONE not in _council(run) and "腿脚不便" not in _council(run)
    assert "孙丽华" in _council(run)  # the roster itself is public
    private = _private(run)
    assert f'name = "孙丽华"\nphone = "{PHONE}"\nnote = "{NOTE}"' in private
    # only its owner may read it; the secretary is told to back it up
    assert stat.S_IMODE((run.folder / "private.toml").stat().st_mode) == 0o600
    assert "private.toml" in result.stderr and "另行备份" in result.stderr
    assert "private.toml" in (run.folder / ".gitignore").read_text("utf-8").splitlines()


def test_member_list_private_reads_them_back_and_the_plain_list_does_not(run: Any) -> None:
    run.ok("member", "add", "孙丽华", "--phone", PHONE, "--note", NOTE)
    shown = run.ok("member", "list", "--private").stdout
    assert PHONE in shown and "腿脚不便" in shown
    plain = run.ok("member", "list").stdout
    assert "孙丽华" in plain and PHONE not in plain and "腿脚不便" not in plain


def test_a_member_without_particulars_writes_no_private_file(run: Any) -> None:
    run.ok("member", "add", "孙丽华")
    assert not (run.folder / "private.toml").exists()


def test_member_remove_takes_the_particulars_with_it(run: Any) -> None:
    run.ok("member", "add", "孙丽华", "--phone", PHONE)
    run.ok("member", "add", "周强", "--note", "楼长")
    run.ok("member", "remove", "孙丽华")
    private = _private(run)
    assert PHONE not in private and "孙丽华" not in private and "楼长" in private


def test_the_documents_and_the_meeting_never_see_them(run: Any) -> None:
    run.ok("member", "add", "孙丽华", "--phone", PHONE, "--note", NOTE)
    run.ok("new", "五月议事会", "--date", "2024-05-10")
    meeting = (run.folder / "2024-05-10.toml").read_text("utf-8")
    assert "孙丽华" in meeting and PHONE not in meeting and "腿脚不便" not in meeting
    minutes = run.ok("minutes").stdout
    assert PHONE not in minutes and "腿脚不便" not in minutes


# --- one step for undo ------------------------------------------------------------------------

def test_undo_takes_back_the_member_and_the_particulars_as_one_step(run: Any) -> None:
    before = run.snapshot()
    run.ok("member", "add", "孙丽华", "--phone", PHONE, "--note", NOTE)
    result = run.ok("undo")
    assert "同一步对 private.toml 的修改也已撤销" in result.stdout
    assert PHONE not in result.stdout  # the phone number is not shown on undo
    assert not (run.folder / "private.toml").exists()
    assert not (run.folder / "private.toml.lock").exists()
    after = run.snapshot()
    assert {k: v for k, v in after.items() if k != ".gitignore"} == \
        {k: v for k, v in before.items() if k != ".gitignore"}


def test_undo_of_a_removal_brings_the_particulars_back(run: Any) -> None:
    run.ok("member", "add", "孙丽华", "--phone", PHONE)
    private = _private(run)
    council = _council(run)
    run.ok("member", "remove", "孙丽华")
    run.ok("undo")
    assert _private(run) == private and _council(run) == council


def test_undo_refuses_when_the_private_file_was_edited_by_hand(run: Any) -> None:
    run.ok("member", "add", "孙丽华", "--phone", PHONE)
    path = run.folder / "private.toml"
    path.write_text(path.read_text("utf-8").replace(PHONE, "13900001111"), "utf-8")
    result = run.refused("undo")
    assert "private.toml" in result.stderr
    run.ok("undo", "--force")
    assert not path.exists() and "孙丽华" not in _council(run)


def test_a_later_change_of_the_council_alone_is_undone_alone(run: Any) -> None:
    run.ok("member", "add", "孙丽华", "--phone", PHONE)
    run.ok("council", "set", "org", "幸福里社区居民委员会")
    result = run.ok("undo")
    assert "private.toml" not in result.stdout
    assert PHONE in _private(run)


# --- a council.toml from before: moved over on the first write ------------------------------

def test_an_old_council_toml_is_read_as_it_is_until_the_council_changes(run: Any) -> None:
    _plant_legacy(run)
    shown = run.ok("member", "list", "--private").stdout
    assert "+86 139 0000 1111" in shown and "住 3 栋 502" in shown
    checked = run.ok("check")
    assert "council.toml 仍保存着 孙丽华 的电话或私密备注" in checked.stdout
    assert not (run.folder / "private.toml").exists()


@pytest.mark.parametrize("command", [
    ["council", "set", "org", "幸福里社区居民委员会"],
    ["member", "add", "周强"],
    ["member", "remove", "赵志强"],
])
def test_the_first_write_of_the_council_moves_them_over_and_says_so(
        run: Any, command: list[str]) -> None:
    _plant_legacy(run)
    result = run.ok(*command)
    assert "孙丽华 的电话和私密备注已从 council.toml 移到" in result.stderr
    council = _council(run)
    assert "139 0000" not in council and "住 3 栋" not in council and "孙丽华" in council
    private = _private(run)
    assert 'phone = "+86 139 0000 1111"' in private and "住 3 栋 502" in private
    assert "private.toml" in (run.folder / ".gitignore").read_text("utf-8")
    assert "+86 139 0000 1111" in run.ok("member", "list", "--private").stdout
    assert "council.toml 仍保存着" not in run.ok("check").stdout
    # and said once: the next change has nothing to move
    assert "移到" not in run.ok("council", "set", "notice_place", "公示栏").stderr


def test_undo_of_the_move_puts_council_toml_back_as_it_was(run: Any) -> None:
    _plant_legacy(run)
    legacy = _council(run)
    run.ok("council", "set", "org", "幸福里社区居民委员会")
    run.ok("undo")
    assert _council(run) == legacy and not (run.folder / "private.toml").exists()


def test_the_old_files_value_wins_over_a_stale_private_entry(run: Any) -> None:
    _plant_legacy(run)
    (run.folder / "private.toml").write_text(
        'format = 1\n\n[[member]]\nname = "孙丽华"\nphone = "0000000"\nnote = "旧"\n'
        '\n[[member]]\nname = "不在名单"\nnote = "手写的一条"\n', "utf-8")
    run.ok("council", "set", "org", "幸福里")
    private = _private(run)
    assert "+86 139 0000 1111" in private and "0000000" not in private
    assert "手写的一条" in private  # an entry of a name not on the roster is kept


# --- git ---------------------------------------------------------------------------------------

@needs_git
def test_git_never_sees_the_private_file(tmp_path: Path, cli_for: Any) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    run = cli_for(repo / "meetings")
    run.ok("init")
    run.ok("member", "add", "孙丽华", "--phone", PHONE, "--note", NOTE)
    git(repo, "add", "-A")
    staged = git(repo, "diff", "--cached", "--name-only").stdout.split()
    assert "meetings/council.toml" in staged and "meetings/private.toml" not in staged
    assert git(repo, "check-ignore", "meetings/private.toml").returncode == 0
    commit = git(repo, "commit", "-q", "-m", "roster")
    assert commit.returncode == 0, commit.stderr
    assert PHONE not in git(repo, "log", "-p", "--all").stdout


@needs_git
def test_git_setup_adds_the_private_file_to_an_older_gitignore(tmp_path: Path,
                                                                cli_for: Any) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    run = cli_for(repo / "meetings")
    run.ok("init")
    old = "# yiguan: locks, undo history and caches stay out of git\n*.lock\n*.tmp\n.yiguan/\n"
    (run.folder / ".gitignore").write_text(old, "utf-8")
    result = run.ok("git-setup")
    assert ".gitignore" in result.stdout
    lines = (run.folder / ".gitignore").read_text("utf-8").splitlines()
    assert lines[:4] == old.splitlines() and "private.toml" in lines
    again = (run.folder / ".gitignore").read_text("utf-8")
    run.ok("git-setup")
    assert (run.folder / ".gitignore").read_text("utf-8") == again


def test_a_gitignore_without_the_private_file_gets_it_when_the_file_is_made(run: Any) -> None:
    (run.folder / ".gitignore").write_text("my-notes/", "utf-8")  # no final newline
    run.ok("member", "add", "孙丽华", "--phone", PHONE)
    lines = (run.folder / ".gitignore").read_text("utf-8").splitlines()
    assert lines[0] == "my-notes/" and lines[-1] == "private.toml"


# --- check: a roster phone number in a file that goes into git ---------------------------------

@pytest.mark.parametrize("written", [PHONE, "138-0013-8000", "138 0013 8000", "+8613800138000",
                                     "１３８００１３８０００", "电话13800138000转2",
                                     "138—0013—8000", "138－0013－8000"])
def test_check_warns_when_a_meeting_file_holds_a_roster_phone(run: Any, written: str) -> None:
    run.ok("member", "add", "孙丽华", "--phone", "+86 138 0013 8000")
    run.ok("new", "五月议事会", "--date", "2024-05-10")
    run.ok("agenda", "add", f"请联系孙丽华 {written}")
    result = run.ok("check")  # a warning: the file is not wrong, the secretary is told
    assert "2024-05-10.toml: 含有成员 孙丽华 的电话号码" in result.stdout
    assert "1 条提醒" in result.stdout


def test_check_is_quiet_about_numbers_that_are_no_roster_phone(run: Any) -> None:
    run.ok("member", "add", "孙丽华", "--phone", PHONE)
    run.ok("new", "五月议事会", "--date", "2024-05-10")
    run.ok("agenda", "add", "物业电话 0931-8888888，费用 1380013 元")
    result = run.ok("check")
    assert "电话号码" not in result.stdout and "没有问题" in result.stdout


def test_check_of_named_files_scans_them_too(run: Any, tmp_path: Path) -> None:
    run.ok("member", "add", "孙丽华", "--phone", PHONE)
    run.ok("new", "五月议事会", "--date", "2024-05-10")
    run.ok("agenda", "add", f"孙丽华 {PHONE}")
    result = run.ok("check", str(run.folder / "2024-05-10.toml"))
    assert "含有成员 孙丽华 的电话号码" in result.stdout


@needs_git
def test_check_warns_when_git_tracks_the_private_file_or_a_file_with_a_phone(
        tmp_path: Path, cli_for: Any) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    run = cli_for(repo / "meetings")
    run.ok("init")
    run.ok("member", "add", "孙丽华", "--phone", PHONE)
    assert "提醒" not in run.ok("check").stdout
    (run.folder / "通讯录.md").write_text(f"孙丽华 {PHONE}\n", "utf-8")
    assert "通讯录" not in run.ok("check").stdout  # not in git: nothing to say
    git(repo, "add", "-f", "meetings/private.toml", "meetings/通讯录.md")
    result = run.ok("check")
    assert "private.toml: 这个文件已被 git 收录" in result.stdout
    assert "通讯录.md: 含有成员 孙丽华 的电话号码" in result.stdout
    english = run.ok("check", env={"YIGUAN_LANG": "en"}).stdout
    assert "git keeps this file" in english and "holds the phone number of 孙丽华" in english


def test_check_reports_a_broken_private_file(run: Any) -> None:
    (run.folder / "private.toml").write_text('format = 1\n[[member]]\nphone = "1"\n', "utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert f"private.toml: member[0]: {t('schema.missing', key='name')}\n" in result.stdout


# --- the store's rules hold for it too --------------------------------------------------------

def test_the_meeting_scanner_skips_it_without_a_word(run: Any, planned: str) -> None:
    run.ok("member", "add", "孙丽华", "--phone", PHONE)
    for command in (["list"], ["ledger"], ["check"], ["show"]):
        result = run.ok(*command)
        assert "private.toml" not in result.stderr, (command, result.stderr)
    (run.folder / "notes.toml").write_text("x = 1\n", "utf-8")  # any other .toml is said
    assert "notes.toml" in run.ok("list").stderr


def test_a_held_lock_on_the_private_file_makes_the_command_wait_then_refuse(
        run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from yiguan.store import files as store

    run.ok("member", "add", "孙丽华", "--phone", PHONE)
    monkeypatch.setattr(store, "LOCK_TIMEOUT_SECONDS", 0.3)
    with store.locked(run.folder / "private.toml"):
        result = run.refused("member", "add", "周强", "--phone", "13900001111")
    assert "private.toml" in result.stderr and "另一个 yiguan 进程" in result.stderr


def test_a_link_in_place_of_the_private_file_is_never_read_or_written(
        run: Any, tmp_path: Path) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text('format = 1\n\n[[member]]\nname = "刘晓菊"\nphone = "99999999"\n', "utf-8")
    (run.folder / "private.toml").symlink_to(outside)
    before = outside.read_bytes()
    linked = str(run.folder / "private.toml")
    run.refused("member", "add", "孙丽华", "--phone", PHONE, because="store.linked_file",
                path=linked)
    result = run.refused("member", "list", "--private", because="store.linked_file", path=linked)
    assert "99999999" not in result.output
    assert outside.read_bytes() == before


def test_a_broken_private_file_refuses_a_change_that_needs_it(run: Any) -> None:
    (run.folder / "private.toml").write_text("format = 1\n[[member]\nname =\n", "utf-8")
    result = run.refused("member", "add", "孙丽华", "--phone", PHONE)
    assert "private.toml" in result.stderr
    run.ok("member", "add", "周强")  # a change that does not touch it goes on


def test_a_read_only_private_file_is_not_replaced(run: Any) -> None:
    run.ok("member", "add", "孙丽华", "--phone", PHONE)
    path = run.folder / "private.toml"
    path.chmod(0o400)
    try:
        result = run.refused("member", "add", "周强", "--phone", "13900001111")
        assert "private.toml" in result.stderr
    finally:
        path.chmod(0o600)


def test_a_read_only_council_toml_refuses_before_gitignore_is_touched(run: Any) -> None:
    (run.folder / ".gitignore").write_text("my-notes/\n", "utf-8")
    path = run.folder / "council.toml"
    path.chmod(0o444)
    try:
        run.refused("member", "add", "孙丽华", "--phone", PHONE, because="store.read_only",
                    path=str(path))
    finally:
        path.chmod(0o644)
    assert (run.folder / ".gitignore").read_text("utf-8") == "my-notes/\n"
    assert not (run.folder / "private.toml").exists()


def test_output_over_the_private_file_is_refused(run: Any, planned: str) -> None:
    run.ok("member", "add", "孙丽华", "--phone", PHONE)
    before = _private(run)
    result = run.refused("minutes", "-o", str(run.folder / "private.toml"))
    assert "不能写入生成的文件" in result.stderr and _private(run) == before


def test_fmt_rewrites_neither_it_nor_anything_of_it(run: Any) -> None:
    run.ok("member", "add", "孙丽华", "--phone", PHONE)
    before = _private(run)
    run.refused("fmt", str(run.folder / "private.toml"), because="fmt.not_a_data_file",
                path=str(run.folder / "private.toml"))
    run.ok("fmt")
    assert _private(run) == before


def test_tracked_files_in_the_tests_leave_it_out(run: Any) -> None:
    """conftest.tracked (what a user commits) never holds it."""
    run.ok("member", "add", "孙丽华", "--phone", PHONE)
    assert "private.toml" not in tracked(run.folder)
    assert os.path.exists(run.folder / "private.toml")


def test_english_messages(run: Any) -> None:
    _plant_legacy(run)
    en = {"YIGUAN_LANG": "en"}
    assert "still holds the phone numbers or notes of 孙丽华" in run.ok("check", env=en).stdout
    result = run.ok("member", "add", "周强", env=en)
    assert "moved the phone numbers and private notes of 孙丽华" in result.stderr
    assert "back it up separately" in result.stderr
    assert "undone too" in run.ok("undo", env=en).stdout
