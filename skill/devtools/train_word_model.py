"""Trains the safety detector's word model (`skill.core.word_model`) and writes its weights.

``python -m skill.devtools.train_word_model`` reads the safety corpus's tuning half, builds the
two vocabularies (word 1-2-grams, letter 3-5-grams) with their idf, and fits multinomial
logistic regression with L2 regularisation (the recipe, `skill.core.word_model.RECIPE`) by
L-BFGS in numpy: about three minutes on two cores. The same recipe in scikit-learn
(``TfidfVectorizer`` twice, ``LogisticRegression(C=10, class_weight="balanced")``) reads the
same held-out lines the same way; numpy is already a dependency, scikit-learn would not be.
Run it after editing the tuning half; a test fails while ``word_model.json`` is stale.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import yaml

from skill.core import word_model
from skill.core.word_model import (
    RECIPE,
    Floats,
    WordModel,
    fingerprint,
    label,
    letters_of,
    words_of,
)

__all__ = ["corpus_examples", "main", "train"]

_MOST_STEPS: Final = 500
_HISTORY: Final = 10
"""Steps L-BFGS remembers."""
_SETTLED: Final = 1e-9
"""Training stops when a step lowers the loss by less than this share of it."""


def _vocabulary(
    texts: Sequence[str], grams: Callable[[str], list[str]], least: int
) -> tuple[tuple[str, ...], Floats]:
    """The grams seen in at least ``least`` of ``texts``, sorted, and each one's smoothed idf."""
    seen: Counter[str] = Counter()
    for text in texts:
        seen.update(set(grams(text)))
    kept = tuple(sorted(gram for gram, count in seen.items() if count >= least))
    total = len(texts)
    idf = np.array([math.log((1 + total) / (1 + seen[gram])) + 1.0 for gram in kept])
    return kept, idf


def train(texts: Sequence[str], labels: Sequence[str], fingerprint_of: str = "") -> WordModel:
    """The model fitted to ``texts`` and their ``labels`` by the recipe."""
    words, word_idf = _vocabulary(texts, words_of, int(RECIPE["word_least"]))
    letters, letter_idf = _vocabulary(texts, letters_of, int(RECIPE["letters_least"]))
    names = tuple(sorted(set(labels)))
    features = len(words) + len(letters)
    blank = WordModel(
        names,
        words,
        word_idf,
        letters,
        letter_idf,
        np.zeros((features, len(names))),
        np.zeros(len(names)),
    )
    vectors = [blank.vector(text) for text in texts]
    weights, bias = _fit(vectors, [names.index(name) for name in labels], features, len(names))
    return WordModel(
        names, words, word_idf, letters, letter_idf, weights, bias, trained_on=fingerprint_of
    )


def _fit(
    vectors: Sequence[tuple[list[int], Floats]], targets: Sequence[int], features: int, k: int
) -> tuple[Floats, Floats]:
    """Weights and bias minimising C * (weighted log loss) + |weights|^2 / 2 (bias free)."""
    n = len(vectors)
    y = np.array(targets)
    counts = np.bincount(y, minlength=k)
    sample_weight = (n / (k * counts))[y] if RECIPE["balanced"] else np.ones(n)
    c = float(RECIPE["C"])
    sizes = np.array([len(rows) for rows, _ in vectors])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    columns = np.concatenate([np.array(rows, dtype=int) for rows, _ in vectors])
    values = np.concatenate([weights for _, weights in vectors])
    owner = np.repeat(np.arange(n), sizes)
    order = np.argsort(columns, kind="stable")
    by_column = columns[order]
    used = np.unique(by_column)
    column_starts = np.searchsorted(by_column, used)
    truth = np.zeros((n, k))
    truth[np.arange(n), y] = 1.0
    has_rows = sizes > 0

    def loss_and_gradient(x: Floats) -> tuple[float, Floats]:
        weights, bias = x[:-k].reshape(features, k), x[-k:]
        scores = np.zeros((n, k))
        scores[has_rows] = np.add.reduceat(
            weights[columns] * values[:, None], starts[has_rows], axis=0
        )
        scores += bias
        scores -= scores.max(axis=1, keepdims=True)
        probabilities = np.exp(scores)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        picked = probabilities[np.arange(n), y]
        loss = c * float(sample_weight @ -np.log(picked + 1e-300)) + 0.5 * float(
            (weights * weights).sum()
        )
        error = c * (probabilities - truth) * sample_weight[:, None]
        gradient = weights.copy()
        contributions = (error[owner] * values[:, None])[order]
        gradient[used] += np.add.reduceat(contributions, column_starts, axis=0)
        return loss, np.concatenate([gradient.ravel(), error.sum(axis=0)])

    return _lbfgs(loss_and_gradient, features * k + k, k, features)


