"""`yiguan screen`: the projector page (大屏) for the room, or the same view in the terminal."""

from typing import Annotated

import typer

from ..text.errors import YiguanError
from ..text.messages import current_language, t
from . import common
from .common import MeetingOption, folder, say, warn


def screen(
    ctx: typer.Context,
    meeting: MeetingOption = None,
    port: Annotated[int, typer.Option("--port", help=t("help.opt.port"), min=0,
                                      max=65535)] = 8765,
    host: Annotated[str, typer.Option("--host", help=t("help.opt.screen_host"))] = "127.0.0.1",
    no_open: Annotated[bool, typer.Option("--no-open", help=t("help.opt.no_open"))] = False,
    terminal: Annotated[bool, typer.Option("--terminal", help=t("help.opt.terminal"))] = False,
    sound: Annotated[bool, typer.Option("--sound", help=t("help.opt.sound"))] = False,
    max_streams: Annotated[int, typer.Option("--max-streams", help=t("help.opt.max_streams"),
                                             min=1, max=10_000)] = 200,
    lan: Annotated[bool, typer.Option("--lan", help=t("help.opt.lan"))] = False,
) -> None:
    """Serve the live projector page of a meeting, or draw it in the terminal."""
    from ..room import screen as server_module

    data = folder(ctx)
    meeting_id = data.resolve(meeting, write=False)
    lang = current_language()
    if terminal:
        from .terminal import run_screen

        watcher = server_module.Watcher(data, meeting_id, lang=lang, sound=sound,
                                        now=lambda: common.now())
        run_screen(watcher)
        return
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]  # `--host [::1]`, as a URL writes it
    phones: str | None = None  # the address phones open (--lan)
    if lan:
        if host in ("127.0.0.1", "localhost", "::1"):
            host = "0.0.0.0"  # --lan: the room's network, not only this machine
        phones = host if host not in ("0.0.0.0", "::", "") else server_module.lan_address()
        if phones is None:
            raise YiguanError("screen.no_lan")
    try:
        server = server_module.make_server(data, meeting_id, host=host, port=port, lang=lang,
                                           sound=sound, now=lambda: common.now(),
                                           max_streams=max_streams, on_error=common.warn_text)
    except (OSError, UnicodeError) as error:  # UnicodeError: a name IDNA cannot encode
        why = getattr(error, "strerror", None) or type(error).__name__
        if getattr(error, "errno", None) in (98, 48, 10048, 13):  # in use, or privileged
            raise YiguanError("screen.port_busy", port=port, why=why) from None
        key = "screen.no_ipv6" if ":" in host and getattr(error, "errno", None) in (
            97, 47, 10047) else "screen.bad_host"  # EAFNOSUPPORT: no IPv6 here
        raise YiguanError(key, host=host, why=why) from None
    bound_port = server.server_address[1]
    everywhere = host in ("0.0.0.0", "::", "")
    shown_host = ("::1" if host == "::" else "127.0.0.1") if everywhere else host
    url = f"http://{_bracket(shown_host)}:{bound_port}/"
    say("screen.serving", url=url)
    if phones is not None:
        # printed, and drawn on the page as a QR code
        say("screen.phones", url=server_module.follow_url(server, phones))
    elif everywhere:
        address = server_module.lan_address()
        if address:
            say("screen.lan", url=f"http://{address}:{bound_port}/")
    if everywhere or phones is not None:
        warn("screen.lan_warning")
    import sys

    sys.stdout.flush()
    _terminate_as_interrupt()
    thread = server_module.serve_in_background(server)
    if not no_open:
        import webbrowser

        webbrowser.open(url)
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server_module.stop(server)
    say("screen.stopped")


def _terminate_as_interrupt() -> None:
    """Stop cleanly on SIGTERM (a service manager, `kill`) as on Ctrl-C; and take Ctrl-C
    even when a shell started us with SIGINT ignored (`yiguan screen &`)."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGINT"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host else host


COMMANDS = {"screen": screen}
GROUPS: dict[str, object] = {}
