"""Text-to-speech engines: text in, `Audio` out, so the length of every utterance is known.

`Pyttsx3Engine` renders with pyttsx3 (espeak-ng on Linux, SAPI5 on Windows, NSSpeechSynthesizer
on macOS) into a WAV file and reads it back, rather than letting pyttsx3 play it: on Linux
`say()` shells out to `aplay` and returns at once when there is no sound card, so nothing would
tell us how long the speech lasts. `TextOnlyEngine` makes silence of the estimated length for
machines without speech. `open_engine` picks the best one available and explains a fallback.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

from speech.audio import Audio, AudioFormatError
from speech.estimate import DEFAULT_WPM, estimate_seconds

logger = logging.getLogger(__name__)

DEFAULT_SAMPLE_RATE = 22050
"""Rate of `Pyttsx3Engine` output: espeak-ng's own, so espeak audio is never resampled."""

DEFAULT_CACHE_BYTES = 32 * 1024 * 1024
"""Audio kept per engine for recurring phrases: about 12 minutes of speech at 22,050 Hz."""


class TTSError(Exception):
    """Root of the errors raised by text-to-speech engines."""


class TTSUnavailableError(TTSError):
    """The speech engine cannot start here (library or voice data missing, driver failure)."""


class UnknownVoiceError(TTSError):
    """The requested voice is not installed (the message lists some that are)."""


class SynthesisError(TTSError):
    """One utterance could not be rendered."""


@dataclass(frozen=True)
class Voice:
    """A voice an engine can speak with."""

    id: str
    """What to pass as `voice=` (for espeak-ng, e.g. ``gmw/en-us``)."""
    name: str
    """Human-readable name, e.g. ``English (America)``."""
    languages: tuple[str, ...]
    """Language tags, e.g. ``("en-us",)``."""
    gender: str | None
    """``Male``, ``Female`` or unknown."""


@dataclass(frozen=True)
class CacheInfo:
    """Counters of an engine's phrase cache."""

    hits: int
    """Calls answered from the cache or by joining an identical synthesis in progress."""
    misses: int
    """Calls that really synthesized audio."""
    entries: int
    """Phrases held now."""
    bytes: int
    """PCM bytes held now."""


class TTSEngine(Protocol):
    """Turns text into audio. Implementations are safe to call from several threads."""

    @property
    def name(self) -> str:
        """Short description for logs and the status line, e.g. ``pyttsx3:espeak``."""
        ...

    @property
    def sample_rate(self) -> int:
        """Rate of every `Audio` that `synthesize` returns."""
        ...

    def synthesize(self, text: str) -> Audio:
        """The spoken `text` (empty audio for blank text)."""
        ...


class TextOnlyEngine:
    """No speech: silence as long as the text would take to say (see `speech.estimate`)."""

    def __init__(self, wpm: float = DEFAULT_WPM, sample_rate: int = 16000) -> None:
        if wpm <= 0:
            raise ValueError(f"words per minute must be positive, not {wpm}")
        self.wpm = wpm
        """Speaking rate the estimate assumes."""
        self._sample_rate = sample_rate

    @property
    def name(self) -> str:
        """Always ``text-only``."""
        return "text-only"

    @property
    def sample_rate(self) -> int:
        """Rate of the silence returned."""
        return self._sample_rate

    def synthesize(self, text: str) -> Audio:
        """Silence of the estimated speaking time of `text`."""
        return Audio.silence(estimate_seconds(text, self.wpm), self._sample_rate)