def _lbfgs(
    objective: Callable[[Floats], tuple[float, Floats]], size: int, k: int, features: int
) -> tuple[Floats, Floats]:
    """Minimise a smooth convex ``objective`` from zero (L-BFGS, backtracking line search)."""
    x = np.zeros(size)
    loss, gradient = objective(x)
    steps: list[tuple[Floats, Floats]] = []
    for _ in range(_MOST_STEPS):
        direction = -_two_loop(gradient, steps)
        length = 1.0 if steps else 1.0 / max(1.0, float(np.abs(gradient).max()))
        slope = float(gradient @ direction)
        while True:
            moved = x + length * direction
            new_loss, new_gradient = objective(moved)
            if new_loss <= loss + 1e-4 * length * slope or length < 1e-10:
                break
            length /= 2
        step, change = moved - x, new_gradient - gradient
        if float(step @ change) > 1e-10:
            steps = [*steps, (step, change)][-_HISTORY:]
        settled = (loss - new_loss) <= _SETTLED * max(abs(loss), 1.0)
        x, loss, gradient = moved, new_loss, new_gradient
        if settled:
            break
    return x[:-k].reshape(features, k), x[-k:]


def _two_loop(gradient: Floats, steps: Sequence[tuple[Floats, Floats]]) -> Floats:
    """The L-BFGS estimate of the inverse Hessian times ``gradient``."""
    q = gradient.copy()
    alphas = []
    for step, change in reversed(steps):
        alpha = float(step @ q) / float(change @ step)
        alphas.append(alpha)
        q -= alpha * change
    if steps:
        step, change = steps[-1]
        q *= float(step @ change) / float(change @ change)
    for (step, change), alpha in zip(steps, reversed(alphas), strict=True):
        beta = float(change @ q) / float(change @ step)
        q += step * (alpha - beta)
    return q


def corpus_examples(families: Iterable[Mapping[str, Any]]) -> tuple[list[str], list[str]]:
    """The texts of a safety corpus's families and the model's label of each."""
    texts, labels = [], []
    for family in families:
        for text in family["say"]:
            texts.append(str(text))
            labels.append(label(family["expect"]))
    return texts, labels


def main(argv: Sequence[str] | None = None) -> None:
    """Train on the tuning half and write `word_model.json`."""
    parser = argparse.ArgumentParser(
        prog="python -m skill.devtools.train_word_model",
        description="Train the safety detector's word model on the safety corpus's tuning half "
        f"and write its weights ({word_model.DATA_FILE.name}); run it after editing the tuning "
        "half (a test fails while the file is stale).",
    )
    parser.parse_args(argv)
    corpus: Path = word_model.CORPUS
    if not corpus.is_file():
        parser.error(f"the tuning half is not here: {corpus} (run this in a checkout)")
    text = corpus.read_text(encoding="utf-8")
    texts, labels = corpus_examples(yaml.safe_load(text))
    print(f"training on {len(texts)} utterances...", file=sys.stderr)
    model = train(texts, labels, fingerprint(text))
    data = model.to_json()
    word_model.DATA_FILE.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
    print(
        f"wrote {word_model.DATA_FILE.name}: {len(model.words)} word and "
        f"{len(model.letters)} letter features, {len(model.labels)} labels"
    )


if __name__ == "__main__":
    main()
