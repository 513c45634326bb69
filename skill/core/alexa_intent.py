"""A resolution as Alexa would send it: the `intent` object of an IntentRequest.

Dialog replay and the recorded envelopes (`skill.devtools`) send typed lines to the Alexa skill
as the requests Alexa would make of them: a `Resolution` (`skill.core.resolution`) in Alexa's
shape, every declared slot present, entity resolution on custom slots (ER_SUCCESS_MATCH,
ER_SUCCESS_NO_MATCH). Tests: `tests/test_alexa_intent.py` (read back by ask-sdk's own
deserialiser), `tests/test_guess.py`, `tests/test_inputs.py`.
"""

from __future__ import annotations

from typing import Any, Final

from skill.core.resolution import Resolution

__all__ = ["DEFAULT_SKILL_ID", "to_alexa_intent", "to_alexa_slots"]

DEFAULT_SKILL_ID: Final = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
"""The application id of the Alexa requests made here unless told otherwise (Amazon's format)."""


def to_alexa_slots(
    resolution: Resolution, *, skill_id: str = DEFAULT_SKILL_ID
) -> dict[str, dict[str, Any]]:
    """The `intent.slots` object of an IntentRequest, as Alexa sends it for this resolution.

    Every declared slot is present; filled custom slots carry entity resolution
    (`resolutions.resolutionsPerAuthority` with ER_SUCCESS_MATCH or ER_SUCCESS_NO_MATCH).
    """
    result: dict[str, dict[str, Any]] = {}
    for name, slot_type in resolution.declared_slots:
        slot = resolution.slots.get(name)
        if slot is None:
            result[name] = {"name": name, "confirmationStatus": "NONE"}
            continue
        entry: dict[str, Any] = {
            "name": name,
            "value": slot.value,
            "confirmationStatus": "NONE",
            "source": "USER",
        }
        simple: dict[str, Any] = {"type": "Simple", "value": slot.value}
        if slot.is_custom:
            authority: dict[str, Any] = {
                "authority": f"amzn1.er-authority.echo-sdk.{skill_id}.{slot_type}",
                "status": {"code": "ER_SUCCESS_MATCH" if slot.matched else "ER_SUCCESS_NO_MATCH"},
            }
            if slot.matched:
                authority["values"] = [
                    {"value": {"name": slot.resolved_name, "id": slot.resolved_id}}
                ]
            resolutions = {"resolutionsPerAuthority": [authority]}
            entry["resolutions"] = resolutions
            simple["resolutions"] = resolutions
        entry["slotValue"] = simple
        result[name] = entry
    return result


def to_alexa_intent(resolution: Resolution, *, skill_id: str = DEFAULT_SKILL_ID) -> dict[str, Any]:
    """The `request.intent` object of an IntentRequest for this resolution."""
    # Alexa's own understanding has no concerns to check: a sentence it cannot place is the
    # fallback, whose reply during a routine says how to report pain.
    intent: dict[str, Any] = {"name": resolution.intent, "confirmationStatus": "NONE"}
    if resolution.declared_slots:
        intent["slots"] = to_alexa_slots(resolution, skill_id=skill_id)
    return intent
