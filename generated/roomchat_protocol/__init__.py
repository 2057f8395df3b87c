# Server-side message models for the roomchat protocol.
# DO NOT EDIT: generated from asyncapi/room_chat.yaml by `roomchat generate`.
# Change the spec and run `make generate` instead.
"""Message models generated from the roomchat AsyncAPI document."""
