"""The bodies of `massage-coach run` and `massage-coach listen`: wiring, devices, fallbacks.

`run_coach` puts the local coach together: the routine library, the store, a clock (sped up
by `--time-scale`), a speech engine and an audio sink, the input sources and a screen, then
runs `skill.local.coach.Coach`. Each device that is missing (no sound card, no speech engine, no
microphone) costs one notice and the best mode that is left: speech falls back to text on
the screen paced by the clock, and voice commands to keys or stdin lines. Nothing here crashes
for a missing device.

`listen_wavs` recognises the command in recorded WAV files with the same recogniser and the
same resolver the microphone uses.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any

from rich.console import Console

from routines.errors import RoutineFileError
from routines.loader import load_library
from routines.models import Routine
from routines.session import MAX_RATING
from skill.core.intents import GO_ON_INTENTS, SAFETY_INTENTS, IntentName
from skill.core.journal_store import SQLiteJournal
from skill.core.resolver import Resolver
from skill.core.store import SQLiteStore, StoreError, default_db_path
from skill.local.coach import Coach, Outcome, Startup
from skill.local.inputs import (
    KEYS,
    Heard,
    InputQueue,
    KeyReader,
    LineReader,
    PhraseSource,
    Source,
    VoiceReader,
    resolve_text,
    text_of,
)
from skill.local.screen import LiveScreen, PlainScreen, Screen
from speech.audio import Audio, AudioError, AudioSink, NullSink, open_default_sink
from speech.clock import Clock, MonotonicClock, ScaledClock
from speech.numbers import number_words
from speech.player import EventCallback, Player, PlayResult
from speech.prompt import Prompt
from speech.tts import TextOnlyEngine, TTSEngine, TTSError, open_engine

if TYPE_CHECKING:
    from speech.recognizer import CommandRecognizer, Rejection

__all__ = [
    "EXIT_INTERRUPTED",
    "RunOptions",
    "command_recognizer",
    "listen_microphone",
    "listen_wavs",
    "open_microphone",
    "open_voice",
    "run_coach",
    "voice_grammar",
    "voice_keyphrases",
]

logger = logging.getLogger(__name__)

EXIT_INTERRUPTED = 130
"""The exit status after Ctrl-C, as shells report a SIGINT."""

LOCALE = "en-US"
"""The interaction model the local coach understands."""


@dataclass(frozen=True)
class RunOptions:
    """The options of `massage-coach run`."""

    routine: str | None = None
    """The routine to run (None: the unfinished one if continuing, else the default)."""
    speak: bool = True
    """False for `--no-voice`: text on the screen only."""
    listen: bool = True
    """False for `--no-listen`: no microphone."""
    time_scale: float = 1.0
    """Run the clock this many times as fast."""
    voice: str | None = None
    rate: int | None = None
    """Speaking rate in words per minute."""
    routine_files: Sequence[Path] = field(default_factory=tuple)
    resume: bool = False
    db: Path | None = None
    pain_check: bool | None = None
    """`--no-pain-check` (False) or `--pain-check` (True): the preference, remembered as when
    said aloud; None leaves it as it is."""
    wait_for_ready: bool | None = None
    """`--wait-for-ready` (True) or `--no-wait-for-ready` (False): wait for "ready" before each
    hold, remembered as when said aloud; None leaves it as it is."""


def _isatty(stream: IO[Any]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _library(routine_files: Sequence[Path], err: IO[str]) -> dict[str, Routine] | None:
    try:
        return load_library(routine_files)
    except RoutineFileError as error:
        for problem in error.problems:
            print(problem, file=err)
        return None


def open_voice(options: RunOptions) -> tuple[TTSEngine, AudioSink, list[str]]:
    """The speech engine and audio sink to use, with a notice for each thing missing.

    Without a sound device no speech is synthesized at all: the text engine paces the words
    by their estimated length, which is what a user reading the screen needs.
    """
    text_only = TextOnlyEngine(wpm=float(options.rate) if options.rate else TextOnlyEngine().wpm)
    if not options.speak:
        return text_only, NullSink(), []
    sink, notice = open_default_sink()
    if notice is not None:
        return text_only, sink, [notice]
    engine, notice = open_engine(options.voice, options.rate)
    if isinstance(engine, TextOnlyEngine):
        sink.close()
        return engine, NullSink(), [notice] if notice else []
    return engine, sink, [notice] if notice else []


class FallbackSpeaker:
    """A player that goes on in text when speech or the sound device fails mid-session."""

    def __init__(self, player: Player, notify: Callable[[str], None]) -> None:
        self.player = player
        self.notify = notify

    def play(
        self,
        prompt: Prompt,
        *,
        on_event: EventCallback | None = None,
        interrupt: threading.Event | None = None,
    ) -> PlayResult:
        """Play `prompt`; on a speech or device failure, switch to text and play it again."""
        try:
            return self.player.play(prompt, on_event=on_event, interrupt=interrupt)
        except (TTSError, AudioError) as error:
            with contextlib.suppress(AudioError):
                self.player.sink.close()
            self.player.engine = TextOnlyEngine()
            self.player.sink = NullSink()
            self.notify(f"Speech stopped working ({error}); the coach goes on in text.")
            return self.player.play(prompt, on_event=on_event, interrupt=interrupt)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the coach the way Ctrl-C does: progress saved, terminal restored."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


MicrophoneOpener = Callable[[Resolver, Callable[[], bool]], tuple[PhraseSource | None, str | None]]
"""Opens the microphone for a resolver's phrases, deaf while the predicate holds; returns the
listener (None if there is none) and a notice when there is none."""


VOICE_MAX_WORDS = 5
"""Longest phrase in the microphone's grammar, in words."""

