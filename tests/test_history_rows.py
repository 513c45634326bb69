"""`skill.cli.history_rows`: the table, CSV and chart rows of a journal, without a terminal."""

from __future__ import annotations

import csv
import io
from datetime import UTC, timedelta, timezone

from skill.cli.history_rows import (
    CSV_HEADER,
    PainPoint,
    csv_rows,
    pain_points,
    symptom_words,
    table_rows,
    write_csv,
)
from skill.core.journal import SessionEntry, entry_of, parse_time

RATED = SessionEntry(
    started_at="2026-11-30T23:30:00Z",
    ended_at="2026-11-30T23:52:00Z",
    routine="foam-roller",
    ended="finished",
    steps_done=5,
    steps=5,
    minutes=21.5,
    pain_before=6,
    pain_after=3,
    symptoms=("PAIN", "PINS_AND_NEEDLES", "PAIN"),
)
UNRATED = SessionEntry(
    started_at="2026-12-01T08:00:00Z",
    ended_at="2026-12-01T08:04:00Z",
    routine="piriformis-release",
    ended="red_flag",
    steps_done=1,
    steps=6,
    minutes=3.0,
)


def test_the_table_shows_local_times_ratings_and_symptoms_in_words() -> None:
    tokyo = timezone(timedelta(hours=9))
    assert table_rows([RATED, UNRATED], tokyo) == [
        ("12-01 08:30", "foam-roller", "5/5", "22", "6", "3", "finished", "pain, pins and needles"),
        ("12-01 17:00", "piriformis-release", "1/6", "3", "-", "-", "red flag", ""),
    ]


def test_symptom_words_keep_the_order_first_reported() -> None:
    assert symptom_words(["NUMBNESS", "PAIN", "NUMBNESS"]) == "numbness, pain"
    assert symptom_words([]) == ""


def test_the_csv_holds_what_the_journal_holds_under_its_field_names() -> None:
    out = io.StringIO()
    write_csv([RATED, UNRATED], out)
    assert out.getvalue() == (
        "started_at,ended_at,routine,ended,steps_done,steps,minutes,pain_before,pain_after,"
        "symptoms\n"
        "2026-11-30T23:30:00Z,2026-11-30T23:52:00Z,foam-roller,finished,5,5,21.5,6,3,"
        "PAIN;PINS_AND_NEEDLES;PAIN\n"
        "2026-12-01T08:00:00Z,2026-12-01T08:04:00Z,piriformis-release,red_flag,1,6,3,,,\n"
    )


def test_each_csv_row_reads_back_as_the_entry_it_came_from() -> None:
    for entry in (RATED, UNRATED):
        out = io.StringIO()
        write_csv([entry], out)
        header, row = list(csv.reader(io.StringIO(out.getvalue())))
        assert tuple(header) == CSV_HEADER
        data: dict[str, object] = dict(zip(header, row, strict=True))
        for field in ("steps_done", "steps", "pain_before", "pain_after"):
            data[field] = int(row[header.index(field)]) if row[header.index(field)] else None
        data["minutes"] = float(row[header.index("minutes")])
        data["symptoms"] = [s for s in row[header.index("symptoms")].split(";") if s]
        assert entry_of(data) == entry


def test_csv_rows_leave_a_missing_rating_empty() -> None:
    assert csv_rows([UNRATED])[0][7:9] == ("", "")


def test_pain_points_skip_sessions_without_any_rating() -> None:
    only_after = SessionEntry(**{**RATED.to_json(), "symptoms": (), "pain_before": None})
    assert pain_points([RATED, UNRATED, only_after], UTC) == [
        PainPoint(parse_time(RATED.started_at), 6, 3),
        PainPoint(parse_time(RATED.started_at), None, 3),
    ]
