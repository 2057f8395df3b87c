-- KEYS[1] process queue; ARGV: now, message cutoff, expiry, capacity, entry.
-- Returns 1 when the queue is at capacity (nothing added).
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  return 1
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 0
