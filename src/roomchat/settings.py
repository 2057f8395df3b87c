"""The service's configuration: read from the environment once, then passed explicitly."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class LayerKind(StrEnum):
    """Which channel layer carries messages between connections."""

    MEMORY = "memory"
    REDIS_PUBSUB = "redis-pubsub"
    REDIS_QUEUE = "redis-queue"


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
