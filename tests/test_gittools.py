"""Meetings in git: readable diffs, semantic diffs, canonical formatting, and setup.

The 书记 reviews the secretary's work with `git diff`; a changed vote count must show as
one changed line, `yiguan diff` must say what changed in words, `fmt` must never change
the data it rewrites, and `git-setup` must be safe to run twice.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from conftest import git

MEETINGS = Path(__file__).resolve().parent.parent / "meetings"
SEED = MEETINGS / "2022-03-08.toml"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


# --- textconv ----------------------------------------------------------------------------

def test_textconv_gives_one_line_per_record(run, bundled):
    lines = run.ok("textconv", str(bundled / SEED.name)).stdout.splitlines()
    data = tomllib.loads(SEED.read_text("utf-8"))
    records = sum(len(data[t]) for t in ("attendee", "item", "speech", "motion", "amendment",
                                         "vote", "action"))
    assert len([line for line in lines if not line.startswith(
        ("会议", "地点", "主持人", "记录人", "备注", "应到", "规则", "散会时签署"))]) == records
    assert lines[-1] == "散会时签署的记录：33 条（指纹，供 yiguan check 核对更正）"
    assert any(line.startswith("表决 V1 M1 20:10 赞成 14 反对 0 弃权 1") for line in lines)


def test_a_changed_vote_is_one_changed_textconv_line(run, bundled):
    before = run.ok("textconv", str(bundled / SEED.name)).stdout.splitlines()
    path = bundled / SEED.name
    path.write_text(path.read_text("utf-8").replace("yes = 14", "yes = 13", 1), "utf-8")
    after = run.ok("textconv", str(path)).stdout.splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1 and "赞成 13" in changed[0][1]


def test_textconv_of_a_broken_file_shows_its_text(run, tmp_path):
    path = tmp_path / "2022-03-08.toml"
    path.write_text("format = 1\ntitle = [\n", "utf-8")
    assert run.ok("textconv", str(path)).stdout == "format = 1\ntitle = [\n"


def test_textconv_leaves_out_private_roster_data(run, bundled):
    council = bundled / "council.toml"
    council.write_text(council.read_text("utf-8").replace(
        'initials = "lxj"', 'initials = "lxj"\nphone = "13800001111"'), "utf-8")
    assert "13800001111" not in run.ok("textconv", str(council)).stdout


# --- semantic diff -------------------------------------------------------------------------

def test_diff_names_what_changed_record_by_record(cli_for, bundled, tmp_path):
    run = cli_for(bundled)
    old = tmp_path / "old.toml"
    shutil.copy(SEED, old)
    path = bundled / SEED.name
    text = path.read_text("utf-8").replace("yes = 14", "yes = 13", 1)
    text = text.replace('status = "closed"', 'status = "open"')
    path.write_text(text, "utf-8")
    run.ok("sign", "sdm", "--at", "20:00")
    lines = run.ok("diff", str(old), str(path)).stdout.splitlines()
    assert "~ 表决 V1 yes：14 → 13" in lines
    assert "~ 会议 status：closed → open" in lines
    assert any(line.startswith("+ 签到 P19 孙德明") for line in lines), lines


def test_diff_of_identical_versions_says_so(run, bundled):
    out = run.ok("diff", str(SEED), str(bundled / SEED.name)).stdout
    assert out.strip() == "两个版本没有差异"


def test_diff_of_a_missing_version_is_an_error(run, bundled):
    run.refused("diff", str(SEED), str(bundled / "nope.toml"), because="git.no_version",
                spec=str(bundled / "nope.toml"))


@needs_git
def test_diff_reads_a_git_revision(run, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    data = repo / "meetings"
    data.mkdir(parents=True)
    shutil.copy(SEED, data / SEED.name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "seed")
    path = data / SEED.name
    path.write_text(path.read_text("utf-8").replace("yes = 12", "yes = 11", 1), "utf-8")
    monkeypatch.chdir(repo)
    lines = run.ok("diff", f"HEAD:meetings/{SEED.name}", str(path)).stdout.splitlines()
    assert lines == ["~ 表决 V3 yes：12 → 11"]


# --- fmt ---------------------------------------------------------------------------------

def test_fmt_check_passes_on_canonical_files(cli_for, bundled):
    out = cli_for(bundled).ok("fmt", "--check")
    assert out.stdout.strip() == "2 个文件都已是标准格式"


def test_fmt_rewrites_a_hand_edited_file_without_changing_its_data(cli_for, bundled):
    run = cli_for(bundled)
    path = bundled / SEED.name
    messy = SEED.read_text("utf-8").replace('title = "', 'title   =   "', 1)
    messy = messy.replace("[[attendee]]", "# 签到\n[[attendee]]", 1)
    path.write_text(messy, "utf-8")
    check = run("fmt", "--check")
    assert check.exit_code == 1 and str(path) in check.stdout
    result = run.ok("fmt")
    assert "注释" in result.stderr  # says the comment is dropped
    assert tomllib.loads(path.read_text("utf-8")) == tomllib.loads(messy)
    assert path.read_bytes() == SEED.read_bytes()
    run.ok("fmt", "--check")
    run.ok("undo")  # the hand-edited version, comment and all, comes back
    assert path.read_text("utf-8") == messy


def test_fmt_keeps_keys_the_schema_does_not_know(cli_for, bundled):
    run = cli_for(bundled)
    path = bundled / SEED.name
    path.write_text(path.read_text("utf-8").replace(
        "[rules]", "extra = 1\n\n[rules]", 1), "utf-8")
    before = tomllib.loads(path.read_text("utf-8"))
    run.ok("fmt", str(path))
    assert tomllib.loads(path.read_text("utf-8")) == before


def test_fmt_of_a_broken_file_is_an_error_and_writes_nothing(run):
    path = run.folder / "2022-03-08.toml"
    path.write_text("format = 1\ntitle = [\n", "utf-8")
    result = run("fmt", str(path))
    assert result.exit_code == 1 and "2022-03-08.toml:" in result.stderr
    assert path.read_text("utf-8") == "format = 1\ntitle = [\n"


def _messy(path):
    """A meeting file that is valid but not canonical: fmt would rewrite it."""
    path.write_text(SEED.read_text("utf-8").replace('title = "', 'title   =   "', 1), "utf-8")
    return path.read_bytes()


@pytest.mark.parametrize("name", ["2022-03-08.toml", "council.toml", "notes.toml", "x.txt"])
def test_fmt_refuses_a_file_outside_the_data_folder_and_leaves_nothing_beside_it(
        run, tmp_path, name):
    """`yiguan fmt PATH` went through the store wherever PATH was: a `.lock` and a
    `.yiguan/undo` appeared beside any file, of any name. A rewrite is for the files the
    store keeps; anything else is refused in one line, and nothing is created."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    path = elsewhere / name
    before = _messy(path)
    result = run.refused("fmt", str(path))
    assert "fmt 只改写这些文件" in result.stderr and str(path) in result.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in elsewhere.iterdir()) == [name]


