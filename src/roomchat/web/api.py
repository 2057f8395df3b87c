"""The HTTP API for operators and bots (`/api/*`), behind `web.api_guard`.

`GET /api/rooms/{room_name}/presence`: the room's presence, the same on every process (the
store is shared on the Redis layers), in the spec's `PresencePayload` (the `presence` frame's
payload).

`GET /api/rooms/{room_name}/history?limit=N`: the room's last `limit` chats (1-100, 50 when
left out), oldest first, in the spec's `HistoryPayload` (the `history` frame's payload): the
same on every process on the Redis layers (the history is in Redis), this process's on the
in-memory layer.

A room name follows the WebSocket's rules, percent-encoded as one path segment.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from roomchat.layers.errors import LAYER_ERRORS
from roomchat.layers.history import RoomHistory
from roomchat.layers.history_payload import history_payload
from roomchat.presence.interface import PresenceStore
from roomchat.protocol.models import HistoryPayload, PresencePayload
from roomchat.protocol.rooms import ROOM_NAME_RULE, InvalidRoomNameError, Room
from roomchat.web.api_guard import ApiGuard
from roomchat.web.room_paths import register_room_name_convertor

PRESENCE_UNAVAILABLE = "presence cannot be reached right now (Redis)"
HISTORY_UNAVAILABLE = "history cannot be reached right now (Redis)"
DEFAULT_HISTORY_LIMIT = 50
MAX_HISTORY_LIMIT = 100


class ApiError(BaseModel):
    """Why the API refused a request."""

    detail: str


def _refusal(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def api_router(presence: PresenceStore, history: RoomHistory, guard: ApiGuard) -> APIRouter:
    register_room_name_convertor()
    router = APIRouter(
        prefix="/api",
        tags=["api"],
        dependencies=[Depends(guard)],
        responses={
            401: {"model": ApiError, "description": "`ROOMCHAT_API_KEY` is set: no or a wrong key"},
            403: {"model": ApiError, "description": "Token mode without `ROOMCHAT_API_KEY`"},
        },
    )

    @router.get(
        "/rooms/{room_name:room_name}/presence",
        response_model=PresencePayload,
        summary="Who is in a room",
        description=(
            "The room's connections, users and members (id, name, number of connections), on "
            "every server process, members sorted by name then id."
        ),
        responses={
            400: {"model": ApiError, "description": f"Invalid room name: {ROOM_NAME_RULE}"},
            503: {"model": ApiError, "description": "Presence (Redis) cannot be reached"},
        },
    )
    async def room_presence(
        room_name: Annotated[str, Path(description="The room's name, percent-encoded")],
    ) -> PresencePayload | JSONResponse:
        try:
            room = Room.named(room_name)
        except InvalidRoomNameError:
            return _refusal(400, f"invalid room name: {ROOM_NAME_RULE}")
        try:
            return await presence.roster(room.name)
        except LAYER_ERRORS:
            return _refusal(503, PRESENCE_UNAVAILABLE)

    @router.get(
        "/rooms/{room_name:room_name}/history",
        response_model=HistoryPayload,
        summary="A room's last chats",
        description=(
            "The room's last `limit` chats, oldest first: offset, server time, text as posted "
            "and author, with the room's epoch (empty, with no messages, when the room keeps "
            "nothing: history off, or nothing said within the history's TTL)."
        ),
        responses={
            400: {"model": ApiError, "description": f"Invalid room name: {ROOM_NAME_RULE}"},
            503: {"model": ApiError, "description": "History (Redis) cannot be reached"},
        },
    )
    async def room_history(
        room_name: Annotated[str, Path(description="The room's name, percent-encoded")],
        limit: Annotated[
            int, Query(ge=1, le=MAX_HISTORY_LIMIT, description="At most this many chats (1 to 100)")
        ] = DEFAULT_HISTORY_LIMIT,
    ) -> HistoryPayload | JSONResponse:
        try:
            room = Room.named(room_name)
        except InvalidRoomNameError:
            return _refusal(400, f"invalid room name: {ROOM_NAME_RULE}")
        try:
            window = await history.latest(room, limit=limit)
        except LAYER_ERRORS:
            return _refusal(503, HISTORY_UNAVAILABLE)
        return history_payload(room, window)

    return router
