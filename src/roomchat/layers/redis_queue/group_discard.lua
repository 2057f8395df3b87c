-- KEYS[1] the group; ARGV: channel. Returns 1 when the channel was a member, else 0.
-- Redis deletes the group with its last member.
return redis.call('ZREM', KEYS[1], ARGV[1])
