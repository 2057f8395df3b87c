"""The room channel: a chanx consumer implementing the spec's operations.

One instance per WebSocket. The handshake completes only once the connection is in its
room's group and its join notice is on its way, so a client that is connected is already a
member. Frames from a client are
handled one after another, in order; broadcasts are encoded once and carried through the
channel layer as finished JSON text, so each member only writes them out.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
from typing import Any, ClassVar, TypedDict

from chanx.core.decorators import channel, ws_handler
from chanx.core.envelope import current_ref
from chanx.fast_channels.websocket import AsyncJsonWebsocketConsumer
from chanx.messages.base import BaseMessage
from chanx.utils.asyncio import create_task
from chanx.utils.logging import logger
from fast_channels.exceptions import StopConsumer
from fast_channels.layers import get_channel_layer
from fast_channels.type_defs import WebSocketDisconnectEvent
from pydantic import ValidationError

from roomchat.connection.dispatch_pump import dispatch_from
from roomchat.connection.idle_timeout import IdleTimer
from roomchat.connection.membership import JoinGate, LocalMembers
from roomchat.connection.outbox import Outbox
from roomchat.connection.rate_limit import RateLimiter, Verdict
from roomchat.connection.unconfirmed import UnconfirmedBroadcasts
from roomchat.layers.build import release_channel
from roomchat.layers.errors import LAYER_ERRORS
from roomchat.layers.interface import RoomLayer
from roomchat.ops.metrics import close_code_label
from roomchat.ops.origins import handshake_header
from roomchat.ops.service import RoomService
from roomchat.protocol.close_reasons import (
    IDLE_TIMEOUT,
    INVALID_ROOM_NAME,
    LAYER_UNAVAILABLE,
    ORIGIN_NOT_ALLOWED,
    SLOW_CONSUMER,
    TOO_MANY_MESSAGES,
    CloseReason,
)
from roomchat.protocol.frame_shape import too_many_fields
from roomchat.protocol.frames import (
    encode_frame,
    error_message,
    frame_ref,
    validation_details,
    with_ref,
)
from roomchat.protocol.models import (
    ErrorDetail,
    ErrorMessage,
    ErrorReason,
    PingMessage,
    PongMessage,
    RoomChatMessage,
    RoomNotificationMessage,
    RoomNotificationPayload,
)
from roomchat.protocol.rooms import InvalidRoomNameError, Room

ROOM_FRAME_EVENT = "room.frame"
JOIN_GATE_TIMEOUT = 2.0
# Chats a sender may have on their way to Redis (pub/sub layer) before it waits for them.
UNCONFIRMED_CHAT_LIMIT = 32


class RoomFrameEvent(TypedDict):
    """What the channel layer carries for a broadcast: the finished frame."""

    type: str
    frame: str
    exclude: str


def room_event(message: RoomNotificationMessage, *, exclude: str) -> RoomFrameEvent:
    """A broadcast as the channel layer carries it; `exclude` names a member to skip."""
    return {"type": ROOM_FRAME_EVENT, "frame": encode_frame(message), "exclude": exclude}


def joined_notice(room: Room) -> RoomNotificationMessage:
    return _notice(room, f"🚪 Someone joined room '{room.name}'")


def left_notice(room: Room) -> RoomNotificationMessage:
    return _notice(room, f"👋 Someone left room '{room.name}'")


def chat_notice(room: Room, text: str) -> RoomNotificationMessage:
    return _notice(room, f"💬 {text}")


def message_too_long(length: int, limit: int) -> ErrorMessage:
    return error_message(
        ErrorReason.message_too_long,
        f"The message is {length} characters long; this server accepts at most {limit}.",
        [
            ErrorDetail(
                location="payload.message",
                problem=f"At most {limit} characters",
                type=ErrorReason.message_too_long.value,
            )
        ],
    )


def _notice(room: Room, text: str) -> RoomNotificationMessage:
    # pydantic's validating constructors are faster than `model_construct`, and both parts
    # pass: the name was checked by `Room.named`, and the notice text is unbounded.
    return RoomNotificationMessage(
        payload=RoomNotificationPayload(message=text, room_name=room.name)
    )


@channel(
    name="room",
    description="Room chat: join a room, broadcast to its members, get join/leave notices.",
    tags=["chat", "rooms"],
)
class RoomChatConsumer(AsyncJsonWebsocketConsumer):
    """One client in one room."""

    send_completion = False
    log_websocket_message = False
    emits: ClassVar[list[type[BaseMessage]]] = [RoomNotificationMessage]

    def __init__(
        self,
        *,
        layer_alias: str,
        layer: RoomLayer,
        local_members: LocalMembers,
        service: RoomService,
    ) -> None:
        super().__init__()
        self.channel_layer_alias = layer_alias
        # The same layer as `channel_layer` (which chanx's own helpers use, by alias), seen
        # through what a room connection needs of it.
        self.layer = layer
        self.service = service
        self.room: Room | None = None
        self.local_members = local_members
        self.join_gate = JoinGate(hold_until_own_notice=False)
        settings = service.settings
        self.rate_limiter = (
            RateLimiter(
                rate=settings.rate_limit,
                burst=settings.rate_burst,
                strikes=settings.rate_limit_strikes,
            )
            if settings.rate_limit > 0
            else None
        )
        self.outbox = Outbox(
            self._write,
            limit=settings.send_buffer_bytes,
            on_written=service.metrics.frames_sent.inc,
        )
        self._room_name_for_logs: str | None = None
        self.unconfirmed_chats = UnconfirmedBroadcasts(UNCONFIRMED_CHAT_LIMIT)
        self.idle_timer: IdleTimer | None = None
        self._join_gate_timer: asyncio.TimerHandle | None = None

    # -- connection lifecycle ------------------------------------------------------------

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # fast-channels' AsyncConsumer.__call__, with its task-per-event dispatch replaced.
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
            await self._layer_failed(error, send)
        finally:
            if self.idle_timer is not None:
                self.idle_timer.cancel()
            if self._join_gate_timer is not None:
                # It would keep this consumer (and all it holds) alive after the end.
                self._join_gate_timer.cancel()
            self.outbox.close()
            room = self._forget_room()  # when the layer failed before the room could be left
            if hasattr(self, "channel_name"):
                with contextlib.suppress(*LAYER_ERRORS):
                    await release_channel(
                        self.layer,
                        self.channel_name,
                        still_in=[room.group] if room is not None else [],
                    )

    async def websocket_connect(self, message: Any) -> None:
        service = self.service
        origin = handshake_header(self.scope["headers"], b"origin")
        if not service.origins.allows(origin, handshake_header(self.scope["headers"], b"host")):
            await self._refuse(ORIGIN_NOT_ALLOWED)
            return
        try:
            room = Room.named(self.url_params["room_name"])
        except InvalidRoomNameError:
            await self._refuse(INVALID_ROOM_NAME)
            return
        self._room_name_for_logs = room.name
        client = self.scope.get("client")
        client_address: str | None = client[0] if client else None
        full = service.connections.refusal(room.group, client_address)
        if full is not None:
            await self._refuse(full)
            return
        service.connections.add(self, room.group, client_address)
        already_here = self.local_members.join(room.group)
        self.room = room
        if self.layer.fans_out_on_receipt and already_here:
            self.join_gate = JoinGate(hold_until_own_notice=True, timeout=JOIN_GATE_TIMEOUT)
        await self.join_group(room.group)
        # Announce before completing the handshake: a client that connects after this one's
        # handshake has completed is then always announced after it, on every layer.
        await self.broadcast(joined_notice(room), exclude_self=True)
        await self.accept()
        service.metrics.connections_opened.inc()
        logger.info("connected", room=room.name)
        if service.settings.idle_timeout_seconds > 0:
            self.idle_timer = IdleTimer(
                service.settings.idle_timeout_seconds, lambda: create_task(self._close_idle())
            )
        if not self.join_gate.is_open:
            self._join_gate_timer = asyncio.get_running_loop().call_later(
                JOIN_GATE_TIMEOUT, lambda: create_task(self._open_join_gate())
            )

    async def websocket_disconnect(self, message: WebSocketDisconnectEvent) -> None:
        self.join_gate.open()  # nothing held is deliverable any more
        code = message.get("code", 1005)
        if self.room is not None:
            self.service.metrics.connections_closed.labels(code=close_code_label(code)).inc()
            logger.info("disconnected", room=self.room.name, code=code)
        await self._leave_room()
        await super().websocket_disconnect(message)

    async def _leave_room(self) -> None:
        """Tell the others this member left and stop receiving the room's broadcasts."""
        room = self._forget_room()
        if room is None:
            return
        try:
            await self.broadcast_to(room, left_notice(room), exclude_self=True)
        finally:
            await self.leave_group(room.group)

    def _forget_room(self) -> Room | None:
        """Stop counting this connection as a member here; the room it was in, if any."""
        room, self.room = self.room, None
        if room is not None:
            self.local_members.leave(room.group)
        self.service.connections.remove(self)
        return room

    async def _refuse(self, reason: CloseReason) -> None:
        """Complete the handshake and close at once: the client can read why."""
        self.service.metrics.connections_refused.labels(code=close_code_label(reason.code)).inc()
        logger.info("refused", room=self._room_name_for_logs, code=reason.code, reason=reason.text)
        await self.accept()
        await self.close_with(reason)

    async def close_with(self, reason: CloseReason) -> None:
        await self.close(reason.code, reason=reason.text)

    async def _close_idle(self) -> None:
        logger.info("idle client closed", room=self._room_name_for_logs, code=IDLE_TIMEOUT.code)
        await self.close_with(IDLE_TIMEOUT)

    async def close(self, code: int | None = None, reason: str | None = None) -> None:
        if self.idle_timer is not None:
            self.idle_timer.cancel()  # one close is enough
        await super().close(code, reason)

    async def _layer_failed(self, error: BaseException, send: Any) -> None:
        """The channel layer (Redis) failed under this connection: close it with 1013."""
        self.service.metrics.errors.labels(reason=ErrorReason.layer_unavailable.value).inc()
        logger.error("channel layer unavailable", room=self._room_name_for_logs, error=str(error))
        if self._closed:
            return
        self._closed = True
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
        text = message.payload.message
        limit = self.service.settings.max_message_length
        if len(text) > limit:
            await self.reply(message_too_long(len(text), limit))
            return
        room = self.room
        assert room is not None
        notice = chat_notice(room, text)
        ref = current_ref.get()
        try:
            sent = self.layer.group_send_nowait(room.group, room_event(notice, exclude=""))
            if sent is not None:
                failed = functools.partial(self._chat_failed_later, room.name, ref)
                await self.unconfirmed_chats.add(sent, failed)
        except LAYER_ERRORS as error:
            await self._chat_not_delivered(room.name, ref, error)

    def _chat_failed_later(self, room_name: str, ref: str | None, error: BaseException) -> None:
        if isinstance(error, LAYER_ERRORS):
            create_task(self._chat_not_delivered(room_name, ref, error))
        else:
            logger.error("broadcast failed", room=room_name, error=repr(error))

    async def _chat_not_delivered(
        self, room_name: str, ref: str | None, error: BaseException
    ) -> None:
        logger.error("channel layer unavailable", room=room_name, error=str(error))
        await self.reply_to(
            ref,
            error_message(
                ErrorReason.layer_unavailable,
                "The room cannot be reached right now; the message was not delivered.",
            ),
        )

    # -- broadcasting --------------------------------------------------------------------

    async def broadcast(self, message: RoomNotificationMessage, *, exclude_self: bool) -> None:
        """Send one frame to every member of this connection's room."""
        assert self.room is not None
        await self.broadcast_to(self.room, message, exclude_self=exclude_self)

    async def broadcast_to(
        self, room: Room, message: RoomNotificationMessage, *, exclude_self: bool
    ) -> None:
        event = room_event(message, exclude=self.channel_name if exclude_self else "")
        await self.layer.group_send(room.group, event)

    async def dispatch(self, message: Any) -> None:
        # Broadcasts are nearly every event a member gets: skip the lookup by name for them.
        if message["type"] == ROOM_FRAME_EVENT:
            await self.room_frame(message)
        else:
            await super().dispatch(message)

    async def room_frame(self, event: RoomFrameEvent) -> None:
        """A broadcast reached this member through the channel layer."""
        own = event["exclude"] == self.channel_name
        if self.join_gate.is_open:
            if not own:
                await self.deliver(event["frame"])
            return
        for frame in self.join_gate.admit(event["frame"], is_own_notice=own):
            await self.deliver(frame)

    async def _open_join_gate(self) -> None:
        for frame in self.join_gate.open():
            await self.deliver(frame)

    # -- writing to the client -----------------------------------------------------------

    async def deliver(self, frame: str) -> None:
        """Queue a frame for this client; one that is not reading is dropped (4408)."""
        if not self.outbox.put(frame):
            await self._drop_slow_consumer()

    async def _write(self, frame: str) -> None:
        # What `self.send(text_data=frame)` comes down to, two calls shorter.
        await self.base_send({"type": "websocket.send", "text": frame})

    async def _drop_slow_consumer(self) -> None:
        self.outbox.close()
        self.service.metrics.drops.labels(cause="slow_consumer").inc()
        room = self.room
        logger.warning(
            "slow consumer dropped",
            room=room.name if room else None,
            code=SLOW_CONSUMER.code,
            buffered=self.service.settings.send_buffer_bytes,
        )
        await self._leave_room()
        # The close frame waits behind what the transport already holds; the client gets it
        # once it reads again (or the connection times out). Nothing else waits for it.
        create_task(self.close_with(SLOW_CONSUMER))

    # -- frames from the client ----------------------------------------------------------

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if self._closed:
            return
        if self.idle_timer is not None:
            self.idle_timer.heard()
        self.service.metrics.frames_received.inc()
        if self.rate_limiter is not None:
            verdict = self.rate_limiter.judge()
            if verdict is not Verdict.ACCEPT:
                await self._refuse_flood(verdict)
                return
        if text_data is None:
            await self.reply(
                error_message(
                    ErrorReason.binary_frame, "Binary frames are not accepted; send JSON text."
                )
            )
            return
        try:
            content = json.loads(text_data)
        except ValueError as error:
            await self.reply(
                error_message(ErrorReason.invalid_json, f"The frame is not valid JSON: {error}")
            )
            return
        except RecursionError:
            # The parser recurses once per level: a frame of a few kB of `[` exhausts the stack.
            await self.reply(
                error_message(
                    ErrorReason.invalid_json, "The frame nests deeper than the server parses."
                )
            )
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self.reply(
                error_message(ErrorReason.invalid_message, "A frame must be a JSON object.")
            )
            return
        token = current_ref.set(frame_ref(content))
        try:
            await self._handle_frame(content)
        finally:
            current_ref.reset(token)

    async def _handle_frame(self, content: dict[str, Any]) -> None:
        action = content.get("action")
        handlers = self._MESSAGE_HANDLER_INFO_MAP
        if not isinstance(action, str) or action not in handlers:
            expected = ", ".join(sorted(handlers))
            shown = json.dumps(action, ensure_ascii=False)[:80] if action is not None else "none"
            await self.reply(
                error_message(
                    ErrorReason.unknown_action,
                    f"Unknown action {shown}; expected one of: {expected}",
                )
            )
            return
        too_wide = too_many_fields(content)
        if too_wide is not None:
            await self._refuse_invalid(action, [too_wide])
            return
        assert self.incoming_message_adapter is not None
        try:
            message = self.incoming_message_adapter.validate_python(content)
        except ValidationError as error:
            errors = error.errors(include_url=False, include_input=False, include_context=False)
            await self._refuse_invalid(action, validation_details(errors, action))
            return
        await self.receive_message(message)

    async def _refuse_invalid(self, action: str, details: list[ErrorDetail]) -> None:
        await self.reply(
            error_message(
                ErrorReason.invalid_message,
                f"The frame does not match the schema of {action!r}.",
                details,
            )
        )

    # -- replies -------------------------------------------------------------------------

    async def reply(self, message: BaseMessage) -> None:
        """Send a frame to this client only, correlated with the frame being handled."""
        await self.reply_to(current_ref.get(), message)

    async def reply_to(self, ref: str | None, message: BaseMessage) -> None:
        """Send a frame to this client only, correlated with the frame that carried `ref`."""
        if isinstance(message, ErrorMessage):
            reason = message.payload.reason
            self.service.metrics.errors.labels(reason=reason.value).inc()
            logger.info("frame refused", room=self._room_name_for_logs, reason=reason.value)
        await self.deliver(encode_frame(with_ref(message, ref)))

    async def _refuse_flood(self, verdict: Verdict) -> None:
        settings = self.service.settings
        self.service.metrics.drops.labels(cause="rate_limited").inc()
        if verdict is Verdict.REFUSE:
            await self.reply(
                error_message(
                    ErrorReason.rate_limited,
                    f"Too many frames; at most {settings.rate_limit:g} per second "
                    f"(bursts of {settings.rate_burst}). This one was dropped.",
                )
            )
            return
        self.service.metrics.drops.labels(cause="flooding").inc()
        logger.warning(
            "flooding client closed", room=self._room_name_for_logs, code=TOO_MANY_MESSAGES.code
        )
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(1.0):
                await self.outbox.drained()
        await self.close_with(TOO_MANY_MESSAGES)

    async def send_message(self, message: BaseMessage, *, validate: bool = False) -> None:
        # chanx sends a handler's return value through here.
        await self.reply(message)

    async def handle_message_handler_error(
        self, error: Exception, action: str, message: BaseMessage
    ) -> None:
        await logger.aexception("Handler failed", action=action, error=str(error))
        await self.reply(
            error_message(ErrorReason.internal_error, f"The server failed to handle {action!r}.")
        )
