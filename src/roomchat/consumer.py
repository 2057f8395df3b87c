"""The room channel: a chanx consumer implementing the spec's operations.

One instance per WebSocket. The handshake completes only once the connection is in its
room's group and its join notice is on its way, so a client that is connected is already a
member. Frames from a client are
handled one after another, in order; broadcasts are encoded once and carried through the
channel layer as finished JSON text, so each member only writes them out.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, ClassVar, TypedDict

from chanx.core.decorators import channel, ws_handler
from chanx.core.envelope import current_ref
from chanx.fast_channels.websocket import AsyncJsonWebsocketConsumer
from chanx.messages.base import BaseMessage
from chanx.utils.asyncio import create_task
from chanx.utils.logging import logger
from fast_channels.type_defs import WebSocketDisconnectEvent
from pydantic import ValidationError

from roomchat.close_codes import WS_4400_INVALID_ROOM_NAME
from roomchat.frames import (
    encode_frame,
    error_message,
    frame_ref,
    validation_details,
    with_ref,
)
from roomchat.join_gate import JoinGate, LocalMembers
from roomchat.rooms import InvalidRoomNameError, Room
from roomchat_protocol.models import (
    ErrorReason,
    PingMessage,
    PongMessage,
    RoomChatMessage,
    RoomNotificationMessage,
    RoomNotificationPayload,
)

ROOM_FRAME_EVENT = "room.frame"
JOIN_GATE_TIMEOUT = 2.0


class RoomFrameEvent(TypedDict):
    """What the channel layer carries for a broadcast: the finished frame."""

    type: str
    frame: str
    exclude: str


def joined_notice(room: Room) -> RoomNotificationMessage:
    return _notice(room, f"🚪 Someone joined room '{room.name}'")


def left_notice(room: Room) -> RoomNotificationMessage:
    return _notice(room, f"👋 Someone left room '{room.name}'")


def chat_notice(room: Room, text: str) -> RoomNotificationMessage:
    return _notice(room, f"💬 {text}")


def _notice(room: Room, text: str) -> RoomNotificationMessage:
    # Both parts were validated on the way in: the name by `Room.named`, the text by the
    # `room_chat` schema. Building the payload unvalidated keeps the broadcast path lean.
    return RoomNotificationMessage(
        payload=RoomNotificationPayload.model_construct(message=text, room_name=room.name)
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
        self, *, layer_alias: str, fan_out_on_receipt: bool, local_members: LocalMembers
    ) -> None:
        super().__init__()
        self.channel_layer_alias = layer_alias
        self.room: Room | None = None
        self.fan_out_on_receipt = fan_out_on_receipt
        self.local_members = local_members
        self.join_gate = JoinGate(hold_until_own_notice=False)

    # -- connection lifecycle ------------------------------------------------------------

    async def websocket_connect(self, message: Any) -> None:
        try:
            room = Room.named(self.url_params["room_name"])
        except InvalidRoomNameError as refusal:
            await self.accept()
            await self.close(WS_4400_INVALID_ROOM_NAME, reason=str(refusal))
            return
        already_here = self.local_members.join(room.group)
        self.room = room
        if self.fan_out_on_receipt and already_here:
            self.join_gate = JoinGate(hold_until_own_notice=True, timeout=JOIN_GATE_TIMEOUT)
        await self.join_group(room.group)
        # Announce before completing the handshake: a client that connects after this one's
        # handshake has completed is then always announced after it, on every layer.
        await self.broadcast(joined_notice(room), exclude_self=True)
        await self.accept()
        if not self.join_gate.is_open:
            asyncio.get_running_loop().call_later(
                JOIN_GATE_TIMEOUT, lambda: create_task(self._open_join_gate())
            )

    async def websocket_disconnect(self, message: WebSocketDisconnectEvent) -> None:
        self.join_gate.open()  # nothing held is deliverable any more
        if self.room is not None:
            self.local_members.leave(self.room.group)
            await self.broadcast(left_notice(self.room), exclude_self=True)
        await super().websocket_disconnect(message)

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
        await self.broadcast(chat_notice(self.room, message.payload.message), exclude_self=False)

    # -- broadcasting --------------------------------------------------------------------

    async def broadcast(self, message: RoomNotificationMessage, *, exclude_self: bool) -> None:
        """Send one frame to every member of this connection's room."""
        assert self.room is not None
        event: RoomFrameEvent = {
            "type": ROOM_FRAME_EVENT,
            "frame": encode_frame(message),
            "exclude": self.channel_name if exclude_self else "",
        }
        await self.channel_layer.group_send(self.room.group, event)

    async def room_frame(self, event: RoomFrameEvent) -> None:
        """A broadcast reached this member through the channel layer."""
        own = event["exclude"] == self.channel_name
        for frame in self.join_gate.admit(event["frame"], is_own_notice=own):
            await self.send(text_data=frame)

    async def _open_join_gate(self) -> None:
        for frame in self.join_gate.open():
            await self.send(text_data=frame)

    # -- frames from the client ----------------------------------------------------------

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
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
        assert self.incoming_message_adapter is not None
        try:
            message = self.incoming_message_adapter.validate_python(content)
        except ValidationError as error:
            details = validation_details(
                error.errors(include_url=False, include_input=False, include_context=False),
                action,
            )
            await self.reply(
                error_message(
                    ErrorReason.invalid_message,
                    f"The frame does not match the schema of {action!r}.",
                    details,
                )
            )
            return
        await self.receive_message(message)

    # -- replies -------------------------------------------------------------------------

    async def reply(self, message: BaseMessage) -> None:
        """Send a frame to this client only, correlated with the frame being handled."""
        await self.send(text_data=encode_frame(with_ref(message, current_ref.get())))

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
