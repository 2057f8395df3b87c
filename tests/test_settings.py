from __future__ import annotations

import pytest

from roomchat.settings import LayerKind, Settings


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
