// roomchat client: models.
// DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
// Change the spec and run `make generate` instead.
/** The `action` of every message a client may send. */
export const CLIENT_ACTIONS = ["room_chat", "ping"];
/** The `action` of every message the server may send. */
export const SERVER_ACTIONS = ["pong", "room_notification", "error"];
