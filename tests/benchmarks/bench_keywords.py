"""Benchmark: a keyword search for safety phrases beside the microphone's grammar, fitted on
tuning recordings and measured on `bench_voices`' held-out ones, per synthesiser.

Run: .venv/bin/python -m tests.benchmarks.bench_keywords [--cache DIR] [--write]
(needs `flite`, `festival` and `festvox-kallpc16k`, as `bench_voices` does)

Fit: every safety phrase of the microphone's grammar is a keyphrase (`speech.recognizer.
Keywords`); its threshold is the best score it reaches on any tuning recording that holds no
safety phrase, plus `MARGIN`, and never below `FLOOR`. The tuning recordings are other draws
than the benchmark's (other seeds) of the grammar's test commands, 15 other ways to say that
something hurts, 8 other go-on commands and the 45 `TUNING_NON_COMMANDS` sentences, in every
synthesiser's voices. `MARGIN` and `FLOOR` were chosen by two-fold cross-validation on the
tuning recordings alone (the fewest false questions for the most safety phrases found).

Measure: the held-out recordings of `bench_voices` (same seeds), each decoded by three
recognisers in turn (interleaved, so machine load falls on all three alike): `Doubt`'s margin
alone (a second grammar pass against the safety phrases for a go-on winner), with the keyword
search beside it (the coach before `Doubt.clear`), and the coach's own: both, and a go-on
command heard narrowly asked about (`Doubt.clear`). For each: commands right, safety phrases
heard as a safety phrase only because the keyword search rescued a rejection (the coach asks),
false accepts with and without the rescues, safety phrases heard as a go-on command with no
question, go-on commands asked about, and decode time (CPU and wall). Then a set the grammar
cannot hold as such: one of the benchmark's go-on commands and one of its safety phrases said
in one breath ("next it hurts", "it hurts next"), each heard as a symptom outright, asked
about, or taken for a go-on command.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from skill.core.intents import GO_ON_INTENTS, SAFETY_INTENTS
from skill.local.run import KEYPHRASES_FILE, voice_rejection
from speech.audio import Audio
from speech.recognizer import CommandRecognizer, Doubt, Keywords, normalize
from tests.benchmarks.bench_recognition import model_grammar
from tests.benchmarks.bench_voices import GROUPS
from tests.support import recordings
from tests.support.recordings import (
    COMMANDS,
    NON_COMMANDS,
    TUNING_NON_COMMANDS,
    RecordingCache,
    Utterance,
)

MARGIN = 200.0
"""Added to the best score a keyphrase reaches on tuning speech without a safety phrase."""

FLOOR = -2200.0
"""No keyphrase threshold is lower (a keyphrase never found on tuning speech gets this)."""

TUNING_SAFETY = (
    "ow that hurts",
    "it hurts a lot",
    "that really hurts",
    "my back hurts",
    "my leg hurts",
    "this hurts",
    "it's painful",
    "i'm in pain",
    "ouch that hurts",
    "it stings",
    "it burns",
    "my hip hurts",
    "it really hurts",
    "stop it hurts",
    "ouch",
)
"""Other ways to say it hurts than the benchmark's ("it hurts", "that hurts", "my leg is numb")."""

TUNING_GO_ON = (
    "keep going",
    "carry on",
    "move on",
    "next one",
    "go on",
    "let's continue",
    "go ahead",
    "i'm done",
)
"""Go-on commands other than the benchmark's."""


