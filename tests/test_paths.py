"""Tests for skill.core.paths: following a path into a damaged JSON document."""

from __future__ import annotations

from typing import Any

import pytest

from skill.core.paths import dig

ENVELOPE: dict[str, Any] = {"context": {"System": {"user": {"userId": "u1"}}}, "list": [1]}


def test_a_path_through_objects_gives_the_value() -> None:
    assert dig(ENVELOPE, "context", "System", "user", "userId") == "u1"
    assert dig(ENVELOPE, "context", "System") == {"user": {"userId": "u1"}}
    assert dig(ENVELOPE) is ENVELOPE


@pytest.mark.parametrize(
    ("document", "keys"),
    [
        (ENVELOPE, ("context", "System", "device")),  # missing
        (ENVELOPE, ("list", "0")),  # a list is not an object
        (ENVELOPE, ("context", "System", "user", "userId", "x")),  # a string is not an object
        (None, ("context",)),
        ({"context": None}, ("context", "System")),
    ],
)
def test_a_broken_path_gives_none(document: Any, keys: tuple[str, ...]) -> None:
    assert dig(document, *keys) is None
