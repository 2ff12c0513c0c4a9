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
import shutil
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
    run.ok("done", "A1", "--on", MEETING)  # before AS_OF: done as of that day
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
            path, _, fragment = link.partition("#")
            target = (site / name).parent / path if path else site / name
            assert target.resolve().is_file(), (name, link)
            if fragment:  # a place on a page (a topic merged into another): it is there
                assert f'id="{fragment}"' in target.read_text("utf-8"), (name, link)
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
    run.ok("done", "A2", "-m", MEETING, "--on", MEETING)  # one meeting changed: an action done
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
    """Two councils kept as repo/meetings: each is named after its repository, whatever
    the order of --council; the index lists them by name, then by folder."""
    for side in ("b", "a"):
        copy_tracked(templates["planned"], tmp_path / side / "meetings")
    a, b = str(tmp_path / "a" / "meetings"), str(tmp_path / "b" / "meetings")
    made = {}
    for name, order in (("ab", (a, b)), ("ba", (b, a))):
        out = tmp_path / name
        result = invoke(tmp_path / "a" / "meetings", "site", "-o", str(out), "--council",
                        order[0], "--council", order[1], "--as-of", AS_OF)
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["a-meetings",
                                                                       "b-meetings"]
        made[name] = _pages(out)
    assert made["ab"] == made["ba"]
    index = made["ab"]["index.html"]
    assert index.index('href="a-meetings/index.html"') < index.index('href="b-meetings/index.html"')


def test_the_same_folder_given_twice_is_published_once(tmp_path: Path,
                                                       templates: dict[str, Path]) -> None:
    street = tmp_path / "street"
    for name in ("xingfuli", "heping"):
        copy_tracked(templates["planned"], street / name)
    out = tmp_path / "site"
    result = invoke(tmp_path, "site", "-o", str(out), "--council", str(street / "heping"),
                    "--council", str(street), "--council", str(street / "heping") + "/",
                    "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "议事会 2 个" in result.stdout
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["heping", "xingfuli"]
    # the global --dir and --council name one folder twice
    result = invoke(street / "heping", "--dir", str(street / "." / "heping"), "site", "-o",
                    str(out), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "议事会 1 个" in result.stdout


def test_a_district_folder_inside_a_street_office_is_named(tmp_path: Path,
                                                          templates: dict[str, Path]) -> None:
    street = tmp_path / "st4"
    copy_tracked(templates["planned"], street / "heping")
    copy_tracked(templates["planned"], street / "dist1" / "xingfuli")
    (street / "photos").mkdir()  # a plain folder: nothing to say
    out = tmp_path / "site"
    result = invoke(tmp_path, "site", "-o", str(out), "--council", str(street),
                    "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(warnings) == 1 and str(street / "dist1") in warnings[0], warnings
    assert "council.toml" in warnings[0]
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["heping"]


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
    import yaml  # the test extra's: the workflow is parsed as the CI host parses it

    steps = [step for job in yaml.safe_load(text)["jobs"].values() for step in job["steps"]]
    assert [step["run"] for step in steps if " site " in f" {step.get('run', '')} "] == [
        SITE_COMMAND if name == "publish-site.yml" else STREET_COMMAND]
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


# --- issue 23's cycle on the site: topics, every proposal, evaluations, photos, confirmation

APRIL, MAY = "2024-04-25", "2024-05-23"
WISHER = "欧阳娜娜"  # a resident who brought topics: never on any page of the site
PUBLIC_CAPTION, PRIVATE_CAPTION = "议事会现场照片", "签到表翻拍"


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A real PNG of one colour (a browser shows it)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    row = b"\0" + bytes(colour) * width
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def hold_cycle(run: Cli, tmp_path: Path, photo_bytes: bytes | None = None) -> None:
    """Four topics (one taken up in April, one merged into it, one declined, one still
    waiting), April's meeting adopting R1 on the topic, rejecting M2 and withdrawing M3,
    closed with a public photo and a private one, R1 carried out and evaluated by
    residents; May's meeting confirming April's minutes."""
    run.ok("topic", "add", "小区东门路灯坏了", "--from", WISHER, "--via", "心愿墙",
           "--date", "2024-04-02")
    run.ok("topic", "add", "楼道堆物影响通行", "--from", WISHER, "--via", "电话",
           "--date", "2024-04-05")
    run.ok("topic", "add", "楼道里堆满杂物", "--from", WISHER, "--via", "网格员",
           "--date", "2024-04-06")
    run.ok("topic", "merge", "T3", "--into", "T2")
    run.ok("topic", "add", "在小区空地养鸡", "--via", "线上", "--date", "2024-04-08")
    run.ok("topic", "reject", "T4", "--reason", "不属于议事会议事范围")
    run.ok("new", "四月居民议事会", "--date", APRIL, "--time", "19:30", "--place", "社区活动室",
           "--host", "王丽娟", "--recorder", "张敏")
    run.ok("agenda", "add", "--topic", "T2")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "lxy", "--at", "19:20")
    run.ok("open", "--at", "19:30")
    run.ok("propose", "限期两周清理楼道堆物", "--by", "ly", "--second", "lxj", "--at", "19:40")
    run.ok("vote", "M1", "--yes", "5", "--no", "0", "--at", "19:50")
    run.ok("propose", "楼道安装监控", "--by", "wjg", "--second", "zgl", "--at", "19:55")
    run.ok("vote", "M2", "--yes", "1", "--no", "3", "--abstain", "1", "--at", "20:00")
    run.ok("propose", "每户罚款五十元", "--by", "zgl", "--at", "20:02")
    run.ok("withdraw", "M3")
    run.ok("action", "张贴清理通知并逐户提醒", "--owner", "ly", "--due", "2024-05-10",
           "--motion", "M1", "--at", "20:05")
    run.ok("close", "--at", "20:30")
    photo, scan = tmp_path / "现场.png", tmp_path / "签到表.png"
    photo.write_bytes(photo_bytes or png(40, 24, (200, 60, 40)))
    scan.write_bytes(png(30, 30, (20, 20, 160)))
    run.ok("attach", str(photo), "--caption", PUBLIC_CAPTION, "--public", "-m", APRIL)
    run.ok("attach", str(scan), "--caption", PRIVATE_CAPTION, "-m", APRIL)
    run.ok("done", f"{APRIL}/A1", "--note", "5月8日前已清理完毕", "--on", "2024-05-08")
    run.ok("evaluate", f"{APRIL}/R1", "--satisfied", "30", "--basic", "5", "--unsatisfied", "2",
           "--date", "2024-06-20", "--how", "入户")
    run.ok("new", "五月居民议事会", "--date", MAY, "--time", "19:30", "--place", "社区活动室",
           "--host", "王丽娟", "--recorder", "张敏")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "lxy", "csz", "--at", "19:20")
    run.ok("open", "--at", "19:30")
    run.ok("confirm", APRIL, "--unanimous", "--at", "19:35")


@pytest.fixture
def cycle_site(run: Cli, tmp_path: Path) -> Path:
    hold_cycle(run, tmp_path)
    out = tmp_path / "cycle-site"
    run.ok("site", "-o", str(out), "--as-of", "2024-06-30")
    return out


def _photo_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.suffix in (".png", ".jpg"))


