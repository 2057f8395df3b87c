"""The consumer's wiring that the live suites cannot see directly."""

from __future__ import annotations

from roomchat.connection.consumer import RoomChatConsumer
from roomchat.connection.decoding import ACCEPTED_ACTIONS


def test_the_consumer_handles_every_action_the_decoder_accepts_and_no_other() -> None:
    # Frames are decoded against the spec's ClientMessage and handed to chanx, which finds
    # the handler by action: a decoded action without a handler would end the connection.
    adapter = RoomChatConsumer.incoming_message_adapter
    assert adapter is not None
    handled = adapter.json_schema()["discriminator"]["mapping"]
    assert sorted(handled) == list(ACCEPTED_ACTIONS)
