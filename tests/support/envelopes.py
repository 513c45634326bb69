"""Recorded Alexa request envelopes (``tests/requests/*.json``) and a conversation to replay them.

The files are complete envelopes as Alexa sends them (session, context.System with device and
supported interfaces, request id, timestamp, locale). A :class:`Conversation` replays them by
name through :class:`skill.devtools.envelopes.AlexaSide`, which stamps each request with a fresh id
and
the current time, gives each session an id, and carries the session attributes from each response to
the next request, so the skill cannot tell the replay from a device. How a request travels (in
process, over HTTP) is the ``send`` callable's business.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import interaction_model
from skill.alexa.skill import STATE_ATTRIBUTE
from skill.core.store import SQLiteStore
from skill.devtools.envelopes import AlexaSide, Caller, intent_request

REQUESTS = Path(__file__).resolve().parents[1] / "requests"
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


RECORDED_USER: str = recorded("launch")["context"]["System"]["user"]["userId"]
"""The user id every recorded envelope carries (a `Conversation` speaks as this user by default)."""


def stored_state(store: SQLiteStore, user_id: str = RECORDED_USER) -> dict[str, Any]:
    """The session state `store` keeps for `user_id` (the recorded envelopes' user)."""
    record = store.load(user_id)
    assert record is not None, f"nothing stored for {user_id!r}"
    state: dict[str, Any] = record[STATE_ATTRIBUTE]
    return state


def recorded_names() -> list[str]:
    """The names of every recorded envelope."""
    return sorted(path.stem for path in REQUESTS.glob("*.json"))


class Conversation:
    """Alexa's side of a conversation with one user on one device, in recorded requests."""

    def __init__(self, send: Send, *, screen: bool = False, user_id: str | None = None) -> None:
        self.send_envelope = send
        self.screen = screen
        """True: every request comes from the recorded Echo Show (APL), else as recorded."""
        system = recorded("launch-show" if screen else "launch")["context"]["System"]
        caller = Caller(
            # Another user id lets several users share one server.
            user_id=user_id or system["user"]["userId"],
            device_id=system["device"]["deviceId"],
            skill_id=system["application"]["applicationId"],
            interfaces=system["device"]["supportedInterfaces"],
        )
        self.alexa = AlexaSide(caller)
        """Alexa's bookkeeping: the session, its attributes, ids and timestamps."""

    @property
    def attributes(self) -> dict[str, Any]:
        """The session attributes the next request carries (the last answer's)."""
        return self.alexa.attributes

    @property
    def state(self) -> dict[str, Any]:
        """The engine state in the last session attributes."""
        state: dict[str, Any] = self.attributes.get("state", {})
        return state

    def start_session(self) -> None:
        """The next request opens a new session (as after "Alexa, open massage coach")."""
        self.alexa.new_session()

    def envelope(self, name: str) -> dict[str, Any]:
        """The recorded envelope ``name``, stamped as the next request of this conversation."""
        return self.alexa.restamp(recorded(name), caller_device=self.screen)

    def send(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """Send an envelope made by :meth:`envelope` (perhaps changed); return the answer."""
        answer = self.send_envelope(envelope)
        self.alexa.receive(envelope, answer)
        return answer

    def say(self, name: str) -> dict[str, Any]:
        """Send the recorded request ``name``; return the response envelope."""
        return self.send(self.envelope(name))

    def ask(self, intent: str, **slots: object) -> dict[str, Any]:
        """Send an intent that no recording holds, built as Alexa builds it from the en-US
        model, in this conversation's session; return the answer."""
        request = intent_request(intent, slots or None, _model())
        return self.send(self.alexa.envelope(request))


@cache
def _model() -> Any:
    return interaction_model.load("en-US")


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
    """Records the skill's catch-all exception handler logged (errors from
    ``skill.alexa.skill``)."""
    return [
        record
        for record in caplog.records
        if record.name == "skill.alexa.skill" and record.levelno >= logging.ERROR
    ]