def test_the_topics_page_shows_each_topic_and_where_it_stands(cycle_site: Path) -> None:
    pages = _pages(cycle_site)
    topics = pages["meetings/topics.html"]
    for name in ("meetings/index.html", "meetings/ledger.html", "meetings/actions.html"):
        assert 'href="topics.html">议题征集</a>' in pages[name], name
    text = _visible(topics)
    assert "小区东门路灯坏了" in text and "待议" in text  # T1 waits
    assert "心愿墙" in text and "电话" in text and "网格员" in text and "线上" in text
    assert "2024年4月2日" in text
    # T2: listed at April's meeting (a link to its minutes), then adopted
    assert f'<a href="m/{APRIL}.html">2024年4月25日 四月居民议事会</a> 议题一' in topics
    assert "已列入" in text and "status-adopted" in topics
    assert re.search(r"不予列入\s*：不属于议事会议事范围", text)  # T4, with the reason
    assert '已合并至 <a href="#topic-2">楼道堆物影响通行</a>' in topics  # T3
    assert 'id="topic-2"' in topics


def test_no_topics_page_without_a_pool(site: Path) -> None:
    assert not (site / "meetings" / "topics.html").exists()
    assert "topics.html" not in "".join(_pages(site).values())


def test_no_page_names_the_resident_who_brought_a_topic(cycle_site: Path) -> None:
    assert (cycle_site / "meetings" / "topics.html").is_file()
    for path in sorted(cycle_site.rglob("*")):
        if path.is_file():
            assert WISHER.encode("utf-8") not in path.read_bytes(), path


