"""The consumer base roomchat builds on: chanx's, plus what chanx has no public hook for.

roomchat uses chanx through its public API: `@channel`, `@ws_handler`, the consumer base
(`receive`, `receive_message`, `send_message`, `handle_message_handler_error`, `join_group`,
`leave_group`, `accept`, `close`, `dispatch`) and its AsyncAPI generator, which the drift
check compares with the spec (tests/contract/test_drift.py). Where it needs more, the
workaround is here and nowhere else:

- The ASGI entry. fast-channels' `AsyncConsumer.__call__` hands every event to a task of its
  own (`await_many_dispatch`), which costs more than handling a broadcast; neither library
  lets a consumer choose how events are dispatched. `__call__` is a copy of the original
  with the dispatch replaced by `connection.dispatch_pump`, the channel taken from the
  `RoomLayer`, and a layer failure turned into a 1013 close.
- Whether the connection is closed. chanx keeps it in a private `_closed`, readable through
  nothing public; `is_closed` tracks it through the two public methods that set it.
- Arguments for each consumer. fast-channels 1.1.0's `as_asgi(**initkwargs)` builds its
  wrapper without them; `endpoint()` sets them on the wrapper, which passes them on.

chanx's private handler map is not needed: frames are decoded against the spec's own
`ClientMessage` (`connection.decoding`), and the drift check proves the handlers serve
exactly those actions.
"""

from __future__ import annotations

import contextlib
from typing import Any

from chanx.fast_channels.websocket import AsyncJsonWebsocketConsumer
from fast_channels.exceptions import StopConsumer
from fast_channels.layers import get_channel_layer
from fast_channels.type_defs import WebSocketDisconnectEvent

from roomchat.connection.dispatch_pump import dispatch_from
from roomchat.layers.errors import LAYER_ERRORS
from roomchat.layers.interface import RoomLayer
from roomchat.protocol.close_reasons import LAYER_UNAVAILABLE


class RoomConsumerBase(AsyncJsonWebsocketConsumer):
    """A chanx consumer whose events come through the dispatch pump from a `RoomLayer`."""

    def __init__(self, *, layer_alias: str, layer: RoomLayer) -> None:
        super().__init__()
        self.channel_layer_alias = layer_alias
        # The same layer as `channel_layer` (which chanx's own helpers find by alias), seen
        # through what a room connection needs of it.
        self.layer = layer
        self.is_closed = False
        """Whether the server closed the connection or the client went away."""

    @classmethod
    def endpoint(cls, **initkwargs: Any) -> Any:
        """The consumer as an ASGI endpoint; each connection gets one made with `initkwargs`."""
        endpoint = cls.as_asgi()
        endpoint.initkwargs = initkwargs
        return endpoint

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.scope = scope
        self.base_send = send
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        try:
            self.channel_name = await self.layer.new_channel()
            self.channel_receive = self.layer.receiver(self.channel_name)
            await dispatch_from([receive, self.channel_receive], self.dispatch)
        except StopConsumer:
            pass
        except LAYER_ERRORS as error:
            await self.on_layer_failure(error)
            if not self.is_closed:
                self.is_closed = True
                await _close_whatever_the_handshake_state(send)
        finally:
            await self.on_finish()

    async def on_layer_failure(self, error: BaseException) -> None:
        """The channel layer failed under this connection, which is closed next (1013)."""

    async def on_finish(self) -> None:
        """The connection is over, however it ended: release what it holds."""

    def has_channel(self) -> bool:
        """Whether the layer gave this connection its channel (it may have failed first)."""
        return hasattr(self, "channel_name")

    async def close(self, code: int | None = None, reason: str | None = None) -> None:
        self.is_closed = True
        await super().close(code, reason)

    async def websocket_disconnect(self, message: WebSocketDisconnectEvent) -> None:
        self.is_closed = True
        await super().websocket_disconnect(message)


async def _close_whatever_the_handshake_state(send: Any) -> None:
    # The failure may come before the handshake was answered or after: accept first (which
    # fails harmlessly once accepted), so that the client can read the close code.
    with contextlib.suppress(Exception):
        await send({"type": "websocket.accept", "subprotocol": None, "headers": []})
    with contextlib.suppress(Exception):
        await send(
            {
                "type": "websocket.close",
                "code": LAYER_UNAVAILABLE.code,
                "reason": LAYER_UNAVAILABLE.text,
            }
        )
