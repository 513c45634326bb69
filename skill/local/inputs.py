"""Where the local coach's commands come from: single keys, lines on stdin, the microphone.

Every source resolves what it got to an intent with the same resolver and the same table as
the Alexa skill (`skill.core.resolver.Resolver`, `skill.core.commands.to_command`) and puts the
result on one
`InputQueue`. The queue raises an interrupt flag whenever a command arrives, which is what cuts
short a prompt that is playing. Input that is not a command is queued as `Rejected`, so the
screen can say so, but it never interrupts and is never forced onto the nearest command.

- Keys (`KeyReader`): the terminal in cbreak mode (no Enter needed, Ctrl-C still a signal),
  restored on exit. `n` next, `b` back, `r` repeat, `+` longer, `-` shorter, space
  pause/resume, `s` skip, `?` help, `q` quit, and a few more (see `KEYS`).
- Lines (`LineReader`): each line on a stdin that is not a terminal is one utterance.
- Voice (`VoiceReader`): phrases from a `speech.microphone.MicrophoneListener`, muted by the
  runner while the coach speaks so it never hears itself.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import select
import termios
import threading
import tty
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from types import TracebackType
from typing import IO, Any, Final, Protocol, Self

from routines.commands import Command, CommandKind
from skill.core.commands import UnknownIntentError, to_command
from skill.core.intents import IntentName
from skill.core.resolution import (
    Clarification,
    Confirmation,
    Resolution,
    concern_question,
    decide,
    guess_question,
)
from skill.core.resolver import Resolver
from speech import phrases

__all__ = [
    "KEYS",
    "Ended",
    "Heard",
    "Input",
    "InputQueue",
    "KeyContext",
    "KeyReader",
    "LineReader",
    "Rejected",
    "Source",
    "Unsure",
    "VoiceReader",
    "key_intent",
    "parse_keys",
    "resolve_heard",
    "resolve_text",
    "text_of",
]


_SLOT_REFERENCE: Final = re.compile(r"\{[^{}]*\}")


class Source(StrEnum):
    """Where an input came from."""

    KEY = "key"
    LINE = "line"
    VOICE = "voice"


@dataclass(frozen=True)
class Heard:
    """A command, resolved from a key, a line or a phrase."""

    command: Command
    """What the engine is asked to do."""
    intent: str
    """The intent it was resolved to, as the Alexa skill would receive it."""
    text: str
    """What was typed, heard or pressed (a key is shown by its name, such as "space")."""
    source: Source


@dataclass(frozen=True)
class Unsure:
    """Input with two readings too close to choose between: the coach asks before acting.

    Either two commands ("Skip this step, or stop?": the answer is the next command), or a
    go-on command the microphone heard narrowly over a safety phrase ("Did you say it hurts?":
    yes means `yes`, no means `no`).
    """

    question: str
    """What the coach asks."""
    text: str
    """What was typed or heard."""
    source: Source
    yes: Command | None = None
    """For a yes-or-no question: the command yes stands for."""
    no: Command | None = None
    """For a yes-or-no question: the command no stands for."""
    insist: bool = False
    """A question about a red flag: an answer that only goes on ("next") gets it asked once
    more before the routine goes on."""
    guessed: str | None = None
    """For a question about a guess (no sample read the words): the intent guessed, which a yes
    stands for."""

    def again(self, going_on: Command) -> Unsure:
        """The question asked once more after `going_on` was said instead of an answer,
        insisting no more (see `insist`): a no then does what `going_on` asked."""
        question = phrases.say("concern.again", question=self.question)
        return replace(self, question=question, no=going_on, insist=False)


@dataclass(frozen=True)
class Rejected:
    """Input that is no command the coach knows; shown, never applied."""

    text: str
    source: Source


@dataclass(frozen=True)
class Ended:
    """A source has nothing more to give (stdin closed, the microphone failed)."""

    source: Source
    notice: str | None = None
    """Why, when the user should be told (a failed microphone); None for a plain end of input."""


Input = Heard | Unsure | Rejected | Ended


class InputQueue:
    """The one queue every source feeds; `interrupt` is set while a command is waiting.

    The flag and the queue change together under one lock, so the consumer can never clear the
    flag while a command it has not seen is waiting.
    """

    def __init__(self) -> None:
        self._items: queue.SimpleQueue[Input] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._commands = 0
        self.interrupt: Final = threading.Event()
        """Set while at least one `Heard` or `Unsure` is queued: a prompt playing should stop."""

    def put(self, item: Input) -> None:
        """Queue `item` (thread-safe); a `Heard` or an `Unsure` sets `interrupt`."""
        with self._lock:
            self._items.put(item)
            if isinstance(item, Heard | Unsure):
                self._commands += 1
                self.interrupt.set()

    def get(self, timeout: float | None = None) -> Input | None:
        """The next item, waiting up to `timeout` seconds (forever if None); None on time-out."""
        try:
            item = self._items.get(timeout=timeout)
        except queue.Empty:
            return None
        if isinstance(item, Heard | Unsure):
            with self._lock:
                self._commands -= 1
                if self._commands == 0:
                    self.interrupt.clear()
        return item

    def get_nowait(self) -> Input | None:
        """The next item if one is waiting, else None."""
        return self.get(timeout=0) if not self._items.empty() else None

    def empty(self) -> bool:
        """Whether nothing is waiting."""
        return self._items.empty()


# -- resolving text ----------------------------------------------------------------------


def _command_for(resolution: Resolution) -> Command | None:
    values = {name: resolution.value(name) for name in resolution.slots}
    try:
        return to_command(resolution.intent, values)
    except UnknownIntentError:
        return None


def _bare(sample: str | None) -> bool:
    """Whether a sample is little more than its slots ("the {routine}"), so any sentence fits."""
    if sample is None:
        return True
    return len(_SLOT_REFERENCE.sub(" ", sample).split()) <= 1


def resolve_text(
    resolver: Resolver, text: str, source: Source, *, strict: bool = False
) -> Heard | Unsure | Rejected:
    """What `text` asks for: a `Heard` command, or `Rejected` when it is no command.

    The fallback intent is rejected, not answered with help: a stray sentence must not stop a
    hold; when its words most likely mean a command (the resolution's `guess`), the coach asks
    about it and acts only on a yes. A custom slot whose words match none of its values (a
    routine nobody has) rejects the phrase when the sample is little more than the slot ("the
    {routine}" takes "the weather is nice"), and always with `strict` (speech), because a
    recogniser that heard "start the weather" misheard; a typed "start the foo routine" still
    reaches the engine, which says there is no such routine.
    """
    resolution = resolver.resolve(text)
    if resolution.check is not None:
        return _checked(resolution, resolution.check, text, source, strict=strict)
    return _decided(resolution, text, source, strict=strict)


def _checked(
    resolution: Resolution, check: Resolution, text: str, source: Source, *, strict: bool
) -> Unsure:
    """A symptom the words may tell is asked about first: yes reports it; no does what the
    rest of the sentence asked for, or carries on (says how far along, and the hold goes on)."""
    reported = _command_for(check)
    rest = _decided(replace(resolution, check=None), text, source, strict=strict)
    no = rest.command if isinstance(rest, Heard) else Command(CommandKind.STATUS)
    red_flag = reported is not None and reported.kind is CommandKind.RED_FLAG
    return Unsure(concern_question(check), text, source, yes=reported, no=no, insist=red_flag)


def _guessed(
    guess: Resolution | None, text: str, source: Source, *, strict: bool
) -> Unsure | Rejected:
    """A sentence no sample reads is rejected, unless its words most likely mean a command:
    then the coach asks ("Should I make the hold longer?"); yes does it, no carries on (says how
    far along, and the hold goes on). Not for speech (`strict`): the recogniser only hears the
    model's phrases."""
    command = _command_for(guess) if guess is not None and not strict else None
    if guess is None or command is None:
        return Rejected(text, source)
    question = guess_question(guess)
    no = Command(CommandKind.STATUS)
    return Unsure(question, text, source, yes=command, no=no, guessed=guess.intent)


def _decided(
    resolution: Resolution, text: str, source: Source, *, strict: bool
) -> Heard | Unsure | Rejected:
    if resolution.is_fallback:
        return _guessed(resolution.guess, text, source, strict=strict)
    unmatched = not all(slot.matched for slot in resolution.slots.values())
    if unmatched and (strict or _bare(resolution.sample)):
        return Rejected(text, source)
    decision = decide(resolution)
    if isinstance(decision, Clarification):
        return Unsure(decision.question, text, source)
    command = _command_for(resolution)
    if command is None:
        return Rejected(text, source)
    if isinstance(decision, Confirmation):
        return Unsure(decision.question, text, source, yes=command, no=Command(CommandKind.STATUS))
    return Heard(command, resolution.intent, text, source)


# -- keys --------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyContext:
    """What a key means depends on where the session stands."""

    offer_pending: bool = False
    """A yes/no question is open: `n` answers no instead of moving on."""
    paused: bool = False
    """Space resumes instead of pausing."""


@dataclass(frozen=True)
class Key:
    """One key binding, for the keymap and the screen's list of commands."""

    key: str
    """The character (or a name such as "right" for an arrow key)."""
    label: str
    """How the screen shows the key."""
    intent: IntentName
    """The intent it stands for."""
    does: str
    """What it does, in two or three words."""


KEYS: Final[tuple[Key, ...]] = (
    Key("n", "n", IntentName.NEXT, "next"),
    Key("b", "b", IntentName.PREVIOUS, "back"),
    Key("r", "r", IntentName.REPEAT, "repeat"),
    Key("+", "+", IntentName.LONGER_HOLD, "longer"),
    Key("-", "-", IntentName.SHORTER_HOLD, "shorter"),
    Key(" ", "space", IntentName.PAUSE, "pause/resume"),
    Key("s", "s", IntentName.SKIP, "skip step"),
    Key("t", "t", IntentName.PROGRESS, "time left"),
    Key("w", "w", IntentName.EXPLAIN, "why"),
    Key("!", "!", IntentName.PAIN, "it hurts"),
    Key("?", "?", IntentName.HELP, "help"),
    Key("q", "q", IntentName.STOP, "quit"),
    Key("y", "y", IntentName.YES, "yes"),
    Key("g", "g", IntentName.READY, "ready, go"),
)
"""Every key the coach answers to, in the order the screen lists them."""

# Aliases: "=" is "+" without shift, arrows move, Enter says yes to an open question.
_ALIASES: Final[dict[str, str]] = {"=": "+", "_": "-", "right": "n", "left": "b", "p": " "}
_BY_KEY: Final[dict[str, Key]] = {binding.key: binding for binding in KEYS}
_ESCAPES: Final[dict[bytes, str]] = {b"\x1b[C": "right", b"\x1bOC": "right", b"\x1b[D": "left"}
_KEY_NAMES: Final[dict[str, str]] = {" ": "space", "\r": "enter", "\n": "enter"}


def key_intent(key: str, context: KeyContext = KeyContext()) -> IntentName | None:
    """The intent a key stands for right now, or None for a key the coach ignores."""
    key = _ALIASES.get(key, key.lower() if len(key) == 1 else key)
    if context.offer_pending:
        if key == "n":
            return IntentName.NO
        if key in ("\r", "\n"):
            return IntentName.YES
    binding = _BY_KEY.get(key)
    if binding is None:
        return None
    if binding.key == " " and context.paused:
        return IntentName.RESUME
    return binding.intent


def parse_keys(data: bytes) -> list[str]:
    """The keys in one read from a terminal: characters, and arrow keys by name."""
    keys: list[str] = []
    position = 0
    while position < len(data):
        for sequence, name in _ESCAPES.items():
            if data.startswith(sequence, position):
                keys.append(name)
                position += len(sequence)
                break
        else:
            if data[position] == 0x1B:
                # Another escape sequence (a function key): skip it whole, it is no command.
                position += 1
                if position < len(data) and data[position] in b"[O":
                    position += 1
                    while position < len(data) and not 0x40 <= data[position] <= 0x7E:
                        position += 1
                    position += 1
                continue
            keys.append(chr(data[position]) if data[position] < 0x80 else "")
            position += 1
    return [key for key in keys if key]


class KeyReader:
    """Reads single key presses from a terminal, without Enter, on a background thread.

    Use as a context manager: entering puts the terminal in cbreak mode (each key arrives at
    once, no echo; Ctrl-C still sends SIGINT) and starts the thread; leaving stops the thread
    and restores the terminal exactly as it was, whatever happened in between.
    """

    _POLL_S: Final = 0.1

    def __init__(
        self,
        inputs: InputQueue,
        fd: int,
        context: Callable[[], KeyContext] = KeyContext,
    ) -> None:
        self.inputs = inputs
        self.fd = fd
        self.context = context
        """Called on every key press to learn what the key means now."""
        self._saved: list[Any] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Self:
        self._saved = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd, termios.TCSANOW)
        self._thread = threading.Thread(target=self._read, name="keys", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop reading and restore the terminal (safe to call twice)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
            self._thread = None
        if self._saved is not None:
            with contextlib.suppress(termios.error):
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
            self._saved = None

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.fd], [], [], self._POLL_S)
                if not ready:
                    continue
                data = os.read(self.fd, 64)
            except OSError:
                break
            if not data:
                break
            for key in parse_keys(data):
                self._press(key)
        self.inputs.put(Ended(Source.KEY))

    def _press(self, key: str) -> None:
        intent = key_intent(key, self.context())
        if intent is None:
            return
        try:
            command = to_command(intent, {})
        except UnknownIntentError:
            return
        self.inputs.put(Heard(command, intent, _KEY_NAMES.get(key, key), Source.KEY))