def test_the_cycle_site_links_resolve_and_show_no_code(cycle_site: Path) -> None:
    test_every_link_resolves_to_a_file_of_the_site(cycle_site)
    test_no_page_shows_a_records_code(cycle_site)


def test_a_meeting_page_shows_the_public_photo_only(cycle_site: Path, folder: Path) -> None:
    minutes = _pages(cycle_site)[f"meetings/m/{APRIL}.html"]
    (photo,) = _photo_files(cycle_site)
    assert photo.parent == cycle_site / "meetings" / "m" / APRIL
    assert f'<img src="{APRIL}/{photo.name}"' in minutes and PUBLIC_CAPTION in minutes
    assert 'width="40" height="24" loading="lazy"' in minutes  # its room kept before it loads
    stored = {p.name: p.read_bytes() for p in (folder / "files").iterdir()}
    assert photo.read_bytes() == stored[photo.name]  # the photo as stored, EXIF-free
    for path in cycle_site.rglob("*"):  # the scan is nowhere: not its caption, not its bytes
        if path.is_file():
            data = path.read_bytes()
            assert PRIVATE_CAPTION.encode("utf-8") not in data, path
            for name, kept in stored.items():
                if name != photo.name:
                    assert kept not in data, path
    manifest = json.loads((cycle_site / ".yiguan-site.json").read_text("utf-8"))
    assert f"meetings/m/{APRIL}/{photo.name}" in manifest["files"]


def test_a_changed_or_missing_photo_is_left_out_with_a_warning(run: Cli, cycle_site: Path,
                                                              folder: Path) -> None:
    (photo,) = _photo_files(cycle_site)
    stored = folder / "files" / photo.name
    original = stored.read_bytes()
    stored.write_bytes(png(40, 24, (0, 0, 0)))  # changed by hand: `check` names it
    result = run.ok("site", "-o", str(cycle_site), "--as-of", "2024-06-30")
    assert PUBLIC_CAPTION in result.output and "yiguan check" in result.output
    minutes = (cycle_site / "meetings" / "m" / f"{APRIL}.html").read_text("utf-8")
    assert "<img" not in minutes and _photo_files(cycle_site) == []
    stored.unlink()  # missing: the same
    result = run.ok("site", "-o", str(cycle_site), "--as-of", "2024-06-30")
    assert PUBLIC_CAPTION in result.output and _photo_files(cycle_site) == []
    stored.write_bytes(original)  # put right: the next build shows it again
    result = run.ok("site", "-o", str(cycle_site), "--as-of", "2024-06-30")
    assert PUBLIC_CAPTION not in result.output and _photo_files(cycle_site) == [photo]
    assert "<img" in (cycle_site / "meetings" / "m" / f"{APRIL}.html").read_text("utf-8")


def test_the_ledger_page_lists_every_proposal(cycle_site: Path) -> None:
    ledger = _pages(cycle_site)["meetings/ledger.html"]
    text = _visible(ledger)
    assert "全部议案" in text
    every = text[text.index("全部议案"):]
    for motion, status in (("限期两周清理楼道堆物", "通过"), ("楼道安装监控", "未通过"),
                           ("每户罚款五十元", "撤回")):
        assert motion in every
        assert re.search(rf"{motion}\s*{status}", every), motion
    assert "议题一：楼道堆物影响通行" in every
    assert "来源：电话（2024-04-05）" in every  # the topic's way in and day, no name
    # the adopted resolution stands out: first in the ledger, marked in the list
    assert text.index("限期两周清理楼道堆物") < text.index("全部议案")
    assert 'status-adopted">通过' in ledger and 'status-rejected">未通过' in ledger


def test_the_residents_evaluation_is_shown(cycle_site: Path) -> None:
    pages = _pages(cycle_site)
    words = "满意 30 人、基本满意 5 人、不满意 2 人，满意率 81.1%"
    assert words in _visible(pages["meetings/ledger.html"])
    assert "入户走访" in pages["meetings/ledger.html"]
    assert words in _visible(pages[f"meetings/m/{APRIL}-results.html"])


def test_confirmed_minutes_end_with_the_confirmation(cycle_site: Path) -> None:
    pages = _pages(cycle_site)
    assert "本记录经2024年5月23日“五月居民议事会”确认。" in pages[f"meetings/m/{APRIL}.html"]
    assert "本记录经" not in pages[f"meetings/m/{MAY}.html"]


