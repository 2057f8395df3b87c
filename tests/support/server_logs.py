"""The log of each server running in this process, kept apart from the others' and from the
test's own output.

`roomchat serve` writes structlog's lines (roomchat's, chanx's) and stdlib logging's (uvicorn's,
fast-channels', the layers') to its output, which tests read. In one process those loggers are
shared, so each line is routed by a context variable that a server's thread sets before its
event loop starts: every task and callback of that loop inherits it. Lines logged outside any
server go wherever they went before.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import structlog
from uvicorn.logging import DefaultFormatter

UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


class ServerLog:
    """One server's log lines, appended from its thread and read from the test's."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._lock = threading.Lock()

    def write(self, text: str) -> None:
        line = text if text.endswith("\n") else f"{text}\n"
        with self._lock:
            self._lines.append(line)

    def text(self) -> str:
        with self._lock:
            return "".join(self._lines)


_current_log: ContextVar[ServerLog | None] = ContextVar("roomchat_server_log", default=None)


@contextmanager
def logging_to(log: ServerLog) -> Iterator[None]:
    """Inside, and in every task started from inside, log lines go to `log`."""
    token = _current_log.set(log)
    try:
        yield
    finally:
        _current_log.reset(token)


def route_logs() -> None:
    """Route both logging systems by server. Run it after each `create_app`: the app configures
    structlog anew for the whole process."""
    factory = structlog.get_config()["logger_factory"]
    if not isinstance(factory, _RoutedLoggerFactory):
        structlog.configure(logger_factory=_RoutedLoggerFactory(factory))
    root = logging.getLogger()
    if not any(isinstance(handler, _RoutedHandler) for handler in root.handlers):
        root.addHandler(_RoutedHandler())
    # uvicorn's loggers reach the root's handler, as they do in `roomchat serve`'s JSON setup.
    for name in UVICORN_LOGGERS:
        logging.getLogger(name).propagate = True


class _RoutedHandler(logging.Handler):
    """stdlib records logged inside a server, formatted the way `roomchat serve` writes
    uvicorn's lines."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(DefaultFormatter("%(levelprefix)s %(message)s", use_colors=False))

    def emit(self, record: logging.LogRecord) -> None:
        log = _current_log.get()
        if log is not None:
            log.write(self.format(record))


class _RoutedLoggerFactory:
    """Wraps structlog's logger factory: a line rendered inside a server goes to its log."""

    def __init__(self, wrapped: Callable[..., Any]) -> None:
        self.wrapped = wrapped

    def __call__(self, *args: Any) -> _RoutedLogger:
        return _RoutedLogger(self.wrapped(*args))


class _RoutedLogger:
    """structlog calls its logger's method named after the level with the rendered line."""

    def __init__(self, wrapped: Any) -> None:
        self._wrapped = wrapped

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method: Callable[..., Any] = getattr(self._wrapped, name)

        def log(*args: Any, **kwargs: Any) -> Any:
            server_log = _current_log.get()
            # A stdlib logger gets what the stdlib handler above routes; anything but a
            # rendered line is not ours to write.
            rendered = len(args) == 1 and not kwargs and isinstance(args[0], str)
            if server_log is None or not rendered or isinstance(self._wrapped, logging.Logger):
                return method(*args, **kwargs)
            server_log.write(args[0])
            return None

        return log
