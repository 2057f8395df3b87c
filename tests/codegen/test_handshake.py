"""What the generated clients offer when they connect is read from the spec: the channel's
WebSocket binding (query, subprotocols) and the identity and token messages."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from roomchat.codegen.channels import channel_views
from roomchat.codegen.handshake import handshake_view
from roomchat.protocol.spec import load_spec


def view_of(document: dict[str, Any]) -> Any:
    (channel,) = channel_views(document)
    return handshake_view(document, channel)


def test_the_spec_s_handshake() -> None:
    handshake = view_of(load_spec())
    assert handshake.subprotocols == ("roomchat.v1",)
    assert handshake.token_prefix == "roomchat.token."
    name, history = handshake.query
    assert (name.name, name.schema_name, name.python_type) == ("name", "DisplayName", "str")
    assert (name.schema["minLength"], name.schema["maxLength"]) == (1, 40)
    assert (history.name, history.python_type) == ("history", "int")
    assert (history.schema["minimum"], history.schema["maximum"]) == (0, 100)
    # `history` asks for the `history` frame on joining; a reconnecting client recovers instead.
    assert (name.first_connection_only, history.first_connection_only) == (False, True)
    assert handshake.first_connection_query == ("history",)
    recovery = handshake.recovery
    assert recovery is not None
    assert recovery.parameters == ("epoch", "offset")
    assert (recovery.recovery.action, recovery.recovery.payload_schema) == (
        "recovery",
        "RecoveryPayload",
    )
    assert recovery.recovered_field == "recovered"
    assert [message.action for message in recovery.numbered] == ["room_notification"]
    assert handshake.greeting is not None
    assert (handshake.greeting.action, handshake.greeting.expiry_field) == (
        "welcome",
        "token_expires_at",
    )
    assert handshake.refresh is not None
    assert handshake.refresh.operation.action == "refresh_token"
    assert handshake.refresh.reply_schema == "TokenRefreshedMessage"
    assert handshake.renewal_codes == (4419,)
    assert handshake.renewed_actions == ("watch_presence",)


def without_recovery(document: dict[str, Any]) -> dict[str, Any]:
    """`document` as it was before recovery: no `recovery` message, no position."""
    del document["channels"]["room"]["messages"]["recovery"]
    del document["operations"]["sendRecovery"]
    del document["components"]["messages"]["recovery"]
    del document["components"]["schemas"]["RecoveryMessage"]
    del document["components"]["schemas"]["RecoveryPayload"]
    query = document["channels"]["room"]["bindings"]["ws"]["query"]["properties"]
    del query["epoch"], query["offset"]
    return document


def test_a_channel_without_a_binding_offers_nothing_and_takes_no_token() -> None:
    document = without_recovery(copy.deepcopy(load_spec()))
    del document["channels"]["room"]["bindings"]
    handshake = view_of(document)
    assert (handshake.subprotocols, handshake.token_prefix, handshake.query) == ((), None, ())
    assert (handshake.refresh, handshake.renewal_codes, handshake.recovery) == (None, (), None)


def test_a_spec_without_recovery_makes_clients_without_it() -> None:
    handshake = view_of(without_recovery(copy.deepcopy(load_spec())))
    assert handshake.recovery is None
    assert [parameter.name for parameter in handshake.query] == ["name", "history"]


def query_of(document: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = document["channels"]["room"]["bindings"]["ws"]["query"][
        "properties"
    ]
    return properties


def test_generation_fails_when_the_recovery_stops_matching_the_spec() -> None:
    document = copy.deepcopy(load_spec())
    del query_of(document)["epoch"], query_of(document)["offset"]
    with pytest.raises(ValueError, match="no query parameter names a position"):
        view_of(document)

    document = copy.deepcopy(load_spec())
    query_of(document)["epoch"] = {"type": "integer"}
    with pytest.raises(ValueError, match=r"one string \(the epoch\) and one integer"):
        view_of(document)

    document = copy.deepcopy(load_spec())
    recovered = document["components"]["schemas"]["RecoveryPayload"]["properties"]
    del recovered["epoch"]
    with pytest.raises(ValueError, match="exactly one server message"):
        view_of(document)

    document = copy.deepcopy(load_spec())
    notification = document["components"]["schemas"]["RoomNotificationPayload"]["properties"]
    del notification["offset"]
    with pytest.raises(ValueError, match="no server message carries the position"):
        view_of(document)


def test_query_parameters_are_strings_or_integers() -> None:
    document = copy.deepcopy(load_spec())
    query_of(document)["ratio"] = {"type": "number"}
    with pytest.raises(ValueError, match="only strings and integers"):
        view_of(document)


def test_the_token_prefix_comes_from_the_example_that_carries_a_token() -> None:
    document = copy.deepcopy(load_spec())
    header = document["channels"]["room"]["bindings"]["ws"]["headers"]["properties"][
        "Sec-WebSocket-Protocol"
    ]
    header["examples"] = ["chat.v2", "chat.v2, bearer.aaa.bbb.ccc"]
    handshake = view_of(document)
    assert (handshake.subprotocols, handshake.token_prefix) == (("chat.v2",), "bearer.")
    header["examples"] = ["chat.v2, a.x.y.z, b.x.y.z"]
    with pytest.raises(ValueError, match="several ways"):
        view_of(document)
