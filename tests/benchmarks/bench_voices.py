"""Benchmark: command recognition on voices the recogniser was never tuned on, per synthesiser.

Run: .venv/bin/python -m tests.benchmarks.bench_voices [--per-text 3] [--cache DIR]
(needs the Debian packages `flite`, `festival` and `festvox-kallpc16k`: `./dev.sh bench` has them)

The rejection thresholds of `speech.recognizer` were fitted on espeak-ng recordings only, and
espeak-ng's formant voices are a poor proxy for people. Here the same commands and everyday
sentences are spoken by three synthesisers and decoded against the grammar `massage-coach run`
listens for (`skill.local.run.voice_grammar`), with 20-30 dB of white noise:

- espeak-ng: the six voices of `bench_recognition`;
- flite: four 16 kHz voices (`slt`, `rms`, `awb`, `kal16`), and its 8 kHz voice `kal` apart
  (telephone-band speech, resampled up to the recogniser's 16 kHz);
- festival: `kal_diphone`.

The recogniser is the coach's own (`skill.local.run.command_recognizer`): the grammar, the
second pass against the safety phrases for a go-on winner (`speech.recognizer.Doubt`) and the
keyword search for safety phrases (`speech.recognizer.Keywords`). For each synthesiser it
prints commands right (intent recognised and accepted), false accepts among the non-command
sentences, safety phrases heard as a go-on command ("it hurts" taken for "next" or "keep
going") with no doubt raised (the coach would carry on, never acceptable), how many go-on
commands the coach asks about, safety phrases the keyword search found in a rejection (the
coach asks "did you say it hurts?"), how many non-command sentences it asks that about, and
decode time (the decoding thread's CPU time, which the target is held to on a shared machine,
and wall time). Baselines in the same run: the same grammar with no rejection (its best phrase
always taken); for time, the grammar's single pass alone, each recording decoded by both in
turn (the order alternating), so machine load falls on both alike.

Targets (issue 12): at least 95% of commands right on 16 kHz voices, at least 85% on the 8 kHz
voice, at most 3% false accepts, no safety phrase heard as a go-on command, decode under 100 ms
mean.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from skill.core.intents import GO_ON_INTENTS, IntentName
from skill.core.resolver import Resolver
from skill.local.run import command_recognizer
from speech.recognizer import CommandRecognizer, normalize
from tests.benchmarks.bench_recognition import Scored, model_grammar, rates
from tests.support import recordings
from tests.support.recordings import COMMANDS, NON_COMMANDS, VOICES, RecordingCache, Utterance

GROUPS: dict[str, tuple[str, ...]] = {
    "espeak-ng": VOICES,
    "flite 16 kHz": recordings.FLITE_VOICES,
    "flite 8 kHz": (recordings.FLITE_8K_VOICE,),
    "festival": recordings.FESTIVAL_VOICES,
}
"""The voices of each synthesiser, as the figures are reported."""

SAFETY_INTENT = IntentName.PAIN

TARGET_16K = 0.95
TARGET_8K = 0.85
TARGET_FALSE_ACCEPTS = 0.03
TARGET_DECODE_MS = 100.0


def go_on_misses(commands: Sequence[Scored]) -> list[str]:
    """Safety phrases heard (and accepted) as a go-on command with no doubt to ask about, as
    ``'text'->phrase``: the coach would carry on."""
    return [
        f"{s.utterance.text!r}->{s.decoding.phrase}"
        for s in commands
        if s.expected == SAFETY_INTENT and s.heard in GO_ON_INTENTS and s.decoding.doubt is None
    ]


def doubted(commands: Sequence[Scored], intents: frozenset[str]) -> tuple[int, int]:
    """Of the commands said with one of `intents` and heard as a go-on command, how many were
    doubted (the coach asks "Did you say it hurts?"), and how many there were."""
    heard = [s for s in commands if s.expected in intents and s.heard in GO_ON_INTENTS]
    return sum(s.decoding.doubt is not None for s in heard), len(heard)


@dataclass
class Times:
    """Seconds per decoding: wall time, and the decoding thread's CPU time (`time.thread_time`,
    the honest figure on a shared, loaded machine), for the recogniser and the baseline."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    base_wall: list[float] = field(default_factory=list)
    base_cpu: list[float] = field(default_factory=list)

    def ms(self) -> str:
        """The means, as printed."""
        wall, cpu = (statistics.fmean(x) * 1000 for x in (self.wall, self.cpu))
        base_wall, base_cpu = (statistics.fmean(x) * 1000 for x in (self.base_wall, self.base_cpu))
        return (
            f"decode mean CPU {cpu:.1f} ms, wall {wall:.1f} ms (the grammar's one pass alone: "
            f"CPU {base_cpu:.1f} ms, wall {base_wall:.1f} ms; CPU ratio {cpu / base_cpu:.2f})"
        )


