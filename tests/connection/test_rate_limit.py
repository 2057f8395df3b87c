"""The per-connection rate limit: a token bucket, refusals, then a close."""

from __future__ import annotations

import time

from roomchat.connection.rate_limit import RateLimiter, TokenBucket, Verdict


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
