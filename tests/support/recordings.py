"""Spoken recordings for the recognizer's tests and benchmarks, made on the spot by synthesisers.

Nothing is downloaded or stored in the repository: each `Utterance` (text, voice, speed, noise)
is synthesized by `espeak-ng` (or, for the benchmarks, `flite` or festival's `text2wave`),
resampled to 16 kHz mono, padded with a little silence and mixed
with white noise at a chosen signal-to-noise ratio, then kept as a WAV file in a cache directory
so a session makes each recording once.

`COMMANDS` is a realistic set of ~40 coach commands (phrase -> intent); `NON_COMMANDS` are
everyday sentences the coach may overhear, a few of them deliberately close to a command
("hold the door", "next week I travel to Paris"), which the recognizer must reject.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from speech.audio import Audio

SAMPLE_RATE = 16_000
"""Every recording is returned at the recognizer's rate."""

COMMANDS: dict[str, str] = {
    "next": "AMAZON.NextIntent",
    "next step": "AMAZON.NextIntent",
    "back": "AMAZON.PreviousIntent",
    "go back": "AMAZON.PreviousIntent",
    "previous": "AMAZON.PreviousIntent",
    "repeat": "AMAZON.RepeatIntent",
    "say that again": "AMAZON.RepeatIntent",
    "longer hold": "LongerHoldIntent",
    "hold longer": "LongerHoldIntent",
    "shorter hold": "ShorterHoldIntent",
    "hold shorter": "ShorterHoldIntent",
    "pause": "AMAZON.PauseIntent",
    "resume": "AMAZON.ResumeIntent",
    "continue": "AMAZON.ResumeIntent",
    "skip": "SkipIntent",
    "skip this one": "SkipIntent",
    "stop": "AMAZON.StopIntent",
    "i am done": "AMAZON.StopIntent",
    "cancel": "AMAZON.CancelIntent",
    "help": "AMAZON.HelpIntent",
    "what can i say": "AMAZON.HelpIntent",
    "it hurts": "PainIntent",
    "that hurts": "PainIntent",
    "my leg is numb": "NumbnessIntent",
    "my foot is tingling": "NumbnessIntent",
    "how many left": "ProgressIntent",
    "how much longer": "ProgressIntent",
    "where am i": "ProgressIntent",
    "why does this help": "WhyIntent",
    "hold for twenty seconds": "SetHoldIntent",
    "hold for thirty seconds": "SetHoldIntent",
    "hold for forty five seconds": "SetHoldIntent",
    "hold for a minute": "SetHoldIntent",
    "start over": "AMAZON.StartOverIntent",
    "yes": "AMAZON.YesIntent",
    "no": "AMAZON.NoIntent",
    "left side": "SideIntent",
    "right side": "SideIntent",
    "slower": "SlowerIntent",
    "faster": "FasterIntent",
}

NON_COMMANDS: tuple[str, ...] = (
    "the weather is nice today",
    "i will call my sister tomorrow",
    "pass me the remote",
    "what time is it",
    "turn on the television",
    "i need to buy some milk",
    "the dog is barking outside",
    "can you open the window",
    "my favorite color is blue",
    "let's order pizza tonight",
    "she went to the store yesterday",
    "how old are you",
    "where are my keys",
    "play some music please",
    "it is raining again",
    "good morning everyone",
    "the train leaves at noon",
    "bring the car around",
    "i like reading books",
    "dinner is ready",
    "close the door behind you",
    "we should paint the kitchen",
    "the coffee is too hot",
    "do you know his name",
    "thank you very much",
    "hello there",
    "wait a moment",
    "turn it up",
    "hold the door",
    "next week i travel to paris",
)

TUNING_NON_COMMANDS: tuple[str, ...] = (
    "i left my phone in the car",
    "the kids are back from school",
    "could you hand me that towel",
    "is the kettle on",
    "we are out of bread",
    "the meeting starts at ten",
    "look at that bird",
    "i am going for a walk",
    "your jacket is on the chair",
    "that was a great movie",
    "did you feed the cat",
    "let me check my email",
    "the bus is late again",
    "put the groceries away",
    "my back feels better today",
    "call me when you get home",
    "the garden needs water",
    "see you later",
    "i can't find the charger",
    "open the front door",
    "make me a cup of tea",
    "the game starts soon",
    "how was your day",
    "pick up the kids at five",
    "this soup is delicious",
    "turn the lights off",
    "we need more chairs",
    "the phone is ringing",
    "keep going straight ahead",
    "hang on a second",
    "good night",
    "come here",
    "thanks a lot",
    "not now",
    "all right then",
    "me too",
    "i see",
    "oh my goodness",
    "really",
    "over there",
    "what happened",
    "just a minute",
    "sounds good",
    "never mind",
    "watch out",
)
"""Other everyday sentences, used only to fit the rejection thresholds (never to measure)."""

