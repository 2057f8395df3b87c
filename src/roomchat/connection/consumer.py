"""The room channel: a chanx consumer implementing the spec's operations.

One instance per WebSocket, wiring the connection's parts (see `roomchat.connection`). The
handshake completes only once the connection is in its room's group and its join notice is
on its way, so a client that is connected is already a member. Frames from a client are
handled one after another, in order; broadcasts are encoded once and carried through the
channel layer as finished JSON text, so each member only writes them out.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, ClassVar

from chanx.core.decorators import channel, ws_handler
from chanx.core.envelope import current_ref
from chanx.messages.base import BaseMessage
from chanx.utils.asyncio import create_task
from chanx.utils.logging import logger
from fast_channels.type_defs import ChannelMessage

from roomchat.connection.admission import Handshake, Refusal, admit
from roomchat.connection.broadcasts import ROOM_FRAME_EVENT
from roomchat.connection.chats import ChatPoster
from roomchat.connection.client_output import ClientOutput
from roomchat.connection.deadlines import Deadlines
from roomchat.connection.inbox import BroadcastInbox
from roomchat.connection.intake import FrameIntake
from roomchat.connection.member_presence import MemberPresence, PresenceReply
from roomchat.connection.recovery import MemberStart
from roomchat.connection.room_history import read_history
from roomchat.connection.room_member import RoomMemberBase
from roomchat.identity.identity import Identity
from roomchat.layers.interface import RoomLayer
from roomchat.ops.metrics import close_code_label
from roomchat.ops.service import RoomService
from roomchat.protocol.close_reasons import (
    IDLE_TIMEOUT,
    SLOW_CONSUMER,
    TOKEN_EXPIRED,
    TOO_MANY_MESSAGES,
    CloseReason,
)
from roomchat.protocol.error_replies import handler_failed, tokens_not_used
from roomchat.protocol.models import (
    ErrorReason,
    GetHistoryMessage,
    GetPresenceMessage,
    HistoryMessage,
    PingMessage,
    PongMessage,
    PresenceChangedMessage,
    PresenceMessage,
    RefreshTokenMessage,
    RoomChatMessage,
    RoomNotificationMessage,
    TokenRefreshedMessage,
    WatchPresenceMessage,
    WelcomeMessage,
)

JOIN_GATE_TIMEOUT = 2.0


@channel(
    name="room",
    description="Room chat: join a room, broadcast to its members, get join/leave notices.",
    tags=["chat", "rooms"],
)
class RoomChatConsumer(RoomMemberBase):
    """One client in one room."""

    send_completion = False
    log_websocket_message = False
    emits: ClassVar[list[type[BaseMessage]]] = [
        RoomNotificationMessage,
        WelcomeMessage,
        PresenceChangedMessage,
    ]

    def __init__(self, *, layer_alias: str, layer: RoomLayer, service: RoomService) -> None:
        super().__init__(layer_alias=layer_alias, layer=layer, service=service)
        settings = service.settings
        self.output = ClientOutput(
            self.write_frame,
            limit=settings.send_buffer_bytes,
            metrics=service.metrics,
            on_overflow=self.drop_slow_consumer,
            room_for_logs=lambda: self.room_name_for_logs,
        )
        self.intake = FrameIntake(
            rate=settings.rate_limit,
            burst=settings.rate_burst,
            strikes=settings.rate_limit_strikes,
            metrics=service.metrics,
            reply_to=self.output.reply_to,
            close_flooding=self.close_flooding,
        )
        self.inbox = BroadcastInbox(self.output.deliver, gate_timeout=JOIN_GATE_TIMEOUT)
        self.chats = ChatPoster(
            layer, max_length=settings.max_message_length, reply_to=self.output.reply_to
        )
        self.presence = MemberPresence(service.presence, layer)
        self.start = MemberStart(
            layer.history,
            self.output,
            self.inbox,
            max_replay=settings.recovery_max_messages,
            pace_above=settings.send_buffer_bytes // 4,
            on_stall=self.drop_slow_consumer,
        )
        self.deadlines = Deadlines(
            idle_timeout=settings.idle_timeout_seconds,
            on_idle=lambda: create_task(self.close_with(IDLE_TIMEOUT, "idle client closed")),
            on_expiry=lambda: create_task(self.close_with(TOKEN_EXPIRED, "token expired")),
        )

    # -- joining and leaving -------------------------------------------------------------

    async def websocket_connect(self, message: Any) -> None:
        handshake = Handshake.from_scope(self.scope, self.url_params["room_name"])
        service = self.service
        admission = admit(
            handshake,
            origins=service.origins,
            access=service.access,
            connections=service.connections,
        )
        # A browser that offered a subprotocol fails a handshake whose answer names none,
        # before it could read the close code: a refusal selects it too.
        subprotocol = handshake.offer.selected
        if isinstance(admission, Refusal):
            self.room_name_for_logs = admission.room_name
            await self.refuse(admission.reason, subprotocol)
            return
        await self.join(admission)
        start = await self.start.read(admission)  # once a member: see connection.recovery
        await self.accept(subprotocol)
        await self.start.greet(admission, start)
        service.metrics.connections_opened.inc()
        logger.info("connected", room=admission.room.name)
        self.deadlines.start(admission.identity.token_expires_at)
        self.inbox.start_gate_timer()

    async def refuse(self, reason: CloseReason, subprotocol: str | None = None) -> None:
        """Complete the handshake and close at once: the client can read why."""
        self.service.metrics.connections_refused.labels(code=close_code_label(reason.code)).inc()
        logger.info("refused", room=self.room_name_for_logs, code=reason.code, reason=reason.text)
        await self.accept(subprotocol)
        await self.close_with(reason)

    async def close_with(self, reason: CloseReason, why: str | None = None) -> None:
        """Close with `reason`, logging `why` first (a close the client did not ask for)."""
        if why is not None:
            logger.info(why, room=self.room_name_for_logs, code=reason.code)
        await self.close(reason.code, reason=reason.text)

    async def close(self, code: int | None = None, reason: str | None = None) -> None:
        self.deadlines.cancel()  # one close is enough
        await super().close(code, reason)

    async def on_layer_failure(self, error: BaseException) -> None:
        self.service.metrics.errors.labels(reason=ErrorReason.layer_unavailable.value).inc()
        logger.error("channel layer unavailable", room=self.room_name_for_logs, error=str(error))

    async def on_finish(self) -> None:
        self.deadlines.cancel()
        self.inbox.close()
        self.output.outbox.close()
        await self.release_room()

    # -- operations ----------------------------------------------------------------------

    @ws_handler(summary="Ping", description="Answered with pong on the same connection.")
    async def handle_ping(self, _message: PingMessage) -> PongMessage:
        return PongMessage()

    @ws_handler(
        summary="Post a chat message",
        description="Broadcast to every member of the room, the sender included.",
        output_type=RoomNotificationMessage,
    )
    async def handle_room_chat(self, message: RoomChatMessage) -> None:
        assert self.room is not None
        assert self.identity is not None
        await self.chats.post(
            self.room, message.payload.message, current_ref.get(), self.identity.user
        )

    @ws_handler(
        summary="Get presence",
        description="Answered with the room's presence.",
        output_type=PresenceMessage,
    )
    async def handle_get_presence(self, _message: GetPresenceMessage) -> PresenceReply:
        assert self.room is not None
        return await self.presence.reply(self.room)

    @ws_handler(
        summary="Watch presence",
        description="Answered with the room's presence; user-level changes follow.",
        output_type=PresenceMessage,
    )
    async def handle_watch_presence(self, _message: WatchPresenceMessage) -> PresenceReply:
        assert self.room is not None
        self.inbox.recipient.watching = True
        return await self.presence.reply(self.room)

    @ws_handler(summary="Get history", description="Answered with the room's last chats.")
    async def handle_get_history(self, message: GetHistoryMessage) -> HistoryMessage:
        assert self.room is not None
        return await read_history(self.layer.history, self.room, message.payload)

    @ws_handler(
        summary="Refresh the token",
        description="Answered with token_refreshed; a token that is not valid closes.",
        output_type=TokenRefreshedMessage,
    )
    async def handle_refresh_token(self, message: RefreshTokenMessage) -> None:
        assert self.room is not None
        assert self.identity is not None
        access = self.service.access
        refreshed = access.refresh(message.payload.token, self.identity, self.room.name)
        if refreshed is None:
            await self.output.reply(tokens_not_used())
        elif isinstance(refreshed, Identity):
            self.identity = refreshed
            self.deadlines.expire_at(refreshed.token_expires_at)
            await self.output.reply(refreshed.token_refreshed())
        else:
            await self.close_with(refreshed, "token refresh refused")

    # -- broadcasting --------------------------------------------------------------------

    async def dispatch(self, message: ChannelMessage) -> None:
        # Broadcasts are nearly every event a member gets: skip the lookup by name for them.
        if message["type"] == ROOM_FRAME_EVENT:
            await self.inbox.receive(message)  # type: ignore[arg-type]
        else:
            await super().dispatch(message)

    # -- writing to the client -----------------------------------------------------------

    async def write_frame(self, frame: str) -> None:
        # What `self.send(text_data=frame)` comes down to, two calls shorter.
        await self.base_send({"type": "websocket.send", "text": frame})

    async def drop_slow_consumer(self) -> None:
        self.output.outbox.close()
        self.service.metrics.drops.labels(cause="slow_consumer").inc()
        logger.warning(
            "slow consumer dropped",
            room=self.room.name if self.room else None,
            code=SLOW_CONSUMER.code,
            buffered=self.service.settings.send_buffer_bytes,
        )
        await self.leave_room()
        # The close frame waits behind what the transport already holds; the client gets it
        # once it reads again (or the connection times out). Nothing else waits for it.
        create_task(self.close_with(SLOW_CONSUMER))

    # -- frames from the client ----------------------------------------------------------

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if self.is_closed:
            return
        self.deadlines.heard()
        message = await self.intake.take(text_data)
        if message is None:
            return
        token = current_ref.set(message.ref)
        try:
            await self.receive_message(message)
        finally:
            current_ref.reset(token)

    async def close_flooding(self) -> None:
        logger.warning(
            "flooding client closed", room=self.room_name_for_logs, code=TOO_MANY_MESSAGES.code
        )
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(1.0):
                await self.output.outbox.drained()
        await self.close_with(TOO_MANY_MESSAGES)

    # -- replies -------------------------------------------------------------------------

    async def send_message(self, message: BaseMessage, *, validate: bool = False) -> None:
        # chanx sends a handler's return value through here.
        await self.output.reply(message)

    async def handle_message_handler_error(
        self, error: Exception, action: str, message: BaseMessage
    ) -> None:
        await logger.aexception("Handler failed", action=action, error=str(error))
        await self.output.reply(handler_failed(action))
