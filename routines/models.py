"""The routine objects the coach runs: plain frozen dataclasses, with the safety bounds.

A routine is an ordered list of steps; a step is one technique on one body area, held for a
number of seconds, repeated, on one or more sides. Safety bounds live here, so that no file can
ask for an unsafe hold (heat and ice at most 20 minutes, stretches and pressure in sane ranges).

What a routine FILE may say is checked by the pydantic schema in `routines.schema`, which
applies these bounds; these objects are built from data it accepted (`routine_from_data`), so
that running a routine (a Lambda cold start above all) never imports pydantic. The defaults of
optional fields are the dataclasses' own, and the schema takes them from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"

#: Seconds the coach allows per plan item for setting up and speaking, beyond the hold itself.
SETUP_SECONDS = 12


class Technique(StrEnum):
    """The kinds of technique the coach can guide."""

    STRETCH = "stretch"
    TRIGGER_POINT = "trigger_point"
    DEEP_TISSUE = "deep_tissue"
    FOAM_ROLLER = "foam_roller"
    HEAT = "heat"
    COLD = "cold"
    BREATHING = "breathing"


class Side(StrEnum):
    """Which side of the body a pass works on; `both` is one pass for the whole area."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


#: The longest hold each technique may ever have, whatever a file or a user asks.
SAFE_MAX_SECONDS: dict[Technique, int] = {
    Technique.STRETCH: 90,
    Technique.TRIGGER_POINT: 90,
    Technique.DEEP_TISSUE: 180,
    Technique.FOAM_ROLLER: 180,
    Technique.HEAT: 20 * 60,
    Technique.COLD: 20 * 60,
    Technique.BREATHING: 300,
}

#: The shortest hold any technique may have: shorter than this cannot be counted usefully.
MIN_HOLD_SECONDS = 5

#: The shortest rest a step may allow between passes: less is no rest at all.
MIN_REST_SECONDS = 5

#: The longest rest a step may allow: past two minutes a stretched muscle has cooled down.
MAX_REST_SECONDS = 120


@dataclass(frozen=True, kw_only=True)
class Hold:
    """How long one pass lasts, in seconds, and how far the user may change it."""

    default: int
    """The length used unless the user asked for another."""
    min: int
    """The shortest length the user may ask for."""
    max: int
    """The longest length the user may ask for."""

    def clamp(self, seconds: int) -> int:
        """The nearest allowed length to `seconds`."""
        return max(self.min, min(self.max, seconds))


@dataclass(frozen=True, kw_only=True)
class Cues:
    """What the coach says around a hold."""

    setup: list[str]
    """How to get into position, in order."""
    during: list[str] = field(default_factory=list)
    """Reminders spoken during a hold."""
    release: str
    """How to come out of the hold."""
    brief: str
    """A one-line cue for a technique the user already knows."""


@dataclass(frozen=True, kw_only=True)
class Step:
    """One technique on one body area.

    A step's rest bounds (`rest_min`, `rest_max`) sit on the step, beside the rest they bound,
    as the hold's bounds do, rather than one range per routine: a rest lets the muscle just
    worked settle before the next pass, so how short or long it may be is the technique's
    matter, and a routine-wide range would have to fit its gentlest and its hardest step at
    once. A step without rests (`rest_seconds` 0, such as heat) never gets one, whatever the
    user asks; files that leave the bounds out get 5 to 60 seconds.
    """

    id: str
    """A slug; the same technique keeps its id."""
    title: str
    """A short spoken name."""
    technique: Technique
    """The kind of technique."""
    area: str
    """The body area worked, in plain words."""
    why: str
    """Why it helps, said on request."""
    cues: Cues
    hold: Hold
    reps: int = 1
    """Passes per side."""
    sides: list[Side] = field(default_factory=lambda: [Side.BOTH])
    """Sides in order."""
    rest_seconds: int = 0
    """Rest between passes on the same side (0: none), unless the user chose another."""
    rest_min: int = MIN_REST_SECONDS
    """The shortest rest the user may ask for on this step."""
    rest_max: int = 60
    """The longest rest the user may ask for on this step."""
    pressure: str | None = None
    """How firmly to press, if at all."""

    def rest_for(self, preferred: int | None) -> int:
        """The rest between this step's passes: 0 for a step without rests, else the user's
        preferred rest (None: the step's own) within the step's bounds."""
        if self.rest_seconds == 0:
            return 0
        wanted = self.rest_seconds if preferred is None else preferred
        return max(self.rest_min, min(self.rest_max, wanted))

    @property
    def rests(self) -> bool:
        """Whether the user ever rests in this step: a rest, and reps to rest between."""
        return self.rest_seconds > 0 and self.reps > 1

    @property
    def passes(self) -> int:
        """How many holds this step has in all (sides times reps)."""
        return len(self.sides) * self.reps


@dataclass(frozen=True, kw_only=True)
class Routine:
    """A whole guided session."""

    id: str
    """A slug, used to name the routine."""
    title: str
    """The spoken name."""
    summary: str
    """One or two sentences on what it does."""
    tools: list[str] = field(default_factory=list)
    """What the user needs at hand."""
    safety: list[str] = field(default_factory=list)
    """Said before the first step."""
    steps: list[Step]

    def step(self, step_id: str) -> Step:
        """The step with this id (KeyError if none)."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    @property
    def total_seconds(self) -> int:
        """The expected length of the routine at default holds, setup and rests included."""
        total = 0
        for step in self.steps:
            total += step.passes * (step.hold.default + SETUP_SECONDS)
            total += len(step.sides) * (step.reps - 1) * step.rest_seconds
        return total


def routine_from_data(data: Mapping[str, Any]) -> Routine:
    """The routine for data that `routines.schema` accepted, built without checking it again.

    `data` is a routine file's data (optional fields may be missing) or the schema's dump.
    Raises KeyError, TypeError or ValueError on data of another shape.
    """
    fields = dict(data)
    fields["tools"] = list(data.get("tools", []))
    fields["safety"] = list(data.get("safety", []))
    fields["steps"] = [_step(step) for step in data["steps"]]
    return Routine(**fields)


def _step(data: Mapping[str, Any]) -> Step:
    fields = dict(data)
    fields["technique"] = Technique(data["technique"])
    fields["cues"] = _cues(data["cues"])
    fields["hold"] = Hold(**data["hold"])
    if "sides" in data:
        fields["sides"] = [Side(side) for side in data["sides"]]
    return Step(**fields)


def _cues(data: Mapping[str, Any]) -> Cues:
    fields = dict(data)
    fields["setup"] = list(data["setup"])
    fields["during"] = list(data.get("during", []))
    return Cues(**fields)
