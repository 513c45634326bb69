"""Complete Alexa request envelopes, built the way Alexa builds them, for replays and tests.

A skill sees a request as an envelope: ``version``, ``session`` (``new``, ``sessionId``,
``application``, ``user``, ``attributes``), ``context.System`` (``application``, ``user``,
``device`` with its ``supportedInterfaces``, ``apiEndpoint``, ``apiAccessToken``) and
``request`` (``type``, ``requestId``, an ISO 8601 ``timestamp``, ``locale`` and the intent with
its slots, or a ``reason`` for a ``SessionEndedRequest``). :class:`AlexaSide` plays Alexa's
part in a conversation: it opens sessions, numbers requests, stamps the time from an injected
clock, and carries the session attributes from each response to the next request, so a skill
cannot tell a replay from a device.

Slots given by value (``{"routine": "piriformis release", "duration": "PT45S"}``) become
Alexa-shaped slots through :func:`intent_request`, with entity resolution for custom slot
types, from the interaction model.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from skill.core.alexa_intent import DEFAULT_SKILL_ID, to_alexa_slots
from skill.core.durations import DurationError, spoken_to_iso, words_to_number
from skill.core.intents import SlotType, is_builtin
from skill.core.paths import dig
from skill.core.resolution import Resolution, Slot
from skill.core.timers import TASK_NAME, TASK_VERSION, TIMER_SCOPE
from skill.core.words import normalize

__all__ = [
    "API_ENDPOINT",
    "DEFAULT_SKILL_ID",
    "SCREEN_INTERFACES",
    "SESSION_END_REASONS",
    "TIMERS_GRANTED",
    "VOICE_INTERFACES",
    "AlexaSide",
    "Caller",
    "EnvelopeError",
    "alexa_timestamp",
    "intent_request",
    "intent_resolution",
    "launch_request",
    "permission_response",
    "session_ended_request",
    "timer_launch_request",
]

API_ENDPOINT: Final = "https://api.amazonalexa.com"
"""The ``context.System.apiEndpoint`` of North American devices."""

VOICE_INTERFACES: Final[Mapping[str, Any]] = {"AudioPlayer": {}}
"""The supported interfaces of a speaker without a screen (an Echo Dot)."""

SCREEN_INTERFACES: Final[Mapping[str, Any]] = {
    "AudioPlayer": {},
    "Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}},
}
"""The supported interfaces of a device with a screen that renders APL (an Echo Show)."""

_VIEWPORT: Final[Mapping[str, Any]] = {
    "experiences": [
        {"arcMinuteWidth": 246, "arcMinuteHeight": 144, "canRotate": False, "canResize": False}
    ],
    "mode": "HUB",
    "shape": "RECTANGLE",
    "pixelWidth": 1024,
    "pixelHeight": 600,
    "dpi": 160,
    "currentPixelWidth": 1024,
    "currentPixelHeight": 600,
    "touch": ["SINGLE"],
}

SESSION_END_REASONS: Final = ("USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS")
"""The reasons Alexa gives in a ``SessionEndedRequest``."""

_ISO_DURATION: Final = re.compile(r"P(?:\d+[YMWD]|[?]+[YMWD])*(?:T(?:(?:\d+|[?])+[HMS])+)?")
_DIGITS: Final = re.compile(r"-?\d+")


class EnvelopeError(ValueError):
    """A request that cannot be built: an intent or slot the model does not declare."""


def alexa_timestamp(moment: datetime) -> str:
    """A timestamp in Alexa's format, such as ``2024-05-01T12:00:00Z`` (UTC, whole seconds)."""
    if moment.tzinfo is None:
        raise ValueError("the clock must give timezone-aware datetimes")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _random_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Caller:
    """Who is talking to the skill: the skill's id, the user, the device and the locale."""

    user_id: str
    """The Alexa user id (``amzn1.ask.account.…``): persistent attributes are keyed by it."""
    device_id: str = "amzn1.ask.device.REPLAY"
    """The device id (``amzn1.ask.device.…``)."""
    skill_id: str = DEFAULT_SKILL_ID
    """The application id the request is for."""
    locale: str = "en-US"
    """The request locale."""
    interfaces: Mapping[str, Any] = field(default_factory=lambda: dict(VOICE_INTERFACES))
    """``device.supportedInterfaces``: :data:`VOICE_INTERFACES` or :data:`SCREEN_INTERFACES`."""
    api_endpoint: str = API_ENDPOINT
    """``context.System.apiEndpoint``."""
    permissions: Mapping[str, Any] | None = None
    """``context.System.user.permissions`` (:data:`TIMERS_GRANTED`), or None: none granted."""

    @property
    def has_screen(self) -> bool:
        """Whether the device renders APL (its requests then carry a viewport)."""
        return "Alexa.Presentation.APL" in self.interfaces


