"""What a turn does to a timer that counts a hold too long for one response (Alexa timers).

A front-end that cannot count a long hold itself (an Alexa response lasts at most
`speech.ssml.MAX_RESPONSE_S`) may hand it to a timer. The rules live here, pure, so that the
Alexa skill only does the I/O (`skill.alexa.timers`):

- a prompt with a long hold (`speech.ssml.long_hold`) creates a timer for it; a timer already
  running for another hold, or for this one started again ("repeat", "longer hold"), is
  replaced;
- resuming the hold the timer counts resumes the timer (or keeps it, when it never stopped);
- pausing (or pain, which pauses the routine) pauses it, also "pause" after a launch (the
  launch pauses the routine but leaves the timer running); moving to another pass, stopping,
  a red flag or the routine's end deletes it;
- a launch leaves it running and says how long is left;
- without the permission, the user is asked once, and not again for `ASK_AGAIN_AFTER`.

The state keeps the timer's id and the pass it counts (`timer_id`, `timer_position`) and when
the permission was asked (`timer_asked_at`), beside the progress.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Final

from routines.commands import CommandKind
from routines.session import Status

__all__ = [
    "ASK_AGAIN_AFTER",
    "TASK_NAME",
    "TASK_VERSION",
    "TIMER_FIELDS",
    "TIMER_SCOPE",
    "TimerAction",
    "continues_after_timer",
    "may_ask",
    "timer_action",
]

TIMER_SCOPE: Final = "alexa::alerts:timers:skill:readwrite"
"""The permission Alexa asks the user for before a skill may set timers (``skill.json``)."""

TASK_NAME: Final = "ContinueHold"
"""The skill's task a timer launches when it rings (``skill-package/tasks/ContinueHold.1.json``):
its input names the plan position of the hold the timer counted."""

TASK_VERSION: Final = "1"

ASK_AGAIN_AFTER: Final = timedelta(days=7)
"""How long a user who refused the timer permission (or did not answer) is not asked again: a
week, so someone who said no once hears "set a timer yourself" rather than the question at
every heat step, yet may change their mind later."""

TIMER_FIELDS: Final = ("timer_id", "timer_position", "timer_asked_at")
"""The state's fields that this module's rules are about."""

_RUNNING: Final = frozenset({Status.ACTIVE.value, Status.PAUSED.value})
_RESUMING: Final = frozenset({CommandKind.RESUME, CommandKind.YES})


class TimerAction(StrEnum):
    """What to do with the timer after a turn."""

    CREATE = "create"
    """Create a timer for the prompt's long hold."""
    REPLACE = "replace"
    """Delete the timer, then create one for the prompt's long hold."""
    RESUME = "resume"
    """The prompt holds again the pass the timer counts: resume it (keep it if it runs)."""
    PAUSE = "pause"
    """The routine paused on the timer's pass."""
    DELETE = "delete"
    """The timer's hold is over (another pass, stopped, finished, halted)."""
    REPORT = "report"
    """A launch while a timer may run: say how long is left; the timer goes on."""


def timer_action(
    before: Mapping[str, Any], after: Mapping[str, Any], kind: CommandKind, long_hold: bool
) -> TimerAction | None:
    """The timer action for a turn from state `before` to state `after` (stored forms) by a
    command of `kind`, whose prompt has a long hold or not; None: nothing to do."""
    if before.get("timer_id") is None:
        return TimerAction.CREATE if long_hold else None
    same_pass = (
        after.get("routine") == before.get("routine")
        and after.get("position") == before.get("timer_position")
        and after.get("status") in _RUNNING
    )
    if kind is CommandKind.LAUNCH:
        return TimerAction.REPORT if same_pass else TimerAction.DELETE
    if long_hold:
        return TimerAction.RESUME if same_pass and kind in _RESUMING else TimerAction.REPLACE
    if not same_pass:
        return TimerAction.DELETE
    paused = after.get("status") == Status.PAUSED.value
    if paused and (kind is CommandKind.PAUSE or before.get("status") != Status.PAUSED.value):
        # "Pause" after a launch (which pauses the routine, not the timer) pauses the timer.
        return TimerAction.PAUSE
    return None


def continues_after_timer(state: Mapping[str, Any], position: int) -> bool:
    """Whether a launch by the timer that counted the pass at `position` goes on to the next
    pass: that timer is the state's, on a routine still under way (else it is an ordinary
    launch: the user moved on, stopped, or started afresh meanwhile)."""
    return (
        state.get("timer_id") is not None
        and state.get("timer_position") == position
        and state.get("position") == position
        and state.get("status") in _RUNNING
    )


def may_ask(asked_at: str | None, at: str) -> bool:
    """Whether the permission may be asked for at `at` (ISO 8601), last asked at `asked_at`
    (a time that cannot be read counts as long ago; no clock: ask, as the user never was)."""
    if asked_at is None or not at:
        return True
    try:
        last, now = _utc(asked_at), _utc(at)
    except ValueError:
        return True
    return now - last >= ASK_AGAIN_AFTER or now < last


def _utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
