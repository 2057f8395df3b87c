# The package's public names.
# DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
# Change the spec and run `make generate` instead.
"""Typed async client for roomchat 1.1.0, generated from its AsyncAPI document.

`RoomChatClient` speaks the `/ws/room/{room_name}` channel.
"""

from .backoff import ReconnectPolicy
from .channel import UnknownMessage
from .client import RoomChatClient, channel_url
from .errors import (
    ClientClosedError,
    ClientError,
    ConnectionFailedError,
    ConnectionLostError,
    IdleTimeoutError,
    InvalidRoomNameError,
    OriginNotAllowedError,
    RequestTimeoutError,
    RoomFullError,
    ServerClosedError,
    ServerError,
    ServerFullError,
    SlowConsumerError,
    TooManyConnectionsError,
    TooManyMessagesError,
    UnexpectedFrameError,
)
from .models import (
    ClientMessage,
    EnvelopeVersion,
    ErrorDetail,
    ErrorMessage,
    ErrorPayload,
    ErrorReason,
    PingMessage,
    PongMessage,
    Ref,
    RoomChatFrame,
    RoomChatMessage,
    RoomChatPayload,
    RoomName,
    RoomNotificationMessage,
    RoomNotificationPayload,
    ServerMessage,
)

__all__ = [
    "ClientClosedError",
    "ClientError",
    "ClientMessage",
    "ConnectionFailedError",
    "ConnectionLostError",
    "EnvelopeVersion",
    "ErrorDetail",
    "ErrorMessage",
    "ErrorPayload",
    "ErrorReason",
    "IdleTimeoutError",
    "InvalidRoomNameError",
    "OriginNotAllowedError",
    "PingMessage",
    "PongMessage",
    "ReconnectPolicy",
    "Ref",
    "RequestTimeoutError",
    "RoomChatClient",
    "RoomChatFrame",
    "RoomChatMessage",
    "RoomChatPayload",
    "RoomFullError",
    "RoomName",
    "RoomNotificationMessage",
    "RoomNotificationPayload",
    "ServerClosedError",
    "ServerError",
    "ServerFullError",
    "ServerMessage",
    "SlowConsumerError",
    "TooManyConnectionsError",
    "TooManyMessagesError",
    "UnexpectedFrameError",
    "UnknownMessage",
    "channel_url",
]
