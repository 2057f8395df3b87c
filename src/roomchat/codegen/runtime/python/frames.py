"""Frames: what the runtime knows of a channel (`ChannelSpec`), what a server frame holds,
and a client message as a frame.

Frames are JSON objects; a client frame sent with `request()` carries a fresh `ref`, and a
reply echoes it in its own `ref`. A frame whose `action` the client does not know (a newer
server's message) is an `UnknownMessage`, and the stream goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from .base_errors import ServerClosedError, UnexpectedFrameError
from .recovery import RecoverySpec

ServerT = TypeVar("ServerT")


@dataclass(frozen=True)
class UnknownMessage:
    """A server message whose `action` this client does not know: a newer server's.

    Yielded by the iteration like any message, so a client keeps working against a server
    that has learnt to say more; `raw` is the whole frame, as parsed JSON.
    """

    action: str
    raw: dict[str, Any]


@dataclass(frozen=True)
class ChannelSpec(Generic[ServerT]):
    """What the runtime needs to know about a channel; the generated client states it."""

    decode: Callable[[Any], ServerT]
    """The message a server frame holds, from the frame's parsed JSON. Raises `ValueError`
    (pydantic's `ValidationError` is one) for a frame that does not match its message."""
    server_actions: frozenset[str]
    """The `action` of every message the server may send; a frame with another `action` is
    an `UnknownMessage`."""
    reply_actions: frozenset[str]
    """The `action` of every server message that answers a request (echoing its `ref`)."""
    refusals: Mapping[int, Callable[[str], ServerClosedError]]
    """The close codes that end the client, never retried, each with its error (given the
    close reason). Any other close is a dropped connection: the client reconnects."""
    probe_action: str | None
    """A request without payload sent on every new connection, so that a connection the
    server closes right after the handshake fails while opening; `None` for none."""
    reply_error: Callable[[ServerT], Exception | None]
    """The error a reply stands for (the spec's error frame), or `None` for an answer."""
    subprotocols: tuple[str, ...] = ()
    """The WebSocket subprotocols offered on every connection; the server may select one of
    them or none (a server that selects none still gets a working client)."""
    token_subprotocol_prefix: str | None = None
    """A token travels as one more subprotocol, this prefix followed by the token."""
    greeting_action: str | None = None
    """The `action` of the message that tells a new connection who it is: kept as the
    client's `greeting` (the latest connection's) instead of going to the stream."""
    renewals: frozenset[int] = frozenset()
    """Close codes of `refusals` after which a fresh token may succeed: a client with a
    token provider reconnects with a fresh token; one with a fixed token ends."""
    token_expiry: Callable[[ServerT], int | None] | None = None
    """When the connection's token expires (Unix seconds), read from the greeting or from
    the answer to `refresh_frame`; `None`: no expiry."""
    refresh_frame: Callable[[str], Mapping[str, Any]] | None = None
    """The request that hands the server a fresh token before the current one expires."""
    renewed_actions: frozenset[str] = frozenset()
    """Requests that hold for as long as a connection lasts (a subscription): sent again on
    every new connection, their answers then going to the stream."""
    recovery: RecoverySpec[ServerT] | None = None
    """How the client keeps its position in the channel's numbered messages and presents it
    when it reconnects; `None`: the channel numbers none."""
    first_connection_query: frozenset[str] = frozenset()
    """Query parameters that ask for something on joining: sent on the first connection
    only (a reconnecting client recovers what it missed instead)."""


Read = tuple[ServerT | UnknownMessage, str | None]
"""A server message, and the `ref` of the request it answers (`None`: none)."""


def read_frame(
    spec: ChannelSpec[ServerT], data: str | bytes
) -> Read[ServerT] | UnexpectedFrameError:
    """The message a frame holds and the `ref` of the request it answers, if any.

    A frame with an `action` the spec does not name is an `UnknownMessage`, answering
    nothing. A frame that is not a JSON object with a string `action`, or that does not
    match its message, is an `UnexpectedFrameError` (returned: the connection goes on).
    """
    try:
        frame = json.loads(data)
        if not isinstance(frame, dict):
            raise ValueError("not a JSON object")
        action = frame.get("action")
        if not isinstance(action, str):
            raise ValueError("no action")
        if action not in spec.server_actions:
            return UnknownMessage(action, frame), None
        message = spec.decode(frame)
    except ValueError as error:  # invalid JSON or UTF-8, and pydantic's errors, too
        return UnexpectedFrameError(data, str(error))
    ref = frame.get("ref")
    if isinstance(ref, str) and frame.get("action") in spec.reply_actions:
        return message, ref
    return message, None


def refusal(spec: ChannelSpec[Any], code: int | None, reason: str) -> ServerClosedError | None:
    """The error a close with `code` ends the client with, or `None`: a dropped connection."""
    refused = spec.refusals.get(code) if code is not None else None
    return refused(reason) if refused is not None else None


def as_mapping(message: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    """A client message as the JSON object its frame is."""
    if isinstance(message, BaseModel):
        dumped: dict[str, Any] = message.model_dump(mode="json", exclude_none=True)
        return dumped
    return dict(message)


def encode(message: BaseModel | Mapping[str, Any]) -> str:
    """A client message as the text of its frame."""
    return json.dumps(as_mapping(message), ensure_ascii=False)
