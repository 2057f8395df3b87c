-- KEYS[1] the group; ARGV: group expiry (seconds), message expiry (seconds), capacity,
-- process queue key up to the process (`<prefix>:queue:{`), channel queue key up to the
-- channel (`<prefix>:channel:{`), nonce, payload, the sender's process.
-- Returns {deliveries dropped for queues at capacity, members in the sender's process}.
-- (group_deliver.lua is prepended.)
local dropped, own = deliver_to_group(
  KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8])
return {dropped, own}
