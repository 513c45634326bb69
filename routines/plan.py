"""A routine's plan: every pass it holds, in order (steps x sides x reps), and time estimates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from routines.models import SETUP_SECONDS, Routine, Side, Step


@dataclass(frozen=True)
class Item:
    """One pass: a step held once on one side."""

    position: int
    """Index of this pass in the plan."""
    step_index: int
    """Index of the step in the routine."""
    step: Step
    """The step itself."""
    side: Side
    """The side this pass works."""
    rep: int
    """1-based repetition on this side."""

    @property
    def first_of_step(self) -> bool:
        """True for the first pass of its step."""
        return self.rep == 1 and self.side == self.step.sides[0]


_PLANS: dict[int, tuple[Routine, tuple[Item, ...]]] = {}
_MAX_PLANS = 64


def expand(routine: Routine) -> list[Item]:
    """Every pass of the routine in order: each step, each of its sides, each rep."""
    # Routines are frozen, and one request asks for the same plan several times: keep the
    # last few, by identity (the entry holds the routine, so its id cannot be reused).
    cached = _PLANS.get(id(routine))
    if cached is None or cached[0] is not routine:
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
        cached = _PLANS[id(routine)] = (routine, tuple(_expand(routine)))
    return list(cached[1])


def _expand(routine: Routine) -> list[Item]:
    items: list[Item] = []
    for step_index, step in enumerate(routine.steps):
        for side in step.sides:
            for rep in range(1, step.reps + 1):
                items.append(Item(len(items), step_index, step, side, rep))
    return items


def hold_seconds(step: Step, preferred: Mapping[str, int]) -> int:
    """The hold for `step`: the user's preferred length if any, always within the step's bounds."""
    return step.hold.clamp(preferred.get(step.id, step.hold.default))


def rest_before(items: list[Item], position: int, rest: int | None = None) -> int:
    """Seconds of rest before the pass at `position` (between reps on the same side only), at
    the user's preferred `rest` (None: the step's own) within the step's bounds."""
    if position == 0:
        return 0
    item, before = items[position], items[position - 1]
    if before.step is item.step and before.side == item.side:
        return item.step.rest_for(rest)
    return 0


def seconds_left(
    items: list[Item], position: int, preferred: Mapping[str, int], rest: int | None = None
) -> int:
    """Estimated seconds from the start of the pass at `position` to the end of the routine,
    at the user's holds and rest."""
    total = 0
    for index in range(position, len(items)):
        total += hold_seconds(items[index].step, preferred) + SETUP_SECONDS
        if index > position:
            total += rest_before(items, index, rest)
    return total


def first_of_next_step(items: list[Item], position: int) -> int:
    """The position of the first pass after the current step (len(items) at the end)."""
    current = items[position].step_index
    for index in range(position + 1, len(items)):
        if items[index].step_index != current:
            return index
    return len(items)
