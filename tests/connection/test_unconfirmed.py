"""Broadcasts handed over without waiting: failures still answered, senders held at the limit."""

from __future__ import annotations

import asyncio

import pytest

from roomchat.connection.unconfirmed import UnconfirmedBroadcasts

pytestmark = pytest.mark.timeout(10)


def _future() -> asyncio.Future[None]:
    return asyncio.get_running_loop().create_future()


async def test_a_failed_broadcast_is_reported_with_its_error_and_a_confirmed_one_is_not() -> None:
    failures: list[BaseException] = []
    unconfirmed = UnconfirmedBroadcasts(limit=4)
    confirmed, refused = _future(), _future()
    await unconfirmed.add(confirmed, failures.append)
    await unconfirmed.add(refused, failures.append)
    assert len(unconfirmed) == 2
    error = ConnectionError("redis went away")
    confirmed.set_result(None)
    refused.set_exception(error)
    await asyncio.sleep(0)  # done callbacks run on the next turn
    assert failures == [error]
    assert len(unconfirmed) == 0


async def test_past_the_limit_the_sender_waits_for_the_oldest() -> None:
    unconfirmed = UnconfirmedBroadcasts(limit=2)
    sent = [_future() for _ in range(3)]
    await unconfirmed.add(sent[0], lambda _: None)
    await unconfirmed.add(sent[1], lambda _: None)
    third = asyncio.create_task(unconfirmed.add(sent[2], lambda _: None))
    await asyncio.sleep(0.05)
    assert not third.done()
    sent[0].set_result(None)
    await asyncio.wait_for(third, 1)
    assert len(unconfirmed) == 2


async def test_a_sender_cancelled_while_held_does_not_cancel_the_broadcast() -> None:
    failures: list[BaseException] = []
    unconfirmed = UnconfirmedBroadcasts(limit=1)
    first, second = _future(), _future()
    await unconfirmed.add(first, failures.append)
    held = asyncio.create_task(unconfirmed.add(second, failures.append))
    await asyncio.sleep(0.05)
    held.cancel()
    with pytest.raises(asyncio.CancelledError):
        await held
    assert not first.cancelled()
    assert not second.cancelled()
    first.set_exception(OSError("refused"))
    await asyncio.sleep(0)
    assert [str(error) for error in failures] == ["refused"]
