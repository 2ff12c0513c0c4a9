"""The projector page's server: one meeting's public state, live, over HTTP on this machine.

A stdlib `ThreadingHTTPServer` (daemon threads) serves exactly five paths: the page
(`/`; with `screen --lan`, a QR code of the address phones open drawn into it as inline
SVG by segno, no outside service), its two assets from the package (`/screen.css`,
`/screen.js`), the state once as JSON (`/state`) and the same state as a stream of
server-sent events (`/events`), sent again whenever the meeting file, its floor or
council.toml changes (each stream stats the files a few times a second; nothing is
re-read unless one changed). Anything else is 404,
and every method but GET and HEAD is 405: no file is ever served by its path, nothing is
ever written. No request body is accepted: a GET or HEAD that announces one
(Content-Length above 0, or Transfer-Encoding) is answered 400 and its connection closed.

A crowded room's Wi-Fi cannot lock the projector out. A connection must have sent its
whole request within REQUEST_SECONDS, and at most MAX_WAITING may be sending one (past
that the oldest is closed), so idle sockets cannot use up the threads or the process's
files; a write the screen does not take in within WRITE_SECONDS ends its connection.
Event streams are capped overall (`--max-streams`) and per client address
(MAX_STREAMS_PER_CLIENT): a device opening one more closes its own oldest, never
someone else's, so the newest connection of a screen always gets its stream. A stream
the server writes to (a change, or a ping every PING_SECONDS) is never idle.
A meeting file that cannot be read turns the page into a notice that says so; the server
keeps running and recovers when the file is mended. A screen that goes away mid-request (a
reset or closed connection) is not reported; any other failure while answering is said on
one line, never as a traceback on the secretary's terminal.

It listens on IPv4 or, given an IPv6 address (`--host ::1`, or `::`, which takes IPv4
too where the system allows), on IPv6.

Only requests addressed to this machine are answered (against DNS rebinding: a web page
whose own name is pointed at 127.0.0.1 would otherwise read the meeting through the
visitor's browser). The Host header, with or without a port, must name the loopback
(`127.0.0.1`, `localhost`, `[::1]`), this machine's host name (also as `NAME.local`), or
the address the request itself arrived on, or one the server was told it listens on (the
LAN address `screen --lan` prints and draws as a QR code, the one given to --host). Any
other name is answered 421 Misdirected Request, whatever the path. A request without a
Host header (HTTP/1.0, never a browser) is answered.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

from ..meeting import floor as floors
from ..store.folder import DataFolder
from ..text.errors import YiguanError
from ..text.messages import DEFAULT_LANGUAGE, t
from ..text.safety import printable
from . import projector

MAX_STREAMS = 200
MAX_STREAMS_PER_CLIENT = 4
MAX_WAITING = 128
REQUEST_SECONDS = 30.0
WRITE_SECONDS = 30.0
# the kernel's buffer for what a connection has not taken in yet: several states (the
# largest, a motion of 20,000 characters, is ~70 KB), and no more, so that 200 streams
# that read nothing pin little memory and meet WRITE_SECONDS soon
SEND_BUFFER = 256 * 1024
POLL_SECONDS = 0.25
# a request that sends a body is refused; this much of it is read and dropped, for at
# most this long, so that its 400 reaches the client before the connection closes
DRAIN_BYTES = 64 * 1024
DRAIN_SECONDS = 0.5
PING_SECONDS = 15.0
# what an evicted stream tells its browser before it closes: wait this long before
# coming back, so that a device with too many tabs does not make them take turns
EVICTED_RETRY_MS = 30_000
QR_PLACE = b"<!--qr-->"  # where the page takes the QR code (screen --lan)
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
    return resources.files("yiguan.room").joinpath("page", name).read_bytes()


class Watcher:
    """The meeting's public state, re-read only when one of its files changed."""

    def __init__(self, data: DataFolder, meeting_id: str, *, lang: str, sound: bool,
                 now: Callable[[], dt.datetime],
                 on_problem: Callable[[str], None] | None = None) -> None:
        self.data = data
        self.on_problem = on_problem  # a floor file that cannot be used, once per change
        self.meeting_id = meeting_id
        self.lang = lang
        self.sound = sound
        self.now = now
        self._lock = threading.Lock()
        self._signature: tuple[Any, ...] | None = None
        self._loaded: tuple[Any, floors.Floor, str | None] | str = ""

    def _paths(self) -> list[str]:
        return [os.fspath(self.data.meeting_path(self.meeting_id)),
                os.fspath(self.data.floor_path(self.meeting_id)),
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
        floor = floors.read_floor(self.data, self.meeting_id)
        unusable = floors.unusable(self.data, self.meeting_id, floor)
        if unusable is not None and self.on_problem is not None:
            self.on_problem(t(unusable[0], **unusable[1]))
        return meeting, floor, council


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


class Stream:
    """One open event stream: its client's address, and whether a newer stream of the
    same address has taken its place."""

    __slots__ = ("client", "evicted")

    def __init__(self, client: str) -> None:
        self.client = client
        self.evicted = threading.Event()


class Connections:
    """The server's open connections: those still sending their request, each with the
    moment by which it must have sent it all, oldest first; and the event streams of
    each client address, oldest first. Shared by the accepting thread and the handlers."""

    def __init__(self, *, max_streams: int, per_client: int, request_seconds: float,
                 max_waiting: int) -> None:
        self.max_streams = max_streams
        self.per_client = per_client
        self.request_seconds = request_seconds
        self.max_waiting = max_waiting
        self._lock = threading.Lock()
        self._waiting: dict[socket.socket, float] = {}  # in order of arrival
        self._streams: dict[str, list[Stream]] = {}
        self._open = 0

    def arrived(self, connection: socket.socket) -> None:
        """A new connection: it has REQUEST_SECONDS to send its request. When too many
        are still sending theirs, the oldest of them is closed."""
        with self._lock:
            self._waiting[connection] = time.monotonic() + self.request_seconds
            excess = max(0, len(self._waiting) - self.max_waiting)
            dropped = [self._drop(old) for old in list(self._waiting)[:excess]]
        for old in dropped:
            _hang_up(old)

    def requested(self, connection: socket.socket) -> None:
        """The connection's request is in: it is answered, however long that takes."""
        with self._lock:
            self._waiting.pop(connection, None)

    def expire(self) -> None:
        """Close the connections whose request did not come in time."""
        now = time.monotonic()
        with self._lock:
            late = [c for c, deadline in self._waiting.items() if deadline <= now]
            for connection in late:
                self._drop(connection)
        for connection in late:
            _hang_up(connection)

    def _drop(self, connection: socket.socket) -> socket.socket:
        del self._waiting[connection]
        return connection

    def waiting(self) -> int:
        with self._lock:
            return len(self._waiting)

    def open_stream(self, stream: Stream) -> bool:
        """Admit a stream: a client at its own cap has its oldest stream closed to make
        room; otherwise, with every slot taken, the stream is refused (False)."""
        with self._lock:
            mine = self._streams.setdefault(stream.client, [])
            if len(mine) >= self.per_client:
                mine.pop(0).evicted.set()
                self._open -= 1
            elif self._open >= self.max_streams:
                if not mine:
                    del self._streams[stream.client]
                return False
            mine.append(stream)
            self._open += 1
            return True

    def close_stream(self, stream: Stream) -> None:
        with self._lock:
            mine = self._streams.get(stream.client, [])
            if stream in mine:
                mine.remove(stream)
                self._open -= 1
            if not mine:
                self._streams.pop(stream.client, None)

    def streams(self) -> int:
        with self._lock:
            return self._open


def _hang_up(connection: socket.socket) -> None:
    """End a connection another thread is reading: its read returns at once, and that
    thread closes the socket (closing it here could close a file that number is reused
    for meanwhile)."""
    with contextlib.suppress(OSError):  # already gone
        connection.shutdown(socket.SHUT_RDWR)


class ScreenServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # Ctrl-C does not wait for open event streams
    # connections the system holds until they are accepted: socketserver's 5 makes a
    # burst of them wait for a resent SYN (a second, then three…), the projector's too
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], watcher: Watcher,
                 max_streams: int = MAX_STREAMS,
                 on_error: Callable[[str], None] = _stderr_line, *,
                 per_client: int = MAX_STREAMS_PER_CLIENT,
                 request_seconds: float = REQUEST_SECONDS,
                 write_seconds: float = WRITE_SECONDS,
                 max_waiting: int = MAX_WAITING,
                 send_buffer: int = SEND_BUFFER) -> None:
        self.watcher = watcher
        self.stopping = threading.Event()
        self.connections = Connections(max_streams=max_streams, per_client=per_client,
                                       request_seconds=request_seconds,
                                       max_waiting=max_waiting)
        self.write_seconds = write_seconds
        self.send_buffer = send_buffer
        self.on_error = on_error
        self.own_names = _own_names()
        # addresses it was told it listens on (--host, the LAN address phones open)
        self.addresses: tuple[str, ...] = ()
        self.page = asset("index.html").replace(QR_PLACE, b"")
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def server_bind(self) -> None:
        """On `::`, take IPv4 connections too (as `::ffff:a.b.c.d`) where the system
        lets an IPv6 socket do so: the LAN address printed is an IPv4 one."""
        if self.address_family == socket.AF_INET6 and self.server_address[0] == "::":
            with contextlib.suppress(OSError, AttributeError):  # else IPv6 only
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()

    def process_request(self, request: Any, client_address: Any) -> None:
        self.connections.arrived(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        self.connections.requested(request)  # no longer waited for, if it ever was
        super().shutdown_request(request)

    def service_actions(self) -> None:
        """Between two polls of the listening socket (serve_forever's poll_interval)."""
        self.connections.expire()

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

    def setup(self) -> None:
        # every read and write of the connection gives up after this long (a screen
        # that takes in nothing cannot hold a thread); the whole request has its own,
        # overall limit (Connections.expire)
        super().setup()
        self.connection.settimeout(self.server.write_seconds)
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF,
                                       self.server.send_buffer)

    def parse_request(self) -> bool:
        self.server.connections.requested(self.connection)
        return super().parse_request()

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
        if self._sends_body():
            self.close_connection = True  # what it sent is not read: the connection ends
            self._plain(HTTPStatus.BAD_REQUEST, b"400 no request body accepted\n", body=body)
            self._drain()
        elif not self._addressed_here():
            self._plain(HTTPStatus.MISDIRECTED_REQUEST, b"421 misdirected request\n",
                        body=body)
        elif path == "/":
            self._send(HTTPStatus.OK, ASSETS[path][1], self.server.page, body=body)
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

    def _sends_body(self) -> bool:
        """Whether the request announces a body (the server takes none)."""
        if self.headers.get_all("Transfer-Encoding"):
            return True
        lengths = self.headers.get_all("Content-Length") or []
        return any(value.strip() != "0" for value in lengths)

    def _drain(self) -> None:
        """Take in (and drop) a little of what the client is still sending, for a moment,
        so that closing does not reset the connection before the 400 is read."""
        self.wfile.flush()
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(DRAIN_SECONDS)
            left = DRAIN_BYTES
            while left > 0 and (chunk := self.connection.recv(min(left, 16384))):
                left -= len(chunk)

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
        if any(same_address(name, known) for known in self.server.addresses):
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
        stream = Stream(_client_key(self.client_address))
        if not self.server.connections.open_stream(stream):
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
            self._stream(stream)
        except OSError:
            pass  # the screen went away (closed tab, sleeping TV), or took in nothing
        finally:
            self.server.connections.close_stream(stream)

    def _stream(self, stream: Stream) -> None:
        sent: tuple[Any, ...] | None = None
        quiet_since = time.monotonic()
        stopping = self.server.stopping
        while not stopping.is_set():
            if stream.evicted.is_set():
                # a newer stream of the same client took the slot: ask the browser to
                # wait before it comes back, and end this one
                self.wfile.write(b"retry: %d\n\n" % EVICTED_RETRY_MS)
                self.wfile.flush()
                return
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
            stream.evicted.wait(POLL_SECONDS)


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


