"""The Alexa front-end: ask-sdk-core handlers over the one session engine.

Every handler is a few lines: resolve the request to a command (through
:func:`skill.core.commands.to_command`), take the turn with :func:`skill.core.turn.take_turn`
(which owns every rule of a turn: the safety note once, offers, phrase variants, what to save),
and render its prompt as SSML (:func:`speech.ssml.to_ssml`), a screen or a card.
Nothing is wired at import time: :func:`build_skill` makes a new skill for a routine library and
a persistence adapter each time it is called.

State lives in two places:

- session attributes hold the engine state under ``state`` while a conversation lasts, with a
  derived ``hold_seconds`` (the current step's hold) for dialog tests and debugging;
- persistent attributes (SQLite or DynamoDB) hold ``{"state": ...}`` between conversations.
  A new session starts from the persistent state; a running one from its session attributes
  (both read with :func:`skill.core.turn.restore_stored`). The state is saved when the turn
  says so (it changed, or the user stopped: stop, cancel, "go home"), and always on
  ``SessionEndedRequest``. A turn that ended a session journals it as the state is saved
  (`SaveState`), the entry and the record in one SQLite transaction where the journal shares
  the record's file: a request cut short keeps both or neither.

``AMAZON.PauseIntent`` pauses the routine, saves it and keeps listening with a reprompt
("say resume"), as a person who pauses to shift position expects; if they say nothing Alexa
closes the session, the ``SessionEndedRequest`` saves the state again, and "Alexa, open massage
coach" later offers to continue.

A catch-all exception handler logs with ``logger.exception``, speaks an apology, and leaves
the user's progress as it was before the failing request. Tests watch this logger: a journey
that reaches it fails.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from typing import Any, Final

from ask_sdk_core.dispatch_components.exception_components import AbstractExceptionHandler
from ask_sdk_core.dispatch_components.request_components import (
    AbstractRequestHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.exceptions import PersistenceException, SerializationException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils.predicate import is_request_type
from ask_sdk_model.intent import Intent
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.response import Response
from ask_sdk_model.slu.entityresolution.status_code import StatusCode

from routines import events as ev
from routines import session
from routines.commands import Command, CommandKind
from routines.models import Routine
from skill.alexa.apl import (
    DISPLAY_FIELDS,
    card,
    has_screen,
    journal_directive,
    render_directive,
)
from skill.alexa.long_holds import Kept, answer_permission, keep_timer
from skill.alexa.persistence import journal_for, sharing_store, user_id_of
from skill.alexa.timers import TimedApiClient, permission_answer, task_position
from skill.core import journal_keeping
from skill.core.commands import INTENT_COMMANDS, to_command
from skill.core.intents import IntentName
from skill.core.journal import Journal, SessionEntry
from skill.core.journal_store import SQLiteJournal
from skill.core.journal_window import WINDOW_KEY
from skill.core.paths import dig
from skill.core.store import StoreError
from skill.core.symptom_log import SymptomReport, with_report, without_history
from skill.core.timers import continues_after_timer
from skill.core.turn import (
    Restored,
    TurnContext,
    TurnResult,
    needs_journal,
    restore_stored,
    take_turn,
)
from skill.core.view import StateView, view_of
from speech import phrases
from speech.prompt import Prompt, Say
from speech.ssml import reprompt_ssml, to_ssml

__all__ = [
    "HOLD_ATTRIBUTE",
    "MAX_NESTING",
    "MORE_STORED_ATTRIBUTE",
    "STATE_ATTRIBUTE",
    "SUPPORTED_REQUEST_TYPES",
    "AlexaRequestError",
    "Coach",
    "build_skill",
    "check_envelope",
    "handle_envelope",
    "session_attributes_for",
    "slot_values",
]

logger = logging.getLogger(__name__)

STATE_ATTRIBUTE: Final = "state"
"""The key of the engine state in session and persistent attributes."""

MORE_STORED_ATTRIBUTE: Final = "more_stored"
"""The key, in session attributes, of whether the user's stored record holds more than the
state (derived; it spares saves the read of a record that holds nothing else)."""

HOLD_ATTRIBUTE: Final = "hold_seconds"
"""The key of the current step's hold length in session attributes (derived, read-only)."""

