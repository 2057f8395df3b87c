# RoomChatClient.
# DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
# Change the spec and run `make generate` instead.
"""`RoomChatClient`: the `/ws/room/{room_name}` channel as a typed async client.

One chat room. Every connection to the same room name shares it.

The connection itself (reconnecting, replies by `ref`, close codes, subprotocols and
tokens) is the runtime's `ChannelClient`; this module adds what the spec says: the address
and the handshake's query, the messages, the operations and the facts the runtime is given
(`_CHANNEL_SPEC`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from pydantic import Field, TypeAdapter

from .backoff import ReconnectPolicy
from .channel import (
    DEFAULT_OPEN_TIMEOUT,
    DEFAULT_RECONNECT,
    DEFAULT_REQUEST_TIMEOUT,
    ChannelClient,
    ChannelSpec,
    TokenProvider,
)
from .errors import REFUSALS, ServerError, UnexpectedFrameError
from .frames import as_mapping
from .models import (
    ClientMessage,
    ErrorMessage,
    GetHistoryMessage,
    GetHistoryPayload,
    GetPresenceMessage,
    HistoryMessage,
    Offset,
    PingMessage,
    PongMessage,
    PresenceMessage,
    RecoveryMessage,
    RecoveryPayload,
    RefreshTokenMessage,
    RefreshTokenPayload,
    RoomChatMessage,
    RoomChatPayload,
    RoomNotificationMessage,
    ServerMessage,
    TokenRefreshedMessage,
    WatchPresenceMessage,
    WelcomeMessage,
    WelcomePayload,
)
from .recovery import Position, RecoverySpec

PATH_TEMPLATE = "/ws/room/{room_name}"
_SERVER_MESSAGE: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)
# The `name` query parameter's rules (`DisplayName`), checked before connecting.
_QUERY_NAME: TypeAdapter[str] = TypeAdapter(
    Annotated[
        str,
        Field(
            min_length=1,
            max_length=40,
            pattern="^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$",
        ),
    ]
)
# The `history` query parameter's rules, checked before connecting.
_QUERY_HISTORY: TypeAdapter[int] = TypeAdapter(
    Annotated[
        int,
        Field(
            strict=True,
            ge=0,
            le=100,
        ),
    ]
)


def channel_url(
    base_url: str,
    room_name: str,
    *,
    name: str | None = None,
    history: int | None = None,
) -> str:
    """The channel's address under `base_url` (`ws://host:port`), each parameter
    percent-encoded as one path segment (UTF-8, as `encodeURIComponent` does),
    and the handshake's query parameters that are given, each checked against the spec
    (a `pydantic.ValidationError`, a `ValueError`, when one breaks its rules)."""
    path = PATH_TEMPLATE
    path = path.replace("{room_name}", quote(room_name, safe=""))
    query: dict[str, str] = {}
    if name is not None:
        query["name"] = str(_QUERY_NAME.validate_python(name))
    if history is not None:
        query["history"] = str(_QUERY_HISTORY.validate_python(history))
    if query:
        path += "?" + urlencode(query, quote_via=quote)
    return base_url.rstrip("/") + path


def _reply_error(reply: ServerMessage) -> ServerError | None:
    """An `error` reply is raised as `ServerError`."""
    return ServerError(reply) if isinstance(reply, ErrorMessage) else None


def _token_expiry(message: ServerMessage) -> int | None:
    """When the connection's token expires, as the greeting or a refresh's answer says."""
    if isinstance(message, WelcomeMessage):
        return message.payload.token_expires_at
    if isinstance(message, TokenRefreshedMessage):
        return message.payload.expires_at
    return None


def _refresh_frame(token: str) -> dict[str, Any]:
    """The `refresh_token` request for a fresh token."""
    return as_mapping(RefreshTokenMessage(payload=RefreshTokenPayload(token=token)))


def _stated_position(message: ServerMessage) -> Position | None:
    """The position the greeting, or the end of a recovery, states."""
    if isinstance(message, WelcomeMessage | RecoveryMessage):
        epoch, offset = message.payload.epoch, message.payload.offset
        if epoch is not None and offset is not None:
            return epoch, offset
    return None


def _numbered_position(message: ServerMessage) -> Position | None:
    """The position of a numbered message (`room_notification`), if it carries one."""
    if isinstance(message, RoomNotificationMessage):
        epoch, offset = message.payload.epoch, message.payload.offset
        if epoch is not None and offset is not None:
            return epoch, offset
    return None


_CHANNEL_SPEC: ChannelSpec[ServerMessage] = ChannelSpec(
    decode=_SERVER_MESSAGE.validate_python,
    server_actions=frozenset(
        {
            "pong",
            "presence",
            "token_refreshed",
            "welcome",
            "presence_changed",
            "history",
            "recovery",
            "room_notification",
            "error",
        }
    ),
    reply_actions=frozenset({"pong", "presence", "token_refreshed", "history", "error"}),
    refusals=REFUSALS,
    probe_action="ping",
    reply_error=_reply_error,
    subprotocols=("roomchat.v1",),
    token_subprotocol_prefix="roomchat.token.",
    greeting_action="welcome",
    renewals=frozenset({4419}),
    token_expiry=_token_expiry,
    refresh_frame=_refresh_frame,
    renewed_actions=frozenset({"watch_presence"}),
    recovery=RecoverySpec(
        epoch_parameter="epoch",
        offset_parameter="offset",
        recovery_action="recovery",
        stated=_stated_position,
        numbered=_numbered_position,
    ),
    first_connection_query=frozenset({"history"}),
)


class RoomChatClient(ChannelClient[ServerMessage, ClientMessage]):
    """One connection to the room channel, kept open across server restarts.

    Use it as an async context manager. `async for message in client` yields every frame
    the server sends (a `ServerMessage`, or an `UnknownMessage` for an `action` this version
    of the spec does not name); replies to `request()` go to their caller instead. When the
    connection drops, the client reconnects following `reconnect` (`None`: never) and the
    iteration goes on; when it gives up, or the server refuses the connection with a close
    code the spec declares, the iteration raises the typed error.
    `request()` raises `ServerError` when the reply is an `error` frame.

    Every connection offers the subprotocol `roomchat.v1` (the richer frames; a server
    that selects none, an older one, still works).

    `name` is sent in the handshake's query, checked against the spec before
    connecting (a `ValueError` otherwise).
    A member's name as shown to others: 1 to 40 characters, not all whitespace, no
    control characters.

    `history` is sent in the handshake's query of the first connection (not when
    reconnecting), checked against the spec before connecting (a `ValueError` otherwise).
    How many of the room's last chats to send, in a `history` frame, on joining.

    The client keeps its `position`: the `epoch` and `offset` of the last chat it was given
    (or that the `welcome` stated). Whenever it reconnects it presents them (query), and
    the server sends the chats it missed, then `recovery` (`RecoveryMessage`, also kept as
    `recovery`). The iteration yields each chat once and in order: one at or before the
    position, in the same epoch, is dropped. `recovered: false` means nothing
    was replayed (the position was outside the room's history, or from another epoch): what
    was sent meanwhile is a gap the application may refetch with `get_history()`.

    A `token`, or a `token_provider` (an async function returning one, called for every
    new connection), is offered as the subprotocol `roomchat.token.<token>`, never
    in the URL.
    When the server closes with `4419` (an expired token), a client
    with a provider reconnects with a fresh token; one with a fixed `token` ends with the
    typed error.
    With a provider, the token is refreshed (`refresh_token`) before the expiry the
    server announces, so the connection is not closed for it.

    `welcome` is who the latest connection is, as the server's `welcome` said.

    `watch_presence()` holds for as long as the client lives: it is asked again on every
    new connection, and the answer then comes through the iteration.
    """

    def __init__(
        self,
        base_url: str,
        *,
        room_name: str,
        name: str | None = None,
        history: int | None = None,
        token: str | None = None,
        token_provider: TokenProvider | None = None,
        reconnect: ReconnectPolicy | None = DEFAULT_RECONNECT,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
        open_timeout: float = DEFAULT_OPEN_TIMEOUT,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            channel_url(base_url, room_name=room_name, name=name, history=history),
            _CHANNEL_SPEC,
            reconnect=reconnect,
            request_timeout=request_timeout,
            open_timeout=open_timeout,
            headers=headers,
            token=token,
            token_provider=token_provider,
        )

    @property
    def welcome(self) -> WelcomePayload | None:
        """Who the latest connection is (its id, its user, when its token expires), as the
        server's `welcome` said; `None` before one came (a server older than this
        spec sends none)."""
        greeting = self.greeting
        return greeting.payload if isinstance(greeting, WelcomeMessage) else None

    @property
    def recovery(self) -> RecoveryPayload | None:
        """How the latest connection's recovery ended (`recovered`, the position, how many chats
        were replayed); `None` when it did not recover (the first connection, or no position
        to present)."""
        message = self.recovery_message
        return message.payload if isinstance(message, RecoveryMessage) else None

    async def send_room_chat(
        self,
        message: str,
    ) -> None:
        """A client posts a chat message to the room it is connected to.

        The server broadcasts the text as a `room_notification` whose message is `💬 ` followed
        by the text, to every member of the room, the sender included (see
        `sendRoomBroadcast`). A frame that does not match the schema gets an `error` reply
        instead and nothing is broadcast.

        The text's schema allows up to 4000 characters: that is the default limit and the
        ceiling of the setting. A server configured with a smaller limit answers a longer text
        with `message_too_long` (nothing is broadcast); a text over 4000 characters breaks the
        schema and gets `invalid_message`. When the channel layer (Redis) is unreachable the
        text cannot be delivered and the sender gets `layer_unavailable`, carrying the chat's
        `ref`. On the Redis layers a chat is handed to Redis while the sender's next frame is
        read, so that error can come after the answers to frames sent later.

        `message`: The text to post, 1 to 4000 characters.
        """
        frame = RoomChatMessage(
            payload=RoomChatPayload(
                message=message,
            )
        )
        await self.send(frame)

    async def ping(
        self,
        *,
        timeout: float | None = None,
    ) -> PongMessage:
        """A client checks that the connection is alive."""
        frame = PingMessage()
        reply = await self.request(frame, timeout=timeout)
        if not isinstance(reply, PongMessage):
            raise UnexpectedFrameError(reply.model_dump_json(), "not a reply to ping")
        return reply

    async def get_presence(
        self,
        *,
        timeout: float | None = None,
    ) -> PresenceMessage:
        """A client asks who is in its room, on every server process.

        Answered with `presence`: the room's connections, users and members (id, name, number
        of connections), sorted by name then id. Any client may ask.
        """
        frame = GetPresenceMessage()
        reply = await self.request(frame, timeout=timeout)
        if not isinstance(reply, PresenceMessage):
            raise UnexpectedFrameError(reply.model_dump_json(), "not a reply to get_presence")
        return reply

    async def watch_presence(
        self,
        *,
        timeout: float | None = None,
    ) -> PresenceMessage:
        """A client asks to be told whenever a user arrives in or leaves its room.

        Answered with `presence` (the room as it is now); from then on, for as long as the
        connection lasts, the client receives `presence_changed` when a user's first
        connection arrives and when its last one leaves. Asking again only answers again.
        """
        frame = WatchPresenceMessage()
        reply = await self.request(frame, timeout=timeout)
        if not isinstance(reply, PresenceMessage):
            raise UnexpectedFrameError(reply.model_dump_json(), "not a reply to watch_presence")
        return reply

    async def refresh_token(
        self,
        token: str,
        *,
        timeout: float | None = None,
    ) -> TokenRefreshedMessage:
        """In token mode, a client replaces its connection's token before it expires.

        The new token is checked as at connect. A valid token for the same user (`sub`) that
        still grants the room is answered with `token_refreshed`, and the connection now
        closes at the new expiry. A token that is not valid closes the connection with `4401`
        (`4419` when expired, `4404` when it does not grant the room), as does a token for
        another user (`4401`). On a server in open mode the action is refused with
        `unknown_action`.

        `token`: A fresh JWT for the same user.
        """
        frame = RefreshTokenMessage(
            payload=RefreshTokenPayload(
                token=token,
            )
        )
        reply = await self.request(frame, timeout=timeout)
        if not isinstance(reply, TokenRefreshedMessage):
            raise UnexpectedFrameError(reply.model_dump_json(), "not a reply to refresh_token")
        return reply

    async def get_history(
        self,
        before: Offset | None = None,
        limit: int | None = None,
        *,
        timeout: float | None = None,
    ) -> HistoryMessage:
        """A client reads the room's last chats, or those before an offset.

        Answered with `history`: at most `limit` chats (50 by default, at most 100), oldest
        first, the newest of them just before `before` when given (else the newest kept), and
        the room's epoch. The chats are as posted (`text` without the `💬 ` prefix), with their
        offset, time and author. A room that keeps no history (or a server with history off)
        answers with no messages.

        `before`: Only chats with a smaller offset; the newest kept when left out.

        `limit`: At most this many chats, 1 to 100; `null` or left out, 50.
        """
        frame = GetHistoryMessage(
            payload=GetHistoryPayload(
                before=before,
                limit=limit,
            )
        )
        reply = await self.request(frame, timeout=timeout)
        if not isinstance(reply, HistoryMessage):
            raise UnexpectedFrameError(reply.model_dump_json(), "not a reply to get_history")
        return reply
