"""Journal entries for tests: one builder, each test file giving only what it varies."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from skill.core.journal import SessionEntry, format_time

__all__ = ["session_entry"]


def session_entry(started: datetime, *, lasting: float = 14, **fields: Any) -> SessionEntry:
    """A finished session of five steps that started at `started` and lasted `lasting` minutes
    of the clock, rated 6 before and 4 after; `fields` replace any of that."""
    defaults: dict[str, Any] = {
        "started_at": format_time(started),
        "ended_at": format_time(started + timedelta(minutes=lasting)),
        "routine": "piriformis-release",
        "ended": "finished",
        "steps_done": 5,
        "steps": 5,
        "minutes": 12.5,
        "pain_before": 6,
        "pain_after": 4,
        "symptoms": (),
    }
    return SessionEntry(**{**defaults, **fields})
