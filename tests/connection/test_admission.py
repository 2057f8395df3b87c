from __future__ import annotations

import pytest

from roomchat.connection.admission import Handshake, NewMember, Refusal, admit
from roomchat.identity.access import OpenAccess
from roomchat.ops.client_limits import ClientLimits
from roomchat.ops.connections import ConnectionRegistry
from roomchat.ops.origins import OriginPolicy
from roomchat.protocol.close_codes import WS_4430_TOO_MANY_CONNECTIONS
from roomchat.protocol.close_reasons import (
    INVALID_ROOM_NAME,
    ORIGIN_NOT_ALLOWED,
    ROOM_FULL,
    SERVER_FULL,
    SHUTTING_DOWN,
)
from roomchat.protocol.rooms import Room

HOST = "chat.example:8000"


class Member:
    """A stand-in for a connection in the registry (which only keeps it and closes it)."""

    async def close(self, code: int | None = None, reason: str | None = None) -> None: ...

    async def deliver(self, frame: str) -> None: ...


def registry(
    *, connections: int = 10, in_room: int = 10, per_client: int = 0, per_client_in_room: int = 0
) -> ConnectionRegistry:
    return ConnectionRegistry(
        max_connections=connections,
        max_room_connections=in_room,
        client_limits=ClientLimits(per_client=per_client, per_client_in_room=per_client_in_room),
    )


def handshake(
    room_name: str = "general", *, origin: str | None = None, client: str | None = "10.0.0.1"
) -> Handshake:
    return Handshake(room_name=room_name, origin=origin, host=HOST, client=client)


SAME_ORIGIN = OriginPolicy([])
OPEN = OpenAccess()


def test_a_handshake_within_every_limit_is_a_new_member_of_its_room() -> None:
    admitted = admit(
        handshake("café bar"), origins=SAME_ORIGIN, access=OPEN, connections=registry()
    )
    assert isinstance(admitted, NewMember)
    assert (admitted.room, admitted.client) == (Room.named("café bar"), "10.0.0.1")
    assert admitted.identity.user_id == "guest-" + admitted.identity.connection_id
    assert admitted.identity.name == "Someone"
    assert not admitted.identity.opted_in


def test_the_handshake_is_read_from_the_asgi_scope() -> None:
    scope = {
        "headers": [(b"host", HOST.encode()), (b"origin", b"http://chat.example:8000")],
        "client": ("10.0.0.9", 50123),
    }
    assert Handshake.from_scope(scope, "général") == Handshake(
        room_name="général", origin="http://chat.example:8000", host=HOST, client="10.0.0.9"
    )
    assert Handshake.from_scope({"headers": []}, "x") == Handshake("x", None, None, None)


@pytest.mark.parametrize(
    ("origin", "admitted"),
    [
        (None, True),  # not a browser
        (f"http://{HOST}", True),  # the page this server served
        ("https://evil.example", False),
    ],
)
def test_a_foreign_page_is_refused_by_origin(origin: str | None, admitted: bool) -> None:
    result = admit(
        handshake(origin=origin), origins=SAME_ORIGIN, access=OPEN, connections=registry()
    )
    assert isinstance(result, NewMember) is admitted
    if not admitted:
        assert result == Refusal(ORIGIN_NOT_ALLOWED)


def test_the_origin_is_checked_before_the_room_name() -> None:
    result = admit(
        handshake("", origin="https://evil.example"),
        origins=SAME_ORIGIN,
        access=OPEN,
        connections=registry(),
    )
    assert result == Refusal(ORIGIN_NOT_ALLOWED)


@pytest.mark.parametrize("name", ["", "   ", "a\nb", "x" * 101])
def test_a_name_the_spec_does_not_allow_is_refused_without_naming_it(name: str) -> None:
    result = admit(handshake(name), origins=SAME_ORIGIN, access=OPEN, connections=registry())
    assert result == Refusal(INVALID_ROOM_NAME, room_name=None)


def test_a_full_room_is_refused_naming_the_room_and_other_rooms_stay_open() -> None:
    connections = registry(in_room=1)
    connections.add(Member(), Room.named("general").group, "10.0.0.2")
    assert admit(handshake(), origins=SAME_ORIGIN, access=OPEN, connections=connections) == Refusal(
        ROOM_FULL, room_name="general"
    )
    assert isinstance(
        admit(handshake("other"), origins=SAME_ORIGIN, access=OPEN, connections=connections),
        NewMember,
    )


def test_a_full_process_is_refused() -> None:
    connections = registry(connections=1)
    connections.add(Member(), Room.named("elsewhere").group, "10.0.0.2")
    result = admit(handshake(), origins=SAME_ORIGIN, access=OPEN, connections=connections)
    assert result == Refusal(SERVER_FULL, room_name="general")


def test_a_client_over_its_own_limit_is_refused_and_others_are_not() -> None:
    connections = registry(per_client=1)
    connections.add(Member(), Room.named("elsewhere").group, "10.0.0.1")
    result = admit(handshake(), origins=SAME_ORIGIN, access=OPEN, connections=connections)
    assert isinstance(result, Refusal)
    assert result.reason.code == WS_4430_TOO_MANY_CONNECTIONS
    other = admit(
        handshake(client="10.0.0.2"), origins=SAME_ORIGIN, access=OPEN, connections=connections
    )
    assert isinstance(other, NewMember)


def test_a_process_shutting_down_admits_nobody() -> None:
    connections = registry()
    connections.closing = True
    result = admit(handshake(), origins=SAME_ORIGIN, access=OPEN, connections=connections)
    assert result == Refusal(SHUTTING_DOWN, room_name="general")


def test_admission_counts_nobody_in() -> None:
    connections = registry(in_room=1)
    for _ in range(3):
        assert isinstance(
            admit(handshake(), origins=SAME_ORIGIN, access=OPEN, connections=connections), NewMember
        )
    assert connections.connection_count == 0
