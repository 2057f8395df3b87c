"""A Redis outage in the log: one line when it starts, one when it ends.

A layer reconnects quietly in between (about once a second); each attempt that fails is
expected while Redis is away and says nothing new, so it is not logged. Nor is a traceback:
the cause is in the first line, and `/healthz` reports the outage meanwhile.
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger("roomchat.layers")


class OutageLog:
    """Whether a layer has found Redis unreachable, logging each change once."""

    def __init__(self, layer: str) -> None:
        self.layer = layer
        self._since: float | None = None

    @property
    def in_outage(self) -> bool:
        return self._since is not None

    def unreachable(self, error: BaseException) -> None:
        """Redis did not answer; logged only when it answered before."""
        if self._since is not None:
            return
        self._since = time.monotonic()
        logger.error(
            "%s layer: Redis unreachable (%s); reconnecting quietly until it is back",
            self.layer,
            str(error) or type(error).__name__,
        )

    def reachable(self) -> None:
        """Redis answered; logged only when it did not before."""
        if self._since is None:
            return
        lasted = time.monotonic() - self._since
        self._since = None
        logger.warning("%s layer: Redis is back after %.1f s", self.layer, lasted)
