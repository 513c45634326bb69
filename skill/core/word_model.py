"""A word model of the safety corpus: the detector's second opinion on every utterance.

The detector's rules (``safety.yaml``) read what they were written for; blind batches by new
authors keep finding red flags said in ways no rule knows ("the pee dont want to come out since
last night"), and stories about other people or the past that a rule takes for the user's own.
This model reads the same utterance another way: the words and word pairs in it and the pieces
of three to five letters of each word (so "weeing" shares "wee" with "wee"), each weighed by
how rare it is in the corpus (tf-idf), scored by multinomial logistic regression against the
labels of the corpus's tuning half: the six red-flag ids, ``SYMPTOM`` (any pain or nerve
symptom) and ``none``. :meth:`WordModel.read` gives each label's probability.

How the detector takes it (``concerns.model`` in ``safety.yaml``, `skill.core.safety`): never
alone. A red flag the model is sure of (``ask``) and no rule found is asked about; a red flag a
rule found but the model is sure is nothing (``doubt``) is asked about instead of acted on,
never dropped. Measured on batches 97-100 with a model trained without them and the rules that
had not seen them: red flags missed with no stop and no question 8 -> 2 of 288, false alarms
17 -> 10 of 172. Made to act on its own (a finding), it read 13 more red flags right there, but
also "numb" as numbness in the saddle and "I've got no fever" as a fever: bags of words do not
know negation or whose symptom it is, which the rules do.

The weights are generated: ``python -m skill.devtools.train_word_model`` trains on the tuning
half and writes ``word_model.json`` beside this module, with a fingerprint of what it was
trained on (a test fails when the tuning half has changed since). Reading is pure: the file is
loaded at the first utterance that reaches the model, so no start-up pays for it.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from skill.core.commands import RED_FLAG_PREFIX

DATA_FILE: Final = Path(__file__).with_name("word_model.json")
CORPUS: Final = Path(__file__).resolve().parents[2] / "tests" / "data" / "safety" / "tuning.yaml"
"""The tuning half the model is trained on (in a checkout; an installed package ships the JSON)."""
SYMPTOM: Final = "SYMPTOM"
NONE: Final = "none"
RECIPE: Final[Mapping[str, Any]] = {
    "words": [1, 2],
    "word_least": 2,
    "letters": [3, 5],
    "letters_least": 3,
    "C": 10.0,
    "balanced": True,
}
"""How the model is trained (`skill.devtools.train_word_model`): word 1-2-grams seen in at
least 2 utterances, letter 3-5-grams of each word seen in at least 3, L2-regularised logistic
regression with C = 10 and each label weighed by the inverse of its count. Chosen once, before
any blind measure, and part of the fingerprint."""
_WORD: Final = re.compile(r"\b\w\w+\b")
_LONGEST_LETTERS: Final = 5
_SHORTEST_LETTERS: Final = 3


def words_of(text: str) -> list[str]:
    """The words of ``text`` (two letters or more, lower case) and each pair of neighbours."""
    words = _WORD.findall(text.lower())
    return [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]


def letters_of(text: str) -> list[str]:
    """The pieces of 3 to 5 letters of each word of ``text``, the word padded with a space each
    side (" wee", "wee ", "ee "): a word's start and end are pieces of their own."""
    pieces: list[str] = []
    for word in text.lower().split():
        padded = f" {word} "
        for size in range(_SHORTEST_LETTERS, _LONGEST_LETTERS + 1):
            pieces.extend(padded[i : i + size] for i in range(len(padded) - size + 1))
    return pieces


def label(expect: str | Sequence[str]) -> str:
    """The model's label for a corpus entry's expect: its red flag, SYMPTOM, or none."""
    ids = sorted([expect] if isinstance(expect, str) else expect)
    if ids[0] == NONE:
        return NONE
    return ids[0] if ids[0].startswith(RED_FLAG_PREFIX) else SYMPTOM


def fingerprint(corpus_text: str) -> str:
    """What a model was trained on: the tuning half's text and the recipe."""
    recipe = json.dumps(RECIPE, sort_keys=True)
    return hashlib.sha256(f"{recipe}\n{corpus_text}".encode()).hexdigest()


Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Reading:
    """The model's probabilities for one utterance."""

    probabilities: Mapping[str, float]
    text: str
    model: WordModel = field(compare=False, repr=False)

    @cached_property
    def words(self) -> str:
        """The word that tells the likeliest red flag most (for logs and the slot's words)."""
        return self.model.telling(self.text, self.red_flag[0])

    @property
    def none(self) -> float:
        return self.probabilities.get(NONE, 0.0)

    @property
    def red_flag(self) -> tuple[str, float]:
        """The likeliest red-flag id and its probability."""
        return max(
            ((k, p) for k, p in self.probabilities.items() if k.startswith(RED_FLAG_PREFIX)),
            key=lambda item: item[1],
        )


