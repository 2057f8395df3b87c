"""The channel (address, parameters, servers, close codes) and the document around it."""

from __future__ import annotations

from typing import Any

from tests.specdiff.builders import diff, document, edited, summary

ACCEPTS, SENDS, DOCUMENT = "client→server", "server→client", "document"
BASE = document()
ROOM = "$.channels.room"


def room(spec: dict[str, Any]) -> dict[str, Any]:
    channel: dict[str, Any] = spec["channels"]["room"]
    return channel


def test_moving_the_address_breaks_every_client() -> None:
    new = edited(BASE, lambda spec: room(spec).update(address="/ws/rooms/{room_name}"))
    assert summary(diff(BASE, new)) == {("breaking", ACCEPTS, f"{ROOM}.address", "address-changed")}


def test_a_parameter_may_accept_more_values_not_fewer() -> None:
    def values(*names: str) -> dict[str, Any]:
        return edited(
            BASE, lambda spec: room(spec)["parameters"]["room_name"].update(enum=list(names))
        )

    path = f"{ROOM}.parameters.room_name.enum"
    assert summary(diff(values("a"), values("a", "b"))) == {
        ("compatible", ACCEPTS, path, "enum-value-added")
    }
    assert summary(diff(values("a", "b"), values("a"))) == {
        ("breaking", ACCEPTS, path, "enum-value-removed")
    }


def test_a_parameter_comes_and_goes_only_with_a_breaking_change() -> None:
    new = edited(BASE, lambda spec: room(spec)["parameters"].update(topic={}))
    assert summary(diff(BASE, new)) == {
        ("breaking", ACCEPTS, f"{ROOM}.parameters.topic", "parameter-added")
    }


def test_a_close_code_may_be_added_but_not_removed_or_renamed() -> None:
    full = {"code": 4503, "name": "WS_4503_SERVER_FULL", "description": "Full."}
    more = edited(BASE, lambda spec: room(spec)["x-close-codes"].append(full))
    path = f"{ROOM}.x-close-codes[code=4503]"
    assert summary(diff(BASE, more)) == {("compatible", SENDS, path, "close-code-added")}
    assert summary(diff(more, BASE)) == {("breaking", SENDS, path, "close-code-removed")}
    renamed = edited(BASE, lambda spec: room(spec)["x-close-codes"][0].update(name="WS_4400_X"))
    assert summary(diff(BASE, renamed)) == {
        ("breaking", SENDS, f"{ROOM}.x-close-codes[code=4400].name", "close-code-renamed")
    }


def test_a_close_code_described_anew_is_docs() -> None:
    new = edited(BASE, lambda spec: room(spec)["x-close-codes"][0].update(description="Bad."))
    report = diff(BASE, new)
    assert summary(report) == set()
    assert [
        finding.path for finding in report.findings if finding.rule == "description-changed"
    ] == [f"{ROOM}.x-close-codes[code=4400].description"]


def test_a_channel_may_be_added_but_not_removed() -> None:
    lobby = {"address": "/ws/lobby"}
    more = edited(BASE, lambda spec: spec["channels"].update(lobby=lobby))
    assert summary(diff(BASE, more)) == {
        ("compatible", ACCEPTS, "$.channels.lobby", "channel-added")
    }
    assert summary(diff(more, BASE)) == {
        ("breaking", ACCEPTS, "$.channels.lobby", "channel-removed")
    }


def test_a_channel_listing_no_servers_is_on_all_of_them() -> None:
    listed = edited(BASE, lambda spec: room(spec).update(servers=[{"$ref": "#/servers/local"}]))
    assert summary(diff(BASE, listed)) == set()

    def second_server(spec: dict[str, Any]) -> None:
        spec["servers"]["backup"] = {"host": "127.0.0.1:8001", "protocol": "ws"}

    two = edited(BASE, second_server)
    only_backup = edited(
        two, lambda spec: room(spec).update(servers=[{"$ref": "#/servers/backup"}])
    )
    assert summary(diff(two, only_backup)) == {
        ("breaking", ACCEPTS, f"{ROOM}.servers", "channel-server-removed")
    }


