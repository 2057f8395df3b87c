"""The service's HTTP routes: the chat page, the spec and its docs, and health."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from roomchat.ops.metrics import METRICS_CONTENT_TYPE
from roomchat.ops.service import RoomService
from roomchat.protocol.spec import spec_json_text, spec_yaml_text
from roomchat.web.docs_page import docs_page

STATIC_DIR = Path(__file__).resolve().parent / "static"
# The compiled TypeScript client the page runs on: from the checkout, or the copy a built
# wheel carries (see pyproject's force-include).
_CHECKOUT_CLIENT_DIR = Path(__file__).resolve().parents[3] / "clients" / "typescript" / "dist"
_PACKAGED_CLIENT_DIR = STATIC_DIR / "client"


def client_dist_dir() -> Path:
    """Where `/client/` is served from."""
    return _CHECKOUT_CLIENT_DIR if _CHECKOUT_CLIENT_DIR.is_dir() else _PACKAGED_CLIENT_DIR


# Every route answers HEAD where it answers GET (FastAPI's `get` answers GET only).
GET_AND_HEAD = ["GET", "HEAD"]


def http_router(service: RoomService) -> APIRouter:
    """Routes that answer plain HTTP requests."""
    settings = service.settings
    router = APIRouter()

    @router.api_route("/", methods=GET_AND_HEAD, include_in_schema=False)
    async def chat_page() -> FileResponse:
        return FileResponse(
            STATIC_DIR / "index.html",
            headers={"Cache-Control": "no-cache"},
        )

    @router.api_route("/asyncapi.yaml", methods=GET_AND_HEAD, include_in_schema=False)
    async def asyncapi_yaml() -> Response:
        return Response(spec_yaml_text(), media_type="application/yaml; charset=utf-8")

    @router.api_route("/asyncapi.json", methods=GET_AND_HEAD, include_in_schema=False)
    async def asyncapi_json() -> Response:
        return Response(spec_json_text(), media_type="application/json")

    @router.api_route("/asyncapi", methods=GET_AND_HEAD, include_in_schema=False)
    async def asyncapi_page() -> HTMLResponse:
        # The page generated from the spec (`roomchat generate`): no script, no requests.
        page = docs_page()
        return HTMLResponse(
            page.html,
            headers={
                "Content-Security-Policy": page.content_security_policy,
                "Cache-Control": "no-cache",
            },
        )

    # Not in the OpenAPI document, which describes the API (/api/*) alone.
    @router.api_route("/healthz", methods=GET_AND_HEAD, include_in_schema=False)
    async def healthz() -> JSONResponse:
        problem = await service.health.problem()
        if problem is not None:
            body = {"status": "unavailable", "layer": settings.layer.value, "problem": problem}
            return JSONResponse(body, status_code=503)
        return JSONResponse({"status": "ok", "layer": settings.layer.value})

    @router.api_route("/metrics", methods=GET_AND_HEAD, include_in_schema=False)
    async def metrics() -> Response:
        return Response(service.metrics.render(), media_type=METRICS_CONTENT_TYPE)

    return router
