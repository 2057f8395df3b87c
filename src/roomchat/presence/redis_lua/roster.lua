-- Roster: the room's live connections. No ARGV beyond the TTL.
-- Returns {flat list: connection id, JSON [user id, name], ..., gone users}.
local gone = purge()
return {redis.call('HGETALL', KEYS[1]), gone}
