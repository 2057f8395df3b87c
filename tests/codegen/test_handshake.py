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
    ((name),) = handshake.query
    assert (name.name, name.schema_name) == ("name", "DisplayName")
    assert (name.schema["minLength"], name.schema["maxLength"]) == (1, 40)
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


def test_a_channel_without_a_binding_offers_nothing_and_takes_no_token() -> None:
    document = copy.deepcopy(load_spec())
    del document["channels"]["room"]["bindings"]
    handshake = view_of(document)
    assert (handshake.subprotocols, handshake.token_prefix, handshake.query) == ((), None, ())
    assert (handshake.refresh, handshake.renewal_codes) == (None, ())


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
