"""The built-in routine library as JSON, so that a cold start does not parse YAML.

Parsing the five built-in YAML files with PyYAML (pure Python, with the line of every value)
took about 100 ms, most of a Lambda cold start. ``routines/library.json`` holds the same
routines already parsed, next to the SHA-256 of the YAML texts they came from:

- :func:`cached_routines` returns its routines' data only when that digest matches the YAML
  files as they are now, so an edited routine is never served stale (the loader then parses
  the YAML, as before). The data is still validated by the pydantic schema when loaded
  (a fraction of a millisecond): the cache skips YAML, never a check.
- ``python -m routines.library_cache`` rewrites the file; a test fails while it is out of date.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

__all__ = ["CACHE_PATH", "LIBRARY_DIR", "cached_routines", "library_sources", "render", "write"]

_PACKAGE: Final = Path(__file__).parent
LIBRARY_DIR: Final = _PACKAGE / "library"
"""The built-in routine files (``*.yaml``)."""
CACHE_PATH: Final = _PACKAGE / "library.json"
"""The parsed form of :data:`LIBRARY_DIR`, shipped in the package."""

Source = tuple[str, str]
"""A routine file's name and text."""


def library_sources(folder: Path | None = None) -> list[Source]:
    """The routine files in ``folder`` (default :data:`LIBRARY_DIR`), by name."""
    folder = LIBRARY_DIR if folder is None else folder
    files = sorted(path for path in folder.iterdir() if path.name.endswith(".yaml"))
    return [(path.name, path.read_text(encoding="utf-8")) for path in files]


def digest(sources: Sequence[Source]) -> str:
    """The SHA-256 of the files' names and texts."""
    sha = hashlib.sha256()
    for name, text in sources:
        sha.update(f"{len(name)}:{name}{len(text)}:".encode())
        sha.update(text.encode("utf-8"))
    return sha.hexdigest()


def cached_routines(sources: Sequence[Source], path: Path | None = None) -> list[Any] | None:
    """The routines' data (one JSON object per file, in order) if the cache is of ``sources``.

    ``path`` is the cache file (default :data:`CACHE_PATH`). None when the file is missing,
    unreadable or made from other texts.
    """
    path = CACHE_PATH if path is None else path
    try:
        cache = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(cache, dict) or cache.get("sha256") != digest(sources):
        return None
    routines = cache.get("routines")
    return routines if isinstance(routines, list) and len(routines) == len(sources) else None


def render(sources: Sequence[Source], parse: Callable[[str, str], Any]) -> str:
    """The cache file's text for ``sources``; ``parse(name, text)`` gives a pydantic model."""
    routines = [
        parse(name, text).model_dump(mode="json", exclude_unset=True) for name, text in sources
    ]
    document = {"sha256": digest(sources), "routines": routines}
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def write(path: Path | None = None) -> None:
    """Rewrite the cache (default :data:`CACHE_PATH`) from the built-in YAML files."""
    from routines.loader import parse_builtin

    path = CACHE_PATH if path is None else path
    path.write_text(render(library_sources(), parse_builtin), encoding="utf-8")


if __name__ == "__main__":
    write()
    print(f"wrote {CACHE_PATH}")
