"""Dialog tests against the local coach, on a virtual clock: the same files, the same checks.

A :class:`LocalRunner` runs each test of a dialog file that runs on the ``local`` channel
through the public face of :class:`skill.local.coach.Coach` only: its constructor, ``run``,
its input queue, its speaker and ``.state``. The coach speaks through a text-only
:class:`speech.player.Player` on a :class:`speech.clock.FakeClock` (no audio device, no
waiting) and hears the test's steps as lines typed on stdin:

- ``launch: true`` starts the coach (``massage-coach run`` by someone at the keys, who can
  answer its offer to carry on); its greeting is the step's answer. A ``say`` or ``intent``
  step with no coach running starts one too ("Alexa, ask massage coach to..."), and its
  greeting answers nothing.
- ``say`` is a line resolved as the coach resolves typed lines
  (:func:`skill.local.inputs.resolve_text`); a line it rejects gets no answer at all.
  ``intent`` with ``slots`` is a resolved command (:func:`skill.core.commands.to_command`, slot
  words resolved as Alexa fills them).
- ``end_session`` is the user leaving as a person at the keys leaves: Ctrl-C once the last
  answer has played (the coach stops the routine as "stop" does, saves and returns); its
  answer says nothing and ends the conversation. The end of a test, a later ``launch`` and
  ``new_session`` leave the same way (then the coach starts again). Merely ending the input
  would not do: a coach whose script has ended goes on through the routine by itself.
- Each prompt the speaker is given is the answer of the step that asked for it, so the next
  step is typed only once the answer has played out, as a person waits to hear it.
- A step's time (``at:``, :attr:`skill.devtools.dialogs.Step.when`) is what the coach's wall
  clock reads from the moment the step is typed (or the coach started for it) until the next
  step is: the time of its turn, in the symptom log and the pain journal. Steps without one
  happen now. Hold pacing stays on the virtual clock; only the wall clock moves.

Checked: ``speech`` (the prompt's words), ``reprompt`` (the hint shown while the coach waits),
``session_ended`` (the prompt ends the conversation), ``attributes`` (the session attributes
the skill would hold for the coach's state: ``state.*`` and ``hold_seconds``) and ``intent``.
``card`` and ``directives`` mean nothing here and ``request`` steps are Alexa envelopes: they are
counted as not checked. Every test gets the store the runner was given, one user id per dialog
file's ``user``, so stored progress carries between a file's tests as it does on Alexa.
"""

from __future__ import annotations

import copy
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from io import StringIO
from typing import Final

from routines.models import Routine
from skill.core.journal_store import SQLiteJournal
from skill.core.store import SQLiteStore, Store
from skill.devtools import utterances
from skill.devtools.answers import Answer
from skill.devtools.dialogs import DialogFile, DialogTest, Step
from skill.devtools.envelopes import EnvelopeError, intent_resolution
from skill.devtools.expectations import check_answer, unchecked_expectations
from skill.devtools.report import ReplayReport, TestOutcome, Unchecked
from skill.local.coach import Coach, Startup
from skill.local.inputs import Heard, InputQueue, Rejected, Source, Unsure, resolve_text
from skill.local.screen import PlainScreen
from speech.audio import NullSink
from speech.clock import FakeClock
from speech.player import EventCallback, Player, PlayResult
from speech.prompt import Prompt
from speech.tts import TextOnlyEngine

__all__ = ["UNCHECKED_LOCALLY", "LocalRunner"]

UNCHECKED_LOCALLY: Final = frozenset({"card", "directives"})
"""Expectations the local coach has no meaning for: it shows no Alexa card and renders no APL."""

_NO_SCREEN: Final = "no Alexa card or APL on the local coach"
_NO_REQUESTS: Final = "a recorded Alexa request"
_ENDS_LABEL: Final = "ends the conversation"


class _UserLeft(KeyboardInterrupt):
    """Ctrl-C, as the user leaving the local coach presses it."""


