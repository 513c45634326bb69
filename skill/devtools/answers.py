"""What a front-end answered to one step, and how to read it out of an Alexa response envelope.

An :class:`Answer` is what a dialog test's expectations are checked against, whichever
front-end gave it: the Alexa skill (:func:`answer_from_envelope`: SSML tags dropped, the card,
the directives, ``shouldEndSession``, the session attributes) or the local coach (its prompt's
words, its hint, whether the conversation ended, and the same session attributes).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = [
    "MISSING",
    "Answer",
    "answer_from_envelope",
    "attribute_at",
    "card_text",
    "directive_types",
    "reprompt_text",
    "response_of",
    "speech_text",
    "strip_ssml",
]

_TAG: Final = re.compile(r"<[^>]*>")
_SPACE: Final = re.compile(r"\s+")

MISSING: Final = object()
"""What :func:`attribute_at` gives for a path that is not there (a value may be null)."""


@dataclass(frozen=True)
class Answer:
    """One answer, as a dialog test sees it."""

    speech: str | None
    """What was said, as plain text; None when nothing was."""
    reprompt: str | None
    """What is said (Alexa) or shown (local) if the user stays silent; None when nothing."""
    ends: bool | None
    """Whether the conversation ends here (None: Alexa's ``shouldEndSession`` was absent)."""
    attributes: Mapping[str, Any] = field(default_factory=dict)
    """The session attributes: ``state`` and the derived ``hold_seconds``."""
    card: str | None = None
    """The card's title and text on two lines; None without a card."""
    directives: tuple[str, ...] = ()
    """The directive types, in order."""
    ends_label: str = "shouldEndSession"
    """How :meth:`describe` names ``ends``."""

    def describe(self) -> list[str]:
        """The answer's speech, reprompt and end, indented, for a failure report."""
        return [
            f"    speech:   {self.speech or '(none)'}",
            f"    reprompt: {self.reprompt or '(none)'}",
            f"    {self.ends_label}: {json.dumps(self.ends)}",
        ]


def strip_ssml(ssml: str) -> str:
    """The words of an SSML document: tags dropped, entities decoded, spaces collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", ssml))).strip()


def _output_speech_text(speech: Any) -> str | None:
    if not isinstance(speech, Mapping):
        return None
    if isinstance(speech.get("ssml"), str):
        return strip_ssml(speech["ssml"])
    if isinstance(speech.get("text"), str):
        return _SPACE.sub(" ", speech["text"]).strip()
    return None


def response_of(envelope: Mapping[str, Any]) -> Mapping[str, Any]:
    """The ``response`` of a response envelope ({} when there is none)."""
    response = envelope.get("response")
    return response if isinstance(response, Mapping) else {}


def speech_text(envelope: Mapping[str, Any]) -> str | None:
    """What the answer says, as plain text; None when it says nothing."""
    return _output_speech_text(response_of(envelope).get("outputSpeech"))


def reprompt_text(envelope: Mapping[str, Any]) -> str | None:
    """The answer's reprompt, as plain text; None when there is none."""
    reprompt = response_of(envelope).get("reprompt")
    if not isinstance(reprompt, Mapping):
        return None
    return _output_speech_text(reprompt.get("outputSpeech"))


def card_text(envelope: Mapping[str, Any]) -> str | None:
    """The card's title and text on two lines; None when the answer has no card."""
    card = response_of(envelope).get("card")
    if not isinstance(card, Mapping):
        return None
    body = card.get("content", card.get("text", ""))
    return f"{card.get('title', '')}\n{body or ''}".strip()


def directive_types(envelope: Mapping[str, Any]) -> list[str]:
    """The types of the answer's directives, in order."""
    directives = response_of(envelope).get("directives") or []
    return [str(d.get("type")) for d in directives if isinstance(d, Mapping)]


def answer_from_envelope(envelope: Mapping[str, Any]) -> Answer:
    """The :class:`Answer` in an Alexa response envelope."""
    ends = response_of(envelope).get("shouldEndSession")
    attributes = envelope.get("sessionAttributes")
    return Answer(
        speech=speech_text(envelope),
        reprompt=reprompt_text(envelope),
        ends=ends if isinstance(ends, bool) else None,
        attributes=attributes if isinstance(attributes, Mapping) else {},
        card=card_text(envelope),
        directives=tuple(directive_types(envelope)),
    )


def attribute_at(attributes: Any, path: str) -> Any:
    """The value at a dotted path (``state.holds.knee-hug``, ``list.0``); :data:`MISSING` if absent.

    Compare with :data:`MISSING` to tell a missing value from a null one.
    """
    value = attributes
    for part in path.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return MISSING
    return value
