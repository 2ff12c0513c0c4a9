"""Photos and scans in the record (影像资料, issue 23 part 4): `attach` copies a file into
the data folder's `files/`, named by its content, and records it as `[[attachment]]`;
a photo loses its location (EXIF GPS) first; `check` verifies every file; `undo` takes a
file nobody names any more away with the record; the minutes list the attachments and
the printed ones show the photos.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import os
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import MEETING, Cli
from yiguan.record import fileformat
from yiguan.record.kinds import Attachment
from yiguan.record.model import Meeting
from yiguan.render.document import Figure, words
from yiguan.render.formats import render_document
from yiguan.render.minutes import minutes_document, render_minutes
from yiguan.store import exif

# --- tiny files, built byte by byte ------------------------------------------------------

GPS_LATITUDE = (31, 1, 13_500, 1, 0, 1)  # 31°1'13.5"N: a home in 上海


def tiff(order: str = "<", gps: bool = True) -> bytes:
    """TIFF-structured EXIF: IFD0 with an orientation, a make and (`gps`) a GPS IFD
    holding a latitude (three RATIONALs, stored outside the entry)."""
    o = order
    head = (b"II" if o == "<" else b"MM") + struct.pack(o + "HI", 42, 8)
    entries = [(0x010F, 2, 6, None), (0x0112, 3, 1, 1)]  # Make (6 ASCII), Orientation
    if gps:
        entries.append((0x8825, 4, 1, None))
    ifd0_size = 2 + 12 * len(entries) + 4
    make_at = 8 + ifd0_size
    gps_at = make_at + 6
    gps_size = 2 + 12 * 2 + 4
    lat_at = gps_at + gps_size
    out = bytearray(head)
    out += struct.pack(o + "H", len(entries))
    for tag, kind, count, value in entries:
        if tag == 0x010F:
            out += struct.pack(o + "HHII", tag, kind, count, make_at)
        elif tag == 0x8825:
            out += struct.pack(o + "HHII", tag, kind, count, gps_at)
        else:
            out += struct.pack(o + "HHIHH", tag, kind, count, value, 0)
    out += struct.pack(o + "I", 0)
    out += b"Phone\x00"
    if gps:
        out += struct.pack(o + "H", 2)
        out += struct.pack(o + "HHI", 0x0001, 2, 2) + b"N\x00\x00\x00"  # GPSLatitudeRef
        out += struct.pack(o + "HHII", 0x0002, 5, 3, lat_at)  # GPSLatitude
        out += struct.pack(o + "I", 0)
        out += struct.pack(o + "6I", *GPS_LATITUDE)
    return bytes(out)


def jpeg(gps: bool = True, order: str = "<") -> bytes:
    """A JPEG's structure: SOI, APP1 Exif, a quantisation table, SOS, scan bytes, EOI."""
    exif_body = b"Exif\x00\x00" + tiff(order, gps)
    app1 = b"\xff\xe1" + struct.pack(">H", 2 + len(exif_body)) + exif_body
    dqt = b"\xff\xdb" + struct.pack(">H", 2 + 65) + bytes(65)
    return b"\xff\xd8" + app1 + dqt + b"\xff\xda\x00\x02scan-bytes\xff\xd9"


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png(gps: bool = True) -> bytes:
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    idat = png_chunk(b"IDAT", zlib.compress(b"\x00\x80"))
    return (b"\x89PNG\r\n\x1a\n" + ihdr + png_chunk(b"eXIf", tiff(">", gps)) + idat
            + png_chunk(b"IEND", b""))


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def has_latitude(data: bytes) -> bool:
    """Whether the latitude's numbers are anywhere in the bytes, in either order."""
    return any(struct.pack(o + "6I", *GPS_LATITUDE) in data for o in "<>")


