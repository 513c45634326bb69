"""The routine schema: what a routine file (YAML) may say, checked by pydantic.

A routine is an ordered list of steps; a step is one technique on one body area, held for a
number of seconds, repeated, on one or more sides. Safety bounds live here, so that no file can
ask for an unsafe hold (heat and ice at most 20 minutes, stretches and pressure in sane ranges).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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


class FieldError(ValueError):
    """A check on a whole model that is about one of its fields, so errors can point at it."""

    def __init__(self, field: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.field = field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Hold(_Strict):
    """How long one pass lasts, in seconds, and how far the user may change it."""

    default: int = Field(description="The length used unless the user asked for another.")
    min: int = Field(description="The shortest length the user may ask for.")
    max: int = Field(description="The longest length the user may ask for.")

    @model_validator(mode="after")
    def _ordered(self) -> Hold:
        if self.min < MIN_HOLD_SECONDS:
            raise FieldError(("min",), f"must be at least {MIN_HOLD_SECONDS} seconds")
        if not self.min <= self.default <= self.max:
            raise FieldError(("default",), "must satisfy min <= default <= max")
        return self

    def clamp(self, seconds: int) -> int:
        """The nearest allowed length to `seconds`."""
        return max(self.min, min(self.max, seconds))


class Cues(_Strict):
    """What the coach says around a hold."""

    setup: list[str] = Field(min_length=1, description="How to get into position, in order.")
    during: list[str] = Field(default_factory=list, description="Reminders spoken during a hold.")
    release: str = Field(description="How to come out of the hold.")
    brief: str = Field(description="A one-line cue for a technique the user already knows.")


class Step(_Strict):
    """One technique on one body area."""

    id: str = Field(pattern=SLUG, description="A slug; the same technique keeps its id.")
    title: str = Field(min_length=3, description="A short spoken name.")
    technique: Technique = Field(description="The kind of technique.")
    area: str = Field(min_length=3, description="The body area worked, in plain words.")
    why: str = Field(min_length=20, description="Why it helps, said on request.")
    cues: Cues
    hold: Hold
    reps: int = Field(default=1, ge=1, le=10, description="Passes per side.")
    sides: list[Side] = Field(default=[Side.BOTH], min_length=1, description="Sides in order.")
    rest_seconds: int = Field(default=0, ge=0, le=120, description="Rest between passes.")
    pressure: str | None = Field(default=None, description="How firmly to press, if at all.")

    @field_validator("sides")
    @classmethod
    def _sides_distinct(cls, sides: list[Side]) -> list[Side]:
        if len(set(sides)) != len(sides):
            raise ValueError("a side may appear only once")
        if Side.BOTH in sides and len(sides) > 1:
            raise ValueError("'both' cannot be combined with 'left' or 'right'")
        return sides

    @model_validator(mode="after")
    def _safe(self) -> Step:
        limit = SAFE_MAX_SECONDS[self.technique]
        if self.hold.max > limit:
            raise FieldError(
                ("hold", "max"),
                f"{self.hold.max} s is over the safe limit of {limit} s for {self.technique.value}",
            )
        return self

    @property
    def passes(self) -> int:
        """How many holds this step has in all (sides times reps)."""
        return len(self.sides) * self.reps


class Routine(_Strict):
    """A whole guided session."""

    id: str = Field(pattern=SLUG, description="A slug, used to name the routine.")
    title: str = Field(min_length=3, description="The spoken name.")
    summary: str = Field(min_length=10, description="One or two sentences on what it does.")
    tools: list[str] = Field(default_factory=list, description="What the user needs at hand.")
    safety: list[str] = Field(default_factory=list, description="Said before the first step.")
    steps: list[Step] = Field(min_length=1)

    @field_validator("steps")
    @classmethod
    def _unique_ids(cls, steps: list[Step]) -> list[Step]:
        seen: set[str] = set()
        for step in steps:
            if step.id in seen:
                raise ValueError(f"step id {step.id!r} is used twice")
            seen.add(step.id)
        return steps

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