SUPPORTED_REQUEST_TYPES: Final = frozenset(
    {
        "LaunchRequest",
        "IntentRequest",
        "SessionEndedRequest",
        "System.ExceptionEncountered",
        "Connections.Response",
    }
)
"""The request types the skill answers; the web layers refuse others with a 4xx."""

_SESSION_TYPES: Final = frozenset(
    {"LaunchRequest", "IntentRequest", "SessionEndedRequest", "Connections.Response"}
)
_TURN: Final = "massage_coach.turn"


class AlexaRequestError(ValueError):
    """A request envelope the skill cannot take; ``reason`` is short and safe to return."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason: str = reason
        """A short machine-friendly reason, such as ``unsupported_request_type``."""
        self.detail: str = detail
        """A longer explanation for logs."""
        super().__init__(f"{reason}: {detail}" if detail else reason)


@dataclass
class Turn:
    """One request's view of the state: as it came in, and as the handler left it."""

    before: dict[str, Any]
    """The state the request started from (session attributes, else persistent ones)."""
    after: dict[str, Any] | None = None
    """The state after the command; None while no command was applied."""
    save: bool = False
    """Save to persistent attributes (the turn said so, or the session ended)."""
    reported: SymptomReport | None = None
    """A symptom the user reported, for the record's symptom log."""
    view: StateView | None = None
    """The view of `after`, as the turn made it."""
    more_stored: bool = True
    """The stored record may hold more than the state (the symptom log), so saving must keep
    it; False only when the session started from a record that held nothing else."""
    forget: bool = False
    """The user deleted their history: the record's symptom log goes too."""
    checked: session.State | None = None
    """`before`, read (`Restored.checked`), for the first turn to take without reading it
    again."""
    window: str | None = None
    """The record's new copy of the trend rule's window, to save beside the state (None: the
    record's stays as it is)."""
    journaled: TurnResult | None = None
    """The turn's result when it journaled a session or forgot the journal: `SaveState` keeps
    the journal (`Coach.keep`) with the record's save."""
    at: str = ""
    """When the turn happened (the request's time), for the journal."""


def session_attributes_for(
    state: Mapping[str, Any], library: Mapping[str, Routine], view: StateView | None = None
) -> dict[str, Any]:
    """The session attributes for a state: the state itself and the current hold length
    (from `view`, the state's view, when the turn has it already)."""
    hold = (view if view is not None else view_of(state, library)).current_hold
    return {STATE_ATTRIBUTE: dict(state), HOLD_ATTRIBUTE: hold}


def slot_values(intent: Intent | None) -> dict[str, str | None]:
    """Each slot's value: the entity-resolution id when a slot type matched, else the words."""
    values: dict[str, str | None] = {}
    slots = getattr(intent, "slots", None) or {}
    for name, slot in slots.items():
        values[name] = _resolved(slot)
    return values


def _resolved(slot: Any) -> str | None:
    resolutions = getattr(slot, "resolutions", None)
    for authority in getattr(resolutions, "resolutions_per_authority", None) or []:
        status = getattr(getattr(authority, "status", None), "code", None)
        if status == StatusCode.ER_SUCCESS_MATCH:
            for match in authority.values or []:
                value_id = getattr(getattr(match, "value", None), "id", None)
                if isinstance(value_id, str) and value_id:
                    return value_id
    value = getattr(slot, "value", None)
    return value if isinstance(value, str) else None