# -- lines -------------------------------------------------------------------------------


class LineReader:
    """Reads utterances, one per line, from a stream on a background thread.

    Blank lines and lines starting with ``#`` are skipped, so a script can carry comments.
    The end of the stream queues `Ended(Source.LINE)`.
    """

    def __init__(self, inputs: InputQueue, stream: IO[str], resolver: Resolver) -> None:
        self.inputs = inputs
        self.stream = stream
        self.resolver = resolver
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        """Start reading."""
        self._thread = threading.Thread(target=self._read, name="lines", daemon=True)
        self._thread.start()
        return self

    def _read(self) -> None:
        try:
            for line in _lines(self.stream):
                self.inputs.put(resolve_text(self.resolver, line, Source.LINE))
        except (OSError, ValueError, UnicodeDecodeError) as error:
            self.inputs.put(Ended(Source.LINE, f"Standard input failed: {error}"))
            return
        self.inputs.put(Ended(Source.LINE))


def _lines(stream: IO[str]) -> Iterator[str]:
    for raw in stream:
        line = raw.strip()
        if line and not line.startswith("#"):
            yield line


# -- voice -------------------------------------------------------------------------------


class Phrase(Protocol):
    """A phrase the microphone heard (`speech.recognizer.Recognition` is one)."""

    @property
    def text(self) -> str:
        """The phrase."""
        ...

    @property
    def doubt(self) -> str | None:
        """A safety phrase that came close behind a go-on command, if one did; the phrase
        itself when it is a safety phrase heard doubtfully."""
        ...


