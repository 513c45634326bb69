"""The turn: a stored state and a command in, the new state and the prompt to say out.

Every front-end (the Alexa handlers, the local coach, `render` and `script`) goes through
`take_turn`, so every rule of a turn is written once, here:

- the safety note is said once per user: the engine emits it on the first launch or the first
  start, and nothing else adds or drops it;
- offers and their answers: yes does what was offered; no to "carry on where you left off?"
  asks whether to start that routine afresh (yes starts it from the top, keeping the user's
  hold preferences; no leaves it), so a no never throws progress away and never starts a
  routine the user did not agree to;
- the phrase variants are picked by the plan position after the command: varied along a
  routine, yet the same words for the same state and command, so replays compare exactly;
- what is saved: the state whenever the turn changed it (but for what a launch changes that
  the next launch would change again), and always on stop; a symptom the user reported,
  always, in the record's symptom log (`skill.core.symptom_log`);
- the conversation ends when the prompt says so (stop, a red flag, the routine finished).

`start_up` is the local coach's opening (a launch that the run may answer itself), and
`restore_stored` turns whatever a store or a client sent back into a state, with a warning in
the log when it was damaged. Pure: imports `routines` and `speech` only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from routines import events as ev
from routines import session
from routines.commands import Command, CommandKind
from routines.errors import StateError
from routines.models import Routine
from routines.session import Offer, Status
from skill.core import journal_turn
from skill.core.journal import SessionEntry
from skill.core.symptom_log import SymptomReport, report_of
from skill.core.view import StateView, view_of_state
from speech import phrases
from speech.prompt import Prompt, Say
from speech.prompts import build_prompt

__all__ = [
    "ALWAYS_SAVED",
    "Opening",
    "Restored",
    "TurnContext",
    "TurnResult",
    "needs_journal",
    "restore_stored",
    "start_up",
    "take_turn",
]

logger = logging.getLogger(__name__)

ALWAYS_SAVED: Final = frozenset({CommandKind.STOP})
"""Commands whose turn is saved even when the state did not change (the user expects it)."""


@dataclass(frozen=True)
class TurnContext:
    """What a front-end knows about a turn beyond the command.

    Whether the device has a screen does not change the words (the prompt always carries its
    display fields; a front-end shows them or not), so it is not asked for.
    """

    lead: str | None = None
    """A phrase key said before the prompt: the fallback's "Sorry, I didn't catch that"."""
    at: str = ""
    """When the turn happens, as an ISO 8601 time in UTC, for the symptom log and the pain
    journal (the request's timestamp on Alexa, the wall clock locally); empty where there is
    no clock (`render`), and then nothing is journaled."""
    journal: Sequence[SessionEntry] | None = None
    """The user's recent journal (`skill.core.trend.WINDOW_DAYS`), for the commands that
    `needs_journal`. After a turn that journaled a session, the front-end reads it too and
    notes the trend rule's advice in the state (`journal_keeping.keep`)."""


def needs_journal(command: Command, state: Mapping[str, Any] | None, at: str) -> bool:
    """Whether the front-end should read the user's recent journal for this turn: "how am I
    doing", and a launch whose state holds advice to give (the rule is checked again on the
    journal as it stands; most launches read nothing)."""
    if command.kind is CommandKind.JOURNAL:
        return True
    if command.kind is not CommandKind.LAUNCH or not state or not state.get("advice_due"):
        return False
    return journal_turn.advice_may_be_said(state.get("advised_at"), at)


@dataclass(frozen=True)
class TurnResult:
    """What one turn did."""

    state: dict[str, Any]
    """The new state, in its stored (JSON) form."""
    view: StateView
    """The new state, read."""
    prompt: Prompt
    """What to say, for the front-end to render (SSML, audio, text, a screen)."""
    variant: int
    """The phrase variant the prompt was built with (channel formatting uses it too)."""
    save: bool
    """Store the new state now."""
    events: tuple[ev.Event, ...]
    """What happened, for logs and tests."""
    reported: SymptomReport | None = None
    """The symptom the user reported in this turn, for the record's log (`with_report`)."""
    logged: tuple[SessionEntry, ...] = ()
    """Sessions that ended in this turn, for the front-end to append to the user's journal."""
    forget: bool = False
    """The user confirmed "delete my history": delete their journal and symptom log."""

    @property
    def ends(self) -> bool:
        """The conversation ends after this prompt."""
        return self.prompt.end_session


