"""uvicorn's protocol implementations, with `TransportLimits` enforced, for `roomchat serve`.

uvicorn takes its HTTP and WebSocket protocol implementations as arguments (`http=`,
`ws=`). These are subclasses of its defaults, httptools and websockets' sans-I/O protocol:
`GuardedHttpProtocol` bounds the request head in time and size, `GracefulWebSocketProtocol`
bounds how long a closing connection may linger. Plain `uvicorn roomchat.main:app` serves
without them (docs/operations.md "Transport limits" names the proxy settings that stand in).
"""

from __future__ import annotations

import functools
from typing import Any

from roomchat.transport.limits import TransportLimits
from roomchat.transport.request_head_guard import GuardedHttpProtocol
from roomchat.transport.websocket_closing import GracefulWebSocketProtocol


def uvicorn_protocols(limits: TransportLimits) -> dict[str, Any]:
    """`http=` and `ws=` arguments for `uvicorn.run` that enforce `limits`.

    uvicorn calls a protocol class with its own arguments only, so the limits are bound with
    `functools.partial`, which also pickles (`--workers` starts its processes by spawning).
    """
    return {
        "http": functools.partial(GuardedHttpProtocol, limits=limits),
        "ws": functools.partial(GracefulWebSocketProtocol, limits=limits),
    }
