"""`massage-coach listen --wav`: commands recognised in recordings made here with espeak-ng.

The recordings are real speech from espeak-ng, written as the user's files might be: mono or
stereo, at 22,050 or 44,100 Hz. Recognition quality as such is measured by the recogniser's own
tests and benchmark; these check that a recording goes through the same grammar and resolver
as the microphone and comes out as one `FILE<TAB>INTENT<TAB>heard text` line.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from routines.commands import Command, CommandKind
from skill.core.resolver import Resolver
from skill.local.inputs import Ended, Heard, InputQueue, Source, VoiceReader
from skill.local.run import LOCALE, command_recognizer, listen_wavs
from speech.audio import Audio
from speech.microphone import MicrophoneListener

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")

COMMAND = [str(Path(sys.executable).with_name("massage-coach"))]

# Words the recogniser hears reliably from espeak-ng's American voice at its default rate.
COMMANDS = {
    "resume": "AMAZON.ResumeIntent",
    "repeat": "AMAZON.RepeatIntent",
    "yes": "AMAZON.YesIntent",
    "previous": "AMAZON.PreviousIntent",
}
OTHER_SPEECH = ["the weather is lovely today", "I am going to make some tea"]


def speak(text: str, path: Path) -> Path:
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "175", "-w", str(path), text], check=True)
    return path


def write_stereo(audio: Audio, path: Path, rate: int) -> Path:
    """The recording as a user's stereo file: both channels, another sample rate."""
    samples = audio.resample(rate).samples()
    frames = np.column_stack([samples, samples]).astype("<i2")
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(2)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(frames.tobytes())
    return path


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("recordings")
    made: dict[str, Path] = {}
    for number, text in enumerate([*COMMANDS, *OTHER_SPEECH]):
        mono = speak(text, folder / f"{number}-mono.wav")
        made[text] = mono
        made[f"{text} (stereo)"] = write_stereo(
            Audio.from_wav(mono), folder / f"{number}-stereo-44k.wav", 44_100
        )
    return made


def listen(paths: list[Path]) -> tuple[int, list[list[str]], str]:
    out, err = io.StringIO(), io.StringIO()
    status = listen_wavs(paths, out, err)
    return status, [line.split("\t") for line in out.getvalue().splitlines()], err.getvalue()


def test_each_recording_gives_one_line_with_its_intent(recordings: dict[str, Path]) -> None:
    paths = [recordings[text] for text in COMMANDS]
    status, lines, err = listen(paths)
    assert status == 0
    assert err == ""
    assert lines == [[str(recordings[text]), intent, text] for text, intent in COMMANDS.items()]


def test_stereo_at_another_rate_is_heard_like_the_mono_original(
    recordings: dict[str, Path],
) -> None:
    for text, intent in COMMANDS.items():
        _, lines, _ = listen([recordings[f"{text} (stereo)"]])
        assert lines == [[str(recordings[f"{text} (stereo)"]), intent, text]]


def test_speech_that_is_no_command_is_rejected_with_a_dash(recordings: dict[str, Path]) -> None:
    paths = [recordings[text] for text in OTHER_SPEECH]
    status, lines, _ = listen(paths)
    assert status == 0
    assert lines == [[str(path), "-", ""] for path in paths]


def test_silence_is_no_command(tmp_path: Path) -> None:
    path = tmp_path / "silence.wav"
    Audio.silence(1.0, 16_000).to_wav(path)
    assert listen([path])[1] == [[str(path), "-", ""]]


def test_a_file_that_cannot_be_read_is_reported_and_the_rest_still_heard(
    recordings: dict[str, Path], tmp_path: Path
) -> None:
    text_file = tmp_path / "notes.wav"
    text_file.write_text("not audio")
    missing = tmp_path / "missing.wav"
    status, lines, err = listen([text_file, recordings["resume"], missing])
    assert status == 1
    assert lines == [[str(recordings["resume"]), "AMAZON.ResumeIntent", "resume"]]
    assert err.count("error: ") == 2
    assert f"{text_file}: not a PCM WAV file" in err
    assert str(missing) in err