class Pyttsx3Engine:
    """Speech from pyttsx3, cached per phrase, rendered on one worker thread per driver.

    Nothing starts until the first call (or `start`). pyttsx3 is not thread-safe and espeak-ng
    keeps one global state per process, so every instance that uses the same driver shares one
    worker thread, which applies each instance's voice and rate before rendering. Callers on
    any thread submit text and wait for the result.

    `voice` is an id, a name or a language tag from `list_voices` (``None``: the driver's
    default); `rate` is in words per minute (``None``: the driver's default, 200 for pyttsx3's
    espeak driver). Output is resampled to `sample_rate` if the driver renders at another rate.
    """

    def __init__(
        self,
        voice: str | None = None,
        rate: int | None = None,
        *,
        sample_rate: int = DEFAULT_SAMPLE_RATE,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        driver_name: str | None = None,
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError(f"speech rate must be positive words per minute, not {rate}")
        self.voice = voice
        """The voice asked for."""
        self.rate = rate
        """The rate asked for, in words per minute."""
        self.driver_name = driver_name or _default_driver()
        """pyttsx3 driver: ``espeak``, ``sapi5``, ``nsss`` or ``avspeech``."""
        self._sample_rate = sample_rate
        self._cache_limit = cache_bytes
        self._cache: OrderedDict[tuple[str, str | None, int | None], Audio] = OrderedDict()
        self._cache_size = 0
        self._inflight: dict[tuple[str, str | None, int | None], Future[Audio]] = {}
        self._hits = 0
        self._misses = 0
        self._lock = threading.Lock()
        self._voice_id: str | None = None
        self._resolved = False

    @property
    def name(self) -> str:
        """``pyttsx3:<driver>``."""
        return f"pyttsx3:{self.driver_name}"

    @property
    def sample_rate(self) -> int:
        """Rate of every `Audio` returned."""
        return self._sample_rate

    def start(self) -> None:
        """Start the driver now and check the voice, instead of on first use.

        Raises `TTSUnavailableError` if the driver cannot start, `UnknownVoiceError` if the
        voice is not installed.
        """
        self._resolve_voice()

    def list_voices(self) -> list[Voice]:
        """Voices the driver offers (starts the driver)."""
        return list(_worker_for(self.driver_name).voices())

    def synthesize(self, text: str) -> Audio:
        """The spoken `text`, from the cache when this phrase was rendered before."""
        text = text.strip()
        if not text:
            return Audio(b"", self._sample_rate)
        voice_id = self._resolve_voice()
        key = (text, voice_id, self.rate)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                self._hits += 1
                return cached
            future = self._inflight.get(key)
            owner = future is None
            if future is None:
                self._misses += 1
                worker = _worker_for(self.driver_name)
                future = worker.submit(text, voice_id, self.rate)
                self._inflight[key] = future
            else:
                self._hits += 1
        try:
            audio = future.result().resample(self._sample_rate)
        finally:
            if owner:
                with self._lock:
                    self._inflight.pop(key, None)
        if owner:
            self._remember(key, audio)
        return audio

    def cache_info(self) -> CacheInfo:
        """Counters of the phrase cache."""
        with self._lock:
            return CacheInfo(self._hits, self._misses, len(self._cache), self._cache_size)

    def _remember(self, key: tuple[str, str | None, int | None], audio: Audio) -> None:
        with self._lock:
            if key in self._cache or len(audio.pcm) > self._cache_limit:
                return
            self._cache[key] = audio
            self._cache_size += len(audio.pcm)
            while self._cache_size > self._cache_limit:
                _, evicted = self._cache.popitem(last=False)
                self._cache_size -= len(evicted.pcm)

    def _resolve_voice(self) -> str | None:
        if not self._resolved:
            voices = _worker_for(self.driver_name).voices()
            self._voice_id = None if self.voice is None else find_voice(self.voice, voices).id
            self._resolved = True
        return self._voice_id


def find_voice(wanted: str, voices: list[Voice] | tuple[Voice, ...]) -> Voice:
    """The voice whose id, name, language tag or id suffix (after ``/``) is `wanted`.

    Matching ignores case. Raises `UnknownVoiceError` listing some English voices otherwise.
    """
    key = wanted.strip().casefold()
    for voice in voices:
        names = {voice.id.casefold(), voice.name.casefold(), voice.id.rsplit("/", 1)[-1].lower()}
        if key in names or key in {language.casefold() for language in voice.languages}:
            return voice
    english = [voice.id for voice in voices if voice.id.rsplit("/", 1)[-1].startswith("en")]
    examples = ", ".join((english or [voice.id for voice in voices])[:6])
    raise UnknownVoiceError(
        f"Unknown voice {wanted!r}. Installed voices include: {examples}"
        f" ({len(voices)} in all; list them with the voices command)."
    )


def open_engine(
    voice: str | None = None,
    rate: int | None = None,
    enabled: bool = True,
    *,
    driver_name: str | None = None,
) -> tuple[TTSEngine, str | None]:
    """The best engine available, plus one notice for the user when it is not real speech.

    `enabled=False` asks for text only (no notice). If pyttsx3 is missing or its driver cannot
    start, the result is a `TextOnlyEngine` and a notice saying why. An unknown voice keeps
    speech on with the default voice and a notice. Starts the driver (a few tens of ms) so that
    failures show up here rather than mid-session.
    """
    text_only = TextOnlyEngine(wpm=float(rate) if rate else DEFAULT_WPM)
    if not enabled:
        return text_only, None
    try:
        importlib.import_module("pyttsx3")
    except ImportError as error:
        return text_only, _no_speech_notice(f"pyttsx3 is not installed ({error})")
    engine = Pyttsx3Engine(voice, rate, driver_name=driver_name)
    try:
        engine.start()
    except TTSUnavailableError as error:
        return text_only, _no_speech_notice(str(error))
    except UnknownVoiceError as error:
        fallback = Pyttsx3Engine(None, rate, driver_name=driver_name)
        return fallback, f"{error} Using the default voice."
    return engine, None


def _no_speech_notice(reason: str) -> str:
    return f"Speech is unavailable: {reason}. The coach will show what it says as text."


def _default_driver() -> str:
    """pyttsx3's default driver for this platform (its own table, without importing it)."""
    return {"darwin": "nsss", "win32": "sapi5"}.get(sys.platform, "espeak")


# -- the worker thread ------------------------------------------------------------------------


_workers: dict[str, _Worker] = {}
_workers_lock = threading.Lock()


def _worker_for(driver_name: str) -> _Worker:
    """The started worker for `driver_name`; raises `TTSUnavailableError` if it cannot start.

    A worker that failed to start is dropped so that a later call tries again.
    """
    with _workers_lock:
        worker = _workers.get(driver_name)
        if worker is None:
            worker = _workers[driver_name] = _Worker(driver_name)
    try:
        worker.wait_started()
    except TTSUnavailableError:
        with _workers_lock:
            if _workers.get(driver_name) is worker:
                del _workers[driver_name]
        raise
    return worker


class _Worker:
    """Owns one pyttsx3 engine; every call into pyttsx3 runs on its single thread."""

    _IDLE_POLL_S = 0.0005
    _TIMEOUT_S = 30.0

    def __init__(self, driver_name: str) -> None:
        self.driver_name = driver_name
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"tts-{driver_name}")
        # Set on the worker thread by _start; read only there (after wait_started).
        self._engine: Any = None
        self._espeak: ModuleType | None = None
        self._voices: tuple[Voice, ...] = ()
        self._applied: tuple[str | None, int | None] = (None, None)
        self._defaults: tuple[str | None, int | None] = (None, None)
        self._done = threading.Event()
        self._outcome: dict[str, Any] = {}
        self._directory = ""
        self._count = 0
        self._expected = ""
        """The name of the utterance being rendered (notices for others are ignored)."""
        self._started = self._executor.submit(self._start)

    def wait_started(self) -> None:
        """Block until the engine started; re-raise its failure if it did not."""
        try:
            self._started.result()
        except TTSUnavailableError:
            self._executor.shutdown(wait=False)
            raise

    def voices(self) -> tuple[Voice, ...]:
        """Voices listed when the engine started."""
        return self._voices

    def submit(self, text: str, voice_id: str | None, rate: int | None) -> Future[Audio]:
        """Queue one utterance; the future holds its audio at the driver's rate."""
        return self._executor.submit(self._render, text, voice_id, rate)

    # Everything below runs on the worker thread.

    def _start(self) -> None:
        try:
            import pyttsx3

            self._engine = pyttsx3.init(self.driver_name)
            driver_module = sys.modules[f"pyttsx3.drivers.{self.driver_name}"]
            raw_voices = self._engine.getProperty("voices")
            default_voice = self._engine.getProperty("voice")
        except Exception as error:  # whatever the driver raises, speech is unavailable
            raise TTSUnavailableError(
                f"the {self.driver_name} speech driver did not start"
                f" ({type(error).__name__}: {error})"
            ) from error
        # The espeak driver prints "Audio saved to <file>" to stdout from espeak-ng's own
        # callback thread on every save_to_file. Swapping sys.stdout would hide other threads'
        # output too, so shadow the builtin print in the driver module alone and log instead.
        # Other drivers print rarely (unsupported properties); they get the same treatment.
        driver_module.print = _driver_print  # type: ignore[attr-defined]
        if self.driver_name == "espeak":
            self._espeak = sys.modules["pyttsx3.drivers._espeak"]
        self._engine.connect("finished-utterance", self._on_finished)
        self._engine.connect("error", self._on_error)
        self._voices = tuple(_to_voice(raw) for raw in raw_voices)
        # pyttsx3's espeak driver sets rate 200 when it starts, and its getProperty("rate")
        # passes espeak_GetParameter too few arguments, so it reads garbage: trust the 200.
        if self.driver_name == "espeak":
            default_rate = 200
        else:
            default_rate = int(self._engine.getProperty("rate"))
        self._defaults = self._applied = (default_voice, default_rate)
        self._directory = tempfile.mkdtemp(prefix="massage-coach-tts-")
        atexit.register(shutil.rmtree, self._directory, ignore_errors=True)

    def _render(self, text: str, voice_id: str | None, rate: int | None) -> Audio:
        wanted = (voice_id or self._defaults[0], rate or self._defaults[1])
        # espeak-ng queues a parameter set while it is busy, and the next runAndWait cancels
        # that queue; its own start-up can also set the rate after ours. So the rate is set,
        # on an idle engine, before every utterance (a cheap call), and never assumed: a
        # fresh clone's test run once heard every phrase at espeak's 200 words a minute.
        self._wait_idle()
        if wanted[0] != self._applied[0]:
            self._engine.setProperty("voice", wanted[0])
        self._engine.setProperty("rate", wanted[1])
        self._applied = wanted
        for attempt in range(2):
            audio = self._render_once(text)
            if audio is not None:
                return audio
            logger.debug("pyttsx3 cancelled an utterance (attempt %d); retrying", attempt + 1)
        raise SynthesisError(f"the speech driver kept cancelling {text[:40]!r}")

    def _render_once(self, text: str) -> Audio | None:
        # espeak-ng runs asynchronously: property changes and the end of the last utterance
        # go through its command queue, and pyttsx3's runAndWait cancels that queue when it is
        # not empty, which silently drops a new rate or voice (or the new utterance). Waiting
        # for espeak-ng to go idle first makes every render start from a quiet engine.
        self._wait_idle()
        self._count += 1
        path = os.path.join(self._directory, f"{self._count}.wav")
        self._done.clear()
        self._outcome = {}
        # Each utterance has its own name, so a late notice of the one before cannot end this
        # one early (its file would be read half written, and sound too fast).
        self._expected = f"utterance-{self._count}"
        try:
            self._engine.save_to_file(text, path, self._expected)
            self._engine.runAndWait()
        except Exception as error:  # the driver raises what its platform API raises
            raise SynthesisError(f"speech synthesis failed: {error}") from error
        # The espeak driver's runAndWait can return before the first utterance is written:
        # the "finished-utterance" notification comes after the file is complete.
        timeout = self._TIMEOUT_S + len(text) / 100
        if not self._done.wait(timeout):
            raise SynthesisError(f"speech synthesis took longer than {timeout:.0f} s")
        if "error" in self._outcome:
            cause = self._outcome["error"]
            raise SynthesisError(f"speech synthesis failed: {cause}") from cause
        if not self._outcome.get("completed", False):
            return None
        try:
            return Audio.from_wav(path)
        except AudioFormatError as error:
            raise SynthesisError(f"the speech driver wrote no usable audio: {error}") from error
        finally:
            with contextlib.suppress(OSError):
                os.remove(path)

    def _wait_idle(self) -> None:
        if self._espeak is None:
            return
        give_up = time.monotonic() + self._TIMEOUT_S
        while self._espeak.IsPlaying():
            if time.monotonic() > give_up:
                raise SynthesisError("espeak-ng stayed busy for too long")
            time.sleep(self._IDLE_POLL_S)

    # pyttsx3 calls these from whichever thread the driver notifies on (espeak-ng's own).

    def _on_finished(self, name: object = None, completed: bool = True, **_: object) -> None:
        if name is not None and name != self._expected:
            return
        self._outcome["completed"] = completed
        self._done.set()

    def _on_error(self, name: object = None, exception: object = None, **_: object) -> None:
        if name is not None and name != self._expected:
            return
        self._outcome["error"] = exception
        self._done.set()


def _driver_print(*values: object, sep: str | None = " ", **_: object) -> None:
    """Stands in for `print` inside pyttsx3 driver modules: log, never write to stdout."""
    logger.debug("pyttsx3 driver: %s", (sep if sep is not None else " ").join(map(str, values)))


def _to_voice(raw: Any) -> Voice:
    languages = tuple(
        language.decode(errors="replace") if isinstance(language, bytes) else str(language)
        for language in (getattr(raw, "languages", None) or ())
    )
    gender = getattr(raw, "gender", None)
    return Voice(
        id=str(raw.id),
        name=str(getattr(raw, "name", raw.id)),
        languages=languages,
        gender=None if gender is None else str(gender),
    )
