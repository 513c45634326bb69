"""Loading routines from YAML: from text, from files, from folders, and the built-in library.

Loading is a chain of small steps (`load_file` -> `parse_routine` -> the pydantic schema of
`routines.schema`) so the part that checks never touches files. Every problem is reported as
`FILE:LINE: field: message`, all of them at once, never as a traceback.

The built-in library is read from its cache (`routines.yamlcache`), whose entries the schema
accepted when it was written, so loading it imports neither PyYAML nor pydantic.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from routines import yamlcache
from routines.errors import Problem, ProblemsError, RoutineFileError, UnknownRoutineError
from routines.models import Routine, routine_from_data

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

DEFAULT_ROUTINE = "sciatica-quick-relief"

LIBRARY_FOLDER = Path(__file__).parent / "library"
"""The built-in routines' folder, shipped as plain files (`importlib.resources` would import
`tempfile`, `shutil` and the compressors on a cold start, for nothing)."""


def parse_routine(text: str, source: str) -> Routine:
    """Parse and check one routine file's text; `source` names it in problems."""
    # PyYAML and pydantic only when a file is parsed.
    from routines.schema import FieldError, ValidationError, check
    from routines.yamlfile import read_yaml

    try:
        document = read_yaml(text, source)
    except ProblemsError as error:
        raise RoutineFileError(error.problems) from None
    data = document.data
    if not isinstance(data, dict):
        raise RoutineFileError([Problem(source, 1, "", "must be a mapping with id, title, steps")])
    try:
        return check(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(item["loc"])
            cause = item.get("ctx", {}).get("error")
            if isinstance(cause, FieldError):
                loc = (*loc, *cause.field)
            field = ".".join(str(part) for part in loc)
            message = item["msg"].removeprefix("Value error, ")
            problems.append(Problem(source, document.line_for(loc), field, message))
        raise RoutineFileError(problems) from None


def load_file(path: Path) -> Routine:
    """Load one routine file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise RoutineFileError([Problem(str(path), 0, "", f"cannot read: {reason}")]) from None
    return parse_routine(text, str(path))


def _routine_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix in {".yaml", ".yml"})
        else:
            yield path


def load_files(paths: Iterable[Path]) -> dict[str, Routine]:
    """Load files and folders of routines; every problem in every file is reported together."""
    routines: dict[str, Routine] = {}
    problems: list[Problem] = []
    for path in _routine_files(paths):
        try:
            routine = load_file(path)
        except RoutineFileError as error:
            problems.extend(error.problems)
            continue
        if routine.id in routines:
            problems.append(Problem(str(path), 1, "id", f"id {routine.id!r} is used twice"))
        routines[routine.id] = routine
    if problems:
        raise RoutineFileError(problems)
    return routines


def load_packaged(folder: Traversable) -> Iterator[Routine]:
    """The routines of a folder shipped with its `routines.yamlcache` (the built-in library).

    Each file is built from the cache when it holds this file's text (the schema accepted it
    when the cache was written), else parsed and checked by the schema, a problem reported
    with its line as for any file.
    """
    cache = yamlcache.read_cache(folder)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            text = entry.read_text(encoding="utf-8")
            data = yamlcache.cached(cache, entry.name, text)
            if isinstance(data, dict):
                try:
                    yield routine_from_data(data)
                    continue
                except (AttributeError, KeyError, TypeError, ValueError):
                    pass  # a damaged entry: the file is parsed below
            yield parse_routine(text, f"library/{entry.name}")


_builtin: dict[str, Routine] | None = None


def builtin_library() -> dict[str, Routine]:
    """The routines that ship with the coach (loaded once; see `routines.yamlcache`)."""
    global _builtin
    if _builtin is None:
        library = LIBRARY_FOLDER
        _builtin = {routine.id: routine for routine in load_packaged(library)}
    return dict(_builtin)


def load_library(extra: Iterable[Path] = ()) -> dict[str, Routine]:
    """The built-in routines plus the user's files and folders (theirs win on a shared id)."""
    library = builtin_library()
    library.update(load_files(extra))
    return library


def find_routine(library: dict[str, Routine], routine_id: str) -> Routine:
    """The routine with this id, or an error that lists the known ones."""
    try:
        return library[routine_id]
    except KeyError:
        raise UnknownRoutineError(routine_id, sorted(library)) from None
