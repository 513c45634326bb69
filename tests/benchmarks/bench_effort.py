"""Benchmark: the recogniser's acoustic effort (`speech.recognizer.Effort`: pocketsphinx's
``ds`` and ``topn``) against decode time, every threshold refitted for each on tuning
recordings and measured on held-out ones, per synthesiser.

Run: .venv/bin/python -m tests.benchmarks.bench_effort [--cache DIR] [--data DIR]
[--effort DS,TOPN ...] [--keyword-effort DS,TOPN] [--raised] [--write]
(needs `flite`, `festival` and `festvox-kallpc16k`, as `bench_voices` does; the first run of an
effort decodes ~1,900 recordings three ways, some ten minutes, then it is read back)

Scoring fewer frames or fewer Gaussians moves every score the coach's thresholds were fitted
on, so each effort gets its own, fitted on the tuning recordings of `effort_data` alone, each
at the operating point the shipped thresholds have on those same recordings with the shipped
effort (so that the comparison is of efforts, not of operating points):

- `Rejection`: the best tuning accuracy with no more false accepts than the shipped one;
- `Doubt` (`margin`, `clear`): the fewest go-on commands asked about with no more safety
  phrases taken for a go-on command with no question than the shipped one;
- `Keywords`: `bench_keywords`' rule (the best score on tuning speech with no safety phrase,
  plus a margin, above a floor), its margin and floor scaled with the keyphrase scores;
- with `--raised`, a bar per intent on top of the rejection (`fit_raised`; `--write` puts the
  last one in `skill/local/rejection.json`, which the coach decides with). Each effort is also
  shown with the shipped `Doubt`, which the coach keeps.

Each recording is decoded once per effort by the three passes the coach can make
(`effort_data`); what the coach would hear, ask, and spend (the CPU time of the passes it would
run) follows from the thresholds (`simulate`). `bench_voices` and `bench_keywords` then measure
the chosen effort for real.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from skill.core.intents import GO_ON_INTENTS, SAFETY_INTENTS, IntentName
from skill.local.run import REJECTION_FILE, voice_keyphrases
from speech.recognizer import Effort, Rejection, normalize
from tests.benchmarks import bench_keywords
from tests.benchmarks.bench_recognition import model_grammar
from tests.benchmarks.bench_voices import GROUPS
from tests.benchmarks.effort_data import Passes, Sample, load
from tests.support.recordings import RecordingCache

SHIPPED = Effort(1, 4)
"""The effort every threshold was first fitted for."""

SHIPPED_REJECTION = Rejection(-38.0, 0.6)
SHIPPED_DOUBT = (3.0, 8.5)


@dataclass(frozen=True)
class Thresholds:
    """Everything the coach decides with."""

    rejection: Rejection
    margin: float | None
    clear: float
    keyphrases: Mapping[str, float]
    """Normalised keyphrase -> threshold."""


@dataclass(frozen=True)
class Outcome:
    """What the coach makes of one recording."""

    heard: str | None
    """The intent accepted (None: rejected)."""
    doubted: bool
    """A go-on command heard and asked about."""
    rescued: bool
    """Rejected, and heard as a spotted safety phrase (asked about)."""
    cpu: float
    """CPU seconds of the passes the coach runs."""


def simulate(passes: Passes, grammar: Mapping[str, str], t: Thresholds) -> Outcome:
    """The coach's decision on one recording (as `CommandRecognizer._decode` makes it)."""
    phrase = passes.phrase
    margin = (
        t.rejection.margin(passes.score, passes.phones, grammar[phrase]) if phrase else -math.inf
    )
    accepted = phrase is not None and margin >= 0
    intent = grammar[phrase] if accepted and phrase else None
    go_on = intent in GO_ON_INTENTS
    cpu = passes.cpu_grammar
    spotted = False
    doubted = False
    if not accepted or go_on:
        cpu += passes.cpu_keywords
        margins = [
            score - t.keyphrases[p] for p, score in passes.keywords.items() if p in t.keyphrases
        ]
        spotted = bool(margins) and max(margins) >= 0
        doubted = go_on and spotted
    if go_on and not doubted:
        narrow = margin < t.clear
        if narrow or t.margin is not None:
            cpu += passes.cpu_safety
            close = (
                t.margin is not None
                and passes.safety_phrase is not None
                and passes.safety_score >= passes.score - t.margin
            )
            doubted = close or narrow
    return Outcome(intent, doubted, not accepted and spotted, cpu)


