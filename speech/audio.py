"""Audio buffers and the places audio goes (sinks).

`Audio` is an immutable mono 16-bit PCM buffer with its sample rate: what a TTS engine returns,
what a player schedules and what a renderer concatenates. A sink consumes audio: the default
sound device (`SoundDeviceSink`, PortAudio through sounddevice), a WAV file (`WavFileSink`, for
rendering whole sessions) or nothing (`NullSink`, for machines without a sound card).

Timing never comes from a sink: only `SoundDeviceSink.play` takes real time, so a player paces
itself with a `speech.clock.Clock` and uses `Audio.duration_s` to know how long speech lasts.
"""

from __future__ import annotations

import io
import math
import os
import threading
import wave
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, Self

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import sounddevice

SAMPLE_WIDTH = 2
"""Bytes per sample of every `Audio` buffer (signed 16-bit, little-endian)."""

DEFAULT_SILENCE_THRESHOLD = 256
"""Peak amplitude (of 32767) at or below which a stretch of samples counts as silence."""

_PCM_DTYPE = np.dtype("<i2")

_FILTER_ZEROS = 10
"""Zero crossings of the resampling filter's sinc on each side (as scipy's resample_poly)."""

_KAISER_BETA = 5.0
"""The Kaiser window's shape: about 50 dB of stop-band rejection for this filter length."""


@dataclass(frozen=True)
class _Polyphase:
    """A rational resampler's filter, split into its phases (see `resample_samples`)."""

    up: int
    down: int
    half: int
    """Taps on each side of the filter's centre, in samples of the upsampled rate."""
    firsts: npt.NDArray[np.int64]
    """For each phase, the offset of its first input sample."""
    taps: npt.NDArray[np.float64]
    """One row of taps per phase, applied to consecutive input samples."""