def fit(grammar: Mapping[str, str], cache: RecordingCache) -> dict[str, float]:
    """Each safety phrase's threshold, from the tuning recordings."""
    safety = [phrase for phrase, intent in grammar.items() if intent in SAFETY_INTENTS]
    spotter = CommandRecognizer(
        grammar, keywords=Keywords(dict.fromkeys(safety, FLOOR), GO_ON_INTENTS)
    )
    said = [text for text in COMMANDS if text in grammar]
    best: dict[str, float] = {}
    for seed, voices in enumerate(GROUPS.values(), start=1):
        utterances = (
            recordings.utterances(said, voices, 2, seed=500 + seed)
            + recordings.utterances(TUNING_SAFETY, voices, 3, seed=600 + seed)
            + recordings.utterances(TUNING_GO_ON, voices, 2, seed=700 + seed)
            + recordings.utterances(TUNING_NON_COMMANDS, voices, 2, seed=800 + seed)
        )
        for utterance, audio in zip(utterances, cache.get_many(utterances), strict=True):
            intent = grammar.get(normalize(utterance.text))
            if intent in SAFETY_INTENTS or utterance.text in TUNING_SAFETY:
                continue
            for phrase, score in spotter.keyword_scores(_pcm(audio)).items():
                best[phrase] = max(best.get(phrase, -float("inf")), score)
    return {
        phrase: max(FLOOR, best[normalize(phrase)] + MARGIN) if normalize(phrase) in best else FLOOR
        for phrase in safety
    }


def _pcm(audio: Audio) -> bytes:
    """The utterance as the recogniser decodes it: 16 kHz, trimmed."""
    from speech.recognizer import _as_pcm, _trim

    pcm = _as_pcm(audio)
    return _trim(pcm) or pcm


BENCH_GO_ON = ("next", "next step", "resume", "continue", "skip", "skip this one")
"""The benchmark's go-on commands (`bench_voices` says them alone)."""

BENCH_SAFETY = ("it hurts", "that hurts", "my leg is numb")
"""The benchmark's safety phrases."""

COMPOUNDS = tuple(
    text
    for go_on in BENCH_GO_ON
    for safety in BENCH_SAFETY
    for text in (f"{go_on} {safety}", f"{safety} {go_on}")
)
"""A go-on command and a safety phrase in one breath ("next it hurts", "it hurts next"): in no
grammar as such, and a symptom all the same."""


def _compound_intent(text: str) -> str:
    """What a compound means: the symptom it reports."""
    assert any(safety in text for safety in BENCH_SAFETY), text
    return "PainIntent"


@dataclass
class Tally:
    """One recogniser's figures on one synthesiser's held-out recordings."""

    right: int = 0
    rescued: int = 0
    false: int = 0
    false_rescued: int = 0
    unsafe: list[str] = field(default_factory=list)
    doubted: int = 0
    """Safety phrases heard as a go-on command, and asked about."""
    asked: int = 0
    """Go-on commands asked about."""
    go_ons: int = 0
    ms: list[float] = field(default_factory=list)
    """Wall time per decoding."""
    cpu_ms: list[float] = field(default_factory=list)
    """The decoding thread's CPU time per decoding (`time.thread_time`)."""


def measure(
    recognizer: CommandRecognizer,
    tally: Tally,
    grammar: Mapping[str, str],
    audio: Audio,
    text: str | None,
) -> None:
    """Decode one recording (a command when `text` is given) and count it."""
    started, cpu = time.perf_counter(), time.thread_time()
    decoding = recognizer.decode(audio)
    tally.ms.append((time.perf_counter() - started) * 1000)
    tally.cpu_ms.append((time.thread_time() - cpu) * 1000)
    heard = grammar[decoding.phrase] if decoding.accepted and decoding.phrase else None
    rescued = recognizer.heard_as_safety(decoding)
    if text is None:
        tally.false += heard is not None
        tally.false_rescued += rescued
        return
    expected = grammar.get(normalize(text)) or _compound_intent(text)
    tally.right += heard == expected
    if expected in SAFETY_INTENTS:
        tally.rescued += rescued
        if heard in GO_ON_INTENTS and decoding.doubt is None:
            tally.unsafe.append(f"{text!r}->{decoding.phrase}")
        tally.doubted += heard in GO_ON_INTENTS and decoding.doubt is not None
    if expected in GO_ON_INTENTS and heard in GO_ON_INTENTS:
        tally.go_ons += 1
        tally.asked += decoding.doubt is not None


