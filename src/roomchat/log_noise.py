"""Keep a Redis outage to one line per retry in the log, not a traceback a second.

fast-channels' pub/sub layer logs every failed read of its receive loop with the full
traceback (once a second while Redis is down). The failure is expected and reported by
`/healthz`, so the traceback is reduced to its last line.
"""

from __future__ import annotations

import logging

from roomchat.health import LAYER_ERRORS

PUBSUB_LOGGER = "fast_channels.layers.redis.pubsub"


class LayerOutageFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, LAYER_ERRORS):
            record.msg = "channel layer: Redis unreachable, retrying: %s"
            record.args = (error,)
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_layer_outages() -> None:
    """Install the filter once per process."""
    target = logging.getLogger(PUBSUB_LOGGER)
    if not any(isinstance(existing, LayerOutageFilter) for existing in target.filters):
        target.addFilter(LayerOutageFilter())
