# Example.
# DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
# Change the spec and run `make generate` instead.
"""Follow a room: print one JSON line per chat message, recovering what a dropped connection
(or a restarted server) missed, until N have come.

Each line is {"offset", "epoch", "time", "text", "author": {"id", "name"}}: `text` as posted
(without the `💬 ` prefix), `offset` and `epoch` its place in the room's history, `time` the
server's (milliseconds since the Unix epoch). The client reconnects on its own, with a short
backoff, presenting the last offset it printed, so every chat comes once and in order. When
the server could not send all it missed (`recovered: false`: the room's history no longer
holds them, or it was lost), the gap is reported on stderr, never as a chat line, and the
following goes on.

Exits 0 after `--count` chat messages, 2 when the client fails for good (the server refused
the room, or stayed away longer than the backoff tries).

    python clients/python/examples/follow.py --url ws://127.0.0.1:8000 --room general --count 10
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
    HistoryMessage,
    ReconnectPolicy,
    RecoveryMessage,
    RoomChatClient,
    RoomNotificationMessage,
)

CHAT_PREFIX = "💬 "
# Short waits between attempts, for about a minute before giving up.
BACKOFF = ReconnectPolicy(initial_delay=0.05, max_delay=0.5, max_attempts=150)


def chat_line(
    offset: int | None, epoch: str | None, time: int | None, text: str, author: dict[str, str]
) -> str:
    return json.dumps(
        {"offset": offset, "epoch": epoch, "time": time, "text": text, "author": author},
        ensure_ascii=False,
    )


async def follow(url: str, room: str, count: int, history: int | None, name: str | None) -> int:
    printed = 0

    def emit(line: str) -> bool:
        nonlocal printed
        print(line, flush=True)
        printed += 1
        return printed >= count

    if count <= 0:
        return 0
    async with RoomChatClient(
        url, room_name=room, name=name, history=history, reconnect=BACKOFF
    ) as client:
        async for message in client:
            if isinstance(message, HistoryMessage):  # asked for with --history, on joining
                for entry in message.payload.messages:
                    author = {"id": entry.author.id, "name": entry.author.name}
                    line = chat_line(
                        entry.offset, message.payload.epoch, entry.time, entry.text, author
                    )
                    if emit(line):
                        return 0
            elif isinstance(message, RecoveryMessage) and not message.payload.recovered:
                print(
                    f"follow: gap: chats sent while disconnected could not be recovered "
                    f"(room epoch {message.payload.epoch!r}, now at offset "
                    f"{message.payload.offset}); following on",
                    file=sys.stderr,
                    flush=True,
                )
            elif isinstance(message, RoomNotificationMessage):
                payload = message.payload
                chat = payload.kind is None or payload.kind.value == "chat"
                if not chat or not payload.message.startswith(CHAT_PREFIX):
                    continue  # a join or leave notice
                user = payload.user
                author = {"id": user.id, "name": user.name} if user else {}
                text = payload.message.removeprefix(CHAT_PREFIX)
                if emit(chat_line(payload.offset, payload.epoch, payload.time, text, author)):
                    return 0
    return 2  # the stream ended without a failure: the client was closed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="ws://127.0.0.1:8000", help="the server, ws://host:port")
    parser.add_argument("--room", default="general", help="the room's name (any text)")
    parser.add_argument("--count", type=int, required=True, help="exit 0 after this many chats")
    parser.add_argument("--history", type=int, help="first print the room's last N chats (0-100)")
    parser.add_argument("--name", help="the display name the others see (default: Someone)")
    arguments = parser.parse_args()
    try:
        return asyncio.run(
            follow(
                arguments.url, arguments.room, arguments.count, arguments.history, arguments.name
            )
        )
    except ClientError as error:
        print(f"follow: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    except ValueError as error:  # --history or --name breaks the spec's rules
        print(f"follow: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
