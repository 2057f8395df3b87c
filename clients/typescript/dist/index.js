// roomchat client: index.
// DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
// Change the spec and run `make generate` instead.
export * from "./models.js";
export * from "./errors.js";
export * from "./backoff.js";
export * from "./client.js";
