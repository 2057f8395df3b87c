-- Leave: forget a connection. ARGV[2] connection id, ARGV[3] user id.
-- Returns {1 when it was the user's last connection in the room else 0, gone users}.
local gone = purge()
local last = 0
if redis.call('HDEL', KEYS[1], ARGV[2]) == 1 then
  redis.call('ZREM', KEYS[2], ARGV[2])
  if redis.call('HINCRBY', KEYS[3], ARGV[3], -1) <= 0 then
    redis.call('HDEL', KEYS[3], ARGV[3])
    last = 1
  end
end
keep_keys()
return {last, gone}