def take_turn(
    state: Mapping[str, Any] | session.State | None,
    command: Command,
    library: Mapping[str, Routine],
    context: TurnContext = TurnContext(),
    *,
    stored: dict[str, Any] | None = None,
) -> TurnResult:
    """Apply `command` to `state` with every rule of a turn (see the module docstring).
    `stored`, when `state` is a `Restored.checked`, is its `Restored.state` (the same state
    written out already: not written out again).

    Raises:
        routines.errors.StateError: when `state` is not a valid engine state (front-ends pass
            states that went through `restore_stored`).
    """
    # A State comes from `restore_stored` (`Restored.checked`): checked already, and the
    # caller's to give away (it is changed in place).
    if isinstance(state, session.State):
        restored, before = state, stored if stored is not None else state.to_json()
    else:
        restored = session.restore(state, library)
        before = restored.to_json()
    after, events = _apply(restored, command, library)
    return _result(before, after, events, command.kind, library, context)


def _apply(
    restored: session.State, command: Command, library: Mapping[str, Routine]
) -> tuple[session.State, list[ev.Event]]:
    """The engine's answer to `command`, but for the one rule the turn adds to it (`restored`
    is changed in place)."""
    unfinished = restored.offer_routine if restored.offer is Offer.RESUME else None
    if command.kind is CommandKind.NO and unfinished is not None:
        # No to "carry on?": ask about a fresh start instead of dropping the question.
        routine = library[unfinished]
        asked = replace(restored, offer=Offer.START, offer_routine=routine.id)
        return asked, [ev.Offer(resume=False, routine=routine)]
    return session.apply_state(restored, command, library)


def _result(
    before: dict[str, Any],
    checked: session.State,
    events: Sequence[ev.Event],
    kind: CommandKind,
    library: Mapping[str, Routine],
    context: TurnContext,
) -> TurnResult:
    view = view_of_state(checked, library)
    reported = report_of(events, view, context.at)
    events = list(events)
    symptom = reported.symptom if reported is not None else None
    logged = journal_turn.close_and_open(before, checked, events, library, context.at, symptom)
    journal = None if context.journal is None else [*context.journal, *logged]
    if context.at and kind is CommandKind.LAUNCH:
        _before_question(events, journal_turn.advice_events(checked, journal, context.at))
    if context.at and journal is not None and kind is CommandKind.JOURNAL:
        under_way = checked.started_at is not None
        _in_place_of(
            events, ev.JournalAsked, journal_turn.summary_event(journal, context.at, under_way)
        )
    _before_goodbye(events, journal_turn.reminder_events(checked, logged))
    after = checked.to_json()
    variant = view.position
    prompt = build_prompt(events, variant=variant)
    if context.lead is not None:
        prompt = replace(prompt, parts=(Say(phrases.say(context.lead)), *prompt.parts))
    return TurnResult(
        state=after,
        view=view,
        prompt=prompt,
        variant=variant,
        save=_changed(before, after, kind) or kind in ALWAYS_SAVED or reported is not None,
        events=tuple(events),
        reported=reported,
        logged=tuple(logged),
        forget=kind is CommandKind.YES
        and any(isinstance(event, ev.JournalForgotten) for event in events),
    )


LAUNCH_ONLY: Final = frozenset({"status", "offer", "offer_routine"})
"""What a launch changes that the next launch would change again (the routine paused, the
question asked): a launch that changes nothing else is not saved, so opening the skill costs no
write. Its answer is saved, as every other turn that changes the state."""


def _changed(before: Mapping[str, Any], after: Mapping[str, Any], kind: CommandKind) -> bool:
    """Whether the turn changed the state in a way worth saving."""
    if after == before:
        return False
    if kind is not CommandKind.LAUNCH:
        return True
    # Both are whole states (`State.to_json`): compared as dicts without the launch's own
    # fields, rather than a field at a time.
    after, before = dict(after), dict(before)
    for key in LAUNCH_ONLY:
        after.pop(key, None)
        before.pop(key, None)
    return after != before


def _before_question(events: list[ev.Event], added: Sequence[ev.Event]) -> None:
    """Insert `added` before the launch's closing question, so the question is said last."""
    if not added:
        return
    at = next((i for i, e in enumerate(events) if isinstance(e, ev.Offer)), len(events))
    events[at:at] = added


