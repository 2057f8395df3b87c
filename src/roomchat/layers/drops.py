"""Counting what a channel layer drops, so a lost delivery is never silent."""

from __future__ import annotations

import logging

logger = logging.getLogger("roomchat.layers")


class DropCounter:
    """How many deliveries a layer has dropped, each drop logged as a warning."""

    def __init__(self, layer: str) -> None:
        self.layer = layer
        self.dropped = 0

    def record(self, channel: str, why: str, count: int = 1) -> None:
        self.dropped += count
        logger.warning(
            "%s layer dropped %d deliveries to %s (%s); %d dropped so far",
            self.layer,
            count,
            channel,
            why,
            self.dropped,
        )
