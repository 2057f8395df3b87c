"""JSON paths naming where a finding is: `$.components.messages.roomChat.payload`."""

from __future__ import annotations

import re

from roomchat.protocol.spec_refs import pointer_tokens

ROOT = "$"
_PLAIN_KEY = re.compile(r"[A-Za-z_$][\w$-]*\Z")


def child(path: str, key: str | int) -> str:
    """The path of `key` inside the object (or of index `key` inside the list) at `path`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _PLAIN_KEY.match(key):
        return f"{path}.{key}"
    quoted = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{path}['{quoted}']"


def item(path: str, field: str, value: object) -> str:
    """The path of the list item at `path` whose `field` is `value` (`[code=4400]`)."""
    return f"{path}[{field}={value}]"


def from_pointer(pointer: str) -> str:
    """The JSON path of a local JSON pointer."""
    path = ROOT
    for token in pointer_tokens(pointer):
        path = child(path, token)
    return path
