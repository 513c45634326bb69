"""Property-based fuzzing of the routine loader (hypothesis) with broken YAML.

Whatever a routine file holds (random text, the built-in routines cut, shuffled, re-indented or
with values swapped for odd YAML, tags, anchors and aliases, deep nesting, bytes that are not
UTF-8), loading it either gives a routine or raises :class:`RoutineFileError` whose problems
name the file and a line inside it. Nothing else ever escapes: no ``yaml`` error, no pydantic
``ValidationError``, no ``RecursionError``, no ``TypeError``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from routines.errors import Problem, RoutineFileError
from routines.loader import load_file, load_files, parse_routine
from routines.models import Routine

SOURCE = "fuzzed.yaml"

BUILTIN = {
    entry.name: entry.read_text(encoding="utf-8")
    for entry in (resources.files("routines") / "library").iterdir()
    if entry.name.endswith(".yaml")
}

SETTINGS = settings(
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

ODD_VALUES = [
    "",
    "~",
    "null",
    "-5",
    "0",
    "1e999",
    ".inf",
    "-.inf",
    ".nan",
    "99999999999999999999999999999",
    "0x1F",
    "0o17",
    "1_000",
    "3.7",
    "yes",
    "no",
    "on",
    "2024-01-01",
    "12:30:00",
    "[]",
    "{}",
    "[1, [2, [3]]]",
    "{default: 10, min: 50, max: 5}",
    "{default: -1, min: -10, max: 0}",
    "{default: 36000, min: 1, max: 36000}",
    "!!binary aGVsbG8=",
    "!!python/object:os.system [echo]",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!custom tag",
    "&anchor value",
    "*missing_alias",
    "'unterminated",
    '"\\x00\\ud800"',
    "|\n  literal\n  block",
    ">-\n  folded",
    "\t tab",
    "- a\n- b",
    "? complex key\n: value",
    "\u202e\ufeff\U0001f600",
    "[" * 60 + "]" * 60,
    "{a: " * 60 + "1" + "}" * 60,
]


def check(text: str) -> Routine | None:
    """Parse ``text``; assert that only a well-formed RoutineFileError can come out."""
    try:
        routine = parse_routine(text, SOURCE)
    except RoutineFileError as error:
        check_problems(error, text.count("\n") + 1)
        note("refused")
        return None
    note("loaded")
    return routine


def note(outcome: str) -> None:
    """Count outcomes in hypothesis's statistics (outside a hypothesis test: nothing)."""
    if currently_in_test_context():
        event(outcome)


def check_problems(error: RoutineFileError, lines: int) -> None:
    assert error.problems, "a RoutineFileError without problems"
    for problem in error.problems:
        assert problem.file == SOURCE
        assert 0 <= problem.line <= lines + 1, (problem, lines)
        assert problem.message
        assert str(problem).startswith(f"{SOURCE}:{problem.line}: ")
    assert "Traceback" not in str(error)


@st.composite
def broken_routines(draw: st.DrawFn) -> str:
    """A built-in routine file broken in one to four ways."""
    lines = BUILTIN[draw(st.sampled_from(sorted(BUILTIN)))].splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(
            st.sampled_from(["delete", "swap", "indent", "value", "insert", "truncate", "dup"])
        )
        if action == "delete":
            del lines[at]
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "indent":
            lines[at] = " " * draw(st.integers(0, 9)) + lines[at].lstrip()
        elif action == "value":
            key, colon, _ = lines[at].partition(":")
            odd = draw(st.sampled_from(ODD_VALUES) | st.text(max_size=20))
            lines[at] = f"{key}{colon or ':'} {odd}"
        elif action == "insert":
            lines.insert(at, draw(st.sampled_from(ODD_VALUES) | st.text(max_size=40)))
        elif action == "truncate":
            cut = draw(st.integers(0, len(lines[at])))
            lines = [*lines[:at], lines[at][:cut]]
        else:
            lines.insert(at, lines[at])
    return "\n".join(lines)


@SETTINGS
@given(text=broken_routines())
def test_broken_builtin_routines(text: str) -> None:
    check(text)


@SETTINGS
@given(text=st.text(max_size=300))
@example(text="")
@example(text="\x00")
@example(text="- just\n- a list")
@example(text="id: x\nid: y\n")
@example(text="%YAML 9.9\n---\nid: x")
@example(text="--- a\n--- b\n")
@example(text="\ufeffid: x")
def test_any_text(text: str) -> None:
    check(text)


@SETTINGS
@given(
    lines=st.lists(
        st.tuples(st.integers(0, 6), st.sampled_from(["id", "title", "steps", "hold", "- id"]))
        .map(lambda pair: " " * pair[0] + pair[1] + ":")
        .flatmap(lambda key: st.sampled_from(ODD_VALUES).map(lambda value: f"{key} {value}")),
        max_size=12,
    )
)
def test_routine_shaped_nonsense(lines: list[str]) -> None:
    check("\n".join(lines))


@pytest.mark.parametrize("depth", [10, 100, 1000, 10_000])
def test_deep_nesting(depth: int) -> None:
    check("id: " + "[" * depth + "]" * depth)
    check("steps:\n" + "".join("  " * level + "- \n" for level in range(min(depth, 2000))))
    check("id: " + "{a: " * depth + "1" + "}" * depth)


def test_aliases_cannot_blow_up() -> None:
    """A "billion laughs" file is refused (or loaded) quickly, never expanded to exhaustion."""
    text = "a: &a ['lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol']\n"
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        text += f"{level}: &{level} [{', '.join(['*' + previous] * 9)}]\n"
    text += "steps: *h\n"
    check(text)


@SETTINGS
@given(data=st.binary(max_size=300))
@example(data=b"\xff\xfeid: x")
@example(data=b"id: caf\xe9")
def test_any_file_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "routine.yaml"
    path.write_bytes(data)
    assert all(problem.file == str(path) for problem in _problems_loading(path))


def _problems_loading(path: Path) -> list[Problem]:
    """The problems loading `path` reports (none when it loads)."""
    try:
        load_file(path)
    except RoutineFileError as error:
        return error.problems
    return []


def test_unreadable_paths(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    for path in (tmp_path / "missing.yaml", folder):
        with pytest.raises(RoutineFileError) as caught:
            load_file(path)
        assert caught.value.problems[0].line == 0
    # A folder of broken files reports every file's problems together.
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "a.yaml").write_text("id: [", encoding="utf-8")
    (tmp_path / "lib" / "b.yaml").write_bytes(b"\xff")
    with pytest.raises(RoutineFileError) as caught:
        load_files([tmp_path / "lib"])
    assert {Path(problem.file).name for problem in caught.value.problems} == {"a.yaml", "b.yaml"}


def test_the_check_can_fail() -> None:
    """A problem outside the file's lines would be caught."""
    with pytest.raises(RoutineFileError) as caught:
        parse_routine("id: [", SOURCE)
    assert caught.value.problems[0].line == 1
    with pytest.raises(AssertionError):
        # As if the file had no lines at all: line 1 is then outside it.
        check_problems(caught.value, -1)
