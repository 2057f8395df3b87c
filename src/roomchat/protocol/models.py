"""The generated message models (`roomchat_protocol.models`) that the server uses.

Server code imports models from here, so the one place that names the generated package is
this module; `roomchat generate` rewrites the models, never this list.
"""

from __future__ import annotations

from roomchat_protocol.models import (
    ClientMessage,
    EnvelopeVersion,
    ErrorDetail,
    ErrorMessage,
    ErrorPayload,
    ErrorReason,
    PingMessage,
    PongMessage,
    Ref,
    RoomChatMessage,
    RoomName,
    RoomNotificationMessage,
    RoomNotificationPayload,
    ServerMessage,
)

__all__ = [
    "ClientMessage",
    "EnvelopeVersion",
    "ErrorDetail",
    "ErrorMessage",
    "ErrorPayload",
    "ErrorReason",
    "PingMessage",
    "PongMessage",
    "Ref",
    "RoomChatMessage",
    "RoomName",
    "RoomNotificationMessage",
    "RoomNotificationPayload",
    "ServerMessage",
]