class LocalRunner:
    """Runs dialog tests against the local coach and checks its answers.

    ``store`` keeps users' progress (a fresh temporary SQLite store per run, so runs repeat);
    ``ids`` names the users of dialog files without a ``user``.
    """

    channel = "local"
    """The dialog channel this runner plays."""

    def __init__(
        self,
        library: Mapping[str, Routine],
        store: Store,
        *,
        ids: Callable[[], str] | None = None,
    ) -> None:
        self.library = library
        """The routines the coach knows."""
        self.store = store
        """Where the coach keeps each user's progress."""
        self.journal = SQLiteJournal(store) if isinstance(store, SQLiteStore) else None
        """Where it keeps their sessions: beside their progress, as `massage-coach run` does."""
        self.ids: Callable[[], str] = ids or (lambda: uuid.uuid4().hex)

    def run(self, dialogs: Sequence[DialogFile] = ()) -> ReplayReport:
        """Run every test of every dialog file."""
        report = ReplayReport(channel=self.channel)
        for dialog in dialogs:
            report.outcomes.extend(self.run_file(dialog))
        return report

    def run_file(self, dialog: DialogFile) -> list[TestOutcome]:
        """Run a dialog file's tests in order (with its ``user``, progress carries)."""
        return [self.run_test(dialog, test) for test in dialog.tests]

    def run_test(self, dialog: DialogFile, test: DialogTest) -> TestOutcome:
        """Run one test; every step is checked, even after a failure.

        The test stops early only when a step cannot be given to the coach or the coach
        raised. A test whose channels leave out ``local`` is skipped.
        """
        outcome = TestOutcome(dialog.source, test.name, dialog.location(test.line))
        if not dialog.runs_on(test, "local"):
            outcome.skipped = "the test runs on Alexa only"
            return outcome
        user = dialog.user or f"replay-{self.ids()}"
        _Conversation(self, dialog, test, outcome, user).run()
        return outcome


