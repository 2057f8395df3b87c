"""Two server processes sharing one Redis behave as one service."""

from __future__ import annotations

from contextlib import AsyncExitStack

from tests.support.live_server import LiveServer
from tests.support.room_client import chat, connect, joined, left


async def test_members_on_different_processes_share_the_room(
    server_pair: tuple[LiveServer, LiveServer], room: str
) -> None:
    first_server, second_server = server_pair
    async with connect(first_server.ws_url, room) as on_first:
        async with connect(second_server.ws_url, room) as on_second:
            await on_first.expect(joined(room))
            await on_second.say("from the second process")
            await on_first.expect(chat(room, "from the second process"))
            await on_second.expect(chat(room, "from the second process"))
            await on_first.say("from the first process")
            await on_second.expect(chat(room, "from the first process"))
            await on_first.expect(chat(room, "from the first process"))
        await on_first.expect(left(room))


async def test_rooms_stay_isolated_across_processes(
    server_pair: tuple[LiveServer, LiveServer], room: str
) -> None:
    first_server, second_server = server_pair
    other_room = f"{room} other"
    async with connect(first_server.ws_url, other_room) as outsider:
        async with connect(second_server.ws_url, room) as member:
            await member.say("secret")
            await member.expect(chat(room, "secret"))
        await outsider.say("mine")
        await outsider.expect(chat(other_room, "mine"))


async def test_each_member_hears_exactly_the_joins_after_its_own(
    server_pair: tuple[LiveServer, LiveServer], room: str
) -> None:
    """Rapid joins alternating between processes: no notice from before one's own join."""
    members = 6
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(connect(server_pair[index % 2].ws_url, room))
            for index in range(members)
        ]
        await clients[-1].say("everyone is here")
        for index, client in enumerate(clients):
            later_joins = [joined(room)] * (members - 1 - index)
            await client.expect(*later_joins, chat(room, "everyone is here"))
