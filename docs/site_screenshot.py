#!/usr/bin/env python3
"""Screenshots of the public site of the bundled example council, for the README
(docs/site.png at 1280×800, docs/site-phone.png at 390×844, the whole page as it scrolls).

    .venv/bin/python docs/site_screenshot.py [--browser /usr/bin/chromium]

Copies meetings/ (幸福里社区's council and its 2022-03-08 meeting) to a temporary
folder, builds its site with the real command line as of a fixed day (so the pictures do
not depend on the day they are taken), and photographs the council's page from file://
with the system Chromium through Playwright.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from yiguan.cli import make_app

DOCS = Path(__file__).resolve().parent
BUNDLED = DOCS.parent / "meetings"
AS_OF = "2022-04-01"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--browser", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    os.environ["YIGUAN_LANG"] = ""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "meetings"
        folder.mkdir()
        for name in ("council.toml", "2022-03-08.toml"):
            shutil.copyfile(BUNDLED / name, folder / name)
        out = Path(scratch) / "public"
        argv = ["--dir", str(folder), "site", "-o", str(out), "--as-of", AS_OF]
        result = CliRunner().invoke(make_app(argv), argv)
        assert result.exit_code == 0, result.output
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.browser,
                                                 args=["--no-sandbox"])
            for name, size, whole in (("site.png", (1280, 800), False),
                                      ("site-phone.png", (390, 844), True)):
                page = browser.new_page(viewport={"width": size[0], "height": size[1]})
                page.goto((out / "meetings" / "index.html").as_uri())
                page.screenshot(path=str(DOCS / name), full_page=whole)
                page.close()
            browser.close()


if __name__ == "__main__":
    main()
