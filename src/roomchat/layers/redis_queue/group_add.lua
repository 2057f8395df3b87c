-- KEYS[1] the group; ARGV: channel, group expiry (seconds).
-- The member's score is when it joined (Redis time, seconds): a group send drops members
-- older than the group expiry, and the group itself expires that long after its last join.
redis.call('ZADD', KEYS[1], redis.call('TIME')[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 0
