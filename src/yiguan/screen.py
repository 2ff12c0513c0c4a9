"""The projector page's server: one meeting's public state, live, over HTTP on this machine.

A stdlib `ThreadingHTTPServer` (daemon threads) serves exactly four paths: the page
(`/`), its two assets from the package (`/screen.css`, `/screen.js`), the state once as
JSON (`/state`) and the same state as a stream of server-sent events (`/events`), sent
again whenever the meeting file, its floor or council.toml changes (each stream stats the
files a few times a second; nothing is re-read unless one changed). Anything else is 404,
and every method but GET and HEAD is 405: no file is ever served by its path, nothing is
ever written. Streams are capped (MAX_STREAMS) so one device cannot use up the threads.
A meeting file that cannot be read turns the page into a notice that says so; the server
keeps running and recovers when the file is mended. A screen that goes away mid-request (a
reset or closed connection) is not reported; any other failure while answering is said on
one line, never as a traceback on the secretary's terminal.

Only requests addressed to this machine are answered (against DNS rebinding: a web page
whose own name is pointed at 127.0.0.1 would otherwise read the meeting through the
visitor's browser). The Host header, with or without a port, must name the loopback
(`127.0.0.1`, `localhost`, `[::1]`), this machine's host name (also as `NAME.local`), or
the address the request itself arrived on — the LAN address `screen --host 0.0.0.0`
prints, or the one given to --host. Any other name is answered 421 Misdirected Request,
whatever the path. A request without a Host header (HTTP/1.0, never a browser) is answered.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

from . import floor as floors
from . import projector
from .errors import YiguanError
from .messages import printable, t
from .store import DataFolder

MAX_STREAMS = 50
POLL_SECONDS = 0.25
PING_SECONDS = 15.0
ASSETS = {"/": ("index.html", "text/html; charset=utf-8"),
          "/screen.css": ("screen.css", "text/css; charset=utf-8"),
          "/screen.js": ("screen.js", "text/javascript; charset=utf-8")}
SECURITY_HEADERS = (
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy",
     "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
     "connect-src 'self'; frame-ancestors 'none'"),
)


def asset(name: str) -> bytes:
    return resources.files("yiguan").joinpath("page", name).read_bytes()


class Watcher:
    """The meeting's public state, re-read only when one of its files changed."""

    def __init__(self, data: DataFolder, meeting_id: str, *, lang: str, sound: bool,
                 now: Callable[[], dt.datetime]) -> None:
        self.data = data
        self.meeting_id = meeting_id
        self.lang = lang
        self.sound = sound
        self.now = now
        self._lock = threading.Lock()
        self._signature: tuple[Any, ...] | None = None
        self._loaded: tuple[Any, floors.Floor, str | None] | str = ""

    def _paths(self) -> list[str]:
        return [os.fspath(self.data.meeting_path(self.meeting_id)),
                os.fspath(floors.floor_path(self.data, self.meeting_id)),
                os.fspath(self.data.council_path)]

    def signature(self) -> tuple[Any, ...]:
        found: list[Any] = []
        for path in self._paths():
            try:
                info = os.stat(path)
            except OSError:
                found.append(None)
                continue
            found.append((info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns))
        return tuple(found)

    def poll(self) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """The files' signature and the state as of now."""
        return self.refresh(), self.state()

    def refresh(self) -> tuple[Any, ...]:
        """Read the files again if they changed; their signature."""
        with self._lock:
            signature = self.signature()
            if signature != self._signature:
                self._loaded = self._load()
                self._signature = signature
            return signature

    def state(self) -> dict[str, Any]:
        """The public state of what was read last, as of now."""
        with self._lock:
            loaded = self._loaded
        if isinstance(loaded, str):
            return projector.broken_state(loaded, self.lang)
        meeting, state, council = loaded
        return projector.public_state(
            self.meeting_id, meeting, state, self.now(), council=council, lang=self.lang,
            sound=self.sound)

    def _load(self) -> tuple[Any, floors.Floor, str | None] | str:
        try:
            meeting = self.data.load_meeting(self.meeting_id)
        except YiguanError as error:
            return error.message(self.lang)
        except OSError as error:
            return f"{self.meeting_id}: {error.strerror or type(error).__name__}"
        try:
            council: str | None = self.data.load_council().name
        except (YiguanError, OSError):
            council = None  # the page shows the meeting without the council's name
        return meeting, floors.read_floor(self.data, self.meeting_id), council


