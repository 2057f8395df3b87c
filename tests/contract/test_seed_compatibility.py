"""Seed compatibility: a client of the tutorial's protocol and one that opted in share a room,
on every channel layer, and each sees exactly its own protocol.

The tutorial client offers no subprotocol and reads raw text: it must get the tutorial's
frames byte for byte (`🚪 Someone joined…`, `💬 …`, `👋 Someone left…`) and nothing else,
never a welcome or a presence frame, though the other member watches presence. The client
that opted in (`roomchat.v1`, with a `name`) gets its welcome, the named notices with their
`kind` and `user`, and the presence changes it asked for.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import websockets
from websockets.asyncio.client import ClientConnection
from websockets.typing import Subprotocol

from roomchat_protocol.models import (
    Member,
    NoticeKind,
    PresenceChangedMessage,
    PresenceChangedPayload,
    PresenceEvent,
    PresenceMessage,
    PresencePayload,
    RoomNotificationMessage,
    RoomNotificationPayload,
    User,
    WelcomeMessage,
)
from tests.support.live_server import LiveServer
from tests.support.room_client import RECEIVE_TIMEOUT, RoomClient, check_server_frame, room_url


def tutorial_frame(room: str, message: str) -> str:
    """A frame exactly as the tutorial's server writes it."""
    return json.dumps(
        {"action": "room_notification", "payload": {"message": message, "room_name": room}},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def rich(room: str, message: str, kind: NoticeKind, user: User) -> RoomNotificationMessage:
    return RoomNotificationMessage(
        payload=RoomNotificationPayload(message=message, room_name=room, kind=kind, user=user)
    )


async def rich_chat(client: RoomClient) -> RoomNotificationMessage:
    """The next frame, a chat as a client that opted in gets it, without its position and
    time (1.3.0: the time always, the offset and epoch with history on)."""
    message = await client.receive()
    assert isinstance(message, RoomNotificationMessage), message
    assert message.payload.time is not None
    assert (message.payload.offset is None) == (message.payload.epoch is None)
    unplaced = {"offset": None, "epoch": None, "time": None}
    return message.model_copy(update={"payload": message.payload.model_copy(update=unplaced)})


def changed(room: str, event: PresenceEvent, user: User) -> PresenceChangedMessage:
    return PresenceChangedMessage(
        payload=PresenceChangedPayload(room_name=room, event=event, user=user)
    )


class TutorialClient:
    """Speaks only the tutorial's protocol: no subprotocol, raw JSON text."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    async def say(self, text: str) -> None:
        await self.connection.send(
            json.dumps({"action": "room_chat", "payload": {"message": text}})
        )

    async def frames_until(self, last: str) -> list[str]:
        """Every frame received up to and including `last`, as sent."""
        frames: list[str] = []
        while not frames or frames[-1] != last:
            async with asyncio.timeout(RECEIVE_TIMEOUT):
                frame = await self.connection.recv()
            assert isinstance(frame, str), frame
            check_server_frame(frame)
            frames.append(frame)
        return frames


@asynccontextmanager
async def tutorial_client(server: LiveServer, room: str) -> AsyncIterator[TutorialClient]:
    async with websockets.connect(room_url(server.ws_url, room), open_timeout=10) as connection:
        assert connection.subprotocol is None
        yield TutorialClient(connection)


@asynccontextmanager
async def opted_in_client(server: LiveServer, room: str, name: str) -> AsyncIterator[RoomClient]:
    async with websockets.connect(
        f"{room_url(server.ws_url, room)}?name={name}",
        subprotocols=[Subprotocol("roomchat.v1")],
        open_timeout=10,
    ) as connection:
        assert connection.subprotocol == "roomchat.v1"
        yield RoomClient(connection, room)


@pytest.mark.covers(
    "sendMembershipNotice",
    "sendRoomBroadcast",
    "roomNotification",
    "sendWelcome",
    "welcome",
    "receiveWatchPresence",
    "watchPresence",
    "presence",
    "sendPresenceChanged",
    "presenceChanged",
)
async def test_tutorial_and_opted_in_clients_share_a_room(server: LiveServer, room: str) -> None:
    async with tutorial_client(server, room) as tutorial:
        async with opted_in_client(server, room, "Ann") as ann:
            welcome = await ann.receive()
            assert isinstance(welcome, WelcomeMessage)
            assert welcome.payload.room_name == room
            assert welcome.payload.token_expires_at is None
            me = welcome.payload.user
            assert me.name == "Ann"
            assert me.id.startswith("guest-")
            await ann.send_json({"action": "watch_presence"})
            presence = await ann.receive()
            assert isinstance(presence, PresenceMessage)
            [someone] = [m for m in presence.payload.members if m.id != me.id]
            assert presence.payload == PresencePayload(
                room=room,
                connections=2,
                users=2,
                members=[Member(id=me.id, name="Ann", connections=1), someone],
            )
            assert someone.name == "Someone"

            async with tutorial_client(server, room) as second:
                arrived = await ann.receive()
                assert isinstance(arrived, RoomNotificationMessage)
                assert arrived.payload.user is not None
                newcomer = arrived.payload.user
                assert newcomer.name == "Someone"
                assert arrived == rich(
                    room, f"🚪 Someone joined room '{room}'", NoticeKind.joined, newcomer
                )
                await ann.expect(changed(room, PresenceEvent.joined, newcomer))
                await ann.say("hi")
                assert await rich_chat(ann) == rich(room, "💬 hi", NoticeKind.chat, me)
                await second.say("yo")
                assert await rich_chat(ann) == rich(room, "💬 yo", NoticeKind.chat, newcomer)
                assert await second.frames_until(tutorial_frame(room, "💬 yo")) == [
                    tutorial_frame(room, "💬 hi"),
                    tutorial_frame(room, "💬 yo"),
                ]
            await ann.expect(
                rich(room, f"👋 Someone left room '{room}'", NoticeKind.left, newcomer),
                changed(room, PresenceEvent.left, newcomer),
            )
            await ann.ping()
        await tutorial.say("end")
        assert await tutorial.frames_until(tutorial_frame(room, "💬 end")) == [
            tutorial_frame(
                room, f"🚪 Someone joined room '{room}'"
            ),  # Ann: the tutorial never names anyone
            tutorial_frame(room, f"🚪 Someone joined room '{room}'"),
            tutorial_frame(room, "💬 hi"),
            tutorial_frame(room, "💬 yo"),
            tutorial_frame(room, f"👋 Someone left room '{room}'"),
            tutorial_frame(room, f"👋 Someone left room '{room}'"),
            tutorial_frame(room, "💬 end"),
        ]
