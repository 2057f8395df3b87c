"""The `rooms` claim: room names, prefixes ending in `*`, and `*` for every room."""

from __future__ import annotations

import pytest

from roomchat.identity.room_grants import RoomGrants


def test_no_claim_grants_every_room() -> None:
    grants = RoomGrants.from_claim(None)
    assert grants is not None
    assert grants.grants("anything at all")


@pytest.mark.parametrize(
    ("claim", "room", "granted"),
    [
        (["general"], "general", True),
        (["general"], "general2", False),
        (["general"], "General", False),
        (["team-*"], "team-red", True),
        (["team-*"], "team-", True),
        (["team-*"], "teams", False),
        (["*"], "café bar", True),
        (["a", "b*"], "bee", True),
        ([], "general", False),
    ],
)
def test_patterns(claim: list[str], room: str, granted: bool) -> None:
    grants = RoomGrants.from_claim(claim)
    assert grants is not None
    assert grants.grants(room) is granted


@pytest.mark.parametrize("claim", ["general", [1], [""], {"general": True}, [["general"]], 3])
def test_a_claim_that_is_not_a_list_of_names_is_refused(claim: object) -> None:
    assert RoomGrants.from_claim(claim) is None
