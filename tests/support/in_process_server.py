"""roomchat served from this process: the app `create_app(settings)` builds, on a loopback port,
by uvicorn with the options `roomchat serve` gives it, in a thread with its own event loop.

It starts in milliseconds where a `roomchat serve` process takes seconds. Use a process
(tests/support/live_server.py) where the process is the point: signals, its memory, several
processes sharing Redis, or what `roomchat serve` checks before it serves.

Stopping one does what SIGTERM does to `roomchat serve`: room connections are closed with 1001
(their rooms told they left), then uvicorn shuts down.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from roomchat.bench.launcher import HOST, http_get
from roomchat.main import close_room_connections, create_app
from roomchat.settings import Settings
from roomchat.transport.serve_options import serve_options
from tests.support.server_logs import ServerLog, logging_to, route_logs

STARTUP_SECONDS = 20
STOP_SECONDS = 15
# Servers started in this process so far, by layer: the test suite reports them.
starts: Counter[str] = Counter()


def settings_from(environment: Mapping[str, str]) -> Settings:
    """The settings `roomchat serve` would read from `environment` alone (not os.environ)."""
    variables = {_variable(name): name for name in Settings.model_fields}
    unknown = set(environment) - set(variables)
    assert not unknown, f"not roomchat settings: {sorted(unknown)}"
    return _GivenSettings.model_validate(
        {variables[variable]: value for variable, value in environment.items()}
    )


class _GivenSettings(Settings):
    """Settings from the values given to them, and from nowhere else."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def _variable(name: str) -> str:
    alias = Settings.model_fields[name].validation_alias
    return alias if isinstance(alias, str) else f"ROOMCHAT_{name.upper()}"


class _ServingThread(threading.Thread):
    """Builds the app and serves it until told to stop; every line it logs goes to `log`."""

    def __init__(self, settings: Settings, listener: socket.socket, log: ServerLog) -> None:
        host, port = listener.getsockname()
        super().__init__(name=f"roomchat:{port}", daemon=True)
        self.settings = settings
        self.listener = listener
        self.log = log
        self.address = (str(host), int(port))
        self.failure: BaseException | None = None
        self._app: FastAPI | None = None
        self._server: uvicorn.Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def run(self) -> None:
        host, port = self.address
        with logging_to(self.log):
            try:
                self._app = create_app(self.settings)
                route_logs()
                config = uvicorn.Config(
                    self._app,
                    **serve_options(self.settings, host=host, port=port),
                    # Logging stays as this process has it; route_logs() gives each server its own.
                    log_config=None,
                    log_level="info",
                )
                self._server = uvicorn.Server(config)
                with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
                    self._loop = runner.get_loop()
                    runner.run(self._server.serve(sockets=[self.listener]))
            except BaseException as error:  # uvicorn ends a failed startup with SystemExit
                self.failure = error

    @property
    def serving(self) -> bool:
        server = self._server
        return self.is_alive() and server is not None and server.started and not server.should_exit

    def stop(self) -> None:
        server, loop, app = self._server, self._loop, self._app
        if self.serving and loop is not None and app is not None:
            draining = asyncio.run_coroutine_threadsafe(
                close_room_connections(app.state.service), loop
            )
            draining.result(timeout=self.settings.shutdown_grace_seconds + STOP_SECONDS)
        if server is not None:
            server.should_exit = True
        self.join(STOP_SECONDS)
        if self.is_alive() and server is not None:
            server.force_exit = True  # connections that never close: stop waiting for them
            self.join(STOP_SECONDS)
        assert not self.is_alive(), "the in-process server did not stop"


@dataclass(frozen=True)
class InProcessServer:
    """A roomchat app served from a thread of this process."""

    host: str
    port: int
    settings: Settings
    _thread: _ServingThread

    @property
    def http_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    def log(self) -> str:
        return self._thread.log.text()

    def serving(self) -> bool:
        return self._thread.serving

    def health(self) -> tuple[int, str]:
        return http_get(f"{self.http_url}/healthz")

    def metrics(self) -> str:
        status, body = http_get(f"{self.http_url}/metrics")
        assert status == 200, body
        return body


def _listening_socket(port: int) -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # A test restarting a server on the same port must not wait for TIME_WAIT to pass.
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, port))
    listener.listen(2048)
    return listener


@contextmanager
def in_process_server(
    environment: Mapping[str, str] | None = None, *, port: int = 0
) -> Iterator[InProcessServer]:
    """roomchat configured by `environment` (ROOMCHAT_*, REDIS_URL) served from this process
    until the block ends; on `port`, or on one the system picks."""
    settings = settings_from(environment or {})
    listener = _listening_socket(port)
    thread = _ServingThread(settings, listener, ServerLog())
    server = InProcessServer(*thread.address, settings, thread)
    starts[settings.layer.value] += 1
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not thread.serving:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(
                    f"in-process roomchat did not come up: {thread.failure!r}\n{server.log()}"
                )
            time.sleep(0.01)
        yield server
    finally:
        thread.stop()
        listener.close()
