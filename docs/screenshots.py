#!/usr/bin/env python3
"""Screenshots of the projector page at each stage, for the README (docs/screen-*.png).

    .venv/bin/python docs/screenshots.py [--browser /usr/bin/chromium]

Builds a meeting in a temporary folder with the real command line (fixed times, so the
pictures do not depend on the day), serves it with a fixed clock as `screen --lan` does
(the QR code phones scan, here of a fixed room address, 192.168.1.20), and photographs
the page at 1920×1080 with the system Chromium through Playwright, and a phone's view
of it at 390×844 (screen-phone.png, the whole page as it scrolls).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from yiguan.cli import make_app
from yiguan.room import screen as server_module
from yiguan.store.folder import DataFolder

DOCS = Path(__file__).resolve().parent
DAY = "2024-05-10"
ROOM_ADDRESS = "192.168.1.20"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--browser", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    os.environ["YIGUAN_LANG"] = ""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "meetings"
        clock = [dt.datetime.fromisoformat(f"{DAY} 19:18:00")]

        def yg(*argv: str) -> None:
            result = CliRunner().invoke(make_app(), ["--dir", str(folder), *argv])
            assert result.exit_code == 0, (argv, result.output)

        yg("init", "--name", "幸福里社区居民议事会")
        for name in ("刘晓菊", "刘艳", "王建国", "张桂兰", "李秀英", "陈淑珍", "赵志强", "孙丽华",
                     "周建华"):
            yg("member", "add", name)
        yg("new", "五月居民议事会", "--date", DAY, "--time", "19:30", "--place", "幸福里社区活动室",
           "--host", "王丽娟", "--recorder", "张敏")
        for item in ("楼道堆物清理", "小游园卫生管理", "电动车充电桩选址"):
            yg("agenda", "add", item)
        yg("sign", "lxj", "ly", "wjg", "zgl", "lxy", "--at", "19:15")
        yg("sign", "何老师", "--guest", "--org", "街道办", "--at", "19:15")

        from yiguan.cli import common

        common.now = lambda: clock[0]  # the commands read the same fixed clock
        server = server_module.make_server(DataFolder(folder), DAY, port=8765,
                                           now=lambda: clock[0])
        server_module.follow_url(server, ROOM_ADDRESS)  # the address phones open
        server_module.serve_in_background(server)
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=args.browser, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(url)
            phone = browser.new_page(viewport={"width": 390, "height": 844},
                                     device_scale_factor=2)
            phone.goto(url)

            def shot(name: str) -> None:
                page.wait_for_timeout(900)
                page.screenshot(path=str(DOCS / f"screen-{name}.png"))

            shot("welcome")
            yg("sign", "csz", "zzq", "--at", "19:28")
            yg("open", "--at", "19:30")
            yg("speak", "lxj", "楼道堆物影响消防通道", "--stance", "for", "--at", "19:33",
               "--minutes", "2")
            yg("propose", "由各楼楼长在五月二十日前组织清理楼道内堆放的杂物，"
               "清理费用由社区公益金列支", "--by", "lxj", "--second", "ly", "--at", "19:36")
            yg("queue", "wjg", "zgl", "lxy", "csz", "zzq", "ly")
            clock[0] = dt.datetime.fromisoformat(f"{DAY} 19:40:00")
            yg("floor", "wjg")
            clock[0] = dt.datetime.fromisoformat(f"{DAY} 19:40:48")
            yg("queue", "--remove", "ly")
            shot("floor")
            clock[0] = dt.datetime.fromisoformat(f"{DAY} 19:41:40")
            yg("queue", "ly")
            shot("floor-warn")
            clock[0] = dt.datetime.fromisoformat(f"{DAY} 19:42:12")
            yg("queue", "--remove", "ly")
            shot("floor-over")
            yg("speak", "wjg", "赞成，但请给住户三天时间自行搬走", "--stance", "for")
            yg("vote", "M1", "--yes", "5", "--no", "1", "--abstain", "0", "--recuse", "zzq",
               "--at", "19:45")
            clock[0] = dt.datetime.fromisoformat(f"{DAY} 19:45:20")
            shot("vote")
            yg("propose", "在三号楼东侧加装电动车充电桩，费用由使用者分摊", "--by", "csz",
               "--second", "wjg", "--item", "3", "--at", "19:50")
            yg("vote", "M2", "--yes", "2", "--no", "4", "--abstain", "1", "--at", "19:52")
            yg("propose", "小游园每周六上午由志愿者轮流清扫，社区提供工具", "--by", "zgl",
               "--second", "lxy", "--item", "2", "--at", "19:55")
            yg("queue", "ly", "lxy")
            clock[0] = dt.datetime.fromisoformat(f"{DAY} 19:56:00")
            yg("floor", "lxj")
            clock[0] = dt.datetime.fromisoformat(f"{DAY} 19:56:50")
            yg("queue", "--remove", "ly")
            phone.wait_for_timeout(900)
            phone.screenshot(path=str(DOCS / "screen-phone.png"), full_page=True)
            yg("speak", "lxj", "赞成，我来排班")
            yg("vote", "M3", "--unanimous", "--at", "20:05")
            yg("close", "--at", "20:30")
            shot("closed")
            browser.close()
        server_module.stop(server)


if __name__ == "__main__":
    main()
