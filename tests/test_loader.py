"""Loading routine files: good files load; every problem is reported as FILE:LINE: field."""

from __future__ import annotations

from pathlib import Path

import pytest

from routines.errors import RoutineFileError, UnknownRoutineError
from routines.loader import find_routine, load_files, load_library, parse_routine
from tests.conftest import SMALL_ROUTINE


def problems_of(text: str) -> list[str]:
    with pytest.raises(RoutineFileError) as caught:
        parse_routine(text, "r.yaml")
    return [str(p) for p in caught.value.problems]


def test_a_good_routine_loads() -> None:
    routine = parse_routine(SMALL_ROUTINE, "r.yaml")
    assert [s.id for s in routine.steps] == ["knee-hug", "glute-ball"]
    assert routine.steps[0].passes == 4
    # 4 passes of 20 s + 1 of 45 s, 12 s setup each, rests between reps on one side.
    assert routine.total_seconds == 4 * 32 + 2 * 5 + 57


def test_a_wrong_field_is_reported_at_its_line() -> None:
    text = SMALL_ROUTINE.replace(
        "hold: {default: 45, min: 30, max: 60}", "hold: {default: 45, min: 30, max: 900}"
    )
    line = text.splitlines().index("    hold: {default: 45, min: 30, max: 900}") + 1
    assert problems_of(text) == [
        f"r.yaml:{line}: steps.1.hold.max: 900 s is over the safe limit of 90 s for trigger_point"
    ]


def test_several_problems_are_reported_together() -> None:
    text = SMALL_ROUTINE.replace("reps: 2", "reps: many").replace(
        "technique: trigger_point", "technique: tickling"
    )
    found = problems_of(text)
    assert len(found) == 2
    reps_line = text.splitlines().index("    reps: many") + 1
    assert (
        f"r.yaml:{reps_line}: steps.0.reps: Input should be a valid integer, "
        "unable to parse string as an integer" in found
    )
    assert any(p.startswith("r.yaml:") and "steps.1.technique" in p for p in found)


def test_missing_and_unknown_fields_are_named() -> None:
    text = SMALL_ROUTINE.replace("title: Small routine\n", "colour: blue\n")
    found = problems_of(text)
    assert "r.yaml:2: colour: Extra inputs are not permitted" in found
    assert "r.yaml:1: title: Field required" in found


def test_hold_bounds_must_be_ordered() -> None:
    text = SMALL_ROUTINE.replace(
        "{default: 20, min: 15, max: 30}", "{default: 40, min: 15, max: 30}"
    )
    assert any(
        "steps.0.hold.default: must satisfy min <= default <= max" in p for p in problems_of(text)
    )


def test_broken_yaml_gives_its_line() -> None:
    text = "id: x\ntitle: [unclosed\nsummary: s\n"
    (found,) = problems_of(text)
    assert found.startswith("r.yaml:3: (file): not valid YAML")


@pytest.mark.parametrize("text", ["", "- a list\n", "just text\n"])
def test_a_file_that_is_not_a_mapping_is_refused(text: str) -> None:
    assert problems_of(text) == ["r.yaml:1: (file): must be a mapping with id, title, steps"]


def test_folders_and_files_load_together_and_all_problems_are_collected(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(SMALL_ROUTINE)
    (tmp_path / "b.yaml").write_text("id: [\n")
    (tmp_path / "c.yml").write_text(SMALL_ROUTINE)
    (tmp_path / "notes.txt").write_text("ignored")
    with pytest.raises(RoutineFileError) as caught:
        load_files([tmp_path, tmp_path / "missing.yaml"])
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{tmp_path / 'b.yaml'}:")
    assert lines[1] == f"{tmp_path / 'c.yml'}:1: id: id 'small' is used twice"
    assert (
        lines[2] == f"{tmp_path / 'missing.yaml'}:0: (file): cannot read: No such file or directory"
    )


def test_user_files_join_the_builtin_library(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(SMALL_ROUTINE)
    library = load_library([tmp_path])
    assert "small" in library
    assert find_routine(library, "small").title == "Small routine"
    with pytest.raises(UnknownRoutineError, match="no routine called 'nope'; known: "):
        find_routine(library, "nope")
