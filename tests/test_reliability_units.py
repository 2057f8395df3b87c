"""Unit checks of the reliability pieces, and that the code and the spec agree on them."""

from __future__ import annotations

import time

import pytest

from roomchat.origins import OriginPolicy
from roomchat.rate_limit import RateLimiter, TokenBucket, Verdict


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
