# Example.
# DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
# Change the spec and run `make generate` instead.
"""Join a room, post one message, print every server message as a JSON line.

Exits 0 once the room has echoed our own message back, 1 when it has not after
`--timeout` seconds, 2 when the client fails (cannot connect, room name refused…).

    python clients/python/examples/chat.py --url ws://127.0.0.1:8000 --room "café bar" \\
        --send hello --name Ann
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import sys
from pathlib import Path

if importlib.util.find_spec("roomchat_client") is None:
    # Run from a checkout without installing the package: use the one beside this script.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from roomchat_client import (
    ClientError,
    RoomChatClient,
    RoomNotificationMessage,
    UnknownMessage,
)


async def chat(url: str, room: str, text: str, name: str | None, wait_seconds: float) -> int:
    expected = f"💬 {text}"
    async with RoomChatClient(url, room_name=room, name=name) as client:
        await client.send_room_chat(text)
        try:
            async with asyncio.timeout(wait_seconds):
                async for message in client:
                    if isinstance(message, UnknownMessage):  # a newer server's message
                        print(json.dumps(message.raw, ensure_ascii=False), flush=True)
                        continue
                    print(message.model_dump_json(exclude_none=True), flush=True)
                    if isinstance(message, RoomNotificationMessage) and (
                        message.payload.message == expected
                    ):
                        return 0
        except TimeoutError:
            pass
    print(f"chat: {expected!r} did not come back within {wait_seconds} s", file=sys.stderr)
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="ws://127.0.0.1:8000", help="the server, ws://host:port")
    parser.add_argument("--room", default="general", help="the room's name (any text)")
    parser.add_argument("--send", required=True, help="the message to post")
    parser.add_argument("--name", help="the display name the others see (default: Someone)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for it")
    arguments = parser.parse_args()
    try:
        return asyncio.run(
            chat(arguments.url, arguments.room, arguments.send, arguments.name, arguments.timeout)
        )
    except ClientError as error:
        print(f"chat: {type(error).__name__}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
