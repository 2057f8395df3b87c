"""Counters a person running the service expects, served at `/metrics` (Prometheus text).

Each app has its own registry, so several apps in one process (tests) never mix figures.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from roomchat.layers.holdings import LayerHoldings
from roomchat.ops.connections import ConnectionRegistry
from roomchat.protocol.close_codes import KNOWN_CLOSE_CODES

METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST


def close_code_label(code: int) -> str:
    """A close code as a label value: clients choose codes freely, so unknown ones share one."""
    return str(code) if code in KNOWN_CLOSE_CODES else "other"


class ServiceMetrics:
    def __init__(self, connections: ConnectionRegistry) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.connections_opened = Counter(
            "roomchat_connections_opened", "Room connections accepted.", registry=registry
        )
        self.connections_refused = Counter(
            "roomchat_connections_refused",
            "Room connections refused before joining, by close code (other: not the spec's).",
            ["code"],
            registry=registry,
        )
        self.connections_closed = Counter(
            "roomchat_connections_closed",
            "Room connections that ended after joining, by close code (other: not the spec's).",
            ["code"],
            registry=registry,
        )
        self.frames_received = Counter(
            "roomchat_frames_received", "Frames received from clients.", registry=registry
        )
        self.frames_sent = Counter(
            "roomchat_frames_sent", "Frames written to clients.", registry=registry
        )
        self.errors = Counter(
            "roomchat_errors",
            "Error frames sent to clients and channel-layer failures, by reason.",
            ["reason"],
            registry=registry,
        )
        self.drops = Counter(
            "roomchat_drops",
            "Frames dropped (rate_limited) and connections dropped (slow_consumer, flooding).",
            ["cause"],
            registry=registry,
        )
        open_connections = Gauge(
            "roomchat_connections", "Open room connections on this process.", registry=registry
        )
        open_connections.set_function(lambda: connections.connection_count)
        rooms = Gauge("roomchat_rooms", "Rooms with a member on this process.", registry=registry)
        rooms.set_function(lambda: connections.room_count)

    def watch_layer(self, holdings: Callable[[], LayerHoldings]) -> None:
        """Serve what the channel layer holds as gauges, read at each scrape."""
        channels = Gauge(
            "roomchat_layer_channels",
            "Consumer channels the channel layer holds for this process.",
            registry=self.registry,
        )
        channels.set_function(lambda: holdings().channels)
        groups = Gauge(
            "roomchat_layer_groups",
            "Groups the channel layer holds members of in this process.",
            registry=self.registry,
        )
        groups.set_function(lambda: holdings().groups)

    def render(self) -> bytes:
        return generate_latest(self.registry)
