"""A notice as images for a phone (issue 24 §3): `notice` (决议公示, 实施结果公示) and
`announce` (会议通知) with `--format png` or `-o FILE.png` write PNG images 1080 px wide,
at most 1920 px tall each, a long one as FILE-1.png, FILE-2.png …, cut only between
whole parts (render/to_png.py); the minutes and the sign-in sheet keep refusing .png.

The images come from the system Chromium (slow tests; skipped without it, failed with
CI=true, as conftest.system_browser has it). Their headers are read with the standard
library (struct, zlib), no Pillow. The type size is measured in the browser: every piece
of text of the phone page at least 32 px.
"""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from conftest import BUNDLED, Cli, require_cjk_font, snapshot, system_browser
from yiguan.cli.documents import page_paths
from yiguan.render import to_png
from yiguan.render.formats import BY_NAME, FORMATS, formats_for
from yiguan.render.to_html import PHONE_WIDTH, SMALLEST_PX, html
from yiguan.text.messages import Listed, locale

WIDE = {"COLUMNS": "400"}  # a usage error's panel on one line


def png_header(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, its CRC checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:8]
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    body = data[16:16 + length]
    (crc,) = struct.unpack(">I", data[16 + length:20 + length])
    assert zlib.crc32(kind + body) == crc
    width, height = struct.unpack(">II", body[:8])
    return width, height


def png_chunks(data: bytes) -> list[bytes]:
    """The chunk types of a PNG in order, each chunk's CRC checked; IEND last."""
    kinds, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert zlib.crc32(kind + data[at + 8:at + 8 + length]) == crc, kind
        kinds.append(kind)
        at += 12 + length
    assert kinds[-1] == b"IEND" and at == len(data)
    return kinds


# --- the cutting, without a browser -------------------------------------------------------------

def test_parts_fill_an_image_and_the_next_starts_with_a_whole_part() -> None:
    units = [(0.0, 100.0, False), (120.0, 500.0, False), (520.0, 900.0, False),
             (920.0, 1200.5, False)]
    assert to_png.regions(units, limit=950) == [(0, 900), (920, 1201)]


def test_a_heading_stays_with_what_follows() -> None:
    units = [(0.0, 400.0, False), (420.0, 480.0, True), (500.0, 900.0, False)]
    # the heading would fit on the first image, but not the paragraph after it
    assert to_png.regions(units, limit=600) == [(0, 400), (420, 900)]


def test_a_part_taller_than_an_image_is_an_image_of_its_own() -> None:
    units = [(0.0, 100.0, False), (110.0, 2000.0, False), (2010.0, 2100.0, False)]
    assert to_png.regions(units, limit=500) == [(0, 100), (110, 2000), (2010, 2100)]


def test_a_heading_too_big_to_keep_with_its_part_is_cut_from_it() -> None:
    units = [(0.0, 50.0, True), (60.0, 700.0, False)]
    assert to_png.regions(units, limit=600) == [(0, 50), (60, 700)]


def test_the_images_are_made_even() -> None:
    """Greedy, ten parts of 100 px would be six on the first image and four on the next;
    evened out, five and five (and never more images than greedy)."""
    units = [(110.0 * n, 110.0 * n + 100, False) for n in range(10)]
    assert len(to_png.regions(units, limit=700)) == 2
    assert to_png.balanced(units, limit=700) == [(0, 540), (550, 1090)]
    assert to_png.balanced(units[:3], limit=700) == [(0, 320)]


def test_images_are_numbered_after_the_file_only_when_there_are_several() -> None:
    assert page_paths(Path("out/公示.png"), 1) == [Path("out/公示.png")]
    assert page_paths(Path("out/公示.png"), 3) == [
        Path("out/公示-1.png"), Path("out/公示-2.png"), Path("out/公示-3.png")]
    assert page_paths(Path("公示"), 2) == [Path("公示-1"), Path("公示-2")]


def test_only_the_notices_offer_png() -> None:
    png = BY_NAME["png"]
    assert png.paged and png.binary and png.suffixes == (".png",)
    assert "png" not in FORMATS  # --format of minutes and sign-sheet
    for kind in ("notice", "results", "announce"):
        assert png in formats_for(kind)
    for kind in ("minutes", "sign-sheet"):
        assert png not in formats_for(kind)