def test_fmt_refuses_a_file_of_another_name_in_the_data_folder(run):
    path = run.folder / "notes.toml"
    before = _messy(path)
    run.refused("fmt", str(path), because="fmt.not_a_data_file", path=str(path))
    assert path.read_bytes() == before and not (run.folder / "notes.toml.lock").exists()


def test_fmt_check_reads_any_file_and_writes_nothing_beside_it(run, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    path = elsewhere / "2022-03-08.toml"
    before = _messy(path)
    result = run("fmt", "--check", str(path))
    assert result.exit_code == 1 and str(path) in result.stdout  # it differs: said
    assert path.read_bytes() == before
    assert sorted(p.name for p in elsewhere.iterdir()) == ["2022-03-08.toml"]


def test_fmt_takes_a_data_file_by_any_spelling_of_its_folder(run, tmp_path):
    path = run.folder / "2022-03-08.toml"
    _messy(path)
    Path("alias").symlink_to(run.folder, target_is_directory=True)
    run.ok("fmt", "alias/./2022-03-08.toml")
    assert path.read_bytes() == SEED.read_bytes()


# --- git-setup ---------------------------------------------------------------------------

@needs_git
def test_git_setup_writes_attributes_and_config_and_is_idempotent(tmp_path, cli_for):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    run = cli_for(repo / "meetings")
    init = run.ok("init", "--name", "测试议事会")
    assert "git-setup" in init.stdout  # init offers it inside a repository
    first = run.ok("git-setup")
    attributes = (repo / "meetings" / ".gitattributes").read_text("utf-8")
    assert "diff=yiguan merge=yiguan" in attributes
    driver = git(repo, "config", "--local", "--get", "merge.yiguan.driver").stdout.strip()
    assert driver.endswith("merge-driver %O %A %B %P")
    textconv = git(repo, "config", "--local", "--get", "diff.yiguan.textconv").stdout.strip()
    assert textconv.endswith("textconv")
    second = run.ok("git-setup")
    assert (repo / "meetings" / ".gitattributes").read_text("utf-8") == attributes
    assert "无需改动" in second.stdout and first.stdout != second.stdout


def test_git_setup_outside_a_repository_is_an_error(run, tmp_path, monkeypatch):
    monkeypatch.setattr("yiguan.git.support.find_git_root", lambda start: None)
    run.refused("git-setup", because="git.not_a_repo", path=str(run.folder))


@needs_git
def test_git_diff_uses_textconv_after_setup(tmp_path, cli_for):
    repo = tmp_path / "repo"
    (repo / "meetings").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    for name in ("council.toml", SEED.name):
        shutil.copy(MEETINGS / name, repo / "meetings" / name)
    run = cli_for(repo / "meetings")
    run.ok("git-setup")
    # the test's yiguan is not on PATH: point git at this interpreter's module
    import sys

    git(repo, "config", "diff.yiguan.textconv", f'"{sys.executable}" -m yiguan textconv')
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "seed")
    path = repo / "meetings" / SEED.name
    path.write_text(path.read_text("utf-8").replace("yes = 14", "yes = 13", 1), "utf-8")
    diff = git(repo, "diff").stdout
    changed = [line for line in diff.splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert len(changed) == 2 and "赞成 13" in changed[1], diff


# --- #12: git-setup from a venv whose path has a space (and a `$(…)`) -----------------------

@pytest.fixture(scope="module")
def spaced_venv(tmp_path_factory):
    """A venv at a path with a space and a `$(touch PWNED)` in it, with this yiguan
    installed by pip (its build tools from the package registry, as the README's install
    gets them); its dependencies are this environment's, added by a .pth file, so nothing
    else is fetched. Without the registry, the .pth finds this tree's yiguan too."""
    import site
    import subprocess
    import sys
    import sysconfig

    root = tmp_path_factory.mktemp("venvs") / "my venv $(touch PWNED)"
    made = subprocess.run([sys.executable, "-m", "venv", str(root)], capture_output=True,
                          text=True, check=False)
    if made.returncode != 0:  # any cause: a machine that cannot make a venv skips
        pytest.skip(f"cannot make a venv here: {made.stderr.strip()[-200:]}")
    python = root / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig."
                              "get_paths()['purelib'])"], capture_output=True, text=True,
                             check=True).stdout.strip()
    ours = sorted({sysconfig.get_paths()["purelib"], *site.getsitepackages()})
    Path(purelib, "zz-deps-from-the-test-venv.pth").write_text(
        "".join(f"import site; site.addsitedir({path!r})\n" for path in ours))
    project = Path(__file__).resolve().parent.parent
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(project)],
                   capture_output=True, check=False, timeout=300)
    return python


