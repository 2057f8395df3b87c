-- Numbering and keeping one chat (prepended to publish_pubsub.lua and publish_queue.lua).
-- meta: the room's hash (`epoch`, `top`: its latest offset); stream: the room's stream (entry
-- id `<offset>-0`, fields time, text, author_id, author_name). size: entries kept (exactly);
-- ttl: seconds both keys live after the room's last chat; new_epoch: the epoch to start with
-- when the room has no history (its meta key is gone: never written, expired or flushed).
-- Returns the chat's offset, the room's epoch and the chat's time (Redis time, ms).
local function keep_chat(meta, stream, size, ttl, new_epoch, text, author_id, author_name)
  local epoch = redis.call('HGET', meta, 'epoch')
  if not epoch then
    epoch = new_epoch
    -- Entries left from a history whose meta is gone belong to another epoch.
    redis.call('DEL', stream)
    redis.call('HSET', meta, 'epoch', epoch)
  end
  local offset = redis.call('HINCRBY', meta, 'top', 1)
  local clock = redis.call('TIME')
  local time = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
  redis.call('XADD', stream, 'MAXLEN', size, string.format('%d-0', offset),
    'time', string.format('%d', time), 'text', text,
    'author_id', author_id, 'author_name', author_name)
  redis.call('EXPIRE', meta, ttl)
  redis.call('EXPIRE', stream, ttl)
  return offset, epoch, time
end

-- The room event members receive (`layers.room_events`), MessagePack-encoded as the layers'
-- wire carries it: the tutorial frame, and the frame for members that opted in finished with
-- the chat's position (`layers.history.ChatTemplate`).
local function numbered_chat(plain, rich_head, offset, epoch, time)
  local rich = rich_head .. string.format(',"offset":%d,"epoch":', offset)
    .. cjson.encode(epoch) .. string.format(',"time":%d}}', time)
  return cmsgpack.pack({
    type = 'room.frame', frame = plain, exclude = '', rich = rich,
    offset = offset, epoch = epoch,
  })
end