@dataclass
class Figures:
    """One synthesiser's figures on one set."""

    commands: int = 0
    right: int = 0
    others: int = 0
    false: int = 0
    asked_others: int = 0
    unsafe: int = 0
    go_ons: int = 0
    go_on_asked: int = 0
    compounds: int = 0
    compound_symptom: int = 0
    compound_asked: int = 0
    compound_unsafe: int = 0
    cpu: list[float] | None = None

    def line(self) -> str:
        """As printed."""
        cpu = statistics.fmean(self.cpu) * 1000 if self.cpu else math.nan
        return (
            f"right {self.right / max(1, self.commands):.3f}, "
            f"false {self.false / max(1, self.others):.3f} "
            f"(+{self.asked_others} asked), unsafe {self.unsafe}, "
            f"go-on asked {self.go_on_asked}/{self.go_ons}; compounds unsafe "
            f"{self.compound_unsafe}/{self.compounds}, heard or asked "
            f"{self.compound_symptom + self.compound_asked}; CPU {cpu:.1f} ms"
        )


def figures(
    data: Sequence[tuple[Sample, Passes]],
    grammar: Mapping[str, str],
    t: Thresholds,
    tuning: bool,
) -> dict[str, Figures]:
    """Per synthesiser, on the tuning or the held-out set."""
    result = {group: Figures(cpu=[]) for group in GROUPS}
    for sample, passes in data:
        if sample.tuning != tuning:
            continue
        f = result[sample.group]
        o = simulate(passes, grammar, t)
        expected = grammar.get(normalize(sample.utterance.text))
        if sample.kind == "compound":
            f.compounds += 1
            f.compound_symptom += o.heard == IntentName.PAIN
            f.compound_asked += o.rescued or (o.heard in GO_ON_INTENTS and o.doubted)
            f.compound_unsafe += o.heard in GO_ON_INTENTS and not o.doubted
            continue
        assert f.cpu is not None
        f.cpu.append(o.cpu)
        if sample.kind == "other":
            f.others += 1
            f.false += o.heard is not None
            f.asked_others += o.rescued
            continue
        if expected is not None:
            f.commands += 1
            f.right += o.heard == expected
        if sample.safety:
            f.unsafe += o.heard in GO_ON_INTENTS and not o.doubted
        if expected in GO_ON_INTENTS and o.heard in GO_ON_INTENTS:
            f.go_ons += 1
            f.go_on_asked += o.doubted
    return result


def _total(per_group: Mapping[str, Figures], name: str) -> int:
    return sum(int(getattr(f, name)) for f in per_group.values())


def fit_rejection(
    data: Sequence[tuple[Sample, Passes]], grammar: Mapping[str, str], most_false: float
) -> Rejection:
    """The best tuning accuracy (pooled) with at most `most_false` false accepts."""
    tuning = [(s, p) for s, p in data if s.tuning and s.kind != "compound"]
    commands = [
        (p, grammar.get(p.phrase or "") == expected)
        for s, p in tuning
        if s.kind == "command" and (expected := grammar.get(normalize(s.utterance.text)))
    ]
    others = [p for s, p in tuning if s.kind == "other"]
    best: tuple[float, float, float] | None = None
    for per_phone in np.arange(0.0, 1.55, 0.1):

        def allowed(p: Passes, per_phone: float = per_phone) -> float:
            return p.score + per_phone * p.phones if p.phrase else -math.inf

        right = np.array([allowed(p) for p, ok in commands if ok])
        wrong = np.sort(np.array([allowed(p) for p in others]))[::-1]
        # The lowest threshold that lets no more than `most_false` of the others through.
        room = math.floor(most_false * len(others) + 1e-9)
        floor = wrong[room] if room < len(wrong) else -math.inf
        threshold = np.nextafter(floor, math.inf) if math.isfinite(floor) else -1e9
        accuracy = float(np.sum(right >= threshold)) / len(commands)
        if best is None or accuracy > best[0]:
            best = (accuracy, float(threshold), float(per_phone))
    assert best is not None
    return Rejection(min_score=round(best[1] - 0.005, 2), per_phone=round(best[2], 1))