class Coach:
    """The part every handler shares: take the turn for a command and render its prompt."""

    def __init__(
        self,
        library: Mapping[str, Routine],
        journal: Journal | None = None,
        shared: SQLiteJournal | None = None,
    ) -> None:
        if not library:
            raise ValueError("the routine library is empty")
        self.library: Mapping[str, Routine] = library
        self.journal = journal
        """Where users' sessions are kept (beside their attributes); None: nowhere."""
        self.shared: SQLiteJournal | None = shared
        """`journal` when it shares the store of the users' records
        (`skill.alexa.persistence.sharing_store`): a session's entry and the record are then
        written in one transaction, and the record read with the journal's count; None:
        each write and read alone."""

    def run(
        self,
        handler_input: HandlerInput,
        command: Command,
        lead: str | None = None,
        *,
        rang: bool = False,
    ) -> Response:
        """Take the turn for ``command``, after the phrase ``lead`` if any; see to the user's
        timer (`keep_timer`; `rang`: the timer launched this request); render the prompt."""
        turn = _turn(handler_input)
        at = _request_time(handler_input)
        wanted = needs_journal(command, turn.before, at)
        recent = self._recent(handler_input, at) if wanted else None
        context = TurnContext(lead=lead, at=at, journal=recent)
        checked, turn.checked = turn.checked, None
        if checked is None:
            result = take_turn(turn.before, command, self.library, context)
        else:
            result = take_turn(checked, command, self.library, context, stored=turn.before)
        kept = keep_timer(
            handler_input,
            turn.before,
            result.prompt,
            result.state,
            result.view,
            command.kind,
            at,
            rang=rang,
        )
        changed = kept.changed(result.state)
        turn.after, turn.view = kept.state, result.view
        if result.logged or result.forget:
            # The journal is kept from the state as the timer left it, when the state is saved.
            turn.journaled = replace(result, state=kept.state, prompt=kept.prompt)
            turn.at = at
        turn.save = turn.save or result.save or result.forget or changed
        turn.reported = result.reported or turn.reported
        turn.forget = turn.forget or result.forget
        if command.kind is CommandKind.JOURNAL:
            self._chart(handler_input, result)
        return render_kept(handler_input, kept, result.variant)

    def _chart(self, handler_input: HandlerInput, result: TurnResult) -> None:
        """How am I doing, on a screen: the weeks' pain as a chart."""
        chart = next((e for e in result.events if isinstance(e, ev.JournalSummary)), None)
        if chart is not None and chart.points and has_screen(handler_input.request_envelope):
            title, legend = phrases.say("journal.chart_title"), phrases.say("journal.chart_legend")
            directive = journal_directive(chart.points, title, legend)
            handler_input.response_builder.add_directive(directive)

    def _recent(self, handler_input: HandlerInput, at: str) -> list[SessionEntry] | None:
        """The user's recent journal; None (no advice, no summary) when it cannot be read."""
        if self.journal is None or not at:
            return None
        try:
            return journal_keeping.recent(
                self.journal, user_id_of(handler_input.request_envelope), at
            )
        except (StoreError, PersistenceException) as error:
            logger.error("cannot read the journal: %s", type(error).__name__)
            return None

    def keep(self, handler_input: HandlerInput, turn: Turn) -> None:
        """The journal kept after a turn that journaled a session or forgot the journal
        (`turn.journaled`; `journal_keeping.keep_reading`, with the copy of the rule's window in
        the user's record), leaving in `turn` the state and the window's copy to save. A failure
        is logged (without the entries: ratings stay out of logs) and the answer goes on."""
        result = turn.journaled
        if result is None:
            return
        turn.after = result.state
        journal = self.journal
        if journal is None:
            return
        try:
            user_id = user_id_of(handler_input.request_envelope)
            read = self._reader(handler_input, journal, user_id)
            kept = journal_keeping.keep_reading(journal, user_id, result, turn.at, read)
        except (StoreError, PersistenceException) as error:
            logger.error(
                "cannot keep the journal (write it, or read it back for the rule): %s",
                type(error).__name__,
            )
            return
        turn.after, turn.window = kept.state, kept.window

    def _reader(
        self, handler_input: HandlerInput, journal: Journal, user_id: str
    ) -> journal_keeping.Read:
        """How `journal`'s count and the record's copy of the window are read after a
        session's append: in one statement where the journal shares the record's store (the
        record, read in the transaction, is then the one `SaveState` saves beside), else the
        count alone, the record read before the append, as ever."""
        manager = handler_input.attributes_manager
        shared = self.shared
        if shared is None:
            stored = manager.persistent_attributes
            window = stored.get(WINDOW_KEY) if isinstance(stored, Mapping) else None
            return lambda start: (journal.count_since(user_id, start), window)

        def read(start: datetime) -> tuple[int | None, object]:
            count, record = shared.count_and_record(user_id, start)
            manager.persistent_attributes = {} if record is None else record
            return count, None if record is None else record.get(WINDOW_KEY)

        return read

    def writes(self, handler_input: HandlerInput, turn: Turn) -> AbstractContextManager[None]:
        """The unit `SaveState`'s writes go in: one transaction for a session journaled, where
        the journal shares the record's store (`shared`); a forgotten journal is not (its
        checkpoint must come after its deletes are committed)."""
        journaled = turn.journaled
        if self.shared is None or journaled is None or not journaled.logged or journaled.forget:
            return nullcontext()
        user_id = user_id_of(handler_input.request_envelope)
        return self.shared.store.transaction(f"keep the session and the record of {user_id!r}")


