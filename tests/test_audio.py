"""Tests for speech.audio: the PCM buffer, WAV in and out, resampling, and the sinks."""

from __future__ import annotations

import io
import sys
import threading
import wave
from pathlib import Path

import numpy as np
import pytest

from speech.audio import (
    Audio,
    AudioDeviceError,
    AudioError,
    AudioFormatError,
    AudioSink,
    NullSink,
    SoundDeviceSink,
    WavFileSink,
    open_default_sink,
)


def tone(seconds: float, rate: int, hz: float = 440.0, amplitude: float = 0.5) -> Audio:
    """A sine tone, the test signal for resampling and WAV round trips."""
    t = np.arange(round(seconds * rate)) / rate
    return Audio.from_samples(amplitude * np.sin(2 * np.pi * hz * t), rate)


def wav_bytes(samples: np.ndarray, rate: int, channels: int, width: int) -> bytes:
    """A WAV file written by the standard library, with raw interleaved samples."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(samples.tobytes())
    return buffer.getvalue()


# -- the buffer -------------------------------------------------------------------------------


def test_silence_has_the_asked_length_and_no_sound() -> None:
    audio = Audio.silence(1.5, 16000)
    assert audio.frames == 24000
    assert audio.duration_s == pytest.approx(1.5)
    assert audio.peak() == 0


@pytest.mark.parametrize(
    ("pcm", "rate", "reason"),
    [
        (b"\x00", 8000, "pcm holds 1 bytes, not a whole number of samples"),
        (b"", 0, "sample_rate must be positive, not 0"),
        (b"\x00\x00", -1, "sample_rate must be positive, not -1"),
    ],
    ids=["odd", "zero", "neg"],
)
def test_invalid_buffers_are_rejected(pcm: bytes, rate: int, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        Audio(pcm, rate)


def test_negative_silence_is_rejected() -> None:
    with pytest.raises(ValueError, match="-1"):
        Audio.silence(-1, 8000)


def test_from_samples_clips_integers_and_scales_floats() -> None:
    audio = Audio.from_samples(np.array([40000, -40000, 5]), 8000)
    assert audio.samples().tolist() == [32767, -32768, 5]
    floats = Audio.from_samples(np.array([1.0, -1.0, 0.5, 2.0]), 8000)
    assert floats.samples().tolist() == [32767, -32767, 16384, 32767]
    with pytest.raises(ValueError, match="1-D"):
        Audio.from_samples(np.zeros((2, 2)), 8000)


def test_concat_joins_in_order_and_resamples_other_rates() -> None:
    first = Audio.from_samples(np.array([1, 2, 3]), 8000)
    second = Audio.from_samples(np.array([4, 5]), 8000)
    assert Audio.concat([first, second]).samples().tolist() == [1, 2, 3, 4, 5]
    mixed = Audio.concat([Audio.silence(1.0, 8000), Audio.silence(0.5, 16000)])
    assert mixed.sample_rate == 8000
    assert mixed.duration_s == pytest.approx(1.5)
    assert Audio.concat([], sample_rate=8000).frames == 0
    with pytest.raises(ValueError, match="sample_rate"):
        Audio.concat([])


def test_slice_cuts_by_seconds_and_clamps() -> None:
    audio = Audio.from_samples(np.arange(10), 10)
    assert audio.slice(0.2, 0.5).samples().tolist() == [2, 3, 4]
    assert audio.slice(0.8).samples().tolist() == [8, 9]
    assert audio.slice(-1, 99).frames == 10
    assert audio.slice(0.7, 0.2).frames == 0


def test_trim_silence_keeps_only_the_loud_middle() -> None:
    loud = tone(0.5, 8000)
    padded = Audio.concat([Audio.silence(0.25, 8000), loud, Audio.silence(0.75, 8000)])
    trimmed = padded.trim_silence()
    assert trimmed.duration_s == pytest.approx(0.5, abs=0.01)
    assert Audio.silence(1, 8000).trim_silence().frames == 0


def test_peak_reads_the_most_negative_sample_too() -> None:
    assert Audio.from_samples(np.array([3, -32768, 7]), 8000).peak() == 32768
    assert Audio(b"", 8000).peak() == 0


# -- resampling -------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "target"), [(22050, 48000), (48000, 16000), (44100, 22050)])
def test_resample_keeps_duration_and_pitch(source: int, target: int) -> None:
    original = tone(0.5, source, hz=300.0)
    converted = original.resample(target)
    assert converted.sample_rate == target
    assert converted.duration_s == pytest.approx(0.5, abs=1 / target)
    spectrum = np.abs(np.fft.rfft(converted.samples().astype(np.float64)))
    peak_hz = np.argmax(spectrum) * target / converted.frames
    assert peak_hz == pytest.approx(300.0, abs=3.0)
    assert converted.peak() == pytest.approx(original.peak(), rel=0.02)


def _rms(audio: Audio, edge_s: float = 0.05) -> float:
    """The level away from the ends, where the filter starts and stops on digital silence."""
    edge = round(edge_s * audio.sample_rate)
    values = audio.samples().astype(np.float64)[edge:-edge]
    return float(np.sqrt(np.mean(values**2)))


@pytest.mark.parametrize("source", [22050, 44100, 48000])
def test_resampling_down_filters_out_what_the_new_rate_cannot_hold(source: int) -> None:
    # 10 kHz is above 16 kHz's Nyquist frequency: interpolation folds it back to 6 kHz, in the
    # middle of the speech band; the anti-aliasing filter removes it (better than -45 dB).
    above = tone(0.5, source, hz=10_000.0).resample(16_000)
    assert _rms(above) < _rms(tone(0.5, source, hz=10_000.0)) * 10 ** (-45 / 20)
    # What the new rate can hold keeps its level within 0.5 dB, up to 7 kHz.
    for hz in (300.0, 3000.0, 7000.0):
        original = tone(0.5, source, hz=hz)
        assert _rms(original.resample(16_000)) == pytest.approx(_rms(original), rel=0.06)


@pytest.mark.parametrize(("source", "target"), [(8000, 16000), (16000, 44100), (22050, 48000)])
def test_resampling_up_adds_no_images_above_the_old_band(source: int, target: int) -> None:
    converted = tone(0.5, source, hz=1000.0).resample(target)
    spectrum = np.abs(np.fft.rfft(converted.samples().astype(np.float64)))
    frequencies = np.fft.rfftfreq(converted.frames, 1 / target)
    above = spectrum[frequencies > source / 2 + 200].max()
    assert above < spectrum.max() * 10 ** (-40 / 20)


def test_resample_to_the_same_rate_is_the_same_buffer() -> None:
    audio = tone(0.1, 8000)
    assert audio.resample(8000) is audio
    with pytest.raises(ValueError, match="sample_rate must be positive, not 0"):
        audio.resample(0)


# -- WAV in and out ---------------------------------------------------------------------------


def test_wav_round_trip_through_a_file(tmp_path: Path) -> None:
    audio = tone(0.3, 22050)
    path = tmp_path / "tone.wav"
    audio.to_wav(path)
    assert Audio.from_wav(path) == audio
    assert Audio.from_wav(str(path)) == audio
    with wave.open(str(path), "rb") as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (
            1,
            2,
            22050,
        )


def test_wav_round_trip_through_bytes() -> None:
    audio = tone(0.2, 11025)
    assert Audio.from_wav(audio.to_wav_bytes()) == audio


def test_stereo_is_downmixed_by_averaging() -> None:
    left = np.array([1000, 2000, -3000, 32767], dtype="<i2")
    right = np.array([3000, 0, -1000, 32767], dtype="<i2")
    data = wav_bytes(np.column_stack([left, right]).reshape(-1), 44100, channels=2, width=2)
    audio = Audio.from_wav(data)
    assert audio.sample_rate == 44100
    assert audio.samples().tolist() == [2000, 1000, -2000, 32767]


def test_8_bit_wav_is_read_as_unsigned() -> None:
    data = wav_bytes(np.array([128, 255, 0], dtype=np.uint8), 8000, channels=1, width=1)
    assert Audio.from_wav(data).samples().tolist() == [0, 127 * 256, -32768]


def test_24_and_32_bit_wav_keep_the_top_16_bits() -> None:
    values = [1 << 16, -(1 << 16), (1 << 23) - 1, -(1 << 23)]
    packed = b"".join(v.to_bytes(3, "little", signed=True) for v in values)
    data24 = wav_bytes(np.frombuffer(packed, dtype=np.uint8), 8000, channels=1, width=3)
    assert Audio.from_wav(data24).samples().tolist() == [256, -256, 32767, -32768]
    data32 = wav_bytes(np.array([1 << 24, -(1 << 24)], dtype="<i4"), 8000, channels=1, width=4)
    assert Audio.from_wav(data32).samples().tolist() == [256, -256]


def test_not_a_wav_file_names_the_source(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.wav"
    bogus.write_text("not audio")
    with pytest.raises(AudioFormatError, match=r"notes\.wav"):
        Audio.from_wav(bogus)
    with pytest.raises(AudioFormatError, match="WAV data"):
        Audio.from_wav(b"RIFF")
    with pytest.raises(AudioFormatError, match="cannot read"):
        Audio.from_wav(tmp_path / "missing.wav")


# -- sinks ------------------------------------------------------------------------------------


def test_wav_file_sink_appends_and_resamples(tmp_path: Path) -> None:
    path = tmp_path / "session.wav"
    first = tone(0.5, 22050)
    with WavFileSink(path) as sink:
        sink.play(first)
        sink.play(Audio.silence(0.25, 11025))
        sink.play(tone(0.25, 22050, hz=880.0))
        assert sink.duration_s == pytest.approx(1.0, abs=1e-3)
    written = Audio.from_wav(path)
    assert written.sample_rate == 22050
    assert written.duration_s == pytest.approx(1.0, abs=1e-3)
    assert written.slice(0, 0.5) == first
    assert written.slice(0.5, 0.75).peak() == 0
    assert written.slice(0.75).peak() > 10000
    with pytest.raises(AudioError, match="closed"):
        sink.play(first)


def test_wav_file_sink_with_a_fixed_rate_and_nothing_played(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    sink = WavFileSink(path, sample_rate=16000)
    sink.close()
    sink.close()
    empty = Audio.from_wav(path)
    assert (empty.frames, empty.sample_rate) == (0, 16000)


def test_wav_file_sink_reports_an_unwritable_path(tmp_path: Path) -> None:
    sink = WavFileSink(tmp_path / "no-such-dir" / "out.wav")
    with pytest.raises(AudioError, match="cannot write"):
        sink.play(Audio.silence(0.1, 8000))


def test_null_sink_returns_at_once() -> None:
    sink = NullSink()
    sink.play(Audio.silence(3600, 8000))  # an hour of audio, consumed instantly
    sink.stop()
    sink.close()


def _has_output_device() -> bool:
    try:
        SoundDeviceSink().close()
    except AudioDeviceError:
        return False
    return True


def test_open_default_sink_without_a_device_gives_null_sink_and_one_notice() -> None:
    sink, notice = open_default_sink()
    if _has_output_device():
        assert isinstance(sink, SoundDeviceSink)
        assert notice is None
        sink.close()
        return
    assert isinstance(sink, NullSink)
    assert notice is not None
    assert "No audio output" in notice
    assert "text" in notice
    assert "\n" not in notice


def test_open_default_sink_without_sounddevice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    sink, notice = open_default_sink()
    assert isinstance(sink, NullSink)
    assert notice is not None
    assert "sounddevice" in notice


def test_open_default_sink_with_an_unknown_device_name() -> None:
    sink, notice = open_default_sink(device="no such device 1234")
    assert isinstance(sink, NullSink)
    assert notice is not None


def test_sinks_follow_the_protocol_from_another_thread(tmp_path: Path) -> None:
    # stop() is documented as thread-safe; on the file and null sinks it must not block.
    sinks: list[AudioSink] = [NullSink(), WavFileSink(tmp_path / "t.wav")]
    threads = [threading.Thread(target=sink.stop) for sink in sinks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
        assert not thread.is_alive()
    for sink in sinks:
        sink.play(Audio.silence(0.01, 8000))
        sink.close()
