"""Recorded traffic sent again: each recorded request to the skill, each answer compared.

The recordings are request/response pairs (``massage-coach serve --record``, or ``ask dialog
--save-skill-io`` files, :mod:`skill.alexa.recording`). Each request goes as recorded (with
its session attributes), with a fresh request id and timestamp and the run's tag on its user
id (:func:`restamp`); the answer is compared with the recorded one on speech, reprompt,
``shouldEndSession`` and session state, ids and timestamps aside, and the state's times on
whether they are set (:func:`compare_answers`).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final

from routines.session import TIME_FIELDS
from skill.alexa.recording import RecordedConversation
from skill.alexa.skill import STATE_ATTRIBUTE
from skill.devtools.answers import answer_from_envelope, reprompt_text, response_of, speech_text
from skill.devtools.catch_all import CatchAllWatch, crash_message
from skill.devtools.envelopes import alexa_timestamp
from skill.devtools.report import TestOutcome
from skill.devtools.transports import Transport, TransportError

__all__ = ["compare_answers", "replay_conversation", "restamp"]

_VOLATILE_KEYS: Final = frozenset(
    {"requestId", "sessionId", "timestamp", "apiAccessToken", "userId", "deviceId"}
)


def _comparable(value: Any) -> Any:
    """A copy without ids and timestamps, which differ from run to run."""
    if isinstance(value, Mapping):
        return {k: _comparable(v) for k, v in value.items() if k not in _VOLATILE_KEYS}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    return value


def _timeless(attributes: Mapping[str, Any]) -> Mapping[str, Any]:
    """The attributes with each time in the state (`TIME_FIELDS`) put as "a time": a replay
    stamps its requests with its own clock, so only whether a time is set can be compared."""
    state = attributes.get(STATE_ATTRIBUTE)
    if not isinstance(state, Mapping):
        return attributes
    times = {k: "a time" for k in TIME_FIELDS if state.get(k) is not None}
    return {**attributes, STATE_ATTRIBUTE: {**state, **times}}


def _differences(recorded: Any, now: Any, path: str = "") -> list[str]:
    if isinstance(recorded, Mapping) and isinstance(now, Mapping):
        found: list[str] = []
        for key in sorted(set(recorded) | set(now), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in now:
                found.append(f"{where} is gone (was {json.dumps(recorded[key])})")
            elif key not in recorded:
                found.append(f"{where} is new ({json.dumps(now[key])})")
            else:
                found += _differences(recorded[key], now[key], where)
        return found
    if recorded != now:
        return [f"{path or 'the attributes'} is {json.dumps(now)}, was {json.dumps(recorded)}"]
    return []


def compare_answers(recorded: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """How ``now`` differs from the ``recorded`` answer in speech, reprompt and session state."""
    problems: list[str] = []
    for what, read in (("speech", speech_text), ("reprompt", reprompt_text)):
        before, after = read(recorded), read(now)
        if before != after:
            problems.append(f"{what} differs:\n      was: {before}\n      now: {after}")
    ended_before = response_of(recorded).get("shouldEndSession")
    ended_now = response_of(now).get("shouldEndSession")
    if ended_before != ended_now:
        problems.append(
            f"shouldEndSession is {json.dumps(ended_now)}, was {json.dumps(ended_before)}"
        )
    before_attributes = _timeless(_comparable(recorded.get("sessionAttributes") or {}))
    now_attributes = _timeless(_comparable(now.get("sessionAttributes") or {}))
    for difference in _differences(before_attributes, now_attributes):
        problems.append(f"session state differs: {difference}")
    return problems


def restamp(
    recorded: Mapping[str, Any], *, request_id: str, now: datetime, run_tag: str
) -> dict[str, Any]:
    """A copy of a recorded request with a new id and timestamp, and ``run_tag`` on its users."""
    envelope = copy.deepcopy(dict(recorded))
    request = envelope.get("request")
    if isinstance(request, dict):
        request["requestId"] = f"amzn1.echo-api.request.{request_id}"
        request["timestamp"] = alexa_timestamp(now)
    if run_tag:
        for holder in (
            envelope.get("session", {}).get("user"),
            envelope.get("context", {}).get("System", {}).get("user"),
        ):
            if isinstance(holder, dict) and isinstance(holder.get("userId"), str):
                holder["userId"] = f"{holder['userId']}.{run_tag}"
    return envelope


def replay_conversation(
    conversation: RecordedConversation,
    transport: Transport,
    watch: CatchAllWatch,
    restamped: Callable[[Mapping[str, Any]], dict[str, Any]],
) -> TestOutcome:
    """Send a recorded conversation's requests again; compare each answer with the recorded.

    ``restamped`` makes each recorded request fit to send again (see :func:`restamp`).
    """
    outcome = TestOutcome(conversation.source, conversation.name, conversation.source)
    with watch.watching():
        watch.take()
        for number, exchange in enumerate(conversation.exchanges, start=1):
            envelope = restamped(exchange.request)
            kind = envelope.get("request", {}).get("type", "?")
            intent = envelope.get("request", {}).get("intent", {}).get("name")
            label = f"request {number} ({intent or kind})"
            locale = str(envelope.get("request", {}).get("locale") or "en-US")
            try:
                reply = transport.send(envelope)
            except TransportError as error:
                outcome.fail(exchange.source, label, str(error))
                break
            answer = answer_from_envelope(reply)
            outcome.answers.append(answer)
            crash = crash_message(watch, answer, locale)
            if crash is not None:
                outcome.fail(exchange.source, label, crash, answer)
                break
            for message in compare_answers(exchange.response, reply):
                outcome.fail(exchange.source, label, message, answer)
    return outcome
