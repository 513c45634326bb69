"""Replaying conversations against the skill: dialog files and recorded traffic.

A :class:`DialogRunner` plays Alexa's part (:class:`skill.devtools.envelopes.AlexaSide`) for every
test
of a dialog file (:mod:`skill.devtools.dialogs`) and checks each answer;
:meth:`DialogRunner.run_recorded`
sends recorded requests again (:mod:`skill.alexa.recording`) and compares the answers with the
recorded ones. Requests travel through a transport: in process
(:class:`SkillTransport`, ``handle_envelope`` -> ``skill.invoke``) or over HTTP to a running
endpoint (:class:`HttpTransport`, ``urllib``).

A step fails when the skill's catch-all exception handler answered it, whatever the
expectations: in process it is seen in the ``skill.alexa.skill`` logger (:class:`CatchAllWatch`),
over HTTP by the apology it speaks.

:func:`run_replay` is ``massage-coach replay PATH... [--url URL]``: it prints each failing
expectation with the response text, then the line ``N passed, M failed``, and returns the exit
status (0 all passed, 1 a failure, 2 unusable input).
"""

from __future__ import annotations

import copy
import functools
import html
import json
import logging
import re
import tempfile
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Protocol, TextIO

from skill.alexa.recording import RecordedConversation, RecordingError, load_recordings
from skill.devtools.dialogs import (
    DIALOG_SUFFIXES,
    DialogError,
    DialogFile,
    DialogFileError,
    DialogTest,
    Expect,
    Pattern,
    Step,
    load_dialogs,
)
from skill.devtools.envelopes import (
    DEFAULT_SKILL_ID,
    SCREEN_INTERFACES,
    VOICE_INTERFACES,
    AlexaSide,
    Caller,
    EnvelopeError,
    alexa_timestamp,
    intent_request,
    launch_request,
    session_ended_request,
)

__all__ = [
    "CATCH_ALL_LOGGER",
    "CatchAllWatch",
    "DialogRunner",
    "Failure",
    "HttpTransport",
    "ReplayReport",
    "SkillTransport",
    "TestOutcome",
    "Transport",
    "TransportError",
    "attribute_at",
    "card_text",
    "directive_types",
    "format_failures",
    "in_process_transport",
    "reprompt_text",
    "run_replay",
    "speech_text",
    "strip_ssml",
]

CATCH_ALL_LOGGER: Final = "skill.alexa.skill"
"""The logger the skill's catch-all exception handler reports to (``logger.exception``)."""

_TAG: Final = re.compile(r"<[^>]*>")
_SPACE: Final = re.compile(r"\s+")
_VOLATILE_KEYS: Final = frozenset(
    {"requestId", "sessionId", "timestamp", "apiAccessToken", "userId", "deviceId"}
)
_LAUNCH_VERBS: Final = ("open", "launch", "start", "begin", "run", "play")


class TransportError(DialogError):
    """A request did not get an answer: refused, unreachable, or not JSON."""


# --- reading a response ----------------------------------------------------------------------


def strip_ssml(ssml: str) -> str:
    """The words of an SSML document: tags dropped, entities decoded, spaces collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", ssml))).strip()


def _output_speech_text(speech: Any) -> str | None:
    if not isinstance(speech, Mapping):
        return None
    if isinstance(speech.get("ssml"), str):
        return strip_ssml(speech["ssml"])
    if isinstance(speech.get("text"), str):
        return _SPACE.sub(" ", speech["text"]).strip()
    return None


def _response(answer: Mapping[str, Any]) -> Mapping[str, Any]:
    response = answer.get("response")
    return response if isinstance(response, Mapping) else {}


def speech_text(answer: Mapping[str, Any]) -> str | None:
    """What the answer says, as plain text; None when it says nothing."""
    return _output_speech_text(_response(answer).get("outputSpeech"))


def reprompt_text(answer: Mapping[str, Any]) -> str | None:
    """The answer's reprompt, as plain text; None when there is none."""
    reprompt = _response(answer).get("reprompt")
    if not isinstance(reprompt, Mapping):
        return None
    return _output_speech_text(reprompt.get("outputSpeech"))


