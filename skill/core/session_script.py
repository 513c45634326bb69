"""A whole guided session as the coach's responses: START, then NEXT until the routine ends.

`render` and `script` (`speech.render`) voice these responses; they come from the same turn
as every other front-end's (`skill.core.turn.take_turn`), starting from a user who has never
used the coach, so the safety note opens the session once and every step runs at its default
hold.
"""

from __future__ import annotations

from routines.commands import Command, CommandKind
from routines.models import Routine
from skill.core.turn import take_turn
from speech.render import RenderError, Turn

__all__ = ["session_turns"]


def session_turns(routine: Routine) -> list[Turn]:
    """The coach's responses to START then NEXT until `routine` is finished.

    Raises:
        speech.render.RenderError: if the session does not finish (the engine is not advancing).
    """
    library = {routine.id: routine}
    result = take_turn(None, Command(CommandKind.START, routine=routine.id), library)
    turns = [Turn(CommandKind.START, result.prompt, result.variant)]
    # One NEXT per pass, plus the one that finishes: more means the engine is not advancing.
    for _ in range(result.view.passes + 1):
        result = take_turn(result.state, Command(CommandKind.NEXT), library)
        turns.append(Turn(CommandKind.NEXT, result.prompt, result.variant))
        if result.ends:
            return turns
    raise RenderError(f"the session for {routine.id!r} did not finish after {len(turns)} turns")
