"""Filler words: what costs little beside a command, and what makes a sample no more than a slot.

Two word lists that the model's samples (`skill.core.samples`), the clauses
(`skill.core.clauses`) and the matching (`skill.core.resolver`) read alike: `SKIPPABLE` words
cost little when left outside a match and cannot make a sample match inside a longer sentence
on their own ("okay" alone is yes, "okay then" is nothing); `WEAK_LITERALS` do not make a sample
more than its slot ("the {routine}" is a slot-only sample). Tests: `tests/test_samples.py`.
"""

from __future__ import annotations

from typing import Final

__all__ = ["SKIPPABLE", "WEAK_LITERALS"]

SKIPPABLE: Final = frozenset(
    [
        "okay",
        "ok",
        "um",
        "uh",
        "erm",
        "er",
        "hmm",
        "umm",
        "please",
        "so",
        "well",
        "oh",
        "hey",
        "alright",
        "right",
        "now",
        "then",
        "just",
        "can",
        "could",
        "would",
        "will",
        "you",
        "we",
        "i",
        "us",
        "let",
        "lets",
        "want",
        "to",
        "like",
        "think",
        "maybe",
        "actually",
        "really",
        "coach",
        "sorry",
        "thanks",
        "thank",
        "for",
        "me",
        "a",
        "the",
        "this",
        "one",
        "do",
        "bit",
        "little",
        "second",
        "moment",
    ]
)
"""Words that cost little when left outside a match: fillers around a command."""
WEAK_LITERALS: Final = SKIPPABLE | frozenset(
    [
        "an",
        "my",
        "some",
        "it",
        "is",
        "am",
        "feel",
        "feeling",
        "feels",
        "have",
        "got",
        "get",
        "getting",
        "there",
        "routine",
    ]
)
"""Words that do not make a sample more than its slot: "the {routine}" is a slot-only sample."""
