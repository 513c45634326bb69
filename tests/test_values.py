"""Tests for routines.values: frozen value classes that behave as frozen dataclasses do."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import FrozenInstanceError

import pytest

from routines import events as ev
from routines.values import Value


class Point(Value):
    """A value with a field without a default and two with."""

    x: int
    y: int = 0
    label: str = ""


@dataclasses.dataclass(frozen=True)
class DataPoint:
    """The same as a frozen dataclass, for comparison."""

    x: int
    y: int = 0
    label: str = ""


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((1,), {}), ((1, 2), {}), ((1, 2, "a"), {}), ((), {"x": 1, "label": "a"}), ((1,), {"y": 2})],
    ids=repr,
)
def test_built_like_the_frozen_dataclass(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    value, data = Point(*args, **kwargs), DataPoint(*args, **kwargs)  # type: ignore[arg-type]
    assert (value.x, value.y, value.label) == (data.x, data.y, data.label)
    assert repr(value) == repr(data).replace("DataPoint", "Point")
    assert value == Point(*args, **kwargs)  # type: ignore[arg-type]
    assert hash(value) == hash(Point(*args, **kwargs))  # type: ignore[arg-type]
    assert pickle.loads(pickle.dumps(value)) == value


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((), {}), ((1, 2, "a", 4), {}), ((1,), {"x": 2}), ((1,), {"z": 2}), ((), {"y": 2})],
    ids=repr,
)
def test_wrong_arguments_are_refused_as_the_dataclass_does(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    with pytest.raises(TypeError):
        DataPoint(*args, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Point\(\)"):
        Point(*args, **kwargs)  # type: ignore[arg-type]


def test_equal_only_to_the_same_class_with_equal_fields() -> None:
    assert Point(1, 2) == Point(x=1, y=2, label="")
    assert Point(1, 2) != Point(1, 3)
    assert Point(1) != DataPoint(1)
    assert ev.Paused() == ev.Paused()
    assert ev.Paused() != ev.Resumed()  # not equal as empty tuples would be
    assert {ev.Stopped(True, 1, 2), ev.Stopped(resumable=True, done=1, total=2)} == {
        ev.Stopped(True, 1, 2)
    }


def test_frozen() -> None:
    point = Point(1)
    with pytest.raises(FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del point.x
    with pytest.raises(FrozenInstanceError):
        point.other = 3
    assert point == Point(1)


def test_a_field_without_a_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="'b' without a default"):

        class Bad(Value):
            a: int = 0
            b: int  # type: ignore[misc]


def test_a_subclass_adds_fields_after_its_bases() -> None:
    class Labelled(Point):
        colour: str = "red"

    assert (
        repr(Labelled(1, colour="blue")).rsplit(".", 1)[-1]
        == "Labelled(x=1, y=0, label='', colour='blue')"
    )
    assert Labelled(1) != Point(1)