VOICES: tuple[str, ...] = ("en-us", "en-us+f3", "en-us+m3", "en", "en-gb-x-rp", "en-us-nyc")
"""espeak-ng voices (and variants) for the main sets: American and British English."""

STRESS_VOICES: tuple[str, ...] = ("en-gb-scotland", "en-029")
"""Accents the en-us model copes with worst; the benchmark reports them apart."""

SPEEDS: tuple[int, ...] = (140, 160, 180)
"""Words per minute."""

SNRS_DB: tuple[float, ...] = (20.0, 25.0, 30.0)
"""Modest white noise: speech power over noise power."""

PAD_S = 0.3
"""Silence (then noise) before and after the words, as a microphone segment would have."""


@dataclass(frozen=True)
class Utterance:
    """One recording to make: what is said, by which voice, how fast, in how much noise."""

    text: str
    """The words spoken."""
    voice: str
    """The voice: espeak-ng's by name (``en-us``, ``en-us+f3``), else ``flite:slt`` or
    ``festival:kal_diphone`` (see `synthesize`)."""
    speed: int
    """Words per minute."""
    snr_db: float
    """Signal-to-noise ratio of the added white noise, in dB."""
    seed: int = 0
    """Seed of the noise, so the same utterance always sounds the same."""

    @property
    def intent(self) -> str | None:
        """The intent a command phrase stands for; None for a non-command sentence."""
        return COMMANDS.get(self.text)

    @property
    def key(self) -> str:
        """A short file name that identifies this recording."""
        spec = f"{self.text}|{self.voice}|{self.speed}|{self.snr_db}|{self.seed}"
        return hashlib.sha1(spec.encode()).hexdigest()[:16]


def espeak_available() -> bool:
    """Whether the `espeak-ng` program is on the PATH."""
    return shutil.which("espeak-ng") is not None


SYNTHESISERS: dict[str, str] = {"espeak": "espeak-ng", "flite": "flite", "festival": "text2wave"}
"""Each synthesiser a voice can name (``flite:slt``; a bare name is espeak-ng's) and its program."""

FLITE_VOICES: tuple[str, ...] = ("flite:slt", "flite:rms", "flite:awb", "flite:kal16")
"""flite's 16 kHz voices: American female and male, Scottish-accented male, and a diphone one."""

FLITE_8K_VOICE = "flite:kal"
"""flite's 8 kHz voice: telephone-band speech, nothing above 4 kHz."""

FESTIVAL_VOICES: tuple[str, ...] = ("festival:kal_diphone",)
"""The festival voices Debian's `festvox-kallpc16k` package brings."""

_NATIVE_WPM = 170
"""About how fast flite and festival speak by default; `speed` stretches them from it."""


def synthesiser_of(voice: str) -> str:
    """The synthesiser a voice name belongs to: ``espeak``, ``flite`` or ``festival``."""
    name, _, rest = voice.partition(":")
    return name if rest and name in SYNTHESISERS else "espeak"


def available(voice: str) -> bool:
    """Whether the program that speaks `voice` is on the PATH."""
    return shutil.which(SYNTHESISERS[synthesiser_of(voice)]) is not None


def synthesize(text: str, voice: str, speed: int) -> Audio:
    """`text` spoken by `voice` at about `speed` words per minute, at the synthesiser's rate."""
    kind, name = synthesiser_of(voice), voice.partition(":")[2]
    stretch = f"{_NATIVE_WPM / speed:.3f}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "say.wav"
        if kind == "flite":
            command = ["flite", "-voice", name, "--setf", f"duration_stretch={stretch}"]
            command += ["-t", text, "-o", str(path)]
            subprocess.run(command, check=True, capture_output=True)
        elif kind == "festival":
            setup = f"(begin (voice_{name}) (Parameter.set 'Duration_Stretch {stretch}))"
            command = ["text2wave", "-eval", setup, "-o", str(path)]
            subprocess.run(command, input=text.encode(), check=True, capture_output=True)
        else:
            command = ["espeak-ng", "-w", str(path), "-v", voice, "-s", str(speed), text]
            subprocess.run(command, check=True, capture_output=True)
        return Audio.from_wav(path)


