-- The Redis queue layer's chat: numbered, kept and queued for the room's members in one step.
-- KEYS[1] the group, KEYS[2] the room's meta, KEYS[3] its stream; ARGV 1-7 as for
-- group_send.lua without its payload (group expiry, message expiry, capacity, process queue
-- key start, channel queue key start, nonce, the sender's process), then size, ttl, new
-- epoch, text, author id, author name, tutorial frame, opted-in frame without its last two
-- characters. (redis_queue/group_deliver.lua and keep_chat.lua are prepended.)
-- Returns {deliveries dropped, members in the sender's process, the room event for them
-- (empty when there are none), offset, epoch, time}.
local offset, epoch, time = keep_chat(
  KEYS[2], KEYS[3], ARGV[8], ARGV[9], ARGV[10], ARGV[11], ARGV[12], ARGV[13])
local payload = numbered_chat(ARGV[14], ARGV[15], offset, epoch, time)
local dropped, own = deliver_to_group(
  KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], payload, ARGV[7])
if #own == 0 then
  payload = ''
end
return {dropped, own, payload, offset, epoch, time}
