"""Server processes on loopback, for the benchmark and the tests: `roomchat serve`, or the
benchmark's reference server.

Each runs with the caller's environment minus anything that would configure roomchat
(`ROOMCHAT_*`, `REDIS_URL`) plus what it is given, writes its output to a log file of its own,
counts as started once it answers, and is stopped with SIGTERM (killed if it hangs).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
STARTUP_SECONDS = 30
ROOMCHAT_SERVE = "roomchat serve"
REFERENCE_SERVER = "reference server"
# Process starts in this process so far, by kind: the test suite reports them.
launches: Counter[str] = Counter()


@dataclass(frozen=True)
class ServerProcess:
    """A running server process: where to reach it and where its output goes."""

    host: str
    port: int
    log_path: Path
    process: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def http_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")

    def serving(self) -> bool:
        """Whether the process is still running."""
        return self.process.poll() is None

    def signal_and_wait(self, signum: int = signal.SIGTERM, timeout: float = 15) -> int:
        """Send `signum` (SIGTERM by default) and wait for the process to exit; its return code."""
        self.process.send_signal(signum)
        return self.process.wait(timeout=timeout)

    def rss_kib(self) -> int:
        """The process's resident memory, in KiB (Linux)."""
        status = Path(f"/proc/{self.pid}/status").read_text()
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
    """The status code and body of `GET url` (an error status is an answer too)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode("utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def clean_environment(overrides: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without roomchat's configuration, plus `overrides`."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("ROOMCHAT_") and name != "REDIS_URL"
    }
    environment.update(overrides)
    return environment


@contextmanager
def roomchat_serve(
    environment: Mapping[str, str] | None = None,
    *,
    port: int | None = None,
    workers: int = 1,
    core: int | None = None,
) -> Iterator[ServerProcess]:
    """`roomchat serve` configured by `environment` (ROOMCHAT_*, REDIS_URL) until the block ends.

    `port` (default: a free one) lets a caller restart a server where clients expect it;
    `core` pins the process to one CPU.
    """
    port = port or free_port()
    command = [sys.executable, "-m", "roomchat", "serve"]
    command += ["--host", HOST, "--port", str(port), "--workers", str(workers)]
    # Listening is checked in the server's own log: someone else's server on this machine
    # may take the port between `free_port()` and the bind, and would answer /healthz too.
    listening = f"Uvicorn running on http://{HOST}:{port}"

    def ready(server: ServerProcess) -> bool:
        return listening in server.log() and _healthy(server.http_url)

    with _server_process(
        ROOMCHAT_SERVE, command, clean_environment(environment or {}), port, ready, core
    ) as server:
        yield server


@contextmanager
def reference_server(*, core: int | None = None) -> Iterator[ServerProcess]:
    """The benchmark's reference server (`roomchat.bench.reference`) until the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "roomchat.bench.reference", "--port", str(port)]

    def ready(server: ServerProcess) -> bool:
        return _accepts(server.port)

    with _server_process(
        REFERENCE_SERVER, command, clean_environment({}), port, ready, core
    ) as server:
        yield server


@contextmanager
def _server_process(
    kind: str,
    command: list[str],
    environment: Mapping[str, str],
    port: int,
    ready: Callable[[ServerProcess], bool],
    core: int | None,
) -> Iterator[ServerProcess]:
    with tempfile.NamedTemporaryFile(prefix="roomchat-server-", suffix=".log", delete=False) as log:
        log_path = Path(log.name)
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, env=dict(environment), stdout=log_file, stderr=subprocess.STDOUT
        )
    launches[kind] += 1
    if core is not None:
        os.sched_setaffinity(process.pid, {core})
    server = ServerProcess(HOST, port, log_path, process)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not ready(server):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{kind} did not come up:\n{server.log()}")
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


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False
