"""WebSocket close codes the service uses; the spec's channel lists them (`x-close-codes`)."""

WS_1000_NORMAL_CLOSURE = 1000
WS_1001_GOING_AWAY = 1001
# Sent by uvicorn's WebSocket protocol layer, before roomchat sees the frame.
WS_1007_INVALID_FRAME_PAYLOAD_DATA = 1007
WS_1009_MESSAGE_TOO_BIG = 1009
# Sent by uvicorn's WebSocket protocol layer when a client stops answering pings.
WS_1011_INTERNAL_ERROR = 1011
WS_1013_TRY_AGAIN_LATER = 1013
WS_4400_INVALID_ROOM_NAME = 4400
WS_4401_UNAUTHORIZED = 4401
WS_4403_ORIGIN_NOT_ALLOWED = 4403
WS_4404_ROOM_NOT_ALLOWED = 4404
WS_4408_SLOW_CONSUMER = 4408
WS_4409_ROOM_FULL = 4409
WS_4410_IDLE_TIMEOUT = 4410
WS_4419_TOKEN_EXPIRED = 4419
WS_4422_INVALID_DISPLAY_NAME = 4422
WS_4423_INVALID_HISTORY_REQUEST = 4423
WS_4429_TOO_MANY_MESSAGES = 4429
WS_4430_TOO_MANY_CONNECTIONS = 4430
WS_4503_SERVER_FULL = 4503

# What the WebSocket layer reports when a close carried no code (1005) or the connection was
# lost without one (1006). Never sent, so not in the spec, but the commonest ways to leave.
NO_CLOSE_FRAME_CODES = frozenset({1005, 1006})
# The codes counted apart in `/metrics`; any other code a client picks is counted as `other`.
KNOWN_CLOSE_CODES = NO_CLOSE_FRAME_CODES | frozenset(
    value for name, value in dict(globals()).items() if name.startswith("WS_")
)
