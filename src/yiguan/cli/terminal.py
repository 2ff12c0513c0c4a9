"""Full-screen terminal views: the standalone `timer` and `screen --terminal`.

Both draw with rich's Live (imported here only, when one of them runs). The countdown's
colours follow the projector page: amber in the last 30 seconds (举牌), red at zero and
then counting on with a minus sign (超时). Ctrl-C ends either cleanly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..messages import t

WARN_SECONDS = 30

# a five-row block font for the countdown, readable from across a room
_FONT = {
    "0": ["███", "█ █", "█ █", "█ █", "███"], "1": [" █ ", "██ ", " █ ", " █ ", "███"],
    "2": ["███", "  █", "███", "█  ", "███"], "3": ["███", "  █", "███", "  █", "███"],
    "4": ["█ █", "█ █", "███", "  █", "  █"], "5": ["███", "█  ", "███", "  █", "███"],
    "6": ["███", "█  ", "███", "█ █", "███"], "7": ["███", "  █", "  █", "  █", "  █"],
    "8": ["███", "█ █", "███", "█ █", "███"], "9": ["███", "█ █", "███", "  █", "███"],
    ":": ["   ", " █ ", "   ", " █ ", "   "], "-": ["   ", "   ", "███", "   ", "   "],
}


def clock_face(remaining: float) -> tuple[str, str]:
    """The countdown as text and its phase: `1:05` normal, `0:30` warn, `-0:04` over.
    Whole seconds, rounded up while time is left (so 0:00 is shown only at zero)."""
    import math

    if remaining > 0:
        whole = math.ceil(remaining)
        phase = "warn" if whole <= WARN_SECONDS else "normal"
        return f"{whole // 60}:{whole % 60:02d}", phase
    over = math.floor(-remaining)
    return ("-" if over else "") + f"{over // 60}:{over % 60:02d}", "over"


PHASE_STYLE = {"normal": "bold bright_white", "warn": "bold black on yellow",
               "over": "bold bright_white on red"}


def big(text: str) -> str:
    rows = ["", "", "", "", ""]
    for char in text:
        glyph = _FONT.get(char, ["   "] * 5)
        for n in range(5):
            rows[n] += glyph[n] + " "
    return "\n".join(rows)


def countdown_panel(remaining: float, title: str = "") -> Any:
    from rich.align import Align
    from rich.panel import Panel
    from rich.text import Text

    face, phase = clock_face(remaining)
    body = Text(big(face), style=PHASE_STYLE[phase], justify="center")
    return Panel(Align.center(body, vertical="middle"), title=title or None,
                 style=PHASE_STYLE[phase] if phase != "normal" else "")


def run_timer(seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
    """Count `seconds` down until Ctrl-C; then say how long it ran."""
    from rich.console import Console
    from rich.live import Live

    started = clock()
    console = Console()
    try:
        with Live(countdown_panel(seconds), console=console, screen=console.is_terminal,
                  refresh_per_second=8, transient=True) as live:
            while True:
                live.update(countdown_panel(seconds - (clock() - started)))
                time.sleep(0.1)
    except KeyboardInterrupt:
        pass
    elapsed = int(clock() - started)
    print(t("timer.stopped", elapsed=f"{elapsed // 60}:{elapsed % 60:02d}"))