def test_the_print_html_is_not_the_phone_html() -> None:
    """The phone's styles are added only to the phone page; the print page is unchanged
    (its goldens, tests/test_documents.py, hold it byte for byte)."""
    from test_documents import build

    doc = build("notice", "seed")
    assert "font-size: 40px" not in html(doc) and "@page" in html(doc)
    assert "font-size: 40px" in html(doc, phone=True) and "@page" not in html(doc, phone=True)


# --- refusals, before any browser runs ----------------------------------------------------------

def _suffixes(kind: str) -> Listed:
    return Listed([suffix for known in formats_for(kind) for suffix in known.suffixes])


@pytest.mark.parametrize("command, kind", [(["minutes"], "minutes"),
                                           (["sign-sheet"], "sign-sheet")])
def test_minutes_and_sign_sheet_refuse_png(run: Cli, opened: str, tmp_path: Path,
                                           command: list[str], kind: str) -> None:
    target = tmp_path / "记录.png"
    before = snapshot(run.folder)
    result = run(*command, "-o", str(target), env=WIDE)
    assert result.exit_code == 2, result.output
    said = locale("zh").say("documents.unknown_suffix", path=str(target),
                            suffixes=_suffixes(kind))
    assert said in result.stderr and ".png" not in said.split("」")[1]
    asked = run(*command, "-o", str(target), "--format", "png", env=WIDE)
    assert asked.exit_code == 2 and "md、html、docx、pdf 之一" in asked.stderr, asked.output
    assert not target.exists() and snapshot(run.folder) == before


@pytest.mark.parametrize("command", [["notice"], ["notice", "--results"], ["announce"]],
                         ids=" ".join)
@pytest.mark.parametrize("output", [None, "/dev/stdout", "/dev/null"])
def test_png_goes_only_into_a_file(run: Cli, opened: str, command: list[str],
                                   output: str | None) -> None:
    """Images (one or several) are files: not for the screen, a device or a pipe."""
    args = [*command, "--format", "png"] + (["-o", output] if output else [])
    run.refused(*args, because="documents.images_need_file", format="png")


def test_png_into_a_file_yiguan_keeps_is_refused(run: Cli, opened: str) -> None:
    run.refused("notice", "--format", "png", "-o", str(run.folder / "council.toml"),
                because="store.output_is_data")
    run.refused("announce", "-o", str(run.folder / ".yiguan" / "公示.png"),
                because="store.output_is_data")


def test_no_browser_is_said_in_one_line_and_nothing_is_written(
        run: Cli, opened: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("yiguan.render.to_png.find_browser", lambda: None)
    run.refused("notice", "-o", str(tmp_path / "公示.png"), because="documents.image_no_browser")
    assert list(tmp_path.glob("*.png")) == []


def test_the_help_says_png_needs_a_file(run: Cli) -> None:
    for command in ("notice", "announce"):
        shown = run.ok(command, "--help", env=WIDE).stdout
        assert "png" in shown and "-o" in shown
    assert "png" not in run.ok("minutes", "--help", env=WIDE).stdout


# --- the images, from the system Chromium -------------------------------------------------------

def _browser() -> None:
    system_browser()
    require_cjk_font()


def _council(tmp_path: Path) -> Cli:
    folder = tmp_path / "xingfuli"
    folder.mkdir()
    for name in ("council.toml", "2022-03-08.toml"):
        shutil.copy(BUNDLED / name, folder / name)
    return Cli(folder)


LONG = ("楼道堆物限期清理，电动自行车不得在楼道内停放和充电，由物业和楼组长共同督促落实，"
        "每月检查一次并在公告栏公布结果")


@pytest.fixture
def long_meeting(tmp_path: Path) -> Cli:
    """The bundled council with a closed meeting of sixteen long resolutions: a notice
    several phone screens long."""
    run = _council(tmp_path)
    run.ok("new", "十二月居民议事会", "--date", "2022-12-06", "--host", "王丽娟")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "lxy", "csz", "zzq", "mym", "zhx", "ysl",
           "--at", "19:00")
    run.ok("open", "--at", "19:05")
    for n in range(1, 17):
        run.ok("propose", f"第{n}项：{LONG}", "--by", "ly", "--second", "lxj",
               "--at", f"19:{10 + n}")
        run.ok("vote", f"M{n}", "--yes", "9", "--no", "1", "--at", f"19:{10 + n}")
    run.ok("close", "--at", "19:40")
    return run


