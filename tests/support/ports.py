"""Free loopback ports for servers the tests start."""

from roomchat.bench.launcher import free_port

__all__ = ["free_port"]
