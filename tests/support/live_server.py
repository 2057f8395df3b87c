"""A real `roomchat serve` process on 127.0.0.1, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.ports import free_port

STARTUP_SECONDS = 20
# Variables of the developer's shell that would change what the server under test does.
_SERVICE_VARIABLES = ("REDIS_URL",)


@dataclass(frozen=True)
class LiveServer:
    """A running server: where to reach it and where its log goes."""

    host: str
    port: int
    log_path: Path
    process: subprocess.Popen[bytes]

    @property
    def http_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")

    def signal_and_wait(self, signum: int = signal.SIGTERM, timeout: float = 15) -> int:
        """Send `signum` (SIGTERM by default) and wait for the process to exit; its return code."""
        self.process.send_signal(signum)
        return self.process.wait(timeout=timeout)

    def rss_kib(self) -> int:
        """The server process's resident memory, in KiB (Linux)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS in /proc status")

    def health(self) -> tuple[int, str]:
        """`GET /healthz`: the status code and body."""
        return http_get(f"{self.http_url}/healthz")

    def metrics(self) -> str:
        status, body = http_get(f"{self.http_url}/metrics")
        assert status == 200, body
        return body


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode("utf-8")


def _environment(overrides: Mapping[str, str]) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("ROOMCHAT_") and name not in _SERVICE_VARIABLES
    }
    environment.update(overrides)
    return environment


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def live_server(
    environment: Mapping[str, str] | None = None,
    *,
    port: int | None = None,
    workers: int = 1,
) -> Iterator[LiveServer]:
    """Start `roomchat serve` with `environment` (ROOMCHAT_*, REDIS_URL) and stop it after.

    `port` (default: a free one) lets a test restart a server where clients expect it.
    """
    port = port or free_port()
    with tempfile.NamedTemporaryFile(prefix="roomchat-server-", suffix=".log", delete=False) as log:
        log_path = Path(log.name)
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "roomchat", "serve"),
                *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
            ],
            env=_environment(environment or {}),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer("127.0.0.1", port, log_path, process)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        # Listening is checked in our own log: other people's servers on this machine may
        # take the port between `free_port()` and our bind, and would answer /healthz too.
        listening = f"Uvicorn running on http://127.0.0.1:{port}"
        while listening not in server.log() or not _healthy(server.http_url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"roomchat serve did not come up:\n{server.log()}")
            time.sleep(0.05)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_path.unlink(missing_ok=True)
