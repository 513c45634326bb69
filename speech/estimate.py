"""How long a text takes to say, estimated from the text alone.

Used where no audio exists on our side (Alexa speaks for us) and by the text-only engine.

The model: every word takes a fixed time, each comma (or ; :) inside the text adds a short
pause, each sentence end inside the text adds a longer one, and every utterance ends with a
final pause. All four scale together with the speaking rate in words per minute.

Calibration (espeak-ng 1.51 via pyttsx3, voice gmw/en, 23 coaching sentences of 1-24 words,
least squares): at espeak-ng's default rate of 175 words per minute a word takes 0.246 s, a
comma 0.25 s, an inner sentence end 0.79 s and the final pause 0.49 s; on that set the model is
within 0.6 s (22 %) of the real audio, and the overall rate comes out at 175 words per minute,
pauses included. Refitting at 130, 200 and 250 gave coefficients within about 20 % of these
figures scaled by 175 / rate.
"""

from __future__ import annotations

import functools
import re

DEFAULT_WPM = 175.0
"""espeak-ng's default speaking rate, against which the constants below were measured."""

SECONDS_PER_WORD = 0.246
"""Time per word at `DEFAULT_WPM`, pauses excluded."""

COMMA_PAUSE_S = 0.25
"""Extra time for each comma, semicolon or colon followed by a space, at `DEFAULT_WPM`."""

SENTENCE_PAUSE_S = 0.79
"""Extra time for each . ! or ? followed by more text, at `DEFAULT_WPM`."""

FINAL_PAUSE_S = 0.49
"""Extra time at the end of every non-empty utterance, at `DEFAULT_WPM`."""

_WORD = re.compile(r"\S*\w\S*")
_COMMA = re.compile(r"[,;:](?=\s|$)")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s+\S)")


# Pure, and asked again and again for the same countdown phrases (dozens of times for one
# Alexa response): remembering the last few thousand answers halves the SSML rendering time.
@functools.lru_cache(maxsize=4096)
def estimate_seconds(text: str, wpm: float = DEFAULT_WPM) -> float:
    """Seconds that saying `text` takes at `wpm` words per minute (0.0 for no words).

    `text` is plain text (no SSML tags). Adding a word or punctuation never shortens the
    estimate.
    """
    if wpm <= 0:
        raise ValueError(f"words per minute must be positive, not {wpm}")
    words = len(_WORD.findall(text))
    if not words:
        return 0.0
    commas = len(_COMMA.findall(text))
    sentence_ends = len(_SENTENCE_END.findall(text))
    at_default = (
        words * SECONDS_PER_WORD
        + commas * COMMA_PAUSE_S
        + sentence_ends * SENTENCE_PAUSE_S
        + FINAL_PAUSE_S
    )
    return at_default * DEFAULT_WPM / wpm
