"""A transport whose `close()` ends in an abort when the peer will not take the rest.

asyncio's `Transport.close()` keeps the socket open until everything written has been sent.
A client that stops reading never takes it, so a connection the server has given up on (a
slow consumer cut with 4408, a missed keepalive pong, any close) would be held forever.
uvicorn's protocols only ever call `close()`, so `roomchat serve` hands them this wrapper:
once closing has gone on for the grace, the connection is reset. The reset (SO_LINGER 0)
also frees what the kernel still holds for the socket, which a plain close would keep while
it retries a peer that never opens its window.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import Any

# struct linger {int l_onoff; int l_linger;}: on, zero seconds: close() sends RST at once.
_RESET_ON_CLOSE = struct.pack("ii", 1, 0)
_TCP_FAMILIES = (socket.AF_INET, socket.AF_INET6)


class CloseGraceTransport(asyncio.Transport):
    """Delegates to `transport`; a close that has not finished after `grace` seconds aborts."""

    def __init__(self, transport: asyncio.Transport, grace: float) -> None:
        super().__init__(extra=None)
        self.transport = transport
        self.grace = grace
        self._deadline: asyncio.TimerHandle | None = None
        self._lost = False

    def mark_lost(self) -> None:
        """The protocol was told the connection is gone: nothing is left to abort."""
        self._lost = True
        if self._deadline is not None:
            self._deadline.cancel()

    def close(self) -> None:
        self.transport.close()
        self.abort_later()

    def abort_later(self) -> None:
        """Abort once `grace` seconds have passed, unless the connection is gone by then."""
        if self._deadline is None and not self._lost:
            self._deadline = asyncio.get_running_loop().call_later(self.grace, self.abort)

    def abort(self) -> None:
        if self._lost:
            return
        self.mark_lost()  # it is as soon as the transport calls back; abort once
        sock = self.transport.get_extra_info("socket")
        if sock is not None and sock.fileno() != -1 and sock.family in _TCP_FAMILIES:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RESET_ON_CLOSE)
        self.transport.abort()

    # -- the rest is the wrapped transport's ---------------------------------------------

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.transport.get_extra_info(name, default)

    def is_closing(self) -> bool:
        return self.transport.is_closing()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self.transport.get_protocol()

    def is_reading(self) -> bool:
        return self.transport.is_reading()

    def pause_reading(self) -> None:
        self.transport.pause_reading()

    def resume_reading(self) -> None:
        self.transport.resume_reading()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self.transport.set_write_buffer_limits(high, low)

    def get_write_buffer_size(self) -> int:
        return self.transport.get_write_buffer_size()

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self.transport.get_write_buffer_limits()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.transport.write(data)

    def writelines(self, list_of_data: Any) -> None:
        self.transport.writelines(list_of_data)

    def write_eof(self) -> None:
        self.transport.write_eof()

    def can_write_eof(self) -> bool:
        return self.transport.can_write_eof()
