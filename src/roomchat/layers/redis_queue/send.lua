-- KEYS[1] a queue (a process's, or a channel's outside any process); ARGV: message expiry
-- (seconds), capacity, entry. Returns 1 when the queue is at capacity (nothing added), else 0.
-- Scores are Redis time in microseconds, kept strictly increasing per queue so entries
-- leave in the order they were added even within one microsecond or if the clock steps back.
local time = redis.call('TIME')
local now = time[1] * 1000000 + time[2]
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, now - ARGV[1] * 1000000)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 1
end
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2]
local score = now
if last then
  score = math.max(now, tonumber(last) + 1)
end
redis.call('ZADD', KEYS[1], score, ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 0
