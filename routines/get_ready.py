"""Time to get ready before a hold: the default, the bounds and the step, in one place.

Before each hold the coach gives the user a few seconds to get into position ("Get into
position... Hold for thirty seconds. Begin."), or, when they asked it to, waits until they say
"ready". The seconds are the user's preference, kept in the session state like their hold
lengths (`routines.session.State.get_ready`) and always within these bounds.

Five seconds by default: the setup cues were said just before, so the user needs only the
moment it takes to put their hands, a ball or a roller in place; more would add minutes of
waiting over a routine of twenty passes, and anyone who needs longer says so ("more time to
get ready", up to half a minute, or "wait until I say ready").
"""

from __future__ import annotations

from typing import Final

DEFAULT_S: Final = 5
"""Seconds to get ready before a hold for a user who has not said otherwise."""
MAX_S: Final = 30
"""The longest get-ready time: longer than this, waiting for "ready" serves the user better."""
STEP_S: Final = 5
"""How much "more time" or "less time" changes it by."""


def clamp(seconds: int) -> int:
    """`seconds` within 0..MAX_S."""
    return max(0, min(MAX_S, seconds))
