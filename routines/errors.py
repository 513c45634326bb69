"""Errors raised by the routine library: one root, a few precise kinds."""

from __future__ import annotations

from dataclasses import dataclass


class RoutineError(Exception):
    """Root of every error this package raises."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a routine file, located for a person to fix."""

    file: str
    """The file's path as the user gave it."""
    line: int
    """1-based line in the file (0 when the file cannot be read at all)."""
    field: str
    """The dotted path of the field, such as `steps.2.hold.max` (empty for the whole file)."""
    message: str
    """What is wrong, in plain words."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field or '(file)'}: {self.message}"


class ProblemsError(RoutineError):
    """One or more files hold problems; every problem found is listed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RoutineFileError(ProblemsError):
    """One or more routine files hold problems."""


class UnknownRoutineError(RoutineError, KeyError):
    """No routine has the id asked for."""

    def __init__(self, routine_id: str, known: list[str]) -> None:
        self.routine_id = routine_id
        self.known = known
        super().__init__(routine_id)

    def __str__(self) -> str:
        return f"no routine called {self.routine_id!r}; known: {', '.join(self.known)}"


class StateError(RoutineError):
    """A stored or received session state is not one this version can use."""
