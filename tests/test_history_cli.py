"""`massage-coach history`, run as a user runs it, over a real SQLite store and its journal."""

from __future__ import annotations

import logging
import re
import shutil
import struct
import sys
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from matplotlib.dates import date2num
from typer.testing import CliRunner, Result

from skill.cli.history import local_zone
from skill.cli.history_png import PIXELS, draw_figure
from skill.cli.history_rows import pain_points
from skill.cli.main import app
from skill.core.journal import SessionEntry
from skill.core.journal_store import SQLiteJournal
from skill.core.store import SQLiteStore
from skill.core.symptom_log import SYMPTOMS_KEY
from tests.support.journal import session_entry
from tests.test_layering import loaded_after

runner = CliRunner()

SYMPTOMS = ("NUMBNESS", "PINS_AND_NEEDLES")
"""Distinctive symptom ids, looked for in the logs."""


def entry(days_ago: float, routine: str, before: int | None, after: int | None) -> SessionEntry:
    started = datetime.now(UTC) - timedelta(days=days_ago)
    if after is not None:
        return session_entry(started, routine=routine, pain_before=before, pain_after=after)
    return session_entry(
        started,
        routine=routine,
        ended="stopped",
        steps_done=2,
        minutes=4.0,
        pain_before=before,
        pain_after=None,
        symptoms=SYMPTOMS,
    )


