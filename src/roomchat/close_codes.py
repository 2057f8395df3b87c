"""WebSocket close codes the service uses; the spec's channel lists them (`x-close-codes`)."""

WS_1000_NORMAL_CLOSURE = 1000
WS_4400_INVALID_ROOM_NAME = 4400
