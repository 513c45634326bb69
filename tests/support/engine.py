"""Driving the session engine in tests: commands applied in turn, and the events picked out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from routines import events as ev
from routines.commands import Command, CommandKind
from routines.models import Routine
from routines.session import apply


def run(
    library: Mapping[str, Routine], *commands: Command, state: dict[str, Any] | None = None
) -> tuple[dict[str, Any], list[ev.Event]]:
    """Apply commands in turn from `state` (a fresh user without the pain check by default);
    return the last state and the last command's events."""
    if state is None:
        state, _ = apply(None, Command(CommandKind.PAIN_CHECK_OFF), library)
    events: list[ev.Event] = []
    for command in commands:
        state, events = apply(state, command, library)
    return state, events


def performs(events: list[ev.Event]) -> list[ev.Perform]:
    """The passes presented among `events`."""
    return [event for event in events if isinstance(event, ev.Perform)]
