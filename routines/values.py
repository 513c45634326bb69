"""Value classes declared like frozen dataclasses, without code compiled at import.

A subclass of `Value` declares its fields as class annotations, as a dataclass does (a field
with a default after those without; every annotation is a field, there is no ``ClassVar`` or
``field()``), and gets what ``@dataclass(frozen=True)`` would give it:
``__init__`` taking the fields in order, by position or keyword; ``==`` between instances of
the same class with equal fields; a hash of the fields; a ``repr`` that names them; and no
assignment after construction (`dataclasses.FrozenInstanceError`). Type checkers read it as a
dataclass (`typing.dataclass_transform`).

Why not dataclasses: ``@dataclass`` writes and compiles six methods for every class when its
module is imported (about half a millisecond each), and the forty event classes of
`routines.events` made that a tenth of the Lambda function's cold start. These methods are
written once, here, and come compiled from the module's bytecode cache.
"""

from __future__ import annotations

import inspect
from dataclasses import FrozenInstanceError
from itertools import pairwise
from typing import Any, ClassVar, dataclass_transform

__all__ = ["Value"]


@dataclass_transform(eq_default=True, frozen_default=True)
class Value:
    """Base of a frozen value class (see the module's docstring)."""

    _fields: ClassVar[tuple[str, ...]] = ()
    """The fields, in order: the base classes' first."""
    _names: ClassVar[frozenset[str]] = frozenset()
    """The same, as a set."""
    _defaults: ClassVar[dict[str, Any]] = {}
    """The default of each field that has one."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = [name for name in inspect.get_annotations(cls) if name not in cls._fields]
        defaults = {**cls._defaults}
        defaults.update((name, cls.__dict__[name]) for name in own if name in cls.__dict__)
        fields = (*cls._fields, *own)
        for first, then in pairwise(fields):
            if first in defaults and then not in defaults:
                raise TypeError(f"{cls.__name__}: field {then!r} without a default after one with")
        cls._fields, cls._names, cls._defaults = fields, frozenset(fields), defaults

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # kwargs is a new dict on every call: it becomes the instance's __dict__.
        fields = self._fields
        if args:
            # Fewer arguments than fields is the point; zip's strict=False costs a third.
            given = dict(zip(fields, args))  # noqa: B905
            if len(args) > len(fields) or (kwargs and not kwargs.keys().isdisjoint(given)):
                raise TypeError(f"{type(self).__name__}() takes {fields}, not {args}, {kwargs}")
            if kwargs:
                given.update(kwargs)
            kwargs = given
        if not kwargs.keys() <= self._names:
            raise TypeError(f"{type(self).__name__}() takes {fields}, not {kwargs}")
        if len(kwargs) < len(fields):
            kwargs = {**self._defaults, **kwargs}
            if len(kwargs) < len(fields):
                missing = [field for field in fields if field not in kwargs]
                raise TypeError(f"{type(self).__name__}() missing arguments {missing}")
        object.__setattr__(self, "__dict__", kwargs)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        # The fields only: a cached_property keeps what it works out beside them.
        mine, theirs = self.__dict__, other.__dict__
        return tuple(map(mine.__getitem__, self._fields)) == tuple(
            map(theirs.__getitem__, self._fields)
        )

    def __hash__(self) -> int:
        values = self.__dict__
        return hash(tuple(values[field] for field in self._fields))

    def __repr__(self) -> str:
        values = self.__dict__
        shown = ", ".join(f"{field}={values[field]!r}" for field in self._fields)
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")