RAISES = np.arange(-6.0, 10.01, 1.0)
"""The bars tried for each intent (see `Rejection.raised`)."""

NEVER_RAISED = (
    SAFETY_INTENTS | GO_ON_INTENTS | {IntentName.STOP, IntentName.PAUSE, IntentName.CANCEL}
)
"""Intents whose bar stays: a safety phrase must be heard; a go-on command heard narrowly is
asked about (`Doubt.clear`), not dropped; a command that halts the routine errs on the side of
the body the other way (stopping for nothing is safe, not stopping is not)."""


def fit_raised(
    data: Sequence[tuple[Sample, Passes]],
    grammar: Mapping[str, str],
    rejection: Rejection,
    rounds: int = 3,
) -> Rejection:
    """`rejection` with a bar of its own for each intent but the safety ones (`RAISES`): one
    intent at a time, three rounds, the most tuning commands right less false accepts, with no
    more false accepts than `rejection` alone (the smallest change on a tie)."""
    rows = []
    for sample, p in data:
        if not sample.tuning or sample.kind == "compound" or p.phrase is None:
            continue
        expected = grammar.get(normalize(sample.utterance.text))
        if sample.kind == "command" and expected is None:
            continue
        intent = grammar[p.phrase]
        rows.append(
            (
                intent,
                rejection.margin(p.score, p.phones),
                sample.kind == "other",
                intent == expected,
            )
        )

    def totals(raised: Mapping[str, float]) -> tuple[int, int]:
        accepted = [(o, ok) for i, m, o, ok in rows if m - raised.get(i, 0.0) >= 0]
        return sum(ok and not o for o, ok in accepted), sum(o for o, _ in accepted)

    most_false = totals({})[1]
    raised: dict[str, float] = {}
    intents = sorted({i for i, *_ in rows if i not in NEVER_RAISED})
    for _ in range(rounds):
        for intent in intents:
            tried = []
            for value in RAISES:
                right, false = totals(raised | {intent: float(value)})
                if false <= most_false:
                    tried.append((right - false, -abs(value), float(value)))
            raised[intent] = max(tried)[2]
    kept = {str(i): v for i, v in sorted(raised.items()) if v}
    return Rejection(rejection.min_score, rejection.per_phone, raised=kept)


def fit_doubt(
    data: Sequence[tuple[Sample, Passes]],
    grammar: Mapping[str, str],
    base: Thresholds,
    most_unsafe: int,
) -> tuple[float | None, float]:
    """The fewest tuning go-on questions with at most `most_unsafe` safety phrases (compounds
    included) taken for a go-on command with no question."""
    margins: list[float | None] = [None, *np.arange(0.0, 10.01, 0.5)]
    best: tuple[int, int, float | None, float] | None = None
    for margin in margins:
        for clear in np.arange(0.0, 20.01, 0.5):
            t = Thresholds(base.rejection, margin, float(clear), base.keyphrases)
            f = figures(data, grammar, t, tuning=True)
            unsafe = _total(f, "unsafe") + _total(f, "compound_unsafe")
            if unsafe > most_unsafe:
                continue
            asked = _total(f, "go_on_asked") + _total(f, "asked_others")
            if best is None or asked < best[0]:
                best = (asked, unsafe, margin, float(clear))
    assert best is not None
    return best[2], best[3]


def fit_keyphrases(
    data: Sequence[tuple[Sample, Passes]], grammar: Mapping[str, str], scale: float
) -> dict[str, float]:
    """`bench_keywords.fit`'s rule on these passes, margin and floor times `scale`."""
    best: dict[str, float] = {}
    for sample, passes in data:
        if not sample.tuning or sample.safety or sample.kind == "compound":
            continue
        for phrase, score in passes.keywords.items():
            best[phrase] = max(best.get(phrase, -math.inf), score)
    floor = bench_keywords.FLOOR * scale
    return {
        phrase: max(floor, best[phrase] + bench_keywords.MARGIN * scale)
        if phrase in best
        else floor
        for phrase, intent in grammar.items()
        if intent in SAFETY_INTENTS
    }


def keyword_scale(shipped: Sequence[Passes], other: Sequence[Passes]) -> float:
    """How the keyphrase scores shrink at another effort: the median ratio, over every
    recording and keyphrase found at both."""
    ratios = [
        b.keywords[p] / a.keywords[p]
        for a, b in zip(shipped, other, strict=True)
        for p in a.keywords
        if p in b.keywords and a.keywords[p] < 0
    ]
    return float(statistics.median(ratios)) if ratios else 1.0


