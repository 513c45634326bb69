"""The intents the coach handles: the one list that the skill's handlers and the model check share.

A new command adds its name here, a handler, and its phrases in `interaction_model/source.py`;
`massage-coach model check` fails until the three agree.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["HANDLED_INTENTS", "REQUIRED_BUILTINS", "IntentName"]


class IntentName(StrEnum):
    """Every intent name the skill has a handler for, exactly as Alexa sends it."""

    START_ROUTINE = "StartRoutineIntent"
    LIST_ROUTINES = "ListRoutinesIntent"
    LONGER_HOLD = "LongerHoldIntent"
    SHORTER_HOLD = "ShorterHoldIntent"
    SET_HOLD = "SetHoldIntent"
    SKIP = "SkipIntent"
    PROGRESS = "ProgressIntent"
    EXPLAIN = "ExplainIntent"
    PAIN = "PainIntent"
    NEXT = "AMAZON.NextIntent"
    PREVIOUS = "AMAZON.PreviousIntent"
    REPEAT = "AMAZON.RepeatIntent"
    PAUSE = "AMAZON.PauseIntent"
    RESUME = "AMAZON.ResumeIntent"
    START_OVER = "AMAZON.StartOverIntent"
    HELP = "AMAZON.HelpIntent"
    STOP = "AMAZON.StopIntent"
    CANCEL = "AMAZON.CancelIntent"
    FALLBACK = "AMAZON.FallbackIntent"
    NAVIGATE_HOME = "AMAZON.NavigateHomeIntent"
    YES = "AMAZON.YesIntent"
    NO = "AMAZON.NoIntent"


HANDLED_INTENTS: frozenset[str] = frozenset(name.value for name in IntentName)
"""The names of all handled intents; the interaction model must declare exactly these."""

REQUIRED_BUILTINS: frozenset[str] = frozenset(
    {
        IntentName.STOP,
        IntentName.CANCEL,
        IntentName.HELP,
        IntentName.NAVIGATE_HOME,
        IntentName.FALLBACK,
    }
)
"""Built-in intents every custom skill must declare (Alexa certification requires them)."""
