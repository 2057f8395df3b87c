-- Refresh: one process's connections in the room live another TTL. ARGV[2..] triples:
-- connection id, user id, name. A connection Redis lost (a restart) is recorded again.
-- Own entries are refreshed before the purge, so a late refresh does not drop them first.
-- Returns {gone users, users back (flat: connection id, user id, name, ...)}.
local back = {}
for i = 2, #ARGV, 3 do
  if add(ARGV[i], ARGV[i + 1], ARGV[i + 2]) == 1 then
    table.insert(back, ARGV[i])
    table.insert(back, ARGV[i + 1])
    table.insert(back, ARGV[i + 2])
  end
  redis.call('ZADD', KEYS[2], now + ttl, ARGV[i])
end
local gone = purge()
keep_keys()
return {gone, back}
