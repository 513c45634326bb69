"""Transports: how a request envelope reaches the Alexa skill and its answer comes back.

In process (:class:`SkillTransport`: ``skill.alexa.skill.handle_envelope`` -> ``skill.invoke``,
after a round trip through JSON as over the wire), or over HTTP to a running endpoint
(:class:`HttpTransport`, ``urllib``, optionally signed). :func:`in_process_transport` builds the
skill over the built-in routines with a SQLite database of its own.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from skill.devtools.dialogs import DialogError

__all__ = ["HttpTransport", "SkillTransport", "Transport", "TransportError", "in_process_transport"]


class TransportError(DialogError):
    """A request did not get an answer: refused, unreachable, or not JSON."""

    def __init__(self, message: str, error: str | None = None, reason: str | None = None) -> None:
        super().__init__(message)
        self.error: str | None = error
        """What kind of refusal the server said this was (``verification_failed``...), if any."""
        self.reason: str | None = reason
        """Why, as the server said (``stale_timestamp``...), if it did."""


class Transport(Protocol):
    """Delivers one request envelope and returns the response envelope."""

    def send(self, envelope: Mapping[str, Any]) -> dict[str, Any]:
        """Deliver ``envelope``; raise :class:`TransportError` when no answer comes back."""
        ...


class SkillTransport:
    """In process: the envelope goes through ``skill.alexa.skill.handle_envelope`` to
    ``skill.invoke``."""

    def __init__(self, skill: Any, on_close: Callable[[], None] | None = None) -> None:
        self.skill = skill
        """The ask-sdk ``CustomSkill``."""
        self._on_close = on_close

    def send(self, envelope: Mapping[str, Any]) -> dict[str, Any]:
        """Answer ``envelope`` with the skill, as the Flask endpoint would."""
        from skill.alexa.skill import AlexaRequestError, handle_envelope

        # A round trip through JSON, as over the wire: the skill gets no shared objects.
        wire = json.loads(json.dumps(envelope))
        try:
            return handle_envelope(self.skill, wire)
        except AlexaRequestError as error:
            raise TransportError(f"the skill refused the request: {error}") from None

    def close(self) -> None:
        """Release what the skill holds (its database)."""
        if self._on_close is not None:
            self._on_close()
            self._on_close = None


class HttpTransport:
    """Over HTTP: POST the envelope as JSON to a running endpoint such as ``.../alexa``.

    ``sign`` gives extra headers for a body (a verifying server needs Alexa's signature
    headers; tests sign with their own certificate authority).
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 10.0,
        sign: Callable[[bytes], Mapping[str, str]] | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url
        """Where requests are posted."""
        self.timeout = timeout
        """Seconds to wait for each answer."""
        self.sign = sign

    def send(self, envelope: Mapping[str, Any]) -> dict[str, Any]:
        """POST ``envelope`` and return the decoded answer."""
        body = json.dumps(envelope).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.sign is not None:
            headers.update(self.sign(body))
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                raw = reply.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip()
            raise TransportError(
                f"{self.url} answered HTTP {error.code}: {detail}", *_refusal_in(detail)
            ) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise TransportError(f"cannot reach {self.url}: {reason}") from None
        try:
            answer = json.loads(raw)
        except ValueError:
            raise TransportError(f"{self.url} answered with something that is not JSON") from None
        if not isinstance(answer, dict):
            raise TransportError(f"{self.url} answered with JSON that is not an object")
        return answer


def _refusal_in(detail: str) -> tuple[str | None, str | None]:
    """The ``error`` and ``reason`` of a refusal such as
    ``{"error": "verification_failed", "reason": "stale_timestamp"}`` (None for what is missing)."""
    try:
        body = json.loads(detail)
    except ValueError:
        return None, None
    if not isinstance(body, dict):
        return None, None
    error, reason = body.get("error"), body.get("reason")
    return (
        error if isinstance(error, str) else None,
        reason if isinstance(reason, str) else None,
    )


def in_process_transport(db_path: Path, routine_files: Sequence[Path] = ()) -> SkillTransport:
    """The skill in this process over the built-in routines (and ``routine_files``).

    Users' progress goes to a SQLite file at ``db_path``; :meth:`SkillTransport.close` closes it.
    """
    from routines.loader import load_library
    from skill.alexa.persistence import SQLitePersistenceAdapter
    from skill.alexa.skill import build_skill
    from skill.core.store import SQLiteStore

    store = SQLiteStore(db_path)
    skill = build_skill(load_library(routine_files), SQLitePersistenceAdapter(store))
    return SkillTransport(skill, on_close=store.close)
