from __future__ import annotations

from roomchat.ops.client_limits import ClientLimits
from roomchat.ops.connections import ConnectionRegistry


class Member:
    async def close(self, code: int | None = None, reason: str | None = None) -> None: ...

    async def deliver(self, frame: str) -> None: ...


def test_the_registry_tells_how_many_members_a_room_has_here() -> None:
    # The one count of local members: admission, metrics and the join gate all read it.
    connections = ConnectionRegistry(
        max_connections=10,
        max_room_connections=10,
        client_limits=ClientLimits(per_client=0, per_client_in_room=0),
    )
    first, second, third = Member(), Member(), Member()
    assert connections.members_in("room.a") == 0
    connections.add(first, "room.a", None)
    connections.add(second, "room.a", None)
    connections.add(third, "room.b", None)
    assert (connections.members_in("room.a"), connections.members_in("room.b")) == (2, 1)
    assert connections.room_count == 2
    connections.remove(first)
    connections.remove(second)
    connections.remove(second)  # twice is harmless
    assert connections.members_in("room.a") == 0
    assert connections.room_count == 1
    assert connections.connection_count == 1
