"""A connection as a member of its room: how it joins, broadcasts to it, and leaves.

Joining counts the member in, adds it to the room's group, announces it to the others and
records it in presence. Leaving undoes all of it, once, whichever way the connection ends
(the client goes, the server closes it, or the channel layer fails under it).
"""

from __future__ import annotations

import contextlib

from chanx.utils.logging import logger
from fast_channels.type_defs import WebSocketDisconnectEvent

from roomchat.connection.admission import NewMember
from roomchat.connection.broadcasts import (
    EVERYONE,
    Audience,
    join_announcement,
    leave_announcement,
    room_event,
)
from roomchat.connection.chanx_adapter import RoomConsumerBase
from roomchat.connection.client_output import ClientOutput
from roomchat.connection.inbox import BroadcastInbox
from roomchat.connection.member_presence import MemberPresence
from roomchat.identity.identity import Identity
from roomchat.layers.build import release_channel
from roomchat.layers.errors import LAYER_ERRORS
from roomchat.layers.interface import RoomLayer
from roomchat.ops.metrics import close_code_label
from roomchat.ops.service import RoomService
from roomchat.protocol.models import ServerMessage
from roomchat.protocol.rooms import Room


class RoomMemberBase(RoomConsumerBase):
    """The room consumer's membership: its room and identity while it is a member."""

    inbox: BroadcastInbox
    presence: MemberPresence
    output: ClientOutput

    def __init__(self, *, layer_alias: str, layer: RoomLayer, service: RoomService) -> None:
        super().__init__(layer_alias=layer_alias, layer=layer)
        self.service = service
        self.room: Room | None = None
        self.identity: Identity | None = None
        self.room_name_for_logs: str | None = None

    async def join(self, member: NewMember) -> None:
        """Count the member in, join the room's group and announce it to the others."""
        room = member.room
        self.room_name_for_logs = room.name
        connections = self.service.connections
        # Asked before joining: joining makes this process receive the group again.
        hold = self.layer.may_hand_earlier_broadcasts(room.group)
        connections.add(self, room.group, member.client)
        self.room = room
        self.identity = identity = member.identity
        self.inbox.joined(self.channel_name, opted_in=identity.opted_in, hold_until_own_notice=hold)
        await self.join_group(room.group)
        # Announce before completing the handshake: a client that connects after this one's
        # handshake has completed is then always announced after it, on every layer.
        await self.layer.group_send(
            room.group, join_announcement(room, self.channel_name, identity.user)
        )
        await self.presence.arrive(room, identity)

    async def deliver(self, frame: str) -> None:
        """Queue a finished frame for this client (the outage watch uses it)."""
        await self.output.deliver(frame)

    async def broadcast(self, message: ServerMessage, audience: Audience = EVERYONE) -> None:
        """Send `message` to `audience` in this connection's room (`everyone_but(...)`,
        `only(...)` name members by channel); returns once the layer has it."""
        assert self.room is not None
        await self.broadcast_to(self.room, message, audience)

    async def broadcast_to(
        self, room: Room, message: ServerMessage, audience: Audience = EVERYONE
    ) -> None:
        await self.layer.group_send(room.group, room_event(message, audience))

    async def websocket_disconnect(self, message: WebSocketDisconnectEvent) -> None:
        self.inbox.discard_held()
        code = message.get("code", 1005)
        if self.room is not None:
            self.service.metrics.connections_closed.labels(code=close_code_label(code)).inc()
            logger.info("disconnected", room=self.room.name, code=code)
        await self.leave_room()
        await super().websocket_disconnect(message)

    async def leave_room(self) -> None:
        """Tell the others this member left and stop receiving the room's broadcasts."""
        identity = self.identity
        room = self.forget_room()
        if room is None or identity is None:
            return
        try:
            announcement = leave_announcement(room, self.channel_name, identity.user)
            await self.layer.group_send(room.group, announcement)
        finally:
            try:
                await self.presence.depart(room, identity)
            finally:
                await self.leave_group(room.group)

    def forget_room(self) -> Room | None:
        """Stop counting this connection as a member here; the room it was in, if any."""
        room, self.room = self.room, None
        self.service.connections.remove(self)
        return room

    async def release_room(self) -> None:
        """At the very end: what a failed layer kept the connection from leaving."""
        room = self.forget_room()
        if room is not None and self.identity is not None:
            with contextlib.suppress(*LAYER_ERRORS):
                await self.presence.depart(room, self.identity)
        if self.has_channel():
            with contextlib.suppress(*LAYER_ERRORS):
                await release_channel(
                    self.layer, self.channel_name, still_in=[room.group] if room else []
                )
