from __future__ import annotations

from enum import StrEnum

import pytest

from roomchat.protocol.spec import load_spec, project_root
from roomchat.settings import (
    MESSAGE_LENGTH_CEILING,
    LayerKind,
    LogFormat,
    Settings,
    running_in_ci,
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REDIS_URL", "ROOMCHAT_LAYER", "ROOMCHAT_REDIS_PREFIX"):
        monkeypatch.delenv(name, raising=False)


def test_memory_by_default() -> None:
    assert Settings.from_environment().layer is LayerKind.MEMORY


def test_redis_url_alone_chooses_pubsub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    settings = Settings.from_environment()
    assert settings.layer is LayerKind.REDIS_PUBSUB
    assert settings.redis_url == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize("kind", list(LayerKind))
def test_roomchat_layer_chooses_explicitly(
    monkeypatch: pytest.MonkeyPatch, kind: LayerKind
) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("ROOMCHAT_LAYER", kind.value)
    assert Settings.from_environment().layer is kind


def test_settings_are_read_when_asked_not_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROOMCHAT_REDIS_PREFIX", "first")
    first = Settings.from_environment()
    monkeypatch.setenv("ROOMCHAT_REDIS_PREFIX", "second")
    assert (first.redis_prefix, Settings.from_environment().redis_prefix) == ("first", "second")


def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROOMCHAT_LAYER", "carrier-pigeon")
    with pytest.raises(ValueError, match="ROOMCHAT_LAYER"):
        Settings.from_environment()


def test_per_client_limits_are_off_by_default() -> None:
    settings = Settings()
    assert (settings.max_connections_per_client, settings.max_room_connections_per_client) == (
        0,
        0,
    )
    assert settings.trusted_proxy_list == []


def test_trusted_proxies_are_addresses_and_networks_in_canonical_form() -> None:
    settings = Settings(trusted_proxies=" 127.0.0.1, 10.1.2.3/8 ,::1,, fd00::/8")
    # A network written with host bits (10.1.2.3/8) would silently match nothing in uvicorn.
    assert settings.trusted_proxy_list == ["127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"]


@pytest.mark.parametrize("value", ["proxy.internal", "*", "10.0.0.0/33", "127.0.0.1:8080"])
def test_trusted_proxies_that_are_not_addresses_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="trusted_proxies"):
        Settings(trusted_proxies=value)


def test_the_message_length_ceiling_is_the_specs_max_length() -> None:
    schema = load_spec()["components"]["schemas"]["RoomChatPayload"]
    assert schema["properties"]["message"]["maxLength"] == MESSAGE_LENGTH_CEILING
    assert Settings().max_message_length == MESSAGE_LENGTH_CEILING
    with pytest.raises(ValueError, match="max_message_length"):
        Settings(max_message_length=MESSAGE_LENGTH_CEILING + 1)


def test_limits_are_read_from_roomchat_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROOMCHAT_RATE_LIMIT", "0")
    monkeypatch.setenv("ROOMCHAT_MAX_FRAME_BYTES", "4096")
    monkeypatch.setenv("ROOMCHAT_MAX_CONNECTIONS", "7")
    monkeypatch.setenv("ROOMCHAT_ALLOWED_ORIGINS", "https://a.example")
    settings = Settings.from_environment()
    assert settings.rate_limit == 0
    assert settings.max_frame_bytes == 4096
    assert settings.max_connections == 7
    assert settings.allowed_origins == "https://a.example"


@pytest.mark.parametrize(
    ("value", "in_ci"),
    [("true", True), ("1", True), ("YES", True), ("false", False), ("0", False), ("", False)],
)
def test_ci_is_recognised_by_its_variable(value: str, in_ci: bool) -> None:
    assert running_in_ci({"CI": value}) is in_ci
    assert running_in_ci({}) is False


def test_ci_is_read_from_the_environment_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert running_in_ci()
    monkeypatch.delenv("CI")
    assert not running_in_ci()


def test_log_format_is_console_unless_json_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROOMCHAT_LOG_FORMAT", raising=False)
    assert Settings.from_environment().log_format is LogFormat.CONSOLE
    monkeypatch.setenv("ROOMCHAT_LOG_FORMAT", "json")
    assert Settings.from_environment().log_format is LogFormat.JSON
    monkeypatch.setenv("ROOMCHAT_LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="log_format"):
        Settings.from_environment()


def test_every_setting_is_documented_with_its_default() -> None:
    page = (project_root() / "docs" / "operations.md").read_text("utf-8")
    rows = {line.split("|")[1].strip(" `"): line for line in page.splitlines() if "| `" in line}
    for name, field in Settings.model_fields.items():
        variable = field.validation_alias or f"ROOMCHAT_{name.upper()}"
        assert variable in rows, f"docs/operations.md has no row for {variable}"
        default = field.default.value if isinstance(field.default, StrEnum) else field.default
        if default not in (None, ""):
            shown = f"{default:g}" if isinstance(default, float) else str(default)
            assert f"`{shown}`" in rows[variable], f"{variable}: default {shown} not shown"
