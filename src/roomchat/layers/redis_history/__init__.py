"""Room history kept in Redis, for the Redis layers: a stream per room, numbered and
published by one script (`history`)."""
