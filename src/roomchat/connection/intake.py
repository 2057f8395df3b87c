"""Each frame a client sends, up to the message its handler gets: the rate limit, then decoding.

The limit judges every frame before anything is parsed. A frame over it is refused with
`rate_limited`, echoing the frame's ref like every reply to a frame; the ref is read without
validating the rest, which is cheap because refusals are few (the strike bucket closes a
client that keeps going). A frame that cannot be decoded gets the spec's `error`
(`connection.decoding`). After either refusal the connection stays usable.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from roomchat.connection.chats import ReplyTo
from roomchat.connection.decoding import decode_frame, ref_of
from roomchat.connection.rate_limit import RateLimiter, Verdict
from roomchat.ops.metrics import ServiceMetrics
from roomchat.protocol.error_replies import rate_limited
from roomchat.protocol.models import ClientMessage, ErrorMessage


class FrameIntake:
    """Takes one client's frames, at most `rate` a second in bursts of `burst` (a `rate` of 0
    is no limit; `strikes`: see `connection.rate_limit`). `reply_to(ref, message)` answers a
    frame; `close_flooding()` ends a client that keeps sending over the limit."""

    def __init__(
        self,
        *,
        rate: float,
        burst: int,
        strikes: int,
        metrics: ServiceMetrics,
        reply_to: ReplyTo,
        close_flooding: Callable[[], Awaitable[None]],
    ) -> None:
        self._limiter = RateLimiter(rate=rate, burst=burst, strikes=strikes) if rate > 0 else None
        self._rate_limited = rate_limited(rate, burst)
        self._metrics = metrics
        self._reply_to = reply_to
        self._close_flooding = close_flooding

    async def take(self, text: str | None) -> ClientMessage | None:
        """The message a frame (`None`: a binary one) holds, or None when it was refused."""
        self._metrics.frames_received.inc()
        if self._limiter is not None:
            verdict = self._limiter.judge()
            if verdict is not Verdict.ACCEPT:
                await self._refuse_over_limit(verdict, text)
                return None
        decoded = decode_frame(text)
        if isinstance(decoded, ErrorMessage):
            await self._reply_to(None, decoded)  # it carries the frame's ref already
            return None
        return decoded

    async def _refuse_over_limit(self, verdict: Verdict, text: str | None) -> None:
        self._metrics.drops.labels(cause="rate_limited").inc()
        if verdict is Verdict.REFUSE:
            await self._reply_to(ref_of(text), self._rate_limited)
            return
        self._metrics.drops.labels(cause="flooding").inc()
        await self._close_flooding()