@cache
def _polyphase(source_rate: int, target_rate: int) -> _Polyphase:
    divisor = math.gcd(source_rate, target_rate)
    up, down = target_rate // divisor, source_rate // divisor
    half = _FILTER_ZEROS * max(up, down)
    cutoff = 1.0 / max(up, down)
    offsets = np.arange(-half, half + 1)
    taps = up * cutoff * np.sinc(cutoff * offsets) * np.kaiser(2 * half + 1, _KAISER_BETA)
    width = 2 * half // up + 2
    phases = np.arange(up)
    firsts = -((half - phases * down) // up)  # ceil((phase*M - half) / L)
    index = (phases * down - firsts * up + half)[:, None] - np.arange(width)[None, :] * up
    inside = (index >= 0) & (index <= 2 * half)
    rows = np.where(inside, taps[np.clip(index, 0, 2 * half)], 0.0)
    return _Polyphase(up, down, half, firsts, rows)


def resample_samples(
    samples: npt.NDArray[Any], source_rate: int, target_rate: int, count: int
) -> npt.NDArray[np.float64]:
    """`count` samples of `samples` (at `source_rate`) at `target_rate`, by polyphase filtering.

    The rational resampler: up by L, low-pass at the lower of the two Nyquist frequencies with a
    Kaiser-windowed sinc, down by M (L/M = target/source in lowest terms). Output sample n is
    `sum_k x[k] h[n*M - k*L + half]`; the outputs with the same n mod L share one row of taps,
    so each such phase is one matrix-vector product over sliding windows of the input.
    """
    filt = _polyphase(source_rate, target_rate)
    up, down, width = filt.up, filt.down, filt.taps.shape[1]
    signal = np.asarray(samples, dtype=np.float64)
    left = filt.half // up + 2
    right = max(0, ((count - 1) * down + filt.half) // up + 2 - signal.size)
    padded = np.concatenate([np.zeros(left), signal, np.zeros(right + width)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    out = np.empty(count)
    for phase in range(min(up, count)):
        # The outputs phase, phase + L, ... start their windows M input samples apart.
        first = filt.firsts[phase] + left
        outputs = out[phase::up]
        outputs[:] = windows[first : first + outputs.size * down : down] @ filt.taps[phase]
    return out


class AudioError(Exception):
    """Root of the errors raised by this module."""


class AudioFormatError(AudioError):
    """Input that is not a WAV file this module can read (names the source)."""


class AudioDeviceError(AudioError):
    """No usable audio output device, or the device failed while playing."""


@dataclass(frozen=True)
class Audio:
    """An immutable buffer of mono, signed 16-bit little-endian PCM samples."""

    pcm: bytes
    """The raw samples, two bytes each, little-endian."""
    sample_rate: int
    """Samples per second."""

    def __post_init__(self) -> None:
        if self.sample_rate <= 0:
            raise ValueError(f"sample_rate must be positive, not {self.sample_rate}")
        if len(self.pcm) % SAMPLE_WIDTH:
            raise ValueError(f"pcm holds {len(self.pcm)} bytes, not a whole number of samples")

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def silence(cls, seconds: float, sample_rate: int) -> Audio:
        """Digital silence of `seconds` (rounded to the nearest sample)."""
        if seconds < 0:
            raise ValueError(f"cannot make {seconds} s of silence")
        return cls(bytes(round(seconds * sample_rate) * SAMPLE_WIDTH), sample_rate)

    @classmethod
    def from_samples(cls, samples: npt.ArrayLike, sample_rate: int) -> Audio:
        """Audio from a 1-D array: integers are clipped to int16, floats are read as -1.0..1.0."""
        array = np.asarray(samples)
        if array.ndim != 1:
            raise ValueError(f"expected a 1-D array of samples, got shape {array.shape}")
        if np.issubdtype(array.dtype, np.floating):
            array = np.round(array * 32767.0)
        clipped = np.clip(array, -32768, 32767).astype(_PCM_DTYPE)
        return cls(clipped.tobytes(), sample_rate)

    @classmethod
    def concat(cls, parts: Iterable[Audio], sample_rate: int | None = None) -> Audio:
        """Join `parts` end to end at `sample_rate` (default: the first part's rate).

        Parts at another rate are resampled first.
        """
        items = list(parts)
        if sample_rate is None:
            if not items:
                raise ValueError("concat of no parts needs an explicit sample_rate")
            sample_rate = items[0].sample_rate
        return cls(b"".join(part.resample(sample_rate).pcm for part in items), sample_rate)

    @classmethod
    def from_wav(cls, source: str | os.PathLike[str] | bytes) -> Audio:
        """Read a PCM WAV file (a path, or the file's bytes) of any rate, width and channel count.

        8-, 16-, 24- and 32-bit integer samples are converted to 16 bits; several channels are
        averaged into one. The sample rate is kept as it is (see `resample`).
        """
        label = "WAV data" if isinstance(source, bytes) else os.fspath(source)
        stream: Any = io.BytesIO(source) if isinstance(source, bytes) else os.fspath(source)
        try:
            with wave.open(stream, "rb") as reader:
                channels = reader.getnchannels()
                width = reader.getsampwidth()
                rate = reader.getframerate()
                raw = reader.readframes(reader.getnframes())
        except (wave.Error, EOFError) as error:
            raise AudioFormatError(
                f"{label}: not a PCM WAV file this coach can read ({error})"
            ) from error
        except OSError as error:
            raise AudioFormatError(f"{label}: cannot read ({error})") from error
        samples = _decode_pcm(raw, width, label)
        if channels > 1:
            frames = len(samples) // channels
            samples = samples[: frames * channels].reshape(frames, channels).mean(axis=1)
        return cls(np.clip(np.round(samples), -32768, 32767).astype(_PCM_DTYPE).tobytes(), rate)

    # -- inspection ---------------------------------------------------------------------------

    @property
    def frames(self) -> int:
        """Number of samples."""
        return len(self.pcm) // SAMPLE_WIDTH

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return self.frames / self.sample_rate

    def samples(self) -> npt.NDArray[np.int16]:
        """The samples as a read-only int16 array (no copy)."""
        return np.frombuffer(self.pcm, dtype=_PCM_DTYPE)

    def peak(self) -> int:
        """Largest absolute sample value (0 for silence or an empty buffer)."""
        if not self.frames:
            return 0
        return int(np.abs(self.samples().astype(np.int32)).max())

    # -- transformation -----------------------------------------------------------------------

    def slice(self, start_s: float, end_s: float | None = None) -> Audio:
        """The part between `start_s` and `end_s` (clamped to the buffer)."""
        start = min(max(round(start_s * self.sample_rate), 0), self.frames)
        end = self.frames if end_s is None else round(end_s * self.sample_rate)
        end = min(max(end, start), self.frames)
        return Audio(self.pcm[start * SAMPLE_WIDTH : end * SAMPLE_WIDTH], self.sample_rate)

    def trim_silence(self, threshold: int = DEFAULT_SILENCE_THRESHOLD) -> Audio:
        """Drop leading and trailing samples whose magnitude is at most `threshold`.

        espeak-ng ends every utterance with about 0.3 s of silence; a planner that wants the
        voiced part only (for a tight countdown) trims it.
        """
        loud = np.flatnonzero(np.abs(self.samples().astype(np.int32)) > threshold)
        if not loud.size:
            return Audio(b"", self.sample_rate)
        first, last = int(loud[0]), int(loud[-1]) + 1
        return Audio(self.pcm[first * SAMPLE_WIDTH : last * SAMPLE_WIDTH], self.sample_rate)

    def resample(self, sample_rate: int) -> Audio:
        """The same sound at `sample_rate`, through a windowed-sinc anti-aliasing filter.

        Going down (a 44.1 or 48 kHz file to the recogniser's 16 kHz), whatever lies above the
        new Nyquist frequency is filtered out instead of folding back into the speech band;
        going up, the filter removes the images. See `resample_samples`.
        """
        if sample_rate == self.sample_rate:
            return self
        if sample_rate <= 0:
            raise ValueError(f"sample_rate must be positive, not {sample_rate}")
        count = round(self.frames * sample_rate / self.sample_rate)
        if not self.frames or not count:
            return Audio(b"", sample_rate)
        values = resample_samples(self.samples(), self.sample_rate, sample_rate, count)
        clipped = np.clip(np.round(values), -32768, 32767)
        return Audio(clipped.astype(_PCM_DTYPE).tobytes(), sample_rate)

    # -- output -------------------------------------------------------------------------------

    def to_wav_bytes(self) -> bytes:
        """The buffer as the bytes of a mono 16-bit WAV file."""
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as writer:
            _configure(writer, self.sample_rate)
            writer.writeframes(self.pcm)
        return buffer.getvalue()

    def to_wav(self, path: str | os.PathLike[str]) -> None:
        """Write the buffer to `path` as a mono 16-bit WAV file."""
        with wave.open(os.fspath(path), "wb") as writer:
            _configure(writer, self.sample_rate)
            writer.writeframes(self.pcm)


def _configure(writer: wave.Wave_write, sample_rate: int) -> None:
    writer.setnchannels(1)
    writer.setsampwidth(SAMPLE_WIDTH)
    writer.setframerate(sample_rate)


def _decode_pcm(raw: bytes, width: int, label: str) -> npt.NDArray[np.float64]:
    """Interleaved WAV samples of `width` bytes as float64 on the int16 scale."""
    if width == 1:  # 8-bit WAV is unsigned, centred on 128
        return (np.frombuffer(raw, dtype=np.uint8).astype(np.float64) - 128.0) * 256.0
    if width == 2:
        return np.frombuffer(raw, dtype=_PCM_DTYPE).astype(np.float64)
    if width == 3:
        triples = np.frombuffer(raw[: len(raw) // 3 * 3], dtype=np.uint8).reshape(-1, 3)
        # Put the three bytes in the top of an int32 so the sign comes out right.
        padded = np.zeros((len(triples), 4), dtype=np.uint8)
        padded[:, 1:] = triples
        return padded.view("<i4").reshape(-1).astype(np.float64) / 65536.0
    if width == 4:
        return np.frombuffer(raw, dtype="<i4").astype(np.float64) / 65536.0
    raise AudioFormatError(f"{label}: unsupported sample width of {width} bytes")


# -- sinks ------------------------------------------------------------------------------------


class AudioSink(Protocol):
    """Somewhere audio goes.

    `play` returns once the audio has been consumed: a device blocks while it plays, a file or
    the null sink return at once. `stop` may be called from another thread to cut short a `play`
    in progress. `close` releases the device or finishes the file.
    """

    def play(self, audio: Audio) -> None:
        """Consume `audio`; for a device, block until it has been heard (or `stop` was called)."""
        ...

    def stop(self) -> None:
        """Cut short the `play` in progress, if any (thread-safe)."""
        ...

    def close(self) -> None:
        """Release what the sink holds; later `play` calls are errors."""
        ...


class NullSink:
    """A sink that discards audio at once: the fallback when there is no sound device."""

    def play(self, audio: Audio) -> None:
        """Discard `audio`."""

    def stop(self) -> None:
        """Nothing is ever playing."""

    def close(self) -> None:
        """Nothing to release."""


class WavFileSink:
    """Appends everything played to one mono 16-bit WAV file, for rendering whole sessions.

    The file's rate is `sample_rate`, or that of the first audio played; later audio at another
    rate is resampled. The header is kept valid after every `play`, and `close` finishes the file.
    """

    def __init__(self, path: str | os.PathLike[str], sample_rate: int | None = None) -> None:
        self.path = os.fspath(path)
        self._rate = sample_rate
        self._file: BinaryIO | None = None
        self._writer: wave.Wave_write | None = None
        self._frames = 0
        self._closed = False

    @property
    def duration_s(self) -> float:
        """Seconds of audio written so far."""
        return self._frames / self._rate if self._rate else 0.0

    def play(self, audio: Audio) -> None:
        """Append `audio` to the file."""
        if self._closed:
            raise AudioError(f"{self.path}: the WAV file is already closed")
        if self._writer is None:
            if self._rate is None:
                self._rate = audio.sample_rate
            try:
                # Kept open across play() calls and closed in close(), hence no `with`. The
                # file is opened here rather than by wave.open, whose half-built writer
                # raises again from __del__ when the path cannot be opened.
                self._file = open(self.path, "wb")  # noqa: SIM115
            except OSError as error:
                raise AudioError(f"{self.path}: cannot write ({error})") from error
            self._writer = wave.open(self._file, "wb")  # noqa: SIM115 (closed in close())
            _configure(self._writer, self._rate)
        assert self._rate is not None
        chunk = audio.resample(self._rate)
        self._writer.writeframes(chunk.pcm)
        self._frames += chunk.frames

    def stop(self) -> None:
        """Writing is instant, so there is nothing to cut short."""

    def close(self) -> None:
        """Finish the file (an empty WAV file if nothing was played)."""
        if self._closed:
            return
        self._closed = True
        if self._writer is None:
            Audio(b"", self._rate or 22050).to_wav(self.path)
            return
        self._writer.close()
        if self._file is not None:
            self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class SoundDeviceSink:
    """Plays on an output device through sounddevice (PortAudio): the default one unless told.

    The stream is opened in the constructor, so a missing device shows up at once as
    `AudioDeviceError`. Audio is resampled to the device's default rate, which every device
    accepts, and written in short blocks so that `stop` takes effect within about 25 ms.
    """

    _BLOCK_FRAMES = 1024

    def __init__(self, device: int | str | None = None) -> None:
        try:
            import sounddevice
        except (ImportError, OSError) as error:  # OSError: the PortAudio library is missing
            raise AudioDeviceError(f"sounddevice/PortAudio is not available ({error})") from error
        self._sd = sounddevice
        try:
            info = sounddevice.query_devices(device, kind="output")
            self.sample_rate = int(info["default_samplerate"])
            self.device_name = str(info["name"])
            self._stream: sounddevice.RawOutputStream = sounddevice.RawOutputStream(
                samplerate=self.sample_rate, channels=1, dtype="int16", device=device
            )
            self._stream.start()
        except (sounddevice.PortAudioError, ValueError) as error:
            raise AudioDeviceError(f"no usable audio output device ({error})") from error
        self._stop = threading.Event()
        self._closed = False

    def play(self, audio: Audio) -> None:
        """Play `audio` and return when it has been heard or `stop` was called."""
        if self._closed:
            raise AudioError("the audio device is already closed")
        self._stop.clear()
        pcm = audio.resample(self.sample_rate).pcm
        step = self._BLOCK_FRAMES * SAMPLE_WIDTH
        try:
            for start in range(0, len(pcm), step):
                if self._stop.is_set():
                    break
                self._stream.write(pcm[start : start + step])
            if self._stop.is_set():
                # abort() drops what is still buffered, so the voice stops now, not later.
                self._stream.abort()
                self._stream.start()
            else:
                # write() returns once the last block is queued; wait out the device latency.
                self._stop.wait(float(self._stream.latency))
        except self._sd.PortAudioError as error:
            raise AudioDeviceError(f"audio device failed while playing ({error})") from error

    def stop(self) -> None:
        """Cut short the `play` in progress (thread-safe)."""
        self._stop.set()

    def close(self) -> None:
        """Close the output stream."""
        if not self._closed:
            self._closed = True
            self._stream.close()


def open_default_sink(device: int | str | None = None) -> tuple[AudioSink, str | None]:
    """The default sound device, or a `NullSink` plus one notice to show the user.

    Never raises for a missing or broken device: a machine without a sound card gets the
    coach's words as text instead.
    """
    try:
        return SoundDeviceSink(device), None
    except AudioDeviceError as error:
        notice = (
            f"No audio output: {error}. The coach will show what it says as text "
            "instead of speaking."
        )
        return NullSink(), notice
