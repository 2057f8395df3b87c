"""The ASGI application: `create_app(settings)`, and `app` for `uvicorn roomchat.main:app`."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from chanx.utils.logging import logger
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.routing import WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from roomchat.connection.consumer import RoomChatConsumer
from roomchat.connection.member_presence import watchers_told
from roomchat.layers.build import (
    RegisteredLayer,
    build_channel_layer,
)
from roomchat.ops.logs import configure_logging
from roomchat.ops.outage_watch import LayerWatch
from roomchat.ops.service import RoomService
from roomchat.ops.shutdown import drain_before_exit
from roomchat.protocol.close_reasons import SHUTTING_DOWN
from roomchat.settings import LayerKind, Settings
from roomchat.web.api import api_router
from roomchat.web.api_guard import ApiGuard
from roomchat.web.room_paths import register_room_name_convertor
from roomchat.web.routes import STATIC_DIR, client_dist_dir, http_router
from roomchat.web.security_headers import SecurityHeaders

ROOM_ROUTE = "/ws/room/{room_name:room_name}"


register_room_name_convertor()


def create_app(settings: Settings) -> FastAPI:
    """The service, configured by `settings` alone."""
    configure_logging(settings.log_format)
    layer = build_channel_layer(settings)
    # fast-channels finds layers by alias in a process-wide registry; a unique alias keeps
    # several apps (tests, embedding) in one process apart.
    registered = RegisteredLayer(f"roomchat-{uuid.uuid4().hex[:12]}", layer)
    service = RoomService.from_settings(settings)
    service.metrics.watch_layer(layer.holdings)
    watch = (
        LayerWatch(service.health, service.connections, interval=settings.layer_probe_seconds)
        if settings.layer is not LayerKind.MEMORY
        else None
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        with registered, drain_before_exit(lambda: close_room_connections(service)):
            watching = asyncio.create_task(watch.run()) if watch is not None else None
            service.presence.start(watchers_told(layer))
            try:
                yield
            finally:
                if watching is not None:
                    watching.cancel()
                    await asyncio.gather(watching, return_exceptions=True)
                await service.presence.close()
                await service.health.close()
                await layer.close()

    app = FastAPI(title="roomchat", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.service = service
    app.include_router(http_router(service))
    api_key = settings.api_key.get_secret_value() if settings.api_key is not None else None
    guard = ApiGuard(api_key, token_mode=settings.token_mode)
    app.include_router(api_router(service.presence, layer.history, guard))
    endpoint = RoomChatConsumer.endpoint(layer_alias=registered.alias, layer=layer, service=service)
    # On the app itself, not through an included router: chanx's route discovery (the
    # AsyncAPI it derives, checked against the spec by tests/contract/test_drift.py) walks
    # plain Starlette routes and does not see into FastAPI's included routers.
    app.router.routes.append(WebSocketRoute(ROOM_ROUTE, endpoint))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/client", StaticFiles(directory=client_dist_dir()), name="client")
    app.add_middleware(SecurityHeaders)
    return app


class _AppFromEnvironment:
    """`roomchat.main:app`: built from the environment on first use, not at import."""

    def __init__(self) -> None:
        self._app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._app is None:
            self._app = create_app(Settings.from_environment())
        await self._app(scope, receive, send)


async def close_room_connections(service: RoomService) -> None:
    """Close every room connection with 1001 and wait for them to leave their rooms."""
    remaining = await service.connections.close_all(
        SHUTTING_DOWN, grace_seconds=service.settings.shutdown_grace_seconds
    )
    if remaining:
        logger.warning("shutdown: connections still open", count=remaining)


app = _AppFromEnvironment()