def test_the_command_prints_tab_separated_lines(recordings: dict[str, Path]) -> None:
    files = [str(recordings["repeat"]), str(recordings[OTHER_SPEECH[0]])]
    done = subprocess.run(
        [*COMMAND, "listen", "--wav", *files], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # phrases the dictionary lacks are left out without a word
    assert done.stdout == f"{files[0]}\tAMAZON.RepeatIntent\trepeat\n{files[1]}\t-\t\n"


def test_the_command_needs_a_file_with_wav() -> None:
    done = subprocess.run([*COMMAND, "listen", "--wav"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "give at least one WAV file" in done.stderr


class Recording:
    """An input stream that plays a recording twice: once while the coach speaks, once not."""

    def __init__(self, pcm: bytes, callback: Callable[[bytes], None], deaf: list[bool]) -> None:
        self.pcm = pcm
        self.callback = callback
        self.deaf = deaf

    def start(self) -> None:
        block = 16_000 // 20 * 2
        for deaf in (True, False):
            self.deaf[0] = deaf
            for start in range(0, len(self.pcm), block):
                self.callback(self.pcm[start : start + block])

    def close(self) -> None:
        pass


def test_the_microphone_path_hears_a_command_but_not_while_the_coach_speaks(
    recordings: dict[str, Path],
) -> None:
    resolver = Resolver.for_locale(LOCALE)
    silence = Audio.silence(0.6, 16_000).pcm
    speech = Audio.from_wav(recordings["resume"]).resample(16_000).pcm
    pcm = silence + speech + silence
    deaf = [False]
    listener = MicrophoneListener(
        command_recognizer(resolver),
        muted=lambda: deaf[0],
        open_stream=lambda callback, rate: Recording(pcm, callback, deaf),
    )
    listener.end_of_stream()
    inputs = InputQueue()
    VoiceReader(inputs, listener, resolver).start()
    items = []
    while not isinstance(item := inputs.get(timeout=60), Ended):
        assert item is not None, "the listener never ended"
        items.append(item)
    listener.close()
    heard = Heard(Command(CommandKind.RESUME), "AMAZON.ResumeIntent", "resume", Source.VOICE)
    assert items == [heard]


def test_the_microphone_asks_before_obeying_a_go_on_command_close_to_a_safety_phrase() -> None:
    from skill.core.intents import GO_ON_INTENTS, SAFETY_INTENTS, IntentName
    from speech.recognizer import Doubt

    recognizer = command_recognizer(Resolver.for_locale(LOCALE))
    assert recognizer.doubt == Doubt(GO_ON_INTENTS, SAFETY_INTENTS)
    assert IntentName.NEXT in GO_ON_INTENTS
    assert IntentName.PAIN in SAFETY_INTENTS


def test_the_microphone_spots_safety_phrases_beside_its_grammar() -> None:
    from skill.core.intents import GO_ON_INTENTS, SAFETY_INTENTS
    from skill.local.run import voice_grammar, voice_keyphrases

    resolver = Resolver.for_locale(LOCALE)
    recognizer = command_recognizer(resolver)
    assert recognizer.keywords is not None
    assert recognizer.keywords.go_on == GO_ON_INTENTS
    # Every fitted keyphrase is one of the grammar's safety phrases, and every safety phrase
    # of the grammar has a threshold: after a change to the model, refit them
    # (`python -m tests.benchmarks.bench_keywords --write`).
    grammar = voice_grammar(resolver)
    safety = {phrase for phrase, intent in grammar.items() if intent in SAFETY_INTENTS}
    assert set(voice_keyphrases()) == safety


@pytest.mark.parametrize(
    ("said", "voice", "no"),
    [
        # The grammar rejects it; the keyword search finds "it hurts": asked, no repeats.
        ("keep going it hurts", "en-us", Command(CommandKind.REPEAT)),
        # The grammar hears "skip that"; "it hurts" is close behind: asked, no skips.
        ("skip it hurts", "en", Command(CommandKind.SKIP)),
    ],
)
def test_a_go_on_command_said_with_it_hurts_is_asked_about(
    said: str, voice: str, no: Command, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from skill.local.inputs import Unsure, resolve_heard
    from tests.support.recordings import RecordingCache, Utterance

    cache = RecordingCache(tmp_path_factory.mktemp("said"))
    resolver = Resolver.for_locale(LOCALE)
    heard = command_recognizer(resolver).recognize(cache.get(Utterance(said, voice, 160, 30)))
    assert heard is not None
    asked = resolve_heard(resolver, heard)
    assert isinstance(asked, Unsure)
    assert asked.question == "Sorry, did you say it hurts? Say yes or no."
    assert asked.yes is not None
    assert asked.yes.kind is CommandKind.PAIN
    assert asked.no == no


def test_the_microphone_hears_every_pain_rating_from_zero_to_ten() -> None:
    from skill.core.intents import IntentName
    from skill.local.run import voice_grammar

    resolver = Resolver.for_locale(LOCALE)
    grammar = voice_grammar(resolver)
    for said, rating in [("zero", "0"), ("about a six", "6"), ("an eight", None), ("ten", "10")]:
        if rating is None:
            assert said not in grammar  # one form fewer: "about an eight" is there
            continue
        assert grammar[said] == IntentName.PAIN_RATING
        assert resolver.resolve(said).value("rating") == rating
    assert grammar["about an eight"] == grammar["seven out of ten"] == IntentName.PAIN_RATING
    assert grammar["i don't know"] == IntentName.PAIN_RATING
