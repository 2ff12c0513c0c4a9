"""HTML → PDF by printing it with a Chromium-family browser already on the machine.

Chrome, Edge (on every Windows 10/11) or Chromium, found through `$YIGUAN_BROWSER` (an
absolute path), the PATH's absolute folders, or the folders they install into — never
the current folder; run headless with a throw-away profile (so an open browser window is
not disturbed), `--no-sandbox` as root (Chromium refuses to start otherwise), and nothing
downloaded, ever. The browser runs in a process group of its own: one that hangs is
stopped after TIMEOUT seconds with every process it started. No browser → YiguanError
suggesting `--format docx` or `html`. The page numbers (第 X 页 共 Y 页) are the print
HTML's own: an `@page` margin box with the `page` and `pages` counters, which Chromium
prints since version 131 (Chrome and Edge since the end of 2024), so the browser's
header and footer stay off (`--no-pdf-header-footer`: they would print the file's path
and the time); `--print-to-pdf` takes no footer template, and the DevTools protocol's
would need a connection to the browser. Chromium writes the time of printing into the
PDF's /CreationDate and /ModDate; those are overwritten, in place and byte for byte the
same length, with the document's own date, so the same meeting gives the same PDF from
the same browser (tests/test_documents.py checks it); another browser version may lay
out differently.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from ..text.errors import YiguanError
from .document import Document
from .to_html import html

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
          "microsoft-edge", "microsoft-edge-stable", "msedge")
TIMEOUT = 60  # seconds: a cold browser start on a slow laptop takes a few


def _install_folders() -> list[Path]:
    """Where Chrome, Edge and Chromium install themselves outside the PATH."""
    places: list[Path] = []
    if sys.platform == "win32":
        for variable in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA"):
            root = os.environ.get(variable)
            if root and os.path.isabs(root):
                places += [Path(root, "Microsoft", "Edge", "Application", "msedge.exe"),
                           Path(root, "Google", "Chrome", "Application", "chrome.exe"),
                           Path(root, "Chromium", "Application", "chrome.exe")]
    elif sys.platform == "darwin":
        for root in (Path("/Applications"), Path.home() / "Applications"):
            places += [root / "Google Chrome.app/Contents/MacOS/Google Chrome",
                       root / "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
                       root / "Chromium.app/Contents/MacOS/Chromium"]
    else:
        places += [Path("/usr/bin/chromium"), Path("/usr/lib/chromium/chromium"),
                   Path("/snap/bin/chromium"), Path("/opt/google/chrome/chrome"),
                   Path("/opt/microsoft/msedge/msedge")]
    return places


def find_browser() -> str | None:
    """The browser to print with: $YIGUAN_BROWSER, else the first found; None if none.

    Never a program found through the current folder: a repository someone else prepared
    can hold a `chromium` or `msedge.exe`, and Windows (shutil.which too, before Python
    3.12, even given a path) looks in the current folder first. So $YIGUAN_BROWSER must
    be an absolute path, and the PATH is searched only in its absolute folders (an empty
    or relative entry means the current folder)."""
    named = os.environ.get("YIGUAN_BROWSER", "").strip()
    if named:
        if not os.path.isabs(named):
            raise YiguanError("documents.browser_not_absolute", path=named)
        if not Path(named).is_file():
            raise YiguanError("documents.browser_not_found", path=named)
        return named
    for name in _NAMES:
        found = _on_path(name)
        if found:
            return found
    return next((str(p) for p in _install_folders() if p.is_file()), None)


def _on_path(name: str) -> str | None:
    """`name` as a program in one of the PATH's absolute folders (`name.exe` on Windows)."""
    program = name + ".exe" if sys.platform == "win32" else name
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not folder or not os.path.isabs(folder):
            continue
        candidate = os.path.join(folder, program)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


_DATES = re.compile(rb"/(CreationDate|ModDate) ?\(D:([0-9]{14})([^)]*)\)")


def fixed_dates(data: bytes, stamp: str) -> bytes:
    """The PDF with its creation and modification dates set to `stamp` (14 digits,
    YYYYMMDDHHMMSS, UTC), each keeping its length so that no byte offset moves."""
    def same_length(match: re.Match[bytes]) -> bytes:
        zone = match.group(3)
        utc = b"+00'00'"[:len(zone)] if len(zone) >= 7 else b"Z"[:len(zone)]
        fixed = stamp.encode("ascii") + utc + b" " * (len(zone) - len(utc))
        start = match.start(2) - match.start(0)
        return match.group(0)[:start] + fixed + b")"

    return _DATES.sub(same_length, data)


def pdf(html: str, *, date: str = "19800101") -> bytes:
    """The HTML printed to PDF by a headless browser; `date` (YYYYMMDD) for the metadata."""
    browser = find_browser()
    if browser is None:
        raise YiguanError("documents.no_browser")
    with tempfile.TemporaryDirectory(prefix="yiguan-pdf-") as work:
        page = Path(work, "document.html")
        page.write_text(html, encoding="utf-8")
        target = Path(work, "document.pdf")
        command = [*headless(browser, work), "--no-pdf-header-footer",
                   "--print-to-pdf-no-header", f"--print-to-pdf={target}", page.as_uri()]
        returncode, errors = run_browser(command, browser)
        if not target.is_file() or target.stat().st_size == 0:
            detail = errors.decode("utf-8", "replace").strip().splitlines()
            raise YiguanError("documents.browser_failed", browser=browser,
                              detail=detail[-1] if detail else f"exit {returncode}")
        return fixed_dates(target.read_bytes(), date + "000000")


def headless(browser: str, work: str) -> list[str]:
    """The browser's command line, headless with a throw-away profile in `work` and
    nothing fetched; what to do (print, screenshot) and the page follow."""
    command = [browser, "--headless", "--disable-gpu", "--no-first-run",
               "--no-default-browser-check", "--disable-extensions",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-default-apps", "--mute-audio",
               f"--user-data-dir={Path(work, 'profile')}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # Chromium will not start as root otherwise
    return command


def run_browser(command: list[str], browser: str) -> tuple[int, bytes]:
    """Run the browser in a process group of its own; its exit status and what it said
    on stderr. A browser that has not finished after TIMEOUT seconds is stopped, with
    every process it started (Chromium's renderer and GPU helpers would otherwise live
    on, holding the pipes open), and said in one line that names the browser."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        group: dict[str, int | bool] = {
            "creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    else:
        group = {"start_new_session": True}
    try:
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, **group)  # type: ignore[call-overload]
    except OSError as error:
        raise YiguanError("documents.browser_failed", browser=browser,
                          detail=error.strerror or type(error).__name__) from None
    try:
        _, errors = child.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        _stop_group(child)
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.communicate(timeout=5)  # reap it; a helper that left the group may not
        raise YiguanError("documents.browser_timeout", browser=browser,
                          seconds=TIMEOUT) from None
    finally:
        if child.poll() is None:  # interrupted (Ctrl-C) while printing
            _stop_group(child)
            child.wait()
    return child.returncode, errors


def _stop_group(child: subprocess.Popen[bytes]) -> None:
    """Kill the browser and everything it started. The group is the browser's own
    (start_new_session), and it is killed before the browser is reaped, so its number
    can name no other group."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(child.pid)],
                       capture_output=True, check=False)
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signal.SIGKILL)


def render(doc: Document) -> bytes:
    """The document as a PDF: its print HTML printed by the browser (the registry's entry
    point), dated with the document's date so that the same document gives the same
    bytes."""
    return pdf(html(doc), date=doc.date.replace("-", ""))
