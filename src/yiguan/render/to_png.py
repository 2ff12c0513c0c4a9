"""A notice as images for a phone: the document's phone-screen HTML, screenshotted.

WeChat groups pass pictures, not files, and a resident reads them on a phone: so a
notice (决议公示, 实施结果公示) or a meeting notice (会议通知) can be PNG images
PHONE_WIDTH (1080) px wide, each at most PAGE_HEIGHT (1920, a phone's screen) px tall,
with body text BODY_PX (40) px: `to_html.html(doc, phone=True)`, the same blocks as the
print page, in one column, with no print margins and larger type.

How a long document is cut, never through a line of text: the browser lays the page out
once (`--dump-dom`) with a measuring script added, which lists the vertical extent of
every part that must stay whole (`units`): each block of the page, or, for a list, a
table or a kept group taller than a page, each item, row or member, and for a paragraph
taller than a page each line of text; a heading (and the lead, the 文号) is marked to
stay with what follows, and a group the print page keeps together is one part.
`regions` (plain arithmetic, tested without a browser) fills each image with as many
whole parts as fit, and `balanced` then evens the images out (the least height that
needs no more of them), so that the last is not a stray line or the seal alone. Each
image is one screenshot of the same page at the same width, shifted up to its region,
with a white band of MARGIN px above and below (covering whatever of the neighbouring
parts would show there); when there are several, the band below numbers them as the
printed pages are (第 1 页 共 3 页, documents.page_footer). The measure and every shot
are separate runs of the browser found and run as `to_pdf` does (its helpers, the same
timeout, process group and refusals); nothing is fetched, the page has no outside
resources.

The same document gives the same regions, and the same browser the same pixels: the
PNGs are byte-identical from run to run (tests/test_png.py checks it with the system
Chromium); another browser version may lay out, and so cut, differently.
"""

from __future__ import annotations

import json
import math
import re
import struct
import tempfile
from html import unescape
from pathlib import Path

from ..text.errors import YiguanError
from .document import Document
from .to_html import PHONE_WIDTH, SMALLEST_PX, SONG, css_string, html
from .to_pdf import find_browser, headless, last_words, run_browser

PAGE_HEIGHT = 1920  # px: the most an image holds, a phone's screen at PHONE_WIDTH (9:16)
MARGIN = 80  # px: white above and below the text of every image
LIMIT = PAGE_HEIGHT - 2 * MARGIN  # px of the page one image shows at most

_MEASURE = """<pre id="yiguan-units" hidden></pre>
<script>
(function () {
  "use strict";
  var limit = %(limit)d, units = [];
  function extent(rect) { return [rect.top + window.scrollY, rect.bottom + window.scrollY]; }
  function shown(el) { var b = extent(el.getBoundingClientRect()); return b[1] > b[0]; }
  function lines(el) {  // the line boxes of el's text, those beside each other merged
    var range = document.createRange(), line = null;
    range.selectNodeContents(el);
    Array.prototype.map.call(range.getClientRects(), extent)
      .filter(function (b) { return b[1] > b[0]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .forEach(function (b) {
        if (line && b[0] < line[1]) { line[1] = Math.max(line[1], b[1]); return; }
        if (line) { units.push(line); }
        line = [b[0], b[1], 0];
      });
    if (line) { units.push(line); }
  }
  function walk(el, keep) {
    var box = extent(el.getBoundingClientRect());
    if (box[1] - box[0] <= limit) { units.push([box[0], box[1], keep]); return; }
    var kids = Array.prototype.filter.call(el.children, shown);
    if (/^(DIV|OL|UL|TABLE|THEAD|TBODY)$/.test(el.tagName) && kids.length) {
      kids.forEach(function (kid) { walk(kid, 0); });
    } else {
      lines(el);
    }
  }
  Array.prototype.forEach.call(document.body.children, function (el) {
    if (el.tagName === "SCRIPT" || !shown(el)) { return; }
    var keep = /^H[1-6]$/.test(el.tagName) || el.classList.contains("lead")
      || el.classList.contains("number") ? 1 : 0;
    if (el.classList.contains("after") && units.length) {
      units[units.length - 1][2] = 1;  // kept with the end of the block before it
    }
    walk(el, keep);
  });
  document.getElementById("yiguan-units").textContent = JSON.stringify(
    {width: document.documentElement.clientWidth, units: units});
})();
</script>
"""
_UNITS = re.compile(r'<pre id="yiguan-units" hidden="?[^>]*>(.*?)</pre>', re.S)


Unit = tuple[float, float, bool]  # top and bottom in px, and whether it stays with the next


