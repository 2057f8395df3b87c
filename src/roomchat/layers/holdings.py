"""What a channel layer holds for this process: the figures that show whether it leaks.

Every closed connection must leave nothing behind in its layer, so with no connection open
both counts are back where they started (`/metrics`: `roomchat_layer_channels`,
`roomchat_layer_groups`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LayerHoldings:
    channels: int
    """Consumer channels the layer keeps a queue, inbox or subscription for."""
    groups: int
    """Groups the layer keeps members of in this process (the Redis queue layer keeps its
    groups in Redis only: always 0)."""