@needs_git
@pytest.mark.slow
def test_git_setup_works_from_a_venv_with_a_space_and_yiguan_not_on_path(spaced_venv,
                                                                        tmp_path):
    """#12: git-setup wrote the program's path unquoted into git config: a space broke
    `git diff` and merges, a `$(…)` in the path ran."""
    import subprocess

    repo = tmp_path / "repo"
    data = repo / "meetings"
    data.mkdir(parents=True)
    for name in ("council.toml", SEED.name):
        shutil.copy(MEETINGS / name, data / name)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    assert shutil.which("yiguan", path=env["PATH"]) is None

    def sh(*args: str, cwd: Path = repo) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                              check=False, timeout=120)

    sh("git", "init", "-q", "-b", "main")
    setup = sh(str(spaced_venv), "-m", "yiguan", "--dir", "meetings", "git-setup")
    assert setup.returncode == 0, setup.stderr
    driver = sh("git", "config", "--get", "merge.yiguan.driver").stdout
    assert driver.startswith("'") and "-m yiguan merge-driver" in driver
    sh("git", "add", ".")
    sh("git", "commit", "-qm", "seed")
    meeting = data / SEED.name
    text = meeting.read_text("utf-8")
    meeting.write_text(text.replace("yes = 14", "yes = 13", 1), "utf-8")
    diff = sh("git", "diff")
    assert "赞成 13" in diff.stdout, diff.stdout + diff.stderr
    sh("git", "checkout", "-q", "--", ".")
    # a merge through the driver: two branches change two different keys (of a closed
    # meeting: none the trail covers, which only a correction changes)
    sh("git", "checkout", "-q", "-b", "other")
    meeting.write_text(text.replace('recorder = "', 'recorder = "社工', 1), "utf-8")
    sh("git", "commit", "-qam", "recorder")
    sh("git", "checkout", "-q", "main")
    meeting.write_text(text.replace('place = "', 'place = "二楼', 1), "utf-8")
    sh("git", "commit", "-qam", "place")
    merged = sh("git", "merge", "--no-edit", "other")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    after = meeting.read_text("utf-8")
    assert 'recorder = "社工' in after and 'place = "二楼' in after
    assert not list(tmp_path.rglob("PWNED")), "a $(…) in the path was run"