def _in_place_of(events: list[ev.Event], kind: type[ev.Event], added: Sequence[ev.Event]) -> None:
    """Put `added` where the events of `kind` were, so what follows them (the pain check asked
    again, "say ready when you're in position") is still said last."""
    at = next((i for i, event in enumerate(events) if isinstance(event, kind)), len(events))
    events[:] = [*events[:at], *added, *(e for e in events[at:] if not isinstance(e, kind))]


def _before_goodbye(events: list[ev.Event], added: Sequence[ev.Event]) -> None:
    """Insert `added` before a closing goodbye, else at the end."""
    if not added:
        return
    last = events[-1] if events else None
    at = len(events) - 1 if isinstance(last, ev.SessionClosed | ev.Stopped) else len(events)
    events[at:at] = added


@dataclass(frozen=True)
class Opening:
    """The first turn of a local run."""

    turn: TurnResult
    asking: bool
    """The prompt asks whether to continue; the user's answer is the next command."""
    nothing_to_resume: bool
    """Continuing was asked for, but there was no unfinished routine: one was started."""
    set_aside: bool = False
    """There was an unfinished routine, and a routine was started afresh instead (nobody to
    answer "carry on?" and no `resume`): the front-end says how to continue next time."""


def start_up(
    state: Mapping[str, Any] | None,
    library: Mapping[str, Routine],
    *,
    routine: str | None = None,
    resume: bool = False,
    ask: bool = False,
    context: TurnContext = TurnContext(),
) -> Opening:
    """The opening of a run: the launch greeting, then a start, a resume or the question.

    With an unfinished routine (the one asked for, or any when none was), `resume` answers yes
    to the launch's "carry on?", and `ask` leaves the question to the user. After a red flag
    ended the last session, the question ("start ...?") is always the user's unless `routine`
    names one. Otherwise the run starts `routine` (the default one when None) afresh. When the
    run answers, the question is left unsaid: the greeting and the answer's events make one
    prompt, and a greeting that recalls how far the user got is said plainly when the run
    starts afresh (it would promise a continuation that does not come).
    """
    halted = session.restore(state, library).status is Status.HALTED
    launched = take_turn(state, Command(CommandKind.LAUNCH), library, context)
    before = launched.view
    unfinished = before.offer is Offer.RESUME and routine in (None, before.offer_routine)
    if (unfinished and ask and not resume) or (halted and routine is None):
        # After a red flag nothing starts by itself: the user hears the reminder to get checked
        # and must say yes (or name a routine on the command line), as on Alexa.
        return Opening(launched, asking=True, nothing_to_resume=False)
    answer = (
        Command(CommandKind.YES)
        if unfinished and resume
        else Command(CommandKind.START, routine=routine)
    )
    after, events = _apply(session.restore(launched.state, library), answer, library)
    fresh = answer.kind is CommandKind.START
    said = [
        ev.Welcome(returning=True)
        if fresh and isinstance(event, ev.Welcome) and event.routine is not None
        else event
        for event in launched.events
        if not isinstance(event, ev.Offer)
    ]
    turn = _result(launched.state, after, [*said, *events], answer.kind, library, context)
    turn = replace(turn, save=turn.save or launched.save, logged=launched.logged + turn.logged)
    return Opening(
        turn,
        asking=False,
        nothing_to_resume=resume and not unfinished,
        set_aside=fresh and before.offer is Offer.RESUME,
    )


@dataclass(frozen=True)
class Restored:
    """A state read back from a store or a client."""

    state: dict[str, Any] | None
    """The state, checked and repaired for library changes; None when none was usable."""
    damaged: bool
    """Something was stored but could not be used (it was ignored, and a warning logged)."""
    checked: session.State | None = None
    """The same state, read: for one `take_turn`, which then need not check it again."""


def restore_stored(data: Any, library: Mapping[str, Routine], where: str) -> Restored:
    """The state in `data` (a stored record's or a session's ``state`` value), made valid.

    `where` names the source in the warning logged for a damaged state ("persistent").
    """
    if data is None:
        return Restored(None, damaged=False)
    if not isinstance(data, Mapping):
        logger.warning("ignoring %s state: not a mapping", where)
        return Restored(None, damaged=True)
    try:
        checked = session.restore(data, library)
        return Restored(checked.to_json(), damaged=False, checked=checked)
    except StateError as error:
        logger.warning("ignoring %s state: %s", where, error)
        return Restored(None, damaged=True)