def _stderr_line(text: str) -> None:
    import sys

    sys.stderr.write(t("cli.warning_prefix", message=text) + "\n")


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def host_name(header: str) -> str | None:
    """The name in a Host header without its port and brackets, in lower case; None for a
    header that is not a host with an optional numeric port."""
    value = header.strip().lower()
    if value.startswith("["):
        name, bracket, port = value[1:].partition("]")
        if not bracket:
            return None
    elif value.count(":") > 1:
        return None  # an IPv6 address comes in brackets
    else:
        colon = value.find(":")
        name, port = (value, "") if colon < 0 else (value[:colon], value[colon:])
    if port and not (port.startswith(":") and port[1:].isdigit() and port[1:].isascii()):
        return None
    return name or None


def same_address(name: str, address: str) -> bool:
    """Whether the host name is the IP address `address` (IPv4 mapped into IPv6 too)."""
    import ipaddress

    def plain(text: str) -> Any:
        found = ipaddress.ip_address(text.split("%", 1)[0])
        mapped = getattr(found, "ipv4_mapped", None)
        return mapped or found

    try:
        return bool(plain(name) == plain(address))
    except ValueError:
        return False


def _own_names() -> frozenset[str]:
    import socket

    name = socket.gethostname().lower().rstrip(".")
    return frozenset({name, name + ".local"}) if name else frozenset()


class ScreenServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # Ctrl-C does not wait for open event streams

    def __init__(self, address: tuple[str, int], watcher: Watcher,
                 max_streams: int = MAX_STREAMS,
                 on_error: Callable[[str], None] = _stderr_line) -> None:
        self.watcher = watcher
        self.stopping = threading.Event()
        self.streams = threading.BoundedSemaphore(max_streams)
        self.on_error = on_error
        self.own_names = _own_names()
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A screen that went away (a TV asleep, a closed tab, a dropped Wi-Fi) resets or
        closes its connection mid-request: nothing the secretary can act on, so nothing is
        said. Anything else is said on one line, never as a traceback on the terminal
        the meeting is being typed into."""
        import sys

        error = sys.exc_info()[1]
        if error is None or isinstance(error, OSError):
            return  # ConnectionError and BrokenPipeError are OSErrors
        client = client_address[0] if isinstance(client_address, tuple) else client_address
        why = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        self.on_error(t("screen.client_error", client=client, why=printable(why)))


class Handler(BaseHTTPRequestHandler):
    server: ScreenServer
    protocol_version = "HTTP/1.0"
    server_version = "yiguan-screen"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the secretary's terminal is not a web log

    def __getattr__(self, name: str) -> Any:
        # every method other than GET and HEAD (POST, PUT, DELETE, PROPFIND, …): 405
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def _not_allowed(self) -> None:
        self._plain(HTTPStatus.METHOD_NOT_ALLOWED, b"405 method not allowed\n",
                    extra=(("Allow", "GET, HEAD"),))

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def do_GET(self) -> None:
        self._respond(body=True)

    def _respond(self, *, body: bool) -> None:
        path = self.path.split("?", 1)[0]
        if not self._addressed_here():
            self._plain(HTTPStatus.MISDIRECTED_REQUEST, b"421 misdirected request\n",
                        body=body)
        elif path in ASSETS:
            name, kind = ASSETS[path]
            self._send(HTTPStatus.OK, kind, asset(name), body=body)
        elif path == "/state":
            _, state = self.server.watcher.poll()
            self._send(HTTPStatus.OK, "application/json; charset=utf-8", _json(state),
                       body=body)
        elif path == "/events":
            if body:
                self._events()
            else:
                self._send(HTTPStatus.OK, "text/event-stream; charset=utf-8", b"", body=False)
        else:
            self._plain(HTTPStatus.NOT_FOUND, b"404 not found\n", body=body)

    def _addressed_here(self) -> bool:
        """Whether the Host header names this machine (see the module's docstring)."""
        hosts = self.headers.get_all("Host") or []
        if not hosts:
            return True
        if len(hosts) > 1:
            return False
        name = host_name(hosts[0])
        if name is None:
            return False
        if name in LOOPBACK_NAMES or name in self.server.own_names:
            return True
        try:
            arrived = self.connection.getsockname()[0]
        except OSError:
            return False
        return same_address(name, arrived)

    def _plain(self, status: HTTPStatus, text: bytes, *, body: bool = True,
               extra: tuple[tuple[str, str], ...] = ()) -> None:
        self._send(status, "text/plain; charset=utf-8", text, body=body, extra=extra)

    def _send(self, status: HTTPStatus, kind: str, data: bytes, *, body: bool,
              extra: tuple[tuple[str, str], ...] = ()) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (*SECURITY_HEADERS, *extra):
                self.send_header(name, value)
            self.end_headers()
            if body:
                self.wfile.write(data)
        except OSError:
            self.close_connection = True  # the screen went away while it was answered

    def _events(self) -> None:
        if not self.server.streams.acquire(blocking=False):
            self._plain(HTTPStatus.SERVICE_UNAVAILABLE, b"503 too many screens\n",
                        extra=(("Retry-After", "5"),))
            return
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            for name, value in SECURITY_HEADERS:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            self._stream()
        except OSError:
            pass  # the screen went away (closed tab, sleeping TV): free the slot
        finally:
            self.server.streams.release()

    def _stream(self) -> None:
        import time

        sent: tuple[Any, ...] | None = None
        quiet_since = time.monotonic()
        stopping = self.server.stopping
        while not stopping.is_set():
            if self._gone():
                return
            # the state is built only to be sent: four polls a second per screen
            signature = self.server.watcher.refresh()
            if signature != sent:
                self.wfile.write(b"data: " + _json(self.server.watcher.state()) + b"\n\n")
                self.wfile.flush()
                sent, quiet_since = signature, time.monotonic()
            elif time.monotonic() - quiet_since > PING_SECONDS:
                # a comment line: keeps proxies from closing the stream, and finds out
                # when the screen has gone (the write fails)
                self.wfile.write(b": ping\n\n")
                self.wfile.flush()
                quiet_since = time.monotonic()
            stopping.wait(POLL_SECONDS)


    def _gone(self) -> bool:
        """Whether the screen closed its end (a browser sends nothing on an event stream,
        so anything readable is the end of the connection): free its slot now, not at the
        next write."""
        import select
        import socket

        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and not self.connection.recv(1, socket.MSG_PEEK)
        except (OSError, ValueError):
            return True


def _json(state: dict[str, Any]) -> bytes:
    return json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def make_server(data: DataFolder, meeting_id: str, *, host: str = "127.0.0.1",
                port: int = 8765, lang: str = "zh", sound: bool = False,
                now: Callable[[], dt.datetime] = dt.datetime.now,
                max_streams: int = MAX_STREAMS,
                on_error: Callable[[str], None] = _stderr_line) -> ScreenServer:
    """A server bound to (host, port) — port 0 picks a free one — not yet serving.
    `on_error` says, on one line, a failure while answering that is not a screen going
    away."""
    watcher = Watcher(data, meeting_id, lang=lang, sound=sound, now=now)
    return ScreenServer((host, port), watcher, max_streams, on_error)


def serve_in_background(server: ScreenServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="yiguan-screen", daemon=True)
    thread.start()
    return thread


def stop(server: ScreenServer) -> None:
    """End the streams, stop accepting, close the socket (within a poll interval)."""
    server.stopping.set()
    server.shutdown()
    server.server_close()


def lan_address() -> str | None:
    """This machine's address on the local network, if it has one (no packet is sent:
    connecting a UDP socket only picks the route)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
            address = probe.getsockname()[0]
        except OSError:
            return None
    return str(address) if address and not address.startswith("127.") else None
