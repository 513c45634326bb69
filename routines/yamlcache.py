"""YAML files shipped parsed, as JSON, so that a cold start runs no YAML parser.

PyYAML is pure Python: parsing the built-in routine library and the phrase table took about
100 ms of a Lambda cold start, and importing it 10 ms more. A folder of YAML files that ships
with the package (``routines/library``, ``speech/phrases``) keeps beside them
``parsed.json``: for each file, what ``yaml.safe_load`` gives for it and the SHA-256 of the text
it was parsed from.

:func:`cached` hands back a file's data only when that digest matches the text as it is now,
so an edited file is never read stale: its reader then parses the YAML, as it did before.

The built-in routine library's entries are checked by the routine schema when the cache is
written (:func:`check_for`): an entry it refuses is left out, so that its file is parsed and its
problems reported with their lines. Its reader then builds the routines from the cache without
pydantic; ``tests/test_yamlcache.py`` checks every shipped entry again, so a hand-edited cache
cannot ship. The phrase table's reader checks its data as it checks freshly parsed YAML.

``python -m routines.yamlcache FOLDER...`` rewrites the cache of each folder; a test fails while
a shipped one is out of date.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["CACHE_NAME", "Check", "cached", "check_for", "read_cache", "render", "write"]

CACHE_NAME: Final = "parsed.json"
"""The cache's file name, in the folder of the YAML files."""

Check = Callable[[Any], bool]
"""Whether a file's data may be cached (it is left out, and always parsed, when not)."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_cache(folder: Traversable) -> Mapping[str, Any]:
    """The cache of ``folder``: file name -> entry; empty when missing or damaged."""
    try:
        cache = json.loads((folder / CACHE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return cache if isinstance(cache, dict) else {}


def cached(cache: Mapping[str, Any], name: str, text: str) -> Any:
    """What ``yaml.safe_load(text)`` gives, from ``cache``; None when not cached for ``text``."""
    entry = cache.get(name)
    if not isinstance(entry, dict) or entry.get("sha256") != _digest(text):
        return None
    return entry.get("data")


def check_for(folder: Path) -> Check | None:
    """The check a folder's entries pass before they are cached: the routine schema's
    (`routines.schema.accepts`) for the built-in library, none for other folders."""
    from routines.loader import LIBRARY_FOLDER

    if folder.resolve() != LIBRARY_FOLDER.resolve():
        return None
    from routines.schema import accepts  # pydantic, only when a cache is written

    return accepts


def render(folder: Path, check: Check | None = None) -> str:
    """The cache's text for the ``*.yaml`` files in ``folder``.

    A file whose data JSON cannot carry exactly (a date, a number as a key...), or that
    ``check`` refuses, is left out, so that it is always parsed.
    """
    import yaml

    entries: dict[str, Any] = {}
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        try:
            same = json.loads(json.dumps(data)) == data
        except (TypeError, ValueError):
            same = False
        if same and (check is None or check(data)):
            entries[path.name] = {"sha256": _digest(text), "data": data}
    return json.dumps(entries, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def write(folder: Path, check: Check | None = None) -> Path:
    """Rewrite the cache of ``folder`` (its entries passing ``check``); its path."""
    path = folder / CACHE_NAME
    path.write_text(render(folder, check), encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m routines.yamlcache FOLDER...``: rewrite each folder's cache; 2 on bad input."""
    folders = list(sys.argv[1:] if argv is None else argv)
    if not folders or any(name in ("-h", "--help") for name in folders):
        print(USAGE, file=sys.stdout if folders else sys.stderr)
        return 0 if folders else 2
    for name in folders:
        folder = Path(name)
        if not folder.is_dir() or not any(folder.glob("*.yaml")):
            print(f"error: {name}: not a folder of YAML files", file=sys.stderr)
            return 2
    for name in folders:
        folder = Path(name)
        try:
            print(f"wrote {write(folder, check_for(folder))}")
        except (OSError, yaml_error()) as error:
            print(f"error: {name}: {error}", file=sys.stderr)
            return 1
    return 0


USAGE: Final = """usage: python -m routines.yamlcache FOLDER...

Rewrites FOLDER/parsed.json for each folder of shipped YAML files (the routine library,
speech/phrases), after editing one of them:

    python -m routines.yamlcache routines/library speech/phrases"""


def yaml_error() -> type[Exception]:
    """PyYAML's error class, imported only when the command runs."""
    import yaml

    return yaml.YAMLError


if __name__ == "__main__":
    raise SystemExit(main())