TIMERS_GRANTED: Final[Mapping[str, Any]] = {
    "consentToken": "replay.consent",
    "scopes": {TIMER_SCOPE: {"status": "GRANTED"}},
}
"""``context.System.user.permissions`` of a user who let the skill set timers."""


def permission_response(status: str) -> dict[str, Any]:
    """The inner ``Connections.Response`` to the timer permission question: ``ACCEPTED``,
    ``DENIED`` or ``NOT_ANSWERED``."""
    return {
        "type": "Connections.Response",
        "name": "AskFor",
        "status": {"code": "200", "message": "OK"},
        "payload": {"permissionScope": TIMER_SCOPE, "status": status},
        "token": "timer",
    }


def timer_launch_request(skill_id: str, position: int) -> dict[str, Any]:
    """The inner ``LaunchRequest`` with which a rung timer brings the user back (its task)."""
    task = {
        "name": f"{skill_id}.{TASK_NAME}",
        "version": TASK_VERSION,
        "input": {"position": position},
    }
    return {**launch_request(), "task": task}


def launch_request() -> dict[str, Any]:
    """The inner ``request`` of "Alexa, open massage coach" (ids and time are stamped later)."""
    return {"type": "LaunchRequest", "shouldLinkResultBeReturned": False}


def session_ended_request(
    reason: str = "USER_INITIATED", error_message: str | None = None
) -> dict[str, Any]:
    """The inner ``request`` Alexa sends when a session closes without the skill ending it.

    Raises:
        EnvelopeError: for a reason Alexa never gives.
    """
    if reason not in SESSION_END_REASONS:
        raise EnvelopeError(
            f"session end reason {reason!r} is not one of {', '.join(SESSION_END_REASONS)}"
        )
    request: dict[str, Any] = {"type": "SessionEndedRequest", "reason": reason}
    if reason == "ERROR":
        request["error"] = {
            "type": "INTERNAL_SERVICE_ERROR",
            "message": error_message or "an error reported by the replay",
        }
    return request


def intent_resolution(
    intent: str, slots: Mapping[str, object] | None, model: Mapping[str, Any]
) -> Resolution:
    """``intent`` with slot values as Alexa would fill them: words resolved to a custom value's id.

    ``model`` is the locale's interaction model (the ASK JSON document). Durations may be ISO
    8601 (``PT45S``) or spoken ("forty five seconds"); numbers digits or words.

    Raises:
        EnvelopeError: the model has no such intent, or the intent no such slot.
    """
    language = _language_model(model)
    declared = _declared_slots(language, intent)
    slots = slots or {}
    unknown = sorted(set(slots) - {name for name, _ in declared})
    if unknown:
        known = ", ".join(name for name, _ in declared) or "none"
        raise EnvelopeError(
            f"intent {intent} has no slot {', '.join(map(repr, unknown))} (its slots: {known})"
        )
    filled: dict[str, Slot] = {}
    for name, slot_type in declared:
        if name in slots and slots[name] is not None:
            filled[name] = _slot(name, slot_type, str(slots[name]), language)
    return Resolution(intent, filled, "", declared)