class PhraseSource(Protocol):
    """What `VoiceReader` needs from a microphone listener: phrases as they are heard."""

    def phrases(self) -> Iterable[str | Phrase]:
        """Recognised phrases (text, or a `Phrase` with its doubt), one per utterance, until
        the listener is closed."""
        ...


def text_of(heard: str | Phrase) -> str:
    """The words of a recognised phrase, whichever form the listener gave it in."""
    return heard if isinstance(heard, str) else heard.text


def resolve_heard(resolver: Resolver, heard: str | Phrase) -> Heard | Unsure | Rejected:
    """What a recognised phrase asks for, as `resolve_text` strictly, except that a doubted
    phrase is a question: "Did you say it hurts?".

    A go-on command heard narrowly over a safety phrase: yes reports the symptom, no goes on.
    A safety phrase that is its own doubt (the keyword search found it in speech the grammar
    could not place): yes reports it, no does the current pass again.
    """
    text, doubt = text_of(heard), None if isinstance(heard, str) else heard.doubt
    result = resolve_text(resolver, text, Source.VOICE, strict=True)
    if doubt is None or not isinstance(result, Heard):
        return result
    safety = resolve_text(resolver, doubt, Source.VOICE, strict=True)
    if not isinstance(safety, Heard):
        return result
    question = phrases.say("clarify.safety", phrase=doubt)
    no = Command(CommandKind.REPEAT) if doubt == text else result.command
    return Unsure(question, text, Source.VOICE, yes=safety.command, no=no)


class VoiceReader:
    """Turns recognised phrases into commands on a background thread.

    The listener does the hearing (and is muted by the runner while the coach speaks); this
    resolves each phrase strictly, so a misheard sentence is rejected rather than forced.
    """

    def __init__(self, inputs: InputQueue, listener: PhraseSource, resolver: Resolver) -> None:
        self.inputs = inputs
        self.listener = listener
        self.resolver = resolver
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        """Start listening."""
        self._thread = threading.Thread(target=self._read, name="voice", daemon=True)
        self._thread.start()
        return self

    def _read(self) -> None:
        try:
            for heard in self.listener.phrases():
                if text_of(heard).strip():
                    self.inputs.put(resolve_heard(self.resolver, heard))
        except Exception as error:  # a device can fail in many ways; the coach keeps going
            self.inputs.put(
                Ended(Source.VOICE, f"The microphone stopped ({error}); use the keys instead.")
            )
            return
        self.inputs.put(Ended(Source.VOICE))
