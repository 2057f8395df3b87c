"""A real Redis for the tests: the one in REDIS_URL, one on 127.0.0.1:6379, or our own."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

from roomchat.bench.servers import redis_answers as answers
from tests.support.ports import free_port

DEFAULT_URL = "redis://127.0.0.1:6379/0"


@contextmanager
def started_redis_server() -> Iterator[str]:
    """A throwaway `redis-server` on a free loopback port, stopped afterwards."""
    executable = shutil.which("redis-server")
    if executable is None:
        raise FileNotFoundError("redis-server is not installed")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="roomchat-redis-") as workdir:
        process = subprocess.Popen(
            [
                executable,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                workdir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"redis://127.0.0.1:{port}/0"
        try:
            deadline = time.monotonic() + 10
            while not answers(url):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on port {port}")
                time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


@contextmanager
def redis_for_tests() -> Iterator[str | None]:
    """The URL of a Redis the tests may use, or None when there is none to be had."""
    configured = os.environ.get("REDIS_URL")
    if configured:
        yield configured if answers(configured) else None
        return
    if answers(DEFAULT_URL):
        yield DEFAULT_URL
        return
    if shutil.which("redis-server") is None:
        yield None
        return
    with started_redis_server() as url:
        yield url


class RestartableRedis:
    """A `redis-server` of the test's own on a fixed loopback port, stopped and restarted at will.

    Never the shared Redis: tests that take Redis away must own the one they take away.
    """

    def __init__(self, workdir: str) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            raise FileNotFoundError("redis-server is not installed")
        self._executable = executable
        self._workdir = workdir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            [
                self._executable,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self._workdir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not answers(self.url):
            if time.monotonic() > deadline or self._process.poll() is not None:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()  # as a crash would: no goodbye to the clients
            self._process.wait(timeout=10)
            self._process = None


@contextmanager
def restartable_redis() -> Iterator[RestartableRedis]:
    with tempfile.TemporaryDirectory(prefix="roomchat-redis-") as workdir:
        server = RestartableRedis(workdir)
        server.start()
        try:
            yield server
        finally:
            server.stop()