VOICE_SLOT_EXAMPLES = 2
"""Values tried in each slot of a sample utterance for the microphone's grammar."""


def voice_grammar(resolver: Resolver) -> dict[str, str]:
    """The phrases the microphone listens for (phrase -> intent): the interaction model's
    sample utterances of at most `VOICE_MAX_WORDS` words, each slot filled with a couple of
    example values. Commands spoken hands-free are short; every extra phrase is one more that
    other speech can be mistaken for, and more time to decode (on the benchmark, 394 phrases
    rather than all 731: 76.6% accuracy rather than 63%, and 79 ms a decode rather than 97).

    Smaller grammars were measured on tuning recordings of all four synthesisers of
    `bench_voices` (other draws and sentences than its own), against these 445 usable phrases
    (commands right / false accepts: espeak-ng 80.0/18.9 %, flite 16 kHz 90.4/40.0, flite
    8 kHz 92.8/37.8, festival 95.2/34.4): at most 4 words, or one example per slot, lost 0-1.6
    points on every synthesiser and no false accept; at most 3 words lost 4-10 points; 8
    phrases per intent lost 30 or more, with 8.9-31 % false accepts. Fewer phrases drop what
    people say and leave other speech as near to some phrase as before, so none was kept. On
    `bench_voices`' held-out recordings the 359 phrases of at most 4 words with one example per
    slot read 74.0/6.7, 83.3/25.6, 77.1/15.6 and 88.5/16.7 % against these phrases' 76.0/7.8,
    84.4/27.8, 80.2/15.6 and 92.7/20.0: a few false accepts fewer for more commands missed.

    Those figures are for the grammar of 555 phrases; with the commands for rests and brief
    mode (86 phrases) and for the time to get ready (34) it held 675, on which `bench_voices`
    read 76.0/7.8, 83.3/27.8, 78.1/14.4 and 91.7/15.6 % before the bars per intent. With
    everyday phrasings added since ("I need a minute" pauses, "no pain" rates zero: 47
    phrases) it held 722, and with the phrasings of the blind resolver corpus's tuning half
    ("let's crack on", "take ten seconds off", "end session": 88 phrases) it held 810, and
    with those of the second blind corpus's tuning half ("half a mo", "where are we up to": 47)
    it held 857, with ways to say one is leaving or needs the toilet ("i have to go", "loo
    break": 12) 869, and with the phrasings of the fourth blind corpus's tuning half, spoken
    mid-exercise ("on ye go", "hold up", "run that by me again": 24) it held 893, and with the
    ways people ask for help, an explanation, the step before, a repeat or how far along they
    are, end a session, skip or change a hold ("what are my options", "are we nearly
    finished", "pass this one", "make short": 107) it held 1000, and with "i can't do this
    one" as a skip (3) 1003, and with the phrasings of first-time users who do not know the
    command words ("how do i control it", "freeze the count", "that's plenty for today": 132)
    it held 1135, and with ways to say one will be right back (7) 1142, and with the phrasings of
    the ninth and tenth blind corpora's tuning halves ("take me back", "hang fire", "i didn't
    catch a word", "what can i ask for": 56) it holds 1198
    (`tests/test_rests_and_ready.py` checks the figure)."""
    grammar: dict[str, str] = {}
    for intent, phrase in resolver.phrases(max_per_slot=VOICE_SLOT_EXAMPLES):
        if len(phrase.split()) <= VOICE_MAX_WORDS and intent != IntentName.PAIN_RATING:
            grammar.setdefault(phrase, intent)
    for phrase in rating_phrases():
        grammar.setdefault(phrase, IntentName.PAIN_RATING)
    return grammar


