"""Full-screen terminal views: the standalone `timer` and `screen --terminal`.

Both draw with rich's Live (imported here only, when one of them runs). The countdown's
colours follow the projector page: amber in the last 30 seconds (举牌), red at zero and
then counting on with a minus sign (超时). Ctrl-C ends either cleanly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..text.messages import t

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
    return Panel(Align.center(body, vertical="middle"), title=_plain(title),
                 style=PHASE_STYLE[phase] if phase != "normal" else "")


def _plain(title: str) -> Any:
    """A panel title as plain text: rich reads a `str` title as markup, and a name such as
    张三[物业] or 李[/]四 is not markup (it would lose its tag or stop the view)."""
    from rich.text import Text

    return Text(title) if title else None


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


# --- screen --terminal: the projector page's state, drawn by rich ------------------------

def screen_view(state: dict[str, Any]) -> Any:
    """The state (see `yiguan.room.projector`) as a rich renderable filling the terminal."""
    from rich.console import Group
    from rich.layout import Layout
    from rich.panel import Panel
    from rich.text import Text

    labels = state["labels"]
    if state["stage"] == "broken":
        return Panel(Text(state["message"]), title=_plain(labels["broken"]), style="bold yellow")
    head = Text.assemble((state["council"] + "  ", "cyan"), (state["title"], "bold"))
    if state["stage"] == "welcome":
        counts = state["counts"]
        agenda = Text("\n".join(f"{i['n']}. {i['title']}" for i in state["agenda"]))
        signin = Text.assemble(
            (f"{labels['signed_in']} ", ""), (str(counts["signed"]), "bold green"),
            f" / {counts['expected']}   {labels['guests']} {counts['guests']}\n",
            state["quorum"]["text"])
        when = f"{state['date']} {state['time']}  {state['place']}"
        return Panel(Group(Text(labels["welcome"]), head, Text(when), Text(""),
                           Panel(agenda, title=_plain(labels["agenda"])), Panel(signin)))
    if state["stage"] == "closed":
        lines = [Text.assemble((r["r"] + " ", "bold cyan"), r["text"], "\n  ",
                               (r["counts"], "dim")) for r in state["resolutions"]]
        title = labels["resolutions"] if lines else labels["no_resolutions"]
        parts: list[Any] = [head, Text(f"{labels['closed']} {state['closed']}"), Text(""),
                            Panel(Group(*lines), title=_plain(title))]
        others = [Text.assemble((m["outcome"] + " ", "bold red"), m["text"],
                                *(("\n  ", (m["counts"], "dim")) if m["counts"] else ()))
                  for m in state["not_adopted"]]
        if others:
            parts.append(Panel(Group(*others), title=_plain(labels["not_adopted"])))
        return Panel(Group(*parts))
    clock = state["clock"]
    layout = Layout()
    layout.split_column(Layout(name="head", size=3), Layout(name="body"))
    layout["head"].update(Panel(Text.assemble(head, f"   {clock // 3600:02d}:"
                                              f"{clock // 60 % 60:02d}:{clock % 60:02d}")))
    layout["body"].split_row(Layout(name="main", ratio=3), Layout(name="side", ratio=2))
    main: list[Any] = []
    if state["item"]:
        main.append(Panel(Text(f"{state['item']['n']}  {state['item']['title']}",
                               style="bold"), title=_plain(labels["item"])))
    colon = labels["colon"]  # after a label, as the language writes it
    floor = state["floor"]
    if floor:
        if floor["limit"]:
            main.append(countdown_panel(floor["limit"] - floor["elapsed"],
                                        f"{labels['floor']}{colon}{floor['name']}"))
        else:
            whole = int(floor["elapsed"])
            main.append(Panel(Text(big(f"{whole // 60}:{whole % 60:02d}"), justify="center"),
                              title=_plain(f"{labels['floor']}{colon}{floor['name']}")))
    vote, motion = state["vote"], state["motion"]
    if vote:
        main.append(Panel(Text.assemble(
            (vote["motion"] + "\n", "bold"),
            f"{labels['yes']} {vote['yes']}  {labels['no']} {vote['no']}  "
            f"{labels['abstain']} {vote['abstain']}",
            f"  {labels['recused'].replace('{n}', str(vote['recused']))}\n"
            if vote["recused"] else "\n",
            (vote["arithmetic"], "bold"), "\n", (vote["rule"], "dim")),
            title=_plain(f"{labels['vote']}{colon}{vote['outcome']}"),
            style="green" if vote["adopted"] else "red"))
    elif motion:
        main.append(Panel(Text.assemble(
            (motion["text"] + "\n", "bold"),
            f"{labels['proposer']}{colon}{motion['by']}  {labels['seconder']}{colon}"
            f"{motion['second'] or labels['no_seconder']}\n", (motion["rule"], "dim")),
            title=_plain(labels["motion"])))
    layout["main"].update(Group(*main))
    counts = state["counts"]
    queue = Text("\n".join(f"{n}. {name}" for n, name in enumerate(state["queue"], 1)),
                 style="bold")
    if state["queue_more"]:
        queue.append("\n" + labels["queue_more"].replace("{n}", str(state["queue_more"])))
    layout["side"].update(Group(
        Panel(Text(f"{labels['expected']} {counts['expected']}   {labels['present']} "
                   f"{counts['present']}   {labels['guests']} {counts['guests']}",
                   style="bold")),
        Panel(Text(state["quorum"]["text"],
                   style="green" if state["quorum"]["met"] else "red"),
              title=_plain(labels["quorum"])),
        Panel(queue, title=_plain(labels["queue"]))))
    return layout


def run_screen(watcher: Any) -> None:
    """Draw the meeting full-screen until Ctrl-C, redrawn a few times a second."""
    from rich.console import Console
    from rich.live import Live

    console = Console()
    try:
        with Live(screen_view(watcher.poll()[1]), console=console,
                  screen=console.is_terminal, refresh_per_second=4) as live:
            while True:
                time.sleep(0.25)
                live.update(screen_view(watcher.poll()[1]))
    except KeyboardInterrupt:
        pass
