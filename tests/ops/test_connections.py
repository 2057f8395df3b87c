from __future__ import annotations

from roomchat.ops.client_limits import ClientLimits
from roomchat.ops.connections import ConnectionRegistry
from roomchat.protocol.close_reasons import ROOM_FULL


class Member:
    async def close(self, code: int | None = None, reason: str | None = None) -> None: ...

    async def deliver(self, frame: str) -> None: ...


def test_the_registry_counts_the_members_of_each_room_here() -> None:
    # The one count of local members: admission and metrics both read it.
    connections = ConnectionRegistry(
        max_connections=10,
        max_room_connections=2,
        client_limits=ClientLimits(per_client=0, per_client_in_room=0),
    )
    first, second, third = Member(), Member(), Member()
    connections.add(first, "room.a", None)
    connections.add(second, "room.a", None)
    connections.add(third, "room.b", None)
    assert connections.refusal("room.a", None) == ROOM_FULL
    assert connections.refusal("room.b", None) is None
    assert connections.room_count == 2
    connections.remove(first)
    connections.remove(second)
    connections.remove(second)  # twice is harmless
    assert connections.refusal("room.a", None) is None
    assert connections.room_count == 1
    assert connections.connection_count == 1
