"""Commands from the microphone: the default input device feeding a `CommandRecognizer`.

`MicrophoneListener` captures 16 kHz mono blocks on the audio thread, hands them to the
recognizer on a background thread, and drops what it hears while muted (while the coach speaks),
so the coach never hears itself. The device is opened through a small `StreamOpener`
(sounddevice's `RawInputStream` by default), so tests feed it recorded blocks instead.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, Protocol, Self

from speech.recognizer import SAMPLE_RATE, CommandRecognizer, Recognition, RecognizerError

__all__ = [
    "InputStream",
    "MicrophoneListener",
    "NoMicrophone",
    "StreamOpener",
    "open_default_microphone",
]


class NoMicrophone(RecognizerError):
    """No audio input device could be opened (the message says why)."""


class InputStream(Protocol):
    """What `MicrophoneListener` needs from an audio input stream (sounddevice's has it)."""

    def start(self) -> None:
        """Begin delivering blocks to the callback."""

    def close(self) -> None:
        """Stop delivering blocks and release the device."""


StreamOpener = Callable[[Callable[[bytes], None], int], InputStream]
"""Opens an input stream at a sample rate that calls back with 16-bit mono PCM blocks."""


def open_default_microphone(callback: Callable[[bytes], None], sample_rate: int) -> InputStream:
    """The default input device as a 16-bit mono stream; `NoMicrophone` if there is none."""
    try:
        import sounddevice
    except (ImportError, OSError) as error:  # OSError: the PortAudio library is missing
        raise NoMicrophone(f"no audio input library: {error}") from error

    def on_block(data: Any, frames: int, time: Any, status: Any) -> None:
        callback(bytes(data))

    try:
        sounddevice.query_devices(kind="input")
        stream: InputStream = sounddevice.RawInputStream(
            samplerate=sample_rate,
            channels=1,
            dtype="int16",
            blocksize=sample_rate // 20,
            callback=on_block,
        )
    except (sounddevice.PortAudioError, ValueError) as error:
        raise NoMicrophone(f"no usable audio input device: {error}") from error
    return stream


_END = None


class MicrophoneListener:
    """Recognises commands from a microphone on a background thread.

    Blocks captured while muted (by `mute()`, or while the `muted` predicate is true) are
    dropped, and so is any utterance they interrupt, so the coach does not hear itself speak.
    `recognitions()` (or `phrases()`, the text only) yields what is heard until `close()`.
    Opening raises `NoMicrophone` when there is no input device.
    """

    def __init__(
        self,
        recognizer: CommandRecognizer,
        *,
        muted: Callable[[], bool] | None = None,
        open_stream: StreamOpener = open_default_microphone,
    ) -> None:
        self.recognizer = recognizer
        self._predicate = muted
        self._muted = threading.Event()
        self._closed = threading.Event()
        self._blocks: queue.Queue[bytes | None] = queue.Queue()
        self._heard: queue.Queue[Recognition | BaseException | None] = queue.Queue()
        self._stream = open_stream(self._on_block, SAMPLE_RATE)
        self._thread = threading.Thread(target=self._work, name="microphone", daemon=True)
        self._thread.start()
        try:
            self._stream.start()
        except Exception as error:
            self.close()
            raise NoMicrophone(f"the audio input device did not start: {error}") from error

    @property
    def muted(self) -> bool:
        """Whether audio is being ignored right now."""
        return self._muted.is_set() or (self._predicate is not None and self._predicate())

    def mute(self) -> None:
        """Ignore audio (and drop any utterance in progress) until `unmute()`."""
        self._muted.set()

    def unmute(self) -> None:
        """Listen again."""
        self._muted.clear()

    def _on_block(self, pcm: bytes) -> None:
        # Called on the audio thread: only a cheap check and a queue put.
        if not self._closed.is_set():
            self._blocks.put(b"" if self.muted else pcm)

    def _blocks_until_closed(self) -> Iterator[bytes]:
        while (block := self._blocks.get()) is not _END:
            yield block

    def _work(self) -> None:
        try:
            for recognition in self.recognizer.listen(self._blocks_until_closed()):
                self._heard.put(recognition)
        except BaseException as error:  # handed to the reader, who decides what to do
            self._heard.put(error)
        self._heard.put(_END)

    def recognitions(self) -> Iterator[Recognition]:
        """Each command heard, as it is heard, until the listener is closed."""
        while (item := self._heard.get()) is not _END:
            if isinstance(item, BaseException):
                raise RecognizerError(f"listening failed: {item}") from item
            yield item

    def phrases(self) -> Iterator[Recognition]:
        """Each command heard (its `text`, and the safety phrase it may be confused with as
        its `doubt`), until the listener is closed."""
        yield from self.recognitions()

    def end_of_stream(self) -> None:
        """The stream has no more audio: finish the utterance in progress, then stop."""
        self._blocks.put(_END)

    def close(self) -> None:
        """Release the device and stop listening (idempotent)."""
        if self._closed.is_set():
            return
        self._closed.set()
        with contextlib.suppress(Exception):  # a device that fails to close is gone anyway
            self._stream.close()
        self._blocks.put(_END)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
