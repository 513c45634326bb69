"""Dialog files: recorded conversations with the skill, written as YAML, and their schema.

A dialog file holds one or more tests; each test is a conversation of steps, and each step
says one thing to the skill and may check the answer::

    locale: en-US            # optional
    user: test-user-1        # optional: the same user across tests keeps stored progress
    device: voice            # optional: voice (default) or screen (renders APL)
    channels: [alexa, local] # optional: the front-ends the tests run on (default: both)
    tests:
      - name: start, then a longer hold
        steps:
          - launch: true
            expect: {speech: "/welcome/i", session_ended: false}
          - say: "start the piriformis release"
            expect: {speech: "hold", intent: StartRoutineIntent}
          - intent: SetHoldIntent
            slots: {duration: PT45S}
            expect: {speech: "45", attributes: {hold_seconds: 45}}
          - end_session: EXCEEDED_MAX_REPROMPTS
          - say: "stop"
            expect: {session_ended: true}

A step is exactly one of ``launch: true``, ``say`` (an utterance, resolved with the
interaction model), ``intent`` with optional ``slots``, ``end_session`` (``true`` or a reason)
or ``request`` (a recorded envelope file, relative to the dialog file). ``new_session: true``
makes a step open a new session, as when the user comes back later.

``at: <ISO 8601 time>`` on a step says when it happens: the request's ``timestamp`` on Alexa,
the coach's wall clock locally (hold pacing stays on the virtual clock). It may carry an
offset or not (then it is UTC): ``2026-03-02T08:00:00Z``, ``2026-03-02 09:00:00+01:00``,
``2026-03-02T08:00``; a date alone is its midnight, UTC. The time holds for the following
steps of the file, across its tests, until the next ``at:``, so one ``at:`` per session is
enough; times never go backwards. Steps before the first ``at:`` happen now (the real clock).
So a file with a ``user`` can be a journey over days and weeks::

    user: over-days
    tests:
      - name: monday
        steps:
          - launch: true
            at: 2026-03-02T08:00:00Z
          - say: "start the foam roller"
      - name: tuesday
        steps:
          - launch: true
            at: 2026-03-03T08:00:00Z

Expectations (:class:`Expect`): ``speech`` and ``reprompt`` are a pattern or a list of
patterns, each a case-insensitive substring or ``/regex/flags`` (flags from ``imsx``), matched
against the text with the SSML tags removed; ``false`` means none at all. ``session_ended``
checks ``shouldEndSession``; ``attributes`` maps dotted paths into the session attributes
(``state.status``) to their expected values; ``card`` is a pattern on the card's title and
text (or ``true``/``false`` for present/absent); ``directives`` lists directive types that
must be present (``[]``: none at all); ``intent`` checks which intent a ``say`` resolved to.

Every test runs on both front-ends (channels): ``alexa``, the skill in process or over HTTP, and
``local``, the local coach on a virtual clock. A test that depends on one of them says so with
``channels: [alexa]`` (on the test, or on the file for all its tests), with a comment saying why.

Alexa timers for long holds: ``timers: granted`` (or ``ask``: the permission is not granted
yet) on a file runs each test against a Timers API peer on loopback
(:mod:`skill.devtools.timers_peer`; the envelopes' ``apiEndpoint`` names it), on Alexa only.
Two kinds of step go with it: ``permission: ACCEPTED`` (or ``DENIED``, ``NOT_ANSWERED``), Alexa's
answer to its permission question, and ``timer_rings: true``, the newest timer ringing and
bringing the user back. ``expect.timers`` lists the calls a step made (``[]``: none)::

    timers: granted
    channels: [alexa]   # the local coach counts holds on its own clock
    tests:
      - name: five minutes of heat
        steps:
          - intent: SetHoldIntent
            slots: {duration: PT5M}
            expect: {timers: ["create PT5M Heat on the lower back"], session_ended: true}
          - timer_rings: true
            expect: {speech: "Welcome back", timers: []}

Loading is a chain (:func:`load_dialog_file` -> :func:`parse_dialog` -> :class:`DialogFile`);
every problem is reported as ``FILE:LINE: field: message``, all at once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from interaction_model import LOCALES
from routines.errors import Problem, ProblemsError
from routines.yamlfile import Path_, read_yaml
from skill.core.journal import format_time, parse_time
from skill.devtools.envelopes import SESSION_END_REASONS

__all__ = [
    "CHANNELS",
    "DIALOG_SUFFIXES",
    "Channel",
    "DeviceKind",
    "DialogError",
    "DialogFile",
    "DialogFileError",
    "DialogTest",
    "Expect",
    "Pattern",
    "PermissionAnswer",
    "Problem",
    "Step",
    "Timers",
    "dialog_files",
    "load_dialog_file",
    "load_dialogs",
    "parse_dialog",
    "parse_pattern",
]

DIALOG_SUFFIXES = frozenset({".yaml", ".yml"})
"""The file name endings of dialog files."""

DeviceKind = Literal["voice", "screen"]
"""A speaker without a screen, or a device that renders APL."""

Channel = Literal["alexa", "local"]
"""A front-end a dialog runs on: the Alexa skill (in process or over HTTP), or the local coach."""

CHANNELS: tuple[Channel, ...] = ("alexa", "local")
"""Every channel, in the order the pytest plugin runs them."""

_REGEX = re.compile(r"/(?P<body>.*)/(?P<flags>[imsx]*)", re.DOTALL)
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
_USER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class DialogError(Exception):
    """Root of the errors about dialog files and their replay."""


class DialogFileError(DialogError):
    """One or more dialog files hold problems; every problem found is listed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems: list[Problem] = problems
        """Each problem, located by file and line."""
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class Pattern:
    """What a text must contain: a substring (any case) or a regular expression."""

    source: str
    """The pattern as written in the dialog file."""
    regex: re.Pattern[str] | None = None
    """The compiled expression for ``/regex/flags``; None for a substring."""

    def matches(self, text: str) -> bool:
        """Whether ``text`` (already without SSML tags) satisfies the pattern."""
        if self.regex is not None:
            return self.regex.search(text) is not None
        return self.source.casefold() in text.casefold()

    def describe(self) -> str:
        """The pattern in a failure message: ``contain "hold"`` or ``match /^ok/i``."""
        if self.regex is not None:
            return f"match {self.source}"
        return f'contain "{self.source}"'


