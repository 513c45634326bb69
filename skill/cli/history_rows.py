"""What `massage-coach history` shows of a journal, as plain rows: the table, the CSV, the points.

Pure: entries in, strings and numbers out, no terminal and no files, so every output of the
command is tested without one. Times are stored in UTC; the table and the charts show them in
the time zone they are given (the user's own, from the command), while the CSV keeps the stored
UTC times exactly, unambiguous for a physiotherapist's spreadsheet wherever it is opened.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import IO, Final

from skill.core.journal import SessionEntry

__all__ = [
    "CSV_HEADER",
    "TABLE_HEADER",
    "PainPoint",
    "csv_rows",
    "pain_points",
    "symptom_words",
    "table_rows",
    "write_csv",
]

CSV_HEADER: Final = (
    "started_at",
    "ended_at",
    "routine",
    "ended",
    "steps_done",
    "steps",
    "minutes",
    "pain_before",
    "pain_after",
    "symptoms",
)
"""The CSV's header row: the journal's fields, under their stored names."""

SYMPTOM_SEPARATOR: Final = ";"
"""Between the symptom ids of one session in the CSV's one cell."""

TABLE_HEADER: Final = ("started", "routine", "done", "min", "before", "after", "ended", "symptoms")
"""The terminal table's columns."""

TIME_FORMAT: Final = "%m-%d %H:%M"
"""When a session started, in the table (its title gives the years)."""

NOT_RATED: Final = "-"
"""What the table shows for a rating that was not given."""


@dataclass(frozen=True)
class PainPoint:
    """One session's pain ratings, as a chart draws them."""

    when: datetime
    """When the session started, in the chart's time zone."""
    before: int | None
    """The pain rated before, 0..10, or None."""
    after: int | None
    """The pain rated after, 0..10, or None."""


def _local(entry: SessionEntry, zone: tzinfo) -> datetime:
    return entry.started.astimezone(zone)


def _rating(value: int | None) -> str:
    return NOT_RATED if value is None else str(value)


def _minutes(minutes: float) -> str:
    return f"{minutes:.0f}"


def symptom_words(symptoms: Sequence[str]) -> str:
    """Symptom ids as the table shows them: ``PAIN``, ``PINS_AND_NEEDLES`` -> "pain, pins and
    needles" (each once, in the order first reported)."""
    words = (symptom.lower().replace("_", " ") for symptom in dict.fromkeys(symptoms))
    return ", ".join(words)


def table_rows(entries: Iterable[SessionEntry], zone: tzinfo) -> list[tuple[str, ...]]:
    """One row per entry under `TABLE_HEADER`, in the order given."""
    return [
        (
            _local(entry, zone).strftime(TIME_FORMAT),
            entry.routine,
            f"{entry.steps_done}/{entry.steps}",
            _minutes(entry.minutes),
            _rating(entry.pain_before),
            _rating(entry.pain_after),
            entry.ended.replace("_", " "),
            symptom_words(entry.symptoms),
        )
        for entry in entries
    ]


def csv_rows(entries: Iterable[SessionEntry]) -> list[tuple[str, ...]]:
    """One row per entry under `CSV_HEADER`: what the journal holds, a missing rating empty."""
    return [
        (
            entry.started_at,
            entry.ended_at,
            entry.routine,
            entry.ended,
            str(entry.steps_done),
            str(entry.steps),
            f"{entry.minutes:g}",
            "" if entry.pain_before is None else str(entry.pain_before),
            "" if entry.pain_after is None else str(entry.pain_after),
            SYMPTOM_SEPARATOR.join(entry.symptoms),
        )
        for entry in entries
    ]


def write_csv(entries: Iterable[SessionEntry], out: IO[str]) -> None:
    """Write the header row and one row per entry to `out`, one line each (quoted as
    spreadsheets expect; lines end in a plain newline, as text on a terminal does)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(entries))


def pain_points(entries: Iterable[SessionEntry], zone: tzinfo) -> list[PainPoint]:
    """The sessions with at least one rating, as chart points, in the order given."""
    return [
        PainPoint(_local(entry, zone), entry.pain_before, entry.pain_after)
        for entry in entries
        if entry.pain_before is not None or entry.pain_after is not None
    ]
