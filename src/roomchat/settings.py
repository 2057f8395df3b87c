"""The service's configuration: read from the environment once, then passed explicitly."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from enum import StrEnum

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The spec's `RoomChatPayload.message` maxLength: the most `max_message_length` may be.
MESSAGE_LENGTH_CEILING = 4000


class LayerKind(StrEnum):
    """Which channel layer carries messages between connections."""

    MEMORY = "memory"
    REDIS_PUBSUB = "redis-pubsub"
    REDIS_QUEUE = "redis-queue"


class LogFormat(StrEnum):
    """How the process writes its log lines."""

    CONSOLE = "console"  # for people: structlog's key=value lines, uvicorn's own format
    JSON = "json"  # for machines: one JSON object per line, every line of the process


class Settings(BaseSettings):
    """Everything the service can be told. Each field is a `ROOMCHAT_<NAME>` variable.

    The layer is chosen by `ROOMCHAT_LAYER`; left unset, it is Redis pub/sub when
    `REDIS_URL` is set and the in-memory layer otherwise.
    """

    model_config = SettingsConfigDict(
        env_prefix="ROOMCHAT_", frozen=True, extra="ignore", populate_by_name=True
    )

    layer_choice: LayerKind | None = Field(default=None, validation_alias="ROOMCHAT_LAYER")
    redis_url: str | None = Field(default=None, validation_alias="REDIS_URL")
    redis_prefix: str = Field(
        default="roomchat",
        pattern=r"^[A-Za-z0-9_.-]{1,40}$",
        description="Namespace of every Redis key and pub/sub channel the service uses.",
    )
    channel_capacity: int = Field(
        default=10_000,
        ge=1,
        description="Messages a connection's channel may hold before the layer drops more.",
    )
    message_expiry_seconds: int = Field(
        default=60, ge=1, description="Redis queue layer: how long an undelivered message lives."
    )
    group_expiry_seconds: int = Field(
        default=7 * 24 * 3600,
        ge=60,
        description="How long a room membership lives in the layer without being renewed.",
    )

    # -- limits (docs/operations.md "Limits"; the spec's close codes and error reasons) --
    max_frame_bytes: int = Field(
        default=65_536,
        ge=1024,
        description="Largest WebSocket frame a client may send; bigger ones close with 1009.",
    )
    max_message_length: int = Field(
        default=MESSAGE_LENGTH_CEILING,
        ge=1,
        le=MESSAGE_LENGTH_CEILING,
        description="Longest chat text accepted; the spec's maxLength is the ceiling.",
    )
    rate_limit: float = Field(
        default=10.0,
        ge=0,
        description="Frames per second one connection may send on average; 0 turns it off.",
    )
    rate_burst: int = Field(
        default=20, ge=1, description="Frames a connection may send at once above the rate."
    )
    rate_limit_strikes: int = Field(
        default=50,
        ge=1,
        description="Refused frames within about 10 seconds that close the connection (4429).",
    )
    max_connections: int = Field(
        default=10_000, ge=1, description="Open room connections one process accepts."
    )
    max_room_connections: int = Field(
        default=1_000, ge=1, description="Open connections to one room on one process."
    )
    max_connections_per_client: int = Field(
        default=0,
        ge=0,
        description="Open room connections from one client address on one process; 0 = off.",
    )
    max_room_connections_per_client: int = Field(
        default=0,
        ge=0,
        description="Open connections from one client address to one room on one process; 0 = off.",
    )
    trusted_proxies: str = Field(
        default="",
        description=(
            "Comma-separated proxy addresses or networks whose X-Forwarded-For names the "
            "client; empty trusts none."
        ),
    )
    send_buffer_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Text (in characters) queued for a client that is not reading before 4408.",
    )
    allowed_origins: str = Field(
        default="",
        description="Comma-separated origins allowed besides the server's own; `*` allows any.",
    )
    shutdown_grace_seconds: float = Field(
        default=5.0, gt=0, description="How long shutdown waits for clients to close."
    )
    layer_probe_seconds: float = Field(
        default=1.0,
        gt=0,
        description="Redis layers: how often Redis is probed while connections are open.",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _canonical_proxies(cls, value: str) -> str:
        return ",".join(_canonical_proxy(entry) for entry in _entries(value))

    @property
    def trusted_proxy_list(self) -> list[str]:
        """The trusted proxies, each an address or a network in canonical form."""
        return _entries(self.trusted_proxies)

    # -- transport limits (`roomchat serve`; docs/operations.md "Transport limits") --------
    handshake_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="How long a connection may take to send a complete HTTP request head.",
    )
    max_header_bytes: int = Field(
        default=16_384,
        ge=1024,
        description="Largest HTTP request head (request line and headers) a client may send.",
    )
    max_header_count: int = Field(
        default=100, ge=1, description="Most header fields one HTTP request may carry."
    )
    close_grace_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How long a connection the server closes may take to finish closing.",
    )
    idle_timeout_seconds: float = Field(
        default=0.0,
        ge=0,
        description="Seconds without a frame from a client before it is closed (4410); 0: never.",
    )
    ping_interval_seconds: float = Field(
        default=20.0,
        gt=0,
        description="`roomchat serve`: how often each WebSocket client is sent a ping.",
    )
    ping_timeout_seconds: float = Field(
        default=20.0,
        gt=0,
        description="`roomchat serve`: how long a client may take to answer a ping (else 1011).",
    )

    # -- identity and access (docs/operations.md "Identity and access") --------------------
    jwt_secret: SecretStr | None = Field(
        default=None,
        description="Token mode: the HS256 secret every connection's JWT must be signed with.",
    )
    jwt_public_key: str | None = Field(
        default=None,
        description="Token mode: a PEM public key; JWTs signed RS256 or ES256 with its key.",
    )
    api_key: SecretStr | None = Field(
        default=None,
        description=(
            "Key `/api/*` requires as `Authorization: Bearer <key>` (unset: open; refused "
            "with 403 in token mode)."
        ),
    )
    presence_ttl_seconds: int = Field(
        default=30,
        ge=3,
        description="How long a member of a dead process stays in presence (Redis layers).",
    )

    @property
    def token_mode(self) -> bool:
        """Whether every connection must present a signed token."""
        return self.jwt_secret is not None or self.jwt_public_key is not None

    # -- history and recovery (docs/operations.md "History and recovery") ----------------
    history_size: int = Field(
        default=100,
        ge=0,
        le=1000,
        description="Chats each room keeps for history and recovery; 0 keeps none.",
    )
    history_ttl_seconds: int = Field(
        default=86_400,
        ge=60,
        description="How long a room's history is kept after its last chat.",
    )
    recovery_max_messages: int = Field(
        default=1000,
        ge=1,
        description="Most chats one recovery replays; a client that missed more is not recovered.",
    )

    log_format: LogFormat = Field(
        default=LogFormat.CONSOLE,
        description="`console` for people, `json` for one JSON object per log line.",
    )

    @property
    def layer(self) -> LayerKind:
        """The layer in force, after applying the `REDIS_URL` default."""
        if self.layer_choice is not None:
            return self.layer_choice
        return LayerKind.REDIS_PUBSUB if self.redis_url else LayerKind.MEMORY

    @classmethod
    def from_environment(cls) -> Settings:
        """Read the environment (the only place that does)."""
        return cls()


def running_in_ci(environment: Mapping[str, str] | None = None) -> bool:
    """Whether this runs in CI: `CI` is `1`, `true` or `yes` (CI services and `.ci/run` set it).

    There every check must really run: a missing tool (Redis, node, Chromium, the compiled
    TypeScript's compiler) is a failure, where elsewhere it is a skip or a warning.
    """
    value = (os.environ if environment is None else environment).get("CI", "")
    return value.strip().lower() in {"1", "true", "yes"}


def _entries(value: str) -> list[str]:
    return [entry.strip() for entry in value.split(",") if entry.strip()]


def _canonical_proxy(entry: str) -> str:
    """`entry` as an IP address or network (host bits dropped), or a ValueError."""
    try:
        if "/" in entry:
            return str(ipaddress.ip_network(entry, strict=False))
        return str(ipaddress.ip_address(entry))
    except ValueError:
        raise ValueError(f"{entry!r} is not an IP address or network") from None