def tally(
    recognizers: Mapping[str, CommandRecognizer],
    grammar: Mapping[str, str],
    cache: RecordingCache,
    commands: Sequence[Utterance],
    others: Sequence[Utterance],
) -> dict[str, Tally]:
    """Each recogniser's figures, every recording decoded by each in turn."""
    tallies = {name: Tally() for name in recognizers}
    for utterance, audio in zip(commands, cache.get_many(commands), strict=True):
        for name, recognizer in recognizers.items():
            measure(recognizer, tallies[name], grammar, audio, utterance.text)
    for audio in cache.get_many(others):
        for name, recognizer in recognizers.items():
            measure(recognizer, tallies[name], grammar, audio, None)
    return tallies


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "massage-coach-recordings"
    )
    parser.add_argument(
        "--write", action="store_true", help=f"only fit; write the thresholds to {KEYPHRASES_FILE}"
    )
    args = parser.parse_args(argv)
    grammar = model_grammar()
    if not all(recordings.available(v) for voices in GROUPS.values() for v in voices):
        print("flite or festival is not installed")
        return 2
    cache = RecordingCache(args.cache)
    thresholds = fit(grammar, cache)
    if args.write:
        text = json.dumps({phrase: round(value) for phrase, value in sorted(thresholds.items())})
        KEYPHRASES_FILE.write_text(text.replace(", ", ",\n ") + "\n", encoding="utf-8")
        print(f"written to {KEYPHRASES_FILE}")
        return 0
    print(
        f"fitted {len(thresholds)} keyphrases on tuning recordings (margin {MARGIN}, floor {FLOOR})"
    )
    lenient = Doubt(GO_ON_INTENTS, SAFETY_INTENTS, clear=-math.inf)
    keywords = Keywords(thresholds, GO_ON_INTENTS)
    rejection = voice_rejection()  # the coach's, with its bars per intent
    recognizers = {
        "doubt (margin)": CommandRecognizer(grammar, rejection=rejection, doubt=lenient),
        "doubt + keywords": CommandRecognizer(
            grammar, rejection=rejection, doubt=lenient, keywords=keywords
        ),
        "+ narrow go-on": CommandRecognizer(
            grammar,
            rejection=rejection,
            doubt=Doubt(GO_ON_INTENTS, SAFETY_INTENTS),
            keywords=keywords,
        ),
    }
    said = [text for text in COMMANDS if text in grammar]
    for seed, (group, voices) in enumerate(GROUPS.items(), start=1):
        commands = recordings.utterances(said, voices, 3, seed=seed)
        others = recordings.utterances(NON_COMMANDS, voices, 3, seed=100 + seed)
        compounds = recordings.utterances(COMPOUNDS, voices, 1, seed=200 + seed)
        print(f"\n{group}: {len(commands)} commands, {len(others)} other sentences (held out)")
        tallies = tally(recognizers, grammar, cache, commands, others)
        base_ms = statistics.fmean(tallies["doubt (margin)"].cpu_ms)
        for name, t in tallies.items():
            ms = statistics.fmean(t.cpu_ms)
            print(
                f"  {name:17s} right {t.right / len(commands):.3f}, safety rescued {t.rescued}; "
                f"false accepts {t.false / len(others):.3f}, "
                f"with rescues {(t.false + t.false_rescued) / len(others):.3f}; "
                f"unsafe {len(t.unsafe)} {' '.join(t.unsafe)}; go-on asked {t.asked}/{t.go_ons}; "
                f"decode CPU {ms:.1f} ms, wall {statistics.fmean(t.ms):.1f} ms "
                f"(CPU ratio to the margin alone {ms / base_ms:.2f})"
            )
        print(f"  a go-on command and a safety phrase in one breath ({len(compounds)}):")
        for name, t in tally(recognizers, grammar, cache, compounds, []).items():
            print(
                f"  {name:17s} heard as a symptom {t.right}, asked about after a rescue "
                f"{t.rescued}, heard as go-on and asked {t.doubted}, heard as go-on with no "
                f"question {len(t.unsafe)}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
