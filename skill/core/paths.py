"""Paths into parsed JSON documents: Alexa envelopes, ASK models, recorded traffic.

Such documents come from outside and may be damaged anywhere, so a path is followed without
trusting any level to be an object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["dig"]


def dig(document: Any, *keys: str) -> Any:
    """The value at ``keys`` through nested objects; None as soon as one is missing or not an
    object: ``dig(envelope, "context", "System", "user", "userId")``."""
    for key in keys:
        if not isinstance(document, Mapping):
            return None
        document = document.get(key)
    return document
