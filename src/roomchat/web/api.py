"""The HTTP API for operators and bots (`/api/*`), behind `web.api_guard`.

`GET /api/rooms/{room_name}/presence`: the room's presence, the same on every process (the
store is shared on the Redis layers), in the spec's `PresencePayload` (the `presence` frame's
payload). A room name follows the WebSocket's rules, percent-encoded as one path segment.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from roomchat.layers.errors import LAYER_ERRORS
from roomchat.presence.interface import PresenceStore
from roomchat.protocol.models import PresencePayload
from roomchat.protocol.rooms import ROOM_NAME_RULE, InvalidRoomNameError, Room
from roomchat.web.api_guard import ApiGuard
from roomchat.web.room_paths import register_room_name_convertor

PRESENCE_UNAVAILABLE = "presence cannot be reached right now (Redis)"


class ApiError(BaseModel):
    """Why the API refused a request."""

    detail: str


def _refusal(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def api_router(presence: PresenceStore, guard: ApiGuard) -> APIRouter:
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

    return router
