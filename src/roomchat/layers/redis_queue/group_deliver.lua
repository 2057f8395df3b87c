-- Delivering one payload to a group's members (prepended to the scripts that deliver to a
-- group: group_send.lua, and the history's numbered chats, redis_history/publish_queue.lua).
-- group: the group's key; group expiry (seconds), message expiry (seconds), capacity,
-- process queue key up to the process (`<prefix>:queue:{`), channel queue key up to the
-- channel (`<prefix>:channel:{`), nonce, payload, the sender's process.
-- Returns the deliveries dropped for queues at capacity, and the members in the sender's
-- process.
--
-- Members are grouped by queue: one entry per other process (and per channel outside any
-- process), naming the channels it is for; the sender's own members are returned instead.
-- The queues written are not in KEYS (they are found here), so this needs one Redis, not a
-- Redis Cluster. Queue scores as in send.lua.
local function deliver_to_group(group, group_expiry, message_expiry, capacity,
                                 process_queue_start, channel_queue_start, nonce, payload,
                                 sender)
  local time = redis.call('TIME')
  local now = time[1] * 1000000 + time[2]
  redis.call('ZREMRANGEBYSCORE', group, 0, time[1] - group_expiry)
  local members = redis.call('ZRANGE', group, 0, -1)
  local by_queue, queues, own = {}, {}, {}
  for _, channel in ipairs(members) do
    local bang = string.find(channel, '!', 1, true)
    local queue = nil
    if not bang then
      queue = channel_queue_start .. channel .. '}'
    else
      local process = string.sub(channel, 1, bang - 1)
      if process == sender then
        own[#own + 1] = channel
      else
        queue = process_queue_start .. process .. '}'
      end
    end
    if queue then
      local channels = by_queue[queue]
      if not channels then
        channels = {}
        by_queue[queue] = channels
        queues[#queues + 1] = queue
      end
      channels[#channels + 1] = channel
    end
  end
  local dropped = 0
  local queue_capacity = tonumber(capacity)
  local cutoff = now - message_expiry * 1000000
  local body = struct.pack('>I4', #payload) .. payload
  for i, queue in ipairs(queues) do
    local channels = by_queue[queue]
    redis.call('ZREMRANGEBYSCORE', queue, 0, cutoff)
    if redis.call('ZCARD', queue) < queue_capacity then
      local last = redis.call('ZRANGE', queue, -1, -1, 'WITHSCORES')[2]
      local score = now
      if last then
        score = math.max(now, tonumber(last) + 1)
      end
      local entry = nonce .. struct.pack('>I4', i) .. body .. cmsgpack.pack(channels)
      redis.call('ZADD', queue, score, entry)
      redis.call('EXPIRE', queue, message_expiry)
    else
      dropped = dropped + #channels
    end
  end
  return dropped, own
end
