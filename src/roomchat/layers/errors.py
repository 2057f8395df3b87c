"""What a channel layer raises when Redis cannot be reached."""

from __future__ import annotations

from redis.exceptions import RedisError

LAYER_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)
