"""`massage-coach render` and `massage-coach script`, run as a user runs them (real espeak-ng)."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from skill.cli.main import app
from skill.cli.render import length
from speech.audio import Audio
from tests.conftest import SMALL_ROUTINE

runner = CliRunner()

NOTE = "not a substitute for a doctor"
"""Words of the safety note, said once at the start of a session."""


@pytest.fixture(autouse=True)
def no_stored_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Render and script read the local user's preferences from the default store: none here,
    whatever this machine's own store holds."""
    monkeypatch.setenv("MASSAGE_COACH_DB", str(tmp_path / "none" / "coach.sqlite3"))


def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_ROUTINE)
    return path


def test_render_writes_the_audio_and_the_timeline_and_reports_speed(tmp_path: Path) -> None:
    wav, timeline = tmp_path / "small.wav", tmp_path / "small.json"
    args = ["render", "small", "-o", str(wav), "--timeline", str(timeline)]
    result = runner.invoke(app, [*args, "-f", str(small_file(tmp_path))])
    assert result.exit_code == 0, result.output
    data = json.loads(timeline.read_text())
    assert len(data["holds"]) == 5
    spoken = [segment["text"] for segment in data["segments"] if segment["kind"] == "speech"]
    assert sum(NOTE in text for text in spoken) == 1
    assert NOTE in spoken[0]
    audio = Audio.from_wav(wav)
    assert abs(audio.duration_s - data["duration_s"]) < 1e-3
    assert "Rendering small: prompt 6 of 6" in result.output
    assert f"Wrote {wav}: {length(data['duration_s'])} of audio, 5 holds" in result.output
    assert "x real time)" in result.output
    assert f"Wrote {timeline}: {len(data['segments'])} segments" in result.output


def test_render_an_unknown_routine_fails_clearly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", "nope", "-o", str(tmp_path / "x.wav")])
    assert result.exit_code == 1
    assert "error: no routine called 'nope'; known:" in result.output
    assert not (tmp_path / "x.wav").exists()


def test_render_to_an_unwritable_path_fails_clearly(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.wav"
    result = runner.invoke(app, ["render", "foam-roller", "-o", str(target)])
    assert result.exit_code == 1
    assert f"error: {target}: cannot write" in result.output
    assert "Traceback" not in result.output
    assert "Rendering" not in result.output


def test_render_rejects_a_rate_that_is_not_positive(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["render", "foam-roller", "-o", str(tmp_path / "x.wav"), "--rate", "0"]
    )
    assert result.exit_code == 1
    assert "--rate must be a positive number" in result.output


def test_render_with_an_unknown_voice_says_so_and_uses_the_default(tmp_path: Path) -> None:
    wav = tmp_path / "v.wav"
    args = ["render", "small", "-o", str(wav), "--voice", "no-such-voice", "--rate", "260"]
    result = runner.invoke(app, [*args, "-f", str(small_file(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "Unknown voice 'no-such-voice'" in result.output
    assert "default voice" in result.output
    assert Audio.from_wav(wav).peak() > 1000


def test_render_reports_a_broken_routine_file_by_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL_ROUTINE.replace("reps: 2", "reps: 0"))
    result = runner.invoke(app, ["render", "small", "-o", str(tmp_path / "x.wav"), "-f", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:18: steps.0.reps:" in result.output


def test_script_prints_the_session_with_times(tmp_path: Path) -> None:
    result = runner.invoke(app, ["script", "small", "-f", str(small_file(tmp_path))])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# 1/6 (start) at 00:00.0\n00:00.0  Before we begin")
    assert result.output.count("[hold 20 s]") == 4
    assert result.output.count(NOTE) == 1


def test_script_of_the_default_routine_says_the_safety_note_once() -> None:
    for options in ([], ["--ssml"]):
        result = runner.invoke(app, ["script", "sciatica-quick-relief", *options])
        assert result.exit_code == 0, result.output
        assert result.output.count(NOTE) == 1, options
        assert NOTE in result.output.splitlines()[0 if options else 1]


def test_script_without_a_routine_is_the_default_routine_as_run_is() -> None:
    named = runner.invoke(app, ["script", "sciatica-quick-relief"])
    unnamed = runner.invoke(app, ["script"])
    assert unnamed.exit_code == 0, unnamed.output
    assert unnamed.output == named.output


def test_script_ssml_prints_one_valid_response_per_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["script", "small", "--ssml", "-f", str(small_file(tmp_path))])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 6
    assert all(ElementTree.fromstring(line).tag == "speak" for line in lines)
    assert result.output.count(NOTE) == 1
    assert NOTE in lines[0]


def test_script_an_unknown_routine_fails_clearly() -> None:
    result = runner.invoke(app, ["script", "nope"])
    assert result.exit_code == 1
    assert "error: no routine called 'nope'" in result.output


def test_length_reads_like_a_clock() -> None:
    assert length(59.6) == "1:00"
    assert length(1565.7) == "26:06"
    assert length(3723) == "1:02:03"
