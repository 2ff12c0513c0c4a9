"""The public site in a real browser, at a phone's size and a desktop's (issue 24 §1):
every page of the bundled council's site opened from file://, nothing cut and nothing
wider than the screen — the page does not scroll sideways and no element reaches past
its right edge, except inside a table's own scrolling box.

Without a Chromium the tests skip (in CI they fail: see conftest.system_browser).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke

pytestmark = pytest.mark.slow

pytest.importorskip("playwright.sync_api")

SIZES = {"phone": (390, 844), "desktop": (1280, 800)}

# elements past the right edge, leaving out those inside a box that scrolls sideways
OVERFLOW = """() => {
  const width = window.innerWidth;
  const inScroller = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowX === 'auto' || style.overflowX === 'scroll') return true;
    }
    return false;
  };
  const past = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && !inScroller(el)) {
      past.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, past: past.slice(0, 5)};
}"""


@pytest.fixture
def site(bundled: Path, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    result = invoke(bundled, "site", "-o", str(out), "--as-of", "2022-04-01")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def street(bundled: Path, tmp_path: Path) -> Path:
    """The bundled council twice, under two names: the index across councils."""
    folder = tmp_path / "street"
    for name, council in (("xingfuli", None), ("heping", "和平社区居民议事会")):
        shutil.copytree(bundled, folder / name)
        if council:
            path = folder / name / "council.toml"
            path.write_text(path.read_text("utf-8").replace("幸福里社区居民议事会", council,
                                                            1), "utf-8")
    out = tmp_path / "street-site"
    result = invoke(bundled, "site", "-o", str(out), "--council", str(folder),
                    "--as-of", "2022-04-01")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def cycle(run: Any, tmp_path: Path) -> Path:
    """A council with a pool of topics, every kind of proposal, an evaluation, a
    confirmation and a public photo wider than any screen (test_site.hold_cycle)."""
    from test_site import hold_cycle, png

    hold_cycle(run, tmp_path, png(2400, 1600, (90, 140, 200)))
    out = tmp_path / "cycle-site"
    run.ok("site", "-o", str(out), "--as-of", "2024-06-30")
    return out


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_topics_and_a_meeting_with_a_photo_fit(page: Any, cycle: Path, size: str) -> None:
    assert (cycle / "meetings" / "topics.html").is_file()
    _fits(page, cycle, size, 10)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_no_page_is_wider_than_the_screen(page: Any, site: Path, size: str) -> None:
    _fits(page, site, size, 8)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_index_across_councils_fits_too(page: Any, street: Path, size: str) -> None:
    _fits(page, street, size, 15)


def _fits(page: Any, site: Path, size: str, count: int) -> None:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == count
    for path in pages:
        page.goto(path.as_uri())
        found = page.evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"], (path.name, found)
        assert found["past"] == [], (path.name, found)
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