def rating_phrases() -> list[str]:
    """The pain check's answers the microphone listens for: every rating from zero to ten in
    three common forms ("six", "about a six", "six out of ten"), and "I don't know". The
    model's many other forms, with two example numbers each, would hear only "one" and
    "two"."""
    phrases = ["i don't know", "not sure"]
    for rating in range(MAX_RATING + 1):
        word = number_words(rating)
        article = "an" if word[0] in "aeiou" else "a"
        phrases += [word, f"about {article} {word}", f"{word} out of ten"]
    return phrases


KEYPHRASES_FILE = Path(__file__).with_name("keyphrases.json")
"""The threshold of each safety phrase the microphone's keyword search looks for, fitted on
tuning recordings: `python -m tests.benchmarks.bench_keywords --write` makes it again."""


def voice_keyphrases() -> dict[str, float]:
    """The safety phrases spotted beside the microphone's grammar, and their thresholds."""
    thresholds: dict[str, float] = json.loads(KEYPHRASES_FILE.read_text(encoding="utf-8"))
    return thresholds


REJECTION_FILE = Path(__file__).with_name("rejection.json")
"""The microphone recogniser's rejection (`speech.recognizer.Rejection`: its bar, and a bar
of their own for the intents other speech is most often forced onto), fitted on tuning
recordings: `python -m tests.benchmarks.bench_effort --effort 1,4 --raised --write` makes it
again."""


def voice_rejection() -> Rejection:
    """The rejection the microphone's recogniser decides with."""
    from speech.recognizer import Rejection

    fitted = json.loads(REJECTION_FILE.read_text(encoding="utf-8"))
    return Rejection(fitted["min_score"], fitted["per_phone"], raised=fitted["raised"])


def command_recognizer(
    resolver: Resolver, grammar: Mapping[str, str] | None = None
) -> CommandRecognizer:
    """The command recogniser for the microphone's phrases (see `voice_grammar`; or for
    `grammar`, phrase -> intent, with the same thresholds), with the keyword search for
    safety phrases beside it (see `voice_keyphrases`)."""
    from speech.recognizer import CommandRecognizer, Doubt, Keywords

    if grammar is None:
        grammar = voice_grammar(resolver)
    # Phrases with words the pronouncing dictionary lacks (routine names such as "piriformis")
    # are left out, each with a warning; that is expected, so it is not the user's business.
    recognizer_log = logging.getLogger("speech.recognizer")
    level = recognizer_log.level
    recognizer_log.setLevel(logging.ERROR)
    # Errs on the side of the body: a go-on command heard only narrowly over a safety phrase
    # is asked about ("Did you say it hurts?") instead of obeyed.
    # A safety phrase spotted in speech the grammar rejects, or beside a go-on command, is
    # asked about too.
    rejection = voice_rejection()
    doubt = Doubt(GO_ON_INTENTS, SAFETY_INTENTS)
    keywords = Keywords(voice_keyphrases(), GO_ON_INTENTS)
    try:
        recognizer = CommandRecognizer(grammar, rejection=rejection, doubt=doubt, keywords=keywords)
    finally:
        recognizer_log.setLevel(level)
    logger.debug("grammar of %d phrases; %d left out", len(grammar), len(recognizer.skipped))
    return recognizer


def open_microphone(
    resolver: Resolver, deaf: Callable[[], bool]
) -> tuple[PhraseSource | None, str | None]:
    """The microphone listener for the model's phrases, or None and a notice saying why not."""
    try:
        from speech.microphone import MicrophoneListener
        from speech.recognizer import RecognizerError

        listener = MicrophoneListener(command_recognizer(resolver), muted=deaf)
    except RecognizerError as error:  # NoMicrophone, or a grammar that cannot be built
        return None, f"No voice commands: {error}."
    except (ImportError, OSError) as error:
        return None, f"No voice commands: the recogniser is unavailable ({error})."
    source: PhraseSource = listener
    return source, None


