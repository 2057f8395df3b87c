"""One client in one room: the consumer and its per-connection parts (membership and the join
gate, the outbox, the rate limit, the dispatch pump, chats not yet confirmed by the layer)."""
