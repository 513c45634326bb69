"""Recorded Alexa traffic: writing request/response pairs, and reading them back for replay.

Two sources turn real conversations into regression tests:

- ``massage-coach serve --record DIR`` calls :func:`record_exchange` after each answered
  request; it writes ``<stamp>.request.json`` and ``<stamp>.response.json`` into ``DIR``.
  The stamp (UTC time to the microsecond, a per-process counter and the process id) sorts the
  pairs in the order they happened, even with several server processes.
- ``ask dialog --save-skill-io FILE`` (the ASK CLI) writes ``{"invocations": [...]}``: each
  entry holds the utterance typed and the simulation result, whose
  ``result.skillExecutionInfo.invocations`` carry the envelope Alexa sent the skill
  (``invocationRequest.body``) and the skill's answer (``invocationResponse.body``). The CLI
  adds one entry per poll of the simulation, so entries whose ``status`` is not
  ``SUCCESSFUL`` hold no exchange and are skipped.

:func:`load_recording` reads either (a folder of pairs, one pair's file, or a skill-io file)
into :class:`RecordedConversation` objects: the exchanges grouped by session, in order.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from routines.errors import Problem
from skill.core.paths import dig

__all__ = [
    "REQUEST_SUFFIX",
    "RESPONSE_SUFFIX",
    "RecordedConversation",
    "RecordedExchange",
    "RecordingError",
    "group_by_session",
    "is_recording",
    "load_recording",
    "load_recordings",
    "load_skill_io",
    "read_pairs",
    "record_exchange",
]

logger = logging.getLogger(__name__)

REQUEST_SUFFIX: Final = ".request.json"
"""The file name ending of a recorded request envelope."""

RESPONSE_SUFFIX: Final = ".response.json"
"""The file name ending of the response recorded with it."""

_sequence = itertools.count(1)
_sequence_lock = threading.Lock()


class RecordingError(ValueError):
    """Recorded traffic that cannot be read; every problem found is listed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems: list[Problem] = problems
        """Each problem, with the file it is in."""
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class RecordedExchange:
    """One request the skill was sent and the answer it gave."""

    source: str
    """Where it was recorded: a request file, or ``FILE#N`` for the Nth exchange in a file."""
    request: Mapping[str, Any]
    """The request envelope as sent."""
    response: Mapping[str, Any]
    """The response envelope as answered."""

    @property
    def session_id(self) -> str:
        """The request's session id ("" for a request outside a session)."""
        value = dig(self.request, "session", "sessionId")
        return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class RecordedConversation:
    """The exchanges of one session, in order: one replay test."""

    source: str
    """The file or folder it came from."""
    name: str
    """A name for reports: the session's position and first request."""
    exchanges: tuple[RecordedExchange, ...]
    """The exchanges, in the order they happened."""


def _stamp(now: datetime) -> str:
    with _sequence_lock:
        number = next(_sequence)
    return f"{now.astimezone(UTC):%Y%m%dT%H%M%S%fZ}-{number:06d}-{os.getpid()}"