@functools.cache
def parse_pattern(text: str) -> Pattern:
    """A :class:`Pattern` from ``/regex/flags`` or a plain substring.

    Raises:
        ValueError: the regular expression does not compile.
    """
    found = _REGEX.fullmatch(text)
    if found is None or len(text) < 2:
        return Pattern(text)
    flags = 0
    for letter in found["flags"]:
        flags |= _FLAGS[letter]
    try:
        return Pattern(text, re.compile(found["body"], flags))
    except re.error as error:
        raise ValueError(f"bad regular expression {text}: {error}") from None


def _check_patterns(value: object) -> None:
    if isinstance(value, str):
        parse_pattern(value)
    elif isinstance(value, list):
        for item in value:
            parse_pattern(item)


def _check_channels(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    if not value:
        raise ValueError(f"channels needs at least one of {', '.join(CHANNELS)}")
    unknown = [name for name in value if name not in CHANNELS]
    if unknown:
        raise ValueError(
            f"unknown channel {', '.join(map(repr, unknown))}: the channels are alexa (the skill, "
            "in process or over HTTP) and local (the local coach)"
        )
    return value


def _patterns(value: str | list[str] | bool | None) -> list[Pattern]:
    if isinstance(value, str):
        return [parse_pattern(value)]
    if isinstance(value, list):
        return [parse_pattern(item) for item in value]
    return []


class Expect(BaseModel):
    """What a step's answer must show; every field left out is not checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    speech: str | list[str] | Literal[False] | None = None
    """Pattern(s) the spoken text must satisfy; ``false``: the answer says nothing."""
    reprompt: str | list[str] | Literal[False] | None = None
    """Pattern(s) the reprompt must satisfy; ``false``: no reprompt."""
    session_ended: bool | None = None
    """Whether the answer ends the session (``shouldEndSession``)."""
    attributes: dict[str, Any] | None = None
    """Dotted paths into the session attributes and their expected values."""
    card: str | bool | None = None
    """A pattern on the card's title and text, or whether a card is present at all."""
    directives: list[str] | None = None
    """Directive types that must be present; ``[]`` means no directive at all."""
    intent: str | None = None
    """The intent a ``say`` step must have resolved to."""
    timers: list[str] | None = None
    """The Timers API calls the step made, in order, as the peer notes them ("create PT5M
    Heat on the lower back", "pause 1", "delete 1"); ``[]``: none. Needs the file's ``timers``."""

    @field_validator("speech", "reprompt", "card")
    @classmethod
    def _compile(cls, value: object) -> object:
        _check_patterns(value)
        return value

    @property
    def speech_patterns(self) -> list[Pattern]:
        """The compiled ``speech`` patterns."""
        return _patterns(self.speech)

    @property
    def reprompt_patterns(self) -> list[Pattern]:
        """The compiled ``reprompt`` patterns."""
        return _patterns(self.reprompt)

    @property
    def card_patterns(self) -> list[Pattern]:
        """The compiled ``card`` pattern (none when ``card`` is a bool or absent)."""
        return _patterns(self.card if isinstance(self.card, str) else None)


def _moment(value: object) -> datetime | None:
    """A step's ``at:`` as an aware datetime: YAML gives a datetime, a date or a string."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            return parse_time(value.strip())
        except ValueError:
            pass
    raise ValueError(
        f"{value!r} is not an ISO 8601 time such as 2026-03-02T08:00:00Z "
        "(without an offset it is UTC)"
    )


StepKind = Literal["launch", "say", "intent", "end_session", "request", "permission", "timer_rings"]
_KINDS: tuple[StepKind, ...] = get_args(StepKind)

Timers = Literal["granted", "ask"]
"""A file's ``timers:``: a Timers API peer runs, and the user has granted the permission, or
not yet (the skill asks)."""

PermissionAnswer = Literal["ACCEPTED", "DENIED", "NOT_ANSWERED"]
"""The user's answer to Alexa's permission question, as its ``Connections.Response`` says."""


class Step(BaseModel):
    """One turn: what the user does, and what the answer must show."""

    model_config = ConfigDict(extra="forbid")

    launch: Literal[True] | None = None
    """"Alexa, open massage coach": a LaunchRequest in a new session."""
    say: str | None = Field(default=None, min_length=1)
    """An utterance, resolved to an intent and slots with the interaction model."""
    intent: str | None = Field(default=None, min_length=1)
    """An intent name, sent as an IntentRequest with ``slots``."""
    slots: dict[str, str | int] | None = None
    """Slot values for ``intent``: the words (or a custom value's id), ISO or spoken durations."""
    end_session: bool | str | None = None
    """A SessionEndedRequest: ``true`` (the user left) or a reason such as ``ERROR``."""
    request: str | None = Field(default=None, min_length=1)
    """A recorded request envelope (JSON), relative to the dialog file."""
    permission: PermissionAnswer | None = None
    """Alexa's ``Connections.Response`` to the timer permission question; ``ACCEPTED`` also
    grants the permission to the requests after it. Needs the file's ``timers``."""
    timer_rings: Literal[True] | None = None
    """The newest timer rings and the user says yes: the launch with the skill's task, in a
    new session. Needs the file's ``timers``."""
    new_session: bool = False
    """Open a new session for this step (the user comes back later)."""
    at: datetime | None = None
    """When this step happens (an aware datetime); it holds for the steps after it."""
    expect: Expect = Field(default_factory=Expect)
    """What the answer must show."""

    _line: int = PrivateAttr(default=0)
    _when: datetime | None = PrivateAttr(default=None)

    @field_validator("at", mode="before")
    @classmethod
    def _read_time(cls, value: object) -> datetime | None:
        return _moment(value)

    @model_validator(mode="after")
    def _one_kind(self) -> Step:
        given = [kind for kind in _KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            choices = ", ".join(_KINDS)
            found = f"got {', '.join(given)}" if given else "got none"
            raise ValueError(f"a step needs exactly one of {choices} ({found})")
        if self.slots is not None and self.intent is None:
            raise ValueError("slots go with an intent step")
        if self.end_session is False:
            raise ValueError("end_session is true or a reason, never false")
        if isinstance(self.end_session, str) and self.end_session not in SESSION_END_REASONS:
            raise ValueError(
                f"end_session reason {self.end_session!r} is not one of "
                + ", ".join(SESSION_END_REASONS)
            )
        if self.expect.intent is not None and self.say is None:
            raise ValueError("expect.intent checks a say step only")
        return self

    @property
    def kind(self) -> StepKind:
        """Which of the five kinds of step this is."""
        return next(kind for kind in _KINDS if getattr(self, kind) is not None)

    @property
    def line(self) -> int:
        """The step's line in its file (0 when not loaded from a file)."""
        return self._line

    @property
    def when(self) -> datetime | None:
        """When the step happens: its ``at:``, else the latest ``at:`` before it in its file;
        None before any (the step happens now)."""
        return self._when if self._when is not None else self.at

    @property
    def session_end_reason(self) -> str:
        """The SessionEndedRequest reason of an ``end_session`` step."""
        return self.end_session if isinstance(self.end_session, str) else "USER_INITIATED"

    def label(self) -> str:
        """The step in a message: ``say "stop"``, ``intent SetHoldIntent {duration: PT45S}``."""
        if self.say is not None:
            return f'say "{self.say}"'
        if self.intent is not None:
            slots = ", ".join(f"{name}: {value}" for name, value in (self.slots or {}).items())
            return f"intent {self.intent}" + (f" {{{slots}}}" if slots else "")
        if self.end_session is not None:
            return f"end_session {self.session_end_reason}"
        if self.request is not None:
            return f"request {self.request}"
        if self.permission is not None:
            return f"permission {self.permission}"
        if self.timer_rings is not None:
            return "timer rings"
        return "launch"


class DialogTest(BaseModel):
    """One conversation: a name and its steps. It starts in a new session."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    """The test's name, unique in its file."""
    steps: list[Step] = Field(min_length=1)
    """The turns, in order."""
    device: DeviceKind | None = None
    """The device for this test; the file's when absent."""
    channels: list[str] | None = None
    """The front-ends this test runs on (:data:`CHANNELS`); the file's when absent."""

    _line: int = PrivateAttr(default=0)

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, value: list[str] | None) -> list[str] | None:
        return _check_channels(value)

    @property
    def line(self) -> int:
        """The test's line in its file (0 when not loaded from a file)."""
        return self._line


class DialogFile(BaseModel):
    """A dialog file: settings shared by its tests, and the tests."""

    model_config = ConfigDict(extra="forbid")

    locale: str = "en-US"
    """The locale of every request, and of the model that resolves ``say`` steps."""
    user: str | None = Field(default=None, pattern=_USER.pattern)
    """A user name kept across the file's tests (stored progress carries); when absent, each
    test is a new user."""
    device: DeviceKind = "voice"
    """The device of the file's tests."""
    channels: list[str] | None = None
    """The front-ends the file's tests run on (:data:`CHANNELS`); all of them when absent."""
    tests: list[DialogTest] = Field(min_length=1)
    """The tests, run in order."""
    timers: Timers | None = None
    """Each test runs against a Timers API peer on loopback (Alexa only, so the file says
    ``channels: [alexa]``): ``granted``, the user let the skill set timers; ``ask``, not yet."""

    _source: str = PrivateAttr(default="<dialog>")
    _base: Path | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _check(self) -> DialogFile:
        if self.locale not in LOCALES:
            raise ValueError(f"locale {self.locale!r} is not one of {', '.join(LOCALES)}")
        names: set[str] = set()
        for test in self.tests:
            if test.name in names:
                raise ValueError(f"two tests are called {test.name!r}")
            names.add(test.name)
        steps = [step for test in self.tests for step in test.steps]
        needs_timers = any(
            step.permission or step.timer_rings or step.expect.timers is not None for step in steps
        )
        if needs_timers and self.timers is None:
            raise ValueError("permission, timer_rings and expect.timers need the file's timers")
        if self.timers is not None and self.channels != ["alexa"]:
            raise ValueError("a file with timers runs on Alexa only: say channels: [alexa]")
        return self

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, value: list[str] | None) -> list[str] | None:
        return _check_channels(value)

    def runs_on(self, test: DialogTest, channel: Channel) -> bool:
        """Whether ``test`` (one of this file's) runs on ``channel``."""
        channels = test.channels if test.channels is not None else self.channels
        return channels is None or channel in channels

    @property
    def timed(self) -> bool:
        """Whether any step says when it happens (``at:``)."""
        return any(step.at is not None for test in self.tests for step in test.steps)

    @property
    def source(self) -> str:
        """The file the dialog came from, as given (``<dialog>`` when parsed from text)."""
        return self._source

    def location(self, line: int) -> str:
        """``FILE:LINE`` for a line of this file."""
        return f"{self._source}:{line}"

    def resolve(self, relative: str) -> Path:
        """A path written in the file (a ``request`` step), relative to the file's folder."""
        path = Path(relative)
        if path.is_absolute() or self._base is None:
            return path
        return self._base / path


def _field(loc: Path_) -> str:
    # pydantic names the member of a union it tried ("str", "list[str]"); people need the key.
    parts = [str(part) for part in loc if not _is_union_member(part)]
    return ".".join(parts)


def _is_union_member(part: str | int) -> bool:
    return isinstance(part, str) and (
        part in {"str", "int", "bool", "list[str]", "literal[False]", "literal[True]"}
        or part.startswith(("literal[", "list[", "function-"))
    )


def parse_dialog(text: str, source: str, base: Path | None = None) -> DialogFile:
    """Parse and check one dialog file's text; ``source`` names it in problems.

    ``base`` is the folder that ``request`` paths are relative to.

    Raises:
        DialogFileError: with every problem found, each at its line.
    """
    try:
        document = read_yaml(text, source)
    except ProblemsError as error:
        raise DialogFileError(error.problems) from None
    data, lines = document.data, document.lines
    if not isinstance(data, dict):
        raise DialogFileError([Problem(source, 1, "", "must be a mapping with a list of tests")])
    try:
        dialog = DialogFile.model_validate(data)
    except ValidationError as error:
        problems: list[Problem] = []
        seen: set[tuple[int, str, str]] = set()
        for item in error.errors():
            loc = tuple(item["loc"])
            field = _field(loc)
            message = item["msg"].removeprefix("Value error, ")
            line = document.line_for(tuple(part for part in loc if not _is_union_member(part)))
            if (line, field, message) not in seen:
                seen.add((line, field, message))
                problems.append(Problem(source, line, field, message))
        raise DialogFileError(_merge_union_problems(problems)) from None
    dialog._source = source
    dialog._base = base
    for t, test in enumerate(dialog.tests):
        test._line = lines.get(("tests", t), 1)
        for s, step in enumerate(test.steps):
            step._line = lines.get(("tests", t, "steps", s), test._line)
    problems = _hold_times(dialog, lines)
    if problems:
        raise DialogFileError(problems)
    return dialog


def _hold_times(dialog: DialogFile, lines: dict[Path_, int]) -> list[Problem]:
    """Give every step the time it happens (the latest ``at:`` so far, in file order); a
    problem for each ``at:`` earlier than the one before it."""
    problems: list[Problem] = []
    held: datetime | None = None
    held_line = 0
    for t, test in enumerate(dialog.tests):
        for s, step in enumerate(test.steps):
            if step.at is not None:
                line = lines.get(("tests", t, "steps", s, "at"), step.line)
                if held is not None and step.at < held:
                    problems.append(
                        Problem(
                            dialog.source,
                            line,
                            f"tests.{t}.steps.{s}.at",
                            f"{format_time(step.at)} is earlier than the time before it "
                            f"({format_time(held)}, line {held_line}): times must not go "
                            "backwards",
                        )
                    )
                else:
                    held, held_line = step.at, line
            step._when = held
    return problems


_UNION_MESSAGES = {
    "speech": "must be a pattern, a list of patterns, or false",
    "reprompt": "must be a pattern, a list of patterns, or false",
    "card": "must be a pattern, true or false",
    "end_session": "must be true or a reason such as EXCEEDED_MAX_REPROMPTS",
    "slots": "must be words or a whole number",
}


def _merge_union_problems(problems: list[Problem]) -> list[Problem]:
    """One problem per field: a value that fits no member of a union gets one message."""
    merged: dict[tuple[int, str], Problem] = {}
    for problem in problems:
        key = (problem.line, problem.field)
        first = merged.get(key)
        if first is None:
            merged[key] = problem
            continue
        parts = problem.field.split(".")
        name = parts[-2] if len(parts) > 1 and parts[-2] == "slots" else parts[-1]
        message = _UNION_MESSAGES.get(name, f"{first.message}; or {problem.message}")
        merged[key] = Problem(first.file, first.line, first.field, message)
    return sorted(merged.values(), key=lambda problem: problem.line)


def load_dialog_file(path: Path) -> DialogFile:
    """Load one dialog file.

    Raises:
        DialogFileError: the file cannot be read, or holds problems.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise DialogFileError([Problem(str(path), 0, "", f"cannot read: {reason}")]) from None
    return parse_dialog(text, str(path), path.parent)


def dialog_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The dialog files among ``paths``: files as given, folders' ``*.yaml`` files sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix in DIALOG_SUFFIXES)
        else:
            yield path


def load_dialogs(paths: Iterable[Path]) -> list[DialogFile]:
    """Load dialog files and folders; every problem in every file is reported together.

    Raises:
        DialogFileError: with the problems of all files.
    """
    dialogs: list[DialogFile] = []
    problems: list[Problem] = []
    for path in dialog_files(paths):
        try:
            dialogs.append(load_dialog_file(path))
        except DialogFileError as error:
            problems.extend(error.problems)
    if problems:
        raise DialogFileError(problems)
    return dialogs