def report(
    label: str,
    data: Sequence[tuple[Sample, Passes]],
    grammar: Mapping[str, str],
    t: Thresholds,
    out: Callable[[str], None] = print,
) -> None:
    """Print the tuning and held-out figures of one set of thresholds."""
    out(
        f"{label}: rejection {t.rejection.min_score}/{t.rejection.per_phone}, "
        f"doubt margin {t.margin}, clear {t.clear}"
    )
    for tuning in (True, False):
        for group, f in figures(data, grammar, t, tuning).items():
            out(f"  {'tuning  ' if tuning else 'held-out'} {group:13s} {f.line()}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "massage-coach-recordings"
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(tempfile.gettempdir()) / "massage-coach-effort",
        help="where the passes of each effort are kept",
    )
    parser.add_argument(
        "--effort", action="append", default=[], help="ds,topn of the grammar (repeatable)"
    )
    parser.add_argument("--keyword-effort", default="1,4", help="ds,topn of the keyword search")
    parser.add_argument(
        "--refit-shipped", action="store_true", help="also refit the shipped effort by the rules"
    )
    parser.add_argument(
        "--raised", action="store_true", help="also fit a bar per intent (`Rejection.raised`)"
    )
    parser.add_argument(
        "--write", action="store_true", help=f"write the last fit to {REJECTION_FILE}"
    )
    args = parser.parse_args(argv)
    grammar = model_grammar()
    cache = RecordingCache(args.cache)
    folder: Path = args.data
    folder.mkdir(parents=True, exist_ok=True)
    given = grammar
    grammar = {normalize(p): i for p, i in given.items()}
    samples, shipped = load(given, SHIPPED, cache, folder)
    keyphrases = {normalize(p): v for p, v in voice_keyphrases().items()}
    base = Thresholds(SHIPPED_REJECTION, *SHIPPED_DOUBT, keyphrases)
    data = list(zip(samples, shipped, strict=True))
    report(f"shipped ({SHIPPED})", data, grammar, base)
    tuned = figures(data, grammar, base, tuning=True)
    most_false = _total(tuned, "false") / _total(tuned, "others")
    most_unsafe = _total(tuned, "unsafe") + _total(tuned, "compound_unsafe")
    kds, ktopn = map(int, args.keyword_effort.split(","))
    keyword_effort = Effort(kds, ktopn)
    keyword_passes = shipped
    if keyword_effort != SHIPPED:
        keyword_passes = load(given, keyword_effort, cache, folder)[1]
        scale = keyword_scale(shipped, keyword_passes)
        keyphrases = fit_keyphrases(list(zip(samples, keyword_passes, strict=True)), grammar, scale)
        print(f"keyword search at {keyword_effort}: scores x{scale:.2f}, thresholds refitted")
    for spec in args.effort + (["1,4"] if args.refit_shipped else []):
        ds, topn = map(int, spec.split(","))
        effort = Effort(ds, topn)
        passes = load(given, effort, cache, folder)[1]
        passes = [
            Passes(**{**vars(p), "keywords": k.keywords, "cpu_keywords": k.cpu_keywords})
            for p, k in zip(passes, keyword_passes, strict=True)
        ]
        data = list(zip(samples, passes, strict=True))
        rejection = fit_rejection(data, grammar, most_false)
        if args.raised:
            rejection = fit_raised(data, grammar, rejection)
        start = Thresholds(rejection, *SHIPPED_DOUBT, keyphrases)
        margin, clear = fit_doubt(data, grammar, start, most_unsafe)
        report(
            f"\n{effort} refitted", data, grammar, Thresholds(rejection, margin, clear, keyphrases)
        )
        if args.raised:
            report(f"{effort} refitted, shipped doubt", data, grammar, start)
        print(f"  bars raised: {dict(rejection.raised)}")
        fitted = {
            "min_score": rejection.min_score,
            "per_phone": rejection.per_phone,
            "raised": dict(rejection.raised),
        }
    if args.write and args.effort:
        REJECTION_FILE.write_text(json.dumps(fitted, indent=1) + "\n", encoding="utf-8")
        print(f"written to {REJECTION_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
