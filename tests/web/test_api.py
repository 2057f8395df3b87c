"""The HTTP API's guard and its OpenAPI description, on live servers."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import layer_environment
from tests.support.history import http_history_response
from tests.support.in_process_server import in_process_server
from tests.support.live_server import LiveServer
from tests.support.presence import http_presence

API_KEY = "k3y-f0r-the-api-7b1e5c"
ROOM = "lobby"


def with_settings(**settings: str) -> dict[str, str]:
    environment = layer_environment("memory", None, "unused")
    environment.update(settings)
    return environment


def test_without_a_key_configured_the_api_is_open(memory_server: LiveServer) -> None:
    response = http_presence(memory_server.http_url, ROOM)
    assert response.status_code == 200
    assert response.json() == {"room": ROOM, "connections": 0, "users": 0, "members": []}


def test_with_a_key_the_api_needs_it_as_a_bearer_token() -> None:
    with in_process_server(with_settings(ROOMCHAT_API_KEY=API_KEY)) as server:
        url = server.http_url
        refusals = [
            http_presence(url, ROOM),
            http_presence(url, ROOM, headers={"Authorization": "Bearer wrong"}),
            http_presence(url, ROOM, headers={"Authorization": f"Bearer {API_KEY}x"}),
            http_presence(url, ROOM, headers={"Authorization": f"Basic {API_KEY}"}),
            http_presence(url, ROOM, headers={"Authorization": API_KEY}),
        ]
        for refused in refusals:
            assert refused.status_code == 401, refused.text
            assert refused.headers["www-authenticate"] == "Bearer"
            assert refused.json()["detail"]
            assert API_KEY not in refused.text
        allowed = http_presence(url, ROOM, headers={"Authorization": f"Bearer {API_KEY}"})
        assert allowed.status_code == 200
        assert allowed.json()["room"] == ROOM
        # Pages stay open: the key guards /api/* only.
        assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200
        log = server.log()
    assert "/api/rooms/lobby/presence" in log  # the requests were logged ...
    assert API_KEY not in log  # ... and never the key


def test_token_mode_without_a_key_refuses_the_api() -> None:
    with in_process_server(with_settings(ROOMCHAT_JWT_SECRET="s" * 32)) as server:
        response = http_presence(server.http_url, ROOM)
        assert response.status_code == 403
        assert "ROOMCHAT_API_KEY" in response.json()["detail"]
        with_a_guess = http_presence(
            server.http_url, ROOM, headers={"Authorization": "Bearer anything"}
        )
        assert with_a_guess.status_code == 403


def test_token_mode_with_a_key_needs_the_key() -> None:
    settings = with_settings(ROOMCHAT_JWT_SECRET="s" * 32, ROOMCHAT_API_KEY=API_KEY)
    with in_process_server(settings) as server:
        assert http_presence(server.http_url, ROOM).status_code == 401
        headers = {"Authorization": f"Bearer {API_KEY}"}
        assert http_presence(server.http_url, ROOM, headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("settings", "refused"),
    [
        pytest.param({"ROOMCHAT_API_KEY": API_KEY}, 401, id="key set"),
        pytest.param({"ROOMCHAT_JWT_SECRET": "s" * 32}, 403, id="token mode without a key"),
    ],
)
def test_the_history_is_guarded_like_presence(settings: dict[str, str], refused: int) -> None:
    with in_process_server(with_settings(**settings)) as server:
        response = http_history_response(server.http_url, ROOM)
        assert response.status_code == refused
        assert API_KEY not in response.text
        if refused == 401:
            headers = {"Authorization": f"Bearer {API_KEY}"}
            allowed = http_history_response(server.http_url, ROOM, headers=headers)
            assert allowed.status_code == 200
            assert allowed.json() == {"room": ROOM, "epoch": "", "messages": []}


def test_openapi_describes_the_api_and_no_docs_page_is_served(memory_server: LiveServer) -> None:
    response = httpx.get(f"{memory_server.http_url}/openapi.json", timeout=10)
    assert response.status_code == 200
    document = response.json()
    paths = document["paths"]
    assert sorted(paths) == ["/api/rooms/{room_name}/history", "/api/rooms/{room_name}/presence"]
    presence = paths["/api/rooms/{room_name}/presence"]["get"]
    ok = presence["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/PresencePayload"}
    assert {"400", "401", "403", "503"} <= set(presence["responses"])
    assert presence["security"] == [{"HTTPBearer": []}]
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    schema = document["components"]["schemas"]["PresencePayload"]
    assert set(schema["required"]) == {"room", "connections", "users", "members"}
    history = paths["/api/rooms/{room_name}/history"]["get"]
    ok = history["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/HistoryPayload"}
    assert {"400", "401", "403", "422", "503"} <= set(history["responses"])
    assert history["security"] == [{"HTTPBearer": []}]
    [limit] = [p for p in history["parameters"] if p["name"] == "limit"]
    assert (limit["in"], limit["required"]) == ("query", False)
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 100)
    assert limit["schema"]["default"] == 50
    for page in ("/docs", "/redoc"):
        assert httpx.get(f"{memory_server.http_url}{page}", timeout=10).status_code == 404
