"""Eager starts: a write that need not wait finishes in the caller's turn, without a task."""

from __future__ import annotations

import asyncio

import pytest

from roomchat.connection.eager import start_eagerly


async def test_an_eager_start_that_never_waits_finishes_in_the_callers_turn() -> None:
    done: list[str] = []

    async def quick() -> None:
        done.append("written")

    assert start_eagerly(quick()) is None
    assert done == ["written"]


async def test_an_eager_start_that_must_wait_is_finished_by_a_task() -> None:
    ready = asyncio.Event()
    steps: list[str] = []

    async def waits() -> None:
        steps.append("started")
        await ready.wait()
        steps.append("finished")

    task = start_eagerly(waits())
    assert task is not None
    assert steps == ["started"]
    ready.set()
    await asyncio.wait_for(task, 1)
    assert steps == ["started", "finished"]


async def test_cancelling_an_eagerly_started_task_reaches_the_coroutine() -> None:
    cleaned_up: list[bool] = []

    async def waits_forever() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cleaned_up.append(True)

    task = start_eagerly(waits_forever())
    assert task is not None
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cleaned_up == [True]