def intent_request(
    intent: str,
    slots: Mapping[str, object] | None,
    model: Mapping[str, Any],
    *,
    skill_id: str = DEFAULT_SKILL_ID,
) -> dict[str, Any]:
    """The inner ``request`` of an IntentRequest for ``intent`` with slot values, as Alexa sends it.

    Every slot the intent declares is present; a filled custom slot carries entity resolution
    (ER_SUCCESS_MATCH with the value's id and canonical name when the words are a value or
    synonym, else ER_SUCCESS_NO_MATCH). See :func:`intent_resolution` for the slot values.

    Raises:
        EnvelopeError: the model has no such intent, or the intent no such slot.
    """
    resolution = intent_resolution(intent, slots, model)
    alexa_intent: dict[str, Any] = {"name": intent, "confirmationStatus": "NONE"}
    if resolution.declared_slots:
        alexa_intent["slots"] = to_alexa_slots(resolution, skill_id=skill_id)
    return {"type": "IntentRequest", "intent": alexa_intent}


def _language_model(model: Mapping[str, Any]) -> Mapping[str, Any]:
    language = model.get("interactionModel", {}).get("languageModel", model)
    if not isinstance(language, Mapping) or not isinstance(language.get("intents"), list):
        raise EnvelopeError("not an interaction model: no languageModel with a list of intents")
    return language


def _declared_slots(language: Mapping[str, Any], intent: str) -> tuple[tuple[str, str], ...]:
    for entry in language["intents"]:
        if entry.get("name") == intent:
            return tuple((slot["name"], slot["type"]) for slot in entry.get("slots", []) or [])
    raise EnvelopeError(f"the interaction model has no intent {intent!r}")


def _slot(name: str, slot_type: str, value: str, language: Mapping[str, Any]) -> Slot:
    """One filled slot as the resolver would give it for these words."""
    spoken = " ".join(normalize(value))
    if slot_type == SlotType.DURATION:
        return Slot(name, _duration(value), spoken, slot_type)
    if slot_type == SlotType.NUMBER:
        return Slot(name, _number(value), spoken, slot_type)
    if is_builtin(slot_type):
        return Slot(name, value, spoken, slot_type)
    for entry in language.get("types", []) or []:
        if entry.get("name") != slot_type:
            continue
        for option in entry.get("values", []):
            canonical = option["name"]["value"]
            value_id = option.get("id") or canonical
            if value.strip() == value_id:
                # A test may name a value by its id; Alexa would have heard its name.
                return Slot(
                    name, canonical, " ".join(normalize(canonical)), slot_type, value_id, canonical
                )
            names = (canonical, *option["name"].get("synonyms", []))
            if any(" ".join(normalize(words)) == spoken for words in names):
                return Slot(name, value, spoken, slot_type, value_id, canonical)
        return Slot(name, value, spoken, slot_type)
    raise EnvelopeError(f"slot {name!r} has the type {slot_type}, which the model does not define")


def _duration(value: str) -> str:
    text = value.strip()
    if _ISO_DURATION.fullmatch(text) and text != "P":
        return text
    try:
        return spoken_to_iso(text)
    except DurationError:
        # Alexa passes on what it cannot read as a duration; so does the replay.
        return text


def _number(value: str) -> str:
    text = value.strip()
    if _DIGITS.fullmatch(text):
        return text
    try:
        return str(words_to_number(text))
    except ValueError:
        return "?"


