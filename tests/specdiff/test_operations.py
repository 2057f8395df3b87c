"""Operations and the messages they carry: which way each goes, added, removed, changed."""

from __future__ import annotations

from typing import Any

from roomchat.specdiff import Severity
from tests.specdiff.builders import CHANNEL, diff, document, edited, protocol_findings, summary

ACCEPTS, SENDS = "client→server", "server→client"
PING = {"name": "ping", "payload": {"type": "object", "properties": {"ref": {"type": "string"}}}}
PONG = {"name": "pong", "payload": {"type": "object", "properties": {"ref": {"type": "string"}}}}


def with_ping(spec: dict[str, Any]) -> None:
    """A `receivePing` operation whose reply is `pong`."""
    spec["components"]["messages"] |= {"ping": PING, "pong": PONG}
    spec["channels"]["room"]["messages"] |= {
        "ping": {"$ref": "#/components/messages/ping"},
        "pong": {"$ref": "#/components/messages/pong"},
    }
    spec["operations"]["receivePing"] = {
        "action": "receive",
        "channel": CHANNEL,
        "messages": [{"$ref": "#/channels/room/messages/ping"}],
        "reply": {"channel": CHANNEL, "messages": [{"$ref": "#/channels/room/messages/pong"}]},
    }


BASE = edited(document(), with_ping)


def test_removing_a_receive_operation_breaks_what_clients_send() -> None:
    new = edited(BASE, lambda spec: spec["operations"].pop("receivePing"))
    assert summary(diff(BASE, new)) == {
        ("breaking", ACCEPTS, "$.operations.receivePing", "operation-removed")
    }


def test_removing_a_send_operation_breaks_what_clients_wait_for() -> None:
    new = edited(BASE, lambda spec: spec["operations"].pop("sendNotice"))
    assert summary(diff(BASE, new)) == {
        ("breaking", SENDS, "$.operations.sendNotice", "operation-removed")
    }


def test_adding_an_operation_is_compatible() -> None:
    old = edited(BASE, lambda spec: spec["operations"].pop("receivePing"))
    assert summary(diff(old, BASE)) == {
        ("compatible", ACCEPTS, "$.operations.receivePing", "operation-added")
    }


def test_a_message_taken_out_of_an_operation_breaks_it_and_one_put_in_does_not() -> None:
    def both_messages(spec: dict[str, Any]) -> None:
        spec["operations"]["receivePost"]["messages"].append(
            {"$ref": "#/channels/room/messages/ping"}
        )

    wider = edited(BASE, both_messages)
    path = "$.operations.receivePost.messages[name=ping]"
    assert summary(diff(BASE, wider)) == {("compatible", ACCEPTS, path, "message-added")}
    assert summary(diff(wider, BASE)) == {("breaking", ACCEPTS, path, "message-removed")}


def test_a_reply_goes_the_other_way_from_its_operation() -> None:
    def retype_pong_ref(spec: dict[str, Any]) -> None:
        spec["components"]["messages"]["pong"]["payload"]["properties"]["ref"]["type"] = "integer"

    path = "$.components.messages.pong.payload.properties.ref.type"
    assert summary(diff(BASE, edited(BASE, retype_pong_ref))) == {
        ("breaking", SENDS, path, "type-changed")
    }


def test_a_reply_may_be_added_but_not_removed() -> None:
    without = edited(BASE, lambda spec: spec["operations"]["receivePing"].pop("reply"))
    path = "$.operations.receivePing.reply"
    assert summary(diff(without, BASE)) == {("compatible", SENDS, path, "reply-added")}
    assert summary(diff(BASE, without)) == {("breaking", SENDS, path, "reply-removed")}