def card_text(answer: Mapping[str, Any]) -> str | None:
    """The card's title and text on two lines; None when the answer has no card."""
    card = _response(answer).get("card")
    if not isinstance(card, Mapping):
        return None
    body = card.get("content", card.get("text", ""))
    return f"{card.get('title', '')}\n{body or ''}".strip()


def directive_types(answer: Mapping[str, Any]) -> list[str]:
    """The types of the answer's directives, in order."""
    directives = _response(answer).get("directives") or []
    return [str(d.get("type")) for d in directives if isinstance(d, Mapping)]


_MISSING: Final = object()


def attribute_at(attributes: Any, path: str) -> Any:
    """The value at a dotted path (``state.holds.knee-hug``, ``list.0``); a sentinel if absent.

    Use :func:`has_attribute` to tell a missing value from a null one.
    """
    value = attributes
    for part in path.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def has_attribute(attributes: Any, path: str) -> bool:
    """Whether the dotted path exists in the attributes."""
    return attribute_at(attributes, path) is not _MISSING


# --- transports ------------------------------------------------------------------------------


class Transport(Protocol):
    """Delivers one request envelope and returns the response envelope."""

    def send(self, envelope: Mapping[str, Any]) -> dict[str, Any]:
        """Deliver ``envelope``; raise :class:`TransportError` when no answer comes back."""
        ...


class SkillTransport:
    """In process: the envelope goes through ``skill.alexa.skill.handle_envelope`` to
    ``skill.invoke``."""

    def __init__(self, skill: Any, on_close: Callable[[], None] | None = None) -> None:
        self.skill = skill
        """The ask-sdk ``CustomSkill``."""
        self._on_close = on_close

    def send(self, envelope: Mapping[str, Any]) -> dict[str, Any]:
        """Answer ``envelope`` with the skill, as the Flask endpoint would."""
        from skill.alexa.skill import AlexaRequestError, handle_envelope

        # A round trip through JSON, as over the wire: the skill gets no shared objects.
        wire = json.loads(json.dumps(envelope))
        try:
            return handle_envelope(self.skill, wire)
        except AlexaRequestError as error:
            raise TransportError(f"the skill refused the request: {error}") from None

    def close(self) -> None:
        """Release what the skill holds (its database)."""
        if self._on_close is not None:
            self._on_close()
            self._on_close = None


class HttpTransport:
    """Over HTTP: POST the envelope as JSON to a running endpoint such as ``.../alexa``.

    ``sign`` gives extra headers for a body (a verifying server needs Alexa's signature
    headers; tests sign with their own certificate authority).
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 10.0,
        sign: Callable[[bytes], Mapping[str, str]] | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url
        """Where requests are posted."""
        self.timeout = timeout
        """Seconds to wait for each answer."""
        self.sign = sign

    def send(self, envelope: Mapping[str, Any]) -> dict[str, Any]:
        """POST ``envelope`` and return the decoded answer."""
        body = json.dumps(envelope).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.sign is not None:
            headers.update(self.sign(body))
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                raw = reply.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip()
            raise TransportError(f"{self.url} answered HTTP {error.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise TransportError(f"cannot reach {self.url}: {reason}") from None
        try:
            answer = json.loads(raw)
        except ValueError:
            raise TransportError(f"{self.url} answered with something that is not JSON") from None
        if not isinstance(answer, dict):
            raise TransportError(f"{self.url} answered with JSON that is not an object")
        return answer


def in_process_transport(db_path: Path, routine_files: Sequence[Path] = ()) -> SkillTransport:
    """The skill in this process over the built-in routines (and ``routine_files``).

    Users' progress goes to a SQLite file at ``db_path``; :meth:`SkillTransport.close` closes it.
    """
    from routines.loader import load_library
    from skill.alexa.persistence import SQLitePersistenceAdapter
    from skill.alexa.skill import build_skill
    from skill.core.store import SQLiteStore

    store = SQLiteStore(db_path)
    skill = build_skill(load_library(routine_files), SQLitePersistenceAdapter(store))
    return SkillTransport(skill, on_close=store.close)


# --- catching the catch-all ------------------------------------------------------------------


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class CatchAllWatch:
    """Notices the skill's catch-all exception handler: errors logged on ``skill.alexa.skill``.

    Only skills in this process (or in a server thread of it) can be watched this way; over
    HTTP the replay also recognises the apology the handler speaks.
    """

    def __init__(self, logger_name: str = CATCH_ALL_LOGGER) -> None:
        self._logger = logging.getLogger(logger_name)
        self._collector = _Collector()
        self._seen = 0

    @contextmanager
    def watching(self) -> Iterator[CatchAllWatch]:
        """Collect the logger's errors while the block runs."""
        self._logger.addHandler(self._collector)
        try:
            yield self
        finally:
            self._logger.removeHandler(self._collector)

    def take(self) -> list[str]:
        """The errors logged since the last call, each with its exception."""
        records = self._collector.records[self._seen :]
        self._seen = len(self._collector.records)
        messages = []
        for record in records:
            message = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                error = record.exc_info[1]
                message += f": {type(error).__name__}: {error}"
            messages.append(message)
        return messages


