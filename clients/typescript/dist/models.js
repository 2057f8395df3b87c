// roomchat client: models.
// DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
// Change the spec and run `make generate` instead.
/** The `action` of every message a client may send. */
export const CLIENT_ACTIONS = [
    "room_chat",
    "ping",
    "get_presence",
    "watch_presence",
    "refresh_token",
    "get_history",
];
/** The `action` of every message the server may send. */
export const SERVER_ACTIONS = [
    "pong",
    "presence",
    "token_refreshed",
    "welcome",
    "presence_changed",
    "history",
    "recovery",
    "room_notification",
    "error",
];
