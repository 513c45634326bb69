"""What a dialog step's words mean, read from the interaction model of its locale.

A ``say`` step is resolved with the resolver every front-end uses (:func:`resolve`), except
"open massage coach" and the like, which open the skill rather than ask it something
(:func:`is_launch_phrase`). An ``intent`` step's slot words are resolved as Alexa would fill
them (:func:`skill.devtools.envelopes.intent_resolution`, with :func:`model`).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from skill.core.resolution import Resolution

__all__ = ["LAUNCH_VERBS", "is_launch_phrase", "model", "resolve"]

LAUNCH_VERBS: Final = ("open", "launch", "start", "begin", "run", "play")
"""The verbs that, followed by the invocation name alone, open the skill."""


@functools.cache
def model(locale: str) -> dict[str, Any]:
    """The locale's interaction model (the ASK JSON document)."""
    import interaction_model

    return interaction_model.load(locale)


def resolve(locale: str, text: str) -> Resolution:
    """The intent and slots ``text`` resolves to in ``locale``."""
    from skill.core.resolver import Resolver

    return Resolver.for_locale(locale).resolve(text)


def is_launch_phrase(text: str, locale: str) -> bool:
    """ "open massage coach", "Alexa, launch massage coach": a launch, not an intent."""
    from skill.core.words import normalize

    words = normalize(text)
    if words[:1] == ["alexa"]:
        words = words[1:]
    invocation = normalize(
        str(model(locale)["interactionModel"]["languageModel"]["invocationName"])
    )
    return (
        len(words) == len(invocation) + 1 and words[0] in LAUNCH_VERBS and words[1:] == invocation
    )
