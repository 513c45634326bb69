"""A whole guided session as the coach's responses: START, then NEXT until the routine ends.

`render` and `script` (`speech.render`) voice these responses; they come from the same turn
as every other front-end's (`skill.core.turn.take_turn`), starting from a user who has never
started a routine but has the given user's preferences (`routines.session.preferences_of`):
their holds and rests, brief mode and the steps they know, their time to get ready, so a
rendered session is the one they would hear. The safety note opens the session once; with no
user, every step runs at its default hold, with full instructions and the default time to get
ready. A recording cannot wait for an answer, so the pain check is off, and a user who asked to
be waited for before each hold gets a time to get ready instead: theirs, and at least the
default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from routines import get_ready
from routines.commands import Command, CommandKind
from routines.models import Routine
from routines.session import preferences_of
from skill.core.turn import restore_stored, take_turn
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
    """The coach's responses to START then NEXT until `routine` is finished, for the user whose
    stored state is `stored` (None: a new user; a damaged state is ignored, with a warning).

    Raises:
        RuntimeError: if the session does not finish (the engine is not advancing: a bug).
    """
    library = {routine.id: routine}
    checked = restore_stored(stored, library, "stored").checked
    fresh = None if checked is None else preferences_of(checked)
    if fresh is not None and fresh.wait_ready:
        fresh.wait_ready = False
        fresh.get_ready = max(fresh.get_ready, get_ready.DEFAULT_S)
    unasked = take_turn(fresh, Command(CommandKind.PAIN_CHECK_OFF), library).state
    result = take_turn(unasked, Command(CommandKind.START, routine=routine.id), library)
    turns = [ScriptedTurn(CommandKind.START, result.prompt, result.variant)]
    # One NEXT per pass, plus the one that finishes: more means the engine is not advancing.
    for _ in range(result.view.passes + 1):
        result = take_turn(result.state, Command(CommandKind.NEXT), library)
        turns.append(ScriptedTurn(CommandKind.NEXT, result.prompt, result.variant))
        if result.ends:
            return turns
    raise RuntimeError(f"the session for {routine.id!r} did not finish after {len(turns)} turns")
