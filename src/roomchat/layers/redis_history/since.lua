-- A room's chats after an offset: KEYS[1] its meta, KEYS[2] its stream; ARGV[1] the offset,
-- ARGV[2] at most this many.
-- Returns {epoch, top, entries oldest first}; {'', 0, {}} for a room without history.
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'top')
if not meta[1] then
  return {'', 0, {}}
end
local oldest = string.format('%d', tonumber(ARGV[1]) + 1)
return {meta[1], meta[2], redis.call('XRANGE', KEYS[2], oldest, '+', 'COUNT', ARGV[2])}
