"""YAML files shipped parsed, as JSON, so that a cold start runs no YAML parser.

PyYAML is pure Python: parsing the built-in routine library and the phrase table took about
100 ms of a Lambda cold start, and importing it 10 ms more. A folder of YAML files that ships
with the package (``routines/library``, ``speech/phrases``) keeps beside them
``parsed.json``: for each file, what ``yaml.safe_load`` gives for it and the SHA-256 of the text
it was parsed from.

:func:`cached` hands back a file's data only when that digest matches the text as it is now,
so an edited file is never read stale: its reader then parses the YAML, as it did before.
Readers check the data exactly as they check freshly parsed YAML (the routine schema, the
phrase table's rules): the cache skips the parser, never a check.

``python -m routines.yamlcache FOLDER...`` rewrites the cache of each folder; a test fails while
a shipped one is out of date.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["CACHE_NAME", "cached", "read_cache", "render", "write"]

CACHE_NAME: Final = "parsed.json"
"""The cache's file name, in the folder of the YAML files."""


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


def render(folder: Path) -> str:
    """The cache's text for the ``*.yaml`` files in ``folder``.

    A file whose data JSON cannot carry exactly (a date, a number as a key...) is left out, so
    that it is always parsed.
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
        if same:
            entries[path.name] = {"sha256": _digest(text), "data": data}
    return json.dumps(entries, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def write(folder: Path) -> Path:
    """Rewrite the cache of ``folder``; its path."""
    path = folder / CACHE_NAME
    path.write_text(render(folder), encoding="utf-8")
    return path


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        print(f"wrote {write(Path(argument))}")