def test_a_server_may_be_added_but_not_moved() -> None:
    moved = edited(BASE, lambda spec: spec["servers"]["local"].update(protocol="wss"))
    assert summary(diff(BASE, moved)) == {
        ("breaking", ACCEPTS, "$.servers.local.protocol", "server-protocol-changed")
    }
    more = edited(BASE, lambda spec: spec["servers"].update(backup={"host": "h", "protocol": "ws"}))
    assert summary(diff(BASE, more)) == {
        ("compatible", ACCEPTS, "$.servers.backup", "server-added"),
        ("compatible", ACCEPTS, f"{ROOM}.servers", "channel-server-added"),
    }


def test_info_and_generator_hints_are_docs() -> None:
    def reworded(spec: dict[str, Any]) -> None:
        spec["info"].update(title="Renamed", description="Other words.", license={"name": "MIT"})
        room(spec)["x-client-name"] = "RoomClient"

    report = diff(BASE, edited(BASE, reworded))
    assert summary(report) == set()
    assert {(finding.severity.value, finding.path) for finding in report.findings} == {
        ("docs", "$.info.title"),
        ("docs", "$.info.description"),
        ("docs", "$.info.license"),
        ("docs", f"{ROOM}.x-client-name"),
        ("version", "$.info.version"),
    }


def test_an_unknown_extension_is_breaking_when_it_changes() -> None:
    new = edited(BASE, lambda spec: room(spec).update({"x-max-rooms": 5}))
    assert summary(diff(BASE, new)) == {
        ("breaking", ACCEPTS, f"{ROOM}.x-max-rooms", "unclassified-change")
    }


def _handshake(query: dict[str, Any], *, method: str | None = None) -> dict[str, Any]:
    def add(spec: dict[str, Any]) -> None:
        ws: dict[str, Any] = {"query": query, "bindingVersion": "0.1.0"}
        if method is not None:
            ws["method"] = method
        room(spec)["bindings"] = {"ws": ws}

    return edited(BASE, add)


NAME = {"type": "string", "maxLength": 40}


def test_the_handshake_may_accept_a_new_optional_query_parameter() -> None:
    new = _handshake({"type": "object", "properties": {"name": NAME}})
    path = f"{ROOM}.bindings.ws.query.properties.name"
    assert summary(diff(BASE, new)) == {("compatible", ACCEPTS, path, "optional-property-added")}


def test_a_handshake_parameter_made_required_or_tightened_breaks_clients() -> None:
    optional = _handshake({"type": "object", "properties": {"name": NAME}})
    required = _handshake({"type": "object", "properties": {"name": NAME}, "required": ["name"]})
    shorter = _handshake({"type": "object", "properties": {"name": {**NAME, "maxLength": 10}}})
    query = f"{ROOM}.bindings.ws.query"
    assert summary(diff(optional, required)) == {
        ("breaking", ACCEPTS, f"{query}.required", "required-added")
    }
    assert summary(diff(optional, shorter)) == {
        ("breaking", ACCEPTS, f"{query}.properties.name.maxLength", "maxLength-lowered")
    }


def test_the_handshake_method_is_get_whether_written_or_not() -> None:
    query: dict[str, Any] = {"type": "object"}
    assert summary(diff(BASE, _handshake(query, method="GET"))) == set()
    assert summary(diff(BASE, _handshake(query, method="POST"))) == {
        ("breaking", ACCEPTS, f"{ROOM}.bindings.ws.method", "unclassified-change")
    }


def test_a_binding_of_another_protocol_is_compared_as_written() -> None:
    new = edited(BASE, lambda spec: room(spec).update(bindings={"http": {"method": "GET"}}))
    assert summary(diff(BASE, new)) == {
        ("breaking", ACCEPTS, f"{ROOM}.bindings.http", "unclassified-change")
    }
