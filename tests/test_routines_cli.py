"""`massage-coach routines list/show/validate`, run as a user runs them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from skill.cli.main import app
from tests.conftest import SMALL_ROUTINE

runner = CliRunner()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_list_shows_builtin_and_extra_routines(tmp_path: Path) -> None:
    path = write(tmp_path, "small.yaml", SMALL_ROUTINE)
    result = runner.invoke(app, ["routines", "list", "-f", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "small" in result.output
    assert "Small routine" in result.output
    assert "3:15" in result.output  # total time of the small routine


def test_show_prints_steps_with_holds_and_reps(tmp_path: Path) -> None:
    path = write(tmp_path, "small.yaml", SMALL_ROUTINE)
    result = runner.invoke(
        app, ["routines", "show", "small", "-f", str(path)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "Knee hug" in result.output
    assert "20 s (15-30)" in result.output
    assert "right, left" in result.output


def test_show_an_unknown_routine_fails_clearly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["routines", "show", "nope"])
    assert result.exit_code == 1
    assert "no routine called 'nope'" in result.output


def test_validate_passes_good_files_and_lists_every_problem_in_bad_ones(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", SMALL_ROUTINE)
    result = runner.invoke(app, ["routines", "validate", str(good)])
    assert result.exit_code == 0
    assert "ok: small (2 steps)" in result.output
    bad = write(
        tmp_path,
        "bad.yaml",
        SMALL_ROUTINE.replace("reps: 2", "reps: 0").replace("why: Pressure", "wy: Pressure"),
    )
    result = runner.invoke(app, ["routines", "validate", str(good), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:18: steps.0.reps: Input should be greater than or equal to 1" in result.output
    assert f"{bad}:25: steps.1.wy: Extra inputs are not permitted" in result.output
    assert "Traceback" not in result.output


def test_validate_with_nothing_to_check_fails(tmp_path: Path) -> None:
    result = runner.invoke(app, ["routines", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "no routine files" in result.output
