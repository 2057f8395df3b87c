"""The history's Lua scripts, each in its own file beside this module.

The publishing scripts are composed when loaded: `keep_chat.lua` (numbering and keeping)
comes before each, and the queue layer's also gets the queue layer's group delivery
(`redis_queue/group_deliver.lua`, which its `group_send.lua` is made of too), so a numbered
chat reaches the members exactly as any other group send does.
"""

from __future__ import annotations

from importlib import resources

from roomchat.layers.redis_queue.scripts import Script

_HISTORY = "roomchat.layers.redis_history"
_QUEUE = "roomchat.layers.redis_queue"


def _lua(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text("utf-8")


_KEEP_CHAT = _lua(_HISTORY, "keep_chat.lua")

PUBLISH_PUBSUB = Script(_KEEP_CHAT + "\n" + _lua(_HISTORY, "publish_pubsub.lua"))
PUBLISH_QUEUE = Script(
    "\n".join((_lua(_QUEUE, "group_deliver.lua"), _KEEP_CHAT, _lua(_HISTORY, "publish_queue.lua")))
)
LATEST = Script(_lua(_HISTORY, "latest.lua"))
SINCE = Script(_lua(_HISTORY, "since.lua"))
READ_SCRIPTS = (LATEST, SINCE)
