# Copied from src/roomchat/codegen/runtime/python/opening.py by `roomchat generate`.
# DO NOT EDIT: change that file (it has its own tests) and run `make generate`.
"""Opening a connection to a channel, and opening it again after it drops.

A new connection is confirmed by one request round trip when the channel has a request
without payload (`ChannelSpec.probe_action`), so that a connection the server refuses right
after the handshake, with a close code of the spec, fails while opening, typed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TypeVar

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
from websockets.typing import Subprotocol

from .backoff import ReconnectPolicy
from .base_errors import ConnectionFailedError, ConnectionLostError
from .credentials import selection_problem
from .frames import ChannelSpec, UnknownMessage, read_frame, refusal

ServerT = TypeVar("ServerT")


async def open_connection(
    url: str,
    spec: ChannelSpec[ServerT],
    *,
    open_timeout: float,
    headers: Mapping[str, str],
    subprotocols: Sequence[str] = (),
    probe_ref: Callable[[], str],
    early: Callable[[ServerT | UnknownMessage | BaseException], None],
) -> ClientConnection:
    """A new connection to `url` offering `subprotocols`, confirmed by the probe if the spec
    has one.

    Raises `ConnectionFailedError` (also when the server selected a subprotocol the spec
    does not offer), or the server's refusal. What arrives before the probe's answer
    (messages, and an `UnexpectedFrameError` for an odd frame) goes to `early`.
    """
    try:
        connection = await connect(
            url,
            open_timeout=open_timeout,
            additional_headers=headers or None,
            subprotocols=[Subprotocol(entry) for entry in subprotocols] or None,
            max_size=None,
        )
    except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as error:
        # The handshake's error may quote the offer, and the offer may hold a token.
        raise ConnectionFailedError(url, _without_offer(error, subprotocols)) from None
    problem = selection_problem(spec, connection.subprotocol)
    if problem is not None:
        await connection.close()
        raise ConnectionFailedError(url, ValueError(problem))
    if spec.probe_action is not None:
        try:
            await _probe(connection, url, spec, spec.probe_action, open_timeout, probe_ref, early)
        except BaseException:
            await connection.close()
            raise
    return connection


def _without_offer(error: BaseException, offer: Sequence[str]) -> BaseException:
    """`error`, or one saying the same without any offered subprotocol in it."""
    text = str(error)
    if not any(entry in text for entry in offer):
        return error
    return (
        type(error)("the handshake failed")
        if isinstance(error, OSError)
        else ValueError(f"the handshake failed ({type(error).__name__})")
    )


async def _probe(
    connection: ClientConnection,
    url: str,
    spec: ChannelSpec[ServerT],
    action: str,
    open_timeout: float,
    probe_ref: Callable[[], str],
    early: Callable[[ServerT | UnknownMessage | BaseException], None],
) -> None:
    """One request round trip, so that a connection the server refuses right after the
    handshake (with a close code of the spec) fails here, typed."""
    ref = probe_ref()
    try:
        async with asyncio.timeout(open_timeout):
            await connection.send(json.dumps({"action": action, "ref": ref}))
            async for data in connection:
                read = read_frame(spec, data)
                if isinstance(read, BaseException):
                    early(read)
                    continue
                message, answers = read
                if answers == ref:
                    return
                early(message)
    except ConnectionClosed:
        pass
    except TimeoutError as error:
        raise ConnectionFailedError(url, error) from error
    refused = refusal(spec, connection.close_code, connection.close_reason or "")
    if refused is not None:
        raise refused
    lost = ConnectionLostError(connection.close_code, connection.close_reason or "")
    raise ConnectionFailedError(url, lost)


async def reopen(
    url: str, policy: ReconnectPolicy, open_once: Callable[[], Awaitable[ClientConnection]]
) -> ClientConnection:
    """A connection opened again by `open_once`, after each delay of `policy` in turn.

    Raises the server's refusal (`ServerClosedError`) at once, and `ConnectionFailedError`
    (with the last failure's cause and the number of attempts) once the policy gives up.
    """
    failure: BaseException | None = None
    attempts = 0
    for delay in policy.delays():
        await asyncio.sleep(delay)
        attempts += 1
        try:
            return await open_once()
        except ConnectionFailedError as error:  # a refusal (ServerClosedError) is not retried
            failure = error.cause
    raise ConnectionFailedError(url, failure, attempts=attempts)
