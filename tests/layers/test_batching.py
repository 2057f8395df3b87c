"""Calls made while a batch is in flight go together in the next, each with its own outcome."""

from __future__ import annotations

import asyncio

import pytest

from roomchat.layers.batching import Batcher


async def test_calls_made_while_a_batch_is_in_flight_go_together_in_the_next() -> None:
    batches: list[list[str]] = []
    in_flight = asyncio.Event()
    release = asyncio.Event()

    async def run(batch: list[str]) -> list[object]:
        batches.append(batch)
        in_flight.set()
        await release.wait()
        return [ValueError(call) if call == "bad" else call.upper() for call in batch]

    batcher = Batcher[str](run)
    first = batcher.submit("a")
    await in_flight.wait()
    later = [batcher.submit(call) for call in ("b", "bad", "c")]
    release.set()
    assert await first == "A"
    outcomes = await asyncio.gather(*later, return_exceptions=True)
    assert outcomes[0] == "B"
    assert outcomes[2] == "C"
    assert isinstance(outcomes[1], ValueError)
    assert batches == [["a"], ["b", "bad", "c"]]


async def test_a_failed_batch_fails_its_calls_and_the_next_batch_still_runs() -> None:
    failing = True

    async def run(batch: list[int]) -> list[object]:
        if failing:
            raise ConnectionError("gone")
        return list(batch)

    batcher = Batcher[int](run)
    with pytest.raises(ConnectionError, match="gone"):
        await batcher.submit(1)
    failing = False
    assert await batcher.submit(2) == 2
