"""The `routines` commands: list, show and validate routine files, printed with rich."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from routines.errors import RoutineError, RoutineFileError
from routines.loader import DEFAULT_ROUTINE, find_routine, load_files, load_library
from routines.models import Routine


def minutes(seconds: int) -> str:
    """A length as the screen shows it: 14:30."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def _report(error: RoutineFileError) -> None:
    # Plain lines, never wrapped, so editors and grep can jump to FILE:LINE.
    for problem in error.problems:
        print(problem, file=sys.stderr)


def _library(extra: Sequence[Path]) -> dict[str, Routine] | None:
    try:
        return load_library(extra)
    except RoutineFileError as error:
        _report(error)
        return None


def list_routines(extra: Sequence[Path], out: Console | None = None) -> int:
    """Print the routine table; 1 if a routine file is broken."""
    out = out or Console()
    library = _library(extra)
    if library is None:
        return 1
    table = Table(title="Massage routines")
    table.add_column("id", style="bold")
    table.add_column("title")
    table.add_column("steps", justify="right")
    table.add_column("total time", justify="right")
    for routine in library.values():
        marker = " (default)" if routine.id == DEFAULT_ROUTINE else ""
        table.add_row(
            routine.id,
            routine.title + marker,
            str(len(routine.steps)),
            minutes(routine.total_seconds),
        )
    out.print(table)
    return 0


def show_routine(routine_id: str, extra: Sequence[Path], out: Console | None = None) -> int:
    """Print one routine's steps; 1 if it is unknown or a file is broken."""
    out = out or Console()
    library = _library(extra)
    if library is None:
        return 1
    try:
        routine = find_routine(library, routine_id)
    except RoutineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    out.print(f"[bold]{routine.title}[/bold] ({routine.id}), {minutes(routine.total_seconds)}")
    out.print(routine.summary, markup=False)
    if routine.tools:
        out.print("You need: " + ", ".join(routine.tools), markup=False)
    table = Table()
    for column in (
        "#",
        "step",
        "technique",
        "area",
        "hold (min-max)",
        "reps",
        "sides",
        "rest (min-max)",
    ):
        table.add_column(column)
    for number, step in enumerate(routine.steps, start=1):
        table.add_row(
            str(number),
            step.title,
            step.technique.value.replace("_", " "),
            step.area,
            f"{step.hold.default} s ({step.hold.min}-{step.hold.max})",
            str(step.reps),
            ", ".join(side.value for side in step.sides),
            f"{step.rest_seconds} s ({step.rest_min}-{step.rest_max})" if step.rests else "-",
        )
    out.print(table)
    for note in routine.safety:
        out.print(f"Safety: {note}", markup=False)
    return 0


def validate_routines(paths: Sequence[Path], out: Console | None = None) -> int:
    """Check files and folders; print each problem or an OK line per routine."""
    out = out or Console(highlight=False)
    try:
        routines = load_files(paths)
    except RoutineFileError as error:
        _report(error)
        print(f"{len(error.problems)} problem(s) found", file=sys.stderr)
        return 1
    if not routines:
        print("error: no routine files (*.yaml, *.yml) found", file=sys.stderr)
        return 1
    for routine in routines.values():
        out.print(f"ok: {routine.id} ({len(routine.steps)} steps)", markup=False)
    return 0
