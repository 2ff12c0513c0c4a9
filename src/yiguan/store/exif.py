"""Where a photo was taken, taken out of it: the GPS of a JPEG's or a PNG's EXIF.

A phone writes the place of every photo into it (EXIF's GPS IFD), and a photo of a
resident's home says where that home is. `strip_location` returns the photo's bytes with
the GPS IFD gone (its entry in IFD0 removed, its own bytes and values zeroed) and every
other byte as it was: the picture, its orientation and the camera's other notes stay. XMP
packets that mention GPS go whole, and so do a JPEG's extended XMP segments and a PNG's
ImageMagick "Raw profile type …" chunks (hex copies of EXIF, XMP, 8BIM). A JPEG keeps its
primary image only: what follows its end (a phone's MPF / Ultra HDR second images, depth
and gain maps, each with EXIF of its own) is cut. EXIF that cannot be read as TIFF is
dropped whole: what cannot be read cannot be shown to hold no place. Whether anything was
taken out is said only when a place was (or may have been) in what went. Byte level, no
imaging library: the picture itself is never decoded or re-encoded.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable

GPS_POINTER = 0x8825  # IFD0's entry pointing at the GPS IFD
# bytes per value of each TIFF field type (1 BYTE … 13 IFD)
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8,
              13: 4}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EXIF_HEADER = b"Exif\x00\x00"
XMP_JPEG = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_PNG = b"XML:com.adobe.xmp\x00"
XMP_EXTENSION = b"http://ns.adobe.com/xmp/extension/\x00"  # then GUID (32), length, offset
MPF_HEADER = b"MPF\x00"
RAW_PROFILE = b"raw profile type "  # ImageMagick's keyword for a profile kept as hex
MOST_TEXT = 64 * 1024 * 1024  # a textual chunk inflating past this is not read
# in a scan's coded bytes 0xFF is followed by 0x00 (a stuffed byte) or a restart marker;
# anything else (after any fill bytes) is the next marker
SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
# XMP's exif:GPSLatitude, GPSDestLongitude …, looked for in bytes that are not all XMP
TIFF_HEADERS = (b"II*\x00", b"MM\x00*")
XMP_COORDINATE = re.compile(rb"GPS[A-Za-z]*L(?:at|ong)itude")


class Unreadable(ValueError):
    """EXIF (or an image's structure) that is not what its format says."""


def strip_location(data: bytes, kind: str) -> tuple[bytes, bool]:
    """The image without where it was taken, and whether anything was taken out.
    `kind`: "jpg" or "png" (other kinds come back as they are). Raises Unreadable when
    the file's own structure is broken (not its EXIF: that is dropped)."""
    if kind == "jpg":
        return _strip_jpeg(data)
    if kind == "png":
        return _strip_png(data)
    return data, False


def strip_tiff(tiff: bytearray) -> bool:
    """Remove the GPS IFD of TIFF-structured EXIF, in place; whether there was one.
    Raises Unreadable when the structure is not sound."""
    if len(tiff) < 8 or bytes(tiff[:2]) not in (b"II", b"MM"):
        raise Unreadable("no TIFF header")
    order = "<" if tiff[:2] == b"II" else ">"

    def u16(at: int) -> int:
        if at < 0 or at + 2 > len(tiff):
            raise Unreadable("outside the EXIF")
        return int(struct.unpack_from(order + "H", tiff, at)[0])

    def u32(at: int) -> int:
        if at < 0 or at + 4 > len(tiff):
            raise Unreadable("outside the EXIF")
        return int(struct.unpack_from(order + "I", tiff, at)[0])

    if u16(2) != 42:
        raise Unreadable("not TIFF")
    ifd0 = u32(4)
    count = u16(ifd0)
    end = ifd0 + 2 + 12 * count
    u32(end)  # the next IFD's offset is inside
    removed, index = False, 0
    while index < count:  # every GPS pointer: a hostile IFD0 may hold more than one
        entry = ifd0 + 2 + 12 * index
        if u16(entry) != GPS_POINTER:
            index += 1
            continue
        gps = u32(entry + 8)
        _zero_ifd(tiff, gps, u16, u32)
        # the entry out of IFD0: those after it move up, then the next IFD's offset,
        # and the twelve bytes left over are zeroed; nothing else moves
        next_ifd = bytes(tiff[end:end + 4])
        tiff[entry:end - 12] = tiff[entry + 12:end]
        tiff[end - 12:end - 8] = next_ifd
        tiff[end - 8:end + 4] = bytes(12)
        count, end, removed = count - 1, end - 12, True
        struct.pack_into(order + "H", tiff, ifd0, count)
    return removed


def _zero_ifd(tiff: bytearray, at: int, u16: Callable[[int], int],
              u32: Callable[[int], int]) -> None:
    """Zero an IFD and the values it points at (each within the EXIF, or Unreadable)."""
    count = u16(at)
    end = at + 2 + 12 * count + 4
    if end > len(tiff):
        raise Unreadable("GPS IFD outside the EXIF")
    for index in range(count):
        entry = at + 2 + 12 * index
        size = TYPE_SIZES.get(u16(entry + 2))
        if size is None:
            raise Unreadable("unknown field type")
        length = size * u32(entry + 4)
        if length > 4:
            offset = u32(entry + 8)
            if offset + length > len(tiff):
                raise Unreadable("GPS value outside the EXIF")
            tiff[offset:offset + length] = bytes(length)
    tiff[at:end] = bytes(end - at)


def _strip_jpeg(data: bytes) -> tuple[bytes, bool]:
    """The primary image only, its metadata segments filtered. Whatever follows its EOI
    (a phone's second images: MPF depth and gain maps, Ultra HDR, a maker's trailer, each
    with EXIF of its own) is cut, and the MPF index that pointed at it goes too."""
    if data[:2] != b"\xff\xd8":
        raise Unreadable("no JPEG start")
    out = [data[:2]]
    position, removed, extended = 2, False, []
    while position < len(data):
        if data[position] != 0xFF or position + 1 >= len(data):
            raise Unreadable("no JPEG marker")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            out.append(data[position:position + 1])
            position += 1
            continue
        if marker in (0xD9, 0xD8):  # end of image (or, cut short, a next image's start)
            if marker == 0xD9:
                out.append(data[position:position + 2])
                position += 2
            removed |= _holds_location(data[position:])
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out.append(data[position:position + 2])
            position += 2
            continue
        if position + 4 > len(data):
            raise Unreadable("JPEG segment cut short")
        length = struct.unpack_from(">H", data, position + 2)[0]
        segment = data[position:position + 2 + length]
        if length < 2 or len(segment) < 2 + length:
            raise Unreadable("JPEG segment cut short")
        body = segment[4:]
        if marker == 0xE1 and body.startswith(EXIF_HEADER):
            tiff = bytearray(body[len(EXIF_HEADER):])
            try:
                if strip_tiff(tiff):
                    segment = segment[:4] + EXIF_HEADER + bytes(tiff)
                    removed = True
            except Unreadable:
                segment, removed = b"", True
        elif marker == 0xE1 and body.startswith(XMP_JPEG) and b"GPS" in body:
            segment, removed = b"", True
        elif marker == 0xE1 and body.startswith(XMP_EXTENSION):
            # a large XMP's rest, split over segments ("GPS" may straddle two): all go
            extended.append(body[len(XMP_EXTENSION) + 40:])
            segment = b""
        elif marker == 0xE2 and body.startswith(MPF_HEADER):  # the index of the images cut
            segment = b""
        out.append(segment)
        position += 2 + length
        if marker == 0xDA:  # a scan: its coded bytes run to the next marker
            found = SCAN_END.search(data, position)
            scan_end = found.start() if found else len(data)
            out.append(data[position:scan_end])
            position = scan_end
    return b"".join(out), removed or b"GPS" in b"".join(extended)


def _holds_location(rest: bytes) -> bool:
    """Whether bytes that are dropped whole held a place: TIFF-structured EXIF with a GPS
    IFD (or that cannot be read) or XMP's GPS latitude or longitude, anywhere in them."""
    if XMP_COORDINATE.search(rest):
        return True
    for header in TIFF_HEADERS:
        at = rest.find(header)
        while at >= 0:
            try:
                if strip_tiff(bytearray(rest[at:])):
                    return True
            except Unreadable:
                return True
            at = rest.find(header, at + 1)
    return False


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def _strip_png(data: bytes) -> tuple[bytes, bool]:
    if not data.startswith(PNG_SIGNATURE):
        raise Unreadable("no PNG signature")
    out = [PNG_SIGNATURE]
    position, removed = len(PNG_SIGNATURE), False
    while position < len(data):
        if position + 12 > len(data):
            raise Unreadable("PNG chunk cut short")
        length = struct.unpack_from(">I", data, position)[0]
        kind = data[position + 4:position + 8]
        chunk = data[position:position + 12 + length]
        if len(chunk) < 12 + length:
            raise Unreadable("PNG chunk cut short")
        body = chunk[8:8 + length]
        if kind == b"eXIf":
            tiff = bytearray(body)
            try:
                if strip_tiff(tiff):
                    chunk, removed = _chunk(kind, bytes(tiff)), True
            except Unreadable:
                chunk, removed = b"", True
        elif kind in (b"tEXt", b"zTXt", b"iTXt"):
            keyword = body.split(b"\x00", 1)[0].lower()
            if keyword == XMP_PNG[:-1].lower():
                text = _png_text(kind, body)
                if text is None or b"GPS" in text:  # XMP mentioning GPS goes whole
                    chunk, removed = b"", True
            elif keyword.startswith(RAW_PROFILE):  # ImageMagick's hex copy of EXIF, XMP …
                text = _png_text(kind, body)
                chunk, removed = b"", removed or text is None or _raw_profile_location(text)
        out.append(chunk)
        position += 12 + length
        if kind == b"IEND":
            break
    return b"".join(out), removed


def _png_text(kind: bytes, body: bytes) -> bytes | None:
    """A textual chunk's text, inflated; None when it cannot be read (a stream cut short,
    or one inflating past MOST_TEXT)."""
    keyword, _, rest = body.partition(b"\x00")
    if kind == b"tEXt":
        return rest
    if kind == b"zTXt":  # method, then the text deflated
        rest = rest[1:]
    else:  # iTXt: whether compressed, method, language, translated keyword, text
        parts = rest[2:].split(b"\x00", 2)
        if len(parts) < 3:
            return None
        if rest[:1] != b"\x01":
            return parts[2]
        rest = parts[2]
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(rest, MOST_TEXT)
    except zlib.error:
        return None
    return text if inflater.eof else None  # cut short, or inflating past MOST_TEXT


def _raw_profile_location(text: bytes) -> bool:
    """Whether an ImageMagick raw profile ("\\nexif\\n  length\\nhex …", of EXIF, XMP,
    a Photoshop 8BIM block holding either …) holds a place; one that cannot be read is
    taken to."""
    try:
        payload = bytes.fromhex(b"".join(text.split(b"\n")[3:]).decode("ascii"))
    except ValueError:
        return True
    return _holds_location(payload)
