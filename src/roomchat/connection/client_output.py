"""What the server writes to one client: broadcast frames and replies, through its outbox.

A reply is correlated with the frame it answers (`ref`, `version`); an `error` reply is also
counted by reason and logged. Everything goes through the client's bounded outbox
(`connection.outbox`): a client that stops reading overflows it and is handed to
`on_overflow`, which drops it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from chanx.core.envelope import current_ref
from chanx.messages.base import BaseMessage
from chanx.utils.logging import logger

from roomchat.connection.outbox import Outbox
from roomchat.ops.metrics import ServiceMetrics
from roomchat.protocol.frames import encode_frame, with_ref
from roomchat.protocol.models import ErrorMessage


class ClientOutput:
    """Frames for one client, written by `write`; at most `limit` characters waiting."""

    def __init__(
        self,
        write: Callable[[str], Awaitable[None]],
        *,
        limit: int,
        metrics: ServiceMetrics,
        on_overflow: Callable[[], Awaitable[None]],
        room_for_logs: Callable[[], str | None],
    ) -> None:
        self.outbox = Outbox(write, limit=limit, on_written=metrics.frames_sent.inc)
        self._metrics = metrics
        self._on_overflow = on_overflow
        self._room_for_logs = room_for_logs

    async def deliver(self, frame: str) -> None:
        """Queue a finished frame; a client that is not reading is handed to `on_overflow`."""
        if not self.outbox.put(frame):
            await self._on_overflow()

    async def reply(self, message: BaseMessage) -> None:
        """Send `message` to this client, correlated with the frame being handled."""
        await self.reply_to(current_ref.get(), message)

    async def reply_to(self, ref: str | None, message: BaseMessage) -> None:
        """Send `message` to this client, correlated with the frame that carried `ref`."""
        if isinstance(message, ErrorMessage):
            reason = message.payload.reason
            self._metrics.errors.labels(reason=reason.value).inc()
            logger.info("frame refused", room=self._room_for_logs(), reason=reason.value)
        await self.deliver(encode_frame(with_ref(message, ref)))
