#!/usr/bin/env python3
"""A picture of a meeting typed in `yiguan shell`, for the README (docs/shell.png).

    .venv/bin/python docs/shell_screenshot.py [--browser /usr/bin/chromium]

Builds a council and a meeting in a temporary folder with the real command line, starts
`yiguan shell` in a tmux terminal of 100×26 cells, types a few lines of a meeting into it
(the times given with --at, so the picture does not depend on the day) and a name's
initials followed by Tab, then copies the terminal with its colours (`tmux capture-pane
-e`), turns it into HTML with rich and photographs that with the system Chromium. Needs
tmux and a Chromium-family browser.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent
COLUMNS, ROWS = 100, 26
MEMBERS = ("刘晓菊", "刘艳", "王建国", "张桂兰", "李秀英", "陈淑珍", "赵志强", "马玉梅", "周红霞")
TYPED = (
    "开会 --at 19:30",
    "排队 ly wjg",
    "发言权 --at 19:32",
    "发言 ly 建议每月第一个周六集中清理 --stance for --at 19:35",
    "动议 每月第一个周六集中清理楼道 --by ly --second wjg --at 19:40",
    "表决 M1 --yes 7 --no 1 --at 19:45",
)


def yiguan(folder: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "yiguan", "--dir", str(folder), *args], check=True,
                   capture_output=True, env=environment())


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YIGUAN_")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    return env


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True,
                          text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--browser", default="/usr/bin/chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "meetings"
        yiguan(folder, "init", "--name", "幸福里社区居民议事会")
        for name in MEMBERS:
            yiguan(folder, "member", "add", name)
        yiguan(folder, "new", "四月居民议事会", "--date", "2022-04-12", "--time", "19:30",
               "--host", "王丽娟", "--recorder", "张敏")
        yiguan(folder, "agenda", "add", "楼道堆物清理")
        yiguan(folder, "sign", *MEMBERS[:8], "--at", "19:20")
        session = f"yiguan-shot-{os.getpid()}"
        command = " ".join([sys.executable, "-m", "yiguan", "--dir", str(folder), "shell"])
        tmux("new-session", "-d", "-s", session, "-x", str(COLUMNS), "-y", str(ROWS),
             "env", *(f"{k}={v}" for k, v in environment().items() if k in (
                 "TERM", "LANG", "LC_ALL", "PATH", "HOME")), "sh", "-c", command)
        try:
            time.sleep(2)
            for line in TYPED:
                tmux("send-keys", "-t", session, "-l", line)
                tmux("send-keys", "-t", session, "Enter")
                time.sleep(0.8)
            tmux("send-keys", "-t", session, "-l", "发言 wj")
            tmux("send-keys", "-t", session, "Tab")
            time.sleep(1.2)
            shown = tmux("capture-pane", "-e", "-p", "-t", session)
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], check=False,
                           capture_output=True)
        html = Path(scratch) / "shell.html"
        html.write_text(page(shown), "utf-8")
        target = DOCS / "shell.png"
        subprocess.run([args.browser, "--headless", "--no-sandbox", "--hide-scrollbars",
                        f"--screenshot={target}", "--window-size=1240,660",
                        "--force-device-scale-factor=1", html.as_uri()],
                       check=True, capture_output=True, timeout=60)
        print(f"wrote {target}")


def page(ansi: str) -> str:
    """The terminal's cells as an HTML page: rich reads the colours, a CJK monospace font
    gives each Chinese character two cells as the terminal did."""
    from rich.console import Console
    from rich.text import Text

    with open(os.devnull, "w") as nowhere:  # recorded, not shown
        console = Console(record=True, width=COLUMNS, color_system="truecolor", file=nowhere)
        for line in ansi.rstrip("\n").split("\n"):
            console.print(Text.from_ansi(line), overflow="crop", no_wrap=True)
    template = (
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><style>"
        "body{{margin:0;background:#1e1e1e}}"
        "pre{{margin:0;padding:16px 20px;color:#d4d4d4;background:#1e1e1e;"
        "font:17px/1.35 'Noto Sans Mono CJK SC','Noto Sans Mono',monospace}}"
        "</style></head><body><pre>{code}</pre></body></html>")
    return console.export_html(code_format=template, inline_styles=True)


if __name__ == "__main__":
    main()
