"""Dialog tests against the Alexa skill: Alexa's part played, each answer checked.

A :class:`DialogRunner` plays Alexa's part (:class:`skill.devtools.envelopes.AlexaSide`) for
every test of a dialog file (:mod:`skill.devtools.dialogs`) that runs on the ``alexa`` channel,
sends each step's request through a transport (:mod:`skill.devtools.transports`: in process or
over HTTP) and checks the answer (:mod:`skill.devtools.expectations`). It also sends recorded
traffic again (:mod:`skill.devtools.recorded`).

A step fails when the skill's catch-all exception handler answered it, whatever the
expectations (:mod:`skill.devtools.catch_all`).

A step's time (``at:``, :attr:`skill.devtools.dialogs.Step.when`) is its request's
``timestamp``; steps without one are stamped with the runner's clock (now). A server that
verifies requests refuses a timestamp far from now, as Alexa's rule says: the failure then
says to replay dialogs with ``at:`` times against a server started with ``--no-verify``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Final

from skill.alexa.recording import RecordedConversation
from skill.core.journal import format_time
from skill.devtools import utterances
from skill.devtools.answers import answer_from_envelope
from skill.devtools.catch_all import CatchAllWatch, crash_message
from skill.devtools.dialogs import DialogError, DialogFile, DialogTest, Step
from skill.devtools.envelopes import (
    DEFAULT_SKILL_ID,
    SCREEN_INTERFACES,
    TIMERS_GRANTED,
    VOICE_INTERFACES,
    AlexaSide,
    Caller,
    EnvelopeError,
    intent_request,
    launch_request,
    permission_response,
    session_ended_request,
    timer_launch_request,
)
from skill.devtools.expectations import check_answer
from skill.devtools.recorded import replay_conversation, restamp
from skill.devtools.report import ReplayReport, TestOutcome
from skill.devtools.timers_peer import TimersPeer
from skill.devtools.transports import Transport, TransportError

__all__ = ["TIMED_STEP_HINT", "DialogRunner"]

TIMED_STEP_HINT: Final = (
    "a verifying server refuses a request whose timestamp is more than {tolerance} s from now "
    "(Alexa's rule), and this step happens at {at}: replay dialogs with at: times against a "
    "server started with --no-verify (massage-coach serve --no-verify), or in process"
)
"""Added to the failure of a timed step that a verifying server refused."""

_VERIFICATION_FAILED: Final = "verification_failed"
"""The error a verifying server answers with (``skill.alexa.server``), whatever the rule."""


class _StepError(DialogError):
    """A step that cannot be turned into a request (the test's fault, not the skill's)."""


class _StepClock:
    """The time of the step being sent: its ``at:`` time, else the runner's clock."""

    def __init__(self, fallback: Callable[[], datetime]) -> None:
        self.fallback = fallback
        self.step_time: datetime | None = None
        """The time of the step being sent (None: it happens now)."""

    def __call__(self) -> datetime:
        return self.step_time if self.step_time is not None else self.fallback()


def _refused_time(error: TransportError, step: Step) -> str:
    """The transport's failure, with what to do when a verifying server refused a timed step.

    Whatever rule it broke first (an unsigned replay has no signature), a timed step far from
    now can only pass a server that does not verify."""
    if step.when is None or error.error != _VERIFICATION_FAILED:
        return str(error)
    from skill.alexa.verify import TIMESTAMP_TOLERANCE

    hint = TIMED_STEP_HINT.format(
        tolerance=int(TIMESTAMP_TOLERANCE.total_seconds()), at=format_time(step.when)
    )
    return f"{error}; {hint}"


