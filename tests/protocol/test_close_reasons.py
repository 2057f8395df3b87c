"""Close reasons fit a close frame: at most 123 UTF-8 bytes, cut on a character boundary."""

from __future__ import annotations

import pytest

from roomchat.protocol.close_codes import WS_4403_ORIGIN_NOT_ALLOWED
from roomchat.protocol.close_reasons import (
    ELLIPSIS,
    MAX_CLOSE_REASON_BYTES,
    CloseReason,
    clamp_close_reason,
)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def test_the_limit_is_what_a_close_frame_leaves_after_the_code() -> None:
    assert MAX_CLOSE_REASON_BYTES == 125 - 2


@pytest.mark.parametrize(
    "text",
    ["", "the room is full on this server", "x" * 123, "é" * 61 + "x"],
    ids=["empty", "short", "exactly 123 ASCII", "exactly 123 bytes, two-byte characters"],
)
def test_a_reason_that_fits_is_kept_as_it_is(text: str) -> None:
    assert _size(text) <= MAX_CLOSE_REASON_BYTES
    assert clamp_close_reason(text) == text


@pytest.mark.parametrize(
    "text",
    ["x" * 124, "x" * 5_000, "é" * 62, "日本語" * 50, "🎉" * 40, "x" + "🎉" * 40],
    ids=["124 ASCII", "5000 ASCII", "two-byte", "three-byte", "four-byte", "four-byte, offset"],
)
def test_a_longer_reason_is_cut_on_a_character_boundary_with_an_ellipsis(text: str) -> None:
    clamped = clamp_close_reason(text)
    assert _size(clamped) <= MAX_CLOSE_REASON_BYTES
    assert clamped.endswith(ELLIPSIS)
    kept = clamped.removesuffix(ELLIPSIS)
    assert text.startswith(kept)
    # As much as fits: one more character of the original would break the limit.
    assert _size(text[: len(kept) + 1] + ELLIPSIS) > MAX_CLOSE_REASON_BYTES


def test_a_close_reason_is_clamped_when_it_is_made() -> None:
    reason = CloseReason(WS_4403_ORIGIN_NOT_ALLOWED, "ö" * 200)
    assert reason.code == WS_4403_ORIGIN_NOT_ALLOWED
    assert _size(reason.text) <= MAX_CLOSE_REASON_BYTES
    assert reason.text.endswith(ELLIPSIS)