@functools.cache
def _apology(locale: str) -> str:
    from speech import phrases

    return strip_ssml(phrases.say("error.apology")).casefold()


def _is_apology(answer: Mapping[str, Any], locale: str) -> bool:
    spoken = speech_text(answer)
    return spoken is not None and _apology(locale) in spoken.casefold()


# --- outcomes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """One expectation that did not hold, with what the skill answered."""

    location: str
    """``FILE:LINE`` of the step (or the recorded request file)."""
    test: str
    """The test's name."""
    step: str
    """The step: its number and what it did (``step 2 (say "stop")``)."""
    message: str
    """What was expected and what came instead."""
    answer: Mapping[str, Any] | None = None
    """The response envelope; None when none came back."""

    def format(self, *, with_answer: bool = True) -> str:
        """The failure and (unless told not to) the response text, for a person reading it."""
        lines = [f"{self.location}: {self.test}: {self.step}: {self.message}"]
        if with_answer and self.answer is not None:
            lines.append(f"    speech:   {speech_text(self.answer) or '(none)'}")
            lines.append(f"    reprompt: {reprompt_text(self.answer) or '(none)'}")
            ends = _response(self.answer).get("shouldEndSession")
            lines.append(f"    shouldEndSession: {json.dumps(ends)}")
        return "\n".join(lines)


def format_failures(failures: Sequence[Failure]) -> str:
    """Failures for a terminal: each step's failed expectations, then its answer once."""
    blocks: list[str] = []
    for index, failure in enumerate(failures):
        following = failures[index + 1] if index + 1 < len(failures) else None
        same_step = (
            following is not None
            and following.location == failure.location
            and following.step == failure.step
            and following.answer is failure.answer
        )
        blocks.append(failure.format(with_answer=not same_step))
    return "\n".join(blocks)


@dataclass
class TestOutcome:
    """How one test went."""

    __test__ = False  # not a pytest test class

    source: str
    """The dialog file or recording."""
    name: str
    """The test's name."""
    location: str
    """``FILE:LINE`` of the test."""
    failures: list[Failure] = field(default_factory=list)
    """Every failed expectation, in order."""
    answers: list[dict[str, Any]] = field(default_factory=list)
    """The response envelopes, one per step that got an answer."""

    @property
    def passed(self) -> bool:
        """Whether every step answered as expected."""
        return not self.failures


@dataclass
class ReplayReport:
    """The outcomes of a replay run."""

    outcomes: list[TestOutcome] = field(default_factory=list)
    """One per test, in the order run."""

    @property
    def passed(self) -> int:
        """How many tests passed."""
        return sum(1 for outcome in self.outcomes if outcome.passed)

    @property
    def failed(self) -> int:
        """How many tests failed."""
        return len(self.outcomes) - self.passed

    def summary(self) -> str:
        """``N passed, M failed``."""
        return f"{self.passed} passed, {self.failed} failed"


# --- checking an answer ----------------------------------------------------------------------


