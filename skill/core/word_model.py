"""A word model of the red flags: the safety detector's last look before it lets an utterance go.

The detector's rules (``safety.yaml``) read what they were written for; blind batches by new
authors keep finding red flags said in ways no rule knows ("the pee dont want to come out since
last night"). This model counts, over the safety corpus's tuning half, how often each word and
each pair of neighbouring words (in the detector's normalised clauses) comes with each label:
the six red-flag ids, ``SYMPTOM`` (pain or a nerve symptom) and ``none``. It is naive Bayes over
the words present, each seen at least `LEAST` times in the corpus.

It is never acted on alone: when no rule found a red flag and no concern rule spoke, and the
model is sure (``concerns.model.sure`` in ``safety.yaml``) of one red flag, the detector makes
it a concern and the coach asks its yes-or-no question. Only when the utterance also has a word
of trouble (``concerns.model.trouble``: "not", "since", "any more", "odd"...) and no clause of
feeling well: without that gate the model asked about "I need the loo" and "should I lie on
both legs or just one" (7-8 % of the held-out half's ordinary sentences); with it, none of them.

The counts are generated: ``python -m skill.core.word_model`` counts the tuning half again and
writes ``word_model.json`` beside this module (a test fails when the file is stale). Loading
waits for the first utterance that reaches the model, so no start-up pays for it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Final

import yaml

from skill.core.commands import RED_FLAG_PREFIX

DATA_FILE: Final = Path(__file__).with_name("word_model.json")
CORPUS: Final = Path(__file__).resolve().parents[2] / "tests" / "data" / "safety" / "tuning.yaml"
"""The tuning half the counts come from (in a checkout; an installed package ships the JSON)."""
LEAST: Final = 2
"""Words and pairs seen fewer times in the corpus are not counted (they would only be noise)."""
SYMPTOM: Final = "SYMPTOM"
NONE: Final = "none"


def features(clauses: Sequence[str]) -> set[str]:
    """The words of ``clauses`` (the detector's normalised ones) and their neighbouring pairs."""
    words = " ".join(clauses).split()
    return set(words) | {f"{a}_{b}" for a, b in itertools.pairwise(words)}


def label(expect: str | Sequence[str]) -> str:
    """The model's label for a corpus entry's expect: its red flag, SYMPTOM, or none."""
    ids = [expect] if isinstance(expect, str) else list(expect)
    red_flags = [i for i in ids if i.startswith(RED_FLAG_PREFIX)]
    if red_flags:
        return red_flags[0]
    return NONE if ids[0] == NONE else SYMPTOM


@dataclass(frozen=True)
class WordModel:
    """Per label, how many utterances it has and how many of them hold each feature."""

    labels: tuple[str, ...]
    utterances: tuple[int, ...]
    counts: Mapping[str, tuple[int, ...]]

    @classmethod
    def count(cls, examples: Iterable[tuple[set[str], str]]) -> WordModel:
        """Counted from (features, label) pairs; features seen fewer than `LEAST` times dropped."""
        per_label: dict[str, Counter[str]] = {}
        utterances: Counter[str] = Counter()
        for found, name in examples:
            per_label.setdefault(name, Counter()).update(found)
            utterances[name] += 1
        labels = tuple(sorted(per_label))
        seen: Counter[str] = Counter()
        for counter in per_label.values():
            seen.update(counter)
        counts = {
            feature: tuple(per_label[name][feature] for name in labels)
            for feature in sorted(seen)
            if seen[feature] >= LEAST
        }
        return cls(labels, tuple(utterances[name] for name in labels), counts)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WordModel:
        counts = {feature: tuple(row) for feature, row in data["counts"].items()}
        return cls(tuple(data["labels"]), tuple(data["utterances"]), counts)

    def to_json(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "utterances": list(self.utterances),
            "counts": {feature: list(row) for feature, row in self.counts.items()},
        }

    def red_flag(self, clauses: Sequence[str]) -> tuple[str, float]:
        """The likeliest red-flag id for ``clauses``, and the model's probability of it."""
        present = [row for feature in features(clauses) if (row := self.counts.get(feature))]
        scores = []
        for index, total in enumerate(self.utterances):
            score = math.log(total)
            for row in present:
                score += math.log((row[index] + 0.5) / (total + 1.0))
            scores.append(score)
        top = max(scores)
        weights = [math.exp(score - top) for score in scores]
        whole = sum(weights)
        best = max(
            (i for i, name in enumerate(self.labels) if name.startswith(RED_FLAG_PREFIX)),
            key=lambda i: weights[i],
        )
        return self.labels[best], weights[best] / whole


class ShippedModel:
    """`word_model.json`, read at the first utterance that reaches it."""

    def __init__(self, path: Path = DATA_FILE) -> None:
        self.path = path

    @cached_property
    def model(self) -> WordModel:
        return WordModel.from_json(json.loads(self.path.read_text(encoding="utf-8")))

    def red_flag(self, clauses: Sequence[str]) -> tuple[str, float]:
        return self.model.red_flag(clauses)


def counted(corpus: Path = CORPUS) -> WordModel:
    """The model counted afresh over ``corpus`` (the tuning half), read by the shipped rules."""
    from skill.core.safety import detector  # the rules read the clauses; they import this

    reader = detector()
    families = yaml.safe_load(corpus.read_text(encoding="utf-8"))
    return WordModel.count(
        (features(reader.clauses(text)), label(family["expect"]))
        for family in families
        for text in family["say"]
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Count the tuning half again and write `word_model.json`."""
    parser = argparse.ArgumentParser(
        prog="python -m skill.core.word_model",
        description="Count the safety corpus's tuning half again and write the word model's "
        f"counts ({DATA_FILE.name}); run it after editing the tuning half or the detector's "
        "rewrites (a test fails while the file is stale).",
    )
    parser.parse_args(argv)
    if not CORPUS.is_file():
        parser.error(f"the tuning half is not here: {CORPUS} (run this in a checkout)")
    model = counted()
    DATA_FILE.write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n", "utf-8")
    print(
        f"wrote {DATA_FILE.name}: {len(model.counts)} features, {sum(model.utterances)} utterances"
    )


if __name__ == "__main__":
    main()
