"""The close codes in code are exactly the ones the spec declares."""

from __future__ import annotations

from roomchat.protocol import close_codes
from roomchat.protocol.spec import load_spec


def test_close_codes_in_code_are_exactly_the_specs() -> None:
    declared = {
        entry["name"]: entry["code"] for entry in load_spec()["channels"]["room"]["x-close-codes"]
    }
    in_code = {
        name: getattr(close_codes, name) for name in dir(close_codes) if name.startswith("WS_")
    }
    assert in_code == declared
