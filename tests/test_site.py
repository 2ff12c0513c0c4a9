"""The public site (issue 24 §1): `yiguan site -o DIR [--council DIR …]`.

Every link of every page resolves to a file of the site and nothing comes from outside;
the pages keep what is private off them (a member's phone, the reason for a leave, who
was excused or absent — except the attendance table's counts by name — and residents
outside the council); no record's code; several councils with the same names and dates
never mix; a rebuild writes only what changed; and the output folder is guarded.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from conftest import MEETING, Cli, assert_refused, copy_tracked, invoke
from yiguan.record.kinds import KINDS

AS_OF = "2024-06-01"
PHONE = "13912345678"
REASON = "住院复查"
RESIDENT = "孙大妈"
EXCUSED, ABSENT = "陈淑珍", "赵志强"
PREFIXES = sorted({kind.PREFIX for kind in KINDS.all if kind.PREFIX} | {"R"})
CODE = re.compile(rf"(?<![A-Za-z0-9#])(?:{'|'.join(PREFIXES)})\d+(?![0-9])")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _hold_meeting(run: Cli) -> None:
    """The opened meeting (five of seven members since 19:20) carried to its close: one
    member excused with a reason, one absent, a resident who came and spoke, a
    resolution, two actions (one done, one overdue on AS_OF), a phone in private.toml;
    after the close the resident's speech struck (a correction that names it)."""
    run.ok("member", "add", "钱多多", "--phone", PHONE)
    run.ok("excuse", EXCUSED, "--reason", REASON)
    run.ok("sign", RESIDENT, "--guest", "--at", "19:33")
    run.ok("speak", RESIDENT, "楼道里的纸箱该清走了", "--at", "19:35")
    run.ok("speak", "王建国", "同意，周六统一清理", "--at", "19:38")
    run.ok("propose", "本周六统一清理楼道堆物", "--by", "王建国", "--second", "刘艳",
           "--at", "19:40")
    run.ok("vote", "M1", "--yes", "5", "--no", "0", "--at", "19:45")
    run.ok("action", "通知各楼栋", "--owner", "刘艳", "--due", "2024-05-12", "--motion", "M1",
           "--at", "19:46")
    run.ok("action", "清理后拍照", "--owner", "王建国", "--due", "2024-05-20", "--at", "19:47")
    run.ok("done", "A1")
    run.ok("close", "--at", "20:30")
    run.ok("strike", "S1", "--why", "重复记录", "-m", MEETING)  # the resident's speech


def _build(run: Cli, out: Path, *more: str, env: dict[str, str | None] | None = None) -> str:
    result = run.ok("site", "-o", str(out), "--as-of", AS_OF, *more, env=env)
    return str(result.stdout)


def _pages(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text("utf-8") for p in sorted(out.rglob("*.html"))}


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value or "" for name, value in attrs if name in ("href", "src")]