def test_a_confirmation_makes_the_earlier_minutes_again(run: Cli, tmp_path: Path) -> None:
    hold_cycle(run, tmp_path)
    run.ok("undo", "-m", MAY)  # the confirmation taken back
    out = tmp_path / "s"
    run.ok("site", "-o", str(out), "--as-of", "2024-06-30")
    assert "本记录经" not in (out / "meetings" / "m" / f"{APRIL}.html").read_text("utf-8")
    run.ok("confirm", APRIL, "--unanimous", "--at", "19:36", "-m", MAY)
    run.ok("site", "-o", str(out), "--as-of", "2024-06-30")
    assert "本记录经" in (out / "meetings" / "m" / f"{APRIL}.html").read_text("utf-8")


def test_a_new_topic_rewrites_the_topics_page_not_the_meetings(run: Cli,
                                                               cycle_site: Path) -> None:
    old = 1_000_000_000
    for path in cycle_site.rglob("*"):
        os.utime(path, (old, old))
    run.ok("topic", "add", "增设电动车充电桩", "--via", "来访", "--date", "2024-06-25")
    said = run.ok("site", "-o", str(cycle_site), "--as-of", "2024-06-30").stdout
    changed = sorted(str(p.relative_to(cycle_site)) for p in cycle_site.rglob("*")
                     if p.is_file() and p.stat().st_mtime != old and p.name[0] != ".")
    assert changed == ["meetings/topics.html"]
    assert "写入 1 个文件" in said
    assert "增设电动车充电桩" in (cycle_site / "meetings" / "topics.html").read_text("utf-8")


def test_a_broken_topics_file_leaves_the_topics_out_with_a_warning(run: Cli, cycle_site: Path,
                                                                   folder: Path) -> None:
    (folder / "topics.toml").write_text("[[topic]]\nid = 3\n", "utf-8")
    result = run.ok("site", "-o", str(cycle_site), "--as-of", "2024-06-30")
    assert "topics.toml" in result.output and "yiguan check" in result.output
    assert not (cycle_site / "meetings" / "topics.html").exists()
    assert "topics.html" not in "".join(_pages(cycle_site).values())
    assert "全部议案" in (cycle_site / "meetings" / "ledger.html").read_text("utf-8")


def test_a_pictures_size_is_read_from_its_header() -> None:
    from yiguan.site.pages import image_size

    assert image_size(png(40, 24, (1, 2, 3))) == (40, 24)
    frame = b"\xff\xc0\x00\x11\x08\x01\x2c\x01\x90\x03"  # SOF0: 300 high, 400 wide
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    assert image_size(b"\xff\xd8" + app0 + frame) == (400, 300)
    assert image_size(b"\xff\xd8" + app0 + b"\xff\xda\x00\x08") is None  # no frame
    assert image_size(b"\xff\xd8\xff") is None and image_size(b"GIF89a") is None


def test_the_public_corrections_name_no_resident_and_no_private_attachment(
        run: Cli, opened: str, tmp_path: Path) -> None:
    """A speech's speaker corrected from a resident to a member and back, and a private
    scan's caption corrected after the close: the 更正说明 of the public edition says
    居民 and names no attachment; the signed minutes keep both."""
    from test_attach import png

    run.ok("sign", RESIDENT, "--guest", "--at", "19:33")
    run.ok("speak", RESIDENT, "楼道里的纸箱该清走了", "--at", "19:35")
    run.ok("speak", "王建国", "同意", "--at", "19:36")
    scan = tmp_path / "scan.png"
    scan.write_bytes(png(gps=False))
    run.ok("attach", str(scan), "--caption", "王阿姨家门口漏水")
    run.ok("close", "--at", "20:00")
    run.ok("fix", "S1", "--by", "王建国", "--why", "记错人", "-m", MEETING)
    run.ok("fix", "S2", "--by", RESIDENT, "--why", "记错人", "-m", MEETING)
    run.ok("fix", "F1", "--text", "门口漏水照片", "--why", "说明改简", "-m", MEETING)
    out = tmp_path / "site"
    _build(run, out)
    for name, text in _pages(out).items():
        visible = _visible(text)
        assert RESIDENT not in visible, name
        assert "漏水" not in visible, name
    page = next(text for name, text in _pages(out).items() if name.endswith(f"{MEETING}.html"))
    assert "补充或更正了附件" in _visible(page) and "居民" in _visible(page)
    signed = run.ok("minutes").stdout
    assert RESIDENT in signed and "王阿姨家门口漏水" in signed


