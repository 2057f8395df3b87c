"""Channel layers: carrying a room's frames between its members, in one process (`memory`) or
across processes through Redis (`redis_pubsub`, `redis_queue`); `build` makes the one the
settings choose."""