def put(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "photos" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def files(run: Cli) -> list[str]:
    folder = run.folder / "files"
    return sorted(os.listdir(folder)) if folder.exists() else []


# --- the location, taken out -------------------------------------------------------------

@pytest.mark.parametrize("order", ["<", ">"])
def test_a_jpeg_loses_its_gps_ifd_and_keeps_the_rest(order: str) -> None:
    original = jpeg(order=order)
    assert has_latitude(original)
    stripped, removed = exif.strip_location(original, "jpg")
    assert removed and not has_latitude(stripped) and b"N\x00\x00\x00" not in stripped
    assert len(stripped) == len(original)  # nothing moved: every offset still holds
    assert stripped.endswith(b"\xff\xda\x00\x02scan-bytes\xff\xd9")  # the picture as it was
    tiff_bytes = bytearray(stripped[12:12 + len(tiff(order))])
    assert tiff_bytes[:2] == (b"II" if order == "<" else b"MM")
    count = struct.unpack_from(order + "H", tiff_bytes, 8)[0]
    tags = [struct.unpack_from(order + "H", tiff_bytes, 10 + 12 * i)[0] for i in range(count)]
    assert tags == [0x010F, 0x0112]  # the make and the orientation stay, the GPS pointer goes
    assert b"Phone\x00" in stripped
    assert not exif.strip_tiff(tiff_bytes)  # nothing more to take out


def test_a_jpeg_without_gps_comes_back_as_it_was() -> None:
    original = jpeg(gps=False)
    assert exif.strip_location(original, "jpg") == (original, False)


def test_exif_that_cannot_be_read_goes_whole() -> None:
    broken = b"Exif\x00\x00II*\x00\xff\xff\xff\x7f"
    data = (b"\xff\xd8\xff\xe1" + struct.pack(">H", 2 + len(broken)) + broken
            + b"\xff\xda\x00\x02xx\xff\xd9")
    stripped, removed = exif.strip_location(data, "jpg")
    assert removed and b"Exif" not in stripped and stripped.startswith(b"\xff\xd8\xff\xda")


def test_a_png_loses_the_gps_of_its_exif_chunk() -> None:
    stripped, removed = exif.strip_location(png(), "png")
    assert removed and not has_latitude(stripped)
    # every chunk's CRC is right again
    position = 8
    while position < len(stripped):
        length = struct.unpack_from(">I", stripped, position)[0]
        kind_body = stripped[position + 4:position + 8 + length]
        crc = struct.unpack_from(">I", stripped, position + 8 + length)[0]
        assert zlib.crc32(kind_body) & 0xFFFFFFFF == crc
        position += 12 + length
    assert exif.strip_location(png(gps=False), "png") == (png(gps=False), False)


# --- attach ------------------------------------------------------------------------------

def test_a_photo_is_stored_by_its_content_without_its_location(
        run: Cli, opened: str, tmp_path: Path) -> None:
    photo = put(tmp_path, "会场.JPG", jpeg())
    done = run.ok("attach", str(photo), "--caption", "议事会现场", "--public")
    stored = exif.strip_location(jpeg(), "jpg")[0]
    sha = hashlib.sha256(stored).hexdigest()
    assert files(run) == [f"{sha[:16]}.jpg"]
    assert (run.folder / "files" / f"{sha[:16]}.jpg").read_bytes() == stored
    assert not has_latitude(stored)
    assert photo.read_bytes() == jpeg()  # the original is left alone
    [record] = run.meeting().records(Attachment)
    assert record == Attachment(id="F1", name="会场.JPG", file=f"{sha[:16]}.jpg",
                                caption="议事会现场", size=len(stored), sha256=sha,
                                public=True, added=None)
    assert "已附上 F1：会场.JPG" in done.stdout and "可公开" in done.stdout
    assert "位置信息（GPS）已去除" in done.stdout
    text = run.meeting_bytes().decode()
    assert f'[[attachment]]\nid = "F1"\nname = "会场.JPG"\nfile = "{sha[:16]}.jpg"\n' in text
    assert run.ok("check").stdout.count("\n") >= 1


def test_scans_and_documents_are_private_unless_said(run: Cli, opened: str,
                                                     tmp_path: Path) -> None:
    run.ok("attach", str(put(tmp_path, "签到表.pdf", PDF)), "--caption", "签到表扫描件")
    done = run.ok("attach", str(put(tmp_path, "方案.docx", docx())))
    assert "GPS" not in done.stdout and "不公开" in done.stdout
    records = run.meeting().records(Attachment)
    assert [(r.id, r.public, r.caption) for r in records] == [
        ("F1", False, "签到表扫描件"), ("F2", False, None)]
    assert sorted(f.rsplit(".", 1)[1] for f in files(run)) == ["docx", "pdf"]


def test_attaching_after_the_close_is_follow_up_not_a_correction(
        run: Cli, opened: str, tmp_path: Path, clock: object) -> None:
    run.ok("close", "--at", "20:30")
    clock.set("2024-05-12 09:00")  # type: ignore[attr-defined]
    done = run.ok("attach", str(put(tmp_path, "合影.png", png())), "--caption", "会后合影",
                  "-m", MEETING)
    [record] = run.meeting().records(Attachment)
    assert record.added is not None and record.added.isoformat() == "2024-05-12"
    assert "会后补充（2024-05-12）" in done.stdout
    assert run.meeting().correction == []
    assert "更正说明" not in run.ok("minutes", "-m", MEETING).stdout
    run.ok("check")


def test_the_same_bytes_in_two_meetings_are_one_file(run: Cli, opened: str,
                                                     tmp_path: Path) -> None:
    photo = put(tmp_path, "a.jpg", jpeg())
    run.ok("attach", str(photo))
    run.ok("new", "六月居民议事会", "--date", "2024-06-10")
    run.ok("attach", str(photo), "-m", "2024-06-10")
    assert len(files(run)) == 1
    run.refused("attach", str(photo), "-m", MEETING, because="attach.duplicate",
                path="a.jpg", id="F1")


# --- refused, nothing written --------------------------------------------------------------

def test_a_missing_file_is_refused(run: Cli, opened: str, tmp_path: Path) -> None:
    gone = tmp_path / "nowhere.jpg"
    run.refused("attach", str(gone), because="attach.missing", path=str(gone))


def test_a_link_is_refused(run: Cli, opened: str, tmp_path: Path) -> None:
    link = tmp_path / "link.jpg"
    link.symlink_to(put(tmp_path, "real.jpg", jpeg()))
    run.refused("attach", str(link), because="attach.link", path=str(link))


def test_a_folder_or_a_pipe_is_refused(run: Cli, opened: str, tmp_path: Path) -> None:
    folder = tmp_path / "album.jpg"
    folder.mkdir()
    run.refused("attach", str(folder), because="attach.not_regular", path=str(folder))
    if hasattr(os, "mkfifo"):  # not on Windows
        fifo = tmp_path / "pipe.jpg"
        os.mkfifo(fifo)
        run.refused("attach", str(fifo), because="attach.not_regular", path=str(fifo))


def test_a_file_over_20_mb_is_refused(run: Cli, opened: str, tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:
        handle.write(PDF)
        handle.truncate(20 * 1024 * 1024 + 1)  # sparse: no 20 MB written; one byte over reads 20.1
    run.refused("attach", str(big), because="attach.too_large", path=str(big), size="20.1",
                most=20)


def test_heic_is_refused_with_how_to_convert(run: Cli, opened: str, tmp_path: Path) -> None:
    heic = put(tmp_path, "IMG_0001.HEIC", b"\x00\x00\x00\x18ftypheic" + bytes(20))
    done = run.refused("attach", str(heic), because="attach.heic", path=str(heic))
    assert "JPG" in done.stderr
    renamed = put(tmp_path, "IMG_0002.jpg", b"\x00\x00\x00\x18ftypheic" + bytes(20))
    run.refused("attach", str(renamed), because="attach.heic", path=str(renamed))


def test_other_types_are_refused(run: Cli, opened: str, tmp_path: Path) -> None:
    for name in ("notes.txt", "sheet.xlsx", "photo.gif", "README"):
        path = put(tmp_path, name, b"GIF89a" if name.endswith(".gif") else b"hello")
        run.refused("attach", str(path), because="attach.bad_type", path=str(path),
                    suffix=os.path.splitext(name)[1].lower() or "-")


def test_content_that_is_not_what_the_suffix_says_is_refused(
        run: Cli, opened: str, tmp_path: Path) -> None:
    for name, data in (("fake.jpg", b"hello"), ("photo.jpg", png()), ("scan.pdf", jpeg()),
                       ("zip.docx", b"PK\x03\x04broken"), ("cut.png", png()[:30])):
        path = put(tmp_path, name, data)
        run.refused("attach", str(path), because="attach.wrong_content", path=str(path),
                    suffix=os.path.splitext(name)[1])


def test_a_bad_caption_is_refused(run: Cli, opened: str, tmp_path: Path) -> None:
    path = put(tmp_path, "a.jpg", jpeg())
    run.refused("attach", str(path), "--caption", "一行\n两行", because="input.bad_text")


# --- check and undo ----------------------------------------------------------------------

def test_check_names_a_missing_or_changed_file(run: Cli, opened: str, tmp_path: Path) -> None:
    run.ok("attach", str(put(tmp_path, "会场.jpg", jpeg())))
    [name] = files(run)
    assert "没有问题" in run.ok("check").stdout
    stored = run.folder / "files" / name
    stored.write_bytes(stored.read_bytes() + b"edited")
    done = run("check")
    assert done.exit_code == 1
    assert f"附件 F1：文件 files/{name}（附上时名为「会场.jpg」）与附上时不同" in done.stdout
    stored.unlink()
    done = run("check")
    assert done.exit_code == 1
    assert f"附件 F1：文件 files/{name}（附上时名为「会场.jpg」）不见了" in done.stdout


def test_check_refuses_a_file_name_yiguan_never_gives(run: Cli, opened: str,
                                                      tmp_path: Path) -> None:
    run.ok("attach", str(put(tmp_path, "a.pdf", PDF)))
    [name] = files(run)
    path = run.meeting_path()
    path.write_text(path.read_text("utf-8").replace(name, "../council.toml"), "utf-8")
    done = run("check")
    assert done.exit_code == 1
    assert "附件 F1：「a.pdf」的记录有误：文件名 ../council.toml" in done.stdout


def test_check_mentions_a_file_nobody_names(run: Cli, opened: str, tmp_path: Path) -> None:
    run.ok("attach", str(put(tmp_path, "a.pdf", PDF)))
    stray = run.folder / "files" / "0123456789abcdef.jpg"
    stray.write_bytes(jpeg())
    done = run.ok("check")  # a warning: the record is right
    assert f"{stray}: 不是任何会议的附件" in done.stdout
    assert "没有问题（1 条提醒）" in done.stdout


def test_undo_takes_the_record_and_a_file_nobody_else_names(
        run: Cli, opened: str, tmp_path: Path) -> None:
    photo = put(tmp_path, "a.jpg", jpeg())
    before = run.meeting_bytes()
    run.ok("attach", str(photo))
    [name] = files(run)
    done = run.ok("undo")
    assert run.meeting_bytes() == before and files(run) == []
    assert f"附件文件 files/{name} 已不是任何会议的附件，一并删除" in done.stdout
    # named by another meeting too: the file stays
    run.ok("attach", str(photo))
    run.ok("new", "六月居民议事会", "--date", "2024-06-10")
    run.ok("attach", str(photo), "-m", "2024-06-10")
    done = run.ok("undo", "-m", "2024-06-10")
    assert files(run) == [name] and "一并删除" not in done.stdout
    run.ok("check")


def test_undo_keeps_a_file_a_meeting_that_does_not_parse_still_mentions(
        run: Cli, opened: str, tmp_path: Path) -> None:
    """A meeting file left with a merge's conflict markers is no TOML, yet it still names
    the photo: undoing the other meeting's attach must not remove the file."""
    photo = put(tmp_path, "a.jpg", jpeg())
    run.ok("attach", str(photo))
    [name] = files(run)
    run.ok("new", "六月居民议事会", "--date", "2024-06-10")
    run.ok("attach", str(photo), "-m", "2024-06-10")
    path = run.meeting_path()
    path.write_bytes(path.read_bytes() + b"<<<<<<< ours\noops = = broken\n")
    done = run.ok("undo", "-m", "2024-06-10")
    assert files(run) == [name] and "一并删除" not in done.stdout


def test_a_record_that_cannot_be_saved_leaves_no_file(
        run: Cli, opened: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from yiguan.store import folder

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device", "x.toml")

    monkeypatch.setattr(folder, "atomic_write", broken)
    done = run("attach", str(put(tmp_path, "a.pdf", PDF)))
    assert done.exit_code == 1 and "No space left" in done.stderr
    assert files(run) == []


# --- git: the attributes, and a merge -------------------------------------------------------

def attachment(number: int, data: bytes, caption: str) -> Attachment:
    sha = hashlib.sha256(data).hexdigest()
    return Attachment(id=f"F{number}", name=f"{caption}.jpg", file=f"{sha[:16]}.jpg",
                      caption=caption, size=len(data), sha256=sha, public=False)


def test_two_branches_attaching_different_files_keep_both() -> None:
    from test_merge import dump, merged_meeting, seed_meeting
    from yiguan.git.merge import merge

    base, ours, theirs = seed_meeting(), seed_meeting(), seed_meeting()
    ours.records(Attachment).append(attachment(1, b"room", "会场"))
    theirs.records(Attachment).append(attachment(1, b"sheet", "签到表"))
    result = merge(dump(base), dump(ours), dump(theirs))
    assert result.conflicts == 0
    merged = merged_meeting(result).records(Attachment)
    assert [(a.id, a.caption) for a in merged] == [("F1", "会场"), ("F2", "签到表")]
    # the same photo attached on both sides is one attachment
    theirs = seed_meeting()
    theirs.records(Attachment).append(attachment(1, b"room", "会场"))
    result = merge(dump(base), dump(ours), dump(theirs))
    assert result.conflicts == 0
    assert [a.caption for a in merged_meeting(result).records(Attachment)] == ["会场"]


@pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")
def test_git_setup_suggests_lfs_only_when_asked(tmp_path: Path) -> None:
    from conftest import git

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    run = Cli(repo / "meetings")
    run.ok("init", "--name", "测试议事会")
    run.ok("git-setup")
    attributes = repo / "meetings" / ".gitattributes"
    plain = attributes.read_text("utf-8")
    assert "lfs" not in plain
    done = run.ok("git-setup", "--lfs")
    assert attributes.read_text("utf-8") == (
        plain + "# yiguan: photos and scans (files/) in Git LFS (git lfs install)\n"
                "files/** filter=lfs diff=lfs merge=lfs -text\n")
    assert "git lfs install" in done.stdout
    run.ok("git-setup", "--lfs")
    assert attributes.read_text("utf-8").count("filter=lfs") == 1


# --- the minutes ---------------------------------------------------------------------------

GOLDEN = Path(__file__).resolve().parent / "golden"


def with_attachments() -> Meeting:
    """The bundled meeting (closed) with a photo of the room, a scan of the signed sheet
    and a photo added two days after the close."""
    meeting = fileformat.load_meeting((GOLDEN / "seed.toml").read_bytes(), "seed.toml")
    records = meeting.records(Attachment)
    records.append(attachment(1, png(gps=False), "议事会现场").copy(
        name="IMG_2041.png", file=f"{hashlib.sha256(png(gps=False)).hexdigest()[:16]}.png",
        public=True))
    records.append(Attachment(id="F2", name="签到表.pdf", file=f"{'0' * 16}.pdf",
                              size=len(PDF), sha256="0" * 64, public=False))
    records.append(attachment(3, b"later", "楼道清理后").copy(
        added=dt.date(2022, 3, 10)))
    return meeting


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_minutes_golden_with_attachments(lang: str) -> None:
    """附件 by caption (else the name), type and the date of one added after the close;
    never a code, a file name in files/ or a hash. Markdown shows no picture."""
    from conftest import check_golden
    from test_minutes import GOLDEN_VERSION

    text = render_minutes(with_attachments(), source="seed.toml", council="幸福里社区居民议事会",
                          lang=lang, version=GOLDEN_VERSION)
    check_golden(GOLDEN / f"attachments.minutes.{lang}.md", text)
    assert "F1" not in text and "0000" not in text and ".png" not in text


def test_minutes_without_attachments_have_no_such_section() -> None:
    meeting = fileformat.load_meeting((GOLDEN / "seed.toml").read_bytes(), "seed.toml")
    assert "附件" not in render_minutes(meeting, source="seed.toml")


def test_the_html_minutes_embed_the_photos_and_list_the_rest() -> None:
    meeting = with_attachments()
    photo = png(gps=False)
    doc = minutes_document(meeting, source="seed.toml", images={meeting.records(
        Attachment)[0].file: photo})
    page = render_document(doc, "html").decode()
    assert page.count("<img ") == 1  # the PDF is listed, the photo whose bytes are gone left out
    assert f'src="data:image/png;base64,{base64.b64encode(photo).decode()}"' in page
    assert "附件1　议事会现场" in page and "附：影像资料" in page
    assert page.index("附：影像资料") > page.index("（盖章）")  # an appendix, after the seal
    assert "break-before: page" in page


def test_the_word_minutes_embed_the_photos_as_wide_as_the_text(run: Cli, opened: str,
                                                               tmp_path: Path) -> None:
    import docx as python_docx

    run.ok("attach", str(put(tmp_path, "wide.png", wide_png(400, 300))), "--caption", "横幅")
    run.ok("attach", str(put(tmp_path, "tall.png", wide_png(100, 400))), "--caption", "竖幅")
    run.ok("attach", str(put(tmp_path, "签到表.pdf", PDF)))
    out = tmp_path / "minutes.docx"
    run.ok("minutes", "-o", str(out))
    word = python_docx.Document(str(out))
    shapes = word.inline_shapes
    assert len(shapes) == 2
    text_width = word.sections[0].page_width - word.sections[0].left_margin \
        - word.sections[0].right_margin
    assert abs(shapes[0].width - text_width) < 20_000  # as wide as the text (EMU)
    page_text = word.sections[0].page_height - word.sections[0].top_margin \
        - word.sections[0].bottom_margin
    assert shapes[1].height <= page_text * 0.8 + 1 and shapes[1].width < text_width
    captions = [p.text for p in word.paragraphs]
    assert "附件1　横幅" in captions and "附件2　竖幅" in captions
    assert not any("附件3" in c for c in captions)  # the PDF is listed, not embedded
    assert any("签到表.pdf（PDF 文件）" in c for c in captions)


def wide_png(width: int, height: int) -> bytes:
    """A real RGB picture of `width` × `height` (stripes), as PNG."""
    raw = b"".join(b"\x00" + bytes(v for x in range(width)
                                   for v in (x * 255 // width, 120, 200)) for _ in range(height))
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    return (b"\x89PNG\r\n\x1a\n" + ihdr + png_chunk(b"IDAT", zlib.compress(raw))
            + png_chunk(b"IEND", b""))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_printed_minutes_put_the_photos_on_pages_after_the_seal(fmt: str, tmp_path: Path) -> None:
    """As Chromium prints the HTML and LibreOffice lays out the Word file: the appendix
    starts on a page of its own after the seal, each photo on a page with its caption and
    within the page (pdfimages finds each once, no page holds half of one)."""
    from conftest import system_tool
    from test_pages import page_text, pages, pdf_of

    meeting = with_attachments()
    records = meeting.records(Attachment)
    wide, tall = wide_png(400, 300), wide_png(150, 400)
    records[0] = records[0].copy(file=f"{hashlib.sha256(wide).hexdigest()[:16]}.png")
    records[2] = records[2].copy(file=f"{hashlib.sha256(tall).hexdigest()[:16]}.png",
                                 name="tall.png", caption="竖幅照片")
    doc = minutes_document(meeting, source="seed.toml", council="幸福里社区居民议事会",
                           images={records[0].file: wide, records[2].file: tall})
    pdf = pdf_of(doc, fmt, tmp_path)
    count = pages(pdf)
    texts = [page_text(pdf, n) for n in range(1, count + 1)]
    seal = next(n for n, text in enumerate(texts) if "（盖章）" in text)
    assert texts[seal + 1].startswith("附：影像资料附件1议事会现场") or \
        texts[seal + 1].startswith("附：影像资料")
    assert "附件1议事会现场" in "".join(texts[seal + 1:])
    assert "附件3竖幅照片" in "".join(texts[seal + 1:])
    listing = subprocess.run([system_tool("pdfimages", "poppler-utils"), "-list", str(pdf)],
                             capture_output=True, text=True, check=True).stdout
    images = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    photos = [row for row in images if row[2] == "image" and int(row[3]) in (400, 150)]
    assert sorted(int(row[3]) for row in photos) == [150, 400], listing
    assert all(int(row[0]) > seal + 1 for row in photos), (seal, listing)


# --- corrections ---------------------------------------------------------------------------

def test_a_caption_is_fixed_and_an_attachment_struck_like_other_records(
        run: Cli, opened: str, tmp_path: Path) -> None:
    run.ok("attach", str(put(tmp_path, "a.pdf", PDF)), "--caption", "签到表")
    run.ok("fix", "F1", "--text", "签到表（扫描件）")
    assert run.meeting().records(Attachment)[0].caption == "签到表（扫描件）"
    run.ok("strike", "f1")
    assert run.meeting().records(Attachment) == []
    done = run.ok("check")  # the file stays (undo would take it back): mentioned
    assert "不是任何会议的附件" in done.stdout
    run.ok("undo")
    assert run.meeting().records(Attachment)[0].caption == "签到表（扫描件）"
    assert "没有问题" in run.ok("check").stdout and "提醒" not in run.ok("check").stdout


def test_a_picture_word_cannot_read_leaves_its_caption() -> None:
    """A JPEG whose structure yiguan accepted but python-docx cannot size: the caption
    stands alone rather than the minutes failing."""
    import docx as python_docx

    doc = minutes_document(with_attachments(), source="seed.toml")
    doc.blocks.append(Figure(jpeg(gps=False), "image/jpeg", words("附件9　读不出的照片")))
    word = python_docx.Document(io.BytesIO(render_document(doc, "docx")))
    assert len(word.inline_shapes) == 0
    assert "附件9　读不出的照片" in [p.text for p in word.paragraphs]


def test_xmp_that_says_where_goes_and_other_xmp_stays() -> None:
    def app1(body: bytes) -> bytes:
        return b"\xff\xe1" + struct.pack(">H", 2 + len(body)) + body

    xmp = exif.XMP_JPEG + b'<x:xmpmeta><rdf:Description exif:GPSLatitude="31,1.2N"/>'
    plain = exif.XMP_JPEG + b"<x:xmpmeta><rdf:Description dc:title='room'/>"
    scan = b"\xff\xda\x00\x02xx\xff\xd9"
    stripped, removed = exif.strip_location(b"\xff\xd8" + app1(xmp) + app1(plain) + scan, "jpg")
    assert removed and stripped == b"\xff\xd8" + app1(plain) + scan
    itxt = png_chunk(b"iTXt", exif.XMP_PNG + b"\x00\x00\x00\x00<GPSLatitude>31</GPSLatitude>")
    data = png(gps=False)
    with_xmp = data[:-12] + itxt + data[-12:]
    assert exif.strip_location(with_xmp, "png") == (data, True)


def test_the_word_minutes_are_the_same_bytes_each_time() -> None:
    meeting = with_attachments()
    doc = minutes_document(meeting, source="seed.toml",
                           images={meeting.records(Attachment)[0].file: wide_png(40, 30)})
    assert render_document(doc, "docx") == render_document(doc, "docx")