def test_a_phone_hand_edited_into_a_topic_never_reaches_the_site(run: Cli, planned: str,
                                                                 tmp_path: Path) -> None:
    """`topic add` and `topic reject` refuse a phone; one written into topics.toml by
    hand (`check` warns of it) is withheld from the topics page, text and reason."""
    run.ok("topic", "add", "东门路灯坏了", "--via", "心愿墙", "--date", "2024-04-02")
    run.ok("topic", "add", "楼道堆物", "--date", "2024-04-03")
    run.ok("topic", "reject", "T2", "--reason", "已转物业")
    path = run.folder / "topics.toml"
    text = path.read_text("utf-8").replace("东门路灯坏了", "东门路灯坏了，请回电13812345678")
    path.write_text(text.replace("已转物业", "已转物业，联系13987654321"), "utf-8")
    checked = run.ok("check").stdout  # warnings, named by topic
    assert "T1 的内容里似乎有电话号码" in checked and "T2 的不予列入理由里" in checked
    out = tmp_path / "site"
    _build(run, out)
    pages = _pages(out)
    assert not any("13812345678" in page or "13987654321" in page for page in pages.values())
    topics_page = next(page for name, page in pages.items() if name.endswith("topics.html"))
    assert "未公开" in _visible(topics_page) and "不予列入" in _visible(topics_page)


# --- review of issue 24 §1: links out of the site, Ctrl-C, owners, done after the day ----

def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_a_link_where_the_site_keeps_a_council_is_refused(tmp_path: Path,
                                                          templates: dict[str, Path]) -> None:
    """A council's folder of the site replaced by a link to another folder: the rebuild
    neither removes the pages there (the council is gone) nor writes into it."""
    street = tmp_path / "street"
    for name in ("xingfuli", "heping"):
        copy_tracked(templates["planned"], street / name)
    out = tmp_path / "site"
    assert invoke(street, "site", "-o", str(out), "--council", str(street)).exit_code == 0
    victim = tmp_path / "victim"
    shutil.copytree(out / "heping", victim)
    before, site_before = _tree(victim), _tree(out)
    shutil.rmtree(out / "heping")
    (out / "heping").symlink_to(victim, target_is_directory=True)
    (street / "heping" / "council.toml").unlink()  # heping's pages are to be removed
    result = invoke(street, "site", "-o", str(out), "--council", str(street))
    assert_refused(result, "site.out_link", path=str(out / "heping"))
    assert _tree(victim) == before
    del site_before["heping/index.html"]
    assert {k: v for k, v in _tree(out).items() if not k.startswith("heping/")} == {
        k: v for k, v in site_before.items() if not k.startswith("heping/")}
    # the council still published: nothing written through the link either
    copy_tracked(templates["planned"], street / "heping")
    result = invoke(street, "site", "-o", str(out), "--council", str(street))
    assert_refused(result, "site.out_link", path=str(out / "heping"))
    assert _tree(victim) == before


