"""A typed, read-only view of a session state, so no front-end reads the state dict's keys.

The stored form of a state stays the plain JSON dict of `routines.session` (it lives in Alexa
session attributes, in persistent attributes and in the local store). Code outside
`routines.session` asks a `StateView` where the session stands: the routine, the current pass
and its hold, the status, the position, the pending offer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from routines import session
from routines.models import Routine
from routines.plan import Item, expand, hold_seconds, seconds_left
from routines.session import Offer, Status

__all__ = ["StateView", "view_of", "view_of_state"]


@dataclass(frozen=True)
class StateView:
    """Where a session stands, read from its state (checked and repaired by the engine)."""

    status: Status
    routine: Routine | None
    """The routine chosen, or None before any was."""
    position: int
    """Index of the current pass in the routine's plan (0 with no routine)."""
    item: Item | None
    """The current pass, or None with no routine."""
    passes: int
    """How many passes the routine's plan has (0 with no routine)."""
    hold_seconds: int | None
    """The current pass's hold at the user's preference, or None with no routine."""
    holds: Mapping[str, int]
    """The user's preferred hold per step id."""
    offer: Offer | None
    """What "yes" would do now, if a question is pending."""
    offer_routine: str | None
    """The routine that question is about."""
    disclaimed: bool
    """Whether the safety note has been said to this user."""
    rest: int | None = None
    """The user's preferred rest between passes (None: each step's own)."""

    @property
    def in_routine(self) -> bool:
        """A routine is under way: active, paused or stopped unfinished."""
        return self.routine is not None and self.status in session.IN_ROUTINE

    @property
    def paused(self) -> bool:
        """The routine waits for the user (paused, or stopped unfinished)."""
        return self.status in (Status.PAUSED, Status.STOPPED)

    @property
    def seconds_left(self) -> int:
        """Estimated seconds from the start of this pass to the end of the routine (0 with no
        routine); worked out when asked, as only a screen needs it."""
        if self.routine is None:
            return 0
        return seconds_left(expand(self.routine), self.position, self.holds, self.rest)

    @property
    def current_hold(self) -> int | None:
        """The hold of the pass under way, or None outside a routine."""
        return self.hold_seconds if self.in_routine else None


def view_of(state: Mapping[str, Any] | None, library: Mapping[str, Routine]) -> StateView:
    """The view of a state dict.

    Raises:
        routines.errors.StateError: when the state is not a valid engine state.
    """
    return view_of_state(session.restore(state, library), library)


def view_of_state(restored: session.State, library: Mapping[str, Routine]) -> StateView:
    """The view of a state the engine has already checked (`session.restore`)."""
    routine = None if restored.routine is None else library[restored.routine]
    item: Item | None = None
    hold: int | None = None
    passes = 0
    if routine is not None:
        items = expand(routine)
        item, passes = items[restored.position], len(items)
        hold = hold_seconds(item.step, restored.holds)
    return StateView(
        status=restored.status,
        routine=routine,
        position=restored.position,
        item=item,
        passes=passes,
        hold_seconds=hold,
        holds=MappingProxyType(dict(restored.holds)),
        offer=restored.offer,
        offer_routine=restored.offer_routine,
        disclaimed=restored.disclaimed,
        rest=restored.rest,
    )
