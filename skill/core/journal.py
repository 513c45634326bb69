"""The pain journal's record of one session, and where a user's sessions are kept.

When a routine ends (finished, stopped, or a red flag), the turn (`skill.core.turn`) closes a
`SessionEntry`: when it started and ended, the routine, how much was done, the pain rated
before and after (0 to 10, or None when the check was skipped or off), the symptoms reported,
and how it ended. Every front-end appends it to the user's `Journal`, kept in the same store as
their progress. The trend rule (`skill.core.trend`) and `massage-coach history` read it back.

A `Journal` reads by time (`since`), so a request reads what it needs, never a user's whole
history. Entries are plain JSON in storage (`to_json` / `entry_of`); an entry that cannot be
read (written by a newer version, damaged) is skipped, never fatal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Final, Literal, Protocol, get_args

from routines.session import MAX_RATING, is_rating

__all__ = [
    "ENDINGS",
    "MAX_RATING",
    "Ending",
    "Journal",
    "SessionEntry",
    "entry_of",
    "format_time",
    "is_entry",
    "parse_time",
]

Ending = Literal["finished", "stopped", "red_flag"]
"""How a session ended: the routine done, the user stopped (or left), or a red flag."""

ENDINGS: Final[frozenset[str]] = frozenset(get_args(Ending))


@dataclass(frozen=True)
class SessionEntry:
    """One session of a routine, as the journal keeps it."""

    started_at: str
    """When the routine started, ISO 8601 in UTC (``2026-12-01T08:30:00Z``)."""
    ended_at: str
    """When it ended, in the same form."""
    routine: str
    """The routine's id."""
    ended: Ending
    """How it ended."""
    steps_done: int
    """Steps of the routine begun before it ended (all of them when finished)."""
    steps: int
    """Steps in the routine."""
    minutes: float
    """Minutes of technique done, at the user's hold lengths (the plan's estimate, not the
    wall clock: a session left paused overnight is not twelve hours of massage)."""
    pain_before: int | None = None
    """The pain rated when the routine started, 0..10; None when not rated."""
    pain_after: int | None = None
    """The pain rated when it finished, 0..10; None when not rated (always when stopped)."""
    symptoms: tuple[str, ...] = ()
    """Symptom ids reported during the session, in order (``PAIN``, ``NUMBNESS``...)."""

    def to_json(self) -> dict[str, Any]:
        """The stored form: a JSON object."""
        return {
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "routine": self.routine,
            "ended": self.ended,
            "steps_done": self.steps_done,
            "steps": self.steps,
            "minutes": self.minutes,
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "symptoms": list(self.symptoms),
        }

    @cached_property
    def started(self) -> datetime:
        """`started_at` as an aware datetime (worked out once: the trend rule sorts and
        filters by it several times a request)."""
        return parse_time(self.started_at)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


_NUMBERS: Final = (int, float)
"""A tuple rather than ``int | float``: isinstance takes half the time with it (once an
entry read, and a stop reads four weeks of them)."""


def _has_valid_fields(entry: SessionEntry) -> bool:
    """Whether every field but the times holds what the journal keeps."""
    minutes = entry.minutes
    return (
        isinstance(entry.routine, str)
        and isinstance(entry.ended, str)
        and entry.ended in ENDINGS
        and _is_count(entry.steps_done)
        and _is_count(entry.steps)
        and isinstance(minutes, _NUMBERS)
        and not isinstance(minutes, bool)
        and minutes >= 0
        and is_rating(entry.pain_before)
        and is_rating(entry.pain_after)
        and all(isinstance(symptom, str) for symptom in entry.symptoms)
    )


def is_entry(value: object) -> bool:
    """Whether `value` is a valid `SessionEntry`: one that `entry_of` reads back from its
    `to_json` unchanged (what every journal checks before it appends)."""
    if not isinstance(value, SessionEntry) or type(value.symptoms) is not tuple:
        return False
    try:
        parse_time(value.started_at), parse_time(value.ended_at)
    except ValueError:
        return False
    return _has_valid_fields(value)


def entry_of(data: Any) -> SessionEntry | None:
    """The entry a stored JSON object holds; None when it is not a valid entry."""
    if not isinstance(data, Mapping):
        return None
    try:
        entry = SessionEntry(
            started_at=data["started_at"],
            ended_at=data["ended_at"],
            routine=data["routine"],
            ended=data["ended"],
            steps_done=data["steps_done"],
            steps=data["steps"],
            minutes=data["minutes"],
            pain_before=data.get("pain_before"),
            pain_after=data.get("pain_after"),
            symptoms=tuple(data.get("symptoms") or ()),
        )
        started = parse_time(entry.started_at)
        parse_time(entry.ended_at)
    except (KeyError, TypeError, ValueError):
        return None
    if not _has_valid_fields(entry):
        return None
    # The start is parsed once: `started` finds it where it would have kept it.
    vars(entry)["started"] = started
    return entry


def parse_time(text: str) -> datetime:
    """An ISO 8601 time as an aware datetime (a time without an offset is taken as UTC).

    Raises:
        ValueError: when `text` is not an ISO 8601 time.
    """
    if not isinstance(text, str):
        raise ValueError(f"not a time: {text!r}")
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def format_time(moment: datetime) -> str:
    """`moment` in the journal's form: UTC, whole seconds, a trailing ``Z``."""
    if moment.tzinfo is not UTC:
        utc = moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        moment = utc
    # "2026-11-02T08:00:00+00:00" cut after its seconds (a year has four digits).
    return moment.isoformat(timespec="seconds")[:19] + "Z"


class Journal(Protocol):
    """Where a user's session entries are kept. Implementations are safe to share between
    threads and raise `skill.core.store.StoreError` when their storage fails."""

    def append(self, user_id: str, entry: SessionEntry) -> None:
        """Add `entry` to the user's journal (kept however many there are), unless it holds
        that session already: the same start, to the second, and routine (a retried or
        replayed request's entry; the first is kept)."""
        ...

    def since(self, user_id: str, start: datetime) -> list[SessionEntry]:
        """The user's entries that started at or after `start`, oldest first. Reads only
        what that period holds (a bounded read for a bounded period)."""
        ...

    def count_since(self, user_id: str, start: datetime) -> int | None:
        """How many sessions the user's journal holds that started at or after `start` (to
        the second), readable or not, when it can tell without reading them (an index
        count); None when it cannot. It tells whether the record's copy of the trend rule's
        window (`skill.core.journal_window`) is in step with the journal."""
        ...

    def forget(self, user_id: str) -> None:
        """Delete every entry of the user's journal, leaving no copy behind in the storage
        (nothing else of theirs is touched). Forgetting an empty journal is not an error."""
        ...
