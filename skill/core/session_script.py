"""A whole guided session as the coach's responses: START, then NEXT until the routine ends.

`render` and `script` (`speech.render`) voice these responses; they come from the same turn
as every other front-end's (`skill.core.turn.take_turn`), starting from a user who has never
used the coach, so the safety note opens the session once, but with the user's preferences
when their stored state is given: their hold lengths and their time to get ready (else every
step at its default hold, with the default time to get ready). A recording cannot wait for an
answer, so the pain check is off, and a user who asked to be waited for before each hold gets
a time to get ready instead: theirs, and at least the default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from routines import get_ready, session
from routines.commands import Command, CommandKind
from routines.models import Routine
from skill.core.turn import take_turn
from speech.prompt import Prompt

__all__ = ["ScriptedTurn", "session_turns"]


@dataclass(frozen=True)
class ScriptedTurn:
    """One response of the coach in a whole session (a `speech.render.Turn`)."""

    command: CommandKind
    """What the user said to get it (START, then NEXT)."""
    prompt: Prompt
    variant: int
    """The phrase variant the prompt was built with (the SSML and the script use it too)."""


def session_turns(routine: Routine, stored: Mapping[str, Any] | None = None) -> list[ScriptedTurn]:
    """The coach's responses to START then NEXT until `routine` is finished, with the
    preferences of `stored` (a user's state, checked: `skill.core.turn.restore_stored`).

    Raises:
        RuntimeError: if the session does not finish (the engine is not advancing: a bug).
    """
    library = {routine.id: routine}
    preferred = session.with_preferences(stored, library)
    if preferred.wait_ready:
        preferred.wait_ready = False
        preferred.get_ready = max(preferred.get_ready, get_ready.DEFAULT_S)
    unasked = take_turn(preferred, Command(CommandKind.PAIN_CHECK_OFF), library).state
    result = take_turn(unasked, Command(CommandKind.START, routine=routine.id), library)
    turns = [ScriptedTurn(CommandKind.START, result.prompt, result.variant)]
    # One NEXT per pass, plus the one that finishes: more means the engine is not advancing.
    for _ in range(result.view.passes + 1):
        result = take_turn(result.state, Command(CommandKind.NEXT), library)
        turns.append(ScriptedTurn(CommandKind.NEXT, result.prompt, result.variant))
        if result.ends:
            return turns
    raise RuntimeError(f"the session for {routine.id!r} did not finish after {len(turns)} turns")
