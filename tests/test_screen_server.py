"""The projector page's server without a browser: what it serves and refuses, the event
stream following the files, its limits, and stopping with Ctrl-C.

The server runs in the test's process on a free port (`screen`), over the `opened`
meeting (five of seven members present since 19:20, opened at 19:30), with the test's
fake clock; the Ctrl-C and --host tests start `yiguan screen` as a child process.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import MEETING, assert_refused
from yiguan.room import screen as server_module
from yiguan.store.folder import DataFolder


class Screen:
    def __init__(self, server: server_module.ScreenServer) -> None:
        self.server = server
        self.host, self.port = server.server_address[:2]

    def request(self, method: str, path: str, *, host: str | None = None,
                via: str | None = None) -> tuple[int, dict[str, str], bytes]:
        """`host`: the Host header (default: the address connected to, with the port);
        `via`: the address to connect to (default: the one the server is bound to)."""
        connection = http.client.HTTPConnection(via or self.host, self.port, timeout=5)
        try:
            connection.putrequest(method, path, skip_host=host is not None,
                                  skip_accept_encoding=True)
            if host is not None:
                connection.putheader("Host", host)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def state(self) -> dict[str, Any]:
        status, _, body = self.request("GET", "/state")
        assert status == 200
        return json.loads(body)  # type: ignore[no-any-return]

    def stream(self) -> Stream:
        return Stream(self.host, self.port)


class Stream:
    """An open /events connection, read one event at a time."""

    def __init__(self, host: str, port: int) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=5)
        self.connection.request("GET", "/events")
        self.sock = self.connection.sock  # http.client lets go of it for an HTTP/1.0 reply
        self.response = self.connection.getresponse()
        self.status = self.response.status

    def next(self, timeout: float = 2.0) -> dict[str, Any]:
        assert self.sock is not None
        self.sock.settimeout(timeout)
        while True:
            line = self.response.fp.readline()
            assert line, "the stream ended"
            if line.startswith(b"data: "):
                return json.loads(line[6:])  # type: ignore[no-any-return]

    def until(self, check: Any, timeout: float = 2.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            state = self.next(max(0.05, deadline - time.monotonic()))
            if check(state):
                return state
            assert time.monotonic() < deadline, state

    def close(self) -> None:
        self.response.close()
        self.connection.close()
        if self.sock is not None:
            self.sock.close()


@pytest.fixture
def screen(folder: Path, opened: str, clock: Any) -> Iterator[Screen]:
    server = server_module.make_server(DataFolder(folder), MEETING, port=0,
                                       now=lambda: clock.now, max_streams=3)
    server_module.serve_in_background(server)
    yield Screen(server)
    server_module.stop(server)


# --- what it serves ------------------------------------------------------------------------

def test_it_serves_the_page_its_assets_and_the_state(screen: Screen) -> None:
    status, headers, body = screen.request("GET", "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"/screen.js" in body and b"/screen.css" in body
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    for path in ("/screen.css", "/screen.js", "/state", "/?tv=1"):
        assert screen.request("GET", path)[0] == 200, path
    state = screen.state()
    assert state["stage"] == "open" and state["counts"]["present"] == 5


def test_head_answers_without_a_body(screen: Screen) -> None:
    status, headers, body = screen.request("HEAD", "/")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


@pytest.mark.parametrize("path", [
    "/../council.toml", "/%2e%2e/council.toml", "/council.toml", f"/{MEETING}.toml",
    "//etc/passwd", "/page/index.html", "/screen.js/../../council.toml", "/index.html",
    "/.yiguan/floor/2024-05-10.json", "/%2fetc%2fpasswd", "/screen.css%00.toml"])
def test_no_file_is_served_by_its_path(screen: Screen, path: str) -> None:
    status, _, body = screen.request("GET", path)
    assert status == 404, path
    assert b"members" not in body and b"root:" not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
                                    "PROPFIND", "FOO"])
def test_only_get_and_head_are_allowed(screen: Screen, method: str, folder: Path) -> None:
    before = (folder / f"{MEETING}.toml").read_bytes()
    status, headers, _ = screen.request(method, "/state")
    assert status == 405 and headers["Allow"] == "GET, HEAD"
    assert (folder / f"{MEETING}.toml").read_bytes() == before


def test_it_binds_the_loopback_address_by_default(folder: Path, opened: str) -> None:
    server = server_module.make_server(DataFolder(folder), MEETING, port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


# --- the stream ------------------------------------------------------------------------------

def test_the_stream_follows_each_command(screen: Screen, run: Any) -> None:
    stream = screen.stream()
    try:
        assert stream.next()["counts"]["present"] == 5
        run.ok("sign", "csz")
        assert stream.until(lambda s: s["counts"]["present"] == 6)
        run.ok("queue", "wjg", "zgl")
        assert stream.until(lambda s: s["queue"] == ["王建国", "张桂兰"])
        run.ok("floor")
        state = stream.until(lambda s: s["floor"] is not None)
        assert state["floor"] == {"name": "王建国", "limit": 120, "elapsed": 0.0}
    finally:
        stream.close()


def test_a_hand_edited_meeting_file_shows_while_the_page_is_open(screen: Screen,
                                                                 folder: Path) -> None:
    stream = screen.stream()
    try:
        assert stream.next()["title"] == "五月居民议事会"
        path = folder / f"{MEETING}.toml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("五月居民议事会", "五月议事会（改）"), encoding="utf-8")
        assert stream.until(lambda s: s.get("title") == "五月议事会（改）")
    finally:
        stream.close()


def test_a_broken_meeting_file_is_said_and_the_server_keeps_running(screen: Screen,
                                                                    folder: Path) -> None:
    path = folder / f"{MEETING}.toml"
    good = path.read_bytes()
    stream = screen.stream()
    try:
        stream.next()
        path.write_bytes(good + b"\n[[speech\n")
        broken = stream.until(lambda s: s["stage"] == "broken")
        assert MEETING in broken["message"] and broken["labels"]["broken"]
        assert screen.state()["stage"] == "broken"
        assert screen.request("GET", "/")[0] == 200
        path.write_bytes(good)
        assert stream.until(lambda s: s["stage"] == "open")
    finally:
        stream.close()


def test_the_streams_are_capped(screen: Screen) -> None:
    streams = [screen.stream() for _ in range(3)]
    try:
        for stream in streams:
            assert stream.status == 200
            stream.next()
        status, headers, _ = screen.request("GET", "/events")
        assert status == 503 and headers["Retry-After"]
        assert screen.request("GET", "/state")[0] == 200  # the page itself still answers
        streams.pop().close()
        deadline = time.monotonic() + 2
        while True:  # the closed stream's slot comes free within a poll
            another = screen.stream()
            if another.status == 200:
                streams.append(another)
                break
            another.close()
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        for stream in streams:
            stream.close()


# --- a crowded room: idle connections, hoarded streams -----------------------------------------
# Real sockets against a server in this process, with the limits made short or small so
# that each runs in seconds (REQUEST_SECONDS and WRITE_SECONDS are 30 s in the room).

@pytest.fixture
def crowd(folder: Path, opened: str, clock: Any) -> Iterator[Any]:
    """`crowd(**limits)`: a server with those limits, stopped at the end of the test."""
    servers = []

    def start(**limits: Any) -> Screen:
        server = server_module.make_server(DataFolder(folder), MEETING, port=0,
                                           now=lambda: clock.now, **limits)
        server_module.serve_in_background(server)
        servers.append(server)
        return Screen(server)

    yield start
    for server in servers:
        server_module.stop(server)


def _connect(screen: Screen, source: str = "127.0.0.1") -> Any:
    import socket

    return socket.create_connection((screen.host, screen.port), timeout=10,
                                    source_address=(source, 0))


def _closed_within(sock: Any, seconds: float) -> float:
    """How long until the server closed `sock` (reading what it sent before), failing
    past `seconds`."""
    started = time.monotonic()
    sock.settimeout(seconds)
    while sock.recv(65536):
        pass
    return time.monotonic() - started


def test_a_connection_that_sends_nothing_is_closed_in_time(crowd: Any) -> None:
    screen = crowd(request_seconds=1.0)
    with _connect(screen) as idle:
        assert 0.8 <= _closed_within(idle, 5) <= 2.5
    assert screen.server.connections.waiting() == 0


def test_a_request_sent_a_byte_at_a_time_is_closed_when_its_time_is_up(crowd: Any) -> None:
    """The limit is on the whole request, not on each read: a client that trickles a
    byte every 0.2 s (slowloris) is closed all the same."""
    screen = crowd(request_seconds=1.0)
    started = time.monotonic()
    with _connect(screen) as slow:
        try:
            for byte in b"GET /state HTTP/1.0\r\nX-Padding: " + b"a" * 100:
                slow.sendall(bytes([byte]))
                time.sleep(0.2)
        except OSError:
            pass  # the server closed it: writing fails
        _closed_within(slow, 5)
    assert time.monotonic() - started < 3.0


def test_an_event_stream_the_server_writes_to_is_not_idle(crowd: Any, run: Any) -> None:
    screen = crowd(request_seconds=0.5)
    stream = screen.stream()
    try:
        assert stream.next()["counts"]["present"] == 5
        time.sleep(1.5)  # three times the request limit
        run.ok("sign", "csz", "--at", "19:50")
        assert stream.until(lambda s: s["counts"]["present"] == 6)["stage"] == "open"
    finally:
        stream.close()


def test_idle_connections_past_the_limit_close_the_oldest_and_the_screen_gets_in(
        crowd: Any) -> None:
    """~1,000 sockets that send nothing used to exhaust the process's files: now at most
    `max_waiting` wait for their request, the oldest closing first, and the newest
    connection — the projector's — is answered."""
    screen = crowd(max_waiting=16)
    idle = [_connect(screen) for _ in range(80)]
    try:
        status, _, _ = screen.request("GET", "/state")
        assert status == 200
        deadline = time.monotonic() + 3
        while screen.server.connections.waiting() > 16:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        for sock in idle[:60]:  # the oldest are closed; the newest may still wait
            assert _closed_within(sock, 3) < 3
    finally:
        for sock in idle:
            sock.close()