def _write_json(path: Path, document: Mapping[str, Any]) -> None:
    """Write atomically: a reader never sees half a file."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, path)


def record_exchange(
    record_dir: Path,
    request: Mapping[str, Any],
    response: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> tuple[Path, Path] | None:
    """Write one answered request as a pair of JSON files in ``record_dir``; return their paths.

    The request file is written first and the response last, so a pair whose response exists
    is complete. Recording never breaks serving: a failure to write is logged as a warning and
    None returned.
    """
    base = _stamp(now or datetime.now(UTC))
    request_path = record_dir / f"{base}{REQUEST_SUFFIX}"
    response_path = record_dir / f"{base}{RESPONSE_SUFFIX}"
    try:
        record_dir.mkdir(parents=True, exist_ok=True)
        _write_json(request_path, request)
        _write_json(response_path, response)
    except (OSError, TypeError, ValueError) as error:
        logger.warning("could not record the exchange in %s: %s", record_dir, error)
        return None
    return request_path, response_path


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise RecordingError([Problem(str(path), 0, "", f"cannot read: {reason}")]) from None
    except ValueError as error:
        line = getattr(error, "lineno", 1)
        raise RecordingError([Problem(str(path), line, "", f"not valid JSON: {error}")]) from None


def _envelope(document: Any, path: Path, field: str) -> Mapping[str, Any]:
    if not isinstance(document, Mapping):
        raise RecordingError([Problem(str(path), 1, field, "is not a JSON object")])
    return document


def _pair_files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob(f"*{REQUEST_SUFFIX}")))
        else:
            found.append(path)
    return found


def read_pairs(paths: Iterable[Path]) -> list[RecordedExchange]:
    """The exchanges recorded by ``serve --record``: folders of pairs or request files.

    Raises:
        RecordingError: a file cannot be read, or a request has no response beside it.
    """
    exchanges: list[RecordedExchange] = []
    problems: list[Problem] = []
    for request_path in _pair_files(paths):
        name = request_path.name
        if not name.endswith(REQUEST_SUFFIX):
            problems.append(Problem(str(request_path), 0, "", f"not a *{REQUEST_SUFFIX} file"))
            continue
        response_path = request_path.with_name(name.removesuffix(REQUEST_SUFFIX) + RESPONSE_SUFFIX)
        if not response_path.exists():
            problems.append(
                Problem(str(request_path), 0, "", f"no response recorded ({response_path.name})")
            )
            continue
        try:
            request = _envelope(_read_json(request_path), request_path, "request")
            response = _envelope(_read_json(response_path), response_path, "response")
        except RecordingError as error:
            problems.extend(error.problems)
            continue
        exchanges.append(RecordedExchange(str(request_path), request, response))
    if problems:
        raise RecordingError(problems)
    return exchanges


def load_skill_io(path: Path) -> list[RecordedExchange]:
    """The exchanges in a file written by ``ask dialog --save-skill-io``.

    Raises:
        RecordingError: the file cannot be read or is not in that format.
    """
    document = _read_json(path)
    entries = dig(document, "invocations")
    if not isinstance(entries, list):
        raise RecordingError([Problem(str(path), 1, "invocations", "expected a list")])
    exchanges: list[RecordedExchange] = []
    problems: list[Problem] = []
    for index, entry in enumerate(entries):
        body = dig(entry, "response", "body")
        if dig(body, "status") != "SUCCESSFUL":
            # The CLI saves every poll of a simulation: the ones in progress (and a failed
            # simulation) carry no exchange with the skill.
            continue
        calls = dig(body, "result", "skillExecutionInfo", "invocations") or []
        if not isinstance(calls, list):
            problems.append(Problem(str(path), 1, f"invocations.{index}", "no skill invocations"))
            continue
        for number, call in enumerate(calls):
            request = dig(call, "invocationRequest", "body")
            response = dig(call, "invocationResponse", "body")
            where = f"invocations.{index}.response.body.result.skillExecutionInfo"
            if not isinstance(request, Mapping) or not isinstance(response, Mapping):
                problems.append(
                    Problem(str(path), 1, f"{where}.invocations.{number}", "no request or response")
                )
                continue
            exchanges.append(RecordedExchange(f"{path}#{index}", request, response))
    if problems:
        raise RecordingError(problems)
    return exchanges


def is_recording(path: Path) -> bool:
    """Whether ``path`` is recorded traffic: a pair's file, a folder of pairs, a skill-io file."""
    if path.is_dir():
        return any(path.glob(f"*{REQUEST_SUFFIX}"))
    return path.suffix == ".json"


def group_by_session(
    source: str, exchanges: Iterable[RecordedExchange]
) -> list[RecordedConversation]:
    """The exchanges grouped by session id, each group in the order it happened."""
    sessions: dict[str, list[RecordedExchange]] = {}
    for exchange in exchanges:
        sessions.setdefault(exchange.session_id, []).append(exchange)
    conversations: list[RecordedConversation] = []
    for number, group in enumerate(sessions.values(), start=1):
        first = _describe(group[0].request)
        name = f"session {number} ({len(group)} requests, from {first})"
        conversations.append(RecordedConversation(source, name, tuple(group)))
    return conversations


def _describe(request: Mapping[str, Any]) -> str:
    kind = dig(request, "request", "type")
    intent = dig(request, "request", "intent", "name")
    return str(intent or kind or "an unknown request")


def load_recording(path: Path) -> list[RecordedConversation]:
    """The conversations recorded in ``path``: a folder of pairs, a pair, or a skill-io file.

    Raises:
        RecordingError: the recording cannot be read.
    """
    if path.is_dir() or path.name.endswith(REQUEST_SUFFIX):
        return group_by_session(str(path), read_pairs([path]))
    if path.name.endswith(RESPONSE_SUFFIX):
        request = path.with_name(path.name.removesuffix(RESPONSE_SUFFIX) + REQUEST_SUFFIX)
        return group_by_session(str(path), read_pairs([request]))
    return group_by_session(str(path), load_skill_io(path))


def load_recordings(paths: Iterable[Path]) -> list[RecordedConversation]:
    """The conversations of several recordings; every problem in every one is reported.

    Raises:
        RecordingError: with the problems of all of them.
    """
    conversations: list[RecordedConversation] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            conversations.extend(load_recording(path))
        except RecordingError as error:
            problems.extend(error.problems)
    if problems:
        raise RecordingError(problems)
    return conversations
