"""Tests for routines.library_cache: the parsed built-in library shipped beside its YAML."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from routines import library_cache, loader
from routines.library_cache import CACHE_PATH, cached_routines, library_sources, render
from routines.loader import parse_builtin


def test_the_shipped_cache_is_up_to_date() -> None:
    expected = render(library_sources(), parse_builtin)
    assert CACHE_PATH.read_text(encoding="utf-8") == expected, (
        "routines/library.json is out of date: run python -m routines.library_cache"
    )


def test_the_cache_gives_the_routines_the_yaml_gives() -> None:
    sources = library_sources()
    cached = cached_routines(sources)
    assert cached is not None
    from_cache = [loader.Routine.model_validate(data) for data in cached]
    from_yaml = [parse_builtin(name, text) for name, text in sources]
    assert from_cache == from_yaml
    assert [repr(routine) for routine in from_cache] == [repr(routine) for routine in from_yaml]


@pytest.fixture
def library_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The built-in library and its cache copied to tmp_path, and used from there."""
    folder = tmp_path / "library"
    shutil.copytree(library_cache.LIBRARY_DIR, folder)
    cache = tmp_path / "library.json"
    shutil.copy(CACHE_PATH, cache)
    monkeypatch.setattr(library_cache, "LIBRARY_DIR", folder)
    monkeypatch.setattr(library_cache, "CACHE_PATH", cache)
    monkeypatch.setattr(loader, "_builtin", None)
    return folder


def test_an_edited_routine_file_is_never_served_from_a_stale_cache(library_copy: Path) -> None:
    routine_file = library_copy / "foam-roller.yaml"
    text = routine_file.read_text(encoding="utf-8")
    routine_file.write_text(text.replace("title: Foam roller", "title: Rolling"), encoding="utf-8")
    sources = library_sources(library_copy)
    assert cached_routines(sources, library_copy.parent / "library.json") is None
    assert loader.builtin_library()["foam-roller"].title == "Rolling"


def test_a_missing_or_damaged_cache_falls_back_to_the_yaml(library_copy: Path) -> None:
    cache = library_copy.parent / "library.json"
    expected = loader.builtin_library()
    for damage in ("{not json", '{"sha256": 1}', "[]", '{"sha256": "0", "routines": []}'):
        cache.write_text(damage, encoding="utf-8")
        loader._builtin = None
        assert cached_routines(library_sources(library_copy), cache) is None
        assert loader.builtin_library() == expected
    cache.unlink()
    loader._builtin = None
    assert cached_routines(library_sources(library_copy), cache) is None
    assert loader.builtin_library() == expected


def test_cached_data_the_schema_refuses_falls_back_to_the_yaml(library_copy: Path) -> None:
    cache = library_copy.parent / "library.json"
    document = json.loads(cache.read_text(encoding="utf-8"))
    document["routines"][0]["steps"][0]["hold"]["max"] = 10_000  # over every safe limit
    cache.write_text(json.dumps(document), encoding="utf-8")
    assert cached_routines(library_sources(library_copy), cache) == document["routines"]
    first = document["routines"][0]["id"]
    assert loader.builtin_library()[first].steps[0].hold.max < 10_000
