"""Plain TCP sockets speaking just enough HTTP and WebSocket to misbehave on purpose."""

from __future__ import annotations

import base64
import contextlib
import os
import socket
import time
from pathlib import Path

UPGRADE_HEADERS = (
    b"Upgrade: websocket\r\n"
    b"Connection: Upgrade\r\n"
    b"Sec-WebSocket-Version: 13\r\n"
    b"Sec-WebSocket-Key: " + base64.b64encode(os.urandom(16)) + b"\r\n"
)


def open_socket(port: int, *, receive_buffer: int | None = None) -> socket.socket:
    """A connected socket to 127.0.0.1:`port`; `receive_buffer` shrinks SO_RCVBUF first."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if receive_buffer is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.settimeout(5)
    sock.connect(("127.0.0.1", port))
    return sock


def request_head(path: str, *headers: bytes, websocket: bool = False) -> bytes:
    """A complete request head: `GET path`, a Host header, `headers`, and the upgrade if asked."""
    lines = [f"GET {path} HTTP/1.1\r\n".encode(), b"Host: 127.0.0.1\r\n"]
    lines += [header + b"\r\n" for header in headers]
    if websocket:
        lines.append(UPGRADE_HEADERS)
    return b"".join(lines) + b"\r\n"


def read_until_closed(sock: socket.socket, *, within: float) -> bytes:
    """Everything the server sends until it closes the connection (EOF or reset).

    Fails if the connection is still open after `within` seconds.
    """
    received = b""
    deadline = time.monotonic() + within
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"still open after {within} s; received {received[:200]!r}")
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return received
        except TimeoutError:
            continue
        if not chunk:
            return received
        received += chunk


def send_ignoring_close(sock: socket.socket, data: bytes) -> None:
    """Send `data`; stop quietly when the server has closed the connection."""
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        sock.sendall(data)


def websocket_handshake(sock: socket.socket, path: str) -> bytes:
    """Open a WebSocket without compression on `sock`; the server's 101 response head."""
    sock.sendall(request_head(path, websocket=True))
    response = b""
    while b"\r\n\r\n" not in response:
        chunk = sock.recv(4096)
        assert chunk, f"closed during the handshake: {response!r}"
        response += chunk
    assert response.startswith(b"HTTP/1.1 101"), response
    return response


def server_holds_connection(server_port: int, client: socket.socket) -> bool:
    """Whether a process still owns the server's end of `client`'s TCP connection.

    Read from /proc/net/tcp: the server's end is the socket whose local port is the server's
    and whose remote port is the client's. A socket the kernel keeps alone after its owner
    closed it (FIN-WAIT, TIME-WAIT) has inode 0.
    """
    client_port = client.getsockname()[1]
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        remote_port = int(fields[2].split(":")[1], 16)
        if (local_port, remote_port) == (server_port, client_port) and fields[9] != "0":
            return True
    return False
