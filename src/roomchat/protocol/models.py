"""The generated message models (`roomchat_protocol.models`) that the server uses.

Server code imports models from here, so the one place that names the generated package is
this module. It re-exports every model the spec defines (the generated module's `__all__`),
so a message added to the spec is importable from here as soon as `roomchat generate` ran.
"""

from __future__ import annotations

from roomchat_protocol.models import *  # noqa: F403
from roomchat_protocol.models import __all__ as __all__
