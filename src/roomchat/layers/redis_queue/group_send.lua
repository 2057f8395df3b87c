-- KEYS[1] group; ARGV: now, group cutoff, message cutoff, expiry, capacity, prefix, nonce,
-- payload, the sender's process marker (`<process>!`). Returns {deliveries dropped for
-- queues at capacity, members outside any process, members in the sender's process}.
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[2])
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local by_queue, queues, others, own = {}, {}, {}, {}
local marker = ARGV[9]
for _, channel in ipairs(members) do
  local bang = string.find(channel, '!', 1, true)
  if bang and string.sub(channel, bang - #marker + 1, bang) == marker then
    own[#own + 1] = channel
  elseif bang then
    local queue = ARGV[6] .. string.sub(channel, 1, bang)
    local channels = by_queue[queue]
    if not channels then
      channels = {}
      by_queue[queue] = channels
      queues[#queues + 1] = queue
    end
    channels[#channels + 1] = channel
  else
    others[#others + 1] = channel
  end
end
local dropped = 0
local capacity = tonumber(ARGV[5])
local body = struct.pack('>I4', #ARGV[8]) .. ARGV[8]
for i, queue in ipairs(queues) do
  redis.call('ZREMRANGEBYSCORE', queue, 0, ARGV[3])
  if redis.call('ZCARD', queue) < capacity then
    local entry = ARGV[7] .. struct.pack('>I4', i) .. body .. cmsgpack.pack(by_queue[queue])
    redis.call('ZADD', queue, ARGV[1], entry)
    redis.call('EXPIRE', queue, ARGV[4])
  else
    dropped = dropped + #by_queue[queue]
  end
end
return {dropped, others, own}