def _visible(text: str) -> str:
    """A page's text without its styles and tags."""
    text = re.sub(r"<style>.*?</style>", "", text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


@pytest.fixture
def site(run: Cli, opened: str, tmp_path: Path) -> Path:
    _hold_meeting(run)
    out = tmp_path / "site"
    _build(run, out)
    return out


def test_every_link_resolves_to_a_file_of_the_site(site: Path) -> None:
    pages = _pages(site)
    assert "index.html" in pages and len(pages) >= 8
    for name, text in pages.items():
        parser = _Links()
        parser.feed(text)
        for link in parser.links:
            assert not re.match(r"^[a-z]+:|^//|^/", link), (name, link)  # nothing outside
            target = (site / name).parent / link.split("#")[0]
            assert target.resolve().is_file(), (name, link)
            assert site.resolve() in target.resolve().parents, (name, link)
        assert '<html lang="zh-CN">' in text


def test_the_pages_keep_private_things_off(site: Path) -> None:
    pages = _pages(site)
    for name, text in pages.items():
        assert PHONE not in text, name
        assert REASON not in text, name
        assert RESIDENT not in text, name
        if name.endswith("attendance.html"):
            continue
        assert EXCUSED not in text, name
        assert ABSENT not in text, name
    # the attendance table names them with their counts
    attendance = next(text for name, text in pages.items() if name.endswith("attendance.html"))
    row = re.search(rf"<td>{EXCUSED}</td>(.*?)</tr>", attendance)
    assert row is not None and re.findall(r">(\d+)<", row.group(1)) == ["1", "0", "1", "0"]
    minutes = pages[f"meetings/m/{MEETING}.html"]
    assert "请假人员</span>：1 人" in minutes and "缺席人员</span>：1 人" in minutes
    assert "居民" in minutes  # the resident came, unnamed
    assert "删除居民的发言（19:35）" in minutes  # and the correction names them so too


def test_no_page_shows_a_records_code(site: Path) -> None:
    for name, text in _pages(site).items():
        assert CODE.findall(_visible(text)) == [], name


def test_follow_up_states_and_charts(site: Path) -> None:
    pages = _pages(site)
    actions = pages["meetings/actions.html"]
    assert "state-done\"" in actions and "state-overdue\"" in actions
    council = pages["meetings/index.html"]
    assert council.count("<svg") == 3 and "http://www.w3.org/2000/svg" in council
    assert "截至2024年6月1日" in council
    ledger = pages["meetings/ledger.html"]
    assert "决议一" in ledger and "本周六统一清理楼道堆物" in ledger


def test_the_site_speaks_english_when_asked(run: Cli, opened: str, tmp_path: Path) -> None:
    _hold_meeting(run)
    out = tmp_path / "en"
    _build(run, out, env={"YIGUAN_LANG": "en"})
    for text in _pages(out).values():
        assert '<html lang="en">' in text


def test_a_rebuild_writes_only_what_changed(run: Cli, site: Path) -> None:
    assert "写入 0 个文件" in _build(run, site)
    old = 1_000_000_000
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    run.ok("done", "A2", "-m", MEETING)  # one meeting changed: an action done
    said = _build(run, site)
    changed = sorted(str(p.relative_to(site)) for p in site.rglob("*.html")
                     if p.stat().st_mtime != old)
    assert f"写入 {len(changed)} 个文件" in said
    # its minutes and results notice, and the pages that count actions
    assert changed == ["meetings/actions.html", "meetings/index.html",
                       f"meetings/m/{MEETING}-results.html", f"meetings/m/{MEETING}.html"]


def test_a_deleted_meeting_takes_its_pages_with_it(run: Cli, site: Path) -> None:
    run.meeting_path().unlink()
    said = _build(run, site)
    assert "删除 3 个" in said
    assert not list(site.glob("meetings/m/*.html"))
    manifest = json.loads((site / ".yiguan-site.json").read_text("utf-8"))
    assert manifest["meetings"] == {}


def test_two_councils_of_one_name_never_mix(tmp_path: Path, templates: dict[str, Path]
                                            ) -> None:
    street = tmp_path / "street"
    for name, title in (("xingfuli", "东区六月议事会"), ("heping", "西区六月议事会")):
        copy_tracked(templates["open"], street / name)
        cli = Cli(street / name)
        cli.ok("close", "--at", "20:30")
        path = cli.meeting_path()
        path.write_bytes(path.read_bytes().replace("五月居民议事会".encode(), title.encode()))
    out = tmp_path / "site"
    result = invoke(tmp_path / "nowhere", "site", "-o", str(out), "--council", str(street),
                    "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    pages = _pages(out)
    assert "西区六月议事会" in pages[f"heping/m/{MEETING}.html"]
    assert "东区六月议事会" not in pages[f"heping/m/{MEETING}.html"]
    assert "东区六月议事会" in pages[f"xingfuli/m/{MEETING}.html"]
    index = pages["index.html"]
    assert 'href="heping/index.html"' in index and 'href="xingfuli/index.html"' in index
    # the same as two --council
    again = tmp_path / "again"
    result = invoke(tmp_path / "nowhere", "site", "-o", str(again), "--council",
                    str(street / "xingfuli"), "--council", str(street / "heping"),
                    "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert sorted(_pages(again)) == sorted(pages)


def test_the_same_folder_name_twice_gets_two_folders(tmp_path: Path,
                                                     templates: dict[str, Path]) -> None:
    for side in ("a", "b"):
        copy_tracked(templates["planned"], tmp_path / side / "meetings")
    out = tmp_path / "site"
    result = invoke(tmp_path / "a" / "meetings", "site", "-o", str(out), "--council",
                    str(tmp_path / "a" / "meetings"), "--council",
                    str(tmp_path / "b" / "meetings"), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert (out / "meetings" / "index.html").is_file()
    assert (out / "meetings-2" / "index.html").is_file()


def test_a_chinese_folder_name_becomes_a_safe_path(tmp_path: Path,
                                                   templates: dict[str, Path]) -> None:
    council = tmp_path / "幸福里 社区"
    copy_tracked(templates["planned"], council)
    out = tmp_path / "site"
    result = invoke(council, "site", "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    folders = [p.name for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 1 and re.fullmatch(r"c-[0-9a-f]{10}", folders[0])


def test_the_output_is_never_the_data_folder(run: Cli, planned: str, folder: Path) -> None:
    run.refused("site", "-o", str(folder / "site"), because="site.out_in_data")
    run.refused("site", "-o", str(folder), because="site.out_in_data")
    assert not (folder / "site").exists()


def test_a_folder_that_is_not_a_site_is_refused(run: Cli, planned: str, tmp_path: Path
                                                ) -> None:
    other = tmp_path / "photos"
    other.mkdir()
    (other / "holiday.jpg").write_bytes(b"\xff\xd8")
    run.refused("site", "-o", str(other), because="site.out_not_site")
    assert [p.name for p in other.iterdir()] == ["holiday.jpg"]
    run.refused("site", "-o", str(other / "holiday.jpg"), because="site.out_not_folder")


def test_a_folder_without_councils_is_refused(run: Cli, planned: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    run.refused("site", "-o", str(tmp_path / "out"), "--council", str(empty),
                because="site.no_council")
    assert not (tmp_path / "out").exists()


# --- the recipe: the workflows build with the command the tests run -----------------------

def _run_lines(workflow: Path) -> list[str]:
    """The commands of a workflow's `run:` steps (one line each, or a `|` block)."""
    lines = workflow.read_text("utf-8").splitlines()
    out = []
    for index, line in enumerate(lines):
        found = re.match(r"^(\s*)(?:- )?run:\s*(.*)$", line)
        if not found:
            continue
        if found.group(2) not in ("|", ">"):
            out.append(found.group(2).strip())
            continue
        indent = None
        for more in lines[index + 1:]:
            if not more.strip():
                continue
            width = len(more) - len(more.lstrip())
            if indent is None:
                indent = width
            if width < indent or width <= len(found.group(1)):
                break
            out.append(more.strip())
    return out


SITE_COMMAND = "yiguan --dir meetings site -o public"
STREET_COMMAND = "yiguan site -o public --council councils"


@pytest.mark.parametrize("name", ["publish-site.yml", "publish-street.yml"])
def test_the_workflows_parse_and_build_with_the_tested_command(name: str) -> None:
    workflow = EXAMPLES / name
    text = workflow.read_text("utf-8")
    assert "\t" not in text  # YAML forbids tabs for indentation
    try:
        import yaml  # not a dependency: checked where it is installed
    except ImportError:
        yaml = None
    if yaml is not None:
        assert isinstance(yaml.safe_load(text), dict)
    builds = [line for line in _run_lines(workflow) if " site " in f" {line} "]
    assert len(builds) == 1
    assert builds[0] == (SITE_COMMAND if name == "publish-site.yml" else STREET_COMMAND)


def test_the_workflows_command_builds_the_bundled_site(bundled: Path, tmp_path: Path,
                                                       monkeypatch: Any) -> None:
    work = tmp_path / "repo"
    work.mkdir()
    bundled.rename(work / "meetings")
    monkeypatch.chdir(work)
    from typer.testing import CliRunner

    from yiguan.cli import make_app

    argv = shlex.split(SITE_COMMAND)[1:]
    result = CliRunner().invoke(make_app(argv), argv, env={"YIGUAN_LANG": ""})
    assert result.exit_code == 0, result.output
    assert (work / "public" / "index.html").is_file()
    assert (work / "public" / "meetings" / "m" / "2022-03-08.html").is_file()


def test_the_same_data_gives_the_same_bytes(run: Cli, site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    _build(run, again)
    first = {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {str(p.relative_to(again)): p.read_bytes() for p in again.rglob("*")
              if p.is_file()}
    assert first == second


def test_overdue_is_judged_on_the_clocks_day_by_default(run: Cli, opened: str, clock: Any,
                                                         tmp_path: Path) -> None:
    _hold_meeting(run)
    clock.set("2024-05-15 09:00")
    run.ok("site", "-o", str(tmp_path / "site"))
    actions = (tmp_path / "site" / "meetings" / "actions.html").read_text("utf-8")
    assert "截至2024年5月15日" in actions
    assert actions.count("state-overdue\"") == 0  # A2 is due on the 20th; A1 is done
    assert actions.count("state-open\"") == 1


def test_a_meeting_that_does_not_load_is_left_out_and_named(run: Cli, site: Path) -> None:
    broken = run.folder / "2024-06-01.toml"
    broken.write_text('title = "六月\n', "utf-8")
    result = run.ok("site", "-o", str(site), "--as-of", AS_OF)
    assert "2024-06-01" in result.stderr
    assert not (site / "meetings" / "m" / "2024-06-01.html").exists()
    assert (site / "meetings" / "m" / f"{MEETING}.html").is_file()


def test_the_output_never_holds_a_council_being_published(tmp_path: Path,
                                                          templates: dict[str, Path]) -> None:
    street = tmp_path / "street"
    copy_tracked(templates["planned"], street / "xingfuli")
    result = invoke(street / "xingfuli", "site", "-o", str(street), "--as-of", AS_OF)
    assert_refused(result, "site.out_in_data", path=str(street))
    assert sorted(p.name for p in street.iterdir()) == ["xingfuli"]


def test_a_broken_council_file_makes_nothing(run: Cli, planned: str, tmp_path: Path) -> None:
    (run.folder / "council.toml").write_text("name = \n", "utf-8")
    run.refused("site", "-o", str(tmp_path / "out"), because="format.syntax", in_file=True)
    assert not (tmp_path / "out").exists()


def test_a_council_no_longer_published_leaves_no_folder(tmp_path: Path,
                                                       templates: dict[str, Path]) -> None:
    street = tmp_path / "street"
    for name in ("xingfuli", "heping"):
        copy_tracked(templates["planned"], street / name)
    out = tmp_path / "site"
    assert invoke(street, "site", "-o", str(out), "--council", str(street)).exit_code == 0
    assert (out / "heping" / "m").is_dir()
    (street / "heping" / "council.toml").unlink()
    result = invoke(street, "site", "-o", str(out), "--council", str(street))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [".yiguan-site.json", "index.html",
                                                     "xingfuli"]
