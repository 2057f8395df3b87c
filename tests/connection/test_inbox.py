"""The inbox: broadcasts for one member, past its audience check and join gate."""

from __future__ import annotations

import asyncio

from roomchat.connection.broadcasts import everyone_but, join_announcement, only, room_event
from roomchat.connection.inbox import BroadcastInbox
from roomchat.protocol.frames import encode_frame
from roomchat.protocol.models import User
from roomchat.protocol.notices import chat_notice
from roomchat.protocol.rooms import Room

ROOM = Room.named("general")
ME, OTHER = "specific.me", "specific.other"
USER = User(id="ann", name="Ann")


def frame(text: str) -> str:
    return encode_frame(chat_notice(ROOM, text))


class Client:
    def __init__(self) -> None:
        self.frames: list[str] = []

    async def deliver(self, frame: str) -> None:
        self.frames.append(frame)


async def test_a_member_that_need_not_wait_gets_what_is_for_it() -> None:
    client = Client()
    inbox = BroadcastInbox(client.deliver, gate_timeout=1.0)
    inbox.joined(ME, opted_in=False, hold_until_own_notice=False)
    inbox.start_gate_timer()
    await inbox.receive(join_announcement(ROOM, ME, USER))
    await inbox.receive(room_event(chat_notice(ROOM, "to all")))
    await inbox.receive(room_event(chat_notice(ROOM, "to the others"), everyone_but(ME)))
    await inbox.receive(room_event(chat_notice(ROOM, "to me"), only(ME)))
    await inbox.receive(room_event(chat_notice(ROOM, "to another"), only(OTHER)))
    assert client.frames == [frame("to all"), frame("to me")]
    inbox.close()


async def test_a_held_gate_opens_on_its_timer_when_no_broadcast_comes() -> None:
    client = Client()
    inbox = BroadcastInbox(client.deliver, gate_timeout=0.05)
    inbox.joined(ME, opted_in=False, hold_until_own_notice=True)
    inbox.start_gate_timer()
    await inbox.receive(room_event(chat_notice(ROOM, "held")))
    assert client.frames == []
    await asyncio.sleep(0.2)
    assert client.frames == [frame("held")]
    inbox.close()


async def test_a_gone_client_is_given_nothing_that_was_held() -> None:
    client = Client()
    inbox = BroadcastInbox(client.deliver, gate_timeout=0.05)
    inbox.joined(ME, opted_in=False, hold_until_own_notice=True)
    inbox.start_gate_timer()
    await inbox.receive(room_event(chat_notice(ROOM, "held")))
    inbox.discard_held()
    inbox.close()
    await asyncio.sleep(0.1)
    assert client.frames == []