def test_idle_sockets_beyond_the_file_limit_never_lock_the_projector_out(
        folder: Path, opened: str) -> None:
    """`yiguan screen` limited to 200 open files, 400 sockets that send nothing: the
    server keeps to its limits, and the projector's page and stream are answered."""
    if sys.platform == "win32":
        pytest.skip("resource limits are POSIX")
    import resource
    import socket

    def few_files() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (200, 200))

    child = subprocess.Popen(
        [sys.executable, "-m", "yiguan", "--dir", str(folder), "screen", "--no-open",
         "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "YIGUAN_LANG": ""}, preexec_fn=few_files)
    idle = []
    try:
        assert child.stdout is not None
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", child.stdout.readline())
        assert found
        port = int(found.group(1))
        for _ in range(400):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        page = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        page.request("GET", "/state")
        assert page.getresponse().status == 200
        page.close()
        stream = Stream("127.0.0.1", port)
        assert stream.status == 200 and stream.next()["stage"] == "open"
        stream.close()
    finally:
        for sock in idle:
            sock.close()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=10)
    assert "Traceback" not in err and err == "", err


def test_a_stream_that_takes_nothing_in_is_ended_when_its_write_blocks(crowd: Any, run: Any,
                                                                      folder: Path) -> None:
    """A screen that opens its stream and never reads: once the server's write to it
    blocks for `write_seconds`, the stream ends and its slot is free."""
    import socket

    run.ok("propose", "长" * 19_000, "--by", "lxj")  # a state of ~60 KB
    screen = crowd(write_seconds=1.0, send_buffer=8192)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((screen.host, screen.port))
    try:
        sock.sendall(b"GET /events HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        deadline = time.monotonic() + 1
        while screen.server.connections.streams() != 1:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        deadline = time.monotonic() + 4  # the write gives up after 1 s
        while screen.server.connections.streams() != 0:
            assert time.monotonic() < deadline, "the blocked stream was not ended"
            time.sleep(0.05)
        received = len(sock.recv(1 << 20))
        assert received < 60_000  # it never took in a whole state
    finally:
        sock.close()
    assert screen.request("GET", "/state")[0] == 200


def test_a_client_over_its_cap_closes_its_own_oldest_stream(crowd: Any) -> None:
    """A client that hoards 60 streams from its address keeps only its newest four; the
    stream it opens after them is served (200), and the earlier ones were told to wait
    before coming back, then closed."""
    screen = crowd(max_streams=200, per_client=4)
    hoarded = []
    try:
        for _ in range(60):
            stream = screen.stream()
            assert stream.status == 200
            hoarded.append(stream)
        newest = screen.stream()
        hoarded.append(newest)
        assert newest.status == 200 and newest.next()["stage"] == "open"
        assert screen.server.connections.streams() == 4
        oldest = hoarded[0]
        assert oldest.sock is not None
        oldest.sock.settimeout(3)
        rest = oldest.response.fp.read()  # to the end: the server closed it
        assert b"retry: 30000" in rest
    finally:
        for stream in hoarded:
            stream.close()


def test_one_clients_streams_never_close_anothers(crowd: Any) -> None:
    if sys.platform != "linux":
        pytest.skip("127.0.0.2 reaches this machine on Linux only")
    screen = crowd(per_client=2)
    projector = _source_stream(screen, "127.0.0.2")
    others = [screen.stream() for _ in range(6)]  # all from 127.0.0.1
    try:
        assert all(stream.status == 200 for stream in others)
        assert screen.server.connections.streams() == 3
        assert projector.next()["stage"] == "open"  # still open, still served
    finally:
        projector.close()
        for stream in others:
            stream.close()


def test_with_every_slot_taken_a_new_client_is_told_to_come_back(crowd: Any) -> None:
    if sys.platform != "linux":
        pytest.skip("127.0.0.2 reaches this machine on Linux only")
    screen = crowd(max_streams=3, per_client=4)
    streams = [_source_stream(screen, f"127.0.0.{n}") for n in (2, 3, 4)]
    try:
        assert all(stream.status == 200 for stream in streams)
        late = _source_stream(screen, "127.0.0.5")
        assert late.status == 503
        late.close()
    finally:
        for stream in streams:
            stream.close()


def _source_stream(screen: Screen, source: str) -> Stream:
    """An event stream opened from the local address `source`."""
    stream = Stream.__new__(Stream)
    stream.connection = http.client.HTTPConnection(screen.host, screen.port, timeout=5,
                                                   source_address=(source, 0))
    stream.connection.request("GET", "/events")
    stream.sock = stream.connection.sock
    stream.response = stream.connection.getresponse()
    stream.status = stream.response.status
    return stream


def test_a_floor_file_that_cannot_be_used_is_said_once_and_the_page_answers(
        folder: Path, opened: str, clock: Any) -> None:
    """A floor start with a time zone used to fail every request with a TypeError, said
    on the terminal each time: it is now an empty floor, said once."""
    floor_dir = folder / ".yiguan" / "floor"
    floor_dir.mkdir(parents=True)
    (floor_dir / f"{MEETING}.json").write_text(json.dumps({
        "holder": {"name": "刘晓菊", "item": 1, "minutes": 2,
                   "started": "2024-05-10T19:40:00+08:00"}, "queue": []}))
    said: list[str] = []
    server = server_module.make_server(DataFolder(folder), MEETING, port=0,
                                       now=lambda: clock.now, on_error=said.append)
    server_module.serve_in_background(server)
    try:
        screen = Screen(server)
        for _ in range(5):
            assert screen.state()["floor"] is None
    finally:
        server_module.stop(server)
    assert len(said) == 1 and "$.holder.started" in said[0]


def test_the_state_never_holds_a_phone_number_or_a_private_note(tmp_path: Path,
                                                                cli_for: Any,
                                                                planned: str, folder: Path,
                                                                clock: Any) -> None:
    run = cli_for(folder)
    run.ok("member", "add", "孙丽华", "--phone", "13912345678", "--note", "腿脚不便请留前排")
    run.ok("sign", "lxj", "ly", "wjg", "zgl", "--at", "19:20")
    run.ok("open", "--at", "19:30")
    server = server_module.make_server(DataFolder(folder), MEETING, port=0,
                                       now=lambda: clock.now)
    server_module.serve_in_background(server)
    try:
        text = Screen(server).request("GET", "/state")[2].decode()
    finally:
        server_module.stop(server)
    assert "13912345678" not in text and "腿脚不便" not in text
    assert not re.search(r"1[3-9]\d{9}", text)


# --- the command: Ctrl-C, --host -------------------------------------------------------------

def _start(folder: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "yiguan", "--dir", str(folder), "screen", "--no-open",
         "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "YIGUAN_LANG": ""})
    assert child.stdout is not None
    line = child.stdout.readline()
    found = re.search(r"http://[^/\s]+/", line)
    assert found, line
    # answered once it serves, which is after it took Ctrl-C over: a signal sent before
    # that would end it before its warnings and without "stopped"
    host, port = found.group(0)[7:-1].rsplit(":", 1)
    connection = http.client.HTTPConnection(host.strip("[]"), int(port), timeout=10)
    try:
        connection.request("GET", "/screen.css")
        assert connection.getresponse().status == 200
    finally:
        connection.close()
    return child, found.group(0)


def test_ctrl_c_stops_it_cleanly_within_two_seconds(folder: Path, opened: str) -> None:
    child, url = _start(folder)
    try:
        assert url.startswith("http://127.0.0.1:")
        host, port = url[7:-1].rsplit(":", 1)
        stream = Stream(host, int(port))  # an open event stream does not hold it up
        stream.next()
        child.send_signal(signal.SIGINT)
        started = time.monotonic()
        out, err = child.communicate(timeout=5)
        assert time.monotonic() - started < 2.0
        stream.close()
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert "Traceback" not in err and "大屏已停止" in out


def test_host_all_addresses_warns_that_the_network_can_see_it(folder: Path,
                                                              opened: str) -> None:
    child, url = _start(folder, "--host", "0.0.0.0")
    try:
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=5)
    finally:
        if child.poll() is None:
            child.kill()
    assert "同一网络中的任何人都能打开" in err
    assert len([line for line in err.splitlines() if line.strip()]) == 1


def test_a_busy_port_is_one_clear_line(folder: Path, opened: str) -> None:
    child, url = _start(folder)
    try:
        port = url.rsplit(":", 1)[1].strip("/")
        result = subprocess.run(
            [sys.executable, "-m", "yiguan", "--dir", str(folder), "screen", "--no-open",
             "--port", port], capture_output=True, text=True, timeout=10,
            env={**os.environ, "YIGUAN_LANG": ""})
    finally:
        child.send_signal(signal.SIGINT)
        child.communicate(timeout=5)
    assert_refused(result, "screen.port_busy", port=port)


@pytest.mark.parametrize("given, url_host", [("::1", "[::1]"), ("[::1]", "[::1]")])
def test_host_ipv6_loopback_is_served(folder: Path, opened: str, given: str,
                                      url_host: str) -> None:
    import socket

    if not socket.has_ipv6:
        pytest.skip("no IPv6 in this Python")
    child, url = _start(folder, "--host", given)
    try:
        assert url.startswith(f"http://{url_host}:")
        port = int(url.rsplit(":", 1)[1].strip("/"))
        connection = http.client.HTTPConnection("::1", port, timeout=5)
        connection.request("GET", "/state")
        assert connection.getresponse().status == 200
        connection.close()
        stream = Stream("::1", port)
        assert stream.status == 200 and stream.next()["stage"] == "open"
        stream.close()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=5)
    finally:
        if child.poll() is None:
            child.kill()
    assert err == "" and "大屏已停止" in out


def test_host_all_ipv6_addresses_takes_ipv4_too_and_warns(folder: Path, opened: str) -> None:
    import socket

    if not socket.has_ipv6:
        pytest.skip("no IPv6 in this Python")
    child, url = _start(folder, "--host", "::")
    try:
        port = int(url.rsplit(":", 1)[1].strip("/"))
        for address in ("::1", "127.0.0.1"):
            connection = http.client.HTTPConnection(address, port, timeout=5)
            connection.request("GET", "/state")
            assert connection.getresponse().status == 200, address
            connection.close()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=5)
    finally:
        if child.poll() is None:
            child.kill()
    assert url.startswith("http://[::1]:")
    assert "同一网络中的任何人都能打开" in err and "Traceback" not in err