def _check_text(
    what: str, text: str | None, expected: str | list[str] | bool | None, patterns: list[Pattern]
) -> list[str]:
    if expected is None:
        return []
    if expected is False:
        return [] if not text else [f"{what} should be absent, but there is one"]
    if text is None:
        return [f"{what} should {patterns[0].describe()}, but there is no {what}"]
    return [f"{what} should {p.describe()}" for p in patterns if not p.matches(text)]


def check_answer(expect: Expect, answer: Mapping[str, Any], intent: str | None) -> list[str]:
    """Every expectation of ``expect`` that ``answer`` does not meet, as a message."""
    problems: list[str] = []
    if expect.intent is not None and intent != expect.intent:
        problems.append(f"the utterance should resolve to {expect.intent}, not {intent}")
    problems += _check_text("speech", speech_text(answer), expect.speech, expect.speech_patterns)
    problems += _check_text(
        "reprompt", reprompt_text(answer), expect.reprompt, expect.reprompt_patterns
    )
    if expect.session_ended is not None:
        ended = _response(answer).get("shouldEndSession") is True
        if ended != expect.session_ended:
            state = "ended" if ended else "stayed open"
            problems.append(
                f"the session should {'end' if expect.session_ended else 'stay open'}, "
                f"but it {state}"
            )
    attributes = answer.get("sessionAttributes") or {}
    for path, wanted in (expect.attributes or {}).items():
        actual = attribute_at(attributes, path)
        if actual is _MISSING:
            problems.append(f"session attribute {path} should be {json.dumps(wanted)}: missing")
        elif actual != wanted:
            problems.append(
                f"session attribute {path} should be {json.dumps(wanted)}, not {json.dumps(actual)}"
            )
    card = card_text(answer)
    if expect.card is True and card is None:
        problems.append("a card should be shown, but there is none")
    elif expect.card is False and card is not None:
        problems.append(f"no card should be shown, but there is one: {card!r}")
    elif isinstance(expect.card, str):
        problems += _check_text("card", card, expect.card, expect.card_patterns)
    if expect.directives is not None:
        present = directive_types(answer)
        if not expect.directives and present:
            problems.append(f"there should be no directive, but there are {', '.join(present)}")
        missing = [kind for kind in expect.directives if kind not in present]
        if missing:
            found = ", ".join(present) or "none"
            problems.append(f"directive {', '.join(missing)} should be present (found: {found})")
    return problems


def _comparable(value: Any) -> Any:
    """A copy without ids and timestamps, which differ from run to run."""
    if isinstance(value, Mapping):
        return {k: _comparable(v) for k, v in value.items() if k not in _VOLATILE_KEYS}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    return value