# --- #13: nothing handed to git can be read as an option -----------------------------------

@needs_git
@pytest.mark.parametrize("spec", ["--output={target}", "--output={target}:x", "-o{target}"])
def test_diff_never_hands_an_option_to_git(run, tmp_path, monkeypatch, spec):
    """#13: `yiguan diff -- --output=FILE …` reached `git show` as an option and
    overwrote FILE."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", "utf-8")
    monkeypatch.chdir(repo)
    run.refused("diff", "--", spec.format(target=target), str(MEETINGS / SEED.name),
                because="git.no_version", spec=spec.format(target=target))
    assert target.read_text("utf-8") == "keep me\n"


# --- #14: what a crafted file holds never reaches the terminal as a control sequence -------

ESCAPES = "\x1b]0;owned\x07\x1b[2J"  # retitle the terminal, clear the screen


def test_textconv_and_diff_escape_control_sequences(run, bundled, tmp_path):
    """#14: an ESC in a note retitled the terminal through textconv and diff."""
    crafted = tmp_path / SEED.name
    escaped = ESCAPES.replace("\x1b", "\\u001b").replace("\x07", "\\u0007")  # TOML escapes
    text = (bundled / SEED.name).read_text("utf-8")
    crafted.write_text(text.replace('place = "', f'place = "{escaped}', 1), "utf-8")
    for args in (["textconv", str(crafted)], ["diff", str(bundled / SEED.name), str(crafted)]):
        out = run.ok(*args).stdout
        assert "\x1b" not in out and "\x07" not in out, args
        assert "\\x1b]0;owned\\x07" in out, out
    broken = tmp_path / "broken.toml"
    broken.write_bytes(f"title = [\n{ESCAPES}\n".encode())
    out = run.ok("textconv", str(broken)).stdout
    assert "\x1b" not in out and "\\x1b[2J" in out


# --- #16: every input ends with one clear line ----------------------------------------------

@pytest.mark.parametrize("edit", ["speech = 5\n", "member = 5\n", 'vote = "x"\n',
                                  "attendee = [1, 2]\n"])
def test_textconv_of_a_table_that_is_no_table_is_not_a_traceback(run, tmp_path, edit):
    """#16: `textconv` on `speech = 5` ended in a traceback."""
    path = tmp_path / "odd.toml"
    path.write_text(f'format = 1\ntitle = "x"\n{edit}', "utf-8")
    result = run("textconv", str(path))
    assert result.exit_code == 0, result.output
    assert edit.split(" = ")[0] in result.stdout


def test_diff_of_records_with_odd_ids_is_not_a_traceback(run, tmp_path):
    old = tmp_path / "a.toml"
    new = tmp_path / "b.toml"
    old.write_text('format = 1\n[[speech]]\nid = ["S1"]\ntext = "a"\n', "utf-8")
    new.write_text('format = 1\n[[speech]]\nid = ["S1"]\ntext = "b"\n', "utf-8")
    result = run("diff", str(old), str(new))
    assert result.exit_code == 0, result.output