def test_an_ipv6_host_without_ipv6_is_one_clear_line(run: Any, opened: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A system without IPv6 refuses the socket: said in one line that offers IPv4."""
    import errno
    import socket

    real = socket.socket

    def no_ipv6(family: int = socket.AF_INET, *args: Any, **kwargs: Any) -> Any:
        if family == socket.AF_INET6:
            raise OSError(errno.EAFNOSUPPORT, "Address family not supported by protocol")
        return real(family, *args, **kwargs)

    monkeypatch.setattr(socket, "socket", no_ipv6)
    for host in ("::", "::1"):
        result = run.refused("screen", "--host", host, "--port", "0", "--no-open")
        assert "IPv6" in result.stderr and "--host 127.0.0.1" in result.stderr


@pytest.mark.parametrize("host", ["::2", "192.0.2.7", "no-such-host.invalid", "[::1"])
def test_an_address_not_of_this_machine_is_one_clear_line(run: Any, opened: str,
                                                          host: str) -> None:
    result = run.refused("screen", "--host", host, "--port", "0", "--no-open")
    assert "无法在" in result.stderr and "Traceback" not in result.output


def test_max_streams_on_the_command_line_caps_the_streams(folder: Path, opened: str) -> None:
    if sys.platform != "linux":
        pytest.skip("127.0.0.2 reaches this machine on Linux only")
    child, url = _start(folder, "--max-streams", "1")
    try:
        host, port = url[7:-1].rsplit(":", 1)
        first = Stream(host, int(port))
        assert first.status == 200 and first.next()["stage"] == "open"
        screen = Screen.__new__(Screen)
        screen.host, screen.port = host, int(port)
        other = _source_stream(screen, "127.0.0.2")
        assert other.status == 503
        other.close()
        first.close()
        child.send_signal(signal.SIGINT)
        child.communicate(timeout=5)
    finally:
        if child.poll() is None:
            child.kill()


# --- screens that go away ----------------------------------------------------------------------

def _reset(host: str, port: int, request: bytes) -> None:
    """Connect, send `request`, then drop the connection as a TV going to sleep does: a
    reset (SO_LINGER 0), not an orderly close."""
    import socket
    import struct

    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(request)
        time.sleep(0.05)  # the server is reading the request, or answering it
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_a_screen_that_resets_its_connection_leaves_the_terminal_quiet(
        folder: Path, opened: str) -> None:
    """A projector or TV that sleeps mid-request resets the connection: the secretary's
    terminal says nothing about it (no traceback), and the server goes on answering."""
    child, url = _start(folder)
    try:
        host, port = url[7:-1].rsplit(":", 1)
        for request in (b"GET /screen.js HTTP/1.0\r\n",  # reset while the request is read
                        b"GET /screen.js HTTP/1.0\r\n\r\n",  # … while it is answered
                        b"GET /events HTTP/1.0\r\n\r\n", b"GET /state HTTP/1.0\r\n\r\n"):
            for _ in range(3):
                _reset(host, int(port), request)
        time.sleep(0.3)
        answer = http.client.HTTPConnection(host, int(port), timeout=5)
        answer.request("GET", "/state")
        assert answer.getresponse().status == 200
        answer.close()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=5)
    finally:
        if child.poll() is None:
            child.kill()
    assert "Traceback" not in err and err == "", err
    assert child.returncode == 0 and "大屏已停止" in out


def test_any_other_failure_while_answering_is_one_line(screen: Screen,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    def broken(self: Any) -> Any:
        raise RuntimeError("状态读取失败")

    monkeypatch.setattr(server_module.Watcher, "poll", broken)
    with pytest.raises((http.client.HTTPException, OSError)):
        screen.request("GET", "/state")
    time.sleep(0.1)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and "状态读取失败" in lines[0] and "127.0.0.1" in lines[0]
    assert lines[0].startswith("yiguan: ")
    assert screen.request("GET", "/screen.css")[0] == 200  # and it goes on answering


# --- only requests addressed to this machine (DNS rebinding) ------------------------------------

@pytest.mark.parametrize("host", [
    "127.0.0.1", "127.0.0.1:{port}", "localhost", "localhost:{port}", "LOCALHOST:{port}",
    "[::1]", "[::1]:{port}"])
def test_the_loopback_by_any_of_its_names_is_answered(screen: Screen, host: str) -> None:
    for path in ("/", "/state", "/screen.js"):
        assert screen.request("GET", path, host=host.format(port=screen.port))[0] == 200


@pytest.mark.parametrize("host", [
    "evil.example.com", "evil.example.com:{port}", "127.0.0.1.evil.example.com",
    "localhost.evil.example.com:{port}", "127.0.0.2:{port}", "192.168.1.5:{port}",
    "127.0.0.1:http", "127.0.0.1:{port}:{port}", "::1", "[::1", "", "127.0.0.1:8\u00b2"])
def test_a_request_addressed_to_another_name_is_misdirected(screen: Screen,
                                                             host: str) -> None:
    """A page whose name was pointed at 127.0.0.1 (DNS rebinding) sends its own name as
    Host: nothing of the meeting is answered to it, not even the page."""
    for path in ("/", "/state", "/events", "/screen.js", "/nothing"):
        status, _, body = screen.request("GET", path, host=host.format(port=screen.port))
        assert status == 421, (host, path)
        assert b"stage" not in body and b"<html" not in body
    assert screen.request("HEAD", "/state", host="evil.example.com")[0] == 421


def test_two_host_headers_are_misdirected(screen: Screen) -> None:
    import socket

    with socket.create_connection((screen.host, screen.port), timeout=5) as sock:
        sock.sendall(b"GET /state HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Host: evil.example.com\r\nConnection: close\r\n\r\n")
        reply = sock.makefile("rb").read()
    assert reply.startswith(b"HTTP/1.0 421 ")


def test_on_all_addresses_the_address_a_request_arrived_on_is_answered(
        folder: Path, opened: str) -> None:
    """Bound to 0.0.0.0, a TV opens the page at the LAN address the command printed: the
    address the request arrived on is this machine's own, so it is answered; a name of
    another machine, or another address in the Host, is not. (127.0.0.2 stands for the
    LAN address here: on Linux all of 127/8 reaches this machine.)"""
    if sys.platform != "linux":
        pytest.skip("127.0.0.2 reaches this machine on Linux only")
    server = server_module.make_server(DataFolder(folder), MEETING, host="0.0.0.0", port=0)
    server_module.serve_in_background(server)
    try:
        screen = Screen(server)
        port = screen.port
        assert screen.request("GET", "/state", via="127.0.0.2",
                              host=f"127.0.0.2:{port}")[0] == 200
        assert screen.request("GET", "/state", via="127.0.0.2", host="127.0.0.2")[0] == 200
        assert screen.request("GET", "/state", via="127.0.0.1",
                              host=f"localhost:{port}")[0] == 200
        assert screen.request("GET", "/state", via="127.0.0.1",
                              host=f"127.0.0.2:{port}")[0] == 421
        assert screen.request("GET", "/state", via="127.0.0.2",
                              host=f"127.0.0.3:{port}")[0] == 421
        assert screen.request("GET", "/state", via="127.0.0.2",
                              host="evil.example.com")[0] == 421
        lan = server_module.lan_address()
        if lan is not None:
            assert screen.request("GET", "/state", via=lan, host=f"{lan}:{port}")[0] == 200
            assert screen.request("GET", "/state", via=lan, host="evil.example.com")[0] == 421
    finally:
        server_module.stop(server)


def test_this_machines_host_name_is_answered(screen: Screen) -> None:
    import socket

    name = socket.gethostname()
    assert screen.request("GET", "/state", host=f"{name}:{screen.port}")[0] == 200
    assert screen.request("GET", "/state", host=f"{name}.local")[0] == 200
    assert screen.request("GET", "/state", host=f"{name}.evil.example.com")[0] == 421


# --- no request body; the room's network (--lan) ------------------------------------------

def _raw(screen: Screen, request: bytes) -> bytes:
    import socket

    with socket.create_connection((screen.host, screen.port), timeout=5) as sock:
        sock.sendall(request)
        return sock.makefile("rb").read()


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("path", ["/", "/state", "/events", "/screen.js", "/nothing"])
def test_a_request_with_a_body_is_refused(screen: Screen, method: str, path: str,
                                          folder: Path) -> None:
    before = (folder / f"{MEETING}.toml").read_bytes()
    for headers, body in ((b"Content-Length: 5\r\n", b"hello"),
                          (b"Content-Length: 100000\r\n", b"x" * 100_000),
                          (b"Transfer-Encoding: chunked\r\n", b"5\r\nhello\r\n0\r\n\r\n"),
                          (b"Content-Length: 1\r\nContent-Length: 0\r\n", b"x")):
        reply = _raw(screen, f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode()
                     + headers + b"Connection: close\r\n\r\n" + body)
        assert reply.startswith(b"HTTP/1.0 400 "), (path, headers, reply[:60])
        answer = reply.partition(b"\r\n\r\n")[2]
        assert answer in (b"400 no request body accepted\n", b""), answer[:60]
    assert screen.server.connections.streams() == 0
    assert (folder / f"{MEETING}.toml").read_bytes() == before
    # an empty body announced as such is no body
    reply = _raw(screen, f"{method} /state HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 "Content-Length: 0\r\nConnection: close\r\n\r\n".encode())
    assert reply.startswith(b"HTTP/1.0 200 ")


def test_the_lan_address_phones_open_is_answered_and_drawn_as_a_qr_code(
        folder: Path, opened: str) -> None:
    """`follow_url` (what `screen --lan` does with the room-network address): the page
    carries segno's SVG of exactly that URL, and a Host naming that address is answered
    even on a connection that came in by another of the machine's addresses. (127.0.0.2
    stands for the LAN address.)"""
    segno = pytest.importorskip("segno")
    server = server_module.make_server(DataFolder(folder), MEETING, host="0.0.0.0", port=0)
    server_module.serve_in_background(server)
    try:
        screen = Screen(server)
        url = server_module.follow_url(server, "127.0.0.2")
        assert url == f"http://127.0.0.2:{screen.port}/"
        status, _, page = screen.request("GET", "/", via="127.0.0.1")
        assert status == 200
        svg = segno.make(url).svg_inline(omitsize=True)
        assert page.decode().count(svg) == 2  # beside the sign-in, and beside the queue
        assert url.encode() in page and b"<!--qr-->" not in page
        assert screen.request("GET", "/state", via="127.0.0.1",
                              host=f"127.0.0.2:{screen.port}")[0] == 200
        assert screen.request("GET", "/state", via="127.0.0.1",
                              host=f"127.0.0.3:{screen.port}")[0] == 421
    finally:
        server_module.stop(server)


def test_without_lan_the_page_has_no_qr_code(screen: Screen) -> None:
    _, _, page = screen.request("GET", "/")
    assert b"<svg" not in page and b"<!--qr-->" not in page and b'class="qr"' not in page


def test_lan_prints_the_address_phones_open(folder: Path, opened: str) -> None:
    if server_module.lan_address() is None:
        pytest.skip("this machine has no room-network address")
    child, url = _start(folder, "--lan")
    try:
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=5)
    finally:
        if child.poll() is None:
            child.kill()
    port = url.rsplit(":", 1)[1].rstrip("/")
    phones = f"http://{server_module.lan_address()}:{port}/"
    assert f"手机扫大屏上的二维码，或打开：{phones}" in out
    assert "同一网络中的任何人都能打开" in err


def test_lan_without_a_network_address_is_one_clear_line(run: Any, opened: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_module, "lan_address", lambda: None)
    assert_refused(run("screen", "--lan", "--no-open", "--port", "0"), "screen.no_lan")
