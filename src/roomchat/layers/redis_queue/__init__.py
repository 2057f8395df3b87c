"""The Redis queue layer: roomchat's own key layout in Redis (`keys`), one Lua script per
operation run in batches (`scripts`), one-round-trip group sends and one reader per process
queue (`receiving`)."""
