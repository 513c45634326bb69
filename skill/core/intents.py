"""The intents the coach handles, and Alexa's names for built-ins: the one list of these names.

The command table, the resolver, the keys, the Alexa handlers and the model check all refer to
:class:`IntentName`. A new command adds its name here, its command in
`skill/core/commands.py`, and its phrases in `interaction_model/source.py` (data, which names
intents as plain strings); `massage-coach model check` and the tests fail until the three agree.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

__all__ = [
    "BUILTIN_PREFIX",
    "HANDLED_INTENTS",
    "REQUIRED_BUILTINS",
    "IntentName",
    "SlotType",
    "is_builtin",
]

BUILTIN_PREFIX: Final = "AMAZON."
"""Alexa's namespace: the names of built-in intents and slot types start with it."""


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
    PAIN_RATING = "PainRatingIntent"
    NO_PAIN = "NoPainIntent"
    PAIN_CHECK_OFF = "PainCheckOffIntent"
    PAIN_CHECK_ON = "PainCheckOnIntent"
    JOURNAL = "JournalIntent"
    FORGET_JOURNAL = "ForgetJournalIntent"
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
    # Rests and brief mode (issue #14).
    LONGER_REST = "LongerRestIntent"
    SHORTER_REST = "ShorterRestIntent"
    SET_REST = "SetRestIntent"
    FULL_INSTRUCTIONS = "AlwaysExplainIntent"
    BRIEF_INSTRUCTIONS = "BriefInstructionsIntent"
    # Time to get ready before a hold (routines/get_ready.py).
    READY = "ReadyIntent"
    MORE_READY_TIME = "MoreReadyTimeIntent"
    LESS_READY_TIME = "LessReadyTimeIntent"
    NO_READY_TIME = "NoReadyTimeIntent"
    WAIT_FOR_READY = "WaitForReadyIntent"
    STOP_WAITING = "StopWaitingIntent"


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


class SlotType(StrEnum):
    """The built-in slot types whose values the coach reads."""

    DURATION = "AMAZON.DURATION"
    NUMBER = "AMAZON.NUMBER"


def is_builtin(name: str) -> bool:
    """Whether an intent or slot type name is one of Alexa's built-ins (``AMAZON.*``)."""
    return name.startswith(BUILTIN_PREFIX)


GO_ON_INTENTS: frozenset[str] = frozenset(
    {IntentName.NEXT, IntentName.RESUME, IntentName.SKIP, IntentName.READY, IntentName.NO_PAIN}
)
"""Intents that carry on with the routine, or say nothing hurts ("no pain"): the microphone must
hear one clearly over any safety phrase before it is obeyed (`speech.recognizer.Doubt`)."""

SAFETY_INTENTS: frozenset[str] = frozenset({IntentName.PAIN})
"""Intents that report pain, a nerve symptom or a red flag."""

PAIN_TALK_INTENTS: frozenset[str] = frozenset(
    {
        IntentName.PAIN_RATING,
        IntentName.NO_PAIN,
        IntentName.PAIN_CHECK_OFF,
        IntentName.PAIN_CHECK_ON,
        IntentName.JOURNAL,
        IntentName.FORGET_JOURNAL,
    }
)
"""Intents whose words speak of pain without reporting it ("my pain is a six", "stop asking
about my pain"): said in full, they win over the safety detector's pain (never a red flag's)."""

GUESSED_INTENTS: frozenset[str] = frozenset(
    {
        IntentName.NEXT,
        IntentName.PREVIOUS,
        IntentName.REPEAT,
        IntentName.PAUSE,
        IntentName.RESUME,
        IntentName.STOP,
        IntentName.SKIP,
        IntentName.LONGER_HOLD,
        IntentName.SHORTER_HOLD,
        IntentName.SET_HOLD,
        IntentName.PROGRESS,
        IntentName.EXPLAIN,
        IntentName.HELP,
    }
)
"""The routine's commands that a sentence no sample reads may be guessed to mean and asked
about (`skill.core.guess`): safe and clear to offer. Never pain (the safety detector has its own
path) nor starting a routine."""
