"""Tests for routines.yamlcache: shipped YAML read from its parsed JSON copy, never stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from routines import schema, yamlcache
from routines.errors import RoutineFileError
from routines.loader import builtin_library, load_packaged, parse_routine
from speech import phrases
from tests.conftest import SMALL_ROUTINE

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [ROOT / "routines" / "library", ROOT / "speech" / "phrases"]


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda folder: folder.name)
def test_the_shipped_caches_are_up_to_date(folder: Path) -> None:
    cache = folder / yamlcache.CACHE_NAME
    check = yamlcache.check_for(folder)
    assert cache.read_text(encoding="utf-8") == yamlcache.render(folder, check), (
        f"{cache} is out of date: run python -m routines.yamlcache {folder.relative_to(ROOT)}"
    )
    entries = yamlcache.read_cache(folder)
    assert sorted(entries) == sorted(path.name for path in folder.glob("*.yaml"))


def test_the_library_cache_is_written_checked_by_the_schema() -> None:
    assert yamlcache.check_for(SHIPPED[0]) is schema.accepts
    assert yamlcache.check_for(SHIPPED[1]) is None


def test_every_shipped_routine_entry_passes_the_schema_again() -> None:
    """The loader builds the built-in routines from the cache unchecked: the check is here."""
    entries = yamlcache.read_cache(SHIPPED[0])
    assert entries
    for name, entry in entries.items():
        assert schema.accepts(entry["data"]), f"{name}: the schema refuses its cached data"


def test_the_cache_gives_the_routines_and_phrases_the_yaml_gives() -> None:
    folder = SHIPPED[0]
    from_yaml = {
        routine.id: routine
        for routine in (
            parse_routine(path.read_text(encoding="utf-8"), f"library/{path.name}")
            for path in sorted(folder.glob("*.yaml"))
        )
    }
    from_cache = builtin_library()
    assert from_cache == from_yaml
    assert repr(from_cache) == repr(from_yaml)
    text = (SHIPPED[1] / "en.yaml").read_text(encoding="utf-8")
    assert phrases.load("en") == phrases.Phrases.from_yaml(text, "en")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with one routine file and its cache."""
    (tmp_path / "small.yaml").write_text(SMALL_ROUTINE, encoding="utf-8")
    yamlcache.write(tmp_path)
    return tmp_path


def test_a_file_is_read_from_the_cache_only_for_the_text_it_was_made_from(folder: Path) -> None:
    cache = yamlcache.read_cache(folder)
    assert yamlcache.cached(cache, "small.yaml", SMALL_ROUTINE) == yaml.safe_load(SMALL_ROUTINE)
    edited = SMALL_ROUTINE.replace("reps: 2", "reps: 3")
    assert yamlcache.cached(cache, "small.yaml", edited) is None
    assert yamlcache.cached(cache, "other.yaml", SMALL_ROUTINE) is None
    (folder / "small.yaml").write_text(edited, encoding="utf-8")
    [routine] = load_packaged(folder)
    assert routine.steps[0].reps == 3


@pytest.mark.parametrize("damage", ["", "{not json", "[]", '{"small.yaml": 1}'])
def test_a_damaged_cache_is_no_cache(folder: Path, damage: str) -> None:
    [expected] = load_packaged(folder)
    (folder / yamlcache.CACHE_NAME).write_text(damage, encoding="utf-8")
    assert yamlcache.cached(yamlcache.read_cache(folder), "small.yaml", SMALL_ROUTINE) is None
    assert list(load_packaged(folder)) == [expected]
    (folder / yamlcache.CACHE_NAME).unlink()
    assert yamlcache.read_cache(folder) == {}
    assert list(load_packaged(folder)) == [expected]


def test_the_check_refuses_hand_edited_and_loosely_typed_entries(folder: Path) -> None:
    data = yamlcache.read_cache(folder)["small.yaml"]["data"]
    assert schema.accepts(data)
    unsafe = json.loads(json.dumps(data))
    unsafe["steps"][0]["hold"]["max"] = 10_000
    assert not schema.accepts(unsafe)
    # The schema reads "2" as 2, but the cache is read without it: only exact data is cached.
    loose = json.loads(json.dumps(data))
    loose["steps"][0]["reps"] = "2"
    assert schema.check(loose) == schema.check(data)
    assert not schema.accepts(loose)
    assert not schema.accepts({"id": "x"})


def test_an_entry_the_check_refuses_is_not_cached_and_its_problems_have_lines(
    folder: Path,
) -> None:
    broken = SMALL_ROUTINE.replace("reps: 2", "reps: many")
    (folder / "small.yaml").write_text(broken, encoding="utf-8")
    yamlcache.write(folder, schema.accepts)
    assert yamlcache.read_cache(folder) == {}
    with pytest.raises(RoutineFileError, match=r"library/small.yaml:\d+: steps.0.reps"):
        list(load_packaged(folder))
    unsafe = SMALL_ROUTINE.replace("max: 30", "max: 10000")
    assert unsafe != SMALL_ROUTINE
    (folder / "small.yaml").write_text(unsafe, encoding="utf-8")
    yamlcache.write(folder, schema.accepts)
    with pytest.raises(RoutineFileError, match=r"library/small.yaml:\d+: steps.0.hold.max"):
        list(load_packaged(folder))


def test_data_json_cannot_carry_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "dated.yaml").write_text("when: 2024-01-01\n", encoding="utf-8")
    (tmp_path / "keyed.yaml").write_text("1: one\n", encoding="utf-8")
    (tmp_path / "plain.yaml").write_text("a: [1, 2.5, true, null]\n", encoding="utf-8")
    yamlcache.write(tmp_path)
    assert sorted(yamlcache.read_cache(tmp_path)) == ["plain.yaml"]


def test_write_covers_every_yaml_file_of_the_folder(folder: Path) -> None:
    shutil.copy(folder / "small.yaml", folder / "again.yaml")
    assert yamlcache.write(folder) == folder / yamlcache.CACHE_NAME
    assert sorted(yamlcache.read_cache(folder)) == ["again.yaml", "small.yaml"]


def test_the_command_rewrites_a_folder_and_refuses_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from routines.yamlcache import main

    (tmp_path / "a.yaml").write_text("greeting: hello\n", encoding="utf-8")
    assert main([str(tmp_path)]) == 0
    assert json.loads((tmp_path / "parsed.json").read_text(encoding="utf-8"))["a.yaml"]["data"] == {
        "greeting": "hello"
    }
    assert main(["--help"]) == 0
    assert "usage: python -m routines.yamlcache" in capsys.readouterr().out
    assert main([]) == 2
    assert main([str(tmp_path / "missing")]) == 2
    assert "not a folder of YAML files" in capsys.readouterr().err
