-- The Redis pub/sub layer's chat: numbered, kept and published in one step.
-- KEYS[1] the room's meta, KEYS[2] its stream (keep_chat.lua, prepended); ARGV: size, ttl
-- (seconds), new epoch, text, author id, author name, tutorial frame, opted-in frame without
-- its last two characters, the group's Redis channel.
-- Returns {offset, epoch, time}.
local offset, epoch, time = keep_chat(
  KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
redis.call('PUBLISH', ARGV[9], numbered_chat(ARGV[7], ARGV[8], offset, epoch, time))
return {offset, epoch, time}
