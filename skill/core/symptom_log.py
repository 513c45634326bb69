"""Every symptom a user reports, kept in their stored record so that nothing is lost.

Pain, a nerve symptom or a red flag stops a technique or the session; the turn
(`skill.core.turn`) notes each report as a `SymptomReport` (category, symptom id, routine, step,
time) and every front-end appends it to the user's record under `SYMPTOMS_KEY`, beside the
session state. A later session, and the pain journal, read them back with `reports_in`.

The record stays plain JSON and bounded: the newest `MAX_REPORTS` are kept. Records written
before this log existed have no such key and read back as an empty log.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Final

from routines import events as ev
from skill.core.commands import RED_FLAG_PREFIX
from skill.core.journal_window import WINDOW_KEY
from skill.core.safety import Category, detector
from skill.core.view import StateView

__all__ = [
    "FORGOTTEN_KEYS",
    "MAX_REPORTS",
    "SYMPTOMS_KEY",
    "SymptomReport",
    "report_of",
    "reports_in",
    "with_report",
    "without_history",
]

SYMPTOMS_KEY: Final = "symptoms"
"""The key of the symptom log in a stored record, beside ``state``."""

MAX_REPORTS: Final = 500
"""The newest reports kept per user (years of sessions for anyone who reports now and then)."""


@dataclass(frozen=True)
class SymptomReport:
    """One symptom a user reported."""

    category: Category
    """``red_flag`` (the session ended with urgent advice), ``nerve`` or ``pain``."""
    symptom: str
    """The symptom id (``PAIN``, ``NUMBNESS``, ``RED_FLAG_BLADDER``...)."""
    routine: str | None
    """The routine under way, if one was."""
    step: str | None
    """The id of the step being done, if one was."""
    at: str
    """When, as an ISO 8601 time in UTC (the request's timestamp on Alexa)."""

    def to_json(self) -> dict[str, Any]:
        """The stored form."""
        return asdict(self)


def _category(symptom: str) -> Category:
    known = detector().category_of(symptom)
    if known is not None:
        return known
    return "red_flag" if symptom.startswith(RED_FLAG_PREFIX) else "pain"


def report_of(events: Sequence[ev.Event], view: StateView, at: str) -> SymptomReport | None:
    """The symptom reported in a turn's events, if any (`view` is the state after the turn)."""
    for event in events:
        if isinstance(event, ev.PainAdvice | ev.RedFlag):
            symptom = event.symptom.upper()
            routine = view.routine.id if view.routine is not None else None
            if isinstance(event, ev.PainAdvice):
                step = event.step.id if event.step is not None else None
            else:
                step = view.item.step.id if view.item is not None else None
            return SymptomReport(_category(symptom), symptom, routine, step, at)
    return None


def with_report(record: Mapping[str, Any], report: SymptomReport) -> dict[str, Any]:
    """A copy of `record` with `report` appended to its log (the newest `MAX_REPORTS` kept)."""
    kept = record.get(SYMPTOMS_KEY)
    log = list(kept) if isinstance(kept, list) else []
    log.append(report.to_json())
    return {**record, SYMPTOMS_KEY: log[-MAX_REPORTS:]}


FORGOTTEN_KEYS: Final = frozenset({SYMPTOMS_KEY, WINDOW_KEY})
"""What deleting the history takes out of a user's record beside the journal's own rows: the
symptom log and the copy of the trend rule's window (`skill.core.journal_window`)."""


def without_history(record: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `record` without the history it holds ("delete my history", `history
    --forget`): progress and preferences stay."""
    return {key: value for key, value in record.items() if key not in FORGOTTEN_KEYS}


def reports_in(record: Mapping[str, Any] | None) -> list[SymptomReport]:
    """The reports in a stored record, oldest first; malformed entries are skipped."""
    kept = (record or {}).get(SYMPTOMS_KEY)
    reports: list[SymptomReport] = []
    for entry in kept if isinstance(kept, list) else []:
        try:
            reports.append(SymptomReport(**entry))
        except TypeError:
            continue
    return reports
