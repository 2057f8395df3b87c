"""The servers end-to-end tests talk to: what every one offers (`LiveServer`), and a real
`roomchat serve` process (`live_server`) for tests where the process itself is the point
(signals, memory, several processes, what `roomchat serve` adds under uvicorn).

Most tests need only the app on a loopback port: tests/support/in_process_server.py starts it
in this process, far more cheaply.
"""

from __future__ import annotations

from typing import Protocol

from roomchat.bench.launcher import ServerProcess, http_get
from roomchat.bench.launcher import roomchat_serve as live_server

__all__ = ["LiveServer", "ServerProcess", "http_get", "live_server"]


class LiveServer(Protocol):
    """A roomchat serving on loopback, in this process or in its own."""

    @property
    def host(self) -> str: ...

    @property
    def port(self) -> int: ...

    @property
    def http_url(self) -> str: ...

    @property
    def ws_url(self) -> str: ...

    def log(self) -> str:
        """Everything the server logged so far."""
        ...

    def serving(self) -> bool:
        """Whether it still serves (it did not crash or exit)."""
        ...

    def health(self) -> tuple[int, str]:
        """`GET /healthz`: the status code and body."""
        ...

    def metrics(self) -> str:
        """`GET /metrics`, which must answer 200."""
        ...
