"""The Redis queue layer: one-round-trip group sends (Lua scripts, run in batches) and one
reader per process queue."""
