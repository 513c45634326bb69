"""The recordings and per-pass scores `bench_effort` fits and measures on, decoded once per
`Effort` and kept in a JSON file beside the recording cache.

Every recording is decoded by the three passes the coach can make (`skill.local.run.
command_recognizer`): the microphone's grammar (no rejection: its best phrase, score and
phones), the grammar of the safety phrases alone (`Doubt`'s second pass) and the keyword
search for the safety phrases (`Keywords`; every keyphrase's best score), each timed on the
decoding thread's CPU clock. Which passes the coach would run, and what it would decide, is
then a matter of thresholds (`bench_effort.simulate`), so one decoding per effort serves every
threshold tried.

Tuning recordings are `bench_keywords`' (other draws and sentences than the benchmarks'), plus
a go-on command and a safety phrase said in one breath drawn from the tuning phrases; held-out
ones are exactly `bench_voices`' and `bench_keywords`' (same seeds).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from skill.core.intents import GO_ON_INTENTS, SAFETY_INTENTS
from speech.recognizer import (
    CommandRecognizer,
    Effort,
    Keywords,
    Rejection,
    _as_pcm,
    _trim,
    _with_floor,
)
from tests.benchmarks.bench_keywords import (
    COMPOUNDS,
    FLOOR,
    TUNING_GO_ON,
    TUNING_SAFETY,
)
from tests.benchmarks.bench_voices import GROUPS
from tests.support import recordings
from tests.support.recordings import (
    COMMANDS,
    NON_COMMANDS,
    TUNING_NON_COMMANDS,
    RecordingCache,
    Utterance,
)

TUNING_COMPOUNDS = tuple(
    text
    for go_on in ("keep going", "carry on", "move on", "next one", "go on", "go ahead")
    for safety in ("it burns", "my back hurts", "ouch")
    for text in (f"{go_on} {safety}", f"{safety} {go_on}")
)
"""A tuning go-on command and a tuning safety phrase in one breath (none of `COMPOUNDS`)."""


@dataclass(frozen=True)
class Sample:
    """One recording, what it holds, and the set it belongs to."""

    utterance: Utterance
    group: str
    """The synthesiser (a key of `bench_voices.GROUPS`)."""
    kind: str
    """"command" (a phrase of the grammar or a safety phrase), "other" (no command) or
    "compound" (a go-on command and a safety phrase in one breath)."""
    tuning: bool
    safety: bool
    """Whether it reports a symptom (every compound does)."""


@dataclass(frozen=True)
class Passes:
    """One recording's three passes at one effort."""

    phrase: str | None
    score: float
    phones: int
    safety_phrase: str | None
    safety_score: float
    keywords: Mapping[str, float]
    cpu_grammar: float
    cpu_safety: float
    cpu_keywords: float


def samples(grammar: Mapping[str, str]) -> list[Sample]:
    """The tuning and held-out recordings of every synthesiser."""
    said = [text for text in COMMANDS if text in grammar]

    def safe(text: str) -> bool:
        return grammar.get(text) in SAFETY_INTENTS or text in TUNING_SAFETY

    result: list[Sample] = []
    for seed, (group, voices) in enumerate(GROUPS.items(), start=1):
        sets = [
            (said, 2, 500, "command", True),
            (TUNING_SAFETY, 3, 600, "command", True),
            (TUNING_GO_ON, 2, 700, "command", True),
            (TUNING_NON_COMMANDS, 2, 800, "other", True),
            (TUNING_COMPOUNDS, 1, 900, "compound", True),
            (said, 3, 0, "command", False),
            (NON_COMMANDS, 3, 100, "other", False),
            (COMPOUNDS, 1, 200, "compound", False),
        ]
        for texts, per_text, base, kind, tuning in sets:
            for utterance in recordings.utterances(texts, voices, per_text, seed=base + seed):
                is_safe = kind == "compound" or (kind == "command" and safe(utterance.text))
                result.append(Sample(utterance, group, kind, tuning, is_safe))
    return result


def decode_all(
    grammar: Mapping[str, str],
    effort: Effort,
    keyword_effort: Effort,
    cache: RecordingCache,
    chosen: Sequence[Sample],
) -> list[Passes]:
    """The three passes of each recording: the grammars' at `effort`, the keyword search's at
    `keyword_effort`."""
    safety = [phrase for phrase, intent in grammar.items() if intent in SAFETY_INTENTS]
    off = Rejection(enabled=False)
    whole = CommandRecognizer(grammar, rejection=off, effort=effort)
    alone = CommandRecognizer({p: grammar[p] for p in safety}, rejection=off, effort=effort)
    spotter = CommandRecognizer(
        safety,
        keywords=Keywords(dict.fromkeys(safety, FLOOR), GO_ON_INTENTS),
        keyword_effort=keyword_effort,
    )
    result = []
    utterances = [s.utterance for s in chosen]
    for audio in cache.get_many(utterances):
        pcm = _as_pcm(audio)
        pcm = _with_floor(_trim(pcm) or pcm)
        started = time.thread_time()
        first = whole._decode(pcm)
        after_first = time.thread_time()
        second = alone._decode(pcm)
        after_second = time.thread_time()
        spotted = spotter._keyword_scores(pcm)
        done = time.thread_time()
        result.append(
            Passes(
                first.phrase,
                first.score,
                first.phones,
                second.phrase,
                second.score,
                spotted,
                after_first - started,
                after_second - after_first,
                done - after_second,
            )
        )
    return result


def _key(effort: Effort) -> str:
    return f"ds{effort.frame_step}-topn{effort.gaussians}"


def load(
    grammar: Mapping[str, str], effort: Effort, cache: RecordingCache, folder: Path
) -> tuple[list[Sample], list[Passes]]:
    """The samples and their passes at `effort`, decoded now or read from `folder`."""
    chosen = samples(grammar)
    path = folder / f"effort-{_key(effort)}-{len(grammar)}.json"
    if path.exists():
        rows = json.loads(path.read_text())
        return chosen, [_passes(row) for row in rows]
    passes = decode_all(grammar, effort, effort, cache, chosen)
    path.write_text(json.dumps([_row(p) for p in passes]))
    return chosen, passes


def _row(passes: Passes) -> dict[str, Any]:
    row = asdict(passes)
    for name in ("score", "safety_score"):
        row[name] = None if math.isinf(row[name]) else row[name]
    return row


def _passes(row: dict[str, Any]) -> Passes:
    for name in ("score", "safety_score"):
        row[name] = -math.inf if row[name] is None else row[name]
    return Passes(**row)