def _images(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.png"))}


@pytest.mark.slow
@pytest.mark.parametrize("command", [["notice"], ["notice", "--results"], ["announce"]],
                         ids=" ".join)
def test_each_notice_is_images_1080_wide_a_screen_tall(tmp_path: Path,
                                                       command: list[str]) -> None:
    """The bundled meeting: its 决议公示 fits one image, named as -o says; its results
    notice (a table per resolution) and meeting notice (the 签收 table of 18 members)
    take more, numbered."""
    _browser()
    run = _council(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    before = snapshot(run.folder)
    said = run.ok(*command, "-o", str(out / "公示.png")).stdout
    images = _images(out)
    if command == ["notice"]:
        assert list(images) == ["公示.png"]
    else:
        assert list(images) == [f"公示-{n}.png" for n in range(1, len(images) + 1)]
    assert all(str(out / name) in said for name in images)
    for data in images.values():
        width, height = png_header(data)
        assert width == PHONE_WIDTH == 1080
        assert 2 * to_png.MARGIN < height <= to_png.PAGE_HEIGHT == 1920
        assert png_chunks(data)[0] == b"IHDR"
    assert snapshot(run.folder) == before


@pytest.mark.slow
def test_a_long_notice_is_several_images_each_a_screen_and_the_same_twice(
        long_meeting: Cli, tmp_path: Path) -> None:
    _browser()
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    said = long_meeting.ok("notice", "-o", str(first / "公示.png")).stdout
    images = _images(first)
    assert len(images) >= 3, list(images)
    assert list(images) == [f"公示-{n}.png" for n in range(1, len(images) + 1)]
    assert all(str(first / name) in said for name in images)
    for data in images.values():
        width, height = png_header(data)
        assert width == 1080 and height <= 1920
    heights = [png_header(data)[1] for data in images.values()]
    assert min(heights) > max(heights) // 2, heights  # evened out, no stray last image
    long_meeting.ok("notice", "--format", "png", "-o", str(second / "公示.png"))
    assert _images(second) == images, "Chromium gave other bytes for the same notice"


@pytest.mark.slow
def test_a_later_image_into_a_file_yiguan_keeps_refuses_them_all(
        long_meeting: Cli, tmp_path: Path) -> None:
    """`-o out/公示.png` with out/公示-2.png a link to council.toml: every image's name is
    asked about before the first is written, so nothing is."""
    _browser()
    out = tmp_path / "out"
    out.mkdir()
    (out / "公示-2.png").symlink_to(long_meeting.folder / "council.toml")
    long_meeting.refused("notice", "-o", str(out / "公示.png"), because="store.output_is_data")
    assert sorted(p.name for p in out.iterdir()) == ["公示-2.png"]


# --- the type size, measured in the browser -----------------------------------------------------

SMALLEST_TEXT = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let smallest = Infinity, node;
  while ((node = walker.nextNode())) {
    if (!node.textContent.trim()) continue;
    const size = parseFloat(getComputedStyle(node.parentElement).fontSize);
    smallest = Math.min(smallest, size);
  }
  return smallest;
}"""


@pytest.mark.slow
@pytest.mark.parametrize("document", ["notice", "results", "announce"])
@pytest.mark.parametrize("name", ["seed", "procedure", "hostile", "planned"])
def test_every_text_of_the_phone_page_is_32_px_or_more_and_nothing_is_wider(
        page: Any, document: str, name: str) -> None:
    from test_documents import INPUTS, build

    if name not in INPUTS:
        pytest.skip(f"no input {name}")
    doc = build(document, name)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": to_png.PAGE_HEIGHT})
    page.set_content(html(doc, phone=True))
    assert page.evaluate(SMALLEST_TEXT) >= SMALLEST_PX >= 32
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                         "'p.body, li')).fontSize)") >= 40
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
