-- Shared by every presence script (prepended to each when it is loaded).
-- KEYS[1] the room's connections (hash: connection id -> JSON [user id, name]);
-- KEYS[2] their expiry times (sorted set: connection id, score: when it expires, Redis time
-- in seconds); KEYS[3] the room's users (hash: user id -> number of connections).
-- ARGV[1] the entry TTL in seconds.
local ttl = tonumber(ARGV[1])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000

-- Forget the connections whose time is up; the users that had no other connection left,
-- as a flat list: connection id, user id, name, ...
local function purge()
  local gone = {}
  local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
  if #expired == 0 then
    return gone
  end
  for _, id in ipairs(expired) do
    local entry = redis.call('HGET', KEYS[1], id)
    if entry then
      redis.call('HDEL', KEYS[1], id)
      local user = cjson.decode(entry)
      if redis.call('HINCRBY', KEYS[3], user[1], -1) <= 0 then
        redis.call('HDEL', KEYS[3], user[1])
        table.insert(gone, id)
        table.insert(gone, user[1])
        table.insert(gone, user[2])
      end
    end
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  return gone
end

-- Record a connection unless it is there; 1 when it is its user's first in the room.
local function add(id, user, name)
  if redis.call('HSETNX', KEYS[1], id, cjson.encode({user, name})) == 0 then
    return 0
  end
  if redis.call('HINCRBY', KEYS[3], user, 1) == 1 then
    return 1
  end
  return 0
end

-- A room nobody touches for twice the TTL vanishes (its entries expired long before).
local function keep_keys()
  for i = 1, 3 do
    redis.call('EXPIRE', KEYS[i], ttl * 2)
  end
end
