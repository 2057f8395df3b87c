-- A room's newest chats: KEYS[1] its meta, KEYS[2] its stream; ARGV[1] at most this many,
-- ARGV[2] only offsets below this one (0: no bound).
-- Returns {epoch, top, entries newest first}; {'', 0, {}} for a room without history.
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'top')
if not meta[1] then
  return {'', 0, {}}
end
local before = tonumber(ARGV[2])
local newest = '+'
if before > 0 then
  if before <= 1 then
    return {meta[1], meta[2], {}}
  end
  newest = string.format('%d', before - 1)
end
return {meta[1], meta[2], redis.call('XREVRANGE', KEYS[2], newest, '-', 'COUNT', ARGV[1])}
