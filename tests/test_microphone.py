"""Tests for speech.microphone: the listener fed by a fake input stream with real recordings
(made here with espeak-ng, tests.support.recordings), and a real device where there is none."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from speech.microphone import MicrophoneListener, NoMicrophone, StreamOpener
from speech.recognizer import CommandRecognizer, Keywords, Recognition, RecognizerError
from tests.support import recordings
from tests.support.recordings import COMMANDS, RecordingCache, Utterance, blocks, pcm_of

pytestmark = pytest.mark.skipif(not recordings.espeak_available(), reason="needs espeak-ng")

NEXT_STEP = Utterance("next step", "en-us", 160, 30)
IT_HURTS = Utterance("it hurts", "en", 140, 30)
COACH_TALKING = Utterance("hold for forty five seconds", "en-us", 160, 25)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> RecordingCache:
    return RecordingCache(tmp_path_factory.mktemp("recordings"))


@pytest.fixture(scope="module")
def commands() -> CommandRecognizer:
    return CommandRecognizer(COMMANDS)


class FakeStream:
    """An input stream whose blocks the test pushes by hand (as a device's thread would)."""

    def __init__(self, callback: Callable[[bytes], None], sample_rate: int) -> None:
        self.callback = callback
        self.sample_rate = sample_rate
        self.started = self.closed = False

    def start(self) -> None:
        self.started = True

    def close(self) -> None:
        self.closed = True

    def feed(self, pcm: bytes) -> None:
        for block in blocks(pcm, 800):
            self.callback(block)


def fake_opener(streams: list[FakeStream]) -> StreamOpener:
    def open_stream(callback: Callable[[bytes], None], sample_rate: int) -> FakeStream:
        streams.append(FakeStream(callback, sample_rate))
        return streams[-1]

    return open_stream


def test_microphone_listener_hears_what_is_said_while_unmuted(
    cache: RecordingCache, commands: CommandRecognizer
) -> None:
    streams: list[FakeStream] = []
    with MicrophoneListener(commands, open_stream=fake_opener(streams)) as listener:
        (stream,) = streams
        assert stream.started
        assert stream.sample_rate == 16_000
        listener.mute()
        assert listener.muted
        stream.feed(pcm_of(cache, COACH_TALKING))  # the coach talking: not heard
        listener.unmute()
        stream.feed(pcm_of(cache, IT_HURTS))
        listener.end_of_stream()
        heard = list(listener.recognitions())
    assert [r.intent for r in heard] == ["PainIntent"]
    assert stream.closed


def test_microphone_listener_follows_a_mute_predicate(
    cache: RecordingCache, commands: CommandRecognizer
) -> None:
    speaking = threading.Event()
    streams: list[FakeStream] = []
    listener = MicrophoneListener(commands, muted=speaking.is_set, open_stream=fake_opener(streams))
    speaking.set()
    streams[0].feed(pcm_of(cache, IT_HURTS))
    speaking.clear()
    streams[0].feed(pcm_of(cache, NEXT_STEP))
    listener.end_of_stream()
    assert [heard.text for heard in listener.phrases()] == ["next step"]
    listener.close()
    listener.close()  # idempotent


def test_a_safety_phrase_said_after_a_go_on_command_is_heard_with_doubt(
    cache: RecordingCache,
) -> None:
    # "keep going it hurts" in a stream: the grammar rejects it, the keyword search finds
    # "it hurts", and the listener hands on "it hurts" doubted, for the coach to ask about.
    # (About -1400 against the phone loop for "it hurts" here, -1900 in "next step".)
    keywords = Keywords({"it hurts": -1650.0}, frozenset({"AMAZON.NextIntent"}))
    spotting = CommandRecognizer(COMMANDS | {"keep going": "AMAZON.NextIntent"}, keywords=keywords)
    streams: list[FakeStream] = []
    with MicrophoneListener(spotting, open_stream=fake_opener(streams)) as listener:
        streams[0].feed(pcm_of(cache, Utterance("keep going it hurts", "en-us", 160, 30)))
        streams[0].feed(pcm_of(cache, NEXT_STEP))
        listener.end_of_stream()
        heard = [(r.intent, r.doubt) for r in listener.phrases()]
    assert heard == [("PainIntent", "it hurts"), ("AMAZON.NextIntent", None)]


def test_a_failing_listener_raises_in_the_reader(commands: CommandRecognizer) -> None:
    class Broken(CommandRecognizer):
        def listen(self, chunks: object, *, muted: object = None) -> Iterator[Recognition]:
            raise RuntimeError("decoder exploded")

    broken = Broken(["next"])
    listener = MicrophoneListener(broken, open_stream=fake_opener([]))
    with pytest.raises(RecognizerError, match="decoder exploded"):
        list(listener.recognitions())
    listener.close()


def test_a_device_that_does_not_start_is_no_microphone(commands: CommandRecognizer) -> None:
    class Dead(FakeStream):
        def start(self) -> None:
            raise OSError("device unplugged")

    opened: list[Dead] = []

    def open_dead(callback: Callable[[bytes], None], sample_rate: int) -> Dead:
        opened.append(Dead(callback, sample_rate))
        return opened[0]

    with pytest.raises(NoMicrophone, match="device unplugged"):
        MicrophoneListener(commands, open_stream=open_dead)
    assert opened[0].closed


def test_no_microphone_on_a_machine_without_one(commands: CommandRecognizer) -> None:
    sounddevice = pytest.importorskip("sounddevice")
    try:
        sounddevice.query_devices(kind="input")
    except sounddevice.PortAudioError:
        pass
    else:
        pytest.skip("this machine has an input device")
    with pytest.raises(NoMicrophone, match="no usable audio input device"):
        MicrophoneListener(commands)