def test_a_link_inside_a_councils_folder_is_refused(run: Cli, site: Path,
                                                    tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine", "utf-8")
    shutil.rmtree(site / "meetings" / "m")
    (site / "meetings" / "m").symlink_to(victim, target_is_directory=True)
    manifest = (site / ".yiguan-site.json").read_bytes()
    result = run("site", "-o", str(site), "--as-of", AS_OF)
    assert_refused(result, "site.out_link", path=str(site / "meetings" / "m"))
    assert sorted(p.name for p in victim.iterdir()) == ["keep.txt"]
    assert (site / ".yiguan-site.json").read_bytes() == manifest
    # a page that is a link is refused as well
    (site / "meetings" / "m").unlink()
    (site / "meetings" / "ledger.html").unlink()
    (site / "meetings" / "ledger.html").symlink_to(victim / "keep.txt")
    result = run("site", "-o", str(site), "--as-of", AS_OF)
    assert_refused(result, "site.out_link", path=str(site / "meetings" / "ledger.html"))
    assert (victim / "keep.txt").read_text("utf-8") == "mine"


def test_an_interrupted_first_build_is_completed_by_the_next(
        run: Cli, opened: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C after the first page: one line, exit 130; the folder is known as a site
    (its manifest came first) and the next build completes it."""
    from yiguan.site import build

    _hold_meeting(run)
    whole = tmp_path / "whole"
    _build(run, whole)
    put = build.Writer.put
    count = [0]

    def interrupted(self: build.Writer, rel: str, data: bytes) -> None:
        count[0] += 1
        if count[0] > 2:
            raise KeyboardInterrupt
        put(self, rel, data)

    monkeypatch.setattr(build.Writer, "put", interrupted)
    out = tmp_path / "site"
    result = run("site", "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 130, result.output
    assert result.stderr.strip().splitlines() == [
        "已中断：网站尚未生成完，再次运行同一命令即可补全"]
    assert 0 < len(_pages(out)) < len(_pages(whole))
    assert json.loads((out / ".yiguan-site.json").read_text("utf-8"))["generator"] == "yiguan"
    monkeypatch.setattr(build.Writer, "put", put)
    _build(run, out)
    assert _pages(out) == _pages(whole)


def test_the_workers_leave_ctrl_c_to_the_parent() -> None:
    import signal

    from yiguan.site import build

    before = signal.getsignal(signal.SIGINT)
    try:
        build._worker_start()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
        import gc
        gc.enable()


def test_the_parallel_build_hands_out_little_and_forks_deaf_to_ctrl_c() -> None:
    """Interrupted, the pool is left with no more than a chunk per worker and one to
    finish; the workers are forked with Ctrl-C ignored (no worker dies halfway through a
    message); no future is cancelled under the pool (no InvalidStateError)."""
    import signal
    from concurrent.futures import Future

    from yiguan.site import build

    class Pool:
        def __init__(self) -> None:
            self.submitted: list[Future[Any]] = []
            self.handlers: list[Any] = []

        def submit(self, fn: Any, chunk: list[int]) -> Future[Any]:
            self.handlers.append(signal.getsignal(signal.SIGINT))
            future: Future[Any] = Future()
            future.set_result(chunk)
            self.submitted.append(future)
            return future

    pool = Pool()
    made = build._rendered(pool, list(range(1000)), 2)  # type: ignore[arg-type]
    taken = [next(made) for _ in range(5)]
    assert taken == [0, 1, 2, 3, 4]
    made.close()  # interrupted here
    assert len(pool.submitted) == 4  # three in hand at any time (two workers, one more)
    assert pool.handlers[:3] == [signal.SIG_IGN] * 3
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert not any(f.cancelled() for f in pool.submitted)


def test_a_resident_made_owner_is_not_named(run: Cli, opened: str, tmp_path: Path) -> None:
    run.ok("sign", RESIDENT, "--guest", "--at", "19:33")
    run.ok("sign", "周社工", "--guest", "--org", "街道社工站", "--at", "19:34")
    run.ok("action", "联系物业清运", "--owner", RESIDENT, "--at", "19:46")
    run.ok("action", "上门走访", "--owner", "周社工", "--at", "19:47")
    run.ok("action", "张贴通知", "--owner", "王建国", "--at", "19:48")
    run.ok("close", "--at", "20:30")
    out = tmp_path / "site"
    _build(run, out)
    # every page: the follow-up, the public minutes and the site's results notice
    for name, text in _pages(out).items():
        assert RESIDENT not in text, name
    actions = _visible(_pages(out)["meetings/actions.html"])
    assert "周社工" in actions and "王建国" in actions and "居民" in actions
    results = _visible(next(text for name, text in _pages(out).items()
                            if name.endswith("-results.html")))
    assert "周社工" in results and "居民" in results
    # the printed results notice names whom the council charged
    assert RESIDENT in run.ok("notice", "--results").stdout


def test_work_done_after_the_sites_day_is_not_done_on_it(run: Cli, opened: str,
                                                        tmp_path: Path) -> None:
    run.ok("action", "清理楼道", "--owner", "王建国", "--due", "2024-05-20", "--at", "19:46")
    run.ok("action", "张贴通知", "--owner", "刘艳", "--at", "19:47")
    run.ok("close", "--at", "20:30")
    run.ok("done", "A1", "-m", MEETING, "--on", MEETING)
    path = run.meeting_path()  # done on days after the site's day (as a later edit says)
    text = path.read_text("utf-8").replace(f"done_on = {MEETING}", "done_on = 2024-06-15")
    path.write_text(text, "utf-8")
    run.ok("done", "A2", "-m", MEETING, "--on", MEETING)
    out = tmp_path / "site"
    _build(run, out)  # as of 2024-06-01: A1 overdue, A2 done
    actions = _pages(out)["meetings/actions.html"]
    assert actions.count('state-overdue"') == 1 and actions.count('state-done"') == 1
    run.ok("site", "-o", str(out), "--as-of", "2024-06-20")
    actions = _pages(out)["meetings/actions.html"]
    assert actions.count('state-done"') == 2 and 'state-overdue"' not in actions