def regions(units: list[Unit], limit: int = LIMIT) -> list[tuple[int, int]]:
    """The parts of the page each image shows, as (top, bottom) in whole px: the units in
    order, as many whole ones as `limit` px hold, a unit marked to stay with the next
    one kept on its image (unless the two are more than an image holds). A unit taller
    than `limit` (none is, but a line of text cannot be cut) is an image of its own."""
    groups: list[list[float]] = []  # top, bottom, keep
    glued = False
    for top, bottom, keep in units:
        if groups and glued and max(groups[-1][1], bottom) - groups[-1][0] <= limit:
            groups[-1][1] = max(groups[-1][1], bottom)
        else:
            groups.append([top, bottom])
        glued = keep
    out: list[list[float]] = []
    for top, bottom in groups:
        if out and max(out[-1][1], bottom) - out[-1][0] <= limit:
            out[-1][1] = max(out[-1][1], bottom)
        else:
            out.append([top, bottom])
    return [(max(0, math.floor(top)), math.ceil(bottom)) for top, bottom in out]


def balanced(units: list[Unit], limit: int = LIMIT) -> list[tuple[int, int]]:
    """`regions` in as few images as `limit` allows, made as even as the parts let them
    be: the least height that still gives that many, so that the last image is not a
    stray line and the seal (特此公示 and the stamp on an image of their own)."""
    best = regions(units, limit)
    low, high = 1, limit  # the images' count grows as the height shrinks
    while low < high:
        middle = (low + high) // 2
        if len(regions(units, middle)) <= len(best):
            high = middle
        else:
            low = middle + 1
    even = regions(units, high)
    return even if len(even) == len(best) else best


def png_size(data: bytes) -> tuple[int, int]:
    """The width and height a PNG's header gives; ValueError if it is not a PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _shift(page: str, top: int, bottom: int, footer: str) -> str:
    """The page shifted up so that its part from `top` to `bottom` shows between the white
    bands of one image; `footer` (第 1 页 共 3 页, or nothing) in the band below."""
    height = bottom - top + 2 * MARGIN
    style = (f"<style>html {{ height: {height}px; overflow: hidden; }}\n"
             f"body {{ position: relative; top: {MARGIN - top}px; }}\n"
             'html::before, html::after { content: ""; position: absolute; left: 0; '
             "width: 100%; background: #fff; z-index: 2147483647; }\n"
             f"html::before {{ top: 0; height: {MARGIN}px; }}\n"
             f"html::after {{ top: {height - MARGIN}px; height: {MARGIN}px; "
             f"content: {css_string(footer)}; font: {SMALLEST_PX}px/{MARGIN}px {SONG}; "
             "color: #555; text-align: center; }</style>\n")
    return page.replace("</head>", style + "</head>", 1)


def pages(doc: Document) -> list[bytes]:
    """The document as one PNG image or several, in reading order (the registry's entry
    point for a paged format)."""
    browser = find_browser()
    if browser is None:
        raise YiguanError("documents.image_no_browser")
    page = html(doc, phone=True)
    with tempfile.TemporaryDirectory(prefix="yiguan-png-") as work:
        screen = ["--hide-scrollbars", "--force-device-scale-factor=1"]
        measured = Path(work, "measure.html")
        measured.write_text(page.replace("</body>", _MEASURE % {"limit": LIMIT} + "</body>", 1),
                            encoding="utf-8")
        ran = run_browser(headless(browser, work) + screen + [
            f"--window-size={PHONE_WIDTH},{PAGE_HEIGHT}", "--dump-dom", measured.as_uri()],
            browser, out=True, failed_key="documents.image_browser_failed",
            timeout_key="documents.image_browser_timeout")
        found = _UNITS.search(ran.out.decode("utf-8", "replace"))
        if found is None:
            raise YiguanError("documents.image_browser_failed", browser=browser,
                              detail=last_words(ran))
        laid = json.loads(unescape(found.group(1)))
        units = [(float(top), float(bottom), bool(keep)) for top, bottom, keep in laid["units"]]
        images: list[bytes] = []
        parts = balanced(units) or [(0, 0)]
        for number, (top, bottom) in enumerate(parts, start=1):
            footer = doc.locale.say("documents.page_footer", page=number,
                                    pages=len(parts)) if len(parts) > 1 else ""
            shot = Path(work, f"page-{number}.html")
            shot.write_text(_shift(page, top, bottom, footer), encoding="utf-8")
            target = Path(work, f"page-{number}.png")
            ran = run_browser(headless(browser, work) + screen + [
                f"--window-size={PHONE_WIDTH},{bottom - top + 2 * MARGIN}",
                f"--screenshot={target}", shot.as_uri()],
                browser, failed_key="documents.image_browser_failed",
                timeout_key="documents.image_browser_timeout")
            data = target.read_bytes() if target.is_file() else b""
            try:
                png_size(data)
            except ValueError:
                raise YiguanError("documents.image_browser_failed", browser=browser,
                                  detail=last_words(ran)) from None
            images.append(data)
        return images