def _differences(recorded: Any, now: Any, path: str = "") -> list[str]:
    if isinstance(recorded, Mapping) and isinstance(now, Mapping):
        found: list[str] = []
        for key in sorted(set(recorded) | set(now), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in now:
                found.append(f"{where} is gone (was {json.dumps(recorded[key])})")
            elif key not in recorded:
                found.append(f"{where} is new ({json.dumps(now[key])})")
            else:
                found += _differences(recorded[key], now[key], where)
        return found
    if recorded != now:
        return [f"{path or 'the attributes'} is {json.dumps(now)}, was {json.dumps(recorded)}"]
    return []


def compare_answers(recorded: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """How ``now`` differs from the ``recorded`` answer in speech, reprompt and session state."""
    problems: list[str] = []
    for what, read in (("speech", speech_text), ("reprompt", reprompt_text)):
        before, after = read(recorded), read(now)
        if before != after:
            problems.append(f"{what} differs:\n      was: {before}\n      now: {after}")
    ended_before = _response(recorded).get("shouldEndSession")
    ended_now = _response(now).get("shouldEndSession")
    if ended_before != ended_now:
        problems.append(
            f"shouldEndSession is {json.dumps(ended_now)}, was {json.dumps(ended_before)}"
        )
    before_attributes = _comparable(recorded.get("sessionAttributes") or {})
    now_attributes = _comparable(now.get("sessionAttributes") or {})
    for difference in _differences(before_attributes, now_attributes):
        problems.append(f"session state differs: {difference}")
    return problems


# --- running ---------------------------------------------------------------------------------


@functools.cache
def _model(locale: str) -> dict[str, Any]:
    import interaction_model

    return interaction_model.load(locale)


def _resolve(locale: str, text: str) -> Any:
    from skill.core.resolver import Resolver

    return Resolver.for_locale(locale).resolve(text)


def _is_launch_phrase(text: str, locale: str) -> bool:
    """ "open massage coach", "Alexa, launch massage coach": a LaunchRequest, not an intent."""
    from skill.core.resolver import normalize

    words = normalize(text)
    if words[:1] == ["alexa"]:
        words = words[1:]
    invocation = normalize(
        str(_model(locale)["interactionModel"]["languageModel"]["invocationName"])
    )
    return (
        len(words) == len(invocation) + 1 and words[0] in _LAUNCH_VERBS and words[1:] == invocation
    )


class _Reporter:
    """Adds the failures of one step to its test's outcome."""

    def __init__(self, outcome: TestOutcome, location: str, label: str) -> None:
        self.outcome = outcome
        self.location = location
        self.label = label

    def __call__(self, message: str, answer: Mapping[str, Any] | None = None) -> None:
        self.outcome.failures.append(
            Failure(self.location, self.outcome.name, self.label, message, answer)
        )


class _StepError(DialogError):
    """A step that cannot be turned into a request (the test's fault, not the skill's)."""


class DialogRunner:
    """Runs dialog tests and recorded conversations through a transport, and checks the answers.

    ``run_tag`` is added to every user id, so that two runs against the same endpoint (and
    its stored progress) do not meet; by default it is random. ``clock`` and ``ids`` stamp
    the requests.
    """

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
        report = ReplayReport()
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
        handler answered, since later steps would then test nothing meaningful.
        """
        user = dialog.user or f"replay-{self.ids()}"
        device = test.device or dialog.device
        caller = Caller(
            user_id=self._user_id(user),
            device_id=f"amzn1.ask.device.replay-{device}",
            skill_id=self.skill_id,
            locale=dialog.locale,
            interfaces=dict(SCREEN_INTERFACES if device == "screen" else VOICE_INTERFACES),
        )
        side = AlexaSide(caller, clock=self.clock, ids=self.ids)
        outcome = TestOutcome(dialog.source, test.name, dialog.location(test.line))
        with self.watch.watching():
            self.watch.take()
            for number, step in enumerate(test.steps, start=1):
                label = f"step {number} ({step.label()})"

                fail = _Reporter(outcome, dialog.location(step.line), label)

                try:
                    envelope, intent = self._envelope(dialog, step, side)
                except (_StepError, EnvelopeError) as error:
                    fail(str(error))
                    break
                try:
                    answer = self.transport.send(envelope)
                except TransportError as error:
                    fail(str(error))
                    break
                outcome.answers.append(answer)
                side.receive(envelope, answer)
                if self._crashed(answer, dialog.locale, fail):
                    break
                for message in check_answer(step.expect, answer, intent):
                    fail(message, answer)
        return outcome

    def _crashed(self, answer: Mapping[str, Any], locale: str, fail: _Reporter) -> bool:
        errors = self.watch.take()
        if errors:
            fail(f"the skill's catch-all exception handler was reached: {errors[0]}", answer)
            return True
        if _is_apology(answer, locale):
            fail("the skill answered with its apology for an internal error", answer)
            return True
        return False

    def _envelope(
        self, dialog: DialogFile, step: Step, side: AlexaSide
    ) -> tuple[dict[str, Any], str | None]:
        """The envelope for a step, and the intent a ``say`` resolved to."""
        if step.new_session:
            side.new_session()
        if step.launch or (step.say is not None and _is_launch_phrase(step.say, dialog.locale)):
            side.new_session()
            return side.envelope(launch_request()), None
        if step.say is not None:
            from skill.core.resolver import to_alexa_intent

            resolution = _resolve(dialog.locale, step.say)
            intent = to_alexa_intent(resolution, skill_id=self.skill_id)
            return side.envelope({"type": "IntentRequest", "intent": intent}), resolution.intent
        if step.intent is not None:
            request = intent_request(
                step.intent, step.slots, _model(dialog.locale), skill_id=self.skill_id
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

    def run_recorded(self, conversation: RecordedConversation) -> TestOutcome:
        """Send a recorded conversation's requests again; compare each answer with the recorded.

        Each request goes as recorded (with its session attributes), with a fresh request id
        and timestamp, and the run tag on its user id; ids and timestamps are not compared.
        """
        outcome = TestOutcome(conversation.source, conversation.name, conversation.source)
        with self.watch.watching():
            self.watch.take()
            for number, exchange in enumerate(conversation.exchanges, start=1):
                envelope = self._restamped(exchange.request)
                kind = envelope.get("request", {}).get("type", "?")
                intent = envelope.get("request", {}).get("intent", {}).get("name")
                label = f"request {number} ({intent or kind})"
                locale = str(envelope.get("request", {}).get("locale") or "en-US")

                fail = _Reporter(outcome, exchange.source, label)

                try:
                    answer = self.transport.send(envelope)
                except TransportError as error:
                    fail(str(error))
                    break
                outcome.answers.append(answer)
                if self._crashed(answer, locale, fail):
                    break
                for message in compare_answers(exchange.response, answer):
                    fail(message, answer)
        return outcome

    def _restamped(self, recorded: Mapping[str, Any]) -> dict[str, Any]:
        envelope = copy.deepcopy(dict(recorded))
        request = envelope.get("request")
        if isinstance(request, dict):
            request["requestId"] = f"amzn1.echo-api.request.{self.ids()}"
            request["timestamp"] = alexa_timestamp(self.clock())
        if self.run_tag:
            for holder in (
                envelope.get("session", {}).get("user"),
                envelope.get("context", {}).get("System", {}).get("user"),
            ):
                if isinstance(holder, dict) and isinstance(holder.get("userId"), str):
                    holder["userId"] = f"{holder['userId']}.{self.run_tag}"
        return envelope


# --- the command -----------------------------------------------------------------------------


def _split(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """Dialog files and folders on one side, recordings on the other."""
    dialogs: list[Path] = []
    recordings: list[Path] = []
    for path in paths:
        if path.is_dir():
            if any(p.suffix in DIALOG_SUFFIXES for p in path.iterdir()):
                dialogs.append(path)
            from skill.alexa.recording import is_recording

            if is_recording(path):
                recordings.append(path)
            if path not in dialogs and path not in recordings:
                dialogs.append(path)
        elif path.suffix == ".json":
            recordings.append(path)
        else:
            dialogs.append(path)
    return dialogs, recordings


def run_replay(
    paths: Sequence[Path],
    *,
    url: str | None = None,
    routine_files: Sequence[Path] = (),
    out: TextIO | None = None,
    runner_factory: Callable[[Transport], DialogRunner] = DialogRunner,
) -> int:
    """``massage-coach replay``: run dialog files and recordings; return the exit status.

    In process (no ``url``) the skill runs over the built-in routines (plus
    ``routine_files``) with a fresh, temporary database, so runs repeat exactly.
    """
    import sys

    stream = out or sys.stdout
    dialog_paths, recording_paths = _split(paths)
    try:
        dialogs = load_dialogs(dialog_paths)
        recordings = load_recordings(recording_paths)
    except (DialogFileError, RecordingError) as error:
        for problem in error.problems:
            print(problem, file=stream)
        return 2
    if not dialogs and not recordings:
        print("nothing to replay: give dialog files (*.yaml) or recordings", file=stream)
        return 2
    with tempfile.TemporaryDirectory(prefix="massage-coach-replay-") as scratch:
        transport: Transport
        if url is not None:
            try:
                transport = HttpTransport(url)
            except ValueError as error:
                print(error, file=stream)
                return 2
            report = runner_factory(transport).run(dialogs, recordings)
        else:
            local = in_process_transport(Path(scratch) / "replay.db", routine_files)
            try:
                report = runner_factory(local).run(dialogs, recordings)
            finally:
                local.close()
    for outcome in report.outcomes:
        if outcome.failures:
            print(format_failures(outcome.failures), file=stream)
    print(report.summary(), file=stream)
    return 0 if report.failed == 0 else 1
