"""Server processes under test: roomchat on a layer, or the reference server, on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

STARTUP_SECONDS = 30
HOST = "127.0.0.1"
REFERENCE = "reference"
# The environment every roomchat under test gets: benchmarks run without the rate limit,
# except those whose attack must stay inside it.
BENCH_ENVIRONMENT = {"ROOMCHAT_RATE_LIMIT": "0"}


@dataclass(frozen=True)
class RunningServer:
    pid: int
    port: int
    log_path: Path

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


def _command(target: str, port: int) -> list[str]:
    if target == REFERENCE:
        return [sys.executable, "-m", "roomchat.bench.reference", "--port", str(port)]
    return [sys.executable, "-m", "roomchat", "serve", "--host", HOST, "--port", str(port)]


def _environment(
    target: str, redis_url: str | None, prefix: str, *, rate_limited: bool
) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("ROOMCHAT_") and name != "REDIS_URL"
    }
    if target != REFERENCE:
        if not rate_limited:
            environment.update(BENCH_ENVIRONMENT)
        environment["ROOMCHAT_LAYER"] = target
        environment["ROOMCHAT_REDIS_PREFIX"] = prefix
        if target != "memory":
            assert redis_url is not None, f"{target} needs a Redis"
            environment["REDIS_URL"] = redis_url
    return environment


@contextmanager
def _one_server(
    target: str, environment: Mapping[str, str], core: int | None
) -> Iterator[RunningServer]:
    port = free_port()
    with tempfile.NamedTemporaryFile(prefix="roomchat-bench-", suffix=".log", delete=False) as log:
        log_path = Path(log.name)
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            _command(target, port), env=dict(environment), stdout=log_file, stderr=subprocess.STDOUT
        )
    if core is not None:
        os.sched_setaffinity(process.pid, {core})
    server = RunningServer(process.pid, port, log_path)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _accepts(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{target} server did not come up:\n{server.log()}")
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


@contextmanager
def servers(
    target: str,
    count: int,
    redis_url: str | None,
    cores: Sequence[int] | None,
    *,
    rate_limited: bool = False,
) -> Iterator[list[RunningServer]]:
    """`count` processes of `target` (a layer name or `reference`) sharing one Redis prefix,
    process `i` pinned to `cores[i % len(cores)]`; roomchat with its default rate limit when
    `rate_limited`, else with none."""
    prefix = f"rcbench{uuid.uuid4().hex[:10]}"
    environment = _environment(target, redis_url, prefix, rate_limited=rate_limited)
    try:
        with ExitStack() as stack:
            yield [
                stack.enter_context(
                    _one_server(target, environment, cores[i % len(cores)] if cores else None)
                )
                for i in range(count)
            ]
    finally:
        if redis_url is not None and target not in (REFERENCE, "memory"):
            delete_prefixed_keys(redis_url, prefix)


def redis_answers(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False


def delete_prefixed_keys(url: str, prefix: str) -> None:
    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
