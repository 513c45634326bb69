"""Recorded Alexa request envelopes (``tests/requests/*.json``) and a conversation to replay them.

The files are complete envelopes as Alexa sends them (session, context.System with device and
supported interfaces, request id, timestamp, locale). A :class:`Conversation` plays Alexa's
part around them: it stamps each request with a fresh id and the current time, numbers the
session, and carries the session attributes from each response to the next request, so the
skill cannot tell the replay from a device. How a request travels (in process, over HTTP) is
the ``send`` callable's business.
"""

from __future__ import annotations

import copy
import itertools
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from skill.envelopes import alexa_timestamp

REQUESTS = Path(__file__).resolve().parent / "requests"
"""Where the recorded envelopes live."""

Send = Callable[[dict[str, Any]], dict[str, Any]]
"""Delivers one envelope and returns the response envelope."""


@cache
def _recorded(name: str) -> str:
    return (REQUESTS / f"{name}.json").read_text(encoding="utf-8")


def recorded(name: str) -> dict[str, Any]:
    """A fresh copy of the recorded envelope ``tests/requests/<name>.json``."""
    envelope: dict[str, Any] = json.loads(_recorded(name))
    return envelope


def recorded_names() -> list[str]:
    """The names of every recorded envelope."""
    return sorted(path.stem for path in REQUESTS.glob("*.json"))


_ids = itertools.count(1)


class Conversation:
    """Alexa's side of a conversation with one user on one device."""

    def __init__(
        self,
        send: Send,
        *,
        now: Callable[[], datetime] | None = None,
        screen: bool = False,
        user_id: str | None = None,
    ) -> None:
        self.send_envelope = send
        self.now = now or (lambda: datetime.now(UTC))
        self.screen = screen
        """True: every request comes from the recorded Echo Show (APL), else an Echo Dot."""
        self.user_id = user_id
        """Replaces the recorded user id when set (several users on one server)."""
        self.attributes: dict[str, Any] = {}
        self.session_id = ""
        self.new_session = True
        self.ended = True
        self.responses: list[dict[str, Any]] = []

    def start_session(self) -> None:
        """The next request opens a new session (as after "Alexa, open massage coach")."""
        self.new_session = True

    def envelope(self, name: str) -> dict[str, Any]:
        """The recorded envelope ``name``, stamped as the next request of this conversation."""
        envelope = recorded(name)
        if self.new_session or self.ended:
            self.session_id = f"amzn1.echo-api.session.replay-{next(_ids)}"
            self.attributes = {}
        session = envelope["session"]
        session["sessionId"] = self.session_id
        session["new"] = self.new_session or self.ended
        if session["new"]:
            session.pop("attributes", None)
        else:
            session["attributes"] = copy.deepcopy(self.attributes)
        if self.screen:
            show = recorded("launch-show")["context"]
            envelope["context"] = {**show, "System": {**envelope["context"]["System"]}}
            envelope["context"]["System"]["device"] = show["System"]["device"]
        if self.user_id is not None:
            session["user"]["userId"] = self.user_id
            envelope["context"]["System"]["user"]["userId"] = self.user_id
        request = envelope["request"]
        request["requestId"] = f"amzn1.echo-api.request.replay-{next(_ids)}"
        request["timestamp"] = alexa_timestamp(self.now())
        return envelope

    def say(self, name: str) -> dict[str, Any]:
        """Send the recorded request ``name``; return the response envelope."""
        envelope = self.envelope(name)
        answer = self.send_envelope(envelope)
        self.responses.append(answer)
        self.new_session = False
        if envelope["request"]["type"] == "SessionEndedRequest":
            self.ended = True
            return answer
        self.attributes = answer.get("sessionAttributes") or {}
        self.ended = bool(answer.get("response", {}).get("shouldEndSession"))
        return answer

    @property
    def state(self) -> dict[str, Any]:
        """The engine state in the last session attributes."""
        state: dict[str, Any] = self.attributes.get("state", {})
        return state


def speech(answer: dict[str, Any]) -> str:
    """The SSML a response speaks ("" when none)."""
    return str(answer.get("response", {}).get("outputSpeech", {}).get("ssml", ""))


def reprompt(answer: dict[str, Any]) -> str:
    """The SSML of a response's reprompt ("" when none)."""
    response = answer.get("response", {})
    return str((response.get("reprompt") or {}).get("outputSpeech", {}).get("ssml", ""))


def ends_session(answer: dict[str, Any]) -> bool:
    """True when the response closes the session."""
    return bool(answer.get("response", {}).get("shouldEndSession"))


def catch_all_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Records the skill's catch-all exception handler logged (errors from ``skill.alexa``)."""
    return [
        record
        for record in caplog.records
        if record.name == "skill.alexa" and record.levelno >= logging.ERROR
    ]