def add_noise(speech: Audio, snr_db: float, seed: int, pad_s: float = PAD_S) -> Audio:
    """`speech` padded with `pad_s` of silence each side, plus white noise at `snr_db`.

    The speech power is measured over the frames that carry speech (within 30 dB of the
    loudest), so pauses between words do not make the noise quieter than intended.
    """
    samples = speech.samples().astype(np.float64)
    frame = max(1, speech.sample_rate // 100)
    usable = len(samples) // frame * frame
    powers = (samples[:usable].reshape(-1, frame) ** 2).mean(axis=1) if usable else np.zeros(1)
    loud = powers[powers >= powers.max() / 1000] if powers.max() > 0 else powers
    speech_power = float(loud.mean()) if loud.size else 0.0
    pad = np.zeros(round(pad_s * speech.sample_rate))
    padded = np.concatenate([pad, samples, pad])
    rng = np.random.default_rng(seed)
    noise_power = speech_power / 10 ** (snr_db / 10)
    noisy = padded + rng.normal(0.0, np.sqrt(noise_power), len(padded))
    return Audio.from_samples(
        np.clip(np.round(noisy), -32768, 32767).astype(np.int16), speech.sample_rate
    )


def make(utterance: Utterance) -> Audio:
    """The recording of `utterance`, at 16 kHz mono."""
    speech = synthesize(utterance.text, utterance.voice, utterance.speed).resample(SAMPLE_RATE)
    return add_noise(speech, utterance.snr_db, utterance.seed)


class RecordingCache:
    """Makes recordings once and keeps them as WAV files in `directory`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)

    def path(self, utterance: Utterance) -> Path:
        """Where the recording of `utterance` is (or will be) kept."""
        return self.directory / f"{utterance.key}.wav"

    def get(self, utterance: Utterance) -> Audio:
        """The recording of `utterance`, made now if it is not cached yet."""
        path = self.path(utterance)
        if not path.exists():
            # Write then rename, so a half-written file is never read by a parallel maker.
            partial = path.with_suffix(".part")
            make(utterance).to_wav(partial)
            partial.replace(path)
        return Audio.from_wav(path)

    def get_many(self, utterances: Sequence[Utterance], workers: int = 4) -> list[Audio]:
        """The recordings of `utterances` in order; missing ones are made in parallel."""
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(self.get, utterances))


def utterances(
    texts: Iterable[str],
    voices: Sequence[str],
    per_text: int,
    seed: int,
    speeds: Sequence[int] = SPEEDS,
    snrs_db: Sequence[float] = SNRS_DB,
) -> list[Utterance]:
    """`per_text` recordings of each text, each with a voice, speed and noise drawn from the
    given choices (voices cycle so that every voice says every text when `per_text` allows)."""
    rng = random.Random(seed)
    result = []
    for index, text in enumerate(texts):
        for k in range(per_text):
            voice = voices[(index + k) % len(voices)]
            result.append(
                Utterance(
                    text,
                    voice,
                    rng.choice(list(speeds)),
                    rng.choice(list(snrs_db)),
                    seed=rng.randrange(1 << 30),
                )
            )
    return result


def pcm_of(cache: RecordingCache, *utterances: Utterance, gap_s: float = 0.8) -> bytes:
    """The recordings one after another with faint noise between them, as 16 kHz PCM."""
    rng = np.random.default_rng(11)
    parts: list[np.ndarray] = []
    for audio in cache.get_many(utterances):
        parts.append(audio.samples().astype(np.float64))
        parts.append(rng.normal(0.0, 60.0, round(gap_s * SAMPLE_RATE)))
    pcm: bytes = np.clip(np.concatenate(parts), -32768, 32767).astype(np.int16).tobytes()
    return pcm


def blocks(pcm: bytes, size: int) -> list[bytes]:
    """`pcm` cut into blocks of `size` bytes (the last one shorter), as a device delivers it."""
    return [pcm[i : i + size] for i in range(0, len(pcm), size)]
