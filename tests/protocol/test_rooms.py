from __future__ import annotations

import re

import pytest
from fast_channels.layers import InMemoryChannelLayer

from roomchat.protocol.rooms import InvalidRoomNameError, Room, group_for


@pytest.mark.parametrize("name", ["general", "café bar", "日本語", "a/b", "x" * 100, " a "])
def test_allowed_names_map_to_valid_group_names(name: str) -> None:
    room = Room.named(name)
    assert room.name == name
    assert InMemoryChannelLayer().require_valid_group_name(room.group)
    assert re.fullmatch(r"room\.[0-9a-f]{32}", room.group)


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "x" * 300, "a\x00b", "a\nb", "a\x9fb"])
def test_forbidden_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidRoomNameError):
        Room.named(name)


def test_groups_are_stable_and_distinct() -> None:
    assert group_for("general") == group_for("general")
    assert (
        len({group_for(name) for name in ["a/b", "a b", "a%2Fb", "A/b", "café", "cafe\u0301"]}) == 6
    )