class _Conversation:
    """One test against the coach: the coach's speaker, and the user typing the steps.

    The coach asks for its next input only after playing a prompt, so the speaker is where
    the prompt is checked as the answer of the step waiting for one, and where the next step
    is typed (or the input ended), so that the coach never waits.
    """

    def __init__(
        self,
        runner: LocalRunner,
        dialog: DialogFile,
        test: DialogTest,
        outcome: TestOutcome,
        user: str,
    ) -> None:
        self.runner = runner
        self.dialog = dialog
        self.steps = list(enumerate(test.steps, start=1))
        self.outcome = outcome
        self.user = user
        self.clock = FakeClock()
        self.player = Player(TextOnlyEngine(), NullSink(), self.clock)
        self.next = 0
        """The index of the next step to give the coach."""
        self.opening: int | None = None
        """The index of the step that started the coach without a launch (typed after the
        greeting); None when a launch started it."""
        self.waiting: tuple[int, Step, str | None] | None = None
        """The step whose answer the coach is about to give, and the intent it resolved to."""
        self.leaving: tuple[int, Step] | None = None
        """The ``end_session`` step that ended the input."""
        self.stopped = False
        """A step could not be given to the coach: the test is over."""
        self.coach: Coach | None = None
        self.inputs = InputQueue()
        self.step_time: datetime | None = None
        """The time of the step given to the coach last (None: it happens now)."""

    def wall_clock(self) -> datetime:
        """The coach's date and time: the time of the step it is taking."""
        return self.step_time if self.step_time is not None else datetime.now(UTC)

    # -- the test ------------------------------------------------------------------------

    def run(self) -> None:
        """Start the coach as often as the steps need, until every step was given."""
        while self.next < len(self.steps) and not self.stopped:
            number, step = self.steps[self.next]
            if step.request is not None:
                self._not_checked(number, step)
                self.next += 1
                continue
            if step.end_session is not None:
                self._fail(number, step, "no session is open to end (the coach already ended it)")
                return
            if self._opens(step):
                self.waiting = (number, step, None)
                self.opening = None
                self.next += 1
            else:
                self.waiting = None
                self.opening = self.next
            self.step_time = step.when
            self._run_coach()

    def _opens(self, step: Step) -> bool:
        return step.launch is True or (
            step.say is not None and utterances.is_launch_phrase(step.say, self.dialog.locale)
        )

    def _run_coach(self) -> None:
        self.inputs = InputQueue()
        self.leaving = None
        screen = PlainScreen(StringIO())
        try:
            self.coach = Coach(
                self.runner.library,
                self.runner.store,
                self,
                screen,
                self.inputs,
                self.clock,
                sources=frozenset({Source.LINE}),
                user_id=self.user,
                wall_clock=self.wall_clock,
                journal=self.runner.journal,
            )
            self.coach.run(Startup(ask=True))
        except _UserLeft:
            number, step = self._current()
            self._fail(number, step, "the coach did not stop and save on Ctrl-C")
            self.stopped = True
            return
        except Exception as error:  # the coach's failure is the test's, with what it said
            number, step = self._current()
            self._fail(number, step, f"the coach raised {type(error).__name__}: {error}")
            self.stopped = True
            return
        if self.leaving is not None:
            number, step = self.leaving
            self._check(number, step, self._answer(None, None, ends=True))

    def _current(self) -> tuple[int, Step]:
        if self.waiting is not None:
            return self.waiting[0], self.waiting[1]
        return self.steps[min(self.next, len(self.steps) - 1)]

    # -- the coach's speaker -------------------------------------------------------------

    def play(
        self,
        prompt: Prompt,
        *,
        on_event: EventCallback | None = None,
        interrupt: threading.Event | None = None,
    ) -> PlayResult:
        """Play ``prompt`` on the virtual clock, check it, then type the next step."""
        result = self.player.play(prompt, on_event=on_event, interrupt=interrupt)
        if self.waiting is not None:
            number, step, intent = self.waiting
            self.waiting = None
            answer = self._answer(prompt.text or None, prompt.reprompt, ends=prompt.end_session)
            self._check(number, step, answer, intent)
        if not prompt.end_session:
            self._type_next()
        return result

    def _type_next(self) -> None:
        """Queue the next step's input; press Ctrl-C when the user leaves here."""
        while self.next < len(self.steps) and not self.stopped:
            index = self.next
            number, step = self.steps[index]
            if step.request is not None:
                self._not_checked(number, step)
                self.next += 1
                continue
            if index != self.opening and (step.new_session or self._opens(step)):
                break
            self.next += 1
            self.step_time = step.when
            if step.end_session is not None:
                self.leaving = (number, step)
                break
            item, intent = self._input(number, step)
            if item is None:
                self.stopped = True
                break
            if isinstance(item, Rejected):
                # The coach ignores a line it does not understand: no answer, nothing changes.
                self._check(number, step, self._answer(None, None, ends=False), intent)
                self.inputs.put(item)
                continue
            self.waiting = (number, step, intent)
            self.inputs.put(item)
            return
        raise _UserLeft

    def _input(
        self, number: int, step: Step
    ) -> tuple[Heard | Unsure | Rejected | None, str | None]:
        """What the coach hears for a ``say`` or ``intent`` step, and the intent a say resolved
        to; None (and a failure) when the step cannot be given to the coach."""
        from skill.core.commands import UnknownIntentError, to_command
        from skill.core.resolver import Resolver

        locale = self.dialog.locale
        if step.say is not None:
            intent = utterances.resolve(locale, step.say).intent
            return resolve_text(Resolver.for_locale(locale), step.say, Source.LINE), intent
        assert step.intent is not None
        try:
            resolution = intent_resolution(step.intent, step.slots, utterances.model(locale))
            values = {name: resolution.value(name) for name in resolution.slots}
            command = to_command(step.intent, values)
        except EnvelopeError as error:
            self._fail(number, step, str(error))
            return None, None
        except UnknownIntentError:
            self._fail(number, step, f"the local coach has no command for {step.intent}")
            return None, None
        return Heard(command, step.intent, step.label(), Source.LINE), None

    # -- checking ------------------------------------------------------------------------

    def _answer(self, speech: str | None, reprompt: str | None, *, ends: bool) -> Answer:
        """An answer, with the session attributes the skill would hold for the coach's state."""
        from skill.alexa.skill import session_attributes_for

        assert self.coach is not None
        state = copy.deepcopy(self.coach.state)
        attributes = session_attributes_for(state, self.runner.library)
        return Answer(speech, reprompt, ends, attributes, ends_label=_ENDS_LABEL)

    def _label(self, number: int, step: Step) -> str:
        return f"step {number} ({step.label()})"

    def _fail(self, number: int, step: Step, message: str, answer: Answer | None = None) -> None:
        self.outcome.fail(
            self.dialog.location(step.line), self._label(number, step), message, answer
        )

    def _not_checked(self, number: int, step: Step) -> None:
        location = self.dialog.location(step.line)
        self.outcome.unchecked.append(
            Unchecked(location, self._label(number, step), reason=_NO_REQUESTS)
        )

    def _check(self, number: int, step: Step, answer: Answer, intent: str | None = None) -> None:
        self.outcome.answers.append(answer)
        for message in check_answer(step.expect, answer, intent, unchecked=UNCHECKED_LOCALLY):
            self._fail(number, step, message, answer)
        skipped = unchecked_expectations(step.expect, UNCHECKED_LOCALLY)
        if skipped:
            location = self.dialog.location(step.line)
            label = self._label(number, step)
            self.outcome.unchecked.append(Unchecked(location, label, tuple(skipped), _NO_SCREEN))
