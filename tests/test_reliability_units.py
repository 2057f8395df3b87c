"""Unit checks of the reliability pieces, and that the code and the spec agree on them."""

from __future__ import annotations

import time

import pytest

from roomchat import close_codes
from roomchat.origins import OriginPolicy
from roomchat.rate_limit import RateLimiter, TokenBucket, Verdict
from roomchat.settings import MESSAGE_LENGTH_CEILING, Settings
from roomchat.spec import load_spec


def test_close_codes_in_code_are_exactly_the_specs() -> None:
    declared = {
        entry["name"]: entry["code"] for entry in load_spec()["channels"]["room"]["x-close-codes"]
    }
    in_code = {
        name: getattr(close_codes, name) for name in dir(close_codes) if name.startswith("WS_")
    }
    assert in_code == declared


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


def test_token_bucket_allows_a_burst_then_refills() -> None:
    bucket = TokenBucket(capacity=3, rate=100)
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    time.sleep(0.02)
    assert bucket.take()


def test_rate_limiter_refuses_then_closes() -> None:
    limiter = RateLimiter(rate=0.001, burst=2, strikes=3)
    verdicts = [limiter.judge() for _ in range(6)]
    assert verdicts == [
        Verdict.ACCEPT,
        Verdict.ACCEPT,
        Verdict.REFUSE,
        Verdict.REFUSE,
        Verdict.REFUSE,
        Verdict.CLOSE,
    ]


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        (None, "chat.example:8000", True),  # not a browser
        ("http://chat.example:8000", "chat.example:8000", True),
        ("https://chat.example:8000", "chat.example:8000", True),
        ("HTTP://Chat.Example:8000/", "chat.example:8000", True),
        ("http://chat.example:9000", "chat.example:8000", False),
        ("http://evil.example", "chat.example:8000", False),
        ("null", "chat.example:8000", False),
        ("ws://chat.example:8000", "chat.example:8000", False),
        ("http://chat.example:8000", None, False),
        ("https://friend.example", "chat.example:8000", True),
    ],
)
def test_origin_policy(origin: str | None, host: str | None, allowed: bool) -> None:
    policy = OriginPolicy.from_setting("https://friend.example/, ")
    assert policy.allows(origin, host) is allowed


def test_a_star_allows_any_origin() -> None:
    assert OriginPolicy.from_setting("*").allows("http://anything.example", "x")