def _client_key(client_address: Any) -> str:
    """The address a client's streams are counted under: an IPv4 client of a dual-stack
    socket (`::ffff:192.168.1.5`) as the IPv4 address it is."""
    address = str(client_address[0]) if isinstance(client_address, tuple) \
        else str(client_address)
    return address[7:] if address.startswith("::ffff:") and "." in address else address


def _json(state: dict[str, Any]) -> bytes:
    return json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def make_server(data: DataFolder, meeting_id: str, *, host: str = "127.0.0.1",
                port: int = 8765, lang: str = DEFAULT_LANGUAGE, sound: bool = False,
                now: Callable[[], dt.datetime] = dt.datetime.now,
                max_streams: int = MAX_STREAMS,
                on_error: Callable[[str], None] = _stderr_line,
                **limits: Any) -> ScreenServer:
    """A server bound to (host, port) — port 0 picks a free one; an IPv6 address with or
    without brackets — not yet serving. `on_error` says, on one line, a failure while
    answering that is not a screen going away. `limits`: ScreenServer's per_client,
    request_seconds, write_seconds, max_waiting, send_buffer."""
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    watcher = Watcher(data, meeting_id, lang=lang, sound=sound, now=now, on_problem=on_error)
    server = ScreenServer((host, port), watcher, max_streams, on_error, **limits)
    if host not in ("", "0.0.0.0", "::"):
        server.addresses = (host,)
    return server


def follow_url(server: ScreenServer, address: str) -> str:
    """The address phones open: `address` (the LAN one) with the port the server is on.
    It is drawn on the page as a QR code, and the Host check takes it."""
    url = f"http://{f'[{address}]' if ':' in address else address}:{server.server_address[1]}/"
    server.addresses = (*server.addresses, address)
    server.page = asset("index.html").replace(QR_PLACE, qr_block(url))
    return url


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG (segno: no outside service; it scales with its
    box, having a viewBox and no fixed size)."""
    import segno  # only `screen --lan` needs it

    return str(segno.make(url).svg_inline(omitsize=True))


def qr_block(url: str) -> bytes:
    """What the page shows phones: the QR code, the words under it and the address."""
    import html

    return (f'<figure class="qr">{qr_svg(url)}<figcaption><span data-label="follow">'
            f'</span><span class="qr-url">{html.escape(url)}</span></figcaption>'
            "</figure>").encode()


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
