# Message models of roomchat 1.3.0.
# DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
# Change the spec and run `make generate` instead.

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypeAliasType

RoomName = TypeAliasType(
    "RoomName",
    Annotated[str, Field(examples=["general", "café bar"], title="RoomName")],
)
"""
A room's name, as decoded from the URL: 1 to 100 characters, not all whitespace,
no control characters.

"""


Ref = TypeAliasType("Ref", Annotated[str, Field(max_length=64, min_length=1, title="Ref")])
"""
A client-chosen correlation id, echoed on replies.
"""


EnvelopeVersion = TypeAliasType(
    "EnvelopeVersion", Annotated[Literal[1], Field(title="EnvelopeVersion")]
)
"""
Version of the correlation envelope; present whenever `ref` is.
"""


class RoomChatPayload(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    message: Annotated[str, Field(max_length=4000, min_length=1)]
    """
    The text to post, 1 to 4000 characters.
    """


class RoomChatMessage(BaseModel):
    """
    A chat message a client posts to its room.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    action: Literal["room_chat"] = "room_chat"
    payload: RoomChatPayload
    ref: Ref | None = None
    """
    The frame's correlation id; `null` is the same as leaving it out.
    """


class PingMessage(BaseModel):
    """
    Asks the server to answer with `pong`.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    action: Literal["ping"] = "ping"
    payload: Annotated[None, Field(None)] = None
    ref: Ref | None = None
    """
    The frame's correlation id; `null` is the same as leaving it out.
    """


Offset = TypeAliasType("Offset", Annotated[int, Field(ge=1, title="Offset")])
"""
A chat's place in its room's history, from 1, strictly increasing per room.
"""


Epoch = TypeAliasType("Epoch", Annotated[str, Field(title="Epoch")])
"""
Which history of a room an offset belongs to: it changes whenever the room's history
was lost or reset. Empty when the room has kept nothing.

"""


ServerTime = TypeAliasType("ServerTime", Annotated[int, Field(title="ServerTime")])
"""
When the server took the chat, in milliseconds since the Unix epoch.
"""


Limit = TypeAliasType("Limit", Annotated[int, Field(ge=1, le=100)])
"""
At most this many chats, 1 to 100; `null` or left out, 50.
"""


class GetHistoryPayload(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    before: Offset | None = None
    """
    Only chats with a smaller offset; the newest kept when left out.
    """
    limit: Limit | None = None
    """
    At most this many chats, 1 to 100; `null` or left out, 50.
    """


class GetHistoryMessage(BaseModel):
    """
    Asks for the room's last chats, or those before an offset.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    action: Literal["get_history"] = "get_history"
    payload: GetHistoryPayload
    ref: Ref | None = None
    """
    The frame's correlation id; `null` is the same as leaving it out.
    """


class RecoveryPayload(BaseModel):
    recovered: bool
    """
    Whether the client now has every chat up to `offset`, each once.
    """
    epoch: Epoch
    offset: int
    """
    The offset of the last chat sent to the client (replayed or live); when not
    recovered, the room's latest offset (0 when it has kept nothing).

    """
    replayed: int
    """
    How many chats were sent before this frame, replayed and posted meanwhile alike
    (`offset` minus the presented offset; 0 when not recovered).

    """


class RecoveryMessage(BaseModel):
    """
    Whether a reconnecting client got every chat it missed.
    """

    action: Literal["recovery"] = "recovery"
    payload: RecoveryPayload


class NoticeKind(StrEnum):
    """
    What a `room_notification` is about: a chat message, or a connection that joined or
    left. Sent only to connections that opted in (`roomchat.v1`).

    """

    chat = "chat"
    joined = "joined"
    left = "left"


DisplayName = TypeAliasType(
    "DisplayName",
    Annotated[str, Field(examples=["Ann", "Zoë Ågren"], title="DisplayName")],
)
"""
A member's name as shown to others: 1 to 40 characters, not all whitespace, no
control characters.

"""


UserId = TypeAliasType("UserId", Annotated[str, Field(title="UserId")])
"""
A user's id: the token's `sub` in token mode, `guest-<connection id>` in open mode.

"""


ConnectionId = TypeAliasType("ConnectionId", Annotated[str, Field(title="ConnectionId")])
"""
One connection's id, unique across server processes.
"""


class User(BaseModel):
    """
    A user as other members see it.
    """

    id: UserId
    name: DisplayName


class Member(BaseModel):
    """
    A user present in a room, with how many connections it has there.
    """

    id: UserId
    name: DisplayName
    connections: int


class PresencePayload(BaseModel):
    """
    A room's presence: also the body of `GET /api/rooms/{room_name}/presence`.

    """

    room: RoomName
    connections: int
    """
    Connections to the room, on every server process.
    """
    users: int
    """
    Distinct users among them (the number of `members`).
    """
    members: list[Member]
    """
    Every user in the room, sorted by name, then id.
    """


class GetPresenceMessage(BaseModel):
    """
    Asks who is in the room.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    action: Literal["get_presence"] = "get_presence"
    payload: Annotated[None, Field(None)] = None
    ref: Ref | None = None
    """
    The frame's correlation id; `null` is the same as leaving it out.
    """


class WatchPresenceMessage(BaseModel):
    """
    Asks for presence now and for every user-level change from now on.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    action: Literal["watch_presence"] = "watch_presence"
    payload: Annotated[None, Field(None)] = None
    ref: Ref | None = None
    """
    The frame's correlation id; `null` is the same as leaving it out.
    """


class RefreshTokenPayload(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    token: Annotated[str, Field(max_length=8192, min_length=1)]
    """
    A fresh JWT for the same user.
    """


class RefreshTokenMessage(BaseModel):
    """
    Replaces the connection's token before it expires (token mode).
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    action: Literal["refresh_token"] = "refresh_token"
    payload: RefreshTokenPayload
    ref: Ref | None = None
    """
    The frame's correlation id; `null` is the same as leaving it out.
    """


class PresenceMessage(BaseModel):
    """
    The answer to `get_presence` and `watch_presence`.
    """

    action: Literal["presence"] = "presence"
    payload: PresencePayload
    ref: Ref | None = None
    version: EnvelopeVersion | None = None


class PresenceEvent(StrEnum):
    """
    `joined`: the user's first connection to the room arrived; `left`: its last one left.

    """

    joined = "joined"
    left = "left"


class PresenceChangedPayload(BaseModel):
    room_name: RoomName
    event: PresenceEvent
    user: User


class PresenceChangedMessage(BaseModel):
    """
    A user arrived in the room or left it.
    """

    action: Literal["presence_changed"] = "presence_changed"
    payload: PresenceChangedPayload


class WelcomePayload(BaseModel):
    connection_id: ConnectionId
    room_name: RoomName
    user: User
    token_expires_at: int | None
    """
    When the token expires (Unix seconds); `null` in open mode.
    """
    epoch: Epoch | None = None
    offset: int | None = None
    """
    With history on: where this connection's chats start. Every chat of the room
    with a greater offset (in this `epoch`) reaches the connection, each once and in
    order (the replayed ones first, when it recovered); none at or before it does,
    except in a `history` frame. The client's position from here on.

    """


class WelcomeMessage(BaseModel):
    """
    Who this connection is; the first frame of a connection that opted in.
    """

    action: Literal["welcome"] = "welcome"
    payload: WelcomePayload


class TokenRefreshedPayload(BaseModel):
    expires_at: int
    """
    When the new token expires (Unix seconds).
    """


class TokenRefreshedMessage(BaseModel):
    """
    The answer to `refresh_token` with a valid token.
    """

    action: Literal["token_refreshed"] = "token_refreshed"
    payload: TokenRefreshedPayload
    ref: Ref | None = None
    version: EnvelopeVersion | None = None


class PongMessage(BaseModel):
    """
    The answer to `ping`.
    """

    action: Literal["pong"] = "pong"
    payload: Annotated[None, Field(None)] = None
    ref: Ref | None = None
    version: EnvelopeVersion | None = None


class ErrorReason(StrEnum):
    """
    Why a frame was refused.

    * `invalid_json`: the text frame is not valid JSON, or nests arrays and objects
      deeper than the server parses.
    * `binary_frame`: the frame is binary; only text frames are accepted.
    * `unknown_action`: `action` is missing, not a string, or not one the server accepts.
    * `invalid_message`: the frame is not a JSON object, or does not match the schema of
      its action (missing, extra or wrong-typed fields); see `details`. A frame, or its
      `payload`, with more than 16 fields (no client message has more than 3) is refused
      whole before its fields are checked: `details` then holds one entry of type
      `too_many_fields`, located at the frame (`""`) or at `payload`.
    * `internal_error`: the server failed while handling a valid frame.
    * `message_too_long`: the chat text is longer than this server's configured limit
      (at most the schema's 4000 characters); nothing was broadcast.
    * `rate_limited`: the connection sent frames faster than its rate limit; this frame
      was dropped. Slow down: a client that keeps it up is closed with `4429`.
    * `layer_unavailable`: the channel layer (Redis) cannot be reached, so the chat text
      was not delivered (retry later); or, sent unprompted, the room has just become
      unreachable and broadcasts may be lost until it is back.

    """

    invalid_json = "invalid_json"
    binary_frame = "binary_frame"
    unknown_action = "unknown_action"
    invalid_message = "invalid_message"
    internal_error = "internal_error"
    message_too_long = "message_too_long"
    rate_limited = "rate_limited"
    layer_unavailable = "layer_unavailable"


class ErrorDetail(BaseModel):
    """
    One problem with one field of a refused frame.
    """

    location: str
    """
    Dotted path of the offending field (`payload.message`); empty for the whole frame.
    """
    problem: str
    """
    What is wrong, for people.
    """
    type: str
    """
    A machine-readable kind of problem (`missing`, `string_type`, `extra_forbidden`…;
    `too_many_fields` for an object refused whole; `more_problems` for the entry that
    counts the problems not listed).

    """


class ErrorPayload(BaseModel):
    reason: ErrorReason
    message: str
    """
    What went wrong, for people.
    """
    details: list[ErrorDetail]
    """
    The offending fields when the frame failed validation; empty otherwise. At most 10
    problems are listed; when there were more, an 11th entry says how many were left
    out (`type` `more_problems`, `location` empty, `problem`
    `<N> more problems not listed`).

    """


class ErrorMessage(BaseModel):
    """
    Why the server refused a frame. The connection stays open.
    """

    action: Literal["error"] = "error"
    payload: ErrorPayload
    ref: Ref | None = None
    version: EnvelopeVersion | None = None


ClientMessage = TypeAliasType(
    "ClientMessage",
    Annotated[
        RoomChatMessage
        | PingMessage
        | GetPresenceMessage
        | WatchPresenceMessage
        | RefreshTokenMessage
        | GetHistoryMessage,
        Field(discriminator="action", title="ClientMessage"),
    ],
)
"""
Any frame a client may send.
"""


class RoomNotificationPayload(BaseModel):
    message: str
    """
    The text shown to members: `💬 <text>` for chat, `🚪 Someone joined room '<room_name>'`
    or `👋 Someone left room '<room_name>'` for notices (a connection that opted in
    reads the user's name instead of `Someone`).

    """
    room_name: RoomName
    kind: NoticeKind | None = None
    user: User | None = None
    offset: Offset | None = None
    epoch: Epoch | None = None
    time: ServerTime | None = None


class HistoryEntry(BaseModel):
    """
    One chat the room kept.
    """

    offset: Offset
    time: ServerTime
    text: str
    """
    The text as posted, without the `💬 ` prefix.
    """
    author: User


class HistoryPayload(BaseModel):
    """
    Chats a room kept, oldest first: also the body of
    `GET /api/rooms/{room_name}/history`.

    """

    room: RoomName
    epoch: Epoch
    messages: list[HistoryEntry]


class HistoryMessage(BaseModel):
    """
    The answer to `get_history`, or the last chats sent on joining.
    """

    action: Literal["history"] = "history"
    payload: HistoryPayload
    ref: Ref | None = None
    version: EnvelopeVersion | None = None


class RoomNotificationMessage(BaseModel):
    """
    A chat message or a join/leave notice delivered to members of a room.
    """

    action: Literal["room_notification"] = "room_notification"
    payload: RoomNotificationPayload


ServerMessage = TypeAliasType(
    "ServerMessage",
    Annotated[
        PongMessage
        | PresenceMessage
        | TokenRefreshedMessage
        | WelcomeMessage
        | PresenceChangedMessage
        | HistoryMessage
        | RecoveryMessage
        | RoomNotificationMessage
        | ErrorMessage,
        Field(discriminator="action", title="ServerMessage"),
    ],
)
"""
Any frame the server may send.
"""


RoomChatFrame = TypeAliasType(
    "RoomChatFrame",
    Annotated[ClientMessage | ServerMessage, Field(title="RoomChatFrame")],
)
"""
Any frame on the room channel, in either direction.
"""