OLD = entry(40, "gentle-stretches", 8, 7)
EARLIER = entry(10, "foam-roller", 7, None)
RECENT = entry(2, "piriformis-release", 6, 4)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store where the local coach's user has a record and three sessions, another user
    one session."""
    path = tmp_path / "coach.sqlite3"
    with SQLiteStore(path) as store:
        store.save("local", {"state": {"routine_id": "foam-roller"}})
        store.save("amzn1.ask.account.OTHER", {"state": {}})
    journal = journal_at(path)
    for item in (OLD, EARLIER, RECENT):
        journal.append("local", item)
    journal.append("amzn1.ask.account.OTHER", entry(1, "trigger-points", 4, 2))
    return path


def journal_at(path: Path) -> SQLiteJournal:
    return SQLiteJournal(path)


def history(*args: str, stdin: str | None = None, columns: int = 80) -> Result:
    return runner.invoke(app, ["history", *args], input=stdin, env={"COLUMNS": str(columns)})


def csv_line(item: SessionEntry) -> str:
    return ",".join(
        [
            item.started_at,
            item.ended_at,
            item.routine,
            item.ended,
            str(item.steps_done),
            str(item.steps),
            f"{item.minutes:g}",
            "" if item.pain_before is None else str(item.pain_before),
            "" if item.pain_after is None else str(item.pain_after),
            ";".join(item.symptoms),
        ]
    )


HEADER = (
    "started_at,ended_at,routine,ended,steps_done,steps,minutes,pain_before,pain_after,symptoms"
)


def test_the_table_lists_the_last_30_days_oldest_first_with_the_chart_below(db: Path) -> None:
    result = history("--db", str(db), columns=120)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2 sessions of local in the last 30 days, ")
    when = [
        item.started.astimezone(local_zone()).strftime("%m-%d %H:%M") for item in (EARLIER, RECENT)
    ]
    rows = [line.split() for line in lines[2:4]]
    assert rows[0][:2] == when[0].split()
    assert rows[0][2:] == [
        "foam-roller",
        "2/5",
        "4",
        "7",
        "-",
        "stopped",
        "numbness,",
        "pins",
        "and",
        "needles",
    ]
    assert rows[1] == [*when[1].split(), "piriformis-release", "5/5", "12", "6", "4", "finished"]
    assert "gentle-stretches" not in result.stdout  # 40 days ago
    assert "Pain before and after" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour codes when not a terminal


def test_table_and_chart_fit_in_80_columns(db: Path) -> None:
    result = history("--db", str(db), "--days", "60")
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "needles" in result.stdout  # wrapped, not cut


def test_the_chart_marks_each_rating_at_its_level(db: Path) -> None:
    chart = [line.strip("│ ").rstrip(" │") for line in history("--db", str(db)).stdout.splitlines()]
    level = {
        int(line.split("|")[0]): line.split("|", 1)[1]
        for line in chart
        if re.match(r"\d+ \|", line)
    }
    assert level[7].split() == ["o"]  # EARLIER: before only
    assert level[6].split() == ["o"]  # RECENT: before
    assert level[5].split() == ["|"]
    assert level[4].split() == ["x"]  # RECENT: after
    assert all(not level[n].strip() for n in (10, 9, 8, 3, 2, 1, 0))


@pytest.mark.parametrize(
    ("days", "shown"),
    [("1", []), ("5", [RECENT]), ("30", [EARLIER, RECENT]), ("60", [OLD, EARLIER, RECENT])],
)
def test_days_sets_the_period(db: Path, days: str, shown: list[SessionEntry]) -> None:
    result = history("--db", str(db), "--days", days, "--csv")
    if not shown:
        assert result.exit_code == 1
        assert "no sessions of 'local' in the last 1 day;" in result.stderr
        last = RECENT.started.astimezone(local_zone()).date().isoformat()
        assert f"the last one was on {last} (try --days 3)" in result.stderr
        return
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [HEADER, *map(csv_line, shown)]


def test_csv_is_exactly_what_the_journal_holds(db: Path) -> None:
    result = history("--db", str(db), "--days", "60", "--csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == "".join(
        line + "\n" for line in (HEADER, *map(csv_line, (OLD, EARLIER, RECENT)))
    )
    assert "NUMBNESS;PINS_AND_NEEDLES" in result.stdout


def test_user_picks_another_users_journal(db: Path) -> None:
    result = history("--db", str(db), "--user", "amzn1.ask.account.OTHER", "--csv")
    assert result.exit_code == 0, result.output
    assert [line.split(",")[2] for line in result.stdout.splitlines()[1:]] == ["trigger-points"]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR"
    crc = struct.unpack(">I", data[16 + length : 20 + length])[0]
    assert zlib.crc32(data[12 : 16 + length]) == crc
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_writes_an_image_of_the_fixed_size_that_opens(db: Path, tmp_path: Path) -> None:
    image = tmp_path / "pain.png"
    result = history("--db", str(db), "--days", "60", "--png", str(image))
    assert result.exit_code == 0, result.output
    assert f"Wrote the chart to {image}." in result.stderr
    assert "3 sessions of local" in result.stdout  # the table still shows
    data = image.read_bytes()
    assert png_size(data) == PIXELS
    from matplotlib.image import imread

    pixels = imread(image)
    assert pixels.shape[:2] == (PIXELS[1], PIXELS[0])
    assert pixels.std() > 0.05  # something is drawn


def test_the_png_chart_holds_the_ratings_of_the_log() -> None:
    entries = [OLD, EARLIER, RECENT]
    figure = draw_figure(pain_points(entries, UTC), "title", UTC)
    lines = {line.get_label(): line for line in figure.axes[0].get_lines()}
    assert np.asarray(lines["before"].get_ydata()).tolist() == [8, 7, 6]
    assert np.asarray(lines["after"].get_ydata()).tolist() == [7, 4]
    days = [date2num(item.started) for item in entries]
    assert np.asarray(lines["before"].get_xdata()).tolist() == days
    assert np.asarray(lines["after"].get_xdata()).tolist() == [days[0], days[2]]


def test_png_with_csv_writes_both(db: Path, tmp_path: Path) -> None:
    image = tmp_path / "pain.png"
    result = history("--db", str(db), "--csv", "--png", str(image))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == HEADER
    assert png_size(image.read_bytes()) == PIXELS


def test_png_without_matplotlib_names_the_extra(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now fails
    image = tmp_path / "pain.png"
    result = history("--db", str(db), "--png", str(image))
    assert result.exit_code == 1
    assert "pip install 'massage-coach[charts]'" in result.stderr
    assert not image.exists()


def test_png_into_a_missing_folder_fails_clearly(db: Path, tmp_path: Path) -> None:
    image = tmp_path / "no" / "such" / "pain.png"
    result = history("--db", str(db), "--png", str(image))
    assert result.exit_code == 1
    assert f"error: cannot write {image}" in result.stderr
    assert "Traceback" not in result.output


def test_forget_asks_then_deletes_only_that_users_journal(db: Path) -> None:
    result = history("--db", str(db), "--forget", stdin="y\n")
    assert result.exit_code == 0, result.output
    assert "Delete all 3 sessions of local? [y/N]" in result.output
    assert "Deleted 3 sessions of local" in result.stdout
    journal = journal_at(db)
    assert journal.since("local", datetime(1970, 1, 1, tzinfo=UTC)) == []
    assert len(journal.since("amzn1.ask.account.OTHER", datetime(1970, 1, 1, tzinfo=UTC))) == 1
    with SQLiteStore(db) as store:  # the record with progress and preferences stays
        assert store.load("local") == {"state": {"routine_id": "foam-roller"}}
    again = history("--db", str(db))
    assert again.exit_code == 1
    assert "no sessions of 'local' recorded yet" in again.stderr


def test_forget_leaves_no_copy_in_the_store_files(db: Path) -> None:
    def raw() -> bytes:
        files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
        return b"".join(path.read_bytes() for path in files if path.exists())

    assert b"NUMBNESS" in raw()
    assert b"gentle-stretches" in raw()
    assert history("--db", str(db), "--forget", "--yes").exit_code == 0
    for trace in (b"NUMBNESS", b"PINS_AND_NEEDLES", b"gentle-stretches", b"piriformis-release"):
        assert trace not in raw(), trace
    assert b"trigger-points" in raw()  # the other user's session stays


def test_forget_deletes_the_symptom_log_in_the_record_as_delete_my_history_does(db: Path) -> None:
    report = {"category": "nerve", "symptom": "NUMBNESS", "at": "2026-11-30T08:00:00+00:00"}
    with SQLiteStore(db) as store:
        store.save("local", {"state": {"routine_id": "foam-roller"}, SYMPTOMS_KEY: [report]})
    assert history("--db", str(db), "--forget", "--yes").exit_code == 0
    with SQLiteStore(db) as store:  # progress and preferences stay, the symptoms go
        assert store.load("local") == {"state": {"routine_id": "foam-roller"}}


@pytest.mark.parametrize("answer", ["n\n", "\n", ""], ids=["no", "enter", "end of input"])
def test_forget_answered_no_deletes_nothing(db: Path, answer: str) -> None:
    result = history("--db", str(db), "--forget", stdin=answer)
    assert result.exit_code == 1
    assert "Nothing was deleted." in result.stderr
    assert len(journal_at(db).since("local", datetime(1970, 1, 1, tzinfo=UTC))) == 3


def test_forget_yes_does_not_ask(db: Path) -> None:
    result = history("--db", str(db), "--forget", "--yes")
    assert result.exit_code == 0, result.output
    assert "[y/N]" not in result.output
    assert journal_at(db).since("local", datetime(1970, 1, 1, tzinfo=UTC)) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--forget", "--csv"], "--forget shows nothing"),
        (["--forget", "--png", "p.png"], "--forget shows nothing"),
        (["--yes"], "add --forget"),
    ],
)
def test_options_that_do_not_go_together_are_refused(
    db: Path, args: list[str], message: str
) -> None:
    result = history("--db", str(db), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(journal_at(db).since("local", datetime(1970, 1, 1, tzinfo=UTC))) == 3


def test_forget_an_empty_journal_says_so(db: Path) -> None:
    assert history("--db", str(db), "--forget", "--yes").exit_code == 0
    result = history("--db", str(db), "--forget")
    assert result.exit_code == 0
    assert "'local' has no sessions to delete." in result.stdout


def test_an_unknown_user_is_an_error(db: Path) -> None:
    for args in ([], ["--forget", "--yes"]):
        result = history("--db", str(db), "--user", "nobody", *args)
        assert result.exit_code == 1
        assert f"error: no user 'nobody' in {db}" in result.stderr


def test_a_missing_store_is_an_error_and_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite3"
    result = history("--db", str(missing))
    assert result.exit_code == 1
    assert f"error: no store at {missing}" in result.stderr
    assert not missing.exists()


def test_the_default_store_comes_from_the_environment(db: Path) -> None:
    result = runner.invoke(app, ["history", "--csv"], env={"MASSAGE_COACH_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 3


@pytest.mark.parametrize(
    "content",
    [b"this is not a database, just text\n" * 200, b"SQLite format 3\x00" + b"\xff" * 4000],
)
def test_a_damaged_store_is_reported_and_left_as_it_is(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "coach.sqlite3"
    path.write_bytes(content)
    result = history("--db", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}")
    assert "Traceback" not in result.output
    assert path.read_bytes() == content


def test_no_rating_or_symptom_reaches_the_log(
    db: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert history("--db", str(db), "--days", "60").exit_code == 0
    assert history("--db", str(db), "--days", "60", "--csv").exit_code == 0
    assert history("--db", str(db), "--png", str(tmp_path / "p.png")).exit_code == 0
    assert history("--db", str(db), "--forget", "--yes").exit_code == 0
    ours = [r for r in caplog.records if r.name.split(".")[0] in ("skill", "speech", "routines")]
    assert ours, "the command logs what it does"
    for record in caplog.records:
        text = record.getMessage()
        assert not any(symptom in text for symptom in SYMPTOMS), text
        assert "pain_" not in text, text
    ratings = {
        OLD.pain_before,
        OLD.pain_after,
        EARLIER.pain_before,
        RECENT.pain_before,
        RECENT.pain_after,
    }
    for record in ours:
        assert not set(re.findall(r"\b\d+\b", record.getMessage())) & {str(r) for r in ratings}


@pytest.mark.parametrize("png", [False, True], ids=["table", "png"])
def test_matplotlib_loads_only_for_png(db: Path, png: bool) -> None:
    args = ["history", "--db", str(db), "--days", "60"]
    args += ["--png", str(db.with_name("pain.png"))] if png else []
    code = f"from skill.cli.main import app\ntry:\n    app({args!r})\nexcept SystemExit as done:\n"
    code += "    assert done.code == 0, done\n"
    loaded = loaded_after(code, ("matplotlib", "PIL"), db.parent)
    assert sorted(loaded) == (["PIL", "matplotlib"] if png else []), loaded
    assert not png or "skill/cli/history_png.py" in loaded["matplotlib"]


def test_a_long_history_charts_the_newest_sessions_that_fit_in_80_columns(tmp_path: Path) -> None:
    path = tmp_path / "coach.sqlite3"
    journal = SQLiteJournal(path)
    for n in range(40):
        journal.append("local", entry(40 - n + 0.5, "foam-roller", 9 - n // 5, 8 - n // 5))
    result = history("--db", str(path), "--days", "60")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("40 sessions of local in the last 60 days")
    assert "the last 23 of 40 rated sessions" in result.stdout
    assert max(len(line) for line in lines) <= 80


def test_days_must_be_at_least_one(db: Path) -> None:
    result = history("--db", str(db), "--days", "0")
    assert result.exit_code == 2
    assert "--days" in result.stderr


def test_a_store_from_before_the_journal_has_no_sessions_yet(tmp_path: Path) -> None:
    path = tmp_path / "coach.sqlite3"
    shutil.copyfile(Path(__file__).parent / "data" / "store" / "version-1.sqlite3", path)
    result = history("--db", str(path))
    assert result.exit_code == 1
    assert "error: no sessions of 'local' recorded yet" in result.stderr
    with SQLiteStore(path) as store:
        assert store.load("local") is not None  # the record is kept through the upgrade
