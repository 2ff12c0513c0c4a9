"""A few real runs of the installed program: what the secretary's terminal sees.

`python -m yiguan` and the `yiguan` script; errors as one line on stderr without a
traceback; usage errors exit 2; a GBK console (a Windows pipe is cp936) never raises on a
name outside GBK such as 𠮷; and `main()`, which builds only the command it is asked
for, behaves like the app with every command.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import assert_refused
from yiguan.cli import make_app
from yiguan.text.messages import t

SCRIPT = Path(sys.executable).parent / "yiguan"


def yiguan(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
           use_script: bool = False) -> subprocess.CompletedProcess[bytes]:
    command = [str(SCRIPT)] if use_script else [sys.executable, "-m", "yiguan"]
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("YIGUAN_LANG", "YIGUAN_DIR", "COLUMNS", "PYTHONIOENCODING")}
    environment.update(env or {})
    return subprocess.run([*command, *args], capture_output=True, env=environment, cwd=cwd,
                          timeout=60)


def test_python_m_yiguan_help() -> None:
    done = yiguan("--help")
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode("utf-8")
    assert "议管" in out and "sign" in out and "vote" in out


@pytest.mark.skipif(not SCRIPT.exists(), reason="the yiguan script is not installed here")
def test_the_installed_script_runs() -> None:
    done = yiguan("--version", use_script=True)
    assert done.returncode == 0 and done.stdout.decode().startswith("yiguan "), done


def test_an_error_is_one_line_on_stderr_without_a_traceback(tmp_path: Path) -> None:
    done = yiguan("--dir", str(tmp_path / "nowhere"), "show")
    assert_refused(done, "store.no_folder", path=str(tmp_path / "nowhere"))
    assert done.stdout == b""


def test_help_and_errors_are_english_with_yiguan_lang_en(tmp_path: Path) -> None:
    from yiguan.text import locale_en as catalog_en

    helped = yiguan("vote", "--help", env={"YIGUAN_LANG": "en"})
    assert helped.returncode == 0
    out = " ".join(helped.stdout.decode("utf-8").split())
    assert catalog_en.MESSAGES["help.vote"][:30] in out, out
    assert "赞成票数" not in out, "option help is English too"
    failed = yiguan("--dir", str(tmp_path / "nowhere"), "show", env={"YIGUAN_LANG": "en"})
    assert_refused(failed, "store.no_folder", lang="en", path=str(tmp_path / "nowhere"))


def test_a_broken_file_is_one_line_naming_file_and_line(run: Any, planned: str) -> None:
    path = run.meeting_path()
    path.write_text('format = 1\ntitle = "会"\ndate = = 2024-05-10\n', encoding="utf-8")
    done = yiguan("--dir", str(run.folder), "show", "-m", planned)
    assert_refused(done, "format.syntax", in_file=True)
    assert done.stderr.decode("utf-8").startswith(f"yiguan: 错误：{path}:3:")


def test_a_broken_file_with_a_missing_key_is_still_one_line(run: Any, planned: str) -> None:
    path = run.meeting_path()
    path.write_text(path.read_text(encoding="utf-8").replace('title = "五月居民议事会"\n', ""),
                    encoding="utf-8")
    shown = yiguan("--dir", str(run.folder), "show", "-m", planned)
    assert_refused(shown, "schema.missing", in_file=True, key="title")
    checked = yiguan("--dir", str(run.folder), "check")
    assert checked.returncode == 1 and b"Traceback" not in checked.stderr
    assert checked.stdout.decode("utf-8") == (
        f"{path}: title: {t('schema.missing', key='title')}\n")


@pytest.mark.parametrize("args", [["frobnicate"], ["vote"], ["new", "会"], ["sign", "--at"]])
def test_a_usage_error_exits_2(tmp_path: Path, args: list[str]) -> None:
    done = yiguan("--dir", str(tmp_path), *args)
    assert done.returncode == 2, done
    assert b"Traceback" not in done.stderr


def test_a_gbk_console_never_fails_on_a_name_outside_gbk(run: Any) -> None:
    run.ok("member", "add", "𠮷大", "--initials", "jd")
    run.ok("new", "五月居民议事会", "--date", "2024-05-10")
    env = {"PYTHONIOENCODING": "gbk"}
    listing = yiguan("--dir", str(run.folder), "member", "list", env=env)
    assert listing.returncode == 0, listing.stderr.decode("gb18030")
    assert "𠮷大" in listing.stdout.decode("gb18030")
    assert "刘晓菊" in listing.stdout.decode("gbk", errors="replace")
    duplicate = yiguan("--dir", str(run.folder), "member", "add", "𠮷大", "--initials", "jd",
                       env=env)
    err = duplicate.stderr.decode("gb18030")
    assert duplicate.returncode == 1 and "Traceback" not in err, err
    assert err == t("cli.error_prefix", message=t("council.duplicate_member", name="𠮷大")) + "\n"
    signed = yiguan("--dir", str(run.folder), "sign", "jd", "--at", "19:00", env=env)
    assert signed.returncode == 0, signed.stderr.decode("gb18030")
    assert "𠮷大" in signed.stdout.decode("gb18030")


def test_an_ascii_console_escapes_instead_of_failing(run: Any, planned: str) -> None:
    done = yiguan("--dir", str(run.folder), "show", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr


# --- the lazily built app ------------------------------------------------------------------

SESSION = [
    ["agenda", "add", "电动车充电桩", "--by", "lxj"],
    ["sign", "lxj", "ly", "wjg", "zgl", "--at", "19:20"],
    ["sign", "--guest", "王丽娟", "--org", "社区居委会", "--at", "19:21"],
    ["open", "--at", "19:30"],
    ["speak", "lxj", "楼道里的旧家具要清走。", "--at", "19:35"],
    ["propose", "三天后统一清运", "--by", "ly", "--second", "lxj", "--at", "19:40"],
    ["vote", "M1", "--yes", "3", "--no", "1", "--at", "19:45"],
    ["vote", "M1", "--yes", "3", "--no", "1", "--at", "19:46"],
    ["status"],
]


@pytest.mark.slow
def test_main_with_only_the_named_command_behaves_like_the_full_app(
        run: Any, planned: str, tmp_path: Path, cli_for: Any) -> None:
    """The real program (main) in one folder, the full app in another: same files, same
    output, same exit codes."""
    import shutil

    other = cli_for(tmp_path / "full")
    shutil.copytree(run.folder, other.folder)
    for argv in SESSION:
        real = yiguan("--dir", str(run.folder), *argv)
        full = other(*argv)
        assert real.returncode == full.exit_code, (argv, real.stderr.decode(), full.output)
        shown = real.stdout.decode().replace(str(run.folder), str(other.folder))
        assert shown == full.stdout, argv
        assert real.stderr.decode().replace(str(run.folder), str(other.folder)) == full.stderr
    assert run.meeting_bytes() == other.meeting_bytes()


@pytest.mark.parametrize("argv", [
    ["member", "list"], ["list"], ["show"], ["status"], ["agenda", "list"], ["check"],
    ["sign", "lxj", "--at", "19:00"], ["vote", "M1", "--yes", "1", "--no", "0"],
    ["agenda", "add", "新议题"], ["member", "--help"], ["vote", "--help"], ["--help"],
    ["nosuch"], ["undo"], ["--version"],
], ids=lambda a: " ".join(a))
def test_the_lazy_app_and_the_full_app_answer_alike(run: Any, planned: str, tmp_path: Path,
                                                    cli_for: Any, argv: list[str]) -> None:
    import shutil

    answers = []
    for name, build in (("lazy", make_app), ("full", lambda _: make_app())):
        folder = tmp_path / name / "meetings"
        shutil.copytree(run.folder, folder)
        args = ["--dir", str(folder), *argv]
        result = CliRunner().invoke(build(args), args)
        answers.append((result.exit_code, result.stdout.replace(str(folder), "DIR"),
                        result.stderr.replace(str(folder), "DIR"),
                        cli_for(folder).snapshot()))
    assert answers[0] == answers[1], argv


def test_meeting_commands_import_neither_pypinyin_nor_rich(run: Any, planned: str) -> None:
    """Initials are stored, so only `member add` pays for pypinyin (~250 ms); and the
    one-line confirmations of the live commands need no rich (~40 ms)."""
    steps = [["sign", "lxj", "ly", "wjg", "zgl", "--at", "19:20"], ["open", "--at", "19:30"],
             ["speak", "lxj", "发言", "--at", "19:35"],
             ["propose", "清运", "--by", "ly", "--second", "lxj", "--at", "19:40"],
             ["vote", "M1", "--yes", "3", "--no", "1", "--at", "19:45"]]
    probe = (
        "import sys\n"
        "from yiguan.cli import main\n"
        f"for step in {steps!r}:\n"
        f"    sys.argv = ['yiguan', '--dir', {str(run.folder)!r}, *step]\n"
        "    try:\n        main()\n    except SystemExit as e:\n"
        "        assert not e.code, (step, e.code)\n"
        "print('pypinyin' in sys.modules, 'rich' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=60)
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert err.strip().splitlines()[-1] == "False False", err
    assert run.meeting().vote[0].outcome == "adopted"
