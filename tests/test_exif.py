"""Where a photo was taken, in the places the first pass missed (review of issue 23 part 4):
a phone JPEG's second images (MPF / Ultra HDR), extended XMP, a PNG's XMP in any
textual chunk and ImageMagick's raw profiles, a hostile IFD0 pointing at two GPS IFDs.
Each file is built byte by byte with a place planted in it; the stored bytes are searched
for it, and the confirmation says "no location" only when there was none.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from conftest import Cli
from test_attach import GPS_LATITUDE, files, has_latitude, jpeg, png, png_chunk, put, tiff
from yiguan.store import exif

# a second place, so that each of two GPS IFDs can be looked for on its own
OTHER_LATITUDE = (22, 1, 32_250, 1, 0, 1)  # 22°32'25"N: 深圳
XMP_PLACE = b"31,1.225N"
XMP_GPS = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
           b'exif:GPSLatitude="31,1.225N" exif:GPSLongitude="121,28.5E"/></rdf:RDF>'
           b'</x:xmpmeta>')
XMP_PLAIN = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
             b'tiff:Orientation="1"/></rdf:RDF></x:xmpmeta>')


def segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", 2 + len(body)) + body


def exif_app1(order: str = "<", gps: bool = True) -> bytes:
    return segment(0xE1, b"Exif\x00\x00" + tiff(order, gps))


def mpf_app2() -> bytes:
    """An MPF index (its entries' offsets point at the second image): only its header
    matters here."""
    return segment(0xE2, b"MPF\x00" + b"II*\x00" + struct.pack("<I", 8) + bytes(40))


def found_in(data: bytes, latitude: tuple[int, ...] = GPS_LATITUDE) -> bool:
    return any(struct.pack(o + "6I", *latitude) in data for o in "<>")


def said_no_location(run: Cli, tmp_path: Path, name: str, data: bytes) -> tuple[bool, bytes]:
    """Attach `data`; whether the confirmation said there was no location, and the bytes
    stored."""
    done = run.ok("attach", str(put(tmp_path, name, data)))
    [stored] = [f for f in files(run) if f.endswith(name.rsplit(".", 1)[1])]
    no = "照片中没有位置信息（GPS）" in done.stdout
    assert no != ("位置信息（GPS）已去除" in done.stdout)
    return no, (run.folder / "files" / stored).read_bytes()


# --- a JPEG of more than one image -------------------------------------------------------

def phone_jpeg(second_gps: bool = True) -> tuple[bytes, bytes]:
    """An MPF / Ultra HDR photo: a primary image without GPS, whose MPF index points at a
    second JPEG (a gain or depth map) after its EOI carrying EXIF with a GPS IFD. Returns
    the whole file and the primary image as it should be kept (without the MPF index)."""
    scan = b"\xff\xda\x00\x02coded\xff\x00bytes\xff\xd0more\xff\xd9"
    kept = b"\xff\xd8" + exif_app1(gps=False) + segment(0xDB, bytes(65)) + scan
    whole = kept[:2] + mpf_app2() + kept[2:]
    return whole + jpeg(gps=second_gps), kept


def test_a_second_image_after_the_first_ones_end_is_cut() -> None:
    whole, kept = phone_jpeg()
    assert found_in(whole)
    stripped, removed = exif.strip_location(whole, "jpg")
    assert removed and stripped == kept and not found_in(stripped)
    assert b"MPF\x00" not in stripped and stripped.count(b"\xff\xd8") == 1


def test_a_second_image_without_a_place_is_cut_and_nothing_is_said_removed() -> None:
    whole, kept = phone_jpeg(second_gps=False)
    assert exif.strip_location(whole, "jpg") == (kept, False)


def test_a_progressive_jpeg_is_followed_scan_by_scan() -> None:
    """Tables and even EXIF between scans are segments like those before the first; a
    stuffed 0xFF00 or a restart marker in the coded bytes does not end a scan."""
    scans = (b"\xff\xda\x00\x02one\xff\x00\xff\xd3" + segment(0xC4, bytes(20))
             + exif_app1(">") + b"\xff\xda\x00\x02two\xff\xff\xd9")
    data = b"\xff\xd8" + segment(0xDB, bytes(65)) + scans + b"\xff\xd8" + exif_app1()
    stripped, removed = exif.strip_location(data, "jpg")
    assert removed and not found_in(stripped) and b"Phone\x00" in stripped
    assert stripped.endswith(b"two\xff\xff\xd9") and len(stripped) == len(data) - 2 - len(
        exif_app1())


def test_a_jpeg_cut_short_before_its_end_keeps_what_there_is() -> None:
    data = jpeg(gps=False)[:-2]
    assert exif.strip_location(data, "jpg") == (data, False)


def test_a_phone_photo_is_stored_without_the_place_of_its_second_image(
        run: Cli, opened: str, tmp_path: Path) -> None:
    whole, kept = phone_jpeg()
    no, stored = said_no_location(run, tmp_path, "IMG_0001.jpg", whole)
    assert not no and stored == kept and not found_in(stored)


def test_a_phone_photo_with_no_place_anywhere_says_so(
        run: Cli, opened: str, tmp_path: Path) -> None:
    whole, kept = phone_jpeg(second_gps=False)
    no, stored = said_no_location(run, tmp_path, "IMG_0002.jpg", whole)
    assert no and stored == kept


# --- extended XMP ------------------------------------------------------------------------

def extended_xmp(text: bytes, parts: int) -> list[bytes]:
    """XMP too large for one segment, its rest split over `parts` extension segments."""
    guid, size = b"0123456789ABCDEF0123456789ABCDEF", len(text)
    step = -(-size // parts)
    return [segment(0xE1, b"http://ns.adobe.com/xmp/extension/\x00" + guid
                    + struct.pack(">II", size, at) + text[at:at + step])
            for at in range(0, size, step)]


def test_extended_xmp_goes_and_says_so_even_split_across_the_word_gps() -> None:
    cut = XMP_GPS.index(b"GPSLatitude") + 2  # "…exif:GP" | "SLatitude…"
    main = segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP_PLAIN)
    rest = extended_xmp(XMP_GPS, 1)[0]
    # two segments split exactly inside "GPS"
    guid = b"0123456789ABCDEF0123456789ABCDEF"
    halves = [segment(0xE1, b"http://ns.adobe.com/xmp/extension/\x00" + guid
                      + struct.pack(">II", len(XMP_GPS), at) + part)
              for at, part in ((0, XMP_GPS[:cut]), (cut, XMP_GPS[cut:]))]
    for pieces in ([rest], halves):
        data = b"\xff\xd8" + main + b"".join(pieces) + b"\xff\xda\x00\x02xx\xff\xd9"
        stripped, removed = exif.strip_location(data, "jpg")
        assert removed and XMP_PLACE not in stripped and b"GPS" not in stripped
        assert stripped == b"\xff\xd8" + main + b"\xff\xda\x00\x02xx\xff\xd9"


def test_extended_xmp_without_a_place_goes_and_nothing_is_said_removed() -> None:
    data = b"\xff\xd8" + b"".join(extended_xmp(XMP_PLAIN, 2)) + b"\xff\xda\x00\x02xx\xff\xd9"
    assert exif.strip_location(data, "jpg") == (b"\xff\xd8\xff\xda\x00\x02xx\xff\xd9", False)


# --- a PNG's XMP and raw profiles --------------------------------------------------------

def raw_profile(name: bytes, payload: bytes) -> bytes:
    """ImageMagick's text: "\\n<name>\\n<length, 8 wide>\\n" then hex, 72 digits a line."""
    digits = payload.hex().encode()
    lines = b"\n".join(digits[at:at + 72] for at in range(0, len(digits), 72))
    return b"\n" + name + b"\n" + b"%8d" % len(payload) + b"\n" + lines + b"\n"


def text_chunk(kind: bytes, keyword: bytes, text: bytes) -> bytes:
    if kind == b"tEXt":
        body = keyword + b"\x00" + text
    elif kind == b"zTXt":
        body = keyword + b"\x00\x00" + zlib.compress(text)
    elif kind == b"iTXt":  # compressed
        body = keyword + b"\x00\x01\x00\x00\x00" + zlib.compress(text)
    else:  # iTXt, plain
        body = keyword + b"\x00\x00\x00\x00\x00" + text
        kind = b"iTXt"
    return png_chunk(kind, body)


def with_chunk(chunk: bytes) -> bytes:
    """`png(gps=False)` with `chunk` after its IHDR."""
    plain = png(gps=False)
    ihdr_end = 8 + 12 + 13
    return plain[:ihdr_end] + chunk + plain[ihdr_end:]


def every_text(data: bytes) -> bytes:
    """The PNG's bytes and every textual chunk's text inflated, to search for a place."""
    found, position = [data], 8
    while position < len(data):
        length = struct.unpack_from(">I", data, position)[0]
        kind = data[position + 4:position + 8]
        body = data[position + 8:position + 8 + length]
        if kind in (b"zTXt", b"iTXt"):
            for at in range(len(body)):
                try:
                    found.append(zlib.decompress(body[at:]))
                    break
                except zlib.error:
                    continue
        position += 12 + length
    return b"".join(found)


EXIF_PAYLOAD = b"Exif\x00\x00" + tiff(">")
KINDS = [b"tEXt", b"zTXt", b"iTXt", b"iTXt-plain"]


@pytest.mark.parametrize("kind", KINDS)
def test_png_xmp_mentioning_gps_goes_in_any_textual_chunk(kind: bytes) -> None:
    data = with_chunk(text_chunk(kind, b"XML:com.adobe.xmp", XMP_GPS))
    assert XMP_PLACE in every_text(data)
    stripped, removed = exif.strip_location(data, "png")
    assert removed and stripped == png(gps=False)
    assert XMP_PLACE not in every_text(stripped) and b"GPS" not in every_text(stripped)
    plain = with_chunk(text_chunk(kind, b"XML:com.adobe.xmp", XMP_PLAIN))
    assert exif.strip_location(plain, "png") == (plain, False)  # XMP without a place stays


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("keyword", [b"Raw profile type exif", b"Raw profile type APP1"])
def test_png_raw_exif_profiles_go(kind: bytes, keyword: bytes) -> None:
    data = with_chunk(text_chunk(kind, keyword, raw_profile(b"exif", EXIF_PAYLOAD)))
    planted = struct.pack(">6I", *GPS_LATITUDE).hex().encode()
    assert planted in every_text(data).replace(b"\n", b"")
    stripped, removed = exif.strip_location(data, "png")
    assert removed and stripped == png(gps=False)
    assert planted not in every_text(stripped).replace(b"\n", b"")
    assert not has_latitude(every_text(stripped))
    # one without a place goes as well (ImageMagick's copy), and nothing is said removed
    plain = with_chunk(text_chunk(kind, keyword, raw_profile(
        b"exif", b"Exif\x00\x00" + tiff(">", gps=False))))
    assert exif.strip_location(plain, "png") == (png(gps=False), False)


def test_png_raw_xmp_and_unreadable_profiles_go_and_count_as_a_place() -> None:
    xmp = with_chunk(text_chunk(b"zTXt", b"Raw profile type xmp", raw_profile(b"xmp", XMP_GPS)))
    assert exif.strip_location(xmp, "png") == (png(gps=False), True)
    broken = with_chunk(text_chunk(b"tEXt", b"Raw profile type exif", b"\nexif\n 4\nzz\n"))
    assert exif.strip_location(broken, "png") == (png(gps=False), True)
    bomb = png_chunk(b"zTXt", b"Raw profile type exif\x00\x00" + b"\x78\x9c\x00")
    assert exif.strip_location(with_chunk(bomb), "png") == (png(gps=False), True)


def test_a_png_with_raw_exif_profile_is_stored_without_it(
        run: Cli, opened: str, tmp_path: Path) -> None:
    data = with_chunk(text_chunk(b"zTXt", b"Raw profile type exif",
                                 raw_profile(b"exif", EXIF_PAYLOAD)))
    no, stored = said_no_location(run, tmp_path, "截图.png", data)
    assert not no and stored == png(gps=False)


# --- two GPS pointers in IFD0 ------------------------------------------------------------

def two_pointer_tiff(order: str) -> bytes:
    """IFD0: Make, GPS pointer, Orientation, GPS pointer, each pointer at its own GPS IFD
    with its own latitude."""
    o = order
    ifd0_at, count = 8, 4
    make_at = ifd0_at + 2 + 12 * count + 4
    gps_size = 2 + 12 + 4 + 24
    first_at, second_at = make_at + 6, make_at + 6 + gps_size
    out = bytearray((b"II" if o == "<" else b"MM") + struct.pack(o + "HI", 42, ifd0_at))
    out += struct.pack(o + "H", count)
    out += struct.pack(o + "HHII", 0x010F, 2, 6, make_at)
    out += struct.pack(o + "HHII", 0x8825, 4, 1, first_at)
    out += struct.pack(o + "HHIHH", 0x0112, 3, 1, 1, 0)
    out += struct.pack(o + "HHII", 0x8825, 4, 1, second_at)
    out += struct.pack(o + "I", 0) + b"Phone\x00"
    for at, latitude in ((first_at, GPS_LATITUDE), (second_at, OTHER_LATITUDE)):
        out += struct.pack(o + "H", 1) + struct.pack(o + "HHII", 0x0002, 5, 3, at + 18)
        out += struct.pack(o + "I", 0) + struct.pack(o + "6I", *latitude)
    return bytes(out)


@pytest.mark.parametrize("order", ["<", ">"])
def test_every_gps_pointer_of_ifd0_goes(order: str) -> None:
    original = two_pointer_tiff(order)
    assert found_in(original) and found_in(original, OTHER_LATITUDE)
    data = bytearray(original)
    assert exif.strip_tiff(data)
    assert not found_in(data) and not found_in(data, OTHER_LATITUDE)
    assert len(data) == len(original) and b"Phone\x00" in data
    count = struct.unpack_from(order + "H", data, 8)[0]
    tags = [struct.unpack_from(order + "H", data, 10 + 12 * i)[0] for i in range(count)]
    assert tags == [0x010F, 0x0112]
    assert struct.unpack_from(order + "I", data, 10 + 12 * count)[0] == 0  # next IFD
    assert not exif.strip_tiff(data)
    whole = b"\xff\xd8" + segment(0xE1, b"Exif\x00\x00" + original) + b"\xff\xda\x00\x02x\xff\xd9"
    stripped, removed = exif.strip_location(whole, "jpg")
    assert removed and not found_in(stripped) and not found_in(stripped, OTHER_LATITUDE)