def test_a_message_used_both_ways_is_checked_both_ways() -> None:
    def server_sends_post_too(spec: dict[str, Any]) -> None:
        spec["operations"]["sendNotice"]["messages"].append(
            {"$ref": "#/channels/room/messages/post"}
        )

    old = edited(BASE, server_sends_post_too)
    new = edited(old, lambda spec: spec["components"]["messages"]["post"]["payload"].pop("type"))
    path = "$.components.messages.post.payload.type"
    assert summary(diff(old, new)) == {
        ("compatible", ACCEPTS, path, "type-removed"),
        ("breaking", SENDS, path, "type-removed"),
    }


def test_turning_an_operation_around_breaks_it() -> None:
    new = edited(BASE, lambda spec: spec["operations"]["sendNotice"].update(action="receive"))
    assert summary(diff(BASE, new)) == {
        ("breaking", SENDS, "$.operations.sendNotice.action", "action-changed")
    }


def test_an_operation_without_messages_carries_every_message_of_its_channel() -> None:
    old = edited(BASE, lambda spec: spec["operations"]["sendNotice"].pop("messages"))
    new = edited(old, lambda spec: spec["components"]["messages"].pop("ping"))
    new["channels"]["room"]["messages"].pop("ping")
    new["operations"].pop("receivePing")
    found = summary(diff(old, new))
    assert (
        "breaking",
        SENDS,
        "$.operations.sendNotice.messages[name=ping]",
        "message-removed",
    ) in (found)


def test_messages_are_known_by_name_wherever_they_are_defined() -> None:
    def inline_post(spec: dict[str, Any]) -> None:
        spec["channels"]["room"]["messages"]["post"] = spec["components"]["messages"].pop("post")

    assert protocol_findings(diff(BASE, edited(BASE, inline_post))) == []


def test_renaming_a_message_removes_one_and_adds_another() -> None:
    new = edited(BASE, lambda spec: spec["components"]["messages"]["post"].update(name="say"))
    path = "$.operations.receivePost.messages"
    assert summary(diff(BASE, new)) == {
        ("breaking", ACCEPTS, f"{path}[name=post]", "message-removed"),
        ("compatible", ACCEPTS, f"{path}[name=say]", "message-added"),
    }


def test_content_types_follow_the_document_default() -> None:
    new = edited(BASE, lambda spec: spec.update(defaultContentType="application/cbor"))
    found = summary(diff(BASE | {"defaultContentType": "application/json"}, new))
    assert (
        "breaking",
        ACCEPTS,
        "$.components.messages.post.contentType",
        "contentType-changed",
    ) in (found)
    assert len(found) == 4  # post, notice, ping and pong


def test_a_correlation_id_may_be_added_but_not_moved() -> None:
    def correlated(location: str) -> dict[str, Any]:
        def correlate(spec: dict[str, Any]) -> None:
            spec["components"]["messages"]["pong"]["correlationId"] = {"location": location}

        return edited(BASE, correlate)

    path = "$.components.messages.pong.correlationId"
    assert summary(diff(BASE, correlated("$message.payload#/ref"))) == {
        ("compatible", SENDS, path, "correlationId-added")
    }
    moved = diff(correlated("$message.payload#/ref"), correlated("$message.payload#/id"))
    assert summary(moved) == {("breaking", SENDS, path, "correlationId-changed")}


def test_an_operation_field_without_a_rule_is_breaking_when_it_changes() -> None:
    new = edited(BASE, lambda spec: spec["operations"]["receivePost"].update(security=[{}]))
    assert summary(diff(BASE, new)) == {
        ("breaking", ACCEPTS, "$.operations.receivePost.security", "unclassified-change")
    }


def test_words_about_an_operation_are_docs() -> None:
    new = edited(BASE, lambda spec: spec["operations"]["receivePost"].update(summary="Post."))
    report = diff(BASE, new)
    assert [(finding.severity, finding.rule) for finding in report.findings] == [
        (Severity.VERSION, "patch-bump-required"),
        (Severity.DOCS, "summary-added"),
    ]
    assert report.exit_code() == 0