def score_timed(
    recognizer: CommandRecognizer,
    baseline: CommandRecognizer,
    cache: RecordingCache,
    utts: Sequence[Utterance],
    times: Times,
) -> list[Scored]:
    """Each recording decoded by `recognizer` and by `baseline` in turn (which goes first
    alternates): the recogniser's decodings; both decoders' times are added to `times`."""
    intents = {text: intent or "" for text, intent in recognizer.phrases.items()}
    intents = {normalize(text): intent for text, intent in intents.items()}
    scored = []
    for index, (utterance, audio) in enumerate(zip(utts, cache.get_many(utts), strict=True)):
        for turn in (0, 1) if index % 2 == 0 else (1, 0):
            started, cpu = time.perf_counter(), time.thread_time()
            if turn == 0:
                decoding = recognizer.decode(audio)
                elapsed = time.perf_counter() - started
                times.wall.append(elapsed)
                times.cpu.append(time.thread_time() - cpu)
            else:
                baseline.decode(audio)
                times.base_wall.append(time.perf_counter() - started)
                times.base_cpu.append(time.thread_time() - cpu)
        scored.append(Scored(utterance, decoding, elapsed, audio.duration_s, intents))
    return scored


def recording_arguments(description: str, argv: Sequence[str] | None) -> argparse.Namespace:
    """The options of a benchmark over `bench_voices`' recordings: how many of each phrase,
    and where the recordings are cached."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--per-text", type=int, default=3, help="recordings of each phrase")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "massage-coach-recordings"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = recording_arguments(__doc__.splitlines()[0], argv)
    grammar = model_grammar()
    recognizer = command_recognizer(Resolver.for_locale("en-US"))
    one_pass = CommandRecognizer(grammar)
    cache = RecordingCache(args.cache)
    said = [text for text in COMMANDS if text in grammar]
    print(f"grammar: {len(grammar)} phrases; {len(said)} test commands it holds")
    met = True
    for seed, (group, voices) in enumerate(GROUPS.items(), start=1):
        missing = [voice for voice in voices if not recordings.available(voice)]
        if missing:
            print(f"\n{group}: not installed ({', '.join(missing)}): skipped")
            met = False
            continue
        times = Times()
        commands = score_timed(
            recognizer,
            one_pass,
            cache,
            recordings.utterances(said, voices, args.per_text, seed=seed),
            times,
        )
        others = score_timed(
            recognizer,
            one_pass,
            cache,
            recordings.utterances(NON_COMMANDS, voices, args.per_text, seed=100 + seed),
            times,
        )
        accuracy, false, forced, forced_false = rates(commands, others)
        decode_ms = statistics.fmean(times.cpu) * 1000
        unsafe = go_on_misses(commands)
        target = TARGET_8K if "8 kHz" in group else TARGET_16K
        print(f"\n{group} ({', '.join(voices)}): {len(commands)} commands, {len(others)} others")
        print(f"  commands right {accuracy:.3f} (grammar alone {forced:.3f}; target {target})")
        print(f"  false accepts {false:.3f} (grammar alone {forced_false:.3f}; target 0.03)")
        print(f"  ratio accuracy with rejection / grammar alone: {accuracy / forced:.3f}")
        print(f"  {times.ms()}")
        caught, misheard = doubted(commands, frozenset({SAFETY_INTENT}))
        asked, go_ons = doubted(commands, GO_ON_INTENTS)
        print(f"  safety phrases heard as go-on: {misheard}, of which asked about: {caught}")
        print(f"  safety phrases heard as go-on and not asked: {len(unsafe)} {', '.join(unsafe)}")
        print(f"  go-on commands asked about (the cost): {asked} of {go_ons}")
        rescued = sum(
            s.expected == SAFETY_INTENT and recognizer.heard_as_safety(s.decoding) for s in commands
        )
        asked_others = sum(recognizer.heard_as_safety(s.decoding) for s in others)
        print(f"  safety phrases found by the keyword search in a rejection (asked): {rescued}")
        print(
            f"  other sentences asked about as a safety phrase: {asked_others} "
            f"({asked_others / len(others):.3f}; with the false accepts "
            f"{false + asked_others / len(others):.3f})"
        )
        for voice in voices:
            subset = [s for s in commands if s.utterance.voice == voice]
            print(f"    voice {voice:22s} commands right {rates(subset, [])[0]:.3f}")
        misses = [
            f"{s.utterance.text!r}->{s.decoding.phrase if s.heard else 'rejected'}"
            for s in commands
            if s.heard != s.expected
        ]
        print(f"  misses: {', '.join(misses[:12])}")
        group_met = (
            accuracy >= target
            and false <= TARGET_FALSE_ACCEPTS
            and not unsafe
            and decode_ms < TARGET_DECODE_MS
        )
        print(f"  targets: {'met' if group_met else 'NOT met'}")
        met = met and group_met
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
