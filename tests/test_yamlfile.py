"""Reading YAML with the line of every value."""

from __future__ import annotations

import pytest

from routines.errors import ProblemsError
from routines.yamlfile import read_yaml


def test_every_path_has_its_line_and_fields_point_at_their_keys() -> None:
    document = read_yaml("a: 1\nb:\n  - x\n  - c: 2\n    d:\n      e\n", "f.yaml")
    assert document.data == {"a": 1, "b": ["x", {"c": 2, "d": "e"}]}
    assert document.lines[("a",)] == 1
    assert document.lines[("b", 1, "c")] == 4
    assert document.lines[("b", 1, "d")] == 5  # the key, not the value's line below it
    assert document.line_for(("b", 1, "c", "missing", 3)) == 4
    assert document.line_for(("zzz",)) == 1


def test_not_yaml_is_one_problem_at_its_line() -> None:
    with pytest.raises(ProblemsError) as caught:
        read_yaml("a: 1\nb: [\n", "f.yaml")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("f.yaml", 3)
    assert problem.message.startswith("not valid YAML")


def test_aliases_of_aliases_are_walked_once() -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for name in "bcdefghijklmnopqrstuvw":
        previous = chr(ord(name) - 1)
        text += f"{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}]\n"
    document = read_yaml(text, "bomb.yaml")
    assert len(document.lines) < 200


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    with pytest.raises(ProblemsError, match="nested too deeply"):
        read_yaml("[" * 5000 + "]" * 5000, "deep.yaml")


def test_a_date_that_does_not_exist_is_a_problem_at_its_line() -> None:
    with pytest.raises(ProblemsError) as caught:
        read_yaml("a: 2026-03-02\nb:\n  - c: 2026-13-01T08:00:00Z\n", "f.yaml")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("f.yaml", 3)
    assert problem.message == "not a real date or time: month must be in 1..12"