class AlexaSide:
    """Alexa's side of a conversation with one user on one device.

    :meth:`envelope` wraps an inner request into a complete envelope for the current session
    (opening one when none is open); :meth:`receive` takes the skill's answer: the session
    attributes carry to the next request, and the session closes when the response ends it or
    after a ``SessionEndedRequest``. ``clock`` and ``ids`` make runs reproducible in tests.
    """

    def __init__(
        self,
        caller: Caller,
        *,
        clock: Callable[[], datetime] = _utc_now,
        ids: Callable[[], str] = _random_id,
    ) -> None:
        self.caller: Caller = caller
        """Who is talking and on which device."""
        self.clock = clock
        self.ids = ids
        self.session_id: str = ""
        """The id of the current session ("" before the first request)."""
        self.attributes: dict[str, Any] = {}
        """The session attributes the next request carries."""
        self.is_open: bool = False
        """Whether a session is open (the next request continues it)."""
        self._new = True

    def new_session(self) -> None:
        """Close the current session: the next request opens a new one with no attributes."""
        self.is_open = False

    def envelope(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """A complete envelope around the inner ``request``, in the current or a new session.

        The request gets a fresh ``requestId``, the clock's ``timestamp`` and the caller's
        ``locale`` unless it already names one.
        """
        if not self.is_open:
            self.session_id = f"amzn1.echo-api.session.{self.ids()}"
            self.attributes = {}
            self._new = True
            self.is_open = True
        caller = self.caller
        application = {"applicationId": caller.skill_id}
        user = {"userId": caller.user_id}
        session: dict[str, Any] = {
            "new": self._new,
            "sessionId": self.session_id,
            "application": dict(application),
            "user": dict(user),
        }
        if not self._new:
            session["attributes"] = copy.deepcopy(self.attributes)
        system_user: dict[str, Any] = dict(user)
        if caller.permissions is not None:
            system_user["permissions"] = copy.deepcopy(dict(caller.permissions))
        context: dict[str, Any] = {
            "System": {
                "application": dict(application),
                "user": system_user,
                "device": {
                    "deviceId": caller.device_id,
                    "supportedInterfaces": copy.deepcopy(dict(caller.interfaces)),
                },
                "apiEndpoint": caller.api_endpoint,
                "apiAccessToken": f"replay.{self.ids()}",
            }
        }
        if caller.has_screen:
            context["Viewport"] = copy.deepcopy(dict(_VIEWPORT))
        inner = copy.deepcopy(dict(request))
        inner.setdefault("locale", caller.locale)
        # A recorded request's own id and time give way to this turn's.
        inner.pop("requestId", None)
        inner.pop("timestamp", None)
        stamped = {
            "type": inner.pop("type"),
            "requestId": f"amzn1.echo-api.request.{self.ids()}",
            "timestamp": alexa_timestamp(self.clock()),
            "locale": inner.pop("locale"),
            **inner,
        }
        return {"version": "1.0", "session": session, "context": context, "request": stamped}

    def restamp(
        self, recorded: Mapping[str, Any], *, caller_device: bool = False
    ) -> dict[str, Any]:
        """A recorded envelope made part of this conversation.

        Its request (type, intent, slots, locale) and device stay as recorded; the session,
        the user, the application, the request id and the timestamp become this
        conversation's, as if the user had said it now. With ``caller_device`` the whole
        ``context`` (device, interfaces, viewport) is the caller's instead, as if the same
        words had been said to the caller's device.
        """
        envelope = copy.deepcopy(dict(recorded))
        request = envelope.get("request")
        if not isinstance(request, dict) or not isinstance(request.get("type"), str):
            raise EnvelopeError("the recorded envelope has no request with a type")
        fresh = self.envelope(request)
        if "session" in envelope:
            envelope["session"] = fresh["session"]
        if caller_device:
            envelope["context"] = fresh["context"]
        system = envelope.setdefault("context", {}).setdefault("System", {})
        system["application"] = fresh["context"]["System"]["application"]
        system["user"] = fresh["context"]["System"]["user"]
        system.setdefault("device", fresh["context"]["System"]["device"])
        system.setdefault("apiEndpoint", self.caller.api_endpoint)
        envelope["version"] = envelope.get("version", "1.0")
        envelope["request"] = fresh["request"]
        return envelope

    def receive(self, envelope: Mapping[str, Any], answer: Mapping[str, Any]) -> None:
        """Take the skill's answer to ``envelope``, as Alexa does before the next turn."""
        self._new = False
        if envelope.get("request", {}).get("type") == "SessionEndedRequest":
            self.is_open = False
            return
        attributes = answer.get("sessionAttributes")
        self.attributes = copy.deepcopy(dict(attributes)) if isinstance(attributes, Mapping) else {}
        ends = dig(answer, "response", "shouldEndSession")
        # Without an explicit answer a speaker closes the session; a screen keeps it open.
        if ends is True or (ends is None and not self.caller.has_screen):
            self.is_open = False
