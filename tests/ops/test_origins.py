"""Which `Origin` may open a room connection."""

from __future__ import annotations

import pytest

from roomchat.ops.origins import OriginPolicy


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