class DialogRunner:
    """Runs dialog tests and recorded conversations through a transport, and checks the answers.

    ``run_tag`` is added to every user id, so that two runs against the same endpoint (and
    its stored progress) do not meet; by default it is random, and ``""`` keeps a file's
    ``user`` as the id ``amzn1.ask.account.USER`` (``replay --db``: a second run continues the
    first's history). ``clock`` stamps the requests of steps without a time (``at:``), ``ids``
    names requests, sessions and users.
    """

    channel = "alexa"
    """The dialog channel this runner plays."""

    def __init__(
        self,
        transport: Transport,
        *,
        skill_id: str = DEFAULT_SKILL_ID,
        run_tag: str | None = None,
        clock: Callable[[], datetime] | None = None,
        ids: Callable[[], str] | None = None,
        watch: CatchAllWatch | None = None,
    ) -> None:
        self.transport = transport
        """How requests reach the skill."""
        self.skill_id = skill_id
        """The application id sent in every request."""
        self.run_tag = uuid.uuid4().hex[:12] if run_tag is None else run_tag
        """Added to user ids to keep runs apart ("" adds nothing)."""
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.ids: Callable[[], str] = ids or (lambda: str(uuid.uuid4()))
        self.watch = watch or CatchAllWatch()

    def _user_id(self, name: str) -> str:
        base = name if name.startswith("amzn1.") else f"amzn1.ask.account.{name}"
        return f"{base}.{self.run_tag}" if self.run_tag else base

    def run(
        self,
        dialogs: Sequence[DialogFile] = (),
        recordings: Sequence[RecordedConversation] = (),
    ) -> ReplayReport:
        """Run every test of every dialog file, then every recorded conversation."""
        report = ReplayReport(channel=self.channel)
        for dialog in dialogs:
            report.outcomes.extend(self.run_file(dialog))
        for conversation in recordings:
            report.outcomes.append(self.run_recorded(conversation))
        return report

    def run_file(self, dialog: DialogFile) -> list[TestOutcome]:
        """Run a dialog file's tests in order (with its ``user``, progress carries)."""
        return [self.run_test(dialog, test) for test in dialog.tests]

    def run_test(self, dialog: DialogFile, test: DialogTest) -> TestOutcome:
        """Run one test in a new session; every step is checked, even after a failure.

        The test stops early only when a request gets no answer or the skill's catch-all
        handler answered, since later steps would then test nothing meaningful. A test whose
        channels leave out ``alexa`` is skipped.
        """
        outcome = TestOutcome(dialog.source, test.name, dialog.location(test.line))
        if not dialog.runs_on(test, "alexa"):
            outcome.skipped = "the test runs on the local coach only"
            return outcome
        user = dialog.user or f"replay-{self.ids()}"
        device = test.device or dialog.device
        caller = Caller(
            user_id=self._user_id(user),
            device_id=f"amzn1.ask.device.replay-{device}",
            skill_id=self.skill_id,
            locale=dialog.locale,
            interfaces=dict(SCREEN_INTERFACES if device == "screen" else VOICE_INTERFACES),
        )
        clock = _StepClock(self.clock)
        peer = TimersPeer(now=clock).start() if dialog.timers is not None else None
        if peer is not None:
            granted = TIMERS_GRANTED if dialog.timers == "granted" else None
            caller = replace(caller, api_endpoint=peer.url, permissions=granted)
        side = AlexaSide(caller, clock=clock, ids=self.ids)
        try:
            self._steps(dialog, test, side, clock, peer, outcome)
        finally:
            if peer is not None:
                peer.close()
        return outcome

    def _steps(
        self,
        dialog: DialogFile,
        test: DialogTest,
        side: AlexaSide,
        clock: _StepClock,
        peer: TimersPeer | None,
        outcome: TestOutcome,
    ) -> None:
        with self.watch.watching():
            self.watch.take()
            for number, step in enumerate(test.steps, start=1):
                label = f"step {number} ({step.label()})"
                location = dialog.location(step.line)
                clock.step_time = step.when
                called = len(peer.calls) if peer is not None else 0
                try:
                    envelope, intent = self._envelope(dialog, step, side, peer)
                except (_StepError, EnvelopeError) as error:
                    outcome.fail(location, label, str(error))
                    break
                try:
                    reply = self.transport.send(envelope)
                except TransportError as error:
                    outcome.fail(location, label, _refused_time(error, step))
                    break
                answer = answer_from_envelope(reply)
                outcome.answers.append(answer)
                side.receive(envelope, reply)
                crash = crash_message(self.watch, answer, dialog.locale)
                if crash is not None:
                    outcome.fail(location, label, crash, answer)
                    break
                for message in check_answer(step.expect, answer, intent):
                    outcome.fail(location, label, message, answer)
                if peer is not None and step.expect.timers is not None:
                    calls = peer.calls[called:]
                    if calls != step.expect.timers:
                        message = f"the timer calls were {calls}, not {step.expect.timers}"
                        outcome.fail(location, label, message, answer)

    def _envelope(
        self, dialog: DialogFile, step: Step, side: AlexaSide, peer: TimersPeer | None = None
    ) -> tuple[dict[str, Any], str | None]:
        """The envelope for a step, and the intent a ``say`` resolved to."""
        if step.new_session:
            side.new_session()
        if step.permission is not None or step.timer_rings is not None:
            assert peer is not None  # the file's timers start one (checked when loaded)
            return self._timer_envelope(step, side, peer), None
        if step.launch or (
            step.say is not None and utterances.is_launch_phrase(step.say, dialog.locale)
        ):
            side.new_session()
            return side.envelope(launch_request()), None
        if step.say is not None:
            from skill.core.alexa_intent import to_alexa_intent

            resolution = utterances.resolve(dialog.locale, step.say)
            intent = to_alexa_intent(resolution, skill_id=self.skill_id)
            return side.envelope({"type": "IntentRequest", "intent": intent}), resolution.intent
        if step.intent is not None:
            request = intent_request(
                step.intent, step.slots, utterances.model(dialog.locale), skill_id=self.skill_id
            )
            return side.envelope(request), None
        if step.end_session is not None:
            if not side.is_open:
                raise _StepError("no session is open to end (the skill already ended it)")
            return side.envelope(session_ended_request(step.session_end_reason)), None
        assert step.request is not None
        path = dialog.resolve(step.request)
        try:
            recorded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise _StepError(f"cannot read the request file {path}: {error}") from None
        if not isinstance(recorded, Mapping):
            raise _StepError(f"the request file {path} is not a JSON object")
        return side.restamp(recorded), None

    def _timer_envelope(self, step: Step, side: AlexaSide, peer: TimersPeer) -> dict[str, Any]:
        """The envelope of a ``permission`` or ``timer_rings`` step."""
        if step.permission is not None:
            if step.permission == "ACCEPTED":
                side.caller = replace(side.caller, permissions=TIMERS_GRANTED)
            return side.envelope(permission_response(step.permission))
        if not peer.timers:
            raise _StepError("no timer is set to ring")
        rung = peer.timers.pop(max(peer.timers, key=int))
        position = rung.body["triggeringBehavior"]["operation"]["task"]["input"]["position"]
        side.new_session()
        return side.envelope(timer_launch_request(self.skill_id, position))

    def run_recorded(self, conversation: RecordedConversation) -> TestOutcome:
        """Send a recorded conversation's requests again; compare each answer with the recorded.

        Each request goes as recorded (with its session attributes), with a fresh request id
        and timestamp, and the run tag on its user id; ids and timestamps are not compared.
        """

        def restamped(recorded: Mapping[str, Any]) -> dict[str, Any]:
            return restamp(recorded, request_id=self.ids(), now=self.clock(), run_tag=self.run_tag)

        return replay_conversation(conversation, self.transport, self.watch, restamped)