def _request_time(handler_input: HandlerInput) -> str:
    """The request's timestamp as ISO 8601 in UTC (Alexa stamps every request)."""
    stamp = getattr(handler_input.request_envelope.request, "timestamp", None)
    if not isinstance(stamp, datetime):
        return ""
    aware = stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds")


def render(handler_input: HandlerInput, prompt: Prompt, variant: int = 0) -> Response:
    """The Alexa response for a prompt: SSML, a reprompt while listening, a screen or a card."""
    builder = handler_input.response_builder
    builder.speak(to_ssml(prompt, variant=variant))
    again = None if prompt.end_session else reprompt_ssml(prompt)
    if again is None:
        builder.set_should_end_session(prompt.end_session)
    else:
        builder.ask(again)
    if any(prompt.display.get(name) for name in DISPLAY_FIELDS):
        if has_screen(handler_input.request_envelope):
            builder.add_directive(render_directive(prompt.display))
        else:
            builder.set_card(card(prompt.display))
    response: Response = builder.response
    return response


def render_kept(handler_input: HandlerInput, kept: Kept, variant: int = 0) -> Response:
    """`render` of a prompt after its timer was seen to, with the permission request if any:
    then Alexa asks next, so no reprompt and ``shouldEndSession`` is left out."""
    response = render(handler_input, kept.prompt, variant)
    for directive in kept.directives:
        handler_input.response_builder.add_directive(directive)
    if kept.card is not None:
        handler_input.response_builder.set_card(kept.card)
    if kept.asking:
        response.should_end_session = None
    return response


def _turn(handler_input: HandlerInput) -> Turn:
    turn = handler_input.attributes_manager.request_attributes.get(_TURN)
    if not isinstance(turn, Turn):
        raise RuntimeError("the state was not loaded: the request interceptor did not run")
    return turn


# Handlers: each resolves its request to a command and hands it to the coach.