class _Grams:
    """One kind of gram: its vocabulary (gram -> row) and each gram's idf."""

    def __init__(self, grams: Sequence[str], idf: Floats, first_row: int) -> None:
        self.row = {gram: first_row + i for i, gram in enumerate(grams)}
        self.idf = idf
        self.first_row = first_row

    def vector(self, grams: list[str]) -> tuple[list[int], Floats]:
        """Rows and l2-normalised weights (1 + log tf, times idf) of the known ``grams``."""
        row = self.row
        known = [(row[gram], count) for gram, count in Counter(grams).items() if gram in row]
        rows = [each for each, _ in known]
        weights = np.log(np.fromiter((count for _, count in known), float, len(known))) + 1.0
        if rows:
            weights *= self.idf[np.array(rows) - self.first_row]
            weights /= math.sqrt(float(weights @ weights))
        return rows, weights


@dataclass(frozen=True)
class WordModel:
    """Labels, the two vocabularies with their idf, and the weights (a row per gram)."""

    labels: tuple[str, ...]
    words: tuple[str, ...]
    word_idf: Floats
    letters: tuple[str, ...]
    letter_idf: Floats
    weights: Floats
    """(len(words) + len(letters), len(labels)): the word grams' rows, then the letters'."""
    bias: Floats
    trained_on: str = ""
    """`fingerprint` of the corpus and recipe the weights were trained on."""

    @cached_property
    def _grams(self) -> tuple[_Grams, _Grams]:
        return (
            _Grams(self.words, self.word_idf, 0),
            _Grams(self.letters, self.letter_idf, len(self.words)),
        )

    def vector(self, text: str) -> tuple[list[int], Floats]:
        """The rows and weights of ``text``'s features (words first, then letters)."""
        by_word, by_letter = self._grams
        rows, weights = by_word.vector(words_of(text))
        more_rows, more = by_letter.vector(letters_of(text))
        return rows + more_rows, np.concatenate([weights, more])

    def read(self, text: str) -> Reading:
        """Each label's probability for ``text``."""
        rows, weights = self.vector(text)
        scores = weights @ self.weights[rows] + self.bias if rows else self.bias.copy()
        scores = np.exp(scores - scores.max())
        probabilities = dict(zip(self.labels, (scores / scores.sum()).tolist(), strict=True))
        return Reading(probabilities, text, self)

    def telling(self, text: str, name: str) -> str:
        """The word or pair of ``text`` that weighs most for label ``name`` (``text`` when the
        model knows none of them)."""
        column = self.weights[:, self.labels.index(name)]
        rows_of = self._grams[0].row
        known = [(rows_of[gram], gram) for gram in words_of(text) if gram in rows_of]
        return max(known, key=lambda item: column[item[0]], default=(0, text))[1]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WordModel:
        scale = np.array(data["scale"], dtype=float)
        shape = (len(data["words"]) + len(data["letters"]), len(data["labels"]))
        quantised = np.frombuffer(base64.b64decode(data["weights"]), dtype=np.int8)
        return cls(
            labels=tuple(data["labels"]),
            words=tuple(data["words"]),
            word_idf=_floats(data["word_idf"]),
            letters=tuple(data["letters"]),
            letter_idf=_floats(data["letter_idf"]),
            weights=quantised.reshape(shape).astype(float) * scale,
            bias=np.array(data["bias"], dtype=float),
            trained_on=str(data["trained_on"]),
        )

    def to_json(self) -> dict[str, Any]:
        """The weights kept to one part in 127 of each label's largest (a byte each)."""
        scale = np.abs(self.weights).max(axis=0) / 127.0
        scale[scale == 0] = 1.0
        quantised = np.round(self.weights / scale).astype(np.int8)
        return {
            "trained_on": self.trained_on,
            "labels": list(self.labels),
            "bias": [round(float(b), 6) for b in self.bias],
            "scale": [float(s) for s in scale],
            "words": list(self.words),
            "word_idf": _text(self.word_idf),
            "letters": list(self.letters),
            "letter_idf": _text(self.letter_idf),
            "weights": base64.b64encode(quantised.tobytes()).decode("ascii"),
        }


def _text(values: Floats) -> str:
    return base64.b64encode(values.astype(np.float32).tobytes()).decode("ascii")


def _floats(text: str) -> Floats:
    return np.frombuffer(base64.b64decode(text), dtype=np.float32).astype(float)


class ShippedModel:
    """`word_model.json`, read at the first utterance that reaches it."""

    def __init__(self, path: Path = DATA_FILE) -> None:
        self.path = path

    @cached_property
    def model(self) -> WordModel:
        return WordModel.from_json(json.loads(self.path.read_text(encoding="utf-8")))

    def read(self, text: str) -> Reading:
        return self.model.read(text)