def run_coach(
    options: RunOptions,
    *,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    microphone: MicrophoneOpener = open_microphone,
    clock: Clock | None = None,
) -> int:
    """Run the local coach; the exit status (0 done or stopped, 1 bad input, 130 Ctrl-C)."""
    stdin = stdin if stdin is not None else sys.stdin  # None when the process has no stdin
    stdout = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    library = _library(options.routine_files, err)
    if library is None:
        return 1
    if options.routine is not None and options.routine not in library:
        known = ", ".join(sorted(library))
        print(f"error: no routine called {options.routine!r}; known: {known}", file=err)
        return 1
    try:
        store = SQLiteStore(options.db if options.db is not None else default_db_path())
    except StoreError as error:
        print(f"error: {error}", file=err)
        return 1
    if clock is None:
        clock = MonotonicClock() if options.time_scale == 1 else ScaledClock(options.time_scale)
    screen: Screen = (
        LiveScreen(Console(file=stdout), clock) if _isatty(stdout) else PlainScreen(stdout)
    )
    try:
        with store, _terminate_as_interrupt():
            outcome = _run(options, library, store, screen, clock, stdin, microphone)
    except KeyboardInterrupt:
        # Ctrl-C before the coach was running: nothing changed, nothing to save.
        return EXIT_INTERRUPTED
    except StoreError as error:
        # A damaged record stops the coach before it starts (saves mid-session only warn):
        # one line, and the file left as it is.
        print(f"error: {error}", file=err)
        return 1
    return EXIT_INTERRUPTED if outcome is Outcome.INTERRUPTED else 0


def _run(
    options: RunOptions,
    library: dict[str, Routine],
    store: SQLiteStore,
    screen: Screen,
    clock: Clock,
    stdin: IO[str] | None,
    microphone: MicrophoneOpener,
) -> Outcome:
    keys = stdin is not None and _isatty(stdin)
    with contextlib.ExitStack() as stack:
        screen.start()
        stack.callback(screen.stop)
        engine, sink, notices = open_voice(options)
        stack.callback(sink.close)
        for notice in notices:
            screen.notice(notice)
        inputs = InputQueue()
        resolver = Resolver.for_locale(LOCALE)
        player = FallbackSpeaker(Player(engine, sink, clock), screen.notice)
        # A closed stdin (a daemon, `<&-`) gives no commands at all: the coach runs hands-free.
        sources = set() if stdin is None else {Source.KEY if keys else Source.LINE}
        coach = Coach(
            library,
            store,
            player,
            screen,
            inputs,
            clock,
            sources=frozenset(sources),
            journal=SQLiteJournal(store),
        )
        if options.pain_check is not None:
            coach.set_pain_check(options.pain_check)
        if options.wait_for_ready is not None:
            coach.set_wait_for_ready(options.wait_for_ready)
        listener: PhraseSource | None = None
        if options.listen:
            listener, missing = microphone(resolver, coach.deaf)
            if missing:
                screen.notice(f"{missing} Use the keys instead." if keys else missing)
        if listener is not None:
            coach.live.add(Source.VOICE)
            close = getattr(listener, "close", None)
            if callable(close):
                stack.callback(close)
            VoiceReader(inputs, listener, resolver).start()
        if stdin is not None and keys:
            stack.enter_context(KeyReader(inputs, stdin.fileno(), coach.key_context))
            screen.keys(KEYS)
        elif stdin is not None:
            LineReader(inputs, stdin, resolver).start()
        ask = keys or listener is not None
        return coach.run(Startup(options.routine, options.resume, ask=ask))


def listen_wavs(
    files: Sequence[Path], out: IO[str] | None = None, err: IO[str] | None = None
) -> int:
    """Print `FILE<TAB>INTENT<TAB>heard text` per file (`-` when nothing was recognised).

    1 when a file could not be read (it is reported, the others are still recognised).
    """
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    resolver = Resolver.for_locale(LOCALE)
    commands = command_recognizer(resolver)
    status = 0
    for path in files:
        try:
            audio = Audio.from_wav(path)
        except AudioError as error:
            print(f"error: {error}", file=err)
            status = 1
            continue
        recognition = commands.recognize(audio)
        text = recognition.text if recognition is not None else ""
        result = resolve_text(resolver, text, Source.VOICE, strict=True) if text else None
        intent = result.intent if isinstance(result, Heard) else "-"
        print(f"{path}\t{intent}\t{text}", file=out)
    return status


def listen_microphone(out: IO[str] | None = None, err: IO[str] | None = None) -> int:
    """Print `INTENT<TAB>heard text` for each phrase the microphone hears, until Ctrl-C.

    1 when there is no microphone; 130 after Ctrl-C.
    """
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    resolver = Resolver.for_locale(LOCALE)
    listener, notice = open_microphone(resolver, lambda: False)
    if listener is None:
        print(f"error: {notice}", file=err)
        return 1
    try:
        for heard in listener.phrases():
            phrase = text_of(heard)
            result = resolve_text(resolver, phrase, Source.VOICE, strict=True)
            intent = result.intent if isinstance(result, Heard) else "-"
            print(f"{intent}\t{phrase}", file=out, flush=True)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    finally:
        close = getattr(listener, "close", None)
        if callable(close):
            close()
    return 0