class LaunchHandler(AbstractRequestHandler):
    """ "Alexa, open massage coach": the engine greets and offers to start or continue."""

    def __init__(self, coach: Coach) -> None:
        self.coach = coach

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("LaunchRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        position = task_position(handler_input.request_envelope.request)
        if position is not None and continues_after_timer(_turn(handler_input).before, position):
            # The user's timer rang and they said yes: the hold is over, on to the next pass.
            next_pass = Command(CommandKind.NEXT)
            return self.coach.run(handler_input, next_pass, "timer.back", rang=True)
        return self.coach.run(handler_input, Command(CommandKind.LAUNCH))


class IntentHandler(AbstractRequestHandler):
    """Every intent in the command table; an unknown one is answered like the fallback intent."""

    def __init__(self, coach: Coach) -> None:
        self.coach = coach

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("IntentRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        intent = getattr(handler_input.request_envelope.request, "intent", None)
        name = getattr(intent, "name", None) or ""
        if name not in INTENT_COMMANDS:
            # Names come from the client: cut them short so a huge one cannot flood the log.
            logger.warning("intent %.80r is not handled; answering as the fallback intent", name)
            name = IntentName.FALLBACK
        command = to_command(name, slot_values(intent))
        lead = "fallback" if name == IntentName.FALLBACK else None
        return self.coach.run(handler_input, command, lead)


class PermissionAnswerHandler(AbstractRequestHandler):
    """Alexa's ``Connections.Response`` to the timer permission question: the timer set for
    the hold under way, or "set one yourself"."""

    def __init__(self, coach: Coach) -> None:
        self.coach = coach

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("Connections.Response")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = _turn(handler_input)
        answer = permission_answer(handler_input.request_envelope.request)
        view = view_of(turn.before, self.coach.library)
        kept = answer_permission(handler_input, turn.before, view, answer)
        turn.after, turn.save = kept.state, turn.save or kept.changed(turn.before)
        return render_kept(handler_input, kept)


class SessionEndedHandler(AbstractRequestHandler):
    """The conversation closed (silence, "exit", an error): save the state, answer nothing."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("SessionEndedRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        error = getattr(request, "error", None)
        if error is not None:
            logger.warning(
                "session ended by an error: %.80s %.300s",
                getattr(error, "object_type", None) or getattr(error, "type", None),
                getattr(error, "message", None),
            )
        _turn(handler_input).save = True
        response: Response = handler_input.response_builder.response
        return response


class ExceptionEncounteredHandler(AbstractRequestHandler):
    """Alexa reports that a directive in an earlier response failed; it takes no speech."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("System.ExceptionEncountered")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        error = getattr(request, "error", None)
        logger.warning("Alexa reported an error in an earlier response: %.300s", error)
        response: Response = handler_input.response_builder.response
        return response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Any failure: logged with its traceback, answered with an apology, progress kept.

    The session attributes go back to the state the request started from, and nothing is
    saved, so the failing request changes nothing the user had.
    """

    def __init__(self, library: Mapping[str, Routine]) -> None:
        self.library = library

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        request = handler_input.request_envelope.request
        logger.exception(
            "request %s (%s) failed",
            getattr(request, "request_id", "?"),
            getattr(request, "object_type", "?"),
            exc_info=exception,
        )
        turn = handler_input.attributes_manager.request_attributes.get(_TURN)
        if isinstance(turn, Turn) and handler_input.request_envelope.session is not None:
            attributes = session_attributes_for(turn.before, self.library)
            attributes[MORE_STORED_ATTRIBUTE] = turn.more_stored
            handler_input.attributes_manager.session_attributes = attributes
        builder = handler_input.response_builder
        if is_request_type("SessionEndedRequest")(handler_input):
            response: Response = builder.response
            return response
        apology = Prompt(
            parts=(Say(phrases.say("error.apology")),), reprompt=phrases.say("error.reprompt")
        )
        builder.speak(to_ssml(apology))
        builder.ask(reprompt_ssml(apology) or "")
        response = builder.response
        return response


# Interceptors: load the state before a handler, store it after.


class LoadState(AbstractRequestInterceptor):
    """Find the state a request starts from: session attributes, else persistent attributes."""

    def __init__(self, library: Mapping[str, Routine]) -> None:
        self.library = library

    def process(self, handler_input: HandlerInput) -> None:
        envelope = handler_input.request_envelope
        if envelope.session is None:
            return
        manager = handler_input.attributes_manager
        restored = Restored(None, damaged=False)
        more_stored = True
        if not envelope.session.new:
            attributes = manager.session_attributes or {}
            restored = restore_stored(attributes.get(STATE_ATTRIBUTE), self.library, "session")
            more_stored = attributes.get(MORE_STORED_ATTRIBUTE) is not False
        if restored.state is None:
            stored: Any = manager.persistent_attributes or {}
            if not isinstance(stored, Mapping):
                stored = {}
            restored = restore_stored(stored.get(STATE_ATTRIBUTE), self.library, "persistent")
            more_stored = any(key != STATE_ATTRIBUTE for key in stored)
        state = restored.state or session.new_state()
        turn = Turn(before=state, more_stored=more_stored, checked=restored.checked)
        manager.request_attributes[_TURN] = turn


class SaveState(AbstractResponseInterceptor):
    """Keep the journal when the turn journaled a session (`Coach.keep`), put the state in the
    session attributes, and save it when the turn or the session end says so: a session's
    entry and the record in one transaction where they share a store (`Coach.writes`)."""

    def __init__(self, coach: Coach) -> None:
        self.coach = coach

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        turn = handler_input.attributes_manager.request_attributes.get(_TURN)
        if not isinstance(turn, Turn):
            return
        with self.coach.writes(handler_input, turn):
            self.coach.keep(handler_input, turn)
            self._save(handler_input, turn)
        state = turn.after if turn.after is not None else turn.before
        view = turn.view if turn.after is not None else None
        attributes = session_attributes_for(state, self.coach.library, view)
        attributes[MORE_STORED_ATTRIBUTE] = turn.more_stored
        handler_input.attributes_manager.session_attributes = attributes

    def _save(self, handler_input: HandlerInput, turn: Turn) -> None:
        """The user's record, with the turn's state, saved when the turn says so."""
        if not turn.save:
            return
        manager = handler_input.attributes_manager
        record: dict[str, Any] = {}
        if turn.more_stored or turn.window is not None:
            # The record keeps what else it holds (the symptom log, the window's copy)
            # beside the new state; a user with nothing else is spared this read on every
            # save (a new copy of the window was read with the record: no read again).
            stored = manager.persistent_attributes
            record = dict(stored) if isinstance(stored, Mapping) else {}
        record[STATE_ATTRIBUTE] = turn.after if turn.after is not None else turn.before
        if turn.window is not None:
            record[WINDOW_KEY] = turn.window
        if turn.reported is not None:
            record = with_report(record, turn.reported)
        if turn.forget:
            record = without_history(record)
        turn.more_stored = len(record) > 1
        manager.persistent_attributes = record
        manager.save_persistent_attributes()


def build_skill(
    library: Mapping[str, Routine],
    persistence_adapter: Any,
    journal: Journal | None = None,
    api_client: Any = None,
) -> CustomSkill:
    """A new Alexa skill over ``library``, keeping users' state with ``persistence_adapter``.

    ``persistence_adapter`` is an ask-sdk ``AbstractPersistenceAdapter`` (see
    :func:`skill.alexa.persistence.make_persistence_adapter`); the pain journal is kept beside
    it (:func:`skill.alexa.persistence.journal_for`) unless ``journal`` is given. Alexa's
    service APIs (the Timers API) are called with ``api_client``, by default a
    :class:`skill.alexa.timers.TimedApiClient`.
    """
    kept = journal if journal is not None else journal_for(persistence_adapter)
    coach = Coach(library, kept, sharing_store(persistence_adapter, kept))
    client = api_client if api_client is not None else TimedApiClient()
    builder = CustomSkillBuilder(persistence_adapter=persistence_adapter, api_client=client)
    builder.add_request_handler(LaunchHandler(coach))
    builder.add_request_handler(IntentHandler(coach))
    builder.add_request_handler(PermissionAnswerHandler(coach))
    builder.add_request_handler(SessionEndedHandler())
    builder.add_request_handler(ExceptionEncounteredHandler())
    builder.add_global_request_interceptor(LoadState(library))
    builder.add_global_response_interceptor(SaveState(coach))
    builder.add_exception_handler(CatchAllExceptionHandler(library))
    skill: CustomSkill = builder.create()
    return skill


# The envelope edge shared by the Flask server and the Lambda entry point.


MAX_NESTING: Final = 64
"""The deepest nesting of objects and lists accepted in an envelope (Alexa's go about 8)."""


_CONTAINERS: Final = (dict, list)
"""A tuple rather than ``dict | list``: isinstance takes half the time with it, once for
every value of every envelope."""


def _nesting(document: Any) -> int:
    """How deep objects and lists nest in ``document`` (up to one level past `MAX_NESTING`),
    without recursion: one level at a time."""
    level = [document] if isinstance(document, _CONTAINERS) else []
    depth = 0
    while level and depth <= MAX_NESTING:
        depth += 1
        below: list[Any] = []
        for value in level:
            items = value.values() if isinstance(value, dict) else value
            below += [item for item in items if isinstance(item, _CONTAINERS)]
        level = below
    return depth


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_envelope(envelope: Any) -> None:
    """Refuse, with a short reason, an envelope the skill cannot answer sensibly.

    Raises:
        AlexaRequestError: for anything but a JSON object with a supported request type, a
            session (where Alexa sends one), a user id, and an intent name on intent requests.
    """
    if not isinstance(envelope, dict):
        raise AlexaRequestError("malformed_envelope", "the body is not a JSON object")
    if _nesting(envelope) > MAX_NESTING:
        # ask-sdk deep-copies session attributes recursively: a few hundred levels would
        # overflow the stack inside skill.invoke, outside any handler.
        raise AlexaRequestError("malformed_envelope", f"nested deeper than {MAX_NESTING} levels")
    request = envelope.get("request")
    if not isinstance(request, dict):
        raise AlexaRequestError("malformed_envelope", "no request object")
    kind = request.get("type")
    if not isinstance(kind, str) or kind not in SUPPORTED_REQUEST_TYPES:
        raise AlexaRequestError("unsupported_request_type", f"type {kind!r}")
    if kind in _SESSION_TYPES:
        _check_session(envelope.get("session"), kind)
    _check_user_id(dig(envelope, "context", "System", "user", "userId"))
    if kind == "IntentRequest":
        _check_intent(request.get("intent"))


def _check_session(session_object: Any, kind: str) -> None:
    if not isinstance(session_object, dict):
        raise AlexaRequestError("malformed_envelope", f"a {kind} needs a session")
    if not isinstance(session_object.get("attributes", {}), dict | None):
        raise AlexaRequestError("malformed_envelope", "session attributes are not an object")


def _check_user_id(user_id: Any) -> None:
    if not isinstance(user_id, str) or not user_id:
        raise AlexaRequestError("malformed_envelope", "no context.System.user.userId")
    if not _is_utf8(user_id):
        # JSON can spell a lone surrogate ("\ud800"); no store can key a record by it.
        raise AlexaRequestError("malformed_envelope", "context.System.user.userId is not text")


def _check_intent(intent: Any) -> None:
    if not isinstance(intent, dict) or not isinstance(intent.get("name"), str):
        raise AlexaRequestError("malformed_envelope", "an IntentRequest needs an intent name")
    if not isinstance(intent.get("slots", {}), dict | None):
        raise AlexaRequestError("malformed_envelope", "intent slots are not an object")


@cache
def _serializer() -> DefaultSerializer:
    return DefaultSerializer()


def handle_envelope(skill: CustomSkill, envelope: Any, context: Any = None) -> dict[str, Any]:
    """Answer one request envelope (a parsed JSON object); return the response envelope.

    Raises:
        AlexaRequestError: when the envelope is refused (see :func:`check_envelope`) or does
            not fit Alexa's request model; the skill has then not run and nothing was stored.
    """
    check_envelope(envelope)
    serializer = _serializer()
    try:
        request_envelope = serializer.deserialize(json.dumps(envelope), RequestEnvelope)
    except (SerializationException, TypeError, ValueError, AttributeError) as error:
        raise AlexaRequestError("malformed_envelope", str(error)) from error
    response_envelope = skill.invoke(request_envelope, context)
    # The session attributes are JSON values already (the request's, or `SaveState`'s from a
    # stored state), which the SDK's serializer would copy one value at a time: a tenth of a
    # request. They go into the answer as they are, in their place.
    attributes = response_envelope.session_attributes
    if attributes is not None:
        response_envelope.session_attributes = {}
    answer = serializer.serialize(response_envelope)
    if not isinstance(answer, dict):
        raise TypeError(f"the skill's response serialized to {type(answer).__name__}")
    if attributes is not None:
        answer["sessionAttributes"] = attributes
    return answer
