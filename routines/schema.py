"""The routine schema: what a routine file (YAML) may say, checked by pydantic.

Every routine file the user gives (``--routine-file``, ``routines validate``) and every shipped
file whose cache is stale is checked here, and its problems point at their fields. The checked
data becomes the plain objects of `routines.models`, which hold the safety bounds, the
descriptions and the defaults of optional fields: the schema applies them and adds nothing.
Only this module imports pydantic, and nothing on the way of a request imports it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from routines import models
from routines.models import (
    MAX_REST_SECONDS,
    MIN_HOLD_SECONDS,
    MIN_REST_SECONDS,
    SAFE_MAX_SECONDS,
    SLUG,
    Side,
    Technique,
)

__all__ = ["FieldError", "Routine", "ValidationError", "accepts", "check"]


class FieldError(ValueError):
    """A check on a whole model that is about one of its fields, so errors can point at it."""

    def __init__(self, field: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.field = field


def _default(runtime: type[Any], name: str, **constraints: Any) -> Any:
    """A field with the default that `runtime` (a `routines.models` dataclass) gives `name`."""
    (field,) = [f for f in dataclasses.fields(runtime) if f.name == name]
    if field.default_factory is not dataclasses.MISSING:
        return Field(default_factory=field.default_factory, **constraints)
    return Field(default=field.default, **constraints)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Hold(_Strict):
    """`routines.models.Hold`, checked."""

    default: int
    min: int
    max: int

    @model_validator(mode="after")
    def _ordered(self) -> Hold:
        if self.min < MIN_HOLD_SECONDS:
            raise FieldError(("min",), f"must be at least {MIN_HOLD_SECONDS} seconds")
        if not self.min <= self.default <= self.max:
            raise FieldError(("default",), "must satisfy min <= default <= max")
        return self


class Cues(_Strict):
    """`routines.models.Cues`, checked."""

    setup: list[str] = Field(min_length=1)
    during: list[str] = _default(models.Cues, "during")
    release: str
    brief: str


class Step(_Strict):
    """`routines.models.Step`, checked."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=3)
    technique: Technique
    area: str = Field(min_length=3)
    why: str = Field(min_length=20)
    cues: Cues
    hold: Hold
    reps: int = _default(models.Step, "reps", ge=1, le=10)
    sides: list[Side] = _default(models.Step, "sides", min_length=1)
    rest_seconds: int = _default(models.Step, "rest_seconds", ge=0, le=MAX_REST_SECONDS)
    rest_min: int = _default(models.Step, "rest_min", ge=MIN_REST_SECONDS, le=MAX_REST_SECONDS)
    rest_max: int = _default(models.Step, "rest_max", ge=MIN_REST_SECONDS, le=MAX_REST_SECONDS)
    pressure: str | None = _default(models.Step, "pressure")

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
        if self.rest_min > self.rest_max:
            raise FieldError(("rest_min",), "must not be more than rest_max")
        if self.rest_seconds and not self.rest_min <= self.rest_seconds <= self.rest_max:
            message = "must be 0 (no rest) or satisfy rest_min <= rest_seconds <= rest_max"
            raise FieldError(("rest_seconds",), message)
        return self


class Routine(_Strict):
    """`routines.models.Routine`, checked."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=3)
    summary: str = Field(min_length=10)
    tools: list[str] = _default(models.Routine, "tools")
    safety: list[str] = _default(models.Routine, "safety")
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


def check(data: Any) -> models.Routine:
    """The routine `data` (a routine file's data) describes, if the schema accepts it.

    Raises:
        ValidationError: with every problem found.
    """
    return models.routine_from_data(Routine.model_validate(data).model_dump())


def accepts(data: Any) -> bool:
    """Whether `data` may be cached: the schema accepts it, and built without the schema
    (`routines.models.routine_from_data`) it gives the very routine the schema gives."""
    try:
        return models.routine_from_data(data) == check(data)
    except (AttributeError, KeyError, TypeError, ValueError):  # ValidationError is a ValueError
        return False
