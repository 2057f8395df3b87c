"""Room names in URL paths: the `room_name` convertor the room routes use
(`/ws/room/{room_name:room_name}`, `/api/rooms/{room_name:room_name}/presence`)."""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor


class RoomNameConvertor(Convertor[str]):
    """The rest of the path, whatever it holds: `/` and control characters included.

    Starlette's `path` convertor stops at a newline, which would turn a name the server
    should refuse with its own answer (4400, or 400 on the HTTP API) into a bare 403 or 404.
    """

    regex = r"[\s\S]*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


def register_room_name_convertor() -> None:
    """Make `{room_name:room_name}` usable in routes (idempotent)."""
    register_url_convertor("room_name", RoomNameConvertor())
