"""One client in one room: the consumer and the per-connection parts it wires together.

Inbound, a frame goes through `intake` (the `rate_limit`, then `decoding` into a message or
the spec's error) to its handler; a chat is posted by `chats` (`unconfirmed` tracks it on its
way). Who may join is `admission`'s call; `room_member` joins and leaves the room, and
`deadlines` close a connection that stays idle or whose token expires. `broadcasts` are what
the channel layer carries, for everyone, the others or one member; they come back in through
the `inbox` and its join gate (`membership`); `client_output` writes frames and replies
through the `outbox`. `dispatch_pump` feeds the consumer its events; `chanx_adapter` holds
what chanx has no public hook for.
"""
