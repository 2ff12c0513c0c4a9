"""A chart's SVG as a PNG, for Word: the same drawing the HTML and the PDF show inline,
screenshotted by the browser that prints the PDFs (render/to_pdf.py: found the same
way, run headless in a process group of its own and stopped after its timeout).

The page holds the SVG alone at its own size (its viewBox in CSS pixels), and the
browser draws it at a fixed device scale, so a chart is always the same number of pixels
(`SCALE` × the viewBox) and, from the same browser, the same bytes. No browser: the
YiguanError the PDF gives, suggesting another format.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ..text.errors import YiguanError
from .to_pdf import find_browser, headless, last_words, run_browser

SCALE = 2  # device pixels per CSS pixel: 1280 px across, sharp on a printed page
_VIEW_BOX = re.compile(r'viewBox="0 0 (\d+) (\d+)"')


def size(svg: str) -> tuple[int, int]:
    """The SVG's width and height in CSS pixels (its viewBox)."""
    found = _VIEW_BOX.search(svg)
    if found is None:
        raise ValueError("the SVG has no viewBox")
    return int(found.group(1)), int(found.group(2))


def page(svg: str) -> str:
    """An HTML page that holds the SVG alone, at its own size, on white."""
    width, height = size(svg)
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><style>'
            "html, body { margin: 0; padding: 0; background: #fff; overflow: hidden; }\n"
            f"svg {{ display: block; width: {width}px; height: {height}px; }}"
            f"</style></head><body>\n{svg}</body></html>\n")


def png(svg: str) -> bytes:
    """The SVG drawn by the browser as a PNG of SCALE × its size."""
    browser = find_browser()
    if browser is None:
        raise YiguanError("documents.no_browser")
    width, height = size(svg)
    with tempfile.TemporaryDirectory(prefix="yiguan-png-") as work:
        source = Path(work, "chart.html")
        source.write_text(page(svg), encoding="utf-8")
        target = Path(work, "chart.png")
        command = [*headless(browser, work), "--hide-scrollbars",
                   "--default-background-color=ffffffff",
                   f"--force-device-scale-factor={SCALE}",
                   f"--window-size={width},{height}", f"--screenshot={target}",
                   source.as_uri()]
        ran = run_browser(command, browser)
        if not target.is_file() or target.stat().st_size == 0:
            raise YiguanError("documents.image_browser_failed", browser=browser,
                              detail=last_words(ran))
        return target.read_bytes()
