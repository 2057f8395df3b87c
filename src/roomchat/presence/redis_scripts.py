"""The Redis presence store's Lua scripts: one per operation, each in its own file in
`redis_lua/`, with `prelude.lua` (the keys, the clock, purging expired entries) prepended.

Every script purges the room's expired connections first and returns the users that left
with them, so whoever touches a room next reports them. Scripts read Redis's clock (`TIME`),
never a process's: processes on different hosts agree on what has expired.
"""

from __future__ import annotations

from importlib import resources

from roomchat.layers.redis_queue.scripts import Script

_LUA = resources.files("roomchat.presence").joinpath("redis_lua")


def _script(name: str) -> Script:
    prelude = _LUA.joinpath("prelude.lua").read_text("utf-8")
    return Script(prelude + "\n" + _LUA.joinpath(name).read_text("utf-8"))


JOIN = _script("join.lua")
LEAVE = _script("leave.lua")
ROSTER = _script("roster.lua")
REFRESH = _script("refresh.lua")
PRESENCE_SCRIPTS = (JOIN, LEAVE, ROSTER, REFRESH)
