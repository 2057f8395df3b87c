-- Join: record a connection. ARGV[2] connection id, ARGV[3] user id, ARGV[4] name.
-- Returns {1 when it is the user's first connection in the room else 0, gone users}.
local gone = purge()
local first = add(ARGV[2], ARGV[3], ARGV[4])
redis.call('ZADD', KEYS[2], now + ttl, ARGV[2])
keep_keys()
return {first, gone}
