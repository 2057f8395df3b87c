"""The released clients' tests use the clients' fixture for node (skipped without it, failed in
CI)."""

from tests.clients.conftest import node as node
